// tg::optim::Optimizer: parameter groups, options, per-parameter state, zero_grad.
#include "tensorgrad/optim/optimizer.h"

#include <cmath>

#include "tensorgrad/autograd/grad_mode.h"

namespace tg {
namespace optim {

OptimizerOptions& OptimizerParamGroup::options() {
  TG_CHECK(options_ != nullptr, "OptimizerParamGroup::options(): this parameter group has no options");
  return *options_;
}

const OptimizerOptions& OptimizerParamGroup::options() const {
  TG_CHECK(options_ != nullptr, "OptimizerParamGroup::options(): this parameter group has no options");
  return *options_;
}

namespace detail {
void check_non_negative(const std::string& who, const char* what, double value) {
  // Written as !(value >= 0) so that NaN fails too.
  TG_CHECK(value >= 0.0, "{}: Invalid {}: {}", who, what, value);
}
}  // namespace detail

Optimizer::Optimizer(std::string name, std::vector<OptimizerParamGroup> param_groups,
                     std::unique_ptr<OptimizerOptions> defaults)
    : name_(std::move(name)), defaults_(std::move(defaults)) {
  TG_CHECK(defaults_ != nullptr, "{}: the default options are null", name_);
  size_t total = 0;
  for (const auto& g : param_groups) total += g.params().size();
  // PyTorch: "optimizer got an empty parameter list".
  TG_CHECK(total > 0, "{}: optimizer got an empty parameter list", name_);
  for (const auto& g : param_groups) add_param_group(g);
}

void Optimizer::check_options(const OptimizerOptions&) const {}

void Optimizer::check_parameters(const std::vector<Tensor>& params, size_t group_index) const {
  for (size_t i = 0; i < params.size(); ++i) {
    const Tensor& p = params[i];
    TG_CHECK(p.defined(), "{}: parameter {} of group {} is an undefined tensor", name_, i, group_index);
    TG_CHECK(p.is_floating_point(),
             "{}: can only optimize floating-point tensors, but parameter {} of group {} has dtype {} (shape {})",
             name_, i, group_index, dtype_name(p.dtype()), to_string(p.sizes()));
    // PyTorch: "can't optimize a non-leaf Tensor".
    TG_CHECK(p.is_leaf(),
             "{}: can't optimize a non-leaf Tensor (parameter {} of group {}, shape {}); optimize the leaf it was "
             "computed from, or detach() it and set requires_grad_()",
             name_, i, group_index, to_string(p.sizes()));
  }
}

void Optimizer::add_param_group(const OptimizerParamGroup& param_group) {
  check_parameters(param_group.params(), param_groups_.size());
  OptimizerParamGroup g(param_group.params());
  if (param_group.has_options()) {
    check_options(param_group.options());
    g.set_options(param_group.options().clone());
  } else {
    g.set_options(defaults_->clone());
  }
  param_groups_.push_back(std::move(g));
}

void Optimizer::add_parameters(const std::vector<Tensor>& parameters) {
  TG_CHECK(!param_groups_.empty(), "{}: add_parameters: the optimizer has no parameter group", name_);
  check_parameters(parameters, 0);
  auto& params = param_groups_[0].params();
  params.insert(params.end(), parameters.begin(), parameters.end());
}

void Optimizer::zero_grad(bool set_to_none) {
  NoGradGuard no_grad;
  for (auto& group : param_groups_) {
    for (const Tensor& p : group.params()) {
      Tensor& g = p.mutable_grad();
      if (!g.defined()) continue;
      if (set_to_none) {
        g = Tensor();
      } else {
        // As libtorch: detach the gradient from any graph (create_graph=true), then zero it.
        g.detach_();
        g.zero_();
      }
    }
  }
}

std::vector<Tensor> Optimizer::parameters() const {
  std::vector<Tensor> out;
  out.reserve(size());
  for (const auto& group : param_groups_) out.insert(out.end(), group.params().begin(), group.params().end());
  return out;
}

size_t Optimizer::size() const noexcept {
  size_t n = 0;
  for (const auto& group : param_groups_) n += group.params().size();
  return n;
}

double Optimizer::lr() const {
  TG_CHECK(!param_groups_.empty(), "{}: lr(): the optimizer has no parameter group", name_);
  return param_groups_[0].options().get_lr();
}

void Optimizer::set_lr(double lr) {
  detail::check_non_negative(name_, "learning rate", lr);
  for (auto& group : param_groups_) group.options().set_lr(lr);
}

Tensor Optimizer::run_closure(const LossClosure& closure) {
  if (!closure) return Tensor();
  EnableGradGuard enable_grad;
  return closure();
}

}  // namespace optim
}  // namespace tg
