#include "models/calibration/host_load.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace prepsim::calibration {
namespace {

// user nice system idle iowait irq softirq steal: busy = user + nice + system + irq + softirq + steal.
TEST(HostLoad, ParsesTheCpuLineOfProcStat) {
  EXPECT_DOUBLE_EQ(parse_proc_stat_busy("cpu  100 5 20 9000 7 1 2 3 0 0\n", 100), (100 + 5 + 20 + 1 + 2 + 3) / 100.0);
  EXPECT_DOUBLE_EQ(parse_proc_stat_busy("cpu  100 0 50 9000\n", 50), 3.0);  // older kernels: four fields
  EXPECT_LT(parse_proc_stat_busy("cpu0 100 0 50 9000\n", 100), 0);          // one CPU's line, not the total
  EXPECT_LT(parse_proc_stat_busy("intr 1 2 3\n", 100), 0);
  EXPECT_LT(parse_proc_stat_busy("cpu  1 2\n", 100), 0);
  EXPECT_LT(parse_proc_stat_busy(nullptr, 100), 0);
  EXPECT_DOUBLE_EQ(parse_proc_stat_steal("cpu  100 5 20 9000 7 1 2 3 0 0\n", 100), 0.03);
  EXPECT_DOUBLE_EQ(parse_proc_stat_steal("cpu  100 0 50 9000\n", 50), 0.0);  // not reported: none
  EXPECT_LT(parse_proc_stat_steal("cpu0 100 0 50 9000 0 0 0 7\n", 100), 0);
}

// This process's own work is not "others": after 0.1 s of CPU here, others' time is the host's busy time minus it.
TEST(HostLoad, OwnWorkIsNotCountedAsOthers) {
  const CpuSnapshot a = cpu_snapshot();
  ASSERT_TRUE(a.valid);
  volatile double x = 0;
  while (cpu_snapshot().self_seconds - a.self_seconds < 0.1) {
    for (int i = 0; i < 100000; ++i) x = x + 1;
  }
  const CpuSnapshot b = cpu_snapshot();
  const double all = b.all_busy_seconds - a.all_busy_seconds;
  EXPECT_GE(others_busy_seconds(a, b), 0.0);
  EXPECT_LE(others_busy_seconds(a, b), std::max(0.0, all - 0.05));  // 0.1 s of ours left out, ticks aside
  EXPECT_EQ(others_busy_seconds(CpuSnapshot{}, b), 0.0);             // an unreadable snapshot says nothing
}

}  // namespace
}  // namespace prepsim::calibration
