// `prepsim run`: config -> simulate -> metrics -> reporters, in a straight line. With an output directory it
// writes the resolved scenario (reruns to the same result), report.json and the CSV tables, and only after the
// run succeeded, so bad input leaves nothing behind.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace prepsim::analysis {

struct RunArgs {
  std::string scenario;                // empty: the shipped default scenario
  std::string out_dir;                 // empty: console only
  std::vector<std::string> overrides;  // key.path=value
  std::int64_t seed = -1;              // >= 0 overrides the scenario's seed
  std::vector<std::string> cfg;        // SimGrid --cfg items
  bool force = false;                  // run even when estimated to take hours
};

// The shipped default scenario.
std::string default_scenario_path();

// Exit codes: 0 ok, 1 the outputs could not be written, 2 bad input (nothing written), 3 the run broke one of its
// own invariants (or another internal error).
int run_command(const RunArgs& args, std::ostream& out, std::ostream& err);

}  // namespace prepsim::analysis
