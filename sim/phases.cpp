// Phases (phases.h): the list in path order and how a stall no contention explains splits over it.
#include "sim/phases.h"

#include <cmath>
#include <utility>

namespace prepsim::sim {

const Phase& Phases::add(std::string label, double mean_s, double capacity) {
  phases_.push_back({std::move(label), mean_s, capacity, 0.0});
  return phases_.back();
}

void Phases::close() {
  double total = 0;
  for (Phase& p : phases_) {
    p.stall_share = std::isfinite(p.capacity) ? p.mean_s / p.capacity : 0.0;
    total += p.stall_share;
  }
  for (Phase& p : phases_) p.stall_share = total > 0 ? p.stall_share / total : 0.0;
}

double Phases::unloaded_s() const {
  double sum = 0;
  for (const Phase& p : phases_) sum += p.mean_s;
  return sum;
}

}  // namespace prepsim::sim
