// tg::optim::RMSprop, following torch/optim/rmsprop.py (_single_tensor_rmsprop) step for step.
#include "tensorgrad/optim/rmsprop.h"

#include "kernels/optim.h"
#include "tensorgrad/autograd/grad_mode.h"

namespace tg {
namespace optim {

namespace {

const RMSpropOptions& rmsprop_options(const OptimizerOptions& options) {
  const auto* o = dynamic_cast<const RMSpropOptions*>(&options);
  TG_CHECK(o != nullptr, "RMSprop: the options of a parameter group must be RMSpropOptions");
  return *o;
}

const RMSpropOptions& check_rmsprop_options(const OptimizerOptions& options) {
  const RMSpropOptions& o = rmsprop_options(options);
  detail::check_non_negative("RMSprop", "learning rate", o.lr());
  detail::check_non_negative("RMSprop", "epsilon value", o.eps());
  detail::check_non_negative("RMSprop", "momentum value", o.momentum());
  detail::check_non_negative("RMSprop", "weight_decay value", o.weight_decay());
  detail::check_non_negative("RMSprop", "alpha value", o.alpha());
  return o;
}

std::unique_ptr<OptimizerOptions> checked_defaults(const RMSpropOptions& defaults) {
  return check_rmsprop_options(defaults).clone();
}

}  // namespace

RMSprop::RMSprop(std::vector<OptimizerParamGroup> param_groups, RMSpropOptions defaults)
    : Optimizer("RMSprop", std::move(param_groups), checked_defaults(defaults)) {
  for (const auto& group : param_groups_) check_options(group.options());
}

void RMSprop::check_options(const OptimizerOptions& options) const { check_rmsprop_options(options); }

Tensor RMSprop::step(LossClosure closure) {
  Tensor loss = run_closure(closure);
  NoGradGuard no_grad;
  for (auto& group : param_groups_) {
    const RMSpropOptions& o = rmsprop_options(group.options());
    const double alpha = o.alpha(), momentum = o.momentum();
    for (const Tensor& p : group.params()) {
      if (!p.grad().defined()) continue;
      auto& st = state_for<RMSpropParamState>(p, [] { return std::make_unique<RMSpropParamState>(); });
      if (!st.square_avg().defined()) st.square_avg(zeros_like(p));
      if (momentum > 0 && !st.momentum_buffer().defined()) st.momentum_buffer(zeros_like(p));
      if (o.centered() && !st.grad_avg().defined()) st.grad_avg(zeros_like(p));
      st.step(st.step() + 1);
      kernels::rmsprop_step(p, p.grad(), st.square_avg(), st.grad_avg(), st.momentum_buffer(),
                            {o.lr(), alpha, o.eps(), o.weight_decay(), momentum, o.centered()});
    }
  }
  return loss;
}

}  // namespace optim
}  // namespace tg
