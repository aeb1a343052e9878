// Shared by the libFuzzer targets: where the shipped inputs are, and everything a run reads before the engine
// starts, run on one scenario (the scenario, catalog, cost table, workload and the limits checks).
#pragma once

#include <limits>
#include <map>
#include <string>

#include "models/catalog.h"
#include "models/cpu_costs.h"
#include "models/run_estimate.h"
#include "models/scenario.h"
#include "models/workload.h"

namespace prepsim::fuzz {

// A scenario read from memory is read as if it were this file: its relative paths start in scenarios/examples/.
inline std::string virtual_scenario_path() { return std::string(PREPSIM_SOURCE_DIR) + "/scenarios/examples/fuzz.yaml"; }

// Catalogs by path, read once (reading them is not what is fuzzed, and it is slow next to a scenario).
inline const Catalog& catalog(const std::string& path) {
  static std::map<std::string, Catalog> cache;
  auto it = cache.find(path);
  if (it == cache.end()) it = cache.emplace(path, load_catalog(path)).first;
  return it->second;
}

// Everything a run checks before the engine, on `sc`. Throws InputError.
inline void check_before_engine(const Scenario& sc) {
  const Catalog& cat = catalog(sc.catalog);
  CostTable costs = resolve_cpu_costs(sc, cat);
  Workload wl(sc, costs);
  check_chunk_sizes(sc, wl);
  (void)wl.chunk(0);
  (void)wl.chunk(wl.chunks_per_epoch() - 1);
  (void)estimate_run(sc, 64, 2, std::numeric_limits<double>::infinity());
}

}  // namespace prepsim::fuzz
