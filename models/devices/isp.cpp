#include "models/devices/isp.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace prepsim::devices {

using config::MapReader;
using config::Range;

namespace {

// The least n >= 0 with n x capacity >= bytes, robust to rounding of bytes / capacity.
std::int64_t ceil_div(double bytes, double capacity) {
  if (bytes <= 0) return 0;
  auto n = static_cast<std::int64_t>(std::ceil(bytes / capacity));
  while (n > 0 && static_cast<double>(n - 1) * capacity >= bytes) --n;
  while (static_cast<double>(n) * capacity < bytes) ++n;
  return n;
}

void check_sizes(double dataset_bytes, double capacity) {
  if (!(dataset_bytes >= 0)) {
    throw DeviceError(fmt::format("isp: dataset bytes must not be negative ({})", dataset_bytes));
  }
  if (!(capacity > 0)) throw DeviceError(fmt::format("isp: device capacity must be greater than zero ({})", capacity));
}

void check_skew(double skew) {
  if (!(skew >= 0 && skew < 1)) throw DeviceError(fmt::format("isp: skew must be in [0, 1) (got {})", skew));
}

}  // namespace

std::int64_t isp_min_devices(double dataset_bytes, double capacity) {
  check_sizes(dataset_bytes, capacity);
  return ceil_div(dataset_bytes, capacity);
}

std::int64_t isp_devices_for_skew(double dataset_bytes, double capacity, double skew) {
  check_sizes(dataset_bytes, capacity);
  check_skew(skew);
  std::int64_t n = ceil_div(dataset_bytes, capacity);
  if (n <= 1) return n;
  return std::max(n, ceil_div((1 + skew) * dataset_bytes, capacity));
}

std::vector<double> isp_partitions(double dataset_bytes, std::int64_t devices, double capacity, double skew) {
  check_sizes(dataset_bytes, capacity);
  check_skew(skew);
  if (devices < 1) throw DeviceError(fmt::format("isp: need at least one device (got {})", devices));
  double mean = dataset_bytes / static_cast<double>(devices);
  std::vector<double> parts(static_cast<std::size_t>(devices), mean);
  if (devices > 1) {
    double last = static_cast<double>(devices - 1);
    for (std::size_t i = 0; i < parts.size(); ++i) {
      parts[i] = mean * (1 + skew * (1 - 2 * static_cast<double>(i) / last));
    }
  }
  if (parts.front() > capacity * (1 + 1e-12)) {
    throw DeviceError(fmt::format(
        "isp: {} over {} device(s) with skew {} puts {} on the largest partition, over the device capacity {}; "
        "at least {} devices are needed",
        describe(dataset_bytes, Dim::Size), devices, skew, describe(parts.front(), Dim::Size),
        describe(capacity, Dim::Size), isp_devices_for_skew(dataset_bytes, capacity, skew)));
  }
  return parts;
}

IspPartitionTime isp_partition_time(const IspSpec& spec, const FpgaChunk& chunk, double partition_bytes) {
  if (!(chunk.link_in_bytes > 0)) throw DeviceError("isp: a chunk must have stored bytes (link_in_bytes > 0)");
  if (!(partition_bytes >= 0)) throw DeviceError("isp: partition bytes must not be negative");
  if (!(spec.ssd_read_bandwidth > 0)) throw DeviceError("isp: ssd_read_bandwidth must be greater than zero");
  FpgaPerformance perf = fpga_performance(spec.fpga, chunk);
  IspPartitionTime t;
  t.chunks = std::ceil(partition_bytes / chunk.link_in_bytes);
  double flash_rate = spec.ssd_read_bandwidth / chunk.link_in_bytes;
  t.chunks_per_s = perf.chunks_per_s;
  t.binding = perf.binding;
  if (flash_rate < t.chunks_per_s) {
    t.chunks_per_s = flash_rate;
    t.binding = "ssd_read";
  }
  if (t.chunks > 0) {
    double first = chunk.link_in_bytes / spec.ssd_read_bandwidth + perf.latency_s;
    t.seconds = first + (t.chunks - 1) / t.chunks_per_s;
  }
  return t;
}

IspSpec read_isp_spec(MapReader& r, const std::string& name) {
  IspSpec spec;
  spec.capacity = param_quantity(r, "capacity", Dim::Size, std::nullopt, Range::positive_only(), &spec.sources);
  spec.ssd_read_bandwidth =
      param_quantity(r, "ssd_read_bandwidth", Dim::Rate, std::nullopt, Range::positive_only(), &spec.sources);
  spec.fpga = read_fpga_spec(r, name);
  return spec;
}

DeviceService IspDevice::service(const std::vector<DeviceStage>& stages, double bytes_in, double bytes_out) const {
  FpgaPerformance perf = fpga_performance(spec.fpga, chunk_of(stages, bytes_in, bytes_out));
  double p2p = bytes_in > 0 ? bytes_in / spec.fpga.link_in_bandwidth + spec.fpga.link_latency : 0.0;
  return service_of(perf, {"link_out"}, p2p);
}

std::unique_ptr<DeviceModel> read_isp_device(MapReader& r, const std::string& name) {
  return std::make_unique<IspDevice>(read_isp_spec(r, name));
}

}  // namespace prepsim::devices
