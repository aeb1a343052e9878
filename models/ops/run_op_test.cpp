#include "models/ops/run_op.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <set>

#include "models/op_registry.h"
#include "models/ops/random_inputs.h"

namespace prepsim::ops {
namespace {

// Properties every row of the op table must have (the rows themselves are not restated here).
TEST(OpTable, NamesAreUniqueAndKernelsComeWithReferenceLayoutAndExample) {
  std::set<std::string_view> names;
  for (const OpInfo& info : all_ops()) {
    SCOPED_TRACE(info.name);
    EXPECT_TRUE(names.insert(info.name).second) << "two rows named " << info.name;
    EXPECT_EQ(find_op(info.name), &info);
    const bool kernel = info.kernel != nullptr;
    EXPECT_EQ(info.reference != nullptr, kernel);
    EXPECT_EQ(info.layout != Layout::None, kernel);
    EXPECT_EQ(!info.example.args.empty(), kernel);
    EXPECT_EQ(kernel_op(info.name), kernel ? &info : nullptr);
    EXPECT_FALSE(info.summary.empty());
    EXPECT_FALSE(info.signature.empty());
    EXPECT_EQ(info.signature.front(), CostTerm::Constant);
    // A kernel without its own harness is calibrated through run_op.
    EXPECT_TRUE(kernel || info.grid.harness != nullptr || !info.cpu_cost);
    EXPECT_EQ(!info.grid.param.empty(), !info.grid.values.empty() || info.grid.listed != nullptr);
  }
  EXPECT_EQ(kernel_op("nope"), nullptr);
}

// The kernel's layout and the domains the model and the scenario reader use say the same thing.
TEST(OpTable, LayoutAgreesWithDomainsAndScope) {
  for (const OpInfo& info : all_ops()) {
    SCOPED_TRACE(info.name);
    switch (info.layout) {
      case Layout::None: EXPECT_NE(info.scope, Scope::Group); break;
      case Layout::DenseToDense:
        EXPECT_EQ(info.input, Domain::Dense);
        EXPECT_EQ(info.output, Domain::Dense);
        break;
      case Layout::DenseToLists:
        EXPECT_EQ(info.input, Domain::Dense);
        EXPECT_EQ(info.output, Domain::Sparse);
        break;
      case Layout::ListsToLists:
      case Layout::FeaturesToInverseKjt:
        EXPECT_EQ(info.input, Domain::Sparse);
        EXPECT_EQ(info.output, Domain::Sparse);
        break;
      case Layout::DenseOrLists:
        EXPECT_EQ(info.input, Domain::Any);
        EXPECT_EQ(info.output, Domain::Any);
        break;
      case Layout::FeaturesToKjt: EXPECT_EQ(info.scope, Scope::Batch); break;
    }
    EXPECT_EQ(info.scope == Scope::Group, info.input == Domain::Dense || info.input == Domain::Sparse ||
                                              info.layout == Layout::DenseOrLists);
    // A dense op that writes several values per value, or one that removes lists, says how many (ShapeOut).
    if (info.removes_duplicates) {
      EXPECT_NE(info.shape, nullptr);
    }
  }
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

// Property: through run_op, every row's kernel gives the same output as its reference, bit for bit.
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
  int ran = 0;
  for (const OpInfo& op : all_ops()) {
    if (op.kernel == nullptr) continue;
    const std::string_view name = op.name;
    // DenseOrLists ops run on both.
    for (const bool on_dense : {true, false}) {
      OpInput in;
      if (on_dense) {
        in.dense = dense;
        in.nulls = nulls;
      } else {
        in.sparse = sparse.view();
        in.keys = 3;
      }
      if (reads_dense(op, in) != on_dense) continue;
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
      // It wrote something.
      EXPECT_GT(fast.dense.size() + fast.sparse.lengths.size() + fast.kjt.lengths.size() + fast.ikjt.inverse.size(),
                0u)
          << name;
      ++ran;
    }
  }
  EXPECT_GT(ran, 0);
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
  run_op(*find_op("bucketize"), p, in, out);
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
  run_op(*find_op("log"), OpParams{}, in, out);
  EXPECT_EQ(out.nulls, nulls);
  run_op(*find_op("fill_null"), OpParams{}, in, out);
  EXPECT_EQ(out.nulls, (std::vector<std::uint8_t>{0, 0}));
  EXPECT_EQ(out.dense, (std::vector<float>{0, 2}));
}

TEST(RunOp, RejectsBadCalls) {
  OpParams p;
  OpInput in;
  const Jagged bad{{1, 2}, {3}};
  in.sparse = bad.view();
  EXPECT_NE(check_op_call(*find_op("firstx"), p, in).find("add up to"), std::string::npos);
  const Jagged ok{{1, 2, 3}, {1, 2}};
  in.sparse = ok.view();
  in.keys = 3;
  EXPECT_NE(check_op_call(*find_op("dedup"), p, in).find("do not split"), std::string::npos);
  p.lo = 0.2f;
  p.hi = 0.8f;
  p.lo_id = 1;
  p.hi_id = 0;
  EXPECT_NE(check_op_call(*find_op("clamp"), p, in).find("integer in [lo, hi]"), std::string::npos);
  const std::vector<float> x = {1, 2};
  const std::vector<std::uint8_t> nulls = {0};
  in.dense = x;
  in.nulls = nulls;
  EXPECT_NE(check_op_call(*find_op("log"), p, in).find("null flags"), std::string::npos);
}

}  // namespace
}  // namespace prepsim::ops
