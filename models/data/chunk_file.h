// Chunk files: the compressed columnar format prepsim stores generated data in, and the `decode` kernel that reads
// it back (docs/data.md, with the byte layout). One file holds one stripe = one chunk; every
// column is stored as independent zstd frames (dense: values and a bit-packed null mask; sparse: lengths and ids),
// each with zstd's content checksum, behind a header with a column and stream directory protected by a CRC-32.
//
// Decoding never trusts the file: a corrupt, truncated or absurd file throws ChunkFormatError saying what is wrong
// and at which byte offset, before allocating anything the file's own size does not justify.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/data/columnar.h"
#include "models/data/dataset_spec.h"

namespace prepsim::data {

class ChunkFormatError : public std::runtime_error {
 public:
  ChunkFormatError(const std::string& what, std::uint64_t offset);
  std::uint64_t offset() const { return offset_; }       // byte offset in the file where the problem was found
  const std::string& detail() const { return detail_; }  // what() without the prefix and the offset

 private:
  std::string detail_;
  std::uint64_t offset_;
};

enum class ColumnKind : std::uint8_t { Dense = 0, Sparse = 1 };
enum class StreamKind : std::uint8_t { DenseValues = 0, DenseNulls = 1, SparseLengths = 2, SparseValues = 3 };

struct ColumnInfo {
  std::string name;
  ColumnKind kind = ColumnKind::Dense;
};

struct StreamInfo {
  StreamKind kind = StreamKind::DenseValues;
  std::uint32_t column = 0;           // index into ChunkDirectory::columns
  std::uint64_t offset = 0;           // of the zstd frame, from the start of the file
  std::uint64_t compressed_bytes = 0;
  std::uint64_t uncompressed_bytes = 0;
  std::uint32_t checksum = 0;         // the frame's content checksum (low 32 bits of XXH64 of the content)
};

// What the header says: enough to size reads of a column subset without decompressing anything.
struct ChunkDirectory {
  std::uint16_t version = 0;
  std::int64_t rows = 0;
  std::uint64_t header_bytes = 0;
  std::uint64_t file_bytes = 0;
  std::vector<ColumnInfo> columns;  // dense columns first, then sparse features, in batch order
  std::vector<StreamInfo> streams;  // two per column, in column order

  std::uint64_t compressed_bytes() const;    // all streams
  std::uint64_t uncompressed_bytes() const;  // all streams: the raw columnar bytes
};

inline constexpr int kDefaultZstdLevel = 3;
inline constexpr std::uint16_t kChunkFormatVersion = 1;
inline constexpr std::int64_t kMaxChunkRows = 0x7fffffff;

// Encodes a batch (throws std::invalid_argument if it is inconsistent: sizes, negative lengths, > 2^31-1 rows).
std::vector<std::uint8_t> encode_chunk(const ColumnarBatch& batch, int level = kDefaultZstdLevel);
// Writes encode_chunk(batch) to `path` (via a temporary file renamed into place); std::runtime_error on I/O error.
void write_chunk_file(const std::string& path, const ColumnarBatch& batch, int level = kDefaultZstdLevel);

// Parses and checks the header and directory only (no decompression).
ChunkDirectory read_chunk_directory(std::span<const std::uint8_t> bytes);
// The decode kernel: decompress + columnar decode (null masks unpacked, KJT offsets rebuilt).
ColumnarBatch decode_chunk(std::span<const std::uint8_t> bytes);
// Decodes only the named columns (dense or sparse; the batch keeps file order; an empty list means all columns).
// std::invalid_argument for a name the chunk does not have.
ColumnarBatch decode_chunk(std::span<const std::uint8_t> bytes, std::span<const std::string> columns);
// Reads and decodes a file; errors name the path.
ColumnarBatch read_chunk_file(const std::string& path);

// Raw columnar bytes of a batch as the file stores them before zstd: 4 per dense value, 1 bit per null flag (rounded
// up to bytes per column), 4 per list length, 8 per id. Equal to read_chunk_directory(...).uncompressed_bytes().
std::uint64_t raw_columnar_bytes(const ColumnarBatch& batch);

// Compression ratio raw_columnar_bytes / file bytes over chunks 0..chunks-1 of generated data.
double measure_compression_ratio(const DatasetSpec& spec, std::uint64_t seed, int chunks,
                                 int level = kDefaultZstdLevel);

// CRC-32 (IEEE 802.3, reflected, as zlib's crc32) of `bytes`; the header checksum.
std::uint32_t crc32(std::span<const std::uint8_t> bytes);

}  // namespace prepsim::data
