// Runs `prepsim` subcommands in child processes, up to N at once. SimGrid's engine is process-wide, so every
// command that runs several simulations (sweep; reproduce, validate and plan next) runs each one in a child.
//
// A job is the argument list after the program name plus where the child's stdout and stderr go (discarded,
// captured into the result, or a file). Children are started with posix_spawn (never fork: the parent may be
// an MPI rank or hold threads), each in its own process group, and die with the parent:
//   - SIGINT, SIGTERM and SIGHUP handlers and an atexit hook SIGKILL the groups of running children;
//   - by default a child is first `prepsim sweep --exec-child PPID ARGS...` (exec_child below), which sets
//     PR_SET_PDEATHSIG=SIGKILL (posix_spawn cannot) and then execs `prepsim ARGS...`: a SIGKILLed parent too.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace prepsim::analysis {

// Where one output stream of a child goes.
struct ChildOutput {
  enum class Kind { discard, capture, file };
  Kind kind = Kind::discard;
  std::string path;  // Kind::file: created or truncated when the child starts
  static ChildOutput discard() { return {}; }
  static ChildOutput capture() { return {Kind::capture, {}}; }
  static ChildOutput file(std::string p) { return {Kind::file, std::move(p)}; }
};

struct ChildJob {
  std::vector<std::string> args;  // after the program name, e.g. {"run", "x.yaml", "-o", "out"}
  ChildOutput out = ChildOutput::discard();
  ChildOutput err = ChildOutput::capture();
};

struct ChildResult {
  int exit_code = -1;    // when the child exited; -1 when a signal ended it
  int signal = 0;        // the signal that ended it, 0 when it exited
  std::string out, err;  // what it wrote, for ChildOutput::capture streams
  double wall_s = 0;     // from spawn to the end of the child
  bool ok() const { return signal == 0 && exit_code == 0; }
  // "exit code 3" or "killed by signal 9 (Killed)".
  std::string describe() const;
};

struct RunnerConfig {
  int parallel = 1;                      // children at once, 1 to kMaxChildren
  std::string program = "/proc/self/exe";  // this executable, whatever its path
  // Start children through `PROGRAM sweep --exec-child PPID ARGS...` (PR_SET_PDEATHSIG). Only for prepsim
  // itself; tests running /bin/sh turn it off.
  bool die_with_parent = true;
};

constexpr int kMaxChildren = 256;

// The low-level runner, for callers that must do other work while children run (an MPI rank answering its
// peers). Not thread-safe; use it from the thread that should outlive its children (PR_SET_PDEATHSIG fires when
// the spawning thread ends).
class ChildRunner {
 public:
  explicit ChildRunner(RunnerConfig cfg = {});
  // SIGKILLs the process groups of children still running and reaps them.
  ~ChildRunner();
  ChildRunner(const ChildRunner&) = delete;
  ChildRunner& operator=(const ChildRunner&) = delete;

  int running() const;
  int free_slots() const { return cfg_.parallel - running(); }
  // Starts a job; `tag` comes back with its result. Needs a free slot. Throws std::runtime_error when the child
  // cannot be started (an output file that cannot be opened, posix_spawn failing).
  void start(std::size_t tag, const ChildJob& job);
  // Waits until at least one child has ended or timeout_ms has passed (-1: no limit; returns at once when
  // nothing runs) and returns the children that ended, with their tags.
  std::vector<std::pair<std::size_t, ChildResult>> wait(int timeout_ms = -1);

 private:
  struct Child;
  RunnerConfig cfg_;
  std::vector<std::unique_ptr<Child>> children_;
};

// Called in the calling thread as each job ends (index into jobs, its result): where callers count and draw their
// progress line. An exception thrown here kills the running children and leaves run_jobs.
using OnChildDone = std::function<void(std::size_t index, const ChildResult&)>;

// Runs every job, cfg.parallel at once, in order of index; returns the results by index.
std::vector<ChildResult> run_jobs(const std::vector<ChildJob>& jobs, const RunnerConfig& cfg,
                                  const OnChildDone& on_done = {});
inline std::vector<ChildResult> run_jobs(const std::vector<ChildJob>& jobs, int parallel,
                                         const OnChildDone& on_done = {}) {
  RunnerConfig cfg;
  cfg.parallel = parallel;
  return run_jobs(jobs, cfg, on_done);
}

// The trampoline: `prepsim sweep --exec-child PPID ARGS...` (args from "--exec-child" on). Sets
// PR_SET_PDEATHSIG=SIGKILL, exits 137 if the parent is no longer PPID, then execs `prepsim ARGS...`. Does not
// return. Dispatched by the sweep command, which every build has (main.cpp has no hidden subcommand of its own).
[[noreturn]] void exec_child(const std::vector<std::string>& args);
constexpr const char* kExecChildFlag = "--exec-child";

}  // namespace prepsim::analysis
