// One interface over the device models for the engine and the catalog: a device SKU's model (fpga, isp,
// smartnic or gpu), the ops it refuses, how many chunks it holds at once, and what one chunk costs it.
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

#include "models/config/yaml_doc.h"
#include "models/devices/fpga.h"
#include "models/devices/gpu.h"
#include "models/devices/isp.h"
#include "models/devices/smartnic.h"
#include "models/op_registry.h"

namespace prepsim::devices {

struct DeviceModel {
  std::string kind;  // fpga | isp | smartnic | gpu
  std::optional<FpgaSpec> fpga;
  std::optional<IspSpec> isp;
  std::optional<SmartNicSpec> smartnic;
  std::optional<GpuSpec> gpu;

  // The hardware units of an fpga, isp or smartnic device; nullptr for a gpu.
  const FpgaSpec* units() const;
  // Ops of `ops` the device cannot run (a gpu runs every op but read).
  std::vector<std::string> refused_ops(const std::vector<std::string>& ops) const;
  // Chunks the device works on at once: its buffers per PE (2 = double buffering) for FPGA-based devices, 2
  // streams for a gpu.
  int slots() const;
};

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

// The cost of one chunk that enters with `bytes_in` (for an isp device: the stored bytes read from its SSD) and
// leaves with `bytes_out`. Throws DeviceError for a stage the device refuses or a chunk over device memory.
DeviceService device_service(const DeviceModel& model, const std::vector<DeviceStage>& stages, double bytes_in,
                             double bytes_out);

// Reads the `model:` map of a catalog SKU of kind `kind` (the reader of that device kind; unknown keys refused);
// the model is named `name` (the SKU) unless the map gives a `name`.
DeviceModel read_device_model(const std::string& kind, config::Node& node, const std::string& path,
                              const std::string& name = "");

// True for SKU kinds that carry a device model.
bool is_device_kind(const std::string& kind);

}  // namespace prepsim::devices
