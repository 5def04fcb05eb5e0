// Uses tensorgrad from outside its source tree: one small backward, checked against the gradient
// worked out by hand, plus gradcheck, NoGradGuard and fmt printing. Exits non-zero on any mismatch.
#include <tensorgrad/tensorgrad.h>

#include <cmath>
#include <cstdio>
#include <vector>

namespace {

int failures = 0;

void expect(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "FAILED: %s\n", what);
    ++failures;
  }
}

}  // namespace

int main() {
  const std::vector<double> xs = {0.5, -1.0, 2.0};
  auto x = tg::tensor(xs, tg::dtype(tg::kFloat64).requires_grad(true));

  // y = sum(x^2 + sigmoid(x)), so dy/dx = 2x + s(x)(1 - s(x)).
  auto y = (x * x + tg::sigmoid(x)).sum();
  y.backward();
  expect(x.grad().defined(), "x.grad() is defined after backward");
  expect(y.grad_fn() != nullptr, "y has a grad_fn");
  for (size_t i = 0; i < xs.size(); ++i) {
    const double s = 1.0 / (1.0 + std::exp(-xs[i]));
    const double want = 2 * xs[i] + s * (1 - s);
    const double got = x.grad()[static_cast<int64_t>(i)].item<double>();
    if (std::abs(got - want) > 1e-12) {
      std::fprintf(stderr, "grad[%zu] = %.17g, expected %.17g\n", i, got, want);
      ++failures;
    }
  }

  {
    tg::NoGradGuard guard;
    expect(!(x * 2).requires_grad(), "no graph is recorded under NoGradGuard");
  }

  tg::autograd::SingleFunction f = [](const std::vector<tg::Tensor>& in) { return tg::tanh(in[0] * in[0]).sum(); };
  auto check = tg::autograd::gradcheck(f, {x.detach().requires_grad_()});
  expect(static_cast<bool>(check), "gradcheck of tanh(x^2).sum()");
  if (!check) std::fprintf(stderr, "%s\n", check.message.c_str());

  // fmt comes with tensorgrad's public interface.
  std::printf("x.grad() = %s\n", fmt::format("{}", x.grad()).c_str());
  if (failures != 0) {
    std::fprintf(stderr, "tensorgrad consumer: %d check(s) failed\n", failures);
    return 1;
  }
  std::printf("tensorgrad consumer: OK\n");
  return 0;
}
