// The op table: one row (OpInfo) per op prepsim knows, and the only description of that op. A row gives its name
// and semantics, its parameters and their check, its kernel and scalar reference, the shape of its output as the
// model counts it, its cost signature, its calibration grid, and its `prepsim op` example. The rows are written in
// models/ops/op_table.cpp; everything else (run_op, the model, calibration, `prepsim op`, the property tests)
// reads them. docs/ops.md "How to add an op" says what a new row needs.
//
// A cost signature is the list of terms an op's time is linear in: seconds = sum_k coefficient_k * term_k(work).
// The default is a + b*rows + c*elements; bucketize adds elements*log2(borders + 1); onehot and ngram count
// output elements; dedup counts the lists it hashes and gathers; decode counts the columns it inflates (two zstd
// frames each) and the bytes it decompresses from and to (docs/calibration.md). The catalog constants and the
// calibration fit both use these terms.
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace prepsim {

namespace ops {
struct OpParams;
struct OpInput;
struct OpOutput;
}  // namespace ops
namespace calibration {
struct GridPoint;
class OpHarness;
}  // namespace calibration

// What an op reads or writes.
enum class Domain { Dense, Sparse, Any, Bytes };

// What one stage of the op works on: one feature group of the chunk (dense or sparse, by the op's input domain),
// the batch as the stages before it left it (to_kjt), or the whole stored chunk (read, decode).
enum class Scope { Group, Batch, Chunk };

// How the kernel takes its input and gives its output (the buffers of models/ops/run_op.h).
enum class Layout {
  None,                  // no kernel in models/ops (read, decode)
  DenseToDense,          // in.dense (+ in.nulls) -> out.dense (+ out.nulls)
  DenseToLists,          // in.dense (+ in.nulls) -> out.sparse, one list per value ([] for a null)
  ListsToLists,          // in.sparse -> out.sparse
  DenseOrLists,          // DenseToDense when given dense values, else ListsToLists
  FeaturesToKjt,         // in.sparse holds in.keys features one after the other -> out.kjt
  FeaturesToInverseKjt,  // as FeaturesToKjt -> out.ikjt (a row spans all keys of one sample)
};
// DenseToDense, DenseToLists or DenseOrLists: the kernel can read dense values.
inline bool can_read_dense(Layout l) {
  return l == Layout::DenseToDense || l == Layout::DenseToLists || l == Layout::DenseOrLists;
}
// FeaturesToKjt or FeaturesToInverseKjt: the kernel takes several features at once; a row is a sample.
inline bool takes_features(Layout l) { return l == Layout::FeaturesToKjt || l == Layout::FeaturesToInverseKjt; }

enum class CostTerm { Constant, Rows, Elements, OutputElements, ElementsLog2Borders, Lists, Columns, StoredBytes,
                      RawBytes };

std::string_view to_string(CostTerm term);
// Parses "constant", "rows", "elements", "output_elements", "elements_log2_borders", "lists", "columns",
// "stored_bytes", "raw_bytes"; false when unknown.
bool parse_cost_term(std::string_view name, CostTerm* out);

// The work of one op call: one stage over one chunk (all features of its group together).
struct OpWork {
  double rows = 0;             // samples in the chunk
  double elements = 0;         // input values (dense: rows * features; sparse: sum of list lengths)
  double output_elements = 0;  // output values
  double borders = 0;          // bucketize borders per feature
  // Chunk-level counts, for the ops whose signature uses them (0 where nobody filled them in):
  double lists = 0;            // id lists the op walks: rows * sparse features it works on
  double columns = 0;          // columns of the chunk it reads (dense features + sparse features): decode
  double stored_bytes = 0;     // bytes of the chunk as stored, compressed: decode
  double raw_bytes = 0;        // uncompressed columnar bytes of the chunk (values, null masks, lengths): decode
};

double term_value(CostTerm term, const OpWork& work);

// What the model knows of a group stage's input when it counts its output (models/workload.cpp).
struct ShapeIn {
  double elements = 0;     // input values
  double lists = 0;        // input lists (sparse groups)
  double mean_length = 0;  // sparse groups: the mean list length as the stages before left it
  double duplicated = 0;   // sparse groups: the fraction of lists that repeat another and no earlier dedup removed
  const std::map<std::string, double>* params = nullptr;  // the stage's parameters
  double param(const char* name) const;                   // 0 when the stage does not set it
};
// A stage's output as the model counts it.
struct ShapeOut {
  double output_elements = 0;
  double borders = 0;        // OpWork::borders
  double lists_removed = 0;  // lists the op drops (dedup's repeated rows)
};

// `prepsim op` example of an op: the words after `prepsim op NAME` and the exact output (a unit test).
struct OpExample {
  std::vector<std::string_view> args{};
  std::string_view output{};
};

// OpGridFacet::cap of the ops calibrated on whole chunks (decode, dedup): chunk sizes, MBs of values.
inline constexpr double kChunkSizedCap = 128;

// How `prepsim calibrate` times the op (models/calibration/op_harness.h). Grid axes: rows, width (mean list length
// or dense features), and the op's own size parameter `param` (none: one dummy value 0).
struct OpGridFacet {
  std::string_view param{};    // name of the op's size axis; "" when it has none
  std::vector<double> values{};  // its values on the full grid (the quick grid takes the first and the last)
  bool param_scales_values = false;  // the working set grows with param (features, bins)
  double cap = 1;  // the full grid keeps points of at most cap times the in-cache working set (kMaxValues)
  // The calibration parameters of a grid point of `param` (fixed ones and the grid's own); nullptr: defaults.
  void (*set_params)(ops::OpParams& params, double param) = nullptr;
  bool ids_below_param = false;  // the input ids are drawn from [0, param) (mapid: every id is in the map)
  // Corrects the expected work of a grid point (rows, elements, output_elements already set by the grid's
  // values); nullptr: one output value per input value.
  void (*nominal)(OpWork& work, const calibration::GridPoint& point) = nullptr;
  // The grid's points when it is not a product of its axes (decode: chunk shapes); nullptr: the product.
  std::vector<calibration::GridPoint> (*listed)(bool quick) = nullptr;
  // A harness of its own; nullptr: the generic one, through run_op.
  std::unique_ptr<calibration::OpHarness> (*harness)() = nullptr;
};

using OpKernel = void (*)(const ops::OpParams& params, const ops::OpInput& in, ops::OpOutput& out);

struct OpInfo {
  // What it is.
  std::string_view name{};
  std::string_view summary{};
  Domain input = Domain::Any;
  Domain output = Domain::Any;
  Scope scope = Scope::Group;
  // Its parameters (names of ops::all_params()) and their check: "" when valid, else the reason; nullptr: any
  // values are valid.
  std::vector<std::string_view> params{};
  std::string (*check)(const ops::OpParams& params) = nullptr;
  // Its kernel (the optimized one, what calibration times and validation runs) and the plain scalar reference it
  // must match bit for bit; nullptr for ops without a kernel in models/ops.
  Layout layout = Layout::None;
  OpKernel kernel = nullptr;
  OpKernel reference = nullptr;
  // A check of the input beyond its layout (sizes the kernel cannot write); nullptr: none.
  std::string (*check_input)(const ops::OpParams& params, const ops::OpInput& in) = nullptr;
  // Its output as the model counts it; nullptr: one output value per input value.
  ShapeOut (*shape)(const ShapeIn& in) = nullptr;
  bool removes_duplicates = false;  // later stages of the same features find no repeated lists (dedup)
  // Its cost.
  std::vector<CostTerm> signature{};
  bool cpu_cost = true;  // false: no CPU cost at all (read, a disk read)
  // Whether the op's calibrated cost already includes its memory traffic at chunk sizes (its calibration grid
  // reaches whole chunks, out of the caches: decode, dedup). Then a stage takes the longer of its compute c and its
  // traffic m (they overlap). Other ops are calibrated in cache, and out of the caches only part of their traffic
  // hides behind their compute: the compute's share c / (c + m) of it, the rest adds, so a stage takes
  // c + m^2 / (c + m): c for a compute-bound op, c + m for a streaming one (docs/cpu-model.md; on the validation
  // pipelines, full overlap made to_kjt, fill_null and log 30-60% fast and none made sigrid_hash 30-50% slow).
  bool traffic_in_cost = false;
  OpGridFacet grid{};
  OpExample example{};  // empty for ops without a kernel
};

// The seconds of one stage on one core alone, from its compute seconds and its memory traffic at `bytes_per_s`
// (one core's memory bandwidth), by the rule above.
double stage_seconds_alone(const OpInfo& op, double compute_s, double memory_bytes, double bytes_per_s);

// Every known op, in a fixed order (the table's).
const std::vector<OpInfo>& all_ops();
// nullptr when `name` is not an op.
const OpInfo* find_op(std::string_view name);
// "read, decode, ..." for error messages.
std::string op_names_joined();

}  // namespace prepsim
