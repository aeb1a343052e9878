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

}  // namespace prepsim
