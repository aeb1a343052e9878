#include "models/validation/tolerance.h"

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

}  // namespace prepsim::validation
