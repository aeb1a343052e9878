#include "models/ops/run_op.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <set>

#include "models/op_registry.h"
#include "models/ops/random_inputs.h"

namespace prepsim::ops {
namespace {

TEST(RunOp, EveryRegistryOpButReadAndDecodeHasAKernel) {
  for (const OpInfo& info : all_ops()) {
    const bool io = info.name == "read" || info.name == "decode";
    EXPECT_EQ(kernel_op(info.name).has_value(), !io) << info.name;
    if (!io) {
      EXPECT_EQ(kernel_op_name(*kernel_op(info.name)), info.name);
    }
  }
  EXPECT_FALSE(kernel_op("nope").has_value());
}

TEST(RunOp, RegistryParamsAreExactlyTheKnownParams) {
  std::set<std::string_view> used;
  for (const OpInfo& info : all_ops()) {
    for (std::string_view p : info.params) {
      EXPECT_NE(find_param(p), nullptr) << info.name << " --" << p;
      used.insert(p);
    }
  }
  for (const ParamInfo& p : all_params()) EXPECT_TRUE(used.count(p.name)) << p.name << " is used by no op";
}

TEST(OpParams, ParseAndCheck) {
  OpParams p;
  EXPECT_EQ(parse_param("max", "100", p), "");
  EXPECT_EQ(p.max, 100);
  EXPECT_EQ(parse_param("borders", "[2,5,10]", p), "");
  EXPECT_EQ(p.borders, (std::vector<float>{2, 5, 10}));
  EXPECT_EQ(parse_param("borders", "-1,0.5", p), "");
  EXPECT_EQ(p.borders, (std::vector<float>{-1, 0.5f}));
  EXPECT_EQ(parse_param("map", "[]", p), "");
  EXPECT_TRUE(p.map.empty());
  EXPECT_EQ(parse_param("lo", "0.5", p), "");
  EXPECT_EQ(parse_param("hi", "5.5", p), "");
  EXPECT_EQ(p.lo_id, 1);
  EXPECT_EQ(p.hi_id, 5);
  EXPECT_EQ(parse_param("lo", "-9007199254740993", p), "");
  EXPECT_EQ(p.lo_id, -9007199254740993);  // exact, not through a double
  EXPECT_NE(parse_param("max", "1.5", p).find("'1.5' is not an integer"), std::string::npos);
  EXPECT_NE(parse_param("offset", "abc", p).find("not a number"), std::string::npos);
  EXPECT_NE(parse_param("borders", "[1,2", p).find("not a list"), std::string::npos);
  EXPECT_NE(parse_param("borders", "[1,x]", p).find("'x'"), std::string::npos);
  EXPECT_NE(parse_param("bogus", "1", p), "");

  OpParams q;
  q.max = 0;
  EXPECT_NE(check_params("sigrid_hash", q), "");
  q.borders = {3, 1};
  EXPECT_NE(check_params("bucketize", q), "");
  q.n = 0;
  EXPECT_NE(check_params("ngram", q), "");
  EXPECT_EQ(check_params("ngram", OpParams{}), "");
}

std::vector<std::uint32_t> bits(const std::vector<float>& v) {
  std::vector<std::uint32_t> out(v.size());
  if (!v.empty()) std::memcpy(out.data(), v.data(), v.size() * sizeof(float));
  return out;
}

// Property: through run_op, every kernel op gives the same output optimized and reference.
TEST(RunOp, OptimizedEqualsReferenceForEveryOp) {
  std::mt19937_64 rng(23);
  OpParams p;
  p.max = 1000;
  p.borders = {-1, 0, 0, 2, 1e6f};
  p.x = 3;
  p.n = 3;
  p.lo = -1;
  p.hi = 7;
  p.lo_id = -1;
  p.hi_id = 7;
  p.offset = 1;
  p.lambda = 0.5f;
  p.lower = 0;
  p.upper = 10;
  p.map = {5, 4, 3, 2, 1};
  p.value = -7;
  const std::vector<float> dense = testing::awkward_floats(rng, 777);
  const std::vector<std::uint8_t> nulls = testing::random_nulls(rng, dense.size(), 0.1);
  const Jagged sparse = testing::random_jagged(rng, 300, 8, -3, 9);
  for (const auto& [op, name] :
       std::vector<std::pair<KernelOp, std::string_view>>{{KernelOp::ToKjt, "to_kjt"},
                                                          {KernelOp::Dedup, "dedup"},
                                                          {KernelOp::Bucketize, "bucketize"},
                                                          {KernelOp::Ngram, "ngram"},
                                                          {KernelOp::Mapid, "mapid"},
                                                          {KernelOp::Onehot, "onehot"},
                                                          {KernelOp::SigridHash, "sigrid_hash"},
                                                          {KernelOp::Firstx, "firstx"},
                                                          {KernelOp::Clamp, "clamp"},
                                                          {KernelOp::Log, "log"},
                                                          {KernelOp::Logit, "logit"},
                                                          {KernelOp::Boxcox, "boxcox"},
                                                          {KernelOp::FillNull, "fill_null"}}) {
    OpInput in;
    if (reads_dense(op)) {
      in.dense = dense;
      in.nulls = nulls;
    } else {
      in.sparse = sparse.view();
      in.keys = 3;
    }
    ASSERT_EQ(check_op_call(op, p, in), "") << name;
    OpOutput fast, ref;
    run_op(op, p, in, fast, Impl::Optimized);
    run_op(op, p, in, ref, Impl::Reference);
    EXPECT_EQ(bits(fast.dense), bits(ref.dense)) << name;
    EXPECT_EQ(fast.nulls, ref.nulls) << name;
    EXPECT_EQ(fast.sparse, ref.sparse) << name;
    EXPECT_EQ(fast.kjt.values, ref.kjt.values) << name;
    EXPECT_EQ(fast.kjt.offsets, ref.kjt.offsets) << name;
    EXPECT_EQ(fast.ikjt.inverse, ref.ikjt.inverse) << name;
    EXPECT_EQ(fast.ikjt.unique.values, ref.ikjt.unique.values) << name;
  }
}

TEST(RunOp, BucketizeGivesNullRowsAnEmptyList) {
  const std::vector<float> x = {1, 7, 3};
  const std::vector<std::uint8_t> nulls = {0, 1, 0};
  OpParams p;
  p.borders = {2, 5};
  OpInput in;
  in.dense = x;
  in.nulls = nulls;
  OpOutput out;
  run_op(KernelOp::Bucketize, p, in, out);
  EXPECT_EQ(out.sparse.values, (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(out.sparse.lengths, (std::vector<std::int32_t>{1, 0, 1}));
}

TEST(RunOp, DenseOpsKeepTheMaskAndFillNullClearsIt) {
  const std::vector<float> x = {1, 2};
  const std::vector<std::uint8_t> nulls = {1, 0};
  OpInput in;
  in.dense = x;
  in.nulls = nulls;
  OpOutput out;
  run_op(KernelOp::Log, OpParams{}, in, out);
  EXPECT_EQ(out.nulls, nulls);
  run_op(KernelOp::FillNull, OpParams{}, in, out);
  EXPECT_EQ(out.nulls, (std::vector<std::uint8_t>{0, 0}));
  EXPECT_EQ(out.dense, (std::vector<float>{0, 2}));
}

TEST(RunOp, RejectsBadCalls) {
  OpParams p;
  OpInput in;
  const Jagged bad{{1, 2}, {3}};
  in.sparse = bad.view();
  EXPECT_NE(check_op_call(KernelOp::Firstx, p, in).find("add up to"), std::string::npos);
  const Jagged ok{{1, 2, 3}, {1, 2}};
  in.sparse = ok.view();
  in.keys = 3;
  EXPECT_NE(check_op_call(KernelOp::Dedup, p, in).find("do not split"), std::string::npos);
  p.lo = 0.2f;
  p.hi = 0.8f;
  p.lo_id = 1;
  p.hi_id = 0;
  EXPECT_NE(check_op_call(KernelOp::Clamp, p, in).find("integer in [lo, hi]"), std::string::npos);
  const std::vector<float> x = {1, 2};
  const std::vector<std::uint8_t> nulls = {0};
  in.dense = x;
  in.nulls = nulls;
  EXPECT_NE(check_op_call(KernelOp::Log, p, in).find("null flags"), std::string::npos);
}

}  // namespace
}  // namespace prepsim::ops
