#include "models/validation/real_pipeline.h"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>

#include "models/calibration/host_load.h"
#include "models/validation/chunk_runner.h"
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

std::vector<double> RealRun::usable_throughputs() const {
  std::vector<double> out;
  for (const PassRecord& p : passes) {
    if (p.usable) out.push_back(p.throughput);
  }
  return out;
}

int RealRun::usable() const {
  return static_cast<int>(std::count_if(passes.begin(), passes.end(), [](const PassRecord& p) { return p.usable; }));
}

struct RealPipeline::Impl {
  PipelinePlan plan;
  std::vector<std::string> files;
  RealOptions options;
  ThreadPool pool;
  std::vector<Worker> workers;
  std::vector<std::uint64_t> chunk_sums;
  std::unique_ptr<SentinelSet> own_sentinels;
  SentinelSet* sentinels = nullptr;
  RealRun run;
  // Sums over usable passes, from which run's stage figures are derived.
  std::vector<double> stage_ns;
  double busy_ns = 0, wall_ns = 0;

  Impl(const Scenario& scenario, std::vector<std::string> f, int threads, RealOptions o)
      : plan(plan_pipeline(scenario)), files(std::move(f)), options(std::move(o)), pool(threads, options.pin),
        workers(static_cast<std::size_t>(threads)), chunk_sums(files.size(), 0), stage_ns(plan.stages.size(), 0.0) {
    run.threads = threads;
    run.pinned = options.pin && pool.pinned();
    run.page_cache = !options.drop_caches;
    if (options.sentinel) {
      sentinels = options.shared_sentinels;
      if (sentinels == nullptr) {
        own_sentinels = std::make_unique<SentinelSet>();
        sentinels = own_sentinels.get();
      }
      for (int i = 0; i < kSentinelWarmup; ++i) sentinels->measure(pool);
    }
  }

  // One pass over every file; returns its wall seconds and fills each worker's CPU and wall nanoseconds.
  double pass(std::vector<std::int64_t>& cpu_ns, std::vector<std::int64_t>& task_ns) {
    for (Worker& w : workers) reset_worker(plan, w);
    std::atomic<std::int64_t> next{0};
    std::atomic<bool> failed{false};
    const auto n = static_cast<std::int64_t>(files.size());
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
    return static_cast<double>(ns_since(t0)) * 1e-9;
  }

  const PassRecord& timed_pass() {
    if (options.drop_caches && !drop_page_cache()) run.page_cache = true;
    const double sentinel_before = sentinels != nullptr ? sentinels->measure(pool) : 0.0;
    std::vector<std::int64_t> cpu_ns(workers.size(), 0), task_ns(workers.size(), 0);
    const calibration::CpuSnapshot before = calibration::cpu_snapshot();
    const double seconds = pass(cpu_ns, task_ns);
    const calibration::CpuSnapshot after = calibration::cpu_snapshot();
    PassRecord p;
    p.seconds = seconds;
    p.others_cores = calibration::others_busy_seconds(before, after) / seconds;
    p.steal_cores = calibration::steal_seconds(before, after) / seconds;
    if (sentinels != nullptr) p.sentinel_ratio = std::max(sentinel_before, sentinels->measure(pool)) / sentinels->baseline();
    const double min_share = options.drop_caches ? 0.0 : options.min_cpu_share;  // waiting for a disk is no loss
    std::int64_t rows = 0;
    std::uint64_t bytes = 0, values = 0;
    double busy = 0;
    std::vector<double> stages(plan.stages.size(), 0.0);
    for (std::size_t k = 0; k < workers.size(); ++k) {
      const Worker& w = workers[k];
      rows += w.rows;
      bytes += w.bytes_read;
      values += w.output_values;
      busy += static_cast<double>(w.busy_ns);
      for (std::size_t s = 0; s < stages.size(); ++s) stages[s] += static_cast<double>(w.stage_ns[s]);
      if (task_ns[k] > 0) {
        p.cpu_share = std::min(p.cpu_share, static_cast<double>(cpu_ns[k]) / static_cast<double>(task_ns[k]));
      }
    }
    p.throughput = static_cast<double>(rows) / seconds;
    p.usable = pass_is_clean(cpu_ns, task_ns, min_share) && p.sentinel_ratio <= options.max_sentinel_ratio;
    for (std::size_t s = 0; s < stages.size(); ++s) p.stage_seconds[plan.stages[s].name] += stages[s] * 1e-9;
    run.samples_per_pass = rows;
    run.bytes_read_per_pass = bytes;
    run.output_values_per_pass = values;
    if (p.usable) {
      busy_ns += busy;
      wall_ns += seconds * 1e9;
      for (std::size_t s = 0; s < stages.size(); ++s) stage_ns[s] += stages[s];
    }
    run.passes.push_back(p);
    summarize();
    if (options.checksum) run.checksum = combine_checksums(chunk_sums);
    if (options.log) {
      options.log(fmt::format("{} thread{} pass {}: {:.3f} s, {:.0f} samples/s; others {:.2f} cores, steal {:.2f}, "
                              "CPU share {:.2f}, sentinel x{:.2f}{}",
                              run.threads, run.threads == 1 ? "" : "s", run.passes.size(), p.seconds, p.throughput,
                              p.others_cores, p.steal_cores, p.cpu_share, p.sentinel_ratio,
                              p.usable ? "" : ": not usable"));
    }
    return run.passes.back();
  }

  void summarize() {
    const int usable = run.usable();
    double total = 0;
    for (double ns : stage_ns) total += ns;
    run.stage_share.clear();
    run.stage_seconds.clear();
    for (std::size_t k = 0; k < plan.stages.size(); ++k) {
      run.stage_share[plan.stages[k].name] += total > 0 ? stage_ns[k] / total : 0.0;
      run.stage_seconds[plan.stages[k].name] += usable > 0 ? stage_ns[k] * 1e-9 / usable : 0.0;
    }
    run.overhead = busy_ns > 0 ? 1.0 - total / busy_ns : 0.0;
    run.utilization = wall_ns > 0 ? busy_ns / (run.threads * wall_ns) : 0.0;
  }
};

RealPipeline::RealPipeline(const Scenario& scenario, std::vector<std::string> files, int threads, RealOptions options) {
  if (threads < 1) throw std::invalid_argument(fmt::format("threads ({}) must be >= 1", threads));
  if (files.empty()) throw std::invalid_argument("no chunk files to run on");
  impl_ = std::make_unique<Impl>(scenario, std::move(files), threads, std::move(options));
}

RealPipeline::~RealPipeline() = default;

void RealPipeline::warm_up(int passes) {
  std::vector<std::int64_t> cpu_ns(impl_->workers.size()), task_ns(impl_->workers.size());
  for (int i = 0; i < passes; ++i) impl_->pass(cpu_ns, task_ns);
  impl_->run.warmup += passes;
}

const PassRecord& RealPipeline::run_pass() { return impl_->timed_pass(); }

const RealRun& RealPipeline::run() const { return impl_->run; }

RealRun run_real_pipeline(const Scenario& scenario, const std::vector<std::string>& files, int threads, int passes,
                          int warmup, const RealOptions& options) {
  if (threads < 1 || passes < 1 || warmup < 0) {
    throw std::invalid_argument(fmt::format("threads ({}) and passes ({}) must be >= 1, warmup ({}) >= 0", threads,
                                            passes, warmup));
  }
  RealPipeline pipeline(scenario, files, threads, options);
  pipeline.warm_up(warmup);
  for (int i = 0; i < passes; ++i) pipeline.run_pass();
  return pipeline.run();
}

}  // namespace prepsim::validation
