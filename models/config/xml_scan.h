// A small scanner of XML element trees that remembers the line of every element, for checking a SimGrid platform
// file before SimGrid reads it (SimGrid's own parser reports no line for most value errors and aborts on many).
//
// It reads elements and their attributes; comments, processing instructions (<?xml ...?>), <!DOCTYPE ...>, CDATA
// and text between elements are skipped. Entity references in attribute values (&amp; &lt; &gt; &quot; &apos;
// and &#N; &#xN;) are decoded. Not a validating parser: SimGrid's DTD check still runs after it.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace prepsim::config {

struct XmlElement {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;  // in file order
  std::vector<XmlElement> children;
  int line = 0;  // of the '<' that opens it

  // The value of attribute `key`, or nullptr.
  const std::string* attribute(const std::string& key) const;
};

// The root element of `text` (already checked_text()). Throws InputError(file, line) on malformed markup: a tag
// not closed, an end tag that does not match, a duplicate attribute, a second root, nesting deeper than
// kMaxXmlDepth, or no element at all.
XmlElement scan_xml(const std::string& text, const std::string& file);

inline constexpr int kMaxXmlDepth = 256;

}  // namespace prepsim::config
