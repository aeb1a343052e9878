#include "sim/engine.h"

#include <fmt/format.h>
#include <simgrid/plugins/energy.h>
#include <xbt/log.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "models/config/input_error.h"
#include "models/dag.h"
#include "sim/platform.h"
#include "sim/state.h"

namespace prepsim::sim {
namespace {

double idle_watts(const sg4::Host* h) {
  const char* w = h->get_property("wattage_per_state");
  return w != nullptr ? std::atof(w) : 0.0;
}

std::string prop(const char* v) { return v != nullptr ? v : ""; }

// Energy of a link over a window of `w` seconds in which it carried `bytes`: the SimGrid link energy plugin's model
// (power linear in use between the idle and busy values of `wattage_range`), from our own byte counts.
double link_energy(const sg4::Link* l, double bytes, double w) {
  const char* range = l->get_property("wattage_range");
  if (range == nullptr) return 0.0;
  double idle = 0, busy = 0;
  if (std::sscanf(range, "%lf:%lf", &idle, &busy) != 2) return 0.0;
  double use = std::min(1.0, bytes / (l->get_bandwidth() * w));
  return (idle + (busy - idle) * use) * w;
}

void setup(State& st, const Scenario& sc, const Catalog& cat, sg4::Engine& e) {
  DagOrder order = order_stages(sc.stages);
  const Pool* storage = nullptr;
  const Pool* compute = nullptr;
  for (int i : order.topo) {
    const Stage& s = sc.stages[i];
    if (s.op == "read") {
      st.read_stage = i;
      storage = sc.find_pool(s.pool);
    } else {
      st.stage_order.push_back(i);
      compute = sc.find_pool(s.pool);
    }
  }
  st.phase_labels.push_back(sc.stages[st.read_stage].name);
  st.phase_labels.push_back(fmt::format("transfer:{}->{}", storage->name, compute->name));
  for (int i : st.stage_order) st.phase_labels.push_back(sc.stages[i].name);
  st.phase_labels.push_back(fmt::format("transfer:{}->trainers", compute->name));

  for (const std::string& name : storage->hosts) {
    sg4::Host* h = e.host_by_name(name);
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
  std::map<std::string, std::map<int, sg4::Host*>> sockets;  // cpu host -> socket -> memory pseudo-host
  for (sg4::Host* h : e.get_all_hosts()) {
    if (prop(h->get_property("kind")) == "memory") {
      sockets[prop(h->get_property("of"))][std::atoi(prop(h->get_property("socket")).c_str())] = h;
    }
  }
  for (const std::string& name : compute->hosts) {
    sg4::Host* h = e.host_by_name(name);
    int n = compute->workers_per_host > 0 ? compute->workers_per_host : h->get_core_count();
    std::vector<sg4::Host*> mem;
    for (auto& [socket, m] : sockets[name]) mem.push_back(m);
    for (int i = 0; i < n; ++i) {
      st.worker_hosts.push_back(h);
      st.worker_memory.push_back(mem.empty() ? nullptr : mem[static_cast<std::size_t>(i) % mem.size()]);
    }
  }
  for (std::size_t j = 0; j < sc.jobs.size(); ++j) {
    const TrainerJob& tj = sc.jobs[j];
    JobRecord jr;
    jr.name = tj.name;
    jr.sync = tj.sync;
    jr.demand = static_cast<double>(tj.hosts.size()) * static_cast<double>(sc.dataset.batch_size) / tj.step_time;
    jr.sku = prop(e.host_by_name(tj.hosts.front())->get_property("sku"));
    for (const std::string& name : tj.hosts) {
      Replica r;
      r.job = static_cast<int>(j);
      r.host = e.host_by_name(name);
      r.mailbox = sg4::Mailbox::by_name("prefetch/" + name);
      r.record.host = name;
      st.replicas.push_back(r);
      jr.replicas.push_back(r.record);
    }
    st.jobs.push_back(jr);
    st.barriers.push_back(tj.sync ? sg4::Barrier::create(static_cast<unsigned>(tj.hosts.size())) : nullptr);
  }
  st.request_credits = sg4::Semaphore::create(0);

  // Mean worker time per chunk on the first worker host: how a queued stall is split.
  ChunkWork mean = st.workload->mean_chunk();
  sg4::Host* w0 = st.worker_hosts.front();
  std::vector<double> parts(st.phase_labels.size(), 0.0);
  parts[State::kRead] = mean.stored_bytes / st.disks.front().disk->get_read_bandwidth();
  parts[State::kTransferIn] = st.nominal_transfer_s(st.disks.front().host, w0, mean.stored_bytes);
  for (std::size_t i = 0; i < st.stage_order.size(); ++i) {
    double compute = mean.stage_seconds[st.stage_order[i]] * kReferenceCoreFlops / w0->get_speed();
    sg4::Host* m0 = st.worker_memory.front();
    double memory = m0 != nullptr ? mean.stage_memory_bytes[st.stage_order[i]] / m0->get_speed() : 0.0;
    parts[State::kFirstStage + i] = std::max(compute, memory);
  }
  double total = 0;
  for (double p : parts) total += p;
  for (double& p : parts) p = total > 0 ? p / total : 0.0;
  st.worker_shares = parts;
  st.worker_service_s = total;
}

BoundResult bound(State& st) {
  ChunkWork mean = st.workload->mean_chunk();
  double b = mean.rows;
  std::vector<BoundResource> res;
  double capacity = 0, speed_sum = 0;
  std::map<const sg4::Host*, int> workers;
  for (sg4::Host* h : st.worker_hosts) workers[h]++;
  for (auto [h, n] : workers) capacity += std::min(n, h->get_core_count()) * h->get_speed();
  for (sg4::Host* h : st.worker_hosts) speed_sum += h->get_speed();
  double n_workers = static_cast<double>(st.worker_hosts.size());
  res.push_back({"cpu cores", "cpu", capacity, mean.cpu_seconds() * kReferenceCoreFlops / b});

  double disk_bw = st.disks.front().disk->get_read_bandwidth();
  double service = mean.stored_bytes / disk_bw +
                   st.nominal_transfer_s(st.disks.front().host, st.worker_hosts.front(), mean.stored_bytes) +
                   mean.cpu_seconds() * kReferenceCoreFlops / (speed_sum / n_workers);
  res.push_back({"workers (read + transfer + compute)", "workers", n_workers, service / b});
  double n_disks = static_cast<double>(st.disks.size());
  for (const DiskState& d : st.disks) {
    res.push_back({"disk " + d.record.host + ":" + d.record.name, "disk", d.disk->get_read_bandwidth(),
                   mean.stored_bytes / b / n_disks});
  }
  // Links: chunks spread evenly over disks and over workers, batches over replicas by their job's demand.
  std::map<const sg4::Link*, double> per_sample;
  double total_demand = 0;
  for (const JobRecord& j : st.jobs) total_demand += j.demand;
  std::map<const sg4::Host*, double> memory_share;  // socket memory host -> share of the workers
  for (sg4::Host* m : st.worker_memory) {
    if (m != nullptr) memory_share[m] += 1.0 / n_workers;
  }
  double memory_bytes = 0;
  for (int s : st.stage_order) memory_bytes += mean.stage_memory_bytes[s];
  for (auto [m, share] : memory_share) {
    res.push_back({"memory " + m->get_name(), "memory", m->get_speed(), memory_bytes / b * share});
  }
  for (auto [h, n] : workers) {
    double wshare = n / n_workers;
    for (const DiskState& d : st.disks) {
      for (const sg4::Link* l : st.route(d.host, h)) per_sample[l] += mean.stored_bytes / b * wshare / n_disks;
    }
    for (const Replica& r : st.replicas) {
      const JobRecord& j = st.jobs[r.job];
      double rshare = j.demand / total_demand / static_cast<double>(j.replicas.size());
      for (const sg4::Link* l : st.route(h, r.host)) per_sample[l] += mean.output_bytes / b * wshare * rshare;
    }
  }
  for (sg4::Link* l : sg4::Engine::get_instance()->get_all_links()) {
    auto it = per_sample.find(l);
    if (it != per_sample.end()) res.push_back({"link " + l->get_name(), "link", l->get_bandwidth(), it->second});
  }
  res.push_back({"trainer demand", "trainer", total_demand, 1.0});
  return analytic_bound(std::move(res));
}

RunRecord collect(State& st, const Scenario& sc, sg4::Engine& e) {
  RunRecord rr;
  rr.warmup_s = st.window.begin;
  rr.window_s = st.window.end - st.window.begin;
  std::map<std::string, std::string> role;
  for (const Pool& p : sc.pools) for (const auto& h : p.hosts) role[h] = "fleet";
  for (const TrainerJob& j : sc.jobs) for (const auto& h : j.hosts) role[h] = "trainer";
  for (sg4::Host* h : e.get_all_hosts()) {
    HostRecord r;
    r.name = h->get_name();
    r.kind = prop(h->get_property("kind"));
    r.sku = prop(h->get_property("sku"));
    r.speed_flops = h->get_speed();
    r.cores = h->get_core_count();
    r.energy_j = st.host_energy_end[h] - st.host_energy_begin[h];
    r.busy_flops = st.host_busy_flops[h];
    r.idle_power_w = idle_watts(h);
    r.role = role.count(r.name) ? role[r.name] : "other";
    rr.hosts.push_back(r);
  }
  double links_power_w = 0;
  for (sg4::Link* l : e.get_all_links()) {
    LinkRecord r;
    r.name = l->get_name();
    r.sku = prop(l->get_property("sku"));
    r.host = prop(l->get_property("host"));
    r.bandwidth = l->get_bandwidth();
    r.bytes = st.link_bytes[l];
    r.energy_j = link_energy(l, r.bytes, rr.window_s);
    links_power_w += r.energy_j / rr.window_s;
    rr.links.push_back(r);
  }
  for (const DiskState& d : st.disks) rr.disks.push_back(d.record);
  rr.jobs = st.jobs;
  for (JobRecord& j : rr.jobs) j.replicas.clear();
  for (const Replica& r : st.replicas) rr.jobs[r.job].replicas.push_back(r.record);
  rr.latencies_s = st.latencies;
  rr.worker_pool = sc.stages[st.stage_order.front()].pool;
  rr.workers = static_cast<double>(st.worker_hosts.size());
  rr.worker_busy_s = st.worker_busy_s;
  // Hosts as sampled, plus links at their average power and disks at their busy power.
  rr.peak_power_w = st.peak_power_w + links_power_w + st.disk_peak_power_w;
  rr.samples_produced = st.produced;
  rr.samples_consumed = st.consumed;
  // Independent count of what is in flight: every replica owns `prefetch` slots, each either a pending request
  // or a batch sent and not yet taken.
  double slots = 0;
  for (const Replica& r : st.replicas) slots += sc.jobs[r.job].prefetch;
  double mean_samples = static_cast<double>(sc.dataset.batch_size);
  rr.samples_in_flight = (slots - static_cast<double>(st.requests.size())) * mean_samples;
  rr.activities = st.activities;
  rr.simulated_s = sg4::Engine::get_clock();

  ChunkWork mean = st.workload->mean_chunk();
  sg4::Host* w0 = st.worker_hosts.front();
  double compute = 0;
  for (int s : st.stage_order) compute += mean.stage_seconds[s] * kReferenceCoreFlops / w0->get_speed();
  rr.unloaded_latency_s = mean.stored_bytes / st.disks.front().disk->get_read_bandwidth() +
                          st.nominal_transfer_s(st.disks.front().host, w0, mean.stored_bytes) + compute +
                          st.nominal_transfer_s(w0, st.replicas.front().host, mean.output_bytes);
  rr.bound = bound(st);
  return rr;
}

}  // namespace

RunRecord simulate(const Scenario& sc, const Catalog& catalog, const Workload& workload,
                   const EngineOptions& options) {
  std::vector<std::string> args = engine_arguments(options.cfg);
  args.insert(args.begin() + 1, "--log=root.thres:critical");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  std::unique_ptr<sg4::Engine> owned;
  try {
    owned = std::make_unique<sg4::Engine>(&argc, argv.data());
  } catch (const std::exception& e) {
    throw InputError("--cfg", 0, "", fmt::format("SimGrid refused a configuration item: {}", e.what()));
  }
  sg4::Engine& engine = *owned;
  load_platform(engine, sc, catalog);

  State st;
  st.scenario = &sc;
  st.workload = &workload;
  st.window.begin = sc.run.warmup;
  st.window.end = sc.run.warmup + sc.run.duration;
  setup(st, sc, catalog, engine);

  State* sp = &st;
  for (std::size_t w = 0; w < st.worker_hosts.size(); ++w) {
    sg4::Actor::create(fmt::format("worker-{}", w), st.worker_hosts[w], [sp, w] {
      sg4::Actor::self()->daemonize();
      worker_actor(sp, static_cast<int>(w));
    });
  }
  for (std::size_t r = 0; r < st.replicas.size(); ++r) {
    sg4::Actor::create(fmt::format("trainer-{}", r), st.replicas[r].host, [sp, r] {
      sg4::Actor::self()->daemonize();
      replica_actor(sp, static_cast<int>(r));
    });
  }
  sg4::Host* any = st.replicas.front().host;
  double period = std::max(1e-3, sc.run.duration / 200.0);
  sg4::Actor::create("power-sampler", any, [sp, period] {
    sg4::Actor::self()->daemonize();
    power_sampler_actor(sp, period);
  });
  sg4::Actor::create("controller", any, [sp] { controller_actor(sp); });
  engine.run();
  return collect(st, sc, engine);
}

}  // namespace prepsim::sim
