// Chunk and ChunkPool (chunk.h).
#include "sim/chunk.h"

#include <utility>

namespace prepsim::sim {

void Chunk::begin(ChunkWork w, double now) {
  work = std::move(w);
  at = nullptr;
  buffer = nullptr;
  cut_bytes = 0;
  replica = -1;
  claimed_at = now;
  finished_at = sent_at = arrived_at = 0;
  path.clear();
}

Chunk* ChunkPool::take() {
  if (!free_.empty()) {
    Chunk* c = free_.back();
    free_.pop_back();
    return c;
  }
  all_.emplace_back();
  return &all_.back();
}

}  // namespace prepsim::sim
