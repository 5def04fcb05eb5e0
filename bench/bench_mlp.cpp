// One training step of a tutorial-sized network: 2-16-16-1 with tanh, batch 32, MSE written as
// (p - y).pow(2).mean(), backward, and a plain SGD update under NoGradGuard (the yardstick's
// tiny_mlp, with the loss spelled out).
#include <benchmark/benchmark.h>
#include <tensorgrad/tensorgrad.h>

#include <vector>

namespace {

void BM_TinyMLP_TrainStep(benchmark::State& state) {
  tg::manual_seed(0);
  const std::vector<int64_t> sizes = {2, 16, 16, 1};
  std::vector<tg::Tensor> params;
  for (size_t i = 0; i + 1 < sizes.size(); ++i) {
    params.push_back((tg::randn({sizes[i], sizes[i + 1]}) * 0.1).requires_grad_());
    params.push_back(tg::zeros({sizes[i + 1]}, tg::requires_grad()));
  }
  auto x = tg::randn({32, 2});
  auto y = tg::randn({32, 1});
  const double lr = 0.01;
  for (auto _ : state) {
    auto h = tg::tanh(x.matmul(params[0]) + params[1]);
    h = tg::tanh(h.matmul(params[2]) + params[3]);
    auto p = h.matmul(params[4]) + params[5];
    auto loss = (p - y).pow(2).mean();
    loss.backward();
    {
      tg::NoGradGuard no_grad;
      for (auto& w : params) {
        w.sub_(w.grad() * lr);
        w.grad().zero_();
      }
    }
    benchmark::DoNotOptimize(loss.data_ptr());
  }
}
BENCHMARK(BM_TinyMLP_TrainStep)->Unit(benchmark::kMicrosecond);

}  // namespace
