#include "models/config/encoding.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "models/config/input_error.h"
#include "models/config/yaml_doc.h"

namespace prepsim::config {
namespace {

// The line an input is refused at, or 0 when it is accepted.
int refused_at(std::string_view bytes) {
  try {
    checked_text(bytes, "f.yaml");
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "f.yaml");
    return e.line();
  }
  return 0;
}

TEST(Encoding, Utf8WithBomAndCrlfIsReadAsPlainUtf8) {
  EXPECT_EQ(checked_text("\xEF\xBB\xBF" "a: 1\r\nb: \xC3\xA9t\xC3\xA9\r\n", "f"), "a: 1\nb: \xC3\xA9t\xC3\xA9\n");
  Node n = load_yaml_string("\xEF\xBB\xBFname: x\r\nseed: 2\r\n", "crlf.yaml");
  EXPECT_EQ(n.find("name")->scalar, "x");
  EXPECT_EQ(n.find("seed")->scalar, "2");
  EXPECT_EQ(n.find("seed")->line, 2);
}

TEST(Encoding, Utf16And32AreRefusedOnLineOne) {
  EXPECT_EQ(refused_at(std::string_view("\xFF\xFE" "a\0:\0", 6)), 1);
  EXPECT_EQ(refused_at(std::string_view("\xFE\xFF\0a\0:", 6)), 1);
  EXPECT_EQ(refused_at(std::string_view("\xFF\xFE\0\0a\0\0\0", 8)), 1);
  // UTF-16 without a BOM shows as NUL bytes.
  EXPECT_EQ(refused_at(std::string_view("a\0:\0 \0\n\0b\0", 10)), 1);
  EXPECT_EQ(refused_at(std::string_view("a: 1\nb: \0\n", 10)), 2);
}

TEST(Encoding, LoneCrIsRefusedAtItsLine) {
  EXPECT_EQ(refused_at("a: 1\rb: 2\r"), 1);
  EXPECT_EQ(refused_at("a: 1\nb: 2\rc: 3\n"), 2);
}

TEST(Encoding, InvalidUtf8IsRefusedAtItsLine) {
  EXPECT_EQ(refused_at("a: 1\nname: caf\xE9\n"), 2);           // Latin-1
  EXPECT_EQ(refused_at("a: \xC0\xAF\n"), 1);                   // overlong '/'
  EXPECT_EQ(refused_at("a: \xED\xA0\x80\n"), 1);               // a UTF-16 surrogate
  EXPECT_EQ(refused_at("a: \xF4\x90\x80\x80\n"), 1);           // above U+10FFFF
  EXPECT_EQ(refused_at("\n\na: \xE2\x82\n"), 3);                 // truncated sequence
  EXPECT_EQ(refused_at("a: \xE2\x82\xAC \xF0\x9F\x98\x80\n"), 0);  // euro sign, an emoji
  try {
    checked_text("x: 1\nname: caf\xE9\n", "f.yaml");
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("0xE9 (column 10)"), std::string::npos) << e.what();
  }
}

TEST(Encoding, FirstInvalidByteOffset) {
  EXPECT_EQ(first_invalid_utf8("plain ascii"), std::string_view::npos);
  EXPECT_EQ(first_invalid_utf8("ab\x80"), 2u);
  EXPECT_EQ(first_invalid_utf8("\xC3"), 0u);
}

TEST(Encoding, UnreadableFilesAreInputErrors) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "prepsim_encoding_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  EXPECT_THROW(read_input_file((dir / "missing.yaml").string(), kMaxInputFileBytes), InputError);
  EXPECT_THROW(read_input_file(dir.string(), kMaxInputFileBytes), InputError);
  std::string long_name = (dir / std::string(5000, 'a')).string();  // longer than PATH_MAX
  EXPECT_THROW(read_input_file(long_name, kMaxInputFileBytes), InputError);
  fs::create_symlink(dir / "loop", dir / "loop");
  EXPECT_THROW(read_input_file((dir / "loop").string(), kMaxInputFileBytes), InputError);
  std::ofstream(dir / "big.yaml") << std::string(100, 'x');
  EXPECT_THROW(read_input_file((dir / "big.yaml").string(), 10), InputError);
  EXPECT_EQ(read_input_file((dir / "big.yaml").string(), 100), std::string(100, 'x'));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace prepsim::config
