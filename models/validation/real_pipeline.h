// The measuring half of `prepsim validate`: runs a scenario's pipeline for real on this host (read -> decode ->
// the stages' kernels -> a KJT batch per chunk; pipeline_plan.h says what each stage does) on a pool of worker
// threads that take whole chunk files from a shared counter, and reports throughput, its spread over repetitions,
// and where the thread time went, stage by stage.
//
// Each pass reads every file once (read(2) into a per-worker buffer, then decode_chunk). Warm-up passes run first,
// untimed; each timed pass gives one throughput = rows processed / wall time of the pass. Stage times are
// steady_clock intervals around each stage of each chunk, summed over workers and timed passes.
//
// Reads come from the page cache: the warm-up pass brings the files in, and caches are dropped only on request
// (RealOptions::drop_caches, before every timed pass, which needs a writable /proc/sys/vm/drop_caches and empties
// the cache of the whole machine). RealRun::page_cache says which it was.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/scenario.h"

namespace prepsim::validation {

struct RealOptions {
  bool pin = true;           // one worker per core (pthread_setaffinity_np), best effort
  bool drop_caches = false;  // drop the page cache before each timed pass, when allowed
  bool checksum = false;     // hash every output of every chunk (slower; for tests and determinism checks)
};

struct RealRun {
  int threads = 0;
  int reps = 0;
  int warmup = 0;
  bool pinned = false;      // every worker got its own core
  bool page_cache = true;   // false only when the cache was dropped before every timed pass
  std::vector<double> throughput;  // samples/s of each timed pass, in order
  std::vector<double> seconds;     // wall time of each timed pass
  double median = 0, min = 0, max = 0;  // of throughput
  double spread = 0;        // (max - min) / median
  double relative_iqr = 0;  // (q3 - q1) / median, quartiles interpolated
  // Stage name -> fraction of the summed stage time over all workers and timed passes (sums to 1).
  std::map<std::string, double> stage_share;
  // Stage name -> thread seconds per pass (summed over workers).
  std::map<std::string, double> stage_seconds;
  double overhead = 0;      // fraction of worker busy time spent outside the stages (scheduling, bookkeeping)
  double utilization = 0;   // worker busy time / (threads * wall time), over timed passes
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

// Median and quartiles of `values` by linear interpolation between order statistics (values need not be sorted).
double quantile(std::vector<double> values, double q);

}  // namespace prepsim::validation
