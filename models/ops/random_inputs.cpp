#include "models/ops/random_inputs.h"

#include <cmath>
#include <limits>
#include <string>

#include "models/ops/jagged.h"

namespace prepsim::ops::testing {

std::vector<float> uniform_floats(std::mt19937_64& rng, std::size_t n, float lo, float hi) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> out(n);
  for (float& v : out) v = dist(rng);
  return out;
}

std::vector<float> awkward_floats(std::mt19937_64& rng, std::size_t n) {
  using L = std::numeric_limits<float>;
  const float specials[] = {
      L::quiet_NaN(), -L::quiet_NaN(), L::infinity(), -L::infinity(), 0.0f,  -0.0f,   L::denorm_min(),
      1e-40f,         L::min(),        L::max(),      L::lowest(),    -1.0f, -1e-30f, 1.0f};
  std::uniform_int_distribution<int> pick(0, 7);
  std::uniform_int_distribution<std::size_t> which(0, std::size(specials) - 1);
  std::uniform_real_distribution<float> exponent(-149.0f, 127.9f);
  std::vector<float> out(n);
  for (float& v : out) {
    v = pick(rng) == 0 ? specials[which(rng)] : std::exp2(exponent(rng));
  }
  return out;
}

std::vector<std::uint8_t> random_nulls(std::mt19937_64& rng, std::size_t n, double p) {
  std::bernoulli_distribution null(p);
  std::vector<std::uint8_t> out(n);
  for (auto& v : out) v = null(rng) ? 1 : 0;
  return out;
}

Jagged random_jagged(std::mt19937_64& rng, std::size_t lists, std::int32_t max_len, std::int64_t id_lo,
                     std::int64_t id_hi) {
  std::uniform_int_distribution<std::int32_t> len(0, max_len);
  std::uniform_int_distribution<std::int64_t> id(id_lo, id_hi);
  Jagged out;
  out.lengths.resize(lists);
  for (auto& l : out.lengths) {
    l = len(rng);
    for (std::int32_t j = 0; j < l; ++j) out.values.push_back(id(rng));
  }
  return out;
}

data::KeyedJaggedTensor random_kjt(std::mt19937_64& rng, std::size_t keys, std::size_t stride, std::size_t distinct,
                                   std::int32_t max_len) {
  if (distinct == 0) distinct = 1;
  // templates[k] holds `distinct` lists of feature k; sample s uses row pick[s] for every key.
  std::vector<Jagged> templates;
  for (std::size_t k = 0; k < keys; ++k) templates.push_back(random_jagged(rng, distinct, max_len, 0, 3));
  std::uniform_int_distribution<std::size_t> pick(0, distinct - 1);
  std::vector<std::size_t> rows(stride);
  for (auto& r : rows) r = pick(rng);
  data::KeyedJaggedTensor kjt;
  kjt.stride = static_cast<std::int64_t>(stride);
  for (std::size_t k = 0; k < keys; ++k) {
    kjt.keys.push_back(std::string("f").append(std::to_string(k)));  // not "f" + ...: GCC 12 -Wrestrict bug
    const std::vector<std::int64_t> offsets = lengths_to_offsets(templates[k].lengths);
    for (std::size_t s = 0; s < stride; ++s) {
      const std::size_t r = rows[s];
      kjt.lengths.push_back(templates[k].lengths[r]);
      kjt.values.insert(kjt.values.end(), templates[k].values.begin() + offsets[r],
                        templates[k].values.begin() + offsets[r + 1]);
    }
  }
  kjt.offsets = lengths_to_offsets(kjt.lengths);
  return kjt;
}

}  // namespace prepsim::ops::testing
