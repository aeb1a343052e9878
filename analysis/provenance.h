// The provenance block of every JSON result: what produced it (prepsim version, git commit, build, compiler,
// SimGrid version), where (host name, CPU model, core count) and when (UTC date).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace prepsim::analysis {

// CPU model name from /proc/cpuinfo ("unknown" when unreadable).
std::string cpu_model();
std::string host_name();
// "2026-11-22T04:26:09Z".
std::string utc_now();

// Static facts of this build and host; callers add seed, wall time and inputs.
nlohmann::ordered_json provenance();

}  // namespace prepsim::analysis
