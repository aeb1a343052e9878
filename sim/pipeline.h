// The preprocessing pipeline laid over the platform: the disks that hold the dataset, the segments (runs of
// consecutive stages on one pool) with their workers and devices, the phases of a chunk's path, and the queues
// that hand chunks from one segment to the next and to the dispatcher. Set up by setup_pipeline (segments.cpp);
// the actors of worker.cpp and dispatcher.cpp run on it.
#pragma once

#include <simgrid/s4u.hpp>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "models/catalog.h"
#include "models/devices/device_model.h"
#include "models/op_registry.h"
#include "models/run_record.h"
#include "models/scenario.h"
#include "sim/chunk.h"
#include "sim/phases.h"
#include "sim/routes.h"
#include "sim/wait_queue.h"

namespace prepsim::sim {

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

// One worker of a segment: a slot on one of its pool's hosts that takes one chunk at a time.
struct Worker {
  sg4::Host* host = nullptr;
  sg4::Host* memory = nullptr;  // cpu: its socket's memory pseudo-host (or nullptr)
  // cpu: the bandwidth its memory traffic reaches alone, B/s: its socket's, or less when the memory host says
  // `per_core_bandwidth` (one core cannot draw a whole socket's bandwidth: docs/cpu-model.md)
  double memory_bps = 0;
  Device* device = nullptr;  // device segments: the device it feeds
  OutputBuffer output;       // the chunk it finished, until it is taken on
};

// A run of consecutive stages (topological order) on one pool; a chunk crosses the platform between segments.
struct Segment {
  const Pool* pool = nullptr;
  bool on_devices = false;      // its pool is a device pool (else cpu cores)
  bool reads_own_disk = false;  // an isp segment that holds the read: it reads its devices' own disks
  bool after_decode = false;    // the chunk leaving it is decoded (what crosses the next cut)
  std::vector<int> stages;      // stage indices
  std::vector<Device> devices;  // device segments (never resized once workers point at them)
  std::vector<Worker> workers;
  // Its phases: the transfer into it (nullptr: an isp device reads its own flash) and its compute (cpu: one per
  // stage, in `stages` order; device: one).
  const Phase* transfer_in = nullptr;
  std::vector<const Phase*> compute;
  WaitQueue<Chunk*> inbox;  // chunks the previous segment finished, oldest first
  double service_s = 0;     // a worker's mean time per chunk on idle resources (its phases)
  double mean_issue_s = 0;  // device segments: the mean chunk's issue time on one device
  std::string mean_binding;  // device segments: what sets it (DeviceService::binding: "dram", "unit:decoder", ...)
};

// isp epochs: a device that finished its partition waits until every device finished theirs.
struct IspEpochs {
  int epoch = 0, devices_done = 0;
  sg4::MutexPtr mutex;
  sg4::ConditionVariablePtr cv;
};

struct Pipeline {
  std::vector<const OpInfo*> stage_ops;  // by stage index: what the op is (how its memory traffic composes)
  int read_stage = -1;
  std::vector<DiskState> disks;
  std::deque<Segment> segments;  // in path order; segment 0 reads (a deque: a Segment is not copyable)
  Phases phases;
  const Phase* read = nullptr;         // the first phase
  const Phase* to_trainers = nullptr;  // the last: from the last segment to a trainer, dispatch included
  std::uint64_t next_chunk = 0;        // storage pools: the next chunk index to claim (wraps every epoch)
  IspEpochs isp;
  ChunkPool chunks;
  WaitQueue<Chunk*> finished;  // chunks the last segment finished, in their workers' output buffers, oldest first
};

struct State;

// Segments, workers, devices, disks and phases of a scenario (segments.cpp). Throws InputError for a placement
// the devices refuse.
void setup_pipeline(State& st, const Scenario& sc, const Catalog& cat, sg4::Engine& e);
// The device stages of segment `seg` for one chunk, and what the device asks of it.
devices::DeviceService device_service_for(const Scenario& sc, const Segment& seg, const Device& d,
                                          const ChunkWork& w, double bytes_in, double bytes_out);
// Bytes that cross the cut after segment `seg` (stored bytes before decode, the chunk's output bytes after).
double cut_bytes(const Segment& seg, const ChunkWork& w);

}  // namespace prepsim::sim
