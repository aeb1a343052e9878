// Child processes for commands that run simulations (see child_runner.h): posix_spawn, process groups, the
// PR_SET_PDEATHSIG trampoline, a poll loop that drains captured output while children run, and the handlers
// that kill children when the parent is interrupted.
#include "analysis/children/child_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <mutex>
#include <stdexcept>

extern char** environ;

namespace prepsim::analysis {

namespace {

using Clock = std::chrono::steady_clock;

// Process groups of the running children of every runner (0: free slot), read by signal handlers: lock-free.
std::atomic<pid_t> g_groups[kMaxChildren];

void kill_all_groups() {
  for (auto& g : g_groups) {
    pid_t p = g.load();
    if (p > 0) kill(-p, SIGKILL);
  }
}

extern "C" void on_fatal_signal(int sig) {
  kill_all_groups();
  signal(sig, SIG_DFL);
  raise(sig);
}

void install_handlers_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old {};
      sigaction(sig, nullptr, &old);
      if (old.sa_handler == SIG_IGN) continue;  // e.g. SIGHUP under nohup: stay immune, as the user asked
      struct sigaction sa {};
      sa.sa_handler = on_fatal_signal;
      sigemptyset(&sa.sa_mask);
      sigaction(sig, &sa, nullptr);
    }
    std::atexit(kill_all_groups);
  });
}

int claim_slot(pid_t pid) {
  for (int i = 0; i < kMaxChildren; ++i) {
    pid_t expected = 0;
    if (g_groups[i].compare_exchange_strong(expected, pid)) return i;
  }
  return -1;
}

void close_fds(std::initializer_list<int> fds) {
  for (int fd : fds) {
    if (fd >= 0) close(fd);
  }
}

// The file actions of one spawn and the parent's copies of the child's ends, released on every path.
struct SpawnFiles {
  posix_spawn_file_actions_t fa;
  std::vector<int> child_ends;
  SpawnFiles() { posix_spawn_file_actions_init(&fa); }
  ~SpawnFiles() {
    posix_spawn_file_actions_destroy(&fa);
    for (int fd : child_ends) close(fd);
  }
};

// Reads what is available (the fd is non-blocking); closes it and sets it to -1 at end of file.
void drain(int& fd, std::string& into) {
  char buf[65536];
  while (fd >= 0) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
      into.append(buf, static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
        close(fd);
        fd = -1;
      }
      return;
    }
  }
}

}  // namespace

std::string ChildResult::describe() const {
  if (signal != 0) return fmt::format("killed by signal {} ({})", signal, strsignal(signal));
  if (exit_code < 0) return "exit status lost (the child was reaped elsewhere)";
  return fmt::format("exit code {}", exit_code);
}

struct ChildRunner::Child {
  std::size_t tag = 0;
  pid_t pid = 0;
  int slot = -1;
  int pidfd = -1;              // readable when the child ends; -1 where pidfd_open is missing (then: polling)
  int out_fd = -1, err_fd = -1;  // read ends of capture pipes
  Clock::time_point t0;
  ChildResult result;
  ~Child() { close_fds({pidfd, out_fd, err_fd}); }
};

ChildRunner::ChildRunner(RunnerConfig cfg) : cfg_(std::move(cfg)) {
  if (cfg_.parallel < 1 || cfg_.parallel > kMaxChildren) {
    throw std::invalid_argument(fmt::format("child runner: parallel {} not in 1..{}", cfg_.parallel, kMaxChildren));
  }
  install_handlers_once();
}

ChildRunner::~ChildRunner() {
  for (auto& c : children_) {
    kill(-c->pid, SIGKILL);
    int st = 0;
    while (waitpid(c->pid, &st, 0) < 0 && errno == EINTR) {
    }
    g_groups[c->slot].store(0);
  }
}

int ChildRunner::running() const { return static_cast<int>(children_.size()); }

void ChildRunner::start(std::size_t tag, const ChildJob& job) {
  if (free_slots() <= 0) throw std::logic_error("child runner: start() without a free slot");
  std::vector<std::string> words;
  if (cfg_.die_with_parent) words = {"prepsim", "sweep", kExecChildFlag, std::to_string(getpid())};
  else words = {cfg_.program.substr(cfg_.program.rfind('/') + 1)};
  words.insert(words.end(), job.args.begin(), job.args.end());
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);

  auto c = std::make_unique<Child>();
  c->tag = tag;
  SpawnFiles files;
  posix_spawn_file_actions_addopen(&files.fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  for (auto [stream, target] : {std::pair{&job.out, STDOUT_FILENO}, std::pair{&job.err, STDERR_FILENO}}) {
    int fd = -1;
    if (stream->kind == ChildOutput::Kind::discard) {
      posix_spawn_file_actions_addopen(&files.fa, target, "/dev/null", O_WRONLY, 0);
      continue;
    }
    if (stream->kind == ChildOutput::Kind::file) {
      // Opened here rather than as a spawn file action, so that a bad path is reported with its name.
      fd = open(stream->path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd < 0) throw std::runtime_error(fmt::format("cannot write {}: {}", stream->path, std::strerror(errno)));
    } else {
      // O_CLOEXEC: a later sibling must not inherit this pipe's write end, or its reader would never see EOF.
      int p[2];
      if (pipe2(p, O_CLOEXEC) != 0) throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
      fcntl(p[0], F_SETFL, O_NONBLOCK);
      (target == STDOUT_FILENO ? c->out_fd : c->err_fd) = p[0];
      fd = p[1];
    }
    files.child_ends.push_back(fd);
    posix_spawn_file_actions_adddup2(&files.fa, fd, target);  // dup2 clears O_CLOEXEC on the child's copy
  }

  posix_spawnattr_t at;
  posix_spawnattr_init(&at);
  sigset_t def, none, fatal, old;
  sigemptyset(&def);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) sigaddset(&def, s);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&at, &def);  // ignored dispositions are inherited across exec: undo them
  posix_spawnattr_setsigmask(&at, &none);
  posix_spawnattr_setpgroup(&at, 0);  // its own process group: killed as a group, deaf to the terminal's Ctrl-C
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  // Our kill handlers stay blocked until the child is in the registry, so none can miss it.
  sigemptyset(&fatal);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&fatal, s);
  sigprocmask(SIG_BLOCK, &fatal, &old);
  c->t0 = Clock::now();
  int rc = posix_spawn(&c->pid, cfg_.program.c_str(), &files.fa, &at, argv.data(), environ);
  if (rc == 0) c->slot = claim_slot(c->pid);
  sigprocmask(SIG_SETMASK, &old, nullptr);
  posix_spawnattr_destroy(&at);
  if (rc != 0) throw std::runtime_error(fmt::format("posix_spawn {}: {}", cfg_.program, std::strerror(rc)));
  if (c->slot < 0) {  // cannot happen with parallel <= kMaxChildren and one runner; several runners may
    kill(-c->pid, SIGKILL);
    waitpid(c->pid, nullptr, 0);
    throw std::runtime_error(fmt::format("more than {} children at once", kMaxChildren));
  }
  c->pidfd = static_cast<int>(syscall(SYS_pidfd_open, c->pid, 0));
  children_.push_back(std::move(c));
}

std::vector<std::pair<std::size_t, ChildResult>> ChildRunner::wait(int timeout_ms) {
  std::vector<std::pair<std::size_t, ChildResult>> done;
  Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms < 0 ? 0 : timeout_ms);
  while (!children_.empty()) {
    std::vector<pollfd> fds;
    bool blind = false;  // a child without a pidfd: poll in short steps to notice its end
    for (auto& c : children_) {
      for (int fd : {c->out_fd, c->err_fd, c->pidfd}) {
        if (fd >= 0) fds.push_back({fd, POLLIN, 0});
      }
      blind |= c->pidfd < 0;
    }
    int ms = -1;
    if (timeout_ms >= 0) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
      ms = static_cast<int>(std::max<long long>(0, left));
    }
    if (blind) ms = ms < 0 ? 5 : std::min(ms, 5);
    if (poll(fds.data(), fds.size(), ms) < 0 && errno != EINTR) {
      throw std::runtime_error(fmt::format("poll: {}", std::strerror(errno)));
    }
    for (std::size_t i = 0; i < children_.size();) {
      Child& c = *children_[i];
      drain(c.out_fd, c.result.out);
      drain(c.err_fd, c.result.err);
      // Peek first (WNOWAIT), free the registry slot, then reap: a signal handler never kills a group whose
      // pid may already belong to another process.
      siginfo_t si{};
      int w = waitid(P_PID, static_cast<id_t>(c.pid), &si, WEXITED | WNOHANG | WNOWAIT);
      bool lost = w < 0 && errno == ECHILD;
      if (!lost && si.si_pid == 0) {
        ++i;
        continue;
      }
      g_groups[c.slot].store(0);
      int st = 0;
      if (!lost) {
        while (waitpid(c.pid, &st, 0) < 0 && errno == EINTR) {
        }
      }
      c.result.wall_s = std::chrono::duration<double>(Clock::now() - c.t0).count();
      if (!lost && WIFEXITED(st)) c.result.exit_code = WEXITSTATUS(st);
      if (!lost && WIFSIGNALED(st)) c.result.signal = WTERMSIG(st);
      // What it wrote before it ended is in the pipe; a grandchild still holding the pipe is not waited for.
      drain(c.out_fd, c.result.out);
      drain(c.err_fd, c.result.err);
      done.emplace_back(c.tag, std::move(c.result));
      children_.erase(children_.begin() + static_cast<std::ptrdiff_t>(i));
    }
    if (!done.empty() || (timeout_ms >= 0 && Clock::now() >= deadline)) break;
  }
  return done;
}

std::vector<ChildResult> run_jobs(const std::vector<ChildJob>& jobs, const RunnerConfig& cfg,
                                  const OnChildDone& on_done) {
  ChildRunner runner(cfg);
  std::vector<ChildResult> results(jobs.size());
  std::size_t next = 0, finished = 0;
  while (finished < jobs.size()) {
    for (; next < jobs.size() && runner.free_slots() > 0; ++next) runner.start(next, jobs[next]);
    for (auto& [i, r] : runner.wait()) {
      results[i] = std::move(r);
      ++finished;
      if (on_done) on_done(i, results[i]);
    }
  }
  return results;
}

void exec_child(const std::vector<std::string>& args) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  // The parent may have died before the prctl: then nobody would kill us, so give up now.
  if (args.size() < 3 || getppid() != static_cast<pid_t>(std::atoll(args[1].c_str()))) _exit(137);
  static std::string self = "prepsim";
  std::vector<char*> argv = {self.data()};
  for (std::size_t i = 2; i < args.size(); ++i) argv.push_back(const_cast<char*>(args[i].c_str()));
  argv.push_back(nullptr);
  execv("/proc/self/exe", argv.data());
  std::perror("prepsim: exec");
  _exit(127);
}

}  // namespace prepsim::analysis
