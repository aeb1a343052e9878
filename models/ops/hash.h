// SigridHash: the salted hash that maps raw sparse ids into [0, max) (docs/sources.md#op-semantics).
//
// h = hash_128_to_64(salt, twang_mix64(x)) read as int64 (folly's hash_combine(salt, x) with identity hashing of
// integers), result = floor-mod(h, max), so it is always in [0, max); max == 1 gives 0. max < 1 is a caller error
// (check_sigrid_max says so; the kernels assume max >= 1).
//
// The optimized kernel replaces the 64-bit division of the reference by a multiply with a precomputed reciprocal
// (Granlund-Montgomery, "Division by invariant integers using multiplication", PLDI 1994, figure 4.1): results are
// bit-identical to `h % max` then the floor correction, for every int64 h and every max >= 1. It hashes 8 ids per
// AVX-512 instruction (4 with AVX2), chosen at run time; hash_test checks every variant against the reference.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace prepsim::ops {

// twang_mix64 (folly/hash/Hash.h), bit for bit.
constexpr std::uint64_t twang_mix64(std::uint64_t k) noexcept {
  k = (~k) + (k << 21);
  k = k ^ (k >> 24);
  k = k + (k << 3) + (k << 8);
  k = k ^ (k >> 14);
  k = k + (k << 2) + (k << 4);
  k = k ^ (k >> 28);
  k = k + (k << 31);
  return k;
}

// hash_128_to_64 (folly/hash/Hash.h; CityHash's Hash128to64), bit for bit.
constexpr std::uint64_t hash_128_to_64(std::uint64_t upper, std::uint64_t lower) noexcept {
  constexpr std::uint64_t kMul = 0x9ddfea08eb382d69ULL;
  std::uint64_t a = (lower ^ upper) * kMul;
  a ^= (a >> 47);
  std::uint64_t b = (upper ^ a) * kMul;
  b ^= (b >> 47);
  b *= kMul;
  return b;
}

// The signed 64-bit hash before the modulo.
constexpr std::int64_t sigrid_hash_raw(std::int64_t x, std::int64_t salt) noexcept {
  return static_cast<std::int64_t>(
      hash_128_to_64(static_cast<std::uint64_t>(salt), twang_mix64(static_cast<std::uint64_t>(x))));
}

// floor-mod(h, divisor) for a fixed divisor >= 1, without a division instruction.
class FloorMod {
 public:
  explicit FloorMod(std::int64_t divisor) noexcept;

  std::int64_t operator()(std::int64_t h) const noexcept {
    const auto u = static_cast<std::uint64_t>(h);
    const auto hi = static_cast<std::uint64_t>((static_cast<unsigned __int128>(u) * magic_) >> 64);
    const std::uint64_t q = (hi + ((u - hi) >> shift1_)) >> shift2_;
    const std::uint64_t r = u - q * d_;  // u mod d, u read as unsigned (h + 2^64 when h < 0)
    // For h < 0, u = h + 2^64, so floor-mod(h, d) = (r - 2^64 mod d) mod d.
    const std::uint64_t c = h < 0 ? wrap_ : 0;
    const std::uint64_t fixed = r >= c ? r - c : r + d_ - c;
    return static_cast<std::int64_t>(fixed);
  }

  // The precomputed constants, for vector versions of operator().
  std::uint64_t divisor() const noexcept { return d_; }
  std::uint64_t magic() const noexcept { return magic_; }
  std::uint64_t wrap() const noexcept { return wrap_; }
  unsigned shift1() const noexcept { return shift1_; }
  unsigned shift2() const noexcept { return shift2_; }

 private:
  std::uint64_t d_;
  std::uint64_t magic_;
  std::uint64_t wrap_;  // 2^64 mod d
  unsigned shift1_;
  unsigned shift2_;
};

// "" when max is a valid SigridHash max, otherwise the reason.
std::string check_sigrid_max(std::int64_t max);

// SigridHash
//
// out[i] = floor-mod(sigrid_hash_raw(in[i], salt), max) for all i. Requires max >= 1 and out.size() == in.size();
// `out` may be `in` (in place) but must not overlap it otherwise.
void sigrid_hash(std::span<const std::int64_t> in, std::span<std::int64_t> out, std::int64_t salt, std::int64_t max);

namespace detail {
// The variants sigrid_hash chooses from by active_isa() (cpu_dispatch.h; exposed for tests and benchmarks): 8 lanes
// of AVX-512 (F + DQ, for the 64-bit multiply), 4 lanes of AVX2 (64-bit multiplies built from 32-bit ones), or
// four interleaved scalar hashes.
void sigrid_hash_scalar(std::span<const std::int64_t> in, std::span<std::int64_t> out, std::int64_t salt,
                        std::int64_t max);
void sigrid_hash_avx2(std::span<const std::int64_t> in, std::span<std::int64_t> out, std::int64_t salt,
                      std::int64_t max);
void sigrid_hash_avx512(std::span<const std::int64_t> in, std::span<std::int64_t> out, std::int64_t salt,
                        std::int64_t max);
}  // namespace detail

}  // namespace prepsim::ops
