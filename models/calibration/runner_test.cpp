#include "models/calibration/runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/calibration/op_harness_detail.h"
#include "models/scenario.h"

namespace prepsim::calibration {
namespace {

// Counts calls; each call does a little work the compiler cannot drop.
class CountingHarness : public OpHarness {
 public:
  std::string_view op() const override { return "log"; }
  void prepare(const GridPoint&) override {}
  void run_once() override {
    ++calls;
    for (int i = 0; i < 200; ++i) sink = sink * 1.0000001 + i;
  }
  OpWork work() const override { return {1, 1, 1, 0}; }
  double output_bytes() const override { return 4; }
  long calls = 0;
  volatile double sink = 1;
};

TEST(CalibrationRunner, TimesWithWarmUpAndRepetitions) {
  CountingHarness h;
  PointTiming t = time_prepared(h, 5, 1e-4);
  EXPECT_GT(t.seconds, 0.0);
  EXPECT_LT(t.seconds, 1e-3);
  EXPECT_GE(t.attempts, 5);
  EXPECT_LE(t.attempts, 15);
  // warm-up + sizing call + at least 5 measurements of >= 1 call each
  EXPECT_GE(h.calls, 7);
}

// Every op with a CPU cost can be calibrated (its row has a kernel or a harness of its own).
TEST(CalibrationHarness, EveryOpWithACpuCostHasAHarness) {
  std::vector<std::string> have = harnessed_ops();
  for (const OpInfo& op : all_ops()) {
    bool present = std::find(have.begin(), have.end(), std::string(op.name)) != have.end();
    EXPECT_EQ(present, op.cpu_cost) << op.name;
  }
}

TEST(CalibrationHarness, FullGridsAreCappedAndWellConditioned) {
  for (const std::string& op : harnessed_ops()) {
    OpGrid g = grid_for(op, false);
    std::vector<GridPoint> points = g.points();
    const auto& sig = find_op(op)->signature;
    EXPECT_GE(points.size(), 2 * sig.size()) << op;
    // Nominal work of each point (list lengths at their mean): the terms must vary independently. decode's
    // stored bytes are known only once a chunk is encoded, so its other terms are checked here.
    std::vector<OpWork> works;
    for (const GridPoint& p : points) {
      const OpWork w = nominal_work(op, g, p);
      EXPECT_LE(op == "onehot" ? w.output_elements : w.elements, g.max_values) << op;
      works.push_back(w);
    }
    std::vector<CostTerm> known;
    for (CostTerm t : sig) {
      if (t != CostTerm::StoredBytes) known.push_back(t);
    }
    EXPECT_LT(design_condition_number(works, {}, known), 100.0) << op;
  }
}

TEST(CalibrationHarness, QuickGridRunsAndReportsConsistentWork) {
  for (const std::string& op : harnessed_ops()) {
    std::unique_ptr<OpHarness> h = make_harness(op);
    ASSERT_NE(h, nullptr) << op;
    EXPECT_EQ(h->op(), op);
    OpGrid g = grid_for(op, true);
    GridPoint p = g.points().back();
    h->prepare(p);
    h->run_once();
    OpWork w = h->work();
    EXPECT_EQ(w.rows, static_cast<double>(p.rows)) << op;
    EXPECT_GT(w.elements, 0.0) << op;
    EXPECT_GT(w.output_elements, 0.0) << op;
    EXPECT_GT(h->output_bytes(), 0.0) << op;
    if (op == "onehot") {
      EXPECT_EQ(w.output_elements, w.elements * p.param);
    }
    if (op == "bucketize") {
      EXPECT_EQ(w.borders, p.param);
    }
    if (op == "log" || op == "clamp") {
      EXPECT_EQ(w.elements, static_cast<double>(p.rows * p.width));
    }
    if (op == "decode") {
      EXPECT_GE(w.elements, static_cast<double>(p.rows * 8));
    }
  }
}

// The validation suite checks the model on pipelines the calibration never saw: no decode grid chunk has the
// dense and sparse feature counts of a validation scenario's chunks, and no dedup grid point has the features, list
// length and duplication of a validation dedup stage.
TEST(CalibrationHarness, GridsNeverContainTheValidationPipelines) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(std::string(PREPSIM_SOURCE_DIR) + "/scenarios/validation")) {
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  }
  ASSERT_GE(files.size(), 3u);
  const OpGrid decode = grid_for("decode", false), dedup = grid_for("dedup", false);
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    const Scenario sc = load_scenario(f.string());
    int dense = 0, sparse = 0;
    for (const DenseGroup& g : sc.dataset.dense) dense += g.count;
    for (const SparseGroup& g : sc.dataset.sparse) sparse += g.count;
    for (const GridPoint& p : decode.points()) {
      const detail::DecodeShape& s = detail::decode_shapes().at(static_cast<std::size_t>(p.param));
      EXPECT_FALSE(s.dense == dense && s.sparse == sparse) << "decode shape " << p.param;
    }
    for (const Stage& st : sc.stages) {
      if (st.op != "dedup") continue;
      const SparseGroup* g = sc.find_sparse(st.features);
      ASSERT_NE(g, nullptr);
      for (const GridPoint& p : dedup.points()) {
        EXPECT_FALSE(p.param == st.count && static_cast<double>(p.width) == g->mean_length &&
                     detail::kDedupDuplication == g->duplication)
            << "dedup point " << p.rows << " x " << p.width;
      }
    }
  }
}

// An op whose cost is said to include its memory traffic (op_registry.h) is calibrated on whole chunks, out of the
// caches; every other op in cache, where the memory model adds its traffic.
TEST(CalibrationHarness, OpsThatCarryTheirTrafficAreCalibratedAtChunkSizes) {
  const double in_cache = grid_for("log", false).max_values;
  for (const std::string& op : harnessed_ops()) {
    const OpGrid g = grid_for(op, false);
    const bool chunk_sized = !g.listed.empty() || g.max_values > 16 * in_cache;
    EXPECT_EQ(find_op(op)->traffic_in_cost, chunk_sized) << op;
  }
}

TEST(CalibrationRunner, RejectsUnknownOpsAndOpsWithoutKernels) {
  RunnerOptions o;
  o.quick = true;
  o.ops = {"no_such_op"};
  EXPECT_THROW(run_calibration(o), std::invalid_argument);
  o.ops = {"read"};
  EXPECT_THROW(run_calibration(o), std::invalid_argument);
}

TEST(CalibrationRunner, QuickRunReportsProgressAndFitsInRegistryOrder) {
  RunnerOptions o;
  o.quick = true;
  o.ops = {"log", "sigrid_hash"};  // given out of registry order
  int point_reports = 0, results = 0;
  CalibrationRun run = run_calibration(o, [&](const OpProgress& p) {
    EXPECT_EQ(p.op_count, 2u);
    if (p.result == nullptr) ++point_reports;
    else ++results;
  });
  EXPECT_EQ(results, 2);
  EXPECT_EQ(point_reports, static_cast<int>(grid_for("log", true).points().size() +
                                            grid_for("sigrid_hash", true).points().size()));
  ASSERT_EQ(run.file.ops.size(), 2u);
  EXPECT_EQ(run.file.ops[0].op, "sigrid_hash");
  EXPECT_EQ(run.file.ops[1].op, "log");
  for (const OpCalibration& c : run.file.ops) {
    EXPECT_EQ(c.fit.terms, find_op(c.op)->signature);
    EXPECT_GT(c.fit.predict({1024, 8192, 8192, 0}), 0.0);
  }
  EXPECT_EQ(run.skipped, std::vector<std::string>{"read"});
}

// between_rounds runs between the rounds of measurements (never inside one): with no minimum interval, once
// before every round of every op, so at least `repetitions` times per op; with a long interval, not at all.
TEST(CalibrationRunner, InterleavesTheCallerBetweenRounds) {
  RunnerOptions o;
  o.quick = true;
  o.ops = {"log", "fill_null"};
  o.repetitions = 3;
  int calls = 0;
  o.between_rounds = [&] { ++calls; };
  o.interleave_seconds = 0;
  run_calibration(o);
  EXPECT_GE(calls, 2 * 3);
  EXPECT_LE(calls, 2 * 3 * 3);  // at most 3 x repetitions rounds per op
  calls = 0;
  o.interleave_seconds = 3600;
  run_calibration(o);
  EXPECT_EQ(calls, 0);
}

// A host slow from the start makes its slow state look like the fastest so far; the rounds judged fast while
// running are judged again at the end against the run's fastest sentinel, and the op refitted (runner.h).
TEST(CalibrationRunner, JudgesRoundsAgainAgainstTheRunsFastestSentinel) {
  RunnerOptions o;
  o.quick = true;
  o.ops = {"log", "fill_null"};
  o.repetitions = 3;
  int calls = 0;
  o.host_sentinel = [&] { return ++calls <= 4 ? 2.0 : 1.0; };  // the first two rounds of `log` ran slow
  CalibrationRun run = run_calibration(o);
  EXPECT_EQ(run.refitted, std::vector<std::string>{"log"});

  calls = 0;
  o.host_sentinel = [&] { return ++calls, 1.0; };  // one state all along: nothing to judge again
  run = run_calibration(o);
  EXPECT_TRUE(run.refitted.empty());
  EXPECT_GT(calls, 0);
}

}  // namespace
}  // namespace prepsim::calibration
