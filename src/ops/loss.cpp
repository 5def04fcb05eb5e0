// Losses. mse, smooth_l1, huber, binary_cross_entropy(_with_logits) and nll_loss are ops with
// declared backward rules (libtorch's nodes, and PyTorch's formulas where they differ from the
// derivative of the forward); l1_loss, cross_entropy and kl_div are compositions of ops, as in
// libtorch, and need no backward code.
#include "tensorgrad/ops/loss.h"

#include "kernels/loss.h"
#include "ops/loss_util.h"
#include "ops/op_util.h"
#include "tensorgrad/ops/activation.h"

namespace tg {

using namespace loss_util;  // NOLINT: the shared checks of ops/loss_util.h

namespace {

// The forward of a pointwise loss `f(input - target)`, reduced, computed without a graph.
template <typename F>
Tensor pointwise_loss(const Tensor& input, const Tensor& target, int64_t reduction, F&& f) {
  NoGradGuard no_grad;
  return apply_loss_reduction(f(input - target), reduction);
}

// Records a pointwise loss's node. `dloss(d, g)` is g * f'(d) for d = input - target, where g is
// the incoming gradient (per element for None, else one value, already / numel for Mean); the
// target's gradient is its negation.
template <typename D>
void record_pointwise_loss(const char* node, const Tensor& out, const Tensor& input, const Tensor& target,
                           int64_t reduction, D dloss) {
  record(node, out, inputs(input, target), save(input, target), [reduction, dloss](auto& c) -> Grads {
    auto [x, t] = c.saved();
    Tensor g = reduction == Reduction::Mean ? c.grad() / static_cast<double>(x.numel()) : c.grad();
    Tensor gi = dloss(x - t, g);
    return {c.needs(0) ? gi : Tensor(), c.needs(1) ? -gi : Tensor()};
  });
}

}  // namespace

Tensor mse_loss(const Tensor& input, const Tensor& target, int64_t reduction) {
  check_reduction(reduction, "mse_loss");
  check_same_shape(input, target, "mse_loss");
  Tensor out = pointwise_loss(input, target, reduction, [](const Tensor& d) { return d * d; });
  record_pointwise_loss("MseLossBackward0", out, input, target, reduction,
                        [](const Tensor& d, const Tensor& g) { return 2 * d * g; });
  return out;
}

Tensor l1_loss(const Tensor& input, const Tensor& target, int64_t reduction) {
  check_reduction(reduction, "l1_loss");
  check_same_shape(input, target, "l1_loss");
  return apply_loss_reduction(abs(input - target), reduction);
}

Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, int64_t reduction, double beta) {
  check_reduction(reduction, "smooth_l1_loss");
  check_same_shape(input, target, "smooth_l1_loss");
  TG_CHECK(beta >= 0, "smooth_l1_loss does not support negative values for beta (got {})", beta);
  Tensor out = pointwise_loss(input, target, reduction, [beta](const Tensor& d) {
    Tensor ad = abs(d);
    return beta == 0 ? ad : where(ad < beta, d * d * (0.5 / beta), ad - 0.5 * beta);
  });
  // g d / beta where |d| < beta, g sign(d) elsewhere
  record_pointwise_loss("SmoothL1LossBackward0", out, input, target, reduction, [beta](const Tensor& d, const Tensor& g) {
    return beta == 0 ? sign(d) * g : where(abs(d) < beta, d * g / beta, sign(d) * g);
  });
  return out;
}

Tensor huber_loss(const Tensor& input, const Tensor& target, int64_t reduction, double delta) {
  check_reduction(reduction, "huber_loss");
  check_same_shape(input, target, "huber_loss");
  TG_CHECK(delta > 0, "huber_loss does not support non-positive values for delta (got {})", delta);
  Tensor out = pointwise_loss(input, target, reduction, [delta](const Tensor& d) {
    Tensor ad = abs(d);
    return where(ad <= delta, d * d * 0.5, (ad - 0.5 * delta) * delta);
  });
  // g d where |d| <= delta, g delta sign(d) elsewhere
  record_pointwise_loss("HuberLossBackward0", out, input, target, reduction, [delta](const Tensor& d, const Tensor& g) {
    return where(abs(d) <= delta, d * g, sign(d) * g * delta);
  });
  return out;
}

// Note [binary_cross_entropy's backward is PyTorch's]
// The loss clamps each log at -100, so the derivative of that formula vanishes where a clamp is
// active (x < e^-100, or 1 - x < e^-100) and is infinite at x = 0 and 1. PyTorch does not
// differentiate the clamped formula; its rules are
//   d/dx = g (x - t) / max(x (1 - x), 1e-12f)       d/dt = -logit(x) g
// and, for that first one as an op, d/dg = (x - t) / ((x + eps) (1 - x + eps)),
// d/dx = g gg (x^2 - 2 x t + t) / ((x + eps)^2 (1 - x + eps)^2), d/dt = -g gg / max(x (1 - x), eps)
// (eps = 1e-12; each times weight, and / numel for Mean). So a saturated prediction still gets a
// large, finite gradient. tensorgrad uses the same rules (tests/test_reference_losses.cpp compares
// them with PyTorch at and near 0 and 1); do not replace them by the derivative of the forward.
namespace {

constexpr double kBceEps = 1e-12;
// The first-order rule's clamp is PyTorch's `const float EPSILON = 1e-12` (9.99999996e-13 as a
// double); the second-order rules use the double 1e-12.
constexpr double kBceEpsF = static_cast<double>(1e-12f);

// v * weight, / numel for Mean: what PyTorch applies after each pointwise bce formula.
Tensor bce_scale(Tensor v, const Tensor& weight, int64_t reduction, int64_t numel) {
  if (weight.defined()) v = v * weight;
  if (reduction == Reduction::Mean) v = v / static_cast<double>(numel);
  return v;
}

// g (x - t) / max(x (1 - x), 1e-12), times weight, / numel for Mean: an op, with the rules of the Note.
Tensor binary_cross_entropy_backward(const Tensor& grad, const Tensor& x, const Tensor& t, const Tensor& weight,
                                     int64_t reduction) {
  Tensor out;
  {
    NoGradGuard ng;
    out = bce_scale(grad * (x - t) / clamp_min((1 - x) * x, kBceEpsF), weight, reduction, x.numel());
  }
  record("BinaryCrossEntropyBackwardBackward0", out, inputs(grad, x, t), save(grad, x, t, weight),
         [reduction](auto& c) -> Grads {
           auto [g, xs, ts, w] = c.saved();
           const int64_t n = xs.numel();
           Grads r(3);
           if (c.needs(0)) r[0] = bce_scale((xs - ts) / ((xs + kBceEps) * (1 - xs + kBceEps)) * c.grad(), w, reduction, n);
           if (c.needs(1) || c.needs(2)) {
             Tensor ggg = c.grad() * g;
             if (c.needs(1)) {
               Tensor xe = xs + kBceEps, ye = 1 - xs + kBceEps;
               r[1] = bce_scale((xs * xs - 2 * xs * ts + ts) / ((xe * xe) * (ye * ye)) * ggg, w, reduction, n);
             }
             if (c.needs(2)) {
               Tensor denom;
               {
                 NoGradGuard ng;  // as PyTorch: the clamp is not differentiated
                 denom = clamp_min((1 - xs) * xs, kBceEps);
               }
               r[2] = bce_scale(-ggg, w, reduction, n) / denom;
             }
           }
           return r;
         });
  return out;
}

}  // namespace

Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t reduction) {
  const char* fn = "binary_cross_entropy";
  check_reduction(reduction, fn);
  check_same_shape(input, target, fn);
  check_float(input, "input", fn);
  check_not_differentiable(weight, fn, "weight");
  Tensor out;
  {
    NoGradGuard ng;
    TG_CHECK(all((input >= 0.0) & (input <= 1.0)).item<bool>(),
             "binary_cross_entropy: all elements of input should be between 0 and 1 (input {})", describe(input));
    Tensor loss = -(target * clamp_min(log(input), -100) + (1 - target) * clamp_min(log(1 - input), -100));
    if (weight.defined()) loss = loss * weight;
    out = apply_loss_reduction(loss, reduction);
  }
  record("BinaryCrossEntropyBackward0", out, inputs(input, target), save(input, target, weight),
         [reduction](auto& c) -> Grads {
           auto [x, t, w] = c.saved();
           return {c.needs(0) ? binary_cross_entropy_backward(c.grad(), x, t, w, reduction) : Tensor(),
                   // -logit(x) g
                   c.needs(1) ? bce_scale(-log(x / (1 - x)) * c.grad(), w, reduction, t.numel()) : Tensor()};
         });
  return out;
}

Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target, const Tensor& weight,
                                        const Tensor& pos_weight, int64_t reduction) {
  const char* fn = "binary_cross_entropy_with_logits";
  check_reduction(reduction, fn);
  TG_CHECK(input.defined() && target.defined(), "{}: input and target must be defined", fn);
  TG_CHECK(input.sizes().equals(target.sizes()), "{}: Target size ({}) must be the same as input size ({}) (input {}, target {})",
           fn, to_string(target.sizes()), to_string(input.sizes()), describe(input), describe(target));
  check_float(input, "input", fn);
  check_not_differentiable(weight, fn, "weight");
  check_not_differentiable(pos_weight, fn, "pos_weight");
  // loss = (1 - t) x - lw logsigmoid(x) with lw = 1 + (pos_weight - 1) t: finite for logits of any size
  auto log_weight = [](const Tensor& t, const Tensor& pw) { return pw.defined() ? 1 + (pw - 1) * t : Tensor(); };
  Tensor out;
  {
    NoGradGuard ng;
    Tensor lw = log_weight(target, pos_weight), ls = logsigmoid(input);
    Tensor loss = (1 - target) * input - (lw.defined() ? lw * ls : ls);
    if (weight.defined()) loss = loss * weight;
    out = apply_loss_reduction(loss, reduction);
  }
  // d/dx = (1 - t) - lw sigmoid(-x) = lw sigmoid(x) - pos_weight t;  d/dt = -x - (pos_weight - 1) logsigmoid(x)
  record("BinaryCrossEntropyWithLogitsBackward0", out, inputs(input, target), save(input, target, weight, pos_weight),
         [reduction, log_weight](auto& c) -> Grads {
           auto [x, t, w, pw] = c.saved();
           Tensor g = bce_scale(c.grad(), w, reduction, x.numel());
           Tensor lw = log_weight(t, pw);
           Grads r(2);
           if (c.needs(0)) {
             Tensor s = sigmoid(-x);
             r[0] = ((1 - t) - (lw.defined() ? lw * s : s)) * g;
           }
           if (c.needs(1)) r[1] = (pw.defined() ? -x - (pw - 1) * logsigmoid(x) : -x) * g;
           return r;
         });
  return out;
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

// The input of nll_loss as [N, C, D] (kernels/loss.h), checking the target's shape and dtype.
kernels::NllDims nll_dims(const Tensor& input, const Tensor& target, const Tensor& weight, const char* fn) {
  const int64_t nd = input.dim();
  TG_CHECK(nd >= 1, "{}: input must have at least 1 dimension (got {})", fn, describe(input));
  TG_CHECK(target.dtype() == kInt64, "{}: expected target of dtype int64 (class indices), got {}", fn, describe(target));
  kernels::NllDims d;
  if (nd == 1) {
    TG_CHECK(target.dim() == 0, "{}: for a 1-D input of {} classes the target must be a 0-dim tensor, got {}", fn,
             input.size(0), describe(target));
    d.C = input.size(0);
  } else {
    TG_CHECK(target.dim() == nd - 1, "{}: expected target of {} dims for input {} (got target {})", fn, nd - 1,
             describe(input), describe(target));
    TG_CHECK(target.size(0) == input.size(0),
             "{}: Expected input batch_size ({}) to match target batch_size ({}).", fn, input.size(0), target.size(0));
    for (int64_t k = 2; k < nd; ++k) {
      TG_CHECK(target.size(k - 1) == input.size(k), "{}: size mismatch (got input: {}, target: {})", fn,
               to_string(input.sizes()), to_string(target.sizes()));
      d.D *= input.size(k);
    }
    d.N = input.size(0);
    d.C = input.size(1);
  }
  if (weight.defined())
    TG_CHECK(weight.dim() == 1 && weight.numel() == d.C,
             "{}: weight tensor should be defined either for all {} classes or no classes but got weight tensor of "
             "shape: {}", fn, d.C, to_string(weight.sizes()));
  return d;
}

Tensor nll_impl(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t reduction,
                int64_t ignore_index);

// d nll_loss / d input: -weight[t] g (g / total weight for Mean) at [n, t, d], 0 elsewhere and in
// ignored rows (also when every target is ignored: then PyTorch's Mean is nan, its gradient 0).
//
// Note [nll_loss's backward is an op]
// nll_loss is linear in its input, so its gradient does not depend on the input; but PyTorch's
// second derivative w.r.t. the input is a defined zero tensor (nll_loss_backward takes self),
// not None. nll_loss_backward is therefore an op with its own rule: w.r.t. the incoming gradient
// it is nll_loss again (the adjoint of a linear map), w.r.t. the input a defined zero.
Tensor nll_loss_backward(const Tensor& grad, const Tensor& self, const Tensor& target, const Tensor& weight,
                         int64_t reduction, int64_t ignore_index, double total_weight, const char* node) {
  kernels::NllDims d = nll_dims(self, target, weight, "nll_loss_backward");
  Tensor out = kernels::nll_backward(grad, reduction, total_weight, impl_of(self).sizes, self.dtype(), d, target, weight,
                                     ignore_index);
  record(node, out, inputs(grad, self), save(target, weight), [reduction, ignore_index](auto& c) -> Grads {
    auto [t, w] = c.saved();
    Grads r(2);
    if (c.needs(0)) r[0] = nll_impl(c.grad(), t, w, reduction, ignore_index).reshape(c.input_sizes(0));
    if (c.needs(1)) r[1] = zeros(c.input_sizes(1), TensorOptions().dtype(c.input_dtype(1)));
    return r;
  });
  return out;
}

// The targets are checked once, by the forward kernel; the backward reads them as they were saved.
Tensor nll_impl(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t reduction,
                int64_t ignore_index) {
  const char* fn = "nll_loss";
  kernels::NllDims d = nll_dims(input, target, weight, fn);
  kernels::NllForward f = kernels::nll_forward(input, d, target, weight, ignore_index, fn);
  // As libtorch's nll_loss_nd: inputs of 3 or more dims go through nll_loss2d, and a per-element
  // result of other than 4 dims is a view of that op's result.
  const int64_t nd = input.dim();
  const bool two_d = nd >= 3;
  const bool viewed = reduction == Reduction::None && two_d && nd != 4;
  Tensor out;
  {
    NoGradGuard no_grad;
    if (reduction == Reduction::None) {
      out = f.losses;
      if (!viewed) {
        impl_of(out).sizes = impl_of(target).sizes;
        impl_of(out).strides = contiguous_strides(impl_of(target).sizes);
      }
    } else {
      out = f.losses.sum();
      if (reduction == Reduction::Mean) out = out / f.total_weight;  // nan when every target is ignored, as PyTorch
    }
  }
  const char* node = two_d ? "NllLoss2DBackward0" : "NllLossBackward0";
  const char* backward_node = two_d ? "NllLoss2DBackwardBackward0" : "NllLossBackwardBackward0";
  const double total = f.total_weight;
  record(node, out, inputs(input), save(input, target, weight),
         [reduction, ignore_index, total, backward_node](auto& c) {
           auto [x, t, w] = c.saved();
           return nll_loss_backward(c.grad(), x, t, w, reduction, ignore_index, total, backward_node);
         });
  return viewed ? out.view(target.sizes()) : out;
}

}  // namespace

Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t reduction,
                int64_t ignore_index) {
  const char* fn = "nll_loss";
  check_reduction(reduction, fn);
  check_float(input, "input", fn);
  TG_CHECK(target.dtype() == kInt64, "{}: expected target of dtype int64 (class indices), got {}", fn, describe(target));
  check_not_differentiable(weight, "nll_loss_forward", "weight");
  return nll_impl(input, target, weight, reduction, ignore_index);
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
    if (weight.defined())
      TG_CHECK(weight.dim() == 1 && weight.numel() == C,
               "{}: weight tensor should be defined either for all {} classes or no classes but got weight tensor of "
               "shape: {}", fn, C, to_string(weight.sizes()));
    Tensor t = label_smoothing > 0 ? target * (1 - label_smoothing) + label_smoothing / static_cast<double>(C) : target;
    Tensor wl = logp * t;
    if (weight.defined()) {
      Shape s(static_cast<size_t>(input.dim()), 1);
      s[class_dim] = C;
      wl = wl * weight.reshape(s);
    }
    // as libtorch: the sum over classes, or over everything (divided by the number of samples for Mean)
    if (reduction == Reduction::None) return -wl.sum(class_dim);
    Tensor total = -wl.sum();
    if (reduction == Reduction::Sum) return total;
    return total / static_cast<double>(C == 0 ? 0 : input.numel() / C);
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

Tensor cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t reduction,
                     int64_t ignore_index, double label_smoothing) {
  return cross_entropy_loss(input, target, weight, reduction, ignore_index, label_smoothing);
}

Tensor kl_div(const Tensor& input, const Tensor& target, int64_t reduction, bool log_target) {
  const char* fn = "kl_div";
  check_reduction(reduction, fn);
  check_float(input, "input", fn);
  Tensor loss;
  if (log_target) {
    loss = exp(target) * (target - input);
  } else {
    // xlogy(target, target) - target * input, as libtorch: 0 log 0 = 0 (and no NaN in the gradient)
    Tensor pos = target > 0.0;
    Tensor safe = where(pos, target, ones_like(target));
    loss = where(pos, target * log(safe), zeros_like(target)) - target * input;
  }
  return apply_loss_reduction(loss, reduction);
}

}  // namespace tg
