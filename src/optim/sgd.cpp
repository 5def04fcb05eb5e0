// tg::optim::SGD, following torch/optim/sgd.py (_single_tensor_sgd) step for step.
#include "tensorgrad/optim/sgd.h"

#include "kernels/optim.h"
#include "tensorgrad/autograd/grad_mode.h"

namespace tg {
namespace optim {

namespace {

const SGDOptions& sgd_options(const OptimizerOptions& options) {
  const auto* o = dynamic_cast<const SGDOptions*>(&options);
  TG_CHECK(o != nullptr, "SGD: the options of a parameter group must be SGDOptions");
  return *o;
}

const SGDOptions& check_sgd_options(const OptimizerOptions& options) {
  const SGDOptions& o = sgd_options(options);
  detail::check_non_negative("SGD", "learning rate", o.lr());
  detail::check_non_negative("SGD", "momentum value", o.momentum());
  detail::check_non_negative("SGD", "weight_decay value", o.weight_decay());
  TG_CHECK(!o.nesterov() || (o.momentum() > 0 && o.dampening() == 0),
           "SGD: Nesterov momentum requires a momentum and zero dampening (got momentum {}, dampening {})",
           o.momentum(), o.dampening());
  return o;
}

std::unique_ptr<OptimizerOptions> checked_defaults(const SGDOptions& defaults) {
  return check_sgd_options(defaults).clone();
}

}  // namespace

SGD::SGD(std::vector<OptimizerParamGroup> param_groups, SGDOptions defaults)
    : Optimizer("SGD", std::move(param_groups), checked_defaults(defaults)) {
  for (const auto& group : param_groups_) check_options(group.options());
}

void SGD::check_options(const OptimizerOptions& options) const { check_sgd_options(options); }

Tensor SGD::step(LossClosure closure) {
  Tensor loss = run_closure(closure);
  NoGradGuard no_grad;
  for (auto& group : param_groups_) {
    const SGDOptions& o = sgd_options(group.options());
    const double lr = o.lr(), momentum = o.momentum(), dampening = o.dampening(), weight_decay = o.weight_decay();
    for (const Tensor& p : group.params()) {
      if (!p.grad().defined()) continue;
      Tensor buffer;
      bool first = false;
      if (momentum != 0) {
        auto& st = state_for<SGDParamState>(p, [] { return std::make_unique<SGDParamState>(); });
        first = !st.momentum_buffer().defined();
        if (first) st.momentum_buffer(empty_like(p));
        buffer = st.momentum_buffer();
      }
      kernels::sgd_step(p, p.grad(), buffer, {lr, momentum, dampening, weight_decay, o.nesterov(), first});
    }
  }
  return loss;
}

}  // namespace optim
}  // namespace tg
