#include "models/sweep/sweep_spec.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

#include "models/config/input_error.h"
#include "models/config/map_reader.h"
#include "models/data/rng.h"
#include "models/limits.h"

namespace prepsim::sweep {

using config::MapReader;
using config::Node;

std::string number_text(double v) {
  std::string s = fmt::format("{:.12g}", v);
  if (s == "-0") s = "0";
  return s;
}

std::string value_text(const Node& node) {
  if (node.is_scalar()) return node.scalar;
  if (node.is_seq()) {
    std::string out = "[";
    for (std::size_t i = 0; i < node.items.size(); ++i) {
      if (!node.items[i].is_scalar()) {
        throw InputError(node.file, node.items[i].line, "", "a swept value is a scalar or a list of scalars");
      }
      out += (i ? ", " : "") + node.items[i].scalar;
    }
    return out + "]";
  }
  throw InputError(node.file, node.line, "", "a swept value is a scalar or a list of scalars");
}

namespace {

double number(MapReader& r, const std::string& key) {
  std::string text = r.string(key);
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v)) {
    r.fail(key, fmt::format("'{}' is not a number (a unit goes in `unit:`)", text));
  }
  return v;
}

std::string checked_key(MapReader& r) {
  std::string key = r.string("key");
  if (key.empty() || key.find('=') != std::string::npos || key.find(' ') != std::string::npos) {
    r.fail("key", "a dotted scenario key such as pools.cpu.workers_per_host");
  }
  return key;
}

// {key, values: [..]} or {key, range: {from, to, step}, unit}: the key and its value texts.
std::pair<std::string, std::vector<std::string>> simple_axis(Node& node, const std::string& path) {
  MapReader r(node, path);
  std::string key = checked_key(r);
  std::vector<std::string> values;
  if (r.has("values") == r.has("range")) r.fail("", "an axis has either `values: [..]` or `range: {from, to, step}`");
  if (r.has("values")) {
    Node* seq = r.seq("values");
    if (seq->items.empty()) r.fail("values", "an axis needs at least one value");
    for (const Node& v : seq->items) values.push_back(value_text(v));
  } else {
    std::string unit = r.string("unit", "");
    MapReader rr(*r.map("range"), r.child_path("range"));
    double from = number(rr, "from"), to = number(rr, "to"), step = number(rr, "step");
    if (step <= 0) rr.fail("step", "must be > 0");
    if (to < from) rr.fail("to", "must be >= from");
    rr.finish();
    double n = std::floor((to - from) / step + 1e-9);
    if (n > 1e6) rr.fail("step", "more than a million values");
    for (int i = 0; i <= static_cast<int>(n); ++i) values.push_back(number_text(from + i * step) + unit);
  }
  r.finish();
  return {key, values};
}

std::vector<Params> random_axis(Node& node, const std::string& path, SweepSpec& spec) {
  MapReader r(node, path);
  std::int64_t samples =
      r.integer("samples", std::nullopt, config::Range::positive_only().up_to(limits::kMaxSweepPoints));
  std::int64_t seed = r.integer("seed", "1", config::Range::non_negative_only());
  Node* axes = r.seq("axes");
  struct U { std::string key; double lo, hi; std::string unit; bool integer; };
  std::vector<U> us;
  for (std::size_t i = 0; i < axes->items.size(); ++i) {
    std::string p = fmt::format("{}.axes.{}", path, i);
    MapReader a(axes->items[i], p);
    U u;
    u.key = checked_key(a);
    MapReader ur(*a.map("uniform"), a.child_path("uniform"));
    u.lo = number(ur, "lo");
    u.hi = number(ur, "hi");
    u.unit = ur.string("unit", "");
    u.integer = ur.boolean("integer", false);
    if (u.hi < u.lo) ur.fail("hi", "must be >= lo");
    ur.finish();
    a.finish();
    spec.keys.push_back(u.key);
    spec.key_lines.push_back(axes->items[i].find("key")->line);
    us.push_back(u);
  }
  if (us.empty()) r.fail("axes", "needs at least one {key, uniform: {lo, hi}}");
  r.finish();
  std::vector<Params> out;
  for (std::int64_t s = 0; s < samples; ++s) {
    Params p;
    for (const U& u : us) {
      data::Rng rng = data::Rng::for_entity(static_cast<std::uint64_t>(seed), fmt::format("{}/{}", u.key, s));
      double v = u.integer ? std::floor(u.lo) + static_cast<double>(rng.below(
                                 static_cast<std::uint64_t>(std::floor(u.hi) - std::floor(u.lo)) + 1))
                           : rng.uniform(u.lo, u.hi);
      p.emplace_back(u.key, number_text(v) + u.unit);
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

SweepSpec parse_sweep(Node root, const std::string& path) {
  SweepSpec spec;
  spec.file = path;
  MapReader r(root, "");
  r.expect_schema("prepsim-sweep/v1");
  spec.base = r.file_path("base");
  if (r.has("seed")) spec.seed = r.integer("seed", std::nullopt, config::Range::non_negative_only());
  if (Node* set = r.map("set", true)) {
    for (auto& [k, v] : set->entries) {
      spec.fixed.push_back(k + "=" + value_text(v));
      spec.fixed_lines.push_back(v.line > 0 ? v.line : set->line);
    }
  }
  if (Node* axes = r.seq("axes", true)) {
    for (std::size_t i = 0; i < axes->items.size(); ++i) {
      Node& a = axes->items[i];
      std::string p = fmt::format("axes.{}", i);
      if (a.is_map() && a.find("zip")) {
        MapReader zr(a, p);
        Node* zip = zr.seq("zip");
        std::vector<std::pair<std::string, std::vector<std::string>>> parts;
        for (std::size_t j = 0; j < zip->items.size(); ++j) {
          parts.push_back(simple_axis(zip->items[j], fmt::format("{}.zip.{}", p, j)));
          if (parts.back().second.size() != parts.front().second.size()) {
            throw InputError(path, zip->items[j].line, fmt::format("{}.zip.{}", p, j),
                             fmt::format("zipped axes need equal lengths: {} values here, {} in the first",
                                         parts.back().second.size(), parts.front().second.size()));
          }
        }
        if (parts.empty()) zr.fail("zip", "needs at least one {key, values}");
        zr.finish();
        std::vector<Params> choices(parts.front().second.size());
        for (std::size_t j = 0; j < parts.size(); ++j) {
          auto& [k, vals] = parts[j];
          spec.keys.push_back(k);
          spec.key_lines.push_back(zip->items[j].find("key")->line);
          for (std::size_t c = 0; c < vals.size(); ++c) choices[c].emplace_back(k, vals[c]);
        }
        spec.axes.push_back(std::move(choices));
      } else {
        auto [k, vals] = simple_axis(a, p);
        spec.keys.push_back(k);
        spec.key_lines.push_back(a.find("key")->line);
        std::vector<Params> choices;
        for (const std::string& v : vals) choices.push_back({{k, v}});
        spec.axes.push_back(std::move(choices));
      }
    }
  }
  if (Node* rnd = r.map("random", true)) spec.axes.push_back(random_axis(*rnd, "random", spec));
  if (spec.axes.empty()) r.fail("axes", "a sweep needs `axes:` or `random:`");
  for (const auto& axis : spec.axes) spec.points *= static_cast<double>(axis.size());
  if (spec.points > limits::kMaxSweepPoints) {
    r.fail(r.has("axes") ? "axes" : "random",
           fmt::format("{:.3g} points (the product of the axes' lengths); a sweep file has at most {:.0f}: split it "
                       "or use coarser steps",
                       spec.points, limits::kMaxSweepPoints));
  }
  for (std::size_t i = 0; i < spec.keys.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (spec.keys[i] == spec.keys[j]) r.fail("axes", fmt::format("key {} is swept twice", spec.keys[i]));
    }
  }
  r.finish();
  return spec;
}

SweepSpec load_sweep(const std::string& path) { return parse_sweep(config::load_yaml_file(path), path); }

std::vector<Params> expand(const SweepSpec& spec) {
  std::vector<Params> out{Params{}};
  for (const auto& axis : spec.axes) {
    std::vector<Params> next;
    for (const Params& p : out) {
      for (const Params& c : axis) {
        Params q = p;
        q.insert(q.end(), c.begin(), c.end());
        next.push_back(std::move(q));
      }
    }
    out = std::move(next);
  }
  return out;
}

}  // namespace prepsim::sweep
