// Per-op overhead: the cost of the graph itself (node, shape, bookkeeping, allocation) measured on
// chains of ops over 16 elements, where the arithmetic is negligible. Reported per op.
#include <benchmark/benchmark.h>
#include <tensorgrad/tensorgrad.h>

namespace {

constexpr int kPairs = 50;           // each pair is 2 ops
constexpr int kOps = 2 * kPairs;     // ops per iteration (the final sum and the backward not counted)

void set_per_op(benchmark::State& state) {
  // Seconds per op: the rate of ops per second, inverted.
  state.counters["per_op"] =
      benchmark::Counter(kOps, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// 50 x (sigmoid, * 1.5) on 16 floats, then sum and backward: the same chain as the yardstick's
// op_chain, so the numbers compare. The gradient is reset (set to undefined) after each step.
void BM_OpChain_FwdBwd(benchmark::State& state) {
  tg::manual_seed(0);
  auto x = tg::randn({16}).requires_grad_();
  for (auto _ : state) {
    tg::Tensor y = x;
    for (int i = 0; i < kPairs; ++i) y = tg::sigmoid(y) * 1.5;
    y.sum().backward();
    x.mutable_grad() = tg::Tensor();
  }
  set_per_op(state);
}
BENCHMARK(BM_OpChain_FwdBwd);

// The forward alone, still recording the graph (which is then destroyed).
void BM_OpChain_Fwd(benchmark::State& state) {
  tg::manual_seed(0);
  auto x = tg::randn({16}).requires_grad_();
  for (auto _ : state) {
    tg::Tensor y = x;
    for (int i = 0; i < kPairs; ++i) y = tg::sigmoid(y) * 1.5;
    benchmark::DoNotOptimize(y.data_ptr());
  }
  set_per_op(state);
}
BENCHMARK(BM_OpChain_Fwd);

// The forward with grad mode off: the cost of an op without any graph.
void BM_OpChain_NoGrad(benchmark::State& state) {
  tg::manual_seed(0);
  auto x = tg::randn({16}).requires_grad_();
  tg::NoGradGuard no_grad;
  for (auto _ : state) {
    tg::Tensor y = x;
    for (int i = 0; i < kPairs; ++i) y = tg::sigmoid(y) * 1.5;
    benchmark::DoNotOptimize(y.data_ptr());
  }
  set_per_op(state);
}
BENCHMARK(BM_OpChain_NoGrad);

// 50 x (y * w + b) with w and b leaves that require grad: binary ops whose backward has two
// outputs, and gradients that accumulate into the same leaves 50 times.
void BM_OpChain_Binary_FwdBwd(benchmark::State& state) {
  tg::manual_seed(0);
  auto x = tg::randn({16}).requires_grad_();
  auto w = (tg::rand({16}) * 0.5 + 0.75).requires_grad_();
  auto b = (tg::randn({16}) * 0.01).requires_grad_();
  for (auto _ : state) {
    tg::Tensor y = x;
    for (int i = 0; i < kPairs; ++i) y = y * w + b;
    y.sum().backward();
    x.mutable_grad() = tg::Tensor();
    w.mutable_grad() = tg::Tensor();
    b.mutable_grad() = tg::Tensor();
  }
  set_per_op(state);
}
BENCHMARK(BM_OpChain_Binary_FwdBwd);

}  // namespace
