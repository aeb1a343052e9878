// `prepsim validate SCENARIO... [--threads 1,2] [--calibrate] [--tolerance-file F] [--planted OP=F] [-o DIR]`:
// the model checked against the same pipeline run for real on this host (docs/validation.md). For each scenario
// it writes the dataset as compressed chunk files, runs read -> decode -> ops -> KJT batches on pools of pinned
// threads in many short timed passes (interleaved with this host's calibration under --calibrate), describes this
// host as a platform (cores, calibrated core speed, measured read and memory bandwidths), simulates the same
// pipeline with this host's calibration (each simulation in its own child process), and prints per point the
// measured interval, the prediction, the error and, with a tolerance file, a verdict: pass, fail or inconclusive
// (analysis/validate/validate_session.h, models/validation/verdict.h).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace prepsim::analysis {

// Exit codes: 0 the gate passes (or no tolerance was given); 1 a point fails, or a planted error was missed;
// 2 bad input (nothing measured); 3 not checked: too few points reached a verdict (verdict.h).
int run_validate_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace prepsim::analysis
