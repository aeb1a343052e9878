// The SimGrid version prepsim runs on, for provenance blocks.
#pragma once

#include <string>

namespace prepsim::sim {

std::string simgrid_version();

}  // namespace prepsim::sim
