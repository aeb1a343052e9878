#include "models/ops/dedup.h"

#include <fmt/format.h>

#include <bit>
#include <cstddef>
#include <cstring>

#include "models/ops/jagged.h"
#include "models/ops/kjt.h"

namespace prepsim::ops {

namespace {

constexpr std::uint64_t kMul = 0x9ddfea08eb382d69ULL;
constexpr std::uint64_t kPos = 0x9e3779b97f4a7c15ULL;
constexpr std::uint64_t kVal = 0xbf58476d1ce4e5b9ULL;

// Order-dependent hash of one list. The per-id products are independent of one another (no chain of multiplies
// through the list), so a long list hashes at the multiplier's throughput rather than its latency.
inline std::uint64_t list_hash(const std::int64_t* v, std::size_t len) {
  std::uint64_t acc = (len + 1) * kPos;
  for (std::size_t i = 0; i < len; ++i) acc += (static_cast<std::uint64_t>(v[i]) ^ (i * kPos)) * kVal;
  return acc;
}

inline std::uint64_t combine(std::uint64_t h, std::uint64_t x) {
  std::uint64_t a = (h ^ x) * kMul;
  a ^= a >> 47;
  return a;
}


bool rows_equal(const data::KeyedJaggedTensor& kjt, std::size_t a, std::size_t b) {
  const auto stride = static_cast<std::size_t>(kjt.stride);
  for (std::size_t k = 0; k < kjt.keys.size(); ++k) {
    const std::size_t ia = k * stride + a;
    const std::size_t ib = k * stride + b;
    const std::int32_t len = kjt.lengths[ia];
    if (len != kjt.lengths[ib]) return false;
    if (len > 0 && std::memcmp(kjt.values.data() + kjt.offsets[ia], kjt.values.data() + kjt.offsets[ib],
                               static_cast<std::size_t>(len) * sizeof(std::int64_t)) != 0) {
      return false;
    }
  }
  return true;
}

// Fills `out` (keys, lengths, offsets, values, stride = picks.size()) with, for each key, the lists of samples
// picks[0], picks[1], ... of `src`.
void gather_rows(const data::KeyedJaggedTensor& src, const std::int32_t* picks, std::size_t count,
                 data::KeyedJaggedTensor& out) {
  const auto stride = static_cast<std::size_t>(src.stride);
  const std::size_t keys = src.keys.size();
  out.keys = src.keys;
  out.stride = static_cast<std::int64_t>(count);
  out.lengths.resize(keys * count);
  out.offsets.resize(keys * count + 1);
  for (std::size_t k = 0; k < keys; ++k) {
    const std::int32_t* len = src.lengths.data() + k * stride;
    std::int32_t* olen = out.lengths.data() + k * count;
    for (std::size_t u = 0; u < count; ++u) olen[u] = len[picks[u]];
  }
  lengths_to_offsets(out.lengths, out.offsets);
  out.values.resize(static_cast<std::size_t>(out.offsets.back()));
  std::int64_t* dst = out.values.data();
  for (std::size_t k = 0; k < keys; ++k) {
    const std::int64_t* off = src.offsets.data() + k * stride;
    const std::int32_t* len = src.lengths.data() + k * stride;
    for (std::size_t u = 0; u < count; ++u) {
      const auto l = static_cast<std::size_t>(len[picks[u]]);
      copy_ids(dst, src.values.data() + off[picks[u]], l);
      dst += l;
    }
  }
}

}  // namespace

void dedup(const data::KeyedJaggedTensor& kjt, data::InverseKJT& out, DedupScratch* scratch) {
  DedupScratch local;
  DedupScratch& s = scratch != nullptr ? *scratch : local;
  const auto stride = static_cast<std::size_t>(kjt.stride);
  const std::size_t keys = kjt.keys.size();

  // 1. One hash per row, feature-major.
  s.row_hash.assign(stride, 0);
  std::uint64_t* h = s.row_hash.data();
  for (std::size_t k = 0; k < keys; ++k) {
    const std::int64_t* off = kjt.offsets.data() + k * stride;
    const std::int32_t* len = kjt.lengths.data() + k * stride;
    for (std::size_t r = 0; r < stride; ++r) {
      h[r] = combine(h[r], list_hash(kjt.values.data() + off[r], static_cast<std::size_t>(len[r])));
    }
  }

  // 2. Open addressing (linear probing, load <= 1/2), slots hold unique row numbers.
  const std::size_t capacity = std::bit_ceil(stride * 2 < 16 ? std::size_t{16} : stride * 2);
  const std::size_t mask = capacity - 1;
  const int shift = 64 - std::countr_zero(capacity);
  s.table.assign(capacity, -1);
  s.representative.clear();
  out.inverse.resize(stride);
  for (std::size_t r = 0; r < stride; ++r) {
    std::size_t slot = static_cast<std::size_t>((h[r] * kPos) >> shift) & mask;
    while (true) {
      const std::int32_t u = s.table[slot];
      if (u < 0) {
        s.table[slot] = static_cast<std::int32_t>(s.representative.size());
        out.inverse[r] = static_cast<std::int32_t>(s.representative.size());
        s.representative.push_back(static_cast<std::int32_t>(r));
        break;
      }
      const auto rep = static_cast<std::size_t>(s.representative[static_cast<std::size_t>(u)]);
      if (h[rep] == h[r] && rows_equal(kjt, rep, r)) {
        out.inverse[r] = u;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }

  // 3. The unique rows, in order of first appearance.
  gather_rows(kjt, s.representative.data(), s.representative.size(), out.unique);
}

data::InverseKJT dedup(const data::KeyedJaggedTensor& kjt) {
  data::InverseKJT out;
  dedup(kjt, out);
  return out;
}

void expand(const data::InverseKJT& ikjt, data::KeyedJaggedTensor& out) {
  gather_rows(ikjt.unique, ikjt.inverse.data(), ikjt.inverse.size(), out);
}

data::KeyedJaggedTensor expand(const data::InverseKJT& ikjt) {
  data::KeyedJaggedTensor out;
  expand(ikjt, out);
  return out;
}

std::string check_inverse_kjt(const data::InverseKJT& ikjt) {
  std::string err = check_kjt(ikjt.unique);
  if (!err.empty()) return "unique rows: " + err;
  for (std::size_t s = 0; s < ikjt.inverse.size(); ++s) {
    if (ikjt.inverse[s] < 0 || ikjt.inverse[s] >= ikjt.unique.stride) {
      return fmt::format("inverse[{}] = {} is not a unique row (there are {})", s, ikjt.inverse[s], ikjt.unique.stride);
    }
  }
  return {};
}

}  // namespace prepsim::ops
