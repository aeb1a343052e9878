#include "models/calibration/op_harness.h"

#include <stdexcept>

#include "models/calibration/op_harness_detail.h"
#include "models/data/dataset_spec.h"
#include "models/data/generator.h"
#include "models/validation/scenario_data.h"

namespace prepsim::calibration {
namespace {
// Working sets up to this many values stay in a 256 KB-1 MB L2 cache (4-8 bytes per value in, as many out).
constexpr double kMaxValues = 32768;
// Ops that run on whole chunks or whole groups of a chunk (decode, dedup) are timed up to this many values.
constexpr double kMaxChunkValues = kChunkSizedCap * kMaxValues;
// decode's points are chunks of at least this many raw bytes: larger than the L2 cache of the hosts we know
// (1-2 MiB per core), as real chunks are. Smaller chunks decode faster per byte and would bias the fit.
constexpr double kDecodeMinRawBytes = 1 << 20;
}  // namespace

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

std::vector<GridPoint> decode_points(bool quick) {
  std::vector<GridPoint> out;
  const std::vector<std::int64_t> rows = quick ? std::vector<std::int64_t>{256} : std::vector<std::int64_t>{2048, 8192};
  const std::vector<std::int64_t> widths =
      quick ? std::vector<std::int64_t>{1, 4} : std::vector<std::int64_t>{1, 4, 16};
  const std::size_t step = quick ? 7 : 1;  // the quick grid: every 7th shape (6 of 36)
  for (std::size_t s = 0; s < decode_shapes().size(); s += step) {
    for (std::int64_t w : widths) {
      for (std::int64_t r : rows) {
        const GridPoint p{r, w, static_cast<double>(s)};
        const data::DatasetSpec spec = decode_spec(p);
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

void decode_nominal_work(OpWork& w, const GridPoint& p) {
  const auto rows = static_cast<double>(p.rows);
  const data::DatasetSpec spec = decode_spec(p);
  const double dense = spec.dense.empty() ? 0 : spec.dense[0].count;
  const double sparse = spec.sparse[0].count;
  w = {};
  w.rows = rows;
  w.elements = rows * (dense + sparse * static_cast<double>(p.width));
  w.output_elements = w.elements;
  w.lists = rows * sparse;
  w.columns = dense + sparse;
  w.raw_bytes = data::expected_raw_bytes_per_row(spec) * rows;
}

}  // namespace detail

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
  const OpInfo* info = find_op(op);
  if (info == nullptr) return nullptr;
  if (info->grid.harness != nullptr) return info->grid.harness();
  return info->kernel != nullptr ? detail::make_run_op_harness(*info) : nullptr;  // nullptr for read
}

OpGrid grid_for(std::string_view op, bool quick) {
  const OpInfo* info = find_op(op);
  if (info == nullptr) throw std::logic_error("no calibration grid for unknown op " + std::string(op));
  const OpGridFacet& facet = info->grid;
  OpGrid g;
  g.rows = quick ? std::vector<std::int64_t>{64, 256, 1024} : std::vector<std::int64_t>{128, 256, 512, 1024, 2048, 4096, 8192};
  g.widths = quick ? std::vector<std::int64_t>{1, 8} : std::vector<std::int64_t>{1, 2, 4, 8, 16, 32, 64};
  g.params = {0};
  g.param_name = facet.param;
  if (!facet.values.empty()) {
    g.params = quick ? std::vector<double>{facet.values.front(), facet.values.back()} : facet.values;
  }
  g.param_scales_values = facet.param_scales_values;
  g.max_values = quick ? 0 : facet.cap * kMaxValues;
  g.reference = {quick ? 256 : 2048, quick ? 8 : 16, g.params[g.params.size() / 2]};
  if (facet.listed != nullptr) {
    g.listed = facet.listed(quick);
    g.reference = g.listed[g.listed.size() / 2];
  }
  if (g.points().size() < 2 * info->signature.size()) {
    throw std::logic_error("calibration grid of " + std::string(op) + " has too few points for its signature");
  }
  return g;
}

OpWork nominal_work(std::string_view op, const OpGrid& g, const GridPoint& p) {
  OpWork w;
  w.rows = static_cast<double>(p.rows);
  w.elements = w.rows * (g.values_per_row + g.values_per_width * static_cast<double>(p.width));
  w.output_elements = w.elements;
  const OpInfo* info = find_op(op);
  if (info != nullptr && info->grid.nominal != nullptr) info->grid.nominal(w, p);
  return w;
}

}  // namespace prepsim::calibration
