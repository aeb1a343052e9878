// Tag scanner of SimGrid platform XML for `prepsim plan`: see plan_platform.h.
#include "analysis/plan/plan_platform.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include "models/config/input_error.h"

namespace prepsim::analysis {

namespace {

struct Tag {
  std::string name;
  bool closing = false, self_closing = false;
  std::map<std::string, std::string> attrs;
  int line = 0;
};

class Scanner {
 public:
  Scanner(const std::string& text, const std::string& file) : s_(text), file_(file) {}

  // The next element tag, skipping text, comments, <?...?> and <!...>; false at the end.
  bool next(Tag& tag) {
    while (true) {
      while (i_ < s_.size() && s_[i_] != '<') advance();
      if (i_ >= s_.size()) return false;
      int start = line_;
      if (s_.compare(i_, 4, "<!--") == 0) {
        skip_past("-->", start);
      } else if (s_.compare(i_, 2, "<?") == 0) {
        skip_past("?>", start);
      } else if (s_.compare(i_, 2, "<!") == 0) {
        skip_past(">", start);
      } else {
        read_tag(tag, start);
        return true;
      }
    }
  }

 private:
  void advance() {
    if (s_[i_] == '\n') ++line_;
    ++i_;
  }
  [[noreturn]] void unclosed(int line) const {
    throw InputError(file_, line, "", "a tag that never closes; the platform must be well-formed XML");
  }
  void skip_past(const std::string& end, int start) {
    while (i_ < s_.size() && s_.compare(i_, end.size(), end) != 0) advance();
    if (i_ >= s_.size()) unclosed(start);
    i_ += end.size();
  }
  void skip_space() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) advance();
  }
  std::string word() {
    std::size_t b = i_;
    while (i_ < s_.size() && !std::isspace(static_cast<unsigned char>(s_[i_])) && s_[i_] != '>' && s_[i_] != '/' &&
           s_[i_] != '=') {
      ++i_;
    }
    return s_.substr(b, i_ - b);
  }
  void read_tag(Tag& tag, int start) {
    tag = Tag{};
    tag.line = start;
    ++i_;  // '<'
    if (i_ < s_.size() && s_[i_] == '/') {
      tag.closing = true;
      ++i_;
    }
    tag.name = word();
    while (true) {
      skip_space();
      if (i_ >= s_.size()) unclosed(start);
      if (s_[i_] == '>') {
        ++i_;
        return;
      }
      if (s_[i_] == '/') {
        tag.self_closing = true;
        ++i_;
        continue;
      }
      std::string key = word();
      skip_space();
      if (i_ >= s_.size() || s_[i_] != '=') {
        if (key.empty()) unclosed(start);
        tag.attrs[key] = "";
        continue;
      }
      ++i_;
      skip_space();
      if (i_ >= s_.size() || (s_[i_] != '"' && s_[i_] != '\'')) unclosed(start);
      char quote = s_[i_++];
      std::size_t b = i_;
      while (i_ < s_.size() && s_[i_] != quote) advance();
      if (i_ >= s_.size()) unclosed(start);
      tag.attrs[key] = s_.substr(b, i_ - b);
      ++i_;
    }
  }

  const std::string& s_;
  const std::string& file_;
  std::size_t i_ = 0;
  int line_ = 1;
};

std::string attr(const Tag& t, const std::string& key) {
  auto it = t.attrs.find(key);
  return it == t.attrs.end() ? std::string() : it->second;
}

}  // namespace

PlatformInfo scan_platform_text(const std::string& text, const std::string& file) {
  PlatformInfo info;
  info.file = file;
  struct Open {
    std::string name, id;
  };
  std::vector<Open> stack;
  Scanner sc(text, file);
  Tag t;
  while (sc.next(t)) {
    if (t.closing) {
      while (!stack.empty()) {
        bool match = stack.back().name == t.name;
        stack.pop_back();
        if (match) break;
      }
      continue;
    }
    const Open* parent = stack.empty() ? nullptr : &stack.back();
    if (t.name == "host") {
      info.hosts[attr(t, "id")];
    } else if (t.name == "prop" && parent != nullptr) {
      std::string id = attr(t, "id"), value = attr(t, "value");
      if (parent->name == "host" && (id == "kind" || id == "sku")) {
        PlatformHost& h = info.hosts[parent->id];
        (id == "kind" ? h.kind : h.sku) = value;
      } else if (parent->name == "link" && id == "host") {
        info.link_host[parent->id] = value;
      }
    }
    if (!t.self_closing) stack.push_back({t.name, attr(t, "id")});
  }
  return info;
}

PlatformInfo scan_platform(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw InputError(file, 0, "platform", "cannot read the platform file; give an existing SimGrid XML");
  std::ostringstream text;
  text << in.rdbuf();
  return scan_platform_text(text.str(), file);
}

}  // namespace prepsim::analysis
