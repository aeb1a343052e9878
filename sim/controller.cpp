// The controller, which opens and closes the measurement window and ends the run, and the power sampler.
#include <simgrid/plugins/energy.h>

#include <algorithm>
#include <map>

#include "sim/state.h"

namespace prepsim::sim {
namespace {
// Energy of every host so far (J), optionally recorded per host.
double total_energy(std::map<const sg4::Host*, double>* hosts) {
  double sum = 0;
  for (sg4::Host* h : sg4::Engine::get_instance()->get_all_hosts()) {
    double e = sg_host_get_consumed_energy(h);
    if (hosts != nullptr) (*hosts)[h] = e;
    sum += e;
  }
  return sum;
}
}  // namespace

void controller_actor(State* st) {
  Accounting& acc = st->accounting;
  sg4::this_actor::sleep_until(acc.window.begin);
  total_energy(&acc.host_energy_begin);
  acc.in_pipeline_at_start = acc.claimed - acc.stepped;
  sg4::this_actor::sleep_until(acc.window.end);
  total_energy(&acc.host_energy_end);
  // The run ends here, whatever its load: every other actor goes, daemon or not (a non-daemon actor left alive,
  // e.g. one created per read, would otherwise keep the clock running past the window).
  sg4::Actor::kill_all();
  acc.ended_at = sg4::Engine::get_clock();
}

void power_sampler_actor(State* st, double period) {
  Accounting& acc = st->accounting;
  sg4::this_actor::sleep_until(acc.window.begin);
  double prev = total_energy(nullptr);
  while (sg4::Engine::get_clock() + period <= acc.window.end + 1e-12) {
    sg4::this_actor::sleep_for(period);
    double now = total_energy(nullptr);
    acc.peak_power_w = std::max(acc.peak_power_w, (now - prev) / period);
    prev = now;
  }
}

}  // namespace prepsim::sim
