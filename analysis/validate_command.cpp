#include "analysis/validate_command.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <thread>

#include "analysis/cli_parse.h"
#include "analysis/child_runner.h"
#include "analysis/host_platform.h"
#include "analysis/validate_report.h"
#include "models/calibration/calibration_file.h"
#include "models/calibration/host_load.h"
#include "models/catalog.h"
#include "models/config/input_error.h"
#include "models/cpu_costs.h"
#include "models/scenario.h"
#include "models/validation/real_pipeline.h"
#include "models/validation/scenario_data.h"
#include "models/validation/tolerance.h"
#include "models/workload.h"

namespace prepsim::analysis {
namespace {

namespace fs = std::filesystem;

// Work of about this many seconds on one thread per pass, unless --chunks says otherwise (docs/validation.md).
constexpr double kPassSeconds = 0.6;

// Chunks per pass: about kPassSeconds of work at 1 thread, at least kChunksPerWorker per worker at the most threads,
// and a multiple of every thread count, so that the workers of a pass end together as in the simulated steady
// state (a pass whose last chunk runs alone would measure the tail, not the throughput).
constexpr int kChunksPerWorker = 8;
int pass_chunks(double chunk_seconds, const std::vector<int>& threads) {
  int step = 1, most = 1;
  for (int t : threads) {
    step = std::lcm(step, t);
    most = std::max(most, t);
  }
  const int want = std::clamp(static_cast<int>(std::ceil(kPassSeconds / chunk_seconds)), kChunksPerWorker * most, 400);
  return (want + step - 1) / step * step;
}

// The model's mean chunk on this host, each stage alone on one core: the longer of its compute time and its
// memory traffic at the host's memory bandwidth (what the engine simulates when nothing else contends); read is
// the chunk's stored bytes at the storage host's read bandwidth.
std::map<std::string, double> predicted_ms(const Scenario& sc, const Workload& wl, const HostDescription& host) {
  const ChunkWork mean = wl.mean_chunk();
  std::map<std::string, double> ms;
  for (std::size_t s = 0; s < sc.stages.size(); ++s) {
    ms[sc.stages[s].name] = sc.stages[s].op == "read"
                                ? 1e3 * mean.stored_bytes / host.read_bps
                                : 1e3 * std::max(mean.stage_seconds[s], mean.stage_memory_bytes[s] / host.memory_bps);
  }
  return ms;
}

// Simulates in a child process (one SimGrid engine per process, the runner every command shares) and returns the
// throughput in samples/s; the run's outputs stay in out_dir.
double simulate_in_child(const std::string& path, const LoadOptions& lo, const std::string& out_dir) {
  ChildJob job;
  job.args = {"run", path, "-o", out_dir};
  for (const std::string& o : lo.overrides) job.args.insert(job.args.end(), {"--set", o});
  if (lo.seed >= 0) job.args.insert(job.args.end(), {"--seed", std::to_string(lo.seed)});
  ChildResult r = run_jobs({job}, 1)[0];
  if (!r.ok()) throw std::runtime_error("the simulation of " + path + " failed: " + r.describe() + "\n" + r.err);
  std::ifstream report(out_dir + "/report.json");
  return nlohmann::json::parse(report).at("throughput_samples_per_s").get<double>();
}

// A catalog beside the shipped one (same SKUs and tables) with one more cpu cost table, `this_host`, read from
// this host's calibration file. Returns its path.
std::string write_host_catalog(const Scenario& base, const std::string& dir, const std::string& calibration) {
  std::ifstream in(base.catalog);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const std::string rel = "../calibration/reference.json";
  if (auto at = text.find(rel); at != std::string::npos) {
    text.replace(at, rel.size(), (fs::path(base.catalog).parent_path() / rel).string());
  }
  text += fmt::format("  this_host:\n    source: \"prepsim calibrate on this host\"\n    calibration: {}\n",
                      fs::absolute(calibration).string());
  const std::string catalog = fs::absolute(dir + "/catalog.yaml").string();
  std::ofstream(catalog) << text;
  return catalog;
}

struct Options {
  std::vector<std::string> scenarios;
  std::vector<int> threads = {1, 2};
  int reps = 5, warmup = 1, chunks = 0;
  double retry_budget = 60;
  bool as_json = false, drop_caches = false, verbose = false;
  std::string dir = "validation-out", calibration = kHostCalibrationPath, tolerance_file;
};

// Measures and simulates every point of one scenario.
void validate_scenario(const std::string& path, const Options& o, HostDescription host,
                       validation::SentinelSet& sentinels, std::vector<ValidationPoint>& points, std::ostream& err) {
  const Scenario base = load_scenario(path);
  LoadOptions lo;
  lo.overrides = {"catalog=" + write_host_catalog(base, o.dir, o.calibration), "cpu_costs=this_host"};
  const Scenario sc = load_scenario(path, lo);
  const Catalog cat = load_catalog(sc.catalog);
  const double chunk_s = std::max(1e-6, Workload(sc, resolve_cpu_costs(sc, cat)).mean_chunk().cpu_seconds());
  const int n = o.chunks > 0 ? o.chunks : pass_chunks(chunk_s, o.threads);
  const validation::PreparedDataset data = validation::prepare_dataset(sc, o.dir + "/data/" + sc.name, n, sc.seed);
  lo.overrides.push_back(fmt::format("dataset.compression_ratio={:.6g}", data.compression_ratio()));
  const Scenario measured_sc = load_scenario(path, lo);  // the model of the files as written
  const Workload wl(measured_sc, resolve_cpu_costs(measured_sc, cat));
  host.read_bps = measure_read_bandwidth(data.files, o.drop_caches, &host.reads_from_disk);
  std::string storage_pool, cpu_pool;
  for (const Pool& p : sc.pools) (p.kind == "storage" ? storage_pool : cpu_pool) = p.name;
  const std::string platform = fs::absolute(o.dir + "/this_host.xml").string();
  for (int t : o.threads) {
    err << fmt::format("validate {} at {} thread{}: {} chunks, {} warm-up + {} timed passes...\n", sc.name, t,
                       t == 1 ? "" : "s", n, o.warmup, o.reps);
    validation::RealOptions ro;
    ro.drop_caches = o.drop_caches;
    ro.budget_seconds = o.retry_budget;
    ro.shared_sentinels = &sentinels;
    if (o.verbose) ro.log = [&err](const std::string& line) { err << "  " << line << "\n"; };
    const validation::RealRun real = validation::run_real_pipeline(sc, data.files, t, o.reps, o.warmup, ro);
    host.cores = t;
    std::ofstream(platform) << host_platform_xml(host);
    const double chunk_wall = chunk_s / t;
    LoadOptions slo = lo;
    slo.overrides.insert(slo.overrides.end(),
                         {"platform=" + platform, "pools." + storage_pool + ".hosts=[storage]",
                          "pools." + cpu_pool + ".hosts=[this-host]",
                          fmt::format("pools.{}.workers_per_host={}", cpu_pool, t), "trainers.0.hosts=[sink]",
                          "trainers.0.step_time=1us", fmt::format("trainers.0.prefetch={}", 4 * t),
                          fmt::format("run.warmup={:.6g}s", 10 * chunk_wall),
                          fmt::format("run.duration={:.6g}s", 200 * chunk_wall)});
    ValidationPoint p;
    p.scenario = sc.name;
    p.threads = t;
    p.measured = real.median;
    p.spread = real.spread;
    p.passes = static_cast<int>(real.throughput.size());
    p.disturbed = real.disturbed;
    p.clean = real.clean;
    p.read_bps = host.read_bps;
    p.predicted = simulate_in_child(path, slo, fmt::format("{}/sim/{}-{}", fs::absolute(o.dir).string(), sc.name, t));
    p.predicted_ms = predicted_ms(measured_sc, wl, host);
    for (const auto& [stage, s] : real.stage_seconds) p.measured_ms[stage] = 1e3 * s / n;
    points.push_back(p);
  }
}

}  // namespace

int run_validate_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"prepsim validate: the model against the same pipeline run for real on this host"};
  Options o;
  app.add_option("scenarios", o.scenarios, "validation scenarios")->required();
  app.add_option("--threads", o.threads, "thread counts")->delimiter(',')->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--reps", o.reps, "undisturbed timed passes per point (the median is reported)")
      ->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--warmup", o.warmup, "untimed passes first")->capture_default_str()->check(CLI::NonNegativeNumber);
  app.add_option("--chunks", o.chunks, "chunks in the dataset (0: about 0.6 s of work at 1 thread)")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  app.add_option("--calibration", o.calibration, "this host's calibration file (prepsim calibrate)")
      ->capture_default_str();
  app.add_option("-o,--out", o.dir, "where the datasets and results go")->capture_default_str();
  app.add_option("--tolerance-file", o.tolerance_file,
                 "the gate: exit 1 when a point's |error| exceeds this file's tolerance (tests/validation/)");
  app.add_option("--retry-budget", o.retry_budget,
                 "seconds per point to keep rerunning passes disturbed by other work")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  app.add_flag("--drop-caches", o.drop_caches,
               "read from the disk: drop the page cache (whole machine, needs root) before every timed pass");
  app.add_flag("--verbose", o.verbose, "print every timed pass on stderr: kept or disturbed, and why");
  app.add_flag("--json", o.as_json, "print a JSON list of {scenario, threads, measured, predicted, error}");
  if (int code = parse_subcommand(app, "validate", args, out, err); code >= 0) return code;
  try {
    if (!fs::is_regular_file(o.calibration)) {
      throw InputError(o.calibration, 0, "--calibration", "no calibration of this host; run `prepsim calibrate` first");
    }
    const std::string outdated = calibration::read_calibration_file(o.calibration).outdated_ops();
    if (!outdated.empty()) {
      err << fmt::format("note: {} predates the cost terms of {}, read as 0: recalibrate (prepsim calibrate)\n",
                         o.calibration, outdated);
    }
    std::optional<validation::Tolerance> tolerance;
    if (!o.tolerance_file.empty()) tolerance = validation::read_tolerance_file(o.tolerance_file);
    for (const std::string& path : o.scenarios) (void)load_scenario(path);  // bad input before any measurement
    fs::create_directories(o.dir);
    HostDescription host;
    host.memory_threads = std::clamp(*std::max_element(o.threads.begin(), o.threads.end()), 1,
                                     static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    host.memory_bps = measure_memory_bandwidth(host.memory_threads);
    std::vector<ValidationPoint> points;
    validation::SentinelSet sentinels;  // one baseline for the whole run
    for (const std::string& path : o.scenarios) validate_scenario(path, o, host, sentinels, points, err);

    std::ofstream(o.dir + "/validation.json") << validation_json(points).dump(2) << "\n";
    if (o.as_json) {
      out << validation_json(points).dump(2) << "\n";
    } else {
      out << describe_host(host, o.calibration) << "\n";
      print_validation(out, points);
    }
    if (!tolerance) return 0;
    std::vector<validation::GatePoint> gate;
    for (const ValidationPoint& p : points) gate.push_back({p.scenario, p.threads, p.measured, p.predicted, p.clean});
    const std::vector<std::string> failures = validation::gate_failures(gate, *tolerance);
    std::ostream& report = o.as_json ? err : out;
    report << fmt::format("\nvalidation gate ({}): tolerance {:.0f}%{}: ", tolerance->file, 100 * tolerance->tolerance,
                          tolerance->goal ? fmt::format(", goal {:.0f}%", 100 * *tolerance->goal) : "");
    if (failures.empty()) {
      report << fmt::format("all {} points within\n", points.size());
      return 0;
    }
    report << fmt::format("{} of {} points FAIL\n", failures.size(), points.size());
    for (const std::string& f : failures) err << "FAIL " << f << "\n";
    return 1;
  } catch (const InputError& e) {
    err << "prepsim: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    err << "prepsim validate: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace prepsim::analysis
