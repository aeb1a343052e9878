// A YAML document tree that remembers where each node came from (file, line) and refuses what yaml-cpp 0.7
// silently accepts: duplicate keys (it keeps the last), aliases and non-scalar keys.
//
// Scenario and catalog parsing read this tree, so every error can name its file, line and key. The tree is
// also what gets resolved (includes merged, overrides applied, defaults filled) and written back out.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace prepsim::config {

struct Node {
  enum class Kind { Null, Scalar, Seq, Map };

  // Defined in yaml_doc.cpp, where Node is complete: clang with libstdc++ refuses to instantiate
  // std::pair<std::string, Node> (in `entries`) while Node is still being defined.
  Node();
  ~Node();
  Node(const Node&);
  Node(Node&&) noexcept;
  Node& operator=(const Node&);
  Node& operator=(Node&&) noexcept;

  Kind kind = Kind::Null;
  std::string scalar;                                 // Scalar
  std::vector<Node> items;                            // Seq
  std::vector<std::pair<std::string, Node>> entries;  // Map, in file order
  std::string file;
  int line = 0;  // 1-based; 0 when the node was made by prepsim (a default)

  bool is_map() const { return kind == Kind::Map; }
  bool is_seq() const { return kind == Kind::Seq; }
  bool is_scalar() const { return kind == Kind::Scalar; }
  bool is_null() const { return kind == Kind::Null; }

  Node* find(const std::string& key);
  const Node* find(const std::string& key) const;
  // Inserts or replaces `key` in a map.
  Node& set(const std::string& key, Node value);

  static Node make_scalar(std::string value, std::string file = {}, int line = 0);
  static Node make_map(std::string file = {}, int line = 0);
  static Node make_seq(std::string file = {}, int line = 0);
};

// Throws InputError (file, line) on a syntax error, a duplicate key, an alias or a non-scalar key, and on text
// that is not UTF-8 (encoding.h: a UTF-8 BOM and CRLF line endings are accepted).
Node load_yaml_file(const std::string& path);
Node load_yaml_string(const std::string& text, const std::string& name);

// Block-style YAML of the tree (flow style for sequences of scalars), keys in their order.
std::string emit_yaml(const Node& node);

// Deep merge: maps merge key by key (overlay wins), anything else is replaced by the overlay.
void merge_into(Node& base, const Node& overlay);

// Removes every map entry that prepsim filled in as a default (line 0, not written by a command-line flag such as
// --set or --seed) and that holds nothing the user wrote, so that parsing the tree again derives its defaults
// afresh: after `--set pools.ssd.kind=fpga` an isp pool's default `skew` must not survive as an unknown key.
void drop_defaults(Node& node);

}  // namespace prepsim::config
