#include "models/config/xml_scan.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdint>

#include "models/config/input_error.h"

namespace prepsim::config {

const std::string* XmlElement::attribute(const std::string& key) const {
  for (const auto& [k, v] : attributes) {
    if (k == key) return &v;
  }
  return nullptr;
}

namespace {

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == ':' ||
         (static_cast<unsigned char>(c) >= 0x80);
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Scanner {
 public:
  Scanner(const std::string& text, const std::string& file) : s_(text), file_(file) {}

  XmlElement run() {
    std::vector<XmlElement> stack;
    bool have_root = false;
    XmlElement root;
    while (pos_ < s_.size()) {
      if (s_[pos_] != '<') {
        advance(1);
        continue;
      }
      int open_line = line_;
      if (starts("<!--")) {
        skip_past("-->", open_line, "a comment '<!--' is not closed with '-->'");
      } else if (starts("<![CDATA[")) {
        skip_past("]]>", open_line, "a CDATA section is not closed with ']]>'");
      } else if (starts("<?")) {
        skip_past("?>", open_line, "a '<?' processing instruction is not closed with '?>'");
      } else if (starts("<!")) {
        skip_declaration(open_line);
      } else if (starts("</")) {
        advance(2);
        std::string name = read_name(open_line);
        skip_space();
        expect('>', open_line, fmt::format("the end tag </{}> is not closed with '>'", name));
        if (stack.empty()) fail(open_line, fmt::format("end tag </{}> without a start tag", name));
        if (stack.back().name != name) {
          fail(open_line, fmt::format("end tag </{}> does not match <{}> opened on line {}", name, stack.back().name,
                                      stack.back().line));
        }
        XmlElement done = std::move(stack.back());
        stack.pop_back();
        place(std::move(done), stack, root, have_root);
      } else {
        advance(1);
        XmlElement e;
        e.line = open_line;
        e.name = read_name(open_line);
        bool self_closed = read_attributes(e);
        if (self_closed) {
          place(std::move(e), stack, root, have_root);
        } else {
          if (stack.size() >= static_cast<std::size_t>(kMaxXmlDepth)) {
            fail(open_line, fmt::format("elements nested deeper than {}", kMaxXmlDepth));
          }
          stack.push_back(std::move(e));
        }
      }
    }
    if (!stack.empty()) {
      fail(stack.back().line, fmt::format("<{}> is never closed (</{}> missing)", stack.back().name,
                                          stack.back().name));
    }
    if (!have_root) fail(line_, "no XML element in the file");
    return root;
  }

 private:
  [[noreturn]] void fail(int line, const std::string& msg) const {
    throw InputError(file_, line, "", "XML: " + msg);
  }
  bool starts(const char* prefix) const { return s_.compare(pos_, std::char_traits<char>::length(prefix), prefix) == 0; }
  void advance(std::size_t n) {
    for (std::size_t i = 0; i < n && pos_ < s_.size(); ++i) line_ += s_[pos_++] == '\n' ? 1 : 0;
  }
  void skip_past(const char* end, int open_line, const char* msg) {
    std::size_t at = s_.find(end, pos_ + 1);
    if (at == std::string::npos) fail(open_line, msg);
    advance(at + std::char_traits<char>::length(end) - pos_);
  }
  // <!DOCTYPE ...> with an optional [internal subset].
  void skip_declaration(int open_line) {
    int depth = 0;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      advance(1);
      if (c == '[') ++depth;
      if (c == ']') --depth;
      if (c == '>' && depth <= 0) return;
    }
    fail(open_line, "a '<!' declaration is not closed with '>'");
  }
  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) advance(1);
  }
  void expect(char c, int open_line, const std::string& msg) {
    if (pos_ >= s_.size() || s_[pos_] != c) fail(open_line, msg);
    advance(1);
  }
  std::string read_name(int open_line) {
    std::size_t begin = pos_;
    while (pos_ < s_.size() && name_char(s_[pos_])) advance(1);
    if (pos_ == begin) fail(open_line, "expected a tag or attribute name after '<'");
    return s_.substr(begin, pos_ - begin);
  }
  // Reads attributes up to '>' or '/>'; true when the element closed itself.
  bool read_attributes(XmlElement& e) {
    while (true) {
      skip_space();
      if (pos_ >= s_.size()) fail(e.line, fmt::format("<{}> is not closed with '>'", e.name));
      if (starts("/>")) {
        advance(2);
        return true;
      }
      if (s_[pos_] == '>') {
        advance(1);
        return false;
      }
      int line = line_;
      std::string key = read_name(e.line);
      skip_space();
      expect('=', line, fmt::format("attribute '{}' of <{}> has no '=value'", key, e.name));
      skip_space();
      if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) {
        fail(line, fmt::format("the value of attribute '{}' of <{}> is not quoted", key, e.name));
      }
      char quote = s_[pos_];
      advance(1);
      std::size_t end = s_.find(quote, pos_);
      if (end == std::string::npos) fail(line, fmt::format("the value of attribute '{}' is not closed", key));
      std::string value = decode(s_.substr(pos_, end - pos_), line);
      advance(end + 1 - pos_);
      if (e.attribute(key) != nullptr) fail(line, fmt::format("attribute '{}' is given twice in <{}>", key, e.name));
      e.attributes.emplace_back(std::move(key), std::move(value));
    }
  }
  std::string decode(const std::string& raw, int line) const {
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '<') fail(line, "'<' inside an attribute value (write &lt;)");
      if (raw[i] != '&') {
        out += raw[i];
        continue;
      }
      std::size_t semi = raw.find(';', i);
      if (semi == std::string::npos) fail(line, "'&' in an attribute value without ';' (write &amp;)");
      std::string ent = raw.substr(i + 1, semi - i - 1);
      if (ent == "amp") out += '&';
      else if (ent == "lt") out += '<';
      else if (ent == "gt") out += '>';
      else if (ent == "quot") out += '"';
      else if (ent == "apos") out += '\'';
      else if (ent.size() > 1 && ent[0] == '#') {
        bool hex = ent[1] == 'x' || ent[1] == 'X';
        std::string digits = ent.substr(hex ? 2 : 1);
        std::uint32_t cp = 0;
        bool ok = !digits.empty() && digits.size() <= 8;
        for (char c : digits) {
          int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                  : hex && std::isxdigit(static_cast<unsigned char>(c)) ? std::tolower(c) - 'a' + 10
                                                                          : -1;
          if (d < 0) ok = false;
          else cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
        }
        if (!ok || cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
          fail(line, fmt::format("'&{};' is not a valid character reference", ent));
        }
        append_utf8(out, cp);
      } else {
        fail(line, fmt::format("unknown entity '&{};' in an attribute value", ent));
      }
      i = semi;
    }
    return out;
  }
  void place(XmlElement e, std::vector<XmlElement>& stack, XmlElement& root, bool& have_root) const {
    if (!stack.empty()) {
      stack.back().children.push_back(std::move(e));
      return;
    }
    if (have_root) fail(e.line, fmt::format("a second top-level element <{}>; a file has one root", e.name));
    root = std::move(e);
    have_root = true;
  }

  const std::string& s_;
  const std::string& file_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace

XmlElement scan_xml(const std::string& text, const std::string& file) { return Scanner(text, file).run(); }

}  // namespace prepsim::config
