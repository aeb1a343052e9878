// The validation gate: the tolerance file (tests/validation/tolerance.yaml) and the check of `prepsim validate`'s
// points against it. A point fails when |predicted - measured| / measured exceeds the tolerance, and also when it
// could not be measured cleanly (every timed pass was disturbed by other work): an unmeasured point is not a pass.
//
// File format (YAML, read with the scenario reader's rules: unknown keys are refused, errors name file and line):
//   schema: prepsim-validation-tolerance/v1
//   tolerance: 0.20   # largest |error| allowed, a fraction (0.20 = 20%); plain number, > 0 and < 1
//   goal: 0.10        # optional: where the project wants to get; reported, never enforced
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace prepsim::validation {

struct Tolerance {
  std::string file;
  double tolerance = 0;       // fraction
  std::optional<double> goal;  // fraction
};

// Throws InputError (file:line: key: problem) for a missing or malformed file.
Tolerance read_tolerance_file(const std::string& path);

// One validation point as the gate sees it.
struct GatePoint {
  std::string scenario;
  int threads = 0;
  double measured = 0;   // samples/s
  double predicted = 0;  // samples/s
  bool clean = true;     // the measurement had enough undisturbed passes
  double error() const { return (predicted - measured) / measured; }
};

// One line per failing point, naming it and saying why ("validation-dedup at 2 threads: error -23.4% is outside
// +-20%"); empty when every point passes.
std::vector<std::string> gate_failures(const std::vector<GatePoint>& points, const Tolerance& tolerance);

}  // namespace prepsim::validation
