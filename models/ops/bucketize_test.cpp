#include "models/ops/bucketize.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <random>
#include <vector>

#include "models/ops/cpu_dispatch.h"
#include "models/ops/random_inputs.h"
#include "models/ops/reference.h"

namespace prepsim::ops {
namespace {

using Fn = std::function<void(std::span<const float>, std::span<const float>, std::span<std::int64_t>)>;

// Every implementation this CPU can run, with a name for failure messages.
std::vector<std::pair<std::string, Fn>> implementations() {
  std::vector<std::pair<std::string, Fn>> impls = {
      {"bucketize", bucketize}, {"interleaved", detail::bucketize_interleaved}, {"reference", reference::bucketize}};
  for (Isa isa : supported_isas()) {
    if (isa == Isa::Avx2) impls.emplace_back("avx2", detail::bucketize_avx2);
    if (isa == Isa::Avx512) impls.emplace_back("avx512", detail::bucketize_avx512);
  }
  return impls;
}

std::vector<std::int64_t> run(const Fn& fn, const std::vector<float>& x, const std::vector<float>& borders) {
  std::vector<std::int64_t> out(x.size(), -1);
  fn(x, borders, out);
  return out;
}

TEST(Bucketize, ReferenceVector) {
  const std::vector<float> x = {1, 2, 3, 5, 8, 10, 11};
  for (const auto& [name, fn] : implementations()) {
    EXPECT_EQ(run(fn, x, {2, 5, 10}), (std::vector<std::int64_t>{0, 0, 1, 1, 2, 2, 3})) << name;
  }
}

TEST(Bucketize, SpecialValues) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // 40 copies so the SIMD paths (16 or 32 values per step) see them, not only the scalar tail.
  std::vector<float> x;
  for (int i = 0; i < 40; ++i) x.insert(x.end(), {nan, -kInf, kInf, -0.0f, 0.0f});
  std::vector<std::int64_t> want;
  for (int i = 0; i < 40; ++i) want.insert(want.end(), {3, 0, 3, 1, 1});
  for (const auto& [name, fn] : implementations()) EXPECT_EQ(run(fn, x, {-1, 0, 2}), want) << name;
  // A +inf border catches +inf; NaN still goes past every border.
  std::vector<std::int64_t> want_inf;
  for (int i = 0; i < 40; ++i) want_inf.insert(want_inf.end(), {2, 0, 1, 0, 0});
  for (const auto& [name, fn] : implementations()) EXPECT_EQ(run(fn, x, {0, kInf}), want_inf) << name;
}

TEST(Bucketize, RepeatedBordersGiveTheFirstIndex) {
  std::vector<float> x(35, 2.0f);
  x.push_back(3.0f);
  std::vector<std::int64_t> want(35, 1);
  want.push_back(4);
  for (const auto& [name, fn] : implementations()) EXPECT_EQ(run(fn, x, {1, 2, 2, 2, 5}), want) << name;
}

TEST(Bucketize, NoBordersAndOneBorder) {
  const std::vector<float> x = {-1, 0, 1, std::numeric_limits<float>::quiet_NaN()};
  for (const auto& [name, fn] : implementations()) {
    EXPECT_EQ(run(fn, x, {}), (std::vector<std::int64_t>{0, 0, 0, 0})) << name;
    EXPECT_EQ(run(fn, x, {0}), (std::vector<std::int64_t>{0, 0, 1, 1})) << name;
  }
}

TEST(Bucketize, CheckBorders) {
  EXPECT_EQ(check_borders(std::vector<float>{1, 2, 2, 3}), "");
  EXPECT_EQ(check_borders(std::vector<float>{}), "");
  const std::string unsorted = check_borders(std::vector<float>{2, 5, 3});
  EXPECT_NE(unsorted.find("non-decreasing"), std::string::npos);
  EXPECT_NE(unsorted.find("borders[2]=3"), std::string::npos);
  EXPECT_NE(check_borders(std::vector<float>{0, std::numeric_limits<float>::quiet_NaN()}).find("NaN"),
            std::string::npos);
}

// Property: every implementation equals the linear scan of the definition, for random sorted borders (with
// repeats and infinities), values drawn from the borders themselves, between them and special values, and every
// tail length.
TEST(Bucketize, AllImplementationsEqualLinearScan) {
  std::mt19937_64 rng(2024);
  for (int trial = 0; trial < 60; ++trial) {
    const std::size_t nb = trial < 10 ? static_cast<std::size_t>(trial) + 1 : rng() % 5000 + 1;
    std::vector<float> borders = testing::uniform_floats(rng, nb, -100.0f, 100.0f);
    for (std::size_t i = 0; i + 1 < nb; i += 7) borders[i + 1] = borders[i];  // repeats
    if (trial % 5 == 0) borders.back() = std::numeric_limits<float>::infinity();
    std::sort(borders.begin(), borders.end());
    const std::size_t n = static_cast<std::size_t>(trial) + rng() % 300;
    std::vector<float> x = testing::uniform_floats(rng, n, -120.0f, 120.0f);
    const std::vector<float> awkward = testing::awkward_floats(rng, n);
    for (std::size_t i = 0; i < n; ++i) {
      if (i % 3 == 0) x[i] = borders[rng() % nb];
      if (i % 11 == 0) x[i] = awkward[i];
    }
    std::vector<std::int64_t> want(n);
    for (std::size_t i = 0; i < n; ++i) want[i] = reference::bucketize_linear(x[i], borders);
    for (const auto& [name, fn] : implementations()) {
      ASSERT_EQ(run(fn, x, borders), want) << name << " borders=" << nb << " n=" << n;
    }
  }
}

}  // namespace
}  // namespace prepsim::ops
