#include "models/ops/hash.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <vector>

#include "models/ops/cpu_dispatch.h"
#include "models/ops/reference.h"

namespace prepsim::ops {
namespace {

const std::vector<std::int64_t> kIds = {1, 2, 3, 5, 8, 10, 11};
const std::vector<std::int64_t> kExpected = {60, 54, 54, 4, 67, 2, 25};  // docs/sources.md#op-semantics

TEST(SigridHash, ReferenceVectorOptimized) {
  std::vector<std::int64_t> out(kIds.size());
  sigrid_hash(kIds, out, 0, 100);
  EXPECT_EQ(out, kExpected);
}

TEST(SigridHash, ReferenceVectorScalarReference) {
  std::vector<std::int64_t> out(kIds.size());
  reference::sigrid_hash(kIds, out, 0, 100);
  EXPECT_EQ(out, kExpected);
}

TEST(SigridHash, InPlace) {
  std::vector<std::int64_t> v = kIds;
  sigrid_hash(v, v, 0, 100);
  EXPECT_EQ(v, kExpected);
}

TEST(SigridHash, MaxOneGivesZero) {
  std::vector<std::int64_t> out(kIds.size(), 7);
  sigrid_hash(kIds, out, 123, 1);
  EXPECT_EQ(out, std::vector<std::int64_t>(kIds.size(), 0));
}

TEST(SigridHash, SaltChangesTheHash) {
  std::vector<std::int64_t> a(kIds.size()), b(kIds.size());
  sigrid_hash(kIds, a, 0, 1'000'000);
  sigrid_hash(kIds, b, 1, 1'000'000);
  EXPECT_NE(a, b);
}

TEST(SigridHash, RejectsMaxBelowOne) {
  EXPECT_EQ(check_sigrid_max(1), "");
  EXPECT_NE(check_sigrid_max(0).find(">= 1"), std::string::npos);
  EXPECT_NE(check_sigrid_max(-5).find("-5"), std::string::npos);
}

TEST(FloorMod, MatchesDivisionForEdgeAndRandomValues) {
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::mt19937_64 rng(7);
  std::vector<std::int64_t> divisors = {1,
                                        2,
                                        3,
                                        5,
                                        7,
                                        10,
                                        100,
                                        641,
                                        500'000,
                                        1'000'003,
                                        (1LL << 31) - 1,
                                        1LL << 32,
                                        (1LL << 32) + 1,
                                        (1LL << 62) + 1,
                                        kMax - 1,
                                        kMax};
  for (int k = 0; k < 63; ++k) {
    divisors.push_back(1LL << k);
    divisors.push_back((1LL << k) + 1);
    divisors.push_back(static_cast<std::int64_t>(rng() >> (k + 1)) | 1);
  }
  std::vector<std::int64_t> values = {0, 1, -1, 2, -2, kMin, kMin + 1, kMax, kMax - 1};
  for (int i = 0; i < 2000; ++i) values.push_back(static_cast<std::int64_t>(rng()));
  for (std::int64_t d : divisors) {
    if (d < 1) continue;
    const FloorMod mod(d);
    for (std::int64_t h : values) {
      std::int64_t want = h % d;
      if (want < 0) want += d;
      ASSERT_EQ(mod(h), want) << "h=" << h << " d=" << d;
    }
  }
}

using HashFn = void (*)(std::span<const std::int64_t>, std::span<std::int64_t>, std::int64_t, std::int64_t);

// Every variant this CPU can run.
std::vector<std::pair<std::string, HashFn>> variants() {
  std::vector<std::pair<std::string, HashFn>> v = {{"dispatch", sigrid_hash}, {"scalar", detail::sigrid_hash_scalar}};
  for (Isa isa : supported_isas()) {
    if (isa == Isa::Avx2) v.emplace_back("avx2", detail::sigrid_hash_avx2);
    if (isa == Isa::Avx512) v.emplace_back("avx512", detail::sigrid_hash_avx512);
  }
  return v;
}

TEST(SigridHash, EveryVariantMatchesTheReferenceVector) {
  // 5 copies so the 4- and 8-lane loops run, not only their scalar tails.
  std::vector<std::int64_t> ids, want;
  for (int i = 0; i < 5; ++i) {
    ids.insert(ids.end(), kIds.begin(), kIds.end());
    want.insert(want.end(), kExpected.begin(), kExpected.end());
  }
  for (const auto& [name, fn] : variants()) {
    std::vector<std::int64_t> out(ids.size());
    fn(ids, out, 0, 100);
    EXPECT_EQ(out, want) << name;
  }
}

// Property: every variant == scalar reference, and every result is in [0, max), for random ids, salts and maxes
// (powers of two and not, 1, and the largest int64).
TEST(SigridHash, OptimizedEqualsReferenceOnRandomInput) {
  std::mt19937_64 rng(42);
  std::vector<std::int64_t> maxes = {
      1, 2, 3, 64, 100, 500'000, 1LL << 40, (1LL << 40) + 7, std::numeric_limits<std::int64_t>::max()};
  for (int i = 0; i < 20; ++i) maxes.push_back(static_cast<std::int64_t>(rng() >> (rng() % 63 + 1)) + 1);
  for (std::int64_t max : maxes) {
    const std::size_t n = rng() % 1000;
    std::vector<std::int64_t> in(n);
    for (auto& v : in) v = static_cast<std::int64_t>(rng());
    const auto salt = static_cast<std::int64_t>(rng());
    for (std::size_t i = 0; i < n; i += 13) in[i] = static_cast<std::int64_t>(i) - 6;  // small ids too
    std::vector<std::int64_t> ref(n);
    reference::sigrid_hash(in, ref, salt, max);
    for (std::int64_t v : ref) {
      ASSERT_GE(v, 0);
      ASSERT_LT(v, max);
    }
    for (const auto& [name, fn] : variants()) {
      std::vector<std::int64_t> fast(n);
      fn(in, fast, salt, max);
      ASSERT_EQ(fast, ref) << name << " max=" << max;
    }
  }
}

}  // namespace
}  // namespace prepsim::ops
