#include "models/devices/gpu.h"

#include <gtest/gtest.h>

namespace prepsim::devices {
namespace {

GpuSpec a_gpu(double overlap = 0) {
  GpuSpec g;
  g.name = "g";
  g.achieved_bandwidth = 1e12;
  g.launch_overhead = 5e-6;
  g.trainer_overlap = overlap;
  return g;
}

TEST(Gpu, KernelTimeIsBytesOverBandwidthPlusLaunches) {
  GpuSpec g = a_gpu();
  // 1 GB at 1 TB/s, launched once per feature of 42: 1 ms + 42 x 5 us.
  EXPECT_NEAR(gpu_kernel_seconds(g, {"sigrid_hash", 1e9, 42}), 1e-3 + 42 * 5e-6, 1e-15);
  g.op_bandwidth["bucketize"] = 2.5e11;  // a slower kernel
  EXPECT_NEAR(gpu_kernel_seconds(g, {"bucketize", 1e9, 1}), 4e-3 + 5e-6, 1e-15);
  EXPECT_NEAR(gpu_seconds(g, {{"sigrid_hash", 1e9, 42}, {"bucketize", 1e9, 1}}),
              1e-3 + 42 * 5e-6 + 4e-3 + 5e-6, 1e-15);
  // Many tiny kernels are launch-bound.
  EXPECT_GT(gpu_kernel_seconds(g, {"log", 1e3, 500}), 100 * gpu_kernel_seconds(g, {"log", 1e3, 1}));
  EXPECT_THROW(gpu_kernel_seconds(g, {"no_such_op", 1, 1}), DeviceError);
  EXPECT_THROW(gpu_kernel_seconds(g, {"log", -1, 1}), DeviceError);
}

TEST(Gpu, TheLibrarysEfficiencyDividesTheBandwidth) {
  GpuSpec g = a_gpu();
  g.software_efficiency = 0.25;  // e.g. NVTabular / cuDF: generic column kernels reach a quarter of it
  EXPECT_NEAR(gpu_kernel_seconds(g, {"log", 1e9, 1}), 4e-3 + 5e-6, 1e-15);
  g.op_software_efficiency["decode"] = 0.05;  // page decoding is not a streaming kernel
  EXPECT_NEAR(gpu_kernel_seconds(g, {"decode", 1e9, 1}), 20e-3 + 5e-6, 1e-15);
  g.op_bandwidth["decode"] = 5e11;  // both apply
  EXPECT_NEAR(gpu_kernel_seconds(g, {"decode", 1e9, 1}), 40e-3 + 5e-6, 1e-15);
  g.software_efficiency = 0;
  EXPECT_THROW(gpu_kernel_seconds(g, {"log", 1e9, 1}), DeviceError);
}

TEST(Gpu, StagingIsBytesOverTheHostLink) {
  GpuSpec g = a_gpu();
  EXPECT_DOUBLE_EQ(gpu_staging_seconds(g, 1e9), 0);  // no host link: nothing staged
  g.host_link_bandwidth = 25e9;
  EXPECT_NEAR(gpu_staging_seconds(g, 1e9), 0.04, 1e-15);
  EXPECT_THROW(gpu_staging_seconds(g, -1), DeviceError);
}

TEST(Gpu, OnTheTrainerItLowersTrainingThroughput) {
  TrainerImpact t = gpu_on_trainer(0.1, 0.02, 0.0);  // serialized
  EXPECT_NEAR(t.new_step_s, 0.12, 1e-15);
  EXPECT_NEAR(t.throughput_ratio, 0.1 / 0.12, 1e-12);
  EXPECT_LT(t.throughput_ratio, 1.0);
  EXPECT_NEAR(gpu_on_trainer(0.1, 0.02, 0.5).new_step_s, 0.11, 1e-15);
  EXPECT_NEAR(gpu_on_trainer(0.1, 0.02, 1.0).new_step_s, 0.1, 1e-15);  // fully hidden
  // Even fully overlapped, a step is never shorter than its own preprocessing.
  EXPECT_NEAR(gpu_on_trainer(0.1, 0.3, 1.0).new_step_s, 0.3, 1e-15);
  EXPECT_DOUBLE_EQ(gpu_on_trainer(0.1, 0.0, 0.0).throughput_ratio, 1.0);
  EXPECT_THROW(gpu_on_trainer(0.1, 0.02, 1.5), DeviceError);
  EXPECT_THROW(gpu_on_trainer(0.0, 0.02, 0.0), DeviceError);
}

TEST(Gpu, TrainerImpactFromKernels) {
  // 4 chunks per step, each 2 GB through one kernel: 4 x (2 ms + 5 us) stolen from a 50 ms step.
  TrainerImpact t = gpu_on_trainer(a_gpu(), 0.05, {{"log", 2e9, 1}}, 4);
  EXPECT_NEAR(t.preprocess_s, 4 * (2e-3 + 5e-6), 1e-15);
  EXPECT_NEAR(t.new_step_s, 0.05 + 4 * (2e-3 + 5e-6), 1e-15);
  TrainerImpact half = gpu_on_trainer(a_gpu(0.5), 0.05, {{"log", 2e9, 1}}, 4);
  EXPECT_GT(half.throughput_ratio, t.throughput_ratio);
}

TEST(Gpu, SeparateGpuHasItsOwnPriceAndPower) {
  Sku sku;
  sku.name = "a100";
  sku.kind = "gpu";
  sku.capex = Sourced{10000, "test", "", 0};
  sku.lifetime = Sourced{3 * 365 * 86400.0, "test", "", 0};
  sku.power_busy = Sourced{250, "test", "", 0};
  SeparateGpuCost c = separate_gpu_cost(sku, 2);
  EXPECT_DOUBLE_EQ(c.capex, 20000);
  EXPECT_DOUBLE_EQ(c.power_w, 500);
  EXPECT_DOUBLE_EQ(c.lifetime_s, 3 * 365 * 86400.0);
  sku.power_busy.reset();
  EXPECT_THROW(separate_gpu_cost(sku, 1), DeviceError);
  sku.kind = "cpu";
  EXPECT_THROW(separate_gpu_cost(sku, 1), DeviceError);
}

}  // namespace
}  // namespace prepsim::devices
