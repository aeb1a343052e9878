#include "analysis/run_command.h"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "analysis/provenance.h"
#include "analysis/reporter.h"
#include "models/catalog.h"
#include "models/cpu_costs.h"
#include "models/config/input_error.h"
#include "models/metrics.h"
#include "models/scenario.h"
#include "models/workload.h"
#include "sim/engine.h"

namespace prepsim::analysis {

namespace fs = std::filesystem;

std::string default_scenario_path() { return std::string(PREPSIM_SOURCE_DIR) + "/scenarios/examples/default.yaml"; }


int run_command(const RunArgs& args, std::ostream& out, std::ostream& err) {
  auto t0 = std::chrono::steady_clock::now();
  std::string path = args.scenario.empty() ? default_scenario_path() : args.scenario;
  try {
    LoadOptions lo;
    lo.overrides = args.overrides;
    lo.seed = args.seed;
    Scenario sc = load_scenario(path, lo);
    Catalog cat = load_catalog(sc.catalog);
    CostTable costs = resolve_cpu_costs(sc, cat);
    Workload wl(sc, costs);
    sim::EngineOptions eo;
    eo.cfg = args.cfg;
    RunRecord rec = sim::simulate(sc, cat, wl, eo);
    Metrics m = compute_metrics(rec, sc, cat);
    std::vector<std::string> broken = check_invariants(rec, m);
    if (!broken.empty()) {
      for (const std::string& b : broken) err << "prepsim: internal error: invariant broken: " << b << "\n";
      return 3;
    }
    RunOutcome o;
    o.scenario = &sc;
    o.record = &rec;
    o.metrics = &m;
    o.cpu_costs = costs.source;
    o.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    o.provenance = provenance();
    o.provenance["seed"] = sc.seed;
    o.provenance["wall_s"] = o.wall_s;
    o.provenance["scenario"] = fs::absolute(path).string();
    o.provenance["platform"] = sc.platform;
    o.provenance["catalog"] = sc.catalog;
    console_reporter(out)->report(o);
    if (!args.out_dir.empty()) {
      fs::create_directories(args.out_dir);
      std::ofstream resolved(args.out_dir + "/scenario.resolved.yaml");
      resolved << "# The resolved scenario of this run: includes merged, overrides and defaults applied.\n"
               << "# `prepsim run scenario.resolved.yaml` in this folder reruns it.\n"
               << config::emit_yaml(sc.resolved);
      json_reporter(args.out_dir)->report(o);
      csv_reporter(args.out_dir)->report(o);
    }
    return 0;
  } catch (const InputError& e) {
    err << "prepsim: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace prepsim::analysis
