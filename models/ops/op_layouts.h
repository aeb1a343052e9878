// Adapters from run_op's buffers (OpInput, OpOutput) to the typed kernels, one per way an op reads and writes
// (Layout, models/op_registry.h). The op table's rows (op_table.cpp) write each kernel and reference as one call of
// these with the typed function, e.g. dense_values(in, out, [&](auto x, auto y) { log_offset(x, y, p.offset); }).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "models/ops/kjt.h"
#include "models/ops/run_op.h"

namespace prepsim::ops::layouts {

// The input's null mask; all zeros (in `zeros`) when it has none.
std::span<const std::uint8_t> mask_or_zeros(const OpInput& in, std::vector<std::uint8_t>& zeros);

// DenseToDense, one value out per value in, the null mask kept: f(values, out).
template <class F>
void dense_values(const OpInput& in, OpOutput& out, F f) {
  out.dense.resize(in.dense.size());
  f(in.dense, std::span<float>(out.dense));
  if (in.nulls.empty()) {
    out.nulls.assign(in.dense.size(), 0);
  } else {
    out.nulls.assign(in.nulls.begin(), in.nulls.end());
  }
}

// DenseToLists, one id per value: f(values, ids); a null value's list is then emptied.
template <class F>
void dense_to_lists(const OpInput& in, OpOutput& out, F f) {
  const std::size_t rows = in.dense.size();
  std::vector<std::int64_t>& ids = out.sparse.values;
  ids.resize(rows);
  f(in.dense, std::span<std::int64_t>(ids));
  out.sparse.lengths.assign(rows, 1);
  if (in.nulls.empty()) return;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    const bool keep = in.nulls[i] == 0;
    out.sparse.lengths[i] = keep ? 1 : 0;
    ids[kept] = ids[i];
    kept += keep ? 1 : 0;
  }
  ids.resize(kept);
}

// ListsToLists, one id out per id in, the lists kept: f(ids, out).
template <class F>
void id_values(const OpInput& in, OpOutput& out, F f) {
  out.sparse.lengths.assign(in.sparse.lengths.begin(), in.sparse.lengths.end());
  out.sparse.values.resize(in.sparse.values.size());
  f(in.sparse.values, std::span<std::int64_t>(out.sparse.values));
}

// FeaturesTo*: in.sparse split into in.keys features of equal list counts, named "f0", "f1", ... in `names`.
std::vector<FeatureLists> features_of(const OpInput& in, std::vector<std::string>& names);

}  // namespace prepsim::ops::layouts
