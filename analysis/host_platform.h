// This host as a prepsim platform, for `prepsim validate`: one CPU host with the worker threads, a "page-cache"
// storage host whose disk reads at the measured page-cache read bandwidth, a socket memory host at the measured
// memory bandwidth, and a "sink" trainer that takes batches as fast as they come (they stay in memory).
#pragma once

#include <string>

namespace prepsim::analysis {

struct HostDescription {
  int cores = 1;                  // worker threads to model
  double page_cache_read_bps = 0; // B/s, measured by reading the chunk files
  double memory_bps = 0;          // B/s, measured by copying a large buffer (read + write bytes per second)
};

// Measures the copy bandwidth of this host's memory: bytes read and written per second over a 256 MiB buffer,
// best of several repetitions.
double measure_memory_bandwidth();

// SimGrid XML v4.1 text of the platform; hosts "this-host", "this-host-mem0", "page-cache", "sink".
std::string host_platform_xml(const HostDescription& host);

}  // namespace prepsim::analysis
