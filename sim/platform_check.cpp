#include "sim/platform_check.h"

#include <fmt/format.h>
#include <xbt/parse_units.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <map>
#include <set>

#include "models/config/encoding.h"
#include "models/config/input_error.h"
#include "models/config/split.h"
#include "models/config/xml_scan.h"
#include "models/dag.h"
#include "models/devices/device_kinds.h"

namespace prepsim::sim {

using config::XmlElement;

std::vector<RouteNeed> route_needs(const Scenario& sc) {
  std::vector<RouteNeed> needs;
  auto between = [&](const std::vector<std::string>& from, const std::vector<std::string>& to, const std::string& why) {
    for (const std::string& a : from) {
      for (const std::string& b : to) {
        if (a != b) needs.push_back({a, b, why});
      }
    }
  };
  DagOrder order = order_stages(sc.stages);
  const Pool* from = nullptr;
  for (const Stage& s : sc.stages) {
    if (s.op == "read") from = sc.find_pool(s.pool);
  }
  if (from == nullptr) return needs;
  for (const PoolRun& run : pool_runs(sc.stages, order)) {
    const Pool* to = sc.find_pool(run.pool);
    if (to == nullptr) return needs;
    if (to != from) {
      between(from->hosts, to->hosts, fmt::format("pool '{}' hands chunks to pool '{}'", from->name, to->name));
    }
    from = to;
  }
  for (const TrainerJob& j : sc.jobs) {
    between(from->hosts, j.hosts, fmt::format("pool '{}' sends chunks to trainer job '{}'", from->name, j.name));
  }
  return needs;
}

namespace {

// In the order the error lists them; the device kinds come from the device-kind table.
const std::vector<std::string> kHostKinds = devices::with_device_kinds({"cpu", "storage"}, {"memory"});
// Routings whose zone connects every pair of its hosts by construction.
const std::set<std::string> kConnected = {"Cluster", "ClusterFatTree", "ClusterTorus", "ClusterDragonfly",
                                          "Star", "Vivaldi", "Wifi"};
const std::set<std::string> kRoutePaths = {"Floyd", "Dijkstra", "DijkstraCache"};

struct Zone {
  std::string id, routing;
  int line = 0;
  bool cluster = false;
  std::vector<const XmlElement*> routes;
};

class Checker {
 public:
  explicit Checker(std::string file) : file_(std::move(file)) {}

  RouteCheck run(const XmlElement& root, const std::vector<RouteNeed>& needs) {
    if (root.name != "platform") fail(root, "platform", fmt::format("the root element is <{}>, not <platform>", root.name));
    walk(root, -1);
    for (const auto& [host, mem] : memory_of_) {
      if (!netpoints_.count(mem.first)) {
        fail(*mem.second, fmt::format("host {}", host),
             fmt::format("prop 'of' names host '{}', which the platform does not define", mem.first));
      }
    }
    for (const XmlElement* ctn : link_refs_) {
      const std::string* id = ctn->attribute("id");
      if (id != nullptr && !links_.count(*id) && !has_cluster_) {
        fail(*ctn, "link_ctn", fmt::format("no link '{}' in the platform; a route lists links defined by <link>", *id));
      }
    }
    RouteCheck out;
    for (const RouteNeed& n : needs) {
      auto a = zone_of_.find(n.src), b = zone_of_.find(n.dst);
      if (a == zone_of_.end() || b == zone_of_.end()) continue;  // not a host here: the scenario check says so
      if (a->second != b->second) {
        out.undecided.push_back(n);
        continue;
      }
      const Zone& z = zones_[static_cast<std::size_t>(a->second)];
      if (z.cluster || kConnected.count(z.routing)) continue;
      bool known = z.routing == "Full" || z.routing == "None" || kRoutePaths.count(z.routing);
      if (!known) {
        out.undecided.push_back(n);
        continue;
      }
      if (z.routing != "None" && reachable(z, n.src, n.dst)) continue;
      out.missing.emplace_back(file_, z.line, fmt::format("zone {}", z.id),
                               fmt::format("no route from '{}' to '{}' (routing {}), and the scenario needs one: {}; "
                                           "add <route src=\"{}\" dst=\"{}\"> with the links between them",
                                           n.src, n.dst, z.routing, n.why, n.src, n.dst));
    }
    return out;
  }

 private:
  [[noreturn]] void fail(const XmlElement& e, const std::string& key, const std::string& msg) const {
    throw InputError(file_, e.line, key, msg);
  }

  const std::string& required(const XmlElement& e, const char* attr, const std::string& key) const {
    const std::string* v = e.attribute(attr);
    if (v == nullptr) fail(e, key, fmt::format("<{}> needs attribute '{}'", e.name, attr));
    return *v;
  }

  static bool plain_number(const std::string& s, double* out) {
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return false;
    *out = v;
    return true;
  }

  enum class Kind { Speed, Bandwidth, Time };

  // One value with its SimGrid unit: finite, positive (or >= 0 when zero_ok).
  double sg_value(const XmlElement& e, const std::string& key, const std::string& text, Kind kind, bool zero_ok) const {
    const char* example = kind == Kind::Speed ? "1Gf" : kind == Kind::Bandwidth ? "10Gbps or 1.25GBps" : "10us";
    double v = 0;
    if (plain_number(text, &v)) {  // zero needs no unit; anything else does
      if (v != 0) fail(e, key, fmt::format("'{}' has no unit; SimGrid reads it as e.g. {}", text, example));
    } else try {
      if (kind == Kind::Speed) v = xbt_parse_get_speed(file_, e.line, text, key);
      else if (kind == Kind::Bandwidth) v = xbt_parse_get_bandwidth(file_, e.line, text, key);
      else v = xbt_parse_get_time(file_, e.line, text, key);
    } catch (const std::exception& ex) {
      std::string what = ex.what();
      if (auto colon = what.find(": "); what.rfind("Parse error", 0) == 0 && colon != std::string::npos) {
        what = what.substr(colon + 2);  // drop SimGrid's "Parse error at FILE:LINE: "
      }
      fail(e, key, fmt::format("'{}': {} (write e.g. {})", text, what, example));
    }
    if (!std::isfinite(v)) fail(e, key, fmt::format("'{}' is not a finite number", text));
    if (zero_ok ? v < 0 : !(v > 0)) {
      fail(e, key, fmt::format("'{}' must be {}", text, zero_ok ? "zero or more" : "greater than zero"));
    }
    return v;
  }

  // Comma-separated values (a host's speed per pstate).
  std::vector<double> sg_values(const XmlElement& e, const std::string& key, const std::string& text, Kind kind) const {
    std::vector<double> out;
    for (const std::string& part : config::split(text, ',')) out.push_back(sg_value(e, key, part, kind, false));
    return out;
  }

  long whole(const XmlElement& e, const std::string& key, const std::string& text, long lo, long hi) const {
    long v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty() || v < lo || v > hi) {
      fail(e, key, fmt::format("'{}' must be a whole number from {} to {}", text, lo, hi));
    }
    return v;
  }

  // "a:b[:c]" groups of plain numbers >= 0; `groups` when >= 0 is the number of comma-separated groups required.
  void wattage(const XmlElement& e, const std::string& key, const std::string& text, std::size_t min_values,
               std::size_t max_values, long groups, const char* example) const {
    std::vector<std::string> parts = config::split(text, ',');
    if (groups >= 0 && static_cast<long>(parts.size()) != groups) {
      fail(e, key, fmt::format("'{}' gives {} power profile(s) but the host has {} pstate(s) (speeds); give one "
                               "{} group per pstate, separated by commas",
                               text, parts.size(), groups, example));
    }
    for (const std::string& group : parts) {
      std::vector<std::string> values = config::split(group, ':');
      if (values.size() < min_values || values.size() > max_values) {
        fail(e, key, fmt::format("'{}' is not of the form {} (watts, plain numbers)", group, example));
      }
      for (const std::string& v : values) {
        double w = 0;
        if (!plain_number(v, &w) || !std::isfinite(w) || w < 0 || w > 1e9) {
          fail(e, key, fmt::format("'{}' in '{}' is not a number of watts from 0 to 1e9 (plain digits, no unit or "
                                   "space)",
                                   v, text));
        }
      }
    }
  }

  void define(const XmlElement& e, const std::string& id, const char* what) {
    auto [it, fresh] = netpoints_.emplace(id, e.line);
    if (!fresh) {
      fail(e, fmt::format("{} {}", what, id),
           fmt::format("'{}' is defined twice (first on line {}); hosts, routers and zones need distinct ids", id,
                       it->second));
    }
  }

  void host(const XmlElement& e, int zone) {
    const std::string& id = required(e, "id", "host");
    std::string key = fmt::format("host {}", id);
    define(e, id, "host");
    zone_of_[id] = zone;
    std::vector<double> speeds = sg_values(e, key + ": speed", required(e, "speed", key), Kind::Speed);
    if (const std::string* c = e.attribute("core")) whole(e, key + ": core", *c, 1, 1000000);
    if (const std::string* p = e.attribute("pstate")) {
      whole(e, key + ": pstate", *p, 0, static_cast<long>(speeds.size()) - 1);
    }
    std::set<std::string> disks;
    std::string kind;
    for (const XmlElement& c : e.children) {
      if (c.name == "disk") {
        const std::string& did = required(c, "id", key + ": disk");
        std::string dkey = fmt::format("{}: disk {}", key, did);
        if (!disks.insert(did).second) fail(c, dkey, fmt::format("disk '{}' is defined twice on host '{}'", did, id));
        sg_value(c, dkey + ": read_bw", required(c, "read_bw", dkey), Kind::Bandwidth, false);
        sg_value(c, dkey + ": write_bw", required(c, "write_bw", dkey), Kind::Bandwidth, false);
      } else if (c.name == "prop") {
        const std::string& pid = required(c, "id", key + ": prop");
        const std::string& value = required(c, "value", key + ": prop " + pid);
        std::string pkey = fmt::format("{}: prop {}", key, pid);
        if (pid == "wattage_per_state") {
          wattage(c, pkey, value, 2, 3, static_cast<long>(speeds.size()), "idle:one-core:all-cores (or idle:busy)");
        } else if (pid == "wattage_off") {
          wattage(c, pkey, value, 1, 1, 1, "a number of watts");
        } else if (pid == "kind") {
          if (std::find(kHostKinds.begin(), kHostKinds.end(), value) == kHostKinds.end()) {
            fail(c, pkey, fmt::format("'{}' is not a host kind; valid: {}", value, fmt::join(kHostKinds, ", ")));
          }
          kind = value;
        } else if (pid == "socket") {
          whole(c, pkey, value, 0, 1024);
        } else if (pid == "per_core_bandwidth") {
          sg_value(c, pkey, value, Kind::Bandwidth, false);
        } else if (pid == "of") {
          memory_of_[id] = {value, &c};
        }
      }
    }
    if (kind != "memory") memory_of_.erase(id);
  }

  void link(const XmlElement& e) {
    const std::string& id = required(e, "id", "link");
    std::string key = fmt::format("link {}", id);
    auto [it, fresh] = links_.emplace(id, e.line);
    if (!fresh) fail(e, key, fmt::format("link '{}' is defined twice (first on line {})", id, it->second));
    sg_value(e, key + ": bandwidth", required(e, "bandwidth", key), Kind::Bandwidth, false);
    if (const std::string* lat = e.attribute("latency")) sg_value(e, key + ": latency", *lat, Kind::Time, true);
    for (const XmlElement& c : e.children) {
      if (c.name == "prop" && c.attribute("id") != nullptr && *c.attribute("id") == "wattage_range") {
        wattage(c, key + ": prop wattage_range", required(c, "value", key), 2, 2, 1, "idle:busy");
      }
    }
  }

  void cluster(const XmlElement& e, int zone) {
    const std::string& id = required(e, "id", "cluster");
    std::string key = fmt::format("cluster {}", id);
    has_cluster_ = true;
    sg_values(e, key + ": speed", required(e, "speed", key), Kind::Speed);
    if (const std::string* c = e.attribute("core")) whole(e, key + ": core", *c, 1, 1000000);
    for (const char* bw : {"bw", "bb_bw", "loopback_bw", "limiter_link"}) {
      if (const std::string* v = e.attribute(bw)) sg_value(e, key + ": " + bw, *v, Kind::Bandwidth, false);
    }
    for (const char* lat : {"lat", "bb_lat", "loopback_lat"}) {
      if (const std::string* v = e.attribute(lat)) sg_value(e, key + ": " + lat, *v, Kind::Time, true);
    }
    // Its hosts: prefix + each number of radical ("0-3,7") + suffix.
    std::string prefix = e.attribute("prefix") ? *e.attribute("prefix") : "";
    std::string suffix = e.attribute("suffix") ? *e.attribute("suffix") : "";
    const std::string& radical = required(e, "radical", key);
    long total = 0;
    for (const std::string& part : config::split(radical, ',')) {
      std::size_t dash = part.find('-');
      long lo = whole(e, key + ": radical", part.substr(0, dash), 0, 100000000);
      long hi = dash == std::string::npos ? lo : whole(e, key + ": radical", part.substr(dash + 1), lo, 100000000);
      total += hi - lo + 1;
      if (total > 1000000) fail(e, key + ": radical", "more than a million hosts in one cluster");
      for (long i = lo; i <= hi; ++i) {
        std::string name = prefix + std::to_string(i) + suffix;
        define(e, name, "host");
        zone_of_[name] = zone;
      }
    }
  }

  void walk(const XmlElement& e, int zone) {
    for (const XmlElement& c : e.children) {
      if (c.name == "zone" || c.name == "AS" || c.name == "cluster") {
        Zone z;
        z.id = required(c, "id", c.name);
        z.line = c.line;
        z.cluster = c.name == "cluster";
        z.routing = c.attribute("routing") ? *c.attribute("routing") : "";
        if (auto [it, fresh] = zone_ids_.emplace(z.id, c.line); !fresh) {
          fail(c, fmt::format("{} {}", c.name, z.id),
               fmt::format("zone '{}' is defined twice (first on line {})", z.id, it->second));
        }
        zones_.push_back(z);
        int index = static_cast<int>(zones_.size()) - 1;
        if (z.cluster) cluster(c, index);
        walk(c, index);
      } else if (c.name == "host") {
        host(c, zone);
      } else if (c.name == "router") {
        define(c, required(c, "id", "router"), "router");
        zone_of_[*c.attribute("id")] = zone;
      } else if (c.name == "link") {
        link(c);
      } else if (c.name == "route" || c.name == "zoneRoute" || c.name == "ASroute" || c.name == "bypassRoute" ||
                 c.name == "bypassZoneRoute") {
        if (c.name == "route" && zone >= 0) {
          const Zone& z = zones_[static_cast<std::size_t>(zone)];
          if (z.routing == "None") {  // SimGrid aborts on it
            fail(c, fmt::format("zone {}", z.id),
                 "a zone with routing=\"None\" holds no routes; give it routing=\"Full\" to use its routes");
          }
          zones_[static_cast<std::size_t>(zone)].routes.push_back(&c);
        }
        for (const XmlElement& l : c.children) {
          if (l.name == "link_ctn") link_refs_.push_back(&l);
        }
      } else {
        walk(c, zone);
      }
    }
  }

  bool reachable(const Zone& z, const std::string& src, const std::string& dst) const {
    std::map<std::string, std::vector<std::string>> next;
    for (const XmlElement* r : z.routes) {
      const std::string* a = r->attribute("src");
      const std::string* b = r->attribute("dst");
      if (a == nullptr || b == nullptr) continue;
      const std::string* sym = r->attribute("symmetrical");
      bool both = sym == nullptr || (*sym != "NO" && *sym != "no");
      next[*a].push_back(*b);
      if (both) next[*b].push_back(*a);
    }
    if (z.routing == "Full") {
      for (const std::string& t : next[src]) {
        if (t == dst) return true;
      }
      return false;
    }
    std::set<std::string> seen = {src};
    std::deque<std::string> todo = {src};
    while (!todo.empty()) {
      std::string cur = todo.front();
      todo.pop_front();
      if (cur == dst) return true;
      for (const std::string& t : next[cur]) {
        if (seen.insert(t).second) todo.push_back(t);
      }
    }
    return false;
  }

  std::string file_;
  std::map<std::string, int> netpoints_;  // id -> line
  std::map<std::string, int> links_;
  std::map<std::string, int> zone_ids_;
  std::map<std::string, int> zone_of_;    // host or router -> zone index
  std::map<std::string, std::pair<std::string, const XmlElement*>> memory_of_;  // memory host -> its server
  std::vector<Zone> zones_;
  std::vector<const XmlElement*> link_refs_;
  bool has_cluster_ = false;
};

}  // namespace

RouteCheck check_platform_text(const std::string& text, const std::string& file, const std::vector<RouteNeed>& needs) {
  std::string clean = config::checked_text(text, file);
  XmlElement root = config::scan_xml(clean, file);
  return Checker(file).run(root, needs);
}

RouteCheck check_platform_file(const std::string& path, const std::vector<RouteNeed>& needs) {
  return check_platform_text(config::read_input_file(path, config::kMaxInputFileBytes), path, needs);
}

}  // namespace prepsim::sim
