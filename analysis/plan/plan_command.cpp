// `prepsim plan`: parses the command line, runs each option's size search (plan_search.h) in child `prepsim run`
// processes, as many at once as -j allows and shared fairly between options, then prices each answer
// (plan_cost.h) and prints it (plan_output.h). docs/plan.md says what is searched and counted.
#include "analysis/plan/plan_command.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include "analysis/cli_parse.h"
#include "analysis/children/child_runner.h"
#include "analysis/plan/plan_output.h"
#include "analysis/plan/plan_search.h"
#include "analysis/children/progress.h"
#include "models/config/input_error.h"

namespace prepsim::analysis {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Args {
  std::vector<std::string> scenarios;
  std::string pool, goal, max_stall, throughput, options, out_dir;
  int seeds = 3, jobs = 2;
  bool json = false;
};

// One option's search and the runs it has made.
struct Search {
  PlanOption option;
  std::optional<SizeSearch> search;  // set once the run with every host is back
  bool started = false;              // that run was started
  int lower = 0;
  std::string binding;
  std::map<Probe, RunSummary> runs;
  std::vector<ProbeRecord> records;
};

struct Running {
  std::size_t option;
  Probe probe;
  std::string dir;
};

// A child's error: its last non-empty stderr line, or how it ended.
std::string child_error(const ChildResult& r) {
  std::string e = r.err;
  while (!e.empty() && e.back() == '\n') e.pop_back();
  std::size_t nl = e.rfind('\n');
  if (nl != std::string::npos) e = e.substr(nl + 1);
  return e.empty() ? r.describe() : e;
}

class ChildInputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Runs every search to its end.
void run_searches(std::vector<Search>& all, const Args& a, const PlanGoal& goal, const std::string& dir,
                  Progress& progress) {
  RunnerConfig cfg;
  cfg.parallel = a.jobs;
  ChildRunner runner(cfg);
  std::vector<Running> running;  // by tag
  std::size_t next_option = 0, runs_done = 0;
  const auto t0 = std::chrono::steady_clock::now();
  auto start = [&](std::size_t i, Probe p) {
    Search& s = all[i];
    std::uint64_t seed = s.option.seed + static_cast<std::uint64_t>(p.seed);
    std::string hosts;
    for (int k = 0; k < p.n; ++k) hosts += (k ? "," : "") + s.option.hosts[static_cast<std::size_t>(k)];
    std::string out = fmt::format("{}/{}/n{}-seed{}", dir, s.option.option, p.n, seed);
    ChildJob job;
    job.args = {"run", s.option.scenario_file, "-o", out, "--seed", std::to_string(seed), "--set",
                fmt::format("pools.{}.hosts=[{}]", s.option.pool, hosts)};
    running.push_back({i, p, out});
    runner.start(running.size() - 1, job);
  };
  auto wants = [&](std::size_t i, int slots) -> std::vector<Probe> {
    Search& s = all[i];
    if (!s.started) {
      s.started = true;
      return {{static_cast<int>(s.option.hosts.size()), 0}};
    }
    return s.search ? s.search->next(slots) : std::vector<Probe>{};
  };
  auto done = [&](const Search& s) { return s.search && s.search->done(); };
  while (std::any_of(all.begin(), all.end(), [&](const Search& s) { return !done(s); })) {
    // Hand out free slots one at a time, round robin over the options.
    for (int idle = 0; runner.free_slots() > 0 && idle < static_cast<int>(all.size());) {
      std::size_t i = next_option++ % all.size();
      std::vector<Probe> p = done(all[i]) ? std::vector<Probe>{} : wants(i, 1);
      if (p.empty()) {
        ++idle;
      } else {
        idle = 0;
        start(i, p.front());
      }
    }
    if (runner.running() == 0) throw std::runtime_error("the search stalled with nothing to run (a bug)");
    for (auto& [tag, result] : runner.wait()) {
      const Running& r = running[tag];
      Search& s = all[r.option];
      std::uint64_t seed = s.option.seed + static_cast<std::uint64_t>(r.probe.seed);
      std::string what = fmt::format("{} with {} host{}, seed {}", s.option.option, r.probe.n,
                                     r.probe.n == 1 ? "" : "s", seed);
      if (!result.ok()) {
        if (result.exit_code == 2) throw ChildInputError(child_error(result));
        throw std::runtime_error(fmt::format("{}: {}", what, child_error(result)));
      }
      std::ifstream f(r.dir + "/report.json");
      RunSummary run = read_run_summary(json::parse(f));
      bool met = goal_met(goal, run);
      s.runs[r.probe] = run;
      s.records.push_back({r.probe.n, seed, met, run.throughput, run.stall});
      if (!s.search) {
        int all_hosts = static_cast<int>(s.option.hosts.size());
        s.lower = analytic_lower_bound(s.option, run, all_hosts, goal, &s.binding);
        s.search.emplace(s.option.floor, s.lower, all_hosts, a.seeds, met);
      } else {
        s.search->report(r.probe, met);
      }
      auto finished = std::count_if(all.begin(), all.end(), done);
      double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      progress.line(fmt::format("plan: {}: stall {:.2f}%, {:.0f} samples/s, {} [{} runs, {}/{} options done, {:.0f} s]",
                                what, run.stall * 100, run.throughput, met ? "met" : "not met", ++runs_done, finished,
                                all.size(), t));
    }
  }
}

OptionResult result_of(const Search& s, int seeds) {
  OptionResult r;
  r.option = s.option;
  r.inventory = static_cast<int>(s.option.hosts.size());
  r.lower = s.lower;
  r.lower_binding = s.binding;
  r.devices = s.search->answer();
  r.met = s.search->met();
  int below_seed = -1;
  r.below = s.search->below(&below_seed);
  if (below_seed >= 0) r.below_seed = s.option.seed + static_cast<std::uint64_t>(below_seed);
  std::vector<RunSummary> runs;
  for (int k = 0; k < seeds; ++k) {
    auto it = s.runs.find({r.devices, k});
    if (it == s.runs.end()) continue;  // not met: only the seeds that ran
    runs.push_back(it->second);
    r.seeds.push_back(s.option.seed + static_cast<std::uint64_t>(k));
    r.stall_per_seed.push_back(it->second.stall);
    r.throughput_per_seed.push_back(it->second.throughput);
  }
  r.cost = option_cost(s.option, r.devices, runs);
  r.probes = s.records;
  return r;
}

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::size_t b = 0;
  while (b <= list.size()) {
    std::size_t e = list.find(',', b);
    if (e == std::string::npos) e = list.size();
    if (e > b) out.push_back(list.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

}  // namespace

int run_plan_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"prepsim plan SCENARIO...: per placement option (one scenario each), the fewest devices of its "
               "sized pool that meet the goal, and what that fleet costs (docs/plan.md)"};
  Args a;
  app.add_option("scenario", a.scenarios, "one scenario per placement option; its pool's hosts are the inventory")
      ->required();
  app.add_option("--pool", a.pool, "the pool to size in every scenario")->default_str("(the device pool)");
  app.add_option("--goal", a.goal, "no-stall | throughput")->default_str("no-stall");
  app.add_option("--max-stall", a.max_stall, "no-stall: every job's mean stall at most P (1% or 0.01)")
      ->default_str("1%");
  app.add_option("--throughput", a.throughput, "throughput goal in samples/s, e.g. 120K/s")->default_str("(none)");
  app.add_option("--options", a.options, fmt::format("keep only these kinds: {}", fmt::join(sizable_kinds(), ",")))
      ->default_str("(all)");
  app.add_option("--seeds", a.seeds, "seeds each answer must meet the goal on")->capture_default_str()
      ->check(CLI::Range(1, 100));
  app.add_option("-j,--jobs", a.jobs, "simulations at once")->capture_default_str()->check(CLI::Range(1, kMaxChildren));
  app.add_flag("--json", a.json, "print the plan as JSON (schema prepsim-plan/v1; prepsim plot draws it)");
  app.add_option("-o,--out", a.out_dir, "keep every run's outputs and plan.json here")->default_str("(a temporary folder)");
  if (int code = parse_subcommand(app, "plan", args, out, err); code >= 0) return code;
  PlanResult plan;
  plan.seeds = a.seeds;
  std::vector<Search> searches;
  try {
    plan.goal = parse_goal(a.goal, a.max_stall, a.throughput);
    std::vector<std::string> keep = split(a.options);
    for (const std::string& k : keep) {
      if (std::find(sizable_kinds().begin(), sizable_kinds().end(), k) == sizable_kinds().end()) {
        throw std::invalid_argument(fmt::format("--options: '{}' is not a placement kind; valid: {}", k,
                                                fmt::join(sizable_kinds(), ", ")));
      }
    }
    std::vector<std::string> seen;
    for (const std::string& file : a.scenarios) {
      PlanOption o = make_option(file, a.pool);
      seen.push_back(o.kind);
      if (!keep.empty() && std::find(keep.begin(), keep.end(), o.kind) == keep.end()) continue;
      for (const Search& s : searches) {
        if (s.option.option == o.option) o.option = o.kind + "-" + o.scenario_name;
      }
      searches.push_back({std::move(o), {}, false, 0, {}, {}, {}});
    }
    if (searches.empty()) {
      throw std::invalid_argument(fmt::format("--options {}: no scenario has an option of these kinds (they have: {})",
                                              a.options, fmt::join(seen, ", ")));
    }
  } catch (const InputError& e) {
    err << "prepsim: " << e.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    err << "prepsim plan: " << e.what() << "\n";
    return 2;
  }
  bool temp = a.out_dir.empty();
  std::string dir = temp ? (fs::temp_directory_path() / fmt::format("prepsim-plan-{}", getpid())).string() : a.out_dir;
  bool created = !fs::exists(dir);
  Progress progress(err, true);
  int code = 0;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    fs::create_directories(dir);
    run_searches(searches, a, plan.goal, dir, progress);
    plan.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (const Search& s : searches) plan.options.push_back(result_of(s, a.seeds));
    progress.done();
    json j = plan_json(plan);
    if (!temp) std::ofstream(dir + "/plan.json") << j.dump(2) << "\n";
    if (a.json) {
      out << j.dump(2) << "\n";
    } else {
      print_plan(out, plan);
    }
  } catch (const ChildInputError& e) {
    progress.done();
    err << e.what() << "\n";
    code = 2;
  } catch (const std::exception& e) {
    progress.done();
    err << "prepsim plan: " << e.what() << "\n";
    code = 1;
  }
  if (temp || (code == 2 && created)) fs::remove_all(dir);
  return code;
}

}  // namespace prepsim::analysis
