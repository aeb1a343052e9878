// In-storage processing (ISP) helpers for SmartSSD-like devices: an SSD with an FPGA behind a
// peer-to-peer link, which only processes the partition of the dataset it stores.
//
// Here: how many devices a dataset needs (never fewer than dataset bytes / device capacity), how the dataset is
// split across them with a skew, and how long a device takes for its partition. The FPGA part is
// models/devices/fpga.h; the engine adds the SimGrid disk and links; `prepsim plan` prices the option from the
// catalog (analysis/plan/plan_cost.h). Definitions in docs/devices.md.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/catalog.h"
#include "models/config/map_reader.h"
#include "models/devices/device_params.h"
#include "models/devices/fpga.h"

namespace prepsim::devices {

struct IspSpec {
  FpgaSpec fpga;                    // its link_in is the SSD -> FPGA peer-to-peer link
  double capacity = 0;              // B of dataset one device stores
  double ssd_read_bandwidth = 0;    // B/s the flash sustains for sequential reads
  Sources sources;                  // of capacity and ssd_read_bandwidth (the fpga's are in fpga.sources)
};

// ceil(dataset_bytes / capacity): no fewer devices can hold the dataset (0 for an empty dataset).
std::int64_t isp_min_devices(double dataset_bytes, double capacity);

// The fewest devices whose skewed partitions all fit: with one device, ceil(d / c) = 1 suffices; otherwise the
// largest partition is (1 + skew) x d / n, so n = max(ceil(d / c), ceil((1 + skew) x d / c)).
std::int64_t isp_devices_for_skew(double dataset_bytes, double capacity, double skew);

// Bytes stored on each of `devices` devices, largest first, summing to dataset_bytes. Linear skew s in [0, 1):
// device i (0-based) of n > 1 gets mean x (1 + s x (1 - 2i / (n - 1))), so the largest gets (1 + s) x mean, the
// smallest (1 - s) x mean, evenly spaced between; s = 0 splits evenly. Throws DeviceError when s is outside
// [0, 1), devices < 1, or the largest partition exceeds `capacity` (naming the device count that would fit).
std::vector<double> isp_partitions(double dataset_bytes, std::int64_t devices, double capacity, double skew);

struct IspPartitionTime {
  double chunks = 0;        // ceil(partition bytes / stored bytes per chunk); the last partial chunk counts whole
  double seconds = 0;       // first chunk's latency (flash read + FPGA latency) + (chunks - 1) / chunks_per_s
  double chunks_per_s = 0;  // min(FPGA throughput, ssd_read_bandwidth / stored bytes per chunk)
  std::string binding;      // the FPGA's binding resource, or "ssd_read"
};

// How long one device needs for `partition_bytes` of chunks shaped like `chunk`, whose link_in_bytes are the
// bytes stored per chunk (they cross the P2P link). Throws DeviceError as fpga_performance does, or when the
// chunk has no stored bytes.
IspPartitionTime isp_partition_time(const IspSpec& spec, const FpgaChunk& chunk, double partition_bytes);

// Reader: the ISP keys are the fpga keys plus `capacity` and `ssd_read_bandwidth` in the same map.
IspSpec read_isp_spec(config::MapReader& r, const std::string& name);

// An in-storage device: its SSD -> FPGA peer-to-peer link is its own (nothing else crosses it); the flash is a
// platform disk and the uplink a platform link. It stores a partition of the dataset.
class IspDevice final : public FpgaBasedDevice {
 public:
  explicit IspDevice(IspSpec s) : spec(std::move(s)) {}
  IspSpec spec;
  const FpgaSpec& units() const override { return spec.fpga; }
  std::optional<DatasetStore> store() const override { return DatasetStore{spec.capacity, spec.ssd_read_bandwidth}; }

 private:
  DeviceService service(const std::vector<DeviceStage>& stages, double bytes_in, double bytes_out) const override;
};

// The reader of the isp row of the device-kind table.
std::unique_ptr<DeviceModel> read_isp_device(config::MapReader& r, const std::string& name);

}  // namespace prepsim::devices
