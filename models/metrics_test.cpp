#include "models/metrics.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace prepsim {
namespace {

Sourced src(double v) {
  Sourced s;
  s.value = v;
  s.source = "test";
  return s;
}

// A 10 s window; one CPU host (fleet) and one GPU host (trainer); one async job of two replicas.
//   cpu sku: $1,000 over a 100 s lifetime  -> $100 of capex in the window
//   gpu sku: $2,000 over a 200 s lifetime  -> $100; rental $0.01/s
//   electricity $0.001/J, PUE 1.5
struct Fixture {
  RunRecord rec;
  Scenario sc;
  Catalog cat;

  Fixture() {
    sc.run.electricity_price = 1e-3;
    sc.run.pue = 1.5;
    sc.run.cost_horizon = 1000;

    Sku cpu;
    cpu.name = "cpu-sku";
    cpu.kind = "cpu";
    cpu.capex = src(1000);
    cpu.lifetime = src(100);
    cat.skus["cpu-sku"] = cpu;
    Sku gpu;
    gpu.name = "gpu-sku";
    gpu.kind = "gpu";
    gpu.capex = src(2000);
    gpu.lifetime = src(200);
    gpu.rental = src(0.01);
    cat.skus["gpu-sku"] = gpu;

    rec.warmup_s = 1;
    rec.window_s = 10;
    HostRecord h;
    h.name = "cpu-0";
    h.kind = "cpu";
    h.sku = "cpu-sku";
    h.speed_flops = 1e9;
    h.cores = 4;
    h.energy_j = 2000;
    h.busy_flops = 2e10;  // half of 4 cores x 1 Gf x 10 s
    h.idle_power_w = 100;
    h.role = "fleet";
    rec.hosts.push_back(h);
    HostRecord g;
    g.name = "gpu-0";
    g.kind = "gpu";
    g.sku = "gpu-sku";
    g.speed_flops = 1e9;
    g.cores = 1;
    g.energy_j = 3000;
    g.busy_flops = 0;
    g.idle_power_w = 50;
    g.role = "trainer";
    rec.hosts.push_back(g);

    JobRecord j;
    j.name = "job";
    j.sku = "gpu-sku";
    j.sync = false;
    j.demand = 500;
    ReplicaRecord r0;
    r0.host = "gpu-0";
    r0.stall_s = 1;
    r0.samples = 1000;
    ReplicaRecord r1;
    r1.host = "gpu-0";
    r1.stall_s = 3;
    r1.samples = 3000;
    j.replicas = {r0, r1};
    j.attribution_s = {{"decode", 3}, {"read", 1}};  // 4 s of stall over both replicas
    rec.jobs.push_back(j);

    rec.worker_pool = "cpu";
    rec.workers = 4;
    rec.worker_busy_s = 32;  // 80% of 4 workers x 10 s
    rec.latencies_s = {0.5, 0.1, 0.4, 0.2, 0.3};
    rec.samples_produced = 5000;
    rec.samples_consumed = 4000;
    rec.samples_in_flight = 1000;
    rec.simulated_s = 11;  // warm-up + window
    rec.bound.samples_per_s = 450;
    rec.bound.bottleneck = "workers cpu";
  }
};

TEST(Metrics, ThroughputAndStalls) {
  Fixture f;
  Metrics m = compute_metrics(f.rec, f.sc, f.cat);
  EXPECT_DOUBLE_EQ(m.window_s, 10);
  EXPECT_DOUBLE_EQ(m.throughput, 400);  // 4,000 samples in 10 s
  EXPECT_DOUBLE_EQ(m.demand, 500);
  ASSERT_EQ(m.jobs.size(), 1u);
  const JobMetrics& j = m.jobs[0];
  EXPECT_EQ(j.replicas, 2);
  EXPECT_DOUBLE_EQ(j.stall_mean, 0.2);  // (0.1 + 0.3) / 2
  EXPECT_DOUBLE_EQ(j.stall_max, 0.3);
  EXPECT_DOUBLE_EQ(j.step_stall, 0.2);  // async: the mean stall
  // Attribution: fractions of the window per replica, summing to the mean stall.
  EXPECT_DOUBLE_EQ(j.attribution.at("decode"), 0.15);
  EXPECT_DOUBLE_EQ(j.attribution.at("read"), 0.05);
  // 4 accelerator-seconds stalled, priced at the trainer's rental and its idle power.
  EXPECT_DOUBLE_EQ(j.stalled_accel_s, 4);
  EXPECT_DOUBLE_EQ(j.stall_price_usd, 0.04);
  EXPECT_DOUBLE_EQ(j.stall_energy_j, 200);
}

TEST(Metrics, SyncJobStallIsTheStepWait) {
  Fixture f;
  f.rec.jobs[0].sync = true;
  f.rec.jobs[0].step_wait_s = 2.5;
  Metrics m = compute_metrics(f.rec, f.sc, f.cat);
  EXPECT_DOUBLE_EQ(m.jobs[0].step_stall, 0.25);
  EXPECT_DOUBLE_EQ(m.jobs[0].stalled_accel_s, 5);  // every replica waits for the step: 2.5 s x 2
}

TEST(Metrics, UtilizationAndBottleneck) {
  Fixture f;
  Metrics m = compute_metrics(f.rec, f.sc, f.cat);
  double cpu_util = -1;
  for (const ResourceUse& r : m.resources) {
    if (r.name == "host cpu-0") cpu_util = r.utilization;
  }
  EXPECT_DOUBLE_EQ(cpu_util, 0.5);
  EXPECT_EQ(m.bottleneck, "workers of pool cpu");
  EXPECT_DOUBLE_EQ(m.bottleneck_utilization, 0.8);
}

TEST(Metrics, TcoIsAmortizedCapexPlusEnergyCost) {
  Fixture f;
  Metrics m = compute_metrics(f.rec, f.sc, f.cat);
  // TCO over W = capex x W / lifetime + E x price x PUE.
  // fleet: 1000 x 10/100 + 2000 J x 0.001 x 1.5 = 100 + 3
  EXPECT_NEAR(m.fleet.tco_usd, 103.0, 1e-9);
  // system adds the trainer: 2000 x 10/200 + 3000 J x 0.001 x 1.5 = 100 + 4.5
  EXPECT_NEAR(m.system.tco_usd, 207.5, 1e-9);
  EXPECT_DOUBLE_EQ(m.fleet.capex_usd, 1000);
  EXPECT_DOUBLE_EQ(m.system.capex_usd, 3000);
  EXPECT_DOUBLE_EQ(m.fleet.rental_usd, 0);
  EXPECT_NEAR(m.system.rental_usd, 0.1, 1e-12);  // $0.01/s x 10 s
  EXPECT_NEAR(m.fleet.samples_per_usd, 4000 / 103.0, 1e-9);
}

TEST(Metrics, EnergyAndSamplesPerJoule) {
  Fixture f;
  Metrics m = compute_metrics(f.rec, f.sc, f.cat);
  EXPECT_DOUBLE_EQ(m.fleet.energy_j, 2000);
  EXPECT_DOUBLE_EQ(m.system.energy_j, 5000);
  EXPECT_DOUBLE_EQ(m.fleet.avg_power_w, 200);
  EXPECT_DOUBLE_EQ(m.system.avg_power_w, 500);
  EXPECT_DOUBLE_EQ(m.fleet.samples_per_j, 2.0);   // 4,000 samples / 2,000 J
  EXPECT_DOUBLE_EQ(m.system.samples_per_j, 0.8);  // 4,000 / 5,000 J
}

TEST(Metrics, CostEfficiencyOverTheHorizon) {
  Fixture f;
  Metrics m = compute_metrics(f.rec, f.sc, f.cat);
  // PreSto: throughput x horizon / (capex + avg power x horizon x price x PUE) = 400 x 1000 / (1000 + 300)
  EXPECT_NEAR(m.fleet.cost_efficiency, 400.0 * 1000 / 1300, 1e-9);
}

TEST(Metrics, LatencyPercentiles) {
  Fixture f;
  Metrics m = compute_metrics(f.rec, f.sc, f.cat);
  EXPECT_DOUBLE_EQ(m.latency_p50_s, 0.3);
  EXPECT_DOUBLE_EQ(m.latency_p99_s, 0.5);
}

TEST(Metrics, PercentileIsNearestRank) {
  std::vector<double> v = {40, 10, 30, 20};
  EXPECT_DOUBLE_EQ(percentile(v, 25), 10);  // rank ceil(1) = 1
  EXPECT_DOUBLE_EQ(percentile(v, 26), 20);  // rank ceil(1.04) = 2
  EXPECT_DOUBLE_EQ(percentile(v, 50), 20);
  EXPECT_DOUBLE_EQ(percentile(v, 51), 30);
  EXPECT_DOUBLE_EQ(percentile(v, 100), 40);
  EXPECT_DOUBLE_EQ(percentile(v, 0), 10);
  EXPECT_DOUBLE_EQ(percentile({7}, 99), 7);
  EXPECT_DOUBLE_EQ(percentile({}, 50), 0);
  // Nearest rank never interpolates: every answer is one of the values.
  std::vector<double> w = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_DOUBLE_EQ(percentile(w, 90), 9);
  EXPECT_DOUBLE_EQ(percentile(w, 95), 10);
}

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
  for (const std::string& p : problems) {
    if (p.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(Metrics, InvariantsHoldOnAConsistentRecord) {
  Fixture f;
  Metrics m = compute_metrics(f.rec, f.sc, f.cat);
  EXPECT_TRUE(check_invariants(f.rec, m).empty());
}

TEST(Metrics, InvariantFlagsLostSamples) {
  Fixture f;
  f.rec.samples_in_flight = 500;  // 5,000 produced but only 4,500 accounted for
  Metrics m = compute_metrics(f.rec, f.sc, f.cat);
  std::vector<std::string> bad = check_invariants(f.rec, m);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_TRUE(mentions(bad, "produced")) << bad[0];
}

TEST(Metrics, InvariantFlagsAStallOutsideZeroOne) {
  Fixture f;
  f.rec.jobs[0].replicas[1].stall_s = 12;  // longer than the 10 s window
  f.rec.jobs[0].attribution_s = {{"decode", 13}};
  Metrics m = compute_metrics(f.rec, f.sc, f.cat);
  std::vector<std::string> bad = check_invariants(f.rec, m);
  EXPECT_TRUE(mentions(bad, "outside [0, 1]"));
  EXPECT_FALSE(mentions(bad, "attribution"));  // the attribution itself is consistent
}

TEST(Metrics, InvariantFlagsAttributionThatDoesNotSumToTheStall) {
  Fixture f;
  f.rec.jobs[0].attribution_s = {{"decode", 1}};  // 1 s of the 4 s stall attributed
  Metrics m = compute_metrics(f.rec, f.sc, f.cat);
  EXPECT_TRUE(mentions(check_invariants(f.rec, m), "attribution"));
}

TEST(Metrics, InvariantFlagsEnergyBelowIdle) {
  Fixture f;
  f.rec.hosts[0].energy_j = 900;  // idle 100 W x 10 s = 1,000 J at least
  Metrics m = compute_metrics(f.rec, f.sc, f.cat);
  std::vector<std::string> bad = check_invariants(f.rec, m);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_TRUE(mentions(bad, "cpu-0")) << bad[0];
  EXPECT_TRUE(mentions(bad, "idle")) << bad[0];
}

// A run once reported 6,281 samples/s against a bound of 6,236: the invariants must see a throughput above the bound.
TEST(Metrics, InvariantFlagsThroughputAboveTheBound) {
  Fixture f;
  f.rec.bound.samples_per_s = 390;  // 4,000 samples in 10 s is 400/s
  Metrics m = compute_metrics(f.rec, f.sc, f.cat);
  std::vector<std::string> bad = check_invariants(f.rec, m);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_TRUE(mentions(bad, "analytic bound")) << bad[0];
  // ... unless the pipeline already held what the window consumed beyond the bound when it opened: 390 x 10 x
  // 1.001 = 3,903.9 from the window's own resources, plus 100 begun before it.
  f.rec.samples_in_pipeline_at_start = 100;
  EXPECT_TRUE(check_invariants(f.rec, m).empty());
  f.rec.samples_in_pipeline_at_start = 90;
  EXPECT_FALSE(check_invariants(f.rec, m).empty());
}

TEST(Metrics, InvariantFlagsAJobAboveItsDemand) {
  Fixture f;
  f.rec.jobs[0].demand = 399;  // its steps are clipped to the window: it can never take more
  Metrics m = compute_metrics(f.rec, f.sc, f.cat);
  std::vector<std::string> bad = check_invariants(f.rec, m);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_TRUE(mentions(bad, "demand")) << bad[0];
}

TEST(Metrics, InvariantFlagsARunThatOutlivedItsWindow) {
  Fixture f;
  f.rec.simulated_s = 11.5;
  Metrics m = compute_metrics(f.rec, f.sc, f.cat);
  std::vector<std::string> bad = check_invariants(f.rec, m);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_TRUE(mentions(bad, "window's end")) << bad[0];
}

}  // namespace
}  // namespace prepsim
