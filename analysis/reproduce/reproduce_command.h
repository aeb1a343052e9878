// `prepsim reproduce STUDY [--json] [-j N] [-o DIR] [--no-search]`: runs a published study's shipped scenarios in
// child processes and prints, for each headline number, the paper's value, prepsim's, their ratio and whether the
// row was a fit target. Studies: presto (scenarios/presto/, docs/presto.md).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace prepsim::analysis {

int run_reproduce_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace prepsim::analysis
