// tg::optim::Adam, following torch/optim/adam.py (_single_tensor_adam) step for step.
#include "tensorgrad/optim/adam.h"

#include <cmath>

#include "tensorgrad/autograd/grad_mode.h"

namespace tg {
namespace optim {

namespace detail {
void check_betas(const std::string& who, const std::tuple<double, double>& betas) {
  const double b0 = std::get<0>(betas), b1 = std::get<1>(betas);
  TG_CHECK(b0 >= 0.0 && b0 < 1.0, "{}: Invalid beta parameter at index 0: {} (betas must be in [0, 1))", who, b0);
  TG_CHECK(b1 >= 0.0 && b1 < 1.0, "{}: Invalid beta parameter at index 1: {} (betas must be in [0, 1))", who, b1);
}

void adam_update(Tensor p, const Tensor& grad, AdamParamState& st, double lr, double beta1, double beta2, double eps,
                 bool amsgrad) {
  if (!st.exp_avg().defined()) {
    st.exp_avg(zeros_like(p));
    st.exp_avg_sq(zeros_like(p));
    if (amsgrad) st.max_exp_avg_sq(zeros_like(p));
  }
  if (amsgrad && !st.max_exp_avg_sq().defined()) st.max_exp_avg_sq(zeros_like(p));
  st.step(st.step() + 1);
  // m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²
  st.exp_avg().mul_(beta1).add_(grad, 1 - beta1);
  st.exp_avg_sq().mul_(beta2).add_(grad * grad, 1 - beta2);
  const double t = static_cast<double>(st.step());
  const double bias_correction1 = 1 - std::pow(beta1, t);
  const double bias_correction2 = 1 - std::pow(beta2, t);
  const double step_size = lr / bias_correction1;
  const double bias_correction2_sqrt = std::sqrt(bias_correction2);
  Tensor denom;
  if (amsgrad) {
    st.max_exp_avg_sq().copy_(maximum(st.max_exp_avg_sq(), st.exp_avg_sq()));
    denom = st.max_exp_avg_sq().sqrt();
  } else {
    denom = st.exp_avg_sq().sqrt();
  }
  denom.div_(bias_correction2_sqrt).add_(eps);
  // p ← p − step_size · m / denom  (PyTorch's addcdiv_)
  p.add_(st.exp_avg() / denom, -step_size);
}
}  // namespace detail

namespace {

const AdamOptions& adam_options(const OptimizerOptions& options) {
  const auto* o = dynamic_cast<const AdamOptions*>(&options);
  TG_CHECK(o != nullptr, "Adam: the options of a parameter group must be AdamOptions");
  return *o;
}

const AdamOptions& check_adam_options(const OptimizerOptions& options) {
  const AdamOptions& o = adam_options(options);
  detail::check_non_negative("Adam", "learning rate", o.lr());
  detail::check_non_negative("Adam", "epsilon value", o.eps());
  detail::check_betas("Adam", o.betas());
  detail::check_non_negative("Adam", "weight_decay value", o.weight_decay());
  return o;
}

std::unique_ptr<OptimizerOptions> checked_defaults(const AdamOptions& defaults) {
  return check_adam_options(defaults).clone();
}

}  // namespace

Adam::Adam(std::vector<OptimizerParamGroup> param_groups, AdamOptions defaults)
    : Optimizer("Adam", std::move(param_groups), checked_defaults(defaults)) {
  for (const auto& group : param_groups_) check_options(group.options());
}

void Adam::check_options(const OptimizerOptions& options) const { check_adam_options(options); }

Tensor Adam::step(LossClosure closure) {
  Tensor loss = run_closure(closure);
  NoGradGuard no_grad;
  for (auto& group : param_groups_) {
    const AdamOptions& o = adam_options(group.options());
    const double beta1 = std::get<0>(o.betas()), beta2 = std::get<1>(o.betas());
    for (const Tensor& p : group.params()) {
      if (!p.grad().defined()) continue;
      Tensor grad = p.grad();
      if (o.weight_decay() != 0) grad = grad.add(p, o.weight_decay());
      auto& st = state_for<AdamParamState>(p, [] { return std::make_unique<AdamParamState>(); });
      detail::adam_update(p, grad, st, o.lr(), beta1, beta2, o.eps(), o.amsgrad());
    }
  }
  return loss;
}

}  // namespace optim
}  // namespace tg
