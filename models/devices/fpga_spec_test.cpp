// Reading device specs from YAML: values with units, sources, defaults written back, located errors.
// (models headers first: <signal.h>, which gtest pulls in, defines si_value as a macro)
#include "models/config/input_error.h"
#include "models/config/yaml_doc.h"
#include "models/devices/device_kinds.h"
#include "models/devices/fpga.h"
#include "models/devices/gpu.h"
#include "models/devices/smartnic.h"

#include <gtest/gtest.h>

#include <string>

namespace prepsim::devices {
namespace {

const std::string kSpec =
    "dev:\n"                                                                      // 1
    "  clock: 200MHz\n"                                                           // 2
    "  dram_bandwidth: 10GB/s\n"                                                  // 3
    "  dram_capacity: 1GiB\n"                                                     // 4
    "  link_in: {value: 1GB/s, source: \"datasheet X\"}\n"                        // 5
    "  link_out: 1GB/s\n"                                                         // 6
    "  pipelined_across_chunks: {value: false, source: \"assumption: test\"}\n"  // 7
    "  units:\n"                                                                  // 8
    "    dec: {ops: [decode], pes: 4}\n"                                          // 9
    "    hash: {ops: [sigrid_hash], after: [dec], clock: 100MHz, elements_per_cycle: 2}\n";  // 10

// The spec of kind `kind` the device-kind table reads from the map at `node` (named after `path`).
template <class Device>
decltype(Device::spec) spec_from(const std::string& kind, config::Node& node, const std::string& path) {
  std::unique_ptr<const DeviceModel> m = read_device_model(kind, node, path, path);
  return dynamic_cast<const Device&>(*m).spec;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The InputError reading `text` raises (fails the test when there is none).
InputError error_of(const std::string& text) {
  config::Node tree = config::load_yaml_string(text, "dev.yaml");
  try {
    spec_from<FpgaDevice>("fpga", *tree.find("dev"), "dev");
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return InputError("", 0, "", "");
}

TEST(FpgaSpecYaml, ReadsUnitsSourcesAndDefaults) {
  config::Node tree = config::load_yaml_string(kSpec, "dev.yaml");
  FpgaSpec s = spec_from<FpgaDevice>("fpga", *tree.find("dev"), "dev");
  EXPECT_EQ(s.name, "dev");
  ASSERT_EQ(s.units.size(), 2u);
  EXPECT_DOUBLE_EQ(s.units[0].clock_hz, 200e6);  // the device clock
  EXPECT_DOUBLE_EQ(s.units[1].clock_hz, 100e6);  // its own
  EXPECT_EQ(s.units[0].pes, 4);
  EXPECT_DOUBLE_EQ(s.units[1].elements_per_cycle, 2);
  EXPECT_EQ(s.units[1].after, (std::vector<std::string>{"dec"}));
  EXPECT_DOUBLE_EQ(s.dram_capacity, 1024.0 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(s.link_in_bandwidth, 1e9);
  EXPECT_EQ(s.buffers_per_pe, 2);
  EXPECT_FALSE(s.pipelined_across_chunks);
  EXPECT_EQ(s.dram_traffic, DramTraffic::EveryUnit);
  EXPECT_EQ(s.sources.at("link_in"), "datasheet X");
  EXPECT_EQ(s.sources.at("pipelined_across_chunks"), "assumption: test");
  EXPECT_EQ(s.sources.count("link_out"), 0u);
  // Defaults are written into the tree, which becomes the resolved input.
  EXPECT_EQ(tree.find("dev")->find("buffers_per_pe")->scalar, "2");
}

TEST(FpgaSpecYaml, BadValuesAreLocated) {
  InputError e = error_of(replaced(kSpec, "clock: 100MHz", "clock: 0MHz"));
  EXPECT_EQ(e.key(), "dev.units.hash.clock");
  EXPECT_EQ(e.line(), 10);
  e = error_of(replaced(kSpec, "pes: 4", "pes: 0"));
  EXPECT_EQ(e.key(), "dev.units.dec.pes");
  EXPECT_EQ(e.line(), 9);
  e = error_of(replaced(kSpec, "[sigrid_hash]", "[sigrid_hsh]"));
  EXPECT_EQ(e.key(), "dev.units.hash.ops");
  EXPECT_NE(std::string(e.what()).find("sigrid_hash"), std::string::npos) << "lists the known ops";
  e = error_of(replaced(kSpec, "link_out: 1GB/s", "link_out: 1000"));
  EXPECT_EQ(e.key(), "dev.link_out");
  EXPECT_EQ(e.line(), 6);
  e = error_of(replaced(kSpec, "\"datasheet X\"", "\"\""));
  EXPECT_EQ(e.key(), "dev.link_in.source");
  e = error_of(replaced(kSpec, "{value: false,", "{value: maybe,"));
  EXPECT_EQ(e.key(), "dev.pipelined_across_chunks.value");
  e = error_of(kSpec + "  colour: red\n");
  EXPECT_EQ(e.key(), "dev.colour");
  e = error_of(replaced(kSpec, "  pipelined_across_chunks: {value: false, source: \"assumption: test\"}\n", ""));
  EXPECT_NE(std::string(e.what()).find("pipelined_across_chunks"), std::string::npos) << "it is an assumption to state";
  e = error_of(replaced(kSpec, "  clock: 200MHz\n", ""));  // then dec has no clock
  EXPECT_NE(std::string(e.what()).find("clock"), std::string::npos);
  EXPECT_EQ(e.key(), "dev.units.dec");
}

TEST(FpgaSpecYaml, GraphProblemsAreLocated) {
  InputError e = error_of(replaced(kSpec, "after: [dec]", "after: [decx]"));
  EXPECT_EQ(e.key(), "dev.units.hash.after");
  EXPECT_EQ(e.line(), 10);
  e = error_of(replaced(kSpec, "[sigrid_hash]", "[sigrid_hash, decode]"));
  EXPECT_EQ(e.key(), "dev.units.hash.ops");
  EXPECT_NE(std::string(e.what()).find("'dec'"), std::string::npos) << e.what();
  e = error_of(replaced(kSpec, "pes: 4}", "pes: 4, after: [hash]}"));
  EXPECT_EQ(e.key(), "dev.units");
  EXPECT_NE(std::string(e.what()).find("cycle"), std::string::npos);
}

TEST(FpgaSpecYaml, SmartNicAndGpuReadTheirKeys) {
  config::Node tree = config::load_yaml_string(replaced(kSpec, "  units:\n", "  line_rate: 100Gbps\n  units:\n"),
                                               "nic.yaml");
  SmartNicSpec nic = spec_from<SmartNicDevice>("smartnic", *tree.find("dev"), "dev");
  EXPECT_DOUBLE_EQ(nic.line_rate, 12.5e9);
  EXPECT_EQ(nic.device.units.size(), 2u);

  const std::string gpu =
      "g:\n"
      "  achieved_bandwidth: {value: 1TB/s, source: \"assumption: half of HBM peak\"}\n"
      "  launch_overhead: 5us\n"
      "  op_bandwidth: {bucketize: 400GB/s}\n";
  tree = config::load_yaml_string(gpu, "gpu.yaml");
  GpuSpec g = spec_from<GpuDevice>("gpu", *tree.find("g"), "g");
  EXPECT_DOUBLE_EQ(g.achieved_bandwidth, 1e12);
  EXPECT_DOUBLE_EQ(g.launch_overhead, 5e-6);
  EXPECT_DOUBLE_EQ(g.op_bandwidth.at("bucketize"), 4e11);
  EXPECT_DOUBLE_EQ(g.trainer_overlap, 0);
  tree = config::load_yaml_string(replaced(gpu, "{bucketize:", "{bucketise:"), "gpu.yaml");
  try {
    spec_from<GpuDevice>("gpu", *tree.find("g"), "g");
    FAIL() << "unknown op accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.key(), "g.op_bandwidth.bucketise");
    EXPECT_EQ(e.line(), 4);
  }
}

}  // namespace
}  // namespace prepsim::devices
