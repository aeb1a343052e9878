// Dense normalization and generation kernels on float32 columns (docs/sources.md#op-semantics): log, logit, boxcox,
// fill_null, clamp, onehot. Each works on a whole column at a time (spans), branch-free, and is compiled for
// baseline x86-64, AVX2 and AVX-512, picked at run time (cpu_dispatch.h); results are bit-identical across the
// variants and to the scalar reference (reference.h).
//
// Nulls: a column is values plus a null mask (data::DenseColumn). log, logit, boxcox and clamp do not read the mask:
// they compute every slot (the value under a null is unspecified) and the column keeps its mask, so nulls stay
// null; run fill_null first to give them a value. fill_null and onehot read the mask.
// NaN and infinities: see each function; docs/ops.md has the full table.
// `out` may be the input span itself (in place) except for onehot; partial overlap is not allowed.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace prepsim::ops {

// log: out[i] = log(x[i] + offset), the sum rounded to float32 first; log via fast_log (fast_log.h):
// log(0) = -inf, log(negative) = NaN, log(+inf) = +inf, NaN -> NaN. Any finite offset is valid.
void log_offset(std::span<const float> x, std::span<float> out, float offset);

// logit: c = x clamped to [eps, 1 - eps] (NaN stays NaN, +-inf clamp to the bounds), out = log(c / (1 - c)).
// Valid eps: 0 <= eps <= 0.5 (check_logit_eps). With eps == 0, x <= 0 -> -inf and x >= 1 -> +inf.
void logit(std::span<const float> x, std::span<float> out, float eps);

// boxcox: for x > 0: log(x) if lambda == 0, else (powf(x, lambda) - 1) / lambda; x <= 0 and NaN pass through
// unchanged. +inf -> +inf when lambda >= 0, -1 / lambda when lambda < 0. lambda == 0 is vectorized (fast_log);
// lambda != 0 calls std::pow per element.
void boxcox(std::span<const float> x, std::span<float> out, float lambda);

// fill_null: out[i] = value where nulls[i] != 0, else x[i] (NaN values that are not null stay NaN).
// The result has no nulls. `nulls` has one flag per value, or is empty for a column without nulls.
void fill_null(std::span<const float> x, std::span<const std::uint8_t> nulls, std::span<float> out, float value);

// clamp: out[i] = lo if x[i] < lo, hi if x[i] > hi, else x[i]: NaN stays NaN, -inf -> lo, +inf -> hi, and
// -0.0 is kept when lo == 0. Requires lo <= hi (check_clamp_bounds).
void clamp(std::span<const float> x, std::span<float> out, float lo, float hi);

// onehot: n floats per row, row-major: out[i * n + j] = 1 if j == idx(x[i]) else 0, where step = (upper - lower) / n
// and idx = int((x - lower) / step) truncated toward zero; an idx outside [0, n) (below lower, at or above upper,
// NaN, +-inf) becomes 0. A null row is all zeros; `nulls` has one flag per row, or is empty for a column without
// nulls. Requires out.size() == x.size() * n, n >= 1, finite
// lower < upper (check_onehot_params). All arithmetic in float32.
void onehot(std::span<const float> x, std::span<const std::uint8_t> nulls, std::span<float> out, float lower,
            float upper, std::int64_t n);

// The bin of one value under onehot's rule (exposed for tests and the command).
std::int64_t onehot_index(float x, float lower, float upper, std::int64_t n);

// Parameter checks: "" when valid, otherwise the reason (used by run_op and `prepsim op`).
std::string check_logit_eps(float eps);
std::string check_clamp_bounds(double lo, double hi);
std::string check_onehot_params(float lower, float upper, std::int64_t n);

}  // namespace prepsim::ops
