#include "models/data/dataset_spec.h"

#include <fmt/format.h>

#include <cmath>
#include <set>
#include <stdexcept>

namespace prepsim::data {
namespace {

void require(bool ok, const std::string& field, double value, const char* rule) {
  if (!ok) throw std::invalid_argument(fmt::format("dataset spec: {} = {}: {}", field, value, rule));
}

bool finite(double x) { return std::isfinite(x); }

}  // namespace

void validate(const DatasetSpec& spec) {
  require(spec.rows_per_chunk >= 1 && spec.rows_per_chunk <= 0x7fffffff, "rows_per_chunk",
          static_cast<double>(spec.rows_per_chunk), "must be in [1, 2^31 - 1]");
  require(finite(spec.mean_session_length) && spec.mean_session_length >= 1, "mean_session_length",
          spec.mean_session_length, "must be finite and >= 1");
  std::set<std::string> groups;
  auto check_name = [&](const std::string& name, const std::string& field) {
    if (name.empty()) throw std::invalid_argument(fmt::format("dataset spec: {}.name is empty", field));
    if (!groups.insert(name).second) {
      throw std::invalid_argument(fmt::format("dataset spec: {}.name = '{}': used by another group", field, name));
    }
  };
  for (std::size_t i = 0; i < spec.dense.size(); ++i) {
    const DenseGroupSpec& g = spec.dense[i];
    const std::string f = fmt::format("dense[{}]", i);
    check_name(g.name, f);
    require(g.count >= 0 && g.count <= 1'000'000, f + ".count", g.count, "must be in [0, 1e6]");
    require(g.null_fraction >= 0 && g.null_fraction <= 1, f + ".null_fraction", g.null_fraction,
            "must be in [0, 1]");
    require(finite(g.mu), f + ".mu", g.mu, "must be finite");
    require(finite(g.sigma) && g.sigma >= 0, f + ".sigma", g.sigma, "must be finite and >= 0");
    require(finite(g.lo) && finite(g.hi) && g.lo <= g.hi, f + ".lo", g.lo, "lo and hi must be finite, lo <= hi");
  }
  for (std::size_t i = 0; i < spec.sparse.size(); ++i) {
    const SparseGroupSpec& g = spec.sparse[i];
    const std::string f = fmt::format("sparse[{}]", i);
    check_name(g.name, f);
    require(g.count >= 0 && g.count <= 1'000'000, f + ".count", g.count, "must be in [0, 1e6]");
    require(g.mean_length >= 0 && g.mean_length <= 1e6, f + ".mean_length", g.mean_length, "must be in [0, 1e6]");
    require(g.cardinality >= 1 && g.cardinality <= (std::int64_t{1} << 53), f + ".cardinality",
            static_cast<double>(g.cardinality), "must be in [1, 2^53]");
    require(finite(g.zipf_exponent) && g.zipf_exponent >= 0, f + ".zipf_exponent", g.zipf_exponent,
            "must be finite and >= 0");
    require(g.duplication >= 0 && g.duplication < 1, f + ".duplication", g.duplication, "must be in [0, 1)");
  }
}

namespace {
template <typename Group>
std::vector<std::string> names_of(const Group& g) {
  std::vector<std::string> names;
  for (int i = 0; i < g.count; ++i) names.push_back(fmt::format("{}_{}", g.name, i));
  return names;
}
}  // namespace

std::vector<std::string> feature_names(const DenseGroupSpec& group) { return names_of(group); }
std::vector<std::string> feature_names(const SparseGroupSpec& group) { return names_of(group); }

std::vector<std::string> dense_feature_names(const DatasetSpec& spec) {
  std::vector<std::string> names;
  for (const DenseGroupSpec& g : spec.dense) {
    for (std::string& n : names_of(g)) names.push_back(std::move(n));
  }
  return names;
}

std::vector<std::string> sparse_feature_names(const DatasetSpec& spec) {
  std::vector<std::string> names;
  for (const SparseGroupSpec& g : spec.sparse) {
    for (std::string& n : names_of(g)) names.push_back(std::move(n));
  }
  return names;
}

double expected_raw_bytes_per_row(const DatasetSpec& spec) {
  double bytes = 0;
  for (const DenseGroupSpec& g : spec.dense) bytes += g.count * (4.0 + 1.0 / 8);
  for (const SparseGroupSpec& g : spec.sparse) bytes += g.count * (4.0 + 8.0 * g.mean_length);
  return bytes;
}

DatasetSpec criteo_like_spec(std::int64_t rows_per_chunk) {
  DatasetSpec spec;
  spec.rows_per_chunk = rows_per_chunk;
  DenseGroupSpec dense;
  dense.name = "int";
  dense.count = 13;
  dense.null_fraction = 0.2;  // assumption: Criteo's integer columns are often missing
  dense.distribution = ValueDistribution::Lognormal;
  dense.mu = 1.5;
  dense.sigma = 1.5;
  dense.integer = true;  // Criteo's dense features are counts
  spec.dense.push_back(dense);
  SparseGroupSpec sparse;
  sparse.name = "cat";
  sparse.count = 26;
  sparse.mean_length = 1;
  sparse.length_distribution = LengthDistribution::Fixed;
  sparse.cardinality = 500'000;  // PreSto's SigridHash max value (table rows)
  sparse.zipf_exponent = 1.05;
  sparse.duplication = 0;  // Criteo is not session-clustered
  spec.sparse.push_back(sparse);
  return spec;
}

DatasetSpec rm2_like_spec(std::int64_t rows_per_chunk) {
  DatasetSpec spec;
  spec.rows_per_chunk = rows_per_chunk;
  DenseGroupSpec dense;
  dense.name = "dense";
  dense.count = 504;
  dense.null_fraction = 0.1;  // assumption
  dense.distribution = ValueDistribution::Lognormal;
  dense.mu = 0;
  dense.sigma = 1;
  spec.dense.push_back(dense);
  SparseGroupSpec sparse;
  sparse.name = "sparse";
  sparse.count = 42;
  sparse.mean_length = 20;
  sparse.length_distribution = LengthDistribution::Poisson;
  sparse.cardinality = 500'000;
  sparse.zipf_exponent = 1.05;
  sparse.duplication = 0;  // a scenario sets its own (RecD does not publish per-feature factors)
  spec.sparse.push_back(sparse);
  return spec;
}

}  // namespace prepsim::data
