// libFuzzer target: the platform check (sim/platform_check.h) a run makes before SimGrid reads the XML: the XML
// scanner, SimGrid's unit parser on every value, the wattage strings, the route search. Any input must pass or be
// refused with InputError. Seeded with the shipped platforms.
#include <cstdint>
#include <string>

#include "models/config/input_error.h"
#include "sim/platform_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  static const std::vector<prepsim::sim::RouteNeed> needs = {
      {"storage-0", "cpu-0", "read"}, {"cpu-0", "gpu-0", "train"}, {"cpu-1", "gpu-0", "train"}};
  try {
    (void)prepsim::sim::check_platform_text(text, "fuzz.xml", needs);
  } catch (const prepsim::InputError&) {
  }
  return 0;
}
