// The platform's routes between hosts, asked of SimGrid once per pair, and a transfer's time on an idle route.
#pragma once

#include <simgrid/s4u.hpp>

#include <map>
#include <utility>
#include <vector>

namespace prepsim::sim {

class Routes {
 public:
  const std::vector<simgrid::s4u::Link*>& between(const simgrid::s4u::Host* src, const simgrid::s4u::Host* dst);
  // Latency plus bytes over the narrowest link of the route: the transfer time on an idle route.
  double nominal_transfer_s(const simgrid::s4u::Host* src, const simgrid::s4u::Host* dst, double bytes);

 private:
  std::map<std::pair<const simgrid::s4u::Host*, const simgrid::s4u::Host*>, std::vector<simgrid::s4u::Link*>>
      cache_;
};

}  // namespace prepsim::sim
