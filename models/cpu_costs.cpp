#include "models/cpu_costs.h"

#include <fmt/format.h>

#include <filesystem>

#include "models/calibration/calibration_file.h"
#include "models/config/input_error.h"

namespace prepsim {

namespace {

[[noreturn]] void fail(const Scenario& sc, const std::string& message) {
  const config::Node* n = sc.resolved.find("cpu_costs");
  bool located = n != nullptr && n->line > 0;
  throw InputError(located ? n->file : sc.file, located ? n->line : 0, "cpu_costs", message);
}

const CostTable& catalog_table(const Scenario& sc, const Catalog& cat, const std::string& name) {
  auto it = cat.cpu_costs.find(name);
  if (it == cat.cpu_costs.end()) {
    std::vector<std::string> names;
    for (const auto& [k, v] : cat.cpu_costs) names.push_back(k);
    fail(sc, fmt::format("the catalog has no cpu cost table '{}'; valid: host, {}", name, fmt::join(names, ", ")));
  }
  return it->second;
}

}  // namespace

CostTable apply_software(const CostTable& table, const CpuSoftware& software) {
  if (software.name.empty()) return table;
  CostTable out = table;
  out.source += fmt::format("; scaled for {} ({})", software.name, software.source);
  for (auto& [op, c] : out.ops) {
    auto it = software.efficiency.find(op);
    if (it == software.efficiency.end()) continue;
    for (auto& term : c.terms) term.second /= it->second;
  }
  return out;
}

CostTable resolve_cpu_costs(const Scenario& sc, const Catalog& cat) {
  CostTable table;
  if (sc.cpu_costs == "host") {
    if (std::filesystem::exists(kHostCalibrationPath)) {
      try {
        table = calibration::to_cost_table(calibration::read_calibration_file(kHostCalibrationPath),
                                           kHostCalibrationPath);
      } catch (const std::runtime_error& e) {
        fail(sc, fmt::format("this host's calibration cannot be used: {} (rerun `prepsim calibrate`)", e.what()));
      }
    } else {
      if (cat.cpu_costs.count("reference") == 0) {
        fail(sc, fmt::format("cpu_costs: host needs this machine's calibration ({}: run `prepsim calibrate`) or a "
                             "'reference' table in the catalog {}, which has neither",
                             kHostCalibrationPath, cat.file));
      }
      table = catalog_table(sc, cat, "reference");
      table.source = fmt::format("no {} here, so the catalog's reference: {}", kHostCalibrationPath, table.source);
    }
  } else {
    table = catalog_table(sc, cat, sc.cpu_costs);
  }
  return apply_software(table, sc.cpu_software);
}

}  // namespace prepsim
