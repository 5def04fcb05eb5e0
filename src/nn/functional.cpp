// Layer functions composed from differentiable ops.
#include "tensorgrad/nn/functional.h"

#include "ops/op_util.h"

namespace tg {

Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
  TG_CHECK(weight.defined() && weight.dim() == 2, "linear: weight must be a 2-D tensor, got {}", describe(weight));
  TG_CHECK(input.dim() >= 1 && input.size(-1) == weight.size(1),
           "linear: mat1 and mat2 shapes cannot be multiplied (input {} has {} features, the layer expects {}; "
           "weight {})",
           describe(input), input.dim() >= 1 ? input.size(-1) : 0, weight.size(1), describe(weight));
  Tensor out = matmul(input, weight.t());
  return bias.defined() ? out + bias : out;
}

Tensor dropout(const Tensor& input, double p, bool train) {
  TG_CHECK(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got {}", p);
  if (!train || p == 0) return input;
  if (p == 1) return input * zeros_like(input);
  Tensor keep = (rand_like(input) >= p).to(input.dtype()) * (1.0 / (1.0 - p));
  return input * keep;
}

Tensor var(const Tensor& self, IntArrayRef dim, bool unbiased, bool keepdim) {
  Tensor m = self.mean(dim, true);
  Tensor d = self - m;
  int64_t n = self.numel() / std::max<int64_t>(m.numel(), 1);
  Tensor s = (d * d).sum(dim, keepdim);
  return s / static_cast<double>(std::max<int64_t>(unbiased ? n - 1 : n, 0));
}

Tensor batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                  const Tensor& running_var, bool training, double momentum, double eps) {
  int64_t nd = input.dim();
  TG_CHECK(nd == 2 || nd == 3, "batch_norm: expected 2D or 3D input (got {}D input of shape {})", nd,
           to_string(input.sizes()));
  int64_t C = input.size(1);
  Shape dims = nd == 2 ? Shape({0}) : Shape({0, 2});
  Shape bshape = nd == 2 ? Shape({1, C}) : Shape({1, C, 1});
  auto check_c = [&](const Tensor& t, const char* what) {
    TG_CHECK(!t.defined() || t.numel() == C, "batch_norm: {} should have {} elements (channels), got {}", what, C,
             describe(t));
  };
  check_c(weight, "weight");
  check_c(bias, "bias");
  check_c(running_mean, "running_mean");
  check_c(running_var, "running_var");
  Tensor mean, varb;
  if (training) {
    int64_t count = input.numel() / C;
    TG_CHECK(count > 1, "batch_norm: Expected more than 1 value per channel when training, got input size {}",
             to_string(input.sizes()));
    mean = input.mean(dims, true);
    Tensor d = input - mean;
    varb = (d * d).mean(dims, true);
    if (running_mean.defined() && running_var.defined()) {
      NoGradGuard g;
      Tensor unbiased = varb * (static_cast<double>(count) / static_cast<double>(count - 1));
      running_mean.mul_(1 - momentum).add_(mean.reshape({C}).to(running_mean.dtype()), momentum);
      running_var.mul_(1 - momentum).add_(unbiased.reshape({C}).to(running_var.dtype()), momentum);
    }
  } else {
    TG_CHECK(running_mean.defined() && running_var.defined(),
             "batch_norm: running_mean and running_var must be defined in evaluation mode");
    mean = running_mean.reshape(bshape);
    varb = running_var.reshape(bshape);
  }
  Tensor out = (input - mean) / sqrt(varb + eps);
  if (weight.defined()) out = out * weight.reshape(bshape);
  if (bias.defined()) out = out + bias.reshape(bshape);
  return out;
}

Tensor layer_norm(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight, const Tensor& bias,
                  double eps) {
  int64_t k = static_cast<int64_t>(normalized_shape.size());
  int64_t nd = input.dim();
  bool ok = k >= 1 && k <= nd;
  for (int64_t i = 0; ok && i < k; ++i) ok = input.size(nd - k + i) == normalized_shape[i];
  TG_CHECK(ok, "layer_norm: Given normalized_shape={}, expected input with shape [*, {}], but got input of size {}",
           to_string(normalized_shape), fmt::join(normalized_shape.begin(), normalized_shape.end(), ", "),
           to_string(input.sizes()));
  Shape dims;
  for (int64_t i = nd - k; i < nd; ++i) dims.push_back(i);
  Tensor mean = input.mean(dims, true);
  Tensor d = input - mean;
  Tensor v = (d * d).mean(dims, true);
  Tensor out = d / sqrt(v + eps);
  if (weight.defined()) out = out * weight;
  if (bias.defined()) out = out + bias;
  return out;
}

Tensor embedding(const Tensor& weight, const Tensor& indices) {
  TG_CHECK(weight.dim() == 2, "embedding: weight must be 2-D, got {}", describe(weight));
  TG_CHECK(indices.dtype() == kInt64, "embedding: Expected tensor for argument #1 'indices' to have scalar type int64; "
           "but got {} instead", describe(indices));
  if (indices.numel() > 0) {
    // index_select would wrap a negative index around; an embedding index must be a row number.
    int64_t lo = indices.min().item<int64_t>(), hi = indices.max().item<int64_t>();
    TG_CHECK(lo >= 0 && hi < weight.size(0),
             "embedding: index out of range in self: index {} is not in [0, {}) (the embedding has {} rows)",
             lo < 0 ? lo : hi, weight.size(0), weight.size(0));
  }
  Shape out_shape(indices.sizes());
  out_shape.push_back(weight.size(1));
  return weight.index_select(0, indices.reshape({-1})).reshape(out_shape);
}

}  // namespace tg

// ---- F:: losses that are more than a call -------------------------------------------------------

#include "tensorgrad/nn/functional/loss.h"

namespace tg {
namespace nn {
namespace functional {

Tensor kl_div(const Tensor& input, const Tensor& target, const KLDivFuncOptions& o) {
  const auto& r = o.reduction();
  if (std::holds_alternative<enumtype::kBatchMean>(r)) {
    TG_CHECK(input.dim() >= 1, "kl_div: reduction 'batchmean' needs an input with a batch dimension, got shape {}",
             to_string(input.sizes()));
    return tg::kl_div(input, target, Reduction::Sum, o.log_target()) / static_cast<double>(input.size(0));
  }
  return tg::kl_div(input, target, tg::detail::reduction_of(r), o.log_target());
}

}  // namespace functional
}  // namespace nn
}  // namespace tg
