// Actor bodies of the engine: trainer replicas, the controller and the power sampler (workers and the dispatcher
// are in worker.cpp), and the State helpers they share.
#include <fmt/format.h>
#include <simgrid/plugins/energy.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/data/rng.h"
#include "sim/state.h"

namespace prepsim::sim {

Batch* State::new_batch() {
  if (!free_batches.empty()) {
    Batch* b = free_batches.back();
    free_batches.pop_back();
    return b;
  }
  batches.emplace_back();
  return &batches.back();
}

void State::free_batch(Batch* b) { free_batches.push_back(b); }

const std::vector<sg4::Link*>& State::route(const sg4::Host* src, const sg4::Host* dst) {
  auto key = std::make_pair(src, dst);
  auto it = routes.find(key);
  if (it != routes.end()) return it->second;
  std::vector<sg4::Link*> links;
  double latency = 0;
  src->route_to(dst, links, &latency);
  return routes.emplace(key, std::move(links)).first->second;
}

void State::account_transfer(const sg4::Host* src, const sg4::Host* dst, double bytes, double t0, double t1) {
  double share = t1 > t0 ? window.overlap(t0, t1) / (t1 - t0) : (t0 >= window.begin && t0 < window.end ? 1 : 0);
  if (share <= 0) return;
  for (const sg4::Link* l : route(src, dst)) link_bytes[l] += bytes * share;
}

double State::nominal_transfer_s(const sg4::Host* src, const sg4::Host* dst, double bytes) {
  double latency = 0, bandwidth = std::numeric_limits<double>::infinity();
  for (const sg4::Link* l : route(src, dst)) {
    latency += l->get_latency();
    bandwidth = std::min(bandwidth, l->get_bandwidth());
  }
  return latency + bytes / bandwidth;
}

void State::account_exec(const sg4::Host* host, double flops, double t0, double t1) {
  double share = t1 > t0 ? window.overlap(t0, t1) / (t1 - t0) : 0.0;
  host_busy_flops[host] += flops * share;
}

namespace {

// Splits the stalled part of [t0, t1] (the batch `b` ended it) over the pipeline's phases. What the stall would
// shrink by: the time the batch's phases lost to contention (actual minus nominal duration) goes to those phases;
// the rest is a lack of worker capacity (every worker was busy, since a stalled replica always has requests
// pending), split by each phase's share of a worker's time. The parts sum to the stall.
void attribute_stall(State* st, JobRecord& job, const Batch& b, double t0, double t1) {
  double stalled = st->window.overlap(t0, t1);
  if (stalled <= 0) return;
  double excess_total = 0;
  for (std::size_t p = 0; p < b.actual.size(); ++p) excess_total += std::max(0.0, b.actual[p] - b.nominal[p]);
  double contention = std::min(stalled, excess_total);
  for (std::size_t p = 0; p < b.actual.size(); ++p) {
    double part = 0;
    if (contention > 0) part += contention * std::max(0.0, b.actual[p] - b.nominal[p]) / excess_total;
    part += (stalled - contention) * st->worker_shares[p];
    if (part > 0) job.attribution_s[st->phase_labels[p]] += part;
  }
}

}  // namespace

void replica_actor(State* st, int index) {
  Replica& rep = st->replicas[index];
  JobRecord& job = st->jobs[rep.job];
  const TrainerJob& spec = st->scenario->jobs[rep.job];
  rep.mailbox->set_receiver(sg4::Actor::self());
  for (int k = 0; k < spec.prefetch; ++k) {
    st->requests.push_back(index);
    st->request_credits->release();
  }
  const bool leader = spec.hosts.front() == rep.host->get_name();
  data::Rng own = data::Rng::for_entity(st->scenario->seed, fmt::format("trainer/{}/{}", spec.name, index));
  double prev_step_end = sg4::Engine::get_clock();
  for (std::uint64_t step = 0;; ++step) {
    double t0 = sg4::Engine::get_clock();
    auto* b = rep.mailbox->get<Batch>();
    double t1 = sg4::Engine::get_clock();
    st->consumed += b->samples;
    // A stalled get ends when the batch arrives; otherwise it arrived earlier, after about its nominal time.
    double arrived = t1 > t0 ? t1 : std::min(t1, b->sent + st->nominal_transfer_s(b->src, rep.host, b->bytes));
    st->account_transfer(b->src, rep.host, b->bytes, b->sent, arrived);
    std::size_t out = st->transfer_out_phase();
    b->actual[out] = arrived - b->ready;
    b->nominal[out] = st->nominal_transfer_s(b->src, rep.host, b->bytes);
    if (t1 > t0) {
      rep.record.stall_s += st->window.overlap(t0, t1);
      attribute_stall(st, job, *b, t0, t1);
    }
    // Latency under load: the chunk's service time through the pipeline under contention (read, transfer in,
    // stages, transfer out), without the time it sat ready in a worker's buffer or in the prefetch buffer.
    if (t1 >= st->window.begin && t1 < st->window.end) st->latencies.push_back((b->ready - b->start) + (arrived - b->sent));
    double samples = b->samples;
    st->free_batch(b);
    st->requests.push_back(index);  // the slot is free again
    st->request_credits->release();

    double step_time = spec.step_time;
    if (spec.sync) {
      st->barriers[rep.job]->wait();
      double released = sg4::Engine::get_clock();
      if (leader) job.step_wait_s += st->window.overlap(prev_step_end, released);
      if (spec.step_time_cv > 0) {
        data::Rng r = data::Rng::for_entity(st->scenario->seed, fmt::format("job/{}/step/{}", spec.name, step));
        step_time *= std::max(0.05, 1.0 + spec.step_time_cv * r.normal());
      }
    } else if (spec.step_time_cv > 0) {
      step_time *= std::max(0.05, 1.0 + spec.step_time_cv * own.normal());
    }
    double s0 = sg4::Engine::get_clock();
    double flops = step_time * rep.host->get_speed();
    sg4::this_actor::execute(flops);
    st->activities += 1;
    prev_step_end = sg4::Engine::get_clock();
    st->account_exec(rep.host, flops, s0, prev_step_end);
    rep.record.busy_s += st->window.overlap(s0, prev_step_end);
    // Clipped to the window like every other measurement (a step straddling an edge counts for its part in W):
    // counting whole steps by their end let a window hold one step more than T / step time (issue 18).
    if (prev_step_end > s0) rep.record.samples += samples * st->window.overlap(s0, prev_step_end) / (prev_step_end - s0);
    st->stepped += samples;
  }
}

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
  sg4::this_actor::sleep_until(st->window.begin);
  total_energy(&st->host_energy_begin);
  st->in_pipeline_at_start = st->claimed - st->stepped;
  sg4::this_actor::sleep_until(st->window.end);
  total_energy(&st->host_energy_end);
  // The run ends here, whatever its load: every other actor goes, daemon or not (a non-daemon actor left alive,
  // e.g. one created per read, would otherwise keep the clock running past the window; issue 18).
  sg4::Actor::kill_all();
  st->ended_at = sg4::Engine::get_clock();
}

void power_sampler_actor(State* st, double period) {
  sg4::this_actor::sleep_until(st->window.begin);
  double prev = total_energy(nullptr);
  while (sg4::Engine::get_clock() + period <= st->window.end + 1e-12) {
    sg4::this_actor::sleep_for(period);
    double now = total_energy(nullptr);
    st->peak_power_w = std::max(st->peak_power_w, (now - prev) / period);
    prev = now;
  }
}

}  // namespace prepsim::sim
