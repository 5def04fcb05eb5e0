// Layer functions composed from differentiable ops.
#include "tensorgrad/nn/functional.h"

#include "ops/op_util.h"
#include "tensorgrad/ops/activation.h"

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

namespace {
// The dropouts of ATen's _dropout_impl: a keep mask (per element, or per [sample, channel] for
// the feature forms), applied by scaling (plain) or by the SELU-preserving affine map (alpha).
Tensor dropout_impl(const Tensor& input, double p, bool train, bool feature, bool alpha, const char* fn) {
  TG_CHECK(p >= 0 && p <= 1, "{}: dropout probability has to be between 0 and 1, but got {}", fn, p);
  if (!train || p == 0 || input.numel() == 0) return input;
  if (p == 1) return input * zeros_like(input);
  Shape mask_shape(input.sizes());
  if (feature) {
    TG_CHECK(input.dim() >= 2, "{}: Feature dropout requires at least 2 dimensions in the input, got {}", fn,
             describe(input));
    for (int64_t d = 2; d < input.dim(); ++d) mask_shape[d] = 1;
  }
  Tensor keep = (rand(mask_shape, input.dtype()) >= p).to(input.dtype());
  if (!alpha) return input * (keep * (1.0 / (1.0 - p)));
  // SELU's negative saturation: -lambda * alpha of Klambauer et al. (2017)
  constexpr double saturation = 1.7580993408473766;
  const double a = 1.0 / std::sqrt((saturation * saturation * p + 1) * (1 - p));
  Tensor b = (keep - 1.0) * (saturation * a) + saturation * a * p;
  return input * (keep * a) + b;
}
}  // namespace

Tensor dropout(const Tensor& input, double p, bool train) {
  return dropout_impl(input, p, train, /*feature=*/false, /*alpha=*/false, "dropout");
}
Tensor feature_dropout(const Tensor& input, double p, bool train) {
  return dropout_impl(input, p, train, /*feature=*/true, /*alpha=*/false, "feature_dropout");
}
Tensor alpha_dropout(const Tensor& input, double p, bool train) {
  return dropout_impl(input, p, train, /*feature=*/false, /*alpha=*/true, "alpha_dropout");
}
Tensor feature_alpha_dropout(const Tensor& input, double p, bool train) {
  return dropout_impl(input, p, train, /*feature=*/true, /*alpha=*/true, "feature_alpha_dropout");
}

Tensor batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                  const Tensor& running_var, bool training, double momentum, double eps) {
  const int64_t nd = input.dim();
  TG_CHECK(nd >= 2, "batch_norm: expected an input with a batch and a channel dimension, [N, C, *] (got {}D input of "
           "shape {})", nd, to_string(input.sizes()));
  const int64_t C = input.size(1);
  // statistics over every dim but the channels; parameters broadcast as [1, C, 1, ...]
  Shape dims{0}, bshape{1, C};
  for (int64_t d = 2; d < nd; ++d) {
    dims.push_back(d);
    bshape.push_back(1);
  }
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

Tensor glu(const Tensor& input, int64_t dim) {
  TG_CHECK(input.dim() > 0, "glu: glu does not support scalars because halving size must be even ({})",
           describe(input));
  const int64_t d = dim < 0 ? dim + input.dim() : dim;
  TG_CHECK(d >= 0 && d < input.dim(), "glu: Dimension out of range (expected to be in range of [{}, {}], but got {})",
           -input.dim(), input.dim() - 1, dim);
  TG_CHECK(input.size(d) % 2 == 0, "glu: Halving dimension must be even, but dimension {} is size {} (input {})", d,
           input.size(d), describe(input));
  const int64_t h = input.size(d) / 2;
  return input.narrow(d, 0, h) * sigmoid(input.narrow(d, h, h));
}

Tensor rrelu(const Tensor& input, double lower, double upper, bool training) {
  TG_CHECK(input.is_floating_point(), "rrelu: expected a floating-point input, got {}", describe(input));
  TG_CHECK(lower <= upper, "rrelu: Lower bound should be less than or equal to the upper bound (lower {}, upper {})",
           lower, upper);
  if (!training) return leaky_relu(input, (lower + upper) / 2);
  // x * a with a ~ U(lower, upper) drawn for each x <= 0 and a = 1 elsewhere; the gradient is a
  Tensor slope;
  {
    NoGradGuard g;
    slope = where(input > 0, ones_like(input), empty_like(input).uniform_(lower, upper));
  }
  return input * slope;
}

Tensor one_hot(const Tensor& self, int64_t num_classes) {
  TG_CHECK(self.dtype() == kInt64, "one_hot: one_hot is only applicable to index tensor (got {})", describe(self));
  if (self.numel() == 0) {
    TG_CHECK(num_classes > 0, "one_hot: Can not infer total number of classes from empty tensor ({})", describe(self));
  } else {
    const int64_t lo = self.min().item<int64_t>(), hi = self.max().item<int64_t>();
    TG_CHECK(lo >= 0, "one_hot: Class values must be non-negative (got {})", lo);
    if (num_classes == -1) num_classes = hi + 1;
    TG_CHECK(num_classes > 0 && hi < num_classes,
             "one_hot: Class values must be smaller than num_classes (got class {}, num_classes {})", hi, num_classes);
  }
  Shape shape(self.sizes());
  shape.push_back(num_classes);
  Tensor out = zeros(shape, kInt64);
  return self.numel() > 0 ? out.scatter(-1, self.unsqueeze(-1), 1) : out;
}

namespace {
// Note [Padding as indexing]: a reflect / replicate / circular pad of dim d is index_select with
// the source position of every output position j in [-left, size + right), so that its gradient
// (index_add of the incoming gradient) and second derivative come from index_select's rules.
Tensor pad_by_index(const Tensor& x, int64_t dim, int64_t left, int64_t right, const std::string& mode) {
  const int64_t n = x.size(dim);
  std::vector<int64_t> src;
  src.reserve(static_cast<size_t>(std::max<int64_t>(n + left + right, 0)));
  if (mode == "circular") {
    // as PyTorch: negative pads crop first, and the positive ones wrap around what is left
    const int64_t start = std::max<int64_t>(-left, 0), m = n - start - std::max<int64_t>(-right, 0);
    for (int64_t k = -std::max<int64_t>(left, 0); k < m + std::max<int64_t>(right, 0); ++k)
      src.push_back(start + ((k % m) + m) % m);
    return x.index_select(dim, tensor(src, kInt64));
  }
  for (int64_t j = -left; j < n + right; ++j) {
    int64_t i = j;
    if (mode == "reflect") i = j < 0 ? -j : (j >= n ? 2 * (n - 1) - j : j);
    else i = std::min(std::max<int64_t>(j, 0), n - 1);  // replicate
    src.push_back(i);
  }
  return x.index_select(dim, tensor(src, kInt64));
}
}  // namespace

Tensor constant_pad_nd(const Tensor& self, IntArrayRef pad, const Scalar& value) {
  TG_CHECK(pad.size() % 2 == 0, "constant_pad_nd: Length of pad must be even but instead it equals {}", pad.size());
  const int64_t nd = self.dim(), npad = static_cast<int64_t>(pad.size()) / 2;
  TG_CHECK(npad <= nd,
           "constant_pad_nd: Length of pad should be no more than twice the number of dimensions of the input. Pad "
           "length is {} while the input has {} dimensions (input {})",
           pad.size(), nd, describe(self));
  for (int64_t k = 0; k < npad; ++k) {
    const int64_t d = nd - 1 - k, l = pad[2 * k], r = pad[2 * k + 1];
    TG_CHECK(self.size(d) + l + r >= 0,
             "constant_pad_nd: The input size {}, plus negative padding {} and {} resulted in a negative output size, "
             "which is invalid. Check dimension {} of your input.",
             self.size(d), l, r, d);
  }
  Tensor out = self;
  for (int64_t k = 0; k < npad; ++k) {
    const int64_t d = nd - 1 - k, l = pad[2 * k], r = pad[2 * k + 1];
    if (l < 0) out = out.narrow(d, -l, out.size(d) + l);
    if (r < 0) out = out.narrow(d, 0, out.size(d) + r);
    std::vector<Tensor> parts;
    auto filler = [&](int64_t width) {
      Shape s(out.sizes());
      s[static_cast<size_t>(d)] = width;
      return full(s, value, out.options().requires_grad(false));
    };
    if (l > 0) parts.push_back(filler(l));
    parts.push_back(out);
    if (r > 0) parts.push_back(filler(r));
    if (parts.size() > 1) out = cat(parts, d);
  }
  return out.is_same(self) ? self.clone() : out;
}

Tensor pad(const Tensor& self, IntArrayRef pad, const std::string& mode, std::optional<double> value) {
  const int64_t nd = self.dim(), n = static_cast<int64_t>(pad.size());
  TG_CHECK(n % 2 == 0, "pad: Padding length must be divisible by 2 (got {})", n);
  TG_CHECK(n <= nd * 2, "pad: Padding length too large (pad of length {} for input {})", n, describe(self));
  if (mode == "constant") return constant_pad_nd(self, pad, value.value_or(0.0));
  TG_CHECK(mode == "reflect" || mode == "replicate" || mode == "circular",
           "pad: Unrecognised padding mode {} (expected constant, reflect, replicate or circular)", mode);
  TG_CHECK(!value.has_value() || *value == 0, "pad: Padding mode \"{}\" doesn't take in value argument", mode);
  const int64_t k = n / 2;  // padded dims: the last k; a batch dim in front is optional (1..3 dims, 2D..5D input)
  TG_CHECK(k >= 1 && k <= 3 && (nd == k + 1 || nd == k + 2),
           "pad: Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now (pad of length {} for "
           "input {}: {} padding needs a {}D or {}D input)",
           n, describe(self), mode, k + 1, k + 2);
  if (mode == "circular")
    TG_CHECK(nd == k + 2, "pad: Invalid padding size, expected {} but got {} (circular padding of input {})",
             2 * (nd - 2), n, describe(self));
  Tensor out = self;
  for (int64_t i = 0; i < k; ++i) {
    const int64_t d = nd - 1 - i, l = pad[2 * i], r = pad[2 * i + 1], size = self.size(d);
    if (mode == "reflect")
      TG_CHECK(l < size && r < size,
               "pad: Argument #4: Padding size should be less than the corresponding input dimension, but got: "
               "padding ({}, {}) at dimension {} of input {}",
               l, r, d, to_string(self.sizes()));
    if (mode == "circular") {
      TG_CHECK(l <= size && r <= size, "pad: Padding value causes wrapping around more than once (padding ({}, {}) at "
               "dimension {} of input {})", l, r, d, to_string(self.sizes()));
      TG_CHECK(size + std::min<int64_t>(l, 0) + std::min<int64_t>(r, 0) > 0, "pad: Negative padding value is resulting in an empty dimension (padding ({}, {}) "
               "at dimension {} of input {})", l, r, d, to_string(self.sizes()));
    }
    TG_CHECK(size + l + r >= 1 || mode == "circular",
             "pad: input (size {}) padded by ({}, {}) at dimension {} would have no elements (input {})", size, l, r,
             d, describe(self));
    TG_CHECK(size > 0, "pad: {} padding of an empty dimension {} (input {})", mode, d, describe(self));
    out = pad_by_index(out, d, l, r, mode);
  }
  return out;
}

}  // namespace tg

// ---- F:: losses that are more than a call -------------------------------------------------------

#include "tensorgrad/autograd/grad_mode.h"
#include "tensorgrad/nn/functional/activation.h"
#include "tensorgrad/nn/functional/embedding.h"
#include "tensorgrad/nn/functional/loss.h"
#include "tensorgrad/nn/functional/normalization.h"

namespace tg {
namespace nn {
namespace functional {

Tensor gumbel_softmax(const Tensor& logits, const GumbelSoftmaxFuncOptions& o) {
  TG_CHECK(logits.is_floating_point(), "gumbel_softmax: expected floating-point logits, got {}", describe(logits));
  Tensor gumbels;
  {
    NoGradGuard g;
    // E = -log(U) ~ Exp(1) with U uniform in (0, 1]; the Gumbel noise is -log(E)
    Tensor u = 1.0 - rand_like(logits);
    gumbels = -log(-log(u));
  }
  Tensor y_soft = softmax((logits + gumbels) / o.tau(), o.dim());
  if (!o.hard()) return y_soft;
  Tensor index = std::get<1>(y_soft.max(o.dim(), true));
  Tensor y_hard = zeros_like(logits).scatter(o.dim(), index, 1.0);
  return y_hard - y_soft.detach() + y_soft;
}

Tensor normalize(const Tensor& input, NormalizeFuncOptions o) {
  TG_CHECK(input.is_floating_point(), "normalize: expected a floating-point input, got {}", describe(input));
  Tensor denom = input.norm(o.p(), {o.dim()}, true).clamp_min(o.eps()).expand_as(input);
  Tensor out = input / denom;
  if (!o.out()) return out;
  Tensor dst = *o.out();
  if (dst.sizes() != out.sizes()) dst.resize_(out.sizes());
  dst.copy_(out);
  return dst;
}

Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var,
                  const BatchNormFuncOptions& o) {
  TG_CHECK(o.momentum().has_value(),
           "batch_norm: momentum must be a number in the functional form (a cumulative average needs the "
           "module's num_batches_tracked)");
  if (o.training()) {
    int64_t per_channel = input.dim() >= 2 && input.size(1) > 0 ? input.numel() / input.size(1) : input.numel();
    TG_CHECK(per_channel > 1, "batch_norm: Expected more than 1 value per channel when training, got input size {}",
             to_string(input.sizes()));
  }
  return tg::batch_norm(input, o.weight(), o.bias(), running_mean, running_var, o.training(), *o.momentum(), o.eps());
}

Tensor embedding(const Tensor& input, const Tensor& weight, const EmbeddingFuncOptions& o) {
  TG_CHECK(!o.sparse(), "embedding: sparse gradients are not supported by tensorgrad (sparse=true)");
  TG_CHECK(weight.dim() == 2, "embedding: weight must be 2-D, got {}", describe(weight));
  std::optional<int64_t> pad = o.padding_idx();
  if (pad) {
    if (*pad > 0) TG_CHECK(*pad < weight.size(0), "embedding: Padding_idx must be within num_embeddings");
    if (*pad < 0) {
      TG_CHECK(*pad >= -weight.size(0), "embedding: Padding_idx must be within num_embedding");
      pad = weight.size(0) + *pad;
    }
  }
  if (o.max_norm()) {
    // embedding_renorm_: every row looked up whose norm exceeds max_norm is scaled down to it
    NoGradGuard g;
    Tensor rows = tg::embedding(weight, input).reshape({-1, weight.size(1)});  // also checks the indices
    Tensor idx = input.reshape({-1});
    Tensor norms = rows.norm(o.norm_type(), {1}, true);
    Tensor scale = where(norms > *o.max_norm(), *o.max_norm() / (norms + 1e-7), ones_like(norms));
    Tensor w = weight;
    w.index_put_({idx}, rows * scale);
  }
  Tensor out = tg::embedding(weight, input);
  if (pad) {
    // the padding row's lookups pass no gradient back
    Tensor at_pad = (input == *pad).unsqueeze(-1);
    out = where(at_pad, out.detach(), out);
  }
  if (o.scale_grad_by_freq() && input.numel() > 0) {
    // same values; each lookup's gradient divided by how often its row occurs in `input`
    Tensor flat = input.reshape({-1});
    Tensor counts = zeros({weight.size(0)}, weight.dtype()).index_put({flat}, ones({flat.numel()}, weight.dtype()), true);
    Tensor freq = counts.index_select(0, flat).reshape(input.sizes()).unsqueeze(-1);
    out = out.detach() + (out - out.detach()) / freq;
  }
  return out;
}

namespace {
// dropout2d / dropout3d: a batched input ([N, C, *] of `batched_dim` dims) as it is, any other
// as one sample (a leading dim of 1 added for the draw), as libtorch's.
Tensor dropout_nd(const Tensor& input, const DropoutFuncOptions& o, int64_t batched_dim) {
  const bool batched = input.dim() == batched_dim;
  Tensor x = batched ? input : input.unsqueeze(0);
  Tensor out = tg::feature_dropout(x, o.p(), o.training());
  if (!batched) out = out.squeeze(0);
  return detail::in_place_if(o.inplace(), input, out);
}
}  // namespace

Tensor dropout2d(const Tensor& input, const Dropout2dFuncOptions& o) { return dropout_nd(input, o, 4); }
Tensor dropout3d(const Tensor& input, const Dropout3dFuncOptions& o) { return dropout_nd(input, o, 5); }

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
Tensor embedding(const Tensor& weight, const Tensor& indices, int64_t padding_idx, bool scale_grad_by_freq,
                 bool sparse) {
  auto options = nn::functional::EmbeddingFuncOptions().scale_grad_by_freq(scale_grad_by_freq).sparse(sparse);
  if (padding_idx >= 0) options.padding_idx(padding_idx);  // F::embedding checks it is a row
  return nn::functional::embedding(indices, weight, options);
}

}  // namespace tg
