// Workload of the preprocessing pipeline: what one chunk (one mini-batch) asks of each resource.
//
// From the scenario's dataset and DAG it derives, per chunk, the stored bytes read from disk, the work of each
// stage (rows, elements, output elements, borders: an OpWork) and its CPU seconds on a reference core (from the
// cost table), and the bytes of the finished batch sent to a trainer. Sparse list lengths vary per chunk, drawn
// from the chunk's own random stream (seed, "chunk/<index>"), so a chunk's work does not depend on which worker
// draws it; mean_chunk() gives expected values for the analytic bound and the unloaded latency.
//
// How accurate is this? Byte counts follow the columnar layout (float32 dense values with a 1-bit null mask,
// int64 ids, int32 lengths); output sizes of ngram and firstx use the mean list length, not the distribution.
// Stages run in topological order, and a stage after firstx, ngram or dedup of its group works on what those left
// (stages on parallel branches of one group are taken in that order too, as if chained).
// A stage's memory traffic is its input values read plus its output values written once (no cache reuse, no
// write-allocate): a lower bound of what the memory bus carries.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/op_cost.h"
#include "models/scenario.h"

namespace prepsim {

// Speed of the reference core in flop/s: a host whose XML speed is "1Gf" per core runs a cost table at face
// value. The XML speed of a CPU host is thus its per-core speed index relative to the reference core.
inline constexpr double kReferenceCoreFlops = 1e9;

struct ChunkWork {
  double rows = 0;
  double stored_bytes = 0;               // read from storage
  std::vector<OpWork> stage_work;        // by stage index (scenario order)
  std::vector<double> stage_seconds;     // on one reference core, by stage index; 0 for read
  std::vector<double> stage_memory_bytes;  // bytes a stage reads and writes in memory, by stage index
  std::vector<double> stage_bytes_in;      // bytes a stage reads, by stage index (what a device's DRAM carries)
  std::vector<double> stage_bytes_out;     // bytes a stage writes, by stage index
  double output_bytes = 0;               // the finished batch sent to a trainer
  double cpu_seconds() const;            // sum of stage_seconds
};

class Workload {
 public:
  // Throws InputError when the cost table lacks an op the pipeline uses.
  Workload(const Scenario& scenario, const CostTable& costs);

  ChunkWork chunk(std::uint64_t index) const;
  ChunkWork mean_chunk() const;
  // Chunks in the dataset (the last partial one counts); chunk indices wrap around every epoch.
  std::uint64_t chunks_per_epoch() const { return chunks_per_epoch_; }
  const CostTable& costs() const { return costs_; }

 private:
  ChunkWork build(const std::vector<double>& sparse_elements) const;

  const Scenario& sc_;
  CostTable costs_;
  std::uint64_t chunks_per_epoch_ = 0;
  std::vector<int> topo_;  // stage indices, predecessors first
};

}  // namespace prepsim
