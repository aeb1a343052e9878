// Text table and JSON of `prepsim plan`: see plan_output.h. Every figure carries its unit (in the row label or
// the value).
#include "analysis/plan/plan_output.h"

#include <fmt/format.h>

#include <cmath>

#include "models/units.h"

namespace prepsim::analysis {

using nlohmann::json;

namespace {

constexpr double kYear = 365.0 * 86400.0;

// "$1,234,567" (cents below $1,000).
std::string money(double v) {
  if (std::fabs(v) < 1000) return fmt::format("${:.2f}", v);
  std::string digits = fmt::format("{:.0f}", std::fabs(v)), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (v < 0 ? "-$" : "$") + out;
}

std::string below_text(const OptionResult& r) {
  if (!r.met) return "-";
  if (r.below == "simulated") return fmt::format("fails (simulated, seed {})", r.below_seed);
  if (r.below == "dataset capacity") return "cannot hold the dataset";
  return r.below;
}

}  // namespace

json plan_json(const PlanResult& plan) {
  json names = json::array(), options = json::array();
  for (const OptionResult& r : plan.options) {
    names.push_back(r.option.scenario_name);
    const OptionCost& c = r.cost;
    json fleet = json::array(), probes = json::array();
    for (const CostLine& l : c.lines) {
      fleet.push_back({{"role", l.role}, {"sku", l.sku}, {"count", l.count}, {"capex_usd", l.capex_usd},
                       {"avg_power_w", l.avg_power_w}, {"full_load_power_w", l.full_load_power_w}});
    }
    for (const ProbeRecord& p : r.probes) {
      probes.push_back({{"devices", p.n}, {"seed", p.seed}, {"met", p.met},
                        {"throughput_samples_per_s", p.throughput}, {"stall_mean", p.stall}});
    }
    json below = nullptr;
    if (r.met) {
      below = {{"devices", r.devices - 1}, {"fails_by", r.below}};
      if (r.below == "simulated") below["seed"] = r.below_seed;
    }
    options.push_back({{"option", r.option.option},
                       {"scenario", r.option.scenario_name},
                       {"scenario_file", r.option.scenario_file},
                       {"pool", r.option.pool},
                       {"kind", r.option.kind},
                       {"sku", r.option.sku},
                       {"devices", r.devices},
                       {"inventory", r.inventory},
                       {"met", r.met},
                       {"below", below},
                       {"lower_bound_devices", r.lower},
                       {"lower_bound_resource", r.lower_binding},
                       {"capacity_floor_devices", r.option.floor},
                       {"seeds", r.seeds},
                       {"throughput_samples_per_s", c.throughput},
                       {"throughput_per_seed_samples_per_s", r.throughput_per_seed},
                       {"stall_mean", c.stall},
                       {"stall_mean_per_seed", r.stall_per_seed},
                       {"power_avg_w", c.power_avg_w},
                       {"power_peak_w", c.power_peak_w},
                       {"system_peak_power_w", c.system_peak_w},
                       {"lifetime_s", c.lifetime_s},
                       {"capex_usd", c.capex_usd},
                       {"tco_usd", c.tco_usd},
                       {"stall_price_usd", c.stall_price_usd},
                       {"samples_per_usd", c.samples_per_usd},
                       {"hosting_servers", c.hosting_servers},
                       {"fleet", fleet},
                       {"simulations", r.probes.size()},
                       {"probes", probes}});
  }
  return {{"schema", "prepsim-plan/v1"}, {"scenario", names}, {"goal", plan.goal.to_json()},
          {"seeds_per_option", plan.seeds}, {"wall_s", plan.wall_s}, {"options", options}};
}

void print_plan(std::ostream& out, const PlanResult& plan) {
  out << fmt::format("prepsim plan: the fewest devices per option with {} on each of {} seed{}\n\n",
                     plan.goal.describe(), plan.seeds, plan.seeds == 1 ? "" : "s");
  auto row = [&](const std::string& label, auto cell) {
    std::string line = fmt::format("{:<36}", label);
    for (const OptionResult& r : plan.options) line += fmt::format(" {:<28}", cell(r));
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  using R = const OptionResult&;
  row("option", [](R r) { return r.option.option; });
  row("scenario", [](R r) { return r.option.scenario_name; });
  row("pool (hosts listed)", [](R r) { return fmt::format("{} ({})", r.option.pool, r.inventory); });
  row("devices", [](R r) { return fmt::format("{}", r.devices); });
  row("device SKU", [](R r) { return r.option.sku.empty() ? std::string("-") : r.option.sku; });
  row("goal met on every seed", [](R r) { return std::string(r.met ? "yes" : "NO: all hosts listed fall short"); });
  row("devices - 1", [](R r) { return below_text(r); });
  row("lower bound: analytic / capacity", [](R r) {
    return r.lower_binding.empty() ? fmt::format("{} / {}", r.lower, r.option.floor)
                                   : fmt::format("{} ({}) / {}", r.lower, r.lower_binding, r.option.floor);
  });
  row("hosting servers", [](R r) { return fmt::format("{}", r.cost.hosting_servers.size()); });
  row("throughput (samples/s)", [](R r) { return fmt::format("{:.0f}", r.cost.throughput); });
  row("stall, worst job's mean (%)", [](R r) { return fmt::format("{:.3f}", r.cost.stall * 100); });
  row("average power", [](R r) { return format_quantity(r.cost.power_avg_w, Dim::Power); });
  row("peak power (all at full load)", [](R r) { return format_quantity(r.cost.power_peak_w, Dim::Power); });
  row("capex", [](R r) { return money(r.cost.capex_usd); });
  row("lifetime L (catalog)", [](R r) { return fmt::format("{:.3g} y", r.cost.lifetime_s / kYear); });
  row("TCO over L", [](R r) { return money(r.cost.tco_usd); });
  row("price of remaining stalls over L", [](R r) { return money(r.cost.stall_price_usd); });
  row("samples per $ (samples/USD)", [](R r) { return fmt::format("{:.4g}", r.cost.samples_per_usd); });
  row("simulations", [](R r) { return fmt::format("{}", r.probes.size()); });
  out << "\nwhat each option counts (capex, average power, full-load power):\n";
  for (const OptionResult& r : plan.options) {
    out << "  " << r.option.option << ":\n";
    for (const CostLine& l : r.cost.lines) {
      out << fmt::format("    {:>4} x {:<28} {:<26} {:>12} {:>10} {:>10}\n", l.count, l.sku.empty() ? "-" : l.sku,
                         l.role, money(l.capex_usd), format_quantity(l.avg_power_w, Dim::Power),
                         format_quantity(l.full_load_power_w, Dim::Power));
    }
  }
  out << fmt::format("\n{} simulations in {:.1f} s wall (docs/plan.md)\n",
                     [&] {
                       std::size_t n = 0;
                       for (const OptionResult& r : plan.options) n += r.probes.size();
                       return n;
                     }(),
                     plan.wall_s);
}

}  // namespace prepsim::analysis
