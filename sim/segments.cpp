// How a scenario's pipeline is laid over the platform: the stages in topological order cut into segments (runs
// of consecutive stages on one pool), the workers of each segment, the devices of device pools with their
// models from the catalog, the disks that hold the dataset (an isp pool's own, partitioned across its devices),
// and the phases a batch goes through with their times on idle resources.
#include <fmt/format.h>
#include <xbt/parse_units.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>

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

void add_disks(State& st, const Pool& pool, const Catalog& cat, sg4::Engine& e) {
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
        st.disk_peak_power_w += sku->power_busy->value;
      }
      st.disks.push_back(ds);
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
void partition(State& st, Segment& seg, const Workload& wl) {
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
    for (std::size_t k = 0; k < st.disks.size(); ++k) {
      if (st.disks[k].host == d.host) d.disk = static_cast<int>(k);
    }
    // One number, two places: the catalog model's flash rate (for the pure model) and the platform disk (what
    // the engine reads): they must agree.
    double xml = st.disks[static_cast<std::size_t>(d.disk)].disk->get_read_bandwidth();
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

}  // namespace

double cut_bytes(const Segment& seg, const ChunkWork& w) { return seg.after_decode ? w.output_bytes : w.stored_bytes; }

devices::DeviceService device_service_for(const State& st, const Segment& seg, const Device& d, const ChunkWork& w,
                                          double bytes_in, double bytes_out) {
  std::vector<devices::DeviceStage> stages;
  for (int i : seg.stages) {
    const Stage& s = st.scenario->stages[static_cast<std::size_t>(i)];
    // The features a unit's PEs share: the stage's own for a group op, every column of the chunk for a
    // whole-chunk op such as decode (the decoder's PEs work on the chunk's columns; issue 18).
    stages.push_back({s.op, w.stage_work[i].columns, w.stage_work[i], w.stage_bytes_in[i], w.stage_bytes_out[i]});
  }
  return devices::device_service(*d.model, stages, bytes_in, bytes_out);
}

void setup_segments(State& st, const Scenario& sc, const Catalog& cat, sg4::Engine& e) {
  for (const Stage& stage : sc.stages) st.stage_ops.push_back(find_op(stage.op));
  DagOrder order = order_stages(sc.stages);
  for (int i : order.topo) {
    if (sc.stages[static_cast<std::size_t>(i)].op == "read") st.read_stage = i;
  }
  const Pool* read_pool = sc.find_pool(sc.stages[static_cast<std::size_t>(st.read_stage)].pool);
  for (const PoolRun& run : pool_runs(sc.stages, order)) {
    const Pool* pool = sc.find_pool(run.pool);
    if (const devices::DeviceKind* k = devices::find_device_kind(pool->kind);
        k != nullptr && k->stores_dataset && !st.segments.empty()) {
      const Stage& s = sc.stages[static_cast<std::size_t>(run.stages.front())];
      throw InputError(s.file, s.line, fmt::format("pipeline.{}.on", s.name),
                       fmt::format("an {} device only processes the data it stores, before it leaves the device: "
                                   "'{}' comes after stages on pool '{}'",
                                   pool->kind, s.name, st.segments.back().pool->name));
    }
    Segment seg;
    seg.pool = pool;
    seg.device = pool->kind != "cpu";
    seg.reads_own_disk = st.segments.empty() && pool == read_pool;
    seg.stages = run.stages;
    st.stage_order.insert(st.stage_order.end(), run.stages.begin(), run.stages.end());
    st.segments.push_back(std::move(seg));
  }
  add_disks(st, *read_pool, cat, e);

  std::map<std::string, std::map<int, sg4::Host*>> sockets;  // cpu host -> socket -> memory pseudo-host
  for (sg4::Host* h : e.get_all_hosts()) {
    if (prop(h->get_property("kind")) == "memory") {
      sockets[prop(h->get_property("of"))][std::atoi(prop(h->get_property("socket")).c_str())] = h;
    }
  }
  bool decoded = false;
  for (Segment& seg : st.segments) {
    for (int i : seg.stages) decoded = decoded || sc.stages[i].op == "decode";
    seg.after_decode = decoded;
    seg.inbox_items = sg4::Semaphore::create(0);
    for (const std::string& name : seg.pool->hosts) {
      sg4::Host* h = e.host_by_name(name);
      int n = seg.pool->workers_per_host;
      int device = -1;
      if (seg.device) {
        Device d;
        d.host = h;
        d.model = model_of(*seg.pool, h, cat);
        d.issue = sg4::Mutex::create();
        device = static_cast<int>(seg.devices.size());
        if (n == 0) n = d.model->slots();
        seg.devices.push_back(d);
      } else if (n == 0) {
        n = h->get_core_count();
      }
      std::vector<sg4::Host*> mem;
      for (auto& [socket, m] : sockets[name]) mem.push_back(m);
      for (int k = 0; k < n; ++k) {
        seg.worker_hosts.push_back(h);
        sg4::Host* m = mem.empty() ? nullptr : mem[static_cast<std::size_t>(k) % mem.size()];
        seg.worker_memory.push_back(m);
        seg.worker_memory_bps.push_back(m == nullptr ? 0.0 : worker_memory_bandwidth(m));
        seg.worker_device.push_back(device);
      }
    }
    if (seg.device) check_refusals(seg, sc);
    if (seg.reads_own_disk) partition(st, seg, *st.workload);
  }
  st.epoch_mutex = sg4::Mutex::create();
  st.epoch_cv = sg4::ConditionVariable::create();

  // Phases and their times for the mean chunk on idle resources (the first worker of each segment).
  ChunkWork mean = st.workload->mean_chunk();
  st.phase_labels.push_back(sc.stages[st.read_stage].name);
  st.nominal_phase_s.push_back(mean.stored_bytes / st.disks.front().disk->get_read_bandwidth());
  std::vector<double> parallel{static_cast<double>(st.segments.front().worker_hosts.size())};
  const sg4::Host* from = st.disks.front().host;
  std::string from_name = read_pool->name;
  double bytes = mean.stored_bytes;
  for (Segment& seg : st.segments) {
    sg4::Host* w0 = seg.worker_hosts.front();
    double workers = static_cast<double>(seg.worker_hosts.size());
    if (!seg.reads_own_disk) {
      seg.transfer_phase = static_cast<int>(st.phase_labels.size());
      st.phase_labels.push_back(fmt::format("transfer:{}->{}", from_name, seg.pool->name));
      st.nominal_phase_s.push_back(st.nominal_transfer_s(from, w0, bytes));
      parallel.push_back(workers);
    }
    seg.first_phase = static_cast<int>(st.phase_labels.size());
    double out = cut_bytes(seg, mean);
    if (seg.device) {
      std::vector<std::string> names;
      for (int i : seg.stages) names.push_back(sc.stages[i].name);
      st.phase_labels.push_back(fmt::format("{}:{}", seg.pool->name, fmt::join(names, "+")));
      devices::DeviceService svc;
      try {
        svc = device_service_for(st, seg, seg.devices.front(), mean, bytes, out);
      } catch (const devices::DeviceError& err) {
        const Stage& s = sc.stages[seg.stages.front()];
        throw InputError(s.file, s.line, fmt::format("pipeline.{}.on", s.name), err.what());
      }
      st.nominal_phase_s.push_back(svc.latency_s);
      seg.mean_issue_s = svc.issue_s;
      seg.mean_binding = svc.binding;
      // Capacity of the device phase: the devices, each taking issue_s per chunk (latency overlaps).
      parallel.push_back(static_cast<double>(seg.devices.size()) * svc.latency_s / std::max(svc.issue_s, 1e-300));
    } else {
      for (int i : seg.stages) {
        st.phase_labels.push_back(sc.stages[i].name);
        const double compute = mean.stage_seconds[i] * kReferenceCoreFlops / w0->get_speed();
        st.nominal_phase_s.push_back(stage_seconds_alone(*st.stage_ops[static_cast<std::size_t>(i)], compute,
                                                         mean.stage_memory_bytes[i], seg.worker_memory_bps.front()));
        parallel.push_back(workers);
      }
    }
    seg.service_s = 0;
    std::size_t begin = seg.transfer_phase >= 0 ? static_cast<std::size_t>(seg.transfer_phase) : seg.first_phase;
    if (&seg == &st.segments.front()) begin = State::kRead;
    for (std::size_t p = begin; p < st.nominal_phase_s.size(); ++p) seg.service_s += st.nominal_phase_s[p];
    from = w0;
    from_name = seg.pool->name;
    bytes = out;
  }
  st.phase_labels.push_back(fmt::format("transfer:{}->trainers", from_name));
  st.nominal_phase_s.push_back(st.nominal_transfer_s(from, st.replicas.front().host, bytes));
  parallel.push_back(INFINITY);  // workers do not wait on it

  double total = 0;
  st.worker_shares.assign(st.phase_labels.size(), 0.0);
  for (std::size_t p = 0; p < st.phase_labels.size(); ++p) {
    st.worker_shares[p] = std::isfinite(parallel[p]) ? st.nominal_phase_s[p] / parallel[p] : 0.0;
    total += st.worker_shares[p];
  }
  for (double& s : st.worker_shares) s = total > 0 ? s / total : 0.0;
}

}  // namespace prepsim::sim
