// The autograd core from inside: ops declared with record() (src/autograd/record.h) as the ops of
// src/ops/ are, and what the engine does with their rules (docs/architecture.md, "Declaring a
// backward rule" and "The engine"). This file sees src/'s private headers.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "autograd/record.h"
#include "tensorgrad/tensorgrad.h"
#include "test_support.h"

namespace {

using tg_test::expect_error;
using tg_test::vals;

using tg::Tensor;
using tg::autograd::for_grad;
using tg::autograd::Grads;
using tg::autograd::inputs;
using tg::autograd::record;
using tg::autograd::save;



// out = a (the values do not matter here), with the backward rule `rule`.
template <typename Rule> Tensor identity_op(const char* name, const Tensor& a, Rule rule) {
  Tensor out;
  {
    tg::NoGradGuard ng;
    out = a.clone();
  }
  record(name, out, inputs(a), std::move(rule));
  return out;
}

TEST(Record, NothingIsRecordedWithoutAnInputThatRequiresGrad) {
  Tensor a = tg::ones({3});
  Tensor y = identity_op("TestBackward0", a, [](auto& c) { return c.grad(); });
  EXPECT_FALSE(y.requires_grad());
  EXPECT_EQ(y.grad_fn(), nullptr);
  Tensor b = tg::ones({3}).requires_grad_();
  {
    tg::NoGradGuard ng;
    EXPECT_EQ(identity_op("TestBackward0", b, [](auto& c) { return c.grad(); }).grad_fn(), nullptr);
  }
  Tensor z = identity_op("TestBackward0", b, [](auto& c) { return c.grad(); });
  ASSERT_NE(z.grad_fn(), nullptr);
  EXPECT_EQ(z.grad_fn()->name(), "TestBackward0");
  EXPECT_EQ(z.grad_fn()->next_edges().size(), 1u);
}

// Note [The engine undoes broadcasting]: a rule returns gradients in the output's shape and
// dtype; the engine sums them to each input's shape and casts them to its dtype.
TEST(Engine, SumsEachGradientToItsInputsShape) {
  Tensor row = tg::tensor({1.0, 2.0, 3.0}).requires_grad_();  // [3]
  Tensor col = tg::tensor({{1.0}, {2.0}}).requires_grad_();   // [2, 1]
  Tensor out = tg::zeros({2, 3});
  record("TestBroadcastBackward0", out, inputs(row, col), [](auto& c) -> Grads {
    return {c.grad(), c.grad()};  // both in the output's shape [2, 3]
  });
  Tensor g = tg::tensor({{1.0, 2.0, 3.0}, {10.0, 20.0, 30.0}});
  out.backward(g);
  EXPECT_EQ(row.grad().sizes().vec(), (std::vector<int64_t>{3}));
  EXPECT_EQ(vals(row.grad()), (std::vector<double>{11, 22, 33}));
  EXPECT_EQ(col.grad().sizes().vec(), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(vals(col.grad()), (std::vector<double>{6, 60}));
}

TEST(Engine, CastsEachGradientToItsInputsDtype) {
  Tensor a = tg::ones({2}, tg::kFloat32).requires_grad_();
  Tensor y = identity_op("TestCastBackward0", a, [](auto& c) { return c.grad().to(tg::kFloat64) * 0.5; });
  y.sum().backward();
  EXPECT_EQ(a.grad().dtype(), tg::kFloat32);
  EXPECT_EQ(vals(a.grad()), (std::vector<double>{0.5, 0.5}));
}

TEST(Engine, ReportsARuleThatReturnsAWrongShape) {
  Tensor a = tg::ones({3}).requires_grad_();
  Tensor y = identity_op("TestBadShapeBackward0", a, [](auto& c) { return tg::ones({5}, c.grad().options()); });
  // libtorch: "Function MulBackward0 returned an invalid gradient at index 1 - got [5] but
  // expected shape compatible with [3]"
  expect_error([&] { y.sum().backward(); },
               {"Function TestBadShapeBackward0 returned an invalid gradient at index 0 - got [5] but expected shape "
                "compatible with [3]"});
  // the engine cleaned up: a correct backward through the same leaf still works
  Tensor z = identity_op("TestBackward0", a, [](auto& c) { return c.grad(); });
  z.sum().backward();
  EXPECT_EQ(vals(a.grad()), (std::vector<double>{1, 1, 1}));
}

TEST(Engine, ReportsARuleThatReturnsTheWrongNumberOfGradients) {
  Tensor a = tg::ones({2}).requires_grad_();
  Tensor y = identity_op("TestCountBackward0", a, [](auto& c) -> Grads { return {c.grad(), c.grad()}; });
  expect_error([&] { y.sum().backward(); },
               {"function TestCountBackward0 returned an incorrect number of gradients (expected 1, got 2)"});
}

// An undefined input gives an empty edge, as the first input of libtorch's rsub node.
TEST(Record, AnUndefinedInputHasNoEdge) {
  const Tensor none;
  Tensor b = tg::ones({2}).requires_grad_();
  Tensor out = tg::zeros({2});
  record("TestBackward0", out, inputs(none, b), [](auto& c) -> Grads { return {Tensor(), -c.grad()}; });
  ASSERT_EQ(out.grad_fn()->next_edges().size(), 2u);
  EXPECT_FALSE(out.grad_fn()->next_edge(0).is_valid());
  EXPECT_TRUE(out.grad_fn()->next_edge(1).is_valid());
  out.sum().backward();
  EXPECT_EQ(vals(b.grad()), (std::vector<double>{-1, -1}));
}

// c.needs(i): the inputs that require grad, and within autograd::grad only those that lead to
// one of its inputs. Outside autograd::grad every input with an edge is needed again.
TEST(Record, NeedsSaysWhichInputsWantAGradient) {
  Tensor a = tg::ones({2}).requires_grad_();
  Tensor b = tg::ones({2}).requires_grad_();
  Tensor k = tg::ones({2});
  auto seen = std::make_shared<std::vector<bool>>();
  auto op = [seen](const Tensor& x, const Tensor& y) {
    Tensor out = tg::zeros({2});
    record("TestNeedsBackward0", out, inputs(x, y), [seen](auto& c) -> Grads {
      *seen = {c.needs(0), c.needs(1)};
      return {c.needs(0) ? c.grad() : Tensor(), c.needs(1) ? c.grad() : Tensor()};
    });
    return out;
  };
  op(a, k).sum().backward();
  EXPECT_EQ(*seen, (std::vector<bool>{true, false}));
  op(a, b).sum().backward();
  EXPECT_EQ(*seen, (std::vector<bool>{true, true}));

  Tensor y = op(a, b).sum();
  auto ga = tg::autograd::grad({y}, {a}, {}, /*retain_graph=*/true);
  EXPECT_EQ(*seen, (std::vector<bool>{true, false}));  // b leads to no input of grad()
  EXPECT_EQ(vals(ga[0]), (std::vector<double>{1, 1}));
  auto gb = tg::autograd::grad({y}, {b}, {}, true);
  EXPECT_EQ(*seen, (std::vector<bool>{false, true}));
  y.backward();  // and afterwards both are needed again
  EXPECT_EQ(*seen, (std::vector<bool>{true, true}));
}

// for_grad(i, t): t is saved only when input i needs a gradient, so modifying it in place
// afterwards matters only then.
TEST(Record, ForGradSavesOnlyForAnInputThatNeedsIt) {
  auto op = [](const Tensor& x, const Tensor& w) {
    Tensor out;
    {
      tg::NoGradGuard ng;
      out = x * w;
    }
    record("TestMulBackward0", out, inputs(x, w), save(for_grad(1, x), for_grad(0, w)), [](auto& c) -> Grads {
      auto [xs, ws] = c.saved();
      return {c.needs(0) ? c.grad() * ws : Tensor(), c.needs(1) ? c.grad() * xs : Tensor()};
    });
    return out;
  };
  Tensor x = tg::tensor({1.0, 2.0});
  Tensor w = tg::tensor({3.0, 4.0}).requires_grad_();
  Tensor y = op(x, w).sum();
  x.mul_(10.0);  // x was saved for w's gradient: the backward must refuse it
  expect_error([&] { y.backward(); }, {"one of the variables needed for gradient computation has been modified by "
                                       "an inplace operation"});

  Tensor x2 = tg::tensor({1.0, 2.0}).requires_grad_();
  Tensor w2 = tg::tensor({3.0, 4.0});
  Tensor y2 = op(x2, w2).sum();
  {
    tg::NoGradGuard ng;
    Tensor unrelated = tg::tensor({5.0, 6.0});
    unrelated.mul_(2.0);
  }
  y2.backward();
  EXPECT_EQ(vals(x2.grad()), (std::vector<double>{3, 4}));
}

// Note [Saving a node's own output]: saving the output makes no reference cycle, so the node
// dies with the output; and under create_graph the unpacked output has the node as grad_fn.
TEST(Record, SavingTheOutputMakesNoCycle) {
  Tensor a = tg::tensor({0.5, -1.0}, tg::kFloat64).requires_grad_();
  std::weak_ptr<tg::autograd::Node> node;
  {
    Tensor out;
    {
      tg::NoGradGuard ng;
      out = tg::exp(a);
    }
    record("TestExpBackward0", out, inputs(a), save(out), [](auto& c) { return c.grad() * c.saved(0); });
    node = out.grad_fn();
    ASSERT_FALSE(node.expired());
    out.sum().backward({}, /*retain_graph=*/true);
    EXPECT_EQ(vals(a.grad()), vals(tg::exp(a.detach())));
  }
  EXPECT_TRUE(node.expired());  // out gone: its node is gone, although the node saved out
}

TEST(Record, ASavedOutputUnderCreateGraphLeadsBackThroughItsNode) {
  Tensor a = tg::tensor({0.5, -1.0}).requires_grad_();
  Tensor out;
  {
    tg::NoGradGuard ng;
    out = a * 3.0;
  }
  // rule: d out / d a = 3, written as out / a so that the second derivative flows through out
  record("TestOutputBackward0", out, inputs(a), save(a, out), [](auto& c) {
    auto [as, y] = c.saved();
    return c.grad() * y / as;
  });
  auto g = tg::autograd::grad({out.sum()}, {a}, {}, std::nullopt, /*create_graph=*/true);
  EXPECT_EQ(vals(g[0]), (std::vector<double>{3, 3}));
  ASSERT_TRUE(g[0].requires_grad());
  // d/da (out / a) with out = 3a through its own node: 3/a - 3a/a^2 = 0
  auto gg = tg::autograd::grad({g[0].sum()}, {a}, {}, std::nullopt, false, /*allow_unused=*/true);
  EXPECT_EQ(vals(gg[0]), (std::vector<double>{0, 0}));
}

TEST(Engine, AReleasedGraphCannotRunTwice) {
  Tensor a = tg::ones({2}).requires_grad_();
  Tensor y = tg::sigmoid(a).sum();
  y.backward();
  expect_error([&] { y.backward(); }, {"Trying to backward through the graph a second time"});
  Tensor z = tg::sigmoid(a).sum();
  z.backward({}, /*retain_graph=*/true);
  z.backward();  // kept once: runs again, then is released
  EXPECT_EQ(vals(a.grad())[0], vals(a.grad())[1]);
}

// Rules are written with differentiable ops, so under create_graph the backward is a graph with
// libtorch's node names.
TEST(Engine, CreateGraphRecordsTheRulesOps) {
  Tensor x = tg::tensor({0.3, -0.7}, tg::kFloat64).requires_grad_();
  auto g = tg::autograd::grad({tg::sigmoid(x).sum()}, {x}, {}, std::nullopt, true);
  ASSERT_NE(g[0].grad_fn(), nullptr);
  EXPECT_EQ(g[0].grad_fn()->name(), "SigmoidBackwardBackward0");
  auto w = tg::autograd::grad({(x * x).sum()}, {x}, {}, std::nullopt, true);
  EXPECT_EQ(w[0].grad_fn()->name(), "AddBackward0");  // g * x + g * x, the two uses of x
}

}  // namespace
