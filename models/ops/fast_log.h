// The natural logarithm every prepsim kernel uses (log, logit, boxcox with lambda == 0), in a form compilers
// vectorize: no branches, no table, no call into libm.
//
// The math is Cephes' logf (S. Moshier, cephes/single/logf.c): x = m * 2^e with m in [sqrt(1/2), sqrt(2)), then a
// degree-9 polynomial in t = m - 1 and ln(2) split in two parts. Everything is float32, evaluated in one fixed order,
// so the branch-free fast_log and the plain scalar reference (reference.cpp: frexp and if/else) return the same bits.
// Accuracy against std::log (glibc logf): at most 1 ulp apart on random inputs over all positive normal and
// subnormal floats (Log.WithinOneUlpOfStdLog in dense_ops_test.cpp; docs/ops.md gives the measured distribution).
// Special values follow std::log: log(+-0) = -inf, log(x < 0) = NaN, log(+inf) = +inf, NaN stays NaN (same bits).
//
// Bit-identity relies on no FMA contraction (a fused multiply-add rounds once where the reference rounds twice):
// AVX-512F has FMA, so every file that evaluates this math (dense_ops.cpp, reference.cpp) sets
// #pragma GCC optimize("fp-contract=off").
#pragma once

#include <bit>
#include <cstdint>
#include <limits>

namespace prepsim::ops {

inline constexpr float kSqrtHalf = 0.707106781186547524f;

// log(1 + t) + fe * ln(2) for t in [sqrt(1/2) - 1, sqrt(2) - 1) and an integer-valued fe (Cephes logf core).
inline float log_core(float t, float fe) {
  const float z = t * t;
  float y = 7.0376836292E-2f;
  y = y * t - 1.1514610310E-1f;
  y = y * t + 1.1676998740E-1f;
  y = y * t - 1.2420140846E-1f;
  y = y * t + 1.4249322787E-1f;
  y = y * t - 1.6668057665E-1f;
  y = y * t + 2.0000714765E-1f;
  y = y * t - 2.4999993993E-1f;
  y = y * t + 3.3333331174E-1f;
  y = y * t * z;
  y += -2.12194440e-4f * fe;
  y += -0.5f * z;
  float r = t + y;
  r += 0.693359375f * fe;
  return r;
}

// Branch-free natural log of a float32 (see the file comment for accuracy and special values). Conditions are
// integer tests on the bits. For a loop over fast_log to vectorize, compile it with -fno-trapping-math (dense_ops.cpp
// does, by pragma): otherwise GCC keeps the float arithmetic under each ?: conditional and cannot if-convert.
// That flag only drops floating-point exception flags, never changes a value.
inline float fast_log(float x) {
  const std::uint32_t ix = std::bit_cast<std::uint32_t>(x);
  const std::uint32_t ax = ix & 0x7fffffffu;
  const bool subnormal = ix < 0x00800000u;  // +0 or a positive subnormal: scale by 2^23 (exact) first
  const std::uint32_t is = std::bit_cast<std::uint32_t>(subnormal ? x * 0x1p23f : x);
  const std::uint32_t mant = is & 0x007fffffu;
  const bool low = mant < 0x003504f3u;  // frexp mantissa m = 0.5 * 1.mant below sqrt(1/2) (0x3f3504f3)
  const std::int32_t e = static_cast<std::int32_t>((is >> 23) & 0xffu) - (subnormal ? 149 : 126) - (low ? 1 : 0);
  const float m = std::bit_cast<float>(mant | 0x3f000000u);  // frexp mantissa in [0.5, 1)
  float r = log_core(low ? (m + m) - 1.0f : m - 1.0f, static_cast<float>(e));
  r = ax == 0 ? -std::numeric_limits<float>::infinity() : r;                     // +-0
  r = (ix >> 31) != 0 && ax != 0 ? std::numeric_limits<float>::quiet_NaN() : r;  // negative, -inf included
  r = (ax > 0x7f800000u || ix == 0x7f800000u) ? x : r;                           // NaN (either sign), +inf
  return r;
}

}  // namespace prepsim::ops
