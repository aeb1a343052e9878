// The preprocessing DAG: stages as nodes, `after` lists as edges, held in a Boost.Graph adjacency list.
// Validation refuses unknown predecessors and cycles (naming the stages on the cycle); the topological order
// is the order a worker runs a chunk's stages in.
#pragma once

#include <string>
#include <vector>

#include "models/scenario.h"

namespace prepsim {

struct DagOrder {
  std::vector<int> topo;          // stage indices, predecessors first
  std::vector<std::vector<int>> preds;
  std::vector<int> sinks;         // stages nothing depends on
};

// Throws InputError on an unknown `after`, a self-loop or a cycle.
DagOrder order_stages(const std::vector<Stage>& stages);

// A topological order that keeps the stages of one pool together where the DAG allows (among the stages ready
// next, one on the pool of the last stage placed comes first; ties in `order.topo` order): the fewest crossings
// between devices, each crossing a transfer the engine simulates.
std::vector<int> order_by_pool(const std::vector<Stage>& stages, const DagOrder& order);

// A run of consecutive stages of order_by_pool() on one pool: a segment of the engine. A chunk crosses the
// platform between two runs.
struct PoolRun {
  std::string pool;
  std::vector<int> stages;  // stage indices
};
// The compute stages (read left out) in order_by_pool() order, cut into runs.
std::vector<PoolRun> pool_runs(const std::vector<Stage>& stages, const DagOrder& order);

}  // namespace prepsim
