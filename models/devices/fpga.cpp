#include "models/devices/fpga.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace prepsim::devices {

namespace {

// Index of each unit by name; -1 entries never happen after find_problem passed.
std::map<std::string, int> index_by_name(const FpgaSpec& spec) {
  std::map<std::string, int> idx;
  for (std::size_t i = 0; i < spec.units.size(); ++i) idx.emplace(spec.units[i].name, static_cast<int>(i));
  return idx;
}

// Kahn's algorithm over the `after` edges, lowest index first among ready units (deterministic). Returns fewer
// units than the spec has when there is a cycle. Assumes every `after` names a unit.
std::vector<int> topological_order(const FpgaSpec& spec) {
  auto idx = index_by_name(spec);
  std::size_t n = spec.units.size();
  std::vector<int> indegree(n, 0);
  std::vector<std::vector<int>> succ(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& a : spec.units[i].after) {
      succ[static_cast<std::size_t>(idx.at(a))].push_back(static_cast<int>(i));
      ++indegree[i];
    }
  }
  std::vector<int> order;
  std::vector<bool> done(n, false);
  while (order.size() < n) {
    int next = -1;
    for (std::size_t i = 0; i < n && next < 0; ++i) {
      if (!done[i] && indegree[i] == 0) next = static_cast<int>(i);
    }
    if (next < 0) break;  // cycle
    done[static_cast<std::size_t>(next)] = true;
    order.push_back(next);
    for (int s : succ[static_cast<std::size_t>(next)]) --indegree[static_cast<std::size_t>(s)];
  }
  return order;
}

FpgaSpecProblem problem(int unit, std::string key, std::string message) {
  return {unit, std::move(key), std::move(message)};
}

}  // namespace

double rounds(double features, std::int64_t pes) {
  if (pes < 1) throw DeviceError(fmt::format("a unit needs at least one PE (got {})", pes));
  if (features <= 0) return 0.0;
  return std::ceil(features / static_cast<double>(pes));
}

std::optional<FpgaSpecProblem> find_problem(const FpgaSpec& spec) {
  if (spec.units.empty()) return problem(-1, "units", "a device needs at least one unit");
  if (!(spec.dram_bandwidth > 0)) return problem(-1, "dram_bandwidth", "must be greater than zero");
  if (!(spec.dram_capacity > 0)) return problem(-1, "dram_capacity", "must be greater than zero");
  if (!(spec.link_in_bandwidth > 0)) return problem(-1, "link_in", "must be greater than zero");
  if (!(spec.link_out_bandwidth > 0)) return problem(-1, "link_out", "must be greater than zero");
  if (!(spec.link_latency >= 0)) return problem(-1, "link_latency", "must not be negative");
  if (spec.buffers_per_pe < 1) return problem(-1, "buffers_per_pe", "must be at least 1 (2 = double buffering)");
  std::map<std::string, int> seen;
  std::map<std::string, std::string> op_unit;
  for (std::size_t i = 0; i < spec.units.size(); ++i) {
    const FpgaUnit& u = spec.units[i];
    int ui = static_cast<int>(i);
    if (u.name.empty()) return problem(ui, "", "a unit needs a name");
    if (!seen.emplace(u.name, ui).second) return problem(ui, "", fmt::format("unit '{}' is defined twice", u.name));
    if (!(u.clock_hz > 0)) return problem(ui, "clock", "must be greater than zero");
    if (!(u.elements_per_cycle > 0)) return problem(ui, "elements_per_cycle", "must be greater than zero");
    if (u.pes < 1) return problem(ui, "pes", "a unit needs at least one PE");
    if (!(u.latency_cycles >= 0)) return problem(ui, "latency_cycles", "must not be negative");
    if (u.ops.empty()) return problem(ui, "ops", "a unit implements at least one op");
    for (const auto& op : u.ops) {
      if (find_op(op) == nullptr) {
        return problem(ui, "ops", fmt::format("unknown op '{}'; known ops: {}", op, op_names_joined()));
      }
      auto [it, fresh] = op_unit.emplace(op, u.name);
      if (!fresh) {
        return problem(ui, "ops", fmt::format("op '{}' is already implemented by unit '{}': one unit per op", op,
                                              it->second));
      }
    }
  }
  for (std::size_t i = 0; i < spec.units.size(); ++i) {
    for (const auto& a : spec.units[i].after) {
      if (a == spec.units[i].name) return problem(static_cast<int>(i), "after", "a unit cannot follow itself");
      if (seen.find(a) == seen.end()) {
        std::vector<std::string> names;
        for (const auto& u : spec.units) names.push_back(u.name);
        return problem(static_cast<int>(i), "after",
                       fmt::format("unknown unit '{}'; units: {}", a, fmt::join(names, ", ")));
      }
    }
  }
  if (topological_order(spec).size() != spec.units.size()) {
    return problem(-1, "units", "the unit graph has a cycle (follow the 'after' lists)");
  }
  return std::nullopt;
}

void validate(const FpgaSpec& spec) {
  if (auto p = find_problem(spec)) {
    std::string where = p->unit >= 0 ? fmt::format("unit '{}'", spec.units[static_cast<std::size_t>(p->unit)].name)
                                     : std::string("device");
    throw DeviceError(fmt::format("fpga '{}': {}{}{}: {}", spec.name, where, p->key.empty() ? "" : " ", p->key,
                                  p->message));
  }
}

const FpgaUnit* unit_for(const FpgaSpec& spec, std::string_view op) {
  for (const auto& u : spec.units) {
    if (std::find(u.ops.begin(), u.ops.end(), op) != u.ops.end()) return &u;
  }
  return nullptr;
}

bool refuses(const FpgaSpec& spec, std::string_view op) { return unit_for(spec, op) == nullptr; }

std::vector<std::string> refused_ops(const FpgaSpec& spec, const std::vector<std::string>& ops) {
  std::vector<std::string> out;
  for (const auto& op : ops) {
    if (refuses(spec, op) && std::find(out.begin(), out.end(), op) == out.end()) out.push_back(op);
  }
  return out;
}

double memory_required(const FpgaSpec& spec, const FpgaChunk& chunk) {
  double buffers = static_cast<double>(spec.buffers_per_pe);
  double total = buffers * (chunk.link_in_bytes + chunk.link_out_bytes);
  for (const auto& u : spec.units) {
    double largest = 0;
    for (const auto& s : chunk.stages) {
      if (s.features <= 0 || unit_for(spec, s.op) != &u) continue;
      double per_feature = (s.bytes_in + s.bytes_out) / s.features;
      largest = std::max(largest, std::min(static_cast<double>(u.pes), s.features) * per_feature);
    }
    total += buffers * largest;
  }
  return total;
}

FpgaPerformance fpga_performance(const FpgaSpec& spec, const FpgaChunk& chunk) {
  validate(spec);
  std::vector<std::string> ops;
  for (const auto& s : chunk.stages) {
    ops.push_back(s.op);
    if (s.features < 0 || s.elements_per_feature < 0 || s.bytes_in < 0 || s.bytes_out < 0) {
      throw DeviceError(fmt::format("fpga '{}': stage '{}' has a negative size", spec.name, s.op));
    }
  }
  if (chunk.link_in_bytes < 0 || chunk.link_out_bytes < 0) {
    throw DeviceError(fmt::format("fpga '{}': a chunk's link bytes cannot be negative", spec.name));
  }
  if (auto refused = refused_ops(spec, ops); !refused.empty()) {
    throw DeviceError(fmt::format("fpga '{}' has no unit for {}: refuse the placement or send {} to a CPU fallback",
                                  spec.name, fmt::join(refused, ", "), refused.size() == 1 ? "it" : "them"));
  }
  FpgaPerformance perf;
  perf.memory_bytes = memory_required(spec, chunk);
  if (perf.memory_bytes > spec.dram_capacity) {
    throw DeviceError(fmt::format(
        "fpga '{}': a chunk needs {} of device memory ({} buffers per PE over the PEs' share of the chunk, plus the "
        "chunk in and out) but the device has {}: use smaller chunks, fewer PEs or fewer buffers",
        spec.name, describe(perf.memory_bytes, Dim::Size), spec.buffers_per_pe,
        describe(spec.dram_capacity, Dim::Size)));
  }

  std::size_t n = spec.units.size();
  std::vector<double> seconds(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) perf.units.push_back({spec.units[i].name, 0.0, 0.0});
  double stage_bytes = 0;
  for (const auto& s : chunk.stages) {
    const FpgaUnit* u = unit_for(spec, s.op);
    auto i = static_cast<std::size_t>(u - spec.units.data());
    double r = rounds(s.features, u->pes);
    double cycles = r * (s.elements_per_feature / u->elements_per_cycle + u->latency_cycles);
    perf.units[i].rounds += r;
    seconds[i] += cycles / u->clock_hz;
    stage_bytes += s.bytes_in + s.bytes_out;
  }
  for (std::size_t i = 0; i < n; ++i) perf.units[i].seconds = seconds[i];

  // Longest path through the unit graph: finish(u) = seconds(u) + max over its predecessors of finish.
  auto idx = index_by_name(spec);
  std::vector<double> finish(n, 0.0);
  std::vector<int> from(n, -1);
  for (int ui : topological_order(spec)) {
    auto i = static_cast<std::size_t>(ui);
    for (const auto& a : spec.units[i].after) {
      int p = idx.at(a);
      if (from[i] < 0 || finish[static_cast<std::size_t>(p)] > finish[static_cast<std::size_t>(from[i])]) from[i] = p;
    }
    finish[i] = seconds[i] + (from[i] >= 0 ? finish[static_cast<std::size_t>(from[i])] : 0.0);
  }
  int end = 0;
  for (std::size_t i = 1; i < n; ++i) {
    if (finish[i] > finish[static_cast<std::size_t>(end)]) end = static_cast<int>(i);
  }
  perf.compute_s = finish[static_cast<std::size_t>(end)];
  for (int u = end; u >= 0; u = from[static_cast<std::size_t>(u)]) {
    auto i = static_cast<std::size_t>(u);
    if (seconds[i] > 0) perf.critical_path.push_back(spec.units[i].name);
  }
  std::reverse(perf.critical_path.begin(), perf.critical_path.end());

  auto link_s = [&](double bytes, double bw) { return bytes > 0 ? bytes / bw + spec.link_latency : 0.0; };
  perf.latency_s = link_s(chunk.link_in_bytes, spec.link_in_bandwidth) + perf.compute_s +
                   link_s(chunk.link_out_bytes, spec.link_out_bandwidth);

  // Throughput bounds. Pipelined: each unit works on its own chunk, so each unit bounds separately. Not
  // pipelined: the next chunk enters when the current one has left every unit, so the critical path bounds.
  if (spec.pipelined_across_chunks) {
    for (std::size_t i = 0; i < n; ++i) {
      if (seconds[i] > 0) perf.limits.push_back({"unit:" + spec.units[i].name, 1.0 / seconds[i]});
    }
  } else if (perf.compute_s > 0) {
    perf.limits.push_back({"units", 1.0 / perf.compute_s});
  }
  perf.dram_bytes = chunk.link_in_bytes + chunk.link_out_bytes;
  if (spec.dram_traffic == DramTraffic::EveryUnit) perf.dram_bytes += stage_bytes;
  if (perf.dram_bytes > 0) perf.limits.push_back({"dram", spec.dram_bandwidth / perf.dram_bytes});
  if (chunk.link_in_bytes > 0) perf.limits.push_back({"link_in", spec.link_in_bandwidth / chunk.link_in_bytes});
  if (chunk.link_out_bytes > 0) perf.limits.push_back({"link_out", spec.link_out_bandwidth / chunk.link_out_bytes});

  choose_binding(perf);
  return perf;
}

void choose_binding(FpgaPerformance& perf) {
  perf.chunks_per_s = std::numeric_limits<double>::infinity();
  perf.binding = "none";
  for (const auto& l : perf.limits) {
    if (l.chunks_per_s < perf.chunks_per_s) {
      perf.chunks_per_s = l.chunks_per_s;
      perf.binding = l.resource;
    }
  }
}

FpgaStageWork stage_work(const std::string& op, double features, const OpWork& work, double bytes_in,
                         double bytes_out) {
  FpgaStageWork s;
  s.op = op;
  s.features = features;
  s.elements_per_feature = features > 0 ? work.elements / features : 0.0;
  s.bytes_in = bytes_in;
  s.bytes_out = bytes_out;
  return s;
}

}  // namespace prepsim::devices
