#include "models/devices/smartnic.h"

#include <fmt/format.h>

#include <limits>

namespace prepsim::devices {

using config::MapReader;
using config::Range;

WireBytes wire_bytes_of(const FpgaChunk& chunk) { return {chunk.link_in_bytes, 0.0}; }

FpgaPerformance smartnic_performance(const SmartNicSpec& spec, const FpgaChunk& chunk, const WireBytes& wire) {
  if (!(spec.line_rate > 0)) {
    throw DeviceError(fmt::format("smartnic '{}': line_rate must be greater than zero", spec.device.name));
  }
  if (wire.in < 0 || wire.out < 0) {
    throw DeviceError(fmt::format("smartnic '{}': wire bytes must not be negative", spec.device.name));
  }
  FpgaPerformance perf = fpga_performance(spec.device, chunk);
  if (wire.in > 0) perf.limits.push_back({"line_rate_in", spec.line_rate / wire.in});
  if (wire.out > 0) perf.limits.push_back({"line_rate_out", spec.line_rate / wire.out});
  choose_binding(perf);
  return perf;
}

FpgaPerformance smartnic_performance(const SmartNicSpec& spec, const FpgaChunk& chunk) {
  return smartnic_performance(spec, chunk, wire_bytes_of(chunk));
}

std::vector<double> smartnic_flow_rates(const SmartNicSpec& spec, const FpgaChunk& chunk,
                                        const std::vector<double>& demands) {
  return max_min_share(smartnic_performance(spec, chunk).chunks_per_s, demands);
}

double smartnic_rate_per_flow(const SmartNicSpec& spec, const FpgaChunk& chunk, std::int64_t flows) {
  if (flows < 1) throw DeviceError(fmt::format("smartnic '{}': need at least one flow", spec.device.name));
  std::vector<double> greedy(static_cast<std::size_t>(flows), std::numeric_limits<double>::infinity());
  return smartnic_flow_rates(spec, chunk, greedy).front();
}

SmartNicSpec read_smartnic_spec(MapReader& r, const std::string& name) {
  SmartNicSpec spec;
  spec.line_rate = param_quantity(r, "line_rate", Dim::Rate, std::nullopt, Range::positive_only(), &spec.sources);
  spec.device = read_fpga_spec(r, name);
  return spec;
}

DeviceService SmartNicDevice::service(const std::vector<DeviceStage>& stages, double bytes_in,
                                      double bytes_out) const {
  FpgaPerformance perf = smartnic_performance(spec, chunk_of(stages, bytes_in, bytes_out));
  return service_of(perf, {"link_in", "link_out", "line_rate_in", "line_rate_out"}, 0.0);
}

std::unique_ptr<DeviceModel> read_smartnic_device(MapReader& r, const std::string& name) {
  return std::make_unique<SmartNicDevice>(read_smartnic_spec(r, name));
}

}  // namespace prepsim::devices
