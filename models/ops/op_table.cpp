// The op table: one row per op, the only place an op is described (the fields are explained in
// models/op_registry.h; docs/ops.md "How to add an op"). Semantics: docs/sources.md#op-semantics and docs/ops.md.
// Rows are in a fixed order: calibration files and `prepsim op --help` list ops in it.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/calibration/op_harness_detail.h"
#include "models/op_registry.h"
#include "models/ops/bucketize.h"
#include "models/ops/dedup.h"
#include "models/ops/dense_ops.h"
#include "models/ops/hash.h"
#include "models/ops/kjt.h"
#include "models/ops/op_layouts.h"
#include "models/ops/reference.h"
#include "models/ops/sparse_ops.h"

namespace prepsim {
namespace {

using T = CostTerm;
using calibration::GridPoint;
using ops::OpInput;
using ops::OpOutput;
using ops::OpParams;
namespace L = ops::layouts;
namespace ref = ops::reference;

const std::vector<CostTerm> kDefault = {T::Constant, T::Rows, T::Elements};

// Calibration inputs draw ids from [0, kIdCardinality); sigrid_hash hashes into as many buckets (its cost does not
// depend on salt or max).
constexpr std::int64_t kCalibrationMax = 1'000'000;

// Multi-feature ops on a grid: `param` features of the grid's list length.
void features_work(OpWork& w, const GridPoint& p) {
  w.elements *= p.param;
  w.output_elements = w.elements;
  w.lists = w.rows * p.param;
}

// ngram's output values: the windows of n ids of lists of the mean length (none when the lists are empty).
double windows(const ShapeIn& in) {
  const double n = std::min(in.param("n"), in.mean_length);
  return in.mean_length > 0 ? in.elements / in.mean_length * (in.mean_length - n + 1) * n : 0.0;
}

void to_kjt_kernel(const OpInput& in, OpOutput& out) {
  std::vector<std::string> names;
  const std::vector<ops::FeatureLists> features = L::features_of(in, names);
  ops::to_kjt(features, out.kjt);
}

}  // namespace

const std::vector<OpInfo>& all_ops() {
  static const std::vector<OpInfo> rows = {
      {
          .name = "read",
          .summary = "storage -> memory (a disk read; no CPU cost)",
          .input = Domain::Bytes,
          .output = Domain::Bytes,
          .scope = Scope::Chunk,
          .signature = {T::Constant},
          .cpu_cost = false,
      },
      // zstd inflates two frames per column (table set-up), decodes the stored bytes and writes the raw ones
      // (measured by `prepsim calibrate`; rows and elements stay so that per-value tables still apply). Its
      // kernel is data::decode_chunk (models/data), timed by its own harness on encoded chunks.
      {
          .name = "decode",
          .summary = "decompress + columnar decode of a chunk",
          .input = Domain::Bytes,
          .output = Domain::Any,
          .scope = Scope::Chunk,
          .signature = {T::Constant, T::Rows, T::Elements, T::Columns, T::StoredBytes, T::RawBytes},
          .traffic_in_cost = true,
          .grid = {.param = "shape",
                   .cap = kChunkSizedCap,
                   .nominal = calibration::detail::decode_nominal_work,
                   .listed = calibration::detail::decode_points,
                   .harness = calibration::detail::make_decode_harness},
      },
      // One length and offset per list of every feature in the batch: its time follows lists, not only rows.
      {
          .name = "to_kjt",
          .summary = "build the KeyedJaggedTensor of a batch",
          .input = Domain::Any,
          .output = Domain::Any,
          .scope = Scope::Batch,
          .layout = Layout::FeaturesToKjt,
          .kernel = [](const OpParams&, const OpInput& in, OpOutput& out) { to_kjt_kernel(in, out); },
          .reference =
              [](const OpParams&, const OpInput& in, OpOutput& out) {
                std::vector<std::string> names;
                const std::vector<ops::FeatureLists> features = L::features_of(in, names);
                std::vector<ops::Jagged> lists(features.size());
                for (std::size_t k = 0; k < features.size(); ++k) {
                  lists[k].values.assign(features[k].lists.values.begin(), features[k].lists.values.end());
                  lists[k].lengths.assign(features[k].lists.lengths.begin(), features[k].lists.lengths.end());
                }
                out.kjt = ref::to_kjt(names, lists);
              },
          .signature = {T::Constant, T::Rows, T::Elements, T::Lists},
          .grid =
              {.param = "features", .values = {1, 4, 16, 64}, .param_scales_values = true, .nominal = features_work},
          .example = {{"--", "[1,2]", "[]", "[3]"}, "values: 1 2 3\nlengths: 2 0 1\noffsets: 0 2 2 3\n"},
      },
      // One hash per list, one gather per list of a unique row: its time follows lists, not only rows. It runs on
      // a whole group of a chunk: its grid reaches chunk sizes (MBs of ids), and its own harness times ops::dedup
      // alone (run_op builds the KJT first).
      {
          .name = "dedup",
          .summary = "build an inverse KJT: unique rows + inverse index",
          .input = Domain::Sparse,
          .output = Domain::Sparse,
          .layout = Layout::FeaturesToInverseKjt,
          .kernel =
              [](const OpParams&, const OpInput& in, OpOutput& out) {
                to_kjt_kernel(in, out);
                ops::dedup(out.kjt, out.ikjt);
              },
          .reference =
              [](const OpParams&, const OpInput& in, OpOutput& out) {
                to_kjt_kernel(in, out);
                out.ikjt = ref::dedup(out.kjt);
              },
          .shape =
              [](const ShapeIn& in) {
                return ShapeOut{.output_elements = in.elements * (1.0 - in.duplicated),
                                .lists_removed = in.lists * in.duplicated};
              },
          .removes_duplicates = true,
          .signature = {T::Constant, T::Rows, T::Elements, T::Lists},
          .traffic_in_cost = true,
          .grid = {.param = "features",
                   .values = {1, 4, 16},
                   .param_scales_values = true,
                   .cap = kChunkSizedCap,
                   .nominal = features_work,
                   .harness = calibration::detail::make_dedup_harness},
          .example = {{"--", "[1,2]", "[3]", "[1,2]"}, "unique: [1,2] [3]\ninverse: 0 1 0\n"},
      },
      {
          .name = "bucketize",
          .summary = "smallest i with x <= borders[i]",
          .input = Domain::Dense,
          .output = Domain::Sparse,
          .params = {"borders"},
          .check = [](const OpParams& p) { return ops::check_borders(p.borders); },
          .layout = Layout::DenseToLists,
          .kernel =
              [](const OpParams& p, const OpInput& in, OpOutput& out) {
                L::dense_to_lists(in, out, [&](auto x, auto o) { ops::bucketize(x, p.borders, o); });
              },
          .reference =
              [](const OpParams& p, const OpInput& in, OpOutput& out) {
                L::dense_to_lists(in, out, [&](auto x, auto o) { ref::bucketize(x, p.borders, o); });
              },
          .shape =
              [](const ShapeIn& in) {
                return ShapeOut{.output_elements = in.elements, .borders = in.param("borders")};
              },
          .signature = {T::Constant, T::Rows, T::Elements, T::ElementsLog2Borders},
          .grid = {.param = "borders",
                   .values = {1, 15, 255},
                   .set_params =
                       [](OpParams& p, double param) {  // borders log-uniform over the values' range
                         const auto n = static_cast<std::int64_t>(param);
                         for (std::int64_t i = 0; i < n; ++i)
                           p.borders.push_back(static_cast<float>(std::exp(-4.0 + 8.0 * i / n)));
                       },
                   .nominal = [](OpWork& w, const GridPoint& p) { w.borders = p.param; }},
          .example = {{"--borders", "[2,5,10]", "--", "1", "2", "3", "5", "8", "10", "11"}, "0 0 1 1 2 2 3\n"},
      },
      {
          .name = "ngram",
          .summary = "sliding windows of n consecutive ids",
          .input = Domain::Sparse,
          .output = Domain::Sparse,
          .params = {"n"},
          .check = [](const OpParams& p) { return ops::check_ngram_n(p.n); },
          .layout = Layout::ListsToLists,
          .kernel = [](const OpParams& p, const OpInput& in, OpOutput& out) { ops::ngram(in.sparse, p.n, out.sparse); },
          .reference = [](const OpParams& p, const OpInput& in,
                          OpOutput& out) { ref::ngram(in.sparse, p.n, out.sparse); },
          .check_input = [](const OpParams& p,
                            const OpInput& in) { return ops::check_ngram_output(in.sparse.lengths, p.n); },
          .shape = [](const ShapeIn& in) { return ShapeOut{.output_elements = windows(in)}; },
          .signature = {T::Constant, T::Rows, T::Elements, T::OutputElements},
          .grid = {.param = "n",
                   .values = {1, 2, 4},
                   .set_params = [](OpParams& p, double param) { p.n = static_cast<std::int64_t>(param); },
                   .nominal = [](OpWork& w, const GridPoint& p) { w.output_elements += p.param * w.rows; }},
          .example = {{"--n", "2", "--", "1", "2", "3", "4"}, "1 2 2 3 3 4\n"},
      },
      {
          .name = "mapid",
          .summary = "map[v] if v < len(map), else 0",
          .input = Domain::Sparse,
          .output = Domain::Sparse,
          .params = {"map"},
          .layout = Layout::ListsToLists,
          .kernel = [](const OpParams& p, const OpInput& in,
                       OpOutput& out) { L::id_values(in, out, [&](auto x, auto o) { ops::mapid(x, p.map, o); }); },
          .reference = [](const OpParams& p, const OpInput& in,
                          OpOutput& out) { L::id_values(in, out, [&](auto x, auto o) { ref::mapid(x, p.map, o); }); },
          .signature = kDefault,
          .grid = {.param = "map size",
                   .values = {1 << 10, 1 << 14, 1 << 18},
                   .set_params =
                       [](OpParams& p, double param) {
                         const auto n = static_cast<std::int64_t>(param);
                         p.map.resize(static_cast<std::size_t>(n));
                         for (std::int64_t i = 0; i < n; ++i) p.map[static_cast<std::size_t>(i)] = (i * 7919) % n;
                       },
                   .ids_below_param = true},
          .example = {{"--map", "[10,11,12]", "--", "0", "2", "3", "-1"}, "10 12 0 0\n"},
      },
      {
          .name = "onehot",
          .summary = "n floats, 1.0 at the value's bin",
          .input = Domain::Dense,
          .output = Domain::Dense,
          .params = {"lower", "upper", "n"},
          .check = [](const OpParams& p) { return ops::check_onehot_params(p.lower, p.upper, p.n); },
          .layout = Layout::DenseToDense,
          .kernel =
              [](const OpParams& p, const OpInput& in, OpOutput& out) {
                std::vector<std::uint8_t> zeros;
                out.dense.resize(in.dense.size() * static_cast<std::size_t>(p.n));
                ops::onehot(in.dense, L::mask_or_zeros(in, zeros), out.dense, p.lower, p.upper, p.n);
                out.nulls.clear();
              },
          .reference =
              [](const OpParams& p, const OpInput& in, OpOutput& out) {
                std::vector<std::uint8_t> zeros;
                out.dense.resize(in.dense.size() * static_cast<std::size_t>(p.n));
                ref::onehot(in.dense, L::mask_or_zeros(in, zeros), out.dense, p.lower, p.upper, p.n);
                out.nulls.clear();
              },
          .shape = [](const ShapeIn& in) { return ShapeOut{.output_elements = in.elements * in.param("n")}; },
          .signature = {T::Constant, T::Rows, T::Elements, T::OutputElements},
          .grid = {.param = "n",
                   .values = {2, 8, 32},
                   .param_scales_values = true,
                   .cap = 8,
                   .set_params =
                       [](OpParams& p, double param) {
                         p.lower = 0.0f, p.upper = 10.0f;
                         p.n = static_cast<std::int64_t>(param);
                       },
                   .nominal = [](OpWork& w, const GridPoint& p) { w.output_elements = w.elements * p.param; }},
          .example = {{"--lower", "0", "--upper", "10", "--n", "4", "--", "1", "6", "12"},
                      "1 0 0 0\n0 0 1 0\n1 0 0 0\n"},
      },
      {
          .name = "sigrid_hash",
          .summary = "salted hash into [0, max)",
          .input = Domain::Sparse,
          .output = Domain::Sparse,
          .params = {"salt", "max"},
          .check = [](const OpParams& p) { return ops::check_sigrid_max(p.max); },
          .layout = Layout::ListsToLists,
          .kernel =
              [](const OpParams& p, const OpInput& in, OpOutput& out) {
                L::id_values(in, out, [&](auto x, auto o) { ops::sigrid_hash(x, o, p.salt, p.max); });
              },
          .reference =
              [](const OpParams& p, const OpInput& in, OpOutput& out) {
                L::id_values(in, out, [&](auto x, auto o) { ref::sigrid_hash(x, o, p.salt, p.max); });
              },
          .signature = kDefault,
          .grid = {.set_params = [](OpParams& p, double) { p.max = kCalibrationMax; }},
          .example = {{"--salt", "0", "--max", "100", "--", "1", "2", "3", "5", "8", "10", "11"},
                      "60 54 54 4 67 2 25\n"},
      },
      // Its time follows the ids it copies, not the ids it skips (measured by `prepsim calibrate`).
      {
          .name = "firstx",
          .summary = "first min(x, len) ids of each list",
          .input = Domain::Sparse,
          .output = Domain::Sparse,
          .params = {"x"},
          .check = [](const OpParams& p) { return ops::check_firstx_x(p.x); },
          .layout = Layout::ListsToLists,
          .kernel = [](const OpParams& p, const OpInput& in,
                       OpOutput& out) { ops::firstx(in.sparse, p.x, out.sparse); },
          .reference = [](const OpParams& p, const OpInput& in,
                          OpOutput& out) { ref::firstx(in.sparse, p.x, out.sparse); },
          .shape =
              [](const ShapeIn& in) {
                return ShapeOut{.output_elements = in.mean_length > 0
                                                       ? in.elements * std::min(1.0, in.param("x") / in.mean_length)
                                                       : 0.0};
              },
          .signature = {T::Constant, T::Rows, T::OutputElements},
          .grid = {.param = "x",
                   .values = {1, 4, 32},
                   .set_params = [](OpParams& p, double param) { p.x = static_cast<std::int64_t>(param); }},
          .example = {{"--x", "2", "--", "[1,2,3]", "[4]"}, "1 2\n4\n"},
      },
      // Works on dense values or on ids; calibrated on dense values.
      {
          .name = "clamp",
          .summary = "clamp each value to [lo, hi]",
          .input = Domain::Any,
          .output = Domain::Any,
          .params = {"lo", "hi"},
          .check = [](const OpParams& p) { return ops::check_clamp_bounds(p.lo, p.hi); },
          .layout = Layout::DenseOrLists,
          .kernel =
              [](const OpParams& p, const OpInput& in, OpOutput& out) {
                if (!in.dense.empty())
                  return L::dense_values(in, out, [&](auto x, auto o) { ops::clamp(x, o, p.lo, p.hi); });
                L::id_values(in, out, [&](auto x, auto o) { ops::clamp(x, o, p.lo_id, p.hi_id); });
              },
          .reference =
              [](const OpParams& p, const OpInput& in, OpOutput& out) {
                if (!in.dense.empty())
                  return L::dense_values(in, out, [&](auto x, auto o) { ref::clamp(x, o, p.lo, p.hi); });
                L::id_values(in, out, [&](auto x, auto o) { ref::clamp(x, o, p.lo_id, p.hi_id); });
              },
          .check_input =
              [](const OpParams& p, const OpInput& in) {
                if (in.dense.empty() && p.lo_id > p.hi_id) {
                  return fmt::format("clamp on ids needs an integer in [lo, hi], got lo={} hi={}", p.lo, p.hi);
                }
                return std::string();
              },
          .signature = kDefault,
          .grid = {.set_params = [](OpParams& p, double) { p.lo = 0.0f, p.hi = 100.0f; }},
          .example = {{"--lo", "0", "--hi", "5", "--", "-3", "2", "9"}, "0 2 5\n"},
      },
      {
          .name = "log",
          .summary = "log(x + offset)",
          .input = Domain::Dense,
          .output = Domain::Dense,
          .params = {"offset"},
          .check =
              [](const OpParams& p) {
                return std::isfinite(p.offset) ? std::string() : fmt::format("offset must be finite, got {}", p.offset);
              },
          .layout = Layout::DenseToDense,
          .kernel =
              [](const OpParams& p, const OpInput& in, OpOutput& out) {
                L::dense_values(in, out, [&](auto x, auto o) { ops::log_offset(x, o, p.offset); });
              },
          .reference =
              [](const OpParams& p, const OpInput& in, OpOutput& out) {
                L::dense_values(in, out, [&](auto x, auto o) { ref::log_offset(x, o, p.offset); });
              },
          .signature = kDefault,
          .grid = {.set_params = [](OpParams& p, double) { p.offset = 1.0f; }},  // log(x + 1)
          .example = {{"--offset", "1", "--", "0", "1", "-1", "null"}, "0 0.6931472 -inf null\n"},
      },
      {
          .name = "logit",
          .summary = "log(x / (1 - x)) after clamping to [eps, 1-eps]",
          .input = Domain::Dense,
          .output = Domain::Dense,
          .params = {"eps"},
          .check = [](const OpParams& p) { return ops::check_logit_eps(p.eps); },
          .layout = Layout::DenseToDense,
          .kernel = [](const OpParams& p, const OpInput& in,
                       OpOutput& out) { L::dense_values(in, out, [&](auto x, auto o) { ops::logit(x, o, p.eps); }); },
          .reference =
              [](const OpParams& p, const OpInput& in, OpOutput& out) {
                L::dense_values(in, out, [&](auto x, auto o) { ref::logit(x, o, p.eps); });
              },
          .signature = kDefault,
          .grid = {.set_params = [](OpParams& p, double) { p.eps = 1e-6f; }},
          .example = {{"--eps", "0.25", "--", "0.5", "0", "0.75"}, "0 -1.0986123 1.0986123\n"},
      },
      {
          .name = "boxcox",
          .summary = "Box-Cox transform of positive values",
          .input = Domain::Dense,
          .output = Domain::Dense,
          .params = {"lambda"},
          .check =
              [](const OpParams& p) {
                return std::isfinite(p.lambda) ? std::string() : fmt::format("lambda must be finite, got {}", p.lambda);
              },
          .layout = Layout::DenseToDense,
          .kernel =
              [](const OpParams& p, const OpInput& in, OpOutput& out) {
                L::dense_values(in, out, [&](auto x, auto o) { ops::boxcox(x, o, p.lambda); });
              },
          .reference =
              [](const OpParams& p, const OpInput& in, OpOutput& out) {
                L::dense_values(in, out, [&](auto x, auto o) { ref::boxcox(x, o, p.lambda); });
              },
          .signature = kDefault,
          // The general std::pow path (lambda 0 is the faster log path).
          .grid = {.set_params = [](OpParams& p, double) { p.lambda = 0.5f; }},
          .example = {{"--lambda", "0.5", "--", "4", "0", "-1"}, "2 0 -1\n"},
      },
      {
          .name = "fill_null",
          .summary = "nulls become value",
          .input = Domain::Dense,
          .output = Domain::Dense,
          .params = {"value"},
          .layout = Layout::DenseToDense,
          .kernel =
              [](const OpParams& p, const OpInput& in, OpOutput& out) {
                std::vector<std::uint8_t> zeros;
                out.dense.resize(in.dense.size());
                ops::fill_null(in.dense, L::mask_or_zeros(in, zeros), out.dense, p.value);
                out.nulls.assign(in.dense.size(), 0);
              },
          .reference =
              [](const OpParams& p, const OpInput& in, OpOutput& out) {
                std::vector<std::uint8_t> zeros;
                out.dense.resize(in.dense.size());
                ref::fill_null(in.dense, L::mask_or_zeros(in, zeros), out.dense, p.value);
                out.nulls.assign(in.dense.size(), 0);
              },
          .signature = kDefault,
          .example = {{"--value", "0", "--", "1", "null", "3"}, "1 0 3\n"},
      },
  };
  return rows;
}

}  // namespace prepsim
