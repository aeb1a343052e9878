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
}  // namespace

double ChunkWork::cpu_seconds() const {
  double s = 0;
  for (double x : stage_seconds) s += x;
  return s;
}

Workload::Workload(const Scenario& scenario, const CostTable& costs) : sc_(scenario), costs_(costs) {
  for (const Stage& st : sc_.stages) {
    if (find_op(st.op)->cpu_cost && costs_.find(st.op) == nullptr) {
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
    const OpInfo& op = *find_op(st.op);
    OpWork& ow = w.stage_work[s];
    ow.rows = w.rows;
    const SparseGroup* sg = sc_.find_sparse(st.features);
    if (sc_.find_dense(st.features) != nullptr) {
      ow.elements = w.rows * st.count;
      ow.columns = st.count;
    } else if (sg != nullptr) {
      const GroupState& gs = groups[sg];
      ow.elements = gs.ids * st.count / sg->count;
      ow.lists = gs.lists * st.count / sg->count;
      ow.columns = st.count;
      // A sparse kernel walks the stage's lists, all its features' in one call: its rows are lists (the
      // calibration times it on one feature, where the two are the same). A kernel over several features at once
      // (dedup) groups a sample's features and counts both.
      if (!takes_features(op.layout)) ow.rows = ow.lists;
    } else if (op.scope == Scope::Batch) {  // the batch as it stands: every dense value, id and list the stages left
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
    if (op.shape != nullptr) {  // the op changes the shape of its group's values (op table: ShapeIn, ShapeOut)
      ShapeIn in{.elements = ow.elements, .lists = ow.lists, .params = &st.params};
      double fresh = 0;  // sparse: features of the stage no earlier stage deduplicated
      if (sg != nullptr) {
        const GroupState& gs = groups[sg];
        // The mean list length: the dataset's, until a stage changed the lists.
        in.mean_length = gs.reshaped ? (gs.lists > 0 ? gs.ids / gs.lists : 0.0) : sg->mean_length;
        // Only features no earlier stage deduplicated still hold duplicates.
        fresh = std::max(0.0, std::min<double>(st.count, sg->count - gs.deduped));
        in.duplicated = sg->duplication * fresh / st.count;
      }
      const ShapeOut shape = op.shape(in);
      ow.output_elements = shape.output_elements;
      ow.borders = shape.borders;
      if (sg != nullptr) {
        GroupState& gs = groups[sg];
        if (op.removes_duplicates) gs.deduped += fresh;
        out_ids += ow.output_elements - ow.elements;
        out_lists -= shape.lists_removed;
        gs.ids += ow.output_elements - ow.elements;
        gs.lists -= shape.lists_removed;
        gs.reshaped = true;
      } else if (op.output == Domain::Sparse) {  // dense values become lists of ids, one per value
        out_ids += ow.output_elements;
        out_lists += ow.elements;
      } else {
        out_dense += ow.output_elements - ow.elements;
      }
    }
    if (op.cpu_cost) w.stage_seconds[s] = costs_.seconds(st.op, ow);
    double in_size = op.input == Domain::Dense ? kDenseBytes : kIdBytes;
    double out_size = op.output == Domain::Dense ? kDenseBytes : kIdBytes;
    if (!op.cpu_cost) {
      // an op without CPU cost (read) moves nothing through memory here
    } else if (op.scope == Scope::Chunk) {
      w.stage_bytes_in[s] = w.stored_bytes;
      w.stage_bytes_out[s] = raw;
    } else if (op.scope == Scope::Batch) {
      w.stage_bytes_in[s] = w.stage_bytes_out[s] = out_dense * kDenseBytes + out_ids * kIdBytes + out_lists * kLengthBytes;
    } else {
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
