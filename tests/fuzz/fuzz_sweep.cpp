// libFuzzer target: the sweep file reader (models/sweep/sweep_spec.h): parsed as if it were
// scenarios/sweeps/fuzz.yaml, expanded when small, and its keys checked against the base scenario as prepsim sweep
// does before any point runs.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "models/config/input_error.h"
#include "models/config/overrides.h"
#include "models/limits.h"
#include "models/scenario.h"
#include "models/sweep/sweep_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string path = std::string(PREPSIM_SOURCE_DIR) + "/scenarios/sweeps/fuzz.yaml";
  try {
    prepsim::sweep::SweepSpec spec = prepsim::sweep::parse_sweep(prepsim::config::load_yaml_string(text, path), path);
    if (spec.points > prepsim::limits::kMaxSweepPoints) std::abort();  // parse_sweep refuses these
    if (spec.points <= 10000 && static_cast<double>(prepsim::sweep::expand(spec).size()) != spec.points) std::abort();
    if (spec.keys.size() != spec.key_lines.size() || spec.fixed.size() != spec.fixed_lines.size()) std::abort();
    prepsim::config::Node base = prepsim::load_scenario(spec.base).resolved;
    for (std::size_t i = 0; i < spec.keys.size(); ++i) {
      prepsim::config::check_override_key(base, spec.keys[i], path, spec.key_lines[i]);
    }
  } catch (const prepsim::InputError&) {
  }
  return 0;
}
