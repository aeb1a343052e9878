// No fused multiply-add contraction in this file, whatever the target (AVX-512F has FMA; so does -march=native):
// the reference and the vectorized kernels must round every operation the same way (fast_log.h).
#pragma GCC optimize("fp-contract=off")

#include "models/ops/reference.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <map>

#include "models/ops/fast_log.h"
#include "models/ops/hash.h"

namespace prepsim::ops::reference {

std::int64_t sigrid_hash_one(std::int64_t x, std::int64_t salt, std::int64_t max) {
  const std::int64_t h = sigrid_hash_raw(x, salt);
  std::int64_t r = h % max;
  if (r < 0) r += max;
  return r;
}

void sigrid_hash(std::span<const std::int64_t> in, std::span<std::int64_t> out, std::int64_t salt, std::int64_t max) {
  for (std::size_t i = 0; i < in.size(); ++i) out[i] = sigrid_hash_one(in[i], salt, max);
}

void bucketize(std::span<const float> x, std::span<const float> borders, std::span<std::int64_t> out) {
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float v = x[i];
    // The first border b with v <= b: lower_bound with "b comes before v" = !(v <= b) (true for all b if v is NaN).
    const auto it = std::lower_bound(borders.begin(), borders.end(), v, [](float b, float val) { return !(val <= b); });
    out[i] = it - borders.begin();
  }
}

std::int64_t bucketize_linear(float x, std::span<const float> borders) {
  for (std::size_t i = 0; i < borders.size(); ++i) {
    if (x <= borders[i]) return static_cast<std::int64_t>(i);
  }
  return static_cast<std::int64_t>(borders.size());
}

float log_scalar(float x) {
  if (std::isnan(x)) return x;
  if (x < 0.0f) return std::numeric_limits<float>::quiet_NaN();
  if (x == 0.0f) return -std::numeric_limits<float>::infinity();
  if (std::isinf(x)) return x;
  int e = 0;
  float m = std::frexp(x, &e);
  float t;
  if (m < kSqrtHalf) {
    e -= 1;
    t = (m + m) - 1.0f;
  } else {
    t = m - 1.0f;
  }
  return log_core(t, static_cast<float>(e));
}

void log_offset(std::span<const float> x, std::span<float> out, float offset) {
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = log_scalar(x[i] + offset);
}

void logit(std::span<const float> x, std::span<float> out, float eps) {
  for (std::size_t i = 0; i < x.size(); ++i) {
    float c = x[i];
    if (c < eps) c = eps;
    if (c > 1.0f - eps) c = 1.0f - eps;
    out[i] = log_scalar(c / (1.0f - c));
  }
}

void boxcox(std::span<const float> x, std::span<float> out, float lambda) {
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float v = x[i];
    if (v > 0.0f) {
      out[i] = lambda == 0.0f ? log_scalar(v) : (std::pow(v, lambda) - 1.0f) / lambda;
    } else {
      out[i] = v;
    }
  }
}

void fill_null(std::span<const float> x, std::span<const std::uint8_t> nulls, std::span<float> out, float value) {
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!nulls.empty() && nulls[i]) {
      out[i] = value;
    } else {
      out[i] = x[i];
    }
  }
}

void clamp(std::span<const float> x, std::span<float> out, float lo, float hi) {
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = std::clamp(x[i], lo, hi);
}

void onehot(std::span<const float> x, std::span<const std::uint8_t> nulls, std::span<float> out, float lower,
            float upper, std::int64_t n) {
  const float step = (upper - lower) / static_cast<float>(n);
  for (std::size_t i = 0; i < x.size(); ++i) {
    std::int64_t idx = -1;
    if (nulls.empty() || !nulls[i]) {
      const float t = (x[i] - lower) / step;
      idx = (t >= 0.0f && t < static_cast<float>(n)) ? static_cast<std::int64_t>(t) : 0;
    }
    float* row = out.data() + i * static_cast<std::size_t>(n);
    for (std::int64_t j = 0; j < n; ++j) row[j] = j == idx ? 1.0f : 0.0f;
  }
}

void firstx(JaggedView in, std::int64_t x, Jagged& out) {
  out.values.clear();
  out.lengths.clear();
  std::size_t pos = 0;
  for (std::int32_t len : in.lengths) {
    const std::int64_t take = std::min<std::int64_t>(x, len);
    for (std::int64_t j = 0; j < take; ++j) out.values.push_back(in.values[pos + static_cast<std::size_t>(j)]);
    out.lengths.push_back(static_cast<std::int32_t>(take));
    pos += static_cast<std::size_t>(len);
  }
}

void ngram(JaggedView in, std::int64_t n, Jagged& out) {
  out.values.clear();
  out.lengths.clear();
  std::size_t pos = 0;
  for (std::int32_t len : in.lengths) {
    const std::int64_t np = std::min<std::int64_t>(n, len);
    std::int64_t written = 0;
    for (std::int64_t w = 0; len > 0 && w + np <= len; ++w) {
      for (std::int64_t j = 0; j < np; ++j) out.values.push_back(in.values[pos + static_cast<std::size_t>(w + j)]);
      written += np;
    }
    out.lengths.push_back(static_cast<std::int32_t>(written));
    pos += static_cast<std::size_t>(len);
  }
}

void mapid(std::span<const std::int64_t> in, std::span<const std::int64_t> map, std::span<std::int64_t> out) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    const std::int64_t v = in[i];
    if (v >= 0 && static_cast<std::uint64_t>(v) < map.size()) {
      out[i] = map[static_cast<std::size_t>(v)];
    } else {
      out[i] = 0;
    }
  }
}

void clamp(std::span<const std::int64_t> in, std::span<std::int64_t> out, std::int64_t lo, std::int64_t hi) {
  for (std::size_t i = 0; i < in.size(); ++i) out[i] = std::clamp(in[i], lo, hi);
}

void lengths_to_offsets(std::span<const std::int32_t> lengths, std::span<std::int64_t> offsets) {
  offsets[0] = 0;
  for (std::size_t i = 0; i < lengths.size(); ++i) offsets[i + 1] = offsets[i] + lengths[i];
}

void offsets_to_lengths(std::span<const std::int64_t> offsets, std::span<std::int32_t> lengths) {
  for (std::size_t i = 0; i < lengths.size(); ++i) lengths[i] = static_cast<std::int32_t>(offsets[i + 1] - offsets[i]);
}

data::KeyedJaggedTensor to_kjt(const std::vector<std::string>& keys, const std::vector<Jagged>& lists) {
  data::KeyedJaggedTensor kjt;
  kjt.keys = keys;
  kjt.stride = lists.empty() ? 0 : static_cast<std::int64_t>(lists[0].lengths.size());
  for (const Jagged& f : lists) {
    kjt.values.insert(kjt.values.end(), f.values.begin(), f.values.end());
    kjt.lengths.insert(kjt.lengths.end(), f.lengths.begin(), f.lengths.end());
  }
  kjt.offsets.assign(kjt.lengths.size() + 1, 0);
  lengths_to_offsets(kjt.lengths, kjt.offsets);
  return kjt;
}

namespace {

using Row = std::vector<std::vector<std::int64_t>>;

Row row_of(const data::KeyedJaggedTensor& kjt, std::size_t sample) {
  Row row;
  for (std::size_t k = 0; k < kjt.keys.size(); ++k) {
    const std::size_t i = k * static_cast<std::size_t>(kjt.stride) + sample;
    const auto* begin = kjt.values.data() + kjt.offsets[i];
    row.emplace_back(begin, begin + kjt.lengths[i]);
  }
  return row;
}

data::KeyedJaggedTensor kjt_of_rows(const std::vector<std::string>& keys, const std::vector<Row>& rows) {
  std::vector<Jagged> lists(keys.size());
  for (const Row& row : rows) {
    for (std::size_t k = 0; k < keys.size(); ++k) {
      lists[k].values.insert(lists[k].values.end(), row[k].begin(), row[k].end());
      lists[k].lengths.push_back(static_cast<std::int32_t>(row[k].size()));
    }
  }
  data::KeyedJaggedTensor kjt = to_kjt(keys, lists);
  kjt.stride = static_cast<std::int64_t>(rows.size());
  return kjt;
}

}  // namespace

data::InverseKJT dedup(const data::KeyedJaggedTensor& kjt) {
  std::map<Row, std::int32_t> seen;
  std::vector<Row> unique;
  data::InverseKJT out;
  for (std::size_t s = 0; s < static_cast<std::size_t>(kjt.stride); ++s) {
    Row row = row_of(kjt, s);
    auto [it, inserted] = seen.emplace(row, static_cast<std::int32_t>(unique.size()));
    if (inserted) unique.push_back(std::move(row));
    out.inverse.push_back(it->second);
  }
  out.unique = kjt_of_rows(kjt.keys, unique);
  return out;
}

data::KeyedJaggedTensor expand(const data::InverseKJT& ikjt) {
  std::vector<Row> rows;
  for (std::int32_t u : ikjt.inverse) rows.push_back(row_of(ikjt.unique, static_cast<std::size_t>(u)));
  return kjt_of_rows(ikjt.unique.keys, rows);
}

}  // namespace prepsim::ops::reference
