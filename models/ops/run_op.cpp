#include "models/ops/run_op.h"

#include <fmt/format.h>

#include <array>
#include <cstddef>

#include "models/ops/bucketize.h"
#include "models/ops/dedup.h"
#include "models/ops/dense_ops.h"
#include "models/ops/hash.h"
#include "models/ops/kjt.h"
#include "models/ops/reference.h"
#include "models/ops/sparse_ops.h"

namespace prepsim::ops {

namespace {

constexpr std::array<std::pair<KernelOp, std::string_view>, 13> kNames = {{
    {KernelOp::ToKjt, "to_kjt"},
    {KernelOp::Dedup, "dedup"},
    {KernelOp::Bucketize, "bucketize"},
    {KernelOp::Ngram, "ngram"},
    {KernelOp::Mapid, "mapid"},
    {KernelOp::Onehot, "onehot"},
    {KernelOp::SigridHash, "sigrid_hash"},
    {KernelOp::Firstx, "firstx"},
    {KernelOp::Clamp, "clamp"},
    {KernelOp::Log, "log"},
    {KernelOp::Logit, "logit"},
    {KernelOp::Boxcox, "boxcox"},
    {KernelOp::FillNull, "fill_null"},
}};

// Splits in.sparse into in.keys features of equal list counts (to_kjt, dedup).
std::vector<FeatureLists> features_of(const OpInput& in, std::vector<std::string>& names) {
  const auto keys = static_cast<std::size_t>(in.keys);
  const std::size_t stride = keys == 0 ? 0 : in.sparse.lengths.size() / keys;
  names.resize(keys);
  std::vector<FeatureLists> features(keys);
  std::size_t value_pos = 0;
  for (std::size_t k = 0; k < keys; ++k) {
    names[k] = fmt::format("f{}", k);
    const auto lengths = in.sparse.lengths.subspan(k * stride, stride);
    std::size_t count = 0;
    for (std::int32_t l : lengths) count += static_cast<std::size_t>(l);
    features[k] = {names[k], {in.sparse.values.subspan(value_pos, count), lengths}};
    value_pos += count;
  }
  return features;
}

void copy_mask(const OpInput& in, OpOutput& out) {
  if (in.nulls.empty()) {
    out.nulls.assign(in.dense.size(), 0);
  } else {
    out.nulls.assign(in.nulls.begin(), in.nulls.end());
  }
}

void run_bucketize(const OpParams& p, const OpInput& in, OpOutput& out, Impl impl) {
  const std::size_t rows = in.dense.size();
  std::vector<std::int64_t>& ids = out.sparse.values;
  ids.resize(rows);
  if (impl == Impl::Optimized)
    bucketize(in.dense, p.borders, ids);
  else
    reference::bucketize(in.dense, p.borders, ids);
  out.sparse.lengths.assign(rows, 1);
  if (in.nulls.empty()) return;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    const bool keep = in.nulls[i] == 0;
    out.sparse.lengths[i] = keep ? 1 : 0;
    ids[kept] = ids[i];
    kept += keep ? 1 : 0;
  }
  ids.resize(kept);
}

void run_dense(KernelOp op, const OpParams& p, const OpInput& in, OpOutput& out, Impl impl) {
  const bool fast = impl == Impl::Optimized;
  std::vector<std::uint8_t> no_nulls;
  std::span<const std::uint8_t> nulls = in.nulls;
  if (nulls.empty() && (op == KernelOp::FillNull || op == KernelOp::Onehot)) {
    no_nulls.assign(in.dense.size(), 0);
    nulls = no_nulls;
  }
  if (op == KernelOp::Onehot) {
    out.dense.resize(in.dense.size() * static_cast<std::size_t>(p.n));
    if (fast)
      onehot(in.dense, nulls, out.dense, p.lower, p.upper, p.n);
    else
      reference::onehot(in.dense, nulls, out.dense, p.lower, p.upper, p.n);
    out.nulls.clear();
    return;
  }
  out.dense.resize(in.dense.size());
  switch (op) {
    case KernelOp::Log:
      fast ? log_offset(in.dense, out.dense, p.offset) : reference::log_offset(in.dense, out.dense, p.offset);
      break;
    case KernelOp::Logit:
      fast ? logit(in.dense, out.dense, p.eps) : reference::logit(in.dense, out.dense, p.eps);
      break;
    case KernelOp::Boxcox:
      fast ? boxcox(in.dense, out.dense, p.lambda) : reference::boxcox(in.dense, out.dense, p.lambda);
      break;
    case KernelOp::Clamp:
      fast ? clamp(in.dense, out.dense, p.lo, p.hi) : reference::clamp(in.dense, out.dense, p.lo, p.hi);
      break;
    case KernelOp::FillNull:
      fast ? fill_null(in.dense, nulls, out.dense, p.value) : reference::fill_null(in.dense, nulls, out.dense, p.value);
      out.nulls.assign(in.dense.size(), 0);
      return;
    default: break;
  }
  copy_mask(in, out);
}

void run_sparse(KernelOp op, const OpParams& p, const OpInput& in, OpOutput& out, Impl impl) {
  const bool fast = impl == Impl::Optimized;
  if (op == KernelOp::Firstx)
    return fast ? firstx(in.sparse, p.x, out.sparse) : reference::firstx(in.sparse, p.x, out.sparse);
  if (op == KernelOp::Ngram)
    return fast ? ngram(in.sparse, p.n, out.sparse) : reference::ngram(in.sparse, p.n, out.sparse);
  out.sparse.lengths.assign(in.sparse.lengths.begin(), in.sparse.lengths.end());
  std::vector<std::int64_t>& v = out.sparse.values;
  v.resize(in.sparse.values.size());
  switch (op) {
    case KernelOp::SigridHash:
      fast ? sigrid_hash(in.sparse.values, v, p.salt, p.max)
           : reference::sigrid_hash(in.sparse.values, v, p.salt, p.max);
      break;
    case KernelOp::Mapid:
      fast ? mapid(in.sparse.values, p.map, v) : reference::mapid(in.sparse.values, p.map, v);
      break;
    case KernelOp::Clamp:
      fast ? clamp(in.sparse.values, v, p.lo_id, p.hi_id) : reference::clamp(in.sparse.values, v, p.lo_id, p.hi_id);
      break;
    default: break;
  }
}

}  // namespace

std::optional<KernelOp> kernel_op(std::string_view name) {
  for (const auto& [op, op_name] : kNames) {
    if (op_name == name) return op;
  }
  return std::nullopt;
}

std::string_view kernel_op_name(KernelOp op) {
  for (const auto& [o, name] : kNames) {
    if (o == op) return name;
  }
  return "?";
}

bool reads_dense(KernelOp op) {
  switch (op) {
    case KernelOp::Bucketize:
    case KernelOp::Onehot:
    case KernelOp::Log:
    case KernelOp::Logit:
    case KernelOp::Boxcox:
    case KernelOp::FillNull: return true;
    default: return false;
  }
}

std::string check_op_call(KernelOp op, const OpParams& params, const OpInput& in) {
  std::string err = check_params(kernel_op_name(op), params);
  if (!err.empty()) return err;
  if (op == KernelOp::Clamp && in.dense.empty() && params.lo_id > params.hi_id) {
    return fmt::format("clamp on ids needs an integer in [lo, hi], got lo={} hi={}", params.lo, params.hi);
  }
  const bool dense = reads_dense(op) || (op == KernelOp::Clamp && !in.dense.empty());
  if (dense) {
    if (!in.nulls.empty() && in.nulls.size() != in.dense.size()) {
      return fmt::format("{} values but {} null flags", in.dense.size(), in.nulls.size());
    }
    return {};
  }
  err = check_jagged(in.sparse.values.size(), in.sparse.lengths);
  if (!err.empty()) return err;
  if (op == KernelOp::Ngram) return check_ngram_output(in.sparse.lengths, params.n);
  if (op == KernelOp::ToKjt || op == KernelOp::Dedup) {
    if (in.keys < 1) return fmt::format("keys must be >= 1, got {}", in.keys);
    if (in.sparse.lengths.size() % static_cast<std::size_t>(in.keys) != 0) {
      return fmt::format("{} lists do not split into {} features of equal size", in.sparse.lengths.size(), in.keys);
    }
  }
  return {};
}

void run_op(KernelOp op, const OpParams& params, const OpInput& in, OpOutput& out, Impl impl) {
  if (op == KernelOp::ToKjt || op == KernelOp::Dedup) {
    std::vector<std::string> names;
    const std::vector<FeatureLists> features = features_of(in, names);
    if (op == KernelOp::ToKjt && impl == Impl::Reference) {
      std::vector<Jagged> lists(features.size());
      for (std::size_t k = 0; k < features.size(); ++k) {
        lists[k].values.assign(features[k].lists.values.begin(), features[k].lists.values.end());
        lists[k].lengths.assign(features[k].lists.lengths.begin(), features[k].lists.lengths.end());
      }
      out.kjt = reference::to_kjt(names, lists);
      return;
    }
    to_kjt(features, out.kjt);
    if (op == KernelOp::Dedup) {
      if (impl == Impl::Optimized)
        dedup(out.kjt, out.ikjt);
      else
        out.ikjt = reference::dedup(out.kjt);
    }
    return;
  }
  if (op == KernelOp::Bucketize) return run_bucketize(params, in, out, impl);
  if (reads_dense(op) || (op == KernelOp::Clamp && !in.dense.empty())) return run_dense(op, params, in, out, impl);
  run_sparse(op, params, in, out, impl);
}

}  // namespace prepsim::ops
