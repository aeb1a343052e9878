#include "models/validation/estimate.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace prepsim::validation {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double log_choose(std::size_t n, std::size_t k) {
  return std::lgamma(static_cast<double>(n) + 1) - std::lgamma(static_cast<double>(k) + 1) -
         std::lgamma(static_cast<double>(n - k) + 1);
}

// The sample quantile by linear interpolation between order statistics (sorted input).
double sample_quantile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(pos);
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

bool QuantileInterval::bounded() const { return std::isfinite(low) && std::isfinite(high); }

double binomial_cdf(std::size_t k, std::size_t n, double p) {
  if (k >= n) return 1.0;
  if (p <= 0) return 1.0;
  if (p >= 1) return 0.0;
  double sum = 0;
  for (std::size_t i = 0; i <= k; ++i) {
    sum += std::exp(log_choose(n, i) + static_cast<double>(i) * std::log(p) +
                    static_cast<double>(n - i) * std::log1p(-p));
  }
  return std::min(sum, 1.0);
}

QuantileInterval quantile_interval(const std::vector<double>& values, double q, double confidence) {
  if (values.empty()) throw std::invalid_argument("quantile_interval: no values");
  if (!(q > 0 && q < 1)) throw std::invalid_argument("quantile_interval: q must be in (0, 1)");
  if (!(confidence > 0 && confidence < 1)) throw std::invalid_argument("quantile_interval: confidence in (0, 1)");
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t n = sorted.size();
  const double tail = (1 - confidence) / 2;
  // B = #{x_i <= true quantile} ~ Binomial(n, q); P(x_(l) <= xi < x_(u)) = P(l <= B <= u - 1).
  // Lower rank l: the largest with P(B <= l - 1) <= tail (0 when even P(B <= 0) exceeds it: unbounded).
  std::size_t l = 0;
  while (l + 1 <= n && binomial_cdf(l, n, q) <= tail) ++l;
  // Upper rank u: the smallest with P(B >= u) = 1 - P(B <= u - 1) <= tail (n + 1 when none: unbounded).
  std::size_t u = n + 1;
  for (std::size_t k = 1; k <= n; ++k) {
    if (1 - binomial_cdf(k - 1, n, q) <= tail) {
      u = k;
      break;
    }
  }
  QuantileInterval r;
  r.n = n;
  r.estimate = sample_quantile(sorted, q);
  r.low_rank = l;
  r.high_rank = u;
  r.low = l >= 1 ? sorted[l - 1] : -kInf;
  r.high = u <= n ? sorted[u - 1] : kInf;
  const double below_low = l >= 1 ? binomial_cdf(l - 1, n, q) : 0.0;
  const double at_most_high = u <= n ? binomial_cdf(u - 1, n, q) : 1.0;
  r.coverage = at_most_high - below_low;
  return r;
}

std::size_t samples_for_bounded_interval(double q, double confidence) {
  // Bounded above needs P(B = n) = q^n <= tail; below, P(B = 0) = (1 - q)^n <= tail.
  const double tail = (1 - confidence) / 2;
  const double worst = std::max(q, 1 - q);
  return static_cast<std::size_t>(std::ceil(std::log(tail) / std::log(worst)));
}

}  // namespace prepsim::validation
