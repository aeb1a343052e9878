// Seeded random numbers for the data generator and the simulator: one independent stream per entity, derived from
// (seed, entity name), with our own distributions (uniform, normal, lognormal, Poisson, geometric, Zipf) so that
// results depend only on this file and libm, never on a standard library's <random> distribution implementations.
//
//   Rng rng = Rng::for_entity(seed, "worker-3");
//   rng.next_u64(); rng.uniform(); rng.normal(); rng.poisson(4.2);
//
// The generator is xoshiro256** seeded through splitmix64; an entity's key is splitmix64(seed) ^ fnv1a64(name).
// Same seed and same name -> the same sequence on every platform (up to libm rounding in log/exp/sqrt/cos).
#pragma once

#include <cstdint>
#include <string_view>

namespace prepsim::data {

// splitmix64 step: advances `state` and returns the next output (Steele, Lea, Flood 2014).
std::uint64_t splitmix64(std::uint64_t& state);
// FNV-1a 64-bit hash of the bytes of `text`.
std::uint64_t fnv1a64(std::string_view text);

class Rng {
 public:
  // A stream seeded directly from `key` (expanded by splitmix64; any key, including 0, is fine).
  explicit Rng(std::uint64_t key);
  // The stream of a named entity ("worker-3", "chunk/17/sparse/user"): independent of other names' streams.
  static Rng for_entity(std::uint64_t seed, std::string_view entity);

  std::uint64_t next_u64();
  // Uniform in [0, 1), 53 random bits.
  double uniform();
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n) without modulo bias (Lemire's method); n == 0 returns 0.
  std::uint64_t below(std::uint64_t n);
  bool bernoulli(double p) { return uniform() < p; }
  // Standard normal by Box-Muller; the second value of each pair is kept for the next call.
  double normal();
  double normal(double mean, double stddev) { return mean + stddev * normal(); }
  double lognormal(double mu, double sigma);
  // Poisson(mean): multiplication method below mean 10, Hoermann's PTRS rejection above. mean <= 0 returns 0.
  std::int64_t poisson(double mean);
  // Number of trials up to and including the first success, with the given mean >= 1 (success prob 1/mean).
  std::int64_t geometric(double mean);

 private:
  std::uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

// Zipf over ranks [0, n): P(rank k) proportional to 1 / (k + 1)^exponent, exponent >= 0 (0 = uniform).
// Rejection-inversion (Hoermann and Derflinger 1996): O(1) memory and time, any n up to 2^53.
class ZipfSampler {
 public:
  ZipfSampler(std::uint64_t n, double exponent);
  std::uint64_t operator()(Rng& rng) const;
  std::uint64_t n() const { return n_; }
  double exponent() const { return exponent_; }

 private:
  double h(double x) const;
  double h_integral(double x) const;
  double h_integral_inverse(double x) const;

  std::uint64_t n_;
  double exponent_;
  double h_integral_x1_ = 0;
  double h_integral_n_ = 0;
  double s_ = 0;
};

// log(k!) for k >= 0: exact sums below 256, Stirling's series above (thread-safe, unlike lgamma's signgam).
double log_factorial(std::int64_t k);

}  // namespace prepsim::data
