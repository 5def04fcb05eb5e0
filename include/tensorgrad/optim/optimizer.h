#pragma once
/// \file optimizer.h
/// tg::optim::Optimizer: the base of every optimizer, in the style of libtorch's C++ frontend.
///
///   tg::optim::SGD opt(model->parameters(), tg::optim::SGDOptions(0.1).momentum(0.9));
///   for (...) {
///     opt.zero_grad();
///     auto loss = tg::mse_loss(model->forward(x), y);
///     loss.backward();
///     opt.step();
///   }
///
/// An optimizer holds its parameters in parameter groups (param_groups()), each with its own
/// options (learning rate, momentum, ...); the options given to the constructor are the defaults of
/// the groups that have none. The state of each parameter (momentum buffers, moving averages, step
/// counts) is kept in state(), keyed by the parameter's TensorImpl. step() updates the parameters
/// in place, under tg::NoGradGuard, from their grad(); a parameter whose grad() is undefined is
/// skipped and its state does not advance.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tensorgrad/tensor.h"

#include "tensorgrad/arg.h"

namespace tg {
namespace optim {

/// The options of one optimizer (or of one of its parameter groups). Every optimizer's options
/// derive from it; schedulers use get_lr() / set_lr() to read and change the learning rate.
class OptimizerOptions {
 public:
  virtual ~OptimizerOptions() = default;
  /// A copy of these options, of the same dynamic type.
  virtual std::unique_ptr<OptimizerOptions> clone() const = 0;
  /// The learning rate.
  virtual double get_lr() const = 0;
  /// Sets the learning rate.
  virtual void set_lr(double lr) = 0;
};

/// CRTP helper: implements clone() for the options class Derived.
template <typename Derived> class OptimizerCloneableOptions : public OptimizerOptions {
 public:
  std::unique_ptr<OptimizerOptions> clone() const override {
    return std::make_unique<Derived>(static_cast<const Derived&>(*this));
  }
};

/// The per-parameter state of an optimizer (momentum buffer, moving averages, step count).
class OptimizerParamState {
 public:
  virtual ~OptimizerParamState() = default;
  /// A deep-enough copy of this state, of the same dynamic type (tensors are shared, as libtorch).
  virtual std::unique_ptr<OptimizerParamState> clone() const = 0;
};

/// CRTP helper: implements clone() for the state class Derived.
template <typename Derived> class OptimizerCloneableParamState : public OptimizerParamState {
 public:
  std::unique_ptr<OptimizerParamState> clone() const override {
    return std::make_unique<Derived>(static_cast<const Derived&>(*this));
  }
};

/// A list of parameters optimized with the same options. A group built without options takes the
/// optimizer's defaults when it is added to an optimizer:
///
///   std::vector<tg::optim::OptimizerParamGroup> groups;
///   groups.emplace_back(net->fc1->parameters());                                      // defaults
///   groups.emplace_back(net->fc2->parameters(), std::make_unique<tg::optim::SGDOptions>(0.01));
///   tg::optim::SGD opt(std::move(groups), tg::optim::SGDOptions(0.1));
class OptimizerParamGroup {
 public:
  OptimizerParamGroup(std::vector<Tensor> params) : params_(std::move(params)) {}  // NOLINT: implicit as libtorch
  OptimizerParamGroup(std::vector<Tensor> params, std::unique_ptr<OptimizerOptions> options)
      : params_(std::move(params)), options_(std::move(options)) {}
  OptimizerParamGroup(const OptimizerParamGroup& other)
      : params_(other.params_), options_(other.options_ ? other.options_->clone() : nullptr) {}
  OptimizerParamGroup& operator=(const OptimizerParamGroup& other) {
    if (this != &other) {
      params_ = other.params_;
      options_ = other.options_ ? other.options_->clone() : nullptr;
    }
    return *this;
  }
  OptimizerParamGroup(OptimizerParamGroup&&) = default;
  OptimizerParamGroup& operator=(OptimizerParamGroup&&) = default;

  /// True once options were given (always true for a group inside an optimizer).
  bool has_options() const { return options_ != nullptr; }
  /// The group's options; throws tg::Error if it has none.
  OptimizerOptions& options();
  const OptimizerOptions& options() const;
  void set_options(std::unique_ptr<OptimizerOptions> options) { options_ = std::move(options); }
  std::vector<Tensor>& params() { return params_; }
  const std::vector<Tensor>& params() const { return params_; }

 private:
  std::vector<Tensor> params_;
  std::unique_ptr<OptimizerOptions> options_;
};

/// The base of every optimizer. Derived classes implement step().
class Optimizer {
 public:
  /// A function that re-evaluates the model and returns the loss (called by step(closure) with
  /// grad mode on).
  using LossClosure = std::function<Tensor()>;

  /// An optimizer over the given parameter groups; groups without options get a copy of
  /// `defaults`. Throws tg::Error if there are no parameters at all, or if a parameter is
  /// undefined, not floating-point, or not a leaf.
  Optimizer(std::vector<OptimizerParamGroup> param_groups, std::unique_ptr<OptimizerOptions> defaults)
      : Optimizer("Optimizer", std::move(param_groups), std::move(defaults)) {}
  /// An optimizer over one group holding `parameters`, with the options `defaults`.
  Optimizer(std::vector<Tensor> parameters, std::unique_ptr<OptimizerOptions> defaults)
      : Optimizer("Optimizer", {OptimizerParamGroup(std::move(parameters))}, std::move(defaults)) {}
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;
  Optimizer(Optimizer&&) = default;
  Optimizer& operator=(Optimizer&&) = default;
  virtual ~Optimizer() = default;

  /// Performs one optimization step. If `closure` is given, it is called first (with grad mode
  /// on) and its loss is returned; otherwise returns an undefined tensor.
  virtual Tensor step(LossClosure closure = nullptr) = 0;

  /// Adds a parameter group (with the default options if it has none), checking its parameters
  /// and options as the constructor does.
  void add_param_group(const OptimizerParamGroup& param_group);
  /// Adds `parameters` to the first parameter group.
  void add_parameters(const std::vector<Tensor>& parameters);

  /// Resets the gradient of every parameter: to an undefined tensor when `set_to_none` (the
  /// default, as libtorch 2.x and PyTorch), else to zeros (detached from any graph).
  void zero_grad(bool set_to_none = true);

  /// Every parameter of every group, in order.
  std::vector<Tensor> parameters() const;
  /// The number of parameters over all groups.
  size_t size() const noexcept;

  /// The learning rate of the first parameter group.
  double lr() const;
  /// Sets the learning rate of every parameter group. Throws tg::Error if lr < 0.
  void set_lr(double lr);

  /// The options given to the constructor (the defaults of new groups).
  OptimizerOptions& defaults() noexcept { return *defaults_; }
  const OptimizerOptions& defaults() const noexcept { return *defaults_; }
  /// The parameter groups, each with its own options: opt.param_groups()[0].options().get_lr().
  std::vector<OptimizerParamGroup>& param_groups() noexcept { return param_groups_; }
  const std::vector<OptimizerParamGroup>& param_groups() const noexcept { return param_groups_; }
  /// The per-parameter state, keyed by the parameter's TensorImpl (p.unsafeGetTensorImpl()).
  std::unordered_map<const void*, std::unique_ptr<OptimizerParamState>>& state() noexcept { return state_; }
  const std::unordered_map<const void*, std::unique_ptr<OptimizerParamState>>& state() const noexcept { return state_; }

  /// The optimizer's name as used in error messages ("SGD", "Adam", ...).
  const std::string& name() const noexcept { return name_; }

 protected:
  /// As the public constructor; `name` prefixes the error messages.
  Optimizer(std::string name, std::vector<OptimizerParamGroup> param_groups,
            std::unique_ptr<OptimizerOptions> defaults);

  /// Checks the options of a group (called by add_param_group, and by the derived constructors
  /// for the groups given to them). The base accepts anything.
  virtual void check_options(const OptimizerOptions& options) const;

  /// The state of `p`, created by `make()` on first use. State must be a subclass of
  /// OptimizerParamState.
  template <typename State, typename Make> State& state_for(const Tensor& p, Make&& make) {
    auto& slot = state_[p.unsafeGetTensorImpl()];
    if (!slot) slot = make();
    return static_cast<State&>(*slot);
  }

  /// Runs `closure` (if any) with grad mode on and returns its loss.
  static Tensor run_closure(const LossClosure& closure);

  std::string name_;
  std::vector<OptimizerParamGroup> param_groups_;
  std::unordered_map<const void*, std::unique_ptr<OptimizerParamState>> state_;
  std::unique_ptr<OptimizerOptions> defaults_;

 private:
  void check_parameters(const std::vector<Tensor>& params, size_t group_index) const;
};

namespace detail {
/// Throws tg::Error "<who>: Invalid <what>: <value>" unless value >= 0 (NaN fails too).
void check_non_negative(const std::string& who, const char* what, double value);
}  // namespace detail

}  // namespace optim
}  // namespace tg
