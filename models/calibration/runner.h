// The calibration run: time every op's real kernel over its grid, fit its cost signature, collect a
// CalibrationFile. `prepsim calibrate` (analysis/kernels/calibrate_command.h) is a thin front end over this.
//
// Timing, google/benchmark style but with raw per-point numbers for the fit: every grid point of the op is
// prepared first (inputs built, untimed; one warm-up call; one timed call sizes an inner loop to last at least
// `min_sample_seconds`). Then `repetitions` rounds each take one measurement of every point (wall time,
// std::chrono::steady_clock), and a point's time is the fast quartile of its per-call times over the clean rounds
// (host_load.h: kFastTimeQuantile, the estimator `prepsim validate` takes of its passes too). Spreading the
// repetitions of a point over the whole op's run, rather than over a few consecutive milliseconds, lets it find
// the host's undisturbed speed even when that speed changes every few seconds (a VM whose neighbours load the
// shared cache and memory: docs/calibration.md).
//
// A measurement during which this thread held the CPU for less than 90% of the wall time (thread CPU clock) is
// disturbed: it measured the scheduler, not the kernel. Disturbed measurements do not count; rounds go on, up to
// 3 x `repetitions`, until every point has `repetitions` clean ones. A point with none is counted as disturbed and
// keeps its minimum over all measurements. Other processes on other cores (caches and memory shared) slow a
// measurement without taking its core; the fast quartile over rounds spread in time is what sees through them,
// exactly as `prepsim validate` sees through them with the same quantile of its passes (estimate.h).
//
// `host_sentinel`, when set, times a fixed piece of memory-heavy work (the decode sentinel,
// models/validation/sentinel.h) and returns its seconds: a VM's neighbours slow memory-heavy code by 30-50% for
// tens of seconds at a time, which neither this thread's CPU clock nor the other processes' CPU can see
// (docs/validation.md). It is timed before and after every round; a round whose slower sentinel exceeds
// `max_host_ratio` x the fastest sentinel counts as in the host's slow state. The fastest so far decides while the
// run goes on (how many rounds an op still needs); at the end every op is judged again against the fastest
// sentinel of the whole run and refitted if that changed which rounds count: an op calibrated while the host was
// slow from the start would otherwise take that slow state for the fast one (without this judgement the first op,
// decode, came out 20% slow in one gate run of ten). `prepsim calibrate` and `prepsim validate` both pass it.
//
// `between_rounds`, when set, is called between rounds at most every `interleave_seconds`: `prepsim validate
// --calibrate` runs validation passes there, so that calibration and validation sample the host over the same
// minutes and a drift of the host's speed hits both (docs/validation.md).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "models/calibration/calibration_file.h"
#include "models/calibration/host_load.h"
#include "models/calibration/op_harness.h"

namespace prepsim::calibration {

struct RunnerOptions {
  bool quick = false;              // tiny grids, few repetitions (tests)
  std::vector<std::string> ops;    // empty: every op that has a kernel harness
  int repetitions = 0;             // 0: 7 (quick: 3)
  double min_sample_seconds = 0;   // 0: 3 ms (quick: 0.1 ms)
  std::function<void()> between_rounds;  // see above; empty: none
  double interleave_seconds = 0;         // at least this long between two calls of between_rounds
  std::function<double()> host_sentinel;  // see above; empty: every round is in the host's usual state
  double max_host_ratio = kFastHostRatio;
};

// Reported while running: once per grid point (`result` null), then once when the op is fitted.
struct OpProgress {
  std::string op;
  std::size_t op_index = 0;  // 0-based among the ops being calibrated
  std::size_t op_count = 0;
  std::size_t point = 0;     // grid points done
  std::size_t points = 0;
  double op_seconds = 0;     // wall time spent on this op so far
  std::size_t disturbed = 0; // grid points with no undisturbed measurement (see above)
  const OpCalibration* result = nullptr;
};
using ProgressFn = std::function<void(const OpProgress&)>;

struct CalibrationRun {
  CalibrationFile file;               // provenance of this host and build, one entry per calibrated op
  std::vector<std::string> skipped;   // ops of the registry with no kernel harness (not calibrated)
  double seconds = 0;                 // wall time of the whole run
  std::vector<std::string> refitted;  // ops judged again against the run's fastest sentinel, and refitted
};

// Throws std::invalid_argument for an unknown op name or an op without a kernel in `options.ops`.
CalibrationRun run_calibration(const RunnerOptions& options, const ProgressFn& progress = {});

struct PointTiming {
  double seconds = 0;       // per call
  int clean = 0;            // undisturbed measurements
  int attempts = 0;
  bool disturbed() const { return clean == 0; }
};
// Times one prepared harness alone: sizing, then measurements until `repetitions` are clean (at most 3 x as many).
PointTiming time_prepared(OpHarness& harness, int repetitions, double min_sample_seconds);

}  // namespace prepsim::calibration
