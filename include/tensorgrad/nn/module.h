#pragma once
/// \file module.h
/// tg::nn::Module and module holders, in the style of libtorch's C++ frontend:
///
///   struct NetImpl : tg::nn::Module {
///     NetImpl() : fc1(register_module("fc1", tg::nn::Linear(784, 64))),
///                 fc2(register_module("fc2", tg::nn::Linear(64, 10))) {}
///     tg::Tensor forward(tg::Tensor x) { return fc2(tg::relu(fc1(x))); }
///     tg::nn::Linear fc1, fc2;
///   };
///   TG_MODULE(Net);   // Net holds a std::shared_ptr<NetImpl>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "tensorgrad/autograd/grad_mode.h"
#include "tensorgrad/ordered_dict.h"
#include "tensorgrad/tensor.h"

namespace tg {
namespace nn {

template <typename Contained>
class ModuleHolder;

namespace detail {
// Module::as<T>: T itself, or the module type a holder T holds.
template <typename T, typename = void>
struct AsType {
  using type = T;
};
template <typename T>
struct AsType<T, std::void_t<typename T::ContainedType>> {
  using type = typename T::ContainedType;
};
}  // namespace detail

/// The base of every layer and every user network: owns named parameters, buffers and
/// submodules, and the train/eval flag.
class Module : public std::enable_shared_from_this<Module> {
 public:
  /// `name` is what printing shows; by default the (demangled) class name.
  explicit Module(std::string name = "");
  virtual ~Module() = default;
  Module(const Module&) = default;
  Module& operator=(const Module&) = default;

  /// The module's type name, e.g. "tg::nn::Linear" or "NetImpl".
  const std::string& name() const;

  /// Registers a parameter (a leaf that requires grad unless requires_grad is false).
  /// Returns a reference to the stored tensor (which shares data with `tensor`).
  Tensor& register_parameter(std::string name, Tensor tensor, bool requires_grad = true);
  /// Registers a buffer: state saved with the module that is not trained (running statistics).
  Tensor& register_buffer(std::string name, Tensor tensor);
  /// Registers a submodule; returns what it was given.
  template <typename M>
  std::shared_ptr<M> register_module(std::string name, std::shared_ptr<M> module) {
    add_child(std::move(name), module);
    return module;
  }
  template <typename Holder, typename = typename Holder::ContainedType>
  Holder register_module(std::string name, Holder holder) {
    add_child(std::move(name), holder.ptr());
    return holder;
  }
  /// Replaces an already registered submodule (keeps its position).
  template <typename M>
  std::shared_ptr<M> replace_module(const std::string& name, std::shared_ptr<M> module) {
    children_[name] = module;
    return module;
  }
  template <typename Holder, typename = typename Holder::ContainedType>
  Holder replace_module(const std::string& name, Holder holder) {
    children_[name] = holder.ptr();
    return holder;
  }

  /// Removes a registered submodule (an error when there is none by that name).
  void unregister_module(const std::string& name);

  /// All parameters (of submodules too, when recurse), in registration order.
  std::vector<Tensor> parameters(bool recurse = true) const;
  /// Parameters under dotted names such as "fc1.weight".
  OrderedDict<std::string, Tensor> named_parameters(bool recurse = true) const;
  std::vector<Tensor> buffers(bool recurse = true) const;
  OrderedDict<std::string, Tensor> named_buffers(bool recurse = true) const;
  /// The direct submodules.
  std::vector<std::shared_ptr<Module>> children() const;
  OrderedDict<std::string, std::shared_ptr<Module>> named_children() const;
  /// This module and all submodules, depth first (this one first when include_self).
  std::vector<std::shared_ptr<Module>> modules(bool include_self = true);
  /// The same under dotted names ("fc1", "block.0"); this module is named `name_prefix`.
  OrderedDict<std::string, std::shared_ptr<Module>> named_modules(const std::string& name_prefix = "",
                                                                  bool include_self = true);

  /// This module as a ModuleType (an Impl class, or a holder such as Linear), or nullptr when it
  /// is of another type: `if (auto* linear = child->as<tg::nn::Linear>()) ...`.
  template <typename ModuleType>
  typename detail::AsType<ModuleType>::type* as() noexcept {
    return dynamic_cast<typename detail::AsType<ModuleType>::type*>(this);
  }
  template <typename ModuleType>
  const typename detail::AsType<ModuleType>::type* as() const noexcept {
    return dynamic_cast<const typename detail::AsType<ModuleType>::type*>(this);
  }

  /// Sets training mode here and in every submodule (Dropout and BatchNorm behave differently).
  virtual void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return is_training_; }

  /// Resets every parameter's gradient: undefined when set_to_none (libtorch's default), else zeros.
  void zero_grad(bool set_to_none = true);
  /// Converts every parameter and floating buffer to `dtype` in place.
  void to(ScalarType dtype, bool non_blocking = false);
  /// Moves the module to `device`: the CPU is the only one, another is a tg::Error
  /// (tensorgrad/device.h).
  void to(Device device, bool non_blocking = false);
  void to(Device device, ScalarType dtype, bool non_blocking = false);

  /// Writes a one-line description of this module (not of its children).
  virtual void pretty_print(std::ostream& stream) const;

  /// A deep copy: new parameters and buffers with the same values, and a clone of every
  /// submodule. Modules derived from tg::nn::Cloneable<Derived> have it (every tg::nn module
  /// does); for others it is an error naming the module. The device must be the CPU.
  virtual std::shared_ptr<Module> clone(const std::optional<Device>& device = std::nullopt) const;

 protected:
  void add_child(std::string name, std::shared_ptr<Module> module);
  // The containers (ParameterList, ParameterDict) keep their elements here, as libtorch's.
  OrderedDict<std::string, Tensor> parameters_{std::string("Parameter")};
  OrderedDict<std::string, Tensor> buffers_{std::string("Buffer")};
  OrderedDict<std::string, std::shared_ptr<Module>> children_{std::string("Submodule")};

 private:
  template <typename Derived>
  friend class Cloneable;
  // Makes this module a clone of `other` (Cloneable: other's clone assigned to this object, so
  // that the parent's holders of this module see the clone).
  virtual void clone_(Module& other, const std::optional<Device>& device);
  void collect(const std::string& prefix, bool recurse, bool params, OrderedDict<std::string, Tensor>& out) const;
  mutable std::string name_;
  bool is_training_ = true;
};

/// The base of a module that can be cloned, as libtorch's nn::Cloneable: Derived implements
/// reset(), which (re)creates its parameters, buffers and submodules; clone() copies the object,
/// calls reset() on the copy, and gives the copy's parameters and buffers the values of this
/// module's, and its submodules clones of this module's.
///
///     struct NetImpl : tg::nn::Cloneable<NetImpl> {
///       NetImpl() { reset(); }
///       void reset() override { fc = register_module("fc", tg::nn::Linear(4, 2)); }
///       tg::nn::Linear fc{nullptr};
///     };
template <typename Derived>
class Cloneable : public Module {
 public:
  using Module::Module;

  /// (Re)creates the parameters, buffers and submodules.
  virtual void reset() = 0;

  std::shared_ptr<Module> clone(const std::optional<Device>& device = std::nullopt) const override {
    if (device) check_cpu(*device, "clone");
    NoGradGuard no_grad;
    auto copy = std::make_shared<Derived>(static_cast<const Derived&>(*this));
    copy->parameters_.clear();
    copy->buffers_.clear();
    copy->children_.clear();
    copy->reset();
    auto check = [this](size_t got, size_t want, const char* what) {
      TG_CHECK(got == want,
               "clone: the cloned {} does not have the same number of {} as the original module ({} vs {}). Did you "
               "forget to register all {} in reset()?",
               name(), what, got, want, what);
    };
    check(copy->parameters_.size(), parameters_.size(), "parameters");
    check(copy->buffers_.size(), buffers_.size(), "buffers");
    check(copy->children_.size(), children_.size(), "submodules");
    for (const auto& p : parameters_) {
      if (p.value().defined()) copy->parameters_[p.key()].set_data(p.value().clone());
    }
    for (const auto& b : buffers_) {
      if (b.value().defined()) copy->buffers_[b.key()].set_data(b.value().clone());
    }
    for (const auto& c : children_) copy->children_[c.key()]->clone_(*c.value(), device);
    return copy;
  }

 private:
  void clone_(Module& other, const std::optional<Device>& device) final {
    auto cloned = std::dynamic_pointer_cast<Derived>(other.clone(device));
    TG_CHECK(cloned != nullptr,
             "clone: attempted to clone submodule {}, but it is of a different type than the submodule it was to be "
             "cloned into ({})",
             other.name(), name());
    static_cast<Derived&>(*this) = *cloned;
  }
};

/// Prints the module tree, as libtorch:
///   Net(
///     (fc1): tg::nn::Linear(in_features=784, out_features=64, bias=true)
///   )
std::ostream& operator<<(std::ostream& stream, const Module& module);

/// Holds a std::shared_ptr<Impl>; `holder->member`, `holder(args...)` calls forward.
/// `Linear fc{nullptr};` declares an empty holder to be assigned later.
template <typename Contained>
class ModuleHolder {
 public:
  using ContainedType = Contained;

  /// Default-constructs the module (when it has a default constructor).
  ModuleHolder() : impl_(std::make_shared<Contained>()) {}
  /* implicit */ ModuleHolder(std::nullptr_t) {}
  /* implicit */ ModuleHolder(std::shared_ptr<Contained> module) : impl_(std::move(module)) {}
  /// Constructs the module from the arguments of its constructor.
  template <typename Head, typename... Tail,
            typename = std::enable_if_t<!(std::is_same<std::decay_t<Head>, std::nullptr_t>::value ||
                                          std::is_convertible<std::decay_t<Head>, std::shared_ptr<Contained>>::value ||
                                          std::is_base_of<ModuleHolder, std::decay_t<Head>>::value) ||
                                        sizeof...(Tail) != 0>>
  explicit ModuleHolder(Head&& head, Tail&&... tail)
      : impl_(std::make_shared<Contained>(std::forward<Head>(head), std::forward<Tail>(tail)...)) {}

  Contained* operator->() { return get(); }
  const Contained* operator->() const { return get(); }
  Contained& operator*() { return *get(); }
  const Contained& operator*() const { return *get(); }
  const std::shared_ptr<Contained>& ptr() const { return impl_; }
  Contained* get() const {
    TG_CHECK(impl_ != nullptr, "Accessing empty ModuleHolder");
    return impl_.get();
  }
  bool is_empty() const { return impl_ == nullptr; }
  explicit operator bool() const { return impl_ != nullptr; }

  /// Indexing forwarded to the module (Sequential: holder[i]).
  template <typename Arg>
  decltype(auto) operator[](Arg&& arg) {
    return (*get())[std::forward<Arg>(arg)];
  }

  /// Calls the module's forward.
  template <typename... Args>
  decltype(auto) operator()(Args&&... args) {
    return get()->forward(std::forward<Args>(args)...);
  }

 private:
  std::shared_ptr<Contained> impl_;
};

template <typename C>
std::ostream& operator<<(std::ostream& stream, const ModuleHolder<C>& h) {
  return stream << *h;
}

}  // namespace nn
}  // namespace tg

/// TG_MODULE(Net) defines `Net`, a holder of NetImpl, as libtorch's TORCH_MODULE.
#define TG_MODULE(Name)                                         \
  class Name : public ::tg::nn::ModuleHolder<Name##Impl> {      \
   public:                                                      \
    using ::tg::nn::ModuleHolder<Name##Impl>::ModuleHolder;     \
  }
/// libtorch's spelling, so that code using it compiles unchanged.
#define TORCH_MODULE(Name) TG_MODULE(Name)
