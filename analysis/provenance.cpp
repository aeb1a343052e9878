#include "analysis/provenance.h"

#include <unistd.h>

#include <ctime>
#include <fstream>
#include <thread>

#include "build_info.h"
#include "sim/engine_version.h"

namespace prepsim::analysis {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return "unknown";
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "unknown";
  return buf;
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

nlohmann::ordered_json provenance() {
  nlohmann::ordered_json p;
  p["prepsim_version"] = PREPSIM_VERSION;
  p["git_commit"] = PREPSIM_GIT_COMMIT;
  p["build_type"] = PREPSIM_BUILD_TYPE;
  p["compiler"] = PREPSIM_COMPILER;
  p["simgrid_version"] = sim::simgrid_version();
  p["host"] = host_name();
  p["cpu_model"] = cpu_model();
  p["logical_cores"] = std::thread::hardware_concurrency();
  p["date_utc"] = utc_now();
  return p;
}

}  // namespace prepsim::analysis
