// Routes (routes.h).
#include "sim/routes.h"

#include <algorithm>
#include <limits>

namespace prepsim::sim {

namespace sg4 = simgrid::s4u;

const std::vector<sg4::Link*>& Routes::between(const sg4::Host* src, const sg4::Host* dst) {
  auto key = std::make_pair(src, dst);
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  std::vector<sg4::Link*> links;
  double latency = 0;
  src->route_to(dst, links, &latency);
  return cache_.emplace(key, std::move(links)).first->second;
}

double Routes::nominal_transfer_s(const sg4::Host* src, const sg4::Host* dst, double bytes) {
  double latency = 0, bandwidth = std::numeric_limits<double>::infinity();
  for (const sg4::Link* l : between(src, dst)) {
    latency += l->get_latency();
    bandwidth = std::min(bandwidth, l->get_bandwidth());
  }
  return latency + bytes / bandwidth;
}

}  // namespace prepsim::sim
