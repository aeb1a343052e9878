// MapReader: typed, validated reading of one YAML map of a scenario or catalog.
//
// Each accessor reads one key, converts it with the unit parser, checks its range, and on an optional key that
// is absent writes the default into the tree, so the tree becomes the *resolved* input that is written beside
// results. finish() refuses keys nobody read, naming the keys that would be valid. Every error is an InputError
// with file, line and the dotted key path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/config/yaml_doc.h"
#include "models/units.h"

namespace prepsim::config {

// The values a key accepts.
struct Range {
  bool positive = false;      // > 0
  bool non_negative = false;  // >= 0
  std::optional<double> max;  // <= max (or < max when below_max)
  bool below_max = false;

  static Range any() { return {}; }
  static Range positive_only() { return with(true, false, std::nullopt, false); }
  static Range non_negative_only() { return with(false, true, std::nullopt, false); }
  static Range fraction() { return with(false, true, 1.0, false); }        // [0, 1]
  static Range open_fraction() { return with(false, true, 1.0, true); }    // [0, 1)
  static Range positive_below(double m) { return with(true, false, m, true); }  // (0, m)
  static Range positive_fraction() { return with(true, false, 1.0, false); }    // (0, 1]
  // The same range, also at most `m`: Range::positive_only().up_to(kMaxWorkers).
  Range up_to(double m) const {
    Range r = *this;
    r.max = m;
    r.below_max = false;
    return r;
  }

 private:
  static Range with(bool pos, bool nonneg, std::optional<double> m, bool below) {
    Range r;
    r.positive = pos;
    r.non_negative = nonneg;
    r.max = m;
    r.below_max = below;
    return r;
  }
};

class MapReader {
 public:
  // `node` must be a map (else InputError); `path` is its dotted key path ("" at the top).
  MapReader(Node& node, std::string path);

  bool has(const std::string& key) const;
  // A quantity with a unit (Dim), in SI. `def` is the default written into the tree when absent.
  double quantity(const std::string& key, Dim dim, const std::optional<std::string>& def = std::nullopt,
                  Range range = Range::any());
  std::int64_t integer(const std::string& key, const std::optional<std::string>& def = std::nullopt,
                       Range range = Range::any());
  std::string string(const std::string& key, const std::optional<std::string>& def = std::nullopt);
  // One of `choices`.
  std::string choice(const std::string& key, const std::vector<std::string>& choices,
                     const std::optional<std::string>& def = std::nullopt);
  bool boolean(const std::string& key, const std::optional<bool>& def = std::nullopt);
  // A list of scalars (a single scalar is taken as a one-item list).
  std::vector<std::string> strings(const std::string& key, const std::optional<std::vector<std::string>>& def =
                                                               std::nullopt);
  // The file `key` names, relative to the file that wrote it; refused unless it is an existing regular file.
  // Returns the canonical absolute path.
  std::string file_path(const std::string& key);
  // Reads `schema` and refuses any value but `expected`.
  void expect_schema(const std::string& expected);
  // A child map or sequence, required unless `optional`; nullptr when optional and absent.
  Node* map(const std::string& key, bool optional = false);
  Node* seq(const std::string& key, bool optional = false);
  // Marks a key as known without reading it (read elsewhere).
  void skip(const std::string& key);

  // InputError for `key` (or the map itself when key is empty).
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;
  const std::string& path() const { return path_; }
  std::string child_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  Node& node() { return node_; }

  // Refuses unread keys.
  void finish();

 private:
  Node* lookup(const std::string& key, const std::optional<std::string>& def);
  const Node& required(const std::string& key) const;

  Node& node_;
  std::string path_;
  std::vector<std::string> known_;
};

// The line of `node` for messages: its own, or its parent's when it was made by a default.
int line_of(const Node& node, const Node& parent);

}  // namespace prepsim::config
