// Losses, composed from differentiable ops (so they need no backward code and have exact second
// derivatives); the numerically delicate parts use the stable primitives (log_softmax,
// logsigmoid).
#include "tensorgrad/ops/loss.h"

#include "ops/op_util.h"
#include "tensorgrad/ops/activation.h"

namespace tg {

using autograd::Node;
using autograd::SavedVariable;
using autograd::variable_list;
using autograd::compute_requires_grad;
using autograd::record;

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

Tensor binary_cross_entropy_backward(const Tensor& grad, const Tensor& x, const Tensor& t, const Tensor& weight,
                                     int64_t reduction);

struct BinaryCrossEntropyBackwardBackward : Node {  // of binary_cross_entropy_backward(g, x, t)
  SavedVariable grad_, self_, target_;
  Tensor weight;  // not differentiated (as PyTorch)
  int64_t reduction = Reduction::Mean;
  InputMeta grad_meta, self_meta, target_meta;
  variable_list apply(variable_list&& gg) override {
    variable_list r(3);
    Tensor x = self_.unpack(), t = target_.unpack();
    const int64_t n = x.numel();
    if (should_compute_output(0)) {
      Tensor v = (x - t) / ((x + kBceEps) * (1 - x + kBceEps)) * gg[0];
      r[0] = reduce_grad(bce_scale(v, weight, reduction, n), grad_meta);
    }
    if (should_compute_output(1) || should_compute_output(2)) {
      Tensor ggg = gg[0] * grad_.unpack();
      if (should_compute_output(1)) {
        Tensor xe = x + kBceEps, ye = 1 - x + kBceEps;
        Tensor v = (x * x - 2 * x * t + t) / ((xe * xe) * (ye * ye)) * ggg;
        r[1] = reduce_grad(bce_scale(v, weight, reduction, n), self_meta);
      }
      if (should_compute_output(2)) {
        Tensor denom;
        {
          NoGradGuard ng;  // as PyTorch: the clamp is not differentiated
          denom = clamp_min((1 - x) * x, kBceEps);
        }
        r[2] = reduce_grad(bce_scale(-ggg, weight, reduction, n) / denom, target_meta);
      }
    }
    return r;
  }
  void release_variables() override { grad_.reset(); self_.reset(); target_.reset(); }
  std::string name() const override { return "BinaryCrossEntropyBackwardBackward"; }
};

// g (x - t) / max(x (1 - x), 1e-12), times weight, / numel for Mean.
Tensor binary_cross_entropy_backward(const Tensor& grad, const Tensor& x, const Tensor& t, const Tensor& weight,
                                     int64_t reduction) {
  Tensor out;
  {
    NoGradGuard ng;
    out = bce_scale(grad * (x - t) / clamp_min((1 - x) * x, kBceEpsF), weight, reduction, x.numel());
  }
  if (compute_requires_grad(grad, x, t)) {
    auto n = record<BinaryCrossEntropyBackwardBackward>(out, grad, x, t);
    n->grad_ = SavedVariable(grad, false);
    n->self_ = SavedVariable(x, false);
    n->target_ = SavedVariable(t, false);
    n->weight = weight;
    n->reduction = reduction;
    n->grad_meta = InputMeta(grad);
    n->self_meta = InputMeta(x);
    n->target_meta = InputMeta(t);
  }
  return out;
}

struct BinaryCrossEntropyBackward : Node {
  SavedVariable self_, target_;
  Tensor weight;
  int64_t reduction = Reduction::Mean;
  InputMeta self_meta, target_meta;
  variable_list apply(variable_list&& g) override {
    variable_list r(2);
    Tensor x = self_.unpack(), t = target_.unpack();
    if (should_compute_output(0))
      r[0] = reduce_grad(binary_cross_entropy_backward(g[0], x, t, weight, reduction), self_meta);
    if (should_compute_output(1))  // -logit(x) g
      r[1] = reduce_grad(bce_scale(-log(x / (1 - x)) * g[0], weight, reduction, t.numel()), target_meta);
    return r;
  }
  void release_variables() override { self_.reset(); target_.reset(); }
  std::string name() const override { return "BinaryCrossEntropyBackward"; }
};

}  // namespace

Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t reduction) {
  const char* fn = "binary_cross_entropy";
  check_reduction(reduction, fn);
  check_same_shape(input, target, fn);
  check_float(input, "input", fn);
  TG_CHECK(!(weight.defined() && weight.requires_grad() && GradMode::is_enabled()),
           "The function 'binary_cross_entropy' is not differentiable with respect to argument 'weight'. This input "
           "cannot have requires_grad True.");
  Tensor out;
  {
    NoGradGuard ng;
    TG_CHECK(all((input >= 0.0) & (input <= 1.0)).item<bool>(),
             "binary_cross_entropy: all elements of input should be between 0 and 1 (input {})", describe(input));
    Tensor loss = -(target * clamp_min(log(input), -100) + (1 - target) * clamp_min(log(1 - input), -100));
    if (weight.defined()) loss = loss * weight;
    out = reduce(loss, reduction, fn);
  }
  if (compute_requires_grad(input, target)) {
    auto n = record<BinaryCrossEntropyBackward>(out, input, target);
    n->self_ = SavedVariable(input, false);
    n->target_ = SavedVariable(target, false);
    n->weight = weight;
    n->reduction = reduction;
    n->self_meta = InputMeta(input);
    n->target_meta = InputMeta(target);
  }
  return out;
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

namespace {

// The flattened targets of nll_loss: t [M], which are counted (valid), the class each reads
// (ignored ones read class 0) and its weight (0 where ignored), for input [M, C].
struct NllTargets {
  Tensor t, valid, safe_t, w;
  int64_t C = 0;
};

NllTargets nll_targets(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t ignore_index,
                       const char* fn) {
  NoGradGuard ng;
  NllTargets r;
  r.t = flatten_classes(input, target, fn).second;
  r.C = input.size(input.dim() == 1 ? 0 : 1);
  if (weight.defined())
    TG_CHECK(weight.dim() == 1 && weight.numel() == r.C,
             "{}: weight tensor should be defined either for all {} classes or no classes but got weight tensor of "
             "shape: {}", fn, r.C, to_string(weight.sizes()));
  {
    std::vector<int64_t> tv = r.t.tolist<int64_t>();
    for (int64_t v : tv)
      TG_CHECK(v == ignore_index || (v >= 0 && v < r.C), "{}: Target {} is out of bounds (the input has {} classes).",
               fn, v, r.C);
  }
  r.valid = r.t != ignore_index;
  r.safe_t = where(r.valid, r.t, zeros_like(r.t));
  r.w = r.valid.to(input.dtype());
  if (weight.defined()) r.w = r.w * weight.to(input.dtype()).index_select(0, r.safe_t);
  return r;
}

// [M, C] (rows in the order of the flattened target) back to input's layout [N, C, d1, ...] or [C].
Tensor unflatten_classes(const Tensor& flat, const Tensor& input) {
  const int64_t nd = input.dim();
  if (nd == 1) return flat.reshape(input.sizes());
  if (nd == 2) return flat;
  Shape s;  // [N, d1, ..., C]
  s.push_back(input.size(0));
  for (int64_t d = 2; d < nd; ++d) s.push_back(input.size(d));
  s.push_back(input.size(1));
  Shape perm;  // inverse of flatten_classes' (0, 2, ..., nd-1, 1)
  perm.push_back(0);
  perm.push_back(nd - 1);
  for (int64_t d = 2; d < nd; ++d) perm.push_back(d - 1);
  return flat.reshape(s).permute(perm).contiguous();
}

Tensor nll_loss_backward(const Tensor& grad, const Tensor& self, const Tensor& target, const Tensor& weight,
                         int64_t reduction, int64_t ignore_index);

// Note [nll_loss's backward is an op]
// nll_loss is linear in its input, so its gradient does not depend on the input; but PyTorch's
// second derivative w.r.t. the input is a defined zero tensor (nll_loss_backward takes self),
// not None. nll_loss_backward is therefore an op with its own rule: w.r.t. the incoming gradient
// it is nll_loss again (the adjoint of a linear map), w.r.t. the input a defined zero.
struct NllLossBackwardBackward : Node {  // of nll_loss_backward(g, x)
  Tensor target, weight;
  int64_t reduction = Reduction::Mean, ignore_index = -100;
  InputMeta self_meta;
  variable_list apply(variable_list&& gg) override {
    variable_list r(2);
    if (should_compute_output(0)) r[0] = nll_loss(gg[0], target, weight, reduction, ignore_index);
    if (should_compute_output(1)) r[1] = zeros(self_meta.sizes, TensorOptions().dtype(self_meta.dtype));
    return r;
  }
  std::string name() const override { return "NllLossBackwardBackward"; }
};

// d nll_loss / d input: -weight[t] g (g / total weight for Mean) at [i, t_i], 0 elsewhere and in
// ignored rows (also when every target is ignored: then PyTorch's Mean is nan, its gradient 0).
Tensor nll_loss_backward(const Tensor& grad, const Tensor& self, const Tensor& target, const Tensor& weight,
                         int64_t reduction, int64_t ignore_index) {
  const char* fn = "nll_loss_backward";
  NllTargets nt = nll_targets(self, target, weight, ignore_index, fn);
  Tensor out;
  {
    NoGradGuard ng;
    const int64_t M = nt.t.numel();
    Tensor g = grad.to(self.dtype());
    if (reduction == Reduction::None) {
      g = g.reshape({M});
    } else {
      if (reduction == Reduction::Mean) g = g / nt.w.sum();
      g = g.reshape({1}).expand({M});
    }
    // [M]; 0 in ignored rows (where, not the zero weight: g may be nan when all are ignored)
    Tensor val = where(nt.valid, -g * nt.w, 0.0);
    // one write per row into zeros, not a [M, C] mask: this is on every classifier's training path
    Tensor flat = zeros({M, nt.C}, TensorOptions().dtype(self.dtype()));
    out = unflatten_classes(flat.scatter(1, nt.safe_t.unsqueeze(1), val.unsqueeze(1)), self);
  }
  if (compute_requires_grad(grad, self)) {
    auto n = record<NllLossBackwardBackward>(out, grad, self);
    n->target = target;
    n->weight = weight;
    n->reduction = reduction;
    n->ignore_index = ignore_index;
    n->self_meta = InputMeta(self);
  }
  return out;
}

struct NllLossBackward : Node {
  SavedVariable self_;
  Tensor target, weight;
  int64_t reduction = Reduction::Mean, ignore_index = -100;
  variable_list apply(variable_list&& g) override {
    return {nll_loss_backward(g[0], self_.unpack(), target, weight, reduction, ignore_index)};
  }
  void release_variables() override { self_.reset(); }
  std::string name() const override { return "NllLossBackward"; }
};

}  // namespace

Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t reduction,
                int64_t ignore_index) {
  const char* fn = "nll_loss";
  check_reduction(reduction, fn);
  check_float(input, "input", fn);
  TG_CHECK(target.dtype() == kInt64, "{}: expected target of dtype int64 (class indices), got {}", fn, describe(target));
  TG_CHECK(!(weight.defined() && weight.requires_grad() && GradMode::is_enabled()),
           "The function 'nll_loss_forward' is not differentiable with respect to argument 'weight'. This input "
           "cannot have requires_grad True.");
  NllTargets nt = nll_targets(input, target, weight, ignore_index, fn);
  Tensor out;
  {
    NoGradGuard ng;
    Tensor x = flatten_classes(input, target, fn).first;
    Tensor picked = -x.gather(1, nt.safe_t.unsqueeze(1)).squeeze(1);
    // where, not a product with the zero weight: an ignored row may hold -inf
    Tensor loss = where(nt.valid, picked * nt.w, 0.0);
    if (reduction == Reduction::None)
      out = input.dim() == 1 ? loss.reshape(IntArrayRef()) : loss.reshape(target.sizes());
    else if (reduction == Reduction::Sum)
      out = loss.sum();
    else
      out = loss.sum() / nt.w.sum();  // nan when every target is ignored, as PyTorch
  }
  if (compute_requires_grad(input)) {
    auto n = record<NllLossBackward>(out, input);
    n->self_ = SavedVariable(input, false);
    n->target = target;
    n->weight = weight;
    n->reduction = reduction;
    n->ignore_index = ignore_index;
  }
  return out;
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
