// The simulation engine: runs one scenario on its SimGrid platform and returns the raw RunRecord.
//
// Actors (one simulation per process, SimGrid's engine is process-wide), each in its own file:
//   - workers (worker.cpp): per slot of each segment's pool; they claim, read, receive and compute chunks and
//     hold each finished one in their one-chunk output buffer (the path of one chunk is at the top of worker.cpp);
//   - the dispatcher (dispatcher.cpp): matches finished chunks with trainer requests and sends them;
//   - a trainer replica per trainer host (trainer.cpp): a bounded prefetch buffer of `prefetch` chunks (a
//     permanent-receiver mailbox, so transfers overlap compute, plus one request per free slot), a step as an
//     Exec on its host; replicas of a synchronous job meet at a barrier every step;
//   - a controller that snapshots the counters when warm-up ends and when the window ends, and a power sampler
//     (controller.cpp).
// Everything measured is clipped to the window [warmup, warmup + duration].
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "models/catalog.h"
#include "models/run_record.h"
#include "models/scenario.h"
#include "models/workload.h"

namespace prepsim::sim {

struct EngineOptions {
  std::vector<std::string> cfg;  // extra SimGrid --cfg items ("item:value")
  bool force = false;            // run even when the run is estimated to take hours (models/run_estimate.h)
  // Called as simulated time advances, for a progress line: the clock, the window's end, activities so far.
  // Observes only: it never changes what is simulated.
  std::function<void(double now, double end, double activities)> progress;
};

// Runs the scenario. Call once per process. Before the simulation starts it checks the platform file
// (platform_check.h), asks SimGrid about --cfg items and undecided routes in a child process (cfg_probe.h), and
// refuses a run past this machine's limits (check_run_limits). Throws InputError for every such problem.
RunRecord simulate(const Scenario& scenario, const Catalog& catalog, const Workload& workload,
                   const EngineOptions& options);

}  // namespace prepsim::sim
