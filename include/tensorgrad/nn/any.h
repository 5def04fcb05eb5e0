#pragma once
/// \file any.h
/// Type-erased modules, as libtorch's nn::AnyModule and nn::AnyValue: what Sequential stores.
///
///     tg::nn::AnyModule any(tg::nn::Linear(3, 4));
///     tg::Tensor y = any.forward(x);           // forward's return type, Tensor by default
///     int n = counter.forward<int>(1);          // a module whose forward is int(int)
///     tg::nn::AnyValue v = any.any_forward(x);  // the result, type-erased
///
/// An AnyModule holds a std::shared_ptr to any module whose `forward` is a single (not
/// overloaded, not template) member function. Its arguments are boxed in AnyValues and unboxed
/// to forward's parameter types when it is called: a value of another type is a tg::Error naming
/// the argument and both types, as libtorch's. A module whose forward has default arguments
/// declares them with FORWARD_HAS_DEFAULT_ARGS({index, AnyValue(default)}, ...), so that a
/// Sequential or an AnyModule may call it with fewer arguments. See docs/architecture.md
/// ("Containers").

#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "tensorgrad/device.h"
#include "tensorgrad/error.h"
#include "tensorgrad/nn/module.h"
#include "tensorgrad/tensor.h"
#include "tensorgrad/util.h"

namespace tg {
namespace nn {

/// A value of any copyable type, as libtorch's AnyValue: get<T>() returns it when T is its type
/// and is an error otherwise; try_get<T>() returns a pointer or nullptr.
class AnyValue {
 public:
  template <typename T, typename = std::enable_if_t<!std::is_same<std::decay_t<T>, AnyValue>::value>>
  explicit AnyValue(T&& value) : content_(std::make_unique<Holder<std::decay_t<T>>>(std::forward<T>(value))) {}
  AnyValue(AnyValue&&) = default;
  AnyValue& operator=(AnyValue&&) = default;
  AnyValue(const AnyValue& other) : content_(other.content_->clone()) {}
  AnyValue& operator=(const AnyValue& other) {
    if (this != &other) content_ = other.content_->clone();
    return *this;
  }

  template <typename T> T* try_get() {
    static_assert(!std::is_reference<T>::value, "AnyValue::try_get: ask for a value type, not a reference");
    if (typeid(T) != type_info()) return nullptr;
    return &static_cast<Holder<T>&>(*content_).value;
  }
  template <typename T> T get() {
    if (T* value = try_get<T>()) return *value;
    TG_ERROR("Attempted to cast AnyValue to {}, but its actual type is {}", demangle_type<T>(),
             demangle(type_info().name()));
  }
  const std::type_info& type_info() const noexcept { return content_->type_info; }

 private:
  struct Placeholder {
    explicit Placeholder(const std::type_info& t) noexcept : type_info(t) {}
    virtual ~Placeholder() = default;
    virtual std::unique_ptr<Placeholder> clone() const = 0;
    const std::type_info& type_info;
  };
  template <typename T> struct Holder : Placeholder {
    template <typename U> explicit Holder(U&& v) : Placeholder(typeid(T)), value(std::forward<U>(v)) {}
    std::unique_ptr<Placeholder> clone() const override { return std::make_unique<Holder<T>>(value); }
    T value;
  };
  std::unique_ptr<Placeholder> content_;
};

namespace detail {
// The parameter and return types of M::forward.
template <typename F> struct ForwardSignature;
template <typename C, typename R, typename... A> struct ForwardSignature<R (C::*)(A...)> {
  using Return = R;
  using Arguments = std::tuple<A...>;
};
template <typename C, typename R, typename... A>
struct ForwardSignature<R (C::*)(A...) const> : ForwardSignature<R (C::*)(A...)> {};

// The member function pointer type of M::forward; for a forward that is a template taking any
// arguments (a Sequential's), its Tensor(const Tensor&) instance, so that a Sequential may hold
// another Sequential (libtorch's cannot).
template <typename M, typename = void> struct ForwardPointer {
  using type = decltype(&M::template forward<Tensor, const Tensor&>);
};
template <typename M> struct ForwardPointer<M, std::void_t<decltype(&M::forward)>> {
  using type = decltype(&M::forward);
};
template <typename M> using ForwardOf = ForwardSignature<typename ForwardPointer<M>::type>;

// Whether M declared FORWARD_HAS_DEFAULT_ARGS.
template <typename M, typename = void> struct HasDefaultArguments : std::false_type {};
template <typename M>
struct HasDefaultArguments<M, std::void_t<decltype(&M::_forward_num_required_args)>> : std::true_type {};
}  // namespace detail

/// A module of any type with a forward, as libtorch's AnyModule. Copies share the module;
/// clone() copies it deeply.
class AnyModule {
 public:
  AnyModule() = default;
  template <typename M, typename = std::enable_if_t<std::is_base_of<Module, M>::value>>
  explicit AnyModule(std::shared_ptr<M> module) : content_(make_holder(std::move(module))) {}
  template <typename M, typename = std::enable_if_t<std::is_base_of<Module, std::decay_t<M>>::value>, typename = void>
  explicit AnyModule(M&& module) : AnyModule(std::make_shared<std::decay_t<M>>(std::forward<M>(module))) {}
  template <typename M> explicit AnyModule(const ModuleHolder<M>& holder) : AnyModule(holder.ptr()) {}
  AnyModule(AnyModule&&) = default;
  AnyModule& operator=(AnyModule&&) = default;
  AnyModule(const AnyModule& other) : content_(other.content_ ? other.content_->copy() : nullptr) {}
  AnyModule& operator=(const AnyModule& other) {
    if (this != &other) content_ = other.content_ ? other.content_->copy() : nullptr;
    return *this;
  }
  template <typename M> AnyModule& operator=(std::shared_ptr<M> module) { return *this = AnyModule(std::move(module)); }

  /// Calls forward with these arguments; the result type-erased.
  template <typename... Args> AnyValue any_forward(Args&&... args) {
    std::vector<AnyValue> values;
    values.reserve(sizeof...(Args));
    (values.emplace_back(std::forward<Args>(args)), ...);
    return any_forward(std::move(values));
  }
  AnyValue any_forward(std::vector<AnyValue>&& arguments) {
    check_not_empty("forward");
    return content_->forward(std::move(arguments));
  }
  /// Calls forward; the result as ReturnType (an error when forward returned another type).
  template <typename ReturnType = Tensor, typename... Args> ReturnType forward(Args&&... args) {
    return any_forward(std::forward<Args>(args)...).template get<ReturnType>();
  }

  /// A deep copy: an AnyModule of the module's clone (tensorgrad/nn/module.h's Cloneable).
  AnyModule clone(const std::optional<Device>& device = std::nullopt) const {
    check_not_empty("clone");
    AnyModule copy;
    copy.content_ = content_->clone_module(device);
    return copy;
  }

  /// The module, as a Module or as its own type M (an error when it is another type).
  std::shared_ptr<Module> ptr() const {
    check_not_empty("ptr");
    return content_->module();
  }
  template <typename M, typename = std::enable_if_t<std::is_base_of<Module, M>::value>> std::shared_ptr<M> ptr() const {
    check_type<M>("ptr");
    return std::static_pointer_cast<M>(content_->module());
  }
  /// The module as a reference to M, or, for a holder type (Linear), a holder of it.
  template <typename M, typename = std::enable_if_t<std::is_base_of<Module, M>::value>> M& get() const {
    check_type<M>("get");
    return static_cast<M&>(*content_->module());
  }
  template <typename H, typename Contained = typename H::ContainedType> H get() const { return H(ptr<Contained>()); }

  const std::type_info& type_info() const {
    check_not_empty("type_info");
    return content_->type_info;
  }
  bool is_empty() const noexcept { return content_ == nullptr; }

 private:
  struct Placeholder {
    explicit Placeholder(const std::type_info& t) noexcept : type_info(t) {}
    virtual ~Placeholder() = default;
    virtual AnyValue forward(std::vector<AnyValue>&& arguments) = 0;
    virtual std::shared_ptr<Module> module() const = 0;
    virtual std::unique_ptr<Placeholder> copy() const = 0;
    virtual std::unique_ptr<Placeholder> clone_module(const std::optional<Device>& device) const = 0;
    const std::type_info& type_info;
  };

  template <typename M, typename Arguments> struct Holder;
  template <typename M, typename... A> struct Holder<M, std::tuple<A...>> : Placeholder {
    explicit Holder(std::shared_ptr<M> m) : Placeholder(typeid(M)), held(std::move(m)) {}

    AnyValue forward(std::vector<AnyValue>&& arguments) override {
      constexpr size_t n = sizeof...(A);
      if constexpr (detail::HasDefaultArguments<M>::value) {
        const size_t required = held->_forward_num_required_args();
        TG_CHECK(arguments.size() >= required && arguments.size() <= n,
                 "{}'s forward() method expects at least {} argument(s) and at most {} argument(s), but received {}.",
                 demangle_type<M>(), required, n, arguments.size());
        if (arguments.size() < n) arguments = held->_forward_populate_default_args(std::move(arguments));
      } else {
        TG_CHECK(arguments.size() == n, "{}'s forward() method expects {} argument(s), but received {}.{}",
                 demangle_type<M>(), n, arguments.size(),
                 arguments.size() < n ? fmt::format(" If {}'s forward() method has default arguments, please make sure "
                                                    "the forward() method is declared with a corresponding "
                                                    "`FORWARD_HAS_DEFAULT_ARGS` macro.",
                                                    demangle_type<M>())
                                      : std::string());
      }
      return call(arguments, std::index_sequence_for<A...>{});
    }
    template <size_t... I> AnyValue call(std::vector<AnyValue>& arguments, std::index_sequence<I...>) {
      (check_argument<std::decay_t<A>>(arguments[I], I), ...);
      using R = typename detail::ForwardOf<M>::Return;
      static_assert(!std::is_void<R>::value, "AnyModule: a module's forward must return a value");
      return AnyValue(held->forward(std::move(*arguments[I].template try_get<std::decay_t<A>>())...));
    }
    template <typename T> void check_argument(AnyValue& value, size_t index) {
      TG_CHECK(value.try_get<T>() != nullptr, "Expected argument #{} to be of type {}, but received value of type {}",
               index, demangle_type<T>(), demangle(value.type_info().name()));
    }

    std::shared_ptr<Module> module() const override { return held; }
    std::unique_ptr<Placeholder> copy() const override { return std::make_unique<Holder>(held); }
    std::unique_ptr<Placeholder> clone_module(const std::optional<Device>& device) const override {
      auto cloned = std::dynamic_pointer_cast<M>(held->clone(device));
      TG_CHECK(cloned != nullptr, "clone: the clone of {} is of another type", held->name());
      return std::make_unique<Holder>(std::move(cloned));
    }
    std::shared_ptr<M> held;
  };

  template <typename M> static std::unique_ptr<Placeholder> make_holder(std::shared_ptr<M> module) {
    TG_CHECK(module != nullptr, "AnyModule: the module is empty (a null std::shared_ptr or holder)");
    using Arguments = typename detail::ForwardOf<M>::Arguments;
    return std::make_unique<Holder<M, Arguments>>(std::move(module));
  }
  void check_not_empty(const char* what) const {
    TG_CHECK(content_ != nullptr, "Cannot call {}() on an empty AnyModule", what);
  }
  template <typename M> void check_type(const char* what) const {
    check_not_empty(what);
    TG_CHECK(typeid(M) == content_->type_info, "Attempted to cast module of type {} to type {}",
             demangle(content_->type_info.name()), demangle_type<M>());
  }

  std::unique_ptr<Placeholder> content_;
};

/// A name and an AnyModule: the items of Sequential({{"fc", Linear(3, 4)}, {"act", ReLU()}}).
class NamedAnyModule {
 public:
  template <typename M, typename = std::enable_if_t<std::is_base_of<Module, M>::value>>
  NamedAnyModule(std::string name, std::shared_ptr<M> module) : name_(std::move(name)), module_(std::move(module)) {}
  template <typename M, typename = std::enable_if_t<std::is_base_of<Module, std::decay_t<M>>::value>, typename = void>
  NamedAnyModule(std::string name, M&& module) : name_(std::move(name)), module_(std::forward<M>(module)) {}
  template <typename M>
  NamedAnyModule(std::string name, const ModuleHolder<M>& holder) : name_(std::move(name)), module_(holder) {}
  NamedAnyModule(std::string name, AnyModule module) : name_(std::move(name)), module_(std::move(module)) {}
  const std::string& name() const noexcept { return name_; }
  AnyModule& module() noexcept { return module_; }
  const AnyModule& module() const noexcept { return module_; }

 private:
  std::string name_;
  AnyModule module_;
};

}  // namespace nn
}  // namespace tg

/// Declares the default arguments of a module's forward, as libtorch's macro: each is
/// {position, AnyValue(value)}, in order, and the positions are the trailing ones.
///     Tensor forward(const Tensor& input, const Tensor& hx = {});
///     FORWARD_HAS_DEFAULT_ARGS({1, tg::nn::AnyValue(tg::Tensor())})
#define FORWARD_HAS_DEFAULT_ARGS(...)                                                                           \
 public:                                                                                                        \
  unsigned int _forward_num_required_args() {                                                                   \
    std::vector<std::pair<unsigned int, ::tg::nn::AnyValue>> defaults{__VA_ARGS__};                             \
    return defaults[0].first;                                                                                   \
  }                                                                                                             \
  std::vector<::tg::nn::AnyValue> _forward_populate_default_args(std::vector<::tg::nn::AnyValue>&& arguments) { \
    std::vector<std::pair<unsigned int, ::tg::nn::AnyValue>> defaults{__VA_ARGS__};                             \
    const unsigned int given = static_cast<unsigned int>(arguments.size());                                     \
    std::vector<::tg::nn::AnyValue> all = std::move(arguments);                                                 \
    for (auto& d : defaults) {                                                                                  \
      if (d.first >= given) all.push_back(std::move(d.second));                                                 \
    }                                                                                                           \
    return all;                                                                                                 \
  }
