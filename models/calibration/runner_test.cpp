#include "models/calibration/runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

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

TEST(CalibrationHarness, EveryOpButReadHasAKernel) {
  std::vector<std::string> have = harnessed_ops();
  for (const OpInfo& op : all_ops()) {
    bool present = std::find(have.begin(), have.end(), std::string(op.name)) != have.end();
    EXPECT_EQ(present, op.name != "read") << op.name;
  }
}

TEST(CalibrationHarness, FullGridsAreCappedAndWellConditioned) {
  for (const std::string& op : harnessed_ops()) {
    OpGrid g = grid_for(op, false);
    std::vector<GridPoint> points = g.points();
    const auto& sig = find_op(op)->signature;
    EXPECT_GE(points.size(), 2 * sig.size()) << op;
    // Nominal work of each point (list lengths at their mean): the terms must vary independently.
    std::vector<OpWork> works;
    for (const GridPoint& p : points) {
      double values = static_cast<double>(p.rows) * (g.values_per_row + g.values_per_width * p.width);
      EXPECT_LE(values * (g.param_scales_values ? p.param : 1.0), g.max_values) << op;
      double out = values * (g.param_scales_values ? p.param : 1.0) + (op == "ngram" ? p.param * p.rows : 0.0);
      works.push_back({static_cast<double>(p.rows), values, out, p.param});
    }
    EXPECT_LT(design_condition_number(works, {}, sig), 100.0) << op;
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

}  // namespace
}  // namespace prepsim::calibration
