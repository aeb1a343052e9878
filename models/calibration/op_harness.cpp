#include "models/calibration/op_harness.h"

#include <stdexcept>

#include "models/calibration/op_harness_detail.h"
#include "models/data/dataset_spec.h"
#include "models/data/generator.h"
#include "models/validation/scenario_data.h"

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

const std::vector<DecodeShape>& decode_shapes() {
  static const std::vector<DecodeShape> shapes = [] {
    std::vector<DecodeShape> out;
    // Up to a hundred dense columns and forty sparse features: production chunks are that wide (PreSto's RM2-RM5
    // have 504 dense and 42 sparse features), and a fit made on narrow chunks misses wide ones by 5-10%.
    // Lists of fixed length without repeats, and Poisson lists with none, half or nine tenths of their rows
    // repeated within sessions (how well a chunk compresses is what decode's time follows most).
    for (int dense : {0, 4, 32, 96}) {
      for (int sparse : {1, 4, 16, 40}) {
        out.push_back({dense, sparse, true, 0.0});
        for (double dup : {0.0, 0.5, 0.9}) out.push_back({dense, sparse, false, dup});
      }
    }
    return out;
  }();
  return shapes;
}

data::DatasetSpec decode_spec(const GridPoint& point) {
  const DecodeShape& shape = decode_shapes().at(static_cast<std::size_t>(point.param));
  data::DatasetSpec spec;
  spec.rows_per_chunk = point.rows;
  if (shape.dense > 0) {
    data::DenseGroupSpec g;
    g.name = "d";
    g.count = shape.dense;
    g.null_fraction = 0.1;
    g.distribution = data::ValueDistribution::Lognormal;
    g.mu = validation::kDenseMu;
    g.sigma = validation::kDenseSigma;
    g.integer = true;
    spec.dense.push_back(g);
  }
  data::SparseGroupSpec g;
  g.name = "s";
  g.count = shape.sparse;
  g.mean_length = static_cast<double>(point.width);
  g.length_distribution = shape.fixed_lengths ? data::LengthDistribution::Fixed : data::LengthDistribution::Poisson;
  g.cardinality = validation::kRawIdCardinality;
  g.zipf_exponent = validation::kRawIdZipf;
  g.duplication = shape.duplication;
  spec.sparse.push_back(g);
  return spec;
}

}  // namespace detail

namespace {

// Working sets up to this many values stay in a 256 KB-1 MB L2 cache (4-8 bytes per value in, as many out).
constexpr double kMaxValues = 32768;
// Ops that run on whole chunks or whole groups of a chunk (decode, dedup) are timed up to this many values.
constexpr double kMaxChunkValues = 128 * kMaxValues;
// decode's points are chunks of at least this many raw bytes: larger than the L2 cache of the hosts we know
// (1-2 MiB per core), as real chunks are. Smaller chunks decode faster per byte and would bias the fit.
constexpr double kDecodeMinRawBytes = 1 << 20;

// decode's grid: rows x mean list length x shape, at chunk sizes (see above); the quick grid takes a few small
// chunks of the first shapes.
std::vector<GridPoint> decode_points(bool quick) {
  std::vector<GridPoint> out;
  const std::vector<std::int64_t> rows = quick ? std::vector<std::int64_t>{256} : std::vector<std::int64_t>{2048, 8192};
  const std::vector<std::int64_t> widths =
      quick ? std::vector<std::int64_t>{1, 4} : std::vector<std::int64_t>{1, 4, 16};
  const std::size_t step = quick ? 7 : 1;  // the quick grid: every 7th shape (6 of 36)
  for (std::size_t s = 0; s < detail::decode_shapes().size(); s += step) {
    for (std::int64_t w : widths) {
      for (std::int64_t r : rows) {
        const GridPoint p{r, w, static_cast<double>(s)};
        const data::DatasetSpec spec = detail::decode_spec(p);
        const double raw = data::expected_raw_bytes_per_row(spec) * static_cast<double>(r);
        const double values = static_cast<double>(r) * (spec.dense.empty() ? 0 : spec.dense[0].count) +
                              static_cast<double>(r) * spec.sparse[0].count * static_cast<double>(w);
        if (!quick && (raw < kDecodeMinRawBytes || values > kMaxChunkValues)) continue;
        out.push_back(p);
      }
    }
  }
  return out;
}

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
      {"dedup", "features", {1, 4, 16}},
      {"to_kjt", "features", {1, 4, 16, 64}},
  };
  return axes;
}

}  // namespace

std::vector<GridPoint> OpGrid::points() const {
  if (!listed.empty()) return listed;
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
  if (op == "to_kjt") {
    g.param_scales_values = true;  // `features` lists of mean length `width` per row
  } else if (op == "dedup") {
    // dedup runs on a whole group of a chunk: its grid reaches chunk sizes (MBs of ids), with 1 to 16 features.
    g.param_scales_values = true;
    if (!quick) g.max_values = kMaxChunkValues;
  } else if (op == "onehot") {
    g.param_scales_values = true;
    if (!quick) g.max_values = 8 * kMaxValues;
  }
  g.reference = {quick ? 256 : 2048, quick ? 8 : 16, g.params[g.params.size() / 2]};
  if (op == "decode") {
    g.listed = decode_points(quick);
    g.param_name = "shape";
    if (!quick) g.max_values = kMaxChunkValues;
    g.reference = g.listed[g.listed.size() / 2];
  }
  const OpInfo* info = find_op(op);
  if (info != nullptr && g.points().size() < 2 * info->signature.size()) {
    throw std::logic_error("calibration grid of " + std::string(op) + " has too few points for its signature");
  }
  return g;
}

OpWork nominal_work(std::string_view op, const OpGrid& g, const GridPoint& p) {
  const auto rows = static_cast<double>(p.rows);
  OpWork w;
  w.rows = rows;
  if (op == "decode") {
    const data::DatasetSpec spec = detail::decode_spec(p);
    const double dense = spec.dense.empty() ? 0 : spec.dense[0].count;
    const double sparse = spec.sparse[0].count;
    w.elements = rows * (dense + sparse * static_cast<double>(p.width));
    w.output_elements = w.elements;
    w.lists = rows * sparse;
    w.columns = dense + sparse;
    w.raw_bytes = data::expected_raw_bytes_per_row(spec) * rows;
    return w;  // stored_bytes depends on how the chunk compresses: known once it is encoded
  }
  const double values = rows * (g.values_per_row + g.values_per_width * static_cast<double>(p.width));
  w.elements = values * (g.param_scales_values && op != "onehot" ? p.param : 1.0);
  w.output_elements = op == "onehot" ? values * p.param : w.elements;
  if (op == "ngram") w.output_elements += p.param * rows;
  if (op == "bucketize") w.borders = p.param;
  if (op == "dedup" || op == "to_kjt") w.lists = rows * p.param;
  return w;
}

}  // namespace prepsim::calibration
