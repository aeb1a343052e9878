// What `prepsim plan` needs to know of a SimGrid platform XML without loading it into SimGrid (the engine is
// process-wide; plan runs every simulation in a child): each host's kind and SKU and which host each link belongs
// to (its `host` prop: NICs, device uplinks). Which server hosts a device is the engine's to say (a run puts it in
// the fleet scope; docs/metrics.md), not this scanner's.
//
// A tag scanner, not a validating parser: it reads the elements prepsim's platforms use (zone, host, disk, link,
// prop) and ignores the rest; SimGrid itself validates the file when a run loads it.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace prepsim::analysis {

struct PlatformHost {
  std::string kind, sku;  // props; empty when absent
};

struct PlatformInfo {
  std::string file;
  std::map<std::string, PlatformHost> hosts;
  std::map<std::string, std::string> link_host;  // link id -> its `host` prop (links without one are absent)
};

// Scans `text` (the contents of `file`, for messages). Throws InputError (file:line) on a tag that never closes.
PlatformInfo scan_platform_text(const std::string& text, const std::string& file);
// Reads and scans a file; InputError when it cannot be read.
PlatformInfo scan_platform(const std::string& file);

}  // namespace prepsim::analysis
