// Phases: path order, stable addresses, the unloaded latency and how an unexplained stall splits.
#include "sim/phases.h"

#include <gtest/gtest.h>

#include <cmath>

namespace prepsim::sim {
namespace {

TEST(Phases, SharesAreTimeOverCapacityNormalised) {
  Phases phases;
  const Phase& read = phases.add("read", 2.0, 4.0);        // 0.5 per chunk of capacity
  const Phase& stage = phases.add("decode", 3.0, 2.0);     // 1.5
  const Phase& out = phases.add("transfer:cpu->trainers", 7.0, INFINITY);  // workers do not wait on it
  phases.close();
  EXPECT_DOUBLE_EQ(read.stall_share, 0.25);
  EXPECT_DOUBLE_EQ(stage.stall_share, 0.75);
  EXPECT_DOUBLE_EQ(out.stall_share, 0.0);
  EXPECT_DOUBLE_EQ(phases.unloaded_s(), 12.0);
}

TEST(Phases, KeepPathOrderAndAddresses) {
  Phases phases;
  const Phase* first = &phases.add("read", 1.0, 1.0);
  for (int i = 0; i < 100; ++i) phases.add("stage" + std::to_string(i), 1.0, 1.0);
  EXPECT_EQ(first, &phases.all().front());
  EXPECT_EQ(phases.all().front().label, "read");
  EXPECT_EQ(phases.all().back().label, "stage99");
}

TEST(Phases, NoCapacityAnywhereGivesNoShares) {
  Phases phases;
  const Phase& out = phases.add("transfer:cpu->trainers", 1.0, INFINITY);
  phases.close();
  EXPECT_EQ(out.stall_share, 0.0);
}

}  // namespace
}  // namespace prepsim::sim
