// Chunk file encoder, CRC-32, raw-size accounting and the compression-ratio measurement (decoder: chunk_decode.cpp).
#include "models/data/chunk_file.h"

#include <fmt/format.h>
#include <zstd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <memory>

#include "models/data/chunk_format.h"
#include "models/data/generator.h"

namespace prepsim::data {
namespace {

struct RawStream {
  StreamKind kind;
  std::uint32_t column;
  const void* data;
  std::size_t bytes;
};

struct CCtxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};

std::vector<std::uint8_t> pack_bits(const std::vector<std::uint8_t>& flags) {
  std::vector<std::uint8_t> packed((flags.size() + 7) / 8, 0);
  for (std::size_t i = 0; i < flags.size(); ++i) {
    if (flags[i]) packed[i / 8] = static_cast<std::uint8_t>(packed[i / 8] | (1u << (i % 8)));
  }
  return packed;
}

[[noreturn]] void bad_batch(const std::string& what) { throw std::invalid_argument("encode_chunk: " + what); }

}  // namespace

ChunkFormatError::ChunkFormatError(const std::string& what, std::uint64_t offset)
    : std::runtime_error(fmt::format("chunk file: {} (at byte offset {})", what, offset)),
      detail_(what),
      offset_(offset) {}

std::uint64_t ChunkDirectory::compressed_bytes() const {
  std::uint64_t total = 0;
  for (const StreamInfo& s : streams) total += s.compressed_bytes;
  return total;
}

std::uint64_t ChunkDirectory::uncompressed_bytes() const {
  std::uint64_t total = 0;
  for (const StreamInfo& s : streams) total += s.uncompressed_bytes;
  return total;
}

std::uint32_t crc32(std::span<const std::uint8_t> bytes) {
  static constexpr std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t crc = 0xffffffffu;
  for (std::uint8_t b : bytes) crc = table[(crc ^ b) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffu;
}

std::vector<std::uint8_t> encode_chunk(const ColumnarBatch& batch, int level) {
  namespace f = format;
  if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel()) bad_batch(fmt::format("zstd level {} out of range", level));
  if (batch.rows < 0 || batch.rows > kMaxChunkRows) bad_batch(fmt::format("rows = {} out of [0, 2^31-1]", batch.rows));
  const auto rows = static_cast<std::size_t>(batch.rows);
  const KeyedJaggedTensor& kjt = batch.sparse;
  if (!kjt.keys.empty() && kjt.stride != batch.rows) {
    bad_batch(fmt::format("KJT stride {} != rows {}", kjt.stride, batch.rows));
  }
  if (kjt.lengths.size() != kjt.keys.size() * rows) bad_batch("KJT lengths size != keys * rows");

  std::vector<std::vector<std::uint8_t>> packed_nulls;
  std::vector<RawStream> streams;
  std::size_t header_bytes = f::kFixedHeaderBytes;
  std::uint32_t column = 0;
  for (const DenseColumn& c : batch.dense) {
    if (c.values.size() != rows || c.nulls.size() != rows) bad_batch("dense column '" + c.name + "' size != rows");
    packed_nulls.push_back(pack_bits(c.nulls));
    streams.push_back({StreamKind::DenseValues, column, c.values.data(), rows * sizeof(float)});
    streams.push_back({StreamKind::DenseNulls, column, packed_nulls.back().data(), packed_nulls.back().size()});
    header_bytes += 4 + c.name.size();
    ++column;
  }
  std::size_t value_start = 0;
  for (std::size_t k = 0; k < kjt.keys.size(); ++k) {
    std::size_t count = 0;
    for (std::size_t s = 0; s < rows; ++s) {
      const std::int32_t len = kjt.lengths[k * rows + s];
      if (len < 0) bad_batch(fmt::format("negative length in feature '{}'", kjt.keys[k]));
      count += static_cast<std::size_t>(len);
    }
    if (value_start + count > kjt.values.size()) bad_batch("KJT values shorter than the sum of lengths");
    streams.push_back({StreamKind::SparseLengths, column, kjt.lengths.data() + k * rows, rows * sizeof(std::int32_t)});
    streams.push_back({StreamKind::SparseValues, column, kjt.values.data() + value_start, count * sizeof(std::int64_t)});
    value_start += count;
    header_bytes += 4 + kjt.keys[k].size();
    ++column;
  }
  if (value_start != kjt.values.size()) bad_batch("KJT values longer than the sum of lengths");
  for (const DenseColumn& c : batch.dense) {
    if (c.name.size() > f::kMaxNameBytes) bad_batch("column name longer than 4096 bytes");
  }
  for (const std::string& key : kjt.keys) {
    if (key.size() > f::kMaxNameBytes) bad_batch("feature name longer than 4096 bytes");
  }
  header_bytes += streams.size() * f::kStreamEntryBytes;

  std::vector<std::uint8_t> out(header_bytes, 0);
  std::memcpy(out.data(), f::kMagic, sizeof f::kMagic);
  f::put<std::uint16_t>(out, f::kVersionOffset, kChunkFormatVersion);
  f::put<std::uint16_t>(out, f::kFlagsOffset, 0);
  f::put<std::uint32_t>(out, f::kHeaderBytesOffset, static_cast<std::uint32_t>(header_bytes));
  f::put<std::uint64_t>(out, f::kRowsOffset, static_cast<std::uint64_t>(batch.rows));
  f::put<std::uint32_t>(out, f::kDenseCountOffset, static_cast<std::uint32_t>(batch.dense.size()));
  f::put<std::uint32_t>(out, f::kSparseCountOffset, static_cast<std::uint32_t>(kjt.keys.size()));
  f::put<std::uint32_t>(out, f::kStreamCountOffset, static_cast<std::uint32_t>(streams.size()));
  std::size_t at = f::kFixedHeaderBytes;
  auto put_name = [&](ColumnKind kind, const std::string& name) {
    out[at] = static_cast<std::uint8_t>(kind);
    f::put<std::uint16_t>(out, at + 2, static_cast<std::uint16_t>(name.size()));
    std::memcpy(out.data() + at + 4, name.data(), name.size());
    at += 4 + name.size();
  };
  for (const DenseColumn& c : batch.dense) put_name(ColumnKind::Dense, c.name);
  for (const std::string& key : kjt.keys) put_name(ColumnKind::Sparse, key);

  std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx(ZSTD_createCCtx());
  if (!cctx) throw std::runtime_error("encode_chunk: ZSTD_createCCtx failed");
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_contentSizeFlag, 1);
  for (const RawStream& s : streams) {
    const std::size_t frame = out.size();
    out.resize(frame + ZSTD_compressBound(s.bytes));
    const std::size_t n = ZSTD_compress2(cctx.get(), out.data() + frame, out.size() - frame, s.data, s.bytes);
    if (ZSTD_isError(n)) throw std::runtime_error(std::string("encode_chunk: zstd: ") + ZSTD_getErrorName(n));
    out.resize(frame + n);
    out[at] = static_cast<std::uint8_t>(s.kind);
    out[at + 1] = f::kCodecZstd;
    f::put<std::uint32_t>(out, at + 4, s.column);
    f::put<std::uint64_t>(out, at + 8, frame);
    f::put<std::uint64_t>(out, at + 16, n);
    f::put<std::uint64_t>(out, at + 24, s.bytes);
    f::put<std::uint32_t>(out, at + 32, f::get<std::uint32_t>(out.data() + frame + n - 4));
    at += f::kStreamEntryBytes;
  }
  f::put<std::uint32_t>(out, f::kCrcOffset, crc32(std::span(out.data(), header_bytes)));
  return out;
}

void write_chunk_file(const std::string& path, const ColumnarBatch& batch, int level) {
  const std::vector<std::uint8_t> bytes = encode_chunk(batch, level);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("write_chunk_file: cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw std::runtime_error("write_chunk_file: cannot rename " + tmp + " to " + path + ": " + ec.message());
}

std::uint64_t raw_columnar_bytes(const ColumnarBatch& batch) {
  const auto rows = static_cast<std::uint64_t>(batch.rows);
  std::uint64_t bytes = batch.dense.size() * (rows * sizeof(float) + (rows + 7) / 8);
  bytes += batch.sparse.lengths.size() * sizeof(std::int32_t) + batch.sparse.values.size() * sizeof(std::int64_t);
  return bytes;
}

double measure_compression_ratio(const DatasetSpec& spec, std::uint64_t seed, int chunks, int level) {
  if (chunks < 1) throw std::invalid_argument("measure_compression_ratio: chunks must be >= 1");
  std::uint64_t raw = 0, file = 0;
  for (int c = 0; c < chunks; ++c) {
    const ColumnarBatch batch = generate_chunk(spec, seed, c);
    raw += raw_columnar_bytes(batch);
    file += encode_chunk(batch, level).size();
  }
  return static_cast<double>(raw) / static_cast<double>(file);
}

}  // namespace prepsim::data
