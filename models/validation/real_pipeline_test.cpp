#include "models/validation/real_pipeline.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "models/data/chunk_file.h"
#include "models/validation/pipeline_plan.h"
#include "models/validation/scenario_data.h"

namespace prepsim::validation {
namespace {

namespace fs = std::filesystem;
const std::string kDir = std::string(PREPSIM_SOURCE_DIR) + "/scenarios/validation/";

// A scenario of the suite with 256-row chunks, and two chunks of it in a temp dir removed at the end.
struct Tiny {
  Scenario sc;
  fs::path dir;
  PreparedDataset data;
  Tiny(const std::string& name, std::uint64_t seed = 1)
      : sc(load_scenario(kDir + name + ".yaml")),
        dir(fs::temp_directory_path() / ("prepsim_real_" + name + "_" + std::to_string(::getpid()))) {
    sc.dataset.batch_size = 256;
    fs::remove_all(dir);
    data = prepare_dataset(sc, dir.string(), 2, seed, 1);
  }
  ~Tiny() { fs::remove_all(dir); }
};

const PlannedStage& stage(const PipelinePlan& plan, const std::string& name) {
  for (const PlannedStage& p : plan.stages) {
    if (p.name == name) return p;
  }
  throw std::runtime_error("no stage " + name);
}

// These tests check what the pipeline computes, not how fast: no pass is ever discarded for other work.
RealOptions untimed() {
  RealOptions o;
  o.min_cpu_share = 0;
  o.sentinel = false;
  return o;
}

int index_of(const PipelinePlan& plan, const std::string& name) {
  return static_cast<int>(&stage(plan, name) - plan.stages.data());
}

TEST(PlanPipeline, CriteoStagesReadTheirPredecessorsOutput) {
  const PipelinePlan plan = plan_pipeline(load_scenario(kDir + "criteo.yaml"));
  ASSERT_EQ(plan.stages.size(), 7u);
  EXPECT_EQ(plan.stages[0].kind, StageKind::Read);
  EXPECT_EQ(plan.stages[1].kind, StageKind::Decode);
  EXPECT_EQ(stage(plan, "fill_null").source, -1);
  EXPECT_TRUE(stage(plan, "fill_null").consumed);
  EXPECT_EQ(stage(plan, "log").source, index_of(plan, "fill_null"));
  EXPECT_EQ(stage(plan, "bucketize").source, index_of(plan, "fill_null"));
  EXPECT_TRUE(stage(plan, "bucketize").list_output);
  EXPECT_EQ(stage(plan, "bucketize").params.borders.size(), 1024u);
  EXPECT_EQ(stage(plan, "sigrid_hash").params.max, 500'000);
  const PlannedStage& kjt = stage(plan, "to_kjt");
  std::vector<int> leaves = {index_of(plan, "log"), index_of(plan, "bucketize"), index_of(plan, "sigrid_hash")};
  std::sort(leaves.begin(), leaves.end());  // leaves are in plan (topological) order
  EXPECT_EQ(kjt.leaves, leaves);
  EXPECT_EQ(kjt.kjt_keys.size(), 13u + 26u);  // 13 bucketized, 26 hashed
  EXPECT_TRUE(kjt.passthrough_dense.empty());
  EXPECT_TRUE(kjt.passthrough_sparse.empty());
}

TEST(PlanPipeline, DedupReadsTheHashedListsAndStaysOutOfTheKjt) {
  const PipelinePlan plan = plan_pipeline(load_scenario(kDir + "dedup.yaml"));
  EXPECT_EQ(stage(plan, "dedup_user").kind, StageKind::Dedup);
  EXPECT_EQ(stage(plan, "dedup_user").source, index_of(plan, "hash_user"));
  EXPECT_EQ(stage(plan, "hash_item").first, 8);  // item keys follow the 8 user keys
  const PlannedStage& kjt = stage(plan, "to_kjt");
  std::vector<int> leaves = {index_of(plan, "log"), index_of(plan, "hash_item")};
  std::sort(leaves.begin(), leaves.end());
  EXPECT_EQ(kjt.leaves, leaves);
  EXPECT_EQ(kjt.kjt_keys.size(), 8u);
}

TEST(PlanPipeline, BordersAreSortedDeterministicAndPerStage) {
  const std::vector<float> a = make_borders(4096, 1, "b");
  EXPECT_EQ(a.size(), 4096u);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_EQ(a, make_borders(4096, 1, "b"));
  EXPECT_NE(a, make_borders(4096, 1, "other"));
  EXPECT_LT(a.front(), a.back());
}

TEST(PassIsClean, EveryWorkerThatRanMustHaveHeldItsCore) {
  EXPECT_TRUE(pass_is_clean({95, 99}, {100, 100}, 0.9));
  EXPECT_FALSE(pass_is_clean({95, 80}, {100, 100}, 0.9));  // the second worker lost a fifth of its pass
  EXPECT_TRUE(pass_is_clean({90, 0}, {100, 0}, 0.9));      // a worker that got no chunk is not disturbed
  EXPECT_TRUE(pass_is_clean({10}, {100}, 0.0));            // no check
}

// Every timed pass is recorded with its evidence; none is dropped or retried.
void expect_sane(const RealRun& r, const Tiny& t, int passes) {
  ASSERT_EQ(r.passes.size(), static_cast<std::size_t>(passes));
  for (const PassRecord& p : r.passes) {
    EXPECT_GT(p.throughput, 0);
    EXPECT_GT(p.seconds, 0);
    EXPECT_GT(p.cpu_share, 0);
    EXPECT_GE(p.others_cores, 0);
    EXPECT_GE(p.steal_cores, 0);
    EXPECT_DOUBLE_EQ(p.sentinel_ratio, 1.0);  // no sentinel in these tests
    EXPECT_TRUE(p.usable);                     // min_cpu_share 0
  }
  EXPECT_EQ(r.usable(), passes);
  EXPECT_EQ(r.usable_throughputs().size(), r.passes.size());
  EXPECT_EQ(r.samples_per_pass, 512);
  EXPECT_EQ(r.bytes_read_per_pass, t.data.bytes);
  EXPECT_TRUE(r.page_cache);
  double sum = 0;
  for (const auto& [name, share] : r.stage_share) {
    EXPECT_GE(share, 0) << name;
    sum += share;
  }
  EXPECT_NEAR(sum, 1.0, 1e-9);
  for (const Stage& st : t.sc.stages) EXPECT_EQ(r.stage_share.count(st.name), 1u) << st.name;
}

// The suite on 2 chunks of 256 rows: positive throughput, shares summing to 1, and the same outputs (checksum of
// every stage's output of every chunk) at 1 and 2 threads and from one run to the next.
TEST(RealPipeline, SuiteIsDeterministicAcrossThreadCountsAndRuns) {
  RealOptions opt = untimed();
  opt.checksum = true;
  for (const std::string name : {"criteo", "rm5_like", "dedup"}) {
    SCOPED_TRACE(name);
    Tiny t(name);
    const RealRun one = run_real_pipeline(t.sc, t.data.files, 1, 2, 1, opt);
    const RealRun two = run_real_pipeline(t.sc, t.data.files, 2, 3, 1, opt);
    const RealRun again = run_real_pipeline(t.sc, t.data.files, 1, 1, 0, opt);
    expect_sane(one, t, 2);
    expect_sane(two, t, 3);
    EXPECT_NE(one.checksum, 0u);
    EXPECT_EQ(one.checksum, two.checksum);
    EXPECT_EQ(one.checksum, again.checksum);
    EXPECT_EQ(one.output_values_per_pass, two.output_values_per_pass);
  }
}

TEST(RealPipeline, ChecksumFollowsTheData) {
  RealOptions opt = untimed();
  opt.checksum = true;
  Tiny a("criteo", 1);
  const RealRun ra = run_real_pipeline(a.sc, a.data.files, 1, 1, 0, opt);
  fs::path other = fs::temp_directory_path() / ("prepsim_real_seed2_" + std::to_string(::getpid()));
  const PreparedDataset d2 = prepare_dataset(a.sc, other.string(), 2, 2, 1);
  const RealRun rb = run_real_pipeline(a.sc, d2.files, 1, 1, 0, opt);
  fs::remove_all(other);
  EXPECT_NE(ra.checksum, rb.checksum);
  EXPECT_EQ(ra.samples_per_pass, rb.samples_per_pass);
}

// Criteo's batch, counted: 13 log columns of dense values, 13 bucketized ids per row and 26 hashed ids per row in
// the KJT, one length per list. The data has nulls, but bucketize reads fill_null's output, so no list is empty.
TEST(RealPipeline, CriteoBatchHoldsEveryOutput) {
  Tiny t("criteo");
  std::uint64_t non_null = 0;
  for (const std::string& f : t.data.files) {
    const data::ColumnarBatch b = data::read_chunk_file(f);
    for (const data::DenseColumn& c : b.dense) non_null += std::count(c.nulls.begin(), c.nulls.end(), 0);
  }
  const RealRun r = run_real_pipeline(t.sc, t.data.files, 2, 1, 0, untimed());
  const std::uint64_t rows = 512;
  EXPECT_LT(non_null, 13 * rows);
  EXPECT_GT(non_null, 13 * rows / 2);
  EXPECT_EQ(r.output_values_per_pass, 13 * rows + (13 * rows + 26 * rows) + 39 * rows);
  EXPECT_EQ(r.checksum, 0u);  // not requested
}

// A CPU share nobody reaches makes every pass unusable: each is still recorded, none counts, and the stage
// figures (over usable passes) stay empty rather than describing disturbed passes.
TEST(RealPipeline, UnusablePassesAreRecordedNotCounted) {
  Tiny t("criteo");
  RealOptions opt = untimed();
  opt.min_cpu_share = 2.0;
  const RealRun r = run_real_pipeline(t.sc, t.data.files, 1, 3, 0, opt);
  ASSERT_EQ(r.passes.size(), 3u);
  for (const PassRecord& p : r.passes) EXPECT_FALSE(p.usable);
  EXPECT_EQ(r.usable(), 0);
  EXPECT_TRUE(r.usable_throughputs().empty());
  for (const auto& [name, s] : r.stage_seconds) EXPECT_EQ(s, 0.0) << name;
}

// Passes can be run one at a time and interleaved between pipelines; the record grows by one per pass.
TEST(RealPipeline, PassesRunOneAtATime) {
  Tiny t("criteo");
  RealPipeline a(t.sc, t.data.files, 1, untimed());
  RealPipeline b(t.sc, t.data.files, 2, untimed());
  a.warm_up(1);
  for (int i = 0; i < 3; ++i) {
    a.run_pass();
    b.run_pass();
  }
  EXPECT_EQ(a.run().passes.size(), 3u);
  EXPECT_EQ(a.run().warmup, 1);
  EXPECT_EQ(b.run().passes.size(), 3u);
  EXPECT_EQ(b.run().threads, 2);
}

TEST(RealPipeline, RefusesBadArguments) {
  const Scenario sc = load_scenario(kDir + "criteo.yaml");
  EXPECT_THROW(run_real_pipeline(sc, {"x"}, 0, 1, 0), std::invalid_argument);
  EXPECT_THROW(run_real_pipeline(sc, {"x"}, 1, 0, 0), std::invalid_argument);
  EXPECT_THROW(run_real_pipeline(sc, {}, 1, 1, 0), std::invalid_argument);
  EXPECT_THROW(run_real_pipeline(sc, {"/nonexistent/chunk.pcf"}, 1, 1, 0), std::runtime_error);
}

}  // namespace
}  // namespace prepsim::validation
