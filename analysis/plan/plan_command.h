// `prepsim plan SCENARIO... [--pool NAME] [--goal no-stall|throughput] [--max-stall P] [--throughput X]
// [--options LIST] [--seeds N] [-j N] [--json] [-o DIR]`: for each placement option (one scenario each), the
// fewest hosts of its sized pool that meet the goal, found by a search pruned by the analytic bound and
// confirmed by simulation over several seeds, and what that fleet costs over the catalog lifetime
// (docs/plan.md). Every simulation runs in a child `prepsim run` (SimGrid's engine is process-wide).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace prepsim::analysis {

int run_plan_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace prepsim::analysis
