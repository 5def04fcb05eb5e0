// tg::optim::Adam, following torch/optim/adam.py (_single_tensor_adam) step for step.
#include "tensorgrad/optim/adam.h"

#include "kernels/optim.h"
#include "optim/adam_update.h"
#include "tensorgrad/autograd/grad_mode.h"

namespace tg {
namespace optim {

namespace detail {
void check_betas(const std::string& who, const std::tuple<double, double>& betas) {
  const double b0 = std::get<0>(betas), b1 = std::get<1>(betas);
  TG_CHECK(b0 >= 0.0 && b0 < 1.0, "{}: Invalid beta parameter at index 0: {} (betas must be in [0, 1))", who, b0);
  TG_CHECK(b1 >= 0.0 && b1 < 1.0, "{}: Invalid beta parameter at index 1: {} (betas must be in [0, 1))", who, b1);
}

void adam_update(const Tensor& p, const Tensor& grad, AdamParamState& st, double lr, double beta1, double beta2,
                 double eps, double weight_decay, bool amsgrad, bool decoupled_weight_decay) {
  if (!st.exp_avg().defined()) {
    st.exp_avg(zeros_like(p));
    st.exp_avg_sq(zeros_like(p));
  }
  if (amsgrad && !st.max_exp_avg_sq().defined()) st.max_exp_avg_sq(zeros_like(p));
  st.step(st.step() + 1);
  kernels::adam_step(p, grad, st.exp_avg(), st.exp_avg_sq(), st.max_exp_avg_sq(),
                     {lr, beta1, beta2, eps, weight_decay, amsgrad, decoupled_weight_decay, st.step()});
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
      auto& st = state_for<AdamParamState>(p, [] { return std::make_unique<AdamParamState>(); });
      detail::adam_update(p, p.grad(), st, o.lr(), beta1, beta2, o.eps(), o.weight_decay(), o.amsgrad(), false);
    }
  }
  return loss;
}

}  // namespace optim
}  // namespace tg
