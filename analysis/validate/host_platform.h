// This host as a prepsim platform, for `prepsim validate`: one CPU host with the worker threads, a "storage" host
// whose disk reads the chunk files at the measured read bandwidth (from the page cache, or from the disk when the
// cache is dropped), a socket memory host at the measured memory bandwidth, and a "sink" trainer that takes
// batches as fast as they come (they stay in memory). The per-core speed is the calibrated core itself (1Gf):
// the cost table is this host's own calibration.
#pragma once

#include <string>
#include <vector>

namespace prepsim::analysis {

struct HostDescription {
  int cores = 1;                 // worker threads to model
  double read_bps = 0;           // B/s, measured by reading the chunk files
  bool reads_from_disk = false;  // the page cache was dropped before the read bandwidth was measured
  double memory_bps = 0;         // B/s, measured by copying large buffers (read + write bytes per second)
  int memory_threads = 1;        // threads that copied at once to measure it
  double memory_core_bps = 0;    // B/s, the same with one thread: what one worker's traffic reaches alone
};

// The copy bandwidth of this host's memory: bytes read plus bytes written per second while `threads` threads each
// copy their own 128 MiB buffer: the fast quartile of 5 repetitions (calibration::kFastTimeQuantile). Throws
// std::invalid_argument for threads < 1.
double measure_memory_bandwidth(int threads = 1);

// Bytes per second of reading `files` whole the way the pipeline's read stage reads them: read(2) into one reused
// buffer that the chunk's decode (run after each read, untimed) has pushed out of the caches, as the rest of the
// pipeline does between two reads. Back to back, the buffer stayed in cache and reads looked 2-3x faster than the
// pipeline's (docs/validation.md). The fast quartile of 5 passes (the estimator the calibration and the passes
// take: calibration::kFastTimeQuantile). With `drop_caches` the page cache is dropped before each pass
// when /proc/sys/vm/drop_caches is writable; *from_disk says whether it was. Throws std::runtime_error when a file
// cannot be read.
double measure_read_bandwidth(const std::vector<std::string>& files, bool drop_caches, bool* from_disk);

// SimGrid XML v4.1 text of the platform; hosts "this-host", "this-host-mem0", "storage", "sink".
std::string host_platform_xml(const HostDescription& host);

// One line for the console: what the platform says about this host and where its numbers come from.
std::string describe_host(const HostDescription& host, const std::string& calibration);

}  // namespace prepsim::analysis
