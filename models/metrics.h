// Metrics of one run (docs/metrics.md defines each, with the same names): throughput, demand, data stalls and
// their attribution, utilization and the bottleneck, energy and power, TCO and rental cost, samples per joule
// and per dollar, the price of stalls, and chunk latency. Each cost and energy figure has two scopes: the
// preprocessing fleet alone and the whole system with trainers.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "models/catalog.h"
#include "models/run_record.h"
#include "models/scenario.h"

namespace prepsim {

struct ResourceUse {
  std::string name, kind, scope;  // scope: fleet | trainer | network
  double utilization = 0;         // busy fraction of W
  double amount = 0;              // flop, bytes or seconds used in W
  std::string amount_unit;
};

struct DeviceEnergy {
  std::string name, kind, sku, scope;
  double energy_j = 0;
  double avg_power_w = 0;
  std::string power_source;  // simgrid-host | simgrid-link | catalog
  double capex_usd = 0, lifetime_s = 0, rental_usd_per_s = 0;
  double full_load_power_w = 0;  // W with the device fully busy (PreSto's TDP-style figure)
};

struct ScopeTotals {
  double energy_j = 0, avg_power_w = 0;
  double tco_usd = 0;             // over W: amortized capex + energy x price x PUE
  double rental_usd = 0;          // over W
  double samples_per_j = 0, samples_per_usd = 0;
  double capex_usd = 0;           // purchase price of the scope's devices
  double cost_efficiency = 0;     // PreSto: throughput x horizon / (capex + opex over horizon), samples/$
};

struct JobMetrics {
  std::string name;
  bool sync = true;
  int replicas = 0;
  double demand = 0, throughput = 0;
  double step_time_cv = 0;  // of its trainers' step time: with cv > 0 a finite window may hold more than demand
  double stall_mean = 0, stall_max = 0;  // fractions of W, over replicas
  double step_stall = 0;                 // sync: fraction of W its steps waited for data
  std::map<std::string, double> attribution;  // stage -> fraction of W (sums to stall_mean)
  double stalled_accel_s = 0, stall_price_usd = 0, stall_energy_j = 0;
};

struct Metrics {
  double window_s = 0;
  double throughput = 0;  // samples/s consumed by all trainers
  double demand = 0;      // samples/s with infinite input
  BoundResult bound;
  std::vector<JobMetrics> jobs;
  std::vector<ResourceUse> resources;
  std::string bottleneck;
  double bottleneck_utilization = 0;
  std::vector<DeviceEnergy> devices;
  ScopeTotals fleet, system;
  double peak_power_w = 0;
  double latency_unloaded_s = 0, latency_p50_s = 0, latency_p99_s = 0;
  double stall_price_usd = 0, stall_energy_j = 0, stalled_accel_s = 0;
  double cost_horizon_s = 0;
};

Metrics compute_metrics(const RunRecord& rec, const Scenario& sc, const Catalog& catalog);

// Relative slack of the throughput invariant for the bound's mean chunk: sparse lengths are drawn per chunk and
// the bound uses their expectation (the mean over a window's chunks is far closer than this).
inline constexpr double kBoundChunkTolerance = 1e-3;

// Problems with the run's own bookkeeping (samples produced != consumed + in flight, a stall outside [0, 1],
// a host below its idle energy, a job above its demand, throughput above the analytic bound by more than the
// window's edge allows, a run that did not end at its window's end): each a sentence; empty when all hold.
std::vector<std::string> check_invariants(const RunRecord& rec, const Metrics& m);

// Nearest-rank percentile of `values` (p in [0, 100]); 0 for no values.
double percentile(std::vector<double> values, double p);

}  // namespace prepsim
