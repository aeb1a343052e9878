#include "models/devices/device_kinds.h"

#include <fmt/format.h>

#include "models/devices/fpga.h"
#include "models/devices/gpu.h"
#include "models/devices/isp.h"
#include "models/devices/smartnic.h"

namespace prepsim::devices {

const std::vector<DeviceKind>& device_kinds() {
  // name, reader, stores_dataset, on_trainer_hosts
  static const std::vector<DeviceKind> kinds = {
      {"isp", read_isp_device, true, false},            // a SmartSSD: an FPGA behind the SSD holding the data
      {"fpga", read_fpga_device, false, false},         // an FPGA card on a PCIe link
      {"smartnic", read_smartnic_device, false, false},  // FPGA units on the network path
      {"gpu", read_gpu_device, false, true},            // a GPU of its own, or the trainer's
  };
  return kinds;
}

const DeviceKind* find_device_kind(std::string_view name) {
  for (const DeviceKind& k : device_kinds()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::vector<std::string> with_device_kinds(std::vector<std::string> before, const std::vector<std::string>& after) {
  for (const DeviceKind& k : device_kinds()) before.emplace_back(k.name);
  before.insert(before.end(), after.begin(), after.end());
  return before;
}

std::vector<std::string> kinds_where(bool DeviceKind::*trait) {
  std::vector<std::string> out;
  for (const DeviceKind& k : device_kinds()) {
    if (k.*trait) out.emplace_back(k.name);
  }
  return out;
}

std::string join_or(const std::vector<std::string>& names) {
  if (names.size() <= 1) return names.empty() ? std::string() : names.front();
  std::vector<std::string> head(names.begin(), names.end() - 1);
  return fmt::format("{} or {}", fmt::join(head, ", "), names.back());
}

std::unique_ptr<const DeviceModel> read_device_model(const std::string& kind, config::Node& node,
                                                     const std::string& path, const std::string& name) {
  const DeviceKind* k = find_device_kind(kind);
  if (k == nullptr) throw DeviceError(fmt::format("no device model for kind '{}'", kind));
  config::MapReader r(node, path);
  std::unique_ptr<DeviceModel> m = k->read(r, name);
  r.finish();
  m->kind = k->name;
  return m;
}

}  // namespace prepsim::devices
