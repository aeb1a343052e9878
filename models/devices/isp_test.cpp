#include "models/devices/isp.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <string>

#include "models/config/input_error.h"
#include "models/config/yaml_doc.h"

namespace prepsim::devices {
namespace {

TEST(Isp, DeviceCountNeverBelowDatasetOverCapacity) {
  const std::vector<double> capacities = {0.1, 1.0, 3.84e12, 7.68e12};
  const std::vector<double> fractions = {0.0, 1e-9, 0.3, 0.7, 1.0, 1.0000001, 2.5, 3.0, 12.34, 1000.0};
  for (double c : capacities) {
    for (double f : fractions) {
      double d = f * c;
      std::int64_t n = isp_min_devices(d, c);
      EXPECT_GE(static_cast<double>(n) * c, d) << d << " on " << c;
      if (n > 0) {
        EXPECT_LT(static_cast<double>(n - 1) * c, d) << d << " on " << c << ": one fewer would do";
      }
      for (double skew : {0.0, 0.3, 0.9}) EXPECT_GE(isp_devices_for_skew(d, c, skew), n);
    }
  }
  EXPECT_EQ(isp_min_devices(0.3, 0.1), 3);  // 0.3 / 0.1 = 2.9999999999999996 in doubles
  EXPECT_EQ(isp_min_devices(3 * 3.84e12, 3.84e12), 3);
  EXPECT_EQ(isp_min_devices(0, 1), 0);
  EXPECT_THROW(isp_min_devices(1, 0), DeviceError);
}

TEST(Isp, SkewNeedsRoomForTheLargestPartition) {
  EXPECT_EQ(isp_devices_for_skew(10, 3.84, 0.0), 3);
  EXPECT_EQ(isp_devices_for_skew(10, 3.84, 0.2), 4);  // the largest of 3 would hold 4 > 3.84
  EXPECT_EQ(isp_devices_for_skew(3, 3.84, 0.9), 1);   // one device holds it all: no skew
  for (double skew : {0.0, 0.2, 0.5, 0.95}) {
    std::int64_t n = isp_devices_for_skew(100, 7, skew);
    EXPECT_NO_THROW(isp_partitions(100, n, 7, skew)) << skew;
    if (n > 2) {
      EXPECT_THROW(isp_partitions(100, n - 1, 7, skew), DeviceError) << skew;
    }
  }
  EXPECT_THROW(isp_devices_for_skew(10, 1, 1.0), DeviceError);
}

TEST(Isp, PartitionsSumToTheDatasetAndTheLargestIsOnePlusSkewTimesTheMean) {
  const double d = 1e13;
  for (std::int64_t n : {2, 4, 7}) {
    for (double skew : {0.0, 0.2, 0.6}) {
      std::vector<double> p = isp_partitions(d, n, 1e13, skew);
      ASSERT_EQ(p.size(), static_cast<std::size_t>(n));
      double mean = d / static_cast<double>(n);
      EXPECT_NEAR(std::accumulate(p.begin(), p.end(), 0.0), d, d * 1e-12);
      EXPECT_NEAR(p.front(), (1 + skew) * mean, mean * 1e-12);
      EXPECT_NEAR(p.back(), (1 - skew) * mean, mean * 1e-12);
      EXPECT_TRUE(std::is_sorted(p.rbegin(), p.rend())) << "largest first";
    }
  }
  EXPECT_EQ(isp_partitions(5, 1, 5, 0.5), (std::vector<double>{5}));
}

TEST(Isp, PartitionsOverCapacityOrBadSkewAreRefused) {
  try {
    isp_partitions(10, 3, 3.84, 0.2);
    FAIL() << "a partition over capacity was accepted";
  } catch (const DeviceError& e) {
    EXPECT_NE(std::string(e.what()).find("at least 4 devices"), std::string::npos) << e.what();
  }
  EXPECT_THROW(isp_partitions(10, 4, 3.84, 1.0), DeviceError);
  EXPECT_THROW(isp_partitions(10, 4, 3.84, -0.1), DeviceError);
  EXPECT_THROW(isp_partitions(10, 0, 3.84, 0.0), DeviceError);
}

IspSpec small_isp() {
  IspSpec s;
  s.capacity = 1e12;
  s.ssd_read_bandwidth = 1e9;
  s.fpga.name = "isp";
  FpgaUnit u;
  u.name = "log";
  u.ops = {"log"};
  u.clock_hz = 1e9;
  s.fpga.units = {u};
  s.fpga.dram_bandwidth = 1e15;
  s.fpga.dram_capacity = 1e15;
  s.fpga.link_in_bandwidth = 1e8;  // P2P: 100 chunks/s of 1 MB
  s.fpga.link_out_bandwidth = 1e15;
  return s;
}

TEST(Isp, PartitionTimeIsFirstChunkLatencyPlusTheRestAtTheBindingRate) {
  IspSpec s = small_isp();
  FpgaChunk c{{{"log", 1, 1000, 0, 0}}, 1e6, 0};
  IspPartitionTime t = isp_partition_time(s, c, 1e8 - 1);  // 100 chunks, the last one partial
  EXPECT_EQ(t.chunks, 100);
  EXPECT_EQ(t.binding, "link_in");
  EXPECT_NEAR(t.chunks_per_s, 100, 1e-9);
  double first = 1e6 / 1e9 + fpga_performance(s.fpga, c).latency_s;
  EXPECT_NEAR(t.seconds, first + 99.0 / 100, 1e-12);
  s.fpga.link_in_bandwidth = 1e10;  // now the flash is slower than the P2P link
  t = isp_partition_time(s, c, 1e8);
  EXPECT_EQ(t.binding, "ssd_read");
  EXPECT_NEAR(t.chunks_per_s, 1000, 1e-9);
  EXPECT_EQ(isp_partition_time(s, c, 0).seconds, 0);
}

}  // namespace
}  // namespace prepsim::devices
