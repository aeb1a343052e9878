// Analytic bound (bottleneck / operational analysis): steady-state throughput X <= min over resources of
// capacity / demand per sample. Each resource states its capacity and what one sample asks of it in the same
// unit (flop, byte, worker-second). The engine must agree with it on simple pipelines; the planner prunes with it.
#pragma once

#include <string>
#include <vector>

namespace prepsim {

struct BoundResource {
  std::string name;
  std::string kind;       // cpu | workers | disk | link | trainer
  double capacity = 0;    // units per second
  double demand = 0;      // units per sample
  double max_samples_per_s() const;  // capacity / demand (infinite when demand is 0)
};

struct BoundResult {
  double samples_per_s = 0;
  std::string bottleneck;
  std::vector<BoundResource> resources;
  double compute_us = 0;  // how long the bound took to compute
};

BoundResult analytic_bound(std::vector<BoundResource> resources);

}  // namespace prepsim
