// Byte layout of chunk files, shared by the encoder (chunk_file.cpp), the decoder (chunk_decode.cpp) and the tests
// that corrupt files on purpose. Not a public API: use chunk_file.h. All integers are little-endian.
//
//   offset  size  field
//   0       8     magic "PREPSIMC"
//   8       2     format version (1)
//   10      2     flags (0; others are refused)
//   12      4     header bytes H: from offset 0 to the end of the stream directory = offset of the first frame
//   16      8     rows
//   24      4     dense column count D
//   28      4     sparse column count S
//   32      4     stream count (= 2 * (D + S))
//   36      4     CRC-32 of bytes [0, H) with this field read as 0
//   40            column directory, D + S entries: u8 kind (0 dense, 1 sparse), u8 0, u16 name length n, n bytes name
//   ...           stream directory, 40 bytes per stream, see kStreamEntryBytes
//   H             zstd frames, back to back in directory order, the last ending at the end of the file
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

namespace prepsim::data::format {

static_assert(std::endian::native == std::endian::little, "chunk files are read and written by memcpy");

inline constexpr char kMagic[8] = {'P', 'R', 'E', 'P', 'S', 'I', 'M', 'C'};
inline constexpr std::size_t kVersionOffset = 8;
inline constexpr std::size_t kFlagsOffset = 10;
inline constexpr std::size_t kHeaderBytesOffset = 12;
inline constexpr std::size_t kRowsOffset = 16;
inline constexpr std::size_t kDenseCountOffset = 24;
inline constexpr std::size_t kSparseCountOffset = 28;
inline constexpr std::size_t kStreamCountOffset = 32;
inline constexpr std::size_t kCrcOffset = 36;
inline constexpr std::size_t kFixedHeaderBytes = 40;
inline constexpr std::size_t kMaxNameBytes = 4096;

// Stream entry: u8 stream kind, u8 codec (1 = zstd), u16 0, u32 column index, u64 frame offset,
// u64 compressed bytes, u64 uncompressed bytes, u32 frame content checksum, u32 0.
inline constexpr std::size_t kStreamEntryBytes = 40;
inline constexpr std::uint8_t kCodecZstd = 1;

// A zstd frame never expands its content more than 32768x (a 4-byte RLE block per 128 KiB); twice that is refused.
inline constexpr std::uint64_t kMaxZstdRatio = 65536;

template <typename T>
void put(std::vector<std::uint8_t>& out, std::size_t at, T value) {
  std::memcpy(out.data() + at, &value, sizeof(T));
}

template <typename T>
void append(std::vector<std::uint8_t>& out, T value) {
  const std::size_t at = out.size();
  out.resize(at + sizeof(T));
  put(out, at, value);
}

template <typename T>
T get(const std::uint8_t* at) {
  T value;
  std::memcpy(&value, at, sizeof(T));
  return value;
}

}  // namespace prepsim::data::format
