#include "analysis/run/output_dir.h"

#include <unistd.h>

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "models/config/input_error.h"

namespace prepsim::analysis {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void refuse(const std::string& dir, const std::string& msg) { throw InputError("-o", 0, dir, msg); }

bool writable(const fs::path& p) { return access(p.c_str(), W_OK | X_OK) == 0; }

}  // namespace

void check_output_dir(const std::string& dir) {
  if (dir.empty()) refuse(dir, "an empty folder name");
  std::error_code ec;
  fs::path p = fs::absolute(dir, ec);
  if (ec) refuse(dir, ec.message());
  fs::file_status st = fs::status(p, ec);
  if (ec == std::errc::not_a_directory) refuse(dir, "a part of the path is a file, so no folder can be made there");
  if (ec && ec != std::errc::no_such_file_or_directory) refuse(dir, ec.message());
  if (fs::exists(st)) {
    if (!fs::is_directory(st)) refuse(dir, "is a file, not a folder; give a folder for the outputs");
    if (!writable(p)) refuse(dir, "the folder is not writable");
    return;
  }
  // The nearest existing ancestor must be a writable folder (every missing part is then created).
  for (fs::path a = p.parent_path();; a = a.parent_path()) {
    fs::file_status as = fs::status(a, ec);
    if (ec && ec != std::errc::no_such_file_or_directory) refuse(dir, fmt::format("'{}': {}", a.string(), ec.message()));
    if (fs::exists(as)) {
      if (!fs::is_directory(as)) refuse(dir, fmt::format("'{}' is a file, so no folder can be made under it", a.string()));
      if (!writable(a)) refuse(dir, fmt::format("'{}' is not writable", a.string()));
      return;
    }
    if (a == a.parent_path()) refuse(dir, "no existing folder above it");
  }
}

void write_output_dir(const std::string& dir, const std::function<void(const std::string&)>& write) {
  fs::path p = fs::absolute(dir);
  fs::create_directories(p.parent_path());
  std::string pattern = (p.parent_path() / fmt::format(".{}.prepsim-tmp-XXXXXX", p.filename().string())).string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) {
    throw std::runtime_error(fmt::format("cannot create a temporary folder beside {}", p.string()));
  }
  fs::path tmp(buf.data());
  try {
    write(tmp.string());
    std::error_code ec;
    if (!fs::exists(p, ec)) {
      fs::rename(tmp, p);
      return;
    }
    for (const fs::directory_entry& e : fs::directory_iterator(tmp)) fs::rename(e.path(), p / e.path().filename());
    fs::remove_all(tmp);
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(tmp, ignored);
    throw;
  }
}

}  // namespace prepsim::analysis
