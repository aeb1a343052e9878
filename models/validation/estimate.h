// How `prepsim validate` turns repeated timed passes into one measured throughput and an interval around it.
//
// On a shared host, noise only ever makes code slower: a neighbour's cache or memory traffic, a stolen vCPU, an
// interrupt. So the fast end of the distribution of repeated passes says how fast the host runs undisturbed, and
// its slow end says how disturbed it was. The estimate is a high quantile of pass throughput (by default the 0.75
// quantile: the fast quartile), which
//   - is what the calibration's minima over rounds spread in time measure too (runner.h: the kernels' undisturbed
//     speed), so model and measurement describe the host in one state;
//   - is robust: while a fraction d < 1 - q of the passes is disturbed (slowed), it is still a quantile of the
//     undisturbed ones (their q' = (q - d) / (1 - d) quantile), so a quarter of bad passes moves it by no more
//     than the undisturbed passes' own spread;
//   - has an exact, distribution-free confidence interval from order statistics (the number of passes at or below
//     the true quantile is Binomial(n, q); Conover, Practical Nonparametric Statistics, 3rd ed., section 3.2;
//     docs/sources.md#conover-quantile-ci), so no normality is assumed of a distribution that is skewed by design.
//
// With few passes the interval has no finite upper end (the fastest pass could still be below the quantile): it
// is reported as infinite, and a verdict that needs it stays inconclusive (verdict.h).
#pragma once

#include <cstddef>
#include <vector>

namespace prepsim::validation {

// A quantile of a sample with its confidence interval.
struct QuantileInterval {
  double estimate = 0;  // the sample quantile (linear interpolation between order statistics)
  double low = 0;       // lower end; -infinity when the sample is too small to bound it
  double high = 0;      // upper end; +infinity when the sample is too small to bound it
  std::size_t n = 0;    // sample size
  std::size_t low_rank = 0, high_rank = 0;  // 1-based order statistics of the ends (0 / n+1: unbounded)
  double coverage = 0;  // exact coverage of [low, high] under any continuous distribution (>= confidence)
  bool bounded() const;
};

// The `q` quantile of `values` and an interval that holds the true quantile with probability at least
// `confidence`, built from order statistics with equal tail probabilities (each tail <= (1 - confidence) / 2).
// Throws std::invalid_argument when values is empty, q is outside (0, 1) or confidence outside (0, 1).
QuantileInterval quantile_interval(const std::vector<double>& values, double q, double confidence = 0.95);

// P(X <= k) for X ~ Binomial(n, p), computed in log space (exact to double precision for n up to 10^6).
double binomial_cdf(std::size_t k, std::size_t n, double p);

// The fewest samples for which quantile_interval(..., q, confidence) has both ends bounded.
std::size_t samples_for_bounded_interval(double q, double confidence = 0.95);

}  // namespace prepsim::validation
