// The autograd side of tg::Tensor: requires_grad, grad, grad_fn, detach, hooks, retain_grad,
// backward; and the release of a tensor's node (see Note [Iterative graph destruction]).
#include "autograd/graph.h"
#include "tensorgrad/warning.h"
#include "core/tensor_impl.h"
#include "tensorgrad/autograd/engine.h"

namespace tg {

TensorImpl::~TensorImpl() { autograd::release_node(std::move(grad_fn)); }

bool Tensor::requires_grad() const { return checked(*this, "requires_grad").requires_grad_any(); }

const Tensor& Tensor::requires_grad_(bool r) const {
  TensorImpl& i = const_cast<TensorImpl&>(checked(*this, "requires_grad_"));
  if (i.grad_fn) {
    TG_CHECK(r,
             "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in "
             "a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
    return *this;
  }
  TG_CHECK(!r || tg::is_floating_point(i.dtype),
           "only Tensors of floating point dtype can require gradients (got a {} tensor of shape {})",
           dtype_name(i.dtype), to_string(i.sizes));
  i.requires_grad = r;
  return *this;
}

bool Tensor::is_leaf() const { return checked(*this, "is_leaf").grad_fn == nullptr; }

const Tensor& Tensor::grad() const {
  const TensorImpl& i = checked(*this, "grad");
  if (i.grad_fn && !i.retains_grad && !i.grad.defined()) {
    TG_WARN("grad(): this Tensor is not a leaf Tensor (it has grad_fn ", i.grad_fn->name(),
            "), so backward() does not fill its .grad and it stays undefined. To keep the gradient of a non-leaf "
            "Tensor, call retain_grad() on it before backward(), or ask for it with tg::autograd::grad().");
  }
  return i.grad;
}
Tensor& Tensor::mutable_grad() const { return const_cast<TensorImpl&>(checked(*this, "mutable_grad")).grad; }

void Tensor::set_data(const Tensor& new_data) const {
  TensorImpl& ti = const_cast<TensorImpl&>(checked(*this, "set_data"));
  TG_CHECK(new_data.defined(), "set_data: new_data is an undefined tensor");
  const TensorImpl& ni = impl_of(new_data);
  TG_CHECK(!ti.requires_grad || tg::is_floating_point(ni.dtype),
           "set_data: a tensor that requires grad must keep a floating-point dtype, got new_data of dtype {}", dtype_name(ni.dtype));
  ti.storage = ni.storage;
  ti.offset = ni.offset;
  ti.sizes = ni.sizes;
  ti.strides = ni.strides;
  ti.numel = ni.numel;
  ti.dtype = ni.dtype;
  ti.is_view = ni.is_view;
  ti.view_version = ni.view_version;
}

const std::shared_ptr<autograd::Node>& Tensor::grad_fn() const { return checked(*this, "grad_fn").grad_fn; }
uint32_t Tensor::output_nr() const { return checked(*this, "output_nr").output_nr; }

Tensor Tensor::detach() const {
  const TensorImpl& i = checked(*this, "detach");
  auto d = std::make_shared<TensorImpl>();
  d->storage = i.storage;
  d->offset = i.offset;
  d->sizes = i.sizes;
  d->strides = i.strides;
  d->numel = i.numel;
  d->dtype = i.dtype;
  d->is_view = i.is_view;
  return Tensor(std::move(d));
}

const Tensor& Tensor::detach_() const {
  TensorImpl& i = const_cast<TensorImpl&>(checked(*this, "detach_"));
  autograd::release_node(std::move(i.grad_fn));
  i.grad_fn = nullptr;
  i.requires_grad = false;
  i.output_nr = 0;
  return *this;
}

void Tensor::retain_grad() const {
  TensorImpl& i = const_cast<TensorImpl&>(checked(*this, "retain_grad"));
  TG_CHECK(i.requires_grad_any(), "can't retain_grad on Tensor that has requires_grad=False");
  if (!i.grad_fn || i.retains_grad) return;  // leaves keep their gradient anyway
  i.retains_grad = true;
  autograd::install_retain_grad_hook(impl());
}

namespace autograd {

void install_retain_grad_hook(const std::shared_ptr<TensorImpl>& impl) {
  std::weak_ptr<TensorImpl> weak = impl;
  impl->retain_grad_hook = impl->grad_fn->add_pre_hook(impl->output_nr, [weak](const Tensor& g) -> Tensor {
    auto self = weak.lock();
    if (!self) return Tensor();
    Tensor ng = GradMode::is_enabled() ? g : g.detach();
    self->grad = self->grad.defined() ? self->grad + ng : ng.clone();
    return Tensor();
  });
}

void rebase_history(const Tensor& t, std::shared_ptr<Node> fn, uint32_t output_nr) {
  TensorImpl& i = impl_of(t);
  std::shared_ptr<Node> old = std::move(i.grad_fn);
  i.grad_fn = std::move(fn);
  i.output_nr = output_nr;
  if (i.retains_grad) {
    if (old) old->remove_pre_hook(i.retain_grad_hook);
    if (i.grad_fn) install_retain_grad_hook(t.impl());
  }
  release_node(std::move(old));
  i.bump_version();
  i.storage->history_rewrite_version = i.storage->version;
}

}  // namespace autograd

bool Tensor::retains_grad() const { return checked(*this, "retains_grad").retains_grad; }

unsigned Tensor::register_hook(std::function<Tensor(const Tensor&)> hook) const {
  TensorImpl& i = const_cast<TensorImpl&>(checked(*this, "register_hook"));
  TG_CHECK(i.requires_grad_any(), "cannot register a hook on a tensor that doesn't require gradient (shape {})",
           to_string(i.sizes));
  if (i.grad_fn) return i.grad_fn->add_pre_hook(i.output_nr, std::move(hook));
  if (!i.hooks) i.hooks = std::make_unique<std::vector<TensorHook>>();
  unsigned h = autograd::next_hook_handle();
  i.hooks->push_back({h, std::move(hook)});
  return h;
}

unsigned Tensor::register_hook(std::function<void(const Tensor&)> hook) const {
  return register_hook(std::function<Tensor(const Tensor&)>([hook](const Tensor& g) {
    hook(g);
    return Tensor();
  }));
}

void Tensor::remove_hook(unsigned handle) const {
  TensorImpl& i = const_cast<TensorImpl&>(checked(*this, "remove_hook"));
  bool found = i.grad_fn && handle != i.retain_grad_hook && i.grad_fn->remove_pre_hook(handle);
  if (!found && i.hooks) {
    auto& v = *i.hooks;
    for (size_t k = 0; k < v.size() && !found; ++k)
      if (v[k].handle == handle) {
        v.erase(v.begin() + static_cast<std::ptrdiff_t>(k));
        found = true;
      }
  }
  TG_CHECK(found, "remove_hook: Invalid index, no hook at position {} (tensor of shape {})", handle,
           to_string(i.sizes));
}

Tensor Tensor::tensor_data() const { return detach(); }

bool Tensor::is_nonzero() const {
  const TensorImpl& i = checked(*this, "is_nonzero");
  TG_CHECK(i.numel != 0, "Boolean value of Tensor with no values is ambiguous");
  TG_CHECK(i.numel == 1, "Boolean value of Tensor with more than one value is ambiguous (shape {})",
           to_string(i.sizes));
  return item().to_double() != 0.0;
}

namespace autograd {
Tensor make_variable(const Tensor& data, bool requires_grad) {
  TG_CHECK(data.defined(), "make_variable: the data tensor is undefined");
  Tensor v = data.detach();
  if (requires_grad) v.requires_grad_(true);
  return v;
}
}  // namespace autograd

void Tensor::backward(const Tensor& gradient, std::optional<bool> retain_graph, bool create_graph,
                      std::optional<TensorList> inputs) const {
  checked(*this, "backward");
  if (inputs) TG_CHECK(!inputs->empty(), "backward: 'inputs' argument to backward() cannot be empty.");
  autograd::backward({*this}, {gradient}, retain_graph, create_graph, inputs ? *inputs : TensorList());
}

}  // namespace tg
