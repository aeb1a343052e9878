// No fused multiply-add contraction in this file, whatever the target (AVX-512F has FMA; so does -march=native):
// the reference and the vectorized kernels must round every operation the same way (fast_log.h). No trapping math
// either, so GCC may compute both sides of a ?: and vectorize; that changes exception flags, not values.
#pragma GCC optimize("fp-contract=off", "no-trapping-math")

#include "models/ops/dense_ops.h"

#include <fmt/format.h>

#include <cmath>
#include <cstddef>
#include <cstring>

#include "models/ops/cpu_dispatch.h"
#include "models/ops/fast_log.h"

namespace prepsim::ops {

// Each kernel is one always-inline body compiled three times (AVX-512, AVX2, baseline x86-64) by
// PREPSIM_DISPATCHED_KERNEL; the compiler vectorizes each for its instruction set, and none of them may contract
// into FMA (pragma above), so every variant rounds exactly like the scalar reference.
namespace {

#define PREPSIM_BODY [[gnu::always_inline]] inline void

std::size_t common_size(std::size_t a, std::size_t b) { return a < b ? a : b; }

PREPSIM_BODY log_offset_body(std::span<const float> x, std::span<float> out, float offset) {
  const std::size_t n = common_size(x.size(), out.size());
  const float* in = x.data();
  float* o = out.data();
  for (std::size_t i = 0; i < n; ++i) o[i] = fast_log(in[i] + offset);
}

PREPSIM_BODY logit_body(std::span<const float> x, std::span<float> out, float eps) {
  const std::size_t n = common_size(x.size(), out.size());
  const float lo = eps;
  const float hi = 1.0f - eps;
  const float* in = x.data();
  float* o = out.data();
  for (std::size_t i = 0; i < n; ++i) {
    float c = in[i] < lo ? lo : in[i];
    c = c > hi ? hi : c;
    o[i] = fast_log(c / (1.0f - c));
  }
}

PREPSIM_BODY boxcox_body(std::span<const float> x, std::span<float> out, float lambda) {
  const std::size_t n = common_size(x.size(), out.size());
  const float* in = x.data();
  float* o = out.data();
  if (lambda == 0.0f) {
    for (std::size_t i = 0; i < n; ++i) {
      const float v = in[i];
      o[i] = v > 0.0f ? fast_log(v) : v;
    }
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const float v = in[i];
    o[i] = v > 0.0f ? (std::pow(v, lambda) - 1.0f) / lambda : v;  // a libm call per element: not vectorized
  }
}

PREPSIM_BODY fill_null_body(std::span<const float> x, std::span<const std::uint8_t> nulls, std::span<float> out,
                            float value) {
  const std::size_t n = common_size(x.size(), out.size());
  const float* in = x.data();
  float* o = out.data();
  if (nulls.size() < n) {  // no mask: no nulls
    if (n > 0) std::memmove(o, in, n * sizeof(float));
    return;
  }
  const std::uint8_t* nu = nulls.data();
  for (std::size_t i = 0; i < n; ++i) o[i] = nu[i] != 0 ? value : in[i];
}

PREPSIM_BODY clamp_body(std::span<const float> x, std::span<float> out, float lo, float hi) {
  const std::size_t n = common_size(x.size(), out.size());
  const float* in = x.data();
  float* o = out.data();
  for (std::size_t i = 0; i < n; ++i) {
    float v = in[i] < lo ? lo : in[i];
    o[i] = v > hi ? hi : v;
  }
}

PREPSIM_BODY onehot_body(std::span<const float> x, std::span<const std::uint8_t> nulls, std::span<float> out,
                         float lower, float upper, std::int64_t n) {
  const std::size_t rows = x.size();
  if (n < 1 || out.size() < rows * static_cast<std::size_t>(n)) return;
  if (rows > 0) std::memset(out.data(), 0, rows * static_cast<std::size_t>(n) * sizeof(float));
  const float step = (upper - lower) / static_cast<float>(n);
  const float fn = static_cast<float>(n);
  const bool has_mask = nulls.size() >= rows;
  float* o = out.data();
  for (std::size_t i = 0; i < rows; ++i) {
    const float t = (x[i] - lower) / step;
    const std::int64_t idx = (t >= 0.0f && t < fn) ? static_cast<std::int64_t>(t) : 0;
    // A null row stores 0.0 into its (already zero) bin rather than skipping the store.
    o[i * static_cast<std::size_t>(n) + static_cast<std::size_t>(idx)] = has_mask && nulls[i] != 0 ? 0.0f : 1.0f;
  }
}

}  // namespace

PREPSIM_DISPATCHED_KERNEL(log_offset, (std::span<const float> x, std::span<float> out, float offset), (x, out, offset))
PREPSIM_DISPATCHED_KERNEL(logit, (std::span<const float> x, std::span<float> out, float eps), (x, out, eps))
PREPSIM_DISPATCHED_KERNEL(boxcox, (std::span<const float> x, std::span<float> out, float lambda), (x, out, lambda))
PREPSIM_DISPATCHED_KERNEL(fill_null,
                          (std::span<const float> x, std::span<const std::uint8_t> nulls, std::span<float> out,
                           float value),
                          (x, nulls, out, value))
PREPSIM_DISPATCHED_KERNEL(clamp, (std::span<const float> x, std::span<float> out, float lo, float hi), (x, out, lo, hi))
PREPSIM_DISPATCHED_KERNEL(onehot,
                          (std::span<const float> x, std::span<const std::uint8_t> nulls, std::span<float> out,
                           float lower, float upper, std::int64_t n),
                          (x, nulls, out, lower, upper, n))

std::int64_t onehot_index(float x, float lower, float upper, std::int64_t n) {
  const float step = (upper - lower) / static_cast<float>(n);
  const float t = (x - lower) / step;
  return (t >= 0.0f && t < static_cast<float>(n)) ? static_cast<std::int64_t>(t) : 0;
}

std::string check_logit_eps(float eps) {
  if (eps >= 0.0f && eps <= 0.5f) return {};
  return fmt::format("eps must be in [0, 0.5] (x is clamped to [eps, 1 - eps]), got {}", eps);
}

std::string check_clamp_bounds(double lo, double hi) {
  if (std::isnan(lo) || std::isnan(hi)) return "lo and hi must be numbers, not NaN";
  if (lo <= hi) return {};
  return fmt::format("lo must be <= hi, got lo={} hi={}", lo, hi);
}

std::string check_onehot_params(float lower, float upper, std::int64_t n) {
  if (n < 1) return "n must be >= 1 (the number of bins), got " + std::to_string(n);
  if (!std::isfinite(lower) || !std::isfinite(upper) || !(lower < upper)) {
    return fmt::format("lower and upper must be finite with lower < upper, got lower={} upper={}", lower, upper);
  }
  if (!std::isfinite(upper - lower)) return "upper - lower overflows float32";
  return {};
}

}  // namespace prepsim::ops
