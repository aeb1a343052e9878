#include "models/ops/sparse_ops.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <vector>

#include "models/ops/cpu_dispatch.h"
#include "models/ops/random_inputs.h"
#include "models/ops/reference.h"

namespace prepsim::ops {
namespace {

Jagged lists(std::vector<std::vector<std::int64_t>> ls) {
  Jagged j;
  for (const auto& l : ls) {
    j.values.insert(j.values.end(), l.begin(), l.end());
    j.lengths.push_back(static_cast<std::int32_t>(l.size()));
  }
  return j;
}

TEST(Firstx, KeepsTheFrontOfEachList) {
  const Jagged in = lists({{1, 2, 3}, {}, {4}, {5, 6, 7, 8, 9, 10}, {11, 12}});
  Jagged out;
  firstx(in.view(), 2, out);
  EXPECT_EQ(out, lists({{1, 2}, {}, {4}, {5, 6}, {11, 12}}));
  firstx(in.view(), 0, out);
  EXPECT_EQ(out, lists({{}, {}, {}, {}, {}}));
  firstx(in.view(), 100, out);
  EXPECT_EQ(out, in);
}

TEST(Ngram, SlidingWindowsFlattened) {
  const Jagged in = lists({{1, 2, 3, 4}, {5}, {}, {6, 7}});
  Jagged out;
  ngram(in.view(), 2, out);
  EXPECT_EQ(out, lists({{1, 2, 2, 3, 3, 4}, {5}, {}, {6, 7}}));
  ngram(in.view(), 3, out);
  EXPECT_EQ(out, lists({{1, 2, 3, 2, 3, 4}, {5}, {}, {6, 7}}));  // lists shorter than n: n' = len, one window
  ngram(in.view(), 1, out);
  EXPECT_EQ(out, in);
  EXPECT_EQ(ngram_output_length(0, 3), 0);
  EXPECT_EQ(ngram_output_length(4, 2), 6);
  EXPECT_EQ(ngram_output_length(2, 5), 2);
}

TEST(Mapid, InRangeOutOfRangeNegativeAndEmptyMap) {
  const std::vector<std::int64_t> map = {10, 11, 12};
  const std::vector<std::int64_t> in = {0, 2, 3, -1, 1, std::numeric_limits<std::int64_t>::min()};
  std::vector<std::int64_t> out(in.size());
  mapid(in, map, out);
  EXPECT_EQ(out, (std::vector<std::int64_t>{10, 12, 0, 0, 11, 0}));
  mapid(in, {}, out);
  EXPECT_EQ(out, std::vector<std::int64_t>(in.size(), 0));
}

// Blocks of ids that all hit take a separate path: cover all-hit blocks, a miss late in a block, and a tail.
TEST(Mapid, AllHitBlocksAndMixedBlocksAgreeWithTheReference) {
  std::vector<std::int64_t> map(5000);
  for (std::size_t i = 0; i < map.size(); ++i) map[i] = static_cast<std::int64_t>(i) * 3 + 1;
  std::vector<std::int64_t> in(2048 * 3 + 17);
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = static_cast<std::int64_t>((i * 7919) % map.size());
  in[2048 + 2000] = 5000;  // second block: one miss
  in[2048 * 3 + 3] = -7;   // tail: a negative id
  std::vector<std::int64_t> want(in.size()), got(in.size());
  reference::mapid(in, map, want);
  EXPECT_EQ(want[2048 + 2000], 0);
  EXPECT_EQ(want[5], map[static_cast<std::size_t>(in[5])]);
  for (Isa isa : supported_isas()) {
    force_isa(isa);
    std::fill(got.begin(), got.end(), -1);
    mapid(in, map, got);
    EXPECT_EQ(got, want) << isa_name(isa);
    std::vector<std::int64_t> inplace = in;
    mapid(inplace, map, inplace);
    EXPECT_EQ(inplace, want) << isa_name(isa) << " in place";
  }
  clear_forced_isa();
}

TEST(ClampIds, Bounds) {
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  const std::vector<std::int64_t> in = {-3, 2, 9, kMin, kMax};
  std::vector<std::int64_t> out(in.size());
  clamp(in, out, 0, 5);
  EXPECT_EQ(out, (std::vector<std::int64_t>{0, 2, 5, 0, 5}));
  clamp(in, out, kMin, kMax);
  EXPECT_EQ(out, in);
}

TEST(SparseOps, ParameterChecks) {
  EXPECT_EQ(check_firstx_x(0), "");
  EXPECT_NE(check_firstx_x(-1).find("x must be >= 0"), std::string::npos);
  EXPECT_EQ(check_ngram_n(1), "");
  EXPECT_NE(check_ngram_n(0).find("n must be >= 1"), std::string::npos);
  const std::vector<std::int32_t> huge = {std::numeric_limits<std::int32_t>::max()};
  EXPECT_NE(check_ngram_output(huge, 3), "");
  EXPECT_EQ(check_ngram_output(huge, 1), "");
}

// Properties on random lists: optimized == reference; firstx lengths are min(x, len); ngram lengths are
// (len - n' + 1) * n' with n' = min(n, len) and every window is a run of the input.
TEST(SparseOps, OptimizedEqualsReferenceOnRandomLists) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 40; ++trial) {
    const Jagged in = testing::random_jagged(rng, rng() % 500, static_cast<std::int32_t>(rng() % 30), -50, 50);
    Jagged fast, ref;
    for (std::int64_t x : {0, 1, 2, 5, 17, 1000}) {
      firstx(in.view(), x, fast);
      reference::firstx(in.view(), x, ref);
      ASSERT_EQ(fast, ref) << "firstx x=" << x;
      for (std::size_t i = 0; i < in.lengths.size(); ++i) {
        ASSERT_EQ(fast.lengths[i], std::min<std::int64_t>(x, in.lengths[i]));
      }
    }
    for (std::int64_t n : {1, 2, 3, 4, 5, 9}) {
      ngram(in.view(), n, fast);
      reference::ngram(in.view(), n, ref);
      ASSERT_EQ(fast, ref) << "ngram n=" << n;
      for (std::size_t i = 0; i < in.lengths.size(); ++i) {
        const std::int64_t len = in.lengths[i];
        const std::int64_t np = std::min(n, len);
        ASSERT_EQ(fast.lengths[i], len == 0 ? 0 : (len - np + 1) * np);
      }
    }
    std::vector<std::int64_t> map(rng() % 40);
    for (auto& m : map) m = static_cast<std::int64_t>(rng());
    std::vector<std::int64_t> a(in.values.size()), b(in.values.size());
    reference::mapid(in.values, map, b);
    for (Isa isa : supported_isas()) {
      force_isa(isa);
      mapid(in.values, map, a);
      ASSERT_EQ(a, b) << isa_name(isa);
    }
    reference::clamp(in.values, b, -10, 20);
    for (Isa isa : supported_isas()) {
      force_isa(isa);
      clamp(in.values, a, -10, 20);
      ASSERT_EQ(a, b) << isa_name(isa);
    }
    clear_forced_isa();
  }
}

}  // namespace
}  // namespace prepsim::ops
