#include "models/validation/estimate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>

namespace prepsim::validation {
namespace {

TEST(BinomialCdf, KnownValues) {
  EXPECT_NEAR(binomial_cdf(0, 20, 0.2), std::pow(0.8, 20), 1e-15);
  EXPECT_NEAR(binomial_cdf(1, 2, 0.5), 0.75, 1e-15);
  EXPECT_DOUBLE_EQ(binomial_cdf(20, 20, 0.3), 1.0);
  // Bin(10, 0.5): P(X <= 4) = 386 / 1024.
  EXPECT_NEAR(binomial_cdf(4, 10, 0.5), 386.0 / 1024.0, 1e-12);
}

TEST(QuantileInterval, OrderStatisticsOfAKnownSample) {
  std::vector<double> v;
  for (int i = 24; i >= 1; --i) v.push_back(i);  // 1..24, given in reverse
  const QuantileInterval r = quantile_interval(v, 0.75, 0.95);
  EXPECT_EQ(r.n, 24u);
  EXPECT_DOUBLE_EQ(r.estimate, 1 + 0.75 * 23);  // interpolated between the 18th and 19th values
  ASSERT_TRUE(r.bounded());
  // Bin(24, 0.75): the ranks whose tails are each <= 2.5%.
  EXPECT_LE(binomial_cdf(r.low_rank - 1, 24, 0.75), 0.025);
  EXPECT_GT(binomial_cdf(r.low_rank, 24, 0.75), 0.025);
  EXPECT_LE(1 - binomial_cdf(r.high_rank - 1, 24, 0.75), 0.025);
  EXPECT_GT(1 - binomial_cdf(r.high_rank - 2, 24, 0.75), 0.025);
  EXPECT_DOUBLE_EQ(r.low, static_cast<double>(r.low_rank));
  EXPECT_DOUBLE_EQ(r.high, static_cast<double>(r.high_rank));
  EXPECT_LT(r.low, r.estimate);
  EXPECT_GT(r.high, r.estimate);
  EXPECT_GE(r.coverage, 0.95);
}

TEST(QuantileInterval, TooFewSamplesLeaveAnEndUnbounded) {
  const QuantileInterval r = quantile_interval({3, 1, 2, 5, 4}, 0.75);
  EXPECT_FALSE(r.bounded());
  EXPECT_TRUE(std::isinf(r.high));
  EXPECT_EQ(samples_for_bounded_interval(0.75), 13u);  // 0.75^13 = 0.024 <= 0.025 < 0.75^12
  std::vector<double> v(13);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(i);
  EXPECT_TRUE(quantile_interval(v, 0.75).bounded());
  v.pop_back();
  EXPECT_FALSE(quantile_interval(v, 0.75).bounded());
}

// The interval holds the true quantile at least as often as promised, whatever the distribution: here a skewed
// one (a lognormal), as pass throughputs are.
TEST(QuantileInterval, CoverageHoldsOnASkewedDistribution) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> d(0.0, 0.5);
  const double truth = std::exp(0.5 * 0.6744897501960817);  // the 0.75 quantile of lognormal(0, 0.5)
  int hits = 0;
  const int trials = 4000;
  for (int t = 0; t < trials; ++t) {
    std::vector<double> v(24);
    for (double& x : v) x = d(rng);
    const QuantileInterval r = quantile_interval(v, 0.75, 0.95);
    hits += r.low <= truth && truth <= r.high;
  }
  EXPECT_GE(static_cast<double>(hits) / trials, 0.94);
}

TEST(QuantileInterval, RefusesBadArguments) {
  EXPECT_THROW(quantile_interval({}, 0.5), std::invalid_argument);
  EXPECT_THROW(quantile_interval({1}, 0.0), std::invalid_argument);
  EXPECT_THROW(quantile_interval({1}, 1.0), std::invalid_argument);
  EXPECT_THROW(quantile_interval({1}, 0.5, 1.0), std::invalid_argument);
}

}  // namespace
}  // namespace prepsim::validation
