// One way for a subcommand that parses its own arguments (`prepsim NAME ...`, registered as a prefix command in
// main.cpp) to run CLI11 over them: --help prints the command's help, a parse error is one line naming the command.
#pragma once

#include <CLI/CLI.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace prepsim::analysis {

// Parses `args` (the words after `prepsim NAME`) into `app`. Returns -1 to go on, otherwise the exit code: 0 after
// printing the help on `out`, 2 after "prepsim NAME: what is wrong (prepsim NAME --help)" on `err`.
int parse_subcommand(CLI::App& app, const std::string& name, const std::vector<std::string>& args,
                     std::ostream& out, std::ostream& err);

}  // namespace prepsim::analysis
