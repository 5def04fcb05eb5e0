// tg::optim::Adagrad, following torch/optim/adagrad.py (_single_tensor_adagrad) step for step.
#include "tensorgrad/optim/adagrad.h"

#include "kernels/optim.h"
#include "tensorgrad/autograd/grad_mode.h"

namespace tg {
namespace optim {

namespace {

const AdagradOptions& adagrad_options(const OptimizerOptions& options) {
  const auto* o = dynamic_cast<const AdagradOptions*>(&options);
  TG_CHECK(o != nullptr, "Adagrad: the options of a parameter group must be AdagradOptions");
  return *o;
}

const AdagradOptions& check_adagrad_options(const OptimizerOptions& options) {
  const AdagradOptions& o = adagrad_options(options);
  detail::check_non_negative("Adagrad", "learning rate", o.lr());
  detail::check_non_negative("Adagrad", "lr_decay value", o.lr_decay());
  detail::check_non_negative("Adagrad", "weight_decay value", o.weight_decay());
  detail::check_non_negative("Adagrad", "initial_accumulator_value value", o.initial_accumulator_value());
  detail::check_non_negative("Adagrad", "epsilon value", o.eps());
  return o;
}

std::unique_ptr<OptimizerOptions> checked_defaults(const AdagradOptions& defaults) {
  return check_adagrad_options(defaults).clone();
}

}  // namespace

Adagrad::Adagrad(std::vector<OptimizerParamGroup> param_groups, AdagradOptions defaults)
    : Optimizer("Adagrad", std::move(param_groups), checked_defaults(defaults)) {
  NoGradGuard no_grad;
  for (const auto& group : param_groups_) {
    const AdagradOptions& o = check_adagrad_options(group.options());
    // As PyTorch (and libtorch), the state is created here: s = initial_accumulator_value, t = 0.
    for (const Tensor& p : group.params()) {
      state_for<AdagradParamState>(p, [&] {
        auto st = std::make_unique<AdagradParamState>();
        st->sum(full_like(p, o.initial_accumulator_value()));
        return st;
      });
    }
  }
}

void Adagrad::check_options(const OptimizerOptions& options) const { check_adagrad_options(options); }

Tensor Adagrad::step(LossClosure closure) {
  Tensor loss = run_closure(closure);
  NoGradGuard no_grad;
  for (auto& group : param_groups_) {
    const AdagradOptions& o = adagrad_options(group.options());
    for (Tensor p : group.params()) {
      if (!p.grad().defined()) continue;
      // Parameters added after construction (add_param_group) get their state here.
      auto& st = state_for<AdagradParamState>(p, [&] {
        auto s = std::make_unique<AdagradParamState>();
        s->sum(full_like(p, o.initial_accumulator_value()));
        return s;
      });
      st.step(st.step() + 1);
      // clr = lr / (1 + (t − 1) δ)
      const double clr = o.lr() / (1 + static_cast<double>(st.step() - 1) * o.lr_decay());
      kernels::adagrad_step(p, p.grad(), st.sum(), {clr, o.eps(), o.weight_decay()});
    }
  }
  return loss;
}

}  // namespace optim
}  // namespace tg
