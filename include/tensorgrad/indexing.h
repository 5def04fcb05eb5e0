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
///     x.index_put_({Slice(), 0}, 5.0);      // x[:, 0] = 5
///
/// Integers select (and remove the dim), slices keep it, None inserts a dim of size 1, "..." (or
/// Ellipsis) stands for every dim not named. One tensor index is supported per call (libtorch
/// also broadcasts several together).

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
