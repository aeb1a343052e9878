// One entry point for every kernel op by name: what `prepsim op`, calibration and validation call when they hold an
// op name and an OpParams rather than a specific function. Ops: the op_registry names that have a kernel here,
// i.e. all but `read` and `decode`.
//
// Input and output shapes by op:
//   dense -> dense  (log, logit, boxcox, fill_null, clamp on dense): out.dense has one value per row and out.nulls
//                   the input's mask (all zeros after fill_null; a missing input mask means no nulls);
//   onehot          out.dense is rows * n floats, row-major (a null row is all zeros), out.nulls is empty;
//   bucketize       out.sparse: one list per row, [id] for a value, [] for a null;
//   sparse -> sparse (sigrid_hash, mapid, clamp on ids, firstx, ngram): out.sparse, one list per input list;
//   to_kjt          in.sparse holds in.keys features one after the other (same number of lists each): out.kjt
//                   with keys "f0", "f1", ...;
//   dedup           in.sparse as for to_kjt: out.ikjt (rows = samples, one row spans all keys).
// clamp works on in.dense when it is not empty, else on the ids of in.sparse.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "models/data/columnar.h"
#include "models/ops/jagged.h"
#include "models/ops/op_params.h"

namespace prepsim::ops {

enum class KernelOp {
  ToKjt,
  Dedup,
  Bucketize,
  Ngram,
  Mapid,
  Onehot,
  SigridHash,
  Firstx,
  Clamp,
  Log,
  Logit,
  Boxcox,
  FillNull,
};

// The kernel op of an op_registry name; nullopt for ops without a kernel here (read, decode) or unknown names.
std::optional<KernelOp> kernel_op(std::string_view name);
std::string_view kernel_op_name(KernelOp op);
// True when the op reads in.dense (bucketize, onehot, log, logit, boxcox, fill_null).
bool reads_dense(KernelOp op);

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

// "" when run_op(op, params, in, ...) may run: valid parameters and consistent input shapes.
std::string check_op_call(KernelOp op, const OpParams& params, const OpInput& in);

// Runs the optimized kernel (or the scalar reference) of `op`. Requires check_op_call(op, params, in) == "".
// `out`'s buffers are reused across calls; fields the op does not produce are left as they were.
void run_op(KernelOp op, const OpParams& params, const OpInput& in, OpOutput& out, Impl impl = Impl::Optimized);

}  // namespace prepsim::ops
