// The pieces of libtorch's API that its programs and tests lean on besides tensors: warnings and
// their handler, TORCH_CHECK, irange / str / Join, devices, the named-only dtypes, ArrayRef and
// TensorList, IndexRange, UndefinedGrad, anomaly mode's tracebacks, and deep reentrant backwards.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tensorgrad/tensorgrad.h"
#include "test_support.h"

using tg::Tensor;
using tg_test::expect_error;
using Parts = std::vector<std::string>;
using namespace tg::autograd;

namespace {

// Collects warnings while it lives.
struct Capture : tg::WarningHandler {
  Capture() : guard(this) {}
  void process(const tg::SourceLocation& loc, const std::string& msg, bool /*verbatim*/) override {
    messages.push_back(msg);
    locations.push_back(loc);
  }
  std::string all() const { return tg::Join("\n", messages); }
  std::vector<std::string> messages;
  std::vector<tg::SourceLocation> locations;
  tg::Warning::WarningHandlerGuard guard;
};

int count_of(const std::vector<std::string>& v, const std::string& part) {
  int n = 0;
  for (const auto& s : v) n += s.find(part) != std::string::npos;
  return n;
}

}  // namespace

// ---- warnings ------------------------------------------------------------------------------

TEST(Warnings, HandlerReceivesMessageAndLocationAndGuardRestores) {
  tg::WarningHandler* before = tg::Warning::get_warning_handler();
  {
    Capture c;
    EXPECT_EQ(tg::Warning::get_warning_handler(), &c);
    const int x = 3;
    TG_WARN("x is ", x, " and y is ", 2.5);
    TORCH_WARN("libtorch's spelling");
    ASSERT_EQ(c.messages.size(), 2u);
    EXPECT_EQ(c.messages[0], "x is 3 and y is 2.5");
    EXPECT_EQ(c.messages[1], "libtorch's spelling");
    EXPECT_NE(std::string(c.locations[0].file).find("test_libtorch_support.cpp"), std::string::npos);
    EXPECT_GT(c.locations[0].line, 0u);
  }
  EXPECT_EQ(tg::Warning::get_warning_handler(), before);
}

TEST(Warnings, DefaultHandlerPrintsToStderr) {
  testing::internal::CaptureStderr();
  TG_WARN("printed by the default handler");
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("Warning: printed by the default handler"), std::string::npos) << err;
}

TEST(Warnings, OnceUnlessWarnAlways) {
  Capture c;
  auto warn_once = [] { TG_WARN_ONCE("only once"); };
  warn_once();
  warn_once();
  EXPECT_EQ(count_of(c.messages, "only once"), 1);
  {
    tg::Warning::WarnAlways always;
    EXPECT_TRUE(tg::Warning::get_warnAlways());
    warn_once();
    warn_once();
  }
  EXPECT_FALSE(tg::Warning::get_warnAlways());
  EXPECT_EQ(count_of(c.messages, "only once"), 3);
}

TEST(Warnings, GradOfNonLeafWarnsUnlessRetained) {
  Tensor x = tg::ones({2}, tg::requires_grad());
  Tensor h = x * 2;
  Capture c;
  EXPECT_FALSE(h.grad().defined());
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_NE(c.messages[0].find("is not a leaf Tensor"), std::string::npos);
  EXPECT_NE(c.messages[0].find(h.grad_fn()->name()), std::string::npos);
  EXPECT_NE(c.messages[0].find("retain_grad()"), std::string::npos);
  EXPECT_FALSE(x.grad().defined());  // a leaf: no warning
  h.retain_grad();
  EXPECT_FALSE(h.grad().defined());  // retained: no warning
  EXPECT_EQ(c.messages.size(), 1u);
}

TEST(Warnings, BackwardWithCreateGraphWarnsAndGradDoesNot) {
  tg::Warning::WarnAlways always;
  Tensor x = tg::ones({3}, tg::requires_grad());
  {
    Capture c;
    tg::autograd::grad({(x * x).sum()}, {x}, {}, std::nullopt, true);
    EXPECT_EQ(count_of(c.messages, "Using backward() with create_graph=True"), 0);
  }
  {
    Capture c;
    (x * x).sum().backward({}, std::nullopt, true);
    EXPECT_EQ(count_of(c.messages, "Using backward() with create_graph=True"), 1);
    EXPECT_NE(c.all().find("reference cycle"), std::string::npos);
  }
  x.mutable_grad() = Tensor();
}

// ---- TORCH_CHECK, irange, str, Join --------------------------------------------------------

TEST(LibtorchMacros, TorchCheckStreamsItsArguments) {
  const int n = 4;
  try {
    TORCH_CHECK(n == 3, "expected 3 things, got ", n, " (", 1.5, ")");
    FAIL() << "no error";
  } catch (const tg::Error& e) {
    EXPECT_STREQ(e.what(), "expected 3 things, got 4 (1.5)");
    EXPECT_STREQ(e.what_without_backtrace(), e.what());
    EXPECT_EQ(e.msg(), e.what());
  }
  expect_error([&] { TORCH_CHECK(n < 0); }, "Expected n < 0 to be true, but got false.");
  TORCH_CHECK(n == 4, "not thrown");
}

TEST(LibtorchMacros, IrangeStrJoin) {
  std::vector<int64_t> seen;
  for (const auto i : tg::irange(int64_t{4})) seen.push_back(i);
  EXPECT_EQ(seen, (std::vector<int64_t>{0, 1, 2, 3}));
  seen.clear();
  for (const auto i : tg::irange(2, 5)) seen.push_back(i);
  EXPECT_EQ(seen, (std::vector<int64_t>{2, 3, 4}));
  int count = 0;
  for (const auto i : tg::irange(-3)) count += 1 + 0 * i;
  EXPECT_EQ(count, 0);
  static_assert(std::is_same<decltype(*tg::irange(size_t{3}).begin()), size_t>::value, "irange keeps n's type");
  EXPECT_EQ(tg::str("a", 1, '-', 2.5), "a1-2.5");
  EXPECT_EQ(tg::Join(", ", std::vector<int>{1, 2, 3}), "1, 2, 3");
  EXPECT_EQ(tg::Join(", ", std::vector<int>{}), "");
}

// ---- devices -------------------------------------------------------------------------------

TEST(Devices, NamesAndParsing) {
  EXPECT_FALSE(tg::cuda::is_available());
  EXPECT_EQ(tg::cuda::device_count(), 0);
  tg::Device cpu(tg::kCPU);
  EXPECT_TRUE(cpu.is_cpu());
  EXPECT_FALSE(cpu.has_index());
  EXPECT_EQ(cpu.str(), "cpu");
  tg::Device gpu("cuda:1");
  EXPECT_TRUE(gpu.is_cuda());
  EXPECT_EQ(gpu.index(), 1);
  EXPECT_EQ(gpu.str(), "cuda:1");
  EXPECT_EQ(tg::Device("cpu"), cpu);
  EXPECT_NE(tg::Device("cuda"), gpu);
  std::ostringstream os;
  os << gpu << " " << tg::kCPU;
  EXPECT_EQ(os.str(), "cuda:1 cpu");
  expect_error([] { tg::Device d("gpu"); },
               "Device: expected one of cpu, cuda, mps, meta device type at start of device string: gpu");
  expect_error([] { tg::Device d("cuda:x"); }, "Device: invalid device string: 'cuda:x'");
  expect_error([] { tg::Device d(tg::kCPU, 2); }, "Device: CPU device index must be -1 or zero, got 2");
}

TEST(Devices, EverythingIsOnTheCpuAndOtherDevicesAreErrors) {
  tg::Device device = tg::cuda::is_available() ? tg::kCUDA : tg::kCPU;  // the usual boilerplate
  Tensor x = tg::ones({2, 2}, tg::TensorOptions().device(device).requires_grad(true));
  EXPECT_EQ(x.device(), tg::Device(tg::kCPU));
  EXPECT_EQ(x.device().type(), tg::kCPU);
  EXPECT_TRUE(x.is_cpu());
  EXPECT_FALSE(x.is_cuda());
  EXPECT_EQ(x.get_device(), -1);
  EXPECT_TRUE(x.to(device).is_same(x));
  EXPECT_FALSE(x.to(device, false, true).is_same(x));
  EXPECT_EQ(x.to(tg::kCPU, tg::kFloat64).dtype(), tg::kFloat64);
  EXPECT_TRUE(x.cpu().is_same(x));
  EXPECT_EQ(x.options().device(), tg::Device(tg::kCPU));
  tg::nn::Linear lin(2, 3);
  lin->to(device);
  lin->to(tg::kCPU, tg::kFloat64);
  EXPECT_EQ(lin->weight.dtype(), tg::kFloat64);

  const char* no_cuda = "tensorgrad runs on the CPU only; device cuda is not available";
  expect_error([&] { x.to(tg::kCUDA); }, Parts{"to: ", no_cuda});
  expect_error([&] { x.to(tg::Device("cuda:0"), tg::kFloat32); }, Parts{"to: ", "device cuda:0 is not available"});
  expect_error([&] { x.cuda(); }, Parts{"cuda: ", no_cuda});
  expect_error([&] { tg::zeros({2}, tg::device(tg::kCUDA)); }, Parts{"TensorOptions::device: ", no_cuda});
  expect_error([&] { tg::zeros({2}, tg::TensorOptions(tg::kCUDA)); }, Parts{"TensorOptions: ", no_cuda});
  expect_error([&] { lin->to(tg::kCUDA); }, Parts{"Module::to: ", no_cuda});
  expect_error([&] { lin->to(tg::Device("mps")); }, Parts{"Module::to: ", "device mps is not available"});
}

// ---- IntArrayRef, ArrayRef, TensorList -----------------------------------------------------

TEST(ArrayRefs, CompareViewAndCopy) {
  Tensor a = tg::zeros({2, 3}), b = tg::ones({2, 3}), c = tg::ones({3, 2});
  EXPECT_TRUE(a.sizes() == b.sizes());
  EXPECT_TRUE(a.sizes() != c.sizes());
  EXPECT_TRUE(a.sizes() == std::vector<int64_t>({2, 3}));

  std::vector<Tensor> v{a, b, c};
  tg::TensorList all = v;
  EXPECT_EQ(all.size(), 3u);
  EXPECT_TRUE(all[1].is_same(b));
  EXPECT_TRUE(all.back().is_same(c));
  EXPECT_EQ(all.slice(1).size(), 2u);
  EXPECT_TRUE(all.slice(1, 1)[0].is_same(b));
  std::vector<Tensor> copy = all.vec();
  EXPECT_TRUE(copy[2].is_same(c));
  tg::TensorList one = a;
  EXPECT_EQ(one.size(), 1u);
  expect_error([&] { all.at(3); }, "ArrayRef: invalid index 3; the length is 3");
  expect_error([&] { all.slice(2, 2); }, "ArrayRef: slice(2, 2) of an ArrayRef of length 3");
  expect_error([] { tg::TensorList().front(); }, "ArrayRef: front() of an empty ArrayRef");
  EXPECT_EQ(tg::cat(all.slice(0, 2), 0).size(0), 4);
}

namespace {
// y = t0 * t1 + t2 over a TensorList: each of its tensors is an input with a gradient of its own.
struct ListProduct : Function<ListProduct> {
  static Variable forward(AutogradContext* ctx, tg::TensorList ts, double scale) {
    ctx->save_for_backward(ts.vec());
    ctx->saved_data["scale"] = scale;
    return (ts[0] * ts[1] + ts[2]) * scale;
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    auto s = ctx->get_saved_variables();
    const double scale = ctx->saved_data["scale"].toDouble();
    return {g[0] * s[1] * scale, g[0] * s[0] * scale, g[0] * scale, Variable()};
  }
};
}  // namespace

TEST(ArrayRefs, TensorListArgumentsOfACustomFunctionAreItsInputs) {
  Tensor a = tg::randn({3}, tg::dtype(tg::kFloat64).requires_grad(true));
  Tensor b = tg::randn({3}, tg::dtype(tg::kFloat64).requires_grad(true));
  Tensor c = tg::randn({3}, tg::dtype(tg::kFloat64).requires_grad(true));
  Tensor y = ListProduct::apply(tg::TensorList{a, b, c}, 2.0);
  EXPECT_EQ(y.grad_fn()->next_edges().size(), 3u);
  y.sum().backward();
  EXPECT_TRUE(tg::allclose(a.grad(), 2.0 * b));
  EXPECT_TRUE(tg::allclose(b.grad(), 2.0 * a));
  EXPECT_TRUE(tg::allclose(c.grad(), tg::full({3}, 2.0, tg::kFloat64)));
  // a std::vector<Tensor> argument is not an input (as in libtorch); a TensorList's tensors are
  auto f = [](const std::vector<Tensor>& in) { return ListProduct::apply(tg::TensorList(in), 0.5); };
  EXPECT_TRUE(tg::autograd::gradcheck(
      f, {a.detach().requires_grad_(), b.detach().requires_grad_(), c.detach().requires_grad_()}));
}

TEST(ArrayRefs, BackwardInputsTakeABracedTensor) {
  Tensor x = tg::randn({2}, tg::requires_grad());
  Tensor y = tg::randn({2}, tg::requires_grad());
  (x * y).sum().backward({}, false, false, {x});
  EXPECT_TRUE(tg::allclose(x.grad(), y));
  EXPECT_FALSE(y.grad().defined());
}

// ---- IndexRange, UndefinedGrad -------------------------------------------------------------

namespace {
struct RangeProbe : Function<RangeProbe> {
  static Variable forward(AutogradContext*, Variable a, int /*unused*/, Variable b) { return a * b; }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    seen = {ctx->needs_input_grad({IndexRange{0, 1}}), ctx->needs_input_grad({IndexRange{1, 2}}),
            ctx->needs_input_grad({IndexRange{0, 1}, IndexRange{1, 2}}), ctx->needs_input_grad({})};
    return {g[0], Variable(), g[0]};
  }
  static std::vector<bool> seen;
};
std::vector<bool> RangeProbe::seen;

struct Identity : Function<Identity> {
  static Variable forward(AutogradContext* ctx, Variable x) {
    ctx->saved_data["materialize"] = materialize;
    ctx->set_materialize_grads(materialize);
    return x.clone();
  }
  static variable_list backward(AutogradContext*, variable_list g) {
    ++calls;
    received = g[0];
    return g;
  }
  static bool materialize;
  static int calls;
  static Tensor received;
};
bool Identity::materialize = true;
int Identity::calls = 0;
Tensor Identity::received;
}  // namespace

TEST(UndefinedGradAndIndexRange, NeedsInputGradOverRanges) {
  Tensor a = tg::ones({2}, tg::requires_grad());
  Tensor b = tg::ones({2});
  RangeProbe::apply(a, 7, b).sum().backward();
  EXPECT_EQ(RangeProbe::seen, (std::vector<bool>{true, false, true, false}));
}

TEST(UndefinedGradAndIndexRange, ACustomFunctionReceivesZerosOrUndefined) {
  Tensor x = tg::ones({3}, tg::requires_grad());
  Tensor copied = UndefinedGrad().apply({x * 2})[0];
  EXPECT_EQ(copied.grad_fn()->name(), "UndefinedGradBackward");
  EXPECT_TRUE(tg::equal(copied, tg::full({3}, 2.0)));

  Identity::materialize = true;
  Identity::calls = 0;
  UndefinedGrad().apply({Identity::apply(x)})[0].sum().backward();
  ASSERT_EQ(Identity::calls, 1);  // run although its gradient was undefined
  ASSERT_TRUE(Identity::received.defined());
  EXPECT_TRUE(tg::equal(Identity::received, tg::zeros({3})));

  EXPECT_TRUE(tg::equal(x.grad(), tg::zeros({3})));  // the zeros went on to the leaf
  x.mutable_grad() = Tensor();
  Identity::materialize = false;
  UndefinedGrad().apply({Identity::apply(x)})[0].sum().backward();
  ASSERT_EQ(Identity::calls, 2);
  EXPECT_FALSE(Identity::received.defined());
  EXPECT_FALSE(x.grad().defined());  // nothing reached the leaf
  Identity::received = Tensor();
}

// ---- anomaly mode's tracebacks -------------------------------------------------------------

TEST(AnomalyTracebacks, AFailedBackwardWarnsWhereItsNodeWasCreated) {
  DetectAnomalyGuard detect;
  Tensor x = tg::tensor({5.0}, tg::requires_grad());
  Tensor y = x * x;
  Tensor z = y * y;
  y.add_(1);
  Capture c;
  expect_error([&] { z.backward(); }, "modified by an inplace operation");
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_NE(c.messages[0].find("Error detected in MulBackward0"), std::string::npos) << c.messages[0];
  EXPECT_NE(c.messages[0].find("Traceback of forward call that caused the error:"), std::string::npos);
  EXPECT_NE(c.messages[0].find("#0 "), std::string::npos) << "no stack frames: " << c.messages[0];
  ASSERT_NE(z.grad_fn()->anomaly_metadata(), nullptr);
  EXPECT_EQ(z.grad_fn()->anomaly_metadata()->parent, nullptr);  // made by a forward call
}

TEST(AnomalyTracebacks, ANanInADoubleBackwardNamesTheNodeAndItsParent) {
  auto second_backward = [](bool expect_nan_error) {
    Tensor x = tg::tensor({0.0}, tg::requires_grad());
    Tensor y = x.pow(1.5);
    Tensor g = tg::autograd::grad({y}, {x}, {}, true, true)[0];
    ASSERT_NE(g.grad_fn()->anomaly_metadata(), nullptr);
    ASSERT_NE(g.grad_fn()->anomaly_metadata()->parent, nullptr);  // made by y's backward
    EXPECT_EQ(g.grad_fn()->anomaly_metadata()->parent->name(), y.grad_fn()->name());
    Capture c;
    if (expect_nan_error) {
      expect_error([&] { tg::autograd::grad({g}, {x}, {tg::tensor({0.0})}); }, "returned nan values");
      ASSERT_EQ(c.messages.size(), 2u) << c.all();
      EXPECT_NE(c.messages[0].find("Traceback of forward call that caused the error"), std::string::npos);
      EXPECT_NE(c.messages[1].find("Previous calculation was induced by " + y.grad_fn()->name()), std::string::npos);
      EXPECT_NE(c.messages[1].find("Traceback of forward call that induced the previous calculation"),
                std::string::npos);
    } else {
      Tensor gg = tg::autograd::grad({g}, {x}, {tg::tensor({0.0})})[0];
      EXPECT_TRUE(tg::isnan(gg).all().item<bool>());
      EXPECT_TRUE(c.messages.empty());
    }
  };
  DetectAnomalyGuard detect;
  EXPECT_TRUE(AnomalyMode::should_check_nan());
  second_backward(true);
  {
    DetectAnomalyGuard no_nan_check(false);
    EXPECT_FALSE(AnomalyMode::should_check_nan());
    second_backward(false);
  }
  EXPECT_TRUE(AnomalyMode::should_check_nan());
  second_backward(true);
}

TEST(AnomalyTracebacks, OffByDefaultAndNothingRecorded) {
  ASSERT_FALSE(AnomalyMode::is_enabled());
  Tensor x = tg::ones({2}, tg::requires_grad());
  EXPECT_EQ((x * 2).grad_fn()->anomaly_metadata(), nullptr);
}

// ---- deep reentrant backward ---------------------------------------------------------------

namespace {
// Saves x - 1 as a graph of its own (for backward to run) and returns its value: one level of a
// reentrant chain that ends at 0.
Variable save_one_less(AutogradContext* ctx, const Variable& x) {
  {
    tg::AutoGradMode enable_grad(true);
    ctx->saved_data["x"] = make_variable(x.tensor_data(), true) - 1;
  }
  return ctx->saved_data["x"].toTensor().detach();
}

// Each backward runs the backward of one more level, `levels` deep (libtorch's DeepReentrant).
struct Deep : Function<Deep> {
  static Variable forward(AutogradContext* ctx, Variable x) { return save_one_less(ctx, x); }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    ++levels;
    Tensor x = ctx->saved_data["x"].toTensor();
    // a tensor made with the default dtype, on whichever thread this level runs
    dtypes_ok =
        dtypes_ok && tg::zeros({1}).dtype() == tg::get_default_dtype() && tg::zeros({1}).dtype() == expected_dtype;
    if (!tg::native::is_nonzero(x)) return g;
    tg::AutoGradMode enable_grad(true);
    apply(x)[0].sum().backward();
    return {g[0] * 2};
  }
  static int levels;
  static bool dtypes_ok;
  static tg::ScalarType expected_dtype;
};
int Deep::levels = 0;
bool Deep::dtypes_ok = true;
tg::ScalarType Deep::expected_dtype = tg::kFloat32;
}  // namespace

TEST(DeepReentrant, TenThousandLevelsDoNotOverflowTheStack) {
  Tensor v = tg::tensor({10000.0}, tg::requires_grad());
  Deep::levels = 0;
  Deep::apply(v).sum().backward();
  EXPECT_EQ(Deep::levels, 10000);
  EXPECT_TRUE(tg::equal(v.grad(), tg::full({1}, 2.0)));
}

TEST(DeepReentrant, LevelsOnOtherThreadsKeepTheCallersDefaultDtype) {
  tg::set_default_dtype(tg::kFloat64);
  Deep::expected_dtype = tg::kFloat64;
  Deep::dtypes_ok = true;
  Deep::levels = 0;
  Tensor v = tg::tensor({100.0}, tg::requires_grad());
  Deep::apply(v).sum().backward();
  tg::set_default_dtype(tg::kFloat32);
  Deep::expected_dtype = tg::kFloat32;
  EXPECT_EQ(Deep::levels, 100);
  EXPECT_TRUE(Deep::dtypes_ok);
}

namespace {
// Fails at the bottom of `x` reentrant levels, saying whether that level ran on another thread.
struct Failing : Function<Failing> {
  static Variable forward(AutogradContext* ctx, Variable x) { return save_one_less(ctx, x); }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    Tensor x = ctx->saved_data["x"].toTensor();
    TORCH_CHECK(tg::native::is_nonzero(x),
                "reached the bottom on another thread: ", std::this_thread::get_id() != main_id);
    tg::AutoGradMode enable_grad(true);
    apply(x)[0].sum().backward();
    return g;
  }
  static std::thread::id main_id;
};
std::thread::id Failing::main_id;
}  // namespace

TEST(DeepReentrant, AnErrorDeepDownReachesTheCaller) {
  Failing::main_id = std::this_thread::get_id();
  Tensor v = tg::tensor({200.0}, tg::requires_grad());
  expect_error([&] { Failing::apply(v).sum().backward(); }, "reached the bottom on another thread: 1");
  Tensor w = tg::tensor({5.0}, tg::requires_grad());
  expect_error([&] { Failing::apply(w).sum().backward(); }, "reached the bottom on another thread: 0");
}

// ---- Cloneable, set_data -------------------------------------------------------------------

namespace {
struct NetImpl : tg::nn::Cloneable<NetImpl> {
  NetImpl() { reset(); }
  void reset() override {
    fc = register_module("fc", tg::nn::Linear(3, 2));
    scale = register_parameter("scale", tg::ones({1}));
    steps = register_buffer("steps", tg::zeros({1}));
  }
  Tensor forward(const Tensor& x) { return fc(x) * scale; }
  tg::nn::Linear fc{nullptr};
  Tensor scale, steps;
};
TORCH_MODULE(Net);

struct PlainImpl : tg::nn::Module {
  PlainImpl() : Module("PlainImpl") {}
};
}  // namespace

TEST(Cloneable, ACloneHasItsOwnParametersWithTheSameValues) {
  tg::manual_seed(3);
  Net net;
  auto copy = std::dynamic_pointer_cast<NetImpl>(net->clone());
  ASSERT_NE(copy, nullptr);
  auto a = net->named_parameters(), b = copy->named_parameters();
  ASSERT_EQ(a.keys(), b.keys());
  for (const auto& k : a.keys()) {
    EXPECT_TRUE(tg::equal(a[k], b[k])) << k;
    EXPECT_NE(a[k].data_ptr(), b[k].data_ptr()) << k;
    EXPECT_TRUE(b[k].requires_grad()) << k;
    EXPECT_TRUE(b[k].is_leaf()) << k;
  }
  // the clone's members are its registered tensors and its own submodule
  EXPECT_EQ(copy->fc->weight.data_ptr(), b["fc.weight"].data_ptr());
  EXPECT_EQ(copy->scale.data_ptr(), b["scale"].data_ptr());
  EXPECT_NE(copy->fc.get(), net->fc.get());
  EXPECT_EQ(copy->named_buffers()["steps"].data_ptr(), copy->steps.data_ptr());
  EXPECT_NE(copy->steps.data_ptr(), net->steps.data_ptr());
  Tensor x = tg::randn({4, 3});
  EXPECT_TRUE(tg::equal(copy->forward(x), net->forward(x)));
  {
    tg::NoGradGuard no_grad;
    copy->fc->weight.add_(1);
  }
  EXPECT_FALSE(tg::equal(copy->forward(x), net->forward(x)));
}

TEST(Cloneable, SequentialAndModuleListCloneTheirModules) {
  tg::nn::Sequential seq(tg::nn::Linear(2, 4), tg::nn::ReLU(), tg::nn::Linear(4, 1));
  auto copy = std::dynamic_pointer_cast<tg::nn::SequentialImpl>(seq->clone());
  ASSERT_NE(copy, nullptr);
  ASSERT_EQ(copy->size(), 3u);
  EXPECT_NE(copy->ptr(0).get(), seq->ptr(0).get());
  Tensor x = tg::randn({5, 2});
  EXPECT_TRUE(tg::equal(copy->forward(x), seq->forward(x)));
  EXPECT_EQ(copy->parameters().size(), 4u);
  EXPECT_NE(copy->parameters()[0].data_ptr(), seq->parameters()[0].data_ptr());

  tg::nn::ModuleList list(tg::nn::Linear(2, 2), tg::nn::Tanh());
  auto lcopy = std::dynamic_pointer_cast<tg::nn::ModuleListImpl>(list->clone());
  ASSERT_NE(lcopy, nullptr);
  ASSERT_EQ(lcopy->size(), 2u);
  EXPECT_TRUE(tg::equal(lcopy->at<tg::nn::LinearImpl>(0).weight, list->at<tg::nn::LinearImpl>(0).weight));
  EXPECT_NE(lcopy->at<tg::nn::LinearImpl>(0).weight.data_ptr(), list->at<tg::nn::LinearImpl>(0).weight.data_ptr());

  expect_error([&] { seq->ptr(3); }, "Sequential: Index out of range: index 3 of a Sequential of 3 modules");
}

TEST(Cloneable, ErrorsNameTheModule) {
  auto plain = std::make_shared<PlainImpl>();
  expect_error([&] { plain->clone(); },
               "clone() has not been implemented for PlainImpl. Subclass tg::nn::Cloneable<PlainImpl> instead of "
               "tg::nn::Module to inherit the ability to clone.");
  Net net;
  expect_error([&] { net->clone(tg::Device(tg::kCUDA)); }, "clone: tensorgrad runs on the CPU only");
  EXPECT_NE(net->clone(tg::Device(tg::kCPU)), nullptr);
}

TEST(SetData, ReplacesTheDataAndKeepsTheAutogradIdentity) {
  Tensor p = tg::zeros({2}, tg::requires_grad());
  Tensor holder = p;  // another handle to the same tensor
  p.set_data(tg::full({3}, 2.0, tg::kFloat64));
  EXPECT_EQ(holder.sizes(), std::vector<int64_t>({3}));
  EXPECT_EQ(holder.dtype(), tg::kFloat64);
  EXPECT_TRUE(holder.requires_grad());
  EXPECT_TRUE(holder.is_leaf());
  (holder * holder).sum().backward();
  EXPECT_TRUE(tg::equal(p.grad(), tg::full({3}, 4.0, tg::kFloat64)));
  expect_error([&] { p.set_data(Tensor()); }, "set_data: new_data is an undefined tensor");
  expect_error([&] { p.set_data(tg::zeros({2}, tg::kInt64)); },
               "set_data: a tensor that requires grad must keep a floating-point dtype, got new_data of dtype int64");
}

// ---- the rarer errors of devices and clone -------------------------------------------------

TEST(Devices, BadIndicesAreErrors) {
  expect_error([] { tg::Device d(tg::kCUDA, -2); }, "Device: device index must be -1 or non-negative, got -2");
  expect_error([] { tg::Device d("cpu:1"); }, "Device: CPU device index must be -1 or zero, got 1");
  EXPECT_EQ(tg::Device("cpu:0").index(), 0);
}

namespace {
// Registers its parameter in the constructor, not in reset(): clone() cannot rebuild it.
struct ForgetfulImpl : tg::nn::Cloneable<ForgetfulImpl> {
  ForgetfulImpl() : Cloneable("ForgetfulImpl") { w = register_parameter("w", tg::ones({2})); }
  void reset() override {}
  Tensor w;
};
// A clone() that returns another type of module.
struct OddImpl : tg::nn::Cloneable<OddImpl> {
  OddImpl() : Cloneable("OddImpl") {}
  void reset() override {}
  Tensor forward(const Tensor& x) { return x; }
  std::shared_ptr<tg::nn::Module> clone(const std::optional<tg::Device>& = std::nullopt) const override {
    return std::make_shared<tg::nn::LinearImpl>(1, 1);
  }
};
// A Cloneable holding `Child` as a submodule.
template <typename Child> struct HolderImpl : tg::nn::Cloneable<HolderImpl<Child>> {
  HolderImpl() : tg::nn::Cloneable<HolderImpl<Child>>("HolderImpl") { reset(); }
  void reset() override { this->register_module("child", std::make_shared<Child>()); }
};
}  // namespace

TEST(Cloneable, ChildrenThatCannotBeClonedAreErrors) {
  expect_error([] { ForgetfulImpl().clone(); },
               "clone: the cloned ForgetfulImpl does not have the same number of parameters as the original module (0 "
               "vs 1). Did you forget to register all parameters in reset()?");
  expect_error([] { HolderImpl<PlainImpl>().clone(); },
               "clone: PlainImpl cannot be cloned into (it is not a tg::nn::Cloneable)");
  expect_error(
      [] { HolderImpl<OddImpl>().clone(); },
      "clone: attempted to clone submodule OddImpl, but it is of a different type than the submodule it was to "
      "be cloned into (OddImpl)");
  tg::nn::Sequential seq(OddImpl{});
  expect_error([&] { seq->clone(); }, "clone: the clone of OddImpl is of another type");
}

// ---- small tensor and loss spellings --------------------------------------------------------

TEST(LibtorchSpellings, TensorMethodsAndLossOptions) {
  Tensor a = tg::tensor({1.0, -2.0, 3.0}), b = tg::tensor({0.5, 4.0, -1.0});
  EXPECT_TRUE(tg::equal(tg::max(a, b), tg::maximum(a, b)));
  EXPECT_TRUE(tg::equal(tg::min(a, b), tg::tensor({0.5, -2.0, -1.0})));
  EXPECT_TRUE(a.allclose(a + 1e-9));
  EXPECT_FALSE(a.allclose(b));
  Tensor d = tg::zeros({2}, tg::kFloat64);
  EXPECT_EQ(a.to(d).dtype(), tg::kFloat64);
  EXPECT_EQ(a.type_as(d).dtype(), tg::kFloat64);
  EXPECT_TRUE(a.is_signed());
  EXPECT_FALSE((a > 0).is_signed());
  Tensor r = tg::empty({200});
  r.random_(3);
  EXPECT_TRUE(((r == 0) | (r == 1) | (r == 2)).all().item<bool>());
  EXPECT_TRUE((r == 2).any().item<bool>());

  namespace F = tg::nn::functional;
  Tensor x = tg::tensor({0.1, 1.5, 10.0}), t = tg::tensor({0.0, 1.0, 5.0});
  EXPECT_TRUE(tg::equal(F::mse_loss(x, t, tg::kSum), tg::mse_loss(x, t, tg::Reduction::Sum)));
  EXPECT_EQ(F::l1_loss(x, t, tg::kNone).sizes(), x.sizes());
  EXPECT_TRUE(tg::equal(F::huber_loss(x, t, tg::kSum), tg::huber_loss(x, t, tg::Reduction::Sum, 1.0)));
  // libtorch 1.13's smooth_l1_loss(input, target, options, beta)
  EXPECT_TRUE(tg::equal(F::smooth_l1_loss(x, t, tg::kMean, 0.5), tg::smooth_l1_loss(x, t, tg::Reduction::Mean, 0.5)));
  EXPECT_TRUE(tg::equal(F::smooth_l1_loss(x, t, F::SmoothL1LossFuncOptions().beta(2.0)),
                        tg::smooth_l1_loss(x, t, tg::Reduction::Mean, 2.0)));
  Tensor logp = tg::log_softmax(tg::randn({2, 3}), 1), q = tg::softmax(tg::randn({2, 3}), 1);
  EXPECT_TRUE(tg::equal(F::kl_div(logp, q, tg::kBatchMean), F::kl_div(logp, q, F::KLDivFuncOptions(tg::kBatchMean))));
  tg::nn::MSELoss summed(tg::kSum);
  EXPECT_TRUE(tg::equal(summed(x, t), tg::mse_loss(x, t, tg::Reduction::Sum)));
}
