// PreSto's headline numbers (FACTS.md section 1) computed from prepsim's own runs of the shipped scenarios
// scenarios/presto/rm{1..5}-{cpu,isp}.yaml: the arithmetic of `prepsim reproduce presto`, apart from running them.
//
// Every row is computed the paper's way (docs/presto.md):
//   - speedup: one CPU worker's end-to-end chunk latency / one SmartSSD's (unloaded, as simulated), averaged;
//   - one device's throughput P: the analytic bound over the device's own resources only (cores and memory of
//     the CPU pool per core; the SmartSSD's units, DRAM, P2P link and flash), without the network;
//   - energy efficiency: (P / TDP) of a SmartSSD over that of the CPU pool, TDPs from the catalog, averaged;
//   - cost efficiency: P x H / (capex + TDP x H x price) likewise, H = the scenarios' cost horizon;
//   - device counts: trainer demand T of one 8xA100 node / P (cores for RM5; SmartSSDs, the largest over RMs);
//   - op share: Bucketize + SigridHash + Log seconds / all CPU op seconds of a chunk, averaged.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "models/catalog.h"

namespace prepsim::analysis {

// What one run's report says of its preprocessing pool.
struct PoolRun {
  std::string scenario;
  double latency_s = 0;         // unloaded chunk latency, end to end
  double pool_samples_per_s = 0;  // the pool alone: its own resources in the analytic bound
  double workers = 0;           // the pool's workers (CPU: cores)
  double devices = 0;           // hosts of the pool
  double tdp_w = 0;             // sum over the pool's hosts of their SKU's TDP
  double capex_usd = 0;         // sum over the pool's hosts
  double demand_per_replica = 0;  // samples/s one trainer replica consumes with data ready
};

// Reads `report` (prepsim-report/v1) for the pool whose hosts have kind `kind` ("cpu" or "isp"). Throws
// std::runtime_error when the report lacks what is needed or a host's SKU has no TDP in the catalog.
PoolRun pool_run(const nlohmann::json& report, const Catalog& catalog, const std::string& kind);

struct ReproRow {
  std::string metric;
  double paper = 0;
  double prepsim = 0;
  std::string klass;                 // fitted | predicted
  std::optional<double> simulated;   // device counts: the contended cluster's answer (NaN: not reachable)
  std::string note;
  double ratio() const { return prepsim / paper; }
};

struct PrestoInputs {
  std::vector<PoolRun> cpu, isp;   // RM1..RM5
  std::vector<double> op_share;    // RM1..RM5
  double horizon_s = 0;            // PreSto's cost duration
  double price_per_j = 0;          // $/J
  int node_replicas = 8;           // A100s of the node being sized
  std::optional<double> simulated_cores, simulated_smartssds;
  int smartssd_rm = 0;             // the RM (1-based) that needs the most SmartSSDs, the paper's way
};

// The six headline rows of the issue, in order. `fitted` names the metrics the shipped scenarios were fitted to.
std::vector<ReproRow> presto_rows(const PrestoInputs& in, const std::vector<std::string>& fitted);

// The RM (1-based) whose T / P_ssd is largest.
int largest_smartssd_rm(const PrestoInputs& in);

nlohmann::json rows_json(const std::vector<ReproRow>& rows);

}  // namespace prepsim::analysis
