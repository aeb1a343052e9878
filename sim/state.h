// Shared state of one running simulation: the resources the actors use and the counters they fill.
// Internal to sim/ (engine.cpp sets it up, actors.cpp runs on it).
#pragma once

#include <simgrid/s4u.hpp>

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "models/run_record.h"
#include "models/scenario.h"
#include "models/workload.h"

namespace prepsim::sim {

namespace sg4 = simgrid::s4u;

// One batch on its way from a worker to a trainer; times are simulated seconds.
struct Batch {
  int replica = -1;        // global replica index
  double start = 0;        // the worker began reading it
  double ready = 0;        // all stages done
  // Per phase (State::phase_labels): how long it took and how long it takes on idle resources.
  std::vector<double> actual, nominal;
  double sent = 0;         // matched with a request and sent
  const sg4::Host* src = nullptr;  // the worker's host
  double bytes = 0;
  double samples = 0;
};

struct Replica {
  int job = 0;
  sg4::Host* host = nullptr;
  sg4::Mailbox* mailbox = nullptr;
  ReplicaRecord record;
};

struct Window {
  double begin = 0, end = 0;
  // Length of [a, b] inside the window.
  double overlap(double a, double b) const {
    double lo = a > begin ? a : begin, hi = b < end ? b : end;
    return hi > lo ? hi - lo : 0.0;
  }
};

struct DiskState {
  sg4::Disk* disk = nullptr;
  sg4::Host* host = nullptr;
  int in_flight = 0;
  double busy_since = 0;
  DiskRecord record;
};

struct State {
  const Scenario* scenario = nullptr;
  const Workload* workload = nullptr;
  Window window;

  std::vector<int> stage_order;       // compute stages in topological order (read excluded)
  int read_stage = -1;
  std::vector<DiskState> disks;
  std::vector<sg4::Host*> worker_hosts;  // one entry per worker
  // Per worker, the memory pseudo-host of its socket (nullptr when its host declares no memory bandwidth): a
  // stage moves its memory bytes over the route host -> socket memory while it computes, so streaming stages of
  // one socket share its bandwidth.
  std::vector<sg4::Host*> worker_memory;
  std::vector<Replica> replicas;
  std::vector<JobRecord> jobs;
  std::vector<sg4::BarrierPtr> barriers;  // per job (sync only)

  // Requests: one per free prefetch slot, served first come first served by workers with a ready batch.
  std::deque<int> requests;
  sg4::SemaphorePtr request_credits;

  std::uint64_t next_chunk = 0;
  std::deque<Batch> batches;  // stable addresses; recycled through `free_batches`
  std::vector<Batch*> free_batches;

  // Phases of a batch: read, transfer in, each stage of stage_order, transfer out (incl. waiting for dispatch).
  std::vector<std::string> phase_labels;
  // Share of each phase in a worker's mean time per chunk (0 for transfer out: workers do not wait on it).
  std::vector<double> worker_shares;
  double worker_service_s = 0;  // a worker's mean time per chunk on idle resources
  static constexpr std::size_t kRead = 0, kTransferIn = 1, kFirstStage = 2;
  std::size_t transfer_out_phase() const { return phase_labels.size() - 1; }

  std::map<const sg4::Host*, double> host_busy_flops;
  std::map<std::pair<const sg4::Host*, const sg4::Host*>, std::vector<sg4::Link*>> routes;
  std::map<const sg4::Link*, double> link_bytes;

  double worker_busy_s = 0;  // summed over workers: reading, receiving or computing a chunk, in the window
  std::vector<double> latencies;
  double produced = 0, consumed = 0;
  double activities = 0;

  // Energy snapshots (J) at the window's begin and end, and the sampled peak power.
  std::map<const sg4::Host*, double> host_energy_begin, host_energy_end;
  double peak_power_w = 0;
  double disk_peak_power_w = 0;  // disks at their busy power (not SimGrid hosts), added to the peak

  Batch* new_batch();
  void free_batch(Batch* b);
  const std::vector<sg4::Link*>& route(const sg4::Host* src, const sg4::Host* dst);
  // Adds `bytes` moved over [t0, t1] on the route src -> dst, clipped to the window.
  void account_transfer(const sg4::Host* src, const sg4::Host* dst, double bytes, double t0, double t1);
  // Latency plus bytes over the narrowest link of the route: the transfer time on an idle route.
  double nominal_transfer_s(const sg4::Host* src, const sg4::Host* dst, double bytes);
  void account_exec(const sg4::Host* host, double flops, double t0, double t1);
};

// Actor bodies (actors.cpp).
void worker_actor(State* st, int worker);
void replica_actor(State* st, int replica);
void controller_actor(State* st);
void power_sampler_actor(State* st, double period);

}  // namespace prepsim::sim
