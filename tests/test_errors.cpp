// Every error path of the core engine, checked by its message. Errors must be tg::Error (a
// std::runtime_error), carry PyTorch's wording where PyTorch has one plus the shapes and dtypes
// involved, and leave the library usable (nothing crashes, grad mode is restored).

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <type_traits>
#include <vector>

#include <tensorgrad/tensorgrad.h>

namespace {

using tg::Tensor;

static_assert(std::is_base_of<std::runtime_error, tg::Error>::value, "tg::Error must be a std::runtime_error");

// Runs `f`, which must throw a tg::Error whose message contains every string of `parts`.
void expect_error(const std::function<void()>& f, const std::vector<std::string>& parts, const char* code) {
  try {
    f();
  } catch (const tg::Error& e) {
    const std::string msg = e.what();
    for (const auto& p : parts)
      EXPECT_NE(msg.find(p), std::string::npos) << "`" << code << "` threw\n  " << msg << "\nwhich lacks\n  " << p;
    return;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "`" << code << "` threw a non-tg::Error exception: " << e.what();
    return;
  } catch (...) {
    ADD_FAILURE() << "`" << code << "` threw something that is not a std::exception";
    return;
  }
  ADD_FAILURE() << "`" << code << "` did not throw";
}

#define EXPECT_TG_ERROR(stmt, ...) expect_error([&] { (void)(stmt); }, {__VA_ARGS__}, #stmt)

Tensor rg(std::vector<double> v) { return tg::tensor(v, tg::requires_grad()); }

// ================================================================================================
// Exception type
// ================================================================================================

TEST(Errors, AreTgErrorAndRuntimeError) {
  bool caught_runtime = false;
  try {
    tg::ones({2}).item<float>();
  } catch (const std::runtime_error& e) {
    caught_runtime = true;
    EXPECT_NE(dynamic_cast<const tg::Error*>(&e), nullptr);
  }
  EXPECT_TRUE(caught_runtime);
}

// ================================================================================================
// backward / autograd::grad
// ================================================================================================

TEST(Errors, BackwardFromNonScalarWithoutGradient) {
  Tensor x = rg({1.0, 2.0});
  EXPECT_TG_ERROR((x * 2).backward(), "grad can be implicitly created only for scalar outputs", "[2]");
  EXPECT_TG_ERROR(tg::autograd::grad({x * 2}, {x}), "grad can be implicitly created only for scalar outputs");
  // nothing was accumulated
  EXPECT_FALSE(x.grad().defined());
}

TEST(Errors, BackwardTwiceThroughFreedGraph) {
  Tensor x = rg({1.0, 2.0});
  Tensor y = (x.exp() * x).sum();
  y.backward();
  EXPECT_TG_ERROR(y.backward(), "Trying to backward through the graph a second time",
                  "Specify retain_graph=True");
  // autograd::grad frees saved tensors too
  Tensor z = (x * x).sum();
  tg::autograd::grad({z}, {x});
  EXPECT_TG_ERROR(tg::autograd::grad({z}, {x}), "Trying to backward through the graph a second time");
  // with retain_graph, the second call works and the third (without) frees
  Tensor w = (x.sigmoid() * x).sum();
  w.backward(Tensor(), true);
  w.backward();
  EXPECT_TG_ERROR(w.backward(), "Trying to backward through the graph a second time");
}

TEST(Errors, BackwardFromTensorNotRequiringGrad) {
  Tensor x = tg::tensor({1.0, 2.0});
  EXPECT_TG_ERROR(x.sum().backward(), "element 0 of tensors does not require grad and does not have a grad_fn");
  Tensor a = rg({1.0});
  EXPECT_TG_ERROR(tg::autograd::backward({a.sum(), x.sum()}),
                  "element 1 of tensors does not require grad and does not have a grad_fn");
  EXPECT_TG_ERROR(tg::autograd::grad({x.sum()}, {a}),
                  "element 0 of tensors does not require grad and does not have a grad_fn");
  // under NoGradGuard nothing is recorded, so backward has nothing to do
  Tensor y;
  {
    tg::NoGradGuard g;
    y = (a * 2).sum();
  }
  EXPECT_TG_ERROR(y.backward(), "element 0 of tensors does not require grad");
}

TEST(Errors, GradWithRespectToUnusedInput) {
  Tensor a = rg({1.0});
  Tensor b = rg({2.0, 3.0});
  EXPECT_TG_ERROR(tg::autograd::grad({(a * 2).sum()}, {a, b}),
                  "One of the differentiated Tensors appears to not have been used in the graph",
                  "allow_unused=True", "input 1", "[2]");
}

TEST(Errors, GradWithRespectToInputNotRequiringGrad) {
  Tensor a = rg({1.0});
  Tensor c = tg::tensor({5.0, 6.0});
  EXPECT_TG_ERROR(tg::autograd::grad({(a * 2).sum()}, {a, c}),
                  "One of the differentiated Tensors does not require grad", "input 1");
}

TEST(Errors, GradientShapeAndCountMismatch) {
  Tensor x = rg({1.0, 2.0});
  EXPECT_TG_ERROR((x * 2).backward(tg::ones({3})), "Mismatch in shape", "[3]", "[2]");
  EXPECT_TG_ERROR(tg::autograd::grad({x * 2}, {x}, {tg::ones({2, 1})}), "Mismatch in shape", "[2, 1]", "[2]");
  EXPECT_TG_ERROR(tg::autograd::backward({x.sum()}, {Tensor(), Tensor()}), "1 tensors and 2 gradients");
  EXPECT_TG_ERROR(tg::autograd::grad({x.sum()}, {x}, {Tensor(), Tensor()}), "1 outputs and 2 grad_outputs");
}

TEST(Errors, HookReturningWrongShape) {
  Tensor x = rg({1.0, 2.0});
  x.register_hook([](const Tensor&) { return tg::ones({5}); });
  EXPECT_TG_ERROR((x * 2).sum().backward(), "[5]", "[2]");
}

TEST(Errors, HookOnTensorNotRequiringGrad) {
  Tensor x = tg::tensor({1.0});
  EXPECT_TG_ERROR(x.register_hook([](const Tensor&) {}), "cannot register a hook on a tensor that doesn't require gradient");
}

TEST(Errors, RetainGradOnTensorNotRequiringGrad) {
  EXPECT_TG_ERROR(tg::tensor({1.0}).retain_grad(), "can't retain_grad on Tensor that has requires_grad=False");
}

// ================================================================================================
// requires_grad
// ================================================================================================

TEST(Errors, RequiresGradOnIntegerTensor) {
  EXPECT_TG_ERROR(tg::tensor({1, 2}).requires_grad_(), "only Tensors of floating point dtype can require gradients",
                  "int64");
  EXPECT_TG_ERROR(tg::tensor({1, 2}, tg::requires_grad()), "only Tensors of floating point dtype can require gradients");
  EXPECT_TG_ERROR(tg::zeros({2}, tg::TensorOptions().dtype(tg::kBool).requires_grad(true)),
                  "only Tensors of floating point dtype can require gradients", "bool");
  EXPECT_TG_ERROR(tg::arange(3, tg::requires_grad()), "only Tensors of floating point dtype can require gradients");
  // requires_grad_(false) on an integer tensor is fine
  tg::tensor({1, 2}).requires_grad_(false);
}

TEST(Errors, RequiresGradFalseOnNonLeaf) {
  Tensor x = rg({1.0});
  Tensor y = x * 2;
  EXPECT_TG_ERROR(y.requires_grad_(false), "you can only change requires_grad flags of leaf variables");
  EXPECT_TRUE(y.requires_grad());
}

// ================================================================================================
// In-place ops and the version counter
// ================================================================================================

TEST(Errors, InPlaceOnLeafRequiringGrad) {
  Tensor w = rg({1.0, 2.0});
  const char* msg = "a leaf Variable that requires grad is being used in an in-place operation";
  EXPECT_TG_ERROR(w.add_(1), msg, "add_");
  EXPECT_TG_ERROR(w.sub_(tg::ones({2})), msg);
  EXPECT_TG_ERROR(w.mul_(2), msg);
  EXPECT_TG_ERROR(w.div_(2), msg);
  EXPECT_TG_ERROR(w.zero_(), msg);
  EXPECT_TG_ERROR(w.fill_(3), msg);
  EXPECT_TG_ERROR(w.copy_(tg::ones({2})), msg);
  EXPECT_TG_ERROR(w += 1, msg);
  EXPECT_TG_ERROR(w -= 1, msg);
  EXPECT_TG_ERROR(w *= 1, msg);
  EXPECT_TG_ERROR(w /= 1, msg);
  EXPECT_TG_ERROR(w.clamp_(0, 1), msg);
  // nothing changed
  EXPECT_EQ(w.tolist<double>(), (std::vector<double>{1, 2}));
  EXPECT_EQ(w._version(), 0u);
  // under NoGradGuard it is allowed
  {
    tg::NoGradGuard g;
    w.add_(1);
  }
  EXPECT_EQ(w.tolist<double>(), (std::vector<double>{2, 3}));
}

TEST(Errors, SavedTensorModifiedInPlace) {
  const char* msg = "one of the variables needed for gradient computation has been modified by an inplace operation";
  {
    // mul saves its inputs; y is changed after being saved
    Tensor x = rg({1.0, 2.0});
    Tensor y = x * 2;
    Tensor z = (y * y).sum();
    y.add_(1);
    EXPECT_TG_ERROR(z.backward(), msg, "[float32 [2]]", "is at version 1; expected version 0");
  }
  {
    // exp saves its output: changing the output in place invalidates ExpBackward0
    Tensor x = rg({1.0, 2.0});
    Tensor y = x.exp();
    y.mul_(2);
    EXPECT_TG_ERROR(y.sum().backward(), msg, "output 0 of ExpBackward0");
  }
  {
    // a leaf changed under NoGradGuard after being saved
    Tensor x = rg({1.0, 2.0, 3.0});
    Tensor y = (x * x).sum();
    {
      tg::NoGradGuard g;
      x.mul_(2);
    }
    EXPECT_TG_ERROR(y.backward(), msg, "[float32 [3]]", "is at version 1; expected version 0");
  }
  {
    // a change through a view counts too
    Tensor x = rg({1.0, 2.0});
    Tensor c = tg::tensor({3.0, 4.0});
    Tensor y = (x * c).sum();
    c[0].fill_(10);
    EXPECT_TG_ERROR(y.backward(), msg);
  }
  {
    // a detached alias shares the version counter
    Tensor x = rg({1.0, 2.0});
    Tensor c = tg::tensor({3.0, 4.0});
    Tensor y = (x * c).sum();
    c.detach().add_(1);
    EXPECT_TG_ERROR(y.backward(), msg);
  }
  {
    // two changes: version 2
    Tensor x = rg({1.0});
    Tensor c = tg::tensor({3.0});
    Tensor y = (x * c).sum();
    c.add_(1);
    c.add_(1);
    EXPECT_TG_ERROR(y.backward(), "is at version 2; expected version 0");
  }
}

TEST(Errors, InPlaceOnViewWithHistory) {
  Tensor x = rg({1.0, 2.0});
  Tensor y = x * 2;
  EXPECT_TG_ERROR(y[0].mul_(3), "in-place operations on a view", "[]");
  EXPECT_TG_ERROR(y.view({2, 1}).add_(1), "in-place operations on a view", "[2, 1]");
  // y is unchanged and still differentiable
  EXPECT_EQ(y.tolist<double>(), (std::vector<double>{2, 4}));
  y.sum().backward();
  EXPECT_EQ(x.grad().tolist<double>(), (std::vector<double>{2, 2}));
}

TEST(Errors, InPlaceOnExpandedTensor) {
  // several elements share one memory location: PyTorch refuses elementwise in-place writes
  const char* msg = "more than one element of the written-to tensor refers to a single memory location";
  Tensor base = tg::ones({1});
  Tensor e = base.expand({3});
  EXPECT_TG_ERROR(e.mul_(2), msg, "mul_", "[3]");
  EXPECT_TG_ERROR(e.add_(tg::tensor({1.0, 2.0, 3.0})), msg);
  EXPECT_TG_ERROR(e.copy_(tg::ones({3})), msg);
  EXPECT_TG_ERROR(e.clamp_(0, 0.5), msg);
  EXPECT_TG_ERROR(e += 1, msg);
  EXPECT_EQ(base.item<double>(), 1.0);
  // fill_ and zero_ write one value: allowed, as in PyTorch
  e.fill_(4);
  EXPECT_EQ(base.item<double>(), 4.0);
  // a size-1 dim with stride 0 is not an overlap
  Tensor u = tg::ones({2}).unsqueeze(0).expand({1, 2});
  u.mul_(3);
  EXPECT_EQ(u.tolist<double>(), (std::vector<double>{3, 3}));
}

TEST(Errors, ViewOfBaseModifiedInPlaceWithHistory) {
  // tensorgrad does not rewrite the history of existing views (PyTorch does): using such a view
  // in a graph is an error instead of a silently wrong gradient
  const char* msg = "was created before an in-place operation on its base recorded a graph";
  Tensor x = rg({1.0, 2.0});
  Tensor y = x * 2;
  Tensor v = y[0];
  Tensor t = y.view({2, 1});
  y.add_(1);
  EXPECT_TG_ERROR(v.backward(), msg, "view of shape []");
  EXPECT_TG_ERROR(t * 2, msg, "[2, 1]");
  EXPECT_TG_ERROR(tg::autograd::grad({v}, {x}), msg);
  // an in-place op under NoGradGuard does not rewrite history: the old views stay usable
  Tensor y2 = x * 2;
  Tensor v2 = y2[1];
  {
    tg::NoGradGuard g;
    y2.add_(1);
  }
  v2.backward();
  EXPECT_EQ(x.grad().tolist<double>(), (std::vector<double>{0, 2}));
}

TEST(Errors, InPlaceResultTypeAndShape) {
  Tensor i = tg::tensor({1, 2});
  EXPECT_TG_ERROR(i.add_(tg::tensor({0.5, 0.5})), "result type float32 can't be cast to the desired output type int64");
  EXPECT_TG_ERROR(i.mul_(1.5), "can't be cast to the desired output type int64");
  EXPECT_TG_ERROR(i.div_(2), "can't be cast to the desired output type int64");
  EXPECT_TG_ERROR(tg::tensor({true}).add_(tg::tensor({1})), "result type int64 can't be cast to the desired output type bool");
  Tensor f = tg::ones({3});
  EXPECT_TG_ERROR(f.add_(tg::ones({2, 3})), "output with shape [3] doesn't match the broadcast shape [2, 3]");
  EXPECT_TG_ERROR(f.mul_(tg::ones({2})), "[3]", "[2]");
  EXPECT_TG_ERROR(f.copy_(tg::ones({4})), "[4]", "[3]");
  EXPECT_TG_ERROR(f.copy_(tg::ones({2, 3})), "[2, 3]", "[3]");
  EXPECT_TG_ERROR(f.add_(Tensor()), "undefined");
  EXPECT_TG_ERROR(f.copy_(Tensor()), "undefined");
  EXPECT_EQ(f.tolist<double>(), (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(f._version(), 0u);
}

// ================================================================================================
// Shapes and broadcasting
// ================================================================================================

TEST(Errors, BroadcastMismatch) {
  Tensor a = tg::ones({2, 3});
  Tensor b = tg::ones({4});
  EXPECT_TG_ERROR(a + b, "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1",
                  "[2, 3]", "[4]");
  EXPECT_TG_ERROR(a - b, "[2, 3]", "[4]");
  EXPECT_TG_ERROR(a * b, "[2, 3]", "[4]");
  EXPECT_TG_ERROR(a / b, "[2, 3]", "[4]");
  EXPECT_TG_ERROR(tg::ones({2, 1, 5}) + tg::ones({3, 4}), "[2, 1, 5]", "[3, 4]", "(5)", "(4)");
  EXPECT_TG_ERROR(a > b, "[2, 3]", "[4]");
  EXPECT_TG_ERROR(tg::maximum(a, b), "[2, 3]", "[4]");
  EXPECT_TG_ERROR(tg::where(tg::ones({2, 3}, tg::kBool), a, b), "[2, 3]", "[4]");
  EXPECT_TG_ERROR(tg::broadcast_shapes({2, 3}, {3, 2}), "[2, 3]", "[3, 2]");
}

TEST(Errors, MatmulShapeMismatch) {
  Tensor a = tg::ones({2, 3});
  Tensor b = tg::ones({4, 5});
  EXPECT_TG_ERROR(tg::matmul(a, b), "[2, 3]", "[4, 5]");
  EXPECT_TG_ERROR(a.matmul(b), "[2, 3]", "[4, 5]");
  EXPECT_TG_ERROR(tg::mm(a, b), "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
  EXPECT_TG_ERROR(a.mm(b), "2x3", "4x5");
  EXPECT_TG_ERROR(tg::matmul(tg::ones({3}), tg::ones({4})), "[3]", "[4]");
  EXPECT_TG_ERROR(tg::matmul(a, tg::ones({4})), "[2, 3]", "[4]");
  EXPECT_TG_ERROR(tg::matmul(tg::ones({4}), a), "[4]", "[2, 3]");
  EXPECT_TG_ERROR(tg::matmul(tg::ones({5, 2, 3}), tg::ones({5, 4, 2})), "[5, 2, 3]", "[5, 4, 2]");
  EXPECT_TG_ERROR(tg::matmul(tg::ones({2, 2, 3}), tg::ones({5, 3, 2})), "[2]", "[5]");  // batch dims
  EXPECT_TG_ERROR(tg::matmul(tg::tensor(1.0), a), "both arguments to matmul need to be at least 1D");
  EXPECT_TG_ERROR(tg::mm(tg::ones({3}), a), "mm: self must be a matrix", "[3]");
  EXPECT_TG_ERROR(tg::mm(a, tg::ones({3})), "mm: mat2 must be a matrix", "[3]");
  EXPECT_TG_ERROR(tg::bmm(tg::ones({2, 2, 3}), tg::ones({2, 4, 2})), "[2, 2, 3]", "[2, 4, 2]");
  EXPECT_TG_ERROR(tg::bmm(a, a), "bmm: expected 3-D tensors");
  EXPECT_TG_ERROR(tg::mm(a, tg::ones({3, 2}, tg::kFloat64)), "same dtype", "float32", "float64");
  EXPECT_TG_ERROR(tg::mm(tg::ones({2, 2}, tg::kBool), tg::ones({2, 2}, tg::kBool)), "bool");
  // torch.mv(torch.ones(2, 3), torch.ones(4)) -> "size mismatch, got input (2), mat (2x3), vec (4)"
  EXPECT_TG_ERROR(tg::mv(a, tg::ones({4})), "mv: size mismatch, got input (2), mat (2x3), vec (4)",
                  "[float32 [2, 3]]", "[float32 [4]]");
  EXPECT_TG_ERROR(tg::mv(a, a), "mv: vector + matrix @ vector expected, got 2D and 2D tensors", "[float32 [2, 3]]");
  EXPECT_TG_ERROR(tg::mv(a, tg::ones({3}, tg::kFloat64)), "mv: expected m1 and m2 to have the same dtype",
                  "float32 != float64");
  // torch.dot(torch.ones(3), torch.ones(4)) -> "inconsistent tensor size, expected tensor [3] and src
  // [4] to have the same number of elements, but got 3 and 4 elements respectively"
  EXPECT_TG_ERROR(tg::dot(tg::ones({3}), tg::ones({4})),
                  "dot: inconsistent tensor size, expected tensor [3] and src [4] to have the same number of "
                  "elements, but got 3 and 4 elements respectively",
                  "[float32 [3]]", "[float32 [4]]");
  // torch.dot(torch.ones(2, 3), torch.ones(3)) -> "1D tensors expected, but got 2D and 1D tensors"
  EXPECT_TG_ERROR(tg::dot(a, tg::ones({3})), "dot: 1D tensors expected, but got 2D and 1D tensors",
                  "[float32 [2, 3]]");
  EXPECT_TG_ERROR(tg::dot(tg::ones({3}), tg::ones({3}, tg::kInt64)), "dot: expected m1 and m2 to have the same dtype",
                  "float32 != int64");
}

TEST(Errors, IndexOutOfRange) {
  Tensor x = tg::zeros({3, 4});
  EXPECT_TG_ERROR(x.select(0, 3), "select(): index 3 out of range for tensor of size [3, 4] at dimension 0");
  EXPECT_TG_ERROR(x.select(1, -5), "index -5 out of range", "[3, 4]");
  EXPECT_TG_ERROR(x[3], "index 3 out of range");
  EXPECT_TG_ERROR(x[-4], "index -4 out of range");
  EXPECT_TG_ERROR(x[0][4], "index 4 out of range", "[4]");
  EXPECT_TG_ERROR(x.narrow(1, 2, 3), "narrow(): start (2) + length (3) exceeds dimension size (4)", "[3, 4]");
  EXPECT_TG_ERROR(x.narrow(0, 5, 0), "narrow(): start (5) out of range", "[3, 4]");
  EXPECT_TG_ERROR(x.narrow(0, -4, 1), "out of range");
  EXPECT_TG_ERROR(x.narrow(0, 0, -1), "length (-1)");
  EXPECT_TG_ERROR(tg::tensor(1.0).select(0, 0), "select() cannot be applied to a 0-dim tensor");
  EXPECT_TG_ERROR(tg::tensor(1.0)[0], "select() cannot be applied to a 0-dim tensor");
  EXPECT_TG_ERROR(tg::tensor(1.0).narrow(0, 0, 1), "narrow() cannot be applied to a 0-dim tensor");
}

TEST(Errors, DimOutOfRange) {
  Tensor x = tg::zeros({2, 3});
  const char* msg = "Dimension out of range (expected to be in range of [-2, 1], but got 2)";
  EXPECT_TG_ERROR(x.sum({2}), msg);
  EXPECT_TG_ERROR(x.sum({-3}), "Dimension out of range (expected to be in range of [-2, 1], but got -3)");
  EXPECT_TG_ERROR(x.mean({2}), msg);
  EXPECT_TG_ERROR(x.max(2), msg);
  EXPECT_TG_ERROR(x.min(-3), "Dimension out of range");
  EXPECT_TG_ERROR(x.argmax(2), msg);
  EXPECT_TG_ERROR(x.norm(2, {5}), "Dimension out of range");
  EXPECT_TG_ERROR(x.transpose(0, 2), msg);
  EXPECT_TG_ERROR(x.transpose(-3, 0), "Dimension out of range");
  EXPECT_TG_ERROR(x.unsqueeze(3), "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
  EXPECT_TG_ERROR(x.unsqueeze(-4), "Dimension out of range (expected to be in range of [-3, 2], but got -4)");
  EXPECT_TG_ERROR(x.squeeze(2), msg);
  EXPECT_TG_ERROR(x.select(2, 0), msg);
  EXPECT_TG_ERROR(x.narrow(-3, 0, 1), "Dimension out of range");
  EXPECT_TG_ERROR(x.size(2), msg);
  EXPECT_TG_ERROR(x.stride(-3), "Dimension out of range");
  EXPECT_TG_ERROR(x.flatten(0, 2), msg);
  EXPECT_TG_ERROR(x.permute({0, 2}), msg);
  EXPECT_TG_ERROR(tg::cat({x, x}, 2), msg);
  EXPECT_TG_ERROR(tg::stack({x, x}, 3), "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
  EXPECT_TG_ERROR(tg::sum(x, {0, 0}), "appears multiple times");
  EXPECT_TG_ERROR(tg::sum(x, {1, -1}), "appears multiple times");
  // a 0-dim tensor has no dimension to ask the size of (PyTorch: "Dimension specified as 0 but
  // tensor has no dimensions"), but reductions and unsqueeze accept dim 0 / -1
  Tensor s = tg::tensor(1.0);
  EXPECT_TG_ERROR(s.size(0), "no dimensions");
  EXPECT_TG_ERROR(s.stride(0), "no dimensions");
  EXPECT_TG_ERROR(s.sum({1}), "Dimension out of range (expected to be in range of [-1, 0], but got 1)");
  EXPECT_TG_ERROR(s.unsqueeze(2), "Dimension out of range (expected to be in range of [-1, 0], but got 2)");
  EXPECT_EQ(s.sum({0}).item<double>(), 1.0);
}

TEST(Errors, ViewOfNonContiguous) {
  Tensor x = tg::zeros({2, 3});
  EXPECT_TG_ERROR(x.t().view({6}), "view size is not compatible with input tensor's size and stride",
                  "Use .reshape(...) instead", "[3, 2]");
  EXPECT_TG_ERROR(x.narrow(1, 0, 2).view({4}), "view size is not compatible");
  EXPECT_TG_ERROR(x.unsqueeze(0).expand({2, 2, 3}).view({12}), "view size is not compatible");
  // reshape copies instead
  EXPECT_EQ(x.t().reshape({6}).numel(), 6);
}

TEST(Errors, ReshapeInvalidSize) {
  Tensor x = tg::zeros({2, 3});
  EXPECT_TG_ERROR(x.reshape({4}), "shape '[4]' is invalid for input of size 6");
  EXPECT_TG_ERROR(x.view({4, 2}), "shape '[4, 2]' is invalid for input of size 6");
  EXPECT_TG_ERROR(x.reshape({4, -1}), "shape '[4, -1]' is invalid for input of size 6");
  EXPECT_TG_ERROR(x.reshape({-1, -1}), "only one dimension can be inferred");
  EXPECT_TG_ERROR(x.reshape({-2, 3}), "invalid shape dimension -2");
  EXPECT_TG_ERROR(x.reshape({0, -1}), "[0, -1]", "6");
  EXPECT_TG_ERROR(x.flatten(1, 0), "start_dim (1) cannot come after end_dim (0)");
}

TEST(Errors, PermuteExpandT) {
  Tensor x = tg::zeros({2, 3});
  EXPECT_TG_ERROR(x.permute({0}), "number of dimensions in the tensor input does not match the length of the desired "
                                  "ordering of dimensions");
  EXPECT_TG_ERROR(x.permute({1, 1}), "repeated dim");
  EXPECT_TG_ERROR(x.permute({0, -2}), "repeated dim");
  EXPECT_TG_ERROR(x.expand({3}), "the number of sizes provided (1) must be greater or equal to the number of "
                                 "dimensions in the tensor (2)");
  EXPECT_TG_ERROR(x.expand({2, 4}),
                  "The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1",
                  "[2, 4]", "[2, 3]");
  EXPECT_TG_ERROR(x.expand({-1, 2, 3}), "isn't allowed in a leading, non-existing dimension 0");
  EXPECT_TG_ERROR(tg::zeros({2, 2, 2}).t(), "t() expects a tensor with <= 2 dimensions, but self is 3D");
}

TEST(Errors, CatAndStackMismatch) {
  Tensor a = tg::zeros({2, 3});
  EXPECT_TG_ERROR(tg::cat({a, tg::zeros({2, 4})}, 0),
                  "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1",
                  "[2, 3]", "[2, 4]");
  EXPECT_TG_ERROR(tg::cat({a, tg::zeros({3})}), "Tensors must have same number of dimensions: got 2 and 1");
  EXPECT_TG_ERROR(tg::cat({}), "cat: expected a non-empty list of Tensors");
  EXPECT_TG_ERROR(tg::cat({tg::tensor(1.0), tg::tensor(2.0)}), "zero-dimensional tensor");
  EXPECT_TG_ERROR(tg::cat({a, Tensor()}), "undefined");
  EXPECT_TG_ERROR(tg::stack({a, tg::zeros({3, 2})}),
                  "stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [3, 2] at entry 1");
  EXPECT_TG_ERROR(tg::stack({}), "stack expects a non-empty TensorList");
}

TEST(Errors, TooManyOrNegativeDims) {
  EXPECT_TG_ERROR(tg::zeros({1, 1, 1, 1, 1, 1, 1, 1, 1}), "at most 8 dimensions");
  EXPECT_TG_ERROR(tg::zeros({1, 1, 1, 1, 1, 1, 1, 1}).unsqueeze(0), "at most 8 dimensions");
  EXPECT_TG_ERROR(tg::zeros({2, -1}), "Trying to create tensor with negative dimension -1");
  EXPECT_TG_ERROR(tg::ones({-3}), "negative dimension -3");
  EXPECT_TG_ERROR(tg::empty({int64_t{1} << 62, 8}), "Storage size calculation overflowed", "[4611686018427387904, 8]");
  EXPECT_TG_ERROR(tg::zeros({int64_t{1} << 61}, tg::kFloat64), "overflowed");  // 2^61 * 8 bytes
#if !defined(__SANITIZE_ADDRESS__)  // ASan aborts on huge allocations instead of returning null
  EXPECT_TG_ERROR(tg::empty({int64_t{1} << 50}), "out of memory", "bytes");  // 4 PiB
#endif
}

// ================================================================================================
// Element access
// ================================================================================================

TEST(Errors, ItemOnMultiElementTensor) {
  EXPECT_TG_ERROR(tg::ones({2}).item<float>(), "a Tensor with 2 elements", "cannot be converted to Scalar", "[2]");
  EXPECT_TG_ERROR(tg::ones({2, 3}).item(), "a Tensor with 6 elements", "[2, 3]");
  EXPECT_TG_ERROR(tg::zeros({0}).item<double>(), "a Tensor with 0 elements");
}

TEST(Errors, DataPtrWrongType) {
  EXPECT_TG_ERROR(tg::ones({2}).data_ptr<double>(), "expected scalar type float64 but found float32");
  EXPECT_TG_ERROR(tg::ones({2}, tg::kInt64).data_ptr<float>(), "expected scalar type float32 but found int64");
  EXPECT_TG_ERROR(tg::ones({2}, tg::kFloat64).data_ptr<int64_t>(), "expected scalar type int64 but found float64");
  EXPECT_TG_ERROR(tg::ones({2}).data_ptr<bool>(), "expected scalar type bool but found float32");
}

TEST(Errors, UndefinedTensor) {
  Tensor u;
  EXPECT_TG_ERROR(u.sizes(), "undefined tensor");
  EXPECT_TG_ERROR(u.dim(), "undefined tensor");
  EXPECT_TG_ERROR(u.numel(), "undefined tensor");
  EXPECT_TG_ERROR(u.dtype(), "undefined tensor");
  EXPECT_TG_ERROR(u.item<float>(), "undefined tensor");
  EXPECT_TG_ERROR(u.data_ptr(), "undefined tensor");
  EXPECT_TG_ERROR(u.requires_grad(), "undefined tensor");
  EXPECT_TG_ERROR(u.backward(), "undefined tensor");
  EXPECT_TG_ERROR(u.grad(), "undefined tensor");
  EXPECT_TG_ERROR(u.add_(1), "undefined tensor");
  EXPECT_TG_ERROR(tg::autograd::backward({u}), "undefined");
  Tensor x = rg({1.0});
  EXPECT_TG_ERROR(tg::autograd::grad({x * 2}, {u}), "undefined");
  // ops on an undefined tensor throw instead of crashing
  EXPECT_TG_ERROR(u + x, "undefined");
  EXPECT_TG_ERROR(x * u, "undefined");
  EXPECT_TG_ERROR(u.sum(), "undefined");
  EXPECT_TG_ERROR(u.view({1}), "undefined");
  EXPECT_TG_ERROR(u.reshape({1}), "undefined");
  EXPECT_TG_ERROR(u.t(), "undefined");
  EXPECT_TG_ERROR(u.exp(), "undefined");
  EXPECT_TG_ERROR(u.clone(), "undefined");
  EXPECT_TG_ERROR(u.to(tg::kFloat64), "undefined");
  EXPECT_TG_ERROR(u.tolist<float>(), "undefined");
  EXPECT_TG_ERROR(tg::matmul(u, x), "undefined");
  EXPECT_TG_ERROR(tg::zeros_like(u), "undefined");
}

// ================================================================================================
// Factories and the generator
// ================================================================================================

TEST(Errors, Factories) {
  EXPECT_TG_ERROR(tg::tensor({{1, 2}, {3}}), "Expected all sub-lists to have sizes: [2]", "[1]");
  EXPECT_TG_ERROR(tg::tensor({{1.0}, {2.0, 3.0}}), "Expected all sub-lists to have sizes");
  EXPECT_TG_ERROR(tg::randn({2}, tg::kInt64), "randn", "int64");
  EXPECT_TG_ERROR(tg::rand({2}, tg::kBool), "rand", "bool");
  EXPECT_TG_ERROR(tg::randint(5, 5, {2}), "random_ expects 'from' to be less than 'to', but got from=5 >= to=5");
  EXPECT_TG_ERROR(tg::randint(0, {2}), "from=0 >= to=0");
  EXPECT_TG_ERROR(tg::randperm(-1), "randperm", "-1");
  EXPECT_TG_ERROR(tg::arange(0, 5, 0), "step must be nonzero");
  EXPECT_TG_ERROR(tg::arange(5, 0, 1), "upper bound and larger bound inconsistent with step sign");
  EXPECT_TG_ERROR(tg::arange(0, 5, -1), "inconsistent with step sign");
  EXPECT_TG_ERROR(tg::linspace(0, 1, -1), "number of steps must be non-negative");
  EXPECT_TG_ERROR(tg::eye(-1), "must be non-negative");
  EXPECT_TG_ERROR(tg::eye(2, -3), "must be non-negative");
  EXPECT_TG_ERROR(tg::set_default_dtype(tg::kInt64), "only floating-point types are supported as the default type");
  EXPECT_EQ(tg::get_default_dtype(), tg::kFloat32);
}

// ================================================================================================
// Op-specific checks
// ================================================================================================

TEST(Errors, DtypeRestrictions) {
  Tensor b = tg::tensor({true, false});
  EXPECT_TG_ERROR(b - b, "subtraction of bool tensors is not supported");
  EXPECT_TG_ERROR(b - 1, "subtraction of bool tensors is not supported");
  EXPECT_TG_ERROR(true - b, "subtraction of bool tensors is not supported");
  // as PyTorch, a bool operand is refused even when the result type would be numeric
  EXPECT_TG_ERROR(tg::tensor({1, 2}) - b, "subtraction of bool tensors is not supported");
  EXPECT_TG_ERROR(tg::ones({2}) - true, "subtraction of bool tensors is not supported");
  EXPECT_TG_ERROR(tg::sub(tg::ones({2}), b), "subtraction of bool tensors is not supported");
  EXPECT_TG_ERROR(-b, "negation, the `-` operator, on a bool tensor is not supported");
  EXPECT_TG_ERROR(b.abs(), "abs", "bool");
  EXPECT_TG_ERROR(b.relu(), "relu", "bool");
  EXPECT_TG_ERROR(tg::tensor({1}).add_(tg::tensor({0.5})), "result type float32 can't be cast to the desired output type int64");
  EXPECT_TG_ERROR(tg::tensor({2, 3}).pow(-1), "Integers to negative integer powers are not allowed");
  EXPECT_TG_ERROR(tg::tensor({1, 2}).mean(), "mean(): could not infer output dtype", "int64");
  EXPECT_TG_ERROR(tg::tensor({1, 2}).norm(), "norm(): input dtype should be a floating point type", "int64");
  EXPECT_TG_ERROR(tg::ones({2}).norm(0), "p > 0");
  EXPECT_TG_ERROR(tg::ones({2}).norm(-1), "p > 0");
  EXPECT_TG_ERROR(tg::ones({2}).clamp(), "At least one of 'min' or 'max' must not be None");
  EXPECT_TG_ERROR(tg::where(tg::ones({2}), tg::ones({2}), tg::ones({2})), "where: expected condition to be a bool tensor");
}

TEST(Errors, EmptyReductions) {
  Tensor e = tg::zeros({0});
  EXPECT_TG_ERROR(e.max(), "max(): Expected reduction dim to be specified for input.numel() == 0");
  EXPECT_TG_ERROR(e.min(), "min(): Expected reduction dim to be specified for input.numel() == 0");
  EXPECT_TG_ERROR(e.argmax(), "argmax(): Expected reduction dim to be specified for input.numel() == 0");
  EXPECT_TG_ERROR(e.argmin(), "argmin(): Expected reduction dim to be specified for input.numel() == 0");
  EXPECT_TG_ERROR(tg::zeros({2, 0}).max(1), "Expected reduction dim 1 to have non-zero size");
}

TEST(Errors, SumTo) {
  EXPECT_TG_ERROR(tg::sum_to(tg::ones({2, 3}), {4}), "sum_to: cannot sum a tensor of shape [2, 3] to shape [4]");
  EXPECT_TG_ERROR(tg::sum_to(tg::ones({3}), {2, 3}), "[3]", "[2, 3]");
}

TEST(Errors, Indexing) {
  Tensor x = tg::tensor({{1.0, 2.0}, {3.0, 4.0}});
  EXPECT_TG_ERROR(tg::gather(x, 1, tg::tensor({{0.0}, {1.0}})), "Expected dtype int64 for index");
  EXPECT_TG_ERROR(tg::gather(x, 1, tg::tensor({{0, 2}, {1, 0}})), "index 2 is out of bounds for dimension 1 with size 2");
  EXPECT_TG_ERROR(tg::gather(x, 1, tg::tensor({0, 1})), "Index tensor must have the same number of dimensions");
  EXPECT_TG_ERROR(tg::index_select(x, 0, tg::tensor({{0}})), "index_select");
  EXPECT_TG_ERROR(tg::index_select(x, 0, tg::tensor({5})), "out of bounds");
}

TEST(Errors, Gradcheck) {
  auto f = [](const std::vector<Tensor>& in) { return (in[0] * in[0]).sum(); };
  EXPECT_TG_ERROR(tg::autograd::gradcheck(tg::autograd::SingleFunction(f), {tg::ones({2}, tg::requires_grad())}),
                  "gradcheck needs float64 inputs");
  EXPECT_TG_ERROR(tg::autograd::gradcheck(tg::autograd::SingleFunction(f), {tg::ones({2}, tg::kFloat64)}),
                  "at least one input tensor to require gradient");
}

// ================================================================================================
// State after errors
// ================================================================================================

TEST(Errors, LibraryUsableAfterErrors) {
  Tensor x = rg({1.0, 2.0});
  // an error in the middle of a backward (a saved tensor changed) leaves grad mode on and
  // the engine ready for the next graph
  Tensor c = tg::tensor({1.0, 1.0});
  Tensor y = (x * c).sum();
  c.add_(1);
  EXPECT_TG_ERROR(y.backward(), "modified by an inplace operation");
  EXPECT_TRUE(tg::GradMode::is_enabled());
  Tensor z = (x * x).sum();
  z.backward();
  EXPECT_EQ(x.grad().tolist<double>(), (std::vector<double>{2, 4}));
  // an error thrown by a hook propagates as is, and the engine recovers
  Tensor w = rg({1.0});
  unsigned h = w.register_hook([](const Tensor&) -> Tensor { throw tg::Error("hook failed on purpose"); });
  EXPECT_TG_ERROR((w * 2).sum().backward(), "hook failed on purpose");
  EXPECT_TRUE(tg::GradMode::is_enabled());
  w.remove_hook(h);
  (w * 2).sum().backward();
  EXPECT_EQ(w.grad().item<double>(), 2.0);
}

}  // namespace
