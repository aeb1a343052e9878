// The workers of every segment and the dispatcher: how a chunk is claimed, read, moved between segments,
// computed on a CPU or a device, and handed to a trainer (docs/engine.md).
#include <fmt/format.h>

#include <algorithm>
#include <mutex>

#include "sim/state.h"

namespace prepsim::sim {
namespace {

void disk_read(State* st, DiskState* d, double bytes) {
  double now = sg4::Engine::get_clock();
  if (d->in_flight++ == 0) d->busy_since = now;
  d->disk->read(static_cast<sg_size_t>(bytes));
  double end = sg4::Engine::get_clock();
  if (--d->in_flight == 0) d->record.busy_s += st->window.overlap(d->busy_since, end);
  d->record.bytes += bytes * (end > now ? st->window.overlap(now, end) / (end - now) : 0.0);
}

// The next chunk for a worker of segment 0: from the global sequence (storage pools), or from its isp device's
// partition; a device that finished its partition waits for the others (the epoch ends when all have).
std::uint64_t claim_chunk(State* st, Segment& seg, int worker, int* disk) {
  if (!seg.reads_own_disk) {
    std::uint64_t chunk = st->next_chunk++;
    *disk = static_cast<int>(chunk % st->disks.size());
    return chunk;
  }
  Device& d = seg.devices[static_cast<std::size_t>(seg.worker_device[worker])];
  std::unique_lock<sg4::Mutex> lock(*st->epoch_mutex);
  while (d.next >= d.count) {
    if (d.done_epoch != st->epoch) {
      d.done_epoch = st->epoch;
      if (++st->devices_done == static_cast<int>(seg.devices.size())) {
        ++st->epoch;
        st->devices_done = 0;
        for (Device& other : seg.devices) other.next = 0;
        st->epoch_cv->notify_all();
        continue;
      }
    }
    st->epoch_cv->wait(lock);
  }
  *disk = d.disk;
  return d.first + d.next++;
}

// Reads the chunk's stored bytes (in a short-lived actor on the disk's host: SimGrid 3.32's Io trap) and, when
// the disk is not the worker's own, receives them.
void read_chunk(State* st, Segment& seg, sg4::Host* me, Batch* b, DiskState& disk) {
  DiskState* dp = &disk;
  double stored = b->work.stored_bytes;
  // A daemon like every actor but the controller: the run ends at the window's end whatever is in flight.
  sg4::Actor::create("reader", disk.host, [st, dp, stored] {
    sg4::Actor::self()->daemonize();
    disk_read(st, dp, stored);
  })->join();
  st->activities += 1;
  double read_done = sg4::Engine::get_clock();
  b->actual[State::kRead] = read_done - b->start;
  b->nominal[State::kRead] = stored / disk.disk->get_read_bandwidth();
  if (seg.transfer_phase < 0) return;
  sg4::Comm::sendto(disk.host, me, static_cast<std::uint64_t>(stored));
  st->activities += 1;
  double received = sg4::Engine::get_clock();
  b->actual[seg.transfer_phase] = received - read_done;
  b->nominal[seg.transfer_phase] = st->nominal_transfer_s(disk.host, me, stored);
  st->account_transfer(disk.host, me, stored, read_done, received);
}

// Takes the oldest batch the previous segment finished and moves it here.
Batch* receive_batch(State* st, Segment& seg, sg4::Host* me) {
  seg.inbox_items->acquire();
  Batch* b = seg.inbox.front();
  seg.inbox.pop_front();
  double t0 = sg4::Engine::get_clock();
  if (b->holder != me) sg4::Comm::sendto(b->holder, me, static_cast<std::uint64_t>(b->cut_bytes));
  st->activities += 1;
  double t1 = sg4::Engine::get_clock();
  b->actual[seg.transfer_phase] = t1 - t0;
  b->nominal[seg.transfer_phase] = b->holder != me ? st->nominal_transfer_s(b->holder, me, b->cut_bytes) : 0.0;
  st->account_transfer(b->holder, me, b->cut_bytes, t0, t1);
  b->holder_free->release();
  return b;
}

void compute_on_cpu(State* st, Segment& seg, int worker, Batch* b) {
  sg4::Host* me = seg.worker_hosts[worker];
  sg4::Host* memory = seg.worker_memory[worker];
  for (std::size_t i = 0; i < seg.stages.size(); ++i) {
    int stage = seg.stages[i];
    double flops = b->work.stage_seconds[stage] * kReferenceCoreFlops;
    double t0 = sg4::Engine::get_clock();
    double bytes = memory != nullptr ? b->work.stage_memory_bytes[stage] : 0.0;
    double nominal = flops / me->get_speed();
    if (bytes > 0) {
      // The traffic is an Exec of `bytes` on the socket's memory host (speed = its bandwidth in B/s), shared with
      // the socket's other stages and bounded by what one core can draw. It overlaps the compute for ops whose
      // calibrated cost includes their traffic (the stage takes the longer of the two) and follows it for the
      // others (op_registry.h: traffic_in_cost). (A Comm would do too, but SimGrid 3.32 prints a backtrace when
      // an actor killed at the end of the run drops a Comm still in flight.)
      const OpInfo& op = *st->stage_ops[static_cast<std::size_t>(stage)];
      sg4::ExecPtr traffic = sg4::this_actor::exec_init(bytes)->set_host(memory);
      const double own_bps = seg.worker_memory_bps[worker];
      if (own_bps < memory->get_speed()) traffic->set_bound(own_bps);  // one core's share at most
      if (op.traffic_in_cost) {
        traffic->start();
        sg4::this_actor::exec_async(flops)->wait();
        traffic->wait();
        st->activities += 2;
      } else {
        // The compute's share of the traffic overlaps it, the rest follows (stage_seconds_alone): two parts.
        const double c = nominal, m = bytes / own_bps;
        const double overlapped = c + m > 0 ? bytes * c / (c + m) : 0.0;
        traffic->set_flops_amount(overlapped);
        traffic->start();
        sg4::this_actor::exec_async(flops)->wait();
        traffic->wait();
        sg4::ExecPtr rest = sg4::this_actor::exec_init(bytes - overlapped)->set_host(memory);
        if (own_bps < memory->get_speed()) rest->set_bound(own_bps);
        rest->wait();
        st->activities += 3;
      }
      double t_end = sg4::Engine::get_clock();
      nominal = stage_seconds_alone(op, nominal, bytes, own_bps);
      st->account_exec(memory, bytes, t0, t_end);
    } else if (flops > 0) {
      sg4::this_actor::execute(flops);
      st->activities += 1;
    }
    double t1 = sg4::Engine::get_clock();
    b->actual[static_cast<std::size_t>(seg.first_phase) + i] = t1 - t0;
    b->nominal[static_cast<std::size_t>(seg.first_phase) + i] = nominal;
    st->account_exec(me, flops, t0, t1);
  }
}

// A device takes one chunk into its units at a time (issue_s; its compute's busy_s of it is an Exec on its host:
// its energy and utilization, and on a trainer's GPU the time taken from training) and returns it latency_s
// after the chunk entered; `slots` chunks are in flight at once.
void compute_on_device(State* st, Segment& seg, int worker, Batch* b, double bytes_in) {
  Device& d = seg.devices[static_cast<std::size_t>(seg.worker_device[worker])];
  devices::DeviceService svc = device_service_for(*st, seg, d, b->work, bytes_in, cut_bytes(seg, b->work));
  double t0 = sg4::Engine::get_clock();
  d.issue->lock();
  double entered = sg4::Engine::get_clock();
  double flops = svc.busy_s * d.host->get_speed();
  if (flops > 0) {
    sg4::this_actor::execute(flops);
    st->activities += 1;
  }
  double computed = sg4::Engine::get_clock();
  if (double idle = entered + svc.issue_s - computed; idle > 0) sg4::this_actor::sleep_for(idle);
  d.issue->unlock();
  st->account_exec(d.host, flops, entered, computed);
  double rest = entered + svc.latency_s - sg4::Engine::get_clock();
  if (rest > 0) sg4::this_actor::sleep_for(rest);
  double t1 = sg4::Engine::get_clock();
  b->actual[static_cast<std::size_t>(seg.first_phase)] = t1 - t0;
  b->nominal[static_cast<std::size_t>(seg.first_phase)] = svc.latency_s;
}

}  // namespace

void worker_actor(State* st, int segment, int worker) {
  Segment& seg = st->segments[static_cast<std::size_t>(segment)];
  sg4::Host* me = seg.worker_hosts[worker];
  const Workload& wl = *st->workload;
  const std::uint64_t epoch_chunks = wl.chunks_per_epoch();
  const bool last = static_cast<std::size_t>(segment) + 1 == st->segments.size();
  sg4::SemaphorePtr my_buffer = sg4::Semaphore::create(1);  // the worker's one-batch output buffer
  // Workers start spread over one service time: identical workers started together would stay in lockstep
  // (every read, then every transfer, then every compute at once), a convoy no real pool shows.
  sg4::this_actor::sleep_for(seg.service_s * worker / static_cast<double>(seg.worker_hosts.size()));
  while (true) {
    Batch* b = nullptr;
    double bytes_in = 0;
    if (segment == 0) {
      int disk = 0;
      std::uint64_t chunk = claim_chunk(st, seg, worker, &disk);
      b = st->new_batch();
      b->work = wl.chunk(chunk % epoch_chunks);
      b->start = sg4::Engine::get_clock();
      b->bytes = b->work.output_bytes;
      b->samples = b->work.rows;
      st->claimed += b->samples;
      b->actual.assign(st->phase_labels.size(), 0.0);
      b->nominal.assign(st->phase_labels.size(), 0.0);
      read_chunk(st, seg, me, b, st->disks[static_cast<std::size_t>(disk)]);
      bytes_in = b->work.stored_bytes;
    } else {
      b = receive_batch(st, seg, me);
      bytes_in = b->cut_bytes;
    }
    double busy_from = segment == 0 ? b->start : sg4::Engine::get_clock() - b->actual[seg.transfer_phase];
    if (seg.device) {
      compute_on_device(st, seg, worker, b, bytes_in);
    } else {
      compute_on_cpu(st, seg, worker, b);
    }
    st->worker_busy_s += st->window.overlap(busy_from, sg4::Engine::get_clock());
    if (!last) {
      my_buffer->acquire();
      b->holder = me;
      b->holder_free = my_buffer;
      b->cut_bytes = cut_bytes(seg, b->work);
      Segment& next = st->segments[static_cast<std::size_t>(segment) + 1];
      next.inbox.push_back(b);
      next.inbox_items->release();
      continue;
    }
    // Into the worker's one-batch output buffer (waiting while it still holds the previous batch); the
    // dispatcher sends it when a trainer asks, and the worker goes on with its next chunk meanwhile.
    b->ready = sg4::Engine::get_clock();
    my_buffer->acquire();
    b->src = me;
    b->holder = me;
    b->holder_free = my_buffer;
    st->ready.push_back(b);
    st->ready_items->release();
  }
}

void dispatcher_actor(State* st) {
  while (true) {
    st->ready_items->acquire();
    st->request_credits->acquire();
    Batch* b = st->ready.front();
    st->ready.pop_front();
    int replica = st->requests.front();
    st->requests.pop_front();
    b->replica = replica;
    b->sent = sg4::Engine::get_clock();
    st->produced += b->samples;
    sg4::Mailbox* mailbox = st->replicas[replica].mailbox;
    // The batch leaves from the worker's host: a short-lived actor there starts the transfer.
    sg4::Actor::create("sender", b->holder, [mailbox, b] {
      sg4::Actor::self()->daemonize();
      mailbox->put_init(b, static_cast<std::uint64_t>(b->bytes))->detach();
    });
    st->activities += 1;
    b->holder_free->release();
  }
}

}  // namespace prepsim::sim
