// How a scenario's pipeline is laid over the platform (setup_pipeline, pipeline.h): the stages in topological
// order cut into segments (runs of consecutive stages on one pool), the disks that hold the dataset (an isp
// pool's own, partitioned across its devices), the devices of device pools with their models from the catalog,
// the workers of each segment, and the phases a chunk goes through with their times on idle resources.
#include <fmt/format.h>
#include <xbt/parse_units.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include "models/config/input_error.h"
#include "models/dag.h"
#include "models/devices/device_kinds.h"
#include "models/devices/isp.h"
#include "sim/state.h"

namespace prepsim::sim {
namespace {

// The rate one worker's memory traffic reaches on its own: the socket's bandwidth (the memory host's speed), capped
// by the host's `per_core_bandwidth` prop when it has one (SimGrid's own unit syntax, checked by platform_check).
double worker_memory_bandwidth(const sg4::Host* memory) {
  const char* per_core = memory->get_property("per_core_bandwidth");
  if (per_core == nullptr) return memory->get_speed();
  return std::min(memory->get_speed(), xbt_parse_get_bandwidth("", 0, per_core, "per_core_bandwidth"));
}

std::string prop(const char* v) { return v != nullptr ? v : ""; }

void add_disks(Pipeline& pl, double& disk_peak_power_w, const Pool& pool, const Catalog& cat, sg4::Engine& e) {
  for (const std::string& name : pool.hosts) {
    sg4::Host* h = e.host_by_name(name);
    if (h->get_disks().empty()) {
      throw InputError(pool.hosts_file, pool.hosts_line, fmt::format("pools.{}.hosts", pool.name),
                       fmt::format("host '{}' of pool '{}' runs read but has no <disk> in the platform", name,
                                   pool.name));
    }
    for (sg4::Disk* d : h->get_disks()) {
      DiskState ds;
      ds.disk = d;
      ds.host = h;
      ds.record.name = d->get_name();
      ds.record.host = name;
      ds.record.sku = prop(d->get_property("sku"));
      ds.record.read_bandwidth = d->get_read_bandwidth();
      if (const Sku* sku = cat.find(ds.record.sku); sku != nullptr && sku->power_busy) {
        disk_peak_power_w += sku->power_busy->value;
      }
      pl.disks.push_back(ds);
    }
  }
}

const devices::DeviceModel* model_of(const Pool& pool, sg4::Host* h, const Catalog& cat) {
  std::string sku = prop(h->get_property("sku"));
  const Sku* s = cat.find(sku);
  if (s == nullptr || s->model == nullptr) {
    throw InputError(pool.hosts_file, pool.hosts_line, fmt::format("pools.{}.hosts", pool.name),
                     fmt::format("{} host '{}' has SKU '{}', which has no device model in the catalog (a `model:` "
                                 "map under skus.{})",
                                 pool.kind, h->get_name(), sku.empty() ? "(none)" : sku, sku));
  }
  if (s->model->kind != pool.kind) {
    throw InputError(pool.hosts_file, pool.hosts_line, fmt::format("pools.{}.hosts", pool.name),
                     fmt::format("host '{}' has a {} SKU ('{}') but pool '{}' is a {} pool", h->get_name(),
                                 s->model->kind, sku, pool.name, pool.kind));
  }
  return s->model.get();
}

// Every stage of a device segment must have a unit on its device; the error names the stage and the fallback.
void check_refusals(const Segment& seg, const Scenario& sc) {
  for (const Device& d : seg.devices) {
    for (int i : seg.stages) {
      const Stage& s = sc.stages[i];
      if (!d.model->refused_ops({s.op}).empty()) {
        throw InputError(s.file, s.line, fmt::format("pipeline.{}.on", s.name),
                         fmt::format("device '{}' ({} pool '{}') has no unit for op {}; place {} on a cpu pool (a "
                                     "CPU fallback, whose cost then counts)",
                                     d.host->get_name(), seg.pool->kind, seg.pool->name, s.op, s.name));
      }
    }
  }
}

// isp: each device stores a partition of the dataset (linear skew, pools.<p>.skew) and processes only it.
void partition(Pipeline& pl, Segment& seg, const Workload& wl) {
  const devices::DatasetStore store = *seg.devices.front().model->store();
  const double stored = wl.mean_chunk().stored_bytes;
  const double chunks = static_cast<double>(wl.chunks_per_epoch());
  std::vector<double> parts;
  try {
    parts = devices::isp_partitions(stored * chunks, static_cast<std::int64_t>(seg.devices.size()), store.capacity,
                                    seg.pool->skew);
  } catch (const devices::DeviceError& e) {
    throw InputError(seg.pool->hosts_file, seg.pool->hosts_line, fmt::format("pools.{}.hosts", seg.pool->name),
                     e.what());
  }
  std::uint64_t first = 0;
  for (std::size_t i = 0; i < seg.devices.size(); ++i) {
    Device& d = seg.devices[i];
    d.first = first;
    d.count = i + 1 == seg.devices.size() ? wl.chunks_per_epoch() - first
                                          : static_cast<std::uint64_t>(std::llround(parts[i] / stored));
    first += d.count;
    for (std::size_t k = 0; k < pl.disks.size(); ++k) {
      if (pl.disks[k].host == d.host) d.disk = static_cast<int>(k);
    }
    // One number, two places: the catalog model's flash rate (for the pure model) and the platform disk (what
    // the engine reads): they must agree.
    double xml = pl.disks[static_cast<std::size_t>(d.disk)].disk->get_read_bandwidth();
    const double flash = d.model->store()->read_bandwidth;
    if (std::abs(xml - flash) > 1e-9 * xml) {
      throw InputError(seg.pool->hosts_file, seg.pool->hosts_line, fmt::format("pools.{}.hosts", seg.pool->name),
                       fmt::format("isp device '{}': its platform disk reads at {} but its catalog model's "
                                   "ssd_read_bandwidth is {}; make them equal",
                                   d.host->get_name(), devices::describe(xml, Dim::Rate),
                                   devices::describe(flash, Dim::Rate)));
    }
  }
}

// The compute stages in topological order, cut into segments: runs of consecutive stages on one pool.
void cut_into_segments(Pipeline& pl, const Scenario& sc, const DagOrder& order, const Pool* read_pool) {
  for (const PoolRun& run : pool_runs(sc.stages, order)) {
    const Pool* pool = sc.find_pool(run.pool);
    if (const devices::DeviceKind* k = devices::find_device_kind(pool->kind);
        k != nullptr && k->stores_dataset && !pl.segments.empty()) {
      const Stage& s = sc.stages[static_cast<std::size_t>(run.stages.front())];
      throw InputError(s.file, s.line, fmt::format("pipeline.{}.on", s.name),
                       fmt::format("an {} device only processes the data it stores, before it leaves the device: "
                                   "'{}' comes after stages on pool '{}'",
                                   pool->kind, s.name, pl.segments.back().pool->name));
    }
    Segment seg;
    seg.pool = pool;
    seg.on_devices = pool->kind != "cpu";
    seg.reads_own_disk = pl.segments.empty() && pool == read_pool;
    seg.stages = run.stages;
    pl.segments.push_back(std::move(seg));
  }
}

// The devices of a device segment (one per host), then its workers: per host `workers_per_host`, by default one
// per core (cpu) or the device model's slots; a cpu worker uses its host's socket memory hosts in turn.
void add_workers(Segment& seg, const Catalog& cat, sg4::Engine& e,
                 std::map<std::string, std::map<int, sg4::Host*>>& sockets) {
  if (seg.on_devices) {
    for (const std::string& name : seg.pool->hosts) {
      Device d;
      d.host = e.host_by_name(name);
      d.model = model_of(*seg.pool, d.host, cat);
      d.issue = sg4::Mutex::create();
      seg.devices.push_back(d);
    }
  }
  for (std::size_t i = 0; i < seg.pool->hosts.size(); ++i) {
    const std::string& name = seg.pool->hosts[i];
    sg4::Host* h = e.host_by_name(name);
    Device* device = seg.on_devices ? &seg.devices[i] : nullptr;
    int n = seg.pool->workers_per_host;
    if (n == 0) n = device != nullptr ? device->model->slots() : h->get_core_count();
    std::vector<sg4::Host*> mem;
    for (auto& [socket, m] : sockets[name]) mem.push_back(m);
    for (int k = 0; k < n; ++k) {
      Worker& w = seg.workers.emplace_back();
      w.host = h;
      w.memory = mem.empty() ? nullptr : mem[static_cast<std::size_t>(k) % mem.size()];
      w.memory_bps = w.memory == nullptr ? 0.0 : worker_memory_bandwidth(w.memory);
      w.device = device;
    }
  }
}

// The phases of a chunk's path and their times for the mean chunk on idle resources (the first worker of each
// segment), each segment's service time, and how a stall no contention explains splits over the phases.
void add_phases(State& st, const Scenario& sc, const Pool* read_pool) {
  Pipeline& pl = st.pipeline;
  ChunkWork mean = st.workload->mean_chunk();
  pl.read = &pl.phases.add(sc.stages[static_cast<std::size_t>(pl.read_stage)].name,
                           mean.stored_bytes / pl.disks.front().disk->get_read_bandwidth(),
                           static_cast<double>(pl.segments.front().workers.size()));
  const sg4::Host* from = pl.disks.front().host;
  std::string from_name = read_pool->name;
  double bytes = mean.stored_bytes;
  for (Segment& seg : pl.segments) {
    sg4::Host* w0 = seg.workers.front().host;
    double workers = static_cast<double>(seg.workers.size());
    seg.service_s = 0;
    if (&seg == &pl.segments.front()) seg.service_s += pl.read->mean_s;
    if (!seg.reads_own_disk) {
      seg.transfer_in = &pl.phases.add(fmt::format("transfer:{}->{}", from_name, seg.pool->name),
                                       st.routes.nominal_transfer_s(from, w0, bytes), workers);
      seg.service_s += seg.transfer_in->mean_s;
    }
    double out = cut_bytes(seg, mean);
    if (seg.on_devices) {
      std::vector<std::string> names;
      for (int i : seg.stages) names.push_back(sc.stages[i].name);
      devices::DeviceService svc;
      try {
        svc = device_service_for(sc, seg, seg.devices.front(), mean, bytes, out);
      } catch (const devices::DeviceError& err) {
        const Stage& s = sc.stages[seg.stages.front()];
        throw InputError(s.file, s.line, fmt::format("pipeline.{}.on", s.name), err.what());
      }
      seg.mean_issue_s = svc.issue_s;
      seg.mean_binding = svc.binding;
      // Capacity of the device phase: the devices, each taking issue_s per chunk (latency overlaps).
      seg.compute.push_back(&pl.phases.add(
          fmt::format("{}:{}", seg.pool->name, fmt::join(names, "+")), svc.latency_s,
          static_cast<double>(seg.devices.size()) * svc.latency_s / std::max(svc.issue_s, 1e-300)));
    } else {
      for (int i : seg.stages) {
        const double compute = mean.stage_seconds[i] * kReferenceCoreFlops / w0->get_speed();
        seg.compute.push_back(&pl.phases.add(
            sc.stages[i].name,
            stage_seconds_alone(*pl.stage_ops[static_cast<std::size_t>(i)], compute, mean.stage_memory_bytes[i],
                                seg.workers.front().memory_bps),
            workers));
      }
    }
    for (const Phase* p : seg.compute) seg.service_s += p->mean_s;
    from = w0;
    from_name = seg.pool->name;
    bytes = out;
  }
  pl.to_trainers = &pl.phases.add(fmt::format("transfer:{}->trainers", from_name),
                                  st.routes.nominal_transfer_s(from, st.trainers.replicas.front().host, bytes),
                                  INFINITY);  // workers do not wait on it
  pl.phases.close();
}

}  // namespace

double cut_bytes(const Segment& seg, const ChunkWork& w) { return seg.after_decode ? w.output_bytes : w.stored_bytes; }

devices::DeviceService device_service_for(const Scenario& sc, const Segment& seg, const Device& d,
                                          const ChunkWork& w, double bytes_in, double bytes_out) {
  std::vector<devices::DeviceStage> stages;
  for (int i : seg.stages) {
    const Stage& s = sc.stages[static_cast<std::size_t>(i)];
    // The features a unit's PEs share: the stage's own for a group op, every column of the chunk for a
    // whole-chunk op such as decode (the decoder's PEs work on the chunk's columns).
    stages.push_back({s.op, w.stage_work[i].columns, w.stage_work[i], w.stage_bytes_in[i], w.stage_bytes_out[i]});
  }
  return devices::device_service(*d.model, stages, bytes_in, bytes_out);
}

void setup_pipeline(State& st, const Scenario& sc, const Catalog& cat, sg4::Engine& e) {
  Pipeline& pl = st.pipeline;
  for (const Stage& stage : sc.stages) pl.stage_ops.push_back(find_op(stage.op));
  DagOrder order = order_stages(sc.stages);
  for (int i : order.topo) {
    if (sc.stages[static_cast<std::size_t>(i)].op == "read") pl.read_stage = i;
  }
  const Pool* read_pool = sc.find_pool(sc.stages[static_cast<std::size_t>(pl.read_stage)].pool);
  cut_into_segments(pl, sc, order, read_pool);
  add_disks(pl, st.accounting.disk_peak_power_w, *read_pool, cat, e);

  std::map<std::string, std::map<int, sg4::Host*>> sockets;  // cpu host -> socket -> memory pseudo-host
  for (sg4::Host* h : e.get_all_hosts()) {
    if (prop(h->get_property("kind")) == "memory") {
      sockets[prop(h->get_property("of"))][std::atoi(prop(h->get_property("socket")).c_str())] = h;
    }
  }
  bool decoded = false;
  for (Segment& seg : pl.segments) {
    for (int i : seg.stages) decoded = decoded || sc.stages[i].op == "decode";
    seg.after_decode = decoded;
    add_workers(seg, cat, e, sockets);
    if (seg.on_devices) check_refusals(seg, sc);
    if (seg.reads_own_disk) partition(pl, seg, *st.workload);
  }
  pl.isp.mutex = sg4::Mutex::create();
  pl.isp.cv = sg4::ConditionVariable::create();
  add_phases(st, sc, read_pool);
}

}  // namespace prepsim::sim
