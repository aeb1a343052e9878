#include "sim/cfg_probe.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <simgrid/s4u.hpp>
#include <xbt/config.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

#include "models/config/input_error.h"
#include "sim/platform.h"

namespace prepsim::sim {

namespace sg4 = simgrid::s4u;

namespace {

constexpr double kProbeTimeoutSeconds = 30;

// A marker line the parent reads to know how far the child got.
void mark(const std::string& what) {
  std::string line = "\n@prepsim-probe " + what + "\n";
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

std::vector<std::string> with_log(std::vector<std::string> args) {
  args.insert(args.begin() + 1, "--log=root.thres:critical");
  return args;
}

[[noreturn]] void child_set_items(const std::vector<std::string>& cfg) {
  std::vector<std::string> args = with_log(engine_arguments({}));
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  sg4::Engine engine(&argc, argv.data());
  for (std::size_t i = 0; i < cfg.size(); ++i) {
    mark(fmt::format("cfg {}", i));
    try {
      simgrid::config::set_parse(cfg[i]);
    } catch (const std::exception& e) {
      std::string what = e.what();
      mark("refused " + what.substr(0, what.find('\n')));
      _exit(3);
    }
  }
  mark("done");
  _exit(0);
}

[[noreturn]] void child_run(const std::vector<std::string>& cfg, const std::string& platform,
                            const std::vector<RouteNeed>& routes) {
  std::vector<std::string> args = with_log(engine_arguments(cfg));
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  mark("engine");
  sg4::Engine engine(&argc, argv.data());
  mark("platform");
  try {
    engine.load_platform(platform);
  } catch (const std::exception&) {
    _exit(0);  // a platform SimGrid refuses with an exception: the real run reports it
  }
  for (std::size_t i = 0; i < routes.size(); ++i) {
    sg4::Host* a = engine.host_by_name_or_null(routes[i].src);
    sg4::Host* b = engine.host_by_name_or_null(routes[i].dst);
    if (a == nullptr || b == nullptr) continue;
    mark(fmt::format("route {}", i));
    std::vector<sg4::Link*> links;
    double latency = 0;
    a->route_to(b, links, &latency);
  }
  std::vector<sg4::Host*> hosts = engine.get_all_hosts();
  if (!hosts.empty()) {
    sg4::Actor::create("probe", hosts.front(), [] {
      sg4::this_actor::execute(1);
      sg4::this_actor::sleep_for(1e-6);
    });
  }
  mark("run");
  engine.run();
  mark("done");
  _exit(0);
}

struct Outcome {
  int status = 0;
  std::string log;
  bool timed_out = false;
};

template <class F>
Outcome in_child(F body) {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDERR_FILENO);
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, STDOUT_FILENO);
    body();
    _exit(0);
  }
  close(fds[1]);
  Outcome o;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(kProbeTimeoutSeconds);
  char buf[4096];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      o.timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    if (o.log.size() < (1u << 20)) o.log.append(buf, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  while (waitpid(pid, &o.status, 0) < 0 && errno == EINTR) {
  }
  return o;
}

bool ok(const Outcome& o) { return !o.timed_out && WIFEXITED(o.status) && WEXITSTATUS(o.status) == 0; }

// The last marker the child wrote ("cfg 2", "route 0", "run", ...).
std::string last_mark(const std::string& log) {
  std::string last;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("@prepsim-probe ", 0) == 0) last = line.substr(15);
  }
  return last;
}

// What SimGrid said: a "refused" marker, or the first CRITICAL line without its prefix, or how the child died.
std::string simgrid_message(const Outcome& o) {
  std::istringstream in(o.log);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("@prepsim-probe refused ", 0) == 0) return line.substr(23);
  }
  std::istringstream again(o.log);
  for (std::string line; std::getline(again, line);) {
    auto at = line.find("CRITICAL] ");
    if (at != std::string::npos) {
      std::string msg = line.substr(at + 10);
      if (msg.rfind("Uncaught exception", 0) == 0 || msg.size() > 3) return msg;
    }
  }
  if (o.timed_out) return fmt::format("it did not finish within {:.0f} s", kProbeTimeoutSeconds);
  if (WIFSIGNALED(o.status)) return fmt::format("it crashed ({})", strsignal(WTERMSIG(o.status)));
  return fmt::format("it exited with code {}", WEXITSTATUS(o.status));
}

}  // namespace

void probe_simgrid(const std::vector<std::string>& cfg, const std::string& platform,
                   const std::vector<RouteNeed>& routes) {
  for (const std::string& item : cfg) {
    auto colon = item.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == item.size()) {
      throw InputError("--cfg", 0, item, "expected item:value, e.g. network/model:CM02 (SimGrid's --cfg syntax)");
    }
  }
  if (cfg.empty() && routes.empty()) return;
  if (!cfg.empty()) {
    Outcome o = in_child([&] { child_set_items(cfg); });
    if (!ok(o)) {
      std::string m = last_mark(o.log);
      std::string item = m.rfind("cfg ", 0) == 0 ? cfg.at(std::stoul(m.substr(4))) : fmt::format("{}", fmt::join(cfg, " "));
      throw InputError("--cfg", 0, item, "SimGrid refuses it: " + simgrid_message(o));
    }
  }
  Outcome o = in_child([&] { child_run(cfg, platform, routes); });
  if (ok(o)) return;
  std::string m = last_mark(o.log);
  if (m.rfind("route ", 0) == 0) {
    const RouteNeed& r = routes.at(std::stoul(m.substr(6)));
    throw InputError(platform, 0, "",
                     fmt::format("SimGrid finds no route from '{}' to '{}' ({}), which the scenario needs: {}", r.src,
                                 r.dst, simgrid_message(o), r.why));
  }
  throw InputError("--cfg", 0, fmt::format("{}", fmt::join(cfg, " ")),
                   fmt::format("SimGrid fails {} with these items: {}",
                               m == "run" ? "to run a one-actor simulation" : m == "platform" ? "to load the platform"
                                                                                              : "to start",
                               simgrid_message(o)));
}

}  // namespace prepsim::sim
