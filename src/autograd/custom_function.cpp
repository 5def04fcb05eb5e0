// Custom autograd functions (tensorgrad/autograd/custom_function.h): the context, and the node
// every Function<T> records. The rules for attaching forward's outputs follow libtorch's.
#include "tensorgrad/autograd/custom_function.h"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>

#include "autograd/graph.h"
#include "core/tensor_impl.h"

namespace tg {

namespace autograd {

// ---- AutogradContext ---------------------------------------------------------------------------

struct AutogradContext::Saved {
  std::vector<SavedVariable> vars;
};

AutogradContext::AutogradContext() = default;
AutogradContext::~AutogradContext() = default;

void AutogradContext::save_for_backward(variable_list to_save) { to_save_ = std::move(to_save); }

void AutogradContext::mark_dirty(const variable_list& inputs) {
  dirty_.clear();
  for (const auto& t : inputs) dirty_.push_back(t.unsafeGetTensorImpl());
}

void AutogradContext::mark_non_differentiable(const variable_list& outputs) {
  non_differentiable_.clear();
  for (const auto& t : outputs) non_differentiable_.push_back(t.unsafeGetTensorImpl());
}

void AutogradContext::set_materialize_grads(bool value) { materialize_grads_ = value; }

variable_list AutogradContext::get_saved_variables() const {
  variable_list r;
  if (!saved_) return r;
  auto owner = grad_fn_.lock();
  for (const auto& s : saved_->vars) r.push_back(s.unpack(owner.get()));
  return r;
}

bool AutogradContext::needs_input_grad(size_t index) const {
  auto node = grad_fn_.lock();
  return node && node->task_should_compute_output(index);
}

bool AutogradContext::needs_input_grad(std::initializer_list<IndexRange> ranges) const {
  auto node = grad_fn_.lock();
  if (!node) return false;
  for (const IndexRange& r : ranges)
    for (size_t i = r.first; i < r.second; ++i)
      if (node->task_should_compute_output(i)) return true;
  return false;
}

namespace detail {

namespace {

bool contains(const std::vector<const void*>& v, const void* p) { return std::find(v.begin(), v.end(), p) != v.end(); }

// An alias of t that shares its storage, without autograd history (libtorch's
// _view_as_self_with_no_grad).
Tensor alias_without_history(const Tensor& t) {
  const TensorImpl& ti = impl_of(t);
  return make_view(t, ti.sizes, ti.strides, ti.offset);
}

}  // namespace

void CppNodeBase::add_argument(const Tensor& t) {
  is_variable_input_.push_back(true);
  inputs_.push_back(t);
}

void CppNodeBase::add_argument(const std::optional<Tensor>& t) {
  if (t && t->defined()) {
    add_argument(*t);
  } else {
    is_variable_input_.push_back(false);
  }
}

bool CppNodeBase::connect() {
  ctx_.grad_fn_ = shared_from_this();
  bool executable = GradMode::is_enabled();
  if (executable) {
    executable = std::any_of(inputs_.begin(), inputs_.end(), [](const Tensor& t) { return requires_grad_of(t); });
  }
  if (!executable) return false;
  next_edges_.reserve(inputs_.size());
  input_info_.resize(inputs_.size());
  for (size_t i = 0; i < inputs_.size(); ++i) {
    next_edges_.push_back(gradient_edge(inputs_[i]));
    if (inputs_[i].defined()) input_info_[i] = {impl_of(inputs_[i]).sizes, impl_of(inputs_[i]).dtype};
  }
  input_meta_ = input_info_.data();
  return true;
}

// libtorch's rules for each output of forward (its _wrap_outputs):
//  - not differentiable (no node is recorded, or marked non-differentiable, or not floating):
//    left without history; an input returned as is becomes an alias, so that the input keeps its
//    own requires_grad;
//  - an input marked dirty: this node becomes its grad_fn (it was modified in place);
//  - an input returned unmodified: an alias of it, with this node as grad_fn;
//  - a new tensor: this node becomes its grad_fn.
variable_list CppNodeBase::wrap_outputs(variable_list outputs, bool executable) {
  auto self = shared_from_this();
  if (executable) set_num_inputs(static_cast<uint32_t>(outputs.size()));
  output_info_.assign(outputs.size(), InputMetadata());
  output_defined_.assign(outputs.size(), false);
  for (size_t i = 0; i < outputs.size(); ++i) {
    Tensor& out = outputs[i];
    if (!out.defined()) continue;
    const void* id = out.unsafeGetTensorImpl();
    const bool is_input =
        std::any_of(inputs_.begin(), inputs_.end(), [id](const Tensor& t) { return t.unsafeGetTensorImpl() == id; });
    const bool is_modified = contains(ctx_.dirty_, id);
    const bool differentiable = executable && !contains(ctx_.non_differentiable_, id) && impl_of(out).is_floating();
    if (!differentiable) {
      if (!out.requires_grad()) {
        if (is_input && !is_modified) out = alias_without_history(out);
      } else {
        out = out.detach();
      }
    } else if (is_modified) {
      TensorImpl& oi = impl_of(out);
      TG_CHECK(!(oi.grad_fn == nullptr && oi.requires_grad),
               "{}: a leaf Variable that requires grad has been used in an in-place operation. (shape {}, dtype {})",
               name(), to_string(oi.sizes), dtype_name(oi.dtype));
      TG_CHECK(!oi.is_view,
               "{}: an input marked dirty is a view (shape {}); recording in-place changes to views is not "
               "supported, clone() it first",
               name(), to_string(oi.sizes));
      rebase_history(out, self, static_cast<uint32_t>(i));
    } else if (is_input) {
      out = alias_without_history(out);
      set_history(out, self, static_cast<uint32_t>(i));
    } else {
      set_history(out, self, static_cast<uint32_t>(i));
    }
    output_info_[i] = {impl_of(out).sizes, impl_of(out).dtype};
    output_defined_[i] = true;
  }
  if (executable) {
    // Saved outputs of this node are saved without a reference to the node (no cycle).
    ctx_.saved_ = std::make_unique<AutogradContext::Saved>();
    for (const Tensor& t : ctx_.to_save_) {
      int32_t output_nr = -1;
      for (size_t j = 0; j < outputs.size() && t.defined(); ++j)
        if (outputs[j].unsafeGetTensorImpl() == t.unsafeGetTensorImpl() && impl_of(t).grad_fn.get() == this)
          output_nr = static_cast<int32_t>(j);
      ctx_.saved_->vars.push_back(output_nr >= 0 ? SavedVariable(t, static_cast<uint32_t>(output_nr))
                                                 : SavedVariable(t));
    }
  }
  ctx_.to_save_.clear();
  inputs_.clear();
  return outputs;
}

variable_list CppNodeBase::apply(variable_list&& grads) {
  // An output that got no gradient gets zeros of its shape (unless set_materialize_grads(false)).
  for (size_t i = 0; i < grads.size() && ctx_.materialize_grads_; ++i) {
    if (!grads[i].defined() && i < output_defined_.size() && output_defined_[i])
      grads[i] = zeros(output_info_[i].sizes, tg::dtype(output_info_[i].dtype));
  }
  variable_list out = call_backward(&ctx_, std::move(grads));
  const size_t expected = is_variable_input_.size();
  // More results than arguments are accepted when the extra ones are undefined.
  if (out.size() > expected && std::all_of(out.begin() + static_cast<std::ptrdiff_t>(expected), out.end(),
                                           [](const Tensor& t) { return !t.defined(); }))
    out.resize(expected);
  TG_CHECK(out.size() == expected, "function {} returned an incorrect number of gradients (expected {}, got {})",
           name(), expected, out.size());
  variable_list results;
  results.reserve(num_outputs());
  for (size_t i = 0; i < expected; ++i) {
    if (!is_variable_input_[i]) {
      TG_CHECK(!out[i].defined(),
               "function {} returned a gradient different that is defined at position {}, but the corresponding "
               "forward input was not a Variable",
               name(), i + 1);
      continue;
    }
    results.push_back(std::move(out[i]));
  }
  if (results.size() < num_outputs()) results.resize(num_outputs());  // forward ran without a graph
  return results;
}

std::string CppNodeBase::name() const {
  const char* mangled = typeid(*this).name();
  int status = 0;
  char* d = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  std::string r = status == 0 && d != nullptr ? d : mangled;
  std::free(d);
  return r;
}

void CppNodeBase::release_variables() {
  if (!ctx_.saved_) return;
  for (auto& s : ctx_.saved_->vars) s.reset();
}

std::vector<InputMetadata> CppNodeBase::saved_metadata() const {
  return ctx_.saved_ ? metadata_of(ctx_.saved_->vars) : std::vector<InputMetadata>();
}

}  // namespace detail
}  // namespace autograd
}  // namespace tg
