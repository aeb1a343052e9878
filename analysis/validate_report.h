// What `prepsim validate` prints: the table of measured against predicted throughput, where the time went in both
// (per stage, measured against predicted), and the JSON list. Kept apart from the command's orchestration
// (validate_command.cpp) so that the format can be tested without timing anything.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace prepsim::analysis {

struct ValidationPoint {
  std::string scenario;
  int threads = 0;
  double measured = 0;   // samples/s, median of the kept passes
  double spread = 0;     // (max - min) / median of the kept passes
  double predicted = 0;  // samples/s, simulated
  int passes = 0;        // kept timed passes
  int disturbed = 0;     // timed passes discarded because a worker lost its core
  bool clean = true;     // `passes` undisturbed passes were obtained
  double read_bps = 0;   // B/s the storage host reads at (measured)
  double error() const { return (predicted - measured) / measured; }
  // Per stage: thread-milliseconds per chunk, measured and predicted (the model's time of the stage alone on one
  // core: the longer of its compute and its memory traffic; read: the chunk's bytes at the storage bandwidth).
  std::map<std::string, double> measured_ms, predicted_ms;
};

// The JSON list: one {"scenario", "threads", "measured", "predicted", "error"} per point, in order.
nlohmann::ordered_json validation_json(const std::vector<ValidationPoint>& points);

// The table, then per point the stages with measured / predicted milliseconds and their shares of the total.
void print_validation(std::ostream& out, const std::vector<ValidationPoint>& points);

}  // namespace prepsim::analysis
