#include "models/ops/run_op.h"

#include <fmt/format.h>

#include <cstddef>

#include "models/ops/op_layouts.h"

namespace prepsim::ops {

namespace layouts {

std::span<const std::uint8_t> mask_or_zeros(const OpInput& in, std::vector<std::uint8_t>& zeros) {
  if (!in.nulls.empty()) return in.nulls;
  zeros.assign(in.dense.size(), 0);
  return zeros;
}

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

}  // namespace layouts

const OpInfo* kernel_op(std::string_view name) {
  const OpInfo* op = find_op(name);
  return op != nullptr && op->kernel != nullptr ? op : nullptr;
}

bool reads_dense(const OpInfo& op, const OpInput& in) {
  return can_read_dense(op.layout) && (op.layout != Layout::DenseOrLists || !in.dense.empty());
}

std::string check_op_call(const OpInfo& op, const OpParams& params, const OpInput& in) {
  if (op.kernel == nullptr) return fmt::format("op '{}' has no kernel", op.name);
  std::string err = op.check != nullptr ? op.check(params) : std::string();
  if (!err.empty()) return err;
  if (reads_dense(op, in)) {
    if (!in.nulls.empty() && in.nulls.size() != in.dense.size()) {
      return fmt::format("{} values but {} null flags", in.dense.size(), in.nulls.size());
    }
  } else {
    err = check_jagged(in.sparse.values.size(), in.sparse.lengths);
    if (!err.empty()) return err;
    if (takes_features(op.layout)) {
      if (in.keys < 1) return fmt::format("keys must be >= 1, got {}", in.keys);
      if (in.sparse.lengths.size() % static_cast<std::size_t>(in.keys) != 0) {
        return fmt::format("{} lists do not split into {} features of equal size", in.sparse.lengths.size(),
                           in.keys);
      }
    }
  }
  return op.check_input != nullptr ? op.check_input(params, in) : std::string();
}

void run_op(const OpInfo& op, const OpParams& params, const OpInput& in, OpOutput& out, Impl impl) {
  (impl == Impl::Optimized ? op.kernel : op.reference)(params, in, out);
}

}  // namespace prepsim::ops
