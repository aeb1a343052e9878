#include "models/validation/pipeline_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <set>
#include <stdexcept>

#include "models/dag.h"
#include "models/data/rng.h"
#include "models/units.h"
#include "models/validation/scenario_data.h"

namespace prepsim::validation {

std::vector<float> make_borders(int count, std::uint64_t seed, const std::string& name) {
  data::Rng rng = data::Rng::for_entity(seed, "borders/" + name);
  std::vector<float> borders(static_cast<std::size_t>(std::max(count, 0)));
  for (float& b : borders) b = static_cast<float>(rng.lognormal(kDenseMu, kDenseSigma));
  std::sort(borders.begin(), borders.end());
  return borders;
}

namespace {

// The list a scenario wrote for `param` of stage `stage` (borders, map), or empty when it gave a count.
std::vector<double> explicit_list(const Scenario& sc, const std::string& stage, const std::string& param) {
  std::vector<double> values;
  const config::Node* pipeline = sc.resolved.find("pipeline");
  if (pipeline == nullptr || !pipeline->is_seq()) return values;
  for (const config::Node& item : pipeline->items) {
    const config::Node* name = item.find("name");
    if (name == nullptr || name->scalar != stage) continue;
    const config::Node* params = item.find("params");
    const config::Node* list = params != nullptr ? params->find(param) : nullptr;
    if (list == nullptr || !list->is_seq()) return values;
    for (const config::Node& v : list->items) values.push_back(parse_quantity(v.scalar, Dim::Ratio));
  }
  return values;
}

ops::OpParams stage_params(const Scenario& sc, const Stage& st) {
  ops::OpParams p;
  auto get = [&](const char* key, double fallback) {
    auto it = st.params.find(key);
    return it == st.params.end() ? fallback : it->second;
  };
  p.salt = static_cast<std::int64_t>(get("salt", 0));
  p.max = static_cast<std::int64_t>(get("max", 1));
  p.x = static_cast<std::int64_t>(get("x", 0));
  p.n = static_cast<std::int64_t>(get("n", 1));
  p.lo = static_cast<float>(get("lo", 0));
  p.hi = static_cast<float>(get("hi", 0));
  p.lo_id = static_cast<std::int64_t>(std::ceil(get("lo", 0)));
  p.hi_id = static_cast<std::int64_t>(std::floor(get("hi", 0)));
  p.offset = static_cast<float>(get("offset", 0));
  p.eps = static_cast<float>(get("eps", 1e-6));
  p.lambda = static_cast<float>(get("lambda", 0));
  p.lower = static_cast<float>(get("lower", 0));
  p.upper = static_cast<float>(get("upper", 1));
  p.value = static_cast<float>(get("value", 0));
  const OpInfo& op = *find_op(st.op);
  auto takes = [&](std::string_view param) {
    return std::find(op.params.begin(), op.params.end(), param) != op.params.end();
  };
  if (takes("borders")) {
    const std::vector<double> list = explicit_list(sc, st.name, "borders");
    if (!list.empty()) {
      p.borders.assign(list.begin(), list.end());
    } else {
      p.borders = make_borders(static_cast<int>(get("borders", 0)), sc.seed, st.name);
    }
  }
  if (takes("map")) {
    const std::vector<double> list = explicit_list(sc, st.name, "map");
    if (!list.empty()) {
      for (double v : list) p.map.push_back(static_cast<std::int64_t>(v));
    } else {
      const auto n = static_cast<std::uint64_t>(get("map", 1));
      p.map.resize(n);
      std::uint64_t state = sc.seed ^ data::fnv1a64("map/" + st.name);
      for (std::int64_t& v : p.map) v = static_cast<std::int64_t>(data::splitmix64(state) % n);
    }
  }
  return p;
}

// A planned stage for the scenario's read or decode stage, or a stand-in when the scenario has none.
PlannedStage io_stage(const Scenario& sc, const std::string& op, StageKind kind) {
  PlannedStage p;
  p.name = op;
  for (const Stage& st : sc.stages) {
    if (st.op == op) p.name = st.name;
  }
  p.op = op;
  p.kind = kind;
  return p;
}

}  // namespace

PipelinePlan plan_pipeline(const Scenario& sc) {
  const DagOrder order = order_stages(sc.stages);
  const data::DatasetSpec spec = spec_from_scenario(sc);
  const std::vector<std::string> dense_names = data::dense_feature_names(spec);
  const std::vector<std::string> sparse_names = data::sparse_feature_names(spec);
  PipelinePlan plan;
  plan.rows_per_chunk = spec.rows_per_chunk;
  plan.dense_columns = static_cast<int>(dense_names.size());
  plan.sparse_keys = static_cast<int>(sparse_names.size());
  plan.stages.push_back(io_stage(sc, "read", StageKind::Read));
  plan.stages.push_back(io_stage(sc, "decode", StageKind::Decode));

  std::vector<int> plan_of(sc.stages.size(), -1);
  for (int s : order.topo) {
    const Stage& st = sc.stages[static_cast<std::size_t>(s)];
    if (st.op == "read" || st.op == "decode") continue;
    PlannedStage p;
    p.name = st.name;
    p.op = st.op;
    p.count = st.count;
    if (find_op(st.op)->scope == Scope::Batch) {
      p.kind = StageKind::ToKjt;
    } else {
      const OpInfo* k = ops::kernel_op(st.op);
      if (!k || st.features.empty()) {
        throw std::invalid_argument(fmt::format("stage '{}': op '{}' has no kernel to run it", st.name, st.op));
      }
      p.kernel = k;
      p.params = stage_params(sc, st);
      const std::string err = ops::check_params(st.op, p.params);
      if (!err.empty()) throw std::invalid_argument(fmt::format("stage '{}': {}", st.name, err));
      int first = 0;
      if (sc.find_dense(st.features) != nullptr) {
        for (const DenseGroup& g : sc.dataset.dense) {
          if (g.name == st.features) break;
          first += g.count;
        }
        p.kind = StageKind::Dense;
        p.list_output = k->layout == Layout::DenseToLists;
      } else {
        for (const SparseGroup& g : sc.dataset.sparse) {
          if (g.name == st.features) break;
          first += g.count;
        }
        p.kind = k->layout == Layout::FeaturesToInverseKjt ? StageKind::Dedup : StageKind::Sparse;
      }
      p.first = first;
      if (p.kind == StageKind::Dedup) {
        for (int i = 0; i < p.count; ++i) p.dedup_keys.push_back(sparse_names[static_cast<std::size_t>(first + i)]);
      }
    }
    plan_of[static_cast<std::size_t>(s)] = static_cast<int>(plan.stages.size());
    plan.stages.push_back(std::move(p));
  }

  // Sources: the nearest qualifying ancestor, breadth first along `after`.
  for (std::size_t s = 0; s < sc.stages.size(); ++s) {
    if (plan_of[s] < 0) continue;
    PlannedStage& p = plan.stages[static_cast<std::size_t>(plan_of[s])];
    if (p.kind != StageKind::Dense && p.kind != StageKind::Sparse && p.kind != StageKind::Dedup) continue;
    std::deque<int> queue(order.preds[s].begin(), order.preds[s].end());
    std::set<int> seen(queue.begin(), queue.end());
    while (!queue.empty() && p.source < 0) {
      const int t = queue.front();
      queue.pop_front();
      const int pt = plan_of[static_cast<std::size_t>(t)];
      if (pt >= 0) {
        const PlannedStage& q = plan.stages[static_cast<std::size_t>(pt)];
        const bool same_values = p.kind == StageKind::Dense
                                     ? q.kind == StageKind::Dense && !q.list_output && q.kernel->shape == nullptr
                                     : q.kind == StageKind::Sparse;
        if (same_values && sc.stages[static_cast<std::size_t>(t)].features == sc.stages[s].features &&
            q.count >= p.count) {
          p.source = pt;
          break;
        }
      }
      for (int u : order.preds[static_cast<std::size_t>(t)]) {
        if (seen.insert(u).second) queue.push_back(u);
      }
    }
  }
  for (const PlannedStage& p : plan.stages) {
    if (p.source >= 0) plan.stages[static_cast<std::size_t>(p.source)].consumed = true;
  }

  // to_kjt: leaves and pass-through features among its ancestors.
  for (std::size_t s = 0; s < sc.stages.size(); ++s) {
    if (plan_of[s] < 0 || plan.stages[static_cast<std::size_t>(plan_of[s])].kind != StageKind::ToKjt) continue;
    PlannedStage& p = plan.stages[static_cast<std::size_t>(plan_of[s])];
    std::vector<int> stack(order.preds[s].begin(), order.preds[s].end());
    std::set<int> ancestors;  // plan indices
    std::set<int> seen(stack.begin(), stack.end());
    while (!stack.empty()) {
      const int t = stack.back();
      stack.pop_back();
      if (plan_of[static_cast<std::size_t>(t)] >= 0) ancestors.insert(plan_of[static_cast<std::size_t>(t)]);
      for (int u : order.preds[static_cast<std::size_t>(t)]) {
        if (seen.insert(u).second) stack.push_back(u);
      }
    }
    std::vector<bool> dense_touched(dense_names.size(), false), sparse_touched(sparse_names.size(), false);
    for (int a : ancestors) {
      const PlannedStage& q = plan.stages[static_cast<std::size_t>(a)];
      if (q.kind != StageKind::Dense && q.kind != StageKind::Sparse && q.kind != StageKind::Dedup) continue;
      std::vector<bool>& touched = q.kind == StageKind::Dense ? dense_touched : sparse_touched;
      for (int i = 0; i < q.count; ++i) touched[static_cast<std::size_t>(q.first + i)] = true;
      if (q.consumed || q.kind == StageKind::Dedup) continue;
      p.leaves.push_back(a);
      if (q.kind == StageKind::Dense && !q.list_output) continue;
      const std::vector<std::string>& names = q.kind == StageKind::Dense ? dense_names : sparse_names;
      for (int i = 0; i < q.count; ++i) {
        p.kjt_keys.push_back(q.name + "/" + names[static_cast<std::size_t>(q.first + i)]);
      }
    }
    for (std::size_t i = 0; i < dense_touched.size(); ++i) {
      if (!dense_touched[i]) p.passthrough_dense.push_back(static_cast<int>(i));
    }
    for (std::size_t i = 0; i < sparse_touched.size(); ++i) {
      if (!sparse_touched[i]) {
        p.passthrough_sparse.push_back(static_cast<int>(i));
        p.kjt_keys.push_back(sparse_names[i]);
      }
    }
  }
  return plan;
}

}  // namespace prepsim::validation
