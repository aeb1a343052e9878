#include <fmt/format.h>

#include "analysis/run/reporter.h"
#include "models/units.h"

namespace prepsim::analysis {
namespace {

std::string pct(double x) { return fmt::format("{:.2f}%", 100.0 * x); }
std::string rate(double x) { return fmt::format("{:.0f}", x); }

class ConsoleReporter : public Reporter {
 public:
  explicit ConsoleReporter(std::ostream& out) : out_(out) {}

  void report(const RunOutcome& o) override {
    const Scenario& sc = *o.scenario;
    const Metrics& m = *o.metrics;
    auto line = [&](const std::string& s) { out_ << s << "\n"; };
    line(fmt::format("scenario  {}: {}", sc.name, sc.description));
    line(fmt::format("window    {} s measured after {} s of warm-up, seed {}", m.window_s, o.record->warmup_s,
                     sc.seed));
    line(fmt::format("cpu costs {}: {}", sc.cpu_costs, o.cpu_costs));
    line("");
    line(fmt::format("throughput      {:>14} samples/s", rate(m.throughput)));
    line(fmt::format("trainer demand  {:>14} samples/s", rate(m.demand)));
    line(fmt::format("analytic bound  {:>14} samples/s  (bound by {})", rate(m.bound.samples_per_s),
                     m.bound.bottleneck));
    line(fmt::format("bottleneck      {} at {} utilization", m.bottleneck, pct(m.bottleneck_utilization)));
    line("");
    line(fmt::format("{:<16} {:>8} {:>22} {:>24} {:>13} {:>12} {:>13}", "job", "replicas", "demand_samples_per_s",
                     "throughput_samples_per_s", "stall_mean_%", "stall_max_%", "step_stall_%"));
    for (const JobMetrics& j : m.jobs) {
      line(fmt::format("{:<16} {:>8} {:>22} {:>24} {:>13.2f} {:>12.2f} {:>13.2f}", j.name, j.replicas, rate(j.demand),
                       rate(j.throughput), 100 * j.stall_mean, 100 * j.stall_max, 100 * j.step_stall));
    }
    for (const JobMetrics& j : m.jobs) {
      if (j.stall_mean <= 0) continue;
      line(fmt::format("stall of {} attributed to (share of the window):", j.name));
      for (const auto& [stage, f] : j.attribution) {
        if (f >= 5e-5) line(fmt::format("  {:<36} {:>8}", stage, pct(f)));  // shown from 0.01%
      }
    }
    line("");
    line("utilization of the busiest resources:");
    std::vector<const ResourceUse*> sorted;
    for (const ResourceUse& r : m.resources) sorted.push_back(&r);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const ResourceUse* a, const ResourceUse* b) { return a->utilization > b->utilization; });
    for (std::size_t i = 0; i < sorted.size() && i < 6; ++i) {
      line(fmt::format("  {:<36} {:<8} {:>8}", sorted[i]->name, sorted[i]->scope, pct(sorted[i]->utilization)));
    }
    line("");
    line(fmt::format("{:<8} {:>12} {:>13} {:>12} {:>14} {:>15} {:>17}", "scope", "energy_kJ", "avg_power_W",
                     "tco_usd", "rental_usd", "samples_per_J", "samples_per_usd"));
    for (auto [name, t] : {std::pair{"fleet", &m.fleet}, std::pair{"system", &m.system}}) {
      line(fmt::format("{:<8} {:>12.3f} {:>13.1f} {:>12.4f} {:>14.4f} {:>15.1f} {:>17.0f}", name, t->energy_j / 1e3,
                       t->avg_power_w, t->tco_usd, t->rental_usd, t->samples_per_j, t->samples_per_usd));
    }
    line(fmt::format("peak power      {:.1f} W (system)", m.peak_power_w));
    line(fmt::format("price of stalls {:.4f} USD and {:.1f} J over the window ({:.3f} stalled accelerator-s)",
                     m.stall_price_usd, m.stall_energy_j, m.stalled_accel_s));
    line(fmt::format("chunk latency   unloaded {:.3f} ms; under load p50 {:.3f} ms, p99 {:.3f} ms",
                     1e3 * m.latency_unloaded_s, 1e3 * m.latency_p50_s, 1e3 * m.latency_p99_s));
  }

 private:
  std::ostream& out_;
};

}  // namespace

std::unique_ptr<Reporter> console_reporter(std::ostream& out) { return std::make_unique<ConsoleReporter>(out); }

}  // namespace prepsim::analysis
