// tg::optim::AdamW, following torch/optim/adamw.py (_single_tensor_adamw) step for step.
#include "tensorgrad/optim/adamw.h"

#include "optim/adam_update.h"
#include "tensorgrad/autograd/grad_mode.h"

namespace tg {
namespace optim {


namespace {

const AdamWOptions& adamw_options(const OptimizerOptions& options) {
  const auto* o = dynamic_cast<const AdamWOptions*>(&options);
  TG_CHECK(o != nullptr, "AdamW: the options of a parameter group must be AdamWOptions");
  return *o;
}

const AdamWOptions& check_adamw_options(const OptimizerOptions& options) {
  const AdamWOptions& o = adamw_options(options);
  detail::check_non_negative("AdamW", "learning rate", o.lr());
  detail::check_non_negative("AdamW", "epsilon value", o.eps());
  detail::check_betas("AdamW", o.betas());
  detail::check_non_negative("AdamW", "weight_decay value", o.weight_decay());
  return o;
}

std::unique_ptr<OptimizerOptions> checked_defaults(const AdamWOptions& defaults) {
  return check_adamw_options(defaults).clone();
}

}  // namespace

AdamW::AdamW(std::vector<OptimizerParamGroup> param_groups, AdamWOptions defaults)
    : Optimizer("AdamW", std::move(param_groups), checked_defaults(defaults)) {
  for (const auto& group : param_groups_) check_options(group.options());
}

void AdamW::check_options(const OptimizerOptions& options) const { check_adamw_options(options); }

Tensor AdamW::step(LossClosure closure) {
  Tensor loss = run_closure(closure);
  NoGradGuard no_grad;
  for (auto& group : param_groups_) {
    const AdamWOptions& o = adamw_options(group.options());
    const double beta1 = std::get<0>(o.betas()), beta2 = std::get<1>(o.betas());
    for (Tensor p : group.params()) {
      if (!p.grad().defined()) continue;
      auto& st = state_for<AdamWParamState>(p, [] { return std::make_unique<AdamWParamState>(); });
      // decoupled weight decay: p ← p (1 − lr λ), then the Adam step on the unchanged gradient
      detail::adam_update(p, p.grad(), st, o.lr(), beta1, beta2, o.eps(), o.weight_decay(), o.amsgrad(), true);
    }
  }
  return loss;
}

}  // namespace optim
}  // namespace tg
