#include "analysis/sweep_command.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analysis/sweep_db.h"
#include "models/config/input_error.h"
#include "models/data/rng.h"
#include "models/scenario.h"
#include "models/sweep/sweep_spec.h"

extern char** environ;

namespace prepsim::analysis {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

constexpr int kMaxJobs = 256;
std::atomic<pid_t> g_children[kMaxJobs];  // process groups of running children (0: free slot)

void kill_children() {
  for (auto& c : g_children) {
    pid_t p = c.load();
    if (p > 0) kill(-p, SIGKILL);
  }
}

extern "C" void on_signal(int sig) {
  kill_children();
  signal(sig, SIG_DFL);
  raise(sig);
}

std::string hex(std::uint64_t v) { return fmt::format("{:016x}", v); }

struct Point {
  sweep::Params params;
  std::vector<std::string> overrides;
  std::int64_t seed = -1;
  std::string key;
};

std::string params_json(const sweep::Params& p) {
  json j = json::object();
  for (const auto& [k, v] : p) {
    char* end = nullptr;
    double d = std::strtod(v.c_str(), &end);
    if (!v.empty() && end == v.c_str() + v.size()) {
      if (d == std::floor(d) && std::abs(d) < 9e15) j[k] = static_cast<std::int64_t>(d);
      else j[k] = d;
    }
    else j[k] = v;
  }
  return j.dump();
}

std::string last_line(const std::string& path) {
  std::ifstream f(path);
  std::string line, last;
  while (std::getline(f, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  }
  return last;
}

struct Options {
  std::string sweep, out_dir, csv;
  int jobs = 1;
  bool force = false;
};

const char* kUsage =
    "usage: prepsim sweep SWEEP.yaml [-j N] [-o DIR] [--csv FILE] [--force]\n"
    "  Runs the base scenario of SWEEP.yaml (schema prepsim-sweep/v1, docs/sweep.md) at every point of its axes,\n"
    "  each point in its own child process, into DIR/sweep.db (SQLite). Rerunning resumes.\n"
    "  -j N        points run at once (default 1)\n"
    "  -o DIR      output directory (default: SWEEP's name + .sweep, in the current directory)\n"
    "  --csv FILE  export the points table to FILE (parameters as columns) when the sweep ends\n"
    "  --force     accept a database made by a different version of the sweep file\n";

// `prepsim sweep --exec-child PPID ARGS...`: asks to be killed with the parent, then becomes `prepsim ARGS...`.
int exec_child(const std::vector<std::string>& args) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (args.size() < 3 || getppid() != static_cast<pid_t>(std::atoll(args[1].c_str()))) _exit(137);
  std::vector<char*> argv;
  static std::string self = "prepsim";
  argv.push_back(self.data());
  for (std::size_t i = 2; i < args.size(); ++i) argv.push_back(const_cast<char*>(args[i].c_str()));
  argv.push_back(nullptr);
  execv("/proc/self/exe", argv.data());
  std::perror("prepsim sweep: exec");
  _exit(127);
}

pid_t spawn_point(const Point& p, const std::string& base, const std::string& point_dir, const std::string& errf,
                  int slot) {
  std::vector<std::string> a = {"prepsim", "sweep", "--exec-child", std::to_string(getpid()), "run", base};
  for (const std::string& o : p.overrides) {
    a.push_back("--set");
    a.push_back(o);
  }
  if (p.seed >= 0) {
    a.push_back("--seed");
    a.push_back(std::to_string(p.seed));
  }
  a.push_back("-o");
  a.push_back(point_dir);
  std::vector<char*> argv;
  for (std::string& s : a) argv.push_back(s.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, errf.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawnattr_t at;
  posix_spawnattr_init(&at);
  sigset_t def;
  sigemptyset(&def);
  sigaddset(&def, SIGINT);
  sigaddset(&def, SIGTERM);
  sigaddset(&def, SIGPIPE);
  posix_spawnattr_setsigdefault(&at, &def);
  posix_spawnattr_setpgroup(&at, 0);  // its own process group: killed as a group by the handlers
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, "/proc/self/exe", &fa, &at, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&at);
  if (rc != 0) throw std::runtime_error(fmt::format("posix_spawn: {}", std::strerror(rc)));
  g_children[slot].store(pid);
  return pid;
}

PointRow finish_point(const Point& p, int status, const std::string& point_dir, const std::string& errf) {
  PointRow row;
  row.key = p.key;
  row.params = params_json(p.params);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    std::ifstream f(point_dir + "/report.json");
    json j = json::parse(f, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      row.status = "failed";
      row.error = "no readable report.json";
      return row;
    }
    j.erase("provenance");
    j.erase("timing");
    row.status = "ok";
    row.metrics = j.dump();
    auto num = [](const json& v) -> std::optional<double> {
      if (v.is_number()) return v.get<double>();
      return std::nullopt;
    };
    row.throughput = num(j.value("throughput_samples_per_s", json()));
    if (j.contains("jobs") && j["jobs"].is_array() && !j["jobs"].empty()) {
      row.stall_mean = num(j["jobs"][0].value("stall_mean_fraction", json()));
    }
    if (j.contains("fleet")) row.fleet_tco_usd = num(j["fleet"].value("tco_usd", json()));
    if (j.contains("system")) row.system_energy_j = num(j["system"].value("energy_J", json()));
    return row;
  }
  row.status = "failed";
  std::string last = last_line(errf);
  if (WIFSIGNALED(status)) {
    row.error = fmt::format("killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
    if (!last.empty()) row.error += ": " + last;
  } else {
    row.error = last.empty() ? fmt::format("exit code {}", WEXITSTATUS(status)) : last;
  }
  return row;
}

std::string fmt_duration(double s) {
  if (s < 90) return fmt::format("{:.0f}s", s);
  if (s < 5400) return fmt::format("{:.0f}min", s / 60);
  return fmt::format("{:.1f}h", s / 3600);
}

}  // namespace

int run_sweep_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (!args.empty() && args[0] == "--exec-child") return exec_child(args);
  Options o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw InputError("", 0, a, "needs a value");
      return args[++i];
    };
    try {
      if (a == "-h" || a == "--help") {
        out << kUsage;
        return 0;
      } else if (a == "-j" || a == "--jobs") {
        std::string v = value();
        char* end = nullptr;
        long n = std::strtol(v.c_str(), &end, 10);
        if (v.empty() || *end || n < 1 || n > kMaxJobs) throw InputError("", 0, a, "a count from 1 to 256");
        o.jobs = static_cast<int>(n);
      } else if (a == "-o" || a == "--out") {
        o.out_dir = value();
      } else if (a == "--csv") {
        o.csv = value();
      } else if (a == "--force") {
        o.force = true;
      } else if (!a.empty() && a[0] == '-') {
        throw InputError("", 0, a, "unknown option");
      } else if (o.sweep.empty()) {
        o.sweep = a;
      } else {
        throw InputError("", 0, a, "one sweep file only");
      }
    } catch (const InputError& e) {
      err << "prepsim sweep: " << e.what() << "\n" << kUsage;
      return 2;
    }
  }
  if (o.sweep.empty()) {
    err << "prepsim sweep: a sweep file is required\n" << kUsage;
    return 2;
  }

  // Points and their keys.
  sweep::SweepSpec spec;
  std::vector<Point> points;
  std::string sweep_hash;
  try {
    spec = sweep::load_sweep(o.sweep);
    std::ifstream f(o.sweep, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    sweep_hash = hex(data::fnv1a64(ss.str()));
  } catch (const InputError& e) {
    err << "prepsim: " << e.what() << "\n";
    return 2;
  }
  for (const sweep::Params& params : sweep::expand(spec)) {
    Point p;
    p.params = params;
    p.overrides = spec.fixed;
    for (const auto& [k, v] : params) p.overrides.push_back(k + "=" + v);
    p.seed = spec.seed;
    try {
      LoadOptions lo;
      lo.overrides = p.overrides;
      lo.seed = spec.seed;
      Scenario sc = load_scenario(spec.base, lo);
      p.key = hex(data::fnv1a64(config::emit_yaml(sc.resolved) + "\n#seed " + std::to_string(sc.seed)));
    } catch (const InputError&) {
      // Not a valid scenario: the child will fail and say why; the key names the unresolved input.
      std::string text = "unresolved\n" + fs::absolute(spec.base).string();
      for (const std::string& ov : p.overrides) text += "\n" + ov;
      p.key = hex(data::fnv1a64(text + "\n#seed " + std::to_string(spec.seed)));
    }
    points.push_back(std::move(p));
  }

  std::string dir = o.out_dir.empty() ? fs::path(o.sweep).stem().string() + ".sweep" : o.out_dir;
  int failed = 0, done_now = 0;
  std::size_t total = 0, already = 0;
  try {
    fs::create_directories(dir + "/points");
    SweepDb db(dir + "/sweep.db");
    std::optional<std::string> old = db.meta("sweep_hash");
    if (old && *old != sweep_hash && !o.force) {
      err << fmt::format("prepsim sweep: {}/sweep.db was made from a different version of the sweep file (hash {}, "
                         "now {}): pass --force to add these points to it, or choose another -o DIR\n",
                         dir, *old, sweep_hash);
      return 2;
    }
    db.set_meta("sweep_hash", sweep_hash);
    db.set_meta("sweep_file", fs::absolute(o.sweep).string());
    db.set_meta("base", fs::absolute(spec.base).string());

    // Pending: unique keys not yet in the database.
    std::set<std::string> have = db.keys(), seen;
    std::vector<const Point*> pending;
    for (const Point& p : points) {
      if (!seen.insert(p.key).second) continue;
      if (have.count(p.key)) {
        ++already;
        continue;
      }
      pending.push_back(&p);
    }
    total = seen.size();

    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr);
    std::atexit(kill_children);

    bool tty = isatty(STDOUT_FILENO);
    std::string base_abs = fs::absolute(spec.base).string();
    auto t0 = std::chrono::steady_clock::now();
    struct Running {
      const Point* p;
      int slot;
    };
    std::map<pid_t, Running> running;
    std::size_t next = 0;
    auto progress = [&](const PointRow* row) {
      double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::size_t done = already + done_now;
      std::string eta = done_now ? fmt_duration(el / done_now * (total - done)) : "?";
      if (tty) {
        out << fmt::format("\r\033[Ksweep: {}/{} done, {} failed, ETA {}", done, total, failed, eta) << std::flush;
      } else if (row) {
        out << fmt::format("sweep: {}/{} {} {} {}{}\n", done, total, row->key, row->status, row->params,
                           row->status == "ok" ? "" : " : " + row->error)
            << std::flush;
      }
    };
    if (already) out << fmt::format("sweep: {} of {} points already in {}/sweep.db\n", already, total, dir);
    progress(nullptr);
    while (next < pending.size() || !running.empty()) {
      while (next < pending.size() && static_cast<int>(running.size()) < o.jobs) {
        int slot = 0;
        while (g_children[slot].load() != 0) ++slot;
        const Point* p = pending[next++];
        std::string pd = dir + "/points/" + p->key;
        fs::remove_all(pd);
        pid_t pid = spawn_point(*p, base_abs, pd, pd + ".stderr", slot);
        running[pid] = {p, slot};
      }
      int st = 0;
      pid_t pid = waitpid(-1, &st, 0);
      if (pid < 0) {
        if (errno == EINTR) continue;
        throw std::runtime_error(fmt::format("waitpid: {}", std::strerror(errno)));
      }
      auto it = running.find(pid);
      if (it == running.end()) continue;
      g_children[it->second.slot].store(0);
      const Point* p = it->second.p;
      running.erase(it);
      std::string pd = dir + "/points/" + p->key;
      PointRow row = finish_point(*p, st, pd, pd + ".stderr");
      db.insert(row);
      ++done_now;
      if (row.status != "ok") ++failed;
      progress(&row);
    }
    if (tty) out << "\n";
    if (!o.csv.empty()) {
      std::size_t n = db.export_csv(o.csv);
      out << fmt::format("sweep: {} rows exported to {}\n", n, o.csv);
    }
  } catch (const std::exception& e) {
    kill_children();
    err << "prepsim sweep: " << e.what() << "\n";
    return 1;
  }
  out << fmt::format("sweep: {} points ({} run now, {} already done), {} failed now; results in {}/sweep.db\n",
                     total, done_now, already, failed, dir);
  return 0;
}

}  // namespace prepsim::analysis
