#include "models/op_registry.h"

#include <algorithm>
#include <cmath>

namespace prepsim {
namespace {
using T = CostTerm;
}  // namespace

double ShapeIn::param(const char* name) const {
  if (params == nullptr) return 0.0;
  auto it = params->find(name);
  return it == params->end() ? 0.0 : it->second;
}

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
