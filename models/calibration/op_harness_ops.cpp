// The calibration harnesses: the generic one, which runs any op's kernel through run_op on inputs of its layout
// with the parameters of its op-table row, and the two ops that have their own, dedup and decode
// (docs/calibration.md lists what each op is timed on).
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

// Any op with a kernel, by its row: inputs by its layout (a multi-feature op gets the grid's `param` features;
// DenseOrLists ops are timed on dense values), parameters by the row's calibration facet.
class RunOpHarness : public OpHarness {
 public:
  explicit RunOpHarness(const OpInfo& op) : op_(op) {}
  std::string_view op() const override { return op_.name; }

  void prepare(const GridPoint& g) override {
    point_ = g;
    params_ = {};
    if (op_.grid.set_params != nullptr) op_.grid.set_params(params_, g.param);
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
      const bool multi = takes_features(op_.layout);
      const std::int64_t cardinality = op_.grid.ids_below_param ? static_cast<std::int64_t>(g.param) : kIdCardinality;
      const int features = multi ? static_cast<int>(g.param) : 1;  // the grid's features axis
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
    w.output_elements = static_cast<double>(output_values());
    w.borders = static_cast<double>(params_.borders.size());
    if (!dense_input()) w.lists = static_cast<double>(in_.sparse.lengths.size());
    return w;
  }

  double output_bytes() const override {
    switch (output()) {
      case Output::Kjt: return kjt_bytes(out_.kjt);
      case Output::InverseKjt:
        return kjt_bytes(out_.ikjt.unique) + static_cast<double>(out_.ikjt.inverse.size()) * kLengthBytes;
      case Output::Dense:
        return static_cast<double>(out_.dense.size()) * kFloatBytes +
               static_cast<double>(out_.nulls.size()) * kNullFlagBytes;
      case Output::Lists: break;
    }
    return static_cast<double>(out_.sparse.values.size()) * kIdBytes +
           static_cast<double>(out_.sparse.lengths.size()) * kLengthBytes;
  }

 private:
  enum class Output { Dense, Lists, Kjt, InverseKjt };
  bool dense_input() const { return can_read_dense(op_.layout); }
  Output output() const {
    switch (op_.layout) {
      case Layout::DenseToDense:
      case Layout::DenseOrLists: return Output::Dense;
      case Layout::FeaturesToKjt: return Output::Kjt;
      case Layout::FeaturesToInverseKjt: return Output::InverseKjt;
      default: return Output::Lists;
    }
  }
  std::size_t output_values() const {
    switch (output()) {
      case Output::Dense: return out_.dense.size();
      case Output::Kjt: return out_.kjt.values.size();
      case Output::InverseKjt: return out_.ikjt.unique.values.size();
      case Output::Lists: break;
    }
    return out_.sparse.values.size();
  }

  const OpInfo& op_;
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

std::unique_ptr<OpHarness> make_run_op_harness(const OpInfo& op) { return std::make_unique<RunOpHarness>(op); }
std::unique_ptr<OpHarness> make_dedup_harness() { return std::make_unique<DedupHarness>(); }
std::unique_ptr<OpHarness> make_decode_harness() { return std::make_unique<DecodeHarness>(); }

}  // namespace prepsim::calibration::detail
