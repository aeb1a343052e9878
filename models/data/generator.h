// The synthetic data generator: turns a DatasetSpec and a seed into columnar batches (dense columns + KJT) that
// the real kernels, the chunk files and `prepsim validate` run on. Each chunk draws from its own RNG streams
// (named "chunk/<index>/..."), so chunks can be generated independently, in any order, in parallel, and the same
// (spec, seed, index) always gives the same batch. Distributions and the session/duplication model are described
// in docs/data.md.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "models/data/columnar.h"
#include "models/data/dataset_spec.h"

namespace prepsim::data {

// One chunk of spec.rows_per_chunk samples. Validates the spec (std::invalid_argument).
// Dense columns are in dense_feature_names(spec) order; the KJT keys in sparse_feature_names(spec) order.
ColumnarBatch generate_chunk(const DatasetSpec& spec, std::uint64_t seed, std::int64_t chunk_index);

// The realized duplication of a group of KJT keys: 1 - unique rows / rows, a row being the tuple of the lists of
// all `keys` for one sample (compared exactly). Throws std::invalid_argument if a key is missing.
double measure_duplication(const KeyedJaggedTensor& kjt, std::span<const std::string> keys);

// Session starts of a chunk (1 where a new session begins; sample 0 always does), as generate_chunk uses them.
std::vector<std::uint8_t> session_starts(const DatasetSpec& spec, std::uint64_t seed, std::int64_t chunk_index);

}  // namespace prepsim::data
