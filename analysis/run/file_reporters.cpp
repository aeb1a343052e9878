// report.json and the CSV tables.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "analysis/run/reporter.h"

namespace prepsim::analysis {
namespace {

using json = nlohmann::ordered_json;

json scope_json(const ScopeTotals& t) {
  return json{{"energy_J", t.energy_j},
              {"avg_power_W", t.avg_power_w},
              {"tco_usd", t.tco_usd},
              {"rental_usd", t.rental_usd},
              {"capex_usd", t.capex_usd},
              {"samples_per_J", t.samples_per_j},
              {"samples_per_usd", t.samples_per_usd},
              {"cost_efficiency_samples_per_usd", t.cost_efficiency}};
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

class JsonReporter : public Reporter {
 public:
  explicit JsonReporter(std::string dir) : dir_(std::move(dir)) {}
  // Paths in the provenance block are the system's bytes, which need not be UTF-8: replaced, not thrown on.
  void report(const RunOutcome& o) override {
    write_file(dir_ + "/report.json", report_json(o).dump(2, ' ', false, json::error_handler_t::replace) + "\n");
  }

 private:
  std::string dir_;
};

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

class CsvReporter : public Reporter {
 public:
  explicit CsvReporter(std::string dir) : dir_(std::move(dir)) {}
  void report(const RunOutcome& o) override {
    const Metrics& m = *o.metrics;
    std::string jobs = "job,sync,replicas,demand_samples_per_s,throughput_samples_per_s,stall_mean_fraction,"
                       "stall_max_fraction,step_stall_fraction,stalled_accelerator_s,stall_price_usd,stall_energy_J\n";
    std::string attribution = "job,stage,stall_fraction_of_window\n";
    for (const JobMetrics& j : m.jobs) {
      jobs += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(j.name), j.sync, j.replicas, j.demand,
                          j.throughput, j.stall_mean, j.stall_max, j.step_stall, j.stalled_accel_s,
                          j.stall_price_usd, j.stall_energy_j);
      for (const auto& [stage, f] : j.attribution) {
        attribution += fmt::format("{},{},{}\n", csv_field(j.name), csv_field(stage), f);
      }
    }
    std::string resources = "resource,kind,scope,utilization_fraction,amount,amount_unit\n";
    for (const ResourceUse& r : m.resources) {
      resources += fmt::format("{},{},{},{},{},{}\n", csv_field(r.name), r.kind, r.scope, r.utilization, r.amount,
                               r.amount_unit);
    }
    std::string devices = "device,kind,sku,scope,energy_J,avg_power_W,full_load_power_W,power_source,capex_usd,"
                          "lifetime_s,rental_usd_per_h\n";
    for (const DeviceEnergy& d : m.devices) {
      devices += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(d.name), d.kind, csv_field(d.sku),
                             d.scope, d.energy_j, d.avg_power_w, d.full_load_power_w, d.power_source, d.capex_usd,
                             d.lifetime_s, d.rental_usd_per_s * 3600.0);
    }
    std::string scopes = "scope,energy_J,avg_power_W,tco_usd,rental_usd,capex_usd,samples_per_J,samples_per_usd,"
                         "cost_efficiency_samples_per_usd\n";
    for (auto [name, t] : {std::pair{"fleet", &m.fleet}, std::pair{"system", &m.system}}) {
      scopes += fmt::format("{},{},{},{},{},{},{},{},{}\n", name, t->energy_j, t->avg_power_w, t->tco_usd,
                            t->rental_usd, t->capex_usd, t->samples_per_j, t->samples_per_usd, t->cost_efficiency);
    }
    write_file(dir_ + "/jobs.csv", jobs);
    write_file(dir_ + "/attribution.csv", attribution);
    write_file(dir_ + "/resources.csv", resources);
    write_file(dir_ + "/devices.csv", devices);
    write_file(dir_ + "/scopes.csv", scopes);
  }

 private:
  std::string dir_;
};

}  // namespace

json report_json(const RunOutcome& o) {
  const Metrics& m = *o.metrics;
  const RunRecord& r = *o.record;
  json j;
  j["schema"] = "prepsim-report/v1";
  j["provenance"] = o.provenance;
  j["scenario"] = {{"name", o.scenario->name}, {"file", o.scenario->file}, {"seed", o.scenario->seed}};
  j["cpu_costs"] = {{"table", o.scenario->cpu_costs}, {"source", o.cpu_costs}};
  j["window"] = {{"warmup_s", r.warmup_s}, {"measured_s", m.window_s}, {"simulated_s", r.simulated_s},
                 {"in_pipeline_at_start_samples", r.samples_in_pipeline_at_start}};
  j["throughput_samples_per_s"] = m.throughput;
  j["trainer_demand_samples_per_s"] = m.demand;
  json bound_resources = json::array();
  for (const BoundResource& b : m.bound.resources) {
    bound_resources.push_back({{"resource", b.name}, {"kind", b.kind}, {"capacity_per_s", b.capacity},
                               {"demand_per_sample", b.demand}, {"max_samples_per_s", b.max_samples_per_s()}});
  }
  j["analytic_bound"] = {{"samples_per_s", m.bound.samples_per_s}, {"bottleneck", m.bound.bottleneck},
                         {"resources", bound_resources}};
  j["bottleneck"] = {{"resource", m.bottleneck}, {"utilization_fraction", m.bottleneck_utilization}};
  json jobs = json::array();
  for (const JobMetrics& jm : m.jobs) {
    jobs.push_back({{"job", jm.name}, {"sync", jm.sync}, {"replicas", jm.replicas},
                    {"demand_samples_per_s", jm.demand}, {"throughput_samples_per_s", jm.throughput},
                    {"stall_mean_fraction", jm.stall_mean}, {"stall_max_fraction", jm.stall_max},
                    {"step_stall_fraction", jm.step_stall}, {"stall_attribution_fraction", jm.attribution},
                    {"stalled_accelerator_s", jm.stalled_accel_s}, {"stall_price_usd", jm.stall_price_usd},
                    {"stall_energy_J", jm.stall_energy_j}});
  }
  j["jobs"] = jobs;
  j["fleet"] = scope_json(m.fleet);
  j["system"] = scope_json(m.system);
  json devices = json::array();
  for (const DeviceEnergy& d : m.devices) {
    devices.push_back({{"device", d.name}, {"kind", d.kind}, {"sku", d.sku}, {"scope", d.scope},
                       {"energy_J", d.energy_j}, {"avg_power_W", d.avg_power_w},
                       {"full_load_power_W", d.full_load_power_w}, {"power_source", d.power_source},
                       {"capex_usd", d.capex_usd}, {"lifetime_s", d.lifetime_s}});
  }
  j["devices"] = devices;
  j["peak_power_W"] = m.peak_power_w;
  j["price_of_stalls"] = {{"usd", m.stall_price_usd}, {"energy_J", m.stall_energy_j},
                          {"stalled_accelerator_s", m.stalled_accel_s}};
  j["latency"] = {{"unloaded_s", m.latency_unloaded_s}, {"p50_s", m.latency_p50_s}, {"p99_s", m.latency_p99_s}};
  j["cost_horizon_s"] = m.cost_horizon_s;
  j["simulator"] = {{"activities", r.activities}};
  j["timing"] = {{"wall_s", o.wall_s}, {"analytic_bound_us", m.bound.compute_us},
                 {"activities_per_wall_s", o.wall_s > 0 ? r.activities / o.wall_s : 0.0}};
  return j;
}

std::unique_ptr<Reporter> json_reporter(const std::string& dir) { return std::make_unique<JsonReporter>(dir); }
std::unique_ptr<Reporter> csv_reporter(const std::string& dir) { return std::make_unique<CsvReporter>(dir); }

}  // namespace prepsim::analysis
