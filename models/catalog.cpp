#include "models/catalog.h"

#include <fmt/format.h>

#include "models/calibration/calibration_file.h"
#include "models/config/input_error.h"
#include "models/config/map_reader.h"
#include "models/devices/device_kinds.h"
#include "models/devices/device_params.h"

namespace prepsim {

using config::MapReader;
using config::Node;
using config::Range;

namespace {

// The device kinds (a trainer's GPU is a gpu SKU too) come from the device-kind table.
const std::vector<std::string> kSkuKinds = devices::with_device_kinds({"cpu", "storage", "disk", "nic"});

// An optional {value, source}: the device models' reader, so every sourced number is read one way.
std::optional<Sourced> read_sourced(MapReader& parent, const std::string& key, Dim dim) {
  if (!parent.has(key)) return std::nullopt;
  return devices::sourced_value(parent, key, dim);
}

CostTable read_cost_table(Node& node, const std::string& name) {
  MapReader r(node, "cpu_costs." + name);
  CostTable t;
  t.source = r.string("source");
  if (t.source.empty()) r.fail("source", "a cost table says where its coefficients came from");
  if (r.has("calibration")) {
    // A calibration file written by `prepsim calibrate`, relative to the catalog.
    std::string path = r.file_path("calibration");
    std::string file = node.find("calibration")->scalar;
    try {
      // Named as the catalog writes it, so outputs do not depend on where the checkout lives.
      CostTable measured = calibration::to_cost_table(calibration::read_calibration_file(path), file);
      measured.source = t.source + " [" + measured.source + "]";
      r.finish();
      return measured;
    } catch (const std::runtime_error& e) {
      r.fail("calibration", e.what());
    }
  }
  Node* ops = r.map("ops");
  MapReader ro(*ops, r.child_path("ops"));
  for (auto& [op_name, body] : ops->entries) {
    ro.skip(op_name);
    const OpInfo* op = find_op(op_name);
    if (op == nullptr) {
      ro.fail(op_name, fmt::format("unknown op; known ops: {}", op_names_joined()));
    }
    MapReader rc(body, ro.child_path(op_name));
    OpCostCoefficients c;
    for (CostTerm term : op->signature) {
      std::string tname(to_string(term));
      c.terms.emplace_back(term, rc.quantity(tname, Dim::Time, "0s", Range::non_negative_only()));
    }
    c.output_bytes_per_input_element =
        rc.quantity("output_bytes_per_input_element", Dim::Ratio, "0", Range::non_negative_only());
    rc.finish();
    t.ops[op_name] = c;
  }
  r.finish();
  return t;
}

}  // namespace

Catalog load_catalog(const std::string& path) {
  Node tree = config::load_yaml_file(path);
  Catalog cat;
  cat.file = path;
  MapReader top(tree, "");
  top.expect_schema("prepsim-catalog/v1");
  top.string("description", "");
  Node* skus = top.map("skus");
  MapReader rs(*skus, "skus");
  for (auto& [name, body] : skus->entries) {
    rs.skip(name);
    MapReader r(body, "skus." + name);
    Sku sku;
    sku.name = name;
    sku.file = body.file;
    sku.line = body.line;
    sku.kind = r.choice("kind", kSkuKinds);
    sku.description = r.string("description", "");
    sku.capex = read_sourced(r, "capex", Dim::Money);
    sku.lifetime = read_sourced(r, "lifetime", Dim::Time);
    sku.rental = read_sourced(r, "rental", Dim::MoneyRate);
    sku.power_idle = read_sourced(r, "power_idle", Dim::Power);
    sku.power_busy = read_sourced(r, "power_busy", Dim::Power);
    sku.tdp = read_sourced(r, "tdp", Dim::Power);
    if (sku.power_idle.has_value() != sku.power_busy.has_value()) {
      r.fail(sku.power_idle ? "power_busy" : "power_idle", "give power_idle and power_busy together");
    }
    if (Node* model = r.map("model", true)) {
      if (devices::find_device_kind(sku.kind) == nullptr) {
        r.fail("model", fmt::format("a {} SKU has no device model; `model:` is for kinds {}", sku.kind,
                                    fmt::join(devices::with_device_kinds({}), ", ")));
      }
      sku.model = devices::read_device_model(sku.kind, *model, r.child_path("model"), name);
    }
    if (sku.capex && !sku.lifetime) r.fail("capex", "a capex needs a lifetime to amortize over");
    if (sku.lifetime && !(sku.lifetime->value > 0)) r.fail("lifetime", "a lifetime must be greater than zero");
    r.finish();
    cat.skus[name] = sku;
  }
  if (Node* costs = top.map("cpu_costs", true)) {
    MapReader rc(*costs, "cpu_costs");
    for (auto& [name, body] : costs->entries) {
      rc.skip(name);
      cat.cpu_costs[name] = read_cost_table(body, name);
    }
  }
  top.finish();
  return cat;
}

}  // namespace prepsim
