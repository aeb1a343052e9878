// The measuring half of `prepsim validate`: runs a scenario's pipeline for real on this host (read -> decode ->
// the stages' kernels -> a KJT batch per chunk; pipeline_plan.h says what each stage does) on a pool of worker
// threads that take whole chunk files from a shared counter, and reports throughput, its spread over repetitions,
// and where the thread time went, stage by stage.
//
// Each pass reads every file once (read(2) into a per-worker buffer, then decode_chunk). Warm-up passes run first,
// untimed; each timed pass gives one throughput = rows processed / wall time of the pass. Stage times are
// steady_clock intervals around each stage of each chunk, summed over workers and kept passes.
//
// A pass counts only if it ran alone: each worker's thread CPU time (CLOCK_THREAD_CPUTIME_ID; with paravirtual
// steal-time accounting it also stops while the hypervisor runs something else on the vCPU) must be at least
// `min_cpu_share` of the wall time of its part of the pass, as in the calibration (docs/calibration.md), and other
// processes together may have used at most `max_other_cpu` of one core meanwhile (host_load.h): on cores that share
// caches and memory, work on another core slows the pass too. And the host itself must be undisturbed: the
// sentinels (sentinel.h) timed on every worker's core at once just before and just after the pass must be within
// their slack of the fastest sentinel seen. A disturbed pass is discarded and run again (after a
// short pause, so that a burst of other work can end) until `reps` passes are kept or the retries run out:
// `max_attempts` timed passes when given, else `budget_seconds` after the first timed pass.
//
// Reads come from the page cache: the warm-up pass brings the files in, and caches are dropped only on request
// (RealOptions::drop_caches, before every timed pass, which needs a writable /proc/sys/vm/drop_caches and empties
// the cache of the whole machine). RealRun::page_cache says which it was.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/scenario.h"
#include "models/validation/sentinel.h"

namespace prepsim::validation {

struct RealOptions {
  bool pin = true;           // one worker per core (pthread_setaffinity_np), best effort
  bool drop_caches = false;  // drop the page cache before each timed pass, when allowed
  bool checksum = false;     // hash every output of every chunk (slower; for tests and determinism checks)
  double max_other_cpu = 0.15;  // other processes' CPU time during a pass, in cores (1 = a whole core), at most
  double min_cpu_share = 0.9;  // a pass in which a worker ran less than this share of its wall time is discarded
                               // (not checked with drop_caches: a worker waiting for the disk has not lost its core)
  int max_attempts = 0;        // timed passes at most, kept or discarded; 0: as many as fit in budget_seconds
  double budget_seconds = 60;  // with max_attempts 0: stop retrying this long after the first timed pass
  double retry_pause_seconds = 0.5;  // sleep before running a discarded pass again
  bool sentinel = true;              // check the host with sentinels around every timed pass
  SentinelSet* shared_sentinels = nullptr;  // for many runs (the baseline carries over); null: a new set
  std::function<void(const std::string&)> log;  // when set: one line per timed pass (kept or disturbed, and why)
};

// Whether a pass was clean: every worker that ran (wall_ns > 0) had cpu_ns >= min_share * wall_ns.
bool pass_is_clean(const std::vector<std::int64_t>& cpu_ns, const std::vector<std::int64_t>& wall_ns,
                   double min_share);

struct RealRun {
  int threads = 0;
  int reps = 0;
  int warmup = 0;
  bool pinned = false;      // every worker got its own core
  bool page_cache = true;   // false only when the cache was dropped before every timed pass
  int disturbed = 0;        // timed passes discarded because they did not run alone
  bool clean = true;        // `reps` undisturbed passes were measured (else the kept passes are all the disturbed ones)
  std::vector<double> throughput;  // samples/s of each kept timed pass, in order
  std::vector<double> seconds;     // wall time of each kept timed pass
  std::vector<double> cpu_share;   // of each kept pass: the smallest worker CPU time / wall time
  std::vector<double> others_cpu;  // of each kept pass: other processes' CPU time / wall time (cores)
  std::vector<double> sentinel_ratio;  // of each kept pass: its slowest sentinel / the baseline (1 without sentinels)
  double median = 0, min = 0, max = 0;  // of throughput
  double spread = 0;        // (max - min) / median
  double relative_iqr = 0;  // (q3 - q1) / median, quartiles interpolated
  // Stage name -> fraction of the summed stage time over all workers and kept passes (sums to 1).
  std::map<std::string, double> stage_share;
  // Stage name -> thread seconds per pass (summed over workers).
  std::map<std::string, double> stage_seconds;
  double overhead = 0;      // fraction of worker busy time spent outside the stages (scheduling, bookkeeping)
  double utilization = 0;   // worker busy time / (threads * wall time), over kept passes
  std::int64_t samples_per_pass = 0;
  std::uint64_t bytes_read_per_pass = 0;
  std::uint64_t output_values_per_pass = 0;  // values (dense, ids, lengths) in the produced batches
  std::uint64_t checksum = 0;  // of all outputs of the last pass in chunk order; 0 unless RealOptions::checksum
  double wall_seconds = 0;     // the whole call, warm-up included
};

// Runs `warmup` untimed then `reps` timed passes over `files` (chunk files of spec_from_scenario(scenario)) on
// `threads` workers. Throws std::invalid_argument (threads < 1, reps < 1, warmup < 0, no files, a stage it cannot
// run), std::runtime_error on an unreadable file and data::ChunkFormatError on a corrupt one.
RealRun run_real_pipeline(const Scenario& scenario, const std::vector<std::string>& files, int threads, int reps,
                          int warmup, const RealOptions& options = {});

// Empties the page cache of the whole machine (sync, then "1" to /proc/sys/vm/drop_caches); false when not allowed.
bool drop_page_cache();

// Median and quartiles of `values` by linear interpolation between order statistics (values need not be sorted).
double quantile(std::vector<double> values, double q);

}  // namespace prepsim::validation
