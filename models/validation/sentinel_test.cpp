#include "models/validation/sentinel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace prepsim::validation {
namespace {

// The baseline is the fastest measurement so far; a measurement is undisturbed within the slack of it.
TEST(HostSentinel, BaselineIsTheFastestMeasurement) {
  HostSentinel s;
  EXPECT_TRUE(std::isinf(s.baseline()));
  const double a = s.measure();
  EXPECT_GT(a, 0.0);
  EXPECT_LT(a, 1.0);  // a ~1 MB chunk decodes in milliseconds
  EXPECT_EQ(s.baseline(), a);
  const double b = s.measure();
  EXPECT_EQ(s.baseline(), std::min(a, b));
  EXPECT_TRUE(s.undisturbed(s.baseline()));
  EXPECT_TRUE(s.undisturbed(s.baseline() * 1.1));
  EXPECT_FALSE(s.undisturbed(s.baseline() * 1.25));
}

// A set measures one sentinel per worker together, on pools of any size; its baseline is the fastest slowest-member
// time over all of them.
TEST(SentinelSet, MeasuresEveryWorkerTogetherWithOneBaseline) {
  SentinelSet set;
  EXPECT_TRUE(std::isinf(set.baseline()));
  ThreadPool two(2), one(1);
  const double a = set.measure(two);
  const double b = set.measure(one);
  const double c = set.measure(two);
  EXPECT_GT(a, 0.0);
  EXPECT_EQ(set.baseline(), std::min({a, b, c}));
  EXPECT_TRUE(set.undisturbed(set.baseline()));
  EXPECT_FALSE(set.undisturbed(set.baseline() * 1.25));
}

}  // namespace
}  // namespace prepsim::validation
