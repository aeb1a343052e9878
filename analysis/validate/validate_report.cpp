#include "analysis/validate/validate_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace prepsim::analysis {

namespace {

double total(const std::map<std::string, double>& parts) {
  double t = 0;
  for (const auto& [k, v] : parts) t += v;
  return t;
}

double get(const std::map<std::string, double>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? 0.0 : it->second;
}

nlohmann::ordered_json finite_or_null(double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nullptr; }

std::string interval_text(const validation::QuantileInterval& m) {
  if (m.n == 0) return "-";
  const std::string hi = std::isfinite(m.high) ? fmt::format("{:.0f}", m.high) : "inf";
  return fmt::format("[{:.0f}, {}]", std::isfinite(m.low) ? m.low : 0.0, hi);
}

}  // namespace

int ValidationPoint::usable() const {
  return static_cast<int>(std::count_if(passes.begin(), passes.end(), [](const auto& p) { return p.usable; }));
}

double ValidationPoint::error() const {
  return measured.n > 0 && measured.estimate > 0 ? (predicted - measured.estimate) / measured.estimate : NAN;
}

nlohmann::ordered_json validation_json(const std::vector<ValidationPoint>& points, const ValidationMethod& m) {
  nlohmann::ordered_json method = {{"estimator", fmt::format("{} quantile of the usable passes' throughput", m.quantile)},
                                   {"quantile", m.quantile},
                                   {"confidence", m.confidence},
                                   {"calibration", m.calibration},
                                   {"calibrated_here_interleaved", m.calibrated_here}};
  method["tolerance"] = m.tolerance ? nlohmann::ordered_json(*m.tolerance) : nullptr;
  method["goal"] = m.goal ? nlohmann::ordered_json(*m.goal) : nullptr;
  method["perturb"] = m.perturb.empty() ? nullptr : nlohmann::ordered_json(m.perturb);
  method["planted"] = m.planted.empty() ? nullptr : nlohmann::ordered_json(m.planted);
  method["gate"] = m.outcome.empty() ? nullptr : nlohmann::ordered_json(m.outcome);
  method["gate_reason"] = m.outcome_reason.empty() ? nullptr : nlohmann::ordered_json(m.outcome_reason);
  method["planted_check"] = m.planted_outcome.empty() ? nullptr : nlohmann::ordered_json(m.planted_outcome);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ValidationPoint& p : points) {
    nlohmann::ordered_json j = {{"scenario", p.scenario}, {"threads", p.threads}};
    j["measured"] = p.measured.n > 0 ? nlohmann::ordered_json(p.measured.estimate) : nullptr;
    j["measured_low"] = p.measured.n > 0 ? finite_or_null(p.measured.low) : nullptr;
    j["measured_high"] = p.measured.n > 0 ? finite_or_null(p.measured.high) : nullptr;
    j["predicted"] = p.predicted;
    j["error"] = finite_or_null(p.error());
    j["verdict"] = p.judged ? nlohmann::ordered_json(to_string(p.verdict.verdict)) : nullptr;
    j["cause"] = p.verdict.cause.empty() ? nullptr : nlohmann::ordered_json(p.verdict.cause);
    if (p.planted_predicted) {
      j["planted_predicted"] = *p.planted_predicted;
      j["planted_verdict"] = p.judged ? nlohmann::ordered_json(to_string(p.planted_verdict.verdict)) : nullptr;
    }
    j["usable_passes"] = p.usable();
    j["read_bytes_per_s"] = p.read_bps;
    nlohmann::ordered_json passes = nlohmann::ordered_json::array();
    for (const validation::PassRecord& r : p.passes) {
      nlohmann::ordered_json stages = nlohmann::ordered_json::object();
      for (const auto& [stage, sec] : r.stage_seconds) stages[stage] = sec;
      passes.push_back({{"seconds", r.seconds}, {"throughput", r.throughput}, {"usable", r.usable},
                        {"cpu_share", r.cpu_share}, {"others_cores", r.others_cores}, {"steal_cores", r.steal_cores},
                        {"sentinel_ratio", r.sentinel_ratio}, {"stage_thread_seconds", std::move(stages)}});
    }
    j["passes"] = std::move(passes);
    nlohmann::ordered_json stages = nlohmann::ordered_json::object();
    for (const auto& [stage, ms] : p.measured_ms) {
      stages[stage] = {{"measured_ms", ms}, {"predicted_ms", get(p.predicted_ms, stage)}};
    }
    j["stages"] = std::move(stages);
    list.push_back(std::move(j));
  }
  return {{"schema", kValidationSchema}, {"method", std::move(method)}, {"points", std::move(list)}};
}

void print_validation(std::ostream& out, const std::vector<ValidationPoint>& points) {
  out << fmt::format("{:<20} {:>7} {:>12} {:>22} {:>23} {:>9}  {}\n", "scenario", "threads", "passes(usable)",
                     "measured_samples_per_s", "predicted_samples_per_s", "error_%", "verdict");
  for (const ValidationPoint& p : points) {
    std::string verdict = p.judged ? to_string(p.verdict.verdict) : "-";
    if (p.judged && !p.verdict.cause.empty()) verdict += ": " + p.verdict.cause;
    if (p.planted_predicted && p.judged) {
      verdict += fmt::format("; planted error {}", to_string(p.planted_verdict.verdict));
    }
    out << fmt::format("{:<20} {:>7} {:>14} {:>22} {:>23.0f} {:>+9.1f}  {}\n", p.scenario, p.threads,
                       fmt::format("{} ({})", p.passes.size(), p.usable()),
                       p.measured.n > 0 ? fmt::format("{:.0f}", p.measured.estimate) : "-", p.predicted,
                       100 * p.error(), verdict);
    out << fmt::format("{:<20} {:>7} {:>14} {:>22}\n", "", "", "interval", interval_text(p.measured));
  }
  out << "\nwhere the time went, per stage: thread-milliseconds per chunk, measured / predicted (share of the "
         "chunk's total)\n";
  for (const ValidationPoint& p : points) {
    const double tm = total(p.measured_ms), tp = total(p.predicted_ms);
    out << fmt::format("{} at {} thread{}: {:.3f} / {:.3f} ms per chunk (reads at {:.2f} GB/s)\n", p.scenario,
                       p.threads, p.threads == 1 ? "" : "s", tm, tp, p.read_bps / 1e9);
    std::set<std::string> stages;
    for (const auto& [k, v] : p.measured_ms) stages.insert(k);
    for (const auto& [k, v] : p.predicted_ms) stages.insert(k);
    for (const std::string& stage : stages) {
      const double ms = get(p.measured_ms, stage), q = get(p.predicted_ms, stage);
      out << fmt::format("  {:<16} {:>9.3f} / {:>9.3f} ms  ({:>5.1f}% / {:>5.1f}%)  {:>+7.1f}%\n", stage, ms, q,
                         tm > 0 ? 100 * ms / tm : 0.0, tp > 0 ? 100 * q / tp : 0.0,
                         ms > 0 ? 100 * (q - ms) / ms : 0.0);
    }
  }
}

}  // namespace prepsim::analysis
