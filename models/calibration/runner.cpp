#include "models/calibration/runner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <vector>
#include <limits>
#include <stdexcept>


namespace prepsim::calibration {
namespace {

using Clock = std::chrono::steady_clock;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kCleanCpuShare = 0.9;
constexpr int kMaxAttemptsPerRepetition = 3;

double since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

std::vector<std::string> ops_to_run(const RunnerOptions& options) {
  std::vector<std::string> have = harnessed_ops();
  if (options.ops.empty()) return have;
  std::vector<std::string> out;
  for (const std::string& op : options.ops) {
    if (find_op(op) == nullptr) {
      throw std::invalid_argument("unknown op '" + op + "' (known: " + op_names_joined() + ")");
    }
    if (std::find(have.begin(), have.end(), op) == have.end()) {
      throw std::invalid_argument("op '" + op + "' has no kernel to calibrate");
    }
  }
  for (const std::string& op : have) {  // registry order, each op once
    if (std::find(options.ops.begin(), options.ops.end(), op) != options.ops.end()) out.push_back(op);
  }
  return out;
}

// One measurement of `iters` calls: seconds per call, and whether this thread held its CPU throughout.
std::pair<double, bool> measure(OpHarness& h, long iters) {
  const double cpu0 = thread_cpu_seconds();
  const auto start = Clock::now();
  for (long i = 0; i < iters; ++i) h.run_once();
  const double wall = since(start);
  const double cpu = thread_cpu_seconds() - cpu0;
  return {wall / static_cast<double>(iters), cpu >= kCleanCpuShare * wall};
}

// A warm-up call (caches, page faults of output buffers, branch predictors), then one timed call that sizes the
// inner loop to last at least `min_sample` seconds.
long size_loop(OpHarness& h, double min_sample) {
  h.run_once();
  const auto t0 = Clock::now();
  h.run_once();
  const double one = std::max(since(t0), 1e-9);
  return std::clamp(static_cast<long>(std::ceil(min_sample / one)), 1L, 1000000L);
}

struct PointState {
  std::unique_ptr<OpHarness> harness;
  long iters = 1;
  std::vector<double> clean_times;  // per call, of each clean measurement
  std::vector<std::pair<double, std::size_t>> cpu_clean;  // per call and round, of each measurement that kept its core
  double best_any = kInf;
  int clean = 0;
};

// What an op's rounds measured, kept to judge them again at the end of the run (see runner.h, host_sentinel).
struct OpRecord {
  std::vector<OpWork> work;                                     // per point
  std::vector<std::vector<std::pair<double, std::size_t>>> cpu_clean;  // per point: (per call, round)
  std::vector<double> best_any;                                 // per point
  std::vector<double> round_sentinel;                           // per round: the slower sentinel, seconds
  std::vector<bool> round_fast;                                 // per round: as judged while running
};

// The fastest sentinel seen, over the whole run; judges rounds while they run.
class SentinelTrack {
 public:
  explicit SentinelTrack(const RunnerOptions& o) : o_(o) {}
  bool enabled() const { return static_cast<bool>(o_.host_sentinel); }
  double measure() {
    const double s = o_.host_sentinel();
    fastest_ = std::min(fastest_, s);
    return s;
  }
  bool fast(double seconds) const { return seconds <= o_.max_host_ratio * fastest_; }

 private:
  const RunnerOptions& o_;
  double fastest_ = kInf;
};

// Calls options.between_rounds when it is due (see runner.h).
class Interleaver {
 public:
  explicit Interleaver(const RunnerOptions& o) : o_(o), last_(Clock::now()) {}
  void maybe_call() {
    if (!o_.between_rounds || since(last_) < o_.interleave_seconds) return;
    o_.between_rounds();
    last_ = Clock::now();
  }

 private:
  const RunnerOptions& o_;
  Clock::time_point last_;
};

OpCalibration calibrate_op(const std::string& op, std::size_t index, std::size_t count, const RunnerOptions& o,
                           const ProgressFn& progress, Interleaver& interleave, SentinelTrack& sentinel,
                           OpRecord& record) {
  const auto start = Clock::now();
  const int reps = o.repetitions > 0 ? o.repetitions : (o.quick ? 3 : 7);
  const double min_sample = o.min_sample_seconds > 0 ? o.min_sample_seconds : (o.quick ? 1e-4 : 3e-3);
  const OpInfo* info = find_op(op);
  OpGrid grid = grid_for(op, o.quick);
  std::vector<GridPoint> points = grid.points();

  OpProgress p;
  p.op = op;
  p.op_index = index;
  p.op_count = count;
  p.points = points.size();
  // Every point is prepared first; its repetitions are then taken in rounds over all points, so that the minimum of
  // each point spans the whole op's run and not a few consecutive milliseconds (see runner.h).
  std::vector<PointState> states(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    states[i].harness = make_harness(op);
    states[i].harness->prepare(points[i]);
    states[i].iters = size_loop(*states[i].harness, min_sample);
    ++p.point;
    p.op_seconds = since(start);
    if (progress) progress(p);
  }
  std::vector<std::pair<double, bool>> round(states.size());
  for (int r = 0; r < kMaxAttemptsPerRepetition * reps; ++r) {
    bool wanted = false;
    for (const PointState& s : states) wanted = wanted || s.clean < reps;
    if (!wanted) break;
    interleave.maybe_call();
    const double before = sentinel.enabled() ? sentinel.measure() : 0.0;
    for (std::size_t i = 0; i < states.size(); ++i) {
      round[i] = states[i].clean < reps ? measure(*states[i].harness, states[i].iters) : std::make_pair(kInf, false);
    }
    const double slower = sentinel.enabled() ? std::max(before, sentinel.measure()) : 0.0;
    const bool host_slow = sentinel.enabled() && !sentinel.fast(slower);
    const std::size_t round_index = record.round_sentinel.size();
    record.round_sentinel.push_back(slower);
    record.round_fast.push_back(!host_slow);
    for (std::size_t i = 0; i < states.size(); ++i) {
      if (!std::isfinite(round[i].first)) continue;
      states[i].best_any = std::min(states[i].best_any, round[i].first);
      if (round[i].second) states[i].cpu_clean.emplace_back(round[i].first, round_index);
      if (round[i].second && !host_slow) {
        ++states[i].clean;
        states[i].clean_times.push_back(round[i].first);
      }
    }
  }
  std::vector<Sample> samples;
  for (PointState& s : states) {
    if (s.clean == 0) ++p.disturbed;
    samples.push_back({s.harness->work(), s.clean > 0 ? fast_quantile(s.clean_times) : s.best_any});
    record.work.push_back(s.harness->work());
    record.cpu_clean.push_back(s.cpu_clean);
    record.best_any.push_back(s.best_any);
  }

  OpCalibration c;
  c.op = op;
  c.fit = fit_cost_signature(samples, info->signature);
  std::unique_ptr<OpHarness> h = make_harness(op);
  h->prepare(grid.reference);
  h->run_once();
  OpWork ref = h->work();
  c.output_bytes_per_input_element = ref.elements > 0 ? h->output_bytes() / ref.elements : 0.0;

  p.op_seconds = since(start);
  p.result = &c;
  if (progress) progress(p);
  return c;
}

// Judges an op's rounds again against the fastest sentinel of the whole run; refits it when that changes which
// rounds count. Returns whether it did.
bool rejudge(OpCalibration& c, const OpRecord& record, const SentinelTrack& sentinel) {
  std::vector<bool> fast(record.round_sentinel.size());
  bool changed = false;
  for (std::size_t r = 0; r < fast.size(); ++r) {
    fast[r] = sentinel.fast(record.round_sentinel[r]);
    changed = changed || fast[r] != record.round_fast[r];
  }
  if (!changed) return false;
  std::vector<Sample> samples;
  for (std::size_t i = 0; i < record.work.size(); ++i) {
    std::vector<double> times;
    for (const auto& [t, r] : record.cpu_clean[i]) {
      if (fast[r]) times.push_back(t);
    }
    samples.push_back({record.work[i], times.empty() ? record.best_any[i] : fast_quantile(times)});
  }
  c.fit = fit_cost_signature(samples, find_op(c.op)->signature);
  return true;
}

}  // namespace

PointTiming time_prepared(OpHarness& harness, int repetitions, double min_sample_seconds) {
  const long iters = size_loop(harness, min_sample_seconds);
  const int wanted = std::max(repetitions, 1);
  PointTiming t;
  std::vector<double> clean_times;
  double best_any = kInf;
  while (t.clean < wanted && t.attempts < kMaxAttemptsPerRepetition * wanted) {
    ++t.attempts;
    const auto [per_call, clean] = measure(harness, iters);
    best_any = std::min(best_any, per_call);
    if (clean) {
      ++t.clean;
      clean_times.push_back(per_call);
    }
  }
  t.seconds = t.clean > 0 ? fast_quantile(clean_times) : best_any;
  return t;
}

CalibrationRun run_calibration(const RunnerOptions& options, const ProgressFn& progress) {
  const auto start = Clock::now();
  std::vector<std::string> ops = ops_to_run(options);
  CalibrationRun run;
  run.file.provenance = current_provenance();
  Interleaver interleave(options);
  SentinelTrack sentinel(options);
  std::vector<OpRecord> records(ops.size());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    run.file.ops.push_back(calibrate_op(ops[i], i, ops.size(), options, progress, interleave, sentinel, records[i]));
  }
  if (sentinel.enabled()) {
    for (std::size_t i = 0; i < ops.size(); ++i) {
      if (rejudge(run.file.ops[i], records[i], sentinel)) run.refitted.push_back(ops[i]);
    }
  }
  std::vector<std::string> have = harnessed_ops();
  for (const OpInfo& info : all_ops()) {
    if (std::find(have.begin(), have.end(), std::string(info.name)) == have.end()) {
      run.skipped.emplace_back(info.name);
    }
  }
  run.seconds = since(start);
  return run;
}

}  // namespace prepsim::calibration
