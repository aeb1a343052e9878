// The ops prepsim knows (FACTS.md section 5 plus the I/O and format ops of DESIGN.md section 2), what each takes
// and produces, its parameters, and the cost signature its CPU cost is fitted to.
//
// A cost signature is the list of terms an op's time is linear in: seconds = sum_k coefficient_k * term_k(work).
// The default is a + b*rows + c*elements; bucketize adds elements*log2(borders + 1); onehot and ngram count
// output elements. The provisional catalog constants and the calibration fit both use these terms.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace prepsim {

// What an op reads or writes.
enum class Domain { Dense, Sparse, Any, Bytes };

enum class CostTerm { Constant, Rows, Elements, OutputElements, ElementsLog2Borders };

std::string_view to_string(CostTerm term);
// Parses "constant", "rows", "elements", "output_elements", "elements_log2_borders"; false when unknown.
bool parse_cost_term(std::string_view name, CostTerm* out);

// The work of one op call: one stage over one chunk (all features of its group together).
struct OpWork {
  double rows = 0;             // samples in the chunk
  double elements = 0;         // input values (dense: rows * features; sparse: sum of list lengths)
  double output_elements = 0;  // output values
  double borders = 0;          // bucketize borders per feature
};

double term_value(CostTerm term, const OpWork& work);

struct OpInfo {
  std::string_view name;
  Domain input;
  Domain output;
  std::vector<std::string_view> params;  // parameter names as in FACTS.md section 5
  std::vector<CostTerm> signature;
  std::string_view summary;
};

// Every known op, in a fixed order.
const std::vector<OpInfo>& all_ops();
// nullptr when `name` is not an op.
const OpInfo* find_op(std::string_view name);
// "read, decode, ..." for error messages.
std::string op_names_joined();

}  // namespace prepsim
