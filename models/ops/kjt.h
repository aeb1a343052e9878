// to_kjt: builds the KeyedJaggedTensor of a batch (docs/sources.md#torchrec-kjt, data/columnar.h) from per-feature
// lists, and checks a KJT's invariants. A KJT's values are feature-major then sample; lengths hold keys * stride
// entries; offsets are their prefix sums (keys * stride + 1 entries, starting at 0).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "models/data/columnar.h"
#include "models/ops/jagged.h"

namespace prepsim::ops {

// One sparse feature of a batch: its name and one list per sample.
struct FeatureLists {
  std::string_view key;
  JaggedView lists;
};

// "" when every feature has the same number of lists and consistent values/lengths, otherwise what is wrong.
std::string check_to_kjt(std::span<const FeatureLists> features);

// to_kjt
//
// Concatenates the features (in the given order) into `out`: keys, values, lengths, offsets, stride = lists per
// feature (0 when there are no features). `out`'s vectors are reused. Requires check_to_kjt(features) == "".
void to_kjt(std::span<const FeatureLists> features, data::KeyedJaggedTensor& out);
data::KeyedJaggedTensor to_kjt(std::span<const FeatureLists> features);

// Convenience for tests and the command line: lists[k][s] is the list of feature keys[k] for sample s.
data::KeyedJaggedTensor to_kjt(const std::vector<std::string>& keys,
                               const std::vector<std::vector<std::vector<std::int64_t>>>& lists);

// "" when lengths.size() == keys * stride, offsets are the prefix sums of lengths and values.size() == the sum.
std::string check_kjt(const data::KeyedJaggedTensor& kjt);

// The KJT's values and lengths as jagged lists (keys * stride lists, feature-major).
inline JaggedView jagged_of(const data::KeyedJaggedTensor& kjt) { return {kjt.values, kjt.lengths}; }

// The list of feature `key` for sample `sample`.
std::span<const std::int64_t> kjt_list(const data::KeyedJaggedTensor& kjt, std::size_t key, std::size_t sample);

}  // namespace prepsim::ops
