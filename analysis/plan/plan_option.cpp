// Placement options of `prepsim plan`, goals, and reading a run's report: see plan_option.h.
#include "analysis/plan/plan_option.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include "models/catalog.h"
#include "models/config/input_error.h"
#include "models/cpu_costs.h"
#include "models/devices/device_kinds.h"
#include "models/devices/isp.h"
#include "models/scenario.h"
#include "models/units.h"
#include "models/workload.h"

namespace prepsim::analysis {

using nlohmann::json;

std::string PlanGoal::describe() const {
  if (throughput_goal) return fmt::format("throughput >= {:.6g} samples/s", throughput);
  return fmt::format("every job's mean stall <= {:.4g}%", max_stall * 100);
}

json PlanGoal::to_json() const {
  if (throughput_goal) return {{"kind", "throughput"}, {"throughput_samples_per_s", throughput}};
  return {{"kind", "no-stall"}, {"max_stall_fraction", max_stall}};
}

PlanGoal parse_goal(const std::string& goal, const std::string& max_stall, const std::string& throughput) {
  PlanGoal g;
  if (!goal.empty() && goal != "no-stall" && goal != "throughput") {
    throw std::invalid_argument(fmt::format("--goal: '{}' is not a goal; valid: no-stall, throughput", goal));
  }
  if (!throughput.empty() && !max_stall.empty()) {
    throw std::invalid_argument("--max-stall and --throughput are two goals; give one of them");
  }
  if (goal == "no-stall" && !throughput.empty()) {
    throw std::invalid_argument("--goal no-stall with --throughput: give one goal (--max-stall P sets no-stall's P)");
  }
  if (goal == "throughput" && throughput.empty()) {
    throw std::invalid_argument("--goal throughput needs --throughput X, e.g. --throughput 120K/s");
  }
  if (!max_stall.empty()) {
    std::string t = max_stall;
    bool percent = !t.empty() && t.back() == '%';
    if (percent) t.pop_back();
    double v = -1;
    try {
      v = parse_quantity(t, Dim::Ratio) / (percent ? 100.0 : 1.0);
    } catch (const UnitError&) {
    }
    if (!(v >= 0 && v < 1)) {
      throw std::invalid_argument(fmt::format(
          "--max-stall: '{}' is not a stall fraction in [0, 1); write a percentage or a fraction, e.g. 1% or 0.01",
          max_stall));
    }
    g.max_stall = v;
  }
  if (!throughput.empty()) {
    std::string t = throughput;
    std::size_t unit = t.find("/s");
    bool ok = unit != std::string::npos && unit + 2 == t.size();
    if (ok) {
      t = t.substr(0, unit);
      if (t.size() >= 7 && t.compare(t.size() - 7, 7, "samples") == 0) t.resize(t.size() - 7);
      while (!t.empty() && t.back() == ' ') t.pop_back();
    }
    double v = 0;
    try {
      v = ok ? parse_quantity(t, Dim::Count) : 0;
    } catch (const UnitError&) {
      ok = false;
    }
    if (!ok || !(v > 0)) {
      throw std::invalid_argument(fmt::format(
          "--throughput: '{}' is not a positive throughput in samples per second; write e.g. 120K/s or "
          "1.2Msamples/s",
          throughput));
    }
    g.throughput_goal = true;
    g.throughput = v;
  }
  return g;
}

namespace {

const json& at(const json& j, const std::string& key) {
  if (!j.is_object() || !j.contains(key)) throw std::runtime_error("report.json has no '" + key + "'");
  return j.at(key);
}
double num(const json& j, const std::string& key) { return at(j, key).get<double>(); }
std::string str(const json& j, const std::string& key) { return at(j, key).get<std::string>(); }

}  // namespace

RunSummary read_run_summary(const json& report) {
  RunSummary r;
  r.throughput = num(report, "throughput_samples_per_s");
  r.demand = num(report, "trainer_demand_samples_per_s");
  for (const json& job : at(report, "jobs")) r.stall = std::max(r.stall, num(job, "stall_mean_fraction"));
  r.window_s = num(at(report, "window"), "measured_s");
  r.stall_price_usd = num(at(report, "price_of_stalls"), "usd");
  r.system_peak_w = num(report, "peak_power_W");
  for (const json& d : at(report, "devices")) {
    r.devices.push_back({str(d, "device"), str(d, "kind"), str(d, "sku"), str(d, "scope"), num(d, "avg_power_W"),
                         num(d, "full_load_power_W"), num(d, "capex_usd"), num(d, "lifetime_s")});
  }
  for (const json& b : at(at(report, "analytic_bound"), "resources")) {
    r.bound.push_back({str(b, "resource"), str(b, "kind"), num(b, "max_samples_per_s")});
  }
  return r;
}

bool goal_met(const PlanGoal& goal, const RunSummary& run) {
  return goal.throughput_goal ? run.throughput >= goal.throughput : run.stall <= goal.max_stall;
}

const std::vector<std::string>& sizable_kinds() {
  static const std::vector<std::string> kinds = devices::with_device_kinds({"cpu"});
  return kinds;
}

PlanOption make_option(const std::string& scenario_file, const std::string& pool_name) {
  Scenario sc = load_scenario(scenario_file);
  PlanOption o;
  o.scenario_file = scenario_file;
  o.scenario_name = sc.name;
  o.seed = sc.seed;
  o.price_per_j = sc.run.electricity_price;
  o.pue = sc.run.pue;
  o.cost_horizon_s = sc.run.cost_horizon;
  const Pool& first = sc.pools.front();
  auto sizable = [&](const Pool& p) {
    bool runs = std::any_of(sc.stages.begin(), sc.stages.end(),
                            [&](const Stage& s) { return s.pool == p.name && s.op != "read"; });
    return runs && std::find(sizable_kinds().begin(), sizable_kinds().end(), p.kind) != sizable_kinds().end();
  };
  std::vector<std::string> names, devices, cpus;
  for (const Pool& p : sc.pools) {
    names.push_back(p.name);
    if (sizable(p)) (p.kind == "cpu" ? cpus : devices).push_back(p.name);
  }
  const Pool* pool = nullptr;
  if (!pool_name.empty()) {
    pool = sc.find_pool(pool_name);
    if (pool == nullptr) {
      throw InputError(first.file, first.line, "pools", fmt::format("no pool named '{}' (--pool); pools are: {}",
                                                                    pool_name, fmt::join(names, ", ")));
    }
    if (!sizable(*pool)) {
      throw InputError(pool->file, pool->line, "pools." + pool->name,
                       fmt::format("--pool {}: a {} pool that runs no compute stage cannot be sized; name a {} "
                                   "pool that runs a stage",
                                   pool->name, pool->kind, devices::join_or(sizable_kinds())));
    }
  } else {
    const std::vector<std::string>& pick = devices.empty() ? cpus : devices;
    if (pick.empty()) {
      throw InputError(first.file, first.line, "pools",
                       fmt::format("no pool to size: a plan sizes a {} pool that runs a stage; pools here: {}",
                                   devices::join_or(sizable_kinds()), fmt::join(names, ", ")));
    }
    if (pick.size() > 1) {
      throw InputError(first.file, first.line, "pools",
                       fmt::format("several pools could be sized ({}); name one with --pool", fmt::join(pick, ", ")));
    }
    pool = sc.find_pool(pick.front());
  }
  o.pool = pool->name;
  o.kind = pool->kind;
  o.option = pool->kind;
  o.hosts = pool->hosts;
  for (const Pool& p : sc.pools) {
    if (p.name == o.pool) continue;
    (p.kind == "storage" ? o.storage_pools : o.other_pools).push_back(p.name);
    for (const std::string& h : p.hosts) o.pool_role.emplace(h, fmt::format("pool {} ({})", p.name, p.kind));
  }
  o.platform = scan_platform(sc.platform);
  std::set<std::string> skus;
  for (const std::string& h : o.hosts) {
    auto it = o.platform.hosts.find(h);
    if (it == o.platform.hosts.end() && !o.platform.hosts.empty()) {
      throw InputError(pool->hosts_file, pool->hosts_line, "pools." + o.pool + ".hosts",
                       fmt::format("no host '{}' in the platform {}; list the platform's hosts", h, sc.platform));
    }
    skus.insert(it == o.platform.hosts.end() ? std::string() : it->second.sku);
  }
  o.same_sku = skus.size() == 1;
  auto h0 = o.platform.hosts.find(o.hosts.front());
  o.sku = h0 == o.platform.hosts.end() ? std::string() : h0->second.sku;
  const devices::DeviceKind* kind = devices::find_device_kind(o.kind);
  if (kind != nullptr && kind->stores_dataset) {
    Catalog cat = load_catalog(sc.catalog);
    for (const std::string& s : skus) {
      const Sku* sku = cat.find(s);
      if (sku != nullptr && sku->model && sku->model->store()) {
        o.device_capacity = std::max(o.device_capacity, sku->model->store()->capacity);
      }
    }
    if (o.device_capacity > 0) {
      Workload wl(sc, resolve_cpu_costs(sc, cat));
      o.dataset_bytes = wl.mean_chunk().stored_bytes * static_cast<double>(wl.chunks_per_epoch());
      o.floor = static_cast<int>(devices::isp_devices_for_skew(o.dataset_bytes, o.device_capacity, pool->skew));
      o.floor = std::max(o.floor, 1);
      if (o.floor > static_cast<int>(o.hosts.size())) {
        throw InputError(pool->hosts_file, pool->hosts_line, "pools." + o.pool + ".hosts",
                         fmt::format("{} devices cannot hold the dataset ({} stored, {} per device, skew {}): list "
                                     "at least {} hosts",
                                     o.hosts.size(), format_quantity(o.dataset_bytes, Dim::Size),
                                     format_quantity(o.device_capacity, Dim::Size), pool->skew, o.floor));
      }
    }
  }
  return o;
}

int analytic_lower_bound(const PlanOption& o, const RunSummary& run, int all_hosts, const PlanGoal& goal,
                         std::string* binding) {
  binding->clear();
  if (!o.same_sku || all_hosts <= 0) return o.floor;
  double need = goal.throughput_goal ? goal.throughput : run.demand * (1.0 - goal.max_stall);
  std::set<std::string> hosts(o.hosts.begin(), o.hosts.begin() + std::min<std::size_t>(all_hosts, o.hosts.size()));
  auto own = [&](const RunSummary::Bound& b) {
    if (b.kind == "cpu") return b.resource == "cpu cores " + o.pool;
    if (b.kind == "workers") return b.resource == "workers " + o.pool;
    if (b.kind == "device") return b.resource.rfind("devices " + o.pool + " (", 0) == 0;  // "devices POOL (binding)"
    if (b.kind == "memory") {  // "memory HOST-memN": a socket of a pool host
      return std::any_of(hosts.begin(), hosts.end(),
                         [&](const std::string& h) { return b.resource.rfind("memory " + h + "-", 0) == 0; });
    }
    if (b.kind == "disk") {  // "disk HOST:DISK"
      std::string rest = b.resource.substr(std::min<std::size_t>(5, b.resource.size()));
      return hosts.count(rest.substr(0, rest.find(':'))) > 0;
    }
    if (b.kind == "link") {  // "link NAME": a link of a pool host (a device's uplink, a server's NIC)
      auto it = o.platform.link_host.find(b.resource.substr(std::min<std::size_t>(5, b.resource.size())));
      return it != o.platform.link_host.end() && hosts.count(it->second) > 0;
    }
    return false;
  };
  int lower = o.floor;
  for (const RunSummary::Bound& b : run.bound) {
    if (!own(b) || b.max_samples_per_s <= 0) continue;
    double per_host = b.max_samples_per_s / all_hosts;
    int n = static_cast<int>(std::ceil(need / per_host - 1e-9));
    if (n > lower) {
      lower = n;
      *binding = b.resource;
    }
  }
  return lower;
}

}  // namespace prepsim::analysis
