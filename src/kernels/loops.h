#pragma once
// Strided N-d iteration over K operands that share one iteration shape (broadcast operands have
// stride 0). The innermost dimension is handed to `inner` as one run, so that contiguous runs
// compile to tight (vectorisable) loops.
#include <array>
#include <cstdint>

#include "tensorgrad/shape.h"

namespace tg {
namespace kernels {

// inner(std::array<int64_t,K> offsets, int64_t n, std::array<int64_t,K> inner_strides)
template <size_t K, typename Inner>
void for_each_run(const Shape& sizes, const std::array<Shape, K>& strides, std::array<int64_t, K> base, Inner&& inner) {
  const size_t nd = sizes.size();
  if (nd == 0) {
    std::array<int64_t, K> zero{};
    inner(base, 1, zero);
    return;
  }
  for (size_t d = 0; d < nd; ++d)
    if (sizes[d] == 0) return;
  const int64_t n_inner = sizes[nd - 1];
  std::array<int64_t, K> inner_strides;
  for (size_t k = 0; k < K; ++k) inner_strides[k] = strides[k][nd - 1];
  int64_t outer = 1;
  for (size_t d = 0; d + 1 < nd; ++d) outer *= sizes[d];
  int64_t idx[kMaxDims] = {};
  std::array<int64_t, K> off = base;
  for (int64_t o = 0; o < outer; ++o) {
    inner(off, n_inner, inner_strides);
    // advance the outer counter (dims nd-2 .. 0)
    for (int64_t d = static_cast<int64_t>(nd) - 2; d >= 0; --d) {
      if (++idx[d] < sizes[d]) {
        for (size_t k = 0; k < K; ++k) off[k] += strides[k][d];
        break;
      }
      for (size_t k = 0; k < K; ++k) off[k] -= strides[k][d] * (sizes[d] - 1);
      idx[d] = 0;
    }
  }
}

// Strides of an operand of shape `s` broadcast to `out` (0 where broadcast).
inline Shape broadcast_strides(const Shape& s, const Shape& st, const Shape& out) {
  Shape r(out.size(), 0);
  size_t off = out.size() - s.size();
  for (size_t i = 0; i < s.size(); ++i) r[off + i] = (s[i] == 1 && out[off + i] != 1) ? 0 : st[i];
  return r;
}

}  // namespace kernels
}  // namespace tg
