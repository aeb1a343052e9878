#include "analysis/validate_command.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>

#include "analysis/host_platform.h"
#include "models/catalog.h"
#include "models/config/input_error.h"
#include "models/cpu_costs.h"
#include "models/metrics.h"
#include "models/scenario.h"
#include "models/validation/real_pipeline.h"
#include "models/validation/scenario_data.h"
#include "models/workload.h"
#include "sim/engine.h"

namespace prepsim::analysis {
namespace {

namespace fs = std::filesystem;

struct Point {
  std::string scenario;
  int threads = 0;
  double measured = 0, spread = 0, predicted = 0, error = 0;
  std::map<std::string, double> measured_share, predicted_share;
  std::map<std::string, double> measured_ms, predicted_ms;  // per chunk, on one thread
};

double read_bandwidth(const std::vector<std::string>& files) {
  std::vector<char> buf(std::size_t{8} << 20);
  double best = 0;
  for (int rep = 0; rep < 3; ++rep) {
    double bytes = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (const std::string& f : files) {
      std::ifstream in(f, std::ios::binary);
      while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
        bytes += static_cast<double>(in.gcount());
      }
    }
    best = std::max(best, bytes / std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

// The model's mean chunk on this host, each stage alone on one core: the longer of its compute time and its
// memory traffic at the host's memory bandwidth (what the engine simulates when nothing else contends).
std::map<std::string, double> predicted_ms(const Scenario& sc, const Workload& wl, double memory_bps) {
  ChunkWork mean = wl.mean_chunk();
  std::map<std::string, double> ms;
  for (std::size_t s = 0; s < sc.stages.size(); ++s) {
    if (sc.stages[s].op == "read") continue;
    ms[sc.stages[s].name] = 1e3 * std::max(mean.stage_seconds[s], mean.stage_memory_bytes[s] / memory_bps);
  }
  return ms;
}

std::map<std::string, double> shares(const std::map<std::string, double>& parts) {
  double total = 0;
  for (const auto& [k, v] : parts) total += v;
  std::map<std::string, double> out;
  for (const auto& [k, v] : parts) out[k] = total > 0 ? v / total : 0.0;
  return out;
}

// Simulates in a child process (one SimGrid engine per process) and returns the throughput in samples/s.
double simulate_in_child(const std::string& path, const LoadOptions& lo) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    double x = -1;
    try {
      Scenario sc = load_scenario(path, lo);
      Catalog cat = load_catalog(sc.catalog);
      Workload wl(sc, resolve_cpu_costs(sc, cat));
      RunRecord rec = sim::simulate(sc, cat, wl, {});
      x = compute_metrics(rec, sc, cat).throughput;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "prepsim: validate: simulation failed: %s\n", e.what());
    }
    ssize_t written = write(fds[1], &x, sizeof x);
    _exit(written == sizeof x && x >= 0 ? 0 : 1);
  }
  close(fds[1]);
  double x = -1;
  ssize_t got = read(fds[0], &x, sizeof x);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (got != sizeof x || x < 0) throw std::runtime_error("the simulation of " + path + " failed");
  return x;
}

}  // namespace

int run_validate_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"prepsim validate: the model against the same pipeline run for real on this host"};
  std::vector<std::string> scenarios;
  std::vector<int> threads = {1, 2};
  int reps = 5, warmup = 1, chunks = 0;
  bool as_json = false;
  std::string dir = "validation-out", calibration = kHostCalibrationPath, tolerance_file;
  app.add_option("scenarios", scenarios, "validation scenarios")->required();
  app.add_option("--threads", threads, "thread counts")->delimiter(',')->capture_default_str();
  app.add_option("--reps", reps, "timed passes per point (the median is reported)")->capture_default_str();
  app.add_option("--warmup", warmup, "untimed passes first")->capture_default_str();
  app.add_option("--chunks", chunks, "chunks in the dataset (0: about 0.6 s of work at 1 thread)")
      ->capture_default_str();
  app.add_option("--calibration", calibration, "this host's calibration file (prepsim calibrate)")
      ->capture_default_str();
  app.add_option("-o,--out", dir, "where the datasets and results go")->capture_default_str();
  app.add_option("--tolerance-file", tolerance_file, "fail (exit 1) when |error| exceeds the fraction in this file");
  app.add_flag("--json", as_json, "print a JSON list of {scenario, threads, measured, predicted, error}");
  std::vector<std::string> argv_words = {"validate"};
  argv_words.insert(argv_words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& w : argv_words) argv.push_back(w.data());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    err << "prepsim validate: " << e.what() << "\n";
    return 2;
  }
  try {
    if (!fs::is_regular_file(calibration)) {
      throw InputError(calibration, 0, "--calibration", "no calibration of this host; run `prepsim calibrate` first");
    }
    double tolerance = -1;
    if (!tolerance_file.empty()) {
      std::ifstream in(tolerance_file);
      if (!(in >> tolerance) || !(tolerance > 0)) {
        throw InputError(tolerance_file, 1, "", "expected one positive fraction, e.g. 0.20");
      }
    }
    fs::create_directories(dir);
    std::string catalog = fs::absolute(dir + "/catalog.yaml").string();
    std::string platform = fs::absolute(dir + "/this_host.xml").string();
    double memory_bps = measure_memory_bandwidth();
    std::vector<Point> points;
    for (const std::string& path : scenarios) {
      Scenario base = load_scenario(path);
      {  // a catalog naming this host's calibration, beside the shipped one's SKUs
        std::ifstream in(base.catalog);
        std::string text((std::istreambuf_iterator<char>(in)), {});
        std::string rel = "../calibration/reference.json";
        if (auto at = text.find(rel); at != std::string::npos) {
          text.replace(at, rel.size(), (fs::path(base.catalog).parent_path() / rel).string());
        }
        text += fmt::format("  this_host:\n    source: \"prepsim calibrate on this host\"\n    calibration: {}\n",
                            fs::absolute(calibration).string());
        std::ofstream(catalog) << text;
      }
      LoadOptions lo;
      lo.overrides = {"catalog=" + catalog, "cpu_costs=this_host"};
      Scenario sc = load_scenario(path, lo);
      Catalog cat = load_catalog(sc.catalog);
      Workload wl(sc, resolve_cpu_costs(sc, cat));
      double chunk_s = std::max(1e-6, wl.mean_chunk().cpu_seconds());
      int n = chunks > 0 ? chunks : std::clamp(static_cast<int>(std::ceil(0.6 / chunk_s)), 8, 400);
      auto data = validation::prepare_dataset(sc, dir + "/data/" + sc.name, n, sc.seed);
      HostDescription host;
      host.memory_bps = memory_bps;
      host.page_cache_read_bps = read_bandwidth(data.files);
      std::string storage_pool, cpu_pool;
      for (const Pool& p : sc.pools) (p.kind == "storage" ? storage_pool : cpu_pool) = p.name;
      for (int t : threads) {
        err << fmt::format("validate {} at {} thread(s): measuring {} chunks x {} passes...\n", sc.name, t, n, reps);
        validation::RealRun real = validation::run_real_pipeline(sc, data.files, t, reps, warmup);
        host.cores = t;
        std::ofstream(platform) << host_platform_xml(host);
        double chunk_wall = chunk_s / t;
        LoadOptions slo = lo;
        slo.overrides.insert(slo.overrides.end(),
                             {"platform=" + platform, "pools." + storage_pool + ".hosts=[page-cache]",
                              "pools." + cpu_pool + ".hosts=[this-host]",
                              fmt::format("pools.{}.workers_per_host={}", cpu_pool, t), "trainers.0.hosts=[sink]",
                              "trainers.0.step_time=1us", fmt::format("trainers.0.prefetch={}", 4 * t),
                              fmt::format("dataset.compression_ratio={:.6g}", data.compression_ratio()),
                              fmt::format("run.warmup={:.6g}s", 10 * chunk_wall),
                              fmt::format("run.duration={:.6g}s", 200 * chunk_wall)});
        Point p;
        p.scenario = sc.name;
        p.threads = t;
        p.measured = real.median;
        p.spread = real.spread;
        p.predicted = simulate_in_child(path, slo);
        p.error = (p.predicted - p.measured) / p.measured;
        p.measured_share = real.stage_share;
        p.predicted_ms = predicted_ms(sc, wl, memory_bps);
        p.predicted_share = shares(p.predicted_ms);
        for (const auto& [stage, s] : real.stage_seconds) p.measured_ms[stage] = 1e3 * s / n;
        points.push_back(p);
      }
    }
    bool ok = true;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Point& p : points) {
      if (tolerance > 0 && std::fabs(p.error) > tolerance) ok = false;
      list.push_back({{"scenario", p.scenario}, {"threads", p.threads}, {"measured", p.measured},
                      {"predicted", p.predicted}, {"error", p.error}});
    }
    std::ofstream(dir + "/validation.json") << list.dump(2) << "\n";
    if (as_json) {
      out << list.dump(2) << "\n";
    } else {
      out << fmt::format("{:<12} {:>7} {:>24} {:>11} {:>25} {:>9}\n", "scenario", "threads",
                         "measured_samples_per_s", "spread_%", "predicted_samples_per_s", "error_%");
      for (const Point& p : points) {
        out << fmt::format("{:<12} {:>7} {:>24.0f} {:>11.1f} {:>25.0f} {:>+9.1f}\n", p.scenario, p.threads,
                           p.measured, 100 * p.spread, p.predicted, 100 * p.error);
      }
      out << "\nwhere the time went: per stage, thread-milliseconds per chunk measured / predicted (share of the "
             "total), reads from the page cache\n";
      for (const Point& p : points) {
        out << fmt::format("{} at {} thread(s):\n", p.scenario, p.threads);
        for (const auto& [stage, ms] : p.measured_ms) {
          auto pm = p.predicted_ms.find(stage);
          auto ps = p.predicted_share.find(stage);
          double share = p.measured_share.count(stage) ? p.measured_share.at(stage) : 0.0;
          out << fmt::format("  {:<16} {:>9.3f} / {:>9.3f} ms   ({:>5.1f}% / {:>5.1f}%)\n", stage, ms,
                             pm == p.predicted_ms.end() ? 0.0 : pm->second, 100 * share,
                             ps == p.predicted_share.end() ? 0.0 : 100 * ps->second);
        }
      }
      if (tolerance > 0) {
        out << fmt::format("\ntolerance {:.0f}% ({}): {}\n", 100 * tolerance, tolerance_file,
                           ok ? "every point within" : "SOME POINTS OUTSIDE");
      }
    }
    return ok ? 0 : 1;
  } catch (const InputError& e) {
    err << "prepsim: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    err << "prepsim validate: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace prepsim::analysis
