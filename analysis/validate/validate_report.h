// What `prepsim validate` prints and writes: per point the measured interval, the prediction, the error and the
// verdict (with its cause when inconclusive), where the time went (per stage, measured against predicted), the
// gate's decision, and the JSON document with every timed pass and the evidence recorded beside it. Kept apart
// from the command's orchestration (validate_session.cpp) so that the format can be tested without timing
// anything.
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/validation/estimate.h"
#include "models/validation/real_pipeline.h"
#include "models/validation/verdict.h"

namespace prepsim::analysis {

inline constexpr const char* kValidationSchema = "prepsim-validation/v2";

struct ValidationPoint {
  std::string scenario;
  int threads = 0;
  double predicted = 0;  // samples/s, simulated
  std::optional<double> planted_predicted;  // samples/s, simulated with the planted error
  validation::QuantileInterval measured;    // of the usable passes' throughputs (samples/s); n == 0: none usable
  std::vector<validation::PassRecord> passes;  // every timed pass, in order
  double read_bps = 0;   // B/s the storage host reads at (measured)
  validation::PointVerdict verdict, planted_verdict;
  bool judged = false;   // verdicts were computed (a tolerance was given)
  // Per stage: thread-milliseconds per chunk, measured and predicted (the model's time of the stage alone on one
  // core: the longer of its compute and its memory traffic; read: the chunk's bytes at the storage bandwidth).
  std::map<std::string, double> measured_ms, predicted_ms;
  int usable() const;
  double error() const;  // (predicted - measured) / measured, on the estimate
};

// How the run was made, for the JSON document.
struct ValidationMethod {
  double quantile = 0, confidence = 0;
  std::string calibration;  // the file the predictions used
  bool calibrated_here = false;
  std::optional<double> tolerance, goal;
  std::string perturb, planted;  // "" when none
  std::string outcome, outcome_reason;  // the gate's decision ("" without a tolerance)
  std::string planted_outcome;          // the planted check's ("" without one)
};

// The document: {"schema", "method": {...}, "points": [{scenario, threads, measured, measured_low,
// measured_high, predicted, error, verdict, cause, passes: [...], stages: {...}}, ...]}. Unbounded interval ends
// are null.
nlohmann::ordered_json validation_json(const std::vector<ValidationPoint>& points, const ValidationMethod& method);

// The table, then per point the stages with measured / predicted milliseconds and their shares of the total.
void print_validation(std::ostream& out, const std::vector<ValidationPoint>& points);

}  // namespace prepsim::analysis
