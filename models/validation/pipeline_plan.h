// How `prepsim validate` runs a scenario's DAG for real: which kernel each stage calls, on which columns, reading
// whose output. The plan is built once per scenario; every worker then runs it on every chunk (real_pipeline.h).
//
// Rules (docs/validation.md):
//   - read and decode come first (the file bytes, then decode_chunk of every column); other whole-chunk stages
//     than to_kjt have no kernel and are refused.
//   - A group stage works on the first `count` features of its group. Its input is the output of its nearest
//     ancestor (following `after`, breadth first) that works on the same group, produces that group's kind of
//     values (dense values for a dense group, lists for a sparse group: not bucketize nor onehot) and covers at
//     least `count` features; with no such ancestor, the decoded columns. dedup is never an input: a stage after
//     dedup reads what dedup read (the model counts every element for stages after dedup too).
//   - Dense kernels run once per feature column; sparse kernels once over the group's `count` features (their
//     lists are contiguous in the KJT); dedup copies its lists into a KJT and calls ops::dedup.
//   - to_kjt packs, among its ancestors, every output no other stage reads (its leaves) into the batch: dense
//     outputs into one feature-major float matrix, lists (bucketize and sparse outputs) into one KJT; decoded
//     features no ancestor touches pass through. dedup outputs stay as they are (InverseKJT) in the batch.
//   - Parameters come from the stage. bucketize `borders: N` becomes N sorted borders drawn from the dense value
//     distribution (scenario_data.h) with the stream (seed, "borders/<stage>"); an explicit list in the scenario is
//     used as written. mapid `map: N` becomes a deterministic table of N ids in [0, N).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/ops/op_params.h"
#include "models/ops/run_op.h"
#include "models/scenario.h"

namespace prepsim::validation {

enum class StageKind { Read, Decode, Dense, Sparse, Dedup, ToKjt };

struct PlannedStage {
  std::string name;  // the scenario stage's name (or "read" / "decode" when the scenario has none)
  std::string op;
  StageKind kind = StageKind::Read;
  const OpInfo* kernel = nullptr;  // Dense, Sparse and Dedup stages: the op's row (its kernel)
  ops::OpParams params;
  int first = 0;        // the group's first feature among the batch's dense columns (Dense) or KJT keys (Sparse, Dedup)
  int count = 0;        // features the stage works on
  int source = -1;      // plan index of the stage whose output is the input; -1: the decoded columns
  bool consumed = false;  // another stage reads this stage's output
  bool list_output = false;  // Dense stages: the output is lists (bucketize)
  // to_kjt only: the leaves it packs (plan indices, plan order) and the decoded features no ancestor touches.
  std::vector<int> leaves;
  std::vector<int> passthrough_dense;   // dense column indices
  std::vector<int> passthrough_sparse;  // KJT key indices
  std::vector<std::string> kjt_keys;    // keys of the batch KJT, in packing order
  std::vector<std::string> dedup_keys;  // dedup only: the keys of its KJT
};

struct PipelinePlan {
  std::vector<PlannedStage> stages;  // read, decode, then the other stages in topological order
  std::int64_t rows_per_chunk = 0;
  int dense_columns = 0;  // in a decoded chunk
  int sparse_keys = 0;
};

// Throws std::invalid_argument for a stage this runner cannot execute (an unknown op without a kernel, a whole-chunk
// op other than read, decode, to_kjt) and InputError from the DAG check.
PipelinePlan plan_pipeline(const Scenario& scenario);

// `count` borders, non-decreasing, drawn from lognormal(kDenseMu, kDenseSigma) with the stream (seed, "borders/<name>").
std::vector<float> make_borders(int count, std::uint64_t seed, const std::string& name);

}  // namespace prepsim::validation
