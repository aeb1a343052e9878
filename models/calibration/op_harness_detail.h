// Internals of the calibration harnesses (op_harness.cpp, op_harness_ops.cpp): the input builder shared by all
// harnesses and one factory per kind of op. Not for use outside models/calibration.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "models/calibration/op_harness.h"
#include "models/data/columnar.h"
#include "models/data/dataset_spec.h"

namespace prepsim::calibration::detail {

// Byte sizes of the output structures, for output_bytes().
inline constexpr double kFloatBytes = 4;
inline constexpr double kNullFlagBytes = 1;
inline constexpr double kIdBytes = 8;      // int64 id
inline constexpr double kLengthBytes = 4;  // int32 list length
inline constexpr double kOffsetBytes = 8;  // int64 KJT offset

// Synthetic inputs for a grid point from the data generator (models/data/generator.h), seeded by the arguments:
// `dense` float columns (lognormal(0, 1), 10% nulls) and `sparse` id-list features in one group (Poisson lengths
// of mean `mean_length`, Zipf(1.05) ids in [0, cardinality), the given duplication), `rows` samples.
data::ColumnarBatch make_inputs(std::int64_t rows, int dense, int sparse, double mean_length,
                                std::int64_t cardinality, double duplication = 0.0);

// The op through ops::run_op (models/ops/run_op.h), the entry point validation also calls: what every op with a
// kernel and no harness of its own is timed with.
std::unique_ptr<OpHarness> make_run_op_harness(const OpInfo& op);
// dedup: ops::dedup on a prepared KJT with reused scratch (run_op's dedup also rebuilds the KJT first).
std::unique_ptr<OpHarness> make_dedup_harness();
// decode: data::decode_chunk of an encoded chunk file in memory.
std::unique_ptr<OpHarness> make_decode_harness();

// Shape of multi-feature ops: to_kjt and dedup see `param` features (their grids' features axis) of mean list
// length `width`, dedup's at duplication kDedupDuplication.
inline constexpr double kDedupDuplication = 0.5;

// decode's chunks: the grid point's `param` indexes decode_shapes(), `width` is the mean list length and `rows` the
// chunk's rows. Values and ids follow the data model scenario datasets are generated with (scenario_data.h):
// decode's time depends on how the data compresses, so it is measured on that data.
struct DecodeShape {
  int dense = 0;              // dense columns
  int sparse = 0;             // sparse features (one group)
  bool fixed_lengths = false;  // every list has the mean length (else Poisson)
  double duplication = 0;     // of the sparse group (session-clustered repeats compress well)
};
const std::vector<DecodeShape>& decode_shapes();
// The DatasetSpec of one decode grid point.
data::DatasetSpec decode_spec(const GridPoint& point);
// decode's grid: rows x mean list length x shape, at chunk sizes; the quick grid takes a few small chunks of the
// first shapes.
std::vector<GridPoint> decode_points(bool quick);
// The expected work of a decode grid point (its stored bytes are known once the chunk is encoded).
void decode_nominal_work(OpWork& work, const GridPoint& point);

}  // namespace prepsim::calibration::detail
