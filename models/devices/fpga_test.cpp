#include "models/devices/fpga.h"

#include <gtest/gtest.h>

#include <string>

namespace prepsim::devices {
namespace {

FpgaUnit unit(std::string name, std::vector<std::string> ops, std::vector<std::string> after, double clock = 1e6,
              std::int64_t pes = 1, double epc = 1, double latency = 0) {
  FpgaUnit u;
  u.name = std::move(name);
  u.ops = std::move(ops);
  u.after = std::move(after);
  u.clock_hz = clock;
  u.pes = pes;
  u.elements_per_cycle = epc;
  u.latency_cycles = latency;
  return u;
}

// Memory, DRAM and links so large they never bind.
FpgaSpec roomy(std::vector<FpgaUnit> units, bool pipelined = true) {
  FpgaSpec s;
  s.name = "test";
  s.units = std::move(units);
  s.dram_bandwidth = 1e15;
  s.dram_capacity = 1e15;
  s.link_in_bandwidth = 1e15;
  s.link_out_bandwidth = 1e15;
  s.pipelined_across_chunks = pipelined;
  return s;
}

FpgaStageWork stage(std::string op, double features, double elements_per_feature, double in = 0, double out = 0) {
  return {std::move(op), features, elements_per_feature, in, out};
}

// a -> b -> c at 1 MHz, one PE, one element per cycle: 1 ms, 2 ms and 3 ms per chunk.
FpgaSpec chain(bool pipelined) {
  return roomy({unit("a", {"decode"}, {}), unit("b", {"bucketize"}, {"a"}), unit("c", {"log"}, {"b"})}, pipelined);
}
FpgaChunk chain_chunk() {
  return {{stage("decode", 1, 1000), stage("bucketize", 1, 2000), stage("log", 1, 3000)}, 0, 0};
}

TEST(Fpga, PipelinedChainThroughputIsSlowestUnitLatencyIsTheSum) {
  FpgaPerformance p = fpga_performance(chain(true), chain_chunk());
  EXPECT_NEAR(p.latency_s, 0.006, 1e-12);
  EXPECT_NEAR(p.chunks_per_s, 1.0 / 0.003, 1e-6);
  EXPECT_EQ(p.binding, "unit:c");
  EXPECT_EQ(p.critical_path, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(p.units.size(), 3u);
  EXPECT_NEAR(p.units[1].seconds, 0.002, 1e-12);
}

TEST(Fpga, UnpipelinedChainThroughputIsOneOverTheSum) {
  FpgaPerformance p = fpga_performance(chain(false), chain_chunk());
  EXPECT_NEAR(p.latency_s, 0.006, 1e-12);
  EXPECT_NEAR(p.chunks_per_s, 1.0 / 0.006, 1e-6);
  EXPECT_EQ(p.binding, "units");
}

TEST(Fpga, LatencyIsTheLongestPathNotTheSumOfUnits) {
  // d -> {x: 1 ms, y: 3 ms} -> p: the branches run side by side on one chunk.
  FpgaSpec s = roomy({unit("d", {"decode"}, {}), unit("x", {"bucketize"}, {"d"}), unit("y", {"sigrid_hash"}, {"d"}),
                      unit("p", {"to_kjt"}, {"x", "y"})},
                     false);
  FpgaChunk c{{stage("decode", 1, 1000), stage("bucketize", 1, 1000), stage("sigrid_hash", 1, 3000),
               stage("to_kjt", 1, 500)},
              0, 0};
  FpgaPerformance p = fpga_performance(s, c);
  EXPECT_NEAR(p.latency_s, 0.0045, 1e-12);  // not 5.5 ms
  EXPECT_NEAR(p.chunks_per_s, 1.0 / 0.0045, 1e-6);
  EXPECT_EQ(p.critical_path, (std::vector<std::string>{"d", "y", "p"}));
  s.pipelined_across_chunks = true;
  EXPECT_EQ(fpga_performance(s, c).binding, "unit:y");
}

TEST(Fpga, RoundsAreCeilOfFeaturesOverPes) {
  EXPECT_EQ(rounds(42, 16), 3);
  EXPECT_EQ(rounds(42, 42), 1);
  EXPECT_EQ(rounds(43, 42), 2);
  EXPECT_EQ(rounds(0, 4), 0);
  EXPECT_THROW(rounds(1, 0), DeviceError);
  // 42 features on 16 PEs: 3 rounds of (100 elements / 2 per cycle + 10 fixed cycles) at 100 MHz.
  FpgaSpec s = roomy({unit("h", {"sigrid_hash"}, {}, 100e6, 16, 2, 10)});
  FpgaPerformance p = fpga_performance(s, {{stage("sigrid_hash", 42, 100)}, 0, 0});
  EXPECT_EQ(p.units[0].rounds, 3);
  EXPECT_NEAR(p.units[0].seconds, 3 * (50 + 10) / 100e6, 1e-18);
  // Two stages on one unit add up.
  p = fpga_performance(s, {{stage("sigrid_hash", 42, 100), stage("sigrid_hash", 16, 100)}, 0, 0});
  EXPECT_EQ(p.units[0].rounds, 4);
}

TEST(Fpga, DramBoundNamesDram) {
  FpgaSpec s = chain(true);
  s.dram_bandwidth = 5e8;  // units alone: 333 chunks/s
  FpgaChunk c = chain_chunk();
  c.stages[2].bytes_in = 4e6;
  c.stages[2].bytes_out = 6e6;
  c.link_in_bytes = 1e6;
  c.link_out_bytes = 1e6;
  FpgaPerformance p = fpga_performance(s, c);
  EXPECT_DOUBLE_EQ(p.dram_bytes, 1.2e7);  // lands, every stage reads and writes, leaves
  EXPECT_EQ(p.binding, "dram");
  EXPECT_NEAR(p.chunks_per_s, 5e8 / 1.2e7, 1e-9);
  s.dram_traffic = DramTraffic::LinksOnly;
  p = fpga_performance(s, c);
  EXPECT_DOUBLE_EQ(p.dram_bytes, 2e6);
  EXPECT_EQ(p.binding, "dram");
  EXPECT_NEAR(p.chunks_per_s, 250, 1e-9);
}

TEST(Fpga, LinkBoundNamesTheLinkAndCopiesShowInLatency) {
  FpgaSpec s = chain(true);
  s.link_in_bandwidth = 1e8;
  s.link_latency = 1e-5;
  FpgaChunk c = chain_chunk();
  c.link_in_bytes = 1e7;  // 0.1 s in
  FpgaPerformance p = fpga_performance(s, c);
  EXPECT_EQ(p.binding, "link_in");
  EXPECT_NEAR(p.chunks_per_s, 10, 1e-9);
  EXPECT_NEAR(p.latency_s, 0.1 + 1e-5 + 0.006, 1e-12);
  s.link_in_bandwidth = 1e15;
  s.link_out_bandwidth = 1e6;
  c.link_out_bytes = 1e6;  // 1 s out
  p = fpga_performance(s, c);
  EXPECT_EQ(p.binding, "link_out");
  EXPECT_NEAR(p.chunks_per_s, 1, 1e-9);
}

TEST(Fpga, MemoryOverflowIsRefused) {
  FpgaSpec s = roomy({unit("h", {"sigrid_hash"}, {}, 1e6, 2)});
  // Two PEs each hold one feature's 2e5 bytes, double-buffered (8e5), plus the chunk in, double-buffered (2e5).
  FpgaChunk c{{stage("sigrid_hash", 4, 10, 4e5, 4e5)}, 1e5, 0};
  EXPECT_DOUBLE_EQ(memory_required(s, c), 1e6);
  s.dram_capacity = 1e6;
  EXPECT_NO_THROW(fpga_performance(s, c));
  s.dram_capacity = 1e6 - 1;
  try {
    fpga_performance(s, c);
    FAIL() << "a chunk larger than device memory was accepted";
  } catch (const DeviceError& e) {
    EXPECT_NE(std::string(e.what()).find("device memory"), std::string::npos) << e.what();
  }
  s.buffers_per_pe = 1;  // single buffering halves it
  EXPECT_NO_THROW(fpga_performance(s, c));
}

TEST(Fpga, OpsWithoutAUnitAreRefusedAndListed) {
  FpgaSpec s = chain(true);
  EXPECT_FALSE(refuses(s, "log"));
  EXPECT_TRUE(refuses(s, "ngram"));
  EXPECT_EQ(refused_ops(s, {"decode", "ngram", "log", "mapid", "ngram"}), (std::vector<std::string>{"ngram", "mapid"}));
  EXPECT_EQ(unit_for(s, "bucketize")->name, "b");
  FpgaChunk c = chain_chunk();
  c.stages.push_back(stage("mapid", 1, 10));
  try {
    fpga_performance(s, c);
    FAIL() << "an op without a unit was accepted";
  } catch (const DeviceError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("mapid"), std::string::npos) << msg;
    EXPECT_NE(msg.find("CPU fallback"), std::string::npos) << msg;
  }
}

TEST(Fpga, BadSpecsAreRefused) {
  FpgaSpec s = chain(true);
  EXPECT_FALSE(find_problem(s).has_value());
  s.units[2].ops.push_back("decode");  // decode on two units
  EXPECT_EQ(find_problem(s)->unit, 2);
  EXPECT_THROW(validate(s), DeviceError);
  s = chain(true);
  s.units[0].after = {"c"};  // a -> b -> c -> a
  EXPECT_NE(find_problem(s)->message.find("cycle"), std::string::npos);
  s = chain(true);
  s.units[1].after = {"nope"};
  EXPECT_EQ(find_problem(s)->key, "after");
  s = chain(true);
  s.units[1].clock_hz = 0;
  EXPECT_EQ(find_problem(s)->key, "clock");
  s = chain(true);
  s.units[1].pes = 0;
  EXPECT_EQ(find_problem(s)->key, "pes");
  s = chain(true);
  s.units[1].ops = {"not_an_op"};
  EXPECT_EQ(find_problem(s)->key, "ops");
  s = chain(true);
  s.dram_capacity = 0;
  EXPECT_EQ(find_problem(s)->key, "dram_capacity");
  EXPECT_THROW(fpga_performance(s, chain_chunk()), DeviceError);
}

TEST(Fpga, StageWorkFromOpWork) {
  OpWork w;
  w.rows = 8192;
  w.elements = 8192 * 42.0;
  FpgaStageWork s = stage_work("log", 42, w, 100, 200);
  EXPECT_DOUBLE_EQ(s.elements_per_feature, 8192);
  EXPECT_DOUBLE_EQ(s.bytes_out, 200);
}

}  // namespace
}  // namespace prepsim::devices
