// The device catalog (platforms/catalog.yaml): per SKU what SimGrid does not model (price, lifetime, rental price, the
// power of devices that are not SimGrid hosts or whose XML host has no wattage) and the per-op CPU cost tables. Every
// value carries its source: `{value: "$9,000", source: "Dell list price, 2024-03"}`, where the source is a
// docs/sources.md entry, a datasheet or a dated price, or starts with "assumption:" and gives the reasoning.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "models/op_cost.h"

namespace prepsim {

namespace devices {
class DeviceModel;  // models/devices/device_model.h
}

struct Sourced {
  double value = 0;  // SI
  std::string source;
  std::string file;
  int line = 0;
};

struct Sku {
  std::string name;
  std::string kind;  // cpu | storage | disk | nic | a device kind (models/devices/device_kinds.h)
  std::string description;
  std::optional<Sourced> capex;       // $
  std::optional<Sourced> lifetime;    // s
  std::optional<Sourced> rental;      // $/s
  std::optional<Sourced> power_idle;  // W
  std::optional<Sourced> power_busy;  // W
  std::optional<Sourced> tdp;         // W: thermal design power, the figure PreSto's energy model uses
  // SKUs of a device kind: the device's model (`model:` in the catalog), every parameter with its source;
  // nullptr for other kinds.
  std::shared_ptr<const devices::DeviceModel> model;
  std::string file;
  int line = 0;
};

struct Catalog {
  std::string file;
  std::map<std::string, Sku> skus;
  std::map<std::string, CostTable> cpu_costs;

  const Sku* find(const std::string& name) const {
    auto it = skus.find(name);
    return it == skus.end() ? nullptr : &it->second;
  }
};

// Throws InputError on unknown keys, values without a unit or source, or unknown ops and cost terms.
Catalog load_catalog(const std::string& path);

}  // namespace prepsim
