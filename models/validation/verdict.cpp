#include "models/validation/verdict.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <map>

namespace prepsim::validation {

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::Pass: return "pass";
    case Verdict::Fail: return "fail";
    case Verdict::Inconclusive: return "inconclusive";
  }
  return "?";
}

PointVerdict judge_point(double predicted, const QuantileInterval& measured, double tolerance, int usable_passes,
                         int timed_passes) {
  PointVerdict v;
  v.band_low = predicted / (1 + tolerance);
  v.band_high = predicted / (1 - tolerance);
  if (!(predicted > 0) || !std::isfinite(predicted)) {
    v.cause = "no valid prediction";
    return v;
  }
  if (measured.n == 0) {
    v.cause = fmt::format("no usable pass: in all {} timed passes a worker lost its core or the host was in its "
                          "slow state (validation.json has each pass's evidence)",
                          timed_passes);
    return v;
  }
  if (measured.high < v.band_low || measured.low > v.band_high) {
    v.verdict = Verdict::Fail;
    return v;
  }
  if (!measured.bounded()) {
    v.cause = fmt::format("{} usable passes of {} timed are too few to bound the interval{}", usable_passes,
                          timed_passes,
                          usable_passes < timed_passes ? " (in the others a worker lost its core or the host was slow)"
                                                       : "");
    return v;
  }
  if (measured.low >= v.band_low && measured.high <= v.band_high) {
    v.verdict = Verdict::Pass;
    return v;
  }
  const double width = (measured.high - measured.low) / measured.estimate;
  const double band = (v.band_high - v.band_low) / predicted;
  v.cause = width > band / 2
                ? fmt::format("the measurement is too noisy to decide: its interval spans {:.1f}% of the estimate",
                              100 * width)
                : fmt::format("the error is at the tolerance's edge: the interval [{:.0f}, {:.0f}] straddles the "
                              "band [{:.0f}, {:.0f}]",
                              measured.low, measured.high, v.band_low, v.band_high);
  return v;
}

SuiteVerdict judge_suite(const std::vector<JudgedPoint>& points) {
  SuiteVerdict s;
  std::map<std::string, int> decided;  // scenario -> points with a verdict
  for (const JudgedPoint& p : points) {
    decided.try_emplace(p.scenario, 0);
    switch (p.verdict) {
      case Verdict::Pass: ++s.passed; ++decided[p.scenario]; break;
      case Verdict::Fail: ++s.failed; ++decided[p.scenario]; break;
      case Verdict::Inconclusive: ++s.inconclusive; break;
    }
  }
  const int total = static_cast<int>(points.size());
  if (s.failed > 0) {
    s.outcome = SuiteVerdict::Outcome::Fail;
    s.reason = fmt::format("{} of {} points fail", s.failed, total);
    return s;
  }
  std::vector<std::string> unchecked;
  for (const auto& [scenario, n] : decided) {
    if (n == 0) unchecked.push_back(scenario);
  }
  if (total == 0 || !unchecked.empty() || 2 * (s.passed) < total) {
    s.outcome = SuiteVerdict::Outcome::NotChecked;
    s.reason = total == 0 ? "no points"
               : !unchecked.empty()
                   ? fmt::format("no verdict for {}{}", fmt::join(unchecked, ", "),
                                 fmt::format(" ({} of {} points decided)", s.passed, total))
                   : fmt::format("only {} of {} points decided (at least half must be)", s.passed, total);
    return s;
  }
  s.outcome = SuiteVerdict::Outcome::Pass;
  s.reason = fmt::format("{} of {} points pass, {} inconclusive, none fails", s.passed, total, s.inconclusive);
  return s;
}

}  // namespace prepsim::validation
