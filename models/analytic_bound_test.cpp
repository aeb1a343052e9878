#include "models/analytic_bound.h"

#include <gtest/gtest.h>

namespace prepsim {
namespace {

TEST(AnalyticBound, PicksTheTightestResource) {
  BoundResult r = analytic_bound({{"cpu", "cpu", 64e9, 1e6},       // 64,000 samples/s
                                  {"link", "link", 1.25e9, 5e4},   // 25,000 samples/s
                                  {"disk", "disk", 3.2e9, 1e4}});  // 320,000 samples/s
  EXPECT_DOUBLE_EQ(r.samples_per_s, 25000.0);
  EXPECT_EQ(r.bottleneck, "link");
  EXPECT_EQ(r.resources.size(), 3u);
}

TEST(AnalyticBound, ResourceWithoutDemandNeverBinds) {
  BoundResult r = analytic_bound({{"idle", "link", 1.0, 0.0}, {"trainer", "trainer", 1000.0, 1.0}});
  EXPECT_DOUBLE_EQ(r.samples_per_s, 1000.0);
  EXPECT_EQ(r.bottleneck, "trainer");
}

}  // namespace
}  // namespace prepsim
