#include "models/devices/gpu.h"

#include <fmt/format.h>

#include <algorithm>

#include "models/op_registry.h"

namespace prepsim::devices {

using config::MapReader;
using config::Node;
using config::Range;

double gpu_kernel_seconds(const GpuSpec& spec, const GpuKernel& kernel) {
  if (find_op(kernel.op) == nullptr) {
    throw DeviceError(fmt::format("gpu '{}': unknown op '{}'; known ops: {}", spec.name, kernel.op, op_names_joined()));
  }
  if (kernel.bytes < 0 || kernel.launches < 0) {
    throw DeviceError(fmt::format("gpu '{}': kernel '{}' has a negative size", spec.name, kernel.op));
  }
  auto it = spec.op_bandwidth.find(kernel.op);
  double bw = it != spec.op_bandwidth.end() ? it->second : spec.achieved_bandwidth;
  if (!(bw > 0)) throw DeviceError(fmt::format("gpu '{}': achieved bandwidth must be greater than zero", spec.name));
  auto e = spec.op_software_efficiency.find(kernel.op);
  double eff = e != spec.op_software_efficiency.end() ? e->second : spec.software_efficiency;
  if (!(eff > 0 && eff <= 1)) {
    throw DeviceError(fmt::format("gpu '{}': software efficiency must be in (0, 1] (got {})", spec.name, eff));
  }
  return kernel.launches * spec.launch_overhead + kernel.bytes / (bw * eff);
}

double gpu_staging_seconds(const GpuSpec& spec, double bytes) {
  if (bytes < 0) throw DeviceError(fmt::format("gpu '{}': staged bytes must not be negative", spec.name));
  return spec.host_link_bandwidth > 0 ? bytes / spec.host_link_bandwidth : 0.0;
}

double gpu_seconds(const GpuSpec& spec, const std::vector<GpuKernel>& kernels) {
  double s = 0;
  for (const auto& k : kernels) s += gpu_kernel_seconds(spec, k);
  return s;
}

TrainerImpact gpu_on_trainer(double step_s, double preprocess_s_per_step, double overlap) {
  if (!(step_s > 0)) throw DeviceError(fmt::format("gpu on trainer: step time must be greater than zero ({})", step_s));
  if (!(preprocess_s_per_step >= 0)) throw DeviceError("gpu on trainer: preprocessing time must not be negative");
  if (!(overlap >= 0 && overlap <= 1)) {
    throw DeviceError(fmt::format("gpu on trainer: overlap must be in [0, 1] (got {})", overlap));
  }
  TrainerImpact t;
  t.step_s = step_s;
  t.preprocess_s = preprocess_s_per_step;
  t.new_step_s = std::max(step_s + (1 - overlap) * preprocess_s_per_step, preprocess_s_per_step);
  t.throughput_ratio = step_s / t.new_step_s;
  return t;
}

TrainerImpact gpu_on_trainer(const GpuSpec& spec, double step_s, const std::vector<GpuKernel>& kernels_per_chunk,
                             double chunks_per_step) {
  if (!(chunks_per_step >= 0)) throw DeviceError("gpu on trainer: chunks per step must not be negative");
  return gpu_on_trainer(step_s, gpu_seconds(spec, kernels_per_chunk) * chunks_per_step, spec.trainer_overlap);
}

SeparateGpuCost separate_gpu_cost(const Sku& sku, std::int64_t gpus) {
  if (sku.kind != "gpu") throw DeviceError(fmt::format("sku '{}' is a {}, not a gpu", sku.name, sku.kind));
  if (!sku.capex || !sku.power_busy || !sku.lifetime) {
    throw DeviceError(fmt::format("sku '{}' needs capex, lifetime and power_busy to be a preprocessing GPU", sku.name));
  }
  if (gpus < 0) throw DeviceError("gpu count must not be negative");
  SeparateGpuCost c;
  c.gpus = gpus;
  c.capex = static_cast<double>(gpus) * sku.capex->value;
  c.power_w = static_cast<double>(gpus) * sku.power_busy->value;
  c.lifetime_s = sku.lifetime->value;
  return c;
}

GpuSpec read_gpu_spec(MapReader& r, const std::string& name) {
  GpuSpec spec;
  Sources* src = &spec.sources;
  spec.name = r.string("name", name);
  spec.achieved_bandwidth =
      param_quantity(r, "achieved_bandwidth", Dim::Rate, std::nullopt, Range::positive_only(), src);
  spec.launch_overhead = param_quantity(r, "launch_overhead", Dim::Time, std::nullopt, Range::non_negative_only(), src);
  spec.trainer_overlap = param_quantity(r, "trainer_overlap", Dim::Ratio, "0", Range::fraction(), src);
  // Per-op maps: op -> value, unknown ops refused.
  auto per_op = [&](const char* key, Dim dim, Range range, std::map<std::string, double>& out) {
    Node* ops = r.map(key, true);
    if (ops == nullptr) return;
    MapReader ro(*ops, r.child_path(key));
    for (auto& [op, body] : ops->entries) {
      if (find_op(op) == nullptr) ro.fail(op, fmt::format("unknown op; known ops: {}", op_names_joined()));
      out[op] = param_quantity(ro, op, dim, std::nullopt, range, src, std::string(key) + ".");
    }
    ro.finish();
  };
  per_op("op_bandwidth", Dim::Rate, Range::positive_only(), spec.op_bandwidth);
  spec.software = r.string("software", "kernels at the achieved bandwidth");
  spec.software_efficiency = param_quantity(r, "software_efficiency", Dim::Ratio, "1", Range::positive_fraction(), src);
  per_op("op_software_efficiency", Dim::Ratio, Range::positive_fraction(), spec.op_software_efficiency);
  spec.launch_per_column = param_boolean(r, "launch_per_column", false, src);
  spec.host_link_bandwidth = param_quantity(r, "host_link", Dim::Rate, "0B/s", Range::non_negative_only(), src);
  return spec;
}

std::vector<std::string> GpuDevice::refused_ops(const std::vector<std::string>& ops) const {
  std::vector<std::string> out;
  for (const std::string& op : ops) {
    if (op == "read" && std::find(out.begin(), out.end(), op) == out.end()) out.push_back(op);
  }
  return out;
}

DeviceService GpuDevice::service(const std::vector<DeviceStage>& stages, double bytes_in, double) const {
  std::vector<GpuKernel> kernels;
  for (const DeviceStage& s : stages) {
    kernels.push_back({s.op, s.bytes_in + s.bytes_out, spec.launch_per_column ? std::max(1.0, s.features) : 1.0});
  }
  DeviceService s;
  s.busy_s = gpu_seconds(spec, kernels);
  double staging = gpu_staging_seconds(spec, bytes_in);
  s.issue_s = std::max(s.busy_s, staging);
  s.latency_s = staging + s.busy_s;
  s.binding = staging > s.busy_s ? "host_link" : "kernels";
  return s;
}

std::unique_ptr<DeviceModel> read_gpu_device(MapReader& r, const std::string& name) {
  return std::make_unique<GpuDevice>(read_gpu_spec(r, name));
}

}  // namespace prepsim::devices
