// Bucketize: turns a dense float32 value into a sparse id, the index of its bucket among sorted borders
// (docs/sources.md#op-semantics): id = the smallest i with x <= borders[i], or len(borders) when there is none.
//
// Borders are float32, non-decreasing, without NaN (check_borders); repeats are allowed and a value equal to a
// repeated border gets the first of them. No borders: every id is 0. NaN compares false with every border, so
// bucketize(NaN) = len(borders); -inf -> 0; +inf -> len(borders) unless a border is +inf. Nulls are not seen here:
// run_op gives a null row an empty list.
//
// The kernel is a branch-free binary search whose step sizes depend only on len(borders), so it runs many values in
// lockstep: 16 per AVX-512 gather, 8 per AVX2 gather, or 8 interleaved scalar searches (conditional moves) on CPUs
// with neither. All three return exactly what a linear scan returns (bucketize_test checks each one).
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace prepsim::ops {

// "" when borders are non-decreasing and free of NaN, otherwise which borders are wrong.
std::string check_borders(std::span<const float> borders);

// Bucketize
//
// out[i] = bucket of x[i] among `borders` for all i; requires out.size() == x.size() and valid borders.
void bucketize(std::span<const float> x, std::span<const float> borders, std::span<std::int64_t> out);

namespace detail {
// The variants bucketize chooses from by active_isa() (cpu_dispatch.h); exposed for tests and benchmarks. The SIMD
// ones need their instruction set (supported_isas()) and fewer than 2^31 borders.
void bucketize_interleaved(std::span<const float> x, std::span<const float> borders, std::span<std::int64_t> out);
void bucketize_avx2(std::span<const float> x, std::span<const float> borders, std::span<std::int64_t> out);
void bucketize_avx512(std::span<const float> x, std::span<const float> borders, std::span<std::int64_t> out);
}  // namespace detail

}  // namespace prepsim::ops
