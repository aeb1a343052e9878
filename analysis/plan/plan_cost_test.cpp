// What a `prepsim plan` option costs (plan_cost.h) and how its goal is read (plan_option.h), on made-up reports:
// which devices are counted (what the run puts in its fleet scope: sized hosts, other pools, hosting servers,
// their NICs and disks; not trainers or unused hosts) and how they are labelled, TCO over the catalog lifetime,
// the price of stalls scaled to it, and the goal flags.
#include "analysis/plan/plan_cost.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace prepsim::analysis {
namespace {

constexpr double kYear = 365.0 * 86400.0;

PlanOption isp_option() {
  PlanOption o;
  o.option = o.kind = "isp";
  o.pool = "ssd";
  o.hosts = {"ssd-0", "ssd-1", "ssd-2"};
  o.pool_role = {{"cpu-0", "pool fallback (cpu)"}};
  o.platform.hosts = {{"ssd-0", {"isp", "smartssd"}}, {"ssd-1", {"isp", "smartssd"}}, {"ssd-2", {"isp", "smartssd"}},
                      {"storage-0", {"storage", "r640"}}, {"storage-1", {"storage", "r640"}},
                      {"cpu-0", {"cpu", "xeon"}}, {"gpu-0", {"gpu", "a100"}}};
  o.platform.link_host = {{"storage-0-tx", "storage-0"}, {"storage-1-tx", "storage-1"}, {"cpu-0-tx", "cpu-0"},
                          {"gpu-0-rx", "gpu-0"}};
  o.price_per_j = 1e-8;
  o.pue = 1.5;
  return o;
}

// The report of a run with the first n SmartSSDs: ssd-0 and ssd-1 sit in storage-0, ssd-2 in storage-1, so the
// engine scopes storage-1 (and ssd-2) as fleet only when n = 3.
RunSummary run(double avg_scale, double stall_usd, int n = 2) {
  RunSummary r;
  r.throughput = 1000;
  r.stall = 0.002;
  r.window_s = 10;
  r.stall_price_usd = stall_usd;
  auto dev = [&](std::string name, std::string kind, std::string sku, double w, double capex, double life) {
    r.devices.push_back({name, kind, sku, "fleet", w * avg_scale, w * 2, capex, life});
  };
  const char* third = n >= 3 ? "fleet" : "other";
  dev("ssd-0", "isp", "smartssd", 20, 2000, 3 * kYear);
  dev("ssd-1", "isp", "smartssd", 20, 2000, 3 * kYear);
  dev("ssd-2", "isp", "smartssd", 20, 2000, 3 * kYear);  // not counted with n = 2
  r.devices.back().scope = third;
  dev("storage-0", "storage", "r640", 100, 9000, 3 * kYear);
  dev("storage-1", "storage", "r640", 100, 9000, 3 * kYear);  // hosts only ssd-2
  r.devices.back().scope = third;
  dev("cpu-0", "cpu", "xeon", 200, 10000, 3 * kYear);
  dev("gpu-0", "gpu", "a100", 250, 10000, 3 * kYear);  // a trainer: never counted
  r.devices.back().scope = "trainer";
  dev("storage-0-tx", "link", "nic", 5, 800, 6 * kYear);
  dev("cpu-0-tx", "link", "", 5, 0, 0);
  dev("gpu-0-rx", "link", "", 5, 0, 0);
  r.devices.back().scope = "trainer";  // a trainer's link, as the report scopes it
  dev("spine", "link", "", 5, 0, 0);
  r.devices.back().scope = "network";
  dev("ssd-0:flash", "disk", "", 1, 0, 0);
  return r;
}

TEST(PlanCost, CountsTheSizedDevicesTheirServersOtherPoolsAndNics) {
  PlanOption o = isp_option();
  OptionCost c = option_cost(o, 2, {run(1.0, 0.5), run(0.5, 1.5)});
  EXPECT_EQ(c.hosting_servers, (std::vector<std::string>{"storage-0"}));
  // Counted: ssd-0, ssd-1, storage-0, cpu-0, storage-0-tx, cpu-0-tx, ssd-0:flash.
  EXPECT_DOUBLE_EQ(c.capex_usd, 2000 + 2000 + 9000 + 10000 + 800);
  const double avg = (20 + 20 + 100 + 200 + 5 + 5 + 1) * 0.75;  // mean of the two seeds' scales
  EXPECT_NEAR(c.power_avg_w, avg, 1e-9);
  EXPECT_NEAR(c.power_peak_w, 2 * (20 + 20 + 100 + 200 + 5 + 5 + 1), 1e-9);
  EXPECT_DOUBLE_EQ(c.lifetime_s, 3 * kYear);  // the sized SKU's
  // TCO over L = 3 y: every capex once, but the NIC (6 y) at half; energy at 1e-8 $/J and PUE 1.5.
  const double L = 3 * kYear;
  EXPECT_NEAR(c.tco_usd, 2000 + 2000 + 9000 + 10000 + 400 + avg * L * 1e-8 * 1.5, 1e-6);
  // Stalls: ($0.5 and $1.5 per 10 s window) x L / 10 s, averaged.
  EXPECT_NEAR(c.stall_price_usd, 1.0 * L / 10, 1e-6);
  EXPECT_NEAR(c.samples_per_usd, 1000 * L / c.tco_usd, 1e-6);
  ASSERT_FALSE(c.lines.empty());
  EXPECT_EQ(c.lines.front().role, "devices");
  EXPECT_EQ(c.lines.front().count, 2);
  EXPECT_EQ(c.lines[1].role, "hosting servers");
}

TEST(PlanCost, APoolOnTheTrainersOwnGpusAddsNoDevices) {
  PlanOption o = isp_option();
  o.option = o.kind = "gpu";
  o.hosts = {"gpu-0"};
  o.pool_role.clear();
  RunSummary r = run(1.0, 0);
  for (ReportDevice& d : r.devices) {
    if (d.scope == "fleet") d.scope = "other";  // this scenario has no other pool: nothing else is in its fleet
  }
  OptionCost c = option_cost(o, 1, {r});
  EXPECT_DOUBLE_EQ(c.capex_usd, 0);  // gpu-0 is a trainer; its link gpu-0-rx goes with it
  EXPECT_TRUE(c.lines.empty());
}

TEST(PlanCost, AllDevicesBringTheirServers) {
  OptionCost c = option_cost(isp_option(), 3, {run(1.0, 0, 3)});
  EXPECT_EQ(c.hosting_servers, (std::vector<std::string>{"storage-0", "storage-1"}));
  EXPECT_DOUBLE_EQ(c.capex_usd, 3 * 2000 + 2 * 9000 + 10000 + 800);
}

TEST(PlanGoal, ReadsTheGoalFlags) {
  PlanGoal g = parse_goal("", "", "");
  EXPECT_FALSE(g.throughput_goal);
  EXPECT_DOUBLE_EQ(g.max_stall, 0.01);
  EXPECT_DOUBLE_EQ(parse_goal("no-stall", "2.5%", "").max_stall, 0.025);
  EXPECT_DOUBLE_EQ(parse_goal("", "0.05", "").max_stall, 0.05);
  for (const char* t : {"120K/s", "120Ksamples/s", "120K samples/s", "120000/s"}) {
    PlanGoal tg = parse_goal("", "", t);
    EXPECT_TRUE(tg.throughput_goal) << t;
    EXPECT_DOUBLE_EQ(tg.throughput, 120000) << t;
  }
  EXPECT_DOUBLE_EQ(parse_goal("throughput", "", "1.2M/s").throughput, 1.2e6);
  for (auto [goal, stall, x] : std::vector<std::tuple<const char*, const char*, const char*>>{
           {"fast", "", ""}, {"", "100%", ""}, {"", "-1%", ""}, {"", "lots", ""}, {"", "", "120K"},
           {"", "", "0/s"}, {"", "1%", "1K/s"}, {"throughput", "", ""}, {"no-stall", "", "1K/s"}}) {
    EXPECT_THROW(parse_goal(goal, stall, x), std::invalid_argument) << goal << " " << stall << " " << x;
  }
}

TEST(PlanGoal, MetMeansEveryJobOrTheThroughput) {
  RunSummary r;
  r.stall = 0.01;
  r.throughput = 500;
  EXPECT_TRUE(goal_met(parse_goal("", "", ""), r));
  r.stall = 0.0101;
  EXPECT_FALSE(goal_met(parse_goal("", "", ""), r));
  EXPECT_TRUE(goal_met(parse_goal("", "", "500/s"), r));
  EXPECT_FALSE(goal_met(parse_goal("", "", "501/s"), r));
}

}  // namespace
}  // namespace prepsim::analysis
