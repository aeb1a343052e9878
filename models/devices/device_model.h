// One interface over the device models for the engine, the catalog and the plan: what a device of any kind (a
// row of the device-kind table, device_kinds.h) refuses, how many chunks it holds at once, what one chunk costs
// it, and the part of the dataset it stores. Each kind's model files derive from DeviceModel.
//
// The engine simulates what is shared through SimGrid (disks, PCIe and network links, the trainer GPU) and asks
// this file only for what is private to a device: how long the device is occupied by a chunk (`issue_s`, the
// inverse of its internal throughput) and the chunk's unloaded latency through its internal parts (`latency_s`).
// Which links are internal: an ISP device's SSD -> FPGA peer-to-peer link (nothing else crosses it); every
// other link (a card's PCIe link, a SmartNIC's wire, an ISP device's uplink) is a SimGrid link in the platform.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/op_registry.h"

namespace prepsim::devices {

// One stage of a chunk as a device sees it.
struct DeviceStage {
  std::string op;
  double features = 0;  // features the stage touches; for a whole-chunk op (decode) every column of the chunk
  OpWork work;
  double bytes_in = 0;   // B
  double bytes_out = 0;  // B
};

struct DeviceService {
  double issue_s = 0;    // s the device is occupied per chunk: 1 / its throughput without external links
  double busy_s = 0;     // s of it its compute works (<= issue_s): a gpu's kernels, not its copy engines
  double latency_s = 0;  // s through the device's internal parts, unloaded (>= issue_s)
  std::string binding;   // what sets issue_s: "unit:<u>", "units", "dram", "link_in" (isp P2P), "kernels" or
                         // "host_link" (gpu)
};

// The dataset partition a device keeps on its own flash (kinds whose row says stores_dataset: isp).
struct DatasetStore {
  double capacity = 0;        // B of dataset one device stores
  double read_bandwidth = 0;  // B/s its flash sustains for sequential reads
};

class DeviceModel {
 public:
  virtual ~DeviceModel() = default;

  std::string kind;  // its row of the device-kind table (set by read_device_model)

  // Ops of `ops` the device cannot run, in their order, without repeats.
  virtual std::vector<std::string> refused_ops(const std::vector<std::string>& ops) const = 0;
  // Chunks the device works on at once.
  virtual int slots() const = 0;
  // The partition of the dataset the device stores; nullopt for a device that stores none.
  virtual std::optional<DatasetStore> store() const { return std::nullopt; }

 private:
  friend DeviceService device_service(const DeviceModel&, const std::vector<DeviceStage>&, double, double);
  virtual DeviceService service(const std::vector<DeviceStage>& stages, double bytes_in, double bytes_out) const = 0;
};

// The cost of one chunk that enters with `bytes_in` (for an isp device: the stored bytes read from its SSD) and
// leaves with `bytes_out`. Throws DeviceError for a stage the device refuses or a chunk over device memory.
DeviceService device_service(const DeviceModel& model, const std::vector<DeviceStage>& stages, double bytes_in,
                             double bytes_out);

}  // namespace prepsim::devices
