#include "models/calibration/host_load.h"

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <limits>

namespace prepsim::calibration {

void keep_freed_memory() {
  ::mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest allowed value on 64-bit hosts
  ::mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

namespace {

// cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user). False when
// `line` is not the total line (or has fewer than four fields); missing trailing fields read as 0.
bool parse_cpu_line(const char* line, long ticks_per_second, unsigned long long (&v)[8]) {
  std::fill(std::begin(v), std::end(v), 0ULL);
  if (line == nullptr || ticks_per_second <= 0 || std::strncmp(line, "cpu ", 4) != 0) return false;
  const int n = std::sscanf(line + 4, "%llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4],
                            &v[5], &v[6], &v[7]);
  return n >= 4;
}

}  // namespace

double parse_proc_stat_busy(const char* line, long ticks_per_second) {
  unsigned long long v[8];
  if (!parse_cpu_line(line, ticks_per_second, v)) return -1;
  const unsigned long long busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
  return static_cast<double>(busy) / static_cast<double>(ticks_per_second);
}

double parse_proc_stat_steal(const char* line, long ticks_per_second) {
  unsigned long long v[8];
  if (!parse_cpu_line(line, ticks_per_second, v)) return -1;
  return static_cast<double>(v[7]) / static_cast<double>(ticks_per_second);
}

CpuSnapshot cpu_snapshot() {
  CpuSnapshot s;
  if (std::FILE* f = std::fopen("/proc/stat", "r")) {
    char line[512];
    if (std::fgets(line, sizeof line, f) != nullptr) {
      const long ticks = ::sysconf(_SC_CLK_TCK);
      const double busy = parse_proc_stat_busy(line, ticks);
      if (busy >= 0) {
        s.all_busy_seconds = busy;
        s.steal_seconds = parse_proc_stat_steal(line, ticks);
        s.valid = true;
      }
    }
    std::fclose(f);
  }
  rusage ru{};
  if (::getrusage(RUSAGE_SELF, &ru) != 0) s.valid = false;
  s.self_seconds = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                   1e-6 * static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
  return s;
}

double others_busy_seconds(const CpuSnapshot& before, const CpuSnapshot& after) {
  if (!before.valid || !after.valid) return 0.0;
  const double all = after.all_busy_seconds - before.all_busy_seconds;
  const double self = after.self_seconds - before.self_seconds;
  return std::max(0.0, all - self);
}

double fast_quantile(std::vector<double> values, double q) {
  if (values.empty()) return std::numeric_limits<double>::infinity();
  std::sort(values.begin(), values.end());
  const double pos = std::clamp(q, 0.0, 1.0) * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(pos);
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (pos - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

double steal_seconds(const CpuSnapshot& before, const CpuSnapshot& after) {
  if (!before.valid || !after.valid) return 0.0;
  return std::max(0.0, after.steal_seconds - before.steal_seconds);
}

}  // namespace prepsim::calibration
