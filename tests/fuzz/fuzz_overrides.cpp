// libFuzzer target: `--set key.path=value` overrides (models/config/overrides.h) on the shipped default scenario,
// then every check a run makes before the engine. Each input line is one --set.
#include <cstdint>
#include <sstream>
#include <string>

#include "models/config/input_error.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  prepsim::LoadOptions o;
  for (std::string line; std::getline(in, line) && o.overrides.size() < 16;) o.overrides.push_back(line);
  try {
    prepsim::Scenario sc =
        prepsim::load_scenario(std::string(PREPSIM_SOURCE_DIR) + "/scenarios/examples/default.yaml", o);
    prepsim::fuzz::check_before_engine(sc);
  } catch (const prepsim::InputError&) {
  }
  return 0;
}
