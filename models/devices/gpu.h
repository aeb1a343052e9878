// GPU preprocessing model: preprocessing kernels are memory-bandwidth bound, so a kernel takes
// bytes / (achieved bandwidth x the library's software efficiency) plus its launches (one per stage, or one per
// column for column-at-a-time libraries such as cuDF / NVTabular); the chunk is first staged from host memory
// into GPU memory over PCIe, on the copy engines, overlapping the kernels of the chunk before. Placed on the
// trainer GPU, the kernels' time is taken from training (serialized, or partly hidden by a documented overlap
// fraction); on a separate GPU it is a device of its own with the price and power of its catalog SKU.
//
// Pure arithmetic, no SimGrid; formulas and what is assumption in docs/devices.md.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/catalog.h"
#include "models/config/map_reader.h"
#include "models/devices/device_model.h"
#include "models/devices/device_params.h"

namespace prepsim::devices {

struct GpuSpec {
  std::string name;
  double achieved_bandwidth = 0;             // B/s a streaming preprocessing kernel reaches (not the HBM peak)
  std::map<std::string, double> op_bandwidth;  // per-op overrides of achieved_bandwidth, B/s
  double launch_overhead = 0;                // s per kernel launch
  double trainer_overlap = 0;                // fraction in [0, 1] of preprocessing hidden behind training
  std::string software;                      // the preprocessing library modelled (e.g. NVTabular / cuDF)
  double software_efficiency = 1;            // fraction of the bandwidth the library's kernels reach, (0, 1]
  std::map<std::string, double> op_software_efficiency;  // per-op overrides (decode: page decoding is not streaming)
  bool launch_per_column = false;            // the library launches an op's kernels column by column
  double host_link_bandwidth = 0;            // B/s host memory -> GPU memory (pinned copies over PCIe); 0: none
  Sources sources;
};

// One op on one chunk: the bytes it reads and writes, launched `launches` times (e.g. once per feature when
// kernels are not fused).
struct GpuKernel {
  std::string op;
  double bytes = 0;
  double launches = 1;
};

// launches x launch_overhead + bytes / (the op's bandwidth x the op's software efficiency).
double gpu_kernel_seconds(const GpuSpec& spec, const GpuKernel& kernel);
// Sum over kernels. Throws DeviceError on an unknown op or a negative size.
double gpu_seconds(const GpuSpec& spec, const std::vector<GpuKernel>& kernels);
// Copying `bytes` from host memory into GPU memory (0 without a host link).
double gpu_staging_seconds(const GpuSpec& spec, double bytes);

// Training on the GPU that also preprocesses.
struct TrainerImpact {
  double step_s = 0;            // training step alone
  double preprocess_s = 0;      // preprocessing per step (all chunks one step consumes)
  double new_step_s = 0;        // max(step + (1 - overlap) x preprocess, preprocess)
  double throughput_ratio = 0;  // step_s / new_step_s: the training throughput kept (< 1 with any preprocessing)
};

// overlap = 0: serialized (step + preprocess); overlap = f: a fraction f of the preprocessing runs concurrently
// with training without slowing it, but a step can never be shorter than its preprocessing alone.
TrainerImpact gpu_on_trainer(double step_s, double preprocess_s_per_step, double overlap);
// With the spec's trainer_overlap and gpu_seconds(kernels) x chunks_per_step as the preprocessing per step.
TrainerImpact gpu_on_trainer(const GpuSpec& spec, double step_s, const std::vector<GpuKernel>& kernels_per_chunk,
                             double chunks_per_step);

// A separate preprocessing GPU: its own price and power from its catalog SKU (kind gpu, capex and power_busy).
struct SeparateGpuCost {
  std::int64_t gpus = 0;
  double capex = 0;    // $
  double power_w = 0;  // W, busy
  double lifetime_s = 0;
};
// Throws DeviceError when the SKU is not a gpu or lacks a capex or a power.
SeparateGpuCost separate_gpu_cost(const Sku& sku, std::int64_t gpus);

// Keys: name (optional), achieved_bandwidth, launch_overhead, trainer_overlap (default 0),
// op_bandwidth (optional map op -> bandwidth; unknown ops refused), software (name, default "kernels at the
// achieved bandwidth"), software_efficiency (default 1), op_software_efficiency (optional map op -> ratio),
// launch_per_column (bool, default false: one launch per stage), host_link (B/s, default 0: no staging).
// The spec is named `name` unless the map gives a `name`.
GpuSpec read_gpu_spec(config::MapReader& r, const std::string& name);

// A preprocessing GPU: the chunk is staged into GPU memory on the copy engines while the kernels work on the
// chunk before, so it issues a chunk every max(kernels, staging), its SMs busy for the kernels only. It runs
// every op but read and works on 2 chunks at once (2 streams).
class GpuDevice final : public DeviceModel {
 public:
  explicit GpuDevice(GpuSpec s) : spec(std::move(s)) {}
  GpuSpec spec;
  std::vector<std::string> refused_ops(const std::vector<std::string>& ops) const override;
  int slots() const override { return 2; }

 private:
  DeviceService service(const std::vector<DeviceStage>& stages, double bytes_in, double bytes_out) const override;
};

// The reader of the gpu row of the device-kind table.
std::unique_ptr<DeviceModel> read_gpu_device(config::MapReader& r, const std::string& name);

}  // namespace prepsim::devices
