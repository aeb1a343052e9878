// libFuzzer target: the scenario loader (models/scenario.h) and every check a run makes before the engine starts.
// Any input must be read or refused with InputError; seeded with the shipped scenarios (tests/fuzz/run_ci.sh).
#include <cstdint>
#include <string>

#include "models/config/input_error.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    prepsim::Scenario sc = prepsim::load_scenario_text(text, prepsim::fuzz::virtual_scenario_path());
    prepsim::fuzz::check_before_engine(sc);
  } catch (const prepsim::InputError&) {
  }
  return 0;
}
