// What text encodings prepsim's input files may use, checked once where a file or a command-line value is read:
// UTF-8, with or without a byte order mark, with LF or CRLF line endings. UTF-16/32 (a BOM or NUL bytes), lone
// CR line endings (classic Mac) and bytes that are not UTF-8 are refused with the line they are on, so no
// malformed string reaches a report (nlohmann::json refuses them only when the report is written).
#pragma once

#include <string>
#include <string_view>

namespace prepsim::config {

// Returns `bytes` as the text a parser should read: a UTF-8 BOM removed and CRLF turned into LF. Throws
// InputError(name, line, "", what is wrong and how to save the file instead).
std::string checked_text(std::string_view bytes, const std::string& name);

// The offset of the first byte of `s` that is not part of valid UTF-8 (overlong forms, surrogates and code points
// above U+10FFFF are invalid too), or std::string_view::npos when it is all valid.
std::size_t first_invalid_utf8(std::string_view s);

// A file's contents, refused (InputError naming `path`) when it is not a readable regular file or is larger than
// `max_bytes`. Filesystem errors (a name too long, a symlink loop, no permission) become InputError too.
std::string read_input_file(const std::string& path, std::size_t max_bytes);

// The largest input file prepsim reads (64 MiB): far more than any scenario, catalog or platform needs.
inline constexpr std::size_t kMaxInputFileBytes = 64u << 20;

}  // namespace prepsim::config
