// The decode kernel: chunk file header and directory checks, zstd decompression and columnar decode.
// Every read is bounds-checked against the file size and every size against the row count before allocation.
#include <fmt/format.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <memory>

#include "models/data/chunk_file.h"
#include "models/data/chunk_format.h"

namespace prepsim::data {
namespace {
namespace f = format;

[[noreturn]] void fail(const std::string& what, std::uint64_t offset) { throw ChunkFormatError(what, offset); }

void need(std::span<const std::uint8_t> bytes, std::uint64_t at, std::uint64_t n, const char* what) {
  if (at > bytes.size() || n > bytes.size() - at) {
    fail(fmt::format("truncated: {} needs bytes [{}, {}) but only {} are there", what, at, at + n, bytes.size()),
         std::min<std::uint64_t>(at, bytes.size()));
  }
}

const char* stream_name(StreamKind kind) {
  switch (kind) {
    case StreamKind::DenseValues: return "values";
    case StreamKind::DenseNulls: return "null mask";
    case StreamKind::SparseLengths: return "lengths";
    case StreamKind::SparseValues: return "ids";
  }
  return "?";
}

struct DCtxDeleter {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

// Decompresses one stream into exactly s.uncompressed_bytes at `dst`, checking the frame against the directory.
void inflate(std::span<const std::uint8_t> bytes, const ChunkDirectory& dir, const StreamInfo& s, void* dst) {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxDeleter> dctx(ZSTD_createDCtx());
  if (!dctx) throw std::runtime_error("decode_chunk: ZSTD_createDCtx failed");
  const std::uint8_t* src = bytes.data() + s.offset;
  const std::string where = fmt::format("stream '{}' {}", dir.columns[s.column].name, stream_name(s.kind));
  const unsigned long long content = ZSTD_getFrameContentSize(src, s.compressed_bytes);
  if (content == ZSTD_CONTENTSIZE_ERROR || content == ZSTD_CONTENTSIZE_UNKNOWN || s.compressed_bytes < 9) {
    fail(where + ": not a zstd frame with a content size", s.offset);
  }
  if (content != s.uncompressed_bytes) {
    fail(fmt::format("{}: frame holds {} bytes, directory says {}", where, content, s.uncompressed_bytes), s.offset);
  }
  if (((src[4] >> 2) & 1) == 0) fail(where + ": zstd frame has no content checksum", s.offset + 4);
  if (ZSTD_findFrameCompressedSize(src, s.compressed_bytes) != s.compressed_bytes) {
    fail(where + ": zstd frame size differs from the directory's", s.offset);
  }
  if (f::get<std::uint32_t>(src + s.compressed_bytes - 4) != s.checksum) {
    fail(where + ": frame checksum differs from the directory's", s.offset + s.compressed_bytes - 4);
  }
  const std::size_t n = ZSTD_decompressDCtx(dctx.get(), dst, s.uncompressed_bytes, src, s.compressed_bytes);
  if (ZSTD_isError(n) || n != s.uncompressed_bytes) {
    ZSTD_DCtx_reset(dctx.get(), ZSTD_reset_session_and_parameters);
    fail(fmt::format("{}: zstd: {}", where, ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short frame"), s.offset);
  }
}

// Bit-packed null mask (LSB first) -> one byte per row, eight rows per table lookup.
void unpack_bits(const std::vector<std::uint8_t>& packed, std::vector<std::uint8_t>& flags) {
  static const std::array<std::uint64_t, 256> spread = [] {
    std::array<std::uint64_t, 256> t{};
    for (std::uint64_t b = 0; b < 256; ++b) {
      for (int i = 0; i < 8; ++i) t[b] |= ((b >> i) & 1) << (8 * i);
    }
    return t;
  }();
  const std::size_t whole = flags.size() / 8;
  for (std::size_t i = 0; i < whole; ++i) std::memcpy(flags.data() + 8 * i, &spread[packed[i]], 8);
  for (std::size_t s = 8 * whole; s < flags.size(); ++s) flags[s] = (packed[s / 8] >> (s % 8)) & 1;
}

}  // namespace

ChunkDirectory read_chunk_directory(std::span<const std::uint8_t> bytes) {
  ChunkDirectory dir;
  dir.file_bytes = bytes.size();
  need(bytes, 0, f::kFixedHeaderBytes, "the fixed header");
  if (!std::equal(std::begin(f::kMagic), std::end(f::kMagic), bytes.begin())) {
    fail("bad magic: not a prepsim chunk file (expected \"PREPSIMC\")", 0);
  }
  dir.version = f::get<std::uint16_t>(&bytes[f::kVersionOffset]);
  if (dir.version != kChunkFormatVersion) {
    fail(fmt::format("unsupported format version {} (this reader reads {})", dir.version, kChunkFormatVersion),
         f::kVersionOffset);
  }
  if (f::get<std::uint16_t>(&bytes[f::kFlagsOffset]) != 0) fail("unknown flags set", f::kFlagsOffset);
  dir.header_bytes = f::get<std::uint32_t>(&bytes[f::kHeaderBytesOffset]);
  if (dir.header_bytes < f::kFixedHeaderBytes) {
    fail(fmt::format("header size {} is below the fixed header's 40", dir.header_bytes), f::kHeaderBytesOffset);
  }
  need(bytes, 0, dir.header_bytes, "the header and directory");
  std::vector<std::uint8_t> header(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(dir.header_bytes));
  f::put<std::uint32_t>(header, f::kCrcOffset, 0);
  const std::uint32_t stored = f::get<std::uint32_t>(&bytes[f::kCrcOffset]), computed = crc32(header);
  if (stored != computed) {
    fail(fmt::format("header checksum mismatch (stored {:08x}, computed {:08x} over bytes [0, {}))", stored, computed,
                     dir.header_bytes),
         f::kCrcOffset);
  }
  const std::uint64_t rows = f::get<std::uint64_t>(&bytes[f::kRowsOffset]);
  if (rows > static_cast<std::uint64_t>(kMaxChunkRows)) {
    fail(fmt::format("rows = {} exceeds the maximum of 2^31-1", rows), f::kRowsOffset);
  }
  dir.rows = static_cast<std::int64_t>(rows);
  const std::uint64_t dense = f::get<std::uint32_t>(&bytes[f::kDenseCountOffset]);
  const std::uint64_t sparse = f::get<std::uint32_t>(&bytes[f::kSparseCountOffset]);
  const std::uint64_t streams = f::get<std::uint32_t>(&bytes[f::kStreamCountOffset]);
  if (streams != 2 * (dense + sparse)) {
    fail(fmt::format("{} streams for {} columns (expected 2 per column)", streams, dense + sparse),
         f::kStreamCountOffset);
  }
  // Each column costs at least 4 + 40 header bytes: refuse counts the header cannot hold before reserving.
  if ((dense + sparse) * (4 + f::kStreamEntryBytes) > dir.header_bytes - f::kFixedHeaderBytes) {
    fail(fmt::format("{} columns do not fit in a {}-byte header", dense + sparse, dir.header_bytes),
         f::kDenseCountOffset);
  }
  std::uint64_t at = f::kFixedHeaderBytes;
  const std::span<const std::uint8_t> head = bytes.first(dir.header_bytes);
  for (std::uint64_t c = 0; c < dense + sparse; ++c) {
    need(head, at, 4, "a column entry");
    const auto kind = static_cast<ColumnKind>(head[at]);
    if (kind != (c < dense ? ColumnKind::Dense : ColumnKind::Sparse) || head[at + 1] != 0) {
      fail(fmt::format("column {}: kind {} where {} was expected", c, head[at], c < dense ? 0 : 1), at);
    }
    const std::uint16_t len = f::get<std::uint16_t>(&head[at + 2]);
    need(head, at + 4, len, "a column name");
    dir.columns.push_back({std::string(reinterpret_cast<const char*>(&head[at + 4]), len), kind});
    at += 4 + len;
  }
  if (dir.header_bytes - at != streams * f::kStreamEntryBytes) {
    fail(fmt::format("stream directory is {} bytes, {} expected", dir.header_bytes - at,
                     streams * f::kStreamEntryBytes),
         at);
  }
  std::uint64_t frame = dir.header_bytes;
  for (std::uint64_t i = 0; i < streams; ++i, at += f::kStreamEntryBytes) {
    StreamInfo s;
    s.kind = static_cast<StreamKind>(head[at]);
    s.column = f::get<std::uint32_t>(&head[at + 4]);
    s.offset = f::get<std::uint64_t>(&head[at + 8]);
    s.compressed_bytes = f::get<std::uint64_t>(&head[at + 16]);
    s.uncompressed_bytes = f::get<std::uint64_t>(&head[at + 24]);
    s.checksum = f::get<std::uint32_t>(&head[at + 32]);
    const bool is_dense = i / 2 < dense;
    const StreamKind expected = is_dense ? (i % 2 ? StreamKind::DenseNulls : StreamKind::DenseValues)
                                         : (i % 2 ? StreamKind::SparseValues : StreamKind::SparseLengths);
    if (s.kind != expected || s.column != i / 2 || head[at + 1] != f::kCodecZstd) {
      fail(fmt::format("stream {}: kind {} / column {} / codec {} where {} / {} / 1 was expected", i, head[at],
                       s.column, head[at + 1], static_cast<int>(expected), i / 2),
           at);
    }
    if (s.offset != frame) fail(fmt::format("stream {} starts at {}, expected {}", i, s.offset, frame), at + 8);
    need(bytes, s.offset, s.compressed_bytes, "a zstd frame");
    frame += s.compressed_bytes;
    std::uint64_t expected_raw = 0;
    switch (s.kind) {
      case StreamKind::DenseValues: expected_raw = rows * sizeof(float); break;
      case StreamKind::DenseNulls: expected_raw = (rows + 7) / 8; break;
      case StreamKind::SparseLengths: expected_raw = rows * sizeof(std::int32_t); break;
      case StreamKind::SparseValues: expected_raw = s.uncompressed_bytes - s.uncompressed_bytes % 8; break;
    }
    if (s.uncompressed_bytes != expected_raw || s.uncompressed_bytes > s.compressed_bytes * f::kMaxZstdRatio) {
      fail(fmt::format("stream {}: uncompressed size {} is impossible for {} rows and a {}-byte frame", i,
                       s.uncompressed_bytes, rows, s.compressed_bytes),
           at + 24);
    }
    dir.streams.push_back(s);
  }
  if (frame != bytes.size()) fail(fmt::format("{} bytes after the last stream", bytes.size() - frame), frame);
  return dir;
}

ColumnarBatch decode_chunk(std::span<const std::uint8_t> bytes) { return decode_chunk(bytes, {}); }

ColumnarBatch decode_chunk(std::span<const std::uint8_t> bytes, std::span<const std::string> columns) {
  const ChunkDirectory dir = read_chunk_directory(bytes);
  std::vector<std::uint8_t> wanted(dir.columns.size(), columns.empty() ? 1 : 0);
  for (const std::string& name : columns) {
    auto it = std::find_if(dir.columns.begin(), dir.columns.end(), [&](const ColumnInfo& c) { return c.name == name; });
    if (it == dir.columns.end()) throw std::invalid_argument("decode_chunk: no column '" + name + "' in the chunk");
    wanted[static_cast<std::size_t>(it - dir.columns.begin())] = 1;
  }
  ColumnarBatch batch;
  batch.rows = dir.rows;
  const auto rows = static_cast<std::size_t>(dir.rows);
  KeyedJaggedTensor& kjt = batch.sparse;
  kjt.stride = dir.rows;
  std::vector<const StreamInfo*> value_streams;
  std::vector<std::uint8_t> packed;
  for (std::size_t i = 0; i + 1 < dir.streams.size(); i += 2) {
    const StreamInfo& first = dir.streams[i];
    const StreamInfo& second = dir.streams[i + 1];
    if (!wanted[first.column]) continue;
    const std::string& name = dir.columns[first.column].name;
    if (first.kind == StreamKind::DenseValues) {
      DenseColumn c{name, std::vector<float>(rows), std::vector<std::uint8_t>(rows)};
      inflate(bytes, dir, first, c.values.data());
      packed.resize(second.uncompressed_bytes);
      inflate(bytes, dir, second, packed.data());
      unpack_bits(packed, c.nulls);
      if (rows % 8 != 0 && (packed.back() >> (rows % 8)) != 0) {
        fail("stream '" + name + "' null mask: padding bits are set", second.offset);
      }
      batch.dense.push_back(std::move(c));
    } else {
      const std::size_t at = kjt.lengths.size();
      kjt.keys.push_back(name);
      kjt.lengths.resize(at + rows);
      inflate(bytes, dir, first, kjt.lengths.data() + at);
      std::uint64_t total = 0;
      for (std::size_t s = at; s < at + rows; ++s) {
        if (kjt.lengths[s] < 0) fail("stream '" + name + "' lengths: negative length", first.offset);
        total += static_cast<std::uint64_t>(kjt.lengths[s]);
      }
      if (total * sizeof(std::int64_t) != second.uncompressed_bytes) {
        fail(fmt::format("stream '{}' ids: {} bytes but the lengths sum to {} ids", name, second.uncompressed_bytes,
                         total),
             second.offset);
      }
      value_streams.push_back(&second);
    }
  }
  std::uint64_t total_ids = 0;
  for (const StreamInfo* s : value_streams) total_ids += s->uncompressed_bytes / sizeof(std::int64_t);
  kjt.values.resize(total_ids);
  std::size_t at = 0;
  for (const StreamInfo* s : value_streams) {
    inflate(bytes, dir, *s, kjt.values.data() + at);
    at += s->uncompressed_bytes / sizeof(std::int64_t);
  }
  kjt.offsets.resize(kjt.lengths.size() + 1);
  kjt.offsets[0] = 0;
  for (std::size_t i = 0; i < kjt.lengths.size(); ++i) kjt.offsets[i + 1] = kjt.offsets[i] + kjt.lengths[i];
  return batch;
}

ColumnarBatch read_chunk_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw std::runtime_error("read_chunk_file: cannot open " + path);
  const std::streamoff size = in.tellg();
  std::vector<std::uint8_t> bytes(size > 0 ? static_cast<std::size_t>(size) : 0);
  in.seekg(0);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!in) throw std::runtime_error("read_chunk_file: cannot read " + path);
  try {
    return decode_chunk(bytes);
  } catch (const ChunkFormatError& e) {
    throw ChunkFormatError(path + ": " + e.detail(), e.offset());
  }
}

}  // namespace prepsim::data
