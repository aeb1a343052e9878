// The trainer replicas (step 7 of a chunk's path, sim/worker.cpp): each takes chunks from its prefetch buffer,
// charges the time it waited for one to the chunk's phases, and trains a step on it.
#include <fmt/format.h>

#include <algorithm>

#include "models/data/rng.h"
#include "sim/state.h"

namespace prepsim::sim {
namespace {

// Splits `stalled` seconds (the chunk `c` ended the stall) over the phases of its path. What the stall would
// shrink by: the time the chunk lost to contention in each phase (actual minus nominal duration) goes to that
// phase; the rest is a lack of worker capacity (every worker was busy, since a stalled replica always has
// requests pending), split by each phase's stall_share. The parts sum to the stall.
void attribute_stall(std::map<std::string, double>& attribution_s, const Chunk& c, double stalled) {
  if (stalled <= 0) return;
  double excess_total = 0;
  for (const PhaseTime& t : c.path) excess_total += std::max(0.0, t.actual_s - t.nominal_s);
  double contention = std::min(stalled, excess_total);
  for (const PhaseTime& t : c.path) {
    double part = 0;
    if (contention > 0) part += contention * std::max(0.0, t.actual_s - t.nominal_s) / excess_total;
    part += (stalled - contention) * t.phase->stall_share;
    if (part > 0) attribution_s[t.phase->label] += part;
  }
}

}  // namespace

void replica_actor(State* st, int index) {
  Trainers& tr = st->trainers;
  Accounting& acc = st->accounting;
  const Window& window = acc.window;
  Replica& rep = tr.replicas[static_cast<std::size_t>(index)];
  JobRecord& job = tr.jobs[static_cast<std::size_t>(rep.job)];
  const TrainerJob& spec = st->scenario->jobs[static_cast<std::size_t>(rep.job)];
  rep.mailbox->set_receiver(sg4::Actor::self());
  for (int k = 0; k < spec.prefetch; ++k) tr.requests.push(index);
  const bool leader = spec.hosts.front() == rep.host->get_name();
  data::Rng own = data::Rng::for_entity(st->scenario->seed, fmt::format("trainer/{}/{}", spec.name, index));
  double prev_step_end = sg4::Engine::get_clock();
  for (std::uint64_t step = 0;; ++step) {
    double t0 = sg4::Engine::get_clock();
    Chunk* c = nullptr;
    sg4::CommPtr take = rep.mailbox->get_async<Chunk>(&c);
    take->wait();
    double t1 = sg4::Engine::get_clock();
    // The send's own end: t1 when it ended a stall, earlier when it ran while the replica trained.
    c->arrived_at = take->get_finish_time();
    acc.consumed += c->work.rows;
    const double bytes = c->work.output_bytes;
    acc.transfer(st->routes.between(c->at, rep.host), bytes, c->sent_at, c->arrived_at);
    c->record(*st->pipeline.to_trainers, c->finished_at, c->arrived_at,
              st->routes.nominal_transfer_s(c->at, rep.host, bytes));
    if (t1 > t0) {
      rep.record.stall_s += window.overlap(t0, t1);
      attribute_stall(job.attribution_s, *c, window.overlap(t0, t1));
    }
    // Latency under load: the chunk's service time through the pipeline under contention (read, transfer in,
    // stages, transfer out), without the time it sat finished in a worker's buffer or in the prefetch buffer.
    if (t1 >= window.begin && t1 < window.end) {
      acc.latencies.push_back((c->finished_at - c->claimed_at) + (c->arrived_at - c->sent_at));
    }
    double samples = c->work.rows;
    st->pipeline.chunks.give_back(c);
    tr.requests.push(index);  // the slot is free again

    double step_time = spec.step_time;
    if (spec.sync) {
      tr.barriers[static_cast<std::size_t>(rep.job)]->wait();
      double released = sg4::Engine::get_clock();
      if (leader) job.step_wait_s += window.overlap(prev_step_end, released);
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
    acc.activities += 1;
    prev_step_end = sg4::Engine::get_clock();
    acc.exec(rep.host, flops, s0, prev_step_end);
    rep.record.busy_s += window.overlap(s0, prev_step_end);
    // Clipped to the window like every other measurement (a step straddling an edge counts for its part in W):
    // counting whole steps by their end would let a window hold one step more than T ÷ step time.
    if (prev_step_end > s0) rep.record.samples += samples * window.overlap(s0, prev_step_end) / (prev_step_end - s0);
    acc.stepped += samples;
  }
}

}  // namespace prepsim::sim
