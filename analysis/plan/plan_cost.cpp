// The cost of a `prepsim plan` option at its chosen size: see plan_cost.h for what is counted.
#include "analysis/plan/plan_cost.h"

#include <map>
#include <set>

namespace prepsim::analysis {

OptionCost option_cost(const PlanOption& o, int n, const std::vector<RunSummary>& runs) {
  OptionCost c;
  // What is counted is the run's own fleet scope (docs/metrics.md, Scopes: the pools' hosts, the servers hosting
  // their devices, their NICs and disks), so plan, run and reproduce count one thing; here it is only labelled.
  std::map<std::string, std::string> role;  // pool host -> role
  for (int i = 0; i < n && i < static_cast<int>(o.hosts.size()); ++i) role[o.hosts[i]] = "devices";
  for (const auto& [host, r] : o.pool_role) role.emplace(host, r);
  auto role_of = [&](const ReportDevice& d) -> std::string {
    if (d.scope != "fleet") return "";  // trainers (a gpu pool on their own GPUs is paid for by training), the rest
    if (d.kind == "link") return "NICs and links";
    if (d.kind == "disk") return "disks";
    auto it = role.find(d.name);
    return it != role.end() ? it->second : "hosting servers";
  };
  std::set<std::string> servers;
  for (const ReportDevice& d : runs.front().devices) {
    if (role_of(d) == "hosting servers") servers.insert(d.name);
  }
  c.hosting_servers.assign(servers.begin(), servers.end());

  std::map<std::string, double> power;  // device -> mean avg power over seeds
  const double seeds = static_cast<double>(runs.size());
  for (const RunSummary& r : runs) {
    c.throughput += r.throughput / seeds;
    c.stall += r.stall / seeds;
    c.system_peak_w += r.system_peak_w / seeds;
    for (const ReportDevice& d : r.devices) power[d.name] += d.avg_power_w / seeds;
  }
  const RunSummary& first = runs.front();
  for (const ReportDevice& d : first.devices) {
    if (d.name == o.hosts.front() && d.lifetime_s > 0) c.lifetime_s = d.lifetime_s;
  }
  if (c.lifetime_s <= 0) c.lifetime_s = o.cost_horizon_s;
  const double L = c.lifetime_s;
  std::map<std::pair<std::string, std::string>, CostLine> lines;
  double capex_over_l = 0;
  for (const ReportDevice& d : first.devices) {
    std::string r = role_of(d);
    if (r.empty()) continue;
    CostLine& line = lines[{r, d.sku}];
    line.role = r;
    line.sku = d.sku;
    ++line.count;
    line.capex_usd += d.capex_usd;
    line.avg_power_w += power[d.name];
    line.full_load_power_w += d.full_load_power_w;
    capex_over_l += d.lifetime_s > 0 ? d.capex_usd * L / d.lifetime_s : d.capex_usd;
  }
  // Lines in a fixed order: the sized devices, their servers, other pools, then NICs and disks.
  auto rank = [](const std::string& r) {
    if (r == "devices") return 0;
    if (r == "hosting servers") return 1;
    if (r == "NICs and links") return 3;
    if (r == "disks") return 4;
    return 2;
  };
  for (int k = 0; k <= 4; ++k) {
    for (const auto& [key, line] : lines) {
      if (rank(line.role) == k) c.lines.push_back(line);
    }
  }
  for (const CostLine& line : c.lines) {
    c.capex_usd += line.capex_usd;
    c.power_avg_w += line.avg_power_w;
    c.power_peak_w += line.full_load_power_w;
  }
  c.tco_usd = capex_over_l + c.power_avg_w * L * o.price_per_j * o.pue;
  for (const RunSummary& r : runs) {
    if (r.window_s > 0) c.stall_price_usd += r.stall_price_usd * L / r.window_s / seeds;
  }
  c.samples_per_usd = c.tco_usd > 0 ? c.throughput * L / c.tco_usd : 0;
  return c;
}

}  // namespace prepsim::analysis
