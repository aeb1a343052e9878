#include "analysis/validate_report.h"

#include <fmt/format.h>

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

}  // namespace

nlohmann::ordered_json validation_json(const std::vector<ValidationPoint>& points) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ValidationPoint& p : points) {
    list.push_back({{"scenario", p.scenario}, {"threads", p.threads}, {"measured", p.measured},
                    {"predicted", p.predicted}, {"error", p.error()}});
  }
  return list;
}

void print_validation(std::ostream& out, const std::vector<ValidationPoint>& points) {
  out << fmt::format("{:<20} {:>7} {:>22} {:>8} {:>14} {:>23} {:>8}\n", "scenario", "threads",
                     "measured_samples_per_s", "spread_%", "passes(discard)", "predicted_samples_per_s", "error_%");
  for (const ValidationPoint& p : points) {
    out << fmt::format("{:<20} {:>7} {:>22.0f} {:>8.1f} {:>14} {:>23.0f} {:>+8.1f}{}\n", p.scenario, p.threads,
                       p.measured, 100 * p.spread, fmt::format("{} ({})", p.passes, p.disturbed), p.predicted,
                       100 * p.error(), p.clean ? "" : "  (disturbed)");
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
      const double m = get(p.measured_ms, stage), q = get(p.predicted_ms, stage);
      out << fmt::format("  {:<16} {:>9.3f} / {:>9.3f} ms  ({:>5.1f}% / {:>5.1f}%)  {:>+7.1f}%\n", stage, m, q,
                         tm > 0 ? 100 * m / tm : 0.0, tp > 0 ? 100 * q / tp : 0.0,
                         m > 0 ? 100 * (q - m) / m : 0.0);
    }
  }
}

}  // namespace prepsim::analysis
