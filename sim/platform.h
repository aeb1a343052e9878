// Loading a scenario's SimGrid platform: engine configuration (network model, energy plugins), the catalog
// power of hosts whose XML has no wattage (attached as each host is created, since SimGrid 3.32's energy
// plugin reads it then), the one-source-per-number check, and the check that every host the scenario names
// exists with the right kind.
#pragma once

#include <simgrid/s4u.hpp>

#include <string>
#include <vector>

#include "models/catalog.h"
#include "models/scenario.h"

namespace prepsim::sim {

// The engine's command line: CM02 without cross-traffic (a transfer takes latency + bytes / bandwidth, as the
// analytic bound assumes) unless `cfg` says otherwise; `cfg` items are "item:value". Sanitized builds add thread
// contexts, which ASan can follow.
std::vector<std::string> engine_arguments(const std::vector<std::string>& cfg);

// Loads the XML. Throws InputError on a parse error, a host without power in both XML and catalog, a value
// given in both, an unknown SKU, or a scenario host that is missing or of the wrong kind.
void load_platform(simgrid::s4u::Engine& engine, const Scenario& scenario, const Catalog& catalog);

}  // namespace prepsim::sim
