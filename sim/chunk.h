// One chunk (one mini-batch: models/workload.h) on its way through the engine: its work, where it is, when each
// step of its path happened (recorded where it happens), and the worker's output buffer it waits in. The path
// itself, step by step, is at the top of sim/worker.cpp and in docs/engine.md ("A chunk's path").
#pragma once

#include <simgrid/s4u.hpp>

#include <deque>
#include <vector>

#include "models/workload.h"
#include "sim/phases.h"

namespace prepsim::sim {

namespace sg4 = simgrid::s4u;

class OutputBuffer;

// How long a chunk took in one phase, and how long that phase takes it on idle resources.
struct PhaseTime {
  const Phase* phase = nullptr;
  double actual_s = 0;
  double nominal_s = 0;
};

struct Chunk {
  ChunkWork work;                  // what it asks of each stage; rows = its samples, output_bytes = what is sent
  sg4::Host* at = nullptr;         // the host holding it: the one whose worker computed it last
  OutputBuffer* buffer = nullptr;  // the output buffer it waits in, until it is taken on
  double cut_bytes = 0;            // the bytes that cross to the next segment
  int replica = -1;                // the trainer replica it was sent to
  // Simulated times, each recorded by the function that makes it happen.
  double claimed_at = 0;   // claim_chunk: a first-segment worker took it (its read starts)
  double finished_at = 0;  // worker_actor: its last segment's compute ended
  double sent_at = 0;      // dispatcher_actor: matched with a request, its send started
  double arrived_at = 0;   // replica_actor: its send ended at the trainer
  std::vector<PhaseTime> path;  // its phases, in the order it went through them

  // A fresh record for the chunk `w`, claimed at `now`.
  void begin(ChunkWork w, double now);
  // It spent [t0, t1] in `phase`, which takes `nominal_s` on idle resources.
  void record(const Phase& phase, double t0, double t1, double nominal_s) {
    path.push_back({&phase, t1 - t0, nominal_s});
  }
};

// A worker's one-chunk output buffer; hold() and release() are the only places it changes. The worker that
// finished a chunk holds it there (waiting while the buffer still holds its previous chunk) and goes on with its
// next; whoever takes the chunk on releases it: the next segment's worker once it received the chunk, or the
// dispatcher once the send to a trainer started.
class OutputBuffer {
 public:
  OutputBuffer() : free_(sg4::Semaphore::create(1)) {}
  OutputBuffer(const OutputBuffer&) = delete;  // one buffer, one semaphore
  OutputBuffer& operator=(const OutputBuffer&) = delete;
  OutputBuffer(OutputBuffer&&) = default;
  OutputBuffer& operator=(OutputBuffer&&) = default;
  void hold(Chunk* c) {
    free_->acquire();
    c->buffer = this;
  }
  static void release(Chunk* c) {
    c->buffer->free_->release();
    c->buffer = nullptr;
  }

 private:
  sg4::SemaphorePtr free_;
};

// Chunks in flight, with stable addresses, recycled once a trainer took them.
class ChunkPool {
 public:
  Chunk* take();
  void give_back(Chunk* c) { free_.push_back(c); }

 private:
  std::deque<Chunk> all_;
  std::vector<Chunk*> free_;
};

}  // namespace prepsim::sim
