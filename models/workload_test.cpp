#include "models/workload.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "models/catalog.h"
#include "models/config/input_error.h"

namespace prepsim {
namespace {

const std::string kDefault = std::string(PREPSIM_SOURCE_DIR) + "/scenarios/examples/default.yaml";
const std::string kCatalog = std::string(PREPSIM_SOURCE_DIR) + "/platforms/catalog.yaml";

const CostTable& provisional() {
  static const Catalog cat = load_catalog(kCatalog);
  return cat.cpu_costs.at("provisional");
}

std::size_t index_of(const Scenario& sc, const std::string& name) {
  for (std::size_t i = 0; i < sc.stages.size(); ++i) {
    if (sc.stages[i].name == name) return i;
  }
  ADD_FAILURE() << "no stage " << name;
  return 0;
}

// The default scenario: batch 8,192; one dense group of 13 features; one sparse group of 26 features with lists
// of exactly 1 id; compression ratio 1.5. Hand-computed per the columnar layout of workload.h (float32 dense
// values + a 1-bit null mask, int64 ids, int32 list lengths).
TEST(Workload, DefaultChunkByHand) {
  Scenario sc = load_scenario(kDefault);
  Workload wl(sc, provisional());
  ChunkWork c = wl.chunk(0);

  const double rows = 8192, dense = 8192.0 * 13, ids = 8192.0 * 26, lists = 8192.0 * 26;
  EXPECT_DOUBLE_EQ(c.rows, rows);
  // raw = 106,496 x 4.125 B + 212,992 x 8 B + 212,992 x 4 B = 2,995,200 B; stored = raw / 1.5.
  EXPECT_DOUBLE_EQ(dense * 4.125 + ids * 8 + lists * 4, 2995200.0);
  EXPECT_DOUBLE_EQ(c.stored_bytes, 1996800.0);

  // Output: the dense values (float32, no mask), the ids plus one bucket id (and one list) per bucketized
  // dense value: 106,496 x 4 + 319,488 x 8 + 319,488 x 4 = 4,259,840 B.
  EXPECT_DOUBLE_EQ(c.output_bytes, 4259840.0);

  // CPU seconds of each stage on the reference core, with the provisional coefficients.
  ASSERT_EQ(c.stage_seconds.size(), sc.stages.size());
  auto secs = [&](const char* name) { return c.stage_seconds[index_of(sc, name)]; };
  EXPECT_EQ(secs("read"), 0.0);
  EXPECT_NEAR(secs("decode"), 20e-6 + 2e-9 * (dense + ids), 1e-12);          // 658.976 us
  EXPECT_NEAR(secs("fill_null"), 5e-6 + 0.5e-9 * dense, 1e-12);               // 58.248 us
  EXPECT_NEAR(secs("log"), 5e-6 + 3e-9 * dense, 1e-12);                       // 324.488 us
  EXPECT_NEAR(secs("bucketize"), 5e-6 + 0.5e-9 * dense + 1e-9 * dense * std::log2(1025.0), 1e-12);
  EXPECT_NEAR(secs("sigrid_hash"), 5e-6 + 3e-9 * ids, 1e-12);                 // 643.976 us
  // to_kjt builds the batch as the stages left it: the dense values, the ids and the bucketized ids.
  EXPECT_NEAR(secs("to_kjt"), 10e-6 + 1e-9 * (dense + ids + dense), 1e-12);   // 435.984 us
  EXPECT_NEAR(secs("decode"), 658.976e-6, 1e-12);
  EXPECT_NEAR(c.cpu_seconds(), 658.976e-6 + 58.248e-6 + 324.488e-6 + (5e-6 + 53.248e-6 + 106496e-9 * std::log2(1025.0)) +
                                   643.976e-6 + 435.984e-6,
              1e-12);

  // The work each stage was charged for.
  const OpWork& b = c.stage_work[index_of(sc, "bucketize")];
  EXPECT_DOUBLE_EQ(b.rows, rows);
  EXPECT_DOUBLE_EQ(b.elements, dense);
  EXPECT_DOUBLE_EQ(b.borders, 1024);
  EXPECT_DOUBLE_EQ(c.stage_work[index_of(sc, "sigrid_hash")].elements, ids);
  // A sparse kernel's rows are the lists it walks: 26 features of 8,192 samples in one call.
  EXPECT_DOUBLE_EQ(c.stage_work[index_of(sc, "sigrid_hash")].rows, lists);
  // to_kjt packs every list of the batch: the 26 sparse features and the 13 bucketized ones.
  const OpWork& k = c.stage_work[index_of(sc, "to_kjt")];
  EXPECT_DOUBLE_EQ(k.lists, lists + dense);
  EXPECT_DOUBLE_EQ(k.elements, dense + ids + dense);
}

TEST(Workload, ChunksPerEpochCountsThePartialChunk) {
  Scenario sc = load_scenario(kDefault);
  Workload wl(sc, provisional());
  EXPECT_EQ(wl.chunks_per_epoch(), 5494u);  // 45,000,000 / 8,192 = 5,493.2
}

TEST(Workload, StageOnPartOfAGroupIsChargedForThatPart) {
  LoadOptions o;
  o.overrides = {"pipeline.bucketize.count=4"};
  Scenario sc = load_scenario(kDefault, o);
  Workload wl(sc, provisional());
  ChunkWork c = wl.chunk(0);
  EXPECT_DOUBLE_EQ(c.stage_work[index_of(sc, "bucketize")].elements, 8192.0 * 4);
  // Only 4 x 8,192 bucket ids join the output.
  EXPECT_DOUBLE_EQ(c.output_bytes, 8192.0 * 13 * 4 + (8192.0 * 26 + 8192.0 * 4) * 12);
}

// Found by the property test (tests/property/): two dedup stages on one group removed its duplicates twice, and
// firstx after dedup cut the raw lists again: output bytes went negative (a null bound in report.json).
// A default-based scenario whose pipeline is read, decode, `stages` and to_kjt after the last of them, on one
// sparse group of 26 lists of 2 ids with duplication 0.6.
Scenario dedup_scenario(const std::vector<std::string>& stages) {
  std::string text = fmt::format(
      "include: {}\ndataset:\n  sparse:\n    - {{name: categorical, count: 26, mean_length: 2, duplication: 0.6}}\n"
      "pipeline:\n  - {{name: read, op: read, on: storage}}\n  - {{name: decode, op: decode, on: cpu, after: [read]}}\n",
      kDefault);
  std::string prev = "decode";
  for (const std::string& st : stages) {
    std::string name = st.substr(0, st.find(':'));
    text += fmt::format("  - {{name: {}, on: cpu, after: [{}], features: categorical, {}}}\n", name, prev,
                        st.substr(st.find(':') + 1));
    prev = name;
  }
  text += fmt::format("  - {{name: to_kjt, op: to_kjt, on: cpu, after: [{}]}}\n", prev);
  return load_scenario_text(text, std::string(PREPSIM_SOURCE_DIR) + "/scenarios/examples/t.yaml");
}

TEST(Workload, ASecondDedupOfAGroupFindsNoDuplicates) {
  Scenario sc1 = dedup_scenario({"d1:op: dedup"});
  Scenario sc2 = dedup_scenario({"d1:op: dedup", "d2:op: dedup"});
  ChunkWork once = Workload(sc1, provisional()).mean_chunk();
  ChunkWork twice = Workload(sc2, provisional()).mean_chunk();
  EXPECT_GT(once.output_bytes, 0);
  EXPECT_DOUBLE_EQ(twice.output_bytes, once.output_bytes);
  const OpWork& d2 = twice.stage_work[index_of(sc2, "d2")];
  EXPECT_DOUBLE_EQ(d2.output_elements, d2.elements);
  // firstx after dedup keeps the first ids of the lists dedup left (it took x of the raw lists, twice over).
  Scenario then_firstx = dedup_scenario({"d1:op: dedup", "f:op: firstx, params: {x: 1}"});
  ChunkWork c = Workload(then_firstx, provisional()).mean_chunk();
  const OpWork& f = c.stage_work[index_of(then_firstx, "f")];
  EXPECT_DOUBLE_EQ(f.elements, once.stage_work[index_of(sc1, "d1")].output_elements);
  EXPECT_DOUBLE_EQ(f.output_elements, f.lists);  // one id per remaining list
  EXPECT_GT(c.output_bytes, 0);
}

TEST(Workload, FixedLengthChunksAreAllTheMeanChunk) {
  Scenario sc = load_scenario(kDefault);
  Workload wl(sc, provisional());
  ChunkWork mean = wl.mean_chunk();
  for (std::uint64_t i : {0ull, 1ull, 77ull, 5493ull}) {
    ChunkWork c = wl.chunk(i);
    EXPECT_DOUBLE_EQ(c.stored_bytes, mean.stored_bytes);
    EXPECT_DOUBLE_EQ(c.output_bytes, mean.output_bytes);
    ASSERT_EQ(c.stage_seconds.size(), mean.stage_seconds.size());
    for (std::size_t s = 0; s < c.stage_seconds.size(); ++s) EXPECT_DOUBLE_EQ(c.stage_seconds[s], mean.stage_seconds[s]);
  }
}

class PoissonWorkload : public ::testing::Test {
 protected:
  static Scenario poisson_scenario(std::int64_t seed = -1) {
    LoadOptions o;
    o.overrides = {"dataset.sparse.categorical.length_distribution=poisson",
                   "dataset.sparse.categorical.mean_length=20"};
    o.seed = seed;
    return load_scenario(kDefault, o);
  }
};

TEST_F(PoissonWorkload, LengthsVaryByChunkButNotByCall) {
  Scenario sc = poisson_scenario();
  Workload wl(sc, provisional());
  std::size_t h = index_of(sc, "sigrid_hash");
  std::set<double> seen;
  for (std::uint64_t i = 0; i < 20; ++i) {
    ChunkWork c = wl.chunk(i);
    double e = c.stage_work[h].elements;
    EXPECT_EQ(e, std::floor(e)) << "a chunk holds a whole number of ids";
    seen.insert(e);
    // Same index: the same chunk, from this workload or from another one built on the same scenario.
    Workload other(sc, provisional());
    ChunkWork again = other.chunk(i);
    EXPECT_EQ(again.stage_work[h].elements, e);
    EXPECT_EQ(again.stored_bytes, c.stored_bytes);
    EXPECT_EQ(again.output_bytes, c.output_bytes);
    EXPECT_EQ(wl.chunk(i).stage_seconds, c.stage_seconds);
  }
  EXPECT_GE(seen.size(), 15u) << "20 chunks of Poisson lengths should nearly all differ";
}

TEST_F(PoissonWorkload, ChunksAverageToTheMeanChunk) {
  Scenario sc = poisson_scenario();
  Workload wl(sc, provisional());
  std::size_t h = index_of(sc, "sigrid_hash");
  const double mean = 8192.0 * 26 * 20;  // 4,259,840 ids; sd of one chunk = sqrt(mean) ~ 2,064
  EXPECT_DOUBLE_EQ(wl.mean_chunk().stage_work[h].elements, mean);
  const int n = 400;
  double sum = 0, lo = 1e300, hi = 0;
  for (int i = 0; i < n; ++i) {
    double e = wl.chunk(static_cast<std::uint64_t>(i)).stage_work[h].elements;
    sum += e;
    lo = std::min(lo, e);
    hi = std::max(hi, e);
  }
  // The mean of 400 chunks is within 5 standard errors (5 x 2,064 / 20 ~ 516 ids) of the expected mean.
  EXPECT_NEAR(sum / n, mean, 5 * std::sqrt(mean) / std::sqrt(n));
  // And the spread is that of Poisson(mean), not zero and not wild.
  EXPECT_GT(hi - lo, std::sqrt(mean));
  EXPECT_LT(hi - lo, 12 * std::sqrt(mean));
}

TEST_F(PoissonWorkload, SeedChangesTheLengths) {
  Scenario a = poisson_scenario(1), b = poisson_scenario(2);
  Workload wa(a, provisional()), wb(b, provisional());
  std::size_t h = index_of(a, "sigrid_hash");
  int differ = 0;
  for (std::uint64_t i = 0; i < 10; ++i) {
    differ += wa.chunk(i).stage_work[h].elements != wb.chunk(i).stage_work[h].elements;
  }
  EXPECT_GE(differ, 8);
}

TEST(Workload, MissingCostEntryNamesTheStage) {
  Scenario sc = load_scenario(kDefault);
  CostTable t = provisional();
  t.ops.erase("log");
  try {
    Workload wl(sc, t);
    FAIL() << "a cost table without log was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.key(), "pipeline.log.op");
    EXPECT_GT(e.line(), 0);
    EXPECT_NE(std::string(e.what()).find("log"), std::string::npos);
  }
}

}  // namespace
}  // namespace prepsim
