// Plain scalar reference implementations of every kernel: one element (or one list) at a time, written the natural
// way (branches, std::lower_bound, `%`, push_back, a std::map for dedup). They define the expected output in the
// property tests (the optimized kernels must return the same bits) and are the "scalar reference" rows of
// kernels_bench. Same semantics and preconditions as the optimized functions of the same name.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "models/data/columnar.h"
#include "models/ops/jagged.h"

namespace prepsim::ops::reference {

std::int64_t sigrid_hash_one(std::int64_t x, std::int64_t salt, std::int64_t max);
void sigrid_hash(std::span<const std::int64_t> in, std::span<std::int64_t> out, std::int64_t salt, std::int64_t max);

// A branchy std::lower_bound per value (the natural binary search).
void bucketize(std::span<const float> x, std::span<const float> borders, std::span<std::int64_t> out);
// The definition itself: the first border >= x, scanning from the left.
std::int64_t bucketize_linear(float x, std::span<const float> borders);

// fast_log's math written with frexp and if/else, one value at a time.
float log_scalar(float x);

void log_offset(std::span<const float> x, std::span<float> out, float offset);
void logit(std::span<const float> x, std::span<float> out, float eps);
void boxcox(std::span<const float> x, std::span<float> out, float lambda);
void fill_null(std::span<const float> x, std::span<const std::uint8_t> nulls, std::span<float> out, float value);
void clamp(std::span<const float> x, std::span<float> out, float lo, float hi);
void onehot(std::span<const float> x, std::span<const std::uint8_t> nulls, std::span<float> out, float lower,
            float upper, std::int64_t n);

void firstx(JaggedView in, std::int64_t x, Jagged& out);
void ngram(JaggedView in, std::int64_t n, Jagged& out);
void mapid(std::span<const std::int64_t> in, std::span<const std::int64_t> map, std::span<std::int64_t> out);
void clamp(std::span<const std::int64_t> in, std::span<std::int64_t> out, std::int64_t lo, std::int64_t hi);

void lengths_to_offsets(std::span<const std::int32_t> lengths, std::span<std::int64_t> offsets);
void offsets_to_lengths(std::span<const std::int64_t> offsets, std::span<std::int32_t> lengths);
// keys[k] with lists[k] (one Jagged per feature, one list per sample).
data::KeyedJaggedTensor to_kjt(const std::vector<std::string>& keys, const std::vector<Jagged>& lists);
data::InverseKJT dedup(const data::KeyedJaggedTensor& kjt);
data::KeyedJaggedTensor expand(const data::InverseKJT& ikjt);

}  // namespace prepsim::ops::reference
