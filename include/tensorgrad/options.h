#pragma once
/// \file options.h
/// TensorOptions, as libtorch's: tg::TensorOptions().dtype(tg::kFloat64).requires_grad(true),
/// or the free functions tg::dtype(...) and tg::requires_grad(...).

#include <optional>

#include "tensorgrad/device.h"
#include "tensorgrad/dtype.h"

namespace tg {

class TensorOptions {
 public:
  TensorOptions() = default;
  /* implicit */ TensorOptions(ScalarType t) : dtype_(t) {}
  /* implicit */ TensorOptions(Device d) { check_cpu(d, "TensorOptions"); }
  /* implicit */ TensorOptions(DeviceType d) : TensorOptions(Device(d)) {}

  TensorOptions dtype(ScalarType t) const { TensorOptions o = *this; o.dtype_ = t; return o; }
  TensorOptions requires_grad(bool r) const { TensorOptions o = *this; o.requires_grad_ = r; return o; }
  /// The CPU is the only device; another one is a tg::Error (tensorgrad/device.h).
  TensorOptions device(Device d) const {
    check_cpu(d, "TensorOptions::device");
    return *this;
  }

  /// The dtype, or the default dtype when none was set.
  ScalarType dtype() const { return dtype_ ? *dtype_ : get_default_dtype(); }
  bool has_dtype() const { return dtype_.has_value(); }
  bool requires_grad() const { return requires_grad_; }
  Device device() const { return Device(kCPU); }

 private:
  std::optional<ScalarType> dtype_;
  bool requires_grad_ = false;
};

inline TensorOptions dtype(ScalarType t) { return TensorOptions().dtype(t); }
inline TensorOptions requires_grad(bool r = true) { return TensorOptions().requires_grad(r); }
inline TensorOptions device(Device d) { return TensorOptions().device(d); }

}  // namespace tg
