#include "analysis/reproduce/reproduce_command.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "analysis/cli_parse.h"
#include "analysis/children/child_runner.h"
#include "analysis/plan/plan_search.h"
#include "analysis/children/progress.h"
#include "analysis/reproduce/presto.h"
#include "models/catalog.h"
#include "models/config/input_error.h"
#include "models/config/map_reader.h"
#include "models/cpu_costs.h"
#include "models/scenario.h"
#include "models/workload.h"

namespace prepsim::analysis {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Options {
  std::string study;
  bool json = false;
  bool search = true;
  int jobs = 2;
  std::string out_dir;
};

std::string presto_dir() { return std::string(PREPSIM_SOURCE_DIR) + "/scenarios/presto"; }

// The fit targets, from scenarios/presto/fitted.yaml (the one list of what was fitted, to which number).
std::vector<std::string> fitted_metrics() {
  std::string path = presto_dir() + "/fitted.yaml";
  config::Node tree = config::load_yaml_file(path);
  config::MapReader top(tree, "");
  top.expect_schema("prepsim-fitted/v1");
  std::vector<std::string> metrics;
  config::Node* params = top.seq("parameters");
  for (config::Node& p : params->items) {
    config::MapReader r(p, "parameters");
    r.string("parameter");
    r.string("value");
    metrics.push_back(r.string("fitted_to"));
    r.string("published", "");
    r.finish();
  }
  top.finish();
  return metrics;
}

// Seconds of a mean chunk on one reference core (TorchArrow's efficiencies applied): PreSto's three ops, and all
// CPU ops.
struct OpSeconds {
  double ops = 0, all = 0;
};
OpSeconds op_seconds(const std::string& scenario) {
  Scenario sc = load_scenario(scenario);
  Catalog cat = load_catalog(sc.catalog);
  Workload wl(sc, resolve_cpu_costs(sc, cat));
  ChunkWork mean = wl.mean_chunk();
  OpSeconds s;
  for (std::size_t i = 0; i < sc.stages.size(); ++i) {
    const std::string& op = sc.stages[i].op;
    s.all += mean.stage_seconds[i];
    if (op == "bucketize" || op == "sigrid_hash" || op == "log") s.ops += mean.stage_seconds[i];
  }
  return s;
}

// Runs `prepsim run` for each (scenario, overrides) into dir/<name>; returns the reports (null for a failed run,
// with its error in `errors`).
std::vector<json> run_reports(const std::vector<std::pair<std::string, std::vector<std::string>>>& runs,
                              const std::vector<std::string>& names, const std::string& dir, int parallel,
                              Progress& progress, std::vector<std::string>* errors) {
  std::vector<ChildJob> jobs;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    ChildJob j;
    j.args = {"run", runs[i].first, "-o", dir + "/" + names[i]};
    for (const std::string& s : runs[i].second) {
      j.args.push_back("--set");
      j.args.push_back(s);
    }
    jobs.push_back(j);
  }
  std::size_t done = 0;
  std::vector<ChildResult> results = run_jobs(jobs, parallel, [&](std::size_t i, const ChildResult& r) {
    progress.line(fmt::format("[{}/{}] {} {}", ++done, jobs.size(), names[i], r.ok() ? "done" : "failed"));
  });
  std::vector<json> reports;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!results[i].ok()) {
      std::string e = results[i].err;
      while (!e.empty() && e.back() == '\n') e.pop_back();
      errors->push_back(e.empty() ? results[i].describe() : e);
      reports.push_back(nullptr);
      continue;
    }
    errors->push_back("");
    std::ifstream f(dir + "/" + names[i] + "/report.json");
    reports.push_back(json::parse(f));
  }
  return reports;
}

// The smallest prefix of `pool`'s hosts in `scenario` whose run keeps the job's mean stall at or below 1%, by
// plan's search (one seed; NaN when even all hosts do not). Returns the size in workers (cores) or devices.
double search_size(const std::string& scenario, const std::string& pool, bool count_workers, const std::string& dir,
                   Progress& progress) {
  Scenario sc = load_scenario(scenario);
  const Pool* p = sc.find_pool(pool);
  std::map<int, double> sizes;
  auto probe = [&](int n) {
    std::string hosts = "[";
    for (int i = 0; i < n; ++i) hosts += (i ? "," : "") + p->hosts[static_cast<std::size_t>(i)];
    hosts += "]";
    std::vector<std::string> errors;
    std::string name = fmt::format("search-{}-{}", fs::path(scenario).stem().string(), n);
    std::vector<json> r = run_reports({{scenario, {fmt::format("pools.{}.hosts={}", pool, hosts)}}}, {name}, dir, 1,
                                      progress, &errors);
    if (r[0].is_null()) throw std::runtime_error(fmt::format("{}: {}", name, errors[0]));
    double workers = 0;
    for (const json& res : r[0]["analytic_bound"]["resources"]) {
      if (res["kind"] == "workers") workers += res["capacity_per_s"].get<double>();
    }
    sizes[n] = count_workers ? workers : static_cast<double>(n);
    return r[0]["jobs"][0]["stall_mean_fraction"].get<double>() <= 0.01;
  };
  const int all = static_cast<int>(p->hosts.size());
  SizeSearch search(1, 1, all, 1, probe(all));
  while (!search.done()) {
    std::vector<Probe> next = search.next(1);
    if (next.empty()) throw std::logic_error("size search stalled with nothing pending");
    for (const Probe& pr : next) search.report(pr, probe(pr.n));
  }
  return search.met() ? sizes.at(search.answer()) : NAN;
}

// The feature-scaling study: RM5 with 1x, 2x and 4x the features (dense, sparse and Bucketize alike), one CPU
// pool and one SmartSSD, each device's throughput the paper's way (its own resources) and its samples per joule
// as simulated on the test cluster.
std::string feature_scaling(const std::string& dir, int parallel, Progress& progress, const Catalog& cat) {
  std::vector<std::pair<std::string, std::vector<std::string>>> runs;
  std::vector<std::string> names;
  const int scales[] = {1, 2, 4};
  for (int x : scales) {
    std::vector<std::string> set = {fmt::format("dataset.dense.dense.count={}", 504 * x),
                                    fmt::format("dataset.sparse.sparse.count={}", 42 * x),
                                    fmt::format("pipeline.bucketize.count={}", 42 * x),
                                    fmt::format("pipeline.log.count={}", 504 * x),
                                    fmt::format("pipeline.sigrid_hash.count={}", 42 * x)};
    for (const char* v : {"cpu", "isp"}) {
      names.push_back(fmt::format("scaling-rm5-{}-x{}", v, x));
      runs.push_back({presto_dir() + fmt::format("/rm5-{}.yaml", v), set});
    }
  }
  std::vector<std::string> errors;
  std::vector<json> reports = run_reports(runs, names, dir, parallel, progress, &errors);
  std::string out = fmt::format("\nfeature scaling, RM5 (per device, the paper's way; samples/J simulated on the test cluster):\n"
                                "{:<8} {:>22} {:>22} {:>9} {:>16} {:>16}\n",
                                "features", "cpu_pool_samples_per_s", "smartssd_samples_per_s", "ratio",
                                "cpu_samples_per_J", "isp_samples_per_J");
  for (std::size_t i = 0; i < 3; ++i) {
    const json& c = reports[2 * i];
    const json& d = reports[2 * i + 1];
    std::string label = fmt::format("{}x", scales[i]);
    if (c.is_null() || d.is_null()) {
      out += fmt::format("{:<8} {}\n", label, c.is_null() ? errors[2 * i] : errors[2 * i + 1]);
      continue;
    }
    PoolRun pc = pool_run(c, cat, "cpu"), pd = pool_run(d, cat, "isp");
    out += fmt::format("{:<8} {:>22.0f} {:>22.0f} {:>9.2f} {:>16.1f} {:>16.1f}\n", label, pc.pool_samples_per_s,
                       pd.pool_samples_per_s, pd.pool_samples_per_s / pc.pool_samples_per_s,
                       c["fleet"]["samples_per_J"].get<double>(), d["fleet"]["samples_per_J"].get<double>());
  }
  return out;
}

std::string fmt_opt(const std::optional<double>& v) {
  if (!v) return "-";
  return std::isfinite(*v) ? fmt::format("{:.0f}", *v) : "not met";
}

}  // namespace

int run_reproduce_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"prepsim reproduce STUDY: run a published study's scenarios and compare with the paper"};
  Options o;
  app.add_option("study", o.study, "the study: presto (PreSto, ISCA 2024; docs/sources.md#presto)")->required();
  app.add_flag("--json", o.json, "print the rows as a JSON list of {metric, paper, prepsim, ratio, class}");
  app.add_option("-j,--jobs", o.jobs, "simulations at once")->capture_default_str()->check(CLI::Range(1, kMaxChildren));
  app.add_option("-o,--out", o.out_dir, "keep every run's outputs here")->default_str("(a temporary folder)");
  bool no_search = false;
  app.add_flag("--no-search", no_search, "skip the contended-cluster search for the device counts");
  if (int code = parse_subcommand(app, "reproduce", args, out, err); code >= 0) return code;
  o.search = !no_search;
  if (o.study != "presto") {
    err << "prepsim: reproduce: unknown study '" << o.study << "'; known studies: presto\n";
    return 2;
  }
  bool temp = o.out_dir.empty();
  std::string dir = temp ? (fs::temp_directory_path() / fmt::format("prepsim-reproduce-{}", getpid())).string()
                         : o.out_dir;
  fs::create_directories(dir);
  Progress progress(err, true);
  int code = 0;
  try {
    std::vector<std::string> fitted = fitted_metrics();
    std::vector<std::pair<std::string, std::vector<std::string>>> runs;
    std::vector<std::string> names;
    for (int k = 1; k <= 5; ++k) {
      for (const char* v : {"cpu", "isp"}) {
        names.push_back(fmt::format("rm{}-{}", k, v));
        runs.push_back({presto_dir() + "/" + names.back() + ".yaml", {}});
      }
    }
    std::vector<std::string> errors;
    std::vector<json> reports = run_reports(runs, names, dir, o.jobs, progress, &errors);
    for (std::size_t i = 0; i < reports.size(); ++i) {
      if (reports[i].is_null()) throw std::runtime_error(names[i] + ": " + errors[i]);
    }
    Scenario first = load_scenario(runs.front().first);
    Catalog cat = load_catalog(first.catalog);
    PrestoInputs in;
    in.horizon_s = first.run.cost_horizon;
    in.price_per_j = first.run.electricity_price;
    for (int k = 0; k < 5; ++k) {
      PoolRun cpu = pool_run(reports[2 * k], cat, "cpu");
      OpSeconds s = op_seconds(runs[2 * k].first);
      // On one worker, as the run's latency counts them (a stage takes reference seconds x 1 Gf / host speed).
      cpu.ops_s = s.ops * kReferenceCoreFlops / cpu.core_flops;
      cpu.format_s = (s.all - s.ops) * kReferenceCoreFlops / cpu.core_flops;
      in.cpu.push_back(cpu);
      in.isp.push_back(pool_run(reports[2 * k + 1], cat, "isp"));
      in.op_share.push_back(s.ops / s.all);
    }
    std::vector<RmRow> rms = rm_rows(in);
    if (o.search) {
      in.simulated_cores = search_size(presto_dir() + "/node-rm5-cpu.yaml", "pre", true, dir, progress);
      int rm = largest_smartssd_rm(rms);
      in.simulated_smartssds =
          search_size(presto_dir() + fmt::format("/node-rm{}-isp.yaml", rm), "ssd", false, dir, progress);
    }
    std::string scaling = o.json ? "" : feature_scaling(dir, o.jobs, progress, cat);
    progress.done();
    std::vector<ReproRow> rows = presto_rows(in, rms, fitted);
    if (o.json) {
      out << presto_json(rows, rms).dump(2) << "\n";
    } else {
      out << "PreSto (ISCA 2024) reproduced from scenarios/presto/ (docs/presto.md)\n";
      out << fmt::format("{:<30} {:>9} {:>9} {:>7} {:<10} {:>10}  {}\n", "metric", "paper", "prepsim", "ratio",
                         "class", "simulated", "how");
      for (const ReproRow& r : rows) {
        out << fmt::format("{:<30} {:>9.3g} {:>9.3g} {:>7.3f} {:<10} {:>10}  {}\n", r.metric, r.paper, r.prepsim,
                           r.ratio(), r.klass, fmt_opt(r.simulated), r.note);
      }
      out << "fitted rows were fit targets (scenarios/presto/fitted.yaml): matching them proves nothing.\n"
             "simulated: the smallest fleet of the contended cluster (platforms/presto/node_*.xml) that keeps one "
             "8xA100 node's stall <= 1%.\n"
          << per_rm_text(rms) << scaling;
    }
  } catch (const InputError& e) {
    progress.done();
    err << "prepsim: " << e.what() << "\n";
    code = 2;
  } catch (const std::exception& e) {
    progress.done();
    err << "prepsim: reproduce presto: " << e.what() << "\n";
    code = 1;
  }
  if (temp) fs::remove_all(dir);
  return code;
}

}  // namespace prepsim::analysis
