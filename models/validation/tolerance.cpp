#include "models/validation/tolerance.h"

#include <fmt/format.h>

#include <cmath>

#include "models/config/map_reader.h"
#include "models/config/yaml_doc.h"

namespace prepsim::validation {

Tolerance read_tolerance_file(const std::string& path) {
  config::Node tree = config::load_yaml_file(path);
  config::MapReader r(tree, "");
  r.expect_schema("prepsim-validation-tolerance/v1");
  Tolerance t;
  t.file = path;
  t.tolerance = r.quantity("tolerance", Dim::Ratio, std::nullopt, config::Range::positive_below(1.0));
  if (r.has("goal")) t.goal = r.quantity("goal", Dim::Ratio, std::nullopt, config::Range::positive_below(1.0));
  r.finish();
  return t;
}

std::vector<std::string> gate_failures(const std::vector<GatePoint>& points, const Tolerance& tolerance) {
  std::vector<std::string> out;
  for (const GatePoint& p : points) {
    const std::string name = fmt::format("{} at {} thread{}", p.scenario, p.threads, p.threads == 1 ? "" : "s");
    if (!p.clean) {
      out.push_back(fmt::format("{}: not measured cleanly (other work kept taking the cores); rerun on a quiet "
                                "machine",
                                name));
    } else if (!(p.measured > 0) || !std::isfinite(p.predicted)) {
      out.push_back(fmt::format("{}: no valid measurement or prediction", name));
    } else if (!(std::fabs(p.error()) <= tolerance.tolerance)) {
      out.push_back(fmt::format("{}: error {:+.1f}% is outside +-{:.0f}% (predicted {:.0f}, measured {:.0f} "
                                "samples/s)",
                                name, 100 * p.error(), 100 * tolerance.tolerance, p.predicted, p.measured));
    }
  }
  return out;
}

}  // namespace prepsim::validation
