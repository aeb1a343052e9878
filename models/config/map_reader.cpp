#include "models/config/map_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "models/config/input_error.h"

namespace prepsim::config {

int line_of(const Node& node, const Node& parent) { return node.line > 0 ? node.line : parent.line; }

MapReader::MapReader(Node& node, std::string path) : node_(node), path_(std::move(path)) {
  if (node.is_null() && node.line == 0) node = Node::make_map(node.file, node.line);
  if (!node_.is_map()) {
    throw InputError(node_.file, node_.line, path_.empty() ? "<top>" : path_,
                     "expected a map of 'key: value' entries here");
  }
}

bool MapReader::has(const std::string& key) const { return node_.find(key) != nullptr; }

void MapReader::fail(const std::string& key, const std::string& message) const {
  const Node* n = key.empty() ? nullptr : node_.find(key);
  int line = n != nullptr ? line_of(*n, node_) : node_.line;
  std::string file = n != nullptr && !n->file.empty() ? n->file : node_.file;
  throw InputError(file, line, key.empty() ? path_ : child_path(key), message);
}

Node* MapReader::lookup(const std::string& key, const std::optional<std::string>& def) {
  known_.push_back(key);
  Node* n = node_.find(key);
  if (n == nullptr) {
    if (!def) fail("", fmt::format("missing required key '{}'", key));
    n = &node_.set(key, Node::make_scalar(*def, node_.file, 0));
  }
  if (!n->is_scalar()) fail(key, "expected a single value here, not a list or a map");
  return n;
}

const Node& MapReader::required(const std::string& key) const {
  const Node* n = node_.find(key);
  if (n == nullptr) fail("", fmt::format("missing required key '{}'", key));
  return *n;
}

double MapReader::quantity(const std::string& key, Dim dim, const std::optional<std::string>& def, Range range) {
  Node* n = lookup(key, def);
  double v = 0;
  try {
    v = parse_quantity(n->scalar, dim);
  } catch (const UnitError& e) {
    fail(key, e.what());
  }
  if (range.positive && !(v > 0)) fail(key, fmt::format("must be greater than zero (got '{}')", n->scalar));
  if (range.non_negative && v < 0) fail(key, fmt::format("must not be negative (got '{}')", n->scalar));
  if (range.max && (range.below_max ? v >= *range.max : v > *range.max)) {
    fail(key, fmt::format("must be {} {:.15g} (got '{}')", range.below_max ? "below" : "at most", *range.max,
                          n->scalar));
  }
  return v;
}

std::int64_t MapReader::integer(const std::string& key, const std::optional<std::string>& def, Range range) {
  double v = quantity(key, Dim::Count, def, range);
  if (v != std::floor(v) || std::fabs(v) > 9.0e15) {
    fail(key, fmt::format("must be a whole number (got '{}')", node_.find(key)->scalar));
  }
  return static_cast<std::int64_t>(v);
}

std::string MapReader::string(const std::string& key, const std::optional<std::string>& def) {
  return lookup(key, def)->scalar;
}

std::string MapReader::choice(const std::string& key, const std::vector<std::string>& choices,
                              const std::optional<std::string>& def) {
  std::string v = string(key, def);
  if (std::find(choices.begin(), choices.end(), v) == choices.end()) {
    fail(key, fmt::format("'{}' is not valid here; valid: {}", v, fmt::join(choices, ", ")));
  }
  return v;
}

bool MapReader::boolean(const std::string& key, const std::optional<bool>& def) {
  std::optional<std::string> d;
  if (def) d = *def ? "true" : "false";
  std::string v = string(key, d);
  if (v == "true") return true;
  if (v == "false") return false;
  fail(key, fmt::format("'{}' is not a boolean; write true or false", v));
}

std::vector<std::string> MapReader::strings(const std::string& key,
                                            const std::optional<std::vector<std::string>>& def) {
  known_.push_back(key);
  Node* n = node_.find(key);
  if (n == nullptr) {
    if (!def) fail("", fmt::format("missing required key '{}'", key));
    Node seq = Node::make_seq(node_.file, 0);
    for (const auto& s : *def) seq.items.push_back(Node::make_scalar(s, node_.file, 0));
    n = &node_.set(key, std::move(seq));
  }
  if (n->is_scalar()) return {n->scalar};
  if (!n->is_seq()) fail(key, "expected a list of names, e.g. [a, b]");
  std::vector<std::string> out;
  for (const Node& item : n->items) {
    if (!item.is_scalar()) fail(key, "expected a list of plain names, e.g. [a, b]");
    out.push_back(item.scalar);
  }
  return out;
}

std::string MapReader::file_path(const std::string& key) {
  namespace fs = std::filesystem;
  std::string value = string(key);
  const Node* n = node_.find(key);
  fs::path p(value);
  if (p.is_relative()) p = fs::path(n->file.empty() ? node_.file : n->file).parent_path() / p;
  std::error_code ec;
  fs::file_status st = fs::status(p, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) fail(key, fmt::format("'{}': {}", p.string(), ec.message()));
  if (!fs::is_regular_file(st)) {
    fail(key, fmt::format("'{}' is {}", p.string(), fs::exists(st) ? "not a regular file" : "no such file"));
  }
  fs::path canonical = fs::canonical(p, ec);
  if (ec) fail(key, fmt::format("'{}': {}", p.string(), ec.message()));
  return canonical.string();
}

void MapReader::expect_schema(const std::string& expected) {
  std::string schema = string("schema");
  if (schema != expected) fail("schema", fmt::format("unknown schema '{}'; valid: {}", schema, expected));
}

Node* MapReader::map(const std::string& key, bool optional) {
  known_.push_back(key);
  Node* n = node_.find(key);
  if (n == nullptr) {
    if (optional) return nullptr;
    fail("", fmt::format("missing required section '{}'", key));
  }
  if (n->is_null()) *n = Node::make_map(n->file, n->line);
  if (!n->is_map()) fail(key, "expected a map of 'key: value' entries");
  return n;
}

Node* MapReader::seq(const std::string& key, bool optional) {
  known_.push_back(key);
  Node* n = node_.find(key);
  if (n == nullptr) {
    if (optional) return nullptr;
    fail("", fmt::format("missing required list '{}'", key));
  }
  if (!n->is_seq()) fail(key, "expected a list ('- item' entries)");
  return n;
}

void MapReader::skip(const std::string& key) { known_.push_back(key); }

void MapReader::finish() {
  for (const auto& [k, v] : node_.entries) {
    if (std::find(known_.begin(), known_.end(), k) == known_.end()) {
      std::vector<std::string> valid = known_;
      std::sort(valid.begin(), valid.end());
      valid.erase(std::unique(valid.begin(), valid.end()), valid.end());
      throw InputError(v.file.empty() ? node_.file : v.file, line_of(v, node_), child_path(k),
                       fmt::format("unknown key; valid keys here: {}", fmt::join(valid, ", ")));
    }
  }
}

}  // namespace prepsim::config
