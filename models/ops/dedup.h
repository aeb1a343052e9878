// dedup and expand: KeyedJaggedTensor <-> InverseKJT (RecD, docs/sources.md#recd; data/columnar.h).
//
// dedup keeps one copy of each distinct row, where a row is the tuple of lists of all keys of the KJT for one
// sample (so features deduplicated together share one inverse index). Unique rows are numbered in order of first
// appearance, which makes the result deterministic and equal to the reference's. expand(dedup(kjt)) == kjt, exactly
// (keys, values, lengths, offsets, stride).
//
// The kernel hashes every row in one feature-major pass (the order the values sit in memory), then inserts the
// rows into an open-addressing table, comparing full rows only when hashes match.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/data/columnar.h"

namespace prepsim::ops {

// Buffers dedup reuses across calls (optional).
struct DedupScratch {
  std::vector<std::uint64_t> row_hash;
  std::vector<std::int32_t> table;
  std::vector<std::int32_t> representative;  // first sample of each unique row
};

// dedup
//
// Requires check_kjt(kjt) == "" (kjt.h). `out`'s vectors are reused.
void dedup(const data::KeyedJaggedTensor& kjt, data::InverseKJT& out, DedupScratch* scratch = nullptr);
data::InverseKJT dedup(const data::KeyedJaggedTensor& kjt);

// expand
//
// The KJT whose sample s is unique row inverse[s]. Requires check_inverse_kjt(ikjt) == "".
void expand(const data::InverseKJT& ikjt, data::KeyedJaggedTensor& out);
data::KeyedJaggedTensor expand(const data::InverseKJT& ikjt);

// "" when the unique KJT is valid and every inverse index is in [0, unique.stride).
std::string check_inverse_kjt(const data::InverseKJT& ikjt);

}  // namespace prepsim::ops
