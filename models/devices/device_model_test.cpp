// (models headers first: <signal.h>, which gtest pulls in, defines si_value as a macro)
#include "models/devices/device_model.h"
#include "models/config/yaml_doc.h"
#include "models/devices/device_kinds.h"
#include "models/devices/fpga.h"
#include "models/devices/gpu.h"
#include "models/devices/isp.h"
#include "models/devices/smartnic.h"

#include <gtest/gtest.h>

namespace prepsim::devices {
namespace {

FpgaUnit unit(std::string name, std::vector<std::string> ops, std::vector<std::string> after) {
  FpgaUnit u;
  u.name = std::move(name);
  u.ops = std::move(ops);
  u.after = std::move(after);
  u.clock_hz = 1e6;  // 1 element per cycle per PE: 1 us per element
  return u;
}

// decode (1 ms) -> hash (2 ms) on a device whose DRAM never binds; links of 1 GB/s.
FpgaSpec chain(bool pipelined) {
  FpgaSpec s;
  s.name = "chain";
  s.units = {unit("decoder", {"decode"}, {}), unit("hash", {"sigrid_hash"}, {"decoder"})};
  s.dram_bandwidth = 1e15;
  s.dram_capacity = 1e15;
  s.link_in_bandwidth = 1e9;
  s.link_out_bandwidth = 1e9;
  s.pipelined_across_chunks = pipelined;
  return s;
}

std::vector<DeviceStage> chunk() {
  DeviceStage d{"decode", 1, {}, 0, 0};
  d.work.elements = 1000;
  DeviceStage h{"sigrid_hash", 1, {}, 0, 0};
  h.work.elements = 2000;
  return {d, h};
}

TEST(DeviceModel, PipelinedFpgaIssuesFasterThanItsLatency) {
  FpgaDevice m(chain(true));
  // 1 MB crosses each link: 1 ms each way, but a card's links are platform links: not in the device's service.
  DeviceService s = device_service(m, chunk(), 1e6, 1e6);
  EXPECT_NEAR(s.issue_s, 2e-3, 1e-12);    // the slowest unit
  EXPECT_NEAR(s.latency_s, 3e-3, 1e-12);  // the chain of both units
  EXPECT_EQ(s.binding, "unit:hash");
}

TEST(DeviceModel, UnpipelinedFpgaTakesTheWholeChainPerChunk) {
  FpgaDevice m(chain(false));
  DeviceService s = device_service(m, chunk(), 1e6, 1e6);
  EXPECT_NEAR(s.issue_s, 3e-3, 1e-12);
  EXPECT_NEAR(s.latency_s, 3e-3, 1e-12);
  EXPECT_EQ(s.binding, "units");
}

TEST(DeviceModel, IspKeepsItsPeerToPeerLinkInside) {
  IspSpec spec;
  spec.fpga = chain(true);
  spec.capacity = 1e12;
  spec.ssd_read_bandwidth = 3e9;
  IspDevice m(spec);
  // 4 MB from the SSD cross the 1 GB/s P2P link (4 ms: binds, and adds to the latency); the uplink is outside.
  DeviceService s = device_service(m, chunk(), 4e6, 1e6);
  EXPECT_NEAR(s.issue_s, 4e-3, 1e-12);
  EXPECT_EQ(s.binding, "link_in");
  EXPECT_NEAR(s.latency_s, 4e-3 + 3e-3, 1e-12);
}

TEST(DeviceModel, SmartNicLineRateIsLeftToThePlatform) {
  SmartNicSpec spec;
  spec.device = chain(true);
  spec.line_rate = 1e6;
  SmartNicDevice m(spec);  // 1 MB/s: would bind at 1 chunk/s, but the engine simulates the wire as a link
  DeviceService s = device_service(m, chunk(), 1e6, 0);
  EXPECT_NEAR(s.issue_s, 2e-3, 1e-12);
}

TEST(DeviceModel, GpuIsBandwidthPlusLaunchesPerStage) {
  GpuDevice m(GpuSpec{});
  m.spec.achieved_bandwidth = 1e12;
  m.spec.launch_overhead = 5e-6;
  std::vector<DeviceStage> st = chunk();
  st[0].bytes_in = 1e9;
  st[1].bytes_out = 1e9;
  DeviceService s = device_service(m, st, 0, 0);
  EXPECT_NEAR(s.issue_s, 2e-3 + 2 * 5e-6, 1e-12);
  EXPECT_DOUBLE_EQ(s.latency_s, s.issue_s);
}

TEST(DeviceModel, GpuStagesTheChunkWhileItsKernelsRun) {
  GpuDevice m(GpuSpec{});
  m.spec.achieved_bandwidth = 1e12;
  m.spec.launch_overhead = 5e-6;
  m.spec.software_efficiency = 0.5;
  m.spec.launch_per_column = true;
  m.spec.host_link_bandwidth = 25e9;
  std::vector<DeviceStage> st = chunk();
  st[0].features = 10;  // 10 columns: 10 launches
  st[0].bytes_in = 1e9;
  // Kernels: 1 GB at 0.5 TB/s + 10 launches + 1 launch of the empty second stage.
  const double kernels = 2e-3 + 11 * 5e-6;
  DeviceService s = device_service(m, st, 50e6, 0);  // 50 MB staged: 2 ms, hidden behind the kernels
  EXPECT_NEAR(s.busy_s, kernels, 1e-12);
  EXPECT_NEAR(s.issue_s, kernels, 1e-12);
  EXPECT_NEAR(s.latency_s, 2e-3 + kernels, 1e-12);
  EXPECT_EQ(s.binding, "kernels");
  s = device_service(m, st, 100e6, 0);  // 4 ms of staging: the copy engines bind, the SMs are busy for less
  EXPECT_NEAR(s.issue_s, 4e-3, 1e-12);
  EXPECT_NEAR(s.busy_s, kernels, 1e-12);
  EXPECT_EQ(s.binding, "host_link");
}

TEST(DeviceModel, RefusedOpsAndSlots) {
  FpgaDevice fpga(chain(true));
  EXPECT_EQ(fpga.refused_ops({"decode", "firstx", "log", "firstx"}), (std::vector<std::string>{"firstx", "log"}));
  EXPECT_EQ(fpga.slots(), 2);  // double buffering by default
  EXPECT_THROW(device_service(fpga, {DeviceStage{"log", 1, {}, 0, 0}}, 0, 0), DeviceError);
  GpuDevice gpu(GpuSpec{});
  EXPECT_EQ(gpu.refused_ops({"log", "read"}), (std::vector<std::string>{"read"}));
  EXPECT_EQ(gpu.slots(), 2);  // two streams
}

TEST(DeviceModel, ReadFromACatalogMap) {
  config::Node tree = config::load_yaml_string(R"yaml(
m:
  achieved_bandwidth: {value: 1.2TB/s, source: "assumption: test"}
  launch_overhead: 5us
)yaml", "catalog.yaml");
  std::unique_ptr<const DeviceModel> m = read_device_model("gpu", *tree.find("m"), "skus.x.model", "x");
  EXPECT_EQ(m->kind, "gpu");
  const GpuSpec& g = dynamic_cast<const GpuDevice&>(*m).spec;
  EXPECT_EQ(g.name, "x");  // the SKU's name, as the map gives none
  EXPECT_DOUBLE_EQ(g.achieved_bandwidth, 1.2e12);
  EXPECT_EQ(g.sources.at("achieved_bandwidth"), "assumption: test");
  EXPECT_THROW(read_device_model("cpu", *tree.find("m"), "skus.x.model", "x"), DeviceError);
}

}  // namespace
}  // namespace prepsim::devices
