// Google Benchmark suite of the real kernels: for every op, the optimized kernel and its scalar reference
// (reference.h), plus a plain memcpy of the same input bytes, at an in-cache size (128 KiB of input: input and
// output fit the 1 MiB L2, and a branchy reference cannot learn the outcome pattern of inputs that repeat every
// call, as it partly does at 4096 values) and an out-of-cache size (64 MiB of input, twice the reference VM's L3).
//
// Names: OP/optimized/BYTES, OP/reference/BYTES, memcpy/BYTES, where BYTES is the input size. Counters:
// items_per_second = input elements (values or ids) per second; bytes_per_second = bytes read plus bytes written by
// the kernel's arrays (memcpy counts its source and its destination, so the figures compare directly).
// Inputs are built once per size and reused; the output buffers are sized before timing.
// Run: prepsim_kernel_bench --benchmark_filter=... (see docs/ops.md for the figures and how they were taken).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>

#include "models/ops/bucketize.h"
#include "models/ops/dedup.h"
#include "models/ops/dense_ops.h"
#include "models/ops/hash.h"
#include "models/ops/kjt.h"
#include "models/ops/random_inputs.h"
#include "models/ops/reference.h"
#include "models/ops/sparse_ops.h"

namespace prepsim::ops {
namespace {

constexpr std::size_t kSmallBytes = 128 << 10;
constexpr std::size_t kLargeBytes = 64 << 20;
constexpr std::int32_t kMaxListLength = 40;  // list lengths uniform in [0, 40]: 20 ids on average (PreSto RM2-5)

// Inputs shared by all benchmarks of one size (built on first use).
struct Inputs {
  std::vector<float> dense;           // bytes / 4 values in [-1, 1000)
  std::vector<float> unit;            // same count, in [-0.1, 1.1)
  std::vector<std::uint8_t> nulls;    // 10% null
  std::vector<std::int64_t> ids;      // bytes / 8 ids
  Jagged lists;                       // about bytes / 8 ids in lists of 0..40
  std::vector<std::int32_t> lengths;  // bytes / 4 list lengths in [0, 40] (lengths <-> offsets)
  std::vector<std::int64_t> offsets;  // their offsets
  data::KeyedJaggedTensor kjt;        // 4 keys, rows repeated 4x on average, about bytes / 8 ids
  data::InverseKJT ikjt;
};

const Inputs& inputs(std::size_t bytes) {
  static std::map<std::size_t, std::unique_ptr<Inputs>> cache;
  auto& slot = cache[bytes];
  if (!slot) {
    slot = std::make_unique<Inputs>();
    std::mt19937_64 rng(bytes);
    Inputs& in = *slot;
    in.dense = testing::uniform_floats(rng, bytes / 4, -1.0f, 1000.0f);
    in.unit = testing::uniform_floats(rng, bytes / 4, -0.1f, 1.1f);
    in.nulls = testing::random_nulls(rng, bytes / 4, 0.1);
    in.ids.resize(bytes / 8);
    for (auto& v : in.ids) v = static_cast<std::int64_t>(rng());
    in.lists = testing::random_jagged(rng, bytes / 8 / 20, kMaxListLength, 0, 1 << 20);
    in.lengths.resize(bytes / 4);
    for (auto& l : in.lengths) l = static_cast<std::int32_t>(rng() % (kMaxListLength + 1));
    in.offsets = lengths_to_offsets(in.lengths);
    const std::size_t stride = bytes / 8 / 20 / 4;
    in.kjt = testing::random_kjt(rng, 4, stride, stride / 4 + 1, kMaxListLength);
    in.ikjt = dedup(in.kjt);
  }
  return *slot;
}

void count(benchmark::State& state, std::size_t items, std::size_t bytes) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * items));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

void bm_memcpy(benchmark::State& state, std::size_t bytes) {
  const Inputs& in = inputs(bytes);
  std::vector<std::int64_t> out(in.ids.size());
  for (auto _ : state) {
    std::memcpy(out.data(), in.ids.data(), in.ids.size() * 8);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  count(state, in.ids.size(), 2 * bytes);
}

using Kernel = std::function<void(benchmark::State&, std::size_t bytes, bool optimized)>;

// Element-wise float32 -> float32 kernels.
template <typename Fast, typename Ref>
Kernel dense(Fast fast, Ref ref, bool unit_input = false, bool reads_nulls = false) {
  return [=](benchmark::State& state, std::size_t bytes, bool optimized) {
    const Inputs& in = inputs(bytes);
    const std::vector<float>& x = unit_input ? in.unit : in.dense;
    std::vector<float> out(x.size());
    for (auto _ : state) {
      optimized ? fast(x, in.nulls, out) : ref(x, in.nulls, out);
      benchmark::DoNotOptimize(out.data());
    }
    count(state, x.size(), x.size() * (reads_nulls ? 9 : 8));
  };
}

// Element-wise int64 -> int64 kernels.
template <typename Fast, typename Ref>
Kernel ids(Fast fast, Ref ref) {
  return [=](benchmark::State& state, std::size_t bytes, bool optimized) {
    const Inputs& in = inputs(bytes);
    std::vector<std::int64_t> out(in.ids.size());
    for (auto _ : state) {
      optimized ? fast(in.ids, out) : ref(in.ids, out);
      benchmark::DoNotOptimize(out.data());
    }
    count(state, in.ids.size(), in.ids.size() * 16);
  };
}

// Jagged list -> jagged list kernels.
template <typename Fast, typename Ref>
Kernel lists(Fast fast, Ref ref) {
  return [=](benchmark::State& state, std::size_t bytes, bool optimized) {
    const Inputs& in = inputs(bytes);
    Jagged out;
    fast(in.lists.view(), out);  // size the output once
    std::size_t out_bytes = out.values.size() * 8 + out.lengths.size() * 4;
    for (auto _ : state) {
      optimized ? fast(in.lists.view(), out) : ref(in.lists.view(), out);
      benchmark::DoNotOptimize(out.values.data());
    }
    count(state, in.lists.values.size(), in.lists.values.size() * 8 + in.lists.lengths.size() * 4 + out_bytes);
  };
}

std::vector<float> sorted_borders(std::size_t n) {
  std::mt19937_64 rng(n);
  std::vector<float> b = testing::uniform_floats(rng, n, -1.0f, 1000.0f);
  std::sort(b.begin(), b.end());
  return b;
}

void register_all() {
  using Span = std::span<const float>;
  using Nulls = std::span<const std::uint8_t>;
  using Out = std::span<float>;
  using Ids = std::span<const std::int64_t>;
  using IdsOut = std::span<std::int64_t>;
  std::vector<std::pair<std::string, Kernel>> kernels;

  kernels.emplace_back("sigrid_hash", ids([](Ids i, IdsOut o) { sigrid_hash(i, o, 0, 500'000); },
                                          [](Ids i, IdsOut o) { reference::sigrid_hash(i, o, 0, 500'000); }));
  for (std::size_t nb : {1024u, 4096u}) {
    const auto borders = std::make_shared<std::vector<float>>(sorted_borders(nb));
    kernels.emplace_back(
        "bucketize_" + std::to_string(nb), [borders](benchmark::State& state, std::size_t bytes, bool optimized) {
          const Inputs& in = inputs(bytes);
          std::vector<std::int64_t> out(in.dense.size());
          for (auto _ : state) {
            optimized ? bucketize(in.dense, *borders, out) : reference::bucketize(in.dense, *borders, out);
            benchmark::DoNotOptimize(out.data());
          }
          count(state, in.dense.size(), in.dense.size() * 12);
        });
  }
  kernels.emplace_back("log", dense([](Span x, Nulls, Out o) { log_offset(x, o, 1.0f); },
                                    [](Span x, Nulls, Out o) { reference::log_offset(x, o, 1.0f); }));
  kernels.emplace_back("logit", dense([](Span x, Nulls, Out o) { logit(x, o, 1e-6f); },
                                      [](Span x, Nulls, Out o) { reference::logit(x, o, 1e-6f); }, true));
  kernels.emplace_back("boxcox_0", dense([](Span x, Nulls, Out o) { boxcox(x, o, 0.0f); },
                                         [](Span x, Nulls, Out o) { reference::boxcox(x, o, 0.0f); }));
  kernels.emplace_back("boxcox_0.5", dense([](Span x, Nulls, Out o) { boxcox(x, o, 0.5f); },
                                           [](Span x, Nulls, Out o) { reference::boxcox(x, o, 0.5f); }));
  kernels.emplace_back("fill_null",
                       dense([](Span x, Nulls n, Out o) { fill_null(x, n, o, 0.0f); },
                             [](Span x, Nulls n, Out o) { reference::fill_null(x, n, o, 0.0f); }, false, true));
  kernels.emplace_back("clamp", dense([](Span x, Nulls, Out o) { clamp(x, o, 0.0f, 100.0f); },
                                      [](Span x, Nulls, Out o) { reference::clamp(x, o, 0.0f, 100.0f); }));
  kernels.emplace_back("onehot_16", [](benchmark::State& state, std::size_t bytes, bool optimized) {
    // Sized by output: bytes of output floats, rows = bytes / 4 / 16.
    const Inputs& in = inputs(bytes);
    const std::size_t rows = in.dense.size() / 16;
    const Span x(in.dense.data(), rows);
    const Nulls nulls(in.nulls.data(), rows);
    std::vector<float> out(rows * 16);
    for (auto _ : state) {
      optimized ? onehot(x, nulls, out, 0.0f, 1000.0f, 16) : reference::onehot(x, nulls, out, 0.0f, 1000.0f, 16);
      benchmark::DoNotOptimize(out.data());
    }
    count(state, rows, rows * 5 + out.size() * 4);
  });
  kernels.emplace_back("clamp_ids", ids([](Ids i, IdsOut o) { clamp(i, o, -1000, 1'000'000); },
                                        [](Ids i, IdsOut o) { reference::clamp(i, o, -1000, 1'000'000); }));
  // mapid: list ids are uniform in [0, 2^20]; a map of 2^20 + 1 entries hits them all, one of 2^19 half of them
  // at random (the reference's branch mispredicts, the kernel's masks do not care).
  for (std::size_t size : {(std::size_t{1} << 20) + 1, std::size_t{1} << 19}) {
    const auto map = std::make_shared<std::vector<std::int64_t>>(size);
    for (std::size_t i = 0; i < map->size(); ++i) (*map)[i] = static_cast<std::int64_t>(i * 7);
    kernels.emplace_back(size > (1u << 19) ? "mapid_hit100" : "mapid_hit50",
                         lists(
                             [map](JaggedView v, Jagged& o) {
                               o.values.resize(v.values.size());
                               mapid(v.values, *map, o.values);
                             },
                             [map](JaggedView v, Jagged& o) {
                               o.values.resize(v.values.size());
                               reference::mapid(v.values, *map, o.values);
                             }));
  }
  kernels.emplace_back("firstx_10", lists([](JaggedView v, Jagged& o) { firstx(v, 10, o); },
                                          [](JaggedView v, Jagged& o) { reference::firstx(v, 10, o); }));
  kernels.emplace_back("firstx_all", lists([](JaggedView v, Jagged& o) { firstx(v, 1000, o); },
                                           [](JaggedView v, Jagged& o) { reference::firstx(v, 1000, o); }));
  kernels.emplace_back("ngram_3", lists([](JaggedView v, Jagged& o) { ngram(v, 3, o); },
                                        [](JaggedView v, Jagged& o) { reference::ngram(v, 3, o); }));
  kernels.emplace_back("lengths_to_offsets", [](benchmark::State& state, std::size_t bytes, bool optimized) {
    const Inputs& in = inputs(bytes);
    const auto& l = in.lengths;
    std::vector<std::int64_t> out(l.size() + 1);
    for (auto _ : state) {
      optimized ? lengths_to_offsets(l, out) : reference::lengths_to_offsets(l, out);
      benchmark::DoNotOptimize(out.data());
    }
    count(state, l.size(), l.size() * 12);
  });
  kernels.emplace_back("offsets_to_lengths", [](benchmark::State& state, std::size_t bytes, bool optimized) {
    const Inputs& in = inputs(bytes);
    std::vector<std::int32_t> out(in.offsets.size() - 1);
    for (auto _ : state) {
      optimized ? offsets_to_lengths(in.offsets, out) : reference::offsets_to_lengths(in.offsets, out);
      benchmark::DoNotOptimize(out.data());
    }
    count(state, out.size(), out.size() * 12);
  });
  kernels.emplace_back("to_kjt_4keys", [](benchmark::State& state, std::size_t bytes, bool optimized) {
    const Inputs& in = inputs(bytes);
    // Four features, each a quarter of the lists.
    const std::size_t per = in.lists.lengths.size() / 4;
    std::vector<Jagged> parts(4);
    std::vector<FeatureLists> features;
    std::size_t pos = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const auto len = std::span<const std::int32_t>(in.lists.lengths).subspan(k * per, per);
      std::size_t n = 0;
      for (auto l : len) n += static_cast<std::size_t>(l);
      parts[k].values.assign(in.lists.values.begin() + pos, in.lists.values.begin() + pos + n);
      parts[k].lengths.assign(len.begin(), len.end());
      pos += n;
    }
    for (const auto& p : parts) features.push_back({"f", p.view()});
    const std::vector<std::string> keys(4, "f");
    data::KeyedJaggedTensor out;
    for (auto _ : state) {
      if (optimized) {
        to_kjt(features, out);
      } else {
        out = reference::to_kjt(keys, parts);
      }
      benchmark::DoNotOptimize(out.values.data());
    }
    count(state, pos, pos * 16 + per * 4 * 16);
  });
  kernels.emplace_back("dedup_4keys_df4", [](benchmark::State& state, std::size_t bytes, bool optimized) {
    const Inputs& in = inputs(bytes);
    DedupScratch scratch;
    data::InverseKJT out;
    for (auto _ : state) {
      if (optimized) {
        dedup(in.kjt, out, &scratch);
      } else {
        out = reference::dedup(in.kjt);
      }
      benchmark::DoNotOptimize(out.inverse.data());
    }
    count(state, in.kjt.values.size(),
          in.kjt.values.size() * 8 + in.kjt.lengths.size() * 12 + in.ikjt.unique.values.size() * 8);
  });
  kernels.emplace_back("expand_4keys_df4", [](benchmark::State& state, std::size_t bytes, bool optimized) {
    const Inputs& in = inputs(bytes);
    data::KeyedJaggedTensor out;
    for (auto _ : state) {
      if (optimized) {
        expand(in.ikjt, out);
      } else {
        out = reference::expand(in.ikjt);
      }
      benchmark::DoNotOptimize(out.values.data());
    }
    count(state, in.kjt.values.size(), in.kjt.values.size() * 8 + in.kjt.lengths.size() * 12);
  });

  for (std::size_t bytes : {kSmallBytes, kLargeBytes}) {
    benchmark::RegisterBenchmark(("memcpy/" + std::to_string(bytes)).c_str(), bm_memcpy, bytes);
    for (const auto& [name, kernel] : kernels) {
      for (bool optimized : {true, false}) {
        const std::string full = name + (optimized ? "/optimized/" : "/reference/") + std::to_string(bytes);
        benchmark::RegisterBenchmark(full.c_str(), kernel, bytes, optimized);
      }
    }
  }
}

const bool registered = (register_all(), true);

}  // namespace
}  // namespace prepsim::ops
