// check_run_limits (state.h): the limits a set-up simulation is checked against before it runs.
#include <fmt/format.h>

#include <fstream>

#include "models/config/input_error.h"
#include "models/limits.h"
#include "models/run_estimate.h"
#include "sim/state.h"

namespace prepsim::sim {

namespace {

// vm.max_map_count of this machine (Linux's default when it cannot be read).
long max_map_count() {
  std::ifstream in("/proc/sys/vm/max_map_count");
  long n = 0;
  if (in >> n && n > 0) return n;
  return 65530;
}

}  // namespace

void check_run_limits(const State& st, const Scenario& sc, bool force, double bound_samples_per_s) {
  // Actors: a worker, at times a reader beside it, the replicas, the dispatcher, controller and power sampler.
  double workers = 0;
  const Segment* biggest = nullptr;
  for (const Segment& seg : st.pipeline.segments) {
    workers += static_cast<double>(seg.workers.size());
    if (biggest == nullptr || seg.workers.size() > biggest->workers.size()) biggest = &seg;
  }
  long maps = max_map_count();
  double max_actors = static_cast<double>(maps - limits::kReservedMappings) / limits::kMappingsPerActor;
  double actors = 2 * workers + static_cast<double>(st.trainers.replicas.size()) + 3;
  if (actors > max_actors) {
    const Pool& p = *biggest->pool;
    throw InputError(p.file, p.line, fmt::format("pools.{}.workers_per_host", p.name),
                     fmt::format("{:.0f} workers in all ({} here: {} hosts x {}), about {:.0f} SimGrid actors with "
                                 "their readers; each actor takes {} memory mappings and this machine allows {} per "
                                 "process (vm.max_map_count), so at most about {:.0f} workers; lower "
                                 "workers_per_host",
                                 workers, biggest->workers.size(), p.hosts.size(),
                                 p.workers_per_host == 0 ? std::string("one per core")
                                                         : std::to_string(p.workers_per_host),
                                 actors, limits::kMappingsPerActor, maps,
                                 (max_actors - static_cast<double>(st.trainers.replicas.size()) - 3) / 2));
  }

  // A chunk that cannot reach a trainer before the run ends: the run would report zero throughput.
  double unloaded = st.pipeline.phases.unloaded_s();
  if (unloaded > st.accounting.window.end) {
    auto [file, line] = written_at(sc, "run", "duration");
    throw InputError(file, line, "run.duration",
                     fmt::format("one chunk takes {:.4g} s through the pipeline on idle resources, but the run ends "
                                 "at {:.4g} s (warmup + duration): no chunk would reach a trainer and nothing would "
                                 "be measured; lengthen the run or use a smaller batch_size",
                                 unloaded, st.accounting.window.end));
  }

  RunEstimate e = estimate_run(sc, workers, static_cast<double>(st.pipeline.segments.size()), bound_samples_per_s);
  if (!force && e.wall_s > limits::kMaxEstimatedWallSeconds) {
    auto [file, line] = written_at(sc, "run", "duration");
    throw InputError(file, line, "run.duration",
                     fmt::format("this run would take {} (warmup + duration = {:.4g} s of simulated time); at most "
                                 "{:.0f} min runs without --force: shorten the run, or pass --force",
                                 e.describe(), sc.run.warmup + sc.run.duration,
                                 limits::kMaxEstimatedWallSeconds / 60));
  }
}

}  // namespace prepsim::sim
