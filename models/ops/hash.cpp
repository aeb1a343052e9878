#include "models/ops/hash.h"

#include <immintrin.h>

#include <bit>
#include <cstddef>

#include "models/ops/cpu_dispatch.h"

namespace prepsim::ops {

FloorMod::FloorMod(std::int64_t divisor) noexcept : d_(static_cast<std::uint64_t>(divisor < 1 ? 1 : divisor)) {
  // l = ceil(log2 d); magic = floor(2^64 * (2^l - d) / d) + 1; shift1 = min(l, 1); shift2 = max(l - 1, 0).
  const unsigned l = d_ <= 1 ? 0u : static_cast<unsigned>(64 - std::countl_zero(d_ - 1));
  const unsigned __int128 two_l = static_cast<unsigned __int128>(1) << l;
  magic_ = static_cast<std::uint64_t>(((two_l - d_) << 64) / d_ + 1);
  shift1_ = l < 1 ? l : 1u;
  shift2_ = l > 1 ? l - 1 : 0u;
  wrap_ = (0 - d_) % d_;  // (2^64 - d) mod d == 2^64 mod d
}

std::string check_sigrid_max(std::int64_t max) {
  if (max >= 1) return {};
  return "max must be >= 1 (the hash lands in [0, max)), got " + std::to_string(max);
}

namespace {

std::size_t common(std::span<const std::int64_t> in, std::span<std::int64_t> out) {
  return in.size() < out.size() ? in.size() : out.size();
}

bool is_pow2(std::int64_t max) { return max >= 1 && (max & (max - 1)) == 0; }

inline std::int64_t hash_reduce_scalar(std::int64_t x, std::uint64_t salt, const FloorMod& mod, bool pow2) {
  const auto h = static_cast<std::int64_t>(hash_128_to_64(salt, twang_mix64(static_cast<std::uint64_t>(x))));
  // A power of two divides 2^64, so floor-mod is the low bits of the two's complement value (max == 1 -> 0).
  return pow2 ? static_cast<std::int64_t>(static_cast<std::uint64_t>(h) & (mod.divisor() - 1)) : mod(h);
}

// ---- AVX2: 4 lanes; 64-bit multiplies from 32 x 32 -> 64 ones. ----
#define PREPSIM_AVX2 __attribute__((target("avx2")))

PREPSIM_AVX2 inline __m256i mullo_avx2(__m256i a, __m256i b) {
  const __m256i lo = _mm256_mul_epu32(a, b);
  const __m256i cross =
      _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(a, 32), b), _mm256_mul_epu32(a, _mm256_srli_epi64(b, 32)));
  return _mm256_add_epi64(lo, _mm256_slli_epi64(cross, 32));
}

PREPSIM_AVX2 inline __m256i mulhi_avx2(__m256i a, __m256i b) {
  const __m256i low32 = _mm256_set1_epi64x(0xffffffffLL);
  const __m256i ah = _mm256_srli_epi64(a, 32);
  const __m256i bh = _mm256_srli_epi64(b, 32);
  const __m256i ll = _mm256_mul_epu32(a, b);
  const __m256i lh = _mm256_mul_epu32(a, bh);
  const __m256i hl = _mm256_mul_epu32(ah, b);
  const __m256i hh = _mm256_mul_epu32(ah, bh);
  const __m256i mid = _mm256_add_epi64(_mm256_add_epi64(_mm256_srli_epi64(ll, 32), _mm256_and_si256(lh, low32)),
                                       _mm256_and_si256(hl, low32));
  return _mm256_add_epi64(_mm256_add_epi64(hh, _mm256_srli_epi64(lh, 32)),
                          _mm256_add_epi64(_mm256_srli_epi64(hl, 32), _mm256_srli_epi64(mid, 32)));
}

// Four vectors (16 ids) advance together, as in hash_avx512 below.
PREPSIM_AVX2 void hash_avx2(const std::int64_t* in, std::int64_t* out, std::size_t n, std::uint64_t salt,
                            const FloorMod& mod, bool pow2) {
  constexpr int U = 4;
  const __m256i m = _mm256_set1_epi64x(static_cast<long long>(0x9ddfea08eb382d69ULL));
  const __m256i vsalt = _mm256_set1_epi64x(static_cast<long long>(salt));
  const __m256i ones = _mm256_set1_epi64x(-1);
  const __m256i d = _mm256_set1_epi64x(static_cast<long long>(mod.divisor()));
  const __m256i mask = _mm256_set1_epi64x(static_cast<long long>(mod.divisor() - 1));
  const __m256i magic = _mm256_set1_epi64x(static_cast<long long>(mod.magic()));
  const __m256i wrap = _mm256_set1_epi64x(static_cast<long long>(mod.wrap()));
  const __m128i s1 = _mm_cvtsi32_si128(static_cast<int>(mod.shift1()));
  const __m128i s2 = _mm_cvtsi32_si128(static_cast<int>(mod.shift2()));
  const __m256i sign = _mm256_set1_epi64x(static_cast<long long>(0x8000000000000000ULL));
  const __m256i zero = _mm256_setzero_si256();
  std::size_t i = 0;
  for (; i + 4 * U <= n; i += 4 * U) {
    __m256i k[U], h[U];
#define PREPSIM_EACH(stmt) \
  _Pragma("GCC unroll 4") for (int j = 0; j < U; ++j) { stmt; }
    PREPSIM_EACH(k[j] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + i + 4 * j)))
    PREPSIM_EACH(k[j] = _mm256_add_epi64(_mm256_xor_si256(k[j], ones), _mm256_slli_epi64(k[j], 21)))
    PREPSIM_EACH(k[j] = _mm256_xor_si256(k[j], _mm256_srli_epi64(k[j], 24)))
    PREPSIM_EACH(k[j] =
                     _mm256_add_epi64(_mm256_add_epi64(k[j], _mm256_slli_epi64(k[j], 3)), _mm256_slli_epi64(k[j], 8)))
    PREPSIM_EACH(k[j] = _mm256_xor_si256(k[j], _mm256_srli_epi64(k[j], 14)))
    PREPSIM_EACH(k[j] =
                     _mm256_add_epi64(_mm256_add_epi64(k[j], _mm256_slli_epi64(k[j], 2)), _mm256_slli_epi64(k[j], 4)))
    PREPSIM_EACH(k[j] = _mm256_xor_si256(k[j], _mm256_srli_epi64(k[j], 28)))
    PREPSIM_EACH(k[j] = _mm256_add_epi64(k[j], _mm256_slli_epi64(k[j], 31)))
    PREPSIM_EACH(h[j] = mullo_avx2(_mm256_xor_si256(k[j], vsalt), m))
    PREPSIM_EACH(h[j] = _mm256_xor_si256(h[j], _mm256_srli_epi64(h[j], 47)))
    PREPSIM_EACH(h[j] = mullo_avx2(_mm256_xor_si256(vsalt, h[j]), m))
    PREPSIM_EACH(h[j] = _mm256_xor_si256(h[j], _mm256_srli_epi64(h[j], 47)))
    PREPSIM_EACH(h[j] = mullo_avx2(h[j], m))
    if (pow2) {
      PREPSIM_EACH(_mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i + 4 * j), _mm256_and_si256(h[j], mask)))
      continue;
    }
    __m256i t[U], rem[U], c[U];
    PREPSIM_EACH(t[j] = mulhi_avx2(h[j], magic))
    PREPSIM_EACH(t[j] =
                     _mm256_srl_epi64(_mm256_add_epi64(t[j], _mm256_srl_epi64(_mm256_sub_epi64(h[j], t[j]), s1)), s2))
    PREPSIM_EACH(rem[j] = _mm256_sub_epi64(h[j], mullo_avx2(t[j], d)))
    PREPSIM_EACH(c[j] = _mm256_and_si256(_mm256_cmpgt_epi64(zero, h[j]), wrap))  // h < 0: 2^64 mod d
    // rem < c (unsigned, by flipping the sign bits): add d back.
    PREPSIM_EACH(
        t[j] = _mm256_and_si256(_mm256_cmpgt_epi64(_mm256_xor_si256(c[j], sign), _mm256_xor_si256(rem[j], sign)), d))
    PREPSIM_EACH(t[j] = _mm256_add_epi64(_mm256_sub_epi64(rem[j], c[j]), t[j]))
    PREPSIM_EACH(_mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i + 4 * j), t[j]))
#undef PREPSIM_EACH
  }
  for (; i < n; ++i) out[i] = hash_reduce_scalar(in[i], salt, mod, pow2);
}

// ---- AVX-512 F + DQ: 8 lanes, native 64-bit multiply (vpmullq). ----
// GCC 12's AVX-512 headers start unmasked intrinsics from _mm512_undefined_*(), which trips a false
// -Wmaybe-uninitialized (GCC bug 105593, fixed in GCC 13).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#define PREPSIM_AVX512 __attribute__((target("avx512f,avx512dq")))

PREPSIM_AVX512 inline __m512i mulhi_avx512(__m512i a, __m512i b) {
  const __m512i low32 = _mm512_set1_epi64(0xffffffffLL);
  const __m512i ah = _mm512_srli_epi64(a, 32);
  const __m512i bh = _mm512_srli_epi64(b, 32);
  const __m512i ll = _mm512_mul_epu32(a, b);
  const __m512i lh = _mm512_mul_epu32(a, bh);
  const __m512i hl = _mm512_mul_epu32(ah, b);
  const __m512i hh = _mm512_mul_epu32(ah, bh);
  const __m512i mid = _mm512_add_epi64(_mm512_add_epi64(_mm512_srli_epi64(ll, 32), _mm512_and_si512(lh, low32)),
                                       _mm512_and_si512(hl, low32));
  return _mm512_add_epi64(_mm512_add_epi64(hh, _mm512_srli_epi64(lh, 32)),
                          _mm512_add_epi64(_mm512_srli_epi64(hl, 32), _mm512_srli_epi64(mid, 32)));
}

// Four vectors (32 ids) advance step by step together: one hash is a chain of ~50 dependent instructions, and
// interleaving independent chains in program order keeps the vector units busy (measured 2x over one chain).
PREPSIM_AVX512 void hash_avx512(const std::int64_t* in, std::int64_t* out, std::size_t n, std::uint64_t salt,
                                const FloorMod& mod, bool pow2) {
  constexpr int U = 4;
  const __m512i m = _mm512_set1_epi64(static_cast<long long>(0x9ddfea08eb382d69ULL));
  const __m512i vsalt = _mm512_set1_epi64(static_cast<long long>(salt));
  const __m512i ones = _mm512_set1_epi64(-1);
  const __m512i d = _mm512_set1_epi64(static_cast<long long>(mod.divisor()));
  const __m512i mask = _mm512_set1_epi64(static_cast<long long>(mod.divisor() - 1));
  const __m512i magic = _mm512_set1_epi64(static_cast<long long>(mod.magic()));
  const __m512i wrap = _mm512_set1_epi64(static_cast<long long>(mod.wrap()));
  const __m128i s1 = _mm_cvtsi32_si128(static_cast<int>(mod.shift1()));
  const __m128i s2 = _mm_cvtsi32_si128(static_cast<int>(mod.shift2()));
  std::size_t i = 0;
  for (; i + 8 * U <= n; i += 8 * U) {
    __m512i k[U], h[U];
#define PREPSIM_EACH(stmt) \
  _Pragma("GCC unroll 4") for (int j = 0; j < U; ++j) { stmt; }
    PREPSIM_EACH(k[j] = _mm512_loadu_si512(in + i + 8 * j))
    // twang_mix64
    PREPSIM_EACH(k[j] = _mm512_add_epi64(_mm512_xor_si512(k[j], ones), _mm512_slli_epi64(k[j], 21)))
    PREPSIM_EACH(k[j] = _mm512_xor_si512(k[j], _mm512_srli_epi64(k[j], 24)))
    PREPSIM_EACH(k[j] =
                     _mm512_add_epi64(_mm512_add_epi64(k[j], _mm512_slli_epi64(k[j], 3)), _mm512_slli_epi64(k[j], 8)))
    PREPSIM_EACH(k[j] = _mm512_xor_si512(k[j], _mm512_srli_epi64(k[j], 14)))
    PREPSIM_EACH(k[j] =
                     _mm512_add_epi64(_mm512_add_epi64(k[j], _mm512_slli_epi64(k[j], 2)), _mm512_slli_epi64(k[j], 4)))
    PREPSIM_EACH(k[j] = _mm512_xor_si512(k[j], _mm512_srli_epi64(k[j], 28)))
    PREPSIM_EACH(k[j] = _mm512_add_epi64(k[j], _mm512_slli_epi64(k[j], 31)))
    // hash_128_to_64(salt, k)
    PREPSIM_EACH(h[j] = _mm512_mullo_epi64(_mm512_xor_si512(k[j], vsalt), m))
    PREPSIM_EACH(h[j] = _mm512_xor_si512(h[j], _mm512_srli_epi64(h[j], 47)))
    PREPSIM_EACH(h[j] = _mm512_mullo_epi64(_mm512_xor_si512(vsalt, h[j]), m))
    PREPSIM_EACH(h[j] = _mm512_xor_si512(h[j], _mm512_srli_epi64(h[j], 47)))
    PREPSIM_EACH(h[j] = _mm512_mullo_epi64(h[j], m))
    if (pow2) {
      PREPSIM_EACH(_mm512_storeu_si512(out + i + 8 * j, _mm512_and_si512(h[j], mask)))
      continue;
    }
    // floor-mod (FloorMod::operator())
    __m512i t[U], rem[U], c[U];
    PREPSIM_EACH(t[j] = mulhi_avx512(h[j], magic))
    PREPSIM_EACH(t[j] =
                     _mm512_srl_epi64(_mm512_add_epi64(t[j], _mm512_srl_epi64(_mm512_sub_epi64(h[j], t[j]), s1)), s2))
    PREPSIM_EACH(rem[j] = _mm512_sub_epi64(h[j], _mm512_mullo_epi64(t[j], d)))
    PREPSIM_EACH(c[j] = _mm512_maskz_mov_epi64(_mm512_cmplt_epi64_mask(h[j], _mm512_setzero_si512()), wrap))
    PREPSIM_EACH(t[j] = _mm512_sub_epi64(rem[j], c[j]))
    PREPSIM_EACH(t[j] = _mm512_mask_add_epi64(t[j], _mm512_cmplt_epu64_mask(rem[j], c[j]), t[j], d))  // rem < c
    PREPSIM_EACH(_mm512_storeu_si512(out + i + 8 * j, t[j]))
#undef PREPSIM_EACH
  }
  for (; i < n; ++i) out[i] = hash_reduce_scalar(in[i], salt, mod, pow2);
}

#pragma GCC diagnostic pop

}  // namespace

namespace detail {

void sigrid_hash_scalar(std::span<const std::int64_t> in, std::span<std::int64_t> out, std::int64_t salt,
                        std::int64_t max) {
  const std::size_t n = common(in, out);
  const FloorMod mod(max);
  const bool pow2 = is_pow2(max);
  const auto usalt = static_cast<std::uint64_t>(salt);
  // Four independent hashes per iteration so their multiplies overlap.
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const std::int64_t r0 = hash_reduce_scalar(in[i], usalt, mod, pow2);
    const std::int64_t r1 = hash_reduce_scalar(in[i + 1], usalt, mod, pow2);
    const std::int64_t r2 = hash_reduce_scalar(in[i + 2], usalt, mod, pow2);
    const std::int64_t r3 = hash_reduce_scalar(in[i + 3], usalt, mod, pow2);
    out[i] = r0;
    out[i + 1] = r1;
    out[i + 2] = r2;
    out[i + 3] = r3;
  }
  for (; i < n; ++i) out[i] = hash_reduce_scalar(in[i], usalt, mod, pow2);
}

void sigrid_hash_avx2(std::span<const std::int64_t> in, std::span<std::int64_t> out, std::int64_t salt,
                      std::int64_t max) {
  hash_avx2(in.data(), out.data(), common(in, out), static_cast<std::uint64_t>(salt), FloorMod(max), is_pow2(max));
}

void sigrid_hash_avx512(std::span<const std::int64_t> in, std::span<std::int64_t> out, std::int64_t salt,
                        std::int64_t max) {
  hash_avx512(in.data(), out.data(), common(in, out), static_cast<std::uint64_t>(salt), FloorMod(max), is_pow2(max));
}

}  // namespace detail

void sigrid_hash(std::span<const std::int64_t> in, std::span<std::int64_t> out, std::int64_t salt, std::int64_t max) {
  switch (active_isa()) {
    case Isa::Avx512: return detail::sigrid_hash_avx512(in, out, salt, max);
    case Isa::Avx2: return detail::sigrid_hash_avx2(in, out, salt, max);
    case Isa::Baseline: break;
  }
  detail::sigrid_hash_scalar(in, out, salt, max);
}

}  // namespace prepsim::ops
