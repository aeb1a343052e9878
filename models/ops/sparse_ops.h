// Sparse kernels on jagged lists of int64 ids (docs/sources.md#op-semantics): firstx and ngram reshape each list, mapid
// and clamp map each id. sigrid_hash is in hash.h. List kernels write a new Jagged (values + lengths); element kernels
// write a span of the same size as their input (in place allowed, partial overlap not).
//
// Empty lists: firstx and ngram give an empty list; element kernels have nothing to map.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "models/ops/jagged.h"

namespace prepsim::ops {

// firstx: each list cut to its first min(x, len) ids. Requires x >= 0 (check_firstx_x); x == 0 empties every list.
// Runs of lists shorter than x are copied with one memcpy.
void firstx(JaggedView in, std::int64_t x, Jagged& out);

// ngram: with n' = min(n, len), the len - n' + 1 windows of n' consecutive ids of each list, flattened window
// after window (so a list shorter than n yields itself; an empty list yields nothing). Output length per list:
// ngram_output_length(len, n) = (len - n' + 1) * n', 0 for len == 0. Requires n >= 1 (check_ngram_n) and every
// output length <= INT32_MAX (check_ngram_output).
void ngram(JaggedView in, std::int64_t n, Jagged& out);
std::int64_t ngram_output_length(std::int64_t len, std::int64_t n);

// mapid: out[i] = map[v] when 0 <= v < len(map), else 0 (negative ids and an empty map give 0).
void mapid(std::span<const std::int64_t> in, std::span<const std::int64_t> map, std::span<std::int64_t> out);

// clamp on ids: out[i] = lo if v < lo, hi if v > hi, else v. Requires lo <= hi.
void clamp(std::span<const std::int64_t> in, std::span<std::int64_t> out, std::int64_t lo, std::int64_t hi);

// Parameter checks: "" when valid, otherwise the reason.
std::string check_firstx_x(std::int64_t x);
std::string check_ngram_n(std::int64_t n);
std::string check_ngram_output(std::span<const std::int32_t> lengths, std::int64_t n);

}  // namespace prepsim::ops
