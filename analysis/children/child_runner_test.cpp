// The child runner (child_runner.h) on /bin/sh jobs: exit codes and signals, captured and redirected output,
// N children at once and no more, callbacks, and children killed when the caller gives up. The trampoline
// (PR_SET_PDEATHSIG) needs prepsim itself: tests/sweep_check.sh kills a sweep and checks no child outlives it.
#include "analysis/children/child_runner.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>

namespace prepsim::analysis {
namespace {

namespace fs = std::filesystem;

RunnerConfig shell(int parallel) {
  RunnerConfig c;
  c.parallel = parallel;
  c.program = "/bin/sh";
  c.die_with_parent = false;
  return c;
}

ChildJob sh(const std::string& script) {
  ChildJob j;
  j.args = {"-c", script};
  j.out = ChildOutput::capture();
  j.err = ChildOutput::capture();
  return j;
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("child_runner_test." + std::to_string(getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  return {std::istreambuf_iterator<char>(f), {}};
}

TEST(ChildRunner, CapturesOutputAndExitCode) {
  auto r = run_jobs({sh("echo to-out; echo to-err >&2; exit 3")}, shell(1));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exit_code, 3);
  EXPECT_EQ(r[0].signal, 0);
  EXPECT_FALSE(r[0].ok());
  EXPECT_EQ(r[0].out, "to-out\n");
  EXPECT_EQ(r[0].err, "to-err\n");
  EXPECT_EQ(r[0].describe(), "exit code 3");
  EXPECT_GT(r[0].wall_s, 0.0);
}

TEST(ChildRunner, ReportsTheSignalThatEndedAChild) {
  auto r = run_jobs({sh("kill -KILL $$")}, shell(1));
  EXPECT_EQ(r[0].signal, SIGKILL);
  EXPECT_EQ(r[0].exit_code, -1);
  EXPECT_FALSE(r[0].ok());
  EXPECT_NE(r[0].describe().find("killed by signal 9"), std::string::npos) << r[0].describe();
}

TEST(ChildRunner, DrainsOutputLargerThanAPipeWhileTheChildRuns) {
  // 1 MB on each stream: a runner that read only after the child ended would block it forever.
  auto r = run_jobs({sh("head -c 1000000 /dev/zero; head -c 1000000 /dev/zero >&2")}, shell(1));
  EXPECT_TRUE(r[0].ok()) << r[0].describe();
  EXPECT_EQ(r[0].out.size(), 1000000u);
  EXPECT_EQ(r[0].err.size(), 1000000u);
}

TEST(ChildRunner, WritesToFilesOrDiscards) {
  TempDir d;
  ChildJob j = sh("echo kept; echo dropped >&2");
  j.out = ChildOutput::file(d / "out.txt");
  j.err = ChildOutput::discard();
  auto r = run_jobs({j}, shell(1));
  EXPECT_TRUE(r[0].ok());
  EXPECT_EQ(slurp(d / "out.txt"), "kept\n");
  EXPECT_EQ(r[0].out, "");
  EXPECT_EQ(r[0].err, "");
}

TEST(ChildRunner, AnUnwritableOutputFileIsAnErrorNamingIt) {
  ChildJob j = sh("true");
  j.err = ChildOutput::file("/nonexistent-dir/x.stderr");
  try {
    run_jobs({j}, shell(1));
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/x.stderr"), std::string::npos) << e.what();
  }
}

TEST(ChildRunner, RunsParallelJobsAtOnce) {
  // Each job waits (up to 10 s) for the file the other one creates: only both running at once finish early.
  TempDir d;
  std::string a = d / "a", b = d / "b";
  auto wait_for = [](const std::string& f) {
    return "i=0; while [ ! -e " + f + " ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i+1)); done; [ -e " + f + " ]";
  };
  auto t0 = std::chrono::steady_clock::now();
  auto r = run_jobs({sh("touch " + a + "; " + wait_for(b)), sh("touch " + b + "; " + wait_for(a))}, shell(2));
  EXPECT_TRUE(r[0].ok() && r[1].ok());
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 9.0);
}

TEST(ChildRunner, NeverRunsMoreThanParallel) {
  // Each job counts the jobs alive (one marker file each) while it runs.
  TempDir d;
  std::vector<ChildJob> jobs;
  for (int i = 0; i < 6; ++i) {
    jobs.push_back(sh("cd " + d.path.string() + " && touch m$$ && sleep 0.05 && ls | wc -l && rm m$$"));
  }
  auto r = run_jobs(jobs, shell(2));
  for (const ChildResult& x : r) {
    ASSERT_TRUE(x.ok()) << x.describe() << x.err;
    EXPECT_LE(std::stoi(x.out), 2);
  }
}

TEST(ChildRunner, CallsOnDoneOncePerJobWithItsIndex) {
  std::vector<ChildJob> jobs;
  for (int i = 0; i < 5; ++i) jobs.push_back(sh("echo " + std::to_string(i) + "; exit " + std::to_string(i)));
  std::multiset<std::size_t> seen;
  auto r = run_jobs(jobs, shell(3), [&](std::size_t i, const ChildResult& x) {
    seen.insert(i);
    EXPECT_EQ(x.exit_code, static_cast<int>(i));
    EXPECT_EQ(x.out, std::to_string(i) + "\n");
  });
  EXPECT_EQ(seen, (std::multiset<std::size_t>{0, 1, 2, 3, 4}));
  for (std::size_t i = 0; i < r.size(); ++i) EXPECT_EQ(r[i].exit_code, static_cast<int>(i));
}

TEST(ChildRunner, AnExceptionFromOnDoneKillsTheRunningChildren) {
  TempDir d;
  std::string pidfile = d / "pid";
  // Job 1 records its pid and sleeps; job 0 ends once that pid is there, and its callback throws.
  std::vector<ChildJob> jobs = {sh("while [ ! -s " + pidfile + " ]; do sleep 0.01; done"),
                                sh("echo $$ > " + pidfile + ".tmp && mv " + pidfile + ".tmp " + pidfile +
                                   " && exec sleep 30")};
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_THROW(run_jobs(jobs, shell(2), [](std::size_t, const ChildResult&) { throw std::runtime_error("stop"); }),
               std::runtime_error);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 10.0);
  pid_t pid = std::stoi(slurp(pidfile));
  EXPECT_EQ(kill(pid, 0), -1);  // killed and reaped
  EXPECT_EQ(errno, ESRCH);
}

TEST(ChildRunner, WaitHonoursItsTimeout) {
  ChildRunner runner(shell(1));
  EXPECT_TRUE(runner.wait().empty());  // nothing running: returns at once
  runner.start(7, sh("sleep 0.3"));
  EXPECT_EQ(runner.free_slots(), 0);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(runner.wait(20).empty());
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 0.25);
  auto done = runner.wait();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].first, 7u);
  EXPECT_TRUE(done[0].second.ok());
  EXPECT_EQ(runner.running(), 0);
}

TEST(ChildRunner, RefusesAParallelismOutOfRange) {
  EXPECT_THROW(ChildRunner(shell(0)), std::invalid_argument);
  EXPECT_THROW(ChildRunner(shell(kMaxChildren + 1)), std::invalid_argument);
}

}  // namespace
}  // namespace prepsim::analysis
