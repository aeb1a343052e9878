// The validation gate's decision, point by point and for the whole suite (docs/validation.md, "The verdict").
//
// A point compares a prediction P (simulated samples/s, one number) with a measured interval [low, high] of the
// host's undisturbed throughput (estimate.h). Its error is (P - m) / m; the tolerance t accepts every m in
// [P / (1 + t), P / (1 - t)], the band. Then, equivalence-test style:
//   pass          the whole interval lies inside the band: every throughput the measurement allows is within t;
//   fail          the interval lies wholly outside the band: the error exceeds t with the interval's confidence;
//   inconclusive  the interval straddles an edge of the band (the error is near t, or the measurement too
//                 noisy), or too few passes were usable to bound it. Its cause is named.
//
// The suite (gate): it fails on any fail. It passes only when enough was checked: at least one verdict (pass or
// fail) per scenario and at least half of all points. Otherwise it is "not checked" — neither a pass (nothing
// proves the model) nor a model failure (a busy machine is not the model's fault); the caller retries
// inconclusive points within its time budget first.
#pragma once

#include <string>
#include <vector>

#include "models/validation/estimate.h"

namespace prepsim::validation {

enum class Verdict { Pass, Fail, Inconclusive };
const char* to_string(Verdict v);

struct PointVerdict {
  Verdict verdict = Verdict::Inconclusive;
  std::string cause;  // for inconclusive: why (empty otherwise)
  double band_low = 0, band_high = 0;  // the band of measured throughputs the tolerance accepts
};

// The verdict for prediction `predicted` against `measured` (an interval of throughput, samples/s), given how
// many passes were usable and how many were timed at all.
PointVerdict judge_point(double predicted, const QuantileInterval& measured, double tolerance, int usable_passes,
                         int timed_passes);

struct SuiteVerdict {
  enum class Outcome { Pass, Fail, NotChecked } outcome = Outcome::NotChecked;
  int passed = 0, failed = 0, inconclusive = 0;
  std::string reason;  // one line: what decided it
};

struct JudgedPoint {
  std::string scenario;
  Verdict verdict = Verdict::Inconclusive;
};

// The gate over all points: fail on any fail; pass when every scenario has a verdict and at least half the
// points do; not checked otherwise.
SuiteVerdict judge_suite(const std::vector<JudgedPoint>& points);

}  // namespace prepsim::validation
