#include "analysis/validate_report.h"

#include <gtest/gtest.h>

#include <sstream>

namespace prepsim::analysis {
namespace {

ValidationPoint point(const std::string& name, int threads, double measured, double predicted) {
  ValidationPoint p;
  p.scenario = name;
  p.threads = threads;
  p.measured = measured;
  p.predicted = predicted;
  p.passes = 5;
  p.read_bps = 2.5e9;
  p.measured_ms = {{"decode", 3.0}, {"read", 1.0}};
  p.predicted_ms = {{"decode", 2.0}, {"read", 1.0}, {"log", 1.0}};
  return p;
}

// The documented JSON: a list of {scenario, threads, measured, predicted, error} in this order.
TEST(ValidateReport, JsonHasTheFiveDocumentedKeys) {
  const nlohmann::ordered_json j = validation_json({point("a", 1, 100, 110), point("b", 2, 200, 150)});
  ASSERT_EQ(j.size(), 2u);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j[0].items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"scenario", "threads", "measured", "predicted", "error"}));
  EXPECT_EQ(j[1]["scenario"], "b");
  EXPECT_EQ(j[1]["threads"], 2);
  EXPECT_DOUBLE_EQ(j[0]["error"].get<double>(), 0.1);
  EXPECT_DOUBLE_EQ(j[1]["error"].get<double>(), -0.25);
}

// Every stage of either side appears once, with shares of each side's total (4 ms measured, 4 ms predicted).
TEST(ValidateReport, TablePrintsErrorsAndPerStageShares) {
  ValidationPoint p = point("a", 1, 100, 110);
  p.clean = false;
  p.disturbed = 20;
  std::ostringstream out;
  print_validation(out, {p});
  const std::string s = out.str();
  EXPECT_NE(s.find("+10.0"), std::string::npos) << s;
  EXPECT_NE(s.find("(disturbed)"), std::string::npos) << s;
  EXPECT_NE(s.find("decode               3.000 /     2.000 ms  ( 75.0% /  50.0%)"), std::string::npos) << s;
  EXPECT_NE(s.find("log                  0.000 /     1.000 ms"), std::string::npos) << s;
  EXPECT_NE(s.find("4.000 / 4.000 ms per chunk (reads at 2.50 GB/s)"), std::string::npos) << s;
}

}  // namespace
}  // namespace prepsim::analysis
