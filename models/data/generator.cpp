#include "models/data/generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "models/data/rng.h"

namespace prepsim::data {
namespace {

// A new row that collides with an earlier row of the batch is redrawn up to this many times, so the realized
// duplication matches the spec; tiny id spaces (cardinality 3, length 1) cannot avoid collisions and exceed it.
constexpr int kMaxRedraws = 32;

std::uint64_t mix(std::uint64_t h, std::uint64_t x) {
  std::uint64_t state = h ^ (x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  return splitmix64(state);
}

Rng chunk_stream(std::uint64_t seed, std::int64_t chunk, std::string_view what) {
  return Rng::for_entity(seed, fmt::format("chunk/{}/{}", chunk, what));
}

float draw_value(const DenseGroupSpec& g, Rng& rng) {
  double v = 0;
  switch (g.distribution) {
    case ValueDistribution::Uniform: v = rng.uniform(g.lo, g.hi); break;
    case ValueDistribution::Normal: v = rng.normal(g.mu, g.sigma); break;
    case ValueDistribution::Lognormal: v = rng.lognormal(g.mu, g.sigma); break;
  }
  if (g.integer) v = std::floor(v);
  return static_cast<float>(v);
}

// Marks exactly `needed` of the positions where `eligible` is set, uniformly at random (Knuth's selection sampling).
void select_exactly(std::vector<std::uint8_t>& chosen, const std::vector<std::uint8_t>& eligible,
                    std::int64_t needed, Rng& rng) {
  std::int64_t remaining = std::count(eligible.begin(), eligible.end(), std::uint8_t{1});
  for (std::size_t i = 0; i < eligible.size() && needed > 0; ++i) {
    if (!eligible[i]) continue;
    if (static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(remaining))) < needed) {
      chosen[i] = 1;
      --needed;
    }
    --remaining;
  }
}

// Which samples draw a new row of the group (the others repeat the previous sample's row): exactly
// round(rows * (1 - d)) of them, session starts first.
std::vector<std::uint8_t> new_rows(const std::vector<std::uint8_t>& starts, double d, Rng& rng) {
  const auto rows = static_cast<std::int64_t>(starts.size());
  const std::int64_t unique = std::clamp<std::int64_t>(std::llround(rows * (1.0 - d)), 1, rows);
  const std::int64_t sessions = std::count(starts.begin(), starts.end(), std::uint8_t{1});
  std::vector<std::uint8_t> chosen(starts.size(), 0), eligible(starts.size(), 0);
  if (unique >= sessions) {
    chosen = starts;
    for (std::size_t i = 0; i < starts.size(); ++i) eligible[i] = !starts[i];
    select_exactly(chosen, eligible, unique - sessions, rng);
  } else {
    chosen[0] = 1;
    eligible = starts;
    eligible[0] = 0;
    select_exactly(chosen, eligible, unique - 1, rng);
  }
  return chosen;
}

// Per feature: ids are Zipf ranks mapped by a bijection rank -> (a * rank + b) mod cardinality, fixed for the whole
// dataset (not per chunk), so the popular ids are scattered over the id space like hashed ids are.
struct IdMap {
  std::uint64_t a = 1, b = 0, n = 1;
  IdMap(std::uint64_t seed, const std::string& feature, std::uint64_t cardinality) : n(cardinality) {
    Rng rng = Rng::for_entity(seed, "sparse/" + feature + "/id-permutation");
    if (n <= 1) return;
    do {
      a = 1 + rng.below(n - 1);
    } while (std::gcd(a, n) != 1);
    b = rng.below(n);
  }
  std::int64_t operator()(std::uint64_t rank) const {
    return static_cast<std::int64_t>((static_cast<unsigned __int128>(a) * rank + b) % n);
  }
};

void generate_group(const SparseGroupSpec& g, std::uint64_t seed, std::int64_t chunk,
                    const std::vector<std::uint8_t>& starts, std::vector<std::vector<std::int32_t>>& lengths,
                    std::vector<std::vector<std::int64_t>>& values) {
  const std::size_t rows = starts.size();
  const auto features = static_cast<std::size_t>(g.count);
  Rng select_rng = chunk_stream(seed, chunk, "sparse/" + g.name + "/new-rows");
  const std::vector<std::uint8_t> is_new = new_rows(starts, g.duplication, select_rng);
  Rng rng = chunk_stream(seed, chunk, "sparse/" + g.name + "/values");
  const ZipfSampler zipf(static_cast<std::uint64_t>(g.cardinality), g.zipf_exponent);
  std::vector<IdMap> ids;
  for (const std::string& name : feature_names(g)) ids.emplace_back(seed, name, g.cardinality);
  const double whole = std::floor(g.mean_length), fraction = g.mean_length - whole;

  lengths.assign(features, std::vector<std::int32_t>(rows, 0));
  values.assign(features, {});
  for (auto& v : values) v.reserve(static_cast<std::size_t>(static_cast<double>(rows) * g.mean_length * 1.1) + 16);
  std::vector<std::size_t> previous_offset(features, 0);
  std::unordered_set<std::uint64_t> seen;
  seen.reserve(rows * 2);
  std::vector<std::int32_t> row_lengths(features);
  std::vector<std::int64_t> row_values;

  for (std::size_t s = 0; s < rows; ++s) {
    if (!is_new[s]) {  // repeat the previous sample's row of this group
      for (std::size_t f = 0; f < features; ++f) {
        const std::int32_t len = lengths[f][s - 1];
        lengths[f][s] = len;
        const std::size_t from = previous_offset[f];
        previous_offset[f] = values[f].size();
        for (std::int32_t k = 0; k < len; ++k) values[f].push_back(values[f][from + static_cast<std::size_t>(k)]);
      }
      continue;
    }
    for (int attempt = 0;; ++attempt) {
      row_values.clear();
      std::uint64_t hash = 0;
      for (std::size_t f = 0; f < features; ++f) {
        const std::int64_t len = g.length_distribution == LengthDistribution::Poisson
                                     ? rng.poisson(g.mean_length)
                                     : static_cast<std::int64_t>(whole) + (rng.bernoulli(fraction) ? 1 : 0);
        row_lengths[f] = static_cast<std::int32_t>(std::min<std::int64_t>(len, 0x7fffffff));
        hash = mix(hash, static_cast<std::uint64_t>(len));
        for (std::int32_t k = 0; k < row_lengths[f]; ++k) {
          row_values.push_back(ids[f](zipf(rng)));
          hash = mix(hash, static_cast<std::uint64_t>(row_values.back()));
        }
      }
      if (seen.insert(hash).second || attempt + 1 >= kMaxRedraws) break;
    }
    std::size_t at = 0;
    for (std::size_t f = 0; f < features; ++f) {
      lengths[f][s] = row_lengths[f];
      previous_offset[f] = values[f].size();
      values[f].insert(values[f].end(), row_values.begin() + static_cast<std::ptrdiff_t>(at),
                       row_values.begin() + static_cast<std::ptrdiff_t>(at + static_cast<std::size_t>(row_lengths[f])));
      at += static_cast<std::size_t>(row_lengths[f]);
    }
  }
}

}  // namespace

std::vector<std::uint8_t> session_starts(const DatasetSpec& spec, std::uint64_t seed, std::int64_t chunk_index) {
  std::vector<std::uint8_t> starts(static_cast<std::size_t>(spec.rows_per_chunk), 0);
  Rng rng = chunk_stream(seed, chunk_index, "sessions");
  for (std::int64_t s = 0; s < spec.rows_per_chunk; s += rng.geometric(spec.mean_session_length)) {
    starts[static_cast<std::size_t>(s)] = 1;
  }
  return starts;
}

ColumnarBatch generate_chunk(const DatasetSpec& spec, std::uint64_t seed, std::int64_t chunk_index) {
  validate(spec);
  ColumnarBatch batch;
  batch.rows = spec.rows_per_chunk;
  const auto rows = static_cast<std::size_t>(spec.rows_per_chunk);

  for (const DenseGroupSpec& g : spec.dense) {
    for (const std::string& name : feature_names(g)) {
      Rng rng = chunk_stream(seed, chunk_index, "dense/" + name);
      DenseColumn column{name, std::vector<float>(rows, 0.0f), std::vector<std::uint8_t>(rows, 0)};
      for (std::size_t s = 0; s < rows; ++s) {
        if (g.null_fraction > 0 && rng.bernoulli(g.null_fraction)) {
          column.nulls[s] = 1;
        } else {
          column.values[s] = draw_value(g, rng);
        }
      }
      batch.dense.push_back(std::move(column));
    }
  }

  KeyedJaggedTensor& kjt = batch.sparse;
  kjt.keys = sparse_feature_names(spec);
  kjt.stride = spec.rows_per_chunk;
  kjt.lengths.reserve(kjt.keys.size() * rows);
  const std::vector<std::uint8_t> starts = session_starts(spec, seed, chunk_index);
  std::vector<std::vector<std::int32_t>> lengths;
  std::vector<std::vector<std::int64_t>> values;
  for (const SparseGroupSpec& g : spec.sparse) {
    generate_group(g, seed, chunk_index, starts, lengths, values);
    for (std::size_t f = 0; f < lengths.size(); ++f) {
      kjt.lengths.insert(kjt.lengths.end(), lengths[f].begin(), lengths[f].end());
      kjt.values.insert(kjt.values.end(), values[f].begin(), values[f].end());
    }
  }
  kjt.offsets.resize(kjt.lengths.size() + 1);
  kjt.offsets[0] = 0;
  for (std::size_t i = 0; i < kjt.lengths.size(); ++i) kjt.offsets[i + 1] = kjt.offsets[i] + kjt.lengths[i];
  return batch;
}

double measure_duplication(const KeyedJaggedTensor& kjt, std::span<const std::string> keys) {
  std::vector<std::size_t> index;
  for (const std::string& key : keys) {
    auto it = std::find(kjt.keys.begin(), kjt.keys.end(), key);
    if (it == kjt.keys.end()) throw std::invalid_argument("measure_duplication: no key '" + key + "' in the KJT");
    index.push_back(static_cast<std::size_t>(it - kjt.keys.begin()));
  }
  const auto stride = static_cast<std::size_t>(kjt.stride);
  if (stride == 0) return 0;
  auto list = [&](std::size_t key, std::size_t s) {
    const std::size_t i = key * stride + s;
    return std::span<const std::int64_t>(kjt.values).subspan(static_cast<std::size_t>(kjt.offsets[i]),
                                                              static_cast<std::size_t>(kjt.lengths[i]));
  };
  auto same_row = [&](std::size_t s, std::size_t t) {
    return std::all_of(index.begin(), index.end(), [&](std::size_t k) {
      auto a = list(k, s), b = list(k, t);
      return std::equal(a.begin(), a.end(), b.begin(), b.end());
    });
  };
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_hash;  // hash -> samples with distinct rows
  std::size_t unique = 0;
  for (std::size_t s = 0; s < stride; ++s) {
    std::uint64_t hash = 0;
    for (std::size_t k : index) {
      auto l = list(k, s);
      hash = mix(hash, l.size());
      for (std::int64_t v : l) hash = mix(hash, static_cast<std::uint64_t>(v));
    }
    std::vector<std::size_t>& bucket = by_hash[hash];
    if (std::none_of(bucket.begin(), bucket.end(), [&](std::size_t t) { return same_row(s, t); })) {
      bucket.push_back(s);
      ++unique;
    }
  }
  return 1.0 - static_cast<double>(unique) / static_cast<double>(stride);
}

}  // namespace prepsim::data
