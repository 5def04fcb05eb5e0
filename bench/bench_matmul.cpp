// Square matrix products, float32: forward alone, and forward + backward (a.matmul(b).sum()
// .backward(), as the yardstick's matmul_1024). FLOP/s counts 2n^3 per product: one for the
// forward, three for forward + backward (dA = G B^T, dB = A^T G).
#include <benchmark/benchmark.h>
#include <tensorgrad/tensorgrad.h>

namespace {

void BM_Matmul_Fwd(benchmark::State& state) {
  const int64_t n = state.range(0);
  tg::manual_seed(0);
  auto a = tg::randn({n, n});
  auto b = tg::randn({n, n});
  for (auto _ : state) {
    auto c = a.matmul(b);
    benchmark::DoNotOptimize(c.data_ptr());
  }
  state.counters["FLOP/s"] = benchmark::Counter(2.0 * n * n * n, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Matmul_Fwd)->Arg(256)->Arg(1024)->Unit(benchmark::kMillisecond);

void BM_Matmul_FwdBwd(benchmark::State& state) {
  const int64_t n = state.range(0);
  tg::manual_seed(0);
  auto a = tg::randn({n, n}).requires_grad_();
  auto b = tg::randn({n, n}).requires_grad_();
  for (auto _ : state) {
    a.matmul(b).sum().backward();
    benchmark::DoNotOptimize(a.grad().data_ptr());
    benchmark::DoNotOptimize(b.grad().data_ptr());
    a.mutable_grad() = tg::Tensor();
    b.mutable_grad() = tg::Tensor();
  }
  state.counters["FLOP/s"] = benchmark::Counter(6.0 * n * n * n, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Matmul_FwdBwd)->Arg(256)->Arg(1024)->Unit(benchmark::kMillisecond);

}  // namespace
