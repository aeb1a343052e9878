#include "analysis/run/provenance.h"

#include <thread>

#include "build_info.h"
#include "models/host_info.h"
#include "sim/engine_version.h"

namespace prepsim::analysis {

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
