// The validation gate's tolerance file (tests/validation/tolerance.yaml). How points are judged against it:
// verdict.h.
//
// File format (YAML, read with the scenario reader's rules: unknown keys are refused, errors name file and line):
//   schema: prepsim-validation-tolerance/v1
//   tolerance: 0.20   # largest |error| allowed, a fraction (0.20 = 20%); plain number, > 0 and < 1
//   goal: 0.10        # optional: where the project wants to get; reported, never enforced
#pragma once

#include <optional>
#include <string>

namespace prepsim::validation {

struct Tolerance {
  std::string file;
  double tolerance = 0;       // fraction
  std::optional<double> goal;  // fraction
};

// Throws InputError (file:line: key: problem) for a missing or malformed file.
Tolerance read_tolerance_file(const std::string& path);

}  // namespace prepsim::validation
