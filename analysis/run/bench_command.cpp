#include "analysis/run/bench_command.h"

#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>

#include "models/host_info.h"
#include "models/catalog.h"
#include "models/cpu_costs.h"
#include "models/config/input_error.h"
#include "models/scenario.h"
#include "models/workload.h"
#include "sim/engine.h"

namespace prepsim::analysis {

std::string default_bench_scenario() { return std::string(PREPSIM_SOURCE_DIR) + "/bench/scaled.yaml"; }

int bench_command(const std::string& path, std::ostream& out, std::ostream& err) {
  try {
    Scenario sc = load_scenario(path);
    Catalog cat = load_catalog(sc.catalog);
    Workload wl(sc, resolve_cpu_costs(sc, cat));
    auto t0 = std::chrono::steady_clock::now();
    RunRecord rec = sim::simulate(sc, cat, wl, {});
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::size_t workers = 0, trainers = 0;
    for (const Pool& p : sc.pools) {
      if (p.kind == "cpu") workers += p.hosts.size() * static_cast<std::size_t>(p.workers_per_host);
    }
    for (const TrainerJob& j : sc.jobs) trainers += j.hosts.size();
    out << fmt::format("benchmark    {} ({} workers, {} trainers) on {}\n", sc.name, workers, trainers, cpu_model());
    out << fmt::format("simulated    {:.1f} s, {:.0f} activities (exec, comm, io)\n", rec.simulated_s, rec.activities);
    out << fmt::format("wall         {:.3f} s\n", wall);
    out << fmt::format("speed        {:.0f} activities per wall second\n", rec.activities / wall);
    out << fmt::format("             {:.4f} wall seconds per simulated second ({:.1f} s per simulated hour)\n",
                       wall / rec.simulated_s, 3600.0 * wall / rec.simulated_s);
    out << fmt::format("peak memory  {:.1f} MB RSS\n", static_cast<double>(ru.ru_maxrss) / 1024.0);
    return 0;
  } catch (const InputError& e) {
    err << "prepsim: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace prepsim::analysis
