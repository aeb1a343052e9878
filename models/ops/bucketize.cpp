#include "models/ops/bucketize.h"

#include <fmt/format.h>

#include "models/ops/cpu_dispatch.h"
#include <immintrin.h>

#include <cmath>
#include <cstddef>
#include <vector>

namespace prepsim::ops {

std::string check_borders(std::span<const float> borders) {
  for (std::size_t i = 0; i < borders.size(); ++i) {
    if (std::isnan(borders[i])) return fmt::format("borders[{}] is NaN; borders must be numbers", i);
    if (i > 0 && borders[i] < borders[i - 1]) {
      return fmt::format("borders must be non-decreasing, but borders[{}]={} < borders[{}]={}", i, borders[i], i - 1,
                         borders[i - 1]);
    }
  }
  return {};
}

namespace {

// The halving steps of the branch-free lower bound over n borders (Khuong & Morin, "Array layouts for
// comparison-based searching", 2017): while n > 1 { half = n / 2; base += (borders[base + half] "before" x) ? half
// : 0; n -= half; } then one last step of 1 on borders[base]. "before" is !(x <= border), the negation of the
// bucket rule, so NaN moves right at every step and ends at len(borders).
std::vector<std::uint32_t> halving_steps(std::size_t n) {
  std::vector<std::uint32_t> steps;
  while (n > 1) {
    const std::size_t half = n / 2;
    steps.push_back(static_cast<std::uint32_t>(half));
    n -= half;
  }
  return steps;
}

inline std::size_t search_one(float v, const float* b, const std::vector<std::uint32_t>& steps) {
  std::size_t base = 0;
  for (std::uint32_t half : steps) base += !(v <= b[base + half]) ? half : 0;
  return base + (!(v <= b[base]) ? 1 : 0);
}

constexpr std::size_t kLanes = 8;

void interleaved_impl(const float* x, const float* b, std::size_t nb, std::int64_t* out, std::size_t n) {
  const std::vector<std::uint32_t> steps = halving_steps(nb);
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    std::size_t base[kLanes] = {};
    float v[kLanes];
    for (std::size_t j = 0; j < kLanes; ++j) v[j] = x[i + j];
    for (std::uint32_t half : steps) {
      for (std::size_t j = 0; j < kLanes; ++j) base[j] += !(v[j] <= b[base[j] + half]) ? half : 0;
    }
    for (std::size_t j = 0; j < kLanes; ++j) out[i + j] = static_cast<std::int64_t>(base[j] + !(v[j] <= b[base[j]]));
  }
  for (; i < n; ++i) out[i] = static_cast<std::int64_t>(search_one(x[i], b, steps));
}

__attribute__((target("avx2"))) void avx2_impl(const float* x, const float* b, std::size_t nb, std::int64_t* out,
                                               std::size_t n) {
  const std::vector<std::uint32_t> steps = halving_steps(nb);
  const __m256i one = _mm256_set1_epi32(1);
  std::size_t i = 0;
  // Two vectors of 8 per iteration so one gather's latency overlaps the other's.
  for (; i + 16 <= n; i += 16) {
    const __m256 v0 = _mm256_loadu_ps(x + i);
    const __m256 v1 = _mm256_loadu_ps(x + i + 8);
    __m256i base0 = _mm256_setzero_si256();
    __m256i base1 = _mm256_setzero_si256();
    for (std::uint32_t half : steps) {
      const __m256i h = _mm256_set1_epi32(static_cast<int>(half));
      const __m256 g0 = _mm256_i32gather_ps(b, _mm256_add_epi32(base0, h), 4);
      const __m256 g1 = _mm256_i32gather_ps(b, _mm256_add_epi32(base1, h), 4);
      const __m256i m0 = _mm256_castps_si256(_mm256_cmp_ps(v0, g0, _CMP_NLE_UQ));
      const __m256i m1 = _mm256_castps_si256(_mm256_cmp_ps(v1, g1, _CMP_NLE_UQ));
      base0 = _mm256_add_epi32(base0, _mm256_and_si256(m0, h));
      base1 = _mm256_add_epi32(base1, _mm256_and_si256(m1, h));
    }
    const __m256 g0 = _mm256_i32gather_ps(b, base0, 4);
    const __m256 g1 = _mm256_i32gather_ps(b, base1, 4);
    base0 = _mm256_add_epi32(base0, _mm256_and_si256(_mm256_castps_si256(_mm256_cmp_ps(v0, g0, _CMP_NLE_UQ)), one));
    base1 = _mm256_add_epi32(base1, _mm256_and_si256(_mm256_castps_si256(_mm256_cmp_ps(v1, g1, _CMP_NLE_UQ)), one));
    auto* o = reinterpret_cast<__m256i*>(out + i);
    _mm256_storeu_si256(o, _mm256_cvtepi32_epi64(_mm256_castsi256_si128(base0)));
    _mm256_storeu_si256(o + 1, _mm256_cvtepi32_epi64(_mm256_extracti128_si256(base0, 1)));
    _mm256_storeu_si256(o + 2, _mm256_cvtepi32_epi64(_mm256_castsi256_si128(base1)));
    _mm256_storeu_si256(o + 3, _mm256_cvtepi32_epi64(_mm256_extracti128_si256(base1, 1)));
  }
  for (; i < n; ++i) out[i] = static_cast<std::int64_t>(search_one(x[i], b, steps));
}

// GCC 12's AVX-512 headers start unmasked intrinsics from _mm512_undefined_*(), which trips a false
// -Wmaybe-uninitialized (GCC bug 105593, fixed in GCC 13).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

__attribute__((target("avx512f"))) inline __m512 gather16(const float* b, __m512i idx) {
  return _mm512_mask_i32gather_ps(_mm512_setzero_ps(), 0xFFFF, idx, b, 4);
}

__attribute__((target("avx512f"))) inline void store_widened(std::int64_t* out, __m512i v) {
  _mm512_storeu_si512(out, _mm512_maskz_cvtepi32_epi64(0xFF, _mm512_castsi512_si256(v)));
  _mm512_storeu_si512(out + 8, _mm512_maskz_cvtepi32_epi64(0xFF, _mm512_maskz_extracti64x4_epi64(0xF, v, 1)));
}

__attribute__((target("avx512f"))) void avx512_impl(const float* x, const float* b, std::size_t nb, std::int64_t* out,
                                                    std::size_t n) {
  const std::vector<std::uint32_t> steps = halving_steps(nb);
  const __m512i one = _mm512_set1_epi32(1);
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m512 v0 = _mm512_loadu_ps(x + i);
    const __m512 v1 = _mm512_loadu_ps(x + i + 16);
    __m512i base0 = _mm512_setzero_si512();
    __m512i base1 = _mm512_setzero_si512();
    for (std::uint32_t half : steps) {
      const __m512i h = _mm512_set1_epi32(static_cast<int>(half));
      const __m512 g0 = gather16(b, _mm512_add_epi32(base0, h));
      const __m512 g1 = gather16(b, _mm512_add_epi32(base1, h));
      base0 = _mm512_mask_add_epi32(base0, _mm512_cmp_ps_mask(v0, g0, _CMP_NLE_UQ), base0, h);
      base1 = _mm512_mask_add_epi32(base1, _mm512_cmp_ps_mask(v1, g1, _CMP_NLE_UQ), base1, h);
    }
    const __m512 g0 = gather16(b, base0);
    const __m512 g1 = gather16(b, base1);
    base0 = _mm512_mask_add_epi32(base0, _mm512_cmp_ps_mask(v0, g0, _CMP_NLE_UQ), base0, one);
    base1 = _mm512_mask_add_epi32(base1, _mm512_cmp_ps_mask(v1, g1, _CMP_NLE_UQ), base1, one);
    store_widened(out + i, base0);
    store_widened(out + i + 16, base1);
  }
  for (; i < n; ++i) out[i] = static_cast<std::int64_t>(search_one(x[i], b, steps));
}

#pragma GCC diagnostic pop

constexpr std::size_t kMaxSimdBorders = std::size_t{1} << 31;

std::size_t common(std::span<const float> x, std::span<std::int64_t> out) {
  return x.size() < out.size() ? x.size() : out.size();
}

bool fill_if_no_borders(std::span<const float> borders, std::span<std::int64_t> out, std::size_t n) {
  if (!borders.empty()) return false;
  for (std::size_t i = 0; i < n; ++i) out[i] = 0;
  return true;
}

}  // namespace

namespace detail {

void bucketize_interleaved(std::span<const float> x, std::span<const float> borders, std::span<std::int64_t> out) {
  const std::size_t n = common(x, out);
  if (fill_if_no_borders(borders, out, n)) return;
  interleaved_impl(x.data(), borders.data(), borders.size(), out.data(), n);
}

void bucketize_avx2(std::span<const float> x, std::span<const float> borders, std::span<std::int64_t> out) {
  const std::size_t n = common(x, out);
  if (fill_if_no_borders(borders, out, n)) return;
  avx2_impl(x.data(), borders.data(), borders.size(), out.data(), n);
}

void bucketize_avx512(std::span<const float> x, std::span<const float> borders, std::span<std::int64_t> out) {
  const std::size_t n = common(x, out);
  if (fill_if_no_borders(borders, out, n)) return;
  avx512_impl(x.data(), borders.data(), borders.size(), out.data(), n);
}

}  // namespace detail

void bucketize(std::span<const float> x, std::span<const float> borders, std::span<std::int64_t> out) {
  if (borders.size() < kMaxSimdBorders) {
    switch (active_isa()) {
      case Isa::Avx512: return detail::bucketize_avx512(x, borders, out);
      case Isa::Avx2: return detail::bucketize_avx2(x, borders, out);
      case Isa::Baseline: break;
    }
  }
  detail::bucketize_interleaved(x, borders, out);
}

}  // namespace prepsim::ops
