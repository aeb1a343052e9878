#include "sim/engine_version.h"

#include <xbt/base.h>
#include <simgrid/version.h>

#include <fmt/format.h>

namespace prepsim::sim {

std::string simgrid_version() {
  int major = 0, minor = 0, patch = 0;
  sg_version_get(&major, &minor, &patch);
  return fmt::format("{}.{}.{}", major, minor, patch);
}

}  // namespace prepsim::sim
