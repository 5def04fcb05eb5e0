#pragma once
/// \file ivalue.h
/// tg::IValue: one value of a few kinds (none, bool, integer, double, string, tensor, and lists of
/// integers, doubles and tensors), as libtorch's c10::IValue holds them. Custom autograd functions
/// keep their non-tensor data in AutogradContext::saved_data, a string -> IValue map:
///
///     ctx->saved_data["n"] = n;                     // forward
///     int64_t n = ctx->saved_data["n"].toInt();     // backward
///
/// Reading a value as another kind is a tg::Error ("Expected Int but got Double").

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "tensorgrad/error.h"
#include "tensorgrad/scalar.h"
#include "tensorgrad/tensor.h"

namespace tg {

class IValue {
 public:
  IValue() = default;                                   ///< None
  IValue(bool v) : v_(v) {}                             // NOLINT: implicit, as libtorch
  IValue(int v) : v_(static_cast<int64_t>(v)) {}        // NOLINT
  IValue(int64_t v) : v_(v) {}                          // NOLINT
  IValue(double v) : v_(v) {}                           // NOLINT
  IValue(const char* v) : v_(std::string(v)) {}         // NOLINT
  IValue(std::string v) : v_(std::move(v)) {}           // NOLINT
  IValue(Tensor v) : v_(std::move(v)) {}                // NOLINT
  IValue(std::vector<int64_t> v) : v_(std::move(v)) {}  // NOLINT
  IValue(std::vector<double> v) : v_(std::move(v)) {}   // NOLINT
  IValue(std::vector<Tensor> v) : v_(std::move(v)) {}   // NOLINT
  IValue(const Scalar& s)                               // NOLINT: an integral Scalar is an Int, a floating one a Double
      : v_(s.is_integral() ? Value(s.to_long()) : Value(s.to_double())) {}

  bool isNone() const { return v_.index() == 0; }
  bool isBool() const { return std::holds_alternative<bool>(v_); }
  bool isInt() const { return std::holds_alternative<int64_t>(v_); }
  bool isDouble() const { return std::holds_alternative<double>(v_); }
  bool isString() const { return std::holds_alternative<std::string>(v_); }
  bool isTensor() const { return std::holds_alternative<Tensor>(v_); }
  bool isIntList() const { return std::holds_alternative<std::vector<int64_t>>(v_); }
  bool isDoubleList() const { return std::holds_alternative<std::vector<double>>(v_); }
  bool isTensorList() const { return std::holds_alternative<std::vector<Tensor>>(v_); }
  bool isScalar() const { return isInt() || isDouble() || isBool(); }

  bool toBool() const { return get<bool>("Bool"); }
  int64_t toInt() const { return get<int64_t>("Int"); }
  double toDouble() const { return get<double>("Double"); }
  const std::string& toStringRef() const { return get<std::string>("String"); }
  const Tensor& toTensor() const { return get<Tensor>("Tensor"); }
  std::vector<int64_t> toIntVector() const { return get<std::vector<int64_t>>("IntList"); }
  std::vector<double> toDoubleVector() const { return get<std::vector<double>>("DoubleList"); }
  std::vector<Tensor> toTensorVector() const { return get<std::vector<Tensor>>("TensorList"); }
  /// An Int, Double or Bool as a Scalar.
  Scalar toScalar() const;

  /// The kind, as libtorch names it: "None", "Bool", "Int", "Double", "String", "Tensor",
  /// "IntList", "DoubleList", "TensorList".
  std::string tagKind() const;

 private:
  using Value = std::variant<std::monostate, bool, int64_t, double, std::string, Tensor, std::vector<int64_t>,
                             std::vector<double>, std::vector<Tensor>>;
  template <typename T> const T& get(const char* kind) const {
    const T* p = std::get_if<T>(&v_);
    TG_CHECK(p != nullptr, "Expected {} but got {}", kind, tagKind());
    return *p;
  }
  Value v_;
};

}  // namespace tg
