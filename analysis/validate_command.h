// `prepsim validate SCENARIO... [--threads 1,2] [--reps 5] [--json] [-o DIR] [--tolerance-file F]`: the model
// checked against the same pipeline run for real on this host. For each scenario it generates the dataset as
// compressed chunk files, runs read -> decode -> ops -> KJT batches on a pool of pinned threads (median of several
// undisturbed timed passes after a warm-up), describes this host as a platform (cores, calibrated core speed,
// measured read and memory bandwidth), simulates the same pipeline with this host's calibration (each simulation
// in its own child process), and prints measured and predicted throughput, their error, and where the time went in
// both. With a tolerance file it is the validation gate (docs/validation.md).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace prepsim::analysis {

// Exit codes: 0 every point within the tolerance (or no tolerance given), 1 a point outside it or not measured
// cleanly (each named on `err`), 2 bad input.
int run_validate_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace prepsim::analysis
