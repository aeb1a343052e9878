// How much CPU time other processes took on this host during a measurement: the busy time of all CPUs
// (/proc/stat: user, nice, system, irq, softirq, steal) minus this process's own CPU time (getrusage). On a host
// whose cores share caches and memory bandwidth, another process on *another* core still slows a measurement, and
// a thread's own CPU clock cannot see it; this can. `prepsim calibrate` retries grid points and `prepsim validate`
// discards passes that ran next to other work (runner.h, models/validation/real_pipeline.h).
#pragma once

#include <vector>

namespace prepsim::calibration {

// The host's fast state: a decode sentinel within this ratio of the fastest seen (models/validation/sentinel.h).
// On the project's VMs a sentinel reads 1.04-1.17 when the neighbours are quiet and 1.28-1.54 when they load the
// shared cache and memory, nothing between (docs/validation.md): 1.2 separates the two. Calibration rounds
// (runner.h) and validation passes (models/validation/real_pipeline.h) count only in the fast state.
inline constexpr double kFastHostRatio = 1.2;

// The estimator of an undisturbed time, on both sides of the model: the fast quartile (the 0.25 quantile of the
// times of repeated measurements, linearly interpolated; for throughputs, their 0.75 quantile). Noise only slows
// a host, so the fast end of repeated measurements is its undisturbed speed; calibration and validation must take
// the same end, or the model inherits the gap between them (a minimum against a fast quartile made every
// validation point ~4% optimistic: docs/validation.md).
inline constexpr double kFastTimeQuantile = 0.25;
// The q quantile of `values` (linear interpolation between order statistics); +infinity when empty.
double fast_quantile(std::vector<double> values, double q = kFastTimeQuantile);

struct CpuSnapshot {
  double all_busy_seconds = 0;  // summed over CPUs since boot; 0 when /proc/stat cannot be read
  double steal_seconds = 0;     // of which the hypervisor ran something else on our vCPUs (/proc/stat "steal")
  double self_seconds = 0;      // this process, user + system
  bool valid = false;
};

CpuSnapshot cpu_snapshot();

// CPU seconds used by everything but this process between two snapshots (>= 0; 0 when either is invalid). Its
// resolution is the kernel's accounting tick (usually 10 ms per CPU).
double others_busy_seconds(const CpuSnapshot& before, const CpuSnapshot& after);
// Steal time of all CPUs between two snapshots (>= 0; 0 when either is invalid).
double steal_seconds(const CpuSnapshot& before, const CpuSnapshot& after);

// Makes glibc's malloc keep freed memory in the process (mallopt: M_MMAP_THRESHOLD 32 MiB, M_TRIM_THRESHOLD 1 GiB)
// for the rest of the process. By default a freed chunk-sized buffer may be returned to the kernel and faulted back
// in at the next chunk, or not, depending on the allocation history: on the reference VM that made decode's time
// bimodal (+-40%). `prepsim calibrate` and `prepsim validate` both call it, so kernels are timed in one regime, the
// one of a worker that reuses its memory from chunk to chunk.
void keep_freed_memory();

// Parses the first ("cpu ") line of /proc/stat into busy seconds given the clock ticks per second; -1 when it is
// not such a line. Exposed for tests.
double parse_proc_stat_busy(const char* line, long ticks_per_second);
// The same line's steal seconds (its 8th field; 0 on kernels that do not report it); -1 when it is not such a line.
double parse_proc_stat_steal(const char* line, long ticks_per_second);

}  // namespace prepsim::calibration
