// The schema and statistics of a synthetic dataset (docs/data.md): what the generator produces and
// what the simulator's data model is sized from. A pure struct with no YAML: the scenario loader maps
// `dataset:` onto it and calls validate(). docs/data.md describes every field and distribution.
//
// Features come in groups. A dense group is `count` float32 columns named "<name>_<i>" sharing a null fraction and
// a value distribution. A sparse group is `count` id-list features named "<name>_<i>" sharing list lengths, id
// cardinality and Zipf skew, and one duplication d: the group is deduplicated together (one inverse index), and
// d = 1 - unique rows / rows in a batch, a row being the tuple of all the group's lists for one sample.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace prepsim::data {

enum class ValueDistribution {
  Uniform,    // uniform in [lo, hi)
  Normal,     // normal(mu, sigma)
  Lognormal,  // exp(normal(mu, sigma)): positive, heavy-tailed, like counts and prices
};

enum class LengthDistribution {
  Fixed,    // every list has mean_length elements (non-integer means mix floor and ceil to hit the mean)
  Poisson,  // Poisson(mean_length); lists may be empty
};

struct DenseGroupSpec {
  std::string name = "dense";
  int count = 0;
  double null_fraction = 0.0;  // probability that a value is null, independently per value, in [0, 1]
  ValueDistribution distribution = ValueDistribution::Lognormal;
  double mu = 0.0, sigma = 1.0;  // Normal and Lognormal
  double lo = 0.0, hi = 1.0;     // Uniform
  bool integer = false;          // floor() every value: count-like features such as Criteo's integer columns
};

struct SparseGroupSpec {
  std::string name = "sparse";
  int count = 0;
  double mean_length = 1.0;  // mean ids per list, >= 0
  LengthDistribution length_distribution = LengthDistribution::Fixed;
  std::int64_t cardinality = 1'000'000;  // ids are in [0, cardinality)
  double zipf_exponent = 1.05;           // id popularity: P(rank k) ~ 1/(k+1)^s; 0 = uniform
  double duplication = 0.0;              // d in [0, 1): 1 - unique rows / rows within one chunk
};

struct DatasetSpec {
  std::int64_t rows_per_chunk = 8192;  // samples per chunk (default: one mini-batch)
  // Samples arrive clustered by user session (RecD): consecutive samples of one session, geometric lengths of this
  // mean. A group's new rows start at session boundaries first; its repeated rows copy the previous sample's row.
  double mean_session_length = 8.0;
  std::vector<DenseGroupSpec> dense;
  std::vector<SparseGroupSpec> sparse;
};

// Throws std::invalid_argument naming the offending field ("sparse[1].duplication = 1.2: must be in [0, 1)").
void validate(const DatasetSpec& spec);

// Feature names: "<group name>_<i>", in batch order (groups in spec order).
std::vector<std::string> feature_names(const DenseGroupSpec& group);
std::vector<std::string> feature_names(const SparseGroupSpec& group);
std::vector<std::string> dense_feature_names(const DatasetSpec& spec);
std::vector<std::string> sparse_feature_names(const DatasetSpec& spec);

// Expected uncompressed columnar bytes per row, as the chunk file stores them before zstd: 4 bytes per dense value
// plus 1 bit of null mask, 4 bytes per list length, 8 bytes per id.
double expected_raw_bytes_per_row(const DatasetSpec& spec);

// The data schemas of PreSto's workloads (docs/sources.md#presto). Table I gives the counts and mean list lengths; the
// rest (cardinality, Zipf exponent, null fraction, value distribution) is our assumption, documented in docs/data.md.
DatasetSpec criteo_like_spec(std::int64_t rows_per_chunk = 8192);  // RM1: 13 dense, 26 sparse of length 1
DatasetSpec rm2_like_spec(std::int64_t rows_per_chunk = 8192);     // RM2-RM5: 504 dense, 42 sparse of mean 20

}  // namespace prepsim::data
