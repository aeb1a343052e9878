// The shipped PreSto SmartSSD accelerator (docs/sources.md#presto), as the catalog holds it, run on an RM5
// mini-batch. Every value states its class in the catalog.
#include "models/catalog.h"
#include "models/devices/fpga.h"
#include "models/devices/isp.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace prepsim::devices {
namespace {

// The shipped catalog's SmartSSD (platforms/catalog.yaml, skus.samsung-smartssd-3.84tb.model): one copy of the
// numbers, tested where they are used.
const std::string kCatalog = std::string(PREPSIM_SOURCE_DIR) + "/platforms/catalog.yaml";

// One RM5 mini-batch (docs/sources.md#presto, Table I): 8,192 samples, 504 dense float32, 42 sparse features of 20
// int64 ids, 42 Bucketize features; stored uncompressed here (a scenario uses its measured Parquet size instead).
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
  static Catalog cat = load_catalog(kCatalog);
  const Sku* sku = cat.find("samsung-smartssd-3.84tb");
  return dynamic_cast<const IspDevice&>(*sku->model).spec;
}

TEST(PrestoSmartSsd, ShippedParametersRead) {
  IspSpec s = presto();
  EXPECT_EQ(s.fpga.name, "samsung-smartssd-3.84tb");
  ASSERT_EQ(s.fpga.units.size(), 4u);
  for (const auto& u : s.fpga.units) EXPECT_DOUBLE_EQ(u.clock_hz, 223e6) << u.name;
  EXPECT_DOUBLE_EQ(s.fpga.dram_capacity, 4.0 * 1024 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(s.fpga.link_in_bandwidth, 3.94e9);
  EXPECT_EQ(s.fpga.buffers_per_pe, 2);
  EXPECT_TRUE(s.fpga.pipelined_across_chunks);
  EXPECT_EQ(s.fpga.sources.at("pipelined_across_chunks").rfind("assumption:", 0), 0u);
  EXPECT_EQ(s.fpga.sources.at("units.log.pes").rfind("assumption:", 0), 0u);
  EXPECT_EQ(s.fpga.sources.at("clock").rfind("docs/sources.md#presto", 0), 0u);
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

// The same units on the catalog's Alveo U280 (300 MHz, 460 GB/s HBM, PCIe Gen3 x16 each way): its PCIe link out
// binds, not its clock. A model that decoded a chunk on one PE would give the U280 exactly its clock's ratio to the
// SmartSSD's (300 / 223) on every RM, and its HBM would never matter.
TEST(PrestoSmartSsd, TheU280IsBoundByItsPcieNotItsClock) {
  static Catalog cat = load_catalog(kCatalog);
  const FpgaSpec& u280 = dynamic_cast<const FpgaDevice&>(*cat.find("alveo-u280")->model).spec;
  FpgaChunk c = rm5_chunk();
  FpgaPerformance p = fpga_performance(u280, c);
  for (const auto& u : p.units) EXPECT_EQ(u.rounds, 1) << u.unit;
  EXPECT_EQ(p.binding, "link_out");  // 74.3 MB over 15.75 GB/s: 212 chunks/s
  EXPECT_NEAR(p.chunks_per_s, 15.75e9 / c.link_out_bytes, 1e-9);
  double ssd = fpga_performance(presto().fpga, c).chunks_per_s;
  EXPECT_GT(p.chunks_per_s / ssd, 4.0);  // not 300 / 223 = 1.35
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
