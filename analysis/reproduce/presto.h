// PreSto's headline numbers (docs/sources.md#presto) computed from prepsim's own runs of the shipped scenarios
// scenarios/presto/rm{1..5}-{cpu,isp}.yaml: the arithmetic of `prepsim reproduce presto`, apart from running them.
//
// Every number is first computed per RM (RmRow: latency, P, energy and cost for each side), and every headline
// row is a statistic of those rows (the mean, or for the device counts the RM that needs most), computed the
// paper's way (docs/presto.md):
//   - speedup: one CPU worker's end-to-end chunk latency / one SmartSSD's (unloaded, as simulated);
//   - one device's throughput P: the analytic bound over the device's own resources only (cores and memory of
//     the CPU pool per core; the SmartSSD's units, DRAM, P2P link and flash), without the network;
//   - energy efficiency: (P / TDP) of a SmartSSD over that of the CPU pool, TDPs from the catalog;
//   - cost efficiency: P x H / (capex + TDP x H x price) likewise, H = the scenarios' cost horizon;
//   - device counts: trainer demand T of one 8xA100 node / P (cores for RM5; SmartSSDs, the largest over RMs);
//   - op share: Bucketize + SigridHash + Log seconds / all CPU op seconds of a chunk.
// Two views of energy and cost answer two questions (docs/metrics.md, Scopes): **devices alone** (PreSto's: the
// CPU pool's servers against one SmartSSD, at TDP and list price: what one device buys) and **with hosts** (the
// runs' fleet scope, what `prepsim plan` charges: each side with the storage server it needs and the NICs, at
// the full-load power of every fleet device: what the option costs when bought).
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
  double latency_s = 0;           // unloaded chunk latency, end to end
  double pool_samples_per_s = 0;  // P: the pool alone, its own resources in the analytic bound
  std::string binding;            // the own resource that sets P
  double workers = 0;             // the pool's workers (CPU: cores)
  double core_flops = 0;          // CPU pools: one worker's host speed (flop/s; the reference core is 1 Gf)
  double devices = 0;             // hosts of the pool
  double tdp_w = 0;               // sum over the pool's hosts of their SKU's TDP
  double capex_usd = 0;           // sum over the pool's hosts
  double fleet_capex_usd = 0;     // the run's fleet scope: the pool, the storage server, their NICs and disks
  double fleet_full_load_w = 0;   // its devices at full load (hosts' wattage, disks and NICs busy)
  double demand_per_replica = 0;  // samples/s one trainer replica consumes with data ready
  // CPU pools: seconds one worker spends per mean chunk on Bucketize + SigridHash + Log and on format work
  // (decode, to_kjt), as the run's latency counts them (filled by the caller from the workload).
  double ops_s = 0, format_s = 0;
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
};

// One side of one RM.
struct SideRow {
  double latency_s = 0, samples_per_s = 0;  // one CPU worker's or one SmartSSD's latency; P of the pool or device
  std::string binding;                      // the own resource that sets P
  double samples_per_j = 0;                 // devices alone: P / TDP
  double cost_samples_per_usd = 0;          // devices alone: P x H / (capex + TDP x H x price)
  double hosts_samples_per_j = 0;           // with hosts: P / fleet full-load power
  double hosts_cost_samples_per_usd = 0;    // with hosts: P x H / (fleet capex + fleet full-load power x H x price)
};

struct RmRow {
  int rm = 0;  // 1..5
  SideRow cpu, isp;
  double op_share = 0;
  double cpu_ops_s = 0, cpu_format_s = 0;  // PoolRun::ops_s, format_s of the CPU side (what a refit scales)
  double smartssds = 0;  // ceil(T / one SmartSSD's P)
  double cores = 0;      // T / one core's P
  double speedup() const { return cpu.latency_s / isp.latency_s; }
  double energy_ratio() const { return isp.samples_per_j / cpu.samples_per_j; }
  double cost_ratio() const { return isp.cost_samples_per_usd / cpu.cost_samples_per_usd; }
  double hosts_energy_ratio() const { return isp.hosts_samples_per_j / cpu.hosts_samples_per_j; }
  double hosts_cost_ratio() const { return isp.hosts_cost_samples_per_usd / cpu.hosts_cost_samples_per_usd; }
};

// The per-RM rows, RM1 first.
std::vector<RmRow> rm_rows(const PrestoInputs& in);

// The six headline rows of the issue, in order, computed from `rms`. `fitted` names the metrics the shipped
// scenarios were fitted to.
std::vector<ReproRow> presto_rows(const PrestoInputs& in, const std::vector<RmRow>& rms,
                                  const std::vector<std::string>& fitted);

// The RM (1-based) whose T / P_ssd is largest.
int largest_smartssd_rm(const std::vector<RmRow>& rms);

// The per-RM rows and the two views of energy and cost, as console text.
std::string per_rm_text(const std::vector<RmRow>& rms);

// {"rows": the headline rows, "per_rm": the RM rows, "with_hosts": the two efficiencies' means with hosts}.
nlohmann::json presto_json(const std::vector<ReproRow>& rows, const std::vector<RmRow>& rms);

}  // namespace prepsim::analysis
