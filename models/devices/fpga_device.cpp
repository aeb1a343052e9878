// The device model of the FPGA-based kinds (fpga.h: FpgaBasedDevice) and of an FPGA card (FpgaDevice).
#include <algorithm>
#include <cmath>

#include "models/devices/fpga.h"

namespace prepsim::devices {

std::vector<std::string> FpgaBasedDevice::refused_ops(const std::vector<std::string>& ops) const {
  return devices::refused_ops(units(), ops);
}

int FpgaBasedDevice::slots() const { return static_cast<int>(units().buffers_per_pe); }

FpgaChunk FpgaBasedDevice::chunk_of(const std::vector<DeviceStage>& stages, double bytes_in, double bytes_out) {
  FpgaChunk c;
  c.link_in_bytes = bytes_in;
  c.link_out_bytes = bytes_out;
  for (const DeviceStage& s : stages) {
    c.stages.push_back(stage_work(s.op, std::max(1.0, s.features), s.work, s.bytes_in, s.bytes_out));
  }
  return c;
}

DeviceService FpgaBasedDevice::service_of(const FpgaPerformance& perf, const std::vector<std::string>& external,
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

DeviceService FpgaDevice::service(const std::vector<DeviceStage>& stages, double bytes_in, double bytes_out) const {
  FpgaPerformance perf = fpga_performance(spec, chunk_of(stages, bytes_in, bytes_out));
  return service_of(perf, {"link_in", "link_out"}, 0.0);
}

std::unique_ptr<DeviceModel> read_fpga_device(config::MapReader& r, const std::string& name) {
  return std::make_unique<FpgaDevice>(read_fpga_spec(r, name));
}

}  // namespace prepsim::devices
