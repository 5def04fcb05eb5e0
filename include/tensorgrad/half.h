#pragma once
/// \file half.h
/// The element types of float16 and bfloat16 tensors, as libtorch's c10::Half / c10::BFloat16:
/// 16 bits of storage that convert to and from float. Conversion from float rounds to nearest,
/// ties to even (NaN stays NaN); arithmetic on them goes through float. Kernels never compute in
/// these types: they read float16 / bfloat16 tensors as float32 and round each op's result once
/// (docs/architecture.md, "Dtypes").

#include <cmath>
#include <cstdint>
#include <cstring>
#include <iosfwd>

namespace tg {

namespace detail {
inline uint32_t float_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}
inline float bits_float(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}
}  // namespace detail

/// bfloat16: float32's sign and 8-bit exponent, 7 bits of mantissa.
struct BFloat16 {
  uint16_t x = 0;

  BFloat16() = default;
  // NOLINTNEXTLINE(google-explicit-constructor): converts from float as libtorch's does
  BFloat16(float f) : x(round(f)) {}
  // NOLINTNEXTLINE(google-explicit-constructor)
  operator float() const { return detail::bits_float(static_cast<uint32_t>(x) << 16); }

  static BFloat16 from_bits(uint16_t bits) {
    BFloat16 b;
    b.x = bits;
    return b;
  }

 private:
  static uint16_t round(float f) {
    const uint32_t u = detail::float_bits(f);
    if (std::isnan(f)) return static_cast<uint16_t>((u >> 16) | 0x0040u);  // quiet NaN, sign kept
    const uint32_t bias = 0x7FFFu + ((u >> 16) & 1u);                      // ties to even
    return static_cast<uint16_t>((u + bias) >> 16);
  }
};

/// float16 (IEEE binary16): 5-bit exponent, 10-bit mantissa; largest finite value 65504.
struct Half {
  uint16_t x = 0;

  Half() = default;
  // NOLINTNEXTLINE(google-explicit-constructor): converts from float as libtorch's does
  Half(float f) : x(round(f)) {}
  // NOLINTNEXTLINE(google-explicit-constructor)
  operator float() const {
    const uint32_t sign = static_cast<uint32_t>(x & 0x8000u) << 16;
    const uint32_t e = (x >> 10) & 0x1Fu, m = x & 0x3FFu;
    if (e == 0) {  // zero or subnormal: m * 2^-24, exact in float
      const float v = std::ldexp(static_cast<float>(m), -24);
      return sign ? -v : v;
    }
    if (e == 31) return detail::bits_float(sign | 0x7F800000u | (m << 13));  // inf / NaN
    return detail::bits_float(sign | ((e + 112u) << 23) | (m << 13));
  }

  static Half from_bits(uint16_t bits) {
    Half h;
    h.x = bits;
    return h;
  }

 private:
  static uint16_t round(float f) {
    uint32_t u = detail::float_bits(f);
    const auto sign = static_cast<uint16_t>((u >> 16) & 0x8000u);
    u &= 0x7FFFFFFFu;
    if (u > 0x7F800000u) return static_cast<uint16_t>(sign | 0x7E00u);  // NaN
    if (u >= 0x477FF000u) return static_cast<uint16_t>(sign | 0x7C00u);  // >= 65520 rounds to inf
    if (u < 0x38800000u) {  // below 2^-14: a subnormal half (or zero), in units of 2^-24
      const float units = std::nearbyint(std::ldexp(detail::bits_float(u), 24));  // ties to even
      return static_cast<uint16_t>(sign | static_cast<uint16_t>(units));
    }
    uint32_t h = (((u >> 23) - 112u) << 10) | ((u >> 13) & 0x3FFu);
    const uint32_t rest = u & 0x1FFFu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) ++h;  // a carry moves into the exponent
    return static_cast<uint16_t>(sign | h);
  }
};

std::ostream& operator<<(std::ostream& os, BFloat16 v);
std::ostream& operator<<(std::ostream& os, Half v);

}  // namespace tg
