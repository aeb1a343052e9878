// Per-op CPU cost coefficients on a reference core: the table the cpu device model reads.
//
// It is filled either from provisional constants in the catalog or from a calibration file written by
// `prepsim calibrate`. seconds(op, work) = sum over the op's cost signature of coefficient * term(work), on one
// core of the reference machine; the cpu model scales it by the host's per-core speed index.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "models/op_registry.h"

namespace prepsim {

struct OpCostCoefficients {
  std::vector<std::pair<CostTerm, double>> terms;  // seconds per unit of each term
  double output_bytes_per_input_element = 0;       // what leaves the op per element that entered
};

struct CostTable {
  std::string source;  // where the coefficients came from (catalog entry or calibration file + provenance)
  std::map<std::string, OpCostCoefficients> ops;

  // nullptr when the table has no entry for `op`.
  const OpCostCoefficients* find(const std::string& op) const {
    auto it = ops.find(op);
    return it == ops.end() ? nullptr : &it->second;
  }
  // Seconds on one reference core; 0 for an op without an entry.
  double seconds(const std::string& op, const OpWork& work) const {
    const OpCostCoefficients* c = find(op);
    if (c == nullptr) return 0.0;
    double s = 0.0;
    for (const auto& [term, coef] : c->terms) s += coef * term_value(term, work);
    return s;
  }
};

}  // namespace prepsim
