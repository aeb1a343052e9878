#include "models/analytic_bound.h"

#include <chrono>
#include <limits>

namespace prepsim {

double BoundResource::max_samples_per_s() const {
  if (demand <= 0) return std::numeric_limits<double>::infinity();
  return capacity / demand;
}

BoundResult analytic_bound(std::vector<BoundResource> resources) {
  auto t0 = std::chrono::steady_clock::now();
  BoundResult r;
  r.samples_per_s = std::numeric_limits<double>::infinity();
  for (const BoundResource& res : resources) {
    double x = res.max_samples_per_s();
    if (x < r.samples_per_s) {
      r.samples_per_s = x;
      r.bottleneck = res.name;
    }
  }
  r.resources = std::move(resources);
  r.compute_us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace prepsim
