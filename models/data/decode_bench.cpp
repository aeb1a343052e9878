// Google Benchmark of the decode kernel (zstd decompression + columnar decode of one chunk file held in memory)
// on PreSto's data schemas: Criteo-like RM1 (13 dense, 26 sparse of length 1) and RM2-RM5's (504 dense, 42 sparse
// of mean length 20), 8192 rows per chunk. Reports file bytes/s (bytes_per_second), raw columnar bytes/s and rows/s,
// and the chunk's compression ratio. Encode is measured too, for the cost of writing datasets.
#include <benchmark/benchmark.h>

#include <map>
#include <utility>

#include "models/data/chunk_file.h"
#include "models/data/generator.h"

namespace prepsim::data {
namespace {

enum Workload : int { kCriteo = 0, kRm2 = 1, kRm2Dedup = 2 };

DatasetSpec spec_of(int workload) {
  if (workload == kCriteo) return criteo_like_spec(8192);
  DatasetSpec spec = rm2_like_spec(8192);
  if (workload == kRm2Dedup) spec.sparse[0].duplication = 0.5;
  return spec;
}

const char* name_of(int workload) {
  switch (workload) {
    case kCriteo: return "criteo_like";
    case kRm2: return "rm2_like";
    default: return "rm2_like_d0.5";
  }
}

// Generated once per workload and shared by all repetitions (generation is not what is measured).
const std::pair<ColumnarBatch, std::vector<std::uint8_t>>& chunk(int workload) {
  static std::map<int, std::pair<ColumnarBatch, std::vector<std::uint8_t>>> cache;
  auto it = cache.find(workload);
  if (it == cache.end()) {
    ColumnarBatch batch = generate_chunk(spec_of(workload), 2024, 0);
    std::vector<std::uint8_t> bytes = encode_chunk(batch);
    it = cache.emplace(workload, std::make_pair(std::move(batch), std::move(bytes))).first;
  }
  return it->second;
}

void report(benchmark::State& state, const ColumnarBatch& batch, std::size_t file_bytes) {
  const auto n = static_cast<double>(state.iterations());
  const auto raw = static_cast<double>(raw_columnar_bytes(batch));
  state.SetBytesProcessed(static_cast<std::int64_t>(n * static_cast<double>(file_bytes)));
  state.counters["raw_bytes_per_second"] = benchmark::Counter(n * raw, benchmark::Counter::kIsRate);
  state.counters["rows_per_second"] = benchmark::Counter(n * static_cast<double>(batch.rows), benchmark::Counter::kIsRate);
  state.counters["compression_ratio"] = raw / static_cast<double>(file_bytes);
  state.counters["file_bytes"] = static_cast<double>(file_bytes);
  state.SetLabel(name_of(static_cast<int>(state.range(0))));
}

void BM_DecodeChunk(benchmark::State& state) {
  const auto& [batch, bytes] = chunk(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    ColumnarBatch decoded = decode_chunk(bytes);
    benchmark::DoNotOptimize(decoded.sparse.values.data());
    benchmark::ClobberMemory();
  }
  report(state, batch, bytes.size());
}
BENCHMARK(BM_DecodeChunk)->Arg(kCriteo)->Arg(kRm2)->Arg(kRm2Dedup)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_EncodeChunk(benchmark::State& state) {
  const auto& [batch, bytes] = chunk(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    std::vector<std::uint8_t> encoded = encode_chunk(batch);
    benchmark::DoNotOptimize(encoded.data());
  }
  report(state, batch, bytes.size());
}
BENCHMARK(BM_EncodeChunk)->Arg(kCriteo)->Arg(kRm2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace prepsim::data
