#include "models/calibration/fit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

namespace prepsim::calibration {
namespace {

using T = CostTerm;
const std::vector<CostTerm> kBucketize = {T::Constant, T::Rows, T::Elements, T::ElementsLog2Borders};
// seconds: 2 us per call, 5 ns per row, 1 ns per element, 0.8 ns per element and border bit.
const std::vector<double> kTrue = {2e-6, 5e-9, 1e-9, 0.8e-9};

std::vector<OpWork> grid() {
  std::vector<OpWork> works;
  for (double rows : {64.0, 512.0, 4096.0, 32768.0}) {
    for (double len : {1.0, 4.0, 16.0}) {
      for (double borders : {1.0, 15.0, 255.0}) works.push_back({rows, rows * len, rows * len, borders});
    }
  }
  return works;
}

double truth(const OpWork& w) {
  double s = 0;
  for (std::size_t k = 0; k < kBucketize.size(); ++k) s += kTrue[k] * term_value(kBucketize[k], w);
  return s;
}

TEST(CalibrationFit, RecoversExactCoefficients) {
  std::vector<Sample> samples;
  for (const OpWork& w : grid()) samples.push_back({w, truth(w)});
  FitResult r = fit_cost_signature(samples, kBucketize);
  ASSERT_EQ(r.coefficients.size(), 4u);
  for (std::size_t k = 0; k < 4; ++k) EXPECT_NEAR(r.coefficients[k] / kTrue[k], 1.0, 1e-9) << k;
  EXPECT_NEAR(r.r_squared, 1.0, 1e-12);
  EXPECT_LT(r.worst_relative_residual, 1e-9);
  EXPECT_LT(r.rms_relative_residual, 1e-9);
  EXPECT_GT(r.condition_number, 1.0);
  EXPECT_LT(r.condition_number, 1e4);
  EXPECT_TRUE(r.zero_terms.empty());
  EXPECT_EQ(r.samples, samples.size());
}

TEST(CalibrationFit, RecoversCoefficientsUnderOnePercentNoise) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> noise(-0.01, 0.01);
  std::vector<Sample> samples;
  for (int rep = 0; rep < 3; ++rep) {
    for (const OpWork& w : grid()) samples.push_back({w, truth(w) * (1.0 + noise(rng))});
  }
  FitResult r = fit_cost_signature(samples, kBucketize);
  for (std::size_t k = 0; k < 4; ++k) EXPECT_NEAR(r.coefficients[k] / kTrue[k], 1.0, 0.05) << to_string(r.terms[k]);
  EXPECT_GT(r.r_squared, 0.999);
  EXPECT_LT(r.worst_relative_residual, 0.03);
  EXPECT_GE(r.worst_relative_residual, 0.001);
  EXPECT_LT(r.rms_relative_residual, 0.01);  // uniform +-1% noise has rms 0.58%
  EXPECT_LE(r.rms_relative_residual, r.worst_relative_residual);
}

TEST(CalibrationFit, RelativeWeightingKeepsSmallCallsAccurate) {
  // A 10% error at the smallest point would barely move an unweighted fit; the relative fit must keep it small.
  std::vector<Sample> samples;
  for (const OpWork& w : grid()) samples.push_back({w, truth(w)});
  FitResult r = fit_cost_signature(samples, kBucketize);
  OpWork tiny{64, 64, 64, 1};
  EXPECT_NEAR(r.predict(tiny) / truth(tiny), 1.0, 1e-6);
}

TEST(CalibrationFit, CollinearGridHasHugeConditionNumber) {
  // List length never varies: elements = 8 * rows, so rows and elements cannot be told apart.
  std::vector<Sample> samples;
  const std::vector<CostTerm> sig = {T::Constant, T::Rows, T::Elements};
  for (double rows : {100.0, 1000.0, 10000.0, 100000.0}) {
    OpWork w{rows, 8 * rows, 8 * rows, 0};
    samples.push_back({w, 1e-6 + 2e-9 * rows + 1e-9 * 8 * rows});
  }
  FitResult r = fit_cost_signature(samples, sig);
  EXPECT_GT(r.condition_number, 1e10);
  // The predictions are still right on the grid, and no coefficient is negative.
  EXPECT_LT(r.worst_relative_residual, 1e-6);
  for (double c : r.coefficients) EXPECT_GE(c, 0.0);
  std::vector<OpWork> works;
  for (const Sample& s : samples) works.push_back(s.work);
  EXPECT_GT(design_condition_number(works, {}, sig), 1e10);
}

TEST(CalibrationFit, TermThatNeverVariesFromZeroIsInfinitelyIllConditioned) {
  std::vector<Sample> samples;
  for (OpWork w : grid()) {
    w.borders = 0;  // elements * log2(0 + 1) == 0 everywhere
    samples.push_back({w, 1e-6 + 1e-9 * w.elements});
  }
  FitResult r = fit_cost_signature(samples, kBucketize);
  EXPECT_TRUE(std::isinf(r.condition_number));
  EXPECT_EQ(r.coefficients[3], 0.0);
  EXPECT_NEAR(r.coefficients[2], 1e-9, 1e-15);
}

TEST(CalibrationFit, NegativeCoefficientIsPinnedAtZero) {
  // Data whose best unconstrained fit has a negative per-row cost.
  std::vector<Sample> samples;
  const std::vector<CostTerm> sig = {T::Constant, T::Rows, T::Elements};
  for (const OpWork& w : grid()) samples.push_back({w, 1e-6 - 0.5e-9 * w.rows + 2e-9 * w.elements});
  FitResult r = fit_cost_signature(samples, sig);
  ASSERT_EQ(r.zero_terms.size(), 1u);
  EXPECT_EQ(r.zero_terms[0], T::Rows);
  EXPECT_EQ(r.coefficients[1], 0.0);
  EXPECT_GT(r.coefficients[0], 0.0);
  EXPECT_GT(r.coefficients[2], 0.0);
}

TEST(CalibrationFit, RejectsFewerSamplesThanTerms) {
  std::vector<Sample> samples = {{{10, 10, 10, 1}, 1e-6}, {{20, 20, 20, 1}, 2e-6}, {{40, 80, 80, 1}, 3e-6}};
  try {
    fit_cost_signature(samples, kBucketize);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("3 sample(s) cannot determine 4 coefficients"), std::string::npos)
        << e.what();
  }
}

TEST(CalibrationFit, RejectsBadTimesAndSignatures) {
  std::vector<Sample> zero = {{{1, 1, 1, 0}, 0.0}};
  EXPECT_THROW(fit_cost_signature(zero, std::vector<CostTerm>{T::Constant}), std::invalid_argument);
  std::vector<Sample> nan = {{{1, 1, 1, 0}, std::nan("")}};
  EXPECT_THROW(fit_cost_signature(nan, std::vector<CostTerm>{T::Constant}), std::invalid_argument);
  std::vector<Sample> ok = {{{1, 1, 1, 0}, 1.0}, {{2, 2, 2, 0}, 2.0}};
  EXPECT_THROW(fit_cost_signature(ok, std::vector<CostTerm>{}), std::invalid_argument);
  EXPECT_THROW(fit_cost_signature(ok, std::vector<CostTerm>{T::Rows, T::Rows}), std::invalid_argument);
}

}  // namespace
}  // namespace prepsim::calibration
