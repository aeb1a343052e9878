// The device-kind table: the one place that says which kinds of preprocessing device exist. A row gives a
// kind's name (the catalog SKU kind, the scenario pool kind, the platform host kind and the `prepsim plan`
// option), its spec reader (which builds its model, a DeviceModel of the kind's own files) and the traits the
// scenario, the engine and the plan act on. Everything else iterates over the table; adding a device kind is a
// row here plus its model files (docs/devices.md, "Adding a device kind").
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/config/map_reader.h"
#include "models/devices/device_model.h"

namespace prepsim::devices {

struct DeviceKind {
  std::string_view name;
  // Reads the kind's keys of a catalog SKU's `model:` map (read_device_model refuses the keys left over) into
  // its model; the device is named `name` (the SKU's) unless the map gives a `name`.
  std::unique_ptr<DeviceModel> (*read)(config::MapReader& r, const std::string& name);
  // Its devices store a partition of the dataset on their own flash (DeviceModel::store()): the read stage runs
  // on its pool, a device processes only the data it stores, the pool sets the partitions' `skew`, and a plan
  // needs at least the devices that hold the dataset.
  bool stores_dataset = false;
  // Its pool may preprocess on the trainers' own hosts (taking time from training), which it then shares.
  bool on_trainer_hosts = false;
};

// The rows, in the order error messages list them. Every kind is also a placement option of `prepsim plan`
// (analysis/plan/plan_option.h), sized by its pool's host count.
const std::vector<DeviceKind>& device_kinds();
// The row of `name`, or nullptr for a kind that is not a device (cpu, storage ...).
const DeviceKind* find_device_kind(std::string_view name);
// `before`, then the device kinds' names in table order, then `after`: the valid kinds of a catalog SKU, a pool
// or a platform host.
std::vector<std::string> with_device_kinds(std::vector<std::string> before, const std::vector<std::string>& after = {});
// Names of the kinds whose row has `trait` set, e.g. kinds_where(&DeviceKind::stores_dataset).
std::vector<std::string> kinds_where(bool DeviceKind::*trait);
// "a, b or c" ("a" for one name): how messages list the valid kinds.
std::string join_or(const std::vector<std::string>& names);

// Reads the `model:` map of a catalog SKU of device kind `kind` with its row's reader; unknown keys refused.
// Throws DeviceError for a kind with no row.
std::unique_ptr<const DeviceModel> read_device_model(const std::string& kind, config::Node& node,
                                                     const std::string& path, const std::string& name);

}  // namespace prepsim::devices
