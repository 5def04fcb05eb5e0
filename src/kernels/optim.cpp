// Fused optimizer updates.
#include "kernels/optim.h"

#include <cmath>

#include "core/dispatch.h"
#include "kernels/copy.h"

namespace tg {
namespace kernels {

namespace {

// The element pointer of a tensor the update writes: the tensor itself when contiguous (and of a
// compute dtype), else a contiguous copy that is written back (and version-bumped) when the update
// ends. A float16 / bfloat16 parameter and its state are updated in float32 and rounded once per
// step (docs/architecture.md, "Dtypes").
class Operand {
 public:
  explicit Operand(const Tensor& t) : target_(t) {
    if (t.defined()) work_ = as_contiguous(t, compute_type(impl_of(t).dtype));
  }
  ~Operand() {
    if (!target_.defined()) return;
    if (!work_.is_same(target_)) copy_into(target_, work_);
    impl_of(target_).bump_version();
  }
  Operand(const Operand&) = delete;
  Operand& operator=(const Operand&) = delete;
  template <typename T>
  T* data() const {
    return work_.defined() ? impl_of(work_).data<T>() : nullptr;
  }

 private:
  Tensor target_, work_;
};

// Runs f(T{}, n, grad pointer) with the gradient as a contiguous array of p's dtype.
template <typename F>
void with_grad(const Tensor& p, const Tensor& grad, const char* fn, F&& f) {
  const TensorImpl& pi = impl_of(p);
  Tensor g = as_contiguous(grad, compute_type(pi.dtype));
  dispatch_float(compute_type(pi.dtype), fn, [&](auto tag) {
    using T = decltype(tag);
    f(tag, pi.numel, impl_of(g).template data<T>());
  });
}

}  // namespace

void adam_step(const Tensor& p, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
               const Tensor& max_exp_avg_sq, const AdamStep& s) {
  Operand po(p), mo(exp_avg), vo(exp_avg_sq), vmo(s.amsgrad ? max_exp_avg_sq : Tensor());
  const double t = static_cast<double>(s.step);
  const double bias_correction1 = 1 - std::pow(s.beta1, t);
  const double bias_correction2 = 1 - std::pow(s.beta2, t);
  const double step_size = s.lr / bias_correction1;
  const double bias_correction2_sqrt = std::sqrt(bias_correction2);
  with_grad(p, grad, "Adam", [&](auto tag, int64_t n, const auto* g) {
    using T = decltype(tag);
    T* w = po.data<T>();
    T* m = mo.data<T>();
    T* v = vo.data<T>();
    T* vmax = vmo.data<T>();
    const T b1 = T(s.beta1), b2 = T(s.beta2), one_b1 = T(1 - s.beta1), one_b2 = T(1 - s.beta2);
    const T decay = T(1 - s.lr * s.weight_decay), wd = T(s.weight_decay), eps = T(s.eps);
    const T bc2 = T(bias_correction2_sqrt), neg_step = T(-step_size);
    for (int64_t i = 0; i < n; ++i) {
      T gi = g[i];
      if (s.weight_decay != 0) {
        if (s.decoupled_weight_decay) w[i] = w[i] * decay;  // AdamW: p ← p (1 − lr λ)
        else gi = gi + wd * w[i];                           // Adam:  g ← g + λ p
      }
      m[i] = m[i] * b1 + one_b1 * gi;       // m ← β1 m + (1 − β1) g
      v[i] = v[i] * b2 + one_b2 * gi * gi;  // v ← β2 v + (1 − β2) g²
      T vi = v[i];
      if (vmax) {
        vmax[i] = vmax[i] > vi ? vmax[i] : vi;
        vi = vmax[i];
      }
      const T denom = std::sqrt(vi) / bc2 + eps;
      w[i] = w[i] + neg_step * (m[i] / denom);  // p ← p − step_size m / denom
    }
  });
}

void sgd_step(const Tensor& p, const Tensor& grad, const Tensor& momentum_buffer, const SgdStep& s) {
  Operand po(p), bo(s.momentum != 0 ? momentum_buffer : Tensor());
  with_grad(p, grad, "SGD", [&](auto tag, int64_t n, const auto* g) {
    using T = decltype(tag);
    T* w = po.data<T>();
    T* b = bo.data<T>();
    const T wd = T(s.weight_decay), mom = T(s.momentum), damp = T(1 - s.dampening), neg_lr = T(-s.lr);
    for (int64_t i = 0; i < n; ++i) {
      T d = g[i];
      if (s.weight_decay != 0) d = d + wd * w[i];  // d ← g + λ p
      if (b) {
        b[i] = s.first ? d : b[i] * mom + damp * d;  // b ← μ b + (1 − dampening) d
        d = s.nesterov ? d + mom * b[i] : b[i];
      }
      w[i] = w[i] + neg_lr * d;  // p ← p − lr d
    }
  });
}

void rmsprop_step(const Tensor& p, const Tensor& grad, const Tensor& square_avg, const Tensor& grad_avg,
                  const Tensor& momentum_buffer, const RmspropStep& s) {
  Operand po(p), vo(square_avg), go(s.centered ? grad_avg : Tensor()), bo(s.momentum > 0 ? momentum_buffer : Tensor());
  with_grad(p, grad, "RMSprop", [&](auto tag, int64_t n, const auto* g) {
    using T = decltype(tag);
    T* w = po.data<T>();
    T* v = vo.data<T>();
    T* ga = go.data<T>();
    T* b = bo.data<T>();
    const T wd = T(s.weight_decay), a = T(s.alpha), one_a = T(1 - s.alpha), eps = T(s.eps), mom = T(s.momentum);
    const T neg_lr = T(-s.lr);
    for (int64_t i = 0; i < n; ++i) {
      T gi = g[i];
      if (s.weight_decay != 0) gi = gi + wd * w[i];
      v[i] = v[i] * a + one_a * gi * gi;  // v ← α v + (1 − α) g²
      T avg;
      if (ga) {
        ga[i] = ga[i] * a + one_a * gi;  // ḡ ← α ḡ + (1 − α) g;  avg = √(v − ḡ²)
        avg = std::sqrt(v[i] - ga[i] * ga[i]);
      } else {
        avg = std::sqrt(v[i]);
      }
      avg = avg + eps;
      if (b) {
        b[i] = b[i] * mom + gi / avg;  // b ← μ b + g / avg;  p ← p − lr b
        w[i] = w[i] + neg_lr * b[i];
      } else {
        w[i] = w[i] + neg_lr * (gi / avg);
      }
    }
  });
}

void adagrad_step(const Tensor& p, const Tensor& grad, const Tensor& sum, const AdagradStep& s) {
  Operand po(p), so(sum);
  with_grad(p, grad, "Adagrad", [&](auto tag, int64_t n, const auto* g) {
    using T = decltype(tag);
    T* w = po.data<T>();
    T* acc = so.data<T>();
    const T wd = T(s.weight_decay), eps = T(s.eps), neg_clr = T(-s.clr);
    for (int64_t i = 0; i < n; ++i) {
      T gi = g[i];
      if (s.weight_decay != 0) gi = gi + wd * w[i];
      acc[i] = acc[i] + gi * gi;  // s ← s + g²;  p ← p − clr g / (√s + eps)
      const T std_ = std::sqrt(acc[i]) + eps;
      w[i] = w[i] + neg_clr * (gi / std_);
    }
  });
}

}  // namespace kernels
}  // namespace tg
