// Losses, composed from differentiable ops (so they need no backward code and have exact second
// derivatives); the numerically delicate parts use the stable primitives (log_softmax,
// logsigmoid).
#include "tensorgrad/ops/loss.h"

#include "ops/op_util.h"
#include "tensorgrad/ops/activation.h"

namespace tg {

namespace {

Tensor reduce(const Tensor& loss, int64_t reduction, const char* fn) {
  switch (reduction) {
    case Reduction::None: return loss;
    case Reduction::Mean: return loss.mean();
    case Reduction::Sum: return loss.sum();
  }
  TG_ERROR("{}: {} is not a valid value for reduction (use tg::Reduction::None, Mean or Sum)", fn, reduction);
}

void check_same_shape(const Tensor& input, const Tensor& target, const char* fn) {
  TG_CHECK(input.defined() && target.defined(), "{}: input and target must be defined", fn);
  TG_CHECK(input.sizes().equals(target.sizes()),
           "{}: Using a target size ({}) that is different to the input size ({}) is not supported; the shapes must "
           "match (input {}, target {})",
           fn, to_string(target.sizes()), to_string(input.sizes()), describe(input), describe(target));
}

void check_float(const Tensor& t, const char* what, const char* fn) {
  TG_CHECK(t.is_floating_point(), "{}: expected {} to be a floating-point tensor, got {}", fn, what, describe(t));
}

void check_reduction(int64_t reduction, const char* fn) {
  TG_CHECK(reduction >= 0 && reduction <= 2,
           "{}: {} is not a valid value for reduction (use tg::Reduction::None, Mean or Sum)", fn, reduction);
}

}  // namespace

Tensor mse_loss(const Tensor& input, const Tensor& target, int64_t reduction) {
  check_reduction(reduction, "mse_loss");
  check_same_shape(input, target, "mse_loss");
  Tensor d = input - target;
  return reduce(d * d, reduction, "mse_loss");
}

Tensor l1_loss(const Tensor& input, const Tensor& target, int64_t reduction) {
  check_reduction(reduction, "l1_loss");
  check_same_shape(input, target, "l1_loss");
  return reduce(abs(input - target), reduction, "l1_loss");
}

Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, int64_t reduction, double beta) {
  check_reduction(reduction, "smooth_l1_loss");
  check_same_shape(input, target, "smooth_l1_loss");
  TG_CHECK(beta >= 0, "smooth_l1_loss does not support negative values for beta (got {})", beta);
  Tensor d = input - target;
  if (beta == 0) return reduce(abs(d), reduction, "smooth_l1_loss");
  Tensor ad = abs(d);
  return reduce(where(ad < beta, d * d * (0.5 / beta), ad - 0.5 * beta), reduction, "smooth_l1_loss");
}

Tensor huber_loss(const Tensor& input, const Tensor& target, int64_t reduction, double delta) {
  check_reduction(reduction, "huber_loss");
  check_same_shape(input, target, "huber_loss");
  TG_CHECK(delta > 0, "huber_loss does not support non-positive values for delta (got {})", delta);
  Tensor d = input - target;
  Tensor ad = abs(d);
  return reduce(where(ad <= delta, d * d * 0.5, (ad - 0.5 * delta) * delta), reduction, "huber_loss");
}

Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t reduction) {
  const char* fn = "binary_cross_entropy";
  check_reduction(reduction, fn);
  check_same_shape(input, target, fn);
  check_float(input, "input", fn);
  {
    NoGradGuard ng;
    TG_CHECK(all((input >= 0.0) & (input <= 1.0)).item<bool>(),
             "binary_cross_entropy: all elements of input should be between 0 and 1 (input {})", describe(input));
  }
  Tensor loss = -(target * clamp_min(log(input), -100) + (1 - target) * clamp_min(log(1 - input), -100));
  if (weight.defined()) loss = loss * weight;
  return reduce(loss, reduction, fn);
}

Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target, const Tensor& weight,
                                        const Tensor& pos_weight, int64_t reduction) {
  const char* fn = "binary_cross_entropy_with_logits";
  check_reduction(reduction, fn);
  check_same_shape(input, target, fn);
  check_float(input, "input", fn);
  // (1 - t) x - log_weight * logsigmoid(x), log_weight = 1 + (pos_weight - 1) t
  Tensor ls = logsigmoid(input);
  Tensor loss = pos_weight.defined() ? (1 - target) * input - (1 + (pos_weight - 1) * target) * ls
                                     : (1 - target) * input - ls;
  if (weight.defined()) loss = loss * weight;
  return reduce(loss, reduction, fn);
}

namespace {

// Flattens [N, C, d1, ...] to [N*d1*..., C] and the target to [N*d1*...]; [C] to [1, C].
std::pair<Tensor, Tensor> flatten_classes(const Tensor& input, const Tensor& target, const char* fn) {
  int64_t nd = input.dim();
  TG_CHECK(nd >= 1, "{}: input must have at least 1 dimension (got {})", fn, describe(input));
  if (nd == 1) {
    TG_CHECK(target.dim() == 0, "{}: for a 1-D input of {} classes the target must be a 0-dim tensor, got {}", fn,
             input.size(0), describe(target));
    return {input.unsqueeze(0), target.reshape({1})};
  }
  TG_CHECK(target.dim() == nd - 1, "{}: expected target of {} dims for input {} (got target {})", fn, nd - 1,
           describe(input), describe(target));
  TG_CHECK(target.size(0) == input.size(0),
           "{}: Expected input batch_size ({}) to match target batch_size ({}).", fn, input.size(0), target.size(0));
  for (int64_t d = 2; d < nd; ++d)
    TG_CHECK(target.size(d - 1) == input.size(d), "{}: size mismatch (got input: {}, target: {})", fn,
             to_string(input.sizes()), to_string(target.sizes()));
  if (nd == 2) return {input, target};
  Shape perm;
  perm.push_back(0);
  for (int64_t d = 2; d < nd; ++d) perm.push_back(d);
  perm.push_back(1);
  return {input.permute(perm).reshape({-1, input.size(1)}), target.reshape({-1})};
}

}  // namespace

Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t reduction,
                int64_t ignore_index) {
  const char* fn = "nll_loss";
  check_reduction(reduction, fn);
  check_float(input, "input", fn);
  TG_CHECK(target.dtype() == kInt64, "{}: expected target of dtype int64 (class indices), got {}", fn, describe(target));
  auto [x, t] = flatten_classes(input, target, fn);
  int64_t C = x.size(1);
  if (weight.defined())
    TG_CHECK(weight.dim() == 1 && weight.numel() == C,
             "{}: weight tensor should be defined either for all {} classes or no classes but got weight tensor of "
             "shape: {}", fn, C, to_string(weight.sizes()));
  Tensor valid = t != ignore_index;
  {
    std::vector<int64_t> tv = t.tolist<int64_t>();
    for (int64_t v : tv)
      TG_CHECK(v == ignore_index || (v >= 0 && v < C), "{}: Target {} is out of bounds (the input has {} classes).",
               fn, v, C);
  }
  Tensor safe_t = where(valid, t, zeros_like(t));
  Tensor picked = -x.gather(1, safe_t.unsqueeze(1)).squeeze(1);
  Tensor w = valid.to(x.dtype());
  if (weight.defined()) w = w * weight.to(x.dtype()).index_select(0, safe_t);
  Tensor loss = picked * w;
  if (reduction == Reduction::None) return input.dim() == 1 ? loss.reshape(IntArrayRef()) : loss.reshape(target.sizes());
  if (reduction == Reduction::Sum) return loss.sum();
  return loss.sum() / w.sum();
}

Tensor cross_entropy_loss(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t reduction,
                          int64_t ignore_index, double label_smoothing) {
  const char* fn = "cross_entropy";
  check_reduction(reduction, fn);
  check_float(input, "input", fn);
  TG_CHECK(label_smoothing >= 0.0 && label_smoothing <= 1.0,
           "{}: label_smoothing must be between 0.0 and 1.0. Got: {}", fn, label_smoothing);
  int64_t class_dim = input.dim() == 1 ? 0 : 1;
  int64_t C = input.size(class_dim);
  Tensor logp = log_softmax(input, class_dim);
  if (target.is_floating_point()) {
    // class probabilities
    check_same_shape(input, target, fn);
    Tensor t = label_smoothing > 0 ? target * (1 - label_smoothing) + label_smoothing / static_cast<double>(C) : target;
    Tensor wl = logp * t;
    if (weight.defined()) {
      Shape s(static_cast<size_t>(input.dim()), 1);
      s[class_dim] = C;
      wl = wl * weight.reshape(s);
    }
    Tensor loss = -wl.sum(class_dim);
    if (reduction == Reduction::Mean) return input.dim() == 1 ? loss : loss.sum() / static_cast<double>(loss.numel());
    return reduce(loss, reduction, fn);
  }
  Tensor nll = nll_loss(logp, target, weight, reduction, ignore_index);
  if (label_smoothing == 0) return nll;
  auto [x, t] = flatten_classes(logp, target, fn);
  Tensor valid = t != ignore_index;
  Tensor smooth = weight.defined() ? -(x * weight.to(x.dtype())).sum(1) : -x.sum(1);
  smooth = where(valid, smooth, zeros_like(smooth));
  Tensor s;
  if (reduction == Reduction::None) {
    s = input.dim() == 1 ? smooth.reshape(IntArrayRef()) : smooth.reshape(target.sizes());
  } else if (reduction == Reduction::Sum) {
    s = smooth.sum();
  } else {
    Tensor denom;
    if (weight.defined()) {
      Tensor safe_t = where(valid, t, zeros_like(t));
      denom = (weight.to(x.dtype()).index_select(0, safe_t) * valid.to(x.dtype())).sum();
    } else {
      denom = valid.to(x.dtype()).sum();
    }
    s = smooth.sum() / denom;
  }
  return (1 - label_smoothing) * nll + s * (label_smoothing / static_cast<double>(C));
}

Tensor kl_div(const Tensor& input, const Tensor& target, int64_t reduction, bool log_target) {
  const char* fn = "kl_div";
  check_reduction(reduction, fn);
  check_float(input, "input", fn);
  Tensor loss;
  if (log_target) {
    loss = exp(target) * (target - input);
  } else {
    // target * (log target - input), with 0 * log 0 = 0 (and no NaN in the gradient)
    Tensor pos = target > 0.0;
    Tensor safe = where(pos, target, ones_like(target));
    loss = where(pos, target * (log(safe) - input), zeros_like(input * target));
  }
  return reduce(loss, reduction, fn);
}

}  // namespace tg
