// How much a run asks of this machine, known before it starts: the chunks it will move, the simulated activities
// (execs, transfers, disk reads) that takes, and the wall time that costs (models/limits.h: the simulator speed,
// measured with `prepsim bench`, docs/inputs.md#limits). A run estimated past an hour is refused unless --force:
// a typo such as `duration: 10y` must not look like a hang.
//
// The estimate is an upper bound of the work, not a prediction of the result: trainers take at most one batch per
// step and the pipeline delivers at most its analytic bound, so chunks <= (warmup + duration) x the lesser of the
// trainers' step rate and the bound in chunks, plus one chunk per worker started.
#pragma once

#include <string>

#include "models/scenario.h"
#include "models/workload.h"

namespace prepsim {

struct RunEstimate {
  double chunks = 0;      // at most, over warmup + duration
  double activities = 0;  // simulated activities for them
  double wall_s = 0;      // at this simulator's measured speed
  std::string describe() const;  // "about 2.6e+10 chunks, 3.4e+11 activities, 52 h"
};

// `workers`: worker actors over every segment; `segments`: the segments (pool runs) of the pipeline;
// `bound_samples_per_s`: the analytic bound (infinity when unknown).
RunEstimate estimate_run(const Scenario& scenario, double workers, double segments, double bound_samples_per_s);

// Throws InputError (at dataset.batch_size) when the mean chunk's byte counts are past what SimGrid can move
// (limits::kMaxChunkBytes) or not finite.
void check_chunk_sizes(const Scenario& scenario, const Workload& workload);

}  // namespace prepsim
