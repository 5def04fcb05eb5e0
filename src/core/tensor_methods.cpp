// Tensor methods that forward to the free functions (libtorch offers both spellings).
#include "core/tensor_impl.h"
#include "tensorgrad/ops/activation.h"

namespace tg {

Tensor Tensor::add(const Tensor& o, const Scalar& a) const { return tg::add(*this, o, a); }
Tensor Tensor::add(const Scalar& o, const Scalar& a) const { return tg::add(*this, o, a); }
Tensor Tensor::sub(const Tensor& o, const Scalar& a) const { return tg::sub(*this, o, a); }
Tensor Tensor::sub(const Scalar& o, const Scalar& a) const { return tg::sub(*this, o, a); }
Tensor Tensor::mul(const Tensor& o) const { return tg::mul(*this, o); }
Tensor Tensor::mul(const Scalar& o) const { return tg::mul(*this, o); }
Tensor Tensor::div(const Tensor& o) const { return tg::div(*this, o); }
Tensor Tensor::div(const Scalar& o) const { return tg::div(*this, o); }
Tensor Tensor::neg() const { return tg::neg(*this); }
Tensor Tensor::pow(const Scalar& e) const { return tg::pow(*this, e); }
Tensor Tensor::pow(const Tensor& e) const { return tg::pow(*this, e); }
Tensor Tensor::exp() const { return tg::exp(*this); }
Tensor Tensor::log() const { return tg::log(*this); }
Tensor Tensor::log1p() const { return tg::log1p(*this); }
Tensor Tensor::expm1() const { return tg::expm1(*this); }
Tensor Tensor::sqrt() const { return tg::sqrt(*this); }
Tensor Tensor::abs() const { return tg::abs(*this); }
Tensor Tensor::sin() const { return tg::sin(*this); }
Tensor Tensor::cos() const { return tg::cos(*this); }
Tensor Tensor::square() const { return tg::square(*this); }
Tensor Tensor::sign() const { return tg::sign(*this); }
Tensor Tensor::clamp(std::optional<Scalar> mn, std::optional<Scalar> mx) const { return tg::clamp(*this, mn, mx); }
Tensor Tensor::clamp_min(const Scalar& mn) const { return tg::clamp_min(*this, mn); }
Tensor Tensor::clamp_max(const Scalar& mx) const { return tg::clamp_max(*this, mx); }
Tensor Tensor::sigmoid() const { return tg::sigmoid(*this); }
Tensor Tensor::softmax(int64_t dim, std::optional<ScalarType> dtype) const { return tg::softmax(*this, dim, dtype); }
Tensor Tensor::log_softmax(int64_t dim, std::optional<ScalarType> dtype) const {
  return tg::log_softmax(*this, dim, dtype);
}
Tensor Tensor::erf() const { return tg::erf(*this); }
Tensor Tensor::isnan() const { return tg::isnan(*this); }
Tensor Tensor::isinf() const { return tg::isinf(*this); }
Tensor Tensor::isfinite() const { return tg::isfinite(*this); }
Tensor Tensor::masked_fill(const Tensor& mask, const Scalar& value) const { return tg::masked_fill(*this, mask, value); }
Tensor Tensor::tanh() const { return tg::tanh(*this); }
Tensor Tensor::relu() const { return tg::relu(*this); }
Tensor Tensor::eq(const Tensor& o) const { return tg::eq(*this, o); }
Tensor Tensor::eq(const Scalar& o) const { return *this == o; }
Tensor Tensor::ne(const Tensor& o) const { return tg::ne(*this, o); }
Tensor Tensor::ne(const Scalar& o) const { return *this != o; }
Tensor Tensor::gt(const Tensor& o) const { return tg::gt(*this, o); }
Tensor Tensor::gt(const Scalar& o) const { return *this > o; }
Tensor Tensor::ge(const Tensor& o) const { return tg::ge(*this, o); }
Tensor Tensor::ge(const Scalar& o) const { return *this >= o; }
Tensor Tensor::lt(const Tensor& o) const { return tg::lt(*this, o); }
Tensor Tensor::lt(const Scalar& o) const { return *this < o; }
Tensor Tensor::le(const Tensor& o) const { return tg::le(*this, o); }
Tensor Tensor::le(const Scalar& o) const { return *this <= o; }
Tensor Tensor::maximum(const Tensor& o) const { return tg::maximum(*this, o); }
Tensor Tensor::minimum(const Tensor& o) const { return tg::minimum(*this, o); }

Tensor Tensor::sum(std::optional<ScalarType> dt) const { return tg::sum(*this, dt); }
Tensor Tensor::sum(IntArrayRef d, bool k, std::optional<ScalarType> dt) const { return tg::sum(*this, d, k, dt); }
Tensor Tensor::mean(std::optional<ScalarType> dt) const { return tg::mean(*this, dt); }
Tensor Tensor::mean(IntArrayRef d, bool k, std::optional<ScalarType> dt) const { return tg::mean(*this, d, k, dt); }
Tensor Tensor::max() const { return tg::max(*this); }
std::tuple<Tensor, Tensor> Tensor::max(int64_t d, bool k) const { return tg::max(*this, d, k); }
Tensor Tensor::min() const { return tg::min(*this); }
std::tuple<Tensor, Tensor> Tensor::min(int64_t d, bool k) const { return tg::min(*this, d, k); }
Tensor Tensor::argmax(std::optional<int64_t> d, bool k) const { return tg::argmax(*this, d, k); }
Tensor Tensor::argmin(std::optional<int64_t> d, bool k) const { return tg::argmin(*this, d, k); }
Tensor Tensor::norm(const Scalar& p) const { return tg::norm(*this, p); }
Tensor Tensor::norm(const Scalar& p, IntArrayRef d, bool k) const { return tg::norm(*this, p, d, k); }
Tensor Tensor::var_all(bool u) const { return tg::var(*this, IntArrayRef{}, u, false); }
Tensor Tensor::var(IntArrayRef d, bool u, bool k) const { return tg::var(*this, d, u, k); }
Tensor Tensor::std_all(bool u) const { return tg::sqrt(var_all(u)); }
Tensor Tensor::std(IntArrayRef d, bool u, bool k) const { return tg::std(*this, d, u, k); }


Tensor Tensor::gather(int64_t d, const Tensor& i) const { return tg::gather(*this, d, i); }
Tensor Tensor::scatter(int64_t d, const Tensor& i, const Tensor& s) const { return tg::scatter(*this, d, i, s); }
Tensor Tensor::scatter(int64_t d, const Tensor& i, const Scalar& v) const { return tg::scatter(*this, d, i, v); }
Tensor Tensor::scatter_add(int64_t d, const Tensor& i, const Tensor& s) const { return tg::scatter_add(*this, d, i, s); }
Tensor Tensor::index_select(int64_t d, const Tensor& i) const { return tg::index_select(*this, d, i); }
Tensor Tensor::index_add(int64_t d, const Tensor& i, const Tensor& s) const { return tg::index_add(*this, d, i, s); }

}  // namespace tg
