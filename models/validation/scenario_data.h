// The data side of `prepsim validate`: turns a scenario's `dataset:` into the synthetic generator's DatasetSpec and
// writes that many chunks of it as compressed chunk files (chunk_file.h), reused across runs when they still match.
//
// A scenario says what the simulator needs (counts, null fractions, list lengths, duplication); the generator also
// needs value and id distributions. Where the scenario says nothing, spec_from_scenario chooses (docs/validation.md):
//   dense  lognormal(mu 1.5, sigma 1.5) floored to integers: count-like values, as Criteo's integer columns
//          (data::criteo_like_spec) - non-negative, so log(x + offset) and boxcox are defined;
//   sparse raw ids from an id space of kRawIdCardinality (10^7) with Zipf(1.05) popularity: raw, not yet hashed
//          ids, larger than any sigrid_hash `max` of the suite (a hash's max is the table size, not the raw
//          cardinality); duplication is the group's, clustered in sessions of mean length 8 (the generator's).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/data/dataset_spec.h"
#include "models/scenario.h"

namespace prepsim::validation {

inline constexpr std::int64_t kRawIdCardinality = 10'000'000;
inline constexpr double kRawIdZipf = 1.05;
inline constexpr double kDenseMu = 1.5;
inline constexpr double kDenseSigma = 1.5;

// rows_per_chunk = dataset.batch_size; one DenseGroupSpec per dense group (name, count, null_fraction) and one
// SparseGroupSpec per sparse group (name, count, mean_length, fixed|poisson, duplication), in scenario order.
// Throws std::invalid_argument when the result is not a valid spec (e.g. batch_size above 2^31 - 1).
data::DatasetSpec spec_from_scenario(const Scenario& scenario);

// A one-line text that identifies what the files of a dataset hold: spec, seed, chunk format version, zstd level.
std::string dataset_fingerprint(const data::DatasetSpec& spec, std::uint64_t seed, int zstd_level);

struct PreparedDataset {
  std::vector<std::string> files;  // chunk files, chunk 0 first
  std::uint64_t bytes = 0;         // their total size (what a pass reads)
  std::uint64_t raw_bytes = 0;     // uncompressed columnar bytes (bytes * compression ratio)
  std::int64_t rows = 0;           // samples in all files
  int generated = 0;               // chunks written by this call (the others were reused)
  double compression_ratio() const { return bytes == 0 ? 0.0 : static_cast<double>(raw_bytes) / bytes; }
};

// Generates chunks 0..chunks-1 of spec_from_scenario(scenario) with `seed` and writes them to
// dir/chunk_NNNNNN.pcf (creating dir), generating in parallel on `threads` threads (0: hardware concurrency).
// dir/manifest.txt records the fingerprint and each file's size and raw bytes: a file whose manifest entry matches
// (same fingerprint, existing file of the recorded size) is reused, not rewritten. Throws std::runtime_error on an
// I/O error, std::invalid_argument on a bad spec or chunks < 1.
PreparedDataset prepare_dataset(const Scenario& scenario, const std::string& dir, int chunks, std::uint64_t seed,
                                int threads = 0);

}  // namespace prepsim::validation
