// `prepsim sweep SWEEP.yaml [-j N] [-o DIR] [--csv FILE] [--force]`: runs a base scenario over the points of a
// sweep file (models/sweep/sweep_spec.h), each point in its own child process (`prepsim run ... -o
// DIR/points/KEY`, started by the child runner, child_runner.h), and records each finished point in DIR/sweep.db
// (sweep_db.h). A point's key is fnv1a64 of its resolved scenario and seed; rerunning resumes (points in the
// database are not rerun). Children die with the parent (process groups killed by signal handlers and at exit,
// PR_SET_PDEATHSIG through the `prepsim sweep --exec-child` trampoline). Under `mpirun` (builds with MPI) the
// points are shared out among the ranks and rank 0 alone writes the database (sweep_mpi.h).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace prepsim::analysis {

// Exit codes: 0 the sweep finished (failed points included, counted in the summary), 2 bad input or a changed
// sweep file without --force, 1 the database or a child could not be handled.
int run_sweep_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace prepsim::analysis
