#include "models/data/chunk_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "models/data/chunk_format.h"
#include "models/data/generator.h"

namespace prepsim::data {
namespace {
namespace f = format;

DatasetSpec small_spec(double d) {
  DatasetSpec spec;
  spec.rows_per_chunk = 1000;  // not a multiple of 8: exercises null-mask padding
  DenseGroupSpec dense;
  dense.count = 3;
  dense.null_fraction = 0.25;
  spec.dense.push_back(dense);
  SparseGroupSpec user;
  user.name = "user";
  user.count = 2;
  user.mean_length = 4;
  user.length_distribution = LengthDistribution::Poisson;
  user.duplication = d;
  spec.sparse.push_back(user);
  SparseGroupSpec item;
  item.name = "item";
  item.count = 1;
  spec.sparse.push_back(item);
  return spec;
}

void expect_same(const ColumnarBatch& a, const ColumnarBatch& b) {
  ASSERT_EQ(a.rows, b.rows);
  ASSERT_EQ(a.dense.size(), b.dense.size());
  for (std::size_t c = 0; c < a.dense.size(); ++c) {
    EXPECT_EQ(a.dense[c].name, b.dense[c].name);
    EXPECT_EQ(a.dense[c].values, b.dense[c].values);
    EXPECT_EQ(a.dense[c].nulls, b.dense[c].nulls);
  }
  EXPECT_EQ(a.sparse.keys, b.sparse.keys);
  EXPECT_EQ(a.sparse.stride, b.sparse.stride);
  EXPECT_EQ(a.sparse.lengths, b.sparse.lengths);
  EXPECT_EQ(a.sparse.offsets, b.sparse.offsets);
  EXPECT_EQ(a.sparse.values, b.sparse.values);
}

// Rewrites a header field and recomputes the header CRC, so that the check under test is the one that fires.
template <typename T>
std::vector<std::uint8_t> patched(std::vector<std::uint8_t> bytes, std::size_t at, T value) {
  f::put<T>(bytes, at, value);
  const std::size_t header = std::min<std::size_t>(f::get<std::uint32_t>(bytes.data() + f::kHeaderBytesOffset),
                                                   bytes.size());  // a patched header size may exceed the file
  std::vector<std::uint8_t> head(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(header));
  f::put<std::uint32_t>(head, f::kCrcOffset, 0);
  f::put<std::uint32_t>(bytes, f::kCrcOffset, crc32(head));
  return bytes;
}

std::string error_of(std::span<const std::uint8_t> bytes, std::uint64_t* offset = nullptr) {
  try {
    decode_chunk(bytes);
  } catch (const ChunkFormatError& e) {
    if (offset) *offset = e.offset();
    return e.what();
  }
  return "";
}

class ChunkFile : public ::testing::Test {
 protected:
  ColumnarBatch batch = generate_chunk(small_spec(0.5), 7, 0);
  std::vector<std::uint8_t> bytes = encode_chunk(batch);
  ChunkDirectory dir = read_chunk_directory(bytes);
};

TEST_F(ChunkFile, RoundTripsExactly) { expect_same(decode_chunk(bytes), batch); }

TEST_F(ChunkFile, RoundTripsThroughAFile) {
  const std::string path = ::testing::TempDir() + "/prepsim_chunk_test.chunk";
  write_chunk_file(path, batch, 5);
  expect_same(read_chunk_file(path), batch);
  std::filesystem::remove(path);
  EXPECT_THROW(read_chunk_file(path), std::runtime_error);
}

TEST_F(ChunkFile, DirectoryDescribesColumnsAndSizes) {
  EXPECT_EQ(dir.version, kChunkFormatVersion);
  EXPECT_EQ(dir.rows, 1000);
  ASSERT_EQ(dir.columns.size(), 6u);
  EXPECT_EQ(dir.columns[0].name, "dense_0");
  EXPECT_EQ(dir.columns[3].name, "user_0");
  EXPECT_EQ(dir.columns[3].kind, ColumnKind::Sparse);
  ASSERT_EQ(dir.streams.size(), 12u);
  EXPECT_EQ(dir.streams[0].uncompressed_bytes, 4000u);
  EXPECT_EQ(dir.streams[1].uncompressed_bytes, 125u);
  EXPECT_EQ(dir.uncompressed_bytes(), raw_columnar_bytes(batch));
  EXPECT_EQ(dir.header_bytes + dir.compressed_bytes(), bytes.size());
  EXPECT_EQ(dir.file_bytes, bytes.size());
}

TEST_F(ChunkFile, DecodesAColumnSubset) {
  const std::vector<std::string> columns = {"item_0", "dense_1"};
  const ColumnarBatch part = decode_chunk(bytes, columns);
  ASSERT_EQ(part.dense.size(), 1u);
  EXPECT_EQ(part.dense[0].values, batch.dense[1].values);
  ASSERT_EQ(part.sparse.keys, std::vector<std::string>{"item_0"});
  EXPECT_EQ(part.sparse.values,
            std::vector<std::int64_t>(batch.sparse.values.begin() + batch.sparse.offsets[2 * 1000],
                                      batch.sparse.values.end()));
  const std::vector<std::string> unknown = {"nope"};
  EXPECT_THROW(decode_chunk(bytes, unknown), std::invalid_argument);
}

TEST(ChunkFileEdges, EmptyAndDenseOnlyBatchesRoundTrip) {
  ColumnarBatch empty;
  empty.sparse.offsets = {0};  // columnar.h: keys * stride + 1 offsets
  expect_same(decode_chunk(encode_chunk(empty)), empty);
  DatasetSpec spec;
  spec.rows_per_chunk = 13;
  spec.dense.push_back(DenseGroupSpec{.count = 2, .null_fraction = 0.5});
  const ColumnarBatch dense = generate_chunk(spec, 1, 0);
  expect_same(decode_chunk(encode_chunk(dense, 1)), dense);
}

TEST(ChunkFileEdges, InconsistentBatchesAreRefusedByTheEncoder) {
  ColumnarBatch b = generate_chunk(small_spec(0), 1, 0);
  b.dense[1].nulls.pop_back();
  EXPECT_THROW(encode_chunk(b), std::invalid_argument);
  b = generate_chunk(small_spec(0), 1, 0);
  b.sparse.values.push_back(1);
  EXPECT_THROW(encode_chunk(b), std::invalid_argument);
  b = generate_chunk(small_spec(0), 1, 0);
  b.sparse.lengths[5] = -1;
  EXPECT_THROW(encode_chunk(b), std::invalid_argument);
  EXPECT_THROW(encode_chunk(generate_chunk(small_spec(0), 1, 0), 99), std::invalid_argument);
}

TEST_F(ChunkFile, TruncationAtEveryHeaderOffsetIsAnError) {
  for (std::size_t n = 0; n < dir.header_bytes; ++n) {
    const std::string what = error_of(std::span(bytes).first(n));
    ASSERT_NE(what.find("truncated"), std::string::npos) << "prefix " << n << ": " << what;
  }
}

TEST_F(ChunkFile, TruncationInsideTheStreamsIsAnError) {
  for (const StreamInfo& s : dir.streams) {
    for (std::uint64_t n : {s.offset, s.offset + 1, s.offset + s.compressed_bytes / 2, s.offset + s.compressed_bytes - 1}) {
      std::uint64_t offset = 0;
      const std::string what = error_of(std::span(bytes).first(n), &offset);
      ASSERT_NE(what.find("truncated"), std::string::npos) << "prefix " << n << ": " << what;
      EXPECT_LE(offset, n);
    }
  }
  std::vector<std::uint8_t> longer = bytes;
  longer.push_back(0);
  EXPECT_NE(error_of(longer).find("after the last stream"), std::string::npos);
}

TEST_F(ChunkFile, EveryFlippedHeaderByteIsDetected) {
  for (std::size_t at = 0; at < dir.header_bytes; ++at) {
    std::vector<std::uint8_t> bad = bytes;
    bad[at] ^= 0x5a;
    ASSERT_NE(error_of(bad), "") << "flip at " << at;
  }
}

TEST_F(ChunkFile, FlippedPayloadBytesAreDetectedOrHarmless) {
  int detected = 0, harmless = 0;
  for (std::size_t at = dir.header_bytes; at < bytes.size(); at += 7) {
    std::vector<std::uint8_t> bad = bytes;
    bad[at] ^= 0x01;
    try {
      expect_same(decode_chunk(bad), batch);  // a flip zstd can ignore (e.g. window size) must not change data
      ++harmless;
    } catch (const ChunkFormatError& e) {
      ++detected;
    }
  }
  EXPECT_GT(detected, 20 * harmless);
}

TEST_F(ChunkFile, WrongMagicAndVersionAreNamed) {
  std::uint64_t offset = 99;
  std::vector<std::uint8_t> bad = bytes;
  bad[0] = 'X';
  EXPECT_NE(error_of(bad, &offset).find("bad magic"), std::string::npos);
  EXPECT_EQ(offset, 0u);
  const std::string what = error_of(patched<std::uint16_t>(bytes, f::kVersionOffset, 2), &offset);
  EXPECT_NE(what.find("unsupported format version 2"), std::string::npos) << what;
  EXPECT_EQ(offset, f::kVersionOffset);
}

TEST_F(ChunkFile, AbsurdSizesAreRefusedWithoutAllocating) {
  std::uint64_t offset = 0;
  std::string what = error_of(patched<std::uint64_t>(bytes, f::kRowsOffset, std::uint64_t{1} << 62), &offset);
  EXPECT_NE(what.find("rows"), std::string::npos) << what;
  EXPECT_EQ(offset, f::kRowsOffset);
  what = error_of(patched<std::uint64_t>(bytes, f::kRowsOffset, 0x7fffffff));
  EXPECT_NE(what.find("impossible"), std::string::npos) << what;
  what = error_of(patched<std::uint32_t>(bytes, f::kDenseCountOffset, 0xfffffff0u));
  EXPECT_NE(what, "");
  what = error_of(patched<std::uint32_t>(bytes, f::kHeaderBytesOffset, 0xffffffffu));
  EXPECT_NE(what.find("truncated"), std::string::npos) << what;
  const std::size_t entry = dir.header_bytes - dir.streams.size() * f::kStreamEntryBytes;
  what = error_of(patched<std::uint64_t>(bytes, entry + 24, std::uint64_t{1} << 60));  // dense values raw size
  EXPECT_NE(what.find("impossible"), std::string::npos) << what;
  what = error_of(patched<std::uint64_t>(bytes, entry + 16, std::uint64_t{1} << 60));  // compressed size
  EXPECT_NE(what.find("truncated"), std::string::npos) << what;
  const std::size_t ids = entry + 7 * f::kStreamEntryBytes;  // user_0 ids: raw size disagrees with its lengths
  what = error_of(patched<std::uint64_t>(bytes, ids + 24, dir.streams[7].uncompressed_bytes + 8));
  EXPECT_NE(what, "");
}

TEST_F(ChunkFile, CorruptFileErrorsNameThePath) {
  const std::string path = ::testing::TempDir() + "/prepsim_chunk_corrupt.chunk";
  std::vector<std::uint8_t> bad = bytes;
  bad[bytes.size() - 10] ^= 0xff;
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bad.data()),
                                              static_cast<std::streamsize>(bad.size()));
  try {
    read_chunk_file(path);
    FAIL() << "expected ChunkFormatError";
  } catch (const ChunkFormatError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("item_0"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

TEST(CompressionRatio, GrowsWithDuplication) {
  double previous = 0;
  for (double d : {0.0, 0.5, 0.9}) {
    const double ratio = measure_compression_ratio(small_spec(d), 3, 2);
    EXPECT_GT(ratio, previous * 1.1) << "d " << d;
    previous = ratio;
  }
  EXPECT_GT(previous, 1.0);
}

TEST(Crc32, MatchesTheStandardCheckValue) {
  const std::string text = "123456789";
  EXPECT_EQ(crc32(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size())), 0xcbf43926u);
}

}  // namespace
}  // namespace prepsim::data
