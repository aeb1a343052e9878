#include "models/config/yaml_doc.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/config/encoding.h"
#include "models/config/input_error.h"

namespace prepsim::config {

Node::Node() = default;
Node::~Node() = default;
Node::Node(const Node&) = default;
Node::Node(Node&&) noexcept = default;
Node& Node::operator=(const Node&) = default;
Node& Node::operator=(Node&&) noexcept = default;

Node* Node::find(const std::string& key) {
  for (auto& [k, v] : entries) {
    if (k == key) return &v;
  }
  return nullptr;
}

const Node* Node::find(const std::string& key) const {
  for (const auto& [k, v] : entries) {
    if (k == key) return &v;
  }
  return nullptr;
}

Node& Node::set(const std::string& key, Node value) {
  if (Node* existing = find(key)) {
    *existing = std::move(value);
    return *existing;
  }
  entries.emplace_back(key, std::move(value));
  return entries.back().second;
}

Node Node::make_scalar(std::string value, std::string file, int line) {
  Node n;
  n.kind = Kind::Scalar;
  n.scalar = std::move(value);
  n.file = std::move(file);
  n.line = line;
  return n;
}

Node Node::make_map(std::string file, int line) {
  Node n;
  n.kind = Kind::Map;
  n.file = std::move(file);
  n.line = line;
  return n;
}

Node Node::make_seq(std::string file, int line) {
  Node n;
  n.kind = Kind::Seq;
  n.file = std::move(file);
  n.line = line;
  return n;
}

namespace {

// Builds Nodes from yaml-cpp parser events. A map is built as a sequence of alternating key/value nodes and
// folded on OnMapEnd, where duplicates and non-scalar keys are caught.
class Builder : public YAML::EventHandler {
 public:
  explicit Builder(std::string file) : file_(std::move(file)) {}

  Node take_root() { return std::move(root_); }
  bool has_root() const { return has_root_; }

  void OnDocumentStart(const YAML::Mark& mark) override { doc_line_ = mark.line + 1; }
  int doc_line() const { return doc_line_; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    Node n;
    n.file = file_;
    n.line = mark.line + 1;
    add(std::move(n));
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    throw InputError(file_, mark.line + 1, "", "YAML aliases (*name) are not supported; write the value out");
  }
  void OnAnchor(const YAML::Mark& mark, const std::string&) override {
    throw InputError(file_, mark.line + 1, "", "YAML anchors (&name) are not supported; write the value out");
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string& value) override {
    add(Node::make_scalar(value, file_, mark.line + 1));
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    stack_.push_back(Node::make_seq(file_, mark.line + 1));
    is_map_.push_back(false);
  }
  void OnSequenceEnd() override { finish(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    stack_.push_back(Node::make_seq(file_, mark.line + 1));  // key, value, key, value ...
    is_map_.push_back(true);
  }
  void OnMapEnd() override {
    Node flat = std::move(stack_.back());
    Node map = Node::make_map(file_, flat.line);
    for (std::size_t i = 0; i + 1 < flat.items.size(); i += 2) {
      Node& key = flat.items[i];
      if (!key.is_scalar()) {
        throw InputError(file_, key.line, "", "a map key must be a plain word, not a list or a map");
      }
      if (const Node* prev = map.find(key.scalar)) {
        throw InputError(file_, key.line, key.scalar,
                         "duplicate key (first given on line " + std::to_string(prev->line) +
                             "); give each key once");
      }
      Node& value = flat.items[i + 1];
      // A block map or list starts on the line after its key: point at the key, where a reader looks.
      if (value.is_map() || value.is_seq()) value.line = key.line;
      map.entries.emplace_back(key.scalar, std::move(value));
    }
    stack_.back() = std::move(map);
    is_map_.back() = false;
    finish();
  }

 private:
  void add(Node n) {
    if (stack_.empty()) {
      root_ = std::move(n);
      has_root_ = true;
    } else {
      stack_.back().items.push_back(std::move(n));
    }
  }
  void finish() {
    Node done = std::move(stack_.back());
    stack_.pop_back();
    is_map_.pop_back();
    add(std::move(done));
  }

  std::string file_;
  std::vector<Node> stack_;
  std::vector<bool> is_map_;
  Node root_;
  bool has_root_ = false;
  int doc_line_ = 0;
};

Node parse_stream(std::istream& in, const std::string& name) {
  Builder builder(name);
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
    Builder extra(name);
    if (parser.HandleNextDocument(extra)) {
      throw InputError(name, extra.doc_line(), "", "a second YAML document ('---'); a file holds one");
    }
  } catch (const YAML::Exception& e) {
    throw InputError(name, e.mark.line + 1, "", "YAML syntax error: " + e.msg);
  }
  if (!builder.has_root()) {
    Node empty;
    empty.file = name;
    return empty;
  }
  return builder.take_root();
}

void emit(YAML::Emitter& out, const Node& n) {
  switch (n.kind) {
    case Node::Kind::Null: out << YAML::Null; break;
    case Node::Kind::Scalar: out << n.scalar; break;
    case Node::Kind::Seq: {
      bool flat = true;
      for (const Node& item : n.items) flat = flat && (item.is_scalar() || item.is_null());
      if (flat) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const Node& item : n.items) emit(out, item);
      out << YAML::EndSeq;
      break;
    }
    case Node::Kind::Map:
      out << YAML::BeginMap;
      for (const auto& [k, v] : n.entries) {
        out << YAML::Key << k << YAML::Value;
        emit(out, v);
      }
      out << YAML::EndMap;
      break;
  }
}

}  // namespace

Node load_yaml_file(const std::string& path) {
  std::istringstream in(checked_text(read_input_file(path, kMaxInputFileBytes), path));
  return parse_stream(in, path);
}

Node load_yaml_string(const std::string& text, const std::string& name) {
  std::istringstream in(checked_text(text, name));
  return parse_stream(in, name);
}

std::string emit_yaml(const Node& node) {
  YAML::Emitter out;
  emit(out, node);
  return std::string(out.c_str()) + "\n";
}

void merge_into(Node& base, const Node& overlay) {
  if (base.is_map() && overlay.is_map()) {
    base.file = overlay.file;  // errors about the merged map point where it was last written
    base.line = overlay.line;
    for (const auto& [k, v] : overlay.entries) {
      if (Node* existing = base.find(k)) {
        merge_into(*existing, v);
      } else {
        base.entries.emplace_back(k, v);
      }
    }
    return;
  }
  base = overlay;
}

namespace {
// True when `n` and everything under it were made by prepsim as defaults (after dropping such children).
bool only_defaults(Node& n) {
  drop_defaults(n);
  bool made_here = n.line == 0 && n.file.rfind("--", 0) != 0;
  return made_here && n.entries.empty() && n.items.empty();
}
}  // namespace

void drop_defaults(Node& node) {
  for (Node& item : node.items) drop_defaults(item);
  auto& e = node.entries;
  e.erase(std::remove_if(e.begin(), e.end(), [](auto& kv) { return only_defaults(kv.second); }), e.end());
}

}  // namespace prepsim::config
