// Asks SimGrid, in a forked child process, about what would make it abort in this one (SimGrid 3.32 xbt_die()s or
// segfaults on a bad --cfg item or a missing route, which no try/catch survives):
//   1. each --cfg item set one by one on a fresh engine, so the item SimGrid dies on is known, with its message;
//   2. an engine made with all of them, as the real run makes it, the platform loaded, the routes the static check
//      (platform_check.h) could not decide looked up, and a one-actor simulation run.
// Runs only when there is something to ask: the items are checked for the item:value form first, without a child.
#pragma once

#include <string>
#include <vector>

#include "sim/platform_check.h"

namespace prepsim::sim {

// Throws InputError naming the --cfg item (file "--cfg"), or the platform and the route, with SimGrid's message.
void probe_simgrid(const std::vector<std::string>& cfg, const std::string& platform,
                   const std::vector<RouteNeed>& routes);

}  // namespace prepsim::sim
