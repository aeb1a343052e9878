// libFuzzer target: the unit parser (models/units.h). The first byte picks the dimension, the rest is the text.
// Anything but a finite value within max_magnitude() or a UnitError is a defect.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "models/units.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto dim = static_cast<prepsim::Dim>(data[0] % 11);
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    double v = prepsim::parse_quantity(text, dim);
    if (!std::isfinite(v) || std::fabs(v) > prepsim::max_magnitude(dim)) std::abort();
    (void)prepsim::format_quantity(v, dim);
  } catch (const prepsim::UnitError&) {
  }
  return 0;
}
