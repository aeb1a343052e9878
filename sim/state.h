// Shared state of one running simulation: the resources the actors use and the counters they fill.
// Internal to sim/ (engine.cpp sets it up, actors.cpp runs on it).
#pragma once

#include <simgrid/s4u.hpp>

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "models/catalog.h"
#include "models/devices/device_model.h"
#include "models/run_record.h"
#include "models/scenario.h"
#include "models/workload.h"

namespace prepsim::sim {

namespace sg4 = simgrid::s4u;

// One batch on its way from a worker to a trainer; times are simulated seconds.
struct Batch {
  int replica = -1;        // global replica index
  ChunkWork work;          // what the chunk asks of each stage
  // Between segments: the host holding the batch, its one-batch output buffer (released once the next segment
  // took the batch) and the bytes that cross to the next segment.
  sg4::Host* holder = nullptr;
  sg4::SemaphorePtr holder_free;
  double cut_bytes = 0;
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

// One device of a device pool (fpga, isp, smartnic, gpu): a SimGrid host whose chunks enter its units one at a
// time (issue_s each) and take latency_s to come out, `slots` chunks at once.
struct Device {
  sg4::Host* host = nullptr;
  const devices::DeviceModel* model = nullptr;
  sg4::MutexPtr issue;
  // isp: the partition of every epoch it stores (chunk indices [first, first + count)) and its own disk.
  std::uint64_t first = 0, count = 0, next = 0;
  int done_epoch = -1;
  int disk = -1;
};

// A run of consecutive stages (topological order) on one pool; a chunk crosses the platform between segments.
struct Segment {
  const Pool* pool = nullptr;
  bool device = false;             // a device pool (else cpu)
  bool reads_own_disk = false;     // an isp segment that holds the read: it reads its devices' own disks
  std::vector<int> stages;         // stage indices
  std::vector<sg4::Host*> worker_hosts;   // one entry per worker
  std::vector<sg4::Host*> worker_memory;  // cpu: the socket memory pseudo-host of each worker (or nullptr)
  // cpu: the bandwidth one worker's memory traffic reaches alone, B/s: its socket's, or less when the memory host
  // says `per_core_bandwidth` (one core cannot draw a whole socket's bandwidth: docs/cpu-model.md)
  std::vector<double> worker_memory_bps;
  std::vector<int> worker_device;         // device pools: the device of each worker
  std::vector<Device> devices;
  int transfer_phase = -1;  // phase of the transfer into the segment (-1: none, the isp reads its own disk)
  int first_phase = 0;      // its first compute phase (cpu: one per stage; device: one)
  bool after_decode = false;  // the chunk leaving it is decoded (what crosses the next cut)
  std::deque<Batch*> inbox;   // batches the previous segment finished, waiting for a worker of this one
  sg4::SemaphorePtr inbox_items;
  double service_s = 0;     // a worker's mean time per chunk on idle resources (its phases)
  double mean_issue_s = 0;  // device pools: the mean chunk's issue time on one device
  std::string mean_binding;  // device pools: what sets it (DeviceService::binding: "dram", "unit:decoder", ...)
};

struct State {
  const Scenario* scenario = nullptr;
  const Workload* workload = nullptr;
  Window window;

  std::vector<int> stage_order;       // compute stages in topological order (read excluded)
  int read_stage = -1;
  std::vector<DiskState> disks;
  std::vector<Segment> segments;      // in pipeline order; segment 0 reads
  // isp epochs: a device that finished its partition waits until every device finished theirs.
  int epoch = 0, devices_done = 0;
  sg4::MutexPtr epoch_mutex;
  sg4::ConditionVariablePtr epoch_cv;
  std::vector<Replica> replicas;
  std::vector<JobRecord> jobs;
  std::vector<sg4::BarrierPtr> barriers;  // per job (sync only)

  // Requests: one per free prefetch slot, matched first come first served with the finished batches (oldest
  // first) by the dispatcher.
  std::deque<int> requests;
  sg4::SemaphorePtr request_credits;
  std::deque<Batch*> ready;  // finished batches in their workers' output buffers
  sg4::SemaphorePtr ready_items;

  std::uint64_t next_chunk = 0;
  std::deque<Batch> batches;  // stable addresses; recycled through `free_batches`
  std::vector<Batch*> free_batches;

  // Phases of a batch: read, then per segment the transfer into it (when there is one) and its compute phases
  // (cpu: one per stage; device: one), then the transfer to the trainer (incl. waiting for dispatch).
  std::vector<std::string> phase_labels;
  // How a stall that no contention explains splits over the phases: each phase's mean time per chunk divided by
  // the workers of its segment (the capacity that serves it), normalised; 0 for the transfer out.
  std::vector<double> worker_shares;
  std::vector<double> nominal_phase_s;  // the mean chunk's time in each phase on idle resources
  std::vector<const OpInfo*> stage_ops;  // by stage index: what the op is (how its memory traffic composes)
  static constexpr std::size_t kRead = 0;
  std::size_t transfer_out_phase() const { return phase_labels.size() - 1; }

  std::map<const sg4::Host*, double> host_busy_flops;
  std::map<std::pair<const sg4::Host*, const sg4::Host*>, std::vector<sg4::Link*>> routes;
  std::map<const sg4::Link*, double> link_bytes;

  double worker_busy_s = 0;  // summed over workers: reading, receiving or computing a chunk, in the window
  std::vector<double> latencies;
  double produced = 0, consumed = 0;
  // Samples claimed by first-segment workers, and samples whose training step ended, whole run; their difference
  // when the window opens is RunRecord::samples_in_pipeline_at_start.
  double claimed = 0, stepped = 0, in_pipeline_at_start = 0;
  double ended_at = 0;  // the clock when the controller ended every actor (the run's end)
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

// Segments, devices and phases of a scenario (segments.cpp). Throws InputError for a placement the devices
// refuse.
void setup_segments(State& st, const Scenario& sc, const Catalog& cat, sg4::Engine& e);
// The device stages of segment `seg` for one chunk, and what the device asks of it.
devices::DeviceService device_service_for(const State& st, const Segment& seg, const Device& d, const ChunkWork& w,
                                          double bytes_in, double bytes_out);
// Bytes that cross the cut after segment `seg` (stored bytes before decode, the batch's bytes after).
double cut_bytes(const Segment& seg, const ChunkWork& w);

// Refuses (InputError) a run past what this machine can do or that could measure nothing (run_limits.cpp): more
// actors than the process may map, a wall time estimated past an hour unless `force`, a chunk that cannot reach a
// trainer before the run ends.
void check_run_limits(const State& st, const Scenario& sc, bool force, double bound_samples_per_s);

// Actor bodies (actors.cpp).
void worker_actor(State* st, int segment, int worker);
void replica_actor(State* st, int replica);
void dispatcher_actor(State* st);
void controller_actor(State* st);
void power_sampler_actor(State* st, double period);

}  // namespace prepsim::sim
