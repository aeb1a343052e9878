// A short fixed workload that says whether this host runs at its undisturbed speed right now: the decode of one
// fixed chunk (8,192 rows, 4 dense columns, 4 sparse features of Poisson(4) lists, the scenario data model of
// scenario_data.h; about 1.3 MB raw), its fastest of 5 runs. On a VM the neighbours' load on the shared cache and
// memory comes and goes every few seconds and slows such a decode by up to 40% while pure computation is untouched
// (measured on the reference VM, docs/validation.md); a process cannot see that load any other way.
//
// `prepsim validate` times the sentinel on every worker's core at once (SentinelSet) just before and just after
// every timed pass; a pass whose slowest sentinel is more than `slack` slower than the fastest sentinel seen in
// the run, at any thread count, ran while the host was in its slow state and is not usable (real_pipeline.h). One baseline for all thread counts: a baseline
// taken at 2 threads alone could be set while the host was slow the whole time. Two sentinels on two cores of the
// reference VM cost each other 1-3% when the host is quiet, well inside the slack. The calibration's repetitions
// find the undisturbed speed by taking minima spread over time (models/calibration/runner.h): both sides then
// compare the host in the same state.
#pragma once

#include <cstdint>
#include <vector>

#include "models/calibration/host_load.h"
#include "models/data/columnar.h"
#include "models/validation/thread_pool.h"

namespace prepsim::validation {

class HostSentinel {
 public:
  HostSentinel();  // builds and encodes the chunk (untimed, a few ms)

  // Fastest of 5 decodes, in seconds; also lowers the baseline when faster than any before.
  double measure();
  // The fastest measure() so far (+infinity before the first).
  double baseline() const { return baseline_; }
  // Whether `seconds` (a measure()) is within `slack` of the baseline.
  bool undisturbed(double seconds, double slack = kSlack) const { return seconds <= slack * baseline_; }

  static constexpr double kSlack = calibration::kFastHostRatio;  // the host's fast state (host_load.h)

 private:
  std::vector<std::uint8_t> chunk_;
  data::ColumnarBatch out_;
  double baseline_;
};

// Sentinels for the workers of pools of any size, with one baseline.
class SentinelSet {
 public:
  SentinelSet();

  // Every worker i of `pool` times its own sentinel i at the same moment (sentinels are made on first use); returns
  // the slowest, and lowers the baseline when it is faster than any measurement before.
  double measure(ThreadPool& pool);
  double baseline() const { return baseline_; }
  bool undisturbed(double seconds, double slack = HostSentinel::kSlack) const { return seconds <= slack * baseline_; }

 private:
  std::vector<HostSentinel> members_;
  std::vector<double> times_;
  double baseline_;
};

}  // namespace prepsim::validation
