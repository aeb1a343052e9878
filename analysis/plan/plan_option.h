// The placement options of `prepsim plan` and what one simulation of them says.
//
// An option is a scenario plus the pool being sized: its compute pool whose kind is cpu or a device kind (the
// device-kind table, models/devices/device_kinds.h) and that runs a stage (the device pool when there are
// several; `--pool` names it). The pool's `hosts` list is the inventory: a plan uses its first n hosts. Before
// any simulation the option knows the fewest hosts that can work at all (`floor`: for a kind that stores the
// dataset, isp, the devices that hold it at the catalog capacity of its SKU, with the pool's skew), and after
// the run with every host, a lower bound from the analytic bound.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analysis/plan/plan_platform.h"

namespace prepsim::analysis {

// What the plan asks of a fleet.
struct PlanGoal {
  bool throughput_goal = false;  // false: no-stall
  double max_stall = 0.01;       // no-stall: every job's mean stall fraction <= this
  double throughput = 0;         // throughput goal: samples/s
  std::string describe() const;  // "every job's mean stall <= 1%" / "throughput >= 1.2M samples/s"
  nlohmann::json to_json() const;
};

// From the command line: `goal` "no-stall" or "throughput" (empty: from the other two), `max_stall` empty or a
// fraction ("2%", "0.02"), `throughput` empty or samples per second with that unit ("120K/s", "1.2M samples/s").
// Throws std::invalid_argument with a one-line message naming the flag, what is wrong and what is valid.
PlanGoal parse_goal(const std::string& goal, const std::string& max_stall, const std::string& throughput);

// One device of a report's `devices` list (a host, a link or a disk).
struct ReportDevice {
  std::string name, kind, sku, scope;
  double avg_power_w = 0, full_load_power_w = 0, capex_usd = 0, lifetime_s = 0;
};

// The parts of one run's report.json the plan uses.
struct RunSummary {
  double throughput = 0;       // samples/s, all jobs
  double demand = 0;           // samples/s trainers would take with data always ready
  double stall = 0;            // the largest of the jobs' mean stall fractions
  double window_s = 0;         // measured window
  double stall_price_usd = 0;  // over the window
  double system_peak_w = 0;    // the report's measured peak (system scope)
  std::vector<ReportDevice> devices;
  struct Bound {
    std::string resource, kind;
    double max_samples_per_s = 0;
  };
  std::vector<Bound> bound;
};

// Throws std::runtime_error naming the missing key when the report lacks one.
RunSummary read_run_summary(const nlohmann::json& report);
bool goal_met(const PlanGoal& goal, const RunSummary& run);

// The kinds of pool a plan sizes: cpu, then the device kinds in table order.
const std::vector<std::string>& sizable_kinds();

struct PlanOption {
  std::string option;         // its name in outputs: the pool's kind (made unique by the caller)
  std::string scenario_file;  // as given
  std::string scenario_name;
  std::uint64_t seed = 1;     // the scenario's; the plan's seeds are seed, seed + 1, ...
  std::string pool, kind;
  std::vector<std::string> hosts;   // the inventory, in order
  bool same_sku = true;             // every inventory host has one SKU: the analytic pruning applies
  std::string sku;                  // of the first host
  std::vector<std::string> storage_pools, other_pools;  // pool names besides the sized one
  std::map<std::string, std::string> pool_role;         // host of another pool -> "pool NAME (KIND)"
  PlatformInfo platform;
  int floor = 1;                    // fewest hosts that can work at all
  double dataset_bytes = 0;         // stored bytes of the dataset (a kind that stores it: what the devices hold)
  double device_capacity = 0;       // B per device (a kind that stores the dataset), 0 otherwise
  double price_per_j = 0, pue = 1, cost_horizon_s = 0;
};

// Loads the scenario and picks its pool (`pool` empty: automatically). Throws InputError (file:line: key: ...)
// for a scenario without a sizable pool, an ambiguous choice, an unknown --pool, or an inventory that cannot
// hold the dataset.
PlanOption make_option(const std::string& scenario_file, const std::string& pool);

// The fewest hosts whose own resources could carry the goal's throughput, from the run with all `all_hosts`
// hosts (the pool's resources scale with its host count; others are not counted). The goal's throughput is
// the throughput goal, or the trainers' demand x (1 - max stall). `floor` when the hosts are not all one SKU.
int analytic_lower_bound(const PlanOption& option, const RunSummary& all_hosts_run, int all_hosts,
                         const PlanGoal& goal, std::string* binding);

}  // namespace prepsim::analysis
