#include "models/calibration/fit.h"

#include <Eigen/Dense>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace prepsim::calibration {
namespace {

using Matrix = Eigen::MatrixXd;
using Vector = Eigen::VectorXd;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::size_t kMaxTerms = 16;  // the subset search below is 2^terms

std::string joined(std::span<const CostTerm> signature) {
  std::string s;
  for (CostTerm t : signature) {
    if (!s.empty()) s += ", ";
    s += to_string(t);
  }
  return s;
}

void check_signature(std::span<const CostTerm> signature) {
  if (signature.empty()) throw std::invalid_argument("fit: the cost signature has no terms");
  if (signature.size() > kMaxTerms) throw std::invalid_argument("fit: more than 16 terms in a cost signature");
  for (std::size_t i = 0; i < signature.size(); ++i) {
    for (std::size_t j = i + 1; j < signature.size(); ++j) {
      if (signature[i] == signature[j]) {
        throw std::invalid_argument("fit: term '" + std::string(to_string(signature[i])) +
                                    "' appears twice in the signature (" + joined(signature) + ")");
      }
    }
  }
}

// A(i, k) = term_k(work_i) * weight_i.
Matrix design(std::span<const OpWork> works, std::span<const double> weights, std::span<const CostTerm> signature) {
  Matrix a(static_cast<Eigen::Index>(works.size()), static_cast<Eigen::Index>(signature.size()));
  for (std::size_t i = 0; i < works.size(); ++i) {
    for (std::size_t k = 0; k < signature.size(); ++k) {
      a(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)) =
          term_value(signature[k], works[i]) * weights[i];
    }
  }
  return a;
}

// Scales each column to unit 2-norm in place and returns the norms (0 for an all-zero column, left as is).
Vector scale_columns(Matrix& a) {
  Vector norms(a.cols());
  for (Eigen::Index k = 0; k < a.cols(); ++k) {
    norms(k) = a.col(k).norm();
    if (norms(k) > 0) a.col(k) /= norms(k);
  }
  return norms;
}

double condition_of_scaled(const Matrix& scaled, const Vector& norms) {
  for (Eigen::Index k = 0; k < norms.size(); ++k) {
    if (!(norms(k) > 0) || !std::isfinite(norms(k))) return kInf;
  }
  Eigen::JacobiSVD<Matrix> svd(scaled);
  const Vector& sv = svd.singularValues();  // descending
  double smallest = sv(sv.size() - 1);
  if (!(smallest > 0)) return kInf;
  return sv(0) / smallest;
}

// Exact non-negative least squares min ||A x - b||, x >= 0, by trying every support set (signatures have a
// handful of terms). The optimum is the unconstrained solution on some support whose coefficients are all >= 0;
// larger supports are tried first and kept on ties.
Vector nnls_by_subsets(const Matrix& a, const Vector& b) {
  const std::size_t n = static_cast<std::size_t>(a.cols());
  Vector best = Vector::Zero(a.cols());
  double best_residual = b.squaredNorm();  // the empty support
  for (int size = static_cast<int>(n); size >= 1; --size) {
    for (unsigned mask = 1; mask < (1u << n); ++mask) {
      if (std::popcount(mask) != size) continue;
      std::vector<Eigen::Index> cols;
      for (std::size_t k = 0; k < n; ++k) {
        if (mask & (1u << k)) cols.push_back(static_cast<Eigen::Index>(k));
      }
      Matrix sub(a.rows(), static_cast<Eigen::Index>(cols.size()));
      for (std::size_t j = 0; j < cols.size(); ++j) sub.col(static_cast<Eigen::Index>(j)) = a.col(cols[j]);
      if (sub.norm() == 0) continue;
      Vector s = sub.completeOrthogonalDecomposition().solve(b);
      if ((s.array() < 0).any()) continue;
      double residual = (sub * s - b).squaredNorm();
      if (residual < best_residual * (1 - 1e-12)) {
        best_residual = residual;
        best.setZero();
        for (std::size_t j = 0; j < cols.size(); ++j) best(cols[j]) = s(static_cast<Eigen::Index>(j));
      }
    }
  }
  return best;
}

}  // namespace

double FitResult::predict(const OpWork& work) const {
  double s = 0;
  for (std::size_t k = 0; k < terms.size(); ++k) s += coefficients[k] * term_value(terms[k], work);
  return s;
}

FitResult fit_cost_signature(std::span<const Sample> samples, std::span<const CostTerm> signature) {
  check_signature(signature);
  if (samples.size() < signature.size()) {
    throw std::invalid_argument("fit: " + std::to_string(samples.size()) + " sample(s) cannot determine " +
                                std::to_string(signature.size()) + " coefficients (" + joined(signature) +
                                "); need at least as many samples as terms");
  }
  std::vector<OpWork> works;
  std::vector<double> weights;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    double t = samples[i].seconds;
    if (!std::isfinite(t) || !(t > 0)) {
      throw std::invalid_argument("fit: sample " + std::to_string(i) + " has time " + std::to_string(t) +
                                  " s; times must be finite and > 0");
    }
    works.push_back(samples[i].work);
    weights.push_back(1.0 / t);
  }

  Matrix a = design(works, weights, signature);
  Vector norms = scale_columns(a);
  const Vector b = Vector::Ones(a.rows());  // t_i / t_i

  FitResult r;
  r.terms.assign(signature.begin(), signature.end());
  r.samples = samples.size();
  r.condition_number = condition_of_scaled(a, norms);

  Vector y = nnls_by_subsets(a, b);
  r.coefficients.resize(signature.size());
  for (std::size_t k = 0; k < signature.size(); ++k) {
    double nk = norms(static_cast<Eigen::Index>(k));
    double c = nk > 0 ? y(static_cast<Eigen::Index>(k)) / nk : 0.0;
    r.coefficients[k] = c;
    if (!(c > 0)) r.zero_terms.push_back(signature[k]);
  }

  double mean = 0;
  for (const Sample& s : samples) mean += s.seconds;
  mean /= static_cast<double>(samples.size());
  double ss_res = 0, ss_tot = 0, worst = 0, ss_rel = 0;
  for (const Sample& s : samples) {
    double pred = r.predict(s.work);
    ss_res += (pred - s.seconds) * (pred - s.seconds);
    ss_tot += (s.seconds - mean) * (s.seconds - mean);
    const double rel = std::abs(pred - s.seconds) / s.seconds;
    worst = std::max(worst, rel);
    ss_rel += rel * rel;
  }
  r.r_squared = ss_tot > 0 ? 1.0 - ss_res / ss_tot : (ss_res == 0 ? 1.0 : 0.0);
  r.worst_relative_residual = worst;
  r.rms_relative_residual = std::sqrt(ss_rel / static_cast<double>(samples.size()));
  return r;
}

double design_condition_number(std::span<const OpWork> works, std::span<const double> seconds,
                               std::span<const CostTerm> signature) {
  check_signature(signature);
  if (works.size() < signature.size()) return kInf;
  std::vector<double> weights(works.size(), 1.0);
  if (!seconds.empty()) {
    if (seconds.size() != works.size()) throw std::invalid_argument("fit: works and seconds differ in size");
    for (std::size_t i = 0; i < works.size(); ++i) weights[i] = 1.0 / seconds[i];
  }
  Matrix a = design(works, weights, signature);
  Vector norms = scale_columns(a);
  return condition_of_scaled(a, norms);
}

}  // namespace prepsim::calibration
