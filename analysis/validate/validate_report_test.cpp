#include "analysis/validate/validate_report.h"

#include <gtest/gtest.h>

#include <limits>
#include <sstream>

namespace prepsim::analysis {
namespace {

ValidationPoint point(const std::string& name, int threads, double measured, double predicted) {
  ValidationPoint p;
  p.scenario = name;
  p.threads = threads;
  p.measured.n = 24;
  p.measured.estimate = measured;
  p.measured.low = 0.98 * measured;
  p.measured.high = 1.01 * measured;
  p.predicted = predicted;
  for (int i = 0; i < 5; ++i) {
    validation::PassRecord r;
    r.throughput = measured;
    r.seconds = 0.2;
    r.usable = i != 4;
    p.passes.push_back(r);
  }
  p.read_bps = 2.5e9;
  p.measured_ms = {{"decode", 3.0}, {"read", 1.0}};
  p.predicted_ms = {{"decode", 2.0}, {"read", 1.0}, {"log", 1.0}};
  return p;
}

// The documented JSON: a schema, the method, and per point its interval, prediction, error, verdict and every
// pass with its evidence; unbounded interval ends are null.
TEST(ValidateReport, JsonCarriesIntervalsVerdictsAndEveryPass) {
  ValidationPoint b = point("b", 2, 200, 150);
  b.measured.high = std::numeric_limits<double>::infinity();
  b.judged = true;
  b.verdict.verdict = validation::Verdict::Inconclusive;
  b.verdict.cause = "too few";
  ValidationMethod m;
  m.quantile = 0.75;
  m.confidence = 0.95;
  m.tolerance = 0.1;
  const nlohmann::ordered_json j = validation_json({point("a", 1, 100, 110), b}, m);
  EXPECT_EQ(j["schema"], kValidationSchema);
  EXPECT_DOUBLE_EQ(j["method"]["quantile"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(j["method"]["tolerance"].get<double>(), 0.1);
  EXPECT_TRUE(j["method"]["goal"].is_null());
  const auto& pts = j["points"];
  ASSERT_EQ(pts.size(), 2u);
  std::vector<std::string> keys;
  for (const auto& [k, v] : pts[0].items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"scenario", "threads", "measured", "measured_low", "measured_high",
                                             "predicted", "error", "verdict", "cause", "usable_passes",
                                             "read_bytes_per_s", "passes", "stages"}));
  EXPECT_DOUBLE_EQ(pts[0]["error"].get<double>(), 0.1);
  EXPECT_TRUE(pts[0]["verdict"].is_null());  // not judged
  EXPECT_DOUBLE_EQ(pts[1]["error"].get<double>(), -0.25);
  EXPECT_TRUE(pts[1]["measured_high"].is_null());
  EXPECT_EQ(pts[1]["verdict"], "inconclusive");
  EXPECT_EQ(pts[1]["cause"], "too few");
  EXPECT_EQ(pts[0]["passes"].size(), 5u);
  EXPECT_EQ(pts[0]["usable_passes"], 4);
  EXPECT_FALSE(pts[0]["passes"][4]["usable"].get<bool>());
  for (const char* k : {"seconds", "throughput", "cpu_share", "others_cores", "steal_cores", "sentinel_ratio"}) {
    EXPECT_TRUE(pts[0]["passes"][0].contains(k)) << k;
  }
  EXPECT_DOUBLE_EQ(pts[0]["stages"]["decode"]["measured_ms"].get<double>(), 3.0);
}

// Every stage of either side appears once, with shares of each side's total (4 ms measured, 4 ms predicted); the
// verdict and its cause are on the point's line.
TEST(ValidateReport, TablePrintsVerdictsErrorsAndPerStageShares) {
  ValidationPoint p = point("a", 1, 100, 110);
  p.judged = true;
  p.verdict.verdict = validation::Verdict::Inconclusive;
  p.verdict.cause = "the measurement is too noisy";
  std::ostringstream out;
  print_validation(out, {p});
  const std::string s = out.str();
  EXPECT_NE(s.find("+10.0"), std::string::npos) << s;
  EXPECT_NE(s.find("inconclusive: the measurement is too noisy"), std::string::npos) << s;
  EXPECT_NE(s.find("5 (4)"), std::string::npos) << s;
  EXPECT_NE(s.find("[98, 101]"), std::string::npos) << s;
  EXPECT_NE(s.find("decode               3.000 /     2.000 ms  ( 75.0% /  50.0%)"), std::string::npos) << s;
  EXPECT_NE(s.find("log                  0.000 /     1.000 ms"), std::string::npos) << s;
  EXPECT_NE(s.find("4.000 / 4.000 ms per chunk (reads at 2.50 GB/s)"), std::string::npos) << s;
}

}  // namespace
}  // namespace prepsim::analysis
