// Advanced indexing as libtorch's (Note [Advanced indexing] in src/ops/tensor_index.cpp): several index tensors in one
// x.index({...}), broadcast together, with numpy's placement of their dims; index_put_ / index_put with tensor
// indices and accumulate; masked_select; resize_. Each result is compared with the same elements reached one at a
// time through integer indices; each differentiable op is gradchecked and gradgradchecked in float64; each error is
// checked by its message. The values against PyTorch itself are fixture cases of gen_fixtures.py
// (ADVANCED_INDEX_CASES, INDEX_PUT_CASES, masked_select), run by test_reference_core.cpp.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tensorgrad/autograd/gradcheck.h"
#include "tensorgrad/tensorgrad.h"
#include "test_support.h"

namespace {

using tg_test::expect_error;
using tg_test::vals;

using namespace tg::indexing;  // NOLINT: as libtorch programs write it
using tg::Tensor;
using tg::TensorList;
using Sizes = std::vector<int64_t>;

Tensor grid() { return tg::arange(24, tg::dtype(tg::kFloat64)).reshape({2, 3, 4}); }
Tensor randn64(tg::IntArrayRef shape) { return tg::randn(shape, tg::kFloat64); }
Tensor leaf(tg::IntArrayRef shape) { return randn64(shape).requires_grad_(); }

int64_t at(const Tensor& index, int64_t k) { return index.reshape({-1})[k].item<int64_t>(); }

void check_grads(const tg::autograd::SingleFunction& f, const TensorList& inputs) {
  auto r = tg::autograd::gradcheck(f, inputs);
  EXPECT_TRUE(r) << "gradcheck: " << r.message;
  auto rr = tg::autograd::gradgradcheck(f, inputs);
  EXPECT_TRUE(rr) << "gradgradcheck: " << rr.message;
}

// ---- index with several tensors ----------------------------------------------------------------

TEST(AdvancedIndex, TwoTensorsPickPairs) {
  tg::manual_seed(1);
  Tensor x = randn64({2, 3, 4});
  Tensor i = tg::tensor({1, 0, 1, 1}), j = tg::tensor({2, 2, 0, -1});
  Tensor r = x.index({i, j});
  std::vector<Tensor> rows;
  for (int64_t k = 0; k < 4; ++k) rows.push_back(x.index({at(i, k), at(j, k)}));
  EXPECT_TRUE(tg::equal(r, tg::stack(rows)));
  EXPECT_NE(r.data_ptr(), x.data_ptr());  // a copy, not a view
  // the list form, entry k for dim k
  EXPECT_TRUE(tg::equal(tg::index(x, {i, j}), r));
  EXPECT_TRUE(tg::equal(x.index(std::vector<tg::optional<Tensor>>{i, j}), r));
}

TEST(AdvancedIndex, AdjacentTensorsReplaceTheirDims) {
  tg::manual_seed(2);
  Tensor x = randn64({2, 3, 4});
  Tensor i = tg::tensor({2, 0, 1}), j = tg::tensor({3, 3, 0});
  Tensor r = x.index({Slice(), i, j});
  EXPECT_EQ(r.sizes().vec(), (Sizes{2, 3}));
  std::vector<Tensor> cols;
  for (int64_t k = 0; k < 3; ++k) cols.push_back(x.index({Slice(), at(i, k), at(j, k)}));
  EXPECT_TRUE(tg::equal(r, tg::stack(cols, 1)));
  // "..." and a leading slice name the same dims
  EXPECT_TRUE(tg::equal(x.index({"...", i, j}), r));
}

TEST(AdvancedIndex, SeparatedTensorsGoFirst) {
  tg::manual_seed(3);
  Tensor x = randn64({2, 3, 4});
  Tensor i = tg::tensor({1, 0}), j = tg::tensor({0, 3});
  Tensor r = x.index({i, Slice(), j});
  EXPECT_EQ(r.sizes().vec(), (Sizes{2, 3}));
  std::vector<Tensor> rows;
  for (int64_t k = 0; k < 2; ++k) rows.push_back(x.index({at(i, k), Slice(), at(j, k)}));
  EXPECT_TRUE(tg::equal(r, tg::stack(rows)));
  // None between them separates them too: [2, 1, 4]
  Tensor n = x.index({i, None, tg::tensor({2, 1})});
  EXPECT_EQ(n.sizes().vec(), (Sizes{2, 1, 4}));
  EXPECT_TRUE(tg::equal(n.select(1, 0).select(0, 1), x.index({0, 1})));
  // an integer selects first (libtorch): x[0, :, j] is [3, 2], the tensor's dim in its place
  Tensor s = x.index({0, Slice(), j});
  EXPECT_EQ(s.sizes().vec(), (Sizes{3, 2}));
  EXPECT_TRUE(tg::equal(s, x.select(0, 0).index({Slice(), j})));
  // so does a 0-dim int64 tensor in a TensorIndex list, and the list form takes it as an index tensor
  EXPECT_TRUE(tg::equal(x.index({tg::tensor(0), Slice(), j}), s));
  Tensor l = tg::index(x, {tg::tensor(0), tg::nullopt, j});
  EXPECT_EQ(l.sizes().vec(), (Sizes{2, 3}));
  EXPECT_TRUE(tg::equal(l, s.t()));
}

TEST(AdvancedIndex, IndexTensorsBroadcast) {
  tg::manual_seed(4);
  Tensor x = randn64({3, 4});
  Tensor i = tg::tensor({{0}, {2}}), j = tg::tensor({3, 1, 1});  // [2, 1] with [3]: [2, 3]
  Tensor r = x.index({i, j});
  EXPECT_EQ(r.sizes().vec(), (Sizes{2, 3}));
  for (int64_t a = 0; a < 2; ++a)
    for (int64_t b = 0; b < 3; ++b)
      EXPECT_EQ(r.index({a, b}).item<double>(), x.index({at(i, a), at(j, b)}).item<double>());
  EXPECT_TRUE(tg::equal(r, x.index({i.expand({2, 3}), j.expand({2, 3})})));
}

TEST(AdvancedIndex, MasksAndBools) {
  tg::manual_seed(5);
  Tensor x = randn64({2, 3, 4});
  Tensor mask = tg::tensor({{true, false, true}, {false, true, true}});
  // a mask of two dims is its nonzero() coordinates, one index tensor per dim
  std::vector<int64_t> r0, r1;
  for (int64_t a = 0; a < 2; ++a)
    for (int64_t b = 0; b < 3; ++b)
      if (mask.index({a, b}).item<bool>()) {
        r0.push_back(a);
        r1.push_back(b);
      }
  Tensor i0 = tg::tensor(r0), i1 = tg::tensor(r1), j = tg::tensor({0, 3, 1, 2});
  EXPECT_TRUE(tg::equal(x.index({mask}), x.index({i0, i1})));
  EXPECT_TRUE(tg::equal(x.index({mask, j}), x.index({i0, i1, j})));
  // the entries after a mask index the dims after the mask's (numpy's rule)
  EXPECT_TRUE(tg::equal(x.index({mask, 0}), x.index({mask}).select(1, 0)));
  EXPECT_TRUE(tg::equal(x.index({Slice(), mask.select(0, 1)}), x.index({Slice(), tg::tensor({1, 2})})));
  // a bool is a new dim of size 1 indexed by [0] or by nothing, broadcast with the other indices
  Tensor i = tg::tensor({1, 0});
  EXPECT_TRUE(tg::equal(x.index({i, true}), x.index({i})));
  EXPECT_EQ(x.index({i, Slice(), true}).sizes().vec(), (Sizes{2, 3, 4}));
  EXPECT_TRUE(tg::equal(x.index({i, Slice(), true}), x.index({i})));
  EXPECT_EQ(x.index({true, true}).sizes().vec(), (Sizes{1, 2, 3, 4}));
  EXPECT_EQ(x.index({Slice(), false}).sizes().vec(), (Sizes{2, 0, 3, 4}));
  EXPECT_TRUE(tg::equal(x.index({tg::tensor(true)}), x.unsqueeze(0)));
  EXPECT_EQ(x.index({tg::tensor(false), tg::tensor({1})}).sizes().vec(), (Sizes{0, 3, 4}));
  expect_error(
      [&] {
        x.index({false, i});
      },
      "index: shape mismatch: indexing tensors could not be broadcast together with shapes [0], [2]");
}

TEST(AdvancedIndex, EmptyAndNonContiguous) {
  tg::manual_seed(6);
  Tensor x = randn64({3, 4});
  Tensor none = tg::zeros({0}, tg::kInt64);
  EXPECT_EQ(x.index({none}).sizes().vec(), (Sizes{0, 4}));
  EXPECT_EQ(x.index({none, none}).sizes().vec(), (Sizes{0}));
  // a transposed (strided) tensor is read through its strides
  Tensor t = x.t();
  Tensor i = tg::tensor({3, 0, 2}), j = tg::tensor({1, 1, 2});
  EXPECT_TRUE(tg::equal(t.index({i, j}), t.contiguous().index({i, j})));
  EXPECT_TRUE(tg::equal(t.index({i, j}), x.index({j, i})));
  // and an expanded one
  Tensor e = x.select(0, 1).expand({5, 4});
  EXPECT_TRUE(
      tg::equal(e.index({tg::tensor({4, 0}), tg::tensor({3, 3})}), x.index({tg::tensor({1, 1}), tg::tensor({3, 3})})));
}

TEST(AdvancedIndex, NodeAndGradients) {
  tg::manual_seed(7);
  Tensor x = leaf({2, 3, 4});
  EXPECT_EQ(x.index({tg::tensor({1, 0})}).grad_fn()->name(), "IndexBackward0");
  EXPECT_EQ(x.index({x.detach() > 0.0}).grad_fn()->name(), "IndexBackward0");
  EXPECT_EQ(x.index({true}).grad_fn()->name(), "IndexBackward0");
  EXPECT_EQ(x.index({tg::tensor(1)}).grad_fn()->name(), "SelectBackward0");
  // duplicates add up in the gradient
  Tensor i = tg::tensor({1, 1, 0}), j = tg::tensor({2, 2, 2});
  x.index({i, j}).sum().backward();
  Tensor expected = tg::zeros({2, 3, 4}, tg::kFloat64);
  for (int64_t k = 0; k < 3; ++k) expected.index({at(i, k), at(j, k)}).add_(1.0);
  EXPECT_TRUE(tg::equal(x.grad(), expected));

  Tensor mask = tg::tensor({{true, false, true}, {false, true, true}});
  check_grads([&](const TensorList& in) { return in[0].index({i, j}); }, {leaf({2, 3, 4})});
  check_grads(
      [&](const TensorList& in) {
        return in[0].index({i, Slice(), tg::tensor({{3}, {0}})}).pow(2);
      },
      {leaf({2, 3, 4})});
  check_grads(
      [&](const TensorList& in) {
        return in[0].index({mask, tg::tensor({0, 3, 1, 1})}).exp();
      },
      {leaf({2, 3, 4})});
  check_grads(
      [&](const TensorList& in) {
        return in[0].t().index({tg::tensor({2, 0}), tg::tensor({1, 1})}).sin();
      },
      {leaf({2, 3})});
  check_grads(
      [&](const TensorList& in) {
        return tg::index(in[0], {tg::nullopt, i, tg::tensor({0, 3, 0})}).pow(3);
      },
      {leaf({2, 3, 4})});
  check_grads(
      [&](const TensorList& in) {
        return in[0].index({Slice(), true, i}) * in[0].index({1, i});
      },
      {leaf({2, 3, 4})});
}

TEST(AdvancedIndex, Errors) {
  Tensor x = grid();
  expect_error(
      [&] {
        x.index({tg::tensor({0, 1}), tg::tensor({0, 1, 2})});
      },
      "index: shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]");
  expect_error(
      [&] {
        x.index({Slice(), tg::tensor({5})});
      },
      "index: index 5 is out of bounds for dimension 0 with size 3");
  expect_error(
      [&] {
        x.index({tg::tensor({0}), tg::tensor({7})});
      },
      "index: index 7 is out of bounds for dimension 1 with size 3");
  expect_error(
      [&] {
        x.index({"...", tg::tensor({-9})});
      },
      "index: index -9 is out of bounds for dimension 0 with size 4");
  expect_error([&] { x.index({tg::tensor(5)}); }, "index 5 is out of bounds for dimension 0 with size 2");
  expect_error(
      [&] {
        x.index({tg::tensor({0}), tg::tensor({0}), tg::tensor({0}), tg::tensor({0})});
      },
      "index: too many indices for tensor of dimension 3 (shape [2, 3, 4])");
  expect_error([&] { x.index({Tensor()}); }, "index: an index tensor is undefined");
  expect_error(
      [&] {
        x.index({tg::tensor({{true, false, true}}), 0});
      },
      "The shape of the mask [1, 3] at index 0 does not match the shape of the indexed tensor [2, 3, 4] at "
      "index 0");
  // the list form
  expect_error(
      [&] {
        tg::index(x, {tg::nullopt, tg::nullopt, tg::nullopt, tg::tensor({0})});
      },
      "index: too many indices for tensor of dimension 3 (got 4)");
  expect_error([&] { tg::index(x, {tg::nullopt}); }, "index: the list of indices holds no tensor");
  expect_error([&] { tg::index(x, {tg::tensor(true)}); },
               "index: a 0-dim bool tensor is not supported in a list of index tensors");
  expect_error([&] { tg::index(x, {tg::tensor({0.5})}); },
               "index: tensors used as indices must be long or bool tensors, got [float32 [1]]");
}

// ---- index_put ----------------------------------------------------------------------------------

TEST(IndexPut, WritesAtTheIndexedPositions) {
  tg::manual_seed(8);
  Tensor base = randn64({3, 4});
  Tensor i = tg::tensor({0, 2, 2}), j = tg::tensor({1, 3, 0}), v = randn64({3});
  Tensor expected = base.clone();
  for (int64_t k = 0; k < 3; ++k) expected.index_put_({at(i, k), at(j, k)}, v[k]);
  EXPECT_TRUE(tg::equal(base.index_put({i, j}, v), expected));  // out of place
  Tensor y = base.clone();
  EXPECT_TRUE(y.index_put_({i, j}, v).is_same(y));
  EXPECT_TRUE(tg::equal(y, expected));
  Tensor z = base.clone();
  z.index_put_({i, j}, v, /*accumulate=*/false);
  EXPECT_TRUE(tg::equal(z, expected));
  // the values broadcast to the indexed shape: one row for each of the indexed rows
  Tensor row = randn64({4});
  Tensor w = base.clone();
  w.index_put_({tg::tensor({2, 0})}, row);
  for (int64_t r = 0; r < 3; ++r) EXPECT_TRUE(tg::equal(w[r], r == 1 ? base[1] : row));
  // with basic entries too, and a scalar
  Tensor s = base.clone();
  s.index_put_({Slice(), tg::tensor({3, 1})}, 7.0);
  for (int64_t c = 0; c < 4; ++c)
    EXPECT_TRUE(tg::equal(s.select(1, c), c == 1 || c == 3 ? tg::full({3}, 7.0, tg::kFloat64) : base.select(1, c)));
  // a strided (transposed) tensor is written through its strides
  Tensor t = base.clone().t();
  t.index_put_({j, i}, v);
  EXPECT_TRUE(tg::equal(t.t(), expected));
  // leading dims of size 1 of the values are dropped, as libtorch's set_item does
  Tensor one = base.clone();
  one.index_put_({1}, row.view({1, 1, 4}));
  one.index_put_({tg::tensor({2})}, row.view({1, 1, 4}));
  EXPECT_TRUE(tg::equal(one[1], row));
  EXPECT_TRUE(tg::equal(one[2], row));
}

TEST(IndexPut, AccumulateSumsDuplicates) {
  tg::manual_seed(9);
  Tensor base = randn64({3, 4});
  Tensor i = tg::tensor({0, 0, 2, 0}), j = tg::tensor({1, 1, 3, 1}), v = randn64({4});
  Tensor expected = base.clone();
  for (int64_t k = 0; k < 4; ++k)
    expected.index_put_({at(i, k), at(j, k)}, expected.index({at(i, k), at(j, k)}) + v[k]);
  EXPECT_TRUE(tg::allclose(base.index_put({i, j}, v, true), expected));
  Tensor y = base.clone();
  y.index_put_({i, j}, v, true);
  EXPECT_TRUE(tg::allclose(y, expected));
  EXPECT_TRUE(tg::allclose(tg::index_put(base, {i, j}, v, true), expected));
  Tensor z = base.clone();
  tg::index_put_(z, {tg::nullopt, tg::tensor({2, 2})}, tg::ones({3, 2}, tg::kFloat64), true);
  EXPECT_TRUE(tg::allclose(z.select(1, 2), base.select(1, 2) + 2.0));
}

TEST(IndexPut, MaskAssignment) {
  Tensor y = tg::tensor({-1.0, 2.0, -3.0, 4.0});
  Tensor expected = tg::where(y < 0.0, tg::tensor(0.0), y);
  y.index_put_({y < 0.0}, 0.0);
  EXPECT_TRUE(tg::equal(y, expected));
  // one value of another dtype with a mask: masked_fill's conversion (libtorch)
  y.index_put_({y > 3.0}, tg::tensor(9.0, tg::kFloat64));
  EXPECT_EQ(y[3].item<float>(), 9.0f);
  // one value per true element
  Tensor m = tg::tensor({{true, false}, {true, true}});
  Tensor z = tg::zeros({2, 2});
  z.index_put_({m}, tg::tensor({1.0, 2.0, 3.0}));
  EXPECT_EQ(vals(z), (std::vector<double>{1.0, 0.0, 2.0, 3.0}));
}

TEST(IndexPut, VersionsAndViews) {
  Tensor x = tg::zeros({3, 4});
  const auto v0 = x._version();
  x.index_put_({tg::tensor({1})}, 1.0);
  EXPECT_EQ(x._version(), v0 + 1);
  x.index_put_({tg::tensor({1}), tg::tensor({2})}, tg::tensor({5.0}), true);
  EXPECT_EQ(x._version(), v0 + 2);
  // without a graph, a view is written through to its base, as in libtorch
  Tensor row = x[2];
  row.index_put_({tg::tensor({0, 3})}, 4.0);
  EXPECT_EQ(x.index({2, 3}).item<float>(), 4.0f);
  EXPECT_EQ(x._version(), v0 + 3);
}

TEST(IndexPut, RecordsIndexPutBackward) {
  tg::manual_seed(10);
  Tensor a = leaf({3, 4}), v = leaf({4});
  Tensor h = a * 2;
  const auto version = h._version();
  Tensor i = tg::tensor({2, 0});
  h.index_put_({i}, v);
  EXPECT_EQ(h._version(), version + 1);
  EXPECT_EQ(h.grad_fn()->name(), "IndexPutBackward0");
  EXPECT_TRUE(tg::equal(h[0], v.detach()));
  h.sum().backward();
  // the overwritten rows get no gradient, the values one per row they were written to
  Tensor written = tg::zeros({3, 1}, tg::kFloat64);
  for (int64_t k = 0; k < 2; ++k) written[at(i, k)].fill_(1.0);
  EXPECT_TRUE(tg::equal(a.grad(), (1.0 - written).expand({3, 4}) * 2.0));
  EXPECT_TRUE(tg::equal(v.grad(), tg::full({4}, 2.0, tg::kFloat64)));
  // basic entries only, while recording (a write into a view would be refused): the same node
  Tensor b = leaf({3, 4}), w = leaf({3});
  Tensor g = b * 1;
  g.index_put_({Slice(), 1}, w);
  EXPECT_EQ(g.grad_fn()->name(), "IndexPutBackward0");
  (g * g).sum().backward();
  EXPECT_TRUE(tg::allclose(w.grad(), 2 * w.detach()));
  EXPECT_TRUE(tg::equal(b.grad().select(1, 1), tg::zeros({3}, tg::kFloat64)));
  EXPECT_TRUE(tg::allclose(b.grad().select(1, 0), 2 * b.detach().select(1, 0)));
  // a tensor that does not require grad gets a history from values that do
  Tensor z = tg::zeros({3, 4}, tg::kFloat64);
  Tensor u = leaf({4});
  z.index_put_({tg::tensor({1, 1})}, u, true);
  EXPECT_EQ(z.grad_fn()->name(), "IndexPutBackward0");
  z.sum().backward();
  EXPECT_TRUE(tg::equal(u.grad(), tg::full({4}, 2.0, tg::kFloat64)));
}

TEST(IndexPut, Gradients) {
  tg::manual_seed(11);
  Tensor i = tg::tensor({0, 2, 0}), j = tg::tensor({1, 1, 3});
  Tensor mask = tg::tensor({{true, false, true}, {false, false, true}});
  check_grads([&](const TensorList& in) { return in[0].index_put({i, j}, in[1]); }, {leaf({3, 4}), leaf({3})});
  check_grads(
      [&](const TensorList& in) {
        return (in[0].index_put({i, j}, in[1], true) * in[1].sum()).sin();
      },
      {leaf({3, 4}), leaf({1})});
  check_grads(
      [&](const TensorList& in) {
        return tg::index_put(in[0], {tg::nullopt, j}, in[1], true).pow(2);
      },
      {leaf({2, 4}), leaf({2, 1})});
  check_grads(
      [&](const TensorList& in) {
        Tensor y = in[0] * in[0];
        y.index_put_({Slice(), tg::tensor({2, 0})}, in[1].exp());
        return y;
      },
      {leaf({2, 3, 4}), leaf({2, 1})});
  check_grads(
      [&](const TensorList& in) {
        Tensor y = in[0].sin();
        y.index_put_({mask}, in[1] * in[1]);
        return y;
      },
      {leaf({2, 3, 4}), leaf({4})});
  check_grads(
      [&](const TensorList& in) {
        Tensor y = in[0] * 1;
        y.index_put_({i, j}, in[1], true);
        return y * in[1].sum();
      },
      {leaf({3, 4}), leaf({3})});
  check_grads(
      [&](const TensorList& in) {
        Tensor y = in[0].exp() * 1;  // exp saved its output: writing that would fail the backward
        y.index_put_({1, Slice(1, 3)}, in[1]);
        return y.pow(2);
      },
      {leaf({3, 4}), leaf({2})});
}

TEST(IndexPut, Errors) {
  Tensor x = tg::zeros({2, 3, 4});
  Tensor i = tg::tensor({0, 1});
  expect_error([&] { x.index_put_({i}, tg::ones({5})); },
               "index_put_: shape mismatch: value tensor of shape [5] cannot be broadcast to indexing result of shape "
               "[2, 3, 4]");
  expect_error(
      [&] {
        x.index_put_({i, i}, tg::ones({2, 3, 4}), false);
      },
      "index_put_: shape mismatch: value tensor of shape [2, 3, 4] cannot be broadcast to indexing result of "
      "shape [2, 4]");
  expect_error(
      [&] {
        x.index_put({i}, tg::ones({2, 5}));
      },
      "index_put: shape mismatch: value tensor of shape [2, 5] cannot be broadcast to indexing result of shape "
      "[2, 3, 4]");
  expect_error(
      [&] {
        x.index_put_({Slice(), 0}, tg::ones({2}));
      },
      "index_put_: shape mismatch: value tensor of shape [2] cannot be broadcast to indexing result of shape "
      "[2, 4]");
  expect_error([&] { x.index_put_({i}, tg::ones({4}, tg::kFloat64)); },
               "index_put_: Index put requires the source and destination dtypes match, got float32 for the "
               "destination and float64 for the source.");
  expect_error(
      [&] {
        x.index_put_({tg::tensor({true, false}), true}, tg::tensor(1.0, tg::kFloat64));
      },
      "index_put_: Index put requires the source and destination dtypes match, got float32 for the "
      "destination and float64 for the source.");
  expect_error([&] { x.index_put({i}, tg::ones({4}, tg::kInt64), true); },
               "index_put: Index put requires the source and destination dtypes match, got float32 for the "
               "destination and int64 for the source.");
  expect_error(
      [&] {
        x.index_put_({i, tg::tensor({0, 5})}, tg::ones({4}));
      },
      "index_put_: index 5 is out of bounds for dimension 1 with size 3");
  expect_error(
      [&] {
        x.index_put_({i, tg::tensor({0, 1, 2})}, tg::ones({4}));
      },
      "index_put_: shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]");
  expect_error([&] { x.index_put_({i}, Tensor()); }, "index_put_: the value tensor is undefined");
  expect_error(
      [&] {
        x.index_put_({i, i, i, i}, tg::ones({1}), false);
      },
      "index_put_: too many indices for tensor of dimension 3 (got 4)");
  Tensor l = tg::zeros({3}, tg::requires_grad());
  expect_error([&] { l.index_put_({tg::tensor({0})}, 1.0); },
               "index_put_: a leaf Variable that requires grad is being used in an in-place operation");
  Tensor e = tg::zeros({3}).expand({2, 3});
  expect_error([&] { e.index_put_({tg::tensor({0})}, 1.0); },
               "index_put_: unsupported operation: more than one element of the written-to tensor refers to a single "
               "memory location");
  // while recording, a view cannot be written in place (tensorgrad does not rewrite its base's history)
  Tensor h = tg::ones({3, 4}, tg::requires_grad()) * 2;
  Tensor view = h[1];
  expect_error([&] { view.index_put_({tg::tensor({0})}, 1.0); },
               "index_put_: in-place operations on a view of a tensor are not supported while recording a graph");
  // a tensor saved for backward and then written
  Tensor a = tg::ones({3}, tg::requires_grad()) * 1;
  Tensor b = a * a;
  a.index_put_({tg::tensor({0})}, 5.0);
  expect_error([&] { b.sum().backward(); },
               "one of the variables needed for gradient computation has been modified by an inplace operation");
}

// ---- masked_select ------------------------------------------------------------------------------

TEST(MaskedSelect, PicksTheTrueElements) {
  tg::manual_seed(12);
  Tensor x = randn64({2, 3});
  Tensor mask = tg::tensor({{true, false, true}, {false, true, true}});
  std::vector<double> expected;
  for (int64_t a = 0; a < 2; ++a)
    for (int64_t b = 0; b < 3; ++b)
      if (mask.index({a, b}).item<bool>()) expected.push_back(x.index({a, b}).item<double>());
  EXPECT_EQ(vals(x.masked_select(mask)), expected);
  EXPECT_TRUE(tg::equal(tg::masked_select(x, mask), x.index({mask})));
  // the mask broadcast with self, and self with the mask
  Tensor row = mask[1];
  EXPECT_TRUE(tg::equal(x.masked_select(row), x.index({Slice(), row}).reshape({-1})));
  Tensor v = randn64({3});
  EXPECT_TRUE(tg::equal(v.masked_select(mask), v.expand({2, 3}).index({mask})));
  EXPECT_EQ(tg::tensor(2.5).masked_select(tg::tensor(true)).sizes().vec(), (Sizes{1}));
  EXPECT_EQ(tg::tensor(2.5).masked_select(tg::tensor(false)).sizes().vec(), (Sizes{0}));
  EXPECT_EQ(x.masked_select(tg::zeros({2, 3}, tg::kBool)).sizes().vec(), (Sizes{0}));
}

TEST(MaskedSelect, Gradients) {
  tg::manual_seed(13);
  Tensor mask = tg::tensor({{true, false, true}, {false, true, true}});
  Tensor x = leaf({2, 3});
  Tensor y = x.masked_select(mask);
  EXPECT_EQ(y.grad_fn()->name(), "MaskedSelectBackward0");
  y.sum().backward();
  EXPECT_TRUE(tg::equal(x.grad(), mask.to(tg::kFloat64)));
  Tensor v = leaf({3});
  v.masked_select(mask).sum().backward();  // the broadcast rows add up
  EXPECT_TRUE(tg::equal(v.grad(), mask.to(tg::kFloat64).sum(0)));
  check_grads([&](const TensorList& in) { return in[0].masked_select(mask).exp(); }, {leaf({2, 3})});
  check_grads([&](const TensorList& in) { return in[0].masked_select(mask[0]) * in[0].sum(); }, {leaf({4, 3})});
  check_grads([&](const TensorList& in) { return tg::masked_select(in[0], mask).pow(2); }, {leaf({3})});
}

TEST(MaskedSelect, Errors) {
  Tensor x = tg::zeros({2, 3});
  expect_error([&] { x.masked_select(tg::ones({3})); },
               "masked_select: expected BoolTensor for mask, got [float32 [3]] (self [float32 [2, 3]])");
  expect_error(
      [&] { x.masked_select(tg::ones({2}, tg::kBool)); },
      "masked_select: The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1");
  expect_error([&] { x.masked_select(Tensor()); },
               "masked_select: expected BoolTensor for mask, got an undefined tensor");
}

// ---- resize_ ------------------------------------------------------------------------------------

TEST(Resize, KeepsTheFirstElements) {
  tg::manual_seed(14);
  Tensor x = randn64({2, 3});
  const std::vector<double> before = vals(x);
  Tensor view = x.view({6});
  EXPECT_TRUE(x.resize_({4}).is_same(x));
  EXPECT_EQ(x.sizes().vec(), (Sizes{4}));
  EXPECT_EQ(vals(x), std::vector<double>(before.begin(), before.begin() + 4));
  // growing keeps them too; the elements beyond the old storage are zeros, and the views see the same storage
  x.resize_({3, 4});
  EXPECT_EQ(x.sizes().vec(), (Sizes{3, 4}));
  EXPECT_EQ(x.strides().vec(), (Sizes{4, 1}));
  std::vector<double> grown = before;
  grown.resize(12, 0.0);
  EXPECT_EQ(vals(x), grown);
  x.index_put_({0, 0}, 42.0);
  EXPECT_EQ(view[0].item<double>(), 42.0);
  // a strided tensor takes contiguous strides over its storage, unless its shape is unchanged
  Tensor t = tg::arange(6, tg::dtype(tg::kFloat64)).reshape({2, 3}).t();
  t.resize_({3, 2});
  EXPECT_EQ(t.strides().vec(), (Sizes{1, 3}));
  t.resize_({2, 3});
  EXPECT_EQ(t.strides().vec(), (Sizes{3, 1}));
  EXPECT_EQ(vals(t), vals(tg::arange(6, tg::dtype(tg::kFloat64))));
  // a view keeps its storage offset
  Tensor base = tg::arange(6, tg::dtype(tg::kFloat64));
  Tensor tail = base.narrow(0, 2, 4);
  tail.resize_({2});
  EXPECT_EQ(vals(tail), vals(base.narrow(0, 2, 2)));
  tail.resize_({8});
  EXPECT_EQ(vals(tail.narrow(0, 0, 4)), vals(base.narrow(0, 2, 4)));
  EXPECT_EQ(vals(tail.narrow(0, 4, 4)), std::vector<double>(4, 0.0));
  // an empty shape, and back
  Tensor z = tg::ones({2});
  z.resize_({0});
  EXPECT_EQ(z.numel(), 0);
  z.resize_({2});
  EXPECT_EQ(vals(z), std::vector<double>(2, 1.0));
}

TEST(Resize, NotDifferentiable) {
  Tensor w = tg::zeros({2, 3}, tg::requires_grad());
  expect_error([&] { w.resize_({6}); },
               "resize_: cannot resize variables that require grad (shape [2, 3], dtype float32)");
  expect_error([&] { (w * 2).resize_({6}); }, "resize_: cannot resize variables that require grad");
  {
    tg::NoGradGuard no_grad;  // libtorch refuses it in no-grad mode too
    expect_error([&] { w.resize_({6}); }, "resize_: cannot resize variables that require grad");
  }
  expect_error(
      [&] {
        tg::zeros({2}).resize_({-1, 2});
      },
      "resize_: Trying to create tensor with negative dimension -1: [-1, 2]");
  // the version goes up with the shape, so that a backward that saved the tensor refuses it
  Tensor x = tg::ones({3});
  const auto v = x._version();
  x.resize_({3});
  EXPECT_EQ(x._version(), v);
  x.resize_({4});
  EXPECT_EQ(x._version(), v + 1);
  Tensor p = tg::ones({2}, tg::requires_grad());
  Tensor c = tg::ones({2});
  Tensor y = p * c;
  c.resize_({5});
  expect_error([&] { y.sum().backward(); },
               "one of the variables needed for gradient computation has been modified by an inplace operation");
}

}  // namespace
