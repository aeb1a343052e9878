// The results of `prepsim plan`: one per option, and how they are shown: a text table with the options side by
// side, or the JSON object `prepsim-plan/v1` (`--json`; `prepsim plot` draws it).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "analysis/plan/plan_cost.h"
#include "analysis/plan/plan_option.h"

namespace prepsim::analysis {

// One simulation the search ran.
struct ProbeRecord {
  int n = 0;
  std::uint64_t seed = 0;
  bool met = false;
  double throughput = 0, stall = 0;
};

struct OptionResult {
  PlanOption option;
  int inventory = 0;          // hosts listed in the pool
  int lower = 0;              // the analytic lower bound on n (>= option.floor)
  std::string lower_binding;  // the pool resource that set it ("" when the floor did)
  int devices = 0;            // the answer; the inventory when not met
  bool met = false;
  std::string below;          // how we know devices - 1 fails (plan_search.h)
  std::uint64_t below_seed = 0;
  std::vector<std::uint64_t> seeds;  // of the runs at `devices` that the figures average
  std::vector<double> stall_per_seed, throughput_per_seed;
  OptionCost cost;
  std::vector<ProbeRecord> probes;
};

struct PlanResult {
  PlanGoal goal;
  int seeds = 3;
  std::vector<OptionResult> options;
  double wall_s = 0;
};

nlohmann::json plan_json(const PlanResult& plan);
void print_plan(std::ostream& out, const PlanResult& plan);

}  // namespace prepsim::analysis
