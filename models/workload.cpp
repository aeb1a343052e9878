#include "models/workload.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "models/config/input_error.h"
#include "models/dag.h"
#include "models/data/rng.h"
#include "models/op_registry.h"

namespace prepsim {

namespace {
constexpr double kDenseBytes = 4.0;   // float32
constexpr double kIdBytes = 8.0;      // int64
constexpr double kLengthBytes = 4.0;  // int32
constexpr double kNullMaskBytes = 1.0 / 8.0;

double param(const Stage& st, const char* name) {
  auto it = st.params.find(name);
  return it == st.params.end() ? 0.0 : it->second;
}
}  // namespace

double ChunkWork::cpu_seconds() const {
  double s = 0;
  for (double x : stage_seconds) s += x;
  return s;
}

Workload::Workload(const Scenario& scenario, const CostTable& costs) : sc_(scenario), costs_(costs) {
  for (const Stage& st : sc_.stages) {
    if (st.op != "read" && costs_.find(st.op) == nullptr) {
      throw InputError(st.file, st.line, "pipeline." + st.name + ".op",
                       fmt::format("the cpu cost table '{}' has no coefficients for op '{}' (add them to the "
                                   "catalog or calibrate)",
                                   sc_.cpu_costs, st.op));
    }
  }
  topo_ = order_stages(sc_.stages).topo;
  double b = static_cast<double>(sc_.dataset.batch_size);
  chunks_per_epoch_ = static_cast<std::uint64_t>(std::ceil(sc_.dataset.samples / b));
}

ChunkWork Workload::build(const std::vector<double>& sparse_elements) const {
  const Dataset& d = sc_.dataset;
  ChunkWork w;
  w.rows = static_cast<double>(d.batch_size);
  double dense_values = 0, sparse_values = 0, sparse_features = 0, dense_features = 0;
  for (const DenseGroup& g : d.dense) {
    dense_values += w.rows * g.count;
    dense_features += g.count;
  }
  for (std::size_t i = 0; i < d.sparse.size(); ++i) {
    sparse_values += sparse_elements[i];
    sparse_features += d.sparse[i].count;
  }
  double raw = dense_values * (kDenseBytes + kNullMaskBytes) + sparse_values * kIdBytes +
               w.rows * sparse_features * kLengthBytes;
  w.stored_bytes = raw / d.compression_ratio;

  // Output batch: values after every stage's change of shape.
  double out_dense = dense_values, out_ids = sparse_values, out_lists = w.rows * sparse_features;
  w.stage_work.resize(sc_.stages.size());
  w.stage_seconds.resize(sc_.stages.size(), 0.0);
  w.stage_memory_bytes.resize(sc_.stages.size(), 0.0);
  w.stage_bytes_in.resize(sc_.stages.size(), 0.0);
  w.stage_bytes_out.resize(sc_.stages.size(), 0.0);
  // What earlier stages did to each sparse group, in topological order: a stage after firstx, ngram or dedup of its
  // group works on what they left (two stages that reshaped the raw group each once drove output bytes negative).
  struct GroupState {
    double ids = 0, lists = 0, deduped = 0;  // deduped: features already deduplicated
    bool reshaped = false;
  };
  std::map<const SparseGroup*, GroupState> groups;
  for (std::size_t i = 0; i < d.sparse.size(); ++i) {
    groups[&d.sparse[i]] = {sparse_elements[i], w.rows * d.sparse[i].count, 0, false};
  }
  for (int si : topo_) {
    const auto s = static_cast<std::size_t>(si);
    const Stage& st = sc_.stages[s];
    OpWork& ow = w.stage_work[s];
    ow.rows = w.rows;
    if (const DenseGroup* g = sc_.find_dense(st.features)) {
      (void)g;
      ow.elements = w.rows * st.count;
      ow.columns = st.count;
    } else if (const SparseGroup* g = sc_.find_sparse(st.features)) {
      const GroupState& gs = groups[g];
      ow.elements = gs.ids * st.count / g->count;
      ow.lists = gs.lists * st.count / g->count;
      ow.columns = st.count;
      // A sparse kernel walks the stage's lists, all its features' in one call: its rows are lists (the
      // calibration times it on one feature, where the two are the same). dedup groups a sample's features and
      // counts both.
      if (st.op != "dedup") ow.rows = ow.lists;
    } else if (st.op == "to_kjt") {  // the batch as it stands: every dense value, id and list the stages left
      ow.elements = out_dense + out_ids;
      ow.lists = out_lists;
      ow.columns = dense_features + sparse_features;
    } else {  // whole-chunk ops
      ow.elements = dense_values + sparse_values;
      ow.lists = w.rows * sparse_features;
      ow.columns = dense_features + sparse_features;
      ow.stored_bytes = w.stored_bytes;
      ow.raw_bytes = raw;
    }
    ow.output_elements = ow.elements;
    if (st.op == "bucketize") {
      ow.borders = param(st, "borders");
      out_ids += ow.elements;
      out_lists += ow.elements;
    } else if (st.op == "onehot") {
      double n = param(st, "n");
      ow.output_elements = ow.elements * n;
      out_dense += ow.elements * (n - 1);
    } else if (st.op == "ngram" || st.op == "firstx" || st.op == "dedup") {
      const SparseGroup* g = sc_.find_sparse(st.features);
      GroupState& gs = groups[g];
      // The mean list length: the dataset's, until a stage changed the lists.
      double len = gs.reshaped ? (gs.lists > 0 ? gs.ids / gs.lists : 0.0) : g->mean_length;
      double lists_removed = 0;
      if (st.op == "ngram") {
        double n = std::min(param(st, "n"), len);
        ow.output_elements = len > 0 ? ow.elements / len * (len - n + 1) * n : 0.0;
      } else if (st.op == "firstx") {
        ow.output_elements = len > 0 ? ow.elements * std::min(1.0, param(st, "x") / len) : 0.0;
      } else {
        // Only features no earlier stage deduplicated still hold duplicates.
        double fresh = std::max(0.0, std::min<double>(st.count, g->count - gs.deduped));
        gs.deduped += fresh;
        double dup = g->duplication * fresh / st.count;
        ow.output_elements = ow.elements * (1.0 - dup);
        lists_removed = ow.lists * dup;
      }
      out_ids += ow.output_elements - ow.elements;
      out_lists -= lists_removed;
      gs.ids += ow.output_elements - ow.elements;
      gs.lists -= lists_removed;
      gs.reshaped = true;
    }
    if (st.op != "read") w.stage_seconds[s] = costs_.seconds(st.op, ow);
    const OpInfo* info = find_op(st.op);
    double in_size = info->input == Domain::Dense ? kDenseBytes : kIdBytes;
    double out_size = info->output == Domain::Dense ? kDenseBytes : kIdBytes;
    if (st.op == "decode") {
      w.stage_bytes_in[s] = w.stored_bytes;
      w.stage_bytes_out[s] = raw;
    } else if (st.op == "to_kjt") {
      w.stage_bytes_in[s] = w.stage_bytes_out[s] = out_dense * kDenseBytes + out_ids * kIdBytes + out_lists * kLengthBytes;
    } else if (st.op != "read") {
      w.stage_bytes_in[s] = ow.elements * in_size;
      w.stage_bytes_out[s] = ow.output_elements * out_size;
    }
    w.stage_memory_bytes[s] = w.stage_bytes_in[s] + w.stage_bytes_out[s];
  }
  w.output_bytes = out_dense * kDenseBytes + out_ids * kIdBytes + out_lists * kLengthBytes;
  return w;
}

ChunkWork Workload::chunk(std::uint64_t index) const {
  const Dataset& d = sc_.dataset;
  std::vector<double> elements(d.sparse.size());
  data::Rng rng = data::Rng::for_entity(sc_.seed, fmt::format("chunk/{}", index));
  for (std::size_t i = 0; i < d.sparse.size(); ++i) {
    const SparseGroup& g = d.sparse[i];
    double lists = static_cast<double>(d.batch_size) * g.count;
    double mean = lists * g.mean_length;
    if (g.length_distribution == "poisson") {
      // Sum of `lists` Poisson(mean_length) lengths is Poisson(mean): its normal approximation at these sizes.
      elements[i] = std::max(0.0, std::round(rng.normal(mean, std::sqrt(mean))));
    } else {
      elements[i] = mean;
    }
  }
  return build(elements);
}

ChunkWork Workload::mean_chunk() const {
  const Dataset& d = sc_.dataset;
  std::vector<double> elements(d.sparse.size());
  for (std::size_t i = 0; i < d.sparse.size(); ++i) {
    elements[i] = static_cast<double>(d.batch_size) * d.sparse[i].count * d.sparse[i].mean_length;
  }
  return build(elements);
}

}  // namespace prepsim
