#include "models/dag.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "models/config/input_error.h"

namespace prepsim {
namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

// Records the first back edge (u -> v) found by a DFS: v is on a cycle through u.
struct CycleFinder : boost::default_dfs_visitor {
  std::vector<int>* parent;
  std::pair<int, int>* back;
  void tree_edge(Graph::edge_descriptor e, const Graph& g) {
    (*parent)[boost::target(e, g)] = static_cast<int>(boost::source(e, g));
  }
  void back_edge(Graph::edge_descriptor e, const Graph& g) {
    if (back->first < 0) *back = {static_cast<int>(boost::source(e, g)), static_cast<int>(boost::target(e, g))};
  }
};

}  // namespace

DagOrder order_stages(const std::vector<Stage>& stages) {
  std::map<std::string, int> index;
  for (std::size_t i = 0; i < stages.size(); ++i) index[stages[i].name] = static_cast<int>(i);

  Graph g(stages.size());
  DagOrder order;
  order.preds.resize(stages.size());
  std::vector<bool> has_succ(stages.size(), false);
  for (std::size_t i = 0; i < stages.size(); ++i) {
    for (const std::string& a : stages[i].after) {
      auto it = index.find(a);
      if (it == index.end()) {
        std::vector<std::string> names;
        for (const Stage& s : stages) names.push_back(s.name);
        throw InputError(stages[i].file, stages[i].line, "pipeline." + stages[i].name + ".after",
                         fmt::format("no stage named '{}'; stages are: {}", a, fmt::join(names, ", ")));
      }
      if (it->second == static_cast<int>(i)) {
        throw InputError(stages[i].file, stages[i].line, "pipeline." + stages[i].name + ".after",
                         "a stage cannot come after itself");
      }
      boost::add_edge(it->second, i, g);
      order.preds[i].push_back(it->second);
      has_succ[it->second] = true;
    }
  }

  std::vector<int> parent(stages.size(), -1);
  std::pair<int, int> back{-1, -1};
  CycleFinder finder;
  finder.parent = &parent;
  finder.back = &back;
  boost::depth_first_search(g, boost::visitor(finder));
  if (back.first >= 0) {
    std::vector<std::string> cycle{stages[back.second].name};
    std::vector<std::string> path;
    for (int v = back.first; v != back.second && v >= 0; v = parent[v]) path.push_back(stages[v].name);
    std::reverse(path.begin(), path.end());
    cycle.insert(cycle.end(), path.begin(), path.end());
    cycle.push_back(stages[back.second].name);
    const Stage& s = stages[back.second];
    throw InputError(s.file, s.line, "pipeline." + s.name + ".after",
                     fmt::format("the pipeline has a cycle: {}; a pipeline must be a DAG",
                                 fmt::join(cycle, " -> ")));
  }

  std::vector<Graph::vertex_descriptor> reversed;
  boost::topological_sort(g, std::back_inserter(reversed));
  for (auto it = reversed.rbegin(); it != reversed.rend(); ++it) order.topo.push_back(static_cast<int>(*it));
  for (std::size_t i = 0; i < stages.size(); ++i) {
    if (!has_succ[i]) order.sinks.push_back(static_cast<int>(i));
  }
  return order;
}

std::vector<int> order_by_pool(const std::vector<Stage>& stages, const DagOrder& order) {
  const std::size_t n = stages.size();
  std::vector<int> rank(n), waiting(n);
  for (std::size_t k = 0; k < order.topo.size(); ++k) rank[static_cast<std::size_t>(order.topo[k])] = static_cast<int>(k);
  std::vector<std::vector<int>> succ(n);
  for (std::size_t i = 0; i < n; ++i) {
    waiting[i] = static_cast<int>(order.preds[i].size());
    for (int p : order.preds[i]) succ[static_cast<std::size_t>(p)].push_back(static_cast<int>(i));
  }
  std::vector<int> ready, out;
  for (std::size_t i = 0; i < n; ++i) {
    if (waiting[i] == 0) ready.push_back(static_cast<int>(i));
  }
  std::string pool;
  while (!ready.empty()) {
    auto best = ready.begin();
    for (auto it = ready.begin(); it != ready.end(); ++it) {
      bool same = stages[static_cast<std::size_t>(*it)].pool == pool;
      bool best_same = stages[static_cast<std::size_t>(*best)].pool == pool;
      if ((same && !best_same) || (same == best_same && rank[static_cast<std::size_t>(*it)] < rank[static_cast<std::size_t>(*best)])) best = it;
    }
    int s = *best;
    ready.erase(best);
    out.push_back(s);
    pool = stages[static_cast<std::size_t>(s)].pool;
    for (int t : succ[static_cast<std::size_t>(s)]) {
      if (--waiting[static_cast<std::size_t>(t)] == 0) ready.push_back(t);
    }
  }
  return out;
}

std::vector<PoolRun> pool_runs(const std::vector<Stage>& stages, const DagOrder& order) {
  std::vector<PoolRun> runs;
  for (int i : order_by_pool(stages, order)) {
    const Stage& s = stages[static_cast<std::size_t>(i)];
    if (s.op == "read") continue;
    if (runs.empty() || runs.back().pool != s.pool) runs.push_back({s.pool, {}});
    runs.back().stages.push_back(i);
  }
  return runs;
}

}  // namespace prepsim
