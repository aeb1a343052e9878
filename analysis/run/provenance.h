// The provenance block of every JSON result: what produced it (prepsim version, git commit, build, compiler,
// SimGrid version), where (host name, CPU model, core count) and when (UTC date).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace prepsim::analysis {

// Static facts of this build and host; callers add seed, wall time and inputs.
nlohmann::ordered_json provenance();

}  // namespace prepsim::analysis
