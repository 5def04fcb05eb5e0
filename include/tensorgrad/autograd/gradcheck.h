#pragma once
/// \file gradcheck.h
/// Gradient checking, as PyTorch's torch.autograd.gradcheck / gradgradcheck (libtorch has none in
/// C++): every entry of the Jacobian computed by backward is compared with central differences.

#include <functional>
#include <string>
#include <vector>

#include "tensorgrad/tensor.h"

namespace tg {
namespace autograd {

/// The outcome of a check. Converts to bool; `message` says which output, input and entry failed
/// and by how much (empty on success).
struct GradcheckResult {
  bool ok = true;
  std::string message;
  /// Largest |analytical - numerical| seen over all entries.
  double max_abs_error = 0;
  explicit operator bool() const { return ok; }
};

struct GradcheckOptions {
  double eps = 1e-6;   ///< perturbation for central differences
  double atol = 1e-5;  ///< absolute tolerance
  double rtol = 1e-3;  ///< relative tolerance (to |numerical|)
  /// Throw a tg::Error with the message instead of returning a failed result.
  bool raise_exception = false;
};

using MultiFunction = std::function<std::vector<Tensor>(const std::vector<Tensor>&)>;
using SingleFunction = std::function<Tensor(const std::vector<Tensor>&)>;

/// Checks the gradients of fn at `inputs`: for every floating input that requires grad (use
/// float64) and every output, the Jacobian from backward must equal the central difference
/// (f(x + eps) - f(x - eps)) / 2eps entry by entry within atol + rtol * |numerical|.
GradcheckResult gradcheck(const MultiFunction& fn, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options = {});
GradcheckResult gradcheck(const SingleFunction& fn, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options = {});

/// Checks second derivatives: gradcheck of (inputs, v) -> autograd::grad(fn(inputs), inputs, v,
/// create_graph=true), with `grad_outputs` v (random float64 values when empty).
GradcheckResult gradgradcheck(const MultiFunction& fn, const std::vector<Tensor>& inputs,
                              const std::vector<Tensor>& grad_outputs = {}, const GradcheckOptions& options = {});
GradcheckResult gradgradcheck(const SingleFunction& fn, const std::vector<Tensor>& inputs,
                              const std::vector<Tensor>& grad_outputs = {}, const GradcheckOptions& options = {});

}  // namespace autograd
}  // namespace tg
