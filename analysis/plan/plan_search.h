// The search of `prepsim plan` for the fewest hosts n of a pool that meet a goal, as a state machine that asks
// for simulations (probes: n hosts, seed index) and is told their outcome; the caller runs them in child
// processes, as many at once as it likes (plan_command.cpp). No I/O here, so it is unit-tested on its own.
//
//   1. The caller has run all hosts with seed 0 (the run whose analytic bound prunes the search). If that does
//      not meet the goal, nothing smaller will: the answer is all hosts, not met.
//   2. Binary search over [lower, all] on seed 0, assuming more hosts never do worse: a probe that meets the
//      goal lowers the top, one that does not raises the bottom. With several free slots it probes the middles
//      of the largest gaps between known and pending sizes (a k-ary search).
//   3. If the answer is `lower` itself (the analytic bound), lower - 1 is simulated too: the bound only says a
//      pool of that size cannot sustain the goal's throughput, so a surprise restarts the search from `floor`.
//   4. Confirmation: the chosen n must meet the goal for every seed; if one fails, n + 1 is tried the same way.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace prepsim::analysis {

struct Probe {
  int n = 0;     // hosts: the first n of the pool's list
  int seed = 0;  // seed index (0 .. seeds-1)
  bool operator<(const Probe& o) const { return std::pair(n, seed) < std::pair(o.n, o.seed); }
};

class SizeSearch {
 public:
  // floor: the fewest hosts that can work at all (e.g. to hold the dataset), >= 1; lower: the analytic lower
  // bound (clamped to [floor, all]); all: hosts in the inventory; seeds >= 1; all_met: outcome of (all, seed 0).
  SizeSearch(int floor, int lower, int all, int seeds, bool all_met);

  // Up to `slots` probes to run now, none asked for before. Empty when done or waiting for pending probes.
  std::vector<Probe> next(int slots);
  // The outcome of a probe returned by next().
  void report(const Probe& p, bool met);

  bool done() const { return done_; }
  bool met() const { return met_; }  // some n met the goal for every seed
  int answer() const { return answer_; }  // the chosen n; `all` when none met
  int floor() const { return floor_; }
  int lower() const { return lower_; }
  // How we know answer - 1 fails: "simulated" (it failed seed index *seed), "dataset capacity" (below floor),
  // "none below" (n = 1), or "" when not met (*seed = -1 unless simulated).
  std::string below(int* seed) const;
  // Every outcome so far, by (n, seed index).
  const std::map<Probe, bool>& outcomes() const { return known_; }

 private:
  bool known(int n, int seed, bool* met) const;
  void settle();  // decides the phase from what is known; may finish

  int floor_, lower_, all_, seeds_;
  bool lower_checked_ = false;  // lower - 1 was simulated and did not meet the goal
  int confirm_ = 0;             // > 0: confirming this n on every seed
  bool done_ = false, met_ = false;
  int answer_ = 0;
  std::map<Probe, bool> known_;
  std::set<Probe> pending_;
};

}  // namespace prepsim::analysis
