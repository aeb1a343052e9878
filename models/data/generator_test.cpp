#include "models/data/generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace prepsim::data {
namespace {

SparseGroupSpec group(const std::string& name, int count, double mean, LengthDistribution dist, std::int64_t card,
                      double d) {
  SparseGroupSpec g;
  g.name = name;
  g.count = count;
  g.mean_length = mean;
  g.length_distribution = dist;
  g.cardinality = card;
  g.duplication = d;
  return g;
}

DatasetSpec mixed_spec(double d) {
  DatasetSpec spec;
  spec.rows_per_chunk = 8192;
  DenseGroupSpec counts;
  counts.name = "counts";
  counts.count = 5;
  counts.null_fraction = 0.3;
  counts.integer = true;
  counts.mu = 2;
  spec.dense.push_back(counts);
  DenseGroupSpec uniform;
  uniform.name = "u";
  uniform.count = 2;
  uniform.distribution = ValueDistribution::Uniform;
  uniform.lo = -1;
  uniform.hi = 3;
  spec.dense.push_back(uniform);
  spec.sparse.push_back(group("user", 3, 2.0, LengthDistribution::Poisson, 1000, d));  // collisions likely
  spec.sparse.push_back(group("item", 2, 2.5, LengthDistribution::Fixed, 1'000'000, d / 2));
  spec.sparse.push_back(group("hist", 1, 20.0, LengthDistribution::Poisson, 500'000, 0.0));
  return spec;
}

double mean_length(const KeyedJaggedTensor& kjt, const std::vector<std::string>& keys) {
  double ids = 0;
  for (const std::string& key : keys) {
    const auto k = static_cast<std::size_t>(std::find(kjt.keys.begin(), kjt.keys.end(), key) - kjt.keys.begin());
    ids += static_cast<double>(kjt.offsets[(k + 1) * kjt.stride] - kjt.offsets[k * kjt.stride]);
  }
  return ids / static_cast<double>(keys.size() * static_cast<std::size_t>(kjt.stride));
}

TEST(Generator, BatchShapeAndKjtLayoutAreConsistent) {
  const DatasetSpec spec = mixed_spec(0.5);
  const ColumnarBatch b = generate_chunk(spec, 1, 0);
  EXPECT_EQ(b.rows, 8192);
  ASSERT_EQ(b.dense.size(), 7u);
  EXPECT_EQ(b.dense[0].name, "counts_0");
  EXPECT_EQ(b.dense[6].name, "u_1");
  for (const DenseColumn& c : b.dense) {
    EXPECT_EQ(c.values.size(), 8192u);
    EXPECT_EQ(c.nulls.size(), 8192u);
  }
  EXPECT_EQ(b.sparse.keys, sparse_feature_names(spec));
  EXPECT_EQ(b.sparse.keys.front(), "user_0");
  EXPECT_EQ(b.sparse.stride, 8192);
  ASSERT_EQ(b.sparse.lengths.size(), 6u * 8192);
  ASSERT_EQ(b.sparse.offsets.size(), 6u * 8192 + 1);
  EXPECT_EQ(b.sparse.offsets.back(), static_cast<std::int64_t>(b.sparse.values.size()));
  for (std::size_t i = 0; i < b.sparse.lengths.size(); ++i) {
    ASSERT_EQ(b.sparse.offsets[i + 1] - b.sparse.offsets[i], b.sparse.lengths[i]);
  }
}

TEST(Generator, SameSeedAndChunkGiveIdenticalBatchesOthersDiffer) {
  const DatasetSpec spec = mixed_spec(0.5);
  const ColumnarBatch later = generate_chunk(spec, 9, 3);
  const ColumnarBatch first = generate_chunk(spec, 9, 0);
  const ColumnarBatch again = generate_chunk(spec, 9, 3);
  EXPECT_EQ(later.sparse.values, again.sparse.values);
  EXPECT_EQ(later.sparse.lengths, again.sparse.lengths);
  for (std::size_t c = 0; c < later.dense.size(); ++c) {
    EXPECT_EQ(later.dense[c].values, again.dense[c].values);
    EXPECT_EQ(later.dense[c].nulls, again.dense[c].nulls);
  }
  EXPECT_NE(first.sparse.values, later.sparse.values);
  EXPECT_NE(generate_chunk(spec, 10, 3).sparse.values, later.sparse.values);
}

TEST(Generator, RealizedDuplicationMatchesTheSpec) {
  for (double d : {0.0, 0.5, 0.9}) {
    const DatasetSpec spec = mixed_spec(d);
    for (std::int64_t chunk : {0, 1}) {
      const ColumnarBatch b = generate_chunk(spec, 5, chunk);
      EXPECT_NEAR(measure_duplication(b.sparse, feature_names(spec.sparse[0])), d, 0.02) << "d " << d;
      EXPECT_NEAR(measure_duplication(b.sparse, feature_names(spec.sparse[1])), d / 2, 0.02) << "d " << d;
      EXPECT_NEAR(measure_duplication(b.sparse, feature_names(spec.sparse[2])), 0.0, 0.02) << "d " << d;
    }
  }
}

TEST(Generator, DuplicatesAreClusteredAsRepeatsOfThePreviousSample) {
  const DatasetSpec spec = mixed_spec(0.9);
  const ColumnarBatch b = generate_chunk(spec, 5, 0);
  const KeyedJaggedTensor& kjt = b.sparse;
  const std::size_t rows = 8192;
  auto same_as_previous = [&](std::size_t s) {
    for (std::size_t k = 0; k < 3; ++k) {  // the "user" group
      const std::size_t i = k * rows + s;
      if (!std::equal(kjt.values.begin() + kjt.offsets[i], kjt.values.begin() + kjt.offsets[i + 1],
                      kjt.values.begin() + kjt.offsets[i - 1], kjt.values.begin() + kjt.offsets[i])) {
        return false;
      }
    }
    return true;
  };
  int repeats = 0;
  for (std::size_t s = 1; s < rows; ++s) repeats += same_as_previous(s);
  const double d = measure_duplication(kjt, feature_names(spec.sparse[0]));
  EXPECT_EQ(repeats, static_cast<int>(std::lround(d * rows)));  // every duplicate is an adjacent repeat
}

TEST(Generator, ListLengthMeansMatchTheSpec) {
  const DatasetSpec spec = mixed_spec(0.0);
  const ColumnarBatch b = generate_chunk(spec, 3, 0);
  for (const SparseGroupSpec& g : spec.sparse) {
    EXPECT_NEAR(mean_length(b.sparse, feature_names(g)), g.mean_length, 0.02 * g.mean_length) << g.name;
  }
  const auto [lo, hi] = std::minmax_element(b.sparse.lengths.begin() + 3 * 8192, b.sparse.lengths.begin() + 5 * 8192);
  EXPECT_EQ(*lo, 2);  // fixed 2.5 mixes lengths 2 and 3
  EXPECT_EQ(*hi, 3);
}

TEST(Generator, NullFractionAndValueDistributionsMatchTheSpec) {
  const DatasetSpec spec = mixed_spec(0.0);
  const ColumnarBatch b = generate_chunk(spec, 3, 0);
  double nulls = 0, values = 0, below_seven = 0;
  for (int c = 0; c < 5; ++c) {
    for (std::size_t s = 0; s < 8192; ++s) {
      if (b.dense[c].nulls[s]) {
        ++nulls;
        continue;
      }
      const float v = b.dense[c].values[s];
      ASSERT_EQ(v, std::floor(v));  // integer (count-like) features
      ++values;
      below_seven += v < 7.0f;
    }
  }
  EXPECT_NEAR(nulls / (5 * 8192), 0.3, 0.01);
  // floor(lognormal(2, 1)) < 7 exactly when the lognormal is < 7: probability Phi(ln 7 - 2).
  EXPECT_NEAR(below_seven / values, 0.5 * std::erfc(-(std::log(7.0) - 2.0) / std::sqrt(2.0)), 0.015);
  for (int c = 5; c < 7; ++c) {
    EXPECT_EQ(std::count(b.dense[c].nulls.begin(), b.dense[c].nulls.end(), 1), 0);
    for (float v : b.dense[c].values) ASSERT_TRUE(v >= -1.0f && v < 3.0f);
  }
}

TEST(Generator, IdsAreInRangeAndZipfSkewed) {
  DatasetSpec spec;
  spec.sparse.push_back(group("hist", 1, 20.0, LengthDistribution::Poisson, 1'000'000, 0.0));
  const ColumnarBatch b = generate_chunk(spec, 4, 0);
  std::map<std::int64_t, int> counts;
  for (std::int64_t id : b.sparse.values) {
    ASSERT_GE(id, 0);
    ASSERT_LT(id, 1'000'000);
    ++counts[id];
  }
  int top = 0;
  for (const auto& [id, n] : counts) top = std::max(top, n);
  double harmonic = 0;
  for (int k = 1; k <= 1'000'000; ++k) harmonic += std::pow(k, -1.05);
  EXPECT_NEAR(top / static_cast<double>(b.sparse.values.size()), 1.0 / harmonic, 0.1 / harmonic);
  // The most popular id is scattered by the per-feature permutation, and the same in every chunk.
  const ColumnarBatch other = generate_chunk(spec, 4, 1);
  std::map<std::int64_t, int> other_counts;
  for (std::int64_t id : other.sparse.values) ++other_counts[id];
  auto argmax = [](const std::map<std::int64_t, int>& m) {
    return std::max_element(m.begin(), m.end(), [](auto& a, auto& b) { return a.second < b.second; })->first;
  };
  EXPECT_EQ(argmax(counts), argmax(other_counts));
  EXPECT_NE(argmax(counts), 0);
}

TEST(Generator, SessionsHaveTheRequestedMeanLength) {
  DatasetSpec spec;
  spec.rows_per_chunk = 100000;
  spec.mean_session_length = 8;
  const std::vector<std::uint8_t> starts = session_starts(spec, 1, 0);
  EXPECT_EQ(starts[0], 1);
  const double sessions = static_cast<double>(std::count(starts.begin(), starts.end(), 1));
  EXPECT_NEAR(100000 / sessions, 8.0, 0.2);
}

TEST(Generator, TinyIdSpacesTerminateWithUnavoidableDuplicates) {
  DatasetSpec spec;
  spec.rows_per_chunk = 1000;
  spec.sparse.push_back(group("tiny", 1, 1.0, LengthDistribution::Fixed, 3, 0.0));
  const ColumnarBatch b = generate_chunk(spec, 1, 0);
  EXPECT_DOUBLE_EQ(measure_duplication(b.sparse, feature_names(spec.sparse[0])), 1.0 - 3.0 / 1000);
}

TEST(Generator, InvalidSpecsAreRefusedNamingTheField) {
  DatasetSpec spec = mixed_spec(0.0);
  spec.sparse[1].duplication = 1.0;
  try {
    generate_chunk(spec, 1, 0);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("sparse[1].duplication"), std::string::npos) << e.what();
  }
  spec = mixed_spec(0.0);
  spec.dense[0].null_fraction = -0.1;
  EXPECT_THROW(validate(spec), std::invalid_argument);
  spec = mixed_spec(0.0);
  spec.sparse[0].name = "counts";
  EXPECT_THROW(validate(spec), std::invalid_argument);
  spec = mixed_spec(0.0);
  spec.rows_per_chunk = 0;
  EXPECT_THROW(validate(spec), std::invalid_argument);
}

TEST(MeasureDuplication, CountsUniqueRowsOfTheGroup) {
  // Two keys, 4 samples: rows (a=[1], b=[]) (a=[1], b=[]) (a=[1], b=[2]) (a=[], b=[1]) -> 3 unique of 4.
  KeyedJaggedTensor kjt;
  kjt.keys = {"a", "b"};
  kjt.stride = 4;
  kjt.lengths = {1, 1, 1, 0, 0, 0, 1, 1};
  kjt.values = {1, 1, 1, 2, 1};
  kjt.offsets = {0, 1, 2, 3, 3, 3, 3, 4, 5};
  const std::vector<std::string> both = {"a", "b"}, only_a = {"a"}, missing = {"c"};
  EXPECT_DOUBLE_EQ(measure_duplication(kjt, both), 0.25);
  EXPECT_DOUBLE_EQ(measure_duplication(kjt, only_a), 0.5);
  EXPECT_THROW(measure_duplication(kjt, missing), std::invalid_argument);
}

}  // namespace
}  // namespace prepsim::data
