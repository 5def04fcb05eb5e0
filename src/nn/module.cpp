#include "tensorgrad/nn/module.h"

#include "core/tensor_impl.h"
#include "tensorgrad/autograd/grad_mode.h"
#include "tensorgrad/util.h"

namespace tg {
namespace nn {

Module::Module(std::string name) : name_(std::move(name)) {}

const std::string& Module::name() const {
  if (name_.empty()) name_ = demangle(typeid(*this).name());
  return name_;
}

Tensor& Module::register_parameter(std::string name, Tensor tensor, bool requires_grad) {
  TG_CHECK(!name.empty(), "register_parameter: parameter name must not be empty");
  TG_CHECK(name.find('.') == std::string::npos, "register_parameter: parameter name must not contain a dot (got '{}')",
           name);
  TG_CHECK(!parameters_.contains(name), "register_parameter: parameter '{}' already defined in {}", name, this->name());
  // Parameters and buffers share one namespace of names (tg::save writes both under them).
  TG_CHECK(!buffers_.contains(name), "register_parameter: '{}' is already a buffer of {}", name, this->name());
  if (tensor.defined()) {
    if (!tensor.is_leaf()) tensor = tensor.detach();
    tensor.requires_grad_(requires_grad);
  }
  return parameters_.insert(std::move(name), std::move(tensor));
}

Tensor& Module::register_buffer(std::string name, Tensor tensor) {
  TG_CHECK(!name.empty(), "register_buffer: buffer name must not be empty");
  TG_CHECK(name.find('.') == std::string::npos, "register_buffer: buffer name must not contain a dot (got '{}')", name);
  TG_CHECK(!buffers_.contains(name), "register_buffer: buffer '{}' already defined in {}", name, this->name());
  TG_CHECK(!parameters_.contains(name), "register_buffer: '{}' is already a parameter of {}", name, this->name());
  return buffers_.insert(std::move(name), std::move(tensor));
}

void Module::add_child(std::string name, std::shared_ptr<Module> module) {
  TG_CHECK(!name.empty(), "register_module: submodule name must not be empty");
  TG_CHECK(name.find('.') == std::string::npos, "register_module: submodule name must not contain a dot (got '{}')",
           name);
  TG_CHECK(module != nullptr, "register_module: submodule '{}' is empty (a holder declared with nullptr?)", name);
  TG_CHECK(!children_.contains(name), "register_module: submodule '{}' already defined in {}", name, this->name());
  children_.insert(std::move(name), std::move(module));
}

void Module::unregister_module(const std::string& name) {
  TG_CHECK(children_.contains(name), "unregister_module: no submodule named '{}' is registered in {}", name,
           this->name());
  children_.erase(name);
}

void Module::collect(const std::string& prefix, bool recurse, bool params, OrderedDict<std::string, Tensor>& out) const {
  for (const auto& item : params ? parameters_ : buffers_)
    if (item.value().defined()) out.insert(prefix + item.key(), item.value());
  if (!recurse) return;
  for (const auto& c : children_) c.value()->collect(prefix + c.key() + ".", true, params, out);
}

std::vector<Tensor> Module::parameters(bool recurse) const { return named_parameters(recurse).values(); }
OrderedDict<std::string, Tensor> Module::named_parameters(bool recurse) const {
  OrderedDict<std::string, Tensor> out;
  collect("", recurse, true, out);
  return out;
}
std::vector<Tensor> Module::buffers(bool recurse) const { return named_buffers(recurse).values(); }
OrderedDict<std::string, Tensor> Module::named_buffers(bool recurse) const {
  OrderedDict<std::string, Tensor> out;
  collect("", recurse, false, out);
  return out;
}

std::vector<std::shared_ptr<Module>> Module::children() const { return children_.values(); }
OrderedDict<std::string, std::shared_ptr<Module>> Module::named_children() const { return children_; }

std::vector<std::shared_ptr<Module>> Module::modules(bool include_self) {
  std::vector<std::shared_ptr<Module>> out;
  if (include_self) {
    std::shared_ptr<Module> self = weak_from_this().lock();
    TG_CHECK(self != nullptr,
             "modules(): {} is not owned by a std::shared_ptr, so it cannot return itself; create it with "
             "std::make_shared (or a module holder), or call modules(/*include_self=*/false)",
             name());
    out.push_back(std::move(self));
  }
  for (const auto& c : children_)
    for (auto& m : c.value()->modules(true)) out.push_back(m);
  return out;
}

OrderedDict<std::string, std::shared_ptr<Module>> Module::named_modules(const std::string& name_prefix,
                                                                      bool include_self) {
  OrderedDict<std::string, std::shared_ptr<Module>> out;
  if (include_self) {
    std::shared_ptr<Module> self = weak_from_this().lock();
    TG_CHECK(self != nullptr,
             "named_modules(): {} is not owned by a std::shared_ptr, so it cannot return itself; create it with "
             "std::make_shared (or a module holder), or call named_modules(prefix, /*include_self=*/false)",
             name());
    out.insert(name_prefix, std::move(self));
  }
  const std::string prefix = name_prefix.empty() ? "" : name_prefix + ".";
  for (const auto& c : children_) {
    for (auto& m : c.value()->named_modules(prefix + c.key(), true)) out.insert(m.key(), m.value());
  }
  return out;
}

void Module::train(bool on) {
  is_training_ = on;
  for (auto& c : children_) c.value()->train(on);
}

void Module::zero_grad(bool set_to_none) {
  for (auto& p : parameters()) {
    if (!p.grad().defined()) continue;
    if (set_to_none) {
      p.mutable_grad() = Tensor();
    } else {
      NoGradGuard g;
      p.mutable_grad().zero_();
    }
  }
}

std::shared_ptr<Module> Module::clone(const std::optional<Device>& /*device*/) const {
  TG_ERROR("clone() has not been implemented for {}. Subclass tg::nn::Cloneable<{}> instead of tg::nn::Module to "
           "inherit the ability to clone.",
           name(), name());
}

void Module::clone_(Module& /*other*/, const std::optional<Device>& /*device*/) {
  TG_ERROR("clone: {} cannot be cloned into (it is not a tg::nn::Cloneable)", name());
}

void Module::to(Device device, bool /*non_blocking*/) { check_cpu(device, "Module::to"); }
void Module::to(Device device, ScalarType dtype, bool non_blocking) {
  check_cpu(device, "Module::to");
  to(dtype, non_blocking);
}

void Module::to(ScalarType dtype, bool /*non_blocking*/) {
  TG_CHECK(is_floating_point(dtype), "Module::to: only floating-point dtypes are supported, got {}", dtype_name(dtype));
  NoGradGuard g;
  auto convert = [dtype](const Tensor& t) {
    if (!t.defined() || !t.is_floating_point() || t.dtype() == dtype) return;
    // Change the tensor object itself (data and dtype), so that every holder of it sees the change.
    t.set_data(t.to(dtype).contiguous());
    if (t.grad().defined()) t.mutable_grad() = t.grad().to(dtype);
  };
  for (auto& p : parameters()) convert(p);
  for (auto& b : buffers()) convert(b);
}

void Module::pretty_print(std::ostream& stream) const { stream << name(); }

namespace {
void print_tree(std::ostream& os, const Module& m, int indent) {
  m.pretty_print(os);
  auto children = m.named_children();
  if (children.is_empty()) return;
  os << "(\n";
  for (const auto& c : children) {
    os << std::string(indent + 2, ' ') << "(" << c.key() << "): ";
    print_tree(os, *c.value(), indent + 2);
    os << "\n";
  }
  os << std::string(indent, ' ') << ")";
}
}  // namespace

std::ostream& operator<<(std::ostream& stream, const Module& module) {
  print_tree(stream, module, 0);
  return stream;
}

namespace detail {

void print_parameter_container(std::ostream& stream, const char* name, const OrderedDict<std::string, Tensor>& params) {
  stream << name << "(\n";
  for (const auto& item : params) {
    stream << "(" << item.key() << "): Parameter containing: [" << toString(item.value().scalar_type()) << " of size "
           << item.value().sizes() << "]\n";
  }
  stream << ")";
}

void clone_parameters(const Module& from, Module& into, const std::optional<Device>& device) {
  if (device) check_cpu(*device, "clone");
  NoGradGuard no_grad;
  for (const auto& item : from.named_parameters(/*recurse=*/false)) {
    into.register_parameter(item.key(), item.value().clone(), item.value().requires_grad());
  }
}

}  // namespace detail

}  // namespace nn
}  // namespace tg
