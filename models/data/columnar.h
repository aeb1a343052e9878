// Columnar batch types shared by the real kernels, the synthetic generator, the chunk files and validation.
//
// A batch holds `rows` samples:
//   - dense features as float32 columns, each with a null mask (1 = null);
//   - sparse features as a KeyedJaggedTensor (TorchRec layout, docs/sources.md#torchrec-kjt): `values`
//     feature-major then sample, `lengths` one per (feature, sample), `offsets` their prefix sums
//     (size keys*stride + 1), `stride` = rows;
//   - deduplicated sparse features as an InverseKJT: the unique rows of a group of features plus, per sample, the
//     index of its unique row.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace prepsim::data {

struct DenseColumn {
  std::string name;
  std::vector<float> values;        // size == rows; the value under a null is unspecified
  std::vector<std::uint8_t> nulls;  // size == rows; 1 where the value is null
};

struct KeyedJaggedTensor {
  std::vector<std::string> keys;     // feature names
  std::vector<std::int64_t> values;  // feature-major, then sample
  std::vector<std::int32_t> lengths;  // keys.size() * stride entries
  std::vector<std::int64_t> offsets;  // keys.size() * stride + 1 prefix sums of lengths
  std::int64_t stride = 0;            // samples per batch

  std::size_t num_keys() const { return keys.size(); }
};

// Deduplicated KJT: per sample, `inverse[s]` is the index of its row among `unique`, a KJT whose stride is the
// number of unique rows. A row is the tuple of the lists of all keys of the group for one sample.
struct InverseKJT {
  KeyedJaggedTensor unique;
  std::vector<std::int32_t> inverse;  // size == number of samples
};

struct ColumnarBatch {
  std::int64_t rows = 0;
  std::vector<DenseColumn> dense;
  KeyedJaggedTensor sparse;
};

}  // namespace prepsim::data
