#include "models/devices/smartnic.h"

#include <gtest/gtest.h>

#include <limits>
#include <numeric>

namespace prepsim::devices {
namespace {

const double kInf = std::numeric_limits<double>::infinity();

// One hash unit that takes 1 ms per chunk (1 feature of 1e6 elements at 1 GHz); memory and links never bind.
SmartNicSpec nic(double line_rate) {
  SmartNicSpec s;
  s.line_rate = line_rate;
  s.device.name = "nic";
  FpgaUnit u;
  u.name = "hash";
  u.ops = {"sigrid_hash"};
  u.clock_hz = 1e9;
  s.device.units = {u};
  s.device.dram_bandwidth = 1e15;
  s.device.dram_capacity = 1e15;
  s.device.link_in_bandwidth = 1e15;
  s.device.link_out_bandwidth = 1e15;
  return s;
}

FpgaChunk chunk(double wire_bytes) { return {{{"sigrid_hash", 1, 1e6, 0, 0}}, wire_bytes, 0}; }

TEST(SmartNic, CappedByLineRate) {
  // 10 Gb/s = 1.25 GB/s; 12.5 MB chunks: 100 chunks/s on the wire, below the unit's 1,000.
  FpgaPerformance p = smartnic_performance(nic(1.25e9), chunk(12.5e6));
  EXPECT_EQ(p.binding, "line_rate_in");
  EXPECT_NEAR(p.chunks_per_s, 100, 1e-9);
  // At 100 Gb/s the wire carries 1,000 chunks/s and a slower unit binds instead.
  SmartNicSpec fast = nic(12.5e9);
  fast.device.units[0].clock_hz = 0.5e9;  // 2 ms per chunk
  p = smartnic_performance(fast, chunk(12.5e6));
  EXPECT_EQ(p.binding, "unit:hash");
  EXPECT_NEAR(p.chunks_per_s, 500, 1e-9);
}

TEST(SmartNic, WhatItSendsBackOnTheWireIsCappedToo) {
  FpgaPerformance p = smartnic_performance(nic(1.25e9), chunk(1e6), WireBytes{1e6, 5e6});
  EXPECT_EQ(p.binding, "line_rate_out");
  EXPECT_NEAR(p.chunks_per_s, 250, 1e-9);
}

TEST(SmartNic, FlowsShareItMaxMinFairly) {
  SmartNicSpec s = nic(1.25e9);
  FpgaChunk c = chunk(12.5e6);  // the NIC serves 100 chunks/s
  EXPECT_NEAR(smartnic_rate_per_flow(s, c, 1), 100, 1e-9);
  EXPECT_NEAR(smartnic_rate_per_flow(s, c, 4), 25, 1e-9);
  std::vector<double> r = smartnic_flow_rates(s, c, {10, kInf, kInf});
  EXPECT_NEAR(r[0], 10, 1e-9);  // asks for less than its share, gets what it asks
  EXPECT_NEAR(r[1], 45, 1e-9);  // the rest split evenly
  EXPECT_NEAR(r[2], 45, 1e-9);
  r = smartnic_flow_rates(s, c, {30, 20});  // under capacity: everyone is served
  EXPECT_NEAR(r[0], 30, 1e-9);
  EXPECT_NEAR(r[1], 20, 1e-9);
  EXPECT_THROW(smartnic_rate_per_flow(s, c, 0), DeviceError);
}

TEST(SmartNic, MaxMinShareNeverExceedsCapacityOrDemand) {
  std::vector<double> demands = {5, 50, 1, kInf, 20, 20};
  std::vector<double> r = max_min_share(60, demands);
  EXPECT_NEAR(std::accumulate(r.begin(), r.end(), 0.0), 60, 1e-9);
  for (std::size_t i = 0; i < r.size(); ++i) EXPECT_LE(r[i], demands[i] + 1e-12);
  // 1 and 5 are served; 54 left for four flows: 13.5 each (20, 20, 50 and inf all ask more).
  EXPECT_NEAR(r[0], 5, 1e-12);
  EXPECT_NEAR(r[2], 1, 1e-12);
  EXPECT_NEAR(r[3], 13.5, 1e-12);
  EXPECT_NEAR(r[4], 13.5, 1e-12);
  EXPECT_THROW(max_min_share(-1, {1}), DeviceError);
  EXPECT_THROW(max_min_share(1, {-1}), DeviceError);
}

TEST(SmartNic, ZeroLineRateIsRefused) { EXPECT_THROW(smartnic_performance(nic(0), chunk(1)), DeviceError); }

}  // namespace
}  // namespace prepsim::devices
