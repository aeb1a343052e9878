// Fitting an op's CPU cost signature to measured kernel timings (the core of `prepsim calibrate`).
//
// An op's cost signature (models/op_registry.h) says its time is linear in a few terms of its work:
// seconds = sum_k c_k * term_k(work). Given timed samples (work, seconds) this fits the c_k by least squares on
// the *relative* error, minimize sum_i ((pred_i - t_i) / t_i)^2, so a 2 us call and a 20 ms call weigh the same.
// Coefficients are constrained to be >= 0 (a cost term cannot save time): the fit is a non-negative least
// squares (Lawson-Hanson active set); a term whose unconstrained coefficient would be negative ends at 0 and is
// listed in `zero_terms`. Quality figures come with the fit so a user can judge it (docs/calibration.md).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "models/op_registry.h"

namespace prepsim::calibration {

// One timed grid point: the work of the call and its measured time in seconds (> 0).
struct Sample {
  OpWork work;
  double seconds = 0;
};

// FitResult
//
// `coefficients[k]` is seconds per unit of `terms[k]`, all >= 0.
// `r_squared` is computed on the original (seconds) scale: 1 - sum (pred - t)^2 / sum (t - mean t)^2.
// `worst_relative_residual` is max_i |pred_i - t_i| / t_i; `rms_relative_residual` is sqrt(mean_i of its square),
// the typical error of a prediction on the grid.
// `condition_number` is sigma_max / sigma_min of the design matrix after row weighting by 1/t and scaling each
// column to unit norm (so units do not matter); +infinity when a term never varies or terms are collinear.
// `zero_terms` lists the terms the non-negativity constraint pinned at 0 (or that were all zero on the grid).
struct FitResult {
  std::vector<CostTerm> terms;
  std::vector<double> coefficients;
  double r_squared = 0;
  double worst_relative_residual = 0;
  double rms_relative_residual = 0;
  double condition_number = 0;
  std::size_t samples = 0;
  std::vector<CostTerm> zero_terms;

  // Predicted seconds for `work` with the fitted coefficients.
  double predict(const OpWork& work) const;
};

// fit_cost_signature()
//
// Throws std::invalid_argument when the signature is empty, has a repeated term, when there are fewer samples
// than terms, or when a sample's time is not finite and > 0.
FitResult fit_cost_signature(std::span<const Sample> samples, std::span<const CostTerm> signature);

// The condition number alone (same definition as FitResult::condition_number), for checking a grid design
// before timing it. Uses unit weights when `seconds` is empty.
double design_condition_number(std::span<const OpWork> works, std::span<const double> seconds,
                               std::span<const CostTerm> signature);

}  // namespace prepsim::calibration
