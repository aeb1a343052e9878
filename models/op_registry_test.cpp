#include "models/op_registry.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace prepsim {
namespace {

// An op calibrated in cache hides the compute's share of its traffic: c + m^2 / (c + m). A compute-bound stage
// takes about its compute, a streaming one about the sum; one whose calibrated cost includes its traffic takes the
// longer of the two.
TEST(StageSecondsAlone, ComposesComputeAndTrafficByTheOp) {
  const OpInfo& log = *find_op("log");
  const OpInfo& decode = *find_op("decode");
  ASSERT_FALSE(log.traffic_in_cost);
  ASSERT_TRUE(decode.traffic_in_cost);
  // c = 2 s; traffic 1e9 B at 1e9 B/s = 1 s.
  EXPECT_DOUBLE_EQ(stage_seconds_alone(log, 2.0, 1e9, 1e9), 2.0 + 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(stage_seconds_alone(decode, 2.0, 1e9, 1e9), 2.0);
  EXPECT_DOUBLE_EQ(stage_seconds_alone(decode, 0.5, 1e9, 1e9), 1.0);
  // Equal compute and traffic: half of the traffic hides.
  EXPECT_DOUBLE_EQ(stage_seconds_alone(log, 1.0, 1e9, 1e9), 1.5);
  // The limits: no traffic, no compute, no memory model (bandwidth 0).
  EXPECT_DOUBLE_EQ(stage_seconds_alone(log, 2.0, 0, 1e9), 2.0);
  EXPECT_DOUBLE_EQ(stage_seconds_alone(log, 0.0, 1e9, 1e9), 1.0);
  EXPECT_DOUBLE_EQ(stage_seconds_alone(log, 2.0, 1e9, 0), 2.0);
  EXPECT_DOUBLE_EQ(stage_seconds_alone(log, 0.0, 0.0, 1e9), 0.0);
}

// An op whose calibrated cost includes its memory traffic is one calibrated at chunk sizes (runner_test checks the
// grids this makes).
TEST(OpTable, OpsThatCarryTheirTrafficHaveChunkSizedGrids) {
  for (const OpInfo& op : all_ops()) {
    EXPECT_EQ(op.traffic_in_cost, op.grid.cap >= kChunkSizedCap) << op.name;
  }
}

// Every row's model shape keeps its counts finite and non-negative, whatever the stage's parameters.
TEST(OpTable, ShapesAreNonNegative) {
  const std::map<std::string, double> params = {{"n", 3}, {"x", 2}, {"borders", 15}};
  for (const OpInfo& op : all_ops()) {
    if (op.shape == nullptr) continue;
    for (double mean_length : {0.0, 1.0, 2.5, 40.0}) {
      const ShapeIn in{.elements = 1000, .lists = 100, .mean_length = mean_length, .duplicated = 0.5,
                       .params = &params};
      const ShapeOut out = op.shape(in);
      EXPECT_GE(out.output_elements, 0.0) << op.name;
      EXPECT_GE(out.lists_removed, 0.0) << op.name;
      EXPECT_LE(out.lists_removed, in.lists) << op.name;
    }
  }
}

TEST(OpTable, LookupAndNames) {
  EXPECT_EQ(find_op("nope"), nullptr);
  ASSERT_FALSE(all_ops().empty());
  EXPECT_EQ(op_names_joined().rfind(std::string(all_ops().front().name) + ", ", 0), 0u);
}

}  // namespace
}  // namespace prepsim
