// `prepsim sweep` (sweep_command.h): parses the command line and runs the points in child processes with the
// shared child runner (child_runner.h), one process holding the session (sweep_session.h). Under mpirun, with
// MPI built in, the ranks share the points instead (sweep_mpi.h).
#include "analysis/sweep/sweep_command.h"

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <streambuf>

#include "analysis/children/child_runner.h"
#include "analysis/sweep/sweep_session.h"
#include "models/config/input_error.h"
#ifdef PREPSIM_HAVE_MPI
#include "analysis/sweep/sweep_mpi.h"
#endif

namespace prepsim::analysis {

namespace {

const char* kUsage =
    "usage: prepsim sweep SWEEP.yaml [-j N] [-o DIR] [--csv FILE] [--force]\n"
    "  Runs the base scenario of SWEEP.yaml (schema prepsim-sweep/v1, docs/sweep.md) at every point of its axes,\n"
    "  each point in its own child process, into DIR/sweep.db (SQLite). Rerunning resumes.\n"
    "  Under `mpirun -n R prepsim sweep ...` (builds with MPI) the points are shared out among the R ranks.\n"
    "  -j N        points run at once (per MPI rank; default 1)\n"
    "  -o DIR      output directory (default: SWEEP's name + .sweep, in the current directory)\n"
    "  --csv FILE  export the points table to FILE (parameters as columns) when the sweep ends\n"
    "  --force     accept a database made by a different version of the sweep file, and a sweep estimated\n"
    "              to take over an hour\n"
    "  Exit code: 0 every point ran, 1 some points failed (listed), 2 bad input.\n";

// Started by OpenMPI's mpirun: the only case in which the sweep calls MPI_Init (children and `prepsim run` never).
bool under_mpirun() { return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr; }

// Ranks other than 0 stay silent about usage errors, which every rank finds alike: one message, not R.
bool quiet_rank() {
  const char* r = std::getenv("OMPI_COMM_WORLD_RANK");
  return r && std::strcmp(r, "0") != 0;
}

struct NullBuf : std::streambuf {
  int overflow(int c) override { return c; }
};

// 0 with *o filled, or the exit code: 2 for bad arguments, 0 for --help (*help set).
int parse(const std::vector<std::string>& args, SweepOptions* o, bool* help, std::ostream& out, std::ostream& err) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw InputError("", 0, a, "needs a value");
      return args[++i];
    };
    try {
      if (a == "-h" || a == "--help") {
        out << kUsage;
        *help = true;
        return 0;
      } else if (a == "-j" || a == "--jobs") {
        std::string v = value();
        char* end = nullptr;
        long n = std::strtol(v.c_str(), &end, 10);
        if (v.empty() || *end || n < 1 || n > kMaxChildren) {
          throw InputError("", 0, a, fmt::format("a count from 1 to {}", kMaxChildren));
        }
        o->jobs = static_cast<int>(n);
      } else if (a == "-o" || a == "--out") {
        o->out_dir = value();
      } else if (a == "--csv") {
        o->csv = value();
      } else if (a == "--force") {
        o->force = true;
      } else if (!a.empty() && a[0] == '-') {
        throw InputError("", 0, a, "unknown option");
      } else if (o->sweep.empty()) {
        o->sweep = a;
      } else {
        throw InputError("", 0, a, "one sweep file only");
      }
    } catch (const InputError& e) {
      err << "prepsim sweep: " << e.what() << "\n" << kUsage;
      return 2;
    }
  }
  if (o->sweep.empty()) {
    err << "prepsim sweep: a sweep file is required\n" << kUsage;
    return 2;
  }
  return 0;
}

// One process: the session and up to -j children.
int run_local(const SweepOptions& o, std::ostream& out, std::ostream& err) {
  try {
    int code = 0;
    std::unique_ptr<SweepSession> s = SweepSession::open(o, out, err, &code);
    if (!s) return code;
    const std::vector<SweepPoint>& pending = s->pending();
    std::vector<ChildJob> jobs;
    for (const SweepPoint& p : pending) jobs.push_back(point_job(p, s->dir()));
    run_jobs(jobs, o.jobs, [&](std::size_t i, const ChildResult& r) {
      s->record(point_row(pending[i], r, s->dir()));
    });
    return s->finish();
  } catch (const std::exception& e) {
    err << "prepsim sweep: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace

int run_sweep_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (!args.empty() && args[0] == kExecChildFlag) exec_child(args);
  NullBuf null_buf;
  std::ostream null_stream(&null_buf);
  bool quiet = quiet_rank();
  SweepOptions o;
  bool help = false;
  if (int code = parse(args, &o, &help, quiet ? null_stream : out, quiet ? null_stream : err); code != 0 || help) {
    return code;
  }
  if (under_mpirun()) {
#ifdef PREPSIM_HAVE_MPI
    return run_sweep_mpi(o, out, err);
#else
    // Every rank would run every point into the same database: refuse rather than do the work R times.
    if (!quiet) {
      err << "prepsim sweep: started by mpirun, but this prepsim was built without MPI (cmake -DPREPSIM_MPI=ON "
             "needs libopenmpi-dev); run it without mpirun\n";
    }
    return 2;
#endif
  }
  return run_local(o, out, err);
}

}  // namespace prepsim::analysis
