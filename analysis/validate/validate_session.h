// One run of `prepsim validate`, from data to verdicts (docs/validation.md):
//   1. setup: each scenario's dataset written as chunk files; one real pipeline (thread pool, buffers) per
//      (scenario, thread count) point, warmed up; this host's memory and read bandwidths;
//   2. measurement in rounds: a round runs one short timed pass of every point in turn. With `calibrate`, the
//      calibration of this host runs at the same time: a round is run between its rounds every few seconds, so
//      calibration and validation sample the host over the same minutes (models/calibration/runner.h), then
//      rounds go on until every point has its passes;
//   3. predictions: the same pipeline simulated on this host's platform with this host's calibration (a child
//      process per point), optionally with one op's predicted cost scaled (`perturb`, or `planted` for the
//      gate's own check that it can fail);
//   4. verdicts (models/validation/verdict.h) from each point's fast-quartile interval (estimate.h); points left
//      inconclusive get more rounds, within the retry budget.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "analysis/validate/host_platform.h"
#include "analysis/validate/validate_report.h"
#include "models/validation/tolerance.h"

namespace prepsim::analysis {

// One op's predicted cost scaled by a factor ("decode=1.3").
struct Perturbation {
  std::string op;
  double factor = 1;
  std::string text() const;
};
// Parses "OP=FACTOR" (factor > 0, finite; op must be one the cost model knows). Throws InputError naming `flag`.
Perturbation parse_perturbation(const std::string& text, const std::string& flag);

struct ValidateOptions {
  std::vector<std::string> scenarios;
  std::vector<int> threads = {1, 2};
  int passes = 24;             // timed passes per point before the first verdict
  int warmup = 1;              // untimed passes per point first
  int chunks = 0;              // chunk files per pass; 0: about kPassSeconds of work at 1 thread
  double retry_budget = 90;    // seconds of extra rounds for inconclusive points
  double quantile = 1 - calibration::kFastTimeQuantile;  // of pass throughput: the fast quartile (estimate.h)
  double confidence = 0.95;
  bool calibrate = false;      // measure the calibration here, interleaved, and write it to `calibration`
  bool drop_caches = false, verbose = false, as_json = false;
  std::string dir = "validation-out";
  std::string calibration;     // read, or written with `calibrate`
  std::string tolerance_file;
  std::optional<Perturbation> perturb;  // applied to every prediction
  std::optional<Perturbation> planted;  // a second prediction, which the gate must fail
};

class ValidationSession {
 public:
  // Loads the scenarios (bad input throws InputError before anything is measured), prepares data and pipelines.
  ValidationSession(const ValidateOptions& options, std::ostream& progress);
  ~ValidationSession();

  // Step 2: rounds (and the interleaved calibration when asked) until every point has its passes.
  void measure();
  // Step 3: predictions (and the planted ones).
  void predict();
  // Step 4: verdicts against `tolerance`, with retries of inconclusive points.
  void judge(const validation::Tolerance& tolerance);

  const std::vector<ValidationPoint>& points() const;
  const HostDescription& host() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace prepsim::analysis
