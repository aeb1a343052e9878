#include "models/validation/sentinel.h"

#include <algorithm>
#include <chrono>
#include <limits>

#include "models/data/chunk_file.h"
#include "models/data/generator.h"
#include "models/validation/scenario_data.h"

namespace prepsim::validation {

namespace {
constexpr int kRuns = 5;
constexpr std::uint64_t kSeed = 0x5e471e1;
}  // namespace

HostSentinel::HostSentinel() : baseline_(std::numeric_limits<double>::infinity()) {
  data::DatasetSpec spec;
  spec.rows_per_chunk = 8192;
  data::DenseGroupSpec d;
  d.name = "d";
  d.count = 4;
  d.null_fraction = 0.1;
  d.distribution = data::ValueDistribution::Lognormal;
  d.mu = kDenseMu;
  d.sigma = kDenseSigma;
  d.integer = true;
  spec.dense.push_back(d);
  data::SparseGroupSpec s;
  s.name = "s";
  s.count = 4;
  s.mean_length = 4;
  s.length_distribution = data::LengthDistribution::Poisson;
  s.cardinality = kRawIdCardinality;
  s.zipf_exponent = kRawIdZipf;
  spec.sparse.push_back(s);
  chunk_ = data::encode_chunk(data::generate_chunk(spec, kSeed, 0));
  out_ = data::decode_chunk(chunk_);
}

double HostSentinel::measure() {
  using Clock = std::chrono::steady_clock;
  double best = std::numeric_limits<double>::infinity();
  for (int i = 0; i < kRuns; ++i) {
    const auto t0 = Clock::now();
    out_ = data::decode_chunk(chunk_);
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  baseline_ = std::min(baseline_, best);
  return best;
}

SentinelSet::SentinelSet() : baseline_(std::numeric_limits<double>::infinity()) {}

double SentinelSet::measure(ThreadPool& pool) {
  const auto n = static_cast<std::size_t>(pool.size());
  if (members_.size() < n) members_.resize(n);
  times_.assign(n, 0.0);
  pool.run([&](int worker) {
    const auto w = static_cast<std::size_t>(worker);
    times_[w] = members_[w].measure();
  });
  const double slowest = *std::max_element(times_.begin(), times_.end());
  baseline_ = std::min(baseline_, slowest);
  return slowest;
}

}  // namespace prepsim::validation
