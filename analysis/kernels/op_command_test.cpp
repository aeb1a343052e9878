#include "analysis/kernels/op_command.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "models/op_registry.h"

namespace prepsim::analysis {
namespace {

struct Result {
  int code;
  std::string out;
  std::string err;
};

Result run(std::vector<std::string> args) {
  std::ostringstream out, err;
  const int code = run_op_command(args, out, err);
  return {code, out.str(), err.str()};
}

TEST(OpCommand, FactsReferenceVector) {
  const Result r = run({"sigrid_hash", "--salt", "0", "--max", "100", "--", "1", "2", "3", "5", "8", "10", "11"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "60 54 54 4 67 2 25\n");
  EXPECT_EQ(r.err, "");
}

// Every op-table row with a kernel has an example (run_op_test checks that), and `prepsim op` gives its output.
TEST(OpCommand, EveryRowsExampleGivesItsOutput) {
  int examples = 0;
  for (const OpInfo& op : all_ops()) {
    if (op.example.args.empty()) continue;
    std::vector<std::string> args = {std::string(op.name)};
    args.insert(args.end(), op.example.args.begin(), op.example.args.end());
    const Result r = run(args);
    EXPECT_EQ(r.code, 0) << op.name << ": " << r.err;
    EXPECT_EQ(r.out, op.example.output) << op.name;
    EXPECT_NE(run({std::string(op.name), "--help"}).out.find("example: prepsim op " + std::string(op.name)),
              std::string::npos)
        << op.name;
    ++examples;
  }
  EXPECT_GT(examples, 0);
}

TEST(OpCommand, NegativeValuesFlagFormsAndSplitLists) {
  EXPECT_EQ(run({"clamp", "--lo", "0", "--hi", "5", "--", "-3", "2", "9"}).out, "0 2 5\n");
  EXPECT_EQ(run({"clamp", "--lo", "-1", "--hi", "5", "-3", "2", "9"}).out, "-1 2 5\n");  // no -- needed for numbers
  EXPECT_EQ(run({"sigrid_hash", "--max=100", "1", "2"}).out, "60 54\n");
  EXPECT_EQ(run({"bucketize", "--borders", "[2,", "5,", "10]", "--", "1", "11"}).out, "0 3\n");
  EXPECT_EQ(run({"bucketize", "--borders", "2,5,10", "--", "[1,", "11]"}).out, "0 3\n");
}

TEST(OpCommand, ClampKeepsIdsExactAndClampsFloats) {
  EXPECT_EQ(run({"clamp", "--lo", "0", "--hi", "9007199254740993", "--", "9007199254740993", "9007199254740995"}).out,
            "9007199254740993 9007199254740993\n");
  EXPECT_EQ(run({"clamp", "--lo", "0", "--hi", "5", "--", "-1.5", "2.25", "nan", "inf"}).out, "0 2.25 nan 5\n");
  EXPECT_EQ(run({"clamp", "--lo", "0.5", "--hi", "5.5", "--", "0", "9"}).out, "1 5\n");  // ids: [ceil lo, floor hi]
}

TEST(OpCommand, NullsAndSpecialValues) {
  EXPECT_EQ(run({"log", "--", "null", "0", "-1", "inf", "nan"}).out, "null -inf nan inf nan\n");
  EXPECT_EQ(run({"bucketize", "--borders", "[0]", "--", "null", "-1", "nan"}).out, "null 0 1\n");
  EXPECT_EQ(run({"fill_null", "--value", "-2.5", "--", "null", "nan"}).out, "-2.5 nan\n");
  EXPECT_EQ(run({"onehot", "--lower", "0", "--upper", "2", "--n", "2", "--", "null", "1.5"}).out, "0 0\n0 1\n");
}

TEST(OpCommand, ListOpsPrintOneLinePerList) {
  EXPECT_EQ(run({"ngram", "--n", "3", "--", "[1,2,3,4]", "[]", "[5,6]"}).out, "1 2 3 2 3 4\n\n5 6\n");
  EXPECT_EQ(run({"firstx", "--x", "0", "--", "1", "2"}).out, "\n");
  EXPECT_EQ(run({"sigrid_hash", "--max", "100", "--", "[1,2]", "[3]"}).out, "60 54\n54\n");
  EXPECT_EQ(run({"dedup", "--", "5", "6", "5"}).out, "unique: [5] [6]\ninverse: 0 1 0\n");
}

TEST(OpCommand, HelpListsOpsParamsAndDefaults) {
  const Result all = run({"--help"});
  EXPECT_EQ(all.code, 0);
  EXPECT_EQ(all.err, "");
  for (const OpInfo& op : all_ops()) {
    const bool runnable = op.kernel != nullptr;
    EXPECT_EQ(all.out.find("  " + std::string(op.name) + " ") != std::string::npos, runnable) << op.name;
  }
  EXPECT_NE(all.out.find("[--salt INT=0] --max INT"), std::string::npos);
  EXPECT_NE(all.out.find("[--eps FLOAT=1e-06]"), std::string::npos);
  const Result one = run({"onehot", "--help"});
  EXPECT_EQ(one.code, 0);
  EXPECT_NE(one.out.find("--lower"), std::string::npos);
  EXPECT_NE(one.out.find("(required)"), std::string::npos);
  EXPECT_NE(one.out.find("example: prepsim op onehot"), std::string::npos);
  EXPECT_NE(run({"log", "--help"}).out.find("(default 0)"), std::string::npos);
}

// Bad input: exit code 2, nothing on out, one line on err that names the problem (and what is valid).
TEST(OpCommand, BadInputIsOneClearLine) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{}, "missing op name"},
      {{"nope", "1"}, "unknown op 'nope' (valid: to_kjt, dedup, bucketize"},
      {{"decode", "1"}, "op 'decode' has no kernel"},
      {{"sigrid_hash", "--bogus", "1", "--", "1"}, "unknown flag '--bogus' (sigrid_hash takes --salt, --max)"},
      {{"sigrid_hash", "--max", "9", "--x", "3", "--", "1"}, "--x is not a parameter of sigrid_hash"},
      {{"sigrid_hash", "--max", "9", "-q", "1"}, "unknown flag '-q'"},
      {{"sigrid_hash", "--", "1"}, "sigrid_hash needs --max INT"},
      {{"sigrid_hash", "--max"}, "--max needs a value (INT)"},
      {{"sigrid_hash", "--max", "9", "--max", "8", "1"}, "--max given twice"},
      {{"sigrid_hash", "--max", "ten", "1"}, "--max: 'ten' is not an integer"},
      {{"sigrid_hash", "--max", "0", "--", "1"}, "max must be >= 1"},
      {{"sigrid_hash", "--max", "-4", "--", "1"}, "max must be >= 1"},
      {{"sigrid_hash", "--max", "9", "--", "abc"}, "value 'abc' is not an int64 id"},
      {{"sigrid_hash", "--max", "9", "--", "1.5"}, "value '1.5' is not an int64 id"},
      {{"sigrid_hash", "--max", "9", "--", "99999999999999999999"}, "is not an int64 id"},
      {{"sigrid_hash", "--max", "9"}, "no VALUES given"},
      {{"log", "--", "x1"}, "value 'x1' is not a number"},
      {{"bucketize", "--borders", "[5,2]", "--", "1"},
       "borders must be non-decreasing, but borders[1]=2 < borders[0]=5"},
      {{"bucketize", "--borders", "[1,nan]", "--", "1"}, "borders[1] is NaN"},
      {{"bucketize", "--borders", "[1,2", "--", "1"}, "is not a list like [FLOAT,...]"},
      {{"ngram", "--n", "0", "--", "1"}, "n must be >= 1"},
      {{"firstx", "--x", "-1", "--", "1"}, "x must be >= 0"},
      {{"clamp", "--lo", "5", "--hi", "1", "--", "1"}, "lo must be <= hi"},
      {{"clamp", "--lo", "0.2", "--hi", "0.8", "--", "1"}, "needs an integer in [lo, hi]"},
      {{"logit", "--eps", "0.7", "--", "0.5"}, "eps must be in [0, 0.5]"},
      {{"onehot", "--lower", "1", "--upper", "0", "--n", "2", "--", "1"}, "lower < upper"},
      {{"log", "--", "1", "[2]"}, "mix bare numbers and [lists]"},
      {{"to_kjt", "--", "[1,2"}, "is not a list"},
      {{"onehot", "--lower", "0", "--upper", "1", "--n", "100000000000", "--", "1"}, "use n <= 10000000"},
  };
  for (const auto& [args, want] : cases) {
    const Result r = run(args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(r.code, 2) << joined;
    EXPECT_EQ(r.out, "") << joined;
    EXPECT_NE(r.err.find(want), std::string::npos) << joined << "-> " << r.err;
    EXPECT_EQ(r.err.rfind("prepsim op: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

}  // namespace
}  // namespace prepsim::analysis
