// Checks a scenario's SimGrid platform file before SimGrid reads it, with the line of the XML element at fault:
// SimGrid 3.32 aborts (or segfaults) on many platform mistakes and names no line for most. Checked: hosts (speed
// of every pstate positive and finite, cores, pstate), disks and links (bandwidths positive and finite, latency
// finite and not negative), clusters, ids defined twice, links a route names, the wattage strings of the energy
// plugin (wattage_per_state: one idle:one-core:all-cores or idle:busy group of plain numbers per pstate;
// wattage_off; a link's wattage_range idle:busy), prepsim's own host properties (kind, memory sockets), and a
// route between every pair of hosts the scenario moves data between.
//
// Values are read with SimGrid's own unit parser (xbt/parse_units.hpp), so the check agrees with what SimGrid
// will read. Routes are decided here for hosts of one zone (Full: a <route> in either direction unless
// symmetrical="NO"; Floyd and Dijkstra: a path of routes; cluster kinds: always; None: never); pairs across zones
// are returned for the SimGrid probe (cfg_probe.h) to ask SimGrid itself.
#pragma once

#include <string>
#include <vector>

#include "models/config/input_error.h"
#include "models/scenario.h"

namespace prepsim::sim {

// Data moves from host `src` to host `dst`; `why` says which part of the scenario moves it.
struct RouteNeed {
  std::string src, dst, why;
};

// The host pairs a scenario moves data between: read hosts to the first segment's hosts (unless an isp pool reads
// its own flash), each segment's hosts to the next's, the last segment's hosts to every trainer host.
std::vector<RouteNeed> route_needs(const Scenario& scenario);

// What the route check found: needs without a route (each an error ready to throw, naming the zone's line), and
// needs it could not decide (hosts in different zones). The caller throws a missing route only after checking that
// the scenario's hosts exist with the right kinds, the more basic mistake.
struct RouteCheck {
  std::vector<InputError> missing;
  std::vector<RouteNeed> undecided;
};

// Checks the platform in `text` (the contents of `file`). Throws InputError(file, line of the element, key).
RouteCheck check_platform_text(const std::string& text, const std::string& file, const std::vector<RouteNeed>& needs);
// The same on the file (refused as InputError when unreadable or not UTF-8).
RouteCheck check_platform_file(const std::string& path, const std::vector<RouteNeed>& needs);

}  // namespace prepsim::sim
