// Reporters: one per output format over one interface (console summary, report.json, CSV tables). Each gets the
// whole outcome of a run; none computes a metric (metrics.h does).
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>
#include <string>

#include "models/metrics.h"
#include "models/run_record.h"
#include "models/scenario.h"

namespace prepsim::analysis {

struct RunOutcome {
  const Scenario* scenario = nullptr;
  const RunRecord* record = nullptr;
  const Metrics* metrics = nullptr;
  std::string cpu_costs;              // where the CPU op costs came from (CostTable::source)
  nlohmann::ordered_json provenance;  // adds seed, wall time, inputs
  double wall_s = 0;
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void report(const RunOutcome& outcome) = 0;
};

// Human-readable summary; deterministic (no wall time, no dates), so it can be a golden output.
std::unique_ptr<Reporter> console_reporter(std::ostream& out);
// `dir`/report.json, schema "prepsim-report/v1", with the provenance block.
std::unique_ptr<Reporter> json_reporter(const std::string& dir);
// `dir`/{jobs,attribution,resources,devices,scopes}.csv; column names carry units.
std::unique_ptr<Reporter> csv_reporter(const std::string& dir);

// The report as JSON (what json_reporter writes).
nlohmann::ordered_json report_json(const RunOutcome& outcome);

}  // namespace prepsim::analysis
