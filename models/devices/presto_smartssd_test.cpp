// A shipped-parameter example: PreSto's SmartSSD accelerator (FACTS.md section 1) as an ISP device spec, read
// from YAML the way the catalog will hold it, and run on an RM5 mini-batch. Every value states its class.
#include "models/config/yaml_doc.h"
#include "models/devices/isp.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace prepsim::devices {
namespace {

const std::string kPrestoSmartSsd = R"yaml(
presto-smartssd:
  capacity: {value: 3.84TB, source: "assumption: Samsung SmartSSD is sold with a 3.84 TB SSD; PreSto does not print the capacity"}
  ssd_read_bandwidth: {value: 3.2GB/s, source: "assumption: PM983-class PCIe Gen3 x4 NVMe sequential read"}
  clock: {value: 223MHz, source: "FACTS.md section 1: accelerator at 223 MHz"}
  dram_bandwidth: {value: 19.2GB/s, source: "assumption: one 64-bit DDR4-2400 channel (2400 MT/s x 8 B); FACTS.md gives only '4 GB DDR4'"}
  dram_capacity: {value: 4GiB, source: "FACTS.md section 1: 4 GB DDR4 for the FPGA"}
  link_in: {value: 3.94GB/s, source: "derived: PCIe Gen3 (FACTS.md section 1) x4 = 8 GT/s x 4 lanes x 128/130 / 8 b = 3.938 GB/s; x4 is an assumption (the width of a U.2 SSD's interface)"}
  link_out: {value: 3.94GB/s, source: "assumption: the U.2 Gen3 x4 uplink to the host, as link_in"}
  buffers_per_pe: {value: 2, source: "FACTS.md section 1: double buffering within a feature"}
  pipelined_across_chunks: {value: true, source: "assumption: PreSto does not publish it; double-buffered streaming PEs suggest units overlap on successive mini-batches"}
  dram_traffic: every_unit
  units:
    decoder:
      ops: [decode]
      pes: {value: 546, source: "assumption: one PE per column (FACTS.md: one PE per feature), sized for RM5's 504 dense + 42 sparse columns"}
      elements_per_cycle: {value: 1, source: "assumption: one value per cycle per PE"}
    bucketize:
      ops: [bucketize]
      after: [decoder]
      pes: {value: 42, source: "assumption: one PE per generated feature, sized for RM3-RM5 (42)"}
      latency_cycles: {value: 12, source: "assumption: a pipelined binary search over 4096 borders, log2(4096) = 12 stages"}
    sigrid_hash:
      ops: [sigrid_hash]
      after: [decoder]
      pes: {value: 42, source: "assumption: one PE per sparse feature of RM2-RM5 (42)"}
      latency_cycles: {value: 10, source: "assumption: twang_mix64 + hash_128_to_64 + modulo pipeline depth"}
    log:
      ops: [log]
      after: [decoder]
      pes: {value: 504, source: "assumption: one PE per dense feature of RM2-RM5 (504)"}
      latency_cycles: {value: 30, source: "assumption: latency of a pipelined floating-point log core"}
)yaml";

// One RM5 mini-batch (FACTS.md table I): 8,192 samples, 504 dense float32, 42 sparse features of 20 int64 ids,
// 42 Bucketize features; stored uncompressed here (a scenario uses its measured Parquet size instead).
FpgaChunk rm5_chunk(double feature_scale = 1) {
  const double rows = 8192, dense = 504 * feature_scale, sparse = 42 * feature_scale, ids = 20;
  const double dense_b = rows * dense * 4, sparse_b = rows * sparse * ids * 8;
  const double bucket_in = rows * sparse * 4, bucket_out = rows * sparse * 8;
  FpgaChunk c;
  c.link_in_bytes = dense_b + sparse_b;
  c.stages = {{"decode", dense + sparse, (rows * dense + rows * sparse * ids) / (dense + sparse), c.link_in_bytes,
               c.link_in_bytes},
              {"log", dense, rows, dense_b, dense_b},
              {"bucketize", sparse, rows, bucket_in, bucket_out},
              {"sigrid_hash", sparse, rows * ids, sparse_b, sparse_b}};
  c.link_out_bytes = dense_b + sparse_b + bucket_out;
  return c;
}

IspSpec presto() {
  static config::Node tree = config::load_yaml_string(kPrestoSmartSsd, "presto-smartssd.yaml");
  config::Node copy = *tree.find("presto-smartssd");
  return isp_spec_from(copy, "presto-smartssd");
}

TEST(PrestoSmartSsd, ShippedParametersRead) {
  IspSpec s = presto();
  EXPECT_EQ(s.fpga.name, "presto-smartssd");
  ASSERT_EQ(s.fpga.units.size(), 4u);
  for (const auto& u : s.fpga.units) EXPECT_DOUBLE_EQ(u.clock_hz, 223e6) << u.name;
  EXPECT_DOUBLE_EQ(s.fpga.dram_capacity, 4.0 * 1024 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(s.fpga.link_in_bandwidth, 3.94e9);
  EXPECT_EQ(s.fpga.buffers_per_pe, 2);
  EXPECT_TRUE(s.fpga.pipelined_across_chunks);
  EXPECT_EQ(s.fpga.sources.at("pipelined_across_chunks").rfind("assumption:", 0), 0u);
  EXPECT_EQ(s.fpga.sources.at("units.log.pes").rfind("assumption:", 0), 0u);
  EXPECT_EQ(s.fpga.sources.at("clock").rfind("FACTS.md", 0), 0u);
  EXPECT_DOUBLE_EQ(s.capacity, 3.84e12);
  // The ops it has no unit for go to a CPU fallback.
  EXPECT_EQ(refused_ops(s.fpga, {"decode", "to_kjt", "sigrid_hash", "firstx"}),
            (std::vector<std::string>{"to_kjt", "firstx"}));
}

TEST(PrestoSmartSsd, Rm5ChunkIsMemoryBoundWithOneRound) {
  IspSpec s = presto();
  FpgaChunk c = rm5_chunk();
  FpgaPerformance p = fpga_performance(s.fpga, c);
  for (const auto& u : p.units) EXPECT_EQ(u.rounds, 1) << u.unit << ": one PE per feature";
  // Units take under a millisecond (the hash unit: 163,850 cycles at 223 MHz); moving ~72 MB over a 3.94 GB/s
  // link takes ~18 ms, and the chunk crosses DRAM six times over.
  EXPECT_NEAR(p.units[2].seconds, (163840.0 + 10) / 223e6, 1e-12);
  EXPECT_EQ(p.binding, "dram");
  EXPECT_EQ(p.critical_path, (std::vector<std::string>{"decoder", "sigrid_hash"}));
  EXPECT_GT(p.latency_s, c.link_in_bytes / 3.94e9 + c.link_out_bytes / 3.94e9);
  EXPECT_LT(p.memory_bytes, s.fpga.dram_capacity);
  // If units streamed to each other on chip, the links would bind instead.
  s.fpga.dram_traffic = DramTraffic::LinksOnly;
  EXPECT_EQ(fpga_performance(s.fpga, c).binding, "link_out");
}

TEST(PrestoSmartSsd, FourTimesTheFeaturesTakesFourRoundsOfTheFixedPes) {
  IspSpec s = presto();
  FpgaPerformance p = fpga_performance(s.fpga, rm5_chunk(4));
  for (const auto& u : p.units) EXPECT_EQ(u.rounds, 4) << u.unit;
}

TEST(PrestoSmartSsd, DeviceCountAndPartitionTime) {
  IspSpec s = presto();
  EXPECT_EQ(isp_min_devices(10e12, s.capacity), 3);                // 10 TB on 3.84 TB devices
  EXPECT_EQ(isp_devices_for_skew(10e12, s.capacity, 0.2), 4);      // 1.2 x 10 / 3.84 = 3.125
  std::vector<double> parts = isp_partitions(10e12, 4, s.capacity, 0.2);
  IspPartitionTime t = isp_partition_time(s, rm5_chunk(), parts.front());
  EXPECT_EQ(t.chunks, std::ceil(3e12 / rm5_chunk().link_in_bytes));
  EXPECT_GT(t.seconds, (t.chunks - 1) / t.chunks_per_s);
}

}  // namespace
}  // namespace prepsim::devices
