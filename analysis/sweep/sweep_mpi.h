// `mpirun -n R prepsim sweep SWEEP.yaml [-j N] ...`: the points of a sweep shared out among R MPI ranks, each
// running up to N children with the child runner (posix_spawn: never fork under MPI). Compiled only in builds
// with MPI (cmake -DPREPSIM_MPI, which defines PREPSIM_HAVE_MPI); called only when mpirun started the process,
// so `prepsim run` and the children never touch MPI.
//
// Rank 0 holds the session (sweep_session.h): it reads the sweep file and the database, so only points not yet
// done are handed out (resume works as without MPI), writes each finished point in its own transaction and
// draws the progress line. It hands out points on demand rather than by a static split: points differ a lot in
// cost (a sweep over fleet size or duration), and a static round-robin would leave ranks idle while one works
// through its expensive share. Rank 0 runs points too; it polls its peers between its own children.
#pragma once

#include <ostream>

#include "analysis/sweep/sweep_session.h"

namespace prepsim::analysis {

// Calls MPI_Init and MPI_Finalize. Returns rank 0's exit code on every rank (2: bad sweep file or a refused
// database, as without MPI). A database or spawn failure on any rank aborts the whole job (MPI_Abort, exit 1);
// finished points stay in the database.
int run_sweep_mpi(const SweepOptions& o, std::ostream& out, std::ostream& err);

}  // namespace prepsim::analysis
