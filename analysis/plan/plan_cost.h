// What one option of `prepsim plan` costs at its chosen size, from the reports of its runs (one per seed) and
// the devices' catalog figures the reports carry (capex, lifetime, full-load power).
//
// Counted (docs/plan.md): what the runs' reports put in the fleet scope (docs/metrics.md, Scopes), so a plan
// pays for what `prepsim run` and `prepsim reproduce` count: the n hosts of the sized pool; the hosts of the
// scenario's other pools (storage pools, the CPU fallback and any other compute pool); for a device pool, the
// servers hosting its n devices (the engine finds them: the first storage or cpu host owning a link of the
// device's route out) when they are in no pool; the links whose `host` prop names a counted host (their NICs:
// capex from the link's SKU, power from its wattage_range) and the counted hosts' disks. Not counted: trainers
// (a gpu pool on the trainers' own GPUs is paid for by training; its cost is the slower training), network
// links, hosts of the platform the scenario does not use.
//
// Over the catalog lifetime L of the sized pool's SKU: TCO = sum over devices of capex x L / lifetime (capex
// once for a device without a lifetime) + average power x L x electricity price x PUE; the price of stalls is
// the report's (over its window T) x L / T; samples per dollar = throughput x L / TCO. Means over seeds.
#pragma once

#include <string>
#include <vector>

#include "analysis/plan/plan_option.h"

namespace prepsim::analysis {

// One group of counted devices: same role and SKU.
struct CostLine {
  std::string role;  // "devices", "hosting servers", "pool NAME (KIND)", "NICs and links", "disks"
  std::string sku;
  int count = 0;
  double capex_usd = 0, avg_power_w = 0, full_load_power_w = 0;
};

struct OptionCost {
  double lifetime_s = 0;       // L
  double throughput = 0;       // samples/s, mean over seeds
  double stall = 0;            // mean over seeds of the worst job's mean stall fraction
  double capex_usd = 0;        // purchase price of everything counted
  double power_avg_w = 0;      // mean over seeds
  double power_peak_w = 0;     // every counted device at full load
  double system_peak_w = 0;    // the reports' measured system peak, mean over seeds
  double tco_usd = 0;          // over L
  double stall_price_usd = 0;  // over L
  double samples_per_usd = 0;
  std::vector<std::string> hosting_servers;
  std::vector<CostLine> lines;
};

// `runs`: the reports of the runs with the first n hosts, one per seed (at least one).
OptionCost option_cost(const PlanOption& option, int n, const std::vector<RunSummary>& runs);

}  // namespace prepsim::analysis
