#include "analysis/reproduce/presto.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

namespace prepsim::analysis {

using nlohmann::json;

namespace {

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0.0 : s / static_cast<double>(v.size());
}

double node_demand(const PrestoInputs& in, std::size_t k) {
  return static_cast<double>(in.node_replicas) * in.cpu[k].demand_per_replica;
}

template <typename F>
double mean_of(const std::vector<RmRow>& rms, F f) {
  std::vector<double> v;
  for (const RmRow& r : rms) v.push_back(f(r));
  return mean(v);
}

json side_json(const SideRow& s) {
  return {{"latency_s", s.latency_s},
          {"samples_per_s", s.samples_per_s},
          {"binding", s.binding},
          {"samples_per_J", s.samples_per_j},
          {"cost_samples_per_usd", s.cost_samples_per_usd},
          {"with_hosts", {{"samples_per_J", s.hosts_samples_per_j}, {"cost_samples_per_usd", s.hosts_cost_samples_per_usd}}}};
}

}  // namespace

PoolRun pool_run(const json& report, const Catalog& catalog, const std::string& kind) {
  PoolRun r;
  r.scenario = report.at("scenario").at("name").get<std::string>();
  r.latency_s = report.at("latency").at("unloaded_s").get<double>();
  const json& job = report.at("jobs").at(0);
  r.demand_per_replica = job.at("demand_samples_per_s").get<double>() / job.at("replicas").get<double>();
  r.fleet_capex_usd = report.at("fleet").at("capex_usd").get<double>();
  std::set<std::string> hosts;
  for (const json& d : report.at("devices")) {
    if (d.at("scope") == "fleet") r.fleet_full_load_w += d.at("full_load_power_W").get<double>();
    if (d.at("kind") != kind || d.at("scope") != "fleet") continue;
    std::string name = d.at("device").get<std::string>();
    std::string sku = d.at("sku").get<std::string>();
    const Sku* s = catalog.find(sku);
    if (s == nullptr || !s->tdp) {
      throw std::runtime_error(fmt::format("{}: host {} has SKU '{}' without a tdp in the catalog", r.scenario, name, sku));
    }
    hosts.insert(name);
    r.tdp_w += s->tdp->value;
    r.capex_usd += d.at("capex_usd").get<double>();
  }
  if (hosts.empty()) throw std::runtime_error(fmt::format("{}: no {} hosts in the fleet", r.scenario, kind));
  r.devices = static_cast<double>(hosts.size());
  double best = std::numeric_limits<double>::infinity();
  for (const json& res : report.at("analytic_bound").at("resources")) {
    std::string k = res.at("kind").get<std::string>();
    std::string name = res.at("resource").get<std::string>();
    bool own = false;
    if (kind == "cpu") {
      own = k == "cpu" || k == "memory";
    } else {
      own = k == "device";
      if (k == "disk") {
        std::string host = name.substr(5, name.find(':') - 5);  // "disk HOST:NAME"
        own = hosts.count(host) > 0;
      }
    }
    if (k == "workers") r.workers = res.at("capacity_per_s").get<double>();
    if (k == "cpu") r.core_flops = res.at("capacity_per_s").get<double>();  // summed over cores: divided below
    if (own && res.at("max_samples_per_s").get<double>() < best) {
      best = res.at("max_samples_per_s").get<double>();
      r.binding = name;
    }
  }
  if (r.workers > 0) r.core_flops /= r.workers;
  if (!std::isfinite(best)) throw std::runtime_error(fmt::format("{}: no {} resources in the bound", r.scenario, kind));
  r.pool_samples_per_s = best;
  return r;
}

std::vector<RmRow> rm_rows(const PrestoInputs& in) {
  std::vector<RmRow> out;
  auto side = [&](const PoolRun& p, double latency) {
    SideRow s;
    s.latency_s = latency;
    s.samples_per_s = p.pool_samples_per_s;
    s.binding = p.binding;
    double h = in.horizon_s, price = in.price_per_j;
    s.samples_per_j = p.pool_samples_per_s / p.tdp_w;
    s.cost_samples_per_usd = p.pool_samples_per_s * h / (p.capex_usd + p.tdp_w * h * price);
    s.hosts_samples_per_j = p.pool_samples_per_s / p.fleet_full_load_w;
    s.hosts_cost_samples_per_usd = p.pool_samples_per_s * h / (p.fleet_capex_usd + p.fleet_full_load_w * h * price);
    return s;
  };
  for (std::size_t k = 0; k < in.cpu.size(); ++k) {
    const PoolRun& c = in.cpu[k];
    const PoolRun& i = in.isp[k];
    RmRow r;
    r.rm = static_cast<int>(k) + 1;
    r.cpu = side(c, c.latency_s);
    r.isp = side(i, i.latency_s);
    r.op_share = in.op_share[k];
    r.cpu_ops_s = c.ops_s;
    r.cpu_format_s = c.format_s;
    r.smartssds = std::ceil(node_demand(in, k) / (i.pool_samples_per_s / i.devices) - 1e-9);
    r.cores = node_demand(in, k) / (c.pool_samples_per_s / c.workers);
    out.push_back(r);
  }
  return out;
}

int largest_smartssd_rm(const std::vector<RmRow>& rms) {
  const RmRow* best = &rms.front();
  for (const RmRow& r : rms) {
    if (r.smartssds > best->smartssds) best = &r;
  }
  return best->rm;
}

std::vector<ReproRow> presto_rows(const PrestoInputs& in, const std::vector<RmRow>& rms,
                                  const std::vector<std::string>& fitted) {
  int max_rm = largest_smartssd_rm(rms);
  auto klass = [&](const std::string& m) {
    return std::find(fitted.begin(), fitted.end(), m) != fitted.end() ? "fitted" : "predicted";
  };
  std::vector<ReproRow> rows;
  auto add = [&](std::string metric, double paper, double value, std::string note) {
    ReproRow r;
    r.metric = metric;
    r.paper = paper;
    r.prepsim = value;
    r.klass = klass(metric);
    r.note = std::move(note);
    rows.push_back(r);
  };
  add("speedup_1worker_vs_1smartssd", 9.6, mean_of(rms, [](const RmRow& r) { return r.speedup(); }),
      "unloaded chunk latency, one CPU worker / one SmartSSD, mean RM1-RM5");
  add("energy_efficiency", 11.3, mean_of(rms, [](const RmRow& r) { return r.energy_ratio(); }),
      "devices alone: (P / TDP) SmartSSD over CPU pool, mean RM1-RM5");
  add("cost_efficiency", 4.3, mean_of(rms, [](const RmRow& r) { return r.cost_ratio(); }),
      "devices alone: P x H / (capex + TDP x H x price), SmartSSD over CPU pool, mean RM1-RM5");
  add("cpu_cores_rm5", 367, rms.back().cores, "T of one 8xA100 node / one core's P on RM5");
  rows.back().simulated = in.simulated_cores;
  add("smartssds_max", 9, rms[static_cast<std::size_t>(max_rm - 1)].smartssds,
      fmt::format("ceil(T / one SmartSSD's P), largest over RM1-RM5 (RM{})", max_rm));
  rows.back().simulated = in.simulated_smartssds;
  add("op_share_bucketize_hash_log", 0.79, mean_of(rms, [](const RmRow& r) { return r.op_share; }),
      "their share of CPU op time per chunk, mean RM1-RM5");
  return rows;
}

std::string per_rm_text(const std::vector<RmRow>& rms) {
  std::string out = fmt::format(
      "\nper RM (latency: one CPU worker / one SmartSSD; P: the CPU pool / one SmartSSD, each alone; x: SmartSSD "
      "over CPU pool):\n{:<4} {:>13} {:>13} {:>8} {:>11} {:>11} {:<24} {:>9} {:>9} {:>11} {:>11}\n",
      "rm", "cpu_latency_s", "isp_latency_s", "speedup", "cpu_P_per_s", "isp_P_per_s", "isp_binding", "energy_x",
      "cost_x", "hosts_en_x", "hosts_cost_x");
  for (const RmRow& r : rms) {
    out += fmt::format("RM{:<2} {:>13.4f} {:>13.4f} {:>8.2f} {:>11.0f} {:>11.0f} {:<24} {:>9.2f} {:>9.2f} {:>11.2f} "
                       "{:>11.2f}\n",
                       r.rm, r.cpu.latency_s, r.isp.latency_s, r.speedup(), r.cpu.samples_per_s, r.isp.samples_per_s,
                       r.isp.binding, r.energy_ratio(), r.cost_ratio(), r.hosts_energy_ratio(), r.hosts_cost_ratio());
  }
  auto m = [&](auto f) { return mean_of(rms, f); };
  out += fmt::format(
      "devices alone (PreSto's comparison: what one device buys at its TDP and list price): energy {:.2f}x, cost "
      "{:.2f}x\n"
      "with hosts (the runs' fleet scope, what prepsim plan charges: the storage server and NICs on both sides, "
      "every fleet device at full load): energy {:.2f}x, cost {:.2f}x\n",
      m([](const RmRow& r) { return r.energy_ratio(); }), m([](const RmRow& r) { return r.cost_ratio(); }),
      m([](const RmRow& r) { return r.hosts_energy_ratio(); }), m([](const RmRow& r) { return r.hosts_cost_ratio(); }));
  return out;
}

json presto_json(const std::vector<ReproRow>& rows, const std::vector<RmRow>& rms) {
  json out = json::object();
  json head = json::array();
  for (const ReproRow& r : rows) {
    json o = {{"metric", r.metric}, {"paper", r.paper}, {"prepsim", r.prepsim}, {"ratio", r.ratio()},
              {"class", r.klass}};
    if (r.metric == "cpu_cores_rm5" || r.metric == "smartssds_max") {
      // null when the contended cluster was not searched or no size within the platform meets the goal
      o["simulated"] = r.simulated && std::isfinite(*r.simulated) ? json(*r.simulated) : json(nullptr);
    }
    head.push_back(o);
  }
  out["rows"] = head;
  json per = json::array();
  for (const RmRow& r : rms) {
    per.push_back({{"rm", r.rm},
                   {"cpu", side_json(r.cpu)},
                   {"isp", side_json(r.isp)},
                   {"speedup", r.speedup()},
                   {"energy_ratio", r.energy_ratio()},
                   {"cost_ratio", r.cost_ratio()},
                   {"with_hosts", {{"energy_ratio", r.hosts_energy_ratio()}, {"cost_ratio", r.hosts_cost_ratio()}}},
                   {"op_share", r.op_share},
                   {"cores", r.cores},
                   {"smartssds", r.smartssds},
                   {"cpu_worker_ops_s", r.cpu_ops_s},
                   {"cpu_worker_format_s", r.cpu_format_s}});
  }
  out["per_rm"] = per;
  out["with_hosts"] = {
      {"energy_efficiency", mean_of(rms, [](const RmRow& r) { return r.hosts_energy_ratio(); })},
      {"cost_efficiency", mean_of(rms, [](const RmRow& r) { return r.hosts_cost_ratio(); })},
      {"note", "the runs' fleet scope: each side with its storage server and NICs, at the full-load power of every "
               "fleet device (what prepsim plan charges); the devices-alone rows are PreSto's comparison"}};
  return out;
}

}  // namespace prepsim::analysis
