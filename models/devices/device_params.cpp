#include "models/devices/device_params.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace prepsim::devices {

using config::MapReader;
using config::Node;
using config::Range;

namespace {

// nullptr when `key` is absent or a plain scalar (then the caller reads it plainly).
Node* sourced_map(MapReader& r, const std::string& key) {
  Node* n = r.node().find(key);
  if (n == nullptr || !n->is_map()) return nullptr;
  return r.map(key);
}

std::string read_source(MapReader& sub) {
  std::string source = sub.string("source");
  if (source.empty()) {
    sub.fail("source", "every value says where it came from: a docs/sources.md entry, a datasheet, a dated price, or "
                       "'assumption: ...' with the reasoning");
  }
  return source;
}

}  // namespace

double param_quantity(MapReader& r, const std::string& key, Dim dim, const std::optional<std::string>& def,
                      Range range, Sources* sources, const std::string& prefix) {
  Node* n = sourced_map(r, key);
  if (n == nullptr) return r.quantity(key, dim, def, range);
  MapReader sub(*n, r.child_path(key));
  double v = sub.quantity("value", dim, std::nullopt, range);
  std::string source = read_source(sub);
  sub.finish();
  if (sources != nullptr) (*sources)[prefix + key] = source;
  return v;
}

std::int64_t param_integer(MapReader& r, const std::string& key, const std::optional<std::string>& def, Range range,
                           Sources* sources, const std::string& prefix) {
  Node* n = sourced_map(r, key);
  if (n == nullptr) return r.integer(key, def, range);
  MapReader sub(*n, r.child_path(key));
  std::int64_t v = sub.integer("value", std::nullopt, range);
  std::string source = read_source(sub);
  sub.finish();
  if (sources != nullptr) (*sources)[prefix + key] = source;
  return v;
}

bool param_boolean(MapReader& r, const std::string& key, const std::optional<bool>& def, Sources* sources,
                   const std::string& prefix) {
  Node* n = sourced_map(r, key);
  if (n == nullptr) return r.boolean(key, def);
  MapReader sub(*n, r.child_path(key));
  bool v = sub.boolean("value");
  std::string source = read_source(sub);
  sub.finish();
  if (sources != nullptr) (*sources)[prefix + key] = source;
  return v;
}

Sourced sourced_value(MapReader& r, const std::string& key, Dim dim) {
  Node* n = r.node().find(key);
  if (n != nullptr && n->is_scalar()) {
    r.fail(key, fmt::format("write {{value: {}, source: \"...\"}}: every cost parameter says where it came from",
                            n->scalar));
  }
  n = r.map(key);
  MapReader sub(*n, r.child_path(key));
  Sourced s;
  s.value = sub.quantity("value", dim, std::nullopt, Range::non_negative_only());
  s.source = read_source(sub);
  s.file = n->file;
  s.line = n->line;
  sub.finish();
  return s;
}

std::vector<double> max_min_share(double capacity, const std::vector<double>& demands) {
  if (!(capacity >= 0)) throw DeviceError(fmt::format("max-min share: capacity must not be negative ({})", capacity));
  for (double d : demands) {
    if (!(d >= 0)) throw DeviceError(fmt::format("max-min share: demand must not be negative ({})", d));
  }
  std::vector<double> share(demands.size(), 0.0);
  // Serve flows from the smallest demand up: each gets min(its demand, an even split of what is left).
  std::vector<std::size_t> order(demands.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return demands[a] < demands[b]; });
  double left = capacity;
  for (std::size_t k = 0; k < order.size(); ++k) {
    double even = left / static_cast<double>(order.size() - k);
    double got = std::min(demands[order[k]], even);
    share[order[k]] = got;
    left = std::max(0.0, left - got);
  }
  return share;
}

std::string describe(double value, Dim dim) { return format_quantity(value, dim); }

}  // namespace prepsim::devices
