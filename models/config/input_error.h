// InputError: a problem in a user's input file, located by file, line and key, saying what would be valid.
// The CLI prints it as "file:line: key: message" and exits with code 2 before anything is written.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace prepsim {

class InputError : public std::runtime_error {
 public:
  InputError(std::string file, int line, std::string key, const std::string& message)
      : std::runtime_error(format(file, line, key, message)),
        file_(std::move(file)), line_(line), key_(std::move(key)) {}

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  const std::string& key() const { return key_; }

 private:
  static std::string format(const std::string& file, int line, const std::string& key, const std::string& msg) {
    std::string out;
    out.append(file.empty() ? std::string_view("<input>") : std::string_view(file));
    if (line > 0) out.append(":").append(std::to_string(line));
    out.append(": ");
    if (!key.empty()) out.append(key).append(": ");
    out.append(msg);
    return out;
  }
  std::string file_;
  int line_;
  std::string key_;
};

}  // namespace prepsim
