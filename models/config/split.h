// split(): a string cut at every separator, empty parts kept ("a,,b" -> a, "", b; "" -> one empty part). Used by
// the --set key paths and the platform check's value lists.
#pragma once

#include <string>
#include <vector>

namespace prepsim::config {

inline std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string::size_type begin = 0;
  while (true) {
    std::string::size_type at = s.find(sep, begin);
    out.push_back(s.substr(begin, at == std::string::npos ? std::string::npos : at - begin));
    if (at == std::string::npos) return out;
    begin = at + 1;
  }
}

}  // namespace prepsim::config
