// Graph functions for tests (tensorgrad/autograd/functions.h).
#include "tensorgrad/autograd/functions.h"

#include "autograd/record.h"
#include "tensorgrad/autograd/grad_mode.h"

namespace tg {
namespace autograd {

variable_list UndefinedGrad::apply(variable_list&& inputs) {
  variable_list outputs;
  outputs.reserve(inputs.size());
  for (const Tensor& t : inputs) {
    if (!t.defined()) {
      outputs.emplace_back();
      continue;
    }
    Tensor out = t.detach().clone();
    record("UndefinedGradBackward", out, autograd::inputs(t), [](auto&) -> Grads { return {Tensor()}; });
    outputs.push_back(std::move(out));
  }
  return outputs;
}

}  // namespace autograd
}  // namespace tg
