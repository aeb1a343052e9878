// Shared state of one running simulation, in three parts: the pipeline (what a chunk goes through), the trainers
// (what consumes it) and the accounting (what the run measures), plus the routes between hosts.
// Internal to sim/ (engine.cpp sets it up, the actors run on it).
#pragma once

#include <simgrid/s4u.hpp>

#include "models/scenario.h"
#include "models/workload.h"
#include "sim/accounting.h"
#include "sim/pipeline.h"
#include "sim/routes.h"
#include "sim/trainers.h"

namespace prepsim::sim {

struct State {
  const Scenario* scenario = nullptr;
  const Workload* workload = nullptr;
  Routes routes;
  Pipeline pipeline;
  Trainers trainers;
  Accounting accounting;
};

// Refuses (InputError) a run past what this machine can do or that could measure nothing (run_limits.cpp): more
// actors than the process may map, a wall time estimated past an hour unless `force`, a chunk that cannot reach a
// trainer before the run ends.
void check_run_limits(const State& st, const Scenario& sc, bool force, double bound_samples_per_s);

// Actor bodies: worker.cpp, dispatcher.cpp, trainer.cpp, controller.cpp.
void worker_actor(State* st, int segment, int worker);
void dispatcher_actor(State* st);
void replica_actor(State* st, int replica);
void controller_actor(State* st);
void power_sampler_actor(State* st, double period);

}  // namespace prepsim::sim
