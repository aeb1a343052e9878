#include "models/validation/real_pipeline.h"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "models/validation/chunk_runner.h"
#include "models/validation/pipeline_plan.h"
#include "models/validation/thread_pool.h"

namespace prepsim::validation {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t ns_since(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count();
}

bool drop_page_cache() {
  ::sync();
  const int fd = ::open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::write(fd, "1", 1) == 1;
  ::close(fd);
  return ok;
}

}  // namespace

double quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const double pos = std::clamp(q, 0.0, 1.0) * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(pos);
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (pos - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

RealRun run_real_pipeline(const Scenario& scenario, const std::vector<std::string>& files, int threads, int reps,
                          int warmup, const RealOptions& options) {
  if (threads < 1 || reps < 1 || warmup < 0) {
    throw std::invalid_argument(fmt::format("threads ({}) and reps ({}) must be >= 1, warmup ({}) >= 0", threads,
                                            reps, warmup));
  }
  if (files.empty()) throw std::invalid_argument("no chunk files to run on");
  const Clock::time_point call_start = Clock::now();
  const PipelinePlan plan = plan_pipeline(scenario);
  const std::size_t stages = plan.stages.size();
  ThreadPool pool(threads, options.pin);
  std::vector<Worker> workers(static_cast<std::size_t>(threads));
  std::vector<std::uint64_t> chunk_sums(files.size(), 0);

  RealRun run;
  run.threads = threads;
  run.reps = reps;
  run.warmup = warmup;
  run.pinned = options.pin && pool.pinned();
  run.page_cache = !options.drop_caches;
  std::vector<double> stage_ns(stages, 0.0);
  double busy_ns = 0, wall_ns = 0;
  for (int pass = 0; pass < warmup + reps; ++pass) {
    const bool timed = pass >= warmup;
    if (timed && options.drop_caches && !drop_page_cache()) run.page_cache = true;
    for (Worker& w : workers) reset_worker(plan, w);
    const Clock::time_point t0 = Clock::now();
    for_each_index(pool, static_cast<std::int64_t>(files.size()), [&](std::int64_t i, int worker) {
      const auto index = static_cast<std::size_t>(i);
      Worker& w = workers[static_cast<std::size_t>(worker)];
      process_chunk(plan, files[index], w);
      if (options.checksum) chunk_sums[index] = chunk_checksum(w);
    });
    const double seconds = static_cast<double>(ns_since(t0)) * 1e-9;
    if (!timed) continue;
    std::int64_t rows = 0;
    std::uint64_t bytes = 0, values = 0;
    for (const Worker& w : workers) {
      rows += w.rows;
      bytes += w.bytes_read;
      values += w.output_values;
      busy_ns += static_cast<double>(w.busy_ns);
      for (std::size_t k = 0; k < stages; ++k) stage_ns[k] += static_cast<double>(w.stage_ns[k]);
    }
    wall_ns += seconds * 1e9;
    run.seconds.push_back(seconds);
    run.throughput.push_back(static_cast<double>(rows) / seconds);
    run.samples_per_pass = rows;
    run.bytes_read_per_pass = bytes;
    run.output_values_per_pass = values;
  }

  run.median = quantile(run.throughput, 0.5);
  run.min = *std::min_element(run.throughput.begin(), run.throughput.end());
  run.max = *std::max_element(run.throughput.begin(), run.throughput.end());
  run.spread = (run.max - run.min) / run.median;
  run.relative_iqr = (quantile(run.throughput, 0.75) - quantile(run.throughput, 0.25)) / run.median;
  double total_stage_ns = 0;
  for (double ns : stage_ns) total_stage_ns += ns;
  for (std::size_t k = 0; k < stages; ++k) {
    run.stage_share[plan.stages[k].name] += total_stage_ns > 0 ? stage_ns[k] / total_stage_ns : 0.0;
    run.stage_seconds[plan.stages[k].name] += stage_ns[k] * 1e-9 / reps;
  }
  run.overhead = busy_ns > 0 ? 1.0 - total_stage_ns / busy_ns : 0.0;
  run.utilization = wall_ns > 0 ? busy_ns / (threads * wall_ns) : 0.0;
  if (options.checksum) run.checksum = combine_checksums(chunk_sums);
  run.wall_seconds = static_cast<double>(ns_since(call_start)) * 1e-9;
  return run;
}

}  // namespace prepsim::validation
