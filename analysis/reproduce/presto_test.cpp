// The arithmetic of `prepsim reproduce presto` (presto.h) on made-up runs: the per-RM rows, the headline rows as
// statistics of them, and the two views of energy and cost (devices alone; with hosts, the fleet scope).
#include "analysis/reproduce/presto.h"

#include <gtest/gtest.h>

namespace prepsim::analysis {
namespace {

PoolRun pool(double latency, double p, double tdp, double capex, double fleet_capex, double fleet_w, double devices) {
  PoolRun r;
  r.latency_s = latency;
  r.pool_samples_per_s = p;
  r.tdp_w = tdp;
  r.capex_usd = capex;
  r.fleet_capex_usd = fleet_capex;
  r.fleet_full_load_w = fleet_w;
  r.devices = devices;
  r.workers = 64;
  r.demand_per_replica = 1000;
  return r;
}

// Two RMs; price 0 so that cost efficiency is P x H / capex.
PrestoInputs two_rms() {
  PrestoInputs in;
  in.horizon_s = 100;
  in.price_per_j = 0;
  in.node_replicas = 8;
  in.cpu = {pool(1.0, 6400, 300, 20000, 30000, 900, 2), pool(2.0, 3200, 300, 20000, 30000, 900, 2)};
  in.isp = {pool(0.1, 3000, 25, 2000, 11000, 330, 1), pool(0.4, 1000, 25, 2000, 11000, 330, 1)};
  in.op_share = {0.7, 0.9};
  return in;
}

TEST(Presto, MeansAreStatisticsOfThePerRmRows) {
  PrestoInputs in = two_rms();
  std::vector<RmRow> rms = rm_rows(in);
  ASSERT_EQ(rms.size(), 2u);
  EXPECT_DOUBLE_EQ(rms[0].speedup(), 10);
  EXPECT_DOUBLE_EQ(rms[1].speedup(), 5);
  // Energy, devices alone: (3000 / 25) / (6400 / 300) = 5.625 and (1000 / 25) / (3200 / 300) = 3.75.
  EXPECT_DOUBLE_EQ(rms[0].energy_ratio(), 5.625);
  // Cost, devices alone (price 0): (3000 / 2000) / (6400 / 20000) = 4.6875.
  EXPECT_DOUBLE_EQ(rms[0].cost_ratio(), 4.6875);
  // With hosts: the fleet's capex and full-load power instead: (3000 / 11000) / (6400 / 30000).
  EXPECT_DOUBLE_EQ(rms[0].hosts_cost_ratio(), (3000.0 / 11000) / (6400.0 / 30000));
  EXPECT_DOUBLE_EQ(rms[0].hosts_energy_ratio(), (3000.0 / 330) / (6400.0 / 900));
  // T = 8 x 1000: 3 SmartSSDs of 3000, 8 of 1000; cores = 8000 / (3200 / 64) on the last RM.
  EXPECT_DOUBLE_EQ(rms[0].smartssds, 3);
  EXPECT_DOUBLE_EQ(rms[1].smartssds, 8);
  EXPECT_DOUBLE_EQ(rms[1].cores, 160);

  std::vector<ReproRow> rows = presto_rows(in, rms, {"speedup_1worker_vs_1smartssd"});
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_DOUBLE_EQ(rows[0].prepsim, 7.5);
  EXPECT_EQ(rows[0].klass, "fitted");
  EXPECT_DOUBLE_EQ(rows[1].prepsim, (5.625 + 3.75) / 2);
  EXPECT_EQ(rows[1].klass, "predicted");
  EXPECT_DOUBLE_EQ(rows[3].prepsim, 160);
  EXPECT_DOUBLE_EQ(rows[4].prepsim, 8);  // the largest per-RM count
  EXPECT_EQ(largest_smartssd_rm(rms), 2);
  EXPECT_DOUBLE_EQ(rows[5].prepsim, 0.8);

  nlohmann::json j = presto_json(rows, rms);
  ASSERT_EQ(j["per_rm"].size(), 2u);
  EXPECT_EQ(j["per_rm"][1]["rm"], 2);
  EXPECT_DOUBLE_EQ(j["per_rm"][0]["isp"]["latency_s"].get<double>(), 0.1);
  EXPECT_DOUBLE_EQ(j["with_hosts"]["cost_efficiency"].get<double>(),
                   (rms[0].hosts_cost_ratio() + rms[1].hosts_cost_ratio()) / 2);
  EXPECT_TRUE(j["rows"][4]["simulated"].is_null());  // not searched
}

}  // namespace
}  // namespace prepsim::analysis
