// Jagged lists of ids, the shape every sparse kernel reads and writes: `values` concatenated, `lengths` one per
// list. A KeyedJaggedTensor is one such list set (keys * stride lists, feature-major), so a sparse op on a whole
// KJT is the op on its values and lengths. Also the lengths <-> offsets conversions of docs/sources.md#torchrec-kjt:
// lengths [2,0,1,1,1,3] <-> offsets [0,2,2,3,4,5,8] (offsets has one more entry, offsets[0] = 0).
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

namespace prepsim::ops {

// Read-only view of jagged lists; valid when sum(lengths) == values.size() and no length is negative.
struct JaggedView {
  std::span<const std::int64_t> values;
  std::span<const std::int32_t> lengths;
};

// Owned jagged lists (what list kernels write). Reusing one across calls keeps its capacity.
struct Jagged {
  std::vector<std::int64_t> values;
  std::vector<std::int32_t> lengths;

  JaggedView view() const { return {values, lengths}; }
  bool operator==(const Jagged&) const = default;
};

// Copies `count` ids; short copies (the common list length is a handful of ids) skip the memcpy call.
inline void copy_ids(std::int64_t* dst, const std::int64_t* src, std::size_t count) {
  if (count <= 4) {
    for (std::size_t j = 0; j < count; ++j) dst[j] = src[j];
  } else {
    std::memcpy(dst, src, count * sizeof(std::int64_t));
  }
}

// "" when `lengths` are >= 0 and add up to `value_count`, otherwise what is wrong.
std::string check_jagged(std::size_t value_count, std::span<const std::int32_t> lengths);
// "" when offsets start at 0, never decrease, and each difference fits int32; otherwise what is wrong.
std::string check_offsets(std::span<const std::int64_t> offsets);

// offsets[0] = 0, offsets[i + 1] = offsets[i] + lengths[i]. Requires offsets.size() == lengths.size() + 1.
void lengths_to_offsets(std::span<const std::int32_t> lengths, std::span<std::int64_t> offsets);
// lengths[i] = offsets[i + 1] - offsets[i]. Requires lengths.size() + 1 == offsets.size() and valid offsets.
void offsets_to_lengths(std::span<const std::int64_t> offsets, std::span<std::int32_t> lengths);

// Convenience forms that size the result.
std::vector<std::int64_t> lengths_to_offsets(std::span<const std::int32_t> lengths);
std::vector<std::int32_t> offsets_to_lengths(std::span<const std::int64_t> offsets);

}  // namespace prepsim::ops
