#include "models/run_estimate.h"

#include <algorithm>

#include <fmt/format.h>

#include <cmath>

#include "models/config/input_error.h"
#include "models/limits.h"

namespace prepsim {

namespace {

std::string wall_text(double s) {
  if (s < 120) return fmt::format("{:.0f} s", s);
  if (s < 7200) return fmt::format("{:.0f} min", s / 60);
  if (s < 86400 * 3) return fmt::format("{:.1f} h", s / 3600);
  return fmt::format("{:.2g} days", s / 86400);
}

}  // namespace

std::string RunEstimate::describe() const {
  return fmt::format("about {:.2g} chunks, {:.2g} simulated activities, {} of wall time", chunks, activities,
                     wall_text(wall_s));
}

RunEstimate estimate_run(const Scenario& sc, double workers, double segments, double bound_samples_per_s) {
  double steps_per_s = 0;
  for (const TrainerJob& j : sc.jobs) steps_per_s += static_cast<double>(j.hosts.size()) / j.step_time;
  const double bound_chunks_per_s = bound_samples_per_s / static_cast<double>(sc.dataset.batch_size);
  RunEstimate e;
  e.chunks = (sc.run.warmup + sc.run.duration) * std::min(steps_per_s, bound_chunks_per_s) + workers;
  // Per chunk: a read, a transfer into each segment, each compute stage (an exec and its memory traffic), the
  // send to a trainer and its step.
  double compute_stages = static_cast<double>(sc.stages.size()) - 1;
  double per_chunk = 1 + segments + 2 * compute_stages + 2;
  e.activities = e.chunks * per_chunk;
  e.wall_s = e.activities * (limits::kSecondsPerActivity + limits::kSecondsPerActivityPerWorker2 * workers * workers);
  return e;
}

void check_chunk_sizes(const Scenario& sc, const Workload& wl) {
  ChunkWork w = wl.mean_chunk();
  double worst = std::max(w.stored_bytes, w.output_bytes);
  for (double b : w.stage_memory_bytes) worst = std::max(worst, b);
  if (!std::isfinite(worst) || worst > limits::kMaxChunkBytes) {
    auto [file, line] = written_at(sc, "dataset", "batch_size");
    throw InputError(file, line, "dataset.batch_size",
                     fmt::format("a chunk of {} samples holds {:.3g} bytes, past the {:.0e} bytes SimGrid can move "
                                 "at once; use smaller batches or fewer features",
                                 sc.dataset.batch_size, worst, limits::kMaxChunkBytes));
  }
}

}  // namespace prepsim
