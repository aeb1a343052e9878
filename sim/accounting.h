// What a run measures: the window [warmup, warmup + duration] and the counters the actors fill, each clipped to
// it; engine.cpp turns them into the RunRecord.
#pragma once

#include <simgrid/s4u.hpp>

#include <map>
#include <vector>

namespace prepsim::sim {

struct Window {
  double begin = 0, end = 0;
  // Length of [a, b] inside the window.
  double overlap(double a, double b) const {
    double lo = a > begin ? a : begin, hi = b < end ? b : end;
    return hi > lo ? hi - lo : 0.0;
  }
};

struct Accounting {
  Window window;

  std::map<const simgrid::s4u::Host*, double> host_busy_flops;
  std::map<const simgrid::s4u::Link*, double> link_bytes;
  double worker_busy_s = 0;  // summed over workers: reading, receiving or computing a chunk, in the window
  std::vector<double> latencies;  // per chunk arriving in the window: its service time through the pipeline
  double produced = 0, consumed = 0;  // samples sent to trainers, and taken by them
  // Samples claimed by first-segment workers, and samples whose training step ended, whole run; their difference
  // when the window opens is RunRecord::samples_in_pipeline_at_start.
  double claimed = 0, stepped = 0, in_pipeline_at_start = 0;
  double ended_at = 0;  // the clock when the controller ended every actor (the run's end)
  double activities = 0;

  // Energy snapshots (J) at the window's begin and end, and the sampled peak power.
  std::map<const simgrid::s4u::Host*, double> host_energy_begin, host_energy_end;
  double peak_power_w = 0;
  double disk_peak_power_w = 0;  // disks at their busy power (not SimGrid hosts), added to the peak

  // Adds `bytes` moved over [t0, t1] along `route`, clipped to the window.
  void transfer(const std::vector<simgrid::s4u::Link*>& route, double bytes, double t0, double t1);
  // Adds `flops` computed on `host` over [t0, t1], clipped to the window.
  void exec(const simgrid::s4u::Host* host, double flops, double t0, double t1);
};

}  // namespace prepsim::sim
