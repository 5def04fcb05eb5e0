#pragma once
/// \file indexing.h
/// Python-style indexing, as libtorch's torch::indexing:
///
///     using namespace tg::indexing;
///     x.index({Slice(), 0})                 // x[:, 0]
///     x.index({"...", Slice(1, None, 2)})   // x[..., 1::2]
///     x.index({None, 1})                    // x[None, 1]
///     x.index({mask})                       // x[mask], mask a bool tensor
///     x.index({idx})                        // x[idx], idx an int64 tensor
///     x.index({rows, Slice(), cols})        // x[rows, :, cols], several index tensors
///     x.index_put_({Slice(), 0}, 5.0);      // x[:, 0] = 5
///     x.index_put_({rows, cols}, v);        // x[rows, cols] = v
///     x.index_put_({rows, cols}, v, true);  // x.index_put_((rows, cols), v, accumulate=True)
///
/// Integers select (and remove the dim), slices keep it, None inserts a dim of size 1, "..." (or
/// Ellipsis) stands for every dim not named. These basic entries give views. Tensor entries are
/// PyTorch's advanced indexing, and give a copy: the int64 index tensors are broadcast together; a
/// bool mask of k dims stands for the k index tensors of its nonzero() coordinates; a bool is a new
/// dim of size 1 indexed by [0] (true) or by nothing (false). The broadcast shape replaces the
/// indexed dims where they are, when they are next to each other, and goes in front otherwise (x[i,
/// :, j] is [n, x.size(1)] for i and j of n elements, x[:, i, j] is [x.size(0), n]). An integer or a
/// 0-dim int64 tensor selects first, as in libtorch, so x[0, :, j] is [x.size(1), n]. The entries
/// after a mask of several dims index the dims after the mask's, numpy's rule (PyTorch applies them
/// one dim after the mask's first dim, pytorch/pytorch#71673).
///
/// index_put_ writes the value, broadcast to the shape x.index(...) would have (leading dims of size
/// 1 of the value are dropped first), at the indexed positions; with tensor indices the value's
/// dtype must be x's (but for one value and a single mask, masked_fill's conversion). With the
/// tensor-list form, x.index_put_({i, j}, v, accumulate) adds instead when accumulate is true
/// (duplicate positions then sum). Both are differentiable w.r.t. x and the value, and recorded as
/// in-place ops (IndexPutBackward0).
#include <cstdint>
#include <optional>

#include "tensorgrad/tensor.h"

namespace tg {
namespace indexing {

/// Python's None in an index: a new dim of size 1.
constexpr std::nullopt_t None = std::nullopt;

struct EllipsisIndexType {};
/// Python's ... in an index.
constexpr EllipsisIndexType Ellipsis{};

/// Python's start:stop:step; each part may be None.
class Slice {
 public:
  Slice(std::optional<int64_t> start = std::nullopt, std::optional<int64_t> stop = std::nullopt,
        std::optional<int64_t> step = std::nullopt)
      : start_(start), stop_(stop), step_(step) {}
  std::optional<int64_t> start() const { return start_; }
  std::optional<int64_t> stop() const { return stop_; }
  int64_t step() const { return step_.value_or(1); }

 private:
  std::optional<int64_t> start_, stop_, step_;
};

/// One entry of an index.
class TensorIndex {
 public:
  enum class Kind { None, Ellipsis, Integer, Boolean, Slice, Tensor };
  TensorIndex(std::nullopt_t) : kind_(Kind::None) {}                     // NOLINT: implicit, as libtorch
  TensorIndex(EllipsisIndexType) : kind_(Kind::Ellipsis) {}              // NOLINT
  TensorIndex(const char* s);                                            // NOLINT: "..." only
  TensorIndex(int64_t i) : kind_(Kind::Integer), integer_(i) {}          // NOLINT
  TensorIndex(int i) : kind_(Kind::Integer), integer_(i) {}              // NOLINT
  TensorIndex(bool b) : kind_(Kind::Boolean), boolean_(b) {}             // NOLINT
  TensorIndex(Slice s) : kind_(Kind::Slice), slice_(s) {}                // NOLINT
  TensorIndex(Tensor t) : kind_(Kind::Tensor), tensor_(std::move(t)) {}  // NOLINT

  Kind kind() const { return kind_; }
  int64_t integer() const { return integer_; }
  bool boolean() const { return boolean_; }
  const Slice& slice() const { return slice_; }
  const Tensor& tensor() const { return tensor_; }

 private:
  Kind kind_;
  int64_t integer_ = 0;
  bool boolean_ = false;
  Slice slice_;
  Tensor tensor_;
};

}  // namespace indexing
}  // namespace tg
