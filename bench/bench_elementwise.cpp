// Elementwise throughput: sigmoid, tanh and relu over 2^20 floats, forward alone and forward +
// backward (y.sum().backward(), as the yardstick's act_1m). items/s counts elements.
#include <benchmark/benchmark.h>
#include <tensorgrad/tensorgrad.h>

namespace {

constexpr int64_t kN = 1 << 20;

enum class Act { kSigmoid, kTanh, kRelu };

tg::Tensor apply(Act act, const tg::Tensor& x) {
  switch (act) {
    case Act::kSigmoid:
      return tg::sigmoid(x);
    case Act::kTanh:
      return tg::tanh(x);
    case Act::kRelu:
      return tg::relu(x);
  }
  return {};
}

template <Act act>
void BM_Act_Fwd(benchmark::State& state) {
  tg::manual_seed(0);
  auto x = tg::randn({kN});
  for (auto _ : state) {
    auto y = apply(act, x);
    benchmark::DoNotOptimize(y.data_ptr());
  }
  state.SetItemsProcessed(state.iterations() * kN);
}

template <Act act>
void BM_Act_FwdBwd(benchmark::State& state) {
  tg::manual_seed(0);
  auto x = tg::randn({kN}).requires_grad_();
  for (auto _ : state) {
    apply(act, x).sum().backward();
    benchmark::DoNotOptimize(x.grad().data_ptr());
    x.mutable_grad() = tg::Tensor();
  }
  state.SetItemsProcessed(state.iterations() * kN);
}

// The part of every FwdBwd above that is not the activation: sum, its backward (a broadcast of
// the scalar gradient to 2^20 elements) and the accumulation into x.grad().
void BM_Sum_1M_FwdBwd(benchmark::State& state) {
  tg::manual_seed(0);
  auto x = tg::randn({kN}).requires_grad_();
  for (auto _ : state) {
    x.sum().backward();
    benchmark::DoNotOptimize(x.grad().data_ptr());
    x.mutable_grad() = tg::Tensor();
  }
  state.SetItemsProcessed(state.iterations() * kN);
}

// The activation's backward given a ready gradient, without the sum: y.backward(g).
template <Act act>
void BM_Act_Bwd(benchmark::State& state) {
  tg::manual_seed(0);
  auto x = tg::randn({kN}).requires_grad_();
  auto g = tg::ones({kN});
  for (auto _ : state) {
    apply(act, x).backward(g);
    benchmark::DoNotOptimize(x.grad().data_ptr());
    x.mutable_grad() = tg::Tensor();
  }
  state.SetItemsProcessed(state.iterations() * kN);
}

BENCHMARK(BM_Sum_1M_FwdBwd)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Act_Bwd<Act::kSigmoid>)->Name("BM_Sigmoid_1M_FwdBwd_GivenGrad")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Act_Bwd<Act::kRelu>)->Name("BM_Relu_1M_FwdBwd_GivenGrad")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Act_Fwd<Act::kSigmoid>)->Name("BM_Sigmoid_1M_Fwd")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Act_FwdBwd<Act::kSigmoid>)->Name("BM_Sigmoid_1M_FwdBwd")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Act_Fwd<Act::kTanh>)->Name("BM_Tanh_1M_Fwd")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Act_FwdBwd<Act::kTanh>)->Name("BM_Tanh_1M_FwdBwd")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Act_Fwd<Act::kRelu>)->Name("BM_Relu_1M_Fwd")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Act_FwdBwd<Act::kRelu>)->Name("BM_Relu_1M_FwdBwd")->Unit(benchmark::kMicrosecond);

}  // namespace
