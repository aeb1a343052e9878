#include "analysis/host_platform.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <vector>

namespace prepsim::analysis {

double measure_memory_bandwidth() {
  const std::size_t bytes = std::size_t{256} << 20;
  std::vector<char> a(bytes, 1), b(bytes, 2);
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    auto t0 = std::chrono::steady_clock::now();
    std::memcpy(b.data(), a.data(), bytes);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::max(best, 2.0 * static_cast<double>(bytes) / s);
    std::swap(a, b);
  }
  volatile char sink = b[bytes / 2];
  (void)sink;
  return best;
}

std::string host_platform_xml(const HostDescription& h) {
  return fmt::format(R"(<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<!-- This host, as measured by prepsim validate: per-core speed 1Gf (the calibrated core itself), {cores} cores,
     page-cache reads at {cache:.4g} B/s, memory at {mem:.4g} B/s. Power is not modelled here (0 W). -->
<platform version="4.1">
  <zone id="host" routing="Full">
    <host id="this-host" speed="1Gf" core="{cores}">
      <prop id="kind" value="cpu"/><prop id="wattage_per_state" value="0:0"/>
    </host>
    <host id="this-host-mem0" speed="{mem:.6g}f" core="1">
      <prop id="kind" value="memory"/><prop id="of" value="this-host"/><prop id="socket" value="0"/>
    </host>
    <host id="page-cache" speed="1Gf" core="1">
      <prop id="kind" value="storage"/><prop id="wattage_per_state" value="0:0"/>
      <disk id="files" read_bw="{cache:.6g}Bps" write_bw="{cache:.6g}Bps"/>
    </host>
    <host id="sink" speed="1Gf" core="1">
      <prop id="kind" value="gpu"/><prop id="wattage_per_state" value="0:0"/>
    </host>
    <link id="in-memory" bandwidth="1e15Bps" latency="0"/>
    <route src="page-cache" dst="this-host" symmetrical="NO"><link_ctn id="in-memory"/></route>
    <route src="this-host" dst="sink" symmetrical="NO"><link_ctn id="in-memory"/></route>
  </zone>
</platform>
)",
                     fmt::arg("cores", h.cores), fmt::arg("cache", h.page_cache_read_bps),
                     fmt::arg("mem", h.memory_bps));
}

}  // namespace prepsim::analysis
