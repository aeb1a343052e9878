#include "models/ops/jagged.h"

#include <fmt/format.h>

#include <cstddef>
#include <limits>

namespace prepsim::ops {

std::string check_jagged(std::size_t value_count, std::span<const std::int32_t> lengths) {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < lengths.size(); ++i) {
    if (lengths[i] < 0) return fmt::format("lengths[{}] is negative ({})", i, lengths[i]);
    total += static_cast<std::uint64_t>(lengths[i]);
  }
  if (total != value_count) {
    return fmt::format("lengths add up to {} but there are {} values", total, value_count);
  }
  return {};
}

std::string check_offsets(std::span<const std::int64_t> offsets) {
  if (offsets.empty()) return "offsets is empty; it needs one entry more than lengths, starting with 0";
  if (offsets[0] != 0) return fmt::format("offsets[0] must be 0, got {}", offsets[0]);
  for (std::size_t i = 1; i < offsets.size(); ++i) {
    const std::int64_t d = offsets[i] - offsets[i - 1];
    if (d < 0) return fmt::format("offsets decrease at {}: {} after {}", i, offsets[i], offsets[i - 1]);
    if (d > std::numeric_limits<std::int32_t>::max()) {
      return fmt::format("list {} has {} values, more than an int32 length holds", i - 1, d);
    }
  }
  return {};
}

void lengths_to_offsets(std::span<const std::int32_t> lengths, std::span<std::int64_t> offsets) {
  if (offsets.size() != lengths.size() + 1) return;
  const std::size_t n = lengths.size();
  const std::int32_t* l = lengths.data();
  std::int64_t* o = offsets.data();
  // Two independent running sums (even and odd prefixes of each pair) shorten the add chain per element.
  std::int64_t sum = 0;
  o[0] = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const std::int64_t a = l[i];
    const std::int64_t ab = a + l[i + 1];
    const std::int64_t c = l[i + 2];
    const std::int64_t cd = c + l[i + 3];
    o[i + 1] = sum + a;
    o[i + 2] = sum + ab;
    o[i + 3] = sum + ab + c;
    sum += ab + cd;
    o[i + 4] = sum;
  }
  for (; i < n; ++i) {
    sum += l[i];
    o[i + 1] = sum;
  }
}

void offsets_to_lengths(std::span<const std::int64_t> offsets, std::span<std::int32_t> lengths) {
  if (offsets.size() != lengths.size() + 1) return;
  const std::size_t n = lengths.size();
  const std::int64_t* o = offsets.data();
  std::int32_t* l = lengths.data();
  for (std::size_t i = 0; i < n; ++i) l[i] = static_cast<std::int32_t>(o[i + 1] - o[i]);
}

std::vector<std::int64_t> lengths_to_offsets(std::span<const std::int32_t> lengths) {
  std::vector<std::int64_t> offsets(lengths.size() + 1);
  lengths_to_offsets(lengths, offsets);
  return offsets;
}

std::vector<std::int32_t> offsets_to_lengths(std::span<const std::int64_t> offsets) {
  std::vector<std::int32_t> lengths(offsets.empty() ? 0 : offsets.size() - 1);
  if (!offsets.empty()) offsets_to_lengths(offsets, lengths);
  return lengths;
}

}  // namespace prepsim::ops
