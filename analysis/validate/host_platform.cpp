#include "analysis/validate/host_platform.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "models/calibration/host_load.h"
#include "models/data/chunk_file.h"
#include "models/validation/chunk_runner.h"
#include "models/validation/real_pipeline.h"

namespace prepsim::analysis {

namespace {
using Clock = std::chrono::steady_clock;
constexpr int kReadPasses = 5;
}  // namespace

double measure_memory_bandwidth(int threads) {
  if (threads < 1) throw std::invalid_argument("measure_memory_bandwidth: threads must be >= 1");
  const std::size_t bytes = std::size_t{128} << 20;
  std::vector<std::vector<char>> src(static_cast<std::size_t>(threads)), dst(src.size());
  for (std::size_t i = 0; i < src.size(); ++i) {
    src[i].assign(bytes, 1);
    dst[i].assign(bytes, 2);
  }
  std::vector<double> seconds;
  for (int rep = 0; rep < 5; ++rep) {
    std::vector<std::thread> pool;
    const auto t0 = Clock::now();
    for (std::size_t i = 0; i < src.size(); ++i) {
      pool.emplace_back([&, i] { std::memcpy(dst[i].data(), src[i].data(), bytes); });
    }
    for (std::thread& t : pool) t.join();
    seconds.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    std::swap(src, dst);
  }
  return 2.0 * static_cast<double>(bytes) * threads / calibration::fast_quantile(seconds);
}

double measure_read_bandwidth(const std::vector<std::string>& files, bool drop_caches, bool* from_disk) {
  std::vector<std::uint8_t> buffer;
  data::ColumnarBatch decoded;
  std::vector<double> rates;
  bool dropped = drop_caches;
  for (int rep = 0; rep < kReadPasses; ++rep) {
    if (drop_caches) dropped = validation::drop_page_cache() && dropped;
    double bytes = 0, seconds = 0;
    for (const std::string& f : files) {
      const auto t0 = Clock::now();
      validation::read_chunk_bytes(f, buffer);
      seconds += std::chrono::duration<double>(Clock::now() - t0).count();
      bytes += static_cast<double>(buffer.size());
      decoded = data::decode_chunk(buffer);  // untimed: leaves the caches as the pipeline's next read finds them
    }
    rates.push_back(bytes / seconds);
  }
  if (from_disk != nullptr) *from_disk = dropped;
  return calibration::fast_quantile(rates, 1 - calibration::kFastTimeQuantile);
}

std::string host_platform_xml(const HostDescription& h) {
  return fmt::format(R"(<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<!-- This host, as measured by prepsim validate: per-core speed 1Gf (the calibrated core itself), {cores} cores,
     reads from the {from} at {read:.4g} B/s, memory at {mem:.4g} B/s ({mt} copying threads), {core:.4g} B/s
     for one thread alone. Power is not modelled
     here (0 W). -->
<platform version="4.1">
  <zone id="host" routing="Full">
    <host id="this-host" speed="1Gf" core="{cores}">
      <prop id="kind" value="cpu"/><prop id="wattage_per_state" value="0:0"/>
    </host>
    <host id="this-host-mem0" speed="{mem:.6g}f" core="1">
      <prop id="kind" value="memory"/><prop id="of" value="this-host"/><prop id="socket" value="0"/>
      <prop id="per_core_bandwidth" value="{core:.6g}Bps"/>
    </host>
    <host id="storage" speed="1Gf" core="1">
      <prop id="kind" value="storage"/><prop id="wattage_per_state" value="0:0"/>
      <disk id="files" read_bw="{read:.6g}Bps" write_bw="{read:.6g}Bps"/>
    </host>
    <host id="sink" speed="1Gf" core="1">
      <prop id="kind" value="gpu"/><prop id="wattage_per_state" value="0:0"/>
    </host>
    <link id="in-memory" bandwidth="1e15Bps" latency="0"/>
    <route src="storage" dst="this-host" symmetrical="NO"><link_ctn id="in-memory"/></route>
    <route src="this-host" dst="sink" symmetrical="NO"><link_ctn id="in-memory"/></route>
  </zone>
</platform>
)",
                     fmt::arg("cores", h.cores), fmt::arg("read", h.read_bps), fmt::arg("mem", h.memory_bps),
                     fmt::arg("mt", h.memory_threads), fmt::arg("core", h.memory_core_bps), fmt::arg("from", h.reads_from_disk ? "disk" : "page cache"));
}

std::string describe_host(const HostDescription& h, const std::string& calibration) {
  return fmt::format("this host: per-core speed and op costs from {} (the calibrated core, 1Gf); memory {:.1f} GB/s "
                     "(copy, {} thread{}; {:.1f} GB/s for one); chunk files read from the {}\n",
                     calibration, h.memory_bps / 1e9, h.memory_threads, h.memory_threads == 1 ? "" : "s",
                     h.memory_core_bps / 1e9,
                     h.reads_from_disk ? "disk (page cache dropped before every pass)" : "page cache (not dropped)");
}

}  // namespace prepsim::analysis
