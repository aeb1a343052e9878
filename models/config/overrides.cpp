#include "models/config/overrides.h"

#include <fmt/format.h>

#include <charconv>
#include <vector>

#include "models/config/input_error.h"
#include "models/config/split.h"

namespace prepsim::config {
namespace {

std::string children_of(const Node& n) {
  std::vector<std::string> names;
  if (n.is_map()) {
    for (const auto& [k, v] : n.entries) names.push_back(k);
  } else if (n.is_seq()) {
    for (std::size_t i = 0; i < n.items.size(); ++i) {
      const Node* name = n.items[i].is_map() ? n.items[i].find("name") : nullptr;
      names.push_back(name != nullptr && name->is_scalar() ? name->scalar : std::to_string(i));
    }
  }
  return names.empty() ? "(none: it is a single value)" : fmt::format("{}", fmt::join(names, ", "));
}

const Node* child(const Node& n, const std::string& part) {
  if (n.is_map()) return n.find(part);
  if (!n.is_seq()) return nullptr;
  for (const Node& item : n.items) {
    const Node* name = item.is_map() ? item.find("name") : nullptr;
    if (name != nullptr && name->is_scalar() && name->scalar == part) return &item;
  }
  std::size_t i = 0;
  auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), i);
  if (!part.empty() && ec == std::errc() && end == part.data() + part.size() && i < n.items.size()) {
    return &n.items[i];
  }
  return nullptr;
}

// The node at `path`; throws InputError(file, line, path) naming the first part that does not exist.
const Node& walk(const Node& root, const std::string& path, const std::string& file, int line) {
  const Node* cur = &root;
  std::string walked;
  for (const std::string& part : split(path, '.')) {
    const Node* next = child(*cur, part);
    if (next == nullptr) {
      throw InputError(file, line, path,
                       fmt::format("'{}' does not exist{}; valid here: {}", part,
                                   walked.empty() ? "" : " under '" + walked + "'", children_of(*cur)));
    }
    walked += (walked.empty() ? "" : ".") + part;
    cur = next;
  }
  return *cur;
}

}  // namespace

void apply_override(Node& root, const std::string& assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw InputError("--set", 0, assignment, "expected key.path=value, e.g. run.duration=30s");
  }
  std::string path = assignment.substr(0, eq);
  std::string value = assignment.substr(eq + 1);
  Node& target = const_cast<Node&>(walk(root, path, "--set", 0));  // a node of `root`, which is ours to change
  target = load_yaml_string(value, "--set " + path);
}

void check_override_key(const Node& root, const std::string& path, const std::string& file, int line) {
  walk(root, path, file, line);
}

}  // namespace prepsim::config
