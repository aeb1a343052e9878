#include "models/ops/dense_ops.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "models/ops/cpu_dispatch.h"
#include "models/ops/fast_log.h"
#include "models/ops/random_inputs.h"
#include "models/ops/reference.h"

namespace prepsim::ops {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
const float kNaN = std::numeric_limits<float>::quiet_NaN();

std::vector<std::uint32_t> bits(const std::vector<float>& v) {
  std::vector<std::uint32_t> out(v.size());
  if (!v.empty()) std::memcpy(out.data(), v.data(), v.size() * sizeof(float));
  return out;
}

// Distance in units in the last place between two finite floats of the same sign.
std::int64_t ulps(float a, float b) {
  auto key = [](float f) {
    const auto i = std::bit_cast<std::int32_t>(f);
    return i < 0 ? static_cast<std::int64_t>(std::numeric_limits<std::int32_t>::min()) - i : std::int64_t{i};
  };
  const std::int64_t d = key(a) - key(b);
  return d < 0 ? -d : d;
}

TEST(Log, SpecialValues) {
  const std::vector<float> x = {1.0f, 0.0f, -0.0f, -1.0f, kInf, -kInf, kNaN};
  std::vector<float> out(x.size());
  log_offset(x, out, 0.0f);
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_EQ(out[1], -kInf);
  EXPECT_EQ(out[2], -kInf);
  EXPECT_TRUE(std::isnan(out[3]));
  EXPECT_EQ(out[4], kInf);
  EXPECT_TRUE(std::isnan(out[5]));
  EXPECT_TRUE(std::isnan(out[6]));
}

TEST(Log, OffsetIsAddedFirst) {
  const std::vector<float> x = {-3.0f, -2.0f, 0.0f, -4.0f};
  std::vector<float> out(x.size());
  log_offset(x, out, 3.0f);
  EXPECT_EQ(out[0], -kInf);
  EXPECT_EQ(out[1], 0.0f);
  EXPECT_NEAR(out[2], std::log(3.0), 1e-6);
  EXPECT_TRUE(std::isnan(out[3]));
}

// Accuracy of fast_log against std::log over every binade of positive floats, subnormals included.
TEST(Log, WithinOneUlpOfStdLog) {
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<std::uint32_t> any_positive(1, 0x7f7fffffu);
  std::int64_t worst = 0;
  for (int i = 0; i < 2'000'000; ++i) {
    const float x = std::bit_cast<float>(any_positive(rng));
    worst = std::max(worst, ulps(fast_log(x), std::log(x)));
  }
  EXPECT_LE(worst, 1);
}

TEST(Log, OptimizedEqualsReferenceBitForBit) {
  std::mt19937_64 rng(3);
  for (float offset : {0.0f, 1.0f, 3.0f, -2.5f}) {
    const std::vector<float> x = testing::awkward_floats(rng, 4099);
    std::vector<float> fast(x.size()), ref(x.size());
    log_offset(x, fast, offset);
    reference::log_offset(x, ref, offset);
    ASSERT_EQ(bits(fast), bits(ref)) << "offset=" << offset;
  }
}

TEST(Logit, ClampsThenLogs) {
  const std::vector<float> x = {0.5f, 0.0f, 1.0f, -kInf, kInf, kNaN, 0.25f};
  std::vector<float> out(x.size());
  logit(x, out, 0.1f);
  EXPECT_EQ(out[0], 0.0f);
  const float lo = std::log(0.1f / 0.9f);
  EXPECT_NEAR(out[1], lo, 1e-6);
  EXPECT_NEAR(out[2], -lo, 1e-5);
  EXPECT_NEAR(out[3], lo, 1e-6);
  EXPECT_NEAR(out[4], -lo, 1e-5);
  EXPECT_TRUE(std::isnan(out[5]));
  EXPECT_NEAR(out[6], std::log(1.0f / 3.0f), 1e-6);
  logit(x, out, 0.0f);
  EXPECT_EQ(out[1], -kInf);
  EXPECT_EQ(out[2], kInf);
}

TEST(Boxcox, Definition) {
  const std::vector<float> x = {1.0f, 4.0f, 0.0f, -2.0f, kNaN, kInf};
  std::vector<float> out(x.size());
  boxcox(x, out, 0.0f);
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_NEAR(out[1], std::log(4.0f), 1e-6);
  EXPECT_EQ(out[2], 0.0f);
  EXPECT_EQ(out[3], -2.0f);
  EXPECT_TRUE(std::isnan(out[4]));
  EXPECT_EQ(out[5], kInf);
  boxcox(x, out, 2.0f);
  EXPECT_EQ(out[1], 7.5f);  // (16 - 1) / 2
  EXPECT_EQ(out[3], -2.0f);
  boxcox(x, out, -0.5f);
  EXPECT_EQ(out[1], 1.0f);  // (0.5 - 1) / -0.5
  EXPECT_EQ(out[5], 2.0f);  // +inf -> (0 - 1) / -0.5
}

// Property, for every instruction-set variant this CPU runs: the kernels return the reference's bits.
TEST(DenseOps, OptimizedEqualsReferenceBitForBit) {
  for (Isa isa : supported_isas()) {
    SCOPED_TRACE(isa_name(isa));
    force_isa(isa);
    std::mt19937_64 rng(5);
    for (std::size_t n : {0u, 1u, 7u, 64u, 1000u, 4097u}) {
      std::vector<float> x = testing::awkward_floats(rng, n);
      const std::vector<float> unit = testing::uniform_floats(rng, n, -0.2f, 1.2f);
      for (std::size_t i = 0; i < n; i += 2) x[i] = unit[i];
      const std::vector<std::uint8_t> nulls = testing::random_nulls(rng, n, 0.2);
      std::vector<float> fast(n), ref(n);
      for (float eps : {0.0f, 1e-6f, 0.25f, 0.5f}) {
        logit(x, fast, eps);
        reference::logit(x, ref, eps);
        ASSERT_EQ(bits(fast), bits(ref)) << "logit eps=" << eps;
      }
      for (float lambda : {0.0f, 0.5f, 1.0f, -1.5f, 3.0f}) {
        boxcox(x, fast, lambda);
        reference::boxcox(x, ref, lambda);
        ASSERT_EQ(bits(fast), bits(ref)) << "boxcox lambda=" << lambda;
      }
      fill_null(x, nulls, fast, -1.0f);
      reference::fill_null(x, nulls, ref, -1.0f);
      ASSERT_EQ(bits(fast), bits(ref));
      for (auto [lo, hi] : {std::pair{0.0f, 1.0f}, {-kInf, kInf}, {-0.0f, 0.0f}, {3.0f, 3.0f}}) {
        clamp(x, fast, lo, hi);
        reference::clamp(x, ref, lo, hi);
        ASSERT_EQ(bits(fast), bits(ref)) << "clamp " << lo << " " << hi;
      }
      for (std::int64_t bins : {1, 3, 10}) {
        std::vector<float> fast_oh(n * static_cast<std::size_t>(bins), 5.0f), ref_oh(fast_oh.size(), 6.0f);
        onehot(x, nulls, fast_oh, -0.1f, 1.1f, bins);
        reference::onehot(x, nulls, ref_oh, -0.1f, 1.1f, bins);
        ASSERT_EQ(bits(fast_oh), bits(ref_oh)) << "onehot n=" << bins;
      }
      for (float offset : {0.0f, 1.0f, -2.5f}) {
        log_offset(x, fast, offset);
        reference::log_offset(x, ref, offset);
        ASSERT_EQ(bits(fast), bits(ref)) << "log offset=" << offset;
      }
      fill_null(x, {}, fast, -1.0f);  // no mask: a copy
      ASSERT_EQ(bits(fast), bits(x));
    }
  }
  clear_forced_isa();
}

TEST(FillNull, ReplacesNullsOnly) {
  const std::vector<float> x = {1.0f, 99.0f, kNaN, 4.0f};
  const std::vector<std::uint8_t> nulls = {0, 1, 0, 1};
  std::vector<float> out(x.size());
  fill_null(x, nulls, out, 0.0f);
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_EQ(out[1], 0.0f);
  EXPECT_TRUE(std::isnan(out[2]));  // a NaN that is not null stays NaN
  EXPECT_EQ(out[3], 0.0f);
}

TEST(Clamp, BoundsNaNAndInfinities) {
  const std::vector<float> x = {-5.0f, 2.0f, 9.0f, kNaN, -kInf, kInf, -0.0f};
  std::vector<float> out(x.size());
  clamp(x, out, 0.0f, 5.0f);
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_EQ(out[1], 2.0f);
  EXPECT_EQ(out[2], 5.0f);
  EXPECT_TRUE(std::isnan(out[3]));
  EXPECT_EQ(out[4], 0.0f);
  EXPECT_EQ(out[5], 5.0f);
  EXPECT_TRUE(std::signbit(out[6]));  // -0.0 is not below 0.0: kept
}

TEST(Onehot, OneBinPerValueAndZerosForNulls) {
  const std::vector<float> x = {0.0f, 0.5f, 2.4f, 2.5f, -0.1f, 10.0f, kNaN, kInf, 1.0f};
  const std::vector<std::uint8_t> nulls = {0, 0, 0, 0, 0, 0, 0, 0, 1};
  const std::int64_t n = 4;
  std::vector<float> out(x.size() * n, 7.0f);
  onehot(x, nulls, out, 0.0f, 10.0f, n);  // step 2.5
  const std::vector<std::int64_t> want_bin = {0, 0, 0, 1, 0, 0, 0, 0, -1};
  for (std::size_t i = 0; i < x.size(); ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      EXPECT_EQ(out[i * n + j], j == want_bin[i] ? 1.0f : 0.0f) << "row " << i << " bin " << j;
    }
  }
  EXPECT_EQ(onehot_index(9.99f, 0.0f, 10.0f, n), 3);
  EXPECT_EQ(onehot_index(10.0f, 0.0f, 10.0f, n), 0);  // upper is outside [0, n)
}

TEST(DenseOps, ParameterChecks) {
  EXPECT_EQ(check_logit_eps(0.0f), "");
  EXPECT_EQ(check_logit_eps(0.5f), "");
  EXPECT_NE(check_logit_eps(0.6f), "");
  EXPECT_NE(check_logit_eps(-1e-3f), "");
  EXPECT_NE(check_logit_eps(kNaN), "");
  EXPECT_EQ(check_clamp_bounds(1, 1), "");
  EXPECT_NE(check_clamp_bounds(2, 1).find("lo must be <= hi"), std::string::npos);
  EXPECT_NE(check_clamp_bounds(kNaN, 1), "");
  EXPECT_EQ(check_onehot_params(0, 1, 1), "");
  EXPECT_NE(check_onehot_params(0, 1, 0).find("n must be >= 1"), std::string::npos);
  EXPECT_NE(check_onehot_params(1, 1, 3).find("lower < upper"), std::string::npos);
  EXPECT_NE(check_onehot_params(0, kInf, 3), "");
}

}  // namespace
}  // namespace prepsim::ops
