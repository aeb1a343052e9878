#include "sim/engine.h"

#include <fmt/format.h>
#include <simgrid/plugins/energy.h>
#include <xbt/log.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>

#include "models/config/input_error.h"
#include "models/dag.h"
#include "sim/cfg_probe.h"
#include "sim/platform.h"
#include "sim/platform_check.h"
#include "sim/state.h"

namespace prepsim::sim {
namespace {

std::string prop(const char* v) { return v != nullptr ? v : ""; }

double idle_watts(const sg4::Host* h) {
  const char* w = h->get_property("wattage_per_state");
  return w != nullptr ? std::atof(w) : 0.0;
}

// The last wattage of pstate 0 ("idle:one core:all cores" or "idle:busy"): the host fully busy.
double full_watts(const sg4::Host* h) {
  std::string w = prop(h->get_property("wattage_per_state"));
  w = w.substr(0, w.find(','));
  auto colon = w.rfind(':');
  return std::atof(colon == std::string::npos ? w.c_str() : w.c_str() + colon + 1);
}


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
  Trainers& tr = st.trainers;
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
      tr.replicas.push_back(r);
      jr.replicas.push_back(r.record);
    }
    tr.jobs.push_back(jr);
    tr.barriers.push_back(tj.sync ? sg4::Barrier::create(static_cast<unsigned>(tj.hosts.size())) : nullptr);
  }
  setup_pipeline(st, sc, cat, e);
}

// Per-sample demand on every link of the routes src -> dst, for flows spread evenly over `srcs` and `dsts`
// (each weighted by its share), `bytes` per chunk of `b` samples.
void add_route_demand(State& st, std::map<const sg4::Link*, double>& per_sample,
                      const std::map<const sg4::Host*, double>& srcs, const std::map<const sg4::Host*, double>& dsts,
                      double bytes_per_sample) {
  for (auto [src, ws] : srcs) {
    for (auto [dst, wd] : dsts) {
      if (src == dst) continue;
      for (const sg4::Link* l : st.routes.between(src, dst)) per_sample[l] += bytes_per_sample * ws * wd;
    }
  }
}

// Each worker's host, weighted by its share of the workers.
std::map<const sg4::Host*, double> shares_of(const std::vector<Worker>& workers) {
  std::map<const sg4::Host*, double> out;
  for (const Worker& w : workers) out[w.host] += 1.0 / static_cast<double>(workers.size());
  return out;
}

BoundResult bound(State& st) {
  ChunkWork mean = st.workload->mean_chunk();
  double b = mean.rows;
  std::vector<BoundResource> res;
  std::map<const sg4::Link*, double> per_sample;
  std::map<const sg4::Host*, double> disk_hosts;
  const Pipeline& pl = st.pipeline;
  for (const DiskState& d : pl.disks) disk_hosts[d.host] += 1.0 / static_cast<double>(pl.disks.size());
  std::map<const sg4::Host*, double> from = disk_hosts;
  double bytes = mean.stored_bytes;
  for (const Segment& seg : pl.segments) {
    std::string name = seg.pool->name;
    double n_workers = static_cast<double>(seg.workers.size());
    if (seg.on_devices) {
      // Named with what binds the device inside (its units, DRAM, P2P link, kernels, host link): docs/devices.md.
      res.push_back({fmt::format("devices {} ({})", name, seg.mean_binding), "device",
                     static_cast<double>(seg.devices.size()), seg.mean_issue_s / b});
    } else {
      std::map<const sg4::Host*, int> workers;
      for (const Worker& w : seg.workers) workers[w.host]++;
      double capacity = 0;
      for (auto [h, n] : workers) capacity += std::min(n, h->get_core_count()) * h->get_speed();
      double cpu = 0, memory_bytes = 0;
      for (int s : seg.stages) {
        cpu += mean.stage_seconds[s];
        memory_bytes += mean.stage_memory_bytes[s];
      }
      res.push_back({"cpu cores " + name, "cpu", capacity, cpu * kReferenceCoreFlops / b});
      std::map<const sg4::Host*, double> memory_share;  // socket memory host -> share of the workers
      for (const Worker& w : seg.workers) {
        if (w.memory != nullptr) memory_share[w.memory] += 1.0 / n_workers;
      }
      for (auto [m, share] : memory_share) {
        res.push_back({"memory " + m->get_name(), "memory", m->get_speed(), memory_bytes / b * share});
      }
    }
    res.push_back({"workers " + name, "workers", n_workers, seg.service_s / b});
    std::map<const sg4::Host*, double> here = shares_of(seg.workers);
    add_route_demand(st, per_sample, from, here, bytes / b);
    from = here;
    bytes = cut_bytes(seg, mean);
  }
  for (const DiskState& d : pl.disks) {
    res.push_back({"disk " + d.record.host + ":" + d.record.name, "disk", d.disk->get_read_bandwidth(),
                   mean.stored_bytes / b / static_cast<double>(pl.disks.size())});
  }
  // Chunks go to replicas by their job's demand.
  double total_demand = 0;
  for (const JobRecord& j : st.trainers.jobs) total_demand += j.demand;
  std::map<const sg4::Host*, double> replicas;
  for (const Replica& r : st.trainers.replicas) {
    const JobRecord& j = st.trainers.jobs[r.job];
    replicas[r.host] += j.demand / total_demand / static_cast<double>(j.replicas.size());
  }
  add_route_demand(st, per_sample, from, replicas, bytes / b);
  for (sg4::Link* l : sg4::Engine::get_instance()->get_all_links()) {
    auto it = per_sample.find(l);
    if (it != per_sample.end()) res.push_back({"link " + l->get_name(), "link", l->get_bandwidth(), it->second});
  }
  res.push_back({"trainer demand", "trainer", total_demand, 1.0});
  return analytic_bound(std::move(res));
}

// The servers hosting the devices of device pools (a SmartSSD's storage server, an FPGA card's CPU server): for
// each device, the first host of kind storage or cpu, other than the device, that owns (`host` prop) a link on
// the route its chunks leave by. They belong to the device's option, so to the fleet (docs/metrics.md, Scopes).
std::set<std::string> hosting_servers(State& st, sg4::Engine& e) {
  std::set<std::string> out;
  const auto& segments = st.pipeline.segments;
  for (std::size_t s = 0; s < segments.size(); ++s) {
    const sg4::Host* next = s + 1 < segments.size() ? segments[s + 1].workers.front().host
                                                    : st.trainers.replicas.front().host;
    for (const Device& d : segments[s].devices) {
      if (d.host == next) continue;
      for (const sg4::Link* l : st.routes.between(d.host, next)) {
        std::string owner = prop(l->get_property("host"));
        const sg4::Host* h = owner.empty() || owner == d.host->get_name() ? nullptr : e.host_by_name_or_null(owner);
        std::string kind = h != nullptr ? prop(h->get_property("kind")) : "";
        if (kind == "storage" || kind == "cpu") {
          out.insert(owner);
          break;
        }
      }
    }
  }
  return out;
}

RunRecord collect(State& st, const Scenario& sc, sg4::Engine& e) {
  Accounting& acc = st.accounting;
  RunRecord rr;
  rr.warmup_s = acc.window.begin;
  rr.window_s = acc.window.end - acc.window.begin;
  std::map<std::string, std::string> role;
  for (const Pool& p : sc.pools) for (const auto& h : p.hosts) role[h] = "fleet";
  for (const std::string& h : hosting_servers(st, e)) role.emplace(h, "fleet");
  for (const TrainerJob& j : sc.jobs) for (const auto& h : j.hosts) role[h] = "trainer";
  for (sg4::Host* h : e.get_all_hosts()) {
    HostRecord r;
    r.name = h->get_name();
    r.kind = prop(h->get_property("kind"));
    r.sku = prop(h->get_property("sku"));
    r.speed_flops = h->get_speed();
    r.cores = h->get_core_count();
    r.energy_j = acc.host_energy_end[h] - acc.host_energy_begin[h];
    r.busy_flops = acc.host_busy_flops[h];
    r.idle_power_w = idle_watts(h);
    r.full_power_w = full_watts(h);
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
    r.bytes = acc.link_bytes[l];
    r.energy_j = link_energy(l, r.bytes, rr.window_s);
    if (const char* range = l->get_property("wattage_range")) {
      std::string w(range);
      r.full_power_w = std::atof(w.substr(w.find(':') + 1).c_str());
    }
    links_power_w += r.energy_j / rr.window_s;
    rr.links.push_back(r);
  }
  for (const DiskState& d : st.pipeline.disks) rr.disks.push_back(d.record);
  rr.jobs = st.trainers.jobs;
  for (JobRecord& j : rr.jobs) j.replicas.clear();
  for (const Replica& r : st.trainers.replicas) rr.jobs[r.job].replicas.push_back(r.record);
  rr.latencies_s = acc.latencies;
  std::vector<std::string> pools;
  rr.workers = 0;
  for (const Segment& seg : st.pipeline.segments) {
    pools.push_back(seg.pool->name);
    rr.workers += static_cast<double>(seg.workers.size());
  }
  rr.worker_pool = fmt::format("{}", fmt::join(pools, "+"));
  rr.worker_busy_s = acc.worker_busy_s;
  // Hosts as sampled, plus links at their average power and disks at their busy power.
  rr.peak_power_w = acc.peak_power_w + links_power_w + acc.disk_peak_power_w;
  rr.samples_produced = acc.produced;
  rr.samples_consumed = acc.consumed;
  // Independent count of what is in flight: every replica owns `prefetch` slots, each either a pending request
  // or a chunk sent and not yet taken.
  double slots = 0;
  for (const Replica& r : st.trainers.replicas) slots += sc.jobs[r.job].prefetch;
  double mean_samples = static_cast<double>(sc.dataset.batch_size);
  rr.samples_in_flight = (slots - static_cast<double>(st.trainers.requests.size())) * mean_samples;
  rr.activities = acc.activities;
  rr.simulated_s = acc.ended_at;
  rr.samples_in_pipeline_at_start = acc.in_pipeline_at_start;

  rr.unloaded_latency_s = st.pipeline.phases.unloaded_s();
  rr.bound = bound(st);
  return rr;
}

}  // namespace

RunRecord simulate(const Scenario& sc, const Catalog& catalog, const Workload& workload,
                   const EngineOptions& options) {
  RouteCheck routes = check_platform_file(sc.platform, route_needs(sc));
  probe_simgrid(options.cfg, sc.platform, routes.undecided);
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
  if (!routes.missing.empty()) throw routes.missing.front();

  State st;
  st.scenario = &sc;
  st.workload = &workload;
  st.accounting.window.begin = sc.run.warmup;
  st.accounting.window.end = sc.run.warmup + sc.run.duration;
  setup(st, sc, catalog, engine);
  check_run_limits(st, sc, options.force, bound(st).samples_per_s);
  if (options.progress) {
    sg4::Engine::on_time_advance_cb([&st, &options](double) {
      options.progress(sg4::Engine::get_clock(), st.accounting.window.end, st.accounting.activities);
    });
  }

  State* sp = &st;
  for (std::size_t s = 0; s < st.pipeline.segments.size(); ++s) {
    const Segment& seg = st.pipeline.segments[s];
    for (std::size_t w = 0; w < seg.workers.size(); ++w) {
      std::string name = s == 0 ? fmt::format("worker-{}", w) : fmt::format("worker-{}-{}", s, w);
      sg4::Actor::create(name, seg.workers[w].host, [sp, s, w] {
        sg4::Actor::self()->daemonize();
        worker_actor(sp, static_cast<int>(s), static_cast<int>(w));
      });
    }
  }
  for (std::size_t r = 0; r < st.trainers.replicas.size(); ++r) {
    sg4::Actor::create(fmt::format("trainer-{}", r), st.trainers.replicas[r].host, [sp, r] {
      sg4::Actor::self()->daemonize();
      replica_actor(sp, static_cast<int>(r));
    });
  }
  sg4::Host* any = st.trainers.replicas.front().host;
  double period = std::max(1e-3, sc.run.duration / 200.0);
  sg4::Actor::create("power-sampler", any, [sp, period] {
    sg4::Actor::self()->daemonize();
    power_sampler_actor(sp, period);
  });
  sg4::Actor::create("dispatcher", any, [sp] {
    sg4::Actor::self()->daemonize();
    dispatcher_actor(sp);
  });
  sg4::Actor::create("controller", any, [sp] { controller_actor(sp); });
  // The controller ends every actor at the window's end; SimGrid then only finishes the transfers still in flight
  // (detached sends, which no actor waits for or counts any more), so the run ends there whatever its load.
  engine.run();
  return collect(st, sc, engine);
}

}  // namespace prepsim::sim
