#include "analysis/presto.h"

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

double smartssds_for(const PrestoInputs& in, std::size_t k) {
  const PoolRun& isp = in.isp[k];
  return std::ceil(node_demand(in, k) / (isp.pool_samples_per_s / isp.devices) - 1e-9);
}

}  // namespace

PoolRun pool_run(const json& report, const Catalog& catalog, const std::string& kind) {
  PoolRun r;
  r.scenario = report.at("scenario").at("name").get<std::string>();
  r.latency_s = report.at("latency").at("unloaded_s").get<double>();
  const json& job = report.at("jobs").at(0);
  r.demand_per_replica = job.at("demand_samples_per_s").get<double>() / job.at("replicas").get<double>();
  std::set<std::string> hosts;
  for (const json& d : report.at("devices")) {
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
    if (own) best = std::min(best, res.at("max_samples_per_s").get<double>());
  }
  if (!std::isfinite(best)) throw std::runtime_error(fmt::format("{}: no {} resources in the bound", r.scenario, kind));
  r.pool_samples_per_s = best;
  return r;
}

int largest_smartssd_rm(const PrestoInputs& in) {
  int best = 0;
  for (std::size_t k = 0; k < in.isp.size(); ++k) {
    if (smartssds_for(in, k) > smartssds_for(in, static_cast<std::size_t>(best))) best = static_cast<int>(k);
  }
  return best + 1;
}

std::vector<ReproRow> presto_rows(const PrestoInputs& in, const std::vector<std::string>& fitted) {
  std::vector<double> speedup, energy, cost;
  for (std::size_t k = 0; k < in.cpu.size(); ++k) {
    const PoolRun& c = in.cpu[k];
    const PoolRun& i = in.isp[k];
    speedup.push_back(c.latency_s / i.latency_s);
    energy.push_back((i.pool_samples_per_s / i.tdp_w) / (c.pool_samples_per_s / c.tdp_w));
    auto eff = [&](const PoolRun& p) {
      return p.pool_samples_per_s * in.horizon_s / (p.capex_usd + p.tdp_w * in.horizon_s * in.price_per_j);
    };
    cost.push_back(eff(i) / eff(c));
  }
  const std::size_t rm5 = in.cpu.size() - 1;
  const PoolRun& c5 = in.cpu[rm5];
  double cores = node_demand(in, rm5) / (c5.pool_samples_per_s / c5.workers);
  int max_rm = largest_smartssd_rm(in);
  double ssds = smartssds_for(in, static_cast<std::size_t>(max_rm - 1));

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
  add("speedup_1worker_vs_1smartssd", 9.6, mean(speedup), "unloaded chunk latency, one CPU worker / one SmartSSD, mean RM1-RM5");
  add("energy_efficiency", 11.3, mean(energy), "(P / TDP) SmartSSD over CPU pool, mean RM1-RM5");
  add("cost_efficiency", 4.3, mean(cost), "P x H / (capex + TDP x H x price), SmartSSD over CPU pool, mean RM1-RM5");
  add("cpu_cores_rm5", 367, cores, "T of one 8xA100 node / one core's P on RM5");
  rows.back().simulated = in.simulated_cores;
  add("smartssds_max", 9, ssds, fmt::format("ceil(T / one SmartSSD's P), largest over RM1-RM5 (RM{})", max_rm));
  rows.back().simulated = in.simulated_smartssds;
  add("op_share_bucketize_hash_log", 0.79, mean(in.op_share), "their share of CPU op time per chunk, mean RM1-RM5");
  return rows;
}

json rows_json(const std::vector<ReproRow>& rows) {
  json out = json::array();
  for (const ReproRow& r : rows) {
    json o = {{"metric", r.metric}, {"paper", r.paper}, {"prepsim", r.prepsim}, {"ratio", r.ratio()},
              {"class", r.klass}};
    if (r.metric == "cpu_cores_rm5" || r.metric == "smartssds_max") {
      // null when the contended cluster was not searched or no size within the platform meets the goal
      o["simulated"] = r.simulated && std::isfinite(*r.simulated) ? json(*r.simulated) : json(nullptr);
    }
    out.push_back(o);
  }
  return out;
}

}  // namespace prepsim::analysis
