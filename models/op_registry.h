// The ops prepsim knows (docs/sources.md#op-semantics plus the I/O and format ops of docs/ops.md), what each takes
// and produces, its parameters, and the cost signature its CPU cost is fitted to.
//
// A cost signature is the list of terms an op's time is linear in: seconds = sum_k coefficient_k * term_k(work).
// The default is a + b*rows + c*elements; bucketize adds elements*log2(borders + 1); onehot and ngram count
// output elements; dedup counts the lists it hashes and gathers; decode counts the columns it inflates (two zstd
// frames each) and the bytes it decompresses from and to (docs/calibration.md). The provisional catalog constants
// and the calibration fit both use these terms.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace prepsim {

// What an op reads or writes.
enum class Domain { Dense, Sparse, Any, Bytes };

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

struct OpInfo {
  std::string_view name;
  Domain input;
  Domain output;
  std::vector<std::string_view> params;  // parameter names as in docs/sources.md#op-semantics
  std::vector<CostTerm> signature;
  std::string_view summary;
  // Whether the op's calibrated cost already includes its memory traffic at chunk sizes (its calibration grid
  // reaches whole chunks, out of the caches: decode, dedup). Then a stage takes the longer of its compute c and its
  // traffic m (they overlap). Other ops are calibrated in cache, and out of the caches only part of their traffic
  // hides behind their compute: the compute's share c / (c + m) of it, the rest adds, so a stage takes
  // c + m^2 / (c + m): c for a compute-bound op, c + m for a streaming one (docs/cpu-model.md; on the validation
  // pipelines, full overlap made to_kjt, fill_null and log 30-60% fast and none made sigrid_hash 30-50% slow).
  bool traffic_in_cost = false;
};

// The seconds of one stage on one core alone, from its compute seconds and its memory traffic at `bytes_per_s`
// (one core's memory bandwidth), by the rule above.
double stage_seconds_alone(const OpInfo& op, double compute_s, double memory_bytes, double bytes_per_s);

// Every known op, in a fixed order.
const std::vector<OpInfo>& all_ops();
// nullptr when `name` is not an op.
const OpInfo* find_op(std::string_view name);
// "read, decode, ..." for error messages.
std::string op_names_joined();

}  // namespace prepsim
