// The per-op harnesses: which kernel each op runs in calibration, on what inputs, with which fixed parameters
// (docs/calibration.md lists them).
#include <cmath>
#include <stdexcept>
#include <string>

#include "models/calibration/op_harness_detail.h"
#include "models/data/chunk_file.h"
#include "models/data/generator.h"
#include "models/ops/dedup.h"
#include "models/ops/run_op.h"

namespace prepsim::calibration::detail {
namespace {

constexpr std::int64_t kIdCardinality = 1'000'000;

double kjt_bytes(const data::KeyedJaggedTensor& k) {
  return static_cast<double>(k.values.size()) * kIdBytes + static_cast<double>(k.lengths.size()) * kLengthBytes +
         static_cast<double>(k.offsets.size()) * kOffsetBytes;
}

// Fixed parameters, plus the grid's `param` for the ops that have a size parameter.
ops::OpParams params_for(ops::KernelOp op, double param) {
  ops::OpParams p;
  p.max = kIdCardinality;             // sigrid_hash (its cost does not depend on salt or max)
  p.offset = 1.0f;                    // log(x + 1)
  p.eps = 1e-6f;                      // logit
  p.lambda = 0.5f;                    // boxcox: the general std::pow path (lambda 0 is the faster log path)
  p.lo = 0.0f, p.hi = 100.0f;         // clamp on dense values
  p.lower = 0.0f, p.upper = 10.0f;    // onehot
  p.value = 0.0f;                     // fill_null
  const auto n = static_cast<std::int64_t>(param);
  switch (op) {
    case ops::KernelOp::Bucketize:    // borders log-uniform over the values' range
      for (std::int64_t i = 0; i < n; ++i) p.borders.push_back(static_cast<float>(std::exp(-4.0 + 8.0 * i / n)));
      break;
    case ops::KernelOp::Ngram: case ops::KernelOp::Onehot: p.n = n; break;
    case ops::KernelOp::Firstx: p.x = n; break;
    case ops::KernelOp::Mapid:
      p.map.resize(static_cast<std::size_t>(n));
      for (std::int64_t i = 0; i < n; ++i) p.map[static_cast<std::size_t>(i)] = (i * 7919) % n;
      break;
    default: break;
  }
  return p;
}

class RunOpHarness : public OpHarness {
 public:
  explicit RunOpHarness(ops::KernelOp op) : op_(op) {}
  std::string_view op() const override { return ops::kernel_op_name(op_); }

  void prepare(const GridPoint& g) override {
    point_ = g;
    params_ = params_for(op_, g.param);
    dense_.clear();
    nulls_.clear();
    in_ = {};
    out_ = {};
    if (dense_input()) {  // the stage's `width` columns one after the other: one call over the group
      data::ColumnarBatch b = make_inputs(g.rows, static_cast<int>(g.width), 0, 0, 1);
      for (const data::DenseColumn& c : b.dense) {
        dense_.insert(dense_.end(), c.values.begin(), c.values.end());
        nulls_.insert(nulls_.end(), c.nulls.begin(), c.nulls.end());
      }
      in_.dense = dense_;
      in_.nulls = nulls_;
    } else {
      const bool multi = op_ == ops::KernelOp::ToKjt;
      const std::int64_t cardinality = op_ == ops::KernelOp::Mapid ? static_cast<std::int64_t>(g.param) : kIdCardinality;
      const int features = multi ? static_cast<int>(g.param) : 1;  // to_kjt's grid has a features axis
      batch_ = make_inputs(g.rows, 0, features, static_cast<double>(g.width), cardinality);
      in_.sparse = {batch_.sparse.values, batch_.sparse.lengths};
      in_.keys = features;
    }
    std::string err = ops::check_op_call(op_, params_, in_);
    if (!err.empty()) throw std::logic_error("calibration input for " + std::string(op()) + ": " + err);
  }

  void run_once() override { ops::run_op(op_, params_, in_, out_); }

  OpWork work() const override {
    OpWork w;
    w.rows = static_cast<double>(point_.rows);
    w.elements = static_cast<double>(dense_input() ? in_.dense.size() : in_.sparse.values.size());
    if (op_ == ops::KernelOp::ToKjt) w.output_elements = static_cast<double>(out_.kjt.values.size());
    else if (dense_output()) w.output_elements = static_cast<double>(out_.dense.size());
    else w.output_elements = static_cast<double>(out_.sparse.values.size());
    if (op_ == ops::KernelOp::Bucketize) w.borders = static_cast<double>(params_.borders.size());
    if (!dense_input()) w.lists = static_cast<double>(in_.sparse.lengths.size());
    return w;
  }

  double output_bytes() const override {
    if (op_ == ops::KernelOp::ToKjt) return kjt_bytes(out_.kjt);
    if (dense_output()) {
      return static_cast<double>(out_.dense.size()) * kFloatBytes +
             static_cast<double>(out_.nulls.size()) * kNullFlagBytes;
    }
    return static_cast<double>(out_.sparse.values.size()) * kIdBytes +
           static_cast<double>(out_.sparse.lengths.size()) * kLengthBytes;
  }

 private:
  // clamp is calibrated on dense values (run_op also clamps ids when given no dense input).
  bool dense_input() const { return ops::reads_dense(op_) || op_ == ops::KernelOp::Clamp; }
  bool dense_output() const { return dense_input() && op_ != ops::KernelOp::Bucketize; }

  ops::KernelOp op_;
  GridPoint point_;
  ops::OpParams params_;
  std::vector<float> dense_;
  std::vector<std::uint8_t> nulls_;
  data::ColumnarBatch batch_;
  ops::OpInput in_;
  ops::OpOutput out_;
};

class DedupHarness : public OpHarness {
 public:
  std::string_view op() const override { return "dedup"; }
  void prepare(const GridPoint& g) override {
    rows_ = g.rows;
    keys_ = static_cast<int>(g.param);
    kjt_ = make_inputs(g.rows, 0, keys_, static_cast<double>(g.width), kIdCardinality, kDedupDuplication).sparse;
    out_ = {};
    scratch_ = {};
  }
  void run_once() override { ops::dedup(kjt_, out_, &scratch_); }
  OpWork work() const override {
    OpWork w{static_cast<double>(rows_), static_cast<double>(kjt_.values.size()),
             static_cast<double>(out_.unique.values.size()), 0};
    w.lists = static_cast<double>(kjt_.lengths.size());
    return w;
  }
  double output_bytes() const override {
    return kjt_bytes(out_.unique) + static_cast<double>(out_.inverse.size()) * kLengthBytes;
  }

 private:
  std::int64_t rows_ = 0;
  int keys_ = 1;
  data::KeyedJaggedTensor kjt_;
  data::InverseKJT out_;
  ops::DedupScratch scratch_;
};

// The chunk is encoded at the level chunk files are written with, and decoded into a batch that is then dropped
// when the next call's batch replaces it, as a pipeline worker does from chunk to chunk.
class DecodeHarness : public OpHarness {
 public:
  std::string_view op() const override { return "decode"; }
  void prepare(const GridPoint& g) override {
    const data::DatasetSpec spec = decode_spec(g);
    const data::ColumnarBatch batch = data::generate_chunk(spec, seed_of(g), 0);
    bytes_ = data::encode_chunk(batch);
    const data::ChunkDirectory dir = data::read_chunk_directory(bytes_);
    work_ = {};
    work_.rows = static_cast<double>(g.rows);
    work_.columns = static_cast<double>(dir.columns.size());
    work_.stored_bytes = static_cast<double>(bytes_.size());
    work_.raw_bytes = static_cast<double>(dir.uncompressed_bytes());
    dense_ = static_cast<double>(batch.dense.size()) * static_cast<double>(g.rows);
    out_ = {};
  }
  void run_once() override { out_ = data::decode_chunk(bytes_); }
  OpWork work() const override {  // elements: every decoded value, dense values and ids
    OpWork w = work_;
    w.elements = dense_ + static_cast<double>(out_.sparse.values.size());
    w.output_elements = w.elements;
    w.lists = static_cast<double>(out_.sparse.lengths.size());
    return w;
  }
  double output_bytes() const override {
    return dense_ * (kFloatBytes + kNullFlagBytes) + kjt_bytes(out_.sparse);
  }

 private:
  static std::uint64_t seed_of(const GridPoint& g) {
    return 0xdec0de5eedULL ^ (static_cast<std::uint64_t>(g.rows) << 32) ^ (static_cast<std::uint64_t>(g.width) << 16) ^
           static_cast<std::uint64_t>(g.param);
  }
  std::vector<std::uint8_t> bytes_;
  OpWork work_;
  double dense_ = 0;
  data::ColumnarBatch out_;
};

}  // namespace

std::unique_ptr<OpHarness> make_run_op_harness(std::string_view op) {
  std::optional<ops::KernelOp> k = ops::kernel_op(op);
  if (!k || *k == ops::KernelOp::Dedup) return nullptr;
  return std::make_unique<RunOpHarness>(*k);
}
std::unique_ptr<OpHarness> make_dedup_harness() { return std::make_unique<DedupHarness>(); }
std::unique_ptr<OpHarness> make_decode_harness() { return std::make_unique<DecodeHarness>(); }

}  // namespace prepsim::calibration::detail
