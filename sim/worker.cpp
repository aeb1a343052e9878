// The workers of every segment: how a chunk is claimed, read, moved between segments and computed on a CPU or a
// device (docs/engine.md, "A chunk's path").
//
// The path of one chunk, top to bottom; each step names the function that does it, [brackets] the phase it is
// recorded in (phases.h), and the times it records are Chunk's *_at fields (chunk.h):
//   1. claim_chunk          a worker of the first segment takes the next chunk: the next index of the epoch, or of
//                           its isp device's partition. Records claimed_at.
//   2. read_chunk           a short-lived reader actor reads its stored bytes from a disk [read]; the worker
//                           receives them over the route unless the disk is its device's own [transfer in].
//   3. compute_on_cpu       one Exec per stage on the worker's core, its memory traffic on the socket [a phase
//      compute_on_device    per stage], or the device's issue and latency [one device phase].
//   4. OutputBuffer::hold   the chunk waits in the worker's one-chunk output buffer; the worker goes on with its
//                           next chunk. Between segments it is pushed to the next segment's inbox; after the last
//                           one to Pipeline::finished (finished_at is recorded first).
//   5. receive_chunk        a worker of the next segment pops it from its inbox (oldest first), moves it to its
//                           host [transfer in] and releases the buffer (OutputBuffer::release); back to 3.
//   6. dispatcher_actor     (dispatcher.cpp) pops the oldest finished chunk and the oldest trainer request,
//                           records sent_at, starts the send from the worker's host, and releases the buffer.
//   7. replica_actor        (trainer.cpp) takes it from its prefetch mailbox and records arrived_at, the end of
//                           the send [transfer to trainers, from finished_at]; a stall it ended is charged to the
//                           chunk's phases (attribute_stall); it trains one step and frees the prefetch slot with a
//                           new request, and the chunk goes back to the pool.
#include <fmt/format.h>

#include <algorithm>
#include <mutex>

#include "sim/state.h"

namespace prepsim::sim {
namespace {

void disk_read(State* st, DiskState* d, double bytes) {
  const Window& window = st->accounting.window;
  double now = sg4::Engine::get_clock();
  if (d->in_flight++ == 0) d->busy_since = now;
  d->disk->read(static_cast<sg_size_t>(bytes));
  double end = sg4::Engine::get_clock();
  if (--d->in_flight == 0) d->record.busy_s += window.overlap(d->busy_since, end);
  d->record.bytes += bytes * (end > now ? window.overlap(now, end) / (end - now) : 0.0);
}

// The next chunk for a worker of segment 0 and the disk it is on: from the global sequence (storage pools), or
// from its isp device's partition; a device that finished its partition waits for the others (the epoch ends when
// all have).
std::uint64_t next_chunk_index(Pipeline& pl, Segment& seg, Worker& me, int* disk) {
  if (!seg.reads_own_disk) {
    std::uint64_t chunk = pl.next_chunk++;
    *disk = static_cast<int>(chunk % pl.disks.size());
    return chunk;
  }
  Device& d = *me.device;
  IspEpochs& isp = pl.isp;
  std::unique_lock<sg4::Mutex> lock(*isp.mutex);
  while (d.next >= d.count) {
    if (d.done_epoch != isp.epoch) {
      d.done_epoch = isp.epoch;
      if (++isp.devices_done == static_cast<int>(seg.devices.size())) {
        ++isp.epoch;
        isp.devices_done = 0;
        for (Device& other : seg.devices) other.next = 0;
        isp.cv->notify_all();
        continue;
      }
    }
    isp.cv->wait(lock);
  }
  *disk = d.disk;
  return d.first + d.next++;
}

Chunk* claim_chunk(State* st, Segment& seg, Worker& me, int* disk) {
  Pipeline& pl = st->pipeline;
  std::uint64_t index = next_chunk_index(pl, seg, me, disk);
  Chunk* c = pl.chunks.take();
  c->begin(st->workload->chunk(index % st->workload->chunks_per_epoch()), sg4::Engine::get_clock());
  st->accounting.claimed += c->work.rows;
  return c;
}

// Reads the chunk's stored bytes (in a short-lived actor on the disk's host: SimGrid 3.32's Io trap) and, when
// the disk is not the worker's own, receives them.
void read_chunk(State* st, Segment& seg, Worker& me, Chunk* c, DiskState& disk) {
  DiskState* dp = &disk;
  double stored = c->work.stored_bytes;
  // A daemon like every actor but the controller: the run ends at the window's end whatever is in flight.
  sg4::Actor::create("reader", disk.host, [st, dp, stored] {
    sg4::Actor::self()->daemonize();
    disk_read(st, dp, stored);
  })->join();
  st->accounting.activities += 1;
  double read_done = sg4::Engine::get_clock();
  c->record(*st->pipeline.read, c->claimed_at, read_done, stored / disk.disk->get_read_bandwidth());
  if (seg.transfer_in == nullptr) return;
  sg4::Comm::sendto(disk.host, me.host, static_cast<std::uint64_t>(stored));
  st->accounting.activities += 1;
  double received = sg4::Engine::get_clock();
  c->record(*seg.transfer_in, read_done, received, st->routes.nominal_transfer_s(disk.host, me.host, stored));
  st->accounting.transfer(st->routes.between(disk.host, me.host), stored, read_done, received);
}

// Moves the chunk the previous segment finished to this worker's host, then frees the buffer it waited in.
void receive_chunk(State* st, Segment& seg, Worker& me, Chunk* c) {
  double t0 = sg4::Engine::get_clock();
  if (c->at != me.host) sg4::Comm::sendto(c->at, me.host, static_cast<std::uint64_t>(c->cut_bytes));
  st->accounting.activities += 1;
  double t1 = sg4::Engine::get_clock();
  c->record(*seg.transfer_in, t0, t1,
            c->at != me.host ? st->routes.nominal_transfer_s(c->at, me.host, c->cut_bytes) : 0.0);
  st->accounting.transfer(st->routes.between(c->at, me.host), c->cut_bytes, t0, t1);
  OutputBuffer::release(c);
}

void compute_on_cpu(State* st, Segment& seg, Worker& me, Chunk* c) {
  Accounting& acc = st->accounting;
  for (std::size_t i = 0; i < seg.stages.size(); ++i) {
    int stage = seg.stages[i];
    double flops = c->work.stage_seconds[stage] * kReferenceCoreFlops;
    double t0 = sg4::Engine::get_clock();
    double bytes = me.memory != nullptr ? c->work.stage_memory_bytes[stage] : 0.0;
    double nominal = flops / me.host->get_speed();
    if (bytes > 0) {
      // The traffic is an Exec of `bytes` on the socket's memory host (speed = its bandwidth in B/s), shared with
      // the socket's other stages and bounded by what one core can draw. It overlaps the compute for ops whose
      // calibrated cost includes their traffic (the stage takes the longer of the two) and follows it for the
      // others (op_registry.h: traffic_in_cost). (A Comm would do too, but SimGrid 3.32 prints a backtrace when
      // an actor killed at the end of the run drops a Comm still in flight.)
      const OpInfo& op = *st->pipeline.stage_ops[static_cast<std::size_t>(stage)];
      sg4::ExecPtr traffic = sg4::this_actor::exec_init(bytes)->set_host(me.memory);
      const double own_bps = me.memory_bps;
      if (own_bps < me.memory->get_speed()) traffic->set_bound(own_bps);  // one core's share at most
      if (op.traffic_in_cost) {
        traffic->start();
        sg4::this_actor::exec_async(flops)->wait();
        traffic->wait();
        acc.activities += 2;
      } else {
        // The compute's share of the traffic overlaps it, the rest follows (stage_seconds_alone): two parts.
        const double cs = nominal, m = bytes / own_bps;
        const double overlapped = cs + m > 0 ? bytes * cs / (cs + m) : 0.0;
        traffic->set_flops_amount(overlapped);
        traffic->start();
        sg4::this_actor::exec_async(flops)->wait();
        traffic->wait();
        sg4::ExecPtr rest = sg4::this_actor::exec_init(bytes - overlapped)->set_host(me.memory);
        if (own_bps < me.memory->get_speed()) rest->set_bound(own_bps);
        rest->wait();
        acc.activities += 3;
      }
      double t_end = sg4::Engine::get_clock();
      nominal = stage_seconds_alone(op, nominal, bytes, own_bps);
      acc.exec(me.memory, bytes, t0, t_end);
    } else if (flops > 0) {
      sg4::this_actor::execute(flops);
      acc.activities += 1;
    }
    double t1 = sg4::Engine::get_clock();
    c->record(*seg.compute[i], t0, t1, nominal);
    acc.exec(me.host, flops, t0, t1);
  }
}

// A device takes one chunk into its units at a time (issue_s; its compute's busy_s of it is an Exec on its host:
// its energy and utilization, and on a trainer's GPU the time taken from training) and returns it latency_s
// after the chunk entered; `slots` chunks are in flight at once.
void compute_on_device(State* st, Segment& seg, Worker& me, Chunk* c, double bytes_in) {
  Device& d = *me.device;
  devices::DeviceService svc =
      device_service_for(*st->scenario, seg, d, c->work, bytes_in, cut_bytes(seg, c->work));
  double t0 = sg4::Engine::get_clock();
  d.issue->lock();
  double entered = sg4::Engine::get_clock();
  double flops = svc.busy_s * d.host->get_speed();
  if (flops > 0) {
    sg4::this_actor::execute(flops);
    st->accounting.activities += 1;
  }
  double computed = sg4::Engine::get_clock();
  if (double idle = entered + svc.issue_s - computed; idle > 0) sg4::this_actor::sleep_for(idle);
  d.issue->unlock();
  st->accounting.exec(d.host, flops, entered, computed);
  double rest = entered + svc.latency_s - sg4::Engine::get_clock();
  if (rest > 0) sg4::this_actor::sleep_for(rest);
  c->record(*seg.compute.front(), t0, sg4::Engine::get_clock(), svc.latency_s);
}

}  // namespace

void worker_actor(State* st, int segment, int index) {
  Pipeline& pl = st->pipeline;
  Segment& seg = pl.segments[static_cast<std::size_t>(segment)];
  Worker& me = seg.workers[static_cast<std::size_t>(index)];
  const bool first = segment == 0;
  const bool last = static_cast<std::size_t>(segment) + 1 == pl.segments.size();
  // Workers start spread over one service time: identical workers started together would stay in lockstep
  // (every read, then every transfer, then every compute at once), a convoy no real pool shows.
  sg4::this_actor::sleep_for(seg.service_s * index / static_cast<double>(seg.workers.size()));
  while (true) {
    Chunk* c = nullptr;
    double busy_from = 0, bytes_in = 0;
    if (first) {
      int disk = 0;
      c = claim_chunk(st, seg, me, &disk);
      busy_from = c->claimed_at;
      read_chunk(st, seg, me, c, pl.disks[static_cast<std::size_t>(disk)]);
      bytes_in = c->work.stored_bytes;
    } else {
      c = seg.inbox.pop();
      busy_from = sg4::Engine::get_clock();
      receive_chunk(st, seg, me, c);
      bytes_in = c->cut_bytes;
    }
    if (seg.on_devices) {
      compute_on_device(st, seg, me, c, bytes_in);
    } else {
      compute_on_cpu(st, seg, me, c);
    }
    st->accounting.worker_busy_s += st->accounting.window.overlap(busy_from, sg4::Engine::get_clock());
    if (last) c->finished_at = sg4::Engine::get_clock();
    me.output.hold(c);
    c->at = me.host;
    if (last) {
      pl.finished.push(c);
    } else {
      c->cut_bytes = cut_bytes(seg, c->work);
      pl.segments[static_cast<std::size_t>(segment) + 1].inbox.push(c);
    }
  }
}

}  // namespace prepsim::sim
