// The phases of a chunk's path through the pipeline, named, with what they cost the mean chunk on idle
// resources. In path order: the read; per segment, the transfer into it (none when an isp device reads its own
// flash) and its compute (a cpu segment: one phase per stage; a device segment: one); last, the transfer to the
// trainers (which includes the wait for dispatch). A trainer's stall is charged to them (docs/metrics.md,
// Attribution); each Chunk records its time in each (chunk.h).
#pragma once

#include <deque>
#include <string>

namespace prepsim::sim {

struct Phase {
  std::string label;     // its row in attribution.csv
  double mean_s = 0;     // the mean chunk's time in it on idle resources
  // Chunks it serves at once: its segment's workers, or for a device phase its devices times latency ÷ issue
  // time (latency overlaps); infinite for the transfer to the trainers (workers do not wait on it).
  double capacity = 0;
  // Its part of a stall that no contention explains: mean_s ÷ capacity, normalised over the phases (set by
  // Phases::close).
  double stall_share = 0;
};

// Every phase of the pipeline, in path order. Addresses are stable: segments and chunks point at them.
class Phases {
 public:
  const Phase& add(std::string label, double mean_s, double capacity);
  // Sets every phase's stall_share; call once all are added.
  void close();
  const std::deque<Phase>& all() const { return phases_; }
  // The mean chunk's time through the whole path on idle resources (the unloaded latency).
  double unloaded_s() const;

 private:
  std::deque<Phase> phases_;
};

}  // namespace prepsim::sim
