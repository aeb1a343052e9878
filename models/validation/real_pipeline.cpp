#include "models/validation/real_pipeline.h"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include "models/validation/chunk_runner.h"
#include "models/calibration/host_load.h"
#include "models/validation/pipeline_plan.h"
#include "models/validation/thread_pool.h"

namespace prepsim::validation {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t ns_since(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count();
}

constexpr int kSentinelWarmup = 10;  // sentinel runs before the first pass, to find the host's baseline

std::int64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

bool drop_page_cache() {
  ::sync();
  const int fd = ::open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::write(fd, "1", 1) == 1;
  ::close(fd);
  return ok;
}

bool pass_is_clean(const std::vector<std::int64_t>& cpu_ns, const std::vector<std::int64_t>& wall_ns,
                   double min_share) {
  for (std::size_t i = 0; i < cpu_ns.size() && i < wall_ns.size(); ++i) {
    if (wall_ns[i] > 0 && static_cast<double>(cpu_ns[i]) < min_share * static_cast<double>(wall_ns[i])) return false;
  }
  return true;
}

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
  const int max_attempts = options.max_attempts > 0 ? std::max(options.max_attempts, reps) : 0;
  const double min_share = options.drop_caches ? 0.0 : options.min_cpu_share;  // waiting for a disk is not a loss
  // Per kept pass: the stage times, busy time and wall time, so that disturbed passes can be left out.
  struct Pass {
    double seconds = 0, throughput = 0, cpu_share = 1, busy_ns = 0, others = 0, sentinel_ratio = 1;
    std::vector<double> stage_ns;
    bool clean = true;
  };
  std::vector<Pass> kept, disturbed;
  std::vector<std::int64_t> cpu_ns(workers.size()), task_ns(workers.size());
  std::unique_ptr<SentinelSet> own_sentinels;
  SentinelSet* sentinels = options.sentinel ? options.shared_sentinels : nullptr;
  if (options.sentinel && sentinels == nullptr) {
    own_sentinels = std::make_unique<SentinelSet>();
    sentinels = own_sentinels.get();
  }
  const auto time_sentinel = [&] { return sentinels->measure(pool); };
  if (sentinels != nullptr) {
    for (int i = 0; i < kSentinelWarmup; ++i) time_sentinel();
  }
  Clock::time_point first_timed = Clock::now();
  const auto out_of_tries = [&](int attempts) {
    if (attempts < reps) return false;
    if (max_attempts > 0) return attempts >= max_attempts;
    return static_cast<double>(ns_since(first_timed)) * 1e-9 >= options.budget_seconds;
  };
  for (int pass = 0, attempts = 0; static_cast<int>(kept.size()) < reps && !out_of_tries(attempts); ++pass) {
    const bool timed = pass >= warmup;
    if (timed && attempts++ == 0) first_timed = Clock::now();
    if (timed && options.drop_caches && !drop_page_cache()) run.page_cache = true;
    for (Worker& w : workers) reset_worker(plan, w);
    const double sentinel_before = timed && sentinels != nullptr ? time_sentinel() : 0.0;
    std::atomic<std::int64_t> next{0};
    std::atomic<bool> failed{false};
    const auto n = static_cast<std::int64_t>(files.size());
    const calibration::CpuSnapshot before = calibration::cpu_snapshot();
    const Clock::time_point t0 = Clock::now();
    pool.run([&](int worker) {
      const auto k = static_cast<std::size_t>(worker);
      Worker& w = workers[k];
      const std::int64_t cpu0 = thread_cpu_ns();
      const Clock::time_point start = Clock::now();
      try {
        for (std::int64_t i = next.fetch_add(1); i < n && !failed.load(std::memory_order_relaxed);
             i = next.fetch_add(1)) {
          const auto index = static_cast<std::size_t>(i);
          process_chunk(plan, files[index], w);
          if (options.checksum) chunk_sums[index] = chunk_checksum(w);
        }
      } catch (...) {
        failed.store(true);
        throw;
      }
      task_ns[k] = ns_since(start);
      cpu_ns[k] = thread_cpu_ns() - cpu0;
    });
    const double seconds = static_cast<double>(ns_since(t0)) * 1e-9;
    const double others = calibration::others_busy_seconds(before, calibration::cpu_snapshot()) / seconds;
    if (!timed) continue;
    const double sentinel_ratio =
        sentinels != nullptr ? std::max(sentinel_before, time_sentinel()) / sentinels->baseline() : 1.0;
    Pass p;
    p.seconds = seconds;
    p.stage_ns.assign(stages, 0.0);
    std::int64_t rows = 0;
    std::uint64_t bytes = 0, values = 0;
    for (std::size_t k = 0; k < workers.size(); ++k) {
      const Worker& w = workers[k];
      rows += w.rows;
      bytes += w.bytes_read;
      values += w.output_values;
      p.busy_ns += static_cast<double>(w.busy_ns);
      for (std::size_t s = 0; s < stages; ++s) p.stage_ns[s] += static_cast<double>(w.stage_ns[s]);
      if (task_ns[k] > 0) {
        p.cpu_share = std::min(p.cpu_share, static_cast<double>(cpu_ns[k]) / static_cast<double>(task_ns[k]));
      }
    }
    p.throughput = static_cast<double>(rows) / seconds;
    p.others = others;
    p.sentinel_ratio = sentinel_ratio;
    p.clean = pass_is_clean(cpu_ns, task_ns, min_share) && others <= options.max_other_cpu &&
              sentinel_ratio <= HostSentinel::kSlack;
    run.samples_per_pass = rows;
    run.bytes_read_per_pass = bytes;
    run.output_values_per_pass = values;
    const bool clean = p.clean;
    if (options.log) {
      options.log(fmt::format("{} thread{} pass {}: {:.3f} s, {:.0f} samples/s; others {:.2f} cores, CPU share {:.2f}, "
                              "sentinel x{:.2f}: {}",
                              threads, threads == 1 ? "" : "s", pass - warmup + 1, p.seconds, p.throughput, p.others,
                              p.cpu_share, p.sentinel_ratio, clean ? "kept" : "disturbed"));
    }
    (clean ? kept : disturbed).push_back(std::move(p));
    if (!clean && static_cast<int>(kept.size()) < reps && options.retry_pause_seconds > 0) {
      std::this_thread::sleep_for(std::chrono::duration<double>(options.retry_pause_seconds));
    }
  }
  run.disturbed = static_cast<int>(disturbed.size());
  run.clean = static_cast<int>(kept.size()) >= reps;
  if (!run.clean) kept.insert(kept.end(), disturbed.begin(), disturbed.end());  // nothing better to report

  std::vector<double> stage_ns(stages, 0.0);
  double busy_ns = 0, wall_ns = 0;
  for (const Pass& p : kept) {
    run.seconds.push_back(p.seconds);
    run.throughput.push_back(p.throughput);
    run.cpu_share.push_back(p.cpu_share);
    run.others_cpu.push_back(p.others);
    run.sentinel_ratio.push_back(p.sentinel_ratio);
    busy_ns += p.busy_ns;
    wall_ns += p.seconds * 1e9;
    for (std::size_t s = 0; s < stages; ++s) stage_ns[s] += p.stage_ns[s];
  }
  const auto passes = static_cast<double>(kept.size());

  run.median = quantile(run.throughput, 0.5);
  run.min = *std::min_element(run.throughput.begin(), run.throughput.end());
  run.max = *std::max_element(run.throughput.begin(), run.throughput.end());
  run.spread = (run.max - run.min) / run.median;
  run.relative_iqr = (quantile(run.throughput, 0.75) - quantile(run.throughput, 0.25)) / run.median;
  double total_stage_ns = 0;
  for (double ns : stage_ns) total_stage_ns += ns;
  for (std::size_t k = 0; k < stages; ++k) {
    run.stage_share[plan.stages[k].name] += total_stage_ns > 0 ? stage_ns[k] / total_stage_ns : 0.0;
    run.stage_seconds[plan.stages[k].name] += stage_ns[k] * 1e-9 / passes;
  }
  run.overhead = busy_ns > 0 ? 1.0 - total_stage_ns / busy_ns : 0.0;
  run.utilization = wall_ns > 0 ? busy_ns / (threads * wall_ns) : 0.0;
  if (options.checksum) run.checksum = combine_checksums(chunk_sums);
  run.wall_seconds = static_cast<double>(ns_since(call_start)) * 1e-9;
  return run;
}

}  // namespace prepsim::validation
