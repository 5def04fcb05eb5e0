// Tensor factories and the random generator (the loops are in kernels/factory.cpp).
#include <cmath>
#include <random>

#include "core/tensor_impl.h"
#include "kernels/copy.h"
#include "kernels/factory.h"

namespace tg {

namespace {

Tensor finish(Tensor t, const TensorOptions& o) {
  if (o.requires_grad()) t.requires_grad_(true);
  return t;
}

template <typename S>
Tensor from_values(const S* data, const Shape& shape, const TensorOptions& o, ScalarType fallback) {
  Tensor t = make_empty(shape, o.has_dtype() ? o.dtype() : fallback);
  kernels::fill_from(t, data);
  return finish(t, o);
}


// The generator: a 64-bit Mersenne Twister, seeded by manual_seed (default seed 0... as PyTorch's
// default is nondeterministic, we use a fixed default for reproducible examples).
std::mt19937_64& generator() {
  static std::mt19937_64 g(5489u);
  return g;
}

}  // namespace

void manual_seed(uint64_t seed) { generator().seed(seed); }

namespace detail {
TensorDataContainer::TensorDataContainer(std::initializer_list<TensorDataContainer> list) : is_scalar_(false) {
  size_t i = 0;
  for (const auto& c : list) {
    if (i == 0) {
      sizes_ = c.sizes_;
      sizes_.insert(0, static_cast<int64_t>(list.size()));
    } else {
      TG_CHECK(c.sizes_ == list.begin()->sizes_,
               "tensor: Expected all sub-lists to have sizes: {} (e.g. {}), but got sub-list {} with sizes: {}",
               to_string(list.begin()->sizes_), "the first", i, to_string(c.sizes_));
    }
    values_.insert(values_.end(), c.values_.begin(), c.values_.end());
    type_ = promote_types(type_, c.type_);
    ++i;
  }
  if (list.size() == 0) sizes_ = Shape({0});
}
}  // namespace detail

Tensor tensor(detail::TensorDataContainer data, const TensorOptions& o) {
  ScalarType fallback = data.scalar_type() == kFloat64 ? get_default_dtype() : data.scalar_type();
  if (data.values().empty()) fallback = get_default_dtype();
  ScalarType dt = o.has_dtype() ? o.dtype() : fallback;
  Tensor t = make_empty(data.sizes(), dt);
  kernels::fill_from_scalars(t, data.values().data());
  return finish(t, o);
}

template <typename T, std::enable_if_t<std::is_arithmetic<T>::value, int>>
Tensor tensor(const std::vector<T>& v, const TensorOptions& o) {
  ScalarType fallback = std::is_floating_point<T>::value ? (std::is_same<T, float>::value ? kFloat32 : get_default_dtype())
                                                        : kInt64;
  return from_values(v.data(), Shape({static_cast<int64_t>(v.size())}), o, fallback);
}
template Tensor tensor<double>(const std::vector<double>&, const TensorOptions&);
template Tensor tensor<float>(const std::vector<float>&, const TensorOptions&);
template Tensor tensor<int64_t>(const std::vector<int64_t>&, const TensorOptions&);
template Tensor tensor<int>(const std::vector<int>&, const TensorOptions&);

Tensor from_blob_copy(const void* data, IntArrayRef shape, ScalarType dtype, const TensorOptions& o) {
  Shape s(shape);
  return dispatch_all(dtype, [&](auto tag) {
    using T = decltype(tag);
    return from_values(static_cast<const T*>(data), s, o, dtype);
  });
}

Tensor scalar_tensor(const Scalar& s, const TensorOptions& o) {
  Tensor t = make_empty(Shape(), o.has_dtype() ? o.dtype() : (s.is_floating_point() ? get_default_dtype() : s.type()));
  kernels::fill(t, s);
  return finish(t, o);
}

Tensor empty(IntArrayRef size, const TensorOptions& o) { return finish(make_empty(Shape(size), o.dtype()), o); }
Tensor full(IntArrayRef size, const Scalar& v, const TensorOptions& o) {
  ScalarType dt = o.has_dtype() ? o.dtype() : (v.is_floating_point() ? get_default_dtype() : v.type());
  Tensor t = make_empty(Shape(size), dt);
  kernels::fill(t, v);
  return finish(t, o);
}
Tensor zeros(IntArrayRef size, const TensorOptions& o) { return full(size, 0.0, o.dtype(o.dtype())); }
Tensor ones(IntArrayRef size, const TensorOptions& o) { return full(size, 1.0, o.dtype(o.dtype())); }

namespace {
TensorOptions like(const Tensor& t, const TensorOptions& o) { return o.has_dtype() ? o : o.dtype(t.dtype()); }
}  // namespace
Tensor empty_like(const Tensor& t, const TensorOptions& o) { return empty(t.sizes(), like(t, o)); }
Tensor zeros_like(const Tensor& t, const TensorOptions& o) { return zeros(t.sizes(), like(t, o)); }
Tensor ones_like(const Tensor& t, const TensorOptions& o) { return ones(t.sizes(), like(t, o)); }
Tensor full_like(const Tensor& t, const Scalar& v, const TensorOptions& o) { return full(t.sizes(), v, like(t, o)); }

Tensor rand(IntArrayRef size, const TensorOptions& o) {
  ScalarType dt = o.dtype();
  Tensor t = make_empty(Shape(size), dt);
  kernels::fill_uniform(t, generator(), "rand");
  return finish(t, o);
}

Tensor randn(IntArrayRef size, const TensorOptions& o) {
  ScalarType dt = o.dtype();
  Tensor t = make_empty(Shape(size), dt);
  kernels::fill_normal(t, generator(), "randn");
  return finish(t, o);
}

Tensor randn_like(const Tensor& t, const TensorOptions& o) { return randn(t.sizes(), like(t, o)); }
Tensor rand_like(const Tensor& t, const TensorOptions& o) { return rand(t.sizes(), like(t, o)); }

Tensor randint(int64_t low, int64_t high, IntArrayRef size, const TensorOptions& o) {
  TG_CHECK(low < high, "random_ expects 'from' to be less than 'to', but got from={} >= to={}", low, high);
  ScalarType dt = o.dtype();
  Tensor t = make_empty(Shape(size), dt);
  kernels::fill_randint(t, low, static_cast<uint64_t>(high - low), generator());
  return finish(t, o);
}
Tensor randint(int64_t high, IntArrayRef size, const TensorOptions& o) { return randint(0, high, size, o); }

Tensor randperm(int64_t n, const TensorOptions& o) {
  TG_CHECK(n >= 0, "randperm: n must be non-negative, got {}", n);
  std::vector<int64_t> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[i] = i;
  for (int64_t i = n - 1; i > 0; --i) std::swap(v[i], v[generator()() % static_cast<uint64_t>(i + 1)]);
  return from_values(v.data(), Shape({n}), o, kInt64);
}

Tensor arange(const Scalar& end, const TensorOptions& o) { return arange(0, end, 1, o); }
Tensor arange(const Scalar& start, const Scalar& end, const TensorOptions& o) { return arange(start, end, 1, o); }
Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, const TensorOptions& o) {
  double s = start.to_double(), e = end.to_double(), st = step.to_double();
  TG_CHECK(st != 0, "arange: step must be nonzero");
  TG_CHECK((st > 0 && e >= s) || (st < 0 && e <= s), "arange: upper bound and larger bound inconsistent with step sign "
           "(start {}, end {}, step {})", s, e, st);
  bool all_int = !start.is_floating_point() && !end.is_floating_point() && !step.is_floating_point();
  ScalarType dt = o.has_dtype() ? o.dtype() : (all_int ? kInt64 : get_default_dtype());
  int64_t n = static_cast<int64_t>(std::ceil((e - s) / st));
  Tensor t = make_empty(Shape({n}), dt);
  kernels::fill_arange(t, s, st);
  return finish(t, o);
}

Tensor linspace(const Scalar& start, const Scalar& end, int64_t steps, const TensorOptions& o) {
  TG_CHECK(steps >= 0, "linspace: number of steps must be non-negative, got {}", steps);
  double s = start.to_double(), e = end.to_double();
  ScalarType dt = o.dtype();
  Tensor t = make_empty(Shape({steps}), dt);
  kernels::fill_linspace(t, s, e);
  return finish(t, o);
}

Tensor eye(int64_t n, const TensorOptions& o) { return eye(n, n, o); }
Tensor eye(int64_t n, int64_t m, const TensorOptions& o) {
  TG_CHECK(n >= 0 && m >= 0, "eye: n and m must be non-negative, got {} and {}", n, m);
  Tensor t = zeros({n, m}, o.dtype(o.dtype()));
  kernels::fill_eye(t);
  return finish(t, o);
}

}  // namespace tg
