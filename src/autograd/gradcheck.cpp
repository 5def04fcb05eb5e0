// Central-difference gradient checks.
#include "tensorgrad/autograd/gradcheck.h"

#include <cmath>
#include <random>

#include "core/dispatch.h"
#include "core/tensor_impl.h"
#include "tensorgrad/autograd/engine.h"
#include "tensorgrad/autograd/grad_mode.h"

namespace tg {
namespace autograd {

namespace {

// Storage offset (in elements) of the k-th element in row-major order.
int64_t element_offset(const TensorImpl& t, int64_t k) {
  int64_t off = t.offset;
  for (int64_t d = static_cast<int64_t>(t.sizes.size()) - 1; d >= 0; --d) {
    off += (k % t.sizes[d]) * t.strides[d];
    k /= t.sizes[d];
  }
  return off;
}

double get(const TensorImpl& t, int64_t off) {
  return t.dtype == kFloat64 ? static_cast<double*>(t.storage->data)[off] : static_cast<float*>(t.storage->data)[off];
}
void set(const TensorImpl& t, int64_t off, double v) {
  if (t.dtype == kFloat64) static_cast<double*>(t.storage->data)[off] = v;
  else static_cast<float*>(t.storage->data)[off] = static_cast<float>(v);
}

std::vector<std::vector<double>> eval_outputs(const MultiFunction& fn, const std::vector<Tensor>& inputs) {
  NoGradGuard g;
  std::vector<std::vector<double>> r;
  for (const auto& o : fn(inputs)) r.push_back(o.defined() ? o.tolist<double>() : std::vector<double>());
  return r;
}

GradcheckResult fail(const GradcheckOptions& opt, GradcheckResult r, std::string msg) {
  r.ok = false;
  r.message = std::move(msg);
  if (opt.raise_exception) throw Error(r.message);
  return r;
}

}  // namespace

GradcheckResult gradcheck(const MultiFunction& fn, const std::vector<Tensor>& inputs, const GradcheckOptions& opt) {
  GradcheckResult result;
  std::vector<size_t> diff;  // inputs that require grad
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& x = inputs[i];
    if (!x.defined() || !x.requires_grad()) continue;
    TG_CHECK(x.is_floating_point(), "gradcheck: input {} requires grad but is {}", i, dtype_name(x.dtype()));
    TG_CHECK(x.dtype() == kFloat64,
             "gradcheck: input {} is {} (shape {}); gradcheck needs float64 inputs for precise central differences",
             i, dtype_name(x.dtype()), to_string(x.sizes()));
    diff.push_back(i);
  }
  TG_CHECK(!diff.empty(), "gradcheck expects at least one input tensor to require gradient, but none of the them have "
           "requires_grad=True.");

  // Analytical Jacobians: one backward per output element.
  std::vector<Tensor> outputs = fn(inputs);
  std::vector<Tensor> diff_inputs;
  for (size_t i : diff) diff_inputs.push_back(inputs[i]);
  std::vector<std::vector<double>> base = eval_outputs(fn, inputs);

  for (size_t o = 0; o < outputs.size(); ++o) {
    const Tensor& out = outputs[o];
    if (!out.defined() || !out.is_floating_point()) continue;
    int64_t n_out = out.numel();
    // analytical[i][k * n_in + j] = d out[k] / d in_i[j]
    std::vector<std::vector<double>> analytical(diff.size());
    for (size_t a = 0; a < diff.size(); ++a) analytical[a].assign(static_cast<size_t>(n_out * inputs[diff[a]].numel()), 0.0);
    if (out.requires_grad()) {
      for (int64_t k = 0; k < n_out; ++k) {
        Tensor go = zeros(out.sizes(), out.dtype());
        set(impl_of(go), k, 1.0);
        auto grads = grad({out}, diff_inputs, {go}, /*retain_graph=*/true, /*create_graph=*/false, /*allow_unused=*/true);
        for (size_t a = 0; a < diff.size(); ++a) {
          if (!grads[a].defined()) continue;
          TG_CHECK(grads[a].sizes().equals(inputs[diff[a]].sizes()),
                   "gradcheck: the gradient w.r.t. input {} has shape {} but the input has shape {}", diff[a],
                   to_string(grads[a].sizes()), to_string(inputs[diff[a]].sizes()));
          std::vector<double> g = grads[a].tolist<double>();
          int64_t n_in = static_cast<int64_t>(g.size());
          for (int64_t j = 0; j < n_in; ++j) analytical[a][k * n_in + j] = g[j];
        }
      }
    }
    // Numerical Jacobians, compared entry by entry.
    for (size_t a = 0; a < diff.size(); ++a) {
      const TensorImpl& xi = impl_of(inputs[diff[a]]);
      int64_t n_in = xi.numel;
      for (int64_t j = 0; j < n_in; ++j) {
        int64_t off = element_offset(xi, j);
        double orig = get(xi, off);
        set(xi, off, orig + opt.eps);
        auto plus = eval_outputs(fn, inputs);
        set(xi, off, orig - opt.eps);
        auto minus = eval_outputs(fn, inputs);
        set(xi, off, orig);
        TG_CHECK(plus.size() == outputs.size() && minus.size() == outputs.size() &&
                     static_cast<int64_t>(plus[o].size()) == n_out && static_cast<int64_t>(minus[o].size()) == n_out,
                 "gradcheck: the function returned a different number or size of outputs when input {} element {} "
                 "was perturbed",
                 diff[a], j);
        for (int64_t k = 0; k < n_out; ++k) {
          double num = (plus[o][k] - minus[o][k]) / (2 * opt.eps);
          double ana = analytical[a][k * n_in + j];
          double err = std::fabs(ana - num);
          if (!std::isnan(err)) result.max_abs_error = std::max(result.max_abs_error, err);
          if (!(err <= opt.atol + opt.rtol * std::fabs(num))) {
            return fail(opt, result,
                        fmt::format("Jacobian mismatch for output {} with respect to input {}: entry (output element {}, "
                                    "input element {}): numerical {:.10g}, analytical {:.10g}, |difference| {:.3g} > "
                                    "atol + rtol * |numerical| = {:.3g} (input shape {}, output shape {})",
                                    o, diff[a], k, j, num, ana, err, opt.atol + opt.rtol * std::fabs(num),
                                    to_string(xi.sizes), to_string(out.sizes())));
          }
        }
      }
    }
    (void)base;
  }
  return result;
}

GradcheckResult gradcheck(const SingleFunction& fn, const std::vector<Tensor>& inputs, const GradcheckOptions& opt) {
  return gradcheck(MultiFunction([&fn](const std::vector<Tensor>& in) { return std::vector<Tensor>{fn(in)}; }), inputs,
                   opt);
}

GradcheckResult gradgradcheck(const MultiFunction& fn, const std::vector<Tensor>& inputs,
                              const std::vector<Tensor>& grad_outputs, const GradcheckOptions& opt) {
  bool any_requires_grad = false;
  for (const auto& x : inputs) any_requires_grad = any_requires_grad || (x.defined() && x.requires_grad());
  TG_CHECK(any_requires_grad, "gradgradcheck expects at least one input tensor to require gradient, but none of the "
           "them have requires_grad=True.");
  std::vector<Tensor> outs = fn(inputs);
  std::vector<Tensor> gos = grad_outputs;
  if (gos.empty()) {
    std::mt19937_64 gen(12345);
    std::normal_distribution<double> nd;
    for (const auto& o : outs) {
      if (!o.defined() || !o.is_floating_point()) {  // no gradient flows into these outputs
        gos.emplace_back();
        continue;
      }
      std::vector<double> v(static_cast<size_t>(o.numel()));
      for (auto& e : v) e = nd(gen);
      gos.push_back(tensor(v, dtype(kFloat64)).reshape(o.sizes()).detach().requires_grad_(true));
    }
  }
  TG_CHECK(gos.size() == outs.size(), "gradgradcheck: got {} grad_outputs for {} outputs", gos.size(), outs.size());
  size_t n_in = inputs.size();
  MultiFunction first_grads = [&fn, n_in](const std::vector<Tensor>& all) {
    // gradcheck evaluates its function under NoGradGuard for the numerical Jacobian; this one
    // needs a graph to differentiate, so it turns grad mode back on.
    EnableGradGuard enable_grad;
    std::vector<Tensor> in(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n_in));
    std::vector<Tensor> go(all.begin() + static_cast<std::ptrdiff_t>(n_in), all.end());
    std::vector<Tensor> out = fn(in), diff_in, outs_used, go_used;
    for (const auto& x : in)
      if (x.defined() && x.requires_grad()) diff_in.push_back(x);
    for (size_t k = 0; k < out.size(); ++k)
      if (out[k].defined() && out[k].requires_grad()) {
        outs_used.push_back(out[k]);
        go_used.push_back(go[k]);
      }
    std::vector<Tensor> r;
    if (outs_used.empty()) return r;
    for (auto& g : grad(outs_used, diff_in, go_used, true, true, true))
      if (g.defined()) r.push_back(g);
    return r;
  };
  std::vector<Tensor> all = inputs;
  all.insert(all.end(), gos.begin(), gos.end());
  GradcheckResult r = gradcheck(first_grads, all, opt);
  if (!r.ok) r.message = "gradgradcheck: " + r.message + " (inputs past the function's own are its grad_outputs)";
  return r;
}

GradcheckResult gradgradcheck(const SingleFunction& fn, const std::vector<Tensor>& inputs,
                              const std::vector<Tensor>& grad_outputs, const GradcheckOptions& opt) {
  return gradgradcheck(MultiFunction([&fn](const std::vector<Tensor>& in) { return std::vector<Tensor>{fn(in)}; }),
                       inputs, grad_outputs, opt);
}

}  // namespace autograd
}  // namespace tg
