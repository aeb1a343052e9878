#include "models/sweep/sweep_spec.h"

#include <gtest/gtest.h>

#include "models/config/input_error.h"

namespace prepsim::sweep {
namespace {

SweepSpec parse(const std::string& text) {
  // base must exist: the test file itself is relative to nothing, so point at the shipped example.
  return parse_sweep(config::load_yaml_string(text, std::string(PREPSIM_SOURCE_DIR) + "/scenarios/sweeps/t.yaml"),
                     std::string(PREPSIM_SOURCE_DIR) + "/scenarios/sweeps/t.yaml");
}

const char* kHead = "schema: prepsim-sweep/v1\nbase: ../examples/undersized.yaml\n";

TEST(SweepSpec, GridIsCartesianFirstAxisSlowest) {
  SweepSpec s = parse(std::string(kHead) + "seed: 3\naxes:\n  - {key: a.b, values: [1, 2, 4]}\n"
                                           "  - {key: c, range: {from: 30, to: 60, step: 30}, unit: ms}\n");
  EXPECT_EQ(s.seed, 3);
  std::vector<Params> pts = expand(s);
  ASSERT_EQ(pts.size(), 6u);
  EXPECT_EQ(pts[0], (Params{{"a.b", "1"}, {"c", "30ms"}}));
  EXPECT_EQ(pts[1], (Params{{"a.b", "1"}, {"c", "60ms"}}));
  EXPECT_EQ(pts[5], (Params{{"a.b", "4"}, {"c", "60ms"}}));
}

TEST(SweepSpec, KeysRememberTheirLines) {
  SweepSpec s = parse(std::string(kHead) + "set: {run.duration: 5s}\naxes:\n  - {key: a.b, values: [1]}\n"
                                           "  - zip: [{key: c, values: [1]}, {key: d, values: [2]}]\n"
                                           "random: {samples: 2, axes: [{key: e, uniform: {lo: 1, hi: 2}}]}\n");
  EXPECT_EQ(s.keys, (std::vector<std::string>{"a.b", "c", "d", "e"}));
  EXPECT_EQ(s.key_lines, (std::vector<int>{5, 6, 6, 7}));
  EXPECT_EQ(s.fixed_lines, (std::vector<int>{3}));
  EXPECT_DOUBLE_EQ(s.points, 2);
}

TEST(SweepSpec, TooManyPointsAreRefusedBeforeAnyIsMade) {
  // 1e5 x 1e5 points used to be expanded (and hang); random samples of 1e12 too.
  EXPECT_THROW(parse(std::string(kHead) + "axes:\n  - {key: a, range: {from: 1, to: 100000, step: 1}}\n"
                                          "  - {key: b, range: {from: 1, to: 100000, step: 1}}\n"),
               InputError);
  EXPECT_THROW(parse(std::string(kHead) + "random: {samples: 1e12, axes: [{key: e, uniform: {lo: 1, hi: 2}}]}\n"),
               InputError);
  EXPECT_NO_THROW(parse(std::string(kHead) + "axes:\n  - {key: a, range: {from: 1, to: 1000, step: 1}}\n"
                                             "  - {key: b, range: {from: 1, to: 1000, step: 1}}\n"));
}

TEST(SweepSpec, RangeAvoidsFloatingPointDrift) {
  SweepSpec s = parse(std::string(kHead) + "axes:\n  - {key: x, range: {from: 0.1, to: 0.3, step: 0.1}}\n");
  std::vector<Params> pts = expand(s);
  ASSERT_EQ(pts.size(), 3u);
  EXPECT_EQ(pts[2][0].second, "0.3");
}

TEST(SweepSpec, ZipPairsValuesAndSetsAreFixed) {
  SweepSpec s = parse(std::string(kHead) + "set: {run.duration: 2s}\naxes:\n"
                                           "  - zip: [{key: a, values: [1, 2]}, {key: b, values: [x, [p, q]]}]\n");
  EXPECT_EQ(s.fixed, std::vector<std::string>{"run.duration=2s"});
  std::vector<Params> pts = expand(s);
  ASSERT_EQ(pts.size(), 2u);
  EXPECT_EQ(pts[1], (Params{{"a", "2"}, {"b", "[p, q]"}}));
}

TEST(SweepSpec, RandomIsSeededAndInRange) {
  std::string text = std::string(kHead) +
                     "random: {samples: 5, seed: 9, axes: [{key: k, uniform: {lo: 1, hi: 4, integer: true}},"
                     " {key: t, uniform: {lo: 10, hi: 20, unit: ms}}]}\n";
  std::vector<Params> a = expand(parse(text)), b = expand(parse(text));
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(a, b);
  for (const Params& p : a) {
    int k = std::stoi(p[0].second);
    EXPECT_GE(k, 1);
    EXPECT_LE(k, 4);
    EXPECT_EQ(p[1].second.substr(p[1].second.size() - 2), "ms");
  }
}

TEST(SweepSpec, ErrorsNameFileAndLine) {
  try {
    parse(std::string(kHead) + "axes:\n  - zip: [{key: a, values: [1, 2]},\n          {key: b, values: [1]}]\n");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("t.yaml:5"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("equal lengths"), std::string::npos);
  }
  EXPECT_THROW(parse(std::string(kHead) + "axes:\n  - {key: a, values: [1], range: {from: 1, to: 2, step: 1}}\n"),
               InputError);
  EXPECT_THROW(parse(std::string(kHead) + "axes:\n  - {key: a, values: [1]}\n  - {key: a, values: [2]}\n"),
               InputError);
  EXPECT_THROW(parse("schema: prepsim-sweep/v1\nbase: nope.yaml\naxes: []\n"), InputError);
  EXPECT_THROW(parse(std::string(kHead) + "axis: []\n"), InputError);
}

}  // namespace
}  // namespace prepsim::sweep
