#include "models/validation/verdict.h"

#include <gtest/gtest.h>

#include <limits>

namespace prepsim::validation {
namespace {

QuantileInterval interval(double low, double estimate, double high, std::size_t n = 24) {
  QuantileInterval q;
  q.low = low;
  q.estimate = estimate;
  q.high = high;
  q.n = n;
  return q;
}

// Prediction 100, tolerance 10%: the band of accepted measurements is [100/1.1, 100/0.9] = [90.9, 111.1].
TEST(JudgePoint, PassWhenTheWholeIntervalIsInsideTheBand) {
  const PointVerdict v = judge_point(100, interval(95, 97, 99), 0.10, 24, 24);
  EXPECT_EQ(v.verdict, Verdict::Pass);
  EXPECT_NEAR(v.band_low, 100 / 1.1, 1e-12);
  EXPECT_NEAR(v.band_high, 100 / 0.9, 1e-12);
  EXPECT_TRUE(v.cause.empty());
}

TEST(JudgePoint, FailWhenTheIntervalExcludesTheBandOnEitherSide) {
  EXPECT_EQ(judge_point(100, interval(80, 85, 90), 0.10, 24, 24).verdict, Verdict::Fail);     // model optimistic
  EXPECT_EQ(judge_point(100, interval(112, 115, 118), 0.10, 24, 24).verdict, Verdict::Fail);  // pessimistic
  // Even an interval without an upper end fails when its lower end is above the band.
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(judge_point(100, interval(120, 125, inf, 5), 0.10, 5, 5).verdict, Verdict::Fail);
}

TEST(JudgePoint, InconclusiveNamesItsCause) {
  const PointVerdict edge = judge_point(100, interval(89, 90, 91), 0.10, 24, 24);
  EXPECT_EQ(edge.verdict, Verdict::Inconclusive);
  EXPECT_NE(edge.cause.find("edge"), std::string::npos) << edge.cause;
  const PointVerdict noisy = judge_point(100, interval(70, 100, 130), 0.10, 24, 24);
  EXPECT_EQ(noisy.verdict, Verdict::Inconclusive);
  EXPECT_NE(noisy.cause.find("noisy"), std::string::npos) << noisy.cause;
  const double inf = std::numeric_limits<double>::infinity();
  const PointVerdict few = judge_point(100, interval(95, 99, inf, 6), 0.10, 6, 20);
  EXPECT_EQ(few.verdict, Verdict::Inconclusive);
  EXPECT_NE(few.cause.find("lost its core"), std::string::npos) << few.cause;
  const PointVerdict none = judge_point(100, QuantileInterval{}, 0.10, 0, 20);
  EXPECT_EQ(none.verdict, Verdict::Inconclusive);
  EXPECT_NE(none.cause.find("no usable pass"), std::string::npos) << none.cause;
}

std::vector<JudgedPoint> suite(std::initializer_list<std::pair<const char*, Verdict>> v) {
  std::vector<JudgedPoint> out;
  for (const auto& [s, x] : v) out.push_back({s, x});
  return out;
}

TEST(JudgeSuite, AnyFailFails) {
  const auto P = Verdict::Pass, F = Verdict::Fail, I = Verdict::Inconclusive;
  EXPECT_EQ(judge_suite(suite({{"a", P}, {"a", F}, {"b", P}, {"b", I}})).outcome, SuiteVerdict::Outcome::Fail);
}

// A busy machine can leave the 2-thread points inconclusive: the 1-thread points (one per scenario, half of
// the suite) still decide it. Fewer decided points, or a scenario with none, is "not checked", never a pass.
TEST(JudgeSuite, PassNeedsAVerdictPerScenarioAndHalfThePoints) {
  const auto P = Verdict::Pass, I = Verdict::Inconclusive;
  EXPECT_EQ(judge_suite(suite({{"a", P}, {"a", I}, {"b", P}, {"b", I}, {"c", P}, {"c", I}})).outcome,
            SuiteVerdict::Outcome::Pass);
  const SuiteVerdict no_c = judge_suite(suite({{"a", P}, {"a", P}, {"b", P}, {"b", I}, {"c", I}, {"c", I}}));
  EXPECT_EQ(no_c.outcome, SuiteVerdict::Outcome::NotChecked);
  EXPECT_NE(no_c.reason.find("c"), std::string::npos);
  EXPECT_EQ(judge_suite(suite({{"a", P}, {"a", I}, {"a", I}, {"a", I}})).outcome, SuiteVerdict::Outcome::NotChecked);
  EXPECT_EQ(judge_suite({}).outcome, SuiteVerdict::Outcome::NotChecked);
}

}  // namespace
}  // namespace prepsim::validation
