#include "analysis/run/run_command.h"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "analysis/run/output_dir.h"
#include "analysis/children/progress.h"
#include "analysis/run/provenance.h"
#include "analysis/run/reporter.h"
#include "models/catalog.h"
#include "models/cpu_costs.h"
#include "models/config/input_error.h"
#include "models/metrics.h"
#include "models/run_estimate.h"
#include "models/scenario.h"
#include "models/workload.h"
#include "sim/engine.h"

namespace prepsim::analysis {

namespace fs = std::filesystem;

std::string default_scenario_path() { return std::string(PREPSIM_SOURCE_DIR) + "/scenarios/examples/default.yaml"; }


namespace {

// On a terminal, a run that lasts over a few seconds redraws one line on stderr: how far simulated time got.
// Nothing is drawn elsewhere, so files and goldens see the same output as before.
class RunProgress {
 public:
  explicit RunProgress(std::ostream& err) : line_(err, isatty(STDERR_FILENO) == 1) {}
  void update(double now, double end, double activities) {
    if (++calls_ % 64 != 0) return;
    auto t = std::chrono::steady_clock::now();
    double el = std::chrono::duration<double>(t - t0_).count();
    if (el < kAfterSeconds || std::chrono::duration<double>(t - last_).count() < 0.25) return;
    last_ = t;
    double frac = end > 0 ? std::min(1.0, now / end) : 0.0;
    std::string eta = frac > 0 ? fmt::format("{:.0f} s", el * (1 - frac) / frac) : "?";
    line_.line(fmt::format("run: {:.4g} of {:.4g} simulated s ({:.0f}%), {:.3g} activities, {:.0f} s so far, ETA {}",
                           now, end, 100 * frac, activities, el, eta));
  }
  void done() { line_.done(); }

 private:
  static constexpr double kAfterSeconds = 3;
  Progress line_;
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now(), last_;
  std::uint64_t calls_ = 0;
};

}  // namespace

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
    check_chunk_sizes(sc, wl);
    if (!args.out_dir.empty()) check_output_dir(args.out_dir);
    sim::EngineOptions eo;
    eo.cfg = args.cfg;
    eo.force = args.force;
    RunProgress progress(err);
    eo.progress = [&progress](double now, double end, double activities) { progress.update(now, end, activities); };
    RunRecord rec = sim::simulate(sc, cat, wl, eo);
    progress.done();
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
    if (!args.out_dir.empty()) try {
      write_output_dir(args.out_dir, [&](const std::string& dir) {
        std::ofstream resolved(dir + "/scenario.resolved.yaml");
        resolved << "# The resolved scenario of this run: includes merged, overrides and defaults applied.\n"
                 << "# `prepsim run scenario.resolved.yaml` in this folder reruns it.\n"
                 << config::emit_yaml(sc.resolved);
        if (!resolved) throw std::runtime_error("cannot write " + dir + "/scenario.resolved.yaml");
        json_reporter(dir)->report(o);
        csv_reporter(dir)->report(o);
      });
    } catch (const std::exception& e) {  // disk full, permissions changed during the run, ...
      err << "prepsim: -o: " << args.out_dir << ": cannot write the outputs (nothing written): " << e.what() << "\n";
      return 1;
    }
    return 0;
  } catch (const InputError& e) {
    err << "prepsim: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    err << "prepsim: internal error: " << e.what() << "\n";
    return 3;
  }
}

}  // namespace prepsim::analysis
