#pragma once
/// \file containers.h
/// The module containers of libtorch's C++ frontend: Sequential, ModuleList, ModuleDict,
/// ParameterList, ParameterDict, and Functional (a function as a module).
///
///     tg::nn::Sequential net(tg::nn::Linear(2, 8), tg::nn::Tanh(), tg::nn::Linear(8, 1));
///     tg::nn::Sequential named({{"fc1", tg::nn::Linear(2, 8)}, {"act", tg::nn::Tanh()}});
///     tg::Tensor y = net->forward(x);            // each module's output is the next one's input
///     tg::nn::ModuleList blocks(tg::nn::Linear(4, 4), tg::nn::Linear(4, 4));
///     for (const auto& block : *blocks) ...;    // std::shared_ptr<Module>
///
/// Every element is registered as a submodule ("0", "1", ... or its name), so its parameters are
/// the container's and printing shows it. Sequential keeps its modules as AnyModules
/// (tensorgrad/nn/any.h), so they may have forwards of any signature; see docs/architecture.md
/// ("Containers").

#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "tensorgrad/nn/any.h"
#include "tensorgrad/nn/module.h"
#include "tensorgrad/tensor.h"

namespace tg {
namespace nn {

// ---- Sequential ----------------------------------------------------------------------------------

/// Runs its modules one after another: the first gets forward's arguments, each next one the
/// previous one's result; forward<ReturnType>() returns the last result (an error when it is of
/// another type). Modules are appended as holders (Linear(...)), std::shared_ptrs, values
/// (copied once), or AnyModules, with a name or under their position.
class SequentialImpl : public Cloneable<SequentialImpl> {
 public:
  using Iterator = std::vector<AnyModule>::iterator;
  using ConstIterator = std::vector<AnyModule>::const_iterator;

  SequentialImpl() : Cloneable("tg::nn::Sequential") {}
  template <typename... Modules> explicit SequentialImpl(Modules&&... modules) : Cloneable("tg::nn::Sequential") {
    modules_.reserve(sizeof...(Modules));
    (push_back(std::forward<Modules>(modules)), ...);
  }
  /// From (name, module) pairs, in order.
  explicit SequentialImpl(OrderedDict<std::string, AnyModule>&& named_modules) : Cloneable("tg::nn::Sequential") {
    modules_.reserve(named_modules.size());
    for (auto& item : named_modules) push_back(item.key(), std::move(item.value()));
  }
  explicit SequentialImpl(std::initializer_list<NamedAnyModule> named_modules) : Cloneable("tg::nn::Sequential") {
    modules_.reserve(named_modules.size());
    for (const auto& item : named_modules) push_back(item.name(), item.module());
  }

  void reset() override {}
  /// A Sequential of clones of its modules, under the same names.
  std::shared_ptr<Module> clone(const std::optional<Device>& device = std::nullopt) const override {
    auto copy = std::make_shared<SequentialImpl>();
    const auto names = named_children().keys();
    for (size_t i = 0; i < modules_.size(); ++i) copy->push_back(names[i], modules_[i].clone(device));
    return copy;
  }
  void pretty_print(std::ostream& stream) const override { stream << "tg::nn::Sequential"; }

  /// Appends a module under its position ("0", "1", ...) or under `name`.
  template <typename M> void push_back(M&& module) {
    push_back(std::to_string(modules_.size()), std::forward<M>(module));
  }
  template <typename M, typename = std::enable_if_t<std::is_base_of<Module, std::decay_t<M>>::value>>
  void push_back(std::string name, M&& module) {
    push_back(std::move(name), AnyModule(std::forward<M>(module)));
  }
  template <typename M> void push_back(std::string name, std::shared_ptr<M> module) {
    push_back(std::move(name), AnyModule(std::move(module)));
  }
  template <typename M> void push_back(std::string name, const ModuleHolder<M>& holder) {
    push_back(std::move(name), AnyModule(holder));
  }
  void push_back(std::string name, AnyModule any_module) {
    TG_CHECK(!any_module.is_empty(), "Sequential::push_back: the module '{}' is empty", name);
    register_module(std::move(name), any_module.ptr());
    modules_.push_back(std::move(any_module));
  }
  /// Appends every module of a container (another Sequential, a std::vector of modules, ...).
  template <typename Container> void extend(const Container& container) {
    for (const auto& module : container) push_back(module);
  }

  /// Runs the modules in order; the last one's result as ReturnType.
  template <typename ReturnType = Tensor, typename... InputTypes> ReturnType forward(InputTypes&&... inputs) {
    TG_CHECK(!is_empty(), "Cannot call forward() on an empty Sequential");
    auto it = modules_.begin();
    AnyValue value = it->any_forward(std::forward<InputTypes>(inputs)...);
    for (++it; it != modules_.end(); ++it) value = it->any_forward(std::move(value));
    if (ReturnType* result = value.template try_get<ReturnType>()) return std::move(*result);
    TG_ERROR("The type of the return value is {}, but you asked for type {}", demangle(value.type_info().name()),
             demangle_type<ReturnType>());
  }

  Iterator begin() { return modules_.begin(); }
  ConstIterator begin() const { return modules_.begin(); }
  Iterator end() { return modules_.end(); }
  ConstIterator end() const { return modules_.end(); }
  size_t size() const noexcept { return modules_.size(); }
  bool is_empty() const noexcept { return modules_.empty(); }

  /// The module at a position, as its own type M (an error when it is another type).
  template <typename M> M& at(size_t index) const {
    check_index(index);
    TG_CHECK(typeid(M) == modules_[index].type_info(), "Sequential::at: Attempted to cast module of type {} to type {}",
             demangle(modules_[index].type_info().name()), demangle_type<M>());
    return modules_[index].get<M>();
  }
  /// The module at a position.
  std::shared_ptr<Module> ptr(size_t index) const {
    check_index(index);
    return modules_[index].ptr();
  }
  template <typename M> std::shared_ptr<M> ptr(size_t index) const {
    check_index(index);
    return modules_[index].ptr<M>();
  }
  std::shared_ptr<Module> operator[](size_t index) const { return ptr(index); }

 private:
  void check_index(size_t index) const {
    TG_CHECK(index < modules_.size(), "Sequential: Index out of range: index {} of a Sequential of {} modules", index,
             modules_.size());
  }
  std::vector<AnyModule> modules_;
};

/// A holder of a SequentialImpl; also constructible from {name, module} pairs.
class Sequential : public ModuleHolder<SequentialImpl> {
 public:
  using ModuleHolder<SequentialImpl>::ModuleHolder;
  Sequential() : ModuleHolder() {}
  Sequential(std::initializer_list<NamedAnyModule> named_modules)  // NOLINT: implicit, as libtorch's
      : ModuleHolder(std::make_shared<SequentialImpl>(named_modules)) {}
};

// ---- ModuleList ----------------------------------------------------------------------------------

/// A list of submodules without a forward of its own, as libtorch's nn::ModuleList: the modules
/// are registered as "0", "1", ... (so their parameters are the list's) and used by hand:
///     for (const auto& m : *list) ...;   list->at<LinearImpl>(0);   list[1]
class ModuleListImpl : public Cloneable<ModuleListImpl> {
 public:
  using Iterator = std::vector<std::shared_ptr<Module>>::iterator;
  using ConstIterator = std::vector<std::shared_ptr<Module>>::const_iterator;

  ModuleListImpl() : Cloneable("tg::nn::ModuleList") {}
  template <typename... Modules> explicit ModuleListImpl(Modules&&... modules) : Cloneable("tg::nn::ModuleList") {
    modules_.reserve(sizeof...(Modules));
    (push_back(std::forward<Modules>(modules)), ...);
  }

  void reset() override {}
  /// A ModuleList of clones of its modules.
  std::shared_ptr<Module> clone(const std::optional<Device>& device = std::nullopt) const override {
    auto copy = std::make_shared<ModuleListImpl>();
    for (const auto& m : modules_) copy->push_back(m->clone(device));
    return copy;
  }
  void pretty_print(std::ostream& stream) const override { stream << "tg::nn::ModuleList"; }

  /// Appends a module: a holder, a std::shared_ptr, or a value (copied once).
  void push_back(std::shared_ptr<Module> module) {
    TG_CHECK(module != nullptr, "ModuleList::push_back: the module is empty");
    modules_.push_back(std::move(module));
    register_module(std::to_string(modules_.size() - 1), modules_.back());
  }
  template <typename M> void push_back(const ModuleHolder<M>& holder) {
    push_back(std::shared_ptr<Module>(holder.ptr()));
  }
  template <typename M, typename = std::enable_if_t<std::is_base_of<Module, std::decay_t<M>>::value>>
  void push_back(M&& module) {
    push_back(std::shared_ptr<Module>(std::make_shared<std::decay_t<M>>(std::forward<M>(module))));
  }
  /// Inserts a module before position `index` (0 <= index <= size()); the later modules move up
  /// by one and are registered under their new positions.
  void insert(size_t index, std::shared_ptr<Module> module) {
    TG_CHECK(index <= modules_.size(),
             "ModuleList::insert: Index out of range: insert at {} into a ModuleList of {} modules", index,
             modules_.size());
    TG_CHECK(module != nullptr, "ModuleList::insert: the module is empty");
    if (index == modules_.size()) return push_back(std::move(module));
    modules_.insert(modules_.begin() + static_cast<std::ptrdiff_t>(index), std::move(module));
    for (size_t i = index; i + 1 < modules_.size(); ++i) replace_module(std::to_string(i), modules_[i]);
    register_module(std::to_string(modules_.size() - 1), modules_.back());
  }
  template <typename M> void insert(size_t index, const ModuleHolder<M>& holder) {
    insert(index, std::shared_ptr<Module>(holder.ptr()));
  }
  template <typename M, typename = std::enable_if_t<std::is_base_of<Module, std::decay_t<M>>::value>>
  void insert(size_t index, M&& module) {
    insert(index, std::shared_ptr<Module>(std::make_shared<std::decay_t<M>>(std::forward<M>(module))));
  }
  /// Appends every module of a container (another ModuleList, a std::vector of modules, ...).
  template <typename Container> void extend(const Container& container) {
    for (const auto& module : container) push_back(module);
  }

  Iterator begin() { return modules_.begin(); }
  ConstIterator begin() const { return modules_.begin(); }
  Iterator end() { return modules_.end(); }
  ConstIterator end() const { return modules_.end(); }
  size_t size() const noexcept { return modules_.size(); }
  bool is_empty() const noexcept { return modules_.empty(); }

  /// The module at a position, as its own type M (an error when it is another type).
  template <typename M> M& at(size_t index) { return *typed<M>(index, "at"); }
  template <typename M> const M& at(size_t index) const { return *typed<M>(index, "at"); }
  std::shared_ptr<Module> ptr(size_t index) const {
    check_index(index);
    return modules_[index];
  }
  template <typename M> std::shared_ptr<M> ptr(size_t index) const { return std::dynamic_pointer_cast<M>(ptr(index)); }
  std::shared_ptr<Module> operator[](size_t index) const { return ptr(index); }

 private:
  void check_index(size_t index) const {
    TG_CHECK(index < modules_.size(), "ModuleList: Index out of range: index {} of a ModuleList of {} modules", index,
             modules_.size());
  }
  template <typename M> M* typed(size_t index, const char* what) const {
    static_assert(std::is_base_of<Module, M>::value, "ModuleList::at<M>: M must be a module type (FooImpl)");
    check_index(index);
    auto* m = dynamic_cast<M*>(modules_[index].get());
    TG_CHECK(m != nullptr, "ModuleList::{}: the module at index {} is a {}, not a {}", what, index,
             demangle(typeid(*modules_[index]).name()), demangle_type<M>());
    return m;
  }
  std::vector<std::shared_ptr<Module>> modules_;
};
TG_MODULE(ModuleList);

// ---- ModuleDict ----------------------------------------------------------------------------------

/// Named submodules without a forward of their own, as libtorch's nn::ModuleDict:
///     ModuleDict heads({{"cls", Linear(8, 10).ptr()}, {"box", Linear(8, 4).ptr()}});
///     heads["cls"];   heads->at<LinearImpl>("box");   for (const auto& item : *heads) ...
/// A key that is already there is replaced in place (update, insert); pop removes the module.
class ModuleDictImpl : public Cloneable<ModuleDictImpl> {
 public:
  using Iterator = OrderedDict<std::string, std::shared_ptr<Module>>::Iterator;
  using ConstIterator = OrderedDict<std::string, std::shared_ptr<Module>>::ConstIterator;

  ModuleDictImpl() : Cloneable("tg::nn::ModuleDict") {}
  explicit ModuleDictImpl(const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& modules)
      : ModuleDictImpl() {
    update(modules);
  }
  explicit ModuleDictImpl(const OrderedDict<std::string, std::shared_ptr<Module>>& modules) : ModuleDictImpl() {
    update(modules);
  }

  void reset() override {}
  /// A ModuleDict of clones of its modules, under the same keys.
  std::shared_ptr<Module> clone(const std::optional<Device>& device = std::nullopt) const override {
    auto copy = std::make_shared<ModuleDictImpl>();
    for (const auto& item : modules_) copy->insert(item.key(), item.value()->clone(device));
    return copy;
  }
  void pretty_print(std::ostream& stream) const override { stream << "tg::nn::ModuleDict"; }

  /// Adds a module under `key`, or replaces the one there.
  void insert(const std::string& key, std::shared_ptr<Module> module) {
    TG_CHECK(module != nullptr, "ModuleDict::insert: the module '{}' is empty", key);
    if (std::shared_ptr<Module>* existing = modules_.find(key)) {
      *existing = module;
      replace_module(key, std::move(module));
    } else {
      register_module(key, module);
      modules_.insert(key, std::move(module));
    }
  }
  void update(const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& modules) {
    for (const auto& item : modules) insert(item.first, item.second);
  }
  /// From any container of items with key() and value(): an OrderedDict, another ModuleDict.
  template <typename Container> void update(const Container& container) {
    for (const auto& item : container) insert(item.key(), item.value());
  }
  /// Removes the module under `key` and returns it ("Submodule 'x' is not defined" when none).
  std::shared_ptr<Module> pop(const std::string& key) {
    std::shared_ptr<Module> module = modules_[key];
    modules_.erase(key);
    unregister_module(key);
    return module;
  }
  void clear() {
    for (const auto& key : modules_.keys()) unregister_module(key);
    modules_.clear();
  }

  std::shared_ptr<Module> operator[](const std::string& key) const { return modules_[key]; }
  /// The module under `key` as its own type M (an error when it is another type).
  template <typename M> M& at(const std::string& key) const {
    static_assert(std::is_base_of<Module, M>::value, "ModuleDict::at<M>: M must be a module type (FooImpl)");
    const std::shared_ptr<Module>& module = modules_[key];
    auto* m = dynamic_cast<M*>(module.get());
    TG_CHECK(m != nullptr, "ModuleDict::at: the module '{}' is a {}, not a {}", key, demangle(typeid(*module).name()),
             demangle_type<M>());
    return *m;
  }
  bool contains(const std::string& key) const noexcept { return modules_.contains(key); }
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> items() const { return modules_.pairs(); }
  std::vector<std::string> keys() const { return modules_.keys(); }
  std::vector<std::shared_ptr<Module>> values() const { return modules_.values(); }
  Iterator begin() { return modules_.begin(); }
  ConstIterator begin() const { return modules_.begin(); }
  Iterator end() { return modules_.end(); }
  ConstIterator end() const { return modules_.end(); }
  size_t size() const noexcept { return modules_.size(); }
  bool empty() const noexcept { return modules_.is_empty(); }

 private:
  OrderedDict<std::string, std::shared_ptr<Module>> modules_{std::string("Submodule")};
};
TG_MODULE(ModuleDict);

// ---- ParameterList, ParameterDict ---------------------------------------------------------------

namespace detail {
// "(name): Parameter containing: [Float of size [1, 2]]" for each parameter, as libtorch.
void print_parameter_container(std::ostream& stream, const char* name, const OrderedDict<std::string, Tensor>& params);
// Registers in `into` a copy of each parameter of `from`, under the same name.
void clone_parameters(const Module& from, Module& into, const std::optional<Device>& device);

// What ParameterList and ParameterDict share: the module's own parameters are the elements
// (iterated as OrderedDict items), printed one per line, cloned parameter by parameter.
template <typename Derived>
class ParameterContainer : public Cloneable<Derived> {
 public:
  using Iterator = OrderedDict<std::string, Tensor>::Iterator;
  using ConstIterator = OrderedDict<std::string, Tensor>::ConstIterator;
  using Cloneable<Derived>::Cloneable;

  void reset() override {}
  void pretty_print(std::ostream& stream) const override {
    print_parameter_container(stream, this->name().c_str(), this->parameters_);
  }
  /// A container of copies of its parameters (each with its own requires_grad).
  std::shared_ptr<Module> clone(const std::optional<Device>& device = std::nullopt) const override {
    auto copy = std::make_shared<Derived>();
    clone_parameters(*this, *copy, device);
    return copy;
  }
  Iterator begin() { return this->parameters_.begin(); }
  ConstIterator begin() const { return this->parameters_.begin(); }
  Iterator end() { return this->parameters_.end(); }
  ConstIterator end() const { return this->parameters_.end(); }
  size_t size() const noexcept { return this->parameters_.size(); }
};
}  // namespace detail

/// Parameters registered as "0", "1", ..., as libtorch's nn::ParameterList. Each keeps its own
/// requires_grad. Iterating gives OrderedDict items (key(), value()).
class ParameterListImpl : public detail::ParameterContainer<ParameterListImpl> {
 public:
  ParameterListImpl() : ParameterContainer("tg::nn::ParameterList") {}
  template <typename... Tensors>
  explicit ParameterListImpl(const Tensors&... params) : ParameterContainer("tg::nn::ParameterList") {
    parameters_.reserve(sizeof...(Tensors));
    (append(params), ...);
  }

  void append(const Tensor& param) {
    register_parameter(std::to_string(parameters_.size()), param, param.requires_grad());
  }
  void append(const OrderedDict<std::string, Tensor>::Item& item) { append(item.value()); }
  /// Appends every parameter of a container (another ParameterList, a std::vector<Tensor>, ...).
  template <typename Container> void extend(const Container& container) {
    for (const auto& param : container) append(param);
  }
  template <typename Container> ParameterListImpl& operator+=(const Container& other) {
    extend(other);
    return *this;
  }

  Tensor& at(size_t index) {
    check_index(index);
    return parameters_[std::to_string(index)];
  }
  const Tensor& at(size_t index) const {
    check_index(index);
    return parameters_[std::to_string(index)];
  }
  Tensor& operator[](size_t index) { return at(index); }
  const Tensor& operator[](size_t index) const { return at(index); }
  bool is_empty() const noexcept { return parameters_.is_empty(); }

 private:
  void check_index(size_t index) const {
    TG_CHECK(index < parameters_.size(), "ParameterList: Index out of range: index {} of a ParameterList of {}", index,
             parameters_.size());
  }
};
TG_MODULE(ParameterList);

/// Named parameters, as libtorch's nn::ParameterDict: insert adds one (keeping its
/// requires_grad), pop removes one, update replaces the values of keys that are already there
/// (a new key is an error, as libtorch's: "Parameter 'x' is not defined").
class ParameterDictImpl : public detail::ParameterContainer<ParameterDictImpl> {
 public:
  ParameterDictImpl() : ParameterContainer("tg::nn::ParameterDict") {}
  explicit ParameterDictImpl(const OrderedDict<std::string, Tensor>& params) : ParameterDictImpl() {
    for (const auto& item : params) insert(item.key(), item.value());
  }

  Tensor& insert(const std::string& key, const Tensor& param) {
    return register_parameter(key, param, param.requires_grad());
  }
  Tensor pop(const std::string& key) {
    Tensor value = parameters_[key];
    parameters_.erase(key);
    return value;
  }
  template <typename Container> void update(const Container& container) {
    for (const auto& item : container) parameters_[item.key()] = item.value();
  }
  void clear() { parameters_.clear(); }
  bool contains(const std::string& key) const noexcept { return parameters_.contains(key); }
  Tensor& get(const std::string& key) { return parameters_[key]; }
  const Tensor& get(const std::string& key) const { return parameters_[key]; }
  Tensor& operator[](const std::string& key) { return parameters_[key]; }
  const Tensor& operator[](const std::string& key) const { return parameters_[key]; }
  std::vector<std::string> keys() const { return parameters_.keys(); }
  std::vector<Tensor> values() const { return parameters_.values(); }
  bool empty() const noexcept { return parameters_.is_empty(); }
};
TG_MODULE(ParameterDict);

// ---- Functional ----------------------------------------------------------------------------------

/// A function as a module, as libtorch's nn::Functional: Functional(tg::relu), or with the
/// arguments that follow the input bound, Functional(tg::leaky_relu, 0.2). Usable in Sequential.
class FunctionalImpl : public Cloneable<FunctionalImpl> {
 public:
  void reset() override {}
  using Function = std::function<Tensor(Tensor)>;
  explicit FunctionalImpl(Function function) : Cloneable("tg::nn::Functional"), function_(std::move(function)) {
    TG_CHECK(function_ != nullptr, "Functional: the function is empty");
  }
  template <typename F, typename A, typename... Rest>
  FunctionalImpl(F function, A&& arg, Rest&&... rest)
      : FunctionalImpl(Function([function, arg, rest...](Tensor x) { return function(x, arg, rest...); })) {}
  Tensor forward(Tensor input) { return function_(std::move(input)); }
  void pretty_print(std::ostream& stream) const override { stream << "tg::nn::Functional()"; }

 private:
  Function function_;
};
TG_MODULE(Functional);

}  // namespace nn
}  // namespace tg
