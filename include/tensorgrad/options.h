#pragma once
/// \file options.h
/// TensorOptions, as libtorch's: tg::TensorOptions().dtype(tg::kFloat64).requires_grad(true),
/// or the free functions tg::dtype(...) and tg::requires_grad(...).

#include <optional>

#include "tensorgrad/dtype.h"

namespace tg {

class TensorOptions {
 public:
  TensorOptions() = default;
  /* implicit */ TensorOptions(ScalarType t) : dtype_(t) {}

  TensorOptions dtype(ScalarType t) const { TensorOptions o = *this; o.dtype_ = t; return o; }
  TensorOptions requires_grad(bool r) const { TensorOptions o = *this; o.requires_grad_ = r; return o; }

  /// The dtype, or the default dtype when none was set.
  ScalarType dtype() const { return dtype_ ? *dtype_ : get_default_dtype(); }
  bool has_dtype() const { return dtype_.has_value(); }
  bool requires_grad() const { return requires_grad_; }

 private:
  std::optional<ScalarType> dtype_;
  bool requires_grad_ = false;
};

inline TensorOptions dtype(ScalarType t) { return TensorOptions().dtype(t); }
inline TensorOptions requires_grad(bool r = true) { return TensorOptions().requires_grad(r); }

}  // namespace tg
