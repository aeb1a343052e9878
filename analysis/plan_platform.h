// What `prepsim plan` needs to know of a SimGrid platform XML without loading it into SimGrid (the engine is
// process-wide; plan runs every simulation in a child): each host's kind and SKU, which host each link belongs
// to (its `host` prop: NICs, device uplinks), and the links of each route. From these, the server that hosts a
// device: the first other host of kind storage or cpu whose link lies on a route from (or a symmetrical route
// to) the device, i.e. where its uplink lands (a SmartSSD's storage server, an FPGA card's CPU server).
//
// A tag scanner, not a validating parser: it reads the elements prepsim's platforms use (zone, host, disk, link,
// prop, route, link_ctn) and ignores the rest; SimGrid itself validates the file when a run loads it.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace prepsim::analysis {

struct PlatformHost {
  std::string kind, sku;  // props; empty when absent
};

struct PlatformRoute {
  std::string src, dst;
  bool symmetrical = true;
  std::vector<std::string> links;  // in order
};

struct PlatformInfo {
  std::string file;
  std::map<std::string, PlatformHost> hosts;
  std::map<std::string, std::string> link_host;  // link id -> its `host` prop (links without one are absent)
  std::vector<PlatformRoute> routes;

  // The host whose uplink `device` uses (see above); empty when no route leads to a storage or cpu host.
  std::string hosting_server(const std::string& device) const;
};

// Scans `text` (the contents of `file`, for messages). Throws InputError (file:line) on a tag that never closes.
PlatformInfo scan_platform_text(const std::string& text, const std::string& file);
// Reads and scans a file; InputError when it cannot be read.
PlatformInfo scan_platform(const std::string& file);

}  // namespace prepsim::analysis
