// The measuring half of `prepsim validate`: runs a scenario's pipeline for real on this host (read -> decode ->
// the stages' kernels -> a KJT batch per chunk; pipeline_plan.h says what each stage does) on a pool of worker
// threads that take whole chunk files from a shared counter, one timed pass at a time, and records each pass.
//
// A pass reads every file once (read(2) into a per-worker buffer, then decode_chunk); its throughput is rows
// processed / wall time of the pass. Stage times are steady_clock intervals around each stage of each chunk.
// RealPipeline runs passes one by one so that the caller can interleave them with other measurements (the
// calibration's rounds, other points' passes: docs/validation.md); run_real_pipeline() runs a fixed number.
//
// Nothing is discarded or retried here: every timed pass is recorded with what was going on meanwhile, and the
// estimator (estimate.h) makes sense of the usable ones. A pass is *usable* when
//   - every worker held its core for at least `min_cpu_share` of its part of the pass (thread CPU clock, which
//     with paravirtual steal accounting also stops while the hypervisor runs something else on the vCPU): a
//     worker that lost its core measured the scheduler, not the pipeline; and
//   - the host was in its fast state: the sentinel (sentinel.h), timed on every worker's core just before and just
//     after the pass, within `max_sentinel_ratio` of the fastest sentinel seen. On the project's VMs the
//     neighbours slow memory-heavy code by 30-50% for tens of seconds at a time (docs/validation.md shows the
//     passes of one run: the sentinel is 1.04-1.17 or 1.28-1.54, nothing between); the calibration keeps only
//     rounds with the same sentinel ratio (models/calibration/runner.h), so both describe the host in one state.
// The record also keeps the other processes' CPU and the steal time over the pass (/proc/stat,
// models/calibration/host_load.h): the evidence of why a pass was slow.
//
// Reads come from the page cache: the warm-up pass brings the files in, and caches are dropped only on request
// (RealOptions::drop_caches, before every timed pass, which needs a writable /proc/sys/vm/drop_caches and empties
// the cache of the whole machine). RealRun::page_cache says which it was.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/calibration/host_load.h"
#include "models/scenario.h"
#include "models/validation/sentinel.h"

namespace prepsim::validation {

struct RealOptions {
  bool pin = true;           // one worker per core (pthread_setaffinity_np), best effort
  bool drop_caches = false;  // drop the page cache before each timed pass, when allowed
  bool checksum = false;     // hash every output of every chunk (slower; for tests and determinism checks)
  double min_cpu_share = 0.9;  // a pass in which a worker ran less than this share of its wall time is not usable
                               // (not checked with drop_caches: a worker waiting for the disk has not lost its core)
  double max_sentinel_ratio = calibration::kFastHostRatio;  // a pass whose sentinel ran slower than this x its fastest is not usable
  bool sentinel = true;        // time the sentinels around every timed pass
  SentinelSet* shared_sentinels = nullptr;  // for many pipelines (the baseline carries over); null: a new set
  std::function<void(const std::string&)> log;  // when set: one line per timed pass
};

// One timed pass and what went on meanwhile.
struct PassRecord {
  double seconds = 0;         // wall time of the pass
  double throughput = 0;      // samples/s
  double cpu_share = 1;       // the smallest worker CPU time / its wall time
  double others_cores = 0;    // other processes' CPU time / wall time (cores)
  double steal_cores = 0;     // steal time of all CPUs / wall time (cores)
  double sentinel_ratio = 1;  // the slower sentinel around the pass / the fastest sentinel seen (1 without)
  bool usable = true;         // every worker held its core and the host was in its fast state (see above)
  std::map<std::string, double> stage_seconds;  // stage name -> thread seconds in this pass (summed over workers)
};

// Whether a pass was usable: every worker that ran (wall_ns > 0) had cpu_ns >= min_share * wall_ns.
bool pass_is_clean(const std::vector<std::int64_t>& cpu_ns, const std::vector<std::int64_t>& wall_ns,
                   double min_share);

struct RealRun {
  int threads = 0;
  int warmup = 0;
  bool pinned = false;      // every worker got its own core
  bool page_cache = true;   // false only when the cache was dropped before every timed pass
  std::vector<PassRecord> passes;  // every timed pass, in order
  // Stage name -> fraction of the summed stage time over all workers and usable passes (sums to 1).
  std::map<std::string, double> stage_share;
  // Stage name -> thread seconds per pass (summed over workers), over usable passes.
  std::map<std::string, double> stage_seconds;
  double overhead = 0;      // fraction of worker busy time spent outside the stages (scheduling, bookkeeping)
  double utilization = 0;   // worker busy time / (threads * wall time), over usable passes
  std::int64_t samples_per_pass = 0;
  std::uint64_t bytes_read_per_pass = 0;
  std::uint64_t output_values_per_pass = 0;  // values (dense, ids, lengths) in the produced batches
  std::uint64_t checksum = 0;  // of all outputs of the last pass in chunk order; 0 unless RealOptions::checksum
  std::vector<double> usable_throughputs() const;
  int usable() const;
};

// A pipeline ready to run passes: the plan, the thread pool and the workers' buffers live as long as it does.
class RealPipeline {
 public:
  // Throws std::invalid_argument (threads < 1, no files, a stage it cannot run).
  RealPipeline(const Scenario& scenario, std::vector<std::string> files, int threads, RealOptions options = {});
  ~RealPipeline();
  RealPipeline(const RealPipeline&) = delete;
  RealPipeline& operator=(const RealPipeline&) = delete;

  // Untimed passes (caches, page cache, allocator, the sentinel's baseline). Throws as run_pass().
  void warm_up(int passes);
  // One timed pass, recorded. Throws std::runtime_error on an unreadable file, data::ChunkFormatError on a
  // corrupt one.
  const PassRecord& run_pass();
  // Everything so far.
  const RealRun& run() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs `warmup` untimed then `passes` timed passes over `files` (chunk files of spec_from_scenario(scenario)) on
// `threads` workers. Throws as RealPipeline, and std::invalid_argument for passes < 1 or warmup < 0.
RealRun run_real_pipeline(const Scenario& scenario, const std::vector<std::string>& files, int threads, int passes,
                          int warmup, const RealOptions& options = {});

// Empties the page cache of the whole machine (sync, then "1" to /proc/sys/vm/drop_caches); false when not allowed.
bool drop_page_cache();

}  // namespace prepsim::validation
