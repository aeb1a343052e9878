#include "sim/platform_check.h"

#include "models/devices/device_kinds.h"

#include <gtest/gtest.h>

namespace prepsim::sim {
namespace {

// A one-zone platform around `body`.
std::string platform(const std::string& body, const std::string& routing = "Full") {
  return "<?xml version='1.0'?>\n<platform version=\"4.1\">\n<zone id=\"z\" routing=\"" + routing + "\">\n" + body +
         "</zone>\n</platform>\n";
}

const std::string kTwoHosts =
    "<host id=\"a\" speed=\"1Gf\" core=\"4\"><prop id=\"wattage_per_state\" value=\"10:20:30\"/></host>\n"  // line 4
    "<host id=\"b\" speed=\"1Gf\"/>\n"                                                                      // line 5
    "<link id=\"l\" bandwidth=\"1GBps\" latency=\"10us\"/>\n";                                              // line 6

// "line: message" of the refusal, or "" when accepted.
std::string refusal(const std::string& text, const std::vector<RouteNeed>& needs = {}) {
  try {
    RouteCheck r = check_platform_text(text, "p.xml", needs);
    if (!r.missing.empty()) return std::to_string(r.missing.front().line()) + ": " + r.missing.front().what();
  } catch (const InputError& e) {
    return std::to_string(e.line()) + ": " + e.what();
  }
  return "";
}

void expect_refused(const std::string& text, int line, const std::string& part) {
  std::string r = refusal(text);
  EXPECT_EQ(r.substr(0, r.find(':')), std::to_string(line)) << r;
  EXPECT_NE(r.find(part), std::string::npos) << r;
}

TEST(PlatformCheck, AShippedStylePlatformPasses) { EXPECT_EQ(refusal(platform(kTwoHosts)), ""); }

TEST(PlatformCheck, HostValues) {
  expect_refused(platform("<host id=\"a\" speed=\"0f\"/>\n"), 4, "host a: speed: '0f' must be greater than zero");
  expect_refused(platform("<host id=\"a\" speed=\"nanf\"/>\n"), 4, "host a: speed");
  expect_refused(platform("<host id=\"a\" speed=\"-1Gf\"/>\n"), 4, "greater than zero");
  expect_refused(platform("<host id=\"a\" speed=\"100\"/>\n"), 4, "has no unit");
  expect_refused(platform("<host id=\"a\" speed=\"1Gbps\"/>\n"), 4, "unknown unit");
  expect_refused(platform("<host id=\"a\" speed=\"1Gf\" core=\"0\"/>\n"), 4, "host a: core");
  expect_refused(platform("<host id=\"a\" speed=\"1Gf,2Gf\" pstate=\"2\"/>\n"), 4, "host a: pstate");
  expect_refused(platform(kTwoHosts + "<host id=\"a\" speed=\"1Gf\"/>\n"), 7, "defined twice (first on line 4)");
}

TEST(PlatformCheck, EveryDeviceKindIsAHostKind) {
  for (const devices::DeviceKind& k : devices::device_kinds()) {
    const std::string kind(k.name);
    EXPECT_EQ(refusal(platform("<host id=\"a\" speed=\"1Gf\"><prop id=\"kind\" value=\"" + kind + "\"/></host>\n")),
              "")
        << kind;
  }
  // The refusal lists them.
  std::string r = refusal(platform("<host id=\"a\" speed=\"1Gf\"><prop id=\"kind\" value=\"tpu\"/></host>\n"));
  for (const devices::DeviceKind& k : devices::device_kinds()) {
    EXPECT_NE(r.find(std::string(k.name)), std::string::npos) << r;
  }
}

TEST(PlatformCheck, WattageStrings) {
  auto host = [](const std::string& speed, const std::string& w) {
    return platform("<host id=\"a\" speed=\"" + speed + "\" core=\"4\">\n<prop id=\"wattage_per_state\" value=\"" + w +
                    "\"/>\n</host>\n");
  };
  EXPECT_EQ(refusal(host("1Gf", "10:20")), "");
  EXPECT_EQ(refusal(host("1Gf,500Mf", "10:20:30,5:10:15")), "");
  expect_refused(host("1Gf", "10:20:30,5:6:7"), 5, "2 power profile(s) but the host has 1 pstate");
  expect_refused(host("1Gf,500Mf", "10:20:30"), 5, "1 power profile(s)");
  expect_refused(host("1Gf", "a:b:c"), 5, "'a' in 'a:b:c' is not a number of watts");
  expect_refused(host("1Gf", "10 : 20 : 30"), 5, "not a number of watts");
  expect_refused(host("1Gf", "-10:20:30"), 5, "not a number of watts");
  expect_refused(host("1Gf", "10:nan:30"), 5, "not a number of watts");
  expect_refused(host("1Gf", "10:20:30:40"), 5, "not of the form");
  expect_refused(platform("<link id=\"l\" bandwidth=\"1GBps\"><prop id=\"wattage_range\" value=\"2\"/></link>\n"), 4,
                 "link l: prop wattage_range");
}

TEST(PlatformCheck, DisksAndLinks) {
  expect_refused(platform("<host id=\"a\" speed=\"1Gf\">\n<disk id=\"d\" read_bw=\"0Bps\" write_bw=\"1GBps\"/>\n</host>\n"),
                 5, "host a: disk d: read_bw");
  expect_refused(platform("<link id=\"l\" bandwidth=\"0Bps\"/>\n"), 4, "link l: bandwidth");
  expect_refused(platform("<link id=\"l\" bandwidth=\"-1GBps\"/>\n"), 4, "greater than zero");
  expect_refused(platform("<link id=\"l\" bandwidth=\"1GBps\" latency=\"-1us\"/>\n"), 4, "zero or more");
  expect_refused(platform("<link id=\"l\" bandwidth=\"1e400GBps\"/>\n"), 4, "link l: bandwidth");
  EXPECT_EQ(refusal(platform("<link id=\"l\" bandwidth=\"1GBps\" latency=\"0\"/>\n")), "");
  expect_refused(platform("<link id=\"l\" bandwidth=\"1GBps\"/>\n<link id=\"l\" bandwidth=\"1GBps\"/>\n"), 5,
                 "link 'l' is defined twice");
  expect_refused(platform(kTwoHosts + "<route src=\"a\" dst=\"b\"><link_ctn id=\"nope\"/></route>\n"), 7,
                 "no link 'nope'");
}

TEST(PlatformCheck, PrepsimHostProperties) {
  expect_refused(platform("<host id=\"a\" speed=\"1Gf\"><prop id=\"kind\" value=\"cpuu\"/></host>\n"), 4,
                 "'cpuu' is not a host kind");
  expect_refused(platform("<host id=\"m\" speed=\"1Gf\"><prop id=\"kind\" value=\"memory\"/><prop id=\"of\" "
                          "value=\"ghost\"/></host>\n"),
                 4, "names host 'ghost'");
}

TEST(PlatformCheck, RoutesTheScenarioNeeds) {
  std::vector<RouteNeed> ab = {{"a", "b", "pool 'x' hands chunks to pool 'y'"}};
  std::string routed = platform(kTwoHosts + "<route src=\"b\" dst=\"a\"><link_ctn id=\"l\"/></route>\n");
  EXPECT_EQ(refusal(routed, ab), "");  // symmetrical by default
  std::string one_way = platform(kTwoHosts + "<route src=\"b\" dst=\"a\" symmetrical=\"NO\"><link_ctn id=\"l\"/></route>\n");
  std::string r = refusal(one_way, ab);
  EXPECT_EQ(r.substr(0, 2), "3:") << r;
  EXPECT_NE(r.find("no route from 'a' to 'b'"), std::string::npos) << r;
  EXPECT_NE(refusal(platform(kTwoHosts), ab), "");
  EXPECT_NE(refusal(platform(kTwoHosts, "None"), ab), "");
  // Floyd: a path of routes through a router.
  std::string floyd = platform(kTwoHosts + "<router id=\"r\"/>\n<route src=\"a\" dst=\"r\"><link_ctn id=\"l\"/></route>\n"
                                           "<route src=\"r\" dst=\"b\"><link_ctn id=\"l\"/></route>\n",
                               "Floyd");
  EXPECT_EQ(refusal(floyd, ab), "");
  // Hosts of a cluster are connected; hosts of two zones are left to the SimGrid probe.
  std::string two = "<platform version=\"4.1\"><zone id=\"top\" routing=\"Full\">\n"
                    "<cluster id=\"c\" prefix=\"n\" suffix=\"\" radical=\"0-3\" speed=\"1Gf\" bw=\"1GBps\" lat=\"1us\"/>\n"
                    "<zone id=\"z2\" routing=\"Full\"><host id=\"x\" speed=\"1Gf\"/></zone>\n"
                    "</zone></platform>\n";
  RouteCheck rc = check_platform_text(two, "p.xml", {{"n0", "n3", ""}, {"n0", "x", ""}});
  EXPECT_TRUE(rc.missing.empty());
  ASSERT_EQ(rc.undecided.size(), 1u);
  EXPECT_EQ(rc.undecided[0].dst, "x");
}

TEST(PlatformCheck, EncodingAndSyntax) {
  EXPECT_NE(refusal("\xFF\xFE<\0p\0"), "");
  expect_refused("<platform>\n<zone id=\"z\">\n</platform>\n", 3, "does not match");
  expect_refused("<nope/>", 1, "not <platform>");
}

}  // namespace
}  // namespace prepsim::sim
