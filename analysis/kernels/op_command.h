// `prepsim op`: runs one real preprocessing kernel on values typed on the command line, to check an op's semantics
// by hand (docs/sources.md#op-semantics; docs/ops.md).
//
//   prepsim op NAME [--PARAM value ...] [--] VALUES...
//   prepsim op sigrid_hash --salt 0 --max 100 -- 1 2 3 5 8 10 11     prints  60 54 54 4 67 2 25
//
// Flags are the op's parameters (its op-table row, models/op_registry.h); lists are written [1,2,3]. VALUES are numbers, `null` for
// a missing dense value, or lists in brackets (one list per sample for list ops, to_kjt and dedup). Negative
// values work after `--` and anywhere a flag is not expected. Output: the result on stdout, space-separated, one
// line per input list (onehot: one line per value; to_kjt and dedup: labelled lines). `prepsim op --help` and
// `prepsim op NAME --help` list the ops, their parameters and defaults, and the row's example.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace prepsim::analysis {

// `args` are the words after `prepsim op`. Returns 0 on success (and for --help), 2 on bad input: then a one-line
// error naming what is wrong and what would be valid goes to `err`, and nothing to `out`.
int run_op_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace prepsim::analysis
