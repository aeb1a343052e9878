// The pieces of `prepsim sweep` shared by its two drivers, the single-process one (sweep_command.cpp) and the
// MPI one (sweep_mpi.cpp): the options, a point and its child job, the database row a finished child gives, and
// the session - sweep file, database, resume, progress line, summary - that exactly one process (MPI rank 0)
// holds. Points travel between MPI ranks as they are here (key, params, arguments), so workers never read the
// sweep file or the database.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "analysis/children/child_runner.h"
#include "analysis/sweep/sweep_db.h"

namespace prepsim::analysis {

struct SweepOptions {
  std::string sweep, out_dir, csv;
  int jobs = 1;
  bool force = false;  // accept a changed sweep file, and a sweep estimated to take over an hour
  // Redraw one progress line when stdout is a terminal. Off under mpirun, where a rank's stdout is a pty even
  // when mpirun's own output goes to a file.
  bool redraw = true;
};

// The output directory: -o DIR, or the sweep file's name + ".sweep" in the current directory.
std::string sweep_dir(const SweepOptions& o);

struct SweepPoint {
  std::string key;                // fnv1a64 (hex) of the resolved scenario and seed
  std::string params;             // JSON object of the axis values
  std::vector<std::string> args;  // `prepsim` arguments without -o: run BASE --set k=v ... [--seed S]
};

// `prepsim ARGS -o DIR/points/KEY`, stdout discarded, stderr in DIR/points/KEY.stderr; removes a stale
// DIR/points/KEY left by an interrupted run.
ChildJob point_job(const SweepPoint& p, const std::string& dir);
// The row of a point whose child ended with r: metrics from its report.json, or the reason it failed.
PointRow point_row(const SweepPoint& p, const ChildResult& r, const std::string& dir);

class SweepSession {
 public:
  // Reads the sweep file, computes its points and opens DIR/sweep.db. On bad input or a database made from
  // another version of the sweep file (without --force) prints why to err and returns nullptr with *code = 2.
  // Throws std::runtime_error when the database cannot be used.
  static std::unique_ptr<SweepSession> open(const SweepOptions& o, std::ostream& out, std::ostream& err,
                                            int* code);

  // Unique points not yet in the database, in sweep order.
  const std::vector<SweepPoint>& pending() const { return pending_; }
  const std::string& dir() const { return dir_; }
  // Writes one finished point (its own transaction) and draws the progress line.
  void record(const PointRow& row);
  // Ends the progress line, writes --csv, prints the summary; returns the exit code: 0, or 1 when any point of
  // this sweep failed (now or in an earlier run), listed in the summary.
  int finish();

 private:
  SweepSession(const SweepOptions& o, std::ostream& out, const std::string& dir);
  void progress(const PointRow* row);

  SweepOptions o_;
  std::ostream& out_;
  std::string dir_;
  std::unique_ptr<SweepDb> db_;
  std::vector<SweepPoint> pending_;
  std::set<std::string> all_keys_;  // every point of this sweep
  std::size_t total_ = 0, already_ = 0, done_now_ = 0, failed_ = 0;
  bool tty_ = false;
  std::chrono::steady_clock::time_point t0_;
};

}  // namespace prepsim::analysis
