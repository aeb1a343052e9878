#include "analysis/validate/validate_session.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <thread>

#include "analysis/kernels/calibrate_command.h"
#include "analysis/children/child_runner.h"
#include "models/calibration/calibration_file.h"
#include "models/calibration/host_load.h"
#include "models/calibration/runner.h"
#include "models/catalog.h"
#include "models/config/input_error.h"
#include "models/cpu_costs.h"
#include "models/scenario.h"
#include "models/units.h"
#include "models/validation/scenario_data.h"
#include "models/validation/thread_pool.h"
#include "models/workload.h"

namespace prepsim::analysis {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// One pass: about this much work on one thread (short passes, many of them: estimate.h), at least
// kChunksPerWorker chunks per worker at the most threads, and a multiple of every thread count so that the
// workers of a pass end together as in the simulated steady state.
constexpr double kPassSeconds = 0.2;
constexpr int kChunksPerWorker = 2;
constexpr int kMaxChunks = 400;
// A validation round between calibration rounds at most this often.
constexpr double kInterleaveSeconds = 2.0;
// The memory bandwidth is measured again every this many rounds; the fastest measurement is kept.
constexpr int kMemoryEveryRounds = 6;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int pass_chunks(double chunk_seconds, const std::vector<int>& threads) {
  int step = 1, most = 1;
  for (int t : threads) {
    step = std::lcm(step, t);
    most = std::max(most, t);
  }
  const int want = std::clamp(static_cast<int>(std::ceil(kPassSeconds / chunk_seconds)), kChunksPerWorker * most,
                              kMaxChunks);
  return (want + step - 1) / step * step;
}

// A catalog beside the shipped one (same SKUs and tables) with one more cpu cost table, `this_host`, read from
// `calibration`. Returns its path.
std::string write_host_catalog(const Scenario& base, const std::string& path, const std::string& calibration) {
  std::ifstream in(base.catalog);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const std::string rel = "../calibration/reference.json";
  if (auto at = text.find(rel); at != std::string::npos) {
    text.replace(at, rel.size(), (fs::path(base.catalog).parent_path() / rel).string());
  }
  text += fmt::format("  this_host:\n    source: \"prepsim calibrate on this host\"\n    calibration: {}\n",
                      fs::absolute(calibration).string());
  std::ofstream(path) << text;
  return fs::absolute(path).string();
}

// A copy of `calibration` with every coefficient of `p.op` scaled by p.factor, written to `path`.
std::string write_perturbed_calibration(const std::string& calibration, const Perturbation& p,
                                        const std::string& path) {
  calibration::CalibrationFile file = calibration::read_calibration_file(calibration);
  bool found = false;
  for (calibration::OpCalibration& c : file.ops) {
    if (c.op != p.op) continue;
    for (double& k : c.fit.coefficients) k *= p.factor;
    found = true;
  }
  if (!found) throw InputError(calibration, 0, p.op, "this calibration has no cost for the op to perturb");
  calibration::write_calibration_file(file, path);
  return path;
}

// Simulates in a child process (one SimGrid engine per process) and returns the throughput in samples/s.
double simulate_in_child(const std::string& path, const LoadOptions& lo, const std::string& out_dir) {
  ChildJob job;
  job.args = {"run", path, "-o", out_dir};
  for (const std::string& o : lo.overrides) job.args.insert(job.args.end(), {"--set", o});
  ChildResult r = run_jobs({job}, 1)[0];
  if (!r.ok()) throw std::runtime_error("the simulation of " + path + " failed: " + r.describe() + "\n" + r.err);
  std::ifstream report(out_dir + "/report.json");
  return nlohmann::json::parse(report).at("throughput_samples_per_s").get<double>();
}

}  // namespace

std::string Perturbation::text() const { return fmt::format("{}={:g}", op, factor); }

Perturbation parse_perturbation(const std::string& text, const std::string& flag) {
  const auto eq = text.find('=');
  Perturbation p;
  if (eq == std::string::npos || eq == 0) {
    throw InputError("", 0, flag, fmt::format("'{}': expected OP=FACTOR, e.g. decode=1.3", text));
  }
  p.op = text.substr(0, eq);
  if (find_op(p.op) == nullptr) {
    throw InputError("", 0, flag, fmt::format("unknown op '{}' (known: {})", p.op, op_names_joined()));
  }
  try {
    std::size_t used = 0;
    p.factor = std::stod(text.substr(eq + 1), &used);
    if (used != text.size() - eq - 1) throw std::invalid_argument("trailing characters");
  } catch (const std::exception&) {
    throw InputError("", 0, flag, fmt::format("'{}': the factor must be a number, e.g. decode=1.3", text));
  }
  if (!(p.factor > 0) || !std::isfinite(p.factor)) {
    throw InputError("", 0, flag, fmt::format("'{}': the factor must be positive and finite", text));
  }
  return p;
}

struct ScenarioState {
  std::string path;
  Scenario base;
  validation::PreparedDataset data;
  double read_bps = 0;
  std::string storage_pool, cpu_pool;
};

struct PointState {
  std::size_t scenario = 0;
  std::unique_ptr<validation::RealPipeline> pipeline;
};

struct ValidationSession::Impl {
  const ValidateOptions& o;
  std::ostream& log;
  HostDescription host;
  validation::SentinelSet sentinels;  // one baseline for the whole run
  validation::ThreadPool probe{1, true};  // where the calibration's host checks run the sentinel
  std::vector<ScenarioState> scenarios;
  std::vector<PointState> states;
  std::vector<ValidationPoint> points;
  int rounds = 0;

  Impl(const ValidateOptions& options, std::ostream& progress) : o(options), log(progress) {
    // Before anything is allocated: the allocator regime the calibration times kernels in (host_load.h), that of a
    // worker reusing its memory from chunk to chunk. Without it, the pipeline's chunk-sized buffers went back to
    // the kernel and were faulted in again chunk after chunk, or not, by allocation history.
    calibration::keep_freed_memory();
    for (const std::string& path : o.scenarios) scenarios.push_back({path, load_scenario(path), {}, 0, "", ""});
    fs::create_directories(o.dir);
    host.memory_threads = std::clamp(*std::max_element(o.threads.begin(), o.threads.end()), 1,
                                     static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    measure_memory();
    for (std::size_t s = 0; s < scenarios.size(); ++s) setup(s);
  }

  void setup(std::size_t index) {
    ScenarioState& s = scenarios[index];
    const Scenario& sc = s.base;
    // Sizing only: the scenario's own cost table says roughly how long a chunk takes.
    const double chunk_s =
        std::max(1e-6, Workload(sc, resolve_cpu_costs(sc, load_catalog(sc.catalog))).mean_chunk().cpu_seconds());
    const int n = o.chunks > 0 ? o.chunks : pass_chunks(chunk_s, o.threads);
    s.data = validation::prepare_dataset(sc, o.dir + "/data/" + sc.name, n, sc.seed);
    s.read_bps = measure_read_bandwidth(s.data.files, o.drop_caches, &host.reads_from_disk);
    for (const Pool& p : sc.pools) (p.kind == "storage" ? s.storage_pool : s.cpu_pool) = p.name;
    for (int t : o.threads) {
      log << fmt::format("validate {} at {} thread{}: {} chunks per pass, {} warm-up pass{}\n", sc.name, t,
                         t == 1 ? "" : "s", n, o.warmup, o.warmup == 1 ? "" : "es");
      validation::RealOptions ro;
      ro.drop_caches = o.drop_caches;
      ro.shared_sentinels = &sentinels;
      if (o.verbose) ro.log = [this](const std::string& line) { log << "  " << line << "\n"; };
      PointState st;
      st.scenario = index;
      st.pipeline = std::make_unique<validation::RealPipeline>(sc, s.data.files, t, ro);
      st.pipeline->warm_up(o.warmup);
      states.push_back(std::move(st));
      ValidationPoint p;
      p.scenario = sc.name;
      p.threads = t;
      p.read_bps = s.read_bps;
      points.push_back(std::move(p));
    }
  }

  // The memory bandwidths, with all threads and with one, measured every few rounds: the fast quartile of the
  // measurements so far (the estimator of every other measurement here).
  std::vector<double> memory_all, memory_one;
  void measure_memory() {
    const double q = 1 - calibration::kFastTimeQuantile;
    memory_all.push_back(measure_memory_bandwidth(host.memory_threads));
    memory_one.push_back(measure_memory_bandwidth(1));
    host.memory_bps = calibration::fast_quantile(memory_all, q);
    host.memory_core_bps = calibration::fast_quantile(memory_one, q);
  }

  // One timed pass of each point in `which`, in order.
  void round(const std::vector<std::size_t>& which) {
    for (std::size_t i : which) states[i].pipeline->run_pass();
    if (++rounds % kMemoryEveryRounds == 0) measure_memory();
    for (std::size_t i : which) collect(i);
  }

  std::vector<std::size_t> all() const {
    std::vector<std::size_t> v(states.size());
    std::iota(v.begin(), v.end(), 0);
    return v;
  }

  // The point's measured figures from its passes so far.
  void collect(std::size_t i) {
    ValidationPoint& p = points[i];
    const validation::RealRun& run = states[i].pipeline->run();
    p.passes = run.passes;
    const std::vector<double> usable = run.usable_throughputs();
    p.measured = usable.empty() ? validation::QuantileInterval{}
                                : validation::quantile_interval(usable, o.quantile, o.confidence);
    const auto chunks = static_cast<double>(scenarios[states[i].scenario].data.files.size());
    p.measured_ms.clear();
    for (const auto& [stage, unused] : run.stage_seconds) {
      std::vector<double> v;
      for (const validation::PassRecord& r : run.passes) {
        if (r.usable) v.push_back(r.stage_seconds.at(stage));
      }
      p.measured_ms[stage] = v.empty() ? 0.0 : 1e3 * calibration::fast_quantile(v) / chunks;
    }
  }

  void measure() {
    const Clock::time_point start = Clock::now();
    if (o.calibrate) calibrate_interleaved();
    for (;;) {
      std::vector<std::size_t> due;
      for (std::size_t i = 0; i < states.size(); ++i) {
        if (static_cast<int>(points[i].passes.size()) < o.passes) due.push_back(i);
      }
      if (due.empty()) break;
      round(due);
    }
    log << fmt::format("validate: {} rounds of timed passes, {:.0f} s\n", rounds, since(start));
  }

  void calibrate_interleaved() {
    calibration::RunnerOptions ro;
    ro.between_rounds = [this] { round(all()); };
    ro.interleave_seconds = kInterleaveSeconds;
    ro.host_sentinel = [this] { return sentinels.measure(probe); };
    log << fmt::format("validate: calibrating this host into {}, a round of validation passes every {:.0f} s\n",
                       o.calibration, kInterleaveSeconds);
    const calibration::CalibrationRun run = calibration::run_calibration(ro, [this](const calibration::OpProgress& p) {
      if (p.result != nullptr) log << calibration_result_lines(p) << std::flush;
    });
    calibration::write_calibration_file(run.file, o.calibration);
    log << calibration_refit_line(run);
    log << fmt::format("validate: wrote {} ({} ops, {:.1f} s, {} validation rounds meanwhile)\n", o.calibration,
                       run.file.ops.size(), run.seconds, rounds);
  }

  // The predicted throughput of every point with `calibration` as this host's cost table (tag names the files).
  std::vector<double> simulate_all(const std::string& calibration, const std::string& tag, bool stage_times) {
    std::vector<double> out;
    for (std::size_t i = 0; i < states.size(); ++i) {
      const ScenarioState& s = scenarios[states[i].scenario];
      const int t = points[i].threads;
      LoadOptions lo;
      lo.overrides = {"catalog=" + write_host_catalog(s.base, fmt::format("{}/catalog-{}.yaml", o.dir, tag), calibration),
                      "cpu_costs=this_host",
                      fmt::format("dataset.compression_ratio={:.6g}", s.data.compression_ratio())};
      const Scenario sc = load_scenario(s.path, lo);
      HostDescription h = host;
      h.cores = t;
      h.read_bps = s.read_bps;
      const std::string platform = fs::absolute(fmt::format("{}/this_host-{}.xml", o.dir, t)).string();
      std::ofstream(platform) << host_platform_xml(h);
      const Workload wl(sc, resolve_cpu_costs(sc, load_catalog(sc.catalog)));
      const double chunk_wall = std::max(1e-6, wl.mean_chunk().cpu_seconds()) / t;
      LoadOptions slo = lo;
      slo.overrides.insert(slo.overrides.end(),
                           {"platform=" + platform, "pools." + s.storage_pool + ".hosts=[storage]",
                            "pools." + s.cpu_pool + ".hosts=[this-host]",
                            fmt::format("pools.{}.workers_per_host={}", s.cpu_pool, t), "trainers.0.hosts=[sink]",
                            "trainers.0.step_time=1us", fmt::format("trainers.0.prefetch={}", 4 * t),
                            fmt::format("run.warmup={:.6g}s", 10 * chunk_wall),
                            fmt::format("run.duration={:.6g}s", 200 * chunk_wall)});
      out.push_back(simulate_in_child(
          s.path, slo, fmt::format("{}/sim/{}-{}-{}", fs::absolute(o.dir).string(), tag, sc.name, t)));
      if (stage_times) points[i].predicted_ms = predicted_ms(sc, wl, h);
    }
    return out;
  }

  // The model's mean chunk on this host, each stage alone on one core: its compute time and its memory traffic at
  // one core's memory bandwidth, composed as the engine composes them (op_registry.h: stage_seconds_alone); read
  // is the chunk's stored bytes at the read bandwidth.
  static std::map<std::string, double> predicted_ms(const Scenario& sc, const Workload& wl, const HostDescription& h) {
    const ChunkWork mean = wl.mean_chunk();
    std::map<std::string, double> ms;
    for (std::size_t s = 0; s < sc.stages.size(); ++s) {
      ms[sc.stages[s].name] = sc.stages[s].op == "read"
                                  ? 1e3 * mean.stored_bytes / h.read_bps
                                  : 1e3 * stage_seconds_alone(*find_op(sc.stages[s].op), mean.stage_seconds[s],
                                                              mean.stage_memory_bytes[s],
                                                              std::min(h.memory_bps, h.memory_core_bps));
    }
    return ms;
  }

  void predict() {
    std::string calibration = o.calibration;
    if (o.perturb) {
      calibration = write_perturbed_calibration(o.calibration, *o.perturb, o.dir + "/calibration-perturbed.json");
    }
    const std::vector<double> predicted = simulate_all(calibration, "model", true);
    for (std::size_t i = 0; i < points.size(); ++i) points[i].predicted = predicted[i];
    if (o.planted) {
      const std::string planted = write_perturbed_calibration(o.calibration, *o.planted,
                                                              o.dir + "/calibration-planted.json");
      const std::vector<double> p = simulate_all(planted, "planted", false);
      for (std::size_t i = 0; i < points.size(); ++i) points[i].planted_predicted = p[i];
    }
  }

  void verdicts(const validation::Tolerance& t) {
    for (ValidationPoint& p : points) {
      const int usable = p.usable(), timed = static_cast<int>(p.passes.size());
      p.verdict = validation::judge_point(p.predicted, p.measured, t.tolerance, usable, timed);
      if (p.planted_predicted) {
        p.planted_verdict = validation::judge_point(*p.planted_predicted, p.measured, t.tolerance, usable, timed);
      }
      p.judged = true;
    }
  }

  void judge(const validation::Tolerance& t) {
    verdicts(t);
    const Clock::time_point start = Clock::now();
    while (since(start) < o.retry_budget) {
      std::vector<std::size_t> open;
      for (std::size_t i = 0; i < points.size(); ++i) {
        const bool planted_open =
            points[i].planted_predicted && points[i].planted_verdict.verdict == validation::Verdict::Inconclusive;
        if (points[i].verdict.verdict == validation::Verdict::Inconclusive || planted_open) open.push_back(i);
      }
      if (open.empty()) break;
      round(open);
      verdicts(t);
    }
  }
};

ValidationSession::ValidationSession(const ValidateOptions& options, std::ostream& progress)
    : impl_(std::make_unique<Impl>(options, progress)) {}
ValidationSession::~ValidationSession() = default;
void ValidationSession::measure() { impl_->measure(); }
void ValidationSession::predict() { impl_->predict(); }
void ValidationSession::judge(const validation::Tolerance& tolerance) { impl_->judge(tolerance); }
const std::vector<ValidationPoint>& ValidationSession::points() const { return impl_->points; }
const HostDescription& ValidationSession::host() const { return impl_->host; }

}  // namespace prepsim::analysis
