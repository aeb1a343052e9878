#include "models/calibration/op_harness.h"

#include <stdexcept>

#include "models/calibration/op_harness_detail.h"
#include "models/data/dataset_spec.h"
#include "models/data/generator.h"

namespace prepsim::calibration {
namespace detail {

data::ColumnarBatch make_inputs(std::int64_t rows, int dense, int sparse, double mean_length,
                                std::int64_t cardinality, double duplication) {
  data::DatasetSpec spec;
  spec.rows_per_chunk = rows;
  if (dense > 0) {
    data::DenseGroupSpec g;
    g.name = "d";
    g.count = dense;
    g.null_fraction = 0.1;
    spec.dense.push_back(g);
  }
  if (sparse > 0) {
    data::SparseGroupSpec g;
    g.name = "s";
    g.count = sparse;
    g.mean_length = mean_length;
    g.length_distribution = data::LengthDistribution::Poisson;
    g.cardinality = cardinality;
    g.duplication = duplication;
    spec.sparse.push_back(g);
  }
  std::uint64_t seed = 0xca11b7a7e5eedULL;
  for (double v : {static_cast<double>(rows), static_cast<double>(dense), static_cast<double>(sparse), mean_length,
                   static_cast<double>(cardinality), duplication}) {
    seed = seed * 1000003ULL + static_cast<std::uint64_t>(v * 1024);
  }
  return data::generate_chunk(spec, seed, 0);
}

}  // namespace detail

namespace {

// Working sets up to this many values stay in a 256 KB-1 MB L2 cache (4-8 bytes per value in, as many out).
constexpr double kMaxValues = 32768;

struct ParamAxis {
  std::string_view op;
  std::string_view name;
  std::vector<double> values;  // full grid; the quick grid takes the first and the last
};

// The ops' own size parameters. Values span the sizes seen in practice (docs/calibration.md).
const std::vector<ParamAxis>& param_axes() {
  static const std::vector<ParamAxis> axes = {
      {"bucketize", "borders", {1, 15, 255}},
      {"ngram", "n", {1, 2, 4}},
      {"onehot", "n", {2, 8, 32}},
      {"firstx", "x", {1, 4, 32}},
      {"mapid", "map size", {1 << 10, 1 << 14, 1 << 18}},
  };
  return axes;
}

}  // namespace

std::vector<GridPoint> OpGrid::points() const {
  std::vector<GridPoint> out;
  for (double param : params) {
    for (std::int64_t w : widths) {
      for (std::int64_t r : rows) {
        double values = static_cast<double>(r) * (values_per_row + values_per_width * static_cast<double>(w));
        if (param_scales_values) values *= param;
        if (max_values > 0 && values > max_values) continue;
        out.push_back({r, w, param});
      }
    }
  }
  return out;
}

std::vector<std::string> harnessed_ops() {
  std::vector<std::string> out;
  for (const OpInfo& op : all_ops()) {
    if (make_harness(op.name) != nullptr) out.emplace_back(op.name);
  }
  return out;
}

std::unique_ptr<OpHarness> make_harness(std::string_view op) {
  if (op == "decode") return detail::make_decode_harness();
  if (op == "dedup") return detail::make_dedup_harness();
  return detail::make_run_op_harness(op);  // nullptr for read and unknown names
}

OpGrid grid_for(std::string_view op, bool quick) {
  OpGrid g;
  g.rows = quick ? std::vector<std::int64_t>{64, 256, 1024} : std::vector<std::int64_t>{128, 256, 512, 1024, 2048, 4096, 8192};
  g.widths = quick ? std::vector<std::int64_t>{1, 8} : std::vector<std::int64_t>{1, 2, 4, 8, 16, 32, 64};
  g.params = {0};
  g.max_values = quick ? 0 : kMaxValues;
  for (const ParamAxis& a : param_axes()) {
    if (a.op != op) continue;
    g.param_name = a.name;
    g.params = quick ? std::vector<double>{a.values.front(), a.values.back()} : a.values;
  }
  if (op == "to_kjt" || op == "dedup") {
    g.values_per_width = detail::kKeysPerStage;
  } else if (op == "decode") {
    // Decode runs on whole chunks, MBs in practice: calibrating it in cache under-predicted real 8,192-row chunks by
    // 25% (prepsim validate), so its grid reaches chunk sizes (4M values), out of cache as they are in use.
    g.values_per_row = detail::kDecodeDense;
    g.values_per_width = detail::kDecodeSparse;
    if (!quick) g.max_values = 128 * kMaxValues;
  } else if (op == "onehot") {
    g.param_scales_values = true;
    if (!quick) g.max_values = 8 * kMaxValues;
  }
  g.reference = {quick ? 256 : 2048, quick ? 8 : 16, g.params[g.params.size() / 2]};
  const OpInfo* info = find_op(op);
  if (info != nullptr && g.points().size() < 2 * info->signature.size()) {
    throw std::logic_error("calibration grid of " + std::string(op) + " has too few points for its signature");
  }
  return g;
}

}  // namespace prepsim::calibration
