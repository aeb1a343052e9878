// Reading an FpgaSpec from a YAML map (the keys are listed in docs/devices.md):
//
//   name: presto-smartssd            # optional; defaults to the name the caller gives (a catalog SKU's)
//   clock: 223MHz                    # optional device clock, the default of every unit's clock
//   dram_bandwidth: 19.2GB/s
//   dram_capacity: 4GiB
//   link_in: 3.94GB/s                # feeds the device
//   link_out: 3.94GB/s               # drains it
//   link_latency: 0s                 # optional, per transfer
//   buffers_per_pe: 2                # optional, default 2 (double buffering)
//   pipelined_across_chunks: {value: true, source: "assumption: ..."}
//   dram_traffic: every_unit         # optional: every_unit | links_only
//   units:
//     decoder: {ops: [decode], pes: 8, elements_per_cycle: 4}
//     log: {ops: [log], after: [decoder], pes: 504, latency_cycles: 20}
//
// Any numeric value may be written {value: ..., source: "..."}.
#include <fmt/format.h>

#include "models/config/input_error.h"
#include "models/devices/fpga.h"

namespace prepsim::devices {

using config::MapReader;
using config::Node;
using config::Range;

namespace {

const std::vector<std::string> kDramTraffic = {"every_unit", "links_only"};

FpgaUnit read_unit(Node& node, const std::string& name, const std::string& path,
                   const std::optional<double>& device_clock, Sources* sources) {
  MapReader r(node, path);
  std::string prefix = "units." + name + ".";
  FpgaUnit u;
  u.name = name;
  u.ops = r.strings("ops");
  for (const auto& op : u.ops) {
    if (find_op(op) == nullptr) r.fail("ops", fmt::format("unknown op '{}'; known ops: {}", op, op_names_joined()));
  }
  u.after = r.strings("after", std::vector<std::string>{});
  if (r.has("clock") || !device_clock) {
    u.clock_hz = param_quantity(r, "clock", Dim::Frequency, std::nullopt, Range::positive_only(), sources, prefix);
  } else {
    u.clock_hz = *device_clock;
  }
  u.elements_per_cycle =
      param_quantity(r, "elements_per_cycle", Dim::Ratio, "1", Range::positive_only(), sources, prefix);
  u.pes = param_integer(r, "pes", "1", Range::positive_only(), sources, prefix);
  u.latency_cycles =
      param_quantity(r, "latency_cycles", Dim::Count, "0", Range::non_negative_only(), sources, prefix);
  r.finish();
  return u;
}

}  // namespace

FpgaSpec read_fpga_spec(MapReader& r, const std::string& name) {
  FpgaSpec spec;
  Sources* src = &spec.sources;
  spec.name = r.string("name", name);
  std::optional<double> clock;
  if (r.has("clock")) clock = param_quantity(r, "clock", Dim::Frequency, std::nullopt, Range::positive_only(), src);
  spec.dram_bandwidth = param_quantity(r, "dram_bandwidth", Dim::Rate, std::nullopt, Range::positive_only(), src);
  spec.dram_capacity = param_quantity(r, "dram_capacity", Dim::Size, std::nullopt, Range::positive_only(), src);
  spec.link_in_bandwidth = param_quantity(r, "link_in", Dim::Rate, std::nullopt, Range::positive_only(), src);
  spec.link_out_bandwidth = param_quantity(r, "link_out", Dim::Rate, std::nullopt, Range::positive_only(), src);
  spec.link_latency = param_quantity(r, "link_latency", Dim::Time, "0s", Range::non_negative_only(), src);
  spec.buffers_per_pe = param_integer(r, "buffers_per_pe", "2", Range::positive_only(), src);
  spec.pipelined_across_chunks = param_boolean(r, "pipelined_across_chunks", std::nullopt, src);
  spec.dram_traffic = r.choice("dram_traffic", kDramTraffic, "every_unit") == "every_unit" ? DramTraffic::EveryUnit
                                                                                           : DramTraffic::LinksOnly;
  Node* units = r.map("units");
  std::string units_path = r.child_path("units");
  MapReader ru(*units, units_path);
  if (units->entries.empty()) r.fail("units", "a device needs at least one unit (e.g. decoder: {ops: [decode]})");
  for (auto& [name, body] : units->entries) {
    ru.skip(name);
    spec.units.push_back(read_unit(body, name, ru.child_path(name), clock, src));
  }
  ru.finish();

  // Graph-level problems (an op on two units, an unknown `after`, a cycle), located at the unit or key.
  if (auto p = find_problem(spec)) {
    if (p->unit < 0) r.fail(p->key, p->message);
    auto i = static_cast<std::size_t>(p->unit);
    Node& body = units->entries[i].second;
    MapReader rb(body, ru.child_path(units->entries[i].first));
    rb.fail(p->key, p->message);
  }
  return spec;
}

}  // namespace prepsim::devices
