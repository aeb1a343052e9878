// One entry point for every kernel op: what `prepsim op`, calibration and validation call when they hold an op
// (its op-table row, models/op_registry.h) and an OpParams rather than a specific function. Ops: the rows that
// have a kernel, i.e. all but `read` and `decode`. The call goes to the row's kernel or reference.
//
// Input and output by the row's Layout (op_layouts.h has the adapters the rows' kernels use):
//   DenseToDense    out.dense has one value per input value and out.nulls the input's mask (a missing input mask
//                   means no nulls); an op may write several values per input value (onehot: rows * n floats,
//                   row-major, a null row all zeros, out.nulls empty) or clear the mask (fill_null);
//   DenseToLists    out.sparse: one list per value, [id] for a value, [] for a null (bucketize);
//   ListsToLists    out.sparse, one list per input list (sigrid_hash, mapid, firstx, ngram);
//   DenseOrLists    DenseToDense when in.dense is not empty, else ListsToLists on the ids (clamp);
//   FeaturesToKjt   in.sparse holds in.keys features one after the other (same number of lists each): out.kjt
//                   with keys "f0", "f1", ... (to_kjt);
//   FeaturesToInverseKjt  in.sparse as above: out.ikjt (rows = samples, one row spans all keys) (dedup).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "models/data/columnar.h"
#include "models/op_registry.h"
#include "models/ops/jagged.h"
#include "models/ops/op_params.h"

namespace prepsim::ops {

struct OpInput {
  std::span<const float> dense;
  std::span<const std::uint8_t> nulls;  // empty: no nulls; otherwise one per dense value
  JaggedView sparse;
  std::int64_t keys = 1;  // to_kjt, dedup: number of features in `sparse`
};

struct OpOutput {
  std::vector<float> dense;
  std::vector<std::uint8_t> nulls;
  Jagged sparse;
  data::KeyedJaggedTensor kjt;
  data::InverseKJT ikjt;
};

enum class Impl { Optimized, Reference };

// The op-table row of `name` when it has a kernel here; nullptr for ops without one (read, decode) or unknown names.
const OpInfo* kernel_op(std::string_view name);
// True when a call of `op` on `in` reads in.dense (Layout DenseToDense, DenseToLists, or DenseOrLists given dense
// values).
bool reads_dense(const OpInfo& op, const OpInput& in);


// "" when run_op(op, params, in, ...) may run: `op` has a kernel, valid parameters and consistent input shapes.
std::string check_op_call(const OpInfo& op, const OpParams& params, const OpInput& in);

// Runs the optimized kernel (or the scalar reference) of `op`. Requires check_op_call(op, params, in) == "".
// `out`'s buffers are reused across calls; fields the op does not produce are left as they were.
void run_op(const OpInfo& op, const OpParams& params, const OpInput& in, OpOutput& out,
            Impl impl = Impl::Optimized);

}  // namespace prepsim::ops
