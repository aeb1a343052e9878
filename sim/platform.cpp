#include "sim/platform.h"

#include <unistd.h>

#include <fmt/format.h>
#include <simgrid/Exception.hpp>
#include <simgrid/plugins/energy.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "models/config/input_error.h"
#include "models/devices/device_kinds.h"

namespace prepsim::sim {

namespace sg4 = simgrid::s4u;

std::vector<std::string> engine_arguments(const std::vector<std::string>& cfg) {
  std::vector<std::string> args = {"prepsim", "--cfg=network/model:CM02", "--cfg=network/crosstraffic:0"};
#ifdef PREPSIM_SIMGRID_CONTEXTS
  args.push_back(std::string("--cfg=contexts/factory:") + PREPSIM_SIMGRID_CONTEXTS);
#endif
  for (const std::string& item : cfg) args.push_back("--cfg=" + item);
  return args;
}

namespace {

// Problems found while SimGrid creates hosts; reported once loading returns, with the XML file named.
struct CreationError {
  std::string host, prop, message;  // prop: the XML property at fault
};
std::vector<CreationError>& creation_errors() {
  static std::vector<CreationError> errors;
  return errors;
}

// The line of the property `prop` of the XML host `id`, or of the host itself (0 when not found).
int xml_line_of(const std::string& file, const std::string& id, const std::string& prop) {
  std::ifstream in(file);
  std::string host_needle = "id=\"" + id + "\"", prop_needle = "id=\"" + prop + "\"";
  int n = 0, host_line = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    if (host_line == 0 && line.find("<host") != std::string::npos && line.find(host_needle) != std::string::npos) {
      host_line = n;
    }
    if (host_line > 0 && line.find(prop_needle) != std::string::npos) return n;
    if (host_line > 0 && line.find("</host>") != std::string::npos) break;
  }
  return host_line;
}

void attach_catalog_power(sg4::Host& host, const Catalog& catalog) {
  const char* kind = host.get_property("kind");
  if (kind != nullptr && std::string(kind) == "memory") {
    // A socket's memory pseudo-host: its power is part of the server's wattage.
    if (host.get_property("wattage_per_state") == nullptr) host.set_property("wattage_per_state", "0:0");
    return;
  }
  const char* sku_name = host.get_property("sku");
  const char* wattage = host.get_property("wattage_per_state");
  const Sku* sku = sku_name != nullptr ? catalog.find(sku_name) : nullptr;
  if (sku_name != nullptr && sku == nullptr) {
    creation_errors().push_back({host.get_name(), "sku", fmt::format("host '{}' names sku '{}', which the catalog {} does not define",
                                            host.get_name(), sku_name, catalog.file)});
    host.set_property("wattage_per_state", "0:0");
    return;
  }
  bool catalog_power = sku != nullptr && sku->power_idle.has_value();
  if (wattage != nullptr && catalog_power) {
    creation_errors().push_back({host.get_name(), "wattage_per_state", fmt::format(
        "host '{}' has wattage_per_state in the XML and power_idle/power_busy in catalog sku '{}' ({}:{}); "
        "one source per number: remove one of them",
        host.get_name(), sku->name, sku->file, sku->line)});
    return;
  }
  if (wattage == nullptr) {
    if (!catalog_power) {
      creation_errors().push_back({host.get_name(), "sku", fmt::format(
          "host '{}' has no power: give it <prop id=\"wattage_per_state\"> in the XML or power_idle/power_busy "
          "in its catalog sku{}",
          host.get_name(), sku_name != nullptr ? fmt::format(" '{}'", sku_name) : std::string(" (it has none)"))});
      host.set_property("wattage_per_state", "0:0");
      return;
    }
    host.set_property("wattage_per_state",
                      fmt::format("{}:{}", sku->power_idle->value, sku->power_busy->value));
    host.set_property("prepsim_power_source", "catalog");
  }
}

std::string hosts_of_kind(const sg4::Engine& e, const std::string& kind) {
  std::vector<std::string> names;
  for (const sg4::Host* h : e.get_all_hosts()) {
    const char* k = h->get_property("kind");
    if (k != nullptr && kind == k) names.push_back(h->get_name());
  }
  return names.empty() ? std::string("(none)") : fmt::format("{}", fmt::join(names, ", "));
}

void check_host(const sg4::Engine& e, const std::string& name, const std::string& kind, const std::string& file,
                int line, const std::string& key) {
  const sg4::Host* h = e.host_by_name_or_null(name);
  if (h == nullptr) {
    throw InputError(file, line, key,
                     fmt::format("no host '{}' in the platform; {} hosts are: {}", name, kind, hosts_of_kind(e, kind)));
  }
  const char* k = h->get_property("kind");
  // A storage server has cores too: a cpu pool may run on it (e.g. a CPU fallback beside its isp devices).
  bool storage_cpu = kind == "cpu" && k != nullptr && std::string(k) == "storage";
  if (!storage_cpu && (k == nullptr || kind != k)) {
    throw InputError(file, line, key,
                     fmt::format("host '{}' is of kind '{}', not '{}'; {} hosts are: {}", name,
                                 k != nullptr ? k : "(none)", kind, kind, hosts_of_kind(e, kind)));
  }
  if (kind == "storage" && h->get_disks().empty()) {
    throw InputError(file, line, key, fmt::format("storage host '{}' has no <disk> in the platform", name));
  }
}

// SimGrid's XML reader refuses a UTF-8 byte order mark, which prepsim accepts in every input: a file that starts
// with one is handed to SimGrid as a temporary copy without it (removed when this goes out of scope).
class BomFreeCopy {
 public:
  explicit BomFreeCopy(const std::string& path) : original_(path), path_(path) {
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.rfind("\xEF\xBB\xBF", 0) != 0) return;
    std::string tmpl = (std::filesystem::temp_directory_path() / "prepsim-platform-XXXXXX.xml").string();
    int fd = mkstemps(tmpl.data(), 4);
    if (fd < 0) throw InputError(path, 1, "", "cannot make a copy without its UTF-8 byte order mark for SimGrid");
    std::string body = text.substr(3);
    bool ok = write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size());
    close(fd);
    path_ = tmpl;
    if (!ok) throw InputError(path, 1, "", "cannot make a copy without its UTF-8 byte order mark for SimGrid");
  }
  ~BomFreeCopy() {
    if (path_ != original_) std::remove(path_.c_str());
  }
  BomFreeCopy(const BomFreeCopy&) = delete;
  BomFreeCopy& operator=(const BomFreeCopy&) = delete;
  const std::string& path() const { return path_; }
  // `message` with the copy's name replaced by the original's.
  std::string original_names(std::string message) const {
    for (auto at = message.find(path_); path_ != original_ && at != std::string::npos; at = message.find(path_)) {
      message.replace(at, path_.size(), original_);
    }
    return message;
  }

 private:
  std::string original_, path_;
};

}  // namespace

void load_platform(sg4::Engine& engine, const Scenario& sc, const Catalog& catalog) {
  // Registered before the energy plugin, so the wattage is in place when the plugin reads it.
  sg4::Host::on_creation_cb([&catalog](sg4::Host& h) { attach_catalog_power(h, catalog); });
  sg_host_energy_plugin_init();
  // No link energy plugin: in SimGrid 3.32 it walks the route of every finishing comm, and a comm cancelled because
  // its actor was killed at the end of the run has no route (a segfault). Link energy is computed from the same
  // `wattage_range` (power linear in use) by link_energy() in engine.cpp.
  BomFreeCopy xml(sc.platform);
  try {
    engine.load_platform(xml.path());
  } catch (const simgrid::ParseError& e) {
    throw InputError(sc.platform, 0, "", xml.original_names(e.what()));
  } catch (const std::invalid_argument& e) {
    throw InputError(sc.platform, 0, "", xml.original_names(e.what()));
  }
  if (!creation_errors().empty()) {
    const CreationError& ce = creation_errors().front();
    throw InputError(sc.platform, xml_line_of(sc.platform, ce.host, ce.prop), "host " + ce.host, ce.message);
  }

  for (const Pool& p : sc.pools) {
    for (std::size_t i = 0; i < p.hosts.size(); ++i) {
      check_host(engine, p.hosts[i], p.kind, p.hosts_file, p.hosts_line, fmt::format("pools.{}.hosts", p.name));
    }
  }
  for (const TrainerJob& j : sc.jobs) {
    for (const std::string& h : j.hosts) {
      check_host(engine, h, "gpu", j.hosts_file, j.hosts_line, fmt::format("trainers.{}.hosts", j.name));
    }
  }
  std::map<std::string, std::string> owner;
  auto claim = [&](const std::string& host, const std::string& who, const std::string& file, int line) {
    auto [it, fresh] = owner.emplace(host, who);
    if (!fresh && it->second != who) {
      throw InputError(file, line, who,
                       fmt::format("host '{}' is already used by {}; a host belongs to one pool or job", host,
                                   it->second));
    }
  };
  for (const Pool& p : sc.pools) {
    // A gpu pool may preprocess on the trainers' own GPUs (it then takes time from training): not claimed.
    if (const devices::DeviceKind* k = devices::find_device_kind(p.kind); k != nullptr && k->on_trainer_hosts) continue;
    for (const auto& h : p.hosts) claim(h, "pools." + p.name, p.hosts_file, p.hosts_line);
  }
  for (const TrainerJob& j : sc.jobs) {
    for (const auto& h : j.hosts) claim(h, "trainers." + j.name, j.hosts_file, j.hosts_line);
  }
}

}  // namespace prepsim::sim
