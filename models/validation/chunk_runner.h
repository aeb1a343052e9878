// One worker's run of a pipeline plan (pipeline_plan.h) over one chunk file: read(2) the file, decode_chunk, then
// each stage's kernel on the columns the plan gives it, timing every stage with steady_clock. The outputs stay in
// the worker's buffers until its next chunk overwrites them (so no work can be optimized away), and the last
// chunk's outputs can be hashed to check that runs and thread counts produce the same batches.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "models/data/columnar.h"
#include "models/ops/dedup.h"
#include "models/ops/kjt.h"
#include "models/ops/run_op.h"
#include "models/validation/pipeline_plan.h"

namespace prepsim::validation {

// What one stage keeps between chunks: its outputs (the buffers are reused from chunk to chunk).
struct StageBuffers {
  std::vector<ops::OpOutput> per_feature;  // Dense
  ops::OpOutput group;                     // Sparse
  data::KeyedJaggedTensor kjt;             // Dedup input
  data::InverseKJT ikjt;                   // Dedup output
  ops::DedupScratch scratch;
  std::vector<float> dense;                // ToKjt: the dense matrix, feature-major
  data::KeyedJaggedTensor batch;           // ToKjt: the batch KJT
};

// One per pool thread, reused for every chunk it takes; the counters cover the current pass.
struct Worker {
  std::vector<std::uint8_t> bytes;  // the file, as read
  data::ColumnarBatch decoded;
  std::vector<StageBuffers> buffers;  // by plan index
  std::vector<ops::FeatureLists> lists;  // to_kjt's scratch
  std::vector<std::int64_t> stage_ns;  // by plan index, this pass
  std::int64_t busy_ns = 0;
  std::int64_t rows = 0;
  std::uint64_t bytes_read = 0;
  std::uint64_t output_values = 0;
};

// Reads the file `path` whole into `buffer` (open, fstat, read(2) until done; the buffer's capacity is reused).
// Throws std::runtime_error when it cannot.
void read_chunk_bytes(const std::string& path, std::vector<std::uint8_t>& buffer);

// Sizes the worker's buffers for `plan` and zeroes its counters.
void reset_worker(const PipelinePlan& plan, Worker& w);

// Runs the whole plan on the chunk file `path`, adding to the worker's counters (stage_ns by plan index: read is
// stage 0, decode stage 1). Throws std::runtime_error when the file cannot be read, data::ChunkFormatError when it
// is corrupt.
void process_chunk(const PipelinePlan& plan, const std::string& path, Worker& w);

// Order-sensitive 64-bit hash of every output the worker holds (every stage's buffers), i.e. of its last chunk.
std::uint64_t chunk_checksum(const Worker& w);
// Hash of a sequence of checksums, in order.
std::uint64_t combine_checksums(const std::vector<std::uint64_t>& sums);

}  // namespace prepsim::validation
