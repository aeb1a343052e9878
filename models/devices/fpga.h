// FPGA device model: a device is a DAG of hardware units (e.g. decoder -> {bucketize, hash, log}), each
// implementing some ops at a clock with processing elements (PEs); this file turns a chunk's work per stage into
// the chunk's unloaded latency, the device's throughput in chunks/s and the resource that binds it.
//
// Pure arithmetic, no SimGrid: the engine places these devices and shares their links. The SmartSSD (isp.h) and
// the SmartNIC (smartnic.h) reuse this model; docs/devices.md gives the formulas and what is assumption.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/config/map_reader.h"
#include "models/devices/device_model.h"
#include "models/devices/device_params.h"
#include "models/op_registry.h"

namespace prepsim::devices {

struct FpgaUnit {
  std::string name;
  std::vector<std::string> ops;    // op names of op_registry this unit implements (each op on at most one unit)
  std::vector<std::string> after;  // units whose output this one consumes: the edges of the unit graph
  double clock_hz = 0;             // Hz
  double elements_per_cycle = 1;   // per PE
  std::int64_t pes = 1;            // processing elements; one feature per PE per round
  double latency_cycles = 0;       // fixed cycles added to every round (pipeline fill, setup)
};

// Which bytes cross device DRAM per chunk.
enum class DramTraffic {
  EveryUnit,  // the chunk lands in DRAM, every stage reads its input from and writes its output to DRAM, the
              // result leaves from DRAM: link_in + sum(stage bytes_in + bytes_out) + link_out
  LinksOnly,  // units stream to each other on chip: link_in + link_out
};

struct FpgaSpec {
  std::string name;
  std::vector<FpgaUnit> units;      // in input order; the graph must be acyclic
  double dram_bandwidth = 0;        // B/s
  double dram_capacity = 0;         // B
  double link_in_bandwidth = 0;     // B/s: what feeds the device (P2P from its SSD, PCIe, network)
  double link_out_bandwidth = 0;    // B/s: what drains it
  double link_latency = 0;          // s per transfer, each way
  std::int64_t buffers_per_pe = 2;  // 2 = double buffering
  bool pipelined_across_chunks = true;
  DramTraffic dram_traffic = DramTraffic::EveryUnit;
  Sources sources;  // where values given as {value, source} came from
};

// One stage of a chunk as the device sees it.
struct FpgaStageWork {
  std::string op;
  double features = 0;              // features the stage touches (PEs work on one feature each)
  double elements_per_feature = 0;  // values per feature in this chunk
  double bytes_in = 0;              // B the stage reads
  double bytes_out = 0;             // B the stage writes
};

struct FpgaChunk {
  std::vector<FpgaStageWork> stages;
  double link_in_bytes = 0;   // B arriving over the input link (for an ISP device: the stored chunk)
  double link_out_bytes = 0;  // B leaving over the output link
};

// One throughput bound: `resource` ("unit:<name>", "units", "dram", "link_in", "link_out", ...) can serve at
// most chunks_per_s chunks per second.
struct RateLimit {
  std::string resource;
  double chunks_per_s = 0;
};

struct FpgaUnitLoad {
  std::string unit;
  double rounds = 0;   // sum over the unit's stages of ceil(features / PEs)
  double seconds = 0;  // busy time per chunk
};

struct FpgaPerformance {
  double latency_s = 0;                    // unloaded: link in + longest path through the units + link out
  double compute_s = 0;                    // the longest path through the units alone
  std::vector<std::string> critical_path;  // its units with work, in order
  double chunks_per_s = 0;                 // min over `limits` (+inf for a chunk with no work at all)
  std::string binding;                     // the resource of that minimum ("none" without work)
  std::vector<RateLimit> limits;
  std::vector<FpgaUnitLoad> units;  // every unit, in spec order
  double dram_bytes = 0;            // B crossing DRAM per chunk
  double memory_bytes = 0;          // B of device memory the chunk needs (memory_required)
};

// ceil(features / pes): the rounds a unit with `pes` PEs needs for `features` features.
double rounds(double features, std::int64_t pes);

// The first problem of a spec: no units, empty or duplicate unit name, unknown op, an op on two units, unknown
// or self `after`, a cycle, a non-positive clock, elements per cycle, PEs, bandwidth, capacity or buffers, a
// negative latency. `unit` is the unit's index (-1 for the device) and `key` the offending key, for locating it.
struct FpgaSpecProblem {
  int unit = -1;
  std::string key;
  std::string message;
};
std::optional<FpgaSpecProblem> find_problem(const FpgaSpec& spec);
// Throws DeviceError with find_problem's message.
void validate(const FpgaSpec& spec);

// The unit implementing `op`, or nullptr.
const FpgaUnit* unit_for(const FpgaSpec& spec, std::string_view op);
bool refuses(const FpgaSpec& spec, std::string_view op);
// The ops of `ops` the device has no unit for, in their order, without repeats: validation refuses them or
// sends them to a CPU fallback (whose cost then counts).
std::vector<std::string> refused_ops(const FpgaSpec& spec, const std::vector<std::string>& ops);

// Device memory a chunk needs: buffers_per_pe x (for each unit, the largest over its stages of min(PEs, features)
// x bytes per feature (bytes_in + bytes_out) / features) + buffers_per_pe x (link_in_bytes + link_out_bytes) for
// the chunk landing and leaving.
double memory_required(const FpgaSpec& spec, const FpgaChunk& chunk);

// Latency, throughput and binding resource of one chunk shape. Throws DeviceError when a stage's op has no unit
// (route it to a CPU first), a value is negative, or memory_required exceeds dram_capacity.
FpgaPerformance fpga_performance(const FpgaSpec& spec, const FpgaChunk& chunk);

// Sets chunks_per_s and binding from the tightest of perf.limits ("none" when there are none). Devices that add
// limits of their own (a SmartNIC's line rate) call it again after adding them.
void choose_binding(FpgaPerformance& perf);

// A stage from the op registry's OpWork: elements_per_feature = work.elements / features.
FpgaStageWork stage_work(const std::string& op, double features, const OpWork& work, double bytes_in,
                         double bytes_out);

// Reads the fpga keys of the map under `r` (not finish(): callers may read more keys from the same map); the
// spec is named `name` unless the map gives a `name`. Located InputErrors for bad values, unknown ops, unknown
// `after` units, cycles and ops on two units.
FpgaSpec read_fpga_spec(config::MapReader& r, const std::string& name);

// The device model of the FPGA-based kinds (fpga, isp, smartnic): a device refuses the ops its units lack, holds
// buffers_per_pe chunks, and its service leaves out the limits of the links the platform simulates.
class FpgaBasedDevice : public DeviceModel {
 public:
  // Its hardware units.
  virtual const FpgaSpec& units() const = 0;
  std::vector<std::string> refused_ops(const std::vector<std::string>& ops) const override;
  int slots() const override;

 protected:
  // The chunk of `stages` as the units see it.
  static FpgaChunk chunk_of(const std::vector<DeviceStage>& stages, double bytes_in, double bytes_out);
  // Issue time and internal latency from `perf`, dropping the limits of the `external` resources (links of the
  // platform) and adding `internal_link_s` (a link of the device's own) to the latency.
  static DeviceService service_of(const FpgaPerformance& perf, const std::vector<std::string>& external,
                                  double internal_link_s);
};

// An FPGA card: its PCIe links in and out are platform links.
class FpgaDevice final : public FpgaBasedDevice {
 public:
  explicit FpgaDevice(FpgaSpec s) : spec(std::move(s)) {}
  FpgaSpec spec;
  const FpgaSpec& units() const override { return spec; }

 private:
  DeviceService service(const std::vector<DeviceStage>& stages, double bytes_in, double bytes_out) const override;
};

// The reader of the fpga row of the device-kind table.
std::unique_ptr<DeviceModel> read_fpga_device(config::MapReader& r, const std::string& name);

}  // namespace prepsim::devices
