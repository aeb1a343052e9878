// Accounting (accounting.h): transfers and computations clipped to the window.
#include "sim/accounting.h"

namespace prepsim::sim {

void Accounting::transfer(const std::vector<simgrid::s4u::Link*>& route, double bytes, double t0, double t1) {
  double share = t1 > t0 ? window.overlap(t0, t1) / (t1 - t0) : (t0 >= window.begin && t0 < window.end ? 1 : 0);
  if (share <= 0) return;
  for (const simgrid::s4u::Link* l : route) link_bytes[l] += bytes * share;
}

void Accounting::exec(const simgrid::s4u::Host* host, double flops, double t0, double t1) {
  double share = t1 > t0 ? window.overlap(t0, t1) / (t1 - t0) : 0.0;
  host_busy_flops[host] += flops * share;
}

}  // namespace prepsim::sim
