#include "models/devices/device_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace prepsim::devices {

const FpgaSpec* DeviceModel::units() const {
  if (fpga) return &*fpga;
  if (isp) return &isp->fpga;
  if (smartnic) return &smartnic->device;
  return nullptr;
}

std::vector<std::string> DeviceModel::refused_ops(const std::vector<std::string>& ops) const {
  if (const FpgaSpec* u = units()) return devices::refused_ops(*u, ops);
  std::vector<std::string> out;
  for (const std::string& op : ops) {
    if (op == "read" && std::find(out.begin(), out.end(), op) == out.end()) out.push_back(op);
  }
  return out;
}

int DeviceModel::slots() const {
  if (const FpgaSpec* u = units()) return static_cast<int>(u->buffers_per_pe);
  return 2;
}

namespace {

FpgaChunk to_chunk(const std::vector<DeviceStage>& stages, double bytes_in, double bytes_out) {
  FpgaChunk c;
  c.link_in_bytes = bytes_in;
  c.link_out_bytes = bytes_out;
  for (const DeviceStage& s : stages) {
    c.stages.push_back(stage_work(s.op, std::max(1.0, s.features), s.work, s.bytes_in, s.bytes_out));
  }
  return c;
}

// Issue time and internal latency of an FPGA-based device, dropping the limits set by external links.
DeviceService from_fpga(const FpgaPerformance& perf, const std::vector<std::string>& external,
                        double internal_link_s) {
  DeviceService s;
  double rate = INFINITY;
  s.binding = "none";
  for (const RateLimit& l : perf.limits) {
    if (std::find(external.begin(), external.end(), l.resource) != external.end()) continue;
    if (l.chunks_per_s < rate) {
      rate = l.chunks_per_s;
      s.binding = l.resource;
    }
  }
  s.issue_s = std::isfinite(rate) && rate > 0 ? 1.0 / rate : 0.0;
  s.busy_s = s.issue_s;
  s.latency_s = std::max(s.issue_s, internal_link_s + perf.compute_s);
  return s;
}

}  // namespace

DeviceService device_service(const DeviceModel& m, const std::vector<DeviceStage>& stages, double bytes_in,
                             double bytes_out) {
  if (m.gpu) {
    // The chunk is staged into GPU memory on the copy engines while the kernels work on the chunk before: the
    // device issues a chunk every max(kernels, staging), its SMs busy for the kernels only.
    std::vector<GpuKernel> kernels;
    for (const DeviceStage& s : stages) {
      kernels.push_back({s.op, s.bytes_in + s.bytes_out, m.gpu->launch_per_column ? std::max(1.0, s.features) : 1.0});
    }
    DeviceService s;
    s.busy_s = gpu_seconds(*m.gpu, kernels);
    double staging = gpu_staging_seconds(*m.gpu, bytes_in);
    s.issue_s = std::max(s.busy_s, staging);
    s.latency_s = staging + s.busy_s;
    s.binding = staging > s.busy_s ? "host_link" : "kernels";
    return s;
  }
  FpgaChunk chunk = to_chunk(stages, bytes_in, bytes_out);
  if (m.isp) {
    // The P2P link is the device's own; the flash is a platform disk (the engine reads it) and the uplink a
    // platform link.
    FpgaPerformance perf = fpga_performance(m.isp->fpga, chunk);
    double p2p = bytes_in > 0 ? bytes_in / m.isp->fpga.link_in_bandwidth + m.isp->fpga.link_latency : 0.0;
    return from_fpga(perf, {"link_out"}, p2p);
  }
  if (m.smartnic) {
    FpgaPerformance perf = smartnic_performance(*m.smartnic, chunk);
    return from_fpga(perf, {"link_in", "link_out", "line_rate_in", "line_rate_out"}, 0.0);
  }
  FpgaPerformance perf = fpga_performance(*m.fpga, chunk);
  return from_fpga(perf, {"link_in", "link_out"}, 0.0);
}

bool is_device_kind(const std::string& kind) {
  return kind == "fpga" || kind == "isp" || kind == "smartnic" || kind == "gpu";
}

DeviceModel read_device_model(const std::string& kind, config::Node& node, const std::string& path,
                              const std::string& name) {
  bool named = node.find("name") != nullptr;
  DeviceModel m;
  m.kind = kind;
  if (kind == "fpga") {
    m.fpga = fpga_spec_from(node, path);
  } else if (kind == "isp") {
    m.isp = isp_spec_from(node, path);
  } else if (kind == "smartnic") {
    m.smartnic = smartnic_spec_from(node, path);
  } else if (kind == "gpu") {
    m.gpu = gpu_spec_from(node, path);
  } else {
    throw DeviceError(fmt::format("no device model for kind '{}'", kind));
  }
  if (!named && !name.empty()) {
    if (m.fpga) m.fpga->name = name;
    if (m.isp) m.isp->fpga.name = name;
    if (m.smartnic) m.smartnic->device.name = name;
    if (m.gpu) m.gpu->name = name;
  }
  return m;
}

}  // namespace prepsim::devices
