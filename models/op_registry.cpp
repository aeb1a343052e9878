#include "models/op_registry.h"

#include <algorithm>
#include <cmath>

namespace prepsim {
namespace {
using T = CostTerm;
const std::vector<CostTerm> kDefault = {T::Constant, T::Rows, T::Elements};
}  // namespace

std::string_view to_string(CostTerm term) {
  switch (term) {
    case T::Constant: return "constant";
    case T::Rows: return "rows";
    case T::Elements: return "elements";
    case T::OutputElements: return "output_elements";
    case T::ElementsLog2Borders: return "elements_log2_borders";
    case T::Lists: return "lists";
    case T::Columns: return "columns";
    case T::StoredBytes: return "stored_bytes";
    case T::RawBytes: return "raw_bytes";
  }
  return "?";
}

bool parse_cost_term(std::string_view name, CostTerm* out) {
  for (T t : {T::Constant, T::Rows, T::Elements, T::OutputElements, T::ElementsLog2Borders, T::Lists, T::Columns,
              T::StoredBytes, T::RawBytes}) {
    if (to_string(t) == name) {
      *out = t;
      return true;
    }
  }
  return false;
}

double term_value(CostTerm term, const OpWork& w) {
  switch (term) {
    case T::Constant: return 1.0;
    case T::Rows: return w.rows;
    case T::Elements: return w.elements;
    case T::OutputElements: return w.output_elements;
    case T::ElementsLog2Borders: return w.elements * std::log2(w.borders + 1.0);
    case T::Lists: return w.lists;
    case T::Columns: return w.columns;
    case T::StoredBytes: return w.stored_bytes;
    case T::RawBytes: return w.raw_bytes;
  }
  return 0.0;
}

double stage_seconds_alone(const OpInfo& op, double compute_s, double memory_bytes, double bytes_per_s) {
  const double traffic_s = bytes_per_s > 0 ? memory_bytes / bytes_per_s : 0.0;
  if (op.traffic_in_cost) return std::max(compute_s, traffic_s);
  const double both = compute_s + traffic_s;
  return both > 0 ? compute_s + traffic_s * traffic_s / both : 0.0;  // the compute's share of the traffic overlaps
}

const std::vector<OpInfo>& all_ops() {
  static const std::vector<OpInfo> ops = {
      {"read", Domain::Bytes, Domain::Bytes, {}, {T::Constant}, "storage -> memory (a disk read; no CPU cost)"},
      // zstd inflates two frames per column (table set-up), decodes the stored bytes and writes the raw ones
      // (measured by `prepsim calibrate`; rows and elements stay so that per-value tables still apply).
      {"decode", Domain::Bytes, Domain::Any, {},
       {T::Constant, T::Rows, T::Elements, T::Columns, T::StoredBytes, T::RawBytes},
       "decompress + columnar decode of a chunk", true},
      // One length and offset per list of every feature in the batch: its time follows lists, not only rows.
      {"to_kjt", Domain::Any, Domain::Any, {}, {T::Constant, T::Rows, T::Elements, T::Lists},
       "build the KeyedJaggedTensor of a batch"},
      // One hash per list, one gather per list of a unique row: its time follows lists, not only rows.
      {"dedup", Domain::Sparse, Domain::Sparse, {}, {T::Constant, T::Rows, T::Elements, T::Lists},
       "build an inverse KJT: unique rows + inverse index", true},
      {"bucketize", Domain::Dense, Domain::Sparse, {"borders"},
       {T::Constant, T::Rows, T::Elements, T::ElementsLog2Borders}, "smallest i with x <= borders[i]"},
      {"ngram", Domain::Sparse, Domain::Sparse, {"n"}, {T::Constant, T::Rows, T::Elements, T::OutputElements},
       "sliding windows of n consecutive ids"},
      {"mapid", Domain::Sparse, Domain::Sparse, {"map"}, kDefault, "map[v] if v < len(map), else 0"},
      {"onehot", Domain::Dense, Domain::Dense, {"lower", "upper", "n"},
       {T::Constant, T::Rows, T::Elements, T::OutputElements}, "n floats, 1.0 at the value's bin"},
      {"sigrid_hash", Domain::Sparse, Domain::Sparse, {"salt", "max"}, kDefault, "salted hash into [0, max)"},
      // Its time follows the ids it copies, not the ids it skips (measured by `prepsim calibrate`).
      {"firstx", Domain::Sparse, Domain::Sparse, {"x"}, {T::Constant, T::Rows, T::OutputElements},
       "first min(x, len) ids of each list"},
      {"clamp", Domain::Any, Domain::Any, {"lo", "hi"}, kDefault, "clamp each value to [lo, hi]"},
      {"log", Domain::Dense, Domain::Dense, {"offset"}, kDefault, "log(x + offset)"},
      {"logit", Domain::Dense, Domain::Dense, {"eps"}, kDefault, "log(x / (1 - x)) after clamping to [eps, 1-eps]"},
      {"boxcox", Domain::Dense, Domain::Dense, {"lambda"}, kDefault, "Box-Cox transform of positive values"},
      {"fill_null", Domain::Dense, Domain::Dense, {"value"}, kDefault, "nulls become value"},
  };
  return ops;
}

const OpInfo* find_op(std::string_view name) {
  for (const OpInfo& op : all_ops()) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

std::string op_names_joined() {
  std::string out;
  for (const OpInfo& op : all_ops()) {
    if (!out.empty()) out += ", ";
    out += op.name;
  }
  return out;
}

}  // namespace prepsim
