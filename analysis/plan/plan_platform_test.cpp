// The platform scanner of `prepsim plan` (plan_platform.h): hosts' kind and SKU and links' owners, on a platform
// like platforms/examples/devices.xml.
#include "analysis/plan/plan_platform.h"

#include <gtest/gtest.h>

#include "models/config/input_error.h"

namespace prepsim::analysis {
namespace {

const char* kPlatform = R"(<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<!-- a comment with <host id="ghost"> inside -->
<platform version="4.1">
  <zone id="cluster" routing="Full">
    <host id="storage-0" speed="1Gf" core="32">
      <prop id="kind" value="storage"/><prop id="sku" value="r640"/>
      <disk id="nvme-0" read_bw="3.2GBps" write_bw="1.2GBps"><prop id="sku" value="nvme"/></disk>
    </host>
    <host id="ssd-0" speed="1Gf" core="1"><prop id="kind" value="isp"/><prop id="sku" value="smartssd"/></host>
    <host id="cpu-0" speed="1Gf" core="32"><prop id="kind" value="cpu"/></host>
    <host id="fpga-0" speed="1Gf" core="1"><prop id="kind" value="fpga"/></host>
    <host id="nic-0" speed="1Gf" core="1"><prop id="kind" value="smartnic"/></host>
    <host id="gpu-0" speed="1Gf" core="1"><prop id="kind" value="gpu"/></host>
    <link id="storage-0-tx" bandwidth="1GBps" latency="0"><prop id="host" value="storage-0"/><prop id="sku" value="nic"/></link>
    <link id="cpu-0-tx" bandwidth="1GBps" latency="0"><prop id="host" value="cpu-0"/></link>
    <link id="ssd-0-up" bandwidth="1GBps" latency="0"><prop id="host" value="ssd-0"/></link>
    <link id="fpga-0-pcie" bandwidth="1GBps" latency="0"><prop id="host" value="fpga-0"/></link>
    <link id="nic-0-pcie" bandwidth="1GBps" latency="0"><prop id="host" value="nic-0"/></link>
    <link id="gpu-0-rx" bandwidth="1GBps" latency="0"><prop id="host" value="gpu-0"/></link>
    <link id="spine" bandwidth="1GBps" latency="0"/>
    <route src="ssd-0" dst="gpu-0" symmetrical="NO"><link_ctn id="ssd-0-up"/><link_ctn id="storage-0-tx"/><link_ctn id="gpu-0-rx"/></route>
    <route src="storage-0" dst="fpga-0"><link_ctn id="storage-0-tx"/><link_ctn id="cpu-0-tx"/><link_ctn id="fpga-0-pcie"/></route>
    <route src="nic-0" dst="gpu-0" symmetrical="NO"><link_ctn id="nic-0-pcie"/></route>
  </zone>
</platform>
)";

TEST(PlanPlatform, ReadsHostsLinksAndRoutes) {
  PlatformInfo p = scan_platform_text(kPlatform, "x.xml");
  EXPECT_EQ(p.hosts.count("ghost"), 0u);
  EXPECT_EQ(p.hosts.at("storage-0").kind, "storage");
  EXPECT_EQ(p.hosts.at("storage-0").sku, "r640");  // not the disk's SKU
  EXPECT_EQ(p.hosts.at("ssd-0").sku, "smartssd");
  EXPECT_EQ(p.link_host.at("storage-0-tx"), "storage-0");
  EXPECT_EQ(p.link_host.count("spine"), 0u);
  EXPECT_EQ(p.link_host.at("ssd-0-up"), "ssd-0");
}

TEST(PlanPlatform, AnUnclosedTagNamesItsLine) {
  try {
    scan_platform_text("<platform>\n  <host id=\"a\"\n", "bad.xml");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "bad.xml");
    EXPECT_EQ(e.line(), 2);
  }
}

}  // namespace
}  // namespace prepsim::analysis
