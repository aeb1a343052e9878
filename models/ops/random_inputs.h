// Seeded random inputs for the kernel tests and benchmarks: float columns with the awkward values (NaN, +-inf,
// +-0, subnormals, huge), null masks, jagged id lists and KJTs with a chosen number of distinct rows (duplication).
// Everything draws from the std::mt19937_64 it is given, so a seed fixes the data.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "models/data/columnar.h"
#include "models/ops/jagged.h"

namespace prepsim::ops::testing {

// Uniform in [lo, hi).
std::vector<float> uniform_floats(std::mt19937_64& rng, std::size_t n, float lo, float hi);

// About 1 in 8 values special (NaN, -NaN, +-inf, +-0, subnormals, the largest and smallest normals, negatives),
// the rest log-uniform positive over the whole float32 range.
std::vector<float> awkward_floats(std::mt19937_64& rng, std::size_t n);

// Each entry null with probability p.
std::vector<std::uint8_t> random_nulls(std::mt19937_64& rng, std::size_t n, double p);

// `lists` lists with lengths uniform in [0, max_len], ids uniform in [id_lo, id_hi].
Jagged random_jagged(std::mt19937_64& rng, std::size_t lists, std::int32_t max_len, std::int64_t id_lo,
                     std::int64_t id_hi);

// A KJT of `keys` features and `stride` samples whose rows are drawn from `distinct` random row templates
// (so about stride / distinct copies of each); list lengths in [0, max_len], small ids so lists collide often.
data::KeyedJaggedTensor random_kjt(std::mt19937_64& rng, std::size_t keys, std::size_t stride, std::size_t distinct,
                                   std::int32_t max_len);

}  // namespace prepsim::ops::testing
