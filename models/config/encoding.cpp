#include "models/config/encoding.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <system_error>

#include "models/config/input_error.h"

namespace prepsim::config {

namespace {

int line_at(std::string_view s, std::size_t offset) {
  int line = 1;
  for (std::size_t i = 0; i < offset && i < s.size(); ++i) line += s[i] == '\n' ? 1 : 0;
  return line;
}

}  // namespace

std::size_t first_invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0, min = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07, min = 0x10000;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::string checked_text(std::string_view bytes, const std::string& name) {
  auto starts = [&](std::string_view prefix) { return bytes.substr(0, prefix.size()) == prefix; };
  using namespace std::string_view_literals;  // the BOMs hold NUL bytes: lengths from the literals, not strlen
  if (starts("\xFF\xFE\x00\x00"sv) || starts("\x00\x00\xFE\xFF"sv)) {
    throw InputError(name, 1, "", "the file is UTF-32 (it starts with a UTF-32 byte order mark); save it as UTF-8");
  }
  if (starts("\xFF\xFE"sv) || starts("\xFE\xFF"sv)) {
    throw InputError(name, 1, "", "the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8");
  }
  if (starts("\xEF\xBB\xBF"sv)) bytes.remove_prefix(3);  // a UTF-8 byte order mark: harmless
  if (std::size_t nul = bytes.find('\0'); nul != std::string_view::npos) {
    throw InputError(name, line_at(bytes, nul), "",
                     "a NUL byte: the file is binary, or UTF-16/UTF-32 without a byte order mark; save it as UTF-8 "
                     "text");
  }
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] != '\r') {
      out += bytes[i];
    } else if (i + 1 < bytes.size() && bytes[i + 1] == '\n') {
      continue;  // CRLF: the LF that follows ends the line
    } else {
      throw InputError(name, line_at(bytes, i), "",
                       "a line ends with a lone CR (classic Mac line endings); save the file with LF or CRLF line "
                       "endings");
    }
  }
  if (std::size_t bad = first_invalid_utf8(out); bad != std::string::npos) {
    std::size_t line_start = out.rfind('\n', bad == 0 ? 0 : bad - 1);
    std::size_t column = line_start == std::string::npos || bad == 0 ? bad + 1 : bad - line_start;
    throw InputError(name, line_at(out, bad), "",
                     fmt::format("byte 0x{:02X} (column {}) is not UTF-8 (Latin-1 or another legacy encoding?); save "
                                 "the file as UTF-8",
                                 static_cast<unsigned char>(out[bad]), column));
  }
  return out;
}

std::string read_input_file(const std::string& path, std::size_t max_bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    throw InputError(path, 0, "", fmt::format("cannot read: {}", ec.message()));
  }
  if (!fs::exists(st)) throw InputError(path, 0, "", "no such file");
  if (!fs::is_regular_file(st)) throw InputError(path, 0, "", "not a regular file (a directory?)");
  std::uintmax_t size = fs::file_size(path, ec);
  if (ec) throw InputError(path, 0, "", fmt::format("cannot read: {}", ec.message()));
  if (size > max_bytes) {
    throw InputError(path, 0, "",
                     fmt::format("the file has {} bytes; prepsim reads input files of at most {} MiB", size,
                                 max_bytes >> 20));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "", "cannot open file (permissions?)");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (in.gcount() != static_cast<std::streamsize>(size)) throw InputError(path, 0, "", "cannot read the whole file");
  return bytes;
}

}  // namespace prepsim::config
