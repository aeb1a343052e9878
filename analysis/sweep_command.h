// `prepsim sweep SWEEP.yaml [-j N] [-o DIR] [--csv FILE] [--force]`: runs a base scenario over the points of a
// sweep file (models/sweep/sweep_spec.h), each point in its own child process (`prepsim run ... -o
// DIR/points/KEY`, started with posix_spawn), and records each finished point in DIR/sweep.db (sweep_db.h).
// A point's key is fnv1a64 of its resolved scenario and seed; rerunning resumes (points in the database are not
// rerun). Children die with the parent: each runs in its own process group, which SIGINT/SIGTERM handlers and
// the exit path kill, and each child first sets PR_SET_PDEATHSIG (through `prepsim sweep --exec-child`, a
// trampoline that then execs `prepsim run`), so even a SIGKILLed sweep leaves no simulation running.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace prepsim::analysis {

// Exit codes: 0 the sweep finished (failed points included, counted in the summary), 2 bad input or a changed
// sweep file without --force, 1 the database or a child could not be handled.
int run_sweep_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace prepsim::analysis
