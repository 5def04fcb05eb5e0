// The loops behind the tensor factories.
#include "kernels/factory.h"

#include <algorithm>
#include <cmath>

#include "kernels/copy.h"

namespace tg {
namespace kernels {

namespace {
double uniform01(std::mt19937_64& gen) { return static_cast<double>(gen() >> 11) * (1.0 / 9007199254740992.0); }
}  // namespace

void fill_from_scalars(const Tensor& t, const Scalar* v) {
  dispatch_all(impl_of(t).dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = impl_of(t).data<T>();
    for (int64_t i = 0; i < impl_of(t).numel; ++i) p[i] = scalar_as<T>(v[i]);
  });
}

void fill_uniform(const Tensor& t, std::mt19937_64& gen, const char* fn) {
  if (is_floating_point(impl_of(t).dtype) && needs_compute_cast(impl_of(t).dtype)) {  // float16, bfloat16
    Tensor c = make_empty(impl_of(t).sizes, compute_type(impl_of(t).dtype));
    fill_uniform(c, gen, fn);
    copy_into(t, c);
    return;
  }
  dispatch_float(impl_of(t).dtype, fn, [&](auto tag) {
    using T = decltype(tag);
    T* p = impl_of(t).data<T>();
    for (int64_t i = 0; i < impl_of(t).numel; ++i) p[i] = static_cast<T>(uniform01(gen));
  });
}

void fill_normal(const Tensor& t, std::mt19937_64& gen, const char* fn) {
  if (is_floating_point(impl_of(t).dtype) && needs_compute_cast(impl_of(t).dtype)) {  // float16, bfloat16
    Tensor c = make_empty(impl_of(t).sizes, compute_type(impl_of(t).dtype));
    fill_normal(c, gen, fn);
    copy_into(t, c);
    return;
  }
  dispatch_float(impl_of(t).dtype, fn, [&](auto tag) {
    using T = decltype(tag);
    T* p = impl_of(t).data<T>();
    const int64_t n = impl_of(t).numel;
    // Box-Muller: two uniforms give two independent normals.
    for (int64_t i = 0; i < n; i += 2) {
      double u1 = 1.0 - uniform01(gen), u2 = uniform01(gen);
      double r = std::sqrt(-2.0 * std::log(u1));
      p[i] = static_cast<T>(r * std::cos(2 * M_PI * u2));
      if (i + 1 < n) p[i + 1] = static_cast<T>(r * std::sin(2 * M_PI * u2));
    }
  });
}

void fill_randint(const Tensor& t, int64_t low, uint64_t range, std::mt19937_64& gen) {
  dispatch_all(impl_of(t).dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = impl_of(t).data<T>();
    for (int64_t i = 0; i < impl_of(t).numel; ++i) p[i] = static_cast<T>(low + static_cast<int64_t>(gen() % range));
  });
}

void fill_arange(const Tensor& t, double start, double step) {
  dispatch_all(impl_of(t).dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = impl_of(t).data<T>();
    for (int64_t i = 0; i < impl_of(t).numel; ++i) p[i] = convert<T>(start + step * static_cast<double>(i));
  });
}

void fill_linspace(const Tensor& t, double s, double e) {
  const int64_t steps = impl_of(t).numel;
  dispatch_all(impl_of(t).dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = impl_of(t).data<T>();
    const double step = steps > 1 ? (e - s) / static_cast<double>(steps - 1) : 0.0;
    // symmetric evaluation (as PyTorch) so that the last point is exactly `end`
    const int64_t half = steps == 1 ? 1 : steps / 2;  // a single point is `start`, as PyTorch
    for (int64_t i = 0; i < steps; ++i)
      p[i] = convert<T>(i < half ? s + step * static_cast<double>(i) : e - step * static_cast<double>(steps - 1 - i));
  });
}

void fill_eye(const Tensor& t) {
  const int64_t n = impl_of(t).sizes[0], m = impl_of(t).sizes[1];
  dispatch_all(impl_of(t).dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = impl_of(t).data<T>();
    for (int64_t i = 0; i < std::min(n, m); ++i) p[i * m + i] = static_cast<T>(1);
  });
}

}  // namespace kernels
}  // namespace tg
