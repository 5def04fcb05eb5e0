#include "tensorgrad/nn/init.h"

#include <cmath>

#include "tensorgrad/autograd/grad_mode.h"

namespace tg {
namespace nn {
namespace init {

double calculate_gain(Nonlinearity n, double param) {
  switch (n) {
    case Nonlinearity::Linear:
    case Nonlinearity::Conv1D:
    case Nonlinearity::Conv2D:
    case Nonlinearity::Conv3D:
    case Nonlinearity::Sigmoid: return 1.0;
    case Nonlinearity::Tanh: return 5.0 / 3.0;
    case Nonlinearity::ReLU: return std::sqrt(2.0);
    case Nonlinearity::LeakyReLU: return std::sqrt(2.0 / (1 + param * param));
    case Nonlinearity::SELU: return 3.0 / 4.0;
  }
  return 1.0;
}

std::tuple<int64_t, int64_t> _calculate_fan_in_and_fan_out(const Tensor& t) {
  TG_CHECK(t.dim() >= 2,
           "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (got shape {})",
           to_string(t.sizes()));
  int64_t receptive = 1;
  for (int64_t d = 2; d < t.dim(); ++d) receptive *= t.size(d);
  return {t.size(1) * receptive, t.size(0) * receptive};
}

namespace {
void fill_from(Tensor& t, const Tensor& values) {
  NoGradGuard g;
  t.copy_(values);
}
int64_t fan(const Tensor& t, FanMode mode) {
  auto [in, out] = _calculate_fan_in_and_fan_out(t);
  return mode == FanMode::FanIn ? in : out;
}
}  // namespace

Tensor uniform_(Tensor t, double a, double b) {
  TG_CHECK(a <= b, "uniform_: expects a <= b, but found a={} > b={}", a, b);
  fill_from(t, rand(t.sizes(), dtype(t.dtype())) * (b - a) + a);
  return t;
}

Tensor normal_(Tensor t, double mean, double std) {
  TG_CHECK(std >= 0, "normal_: expects std >= 0.0, but found std {}", std);
  fill_from(t, randn(t.sizes(), dtype(t.dtype())) * std + mean);
  return t;
}

Tensor constant_(Tensor t, const Scalar& v) {
  NoGradGuard g;
  t.fill_(v);
  return t;
}
Tensor zeros_(Tensor t) { return constant_(t, 0); }
Tensor ones_(Tensor t) { return constant_(t, 1); }

Tensor xavier_uniform_(Tensor t, double gain) {
  auto [in, out] = _calculate_fan_in_and_fan_out(t);
  double a = gain * std::sqrt(6.0 / static_cast<double>(in + out));
  return uniform_(t, -a, a);
}

Tensor xavier_normal_(Tensor t, double gain) {
  auto [in, out] = _calculate_fan_in_and_fan_out(t);
  return normal_(t, 0, gain * std::sqrt(2.0 / static_cast<double>(in + out)));
}

Tensor kaiming_uniform_(Tensor t, double a, FanMode mode, Nonlinearity nl) {
  if (t.dim() >= 2 && t.numel() == 0) return t;  // a no-op, as PyTorch (Linear(0, n) is valid)
  int64_t f = fan(t, mode);
  TG_CHECK(f > 0, "kaiming_uniform_: cannot initialise a tensor with zero elements (shape {})", to_string(t.sizes()));
  double bound = calculate_gain(nl, a) * std::sqrt(3.0 / static_cast<double>(f));
  return uniform_(t, -bound, bound);
}

Tensor kaiming_normal_(Tensor t, double a, FanMode mode, Nonlinearity nl) {
  if (t.dim() >= 2 && t.numel() == 0) return t;  // a no-op, as PyTorch (Linear(0, n) is valid)
  int64_t f = fan(t, mode);
  TG_CHECK(f > 0, "kaiming_normal_: cannot initialise a tensor with zero elements (shape {})", to_string(t.sizes()));
  return normal_(t, 0, calculate_gain(nl, a) / std::sqrt(static_cast<double>(f)));
}

}  // namespace init
}  // namespace nn
}  // namespace tg
