// The size search of `prepsim plan` (plan_search.h) against made-up outcomes: it finds the smallest n that
// meets the goal on every seed, checks the analytic bound's n - 1 by simulation, recovers from a bound that
// was not tight or a seed that fails, stops at once when all hosts fall short, and never asks twice.
#include "analysis/plan/plan_search.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>

namespace prepsim::analysis {
namespace {

using Outcome = std::function<bool(int n, int seed)>;

// Drives a search to its end, `slots` probes at a time, answering every probe at once; returns the probes asked.
std::vector<Probe> drive(SizeSearch& s, const Outcome& met, int slots) {
  std::vector<Probe> asked;
  std::set<Probe> seen;
  for (int guard = 0; !s.done() && guard < 1000; ++guard) {
    std::vector<Probe> batch = s.next(slots);
    EXPECT_FALSE(batch.empty()) << "a search that is not done must ask for something when nothing is pending";
    EXPECT_LE(static_cast<int>(batch.size()), slots);
    for (const Probe& p : batch) {
      EXPECT_TRUE(seen.insert(p).second) << "probe asked twice: n=" << p.n << " seed=" << p.seed;
      asked.push_back(p);
    }
    for (const Probe& p : batch) s.report(p, met(p.n, p.seed));
  }
  EXPECT_TRUE(s.done());
  return asked;
}

TEST(PlanSearch, FindsTheSmallestSizeForEveryStartAndParallelism) {
  for (int answer = 1; answer <= 20; ++answer) {
    for (int slots : {1, 2, 5}) {
      Outcome met = [&](int n, int) { return n >= answer; };
      SizeSearch s(1, 1, 20, 3, met(20, 0));
      drive(s, met, slots);
      EXPECT_TRUE(s.met());
      EXPECT_EQ(s.answer(), answer) << "slots " << slots;
      int seed = -2;
      EXPECT_EQ(s.below(&seed), answer == 1 ? "none below" : "simulated");
    }
  }
}

TEST(PlanSearch, ATightBoundIsCheckedOneBelowAndPrunesTheRest) {
  Outcome met = [](int n, int) { return n >= 13; };
  SizeSearch s(1, 13, 32, 3, true);
  std::vector<Probe> asked = drive(s, met, 1);
  EXPECT_EQ(s.answer(), 13);
  int seed = -1;
  EXPECT_EQ(s.below(&seed), "simulated");
  EXPECT_EQ(seed, 0);
  for (const Probe& p : asked) EXPECT_GE(p.n, 12) << "nothing below the bound but its n - 1 is simulated";
}

TEST(PlanSearch, ABoundThatWasNotTightRestartsFromTheFloor) {
  Outcome met = [](int n, int) { return n >= 4; };
  SizeSearch s(2, 9, 16, 1, true);
  drive(s, met, 1);
  EXPECT_EQ(s.answer(), 4);
}

TEST(PlanSearch, TheFloorNeedsNoSimulationBelowIt) {
  Outcome met = [](int, int) { return true; };
  SizeSearch s(5, 5, 10, 2, true);
  std::vector<Probe> asked = drive(s, met, 2);
  EXPECT_EQ(s.answer(), 5);
  int seed = 0;
  EXPECT_EQ(s.below(&seed), "dataset capacity");
  for (const Probe& p : asked) EXPECT_GE(p.n, 5);
}

TEST(PlanSearch, ASeedThatFailsMovesTheAnswerUp) {
  // Seed 0 is met from 6 hosts, seed 2 only from 8.
  Outcome met = [](int n, int seed) { return n >= (seed == 2 ? 8 : 6); };
  SizeSearch s(1, 1, 12, 3, true);
  drive(s, met, 2);
  EXPECT_TRUE(s.met());
  EXPECT_EQ(s.answer(), 8);
  int seed = -1;
  EXPECT_EQ(s.below(&seed), "simulated");
  EXPECT_EQ(seed, 2);
}

TEST(PlanSearch, AllHostsFallingShortEndsAtOnce) {
  SizeSearch s(1, 3, 10, 3, false);
  EXPECT_TRUE(s.done());
  EXPECT_FALSE(s.met());
  EXPECT_EQ(s.answer(), 10);
  EXPECT_TRUE(s.next(4).empty());
}

TEST(PlanSearch, NoSeedMeetsAtTheTopMeansNotMet) {
  Outcome met = [](int n, int seed) { return seed == 0 && n >= 3; };
  SizeSearch s(1, 1, 6, 2, true);
  drive(s, met, 1);
  EXPECT_FALSE(s.met());
  EXPECT_EQ(s.answer(), 6);
}

TEST(PlanSearch, PendingProbesAreNotAskedAgain) {
  SizeSearch s(1, 1, 64, 1, true);
  std::vector<Probe> a = s.next(3);
  std::vector<Probe> b = s.next(3);
  ASSERT_EQ(a.size(), 3u);
  std::set<int> sizes;
  for (const Probe& p : a) sizes.insert(p.n);
  for (const Probe& p : b) EXPECT_EQ(sizes.count(p.n), 0u);
}

}  // namespace
}  // namespace prepsim::analysis
