// Custom autograd functions, written as a libtorch program writes them (torch:: -> tg::):
// Function<T> with static forward / backward, AutogradContext, apply, and their errors.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tensorgrad/autograd/gradcheck.h"
#include "tensorgrad/tensorgrad.h"
#include "test_support.h"

namespace {

using tg_test::expect_error;
using tg_test::vals;

using namespace tg::autograd;  // NOLINT: as libtorch programs write it
using tg::Tensor;



// y = x * c, c a number kept in saved_data.
struct MulConstant : public Function<MulConstant> {
  static Variable forward(AutogradContext* ctx, Variable x, double c) {
    ctx->saved_data["c"] = c;
    return x * c;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    return {grad_outputs[0] * ctx->saved_data["c"].toDouble(), Variable()};
  }
};

// z = x * y + x, both saved.
struct MulAdd : public Function<MulAdd> {
  static Variable forward(AutogradContext* ctx, Variable x, Variable y) {
    ctx->save_for_backward({x, y});
    return x * y + x;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    auto saved = ctx->get_saved_variables();
    Variable g = grad_outputs[0];
    return {g * (saved[1] + 1), g * saved[0]};
  }
};

// x^3, with its backward written in tensor ops: differentiable again.
struct Cube : public Function<Cube> {
  static Variable forward(AutogradContext* ctx, Variable x) {
    ctx->save_for_backward({x});
    return x * x * x;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    Variable x = ctx->get_saved_variables()[0];
    return {grad_outputs[0] * 3 * x * x};
  }
};

TEST(CustomFunction, SavedDataAndANonTensorArgument) {
  Variable x = tg::randn({2, 3}, tg::requires_grad());
  Variable y = MulConstant::apply(x, 5.5);
  EXPECT_TRUE(y.requires_grad());
  EXPECT_EQ(y.grad_fn()->name(), "tg::autograd::CppNode<(anonymous namespace)::MulConstant>");
  y.sum().backward();
  EXPECT_EQ(vals(x.grad()), std::vector<double>(6, 5.5));
}

TEST(CustomFunction, SavedTensorsGradcheckAndGradgradcheck) {
  Variable x = tg::randn({3}, tg::requires_grad()), y = tg::randn({3}, tg::requires_grad());
  Variable z = MulAdd::apply(x, y);
  z.sum().backward();
  EXPECT_TRUE(tg::allclose(x.grad(), y.detach() + 1));
  EXPECT_TRUE(tg::allclose(y.grad(), x.detach()));

  auto f = [](const tg::TensorList& in) { return MulAdd::apply(in[0], in[1]); };
  Tensor a = tg::randn({2, 3}, tg::kFloat64).requires_grad_(), b = tg::randn({2, 3}, tg::kFloat64).requires_grad_();
  EXPECT_TRUE(gradcheck(f, {a, b}));
  EXPECT_TRUE(gradgradcheck(f, {a, b}));
  auto cube = [](const tg::TensorList& in) { return Cube::apply(in[0]); };
  EXPECT_TRUE(gradcheck(cube, {a}));
  EXPECT_TRUE(gradgradcheck(cube, {a}));
}

TEST(CustomFunction, DoubleBackwardThroughTheRule) {
  Variable x = tg::tensor({1.0, -2.0, 0.5}, tg::requires_grad());
  Variable y = Cube::apply(x);
  auto g = grad({y.sum()}, {x}, {}, std::nullopt, /*create_graph=*/true)[0];
  EXPECT_EQ(vals(g), (std::vector<double>{3.0, 12.0, 0.75}));  // 3 x^2
  auto gg = grad({g.sum()}, {x})[0];
  EXPECT_EQ(vals(gg), (std::vector<double>{6.0, -12.0, 3.0}));  // 6 x
}

struct SplitSumProd : public Function<SplitSumProd> {
  static variable_list forward(AutogradContext* ctx, Variable x, Variable y) {
    ctx->save_for_backward({x, y});
    return {x + y, x * y};
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    auto s = ctx->get_saved_variables();
    // g[1] is zeros when only the sum was used (materialized), or undefined without materializing
    EXPECT_TRUE(g[1].defined() || !ctx->saved_data.count("materialize"));
    Variable g1 = g[1].defined() ? g[1] : tg::zeros_like(g[0]);
    return {g[0] + g1 * s[1], g[0] + g1 * s[0]};
  }
};

TEST(CustomFunction, MultipleOutputsAndMaterializedGradients) {
  Variable x = tg::tensor({2.0, 3.0}, tg::requires_grad()), y = tg::tensor({5.0, 7.0}, tg::requires_grad());
  auto out = SplitSumProd::apply(x, y);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].grad_fn(), out[1].grad_fn());
  EXPECT_EQ(out[1].output_nr(), 1u);
  (out[0] + out[1]).sum().backward();
  EXPECT_EQ(vals(x.grad()), (std::vector<double>{6.0, 8.0}));  // 1 + y
  EXPECT_EQ(vals(y.grad()), (std::vector<double>{3.0, 4.0}));  // 1 + x
  x.mutable_grad() = Tensor();
  auto only_sum = SplitSumProd::apply(x, y);
  only_sum[0].sum().backward();  // no gradient reaches output 1: it gets zeros
  EXPECT_EQ(vals(x.grad()), (std::vector<double>{1.0, 1.0}));
}

struct NoMaterialize : public Function<NoMaterialize> {
  static variable_list forward(AutogradContext* ctx, Variable x) {
    ctx->set_materialize_grads(false);
    return {x * 2, x * 3};
  }
  static variable_list backward(AutogradContext*, variable_list g) {
    EXPECT_TRUE(g[0].defined());
    EXPECT_FALSE(g[1].defined());  // output 1 was not used and is not materialized
    return {g[0] * 2};
  }
};

TEST(CustomFunction, SetMaterializeGradsFalsePassesUndefinedGradients) {
  Variable x = tg::ones({2}, tg::requires_grad());
  NoMaterialize::apply(x)[0].sum().backward();
  EXPECT_EQ(vals(x.grad()), (std::vector<double>{2.0, 2.0}));
}

struct NeedsGrad : public Function<NeedsGrad> {
  static Variable forward(AutogradContext* ctx, Variable x, Variable y) {
    ctx->saved_data["needs"] = std::vector<int64_t>{ctx->needs_input_grad(0), ctx->needs_input_grad(1)};
    return x * y;
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    EXPECT_EQ(ctx->saved_data["needs"].toIntVector(), (std::vector<int64_t>{1, 0}));
    EXPECT_TRUE(ctx->needs_input_grad(0));
    EXPECT_FALSE(ctx->needs_input_grad(1));
    return {g[0], Variable()};
  }
};

TEST(CustomFunction, NeedsInputGrad) {
  Variable x = tg::ones({2}, tg::requires_grad()), y = tg::ones({2});
  NeedsGrad::apply(x, y).sum().backward();
  EXPECT_TRUE(x.grad().defined());
}

// Doubles x in place and returns it, marked dirty.
struct DoubleInPlace : public Function<DoubleInPlace> {
  static Variable forward(AutogradContext* ctx, Variable x) {
    x.mul_(2);
    ctx->mark_dirty({x});
    return x;
  }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0] * 2}; }
};

TEST(CustomFunction, MarkDirtyRewritesTheInputsHistory) {
  Variable leaf = tg::tensor({1.0, 2.0}, tg::requires_grad());
  Variable a = leaf * 1;  // a non-leaf: may be modified in place
  const auto version = a._version();
  Variable b = DoubleInPlace::apply(a);
  EXPECT_TRUE(b.is_same(a));
  EXPECT_GT(a._version(), version);
  EXPECT_NE(a.grad_fn()->name().find("CppNode"), std::string::npos);
  EXPECT_EQ(vals(a), (std::vector<double>{2.0, 4.0}));
  (a * a).sum().backward();  // d/dleaf (2 leaf)^2 = 8 leaf
  EXPECT_EQ(vals(leaf.grad()), (std::vector<double>{8.0, 16.0}));

  Variable leaf2 = tg::ones({2}, tg::requires_grad());
  expect_error([&] { DoubleInPlace::apply(leaf2); },
               "a leaf Variable that requires grad has been used in an in-place operation");
}

struct SortedWithIndex : public Function<SortedWithIndex> {
  static variable_list forward(AutogradContext* ctx, Variable x) {
    Variable idx = x.argmax();
    ctx->mark_non_differentiable({idx});
    return {x * 1, idx};
  }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0]}; }
};

TEST(CustomFunction, MarkNonDifferentiable) {
  Variable x = tg::tensor({1.0, 3.0, 2.0}, tg::requires_grad());
  auto out = SortedWithIndex::apply(x);
  EXPECT_TRUE(out[0].requires_grad());
  EXPECT_FALSE(out[1].requires_grad());
  EXPECT_EQ(out[1].item<int64_t>(), 1);
}

struct Identity : public Function<Identity> {
  static Variable forward(AutogradContext*, Variable x) { return x; }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0] * 10}; }
};

TEST(CustomFunction, AnInputReturnedAsIsIsAnAliasWithTheNode) {
  Variable x = tg::ones({2}, tg::requires_grad());
  Variable y = Identity::apply(x);
  EXPECT_FALSE(y.is_same(x));
  EXPECT_TRUE(x.is_leaf());  // the input keeps its own history
  EXPECT_EQ(y.data_ptr(), x.data_ptr());
  y.sum().backward();
  EXPECT_EQ(vals(x.grad()), (std::vector<double>{10.0, 10.0}));
}

TEST(CustomFunction, WithoutGradModeNothingIsRecorded) {
  Variable x = tg::ones({2}, tg::requires_grad());
  tg::NoGradGuard no_grad;
  Variable y = MulConstant::apply(x, 2.0);
  EXPECT_FALSE(y.requires_grad());
  EXPECT_EQ(y.grad_fn(), nullptr);
  Variable z = Identity::apply(x);
  EXPECT_FALSE(z.requires_grad());  // an alias without history
  EXPECT_TRUE(x.requires_grad());
}

struct WithOptional : public Function<WithOptional> {
  static Variable forward(AutogradContext*, Variable x, std::optional<Variable> bias) {
    return bias ? x + *bias : x * 1;
  }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0], g[0]}; }
};

TEST(CustomFunction, OptionalTensorArguments) {
  Variable x = tg::ones({2}, tg::requires_grad()), b = tg::ones({2}, tg::requires_grad());
  WithOptional::apply(x, std::optional<Variable>(b)).sum().backward();
  EXPECT_EQ(vals(b.grad()), (std::vector<double>{1.0, 1.0}));
  // without a value the argument is not an input: its gradient must be undefined
  expect_error([&] { WithOptional::apply(x, std::optional<Variable>()).sum().backward(); },
               "returned a gradient different that is defined at position 2, but the corresponding forward input "
               "was not a Variable");
}

TEST(CustomFunction, SavedTensorsAreVersionCheckedAndFreed) {
  Variable x = tg::ones({2}, tg::requires_grad()), y = tg::ones({2});
  Variable z = MulAdd::apply(x, y);
  y.add_(1);
  expect_error([&] { z.sum().backward(); },
               "one of the variables needed for gradient computation has been modified by an inplace operation");
  Variable w = MulAdd::apply(x, tg::ones({2})).sum();
  w.backward();
  expect_error([&] { w.backward(); }, "Trying to backward through the graph a second time");
}

struct WrongCount : public Function<WrongCount> {
  static Variable forward(AutogradContext*, Variable x, Variable y) { return x + y; }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0]}; }
};
struct WrongShape : public Function<WrongShape> {
  static Variable forward(AutogradContext*, Variable x) { return x.sum(); }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0].expand({5})}; }
};

TEST(CustomFunction, BadBackwardResultsAreErrorsThatNameTheNode) {
  Variable x = tg::ones({2}, tg::requires_grad()), y = tg::ones({2}, tg::requires_grad());
  expect_error([&] { WrongCount::apply(x, y).sum().backward(); },
               "function tg::autograd::CppNode<(anonymous namespace)::WrongCount> returned an incorrect number of "
               "gradients (expected 2, got 1)");
  expect_error([&] { WrongShape::apply(tg::ones({3}, tg::requires_grad())).backward(); },
               "Function tg::autograd::CppNode<(anonymous namespace)::WrongShape> returned an invalid gradient at "
               "index 0 - got [5] but expected shape compatible with [3]");
}

TEST(IValue, KindsAndConversions) {
  tg::IValue none, i(3), d(2.5), b(true), s("name"), t(tg::ones({2})), l(std::vector<int64_t>{1, 2});
  EXPECT_TRUE(none.isNone());
  EXPECT_EQ(i.toInt(), 3);
  EXPECT_EQ(d.toDouble(), 2.5);
  EXPECT_TRUE(b.toBool());
  EXPECT_EQ(s.toStringRef(), "name");
  EXPECT_EQ(t.toTensor().numel(), 2);
  EXPECT_EQ(l.toIntVector(), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(tg::IValue(tg::Scalar(4)).toInt(), 4);
  EXPECT_EQ(d.toScalar().toDouble(), 2.5);
  expect_error([&] { d.toInt(); }, "Expected Int but got Double");
  expect_error([&] { none.toTensor(); }, "Expected Tensor but got None");
}

// A backward that runs a backward of its own (reentrant), on a graph it built in forward.
struct Reentrant : public Function<Reentrant> {
  static Variable forward(AutogradContext* ctx, Variable x) {
    tg::AutoGradMode enable(true);
    Variable inner = make_variable(x.tensor_data(), /*requires_grad=*/true);
    ctx->saved_data["inner"] = inner;
    ctx->saved_data["out"] = inner * inner;
    return ctx->saved_data["out"].toTensor().detach();
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    tg::AutoGradMode enable(true);
    ctx->saved_data["out"].toTensor().sum().backward();
    return {ctx->saved_data["inner"].toTensor().grad() * g[0]};
  }
};

TEST(CustomFunction, ReentrantBackwardAndMakeVariable) {
  Variable x = tg::tensor({1.0, -3.0}, tg::requires_grad());
  Reentrant::apply(x).sum().backward();
  EXPECT_EQ(vals(x.grad()), (std::vector<double>{2.0, -6.0}));  // d(x^2)/dx, computed by the inner backward
  Variable v = make_variable(x, false);
  EXPECT_FALSE(v.requires_grad());
  EXPECT_EQ(v.data_ptr(), x.data_ptr());
  EXPECT_TRUE(tg::tensor(2.0).is_nonzero());
  EXPECT_FALSE(tg::tensor({0.0}).is_nonzero());
  expect_error([] { tg::ones({2}).is_nonzero(); }, "Boolean value of Tensor with more than one value is ambiguous");
  expect_error([&] { x.remove_hook(12345); }, "remove_hook: Invalid index, no hook at position 12345");
}

}  // namespace
