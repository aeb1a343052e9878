#include "models/ops/kjt.h"

#include <fmt/format.h>

#include <cstddef>
#include <cstring>

namespace prepsim::ops {

std::string check_to_kjt(std::span<const FeatureLists> features) {
  for (std::size_t k = 0; k < features.size(); ++k) {
    const FeatureLists& f = features[k];
    if (f.lists.lengths.size() != features[0].lists.lengths.size()) {
      return fmt::format("feature '{}' has {} lists but feature '{}' has {}; every feature needs one per sample", f.key,
                         f.lists.lengths.size(), features[0].key, features[0].lists.lengths.size());
    }
    std::string err = check_jagged(f.lists.values.size(), f.lists.lengths);
    if (!err.empty()) return fmt::format("feature '{}': {}", f.key, err);
  }
  return {};
}

void to_kjt(std::span<const FeatureLists> features, data::KeyedJaggedTensor& out) {
  const std::size_t stride = features.empty() ? 0 : features[0].lists.lengths.size();
  std::size_t total = 0;
  for (const FeatureLists& f : features) total += f.lists.values.size();
  out.keys.resize(features.size());
  out.values.resize(total);
  out.lengths.resize(features.size() * stride);
  out.offsets.resize(features.size() * stride + 1);
  out.stride = static_cast<std::int64_t>(stride);
  std::size_t v = 0;
  for (std::size_t k = 0; k < features.size(); ++k) {
    const FeatureLists& f = features[k];
    out.keys[k].assign(f.key);
    if (!f.lists.values.empty()) {
      std::memcpy(out.values.data() + v, f.lists.values.data(), f.lists.values.size() * sizeof(std::int64_t));
    }
    if (stride > 0) {
      std::memcpy(out.lengths.data() + k * stride, f.lists.lengths.data(), stride * sizeof(std::int32_t));
    }
    v += f.lists.values.size();
  }
  lengths_to_offsets(out.lengths, out.offsets);
}

data::KeyedJaggedTensor to_kjt(std::span<const FeatureLists> features) {
  data::KeyedJaggedTensor out;
  to_kjt(features, out);
  return out;
}

data::KeyedJaggedTensor to_kjt(const std::vector<std::string>& keys,
                               const std::vector<std::vector<std::vector<std::int64_t>>>& lists) {
  std::vector<Jagged> owned(keys.size());
  std::vector<FeatureLists> features(keys.size());
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (k < lists.size()) {
      for (const auto& list : lists[k]) {
        owned[k].values.insert(owned[k].values.end(), list.begin(), list.end());
        owned[k].lengths.push_back(static_cast<std::int32_t>(list.size()));
      }
    }
    features[k] = {keys[k], owned[k].view()};
  }
  return to_kjt(features);
}

std::string check_kjt(const data::KeyedJaggedTensor& kjt) {
  if (kjt.stride < 0) return fmt::format("stride is negative ({})", kjt.stride);
  const std::size_t lists = kjt.keys.size() * static_cast<std::size_t>(kjt.stride);
  if (kjt.lengths.size() != lists) {
    return fmt::format("lengths has {} entries, expected keys * stride = {} * {} = {}", kjt.lengths.size(),
                       kjt.keys.size(), kjt.stride, lists);
  }
  if (kjt.offsets.size() != lists + 1) {
    return fmt::format("offsets has {} entries, expected keys * stride + 1 = {}", kjt.offsets.size(), lists + 1);
  }
  std::string err = check_jagged(kjt.values.size(), kjt.lengths);
  if (!err.empty()) return err;
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < lists; ++i) {
    if (kjt.offsets[i] != sum)
      return fmt::format("offsets[{}] = {} but the lengths before it add up to {}", i, kjt.offsets[i], sum);
    sum += kjt.lengths[i];
  }
  if (kjt.offsets[lists] != sum) return fmt::format("offsets[{}] = {}, expected {}", lists, kjt.offsets[lists], sum);
  return {};
}

std::span<const std::int64_t> kjt_list(const data::KeyedJaggedTensor& kjt, std::size_t key, std::size_t sample) {
  const std::size_t i = key * static_cast<std::size_t>(kjt.stride) + sample;
  return std::span<const std::int64_t>(kjt.values)
      .subspan(static_cast<std::size_t>(kjt.offsets[i]), static_cast<std::size_t>(kjt.lengths[i]));
}

}  // namespace prepsim::ops
