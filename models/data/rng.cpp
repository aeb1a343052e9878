#include "models/data/rng.h"

#include <array>
#include <cmath>
#include <numbers>

namespace prepsim::data {
namespace {

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// log1p(x)/x and expm1(x)/x, accurate near 0 (helpers of the rejection-inversion Zipf sampler).
double helper1(double x) { return std::abs(x) > 1e-8 ? std::log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x)); }
double helper2(double x) {
  return std::abs(x) > 1e-8 ? std::expm1(x) / x : 1 + x * 0.5 * (1 + x * (1.0 / 3) * (1 + 0.25 * x));
}

}  // namespace

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

Rng::Rng(std::uint64_t key) {
  std::uint64_t state = key;
  for (auto& word : s_) word = splitmix64(state);
}

Rng Rng::for_entity(std::uint64_t seed, std::string_view entity) {
  std::uint64_t state = seed;
  return Rng(splitmix64(state) ^ fnv1a64(entity));
}

std::uint64_t Rng::next_u64() {  // xoshiro256** (Blackman and Vigna 2018)
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Rng::uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

std::uint64_t Rng::below(std::uint64_t n) {
  if (n == 0) return 0;
  unsigned __int128 m = static_cast<unsigned __int128>(next_u64()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(next_u64()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  const double u1 = 1.0 - uniform();  // (0, 1]: log is finite
  const double u2 = uniform();
  const double radius = std::sqrt(-2.0 * std::log(u1));
  const double angle = 2.0 * std::numbers::pi * u2;
  spare_ = radius * std::sin(angle);
  has_spare_ = true;
  return radius * std::cos(angle);
}

double Rng::lognormal(double mu, double sigma) { return std::exp(normal(mu, sigma)); }

std::int64_t Rng::poisson(double mean) {
  if (!(mean > 0)) return 0;
  if (mean < 10) {  // multiplication method: O(mean) uniforms
    const double limit = std::exp(-mean);
    std::int64_t k = 0;
    double product = uniform();
    while (product > limit) {
      ++k;
      product *= uniform();
    }
    return k;
  }
  // PTRS: transformed rejection with squeeze (Hoermann 1993), as in NumPy's random_poisson_ptrs.
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const double u = uniform() - 0.5;
    const double v = uniform();
    const double us = 0.5 - std::abs(u);
    if (us <= 0) continue;
    const double kf = std::floor((2 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::int64_t>(kf);
    if (kf < 0 || (us < 0.013 && v > us)) continue;
    const auto k = static_cast<std::int64_t>(kf);
    if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <= -mean + kf * loglam - log_factorial(k)) {
      return k;
    }
  }
}

std::int64_t Rng::geometric(double mean) {
  if (!(mean > 1)) return 1;
  const double p = 1.0 / mean;
  const double u = 1.0 - uniform();  // (0, 1]
  return 1 + static_cast<std::int64_t>(std::floor(std::log(u) / std::log1p(-p)));
}

double log_factorial(std::int64_t k) {
  static const std::array<double, 256> table = [] {
    std::array<double, 256> t{};
    for (std::size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] + std::log(static_cast<double>(i));
    return t;
  }();
  if (k < 0) return 0;
  if (k < static_cast<std::int64_t>(table.size())) return table[static_cast<std::size_t>(k)];
  const double x = static_cast<double>(k);
  const double inv = 1.0 / x;
  const double inv2 = inv * inv;
  return x * std::log(x) - x + 0.5 * std::log(2 * std::numbers::pi * x) +
         inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 / 1260));
}

ZipfSampler::ZipfSampler(std::uint64_t n, double exponent) : n_(n < 1 ? 1 : n), exponent_(exponent) {
  if (exponent_ > 0) {
    h_integral_x1_ = h_integral(1.5) - 1.0;
    h_integral_n_ = h_integral(static_cast<double>(n_) + 0.5);
    s_ = 2.0 - h_integral_inverse(h_integral(2.5) - h(2.0));
  }
}

double ZipfSampler::h(double x) const { return std::exp(-exponent_ * std::log(x)); }

double ZipfSampler::h_integral(double x) const {
  const double log_x = std::log(x);
  return helper2((1.0 - exponent_) * log_x) * log_x;
}

double ZipfSampler::h_integral_inverse(double x) const {
  double t = x * (1.0 - exponent_);
  if (t < -1.0) t = -1.0;  // limit of the domain, reached only by rounding
  return std::exp(helper1(t) * x);
}

std::uint64_t ZipfSampler::operator()(Rng& rng) const {
  if (!(exponent_ > 0)) return rng.below(n_);
  const double max_rank = static_cast<double>(n_);
  for (;;) {
    const double u = h_integral_n_ + rng.uniform() * (h_integral_x1_ - h_integral_n_);
    const double x = h_integral_inverse(u);
    double k = std::floor(x + 0.5);
    if (k < 1) k = 1;
    if (k > max_rank) k = max_rank;
    if (k - x <= s_ || u >= h_integral(k + 0.5) - h(k)) return static_cast<std::uint64_t>(k) - 1;
  }
}

}  // namespace prepsim::data
