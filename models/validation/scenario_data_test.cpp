#include "models/validation/scenario_data.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "models/data/chunk_file.h"
#include "models/data/generator.h"

namespace prepsim::validation {
namespace {

namespace fs = std::filesystem;
const std::string kDir = std::string(PREPSIM_SOURCE_DIR) + "/scenarios/validation/";

// A fresh directory under the system temp dir, removed at the end of the test.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() / ("prepsim_" + name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

TEST(SpecFromScenario, MapsGroupsCountsLengthsAndDuplication) {
  const Scenario sc = load_scenario(kDir + "dedup.yaml");
  const data::DatasetSpec spec = spec_from_scenario(sc);
  EXPECT_EQ(spec.rows_per_chunk, 8192);
  ASSERT_EQ(spec.dense.size(), 1u);
  EXPECT_EQ(spec.dense[0].name, "dense");
  EXPECT_EQ(spec.dense[0].count, 13);
  EXPECT_DOUBLE_EQ(spec.dense[0].null_fraction, 0.1);
  EXPECT_EQ(spec.dense[0].distribution, data::ValueDistribution::Lognormal);
  ASSERT_EQ(spec.sparse.size(), 2u);
  EXPECT_EQ(spec.sparse[0].name, "user");
  EXPECT_EQ(spec.sparse[0].count, 8);
  EXPECT_DOUBLE_EQ(spec.sparse[0].mean_length, 20);
  EXPECT_EQ(spec.sparse[0].length_distribution, data::LengthDistribution::Poisson);
  EXPECT_DOUBLE_EQ(spec.sparse[0].duplication, 0.8);
  EXPECT_EQ(spec.sparse[1].count, 8);
  EXPECT_DOUBLE_EQ(spec.sparse[1].mean_length, 1);
  EXPECT_EQ(spec.sparse[1].length_distribution, data::LengthDistribution::Fixed);
  EXPECT_DOUBLE_EQ(spec.sparse[1].duplication, 0);
  // Raw ids come from a space larger than the hash range of the pipeline (max 1M): hashing really folds them.
  for (const data::SparseGroupSpec& g : spec.sparse) EXPECT_GT(g.cardinality, 1'000'000);
}

TEST(SpecFromScenario, BatchSizeIsRowsPerChunkAndBadSpecsThrow) {
  Scenario sc = load_scenario(kDir + "criteo.yaml");
  sc.dataset.batch_size = 300;
  EXPECT_EQ(spec_from_scenario(sc).rows_per_chunk, 300);
  sc.dataset.sparse[0].length_distribution = "zipf";
  EXPECT_THROW(spec_from_scenario(sc), std::invalid_argument);
  sc.dataset.sparse[0].length_distribution = "fixed";
  sc.dataset.batch_size = 0;
  EXPECT_THROW(spec_from_scenario(sc), std::invalid_argument);
}

TEST(PrepareDataset, WritesDecodableChunksOfTheScenarioAndReusesThem) {
  TempDir dir("prepare");
  Scenario sc = load_scenario(kDir + "criteo.yaml");
  sc.dataset.batch_size = 256;
  const PreparedDataset first = prepare_dataset(sc, dir.path.string(), 2, 7, 2);
  ASSERT_EQ(first.files.size(), 2u);
  EXPECT_EQ(first.generated, 2);
  EXPECT_EQ(first.rows, 512);
  std::uint64_t bytes = 0;
  for (const std::string& f : first.files) bytes += fs::file_size(f);
  EXPECT_EQ(first.bytes, bytes);
  EXPECT_GT(first.compression_ratio(), 1.0);
  // Each file holds exactly the generator's chunk of the mapped spec and seed.
  const data::DatasetSpec spec = spec_from_scenario(sc);
  const data::ColumnarBatch decoded = data::read_chunk_file(first.files[1]);
  const data::ColumnarBatch expected = data::generate_chunk(spec, 7, 1);
  EXPECT_EQ(decoded.rows, 256);
  EXPECT_EQ(decoded.sparse.values, expected.sparse.values);
  ASSERT_EQ(decoded.dense.size(), 13u);
  EXPECT_EQ(decoded.dense[3].nulls, expected.dense[3].nulls);
  EXPECT_EQ(first.raw_bytes, data::raw_columnar_bytes(expected) + data::raw_columnar_bytes(data::generate_chunk(spec, 7, 0)));

  const auto mtime = fs::last_write_time(first.files[0]);
  const PreparedDataset again = prepare_dataset(sc, dir.path.string(), 2, 7);
  EXPECT_EQ(again.generated, 0);
  EXPECT_EQ(again.bytes, first.bytes);
  EXPECT_EQ(again.raw_bytes, first.raw_bytes);
  EXPECT_EQ(fs::last_write_time(first.files[0]), mtime);

  const PreparedDataset more = prepare_dataset(sc, dir.path.string(), 3, 7);
  EXPECT_EQ(more.generated, 1);  // chunks 0 and 1 reused
  EXPECT_EQ(more.rows, 768);

  fs::resize_file(first.files[0], 10);  // a damaged file is regenerated
  EXPECT_EQ(prepare_dataset(sc, dir.path.string(), 3, 7).generated, 1);
  EXPECT_EQ(fs::file_size(first.files[0]), first.bytes - fs::file_size(first.files[1]));

  EXPECT_EQ(prepare_dataset(sc, dir.path.string(), 2, 8).generated, 2);  // another seed: another dataset
  sc.dataset.dense[0].null_fraction = 0.5;                               // another spec: another dataset
  EXPECT_EQ(prepare_dataset(sc, dir.path.string(), 2, 8).generated, 2);
  EXPECT_THROW(prepare_dataset(sc, dir.path.string(), 0, 8), std::invalid_argument);
}

TEST(DatasetFingerprint, ChangesWithEveryInput) {
  const data::DatasetSpec spec = data::criteo_like_spec(256);
  const std::string base = dataset_fingerprint(spec, 1, 3);
  EXPECT_EQ(base, dataset_fingerprint(spec, 1, 3));
  EXPECT_NE(base, dataset_fingerprint(spec, 2, 3));
  EXPECT_NE(base, dataset_fingerprint(spec, 1, 4));
  data::DatasetSpec other = spec;
  other.sparse[0].zipf_exponent = 1.1;
  EXPECT_NE(base, dataset_fingerprint(other, 1, 3));
}

}  // namespace
}  // namespace prepsim::validation
