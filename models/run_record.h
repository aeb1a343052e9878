// RunRecord: the raw measurements of one simulation over its measured window W (after warm-up), as the engine
// collects them. Pure data: metrics.h turns it into the reported metrics; nothing here depends on SimGrid.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "models/analytic_bound.h"

namespace prepsim {

struct HostRecord {
  std::string name, kind, sku;
  double speed_flops = 0;  // per core
  int cores = 0;
  double energy_j = 0;      // SimGrid host energy plugin, over W
  double busy_flops = 0;    // executed in W
  double idle_power_w = 0;  // pstate 0 idle wattage
  double full_power_w = 0;  // pstate 0 wattage with every core busy
  std::string role;         // fleet | trainer | other
};

struct LinkRecord {
  std::string name, sku;
  std::string host;      // the host whose NIC this link is (XML prop "host"); empty for network links
  double bandwidth = 0;  // B/s
  double bytes = 0;      // carried in W
  double energy_j = 0;   // SimGrid link energy plugin, over W (0 when the link has no wattage_range)
  double full_power_w = 0;  // busy value of wattage_range
};

struct DiskRecord {
  std::string name, host, sku;
  double read_bandwidth = 0;  // B/s
  double bytes = 0;           // read in W
  double busy_s = 0;          // time with at least one read in flight, in W
};

struct ReplicaRecord {
  std::string host;
  double stall_s = 0;    // blocked on an empty prefetch buffer, in W
  double samples = 0;    // consumed by steps that ended in W
  double busy_s = 0;     // stepping, in W
};

struct JobRecord {
  std::string name;
  std::string sku;  // trainer SKU (for the price of stalls)
  bool sync = true;
  double demand = 0;  // samples/s with infinite input
  std::vector<ReplicaRecord> replicas;
  double step_wait_s = 0;  // sync: time the job's steps waited for the last replica's data, in W
  std::map<std::string, double> attribution_s;  // stage -> stall seconds, summed over replicas
};

struct RunRecord {
  double warmup_s = 0;
  double window_s = 0;
  std::vector<HostRecord> hosts;
  std::vector<LinkRecord> links;
  std::vector<DiskRecord> disks;
  std::vector<JobRecord> jobs;
  std::string worker_pool;            // the compute pool
  double workers = 0;                // its worker count
  double worker_busy_s = 0;          // summed over workers, in W
  std::vector<double> latencies_s;   // per batch arriving in W: start of its read to arrival at the trainer
  double peak_power_w = 0;           // sampled over W: hosts + links + disks
  double unloaded_latency_s = 0;     // one chunk through an idle pipeline
  double samples_produced = 0;       // batches delivered into prefetch buffers, whole run, in samples
  double samples_consumed = 0;       // taken from prefetch buffers, whole run
  double samples_in_flight = 0;      // delivered but not yet taken at the end
  double activities = 0;             // SimGrid activities (exec, comm, io) started, whole run
  double simulated_s = 0;            // simulated clock when the run ended every actor
  // Samples of the chunks claimed before the window opened and not yet fully stepped on by then: all that the
  // window can consume beyond what its own resources produce (the edge term of the throughput invariant).
  double samples_in_pipeline_at_start = 0;
  BoundResult bound;
};

}  // namespace prepsim
