#include "models/op_registry.h"

#include <gtest/gtest.h>

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

TEST(OpRegistry, OnlyWholeChunkOpsCarryTheirTrafficInTheirCost) {
  for (const OpInfo& op : all_ops()) {
    EXPECT_EQ(op.traffic_in_cost, op.name == "decode" || op.name == "dedup") << op.name;
  }
}

}  // namespace
}  // namespace prepsim
