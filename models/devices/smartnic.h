// SmartNIC model: preprocessing units on the network path. Its units, DRAM and links are an fpga model
// (fpga.h); on top, the port's line rate caps throughput at line rate / bytes per chunk on the wire, and the
// flows that cross the NIC share it max-min fairly.
//
// Pure arithmetic: the engine puts the NIC on a SimGrid route and lets SimGrid share the wire itself; these
// helpers give the analytic bound and the per-flow shares the engine must agree with. See docs/devices.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/config/map_reader.h"
#include "models/devices/device_params.h"
#include "models/devices/fpga.h"

namespace prepsim::devices {

struct SmartNicSpec {
  FpgaSpec device;       // processing units, on-NIC DRAM, internal links
  double line_rate = 0;  // B/s per direction of the port (full duplex)
  Sources sources;       // of line_rate (the units' are in device.sources)
};

// The bytes of a chunk on the wire: by default the chunk as it arrives (link_in_bytes).
struct WireBytes {
  double in = 0;   // B arriving from the network per chunk
  double out = 0;  // B the NIC sends back onto the network per chunk (0 when it hands results to its host)
};

WireBytes wire_bytes_of(const FpgaChunk& chunk);

// fpga_performance plus the limits "line_rate_in" = line_rate / wire.in and, when wire.out > 0,
// "line_rate_out" = line_rate / wire.out; the binding resource is recomputed over all limits.
FpgaPerformance smartnic_performance(const SmartNicSpec& spec, const FpgaChunk& chunk, const WireBytes& wire);
FpgaPerformance smartnic_performance(const SmartNicSpec& spec, const FpgaChunk& chunk);

// Per-flow chunks/s when flows of the same chunk shape cross the NIC: max-min fair shares of
// smartnic_performance's chunks/s; `demands` in chunks/s per flow (+infinity for a flow that takes all it gets).
std::vector<double> smartnic_flow_rates(const SmartNicSpec& spec, const FpgaChunk& chunk,
                                        const std::vector<double>& demands);
// `flows` greedy flows: each gets 1/flows of the NIC's chunks/s. Throws DeviceError when flows < 1.
double smartnic_rate_per_flow(const SmartNicSpec& spec, const FpgaChunk& chunk, std::int64_t flows);

// Reader: the fpga keys plus `line_rate` in the same map.
SmartNicSpec read_smartnic_spec(config::MapReader& r, const std::string& name);

// A SmartNIC on the network path: its wire (the line rate, both directions) and its links are platform links.
class SmartNicDevice final : public FpgaBasedDevice {
 public:
  explicit SmartNicDevice(SmartNicSpec s) : spec(std::move(s)) {}
  SmartNicSpec spec;
  const FpgaSpec& units() const override { return spec.device; }

 private:
  DeviceService service(const std::vector<DeviceStage>& stages, double bytes_in, double bytes_out) const override;
};

// The reader of the smartnic row of the device-kind table.
std::unique_ptr<DeviceModel> read_smartnic_device(config::MapReader& r, const std::string& name);

}  // namespace prepsim::devices
