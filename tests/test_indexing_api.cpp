// Python-style indexing in libtorch's spelling (torch::indexing -> tg::indexing): index(),
// index_put_() and slice(), their gradients, and their errors. The values against PyTorch are in
// the core fixtures (gen_fixtures.py, INDEX_CASES). Several tensor indices, index_put with tensor
// indices, masked_select and resize_ are tested in test_advanced_indexing.cpp.
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


Tensor grid() { return tg::arange(24, tg::dtype(tg::kFloat64)).reshape({2, 3, 4}); }

TEST(Indexing, BasicEntries) {
  Tensor x = grid();
  EXPECT_TRUE(tg::equal(x.index({1}), x.select(0, 1)));
  EXPECT_TRUE(tg::equal(x.index({Slice(), 0}), x.select(1, 0)));
  EXPECT_TRUE(tg::equal(x.index({"...", -1}), x.select(2, 3)));
  EXPECT_TRUE(tg::equal(x.index({Ellipsis, Slice(None, None, 2)}), tg::stack({x.select(2, 0), x.select(2, 2)}, 2)));
  EXPECT_EQ(x.index({None}).sizes().vec(), (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(x.index({Slice(), None, 0}).sizes().vec(), (std::vector<int64_t>{2, 1, 4}));
  EXPECT_EQ(x.index({true}).sizes().vec(), (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(x.index({false}).sizes().vec(), (std::vector<int64_t>{0, 2, 3, 4}));
  // out-of-range slice ends are clamped, as Python's
  EXPECT_EQ(x.index({Slice(1, 100)}).sizes().vec(), (std::vector<int64_t>{1, 3, 4}));
  EXPECT_EQ(x.index({Slice(-100, -1)}).sizes().vec(), (std::vector<int64_t>{1, 3, 4}));
  EXPECT_EQ(x.index({Slice(2, 1)}).sizes().vec(), (std::vector<int64_t>{0, 3, 4}));
  // the result of basic indexing is a view
  EXPECT_EQ(x.index({1, Slice(1)}).data_ptr(), x.select(0, 1).narrow(0, 1, 2).data_ptr());
}

TEST(Indexing, TensorEntries) {
  Tensor x = grid();
  Tensor idx = tg::tensor({2, 0});
  EXPECT_TRUE(tg::equal(x.index({tg::tensor({1, 1, 0})}), tg::stack({x.select(0, 1), x.select(0, 1), x.select(0, 0)})));
  expect_error([&] { x.index({idx}); }, "index: index 2 is out of bounds for dimension 0 with size 2");
  EXPECT_EQ(x.index({Slice(), idx}).sizes().vec(), (std::vector<int64_t>{2, 2, 4}));
  EXPECT_TRUE(tg::equal(x.index({Slice(), idx}).select(1, 0), x.select(1, 2)));
  Tensor mask = x.select(2, 0) > 5.0;  // [2, 3]
  Tensor picked = x.index({mask});
  EXPECT_EQ(picked.sizes().vec(), (std::vector<int64_t>{4, 4}));  // 4 rows start above 5
  EXPECT_TRUE(tg::equal(picked.select(0, 0), x.index({0, 2})));
}

TEST(Indexing, GradientsFlowBackToTheIndexedTensor) {
  Tensor x = grid().requires_grad_();
  x.index({Slice(), 1, Slice(None, None, 2)}).sum().backward();
  Tensor expected = tg::zeros({2, 3, 4}, tg::kFloat64);
  expected.select(1, 1).select(1, 0).fill_(1.0);
  expected.select(1, 1).select(1, 2).fill_(1.0);
  EXPECT_TRUE(tg::equal(x.grad(), expected));
  auto f = [](const tg::TensorList& in) {
    return in[0].index({Slice(1, None), Slice(0, 4, 2)}) * in[0].index({Slice(None, -1), Slice(1, None, 2)});
  };
  Tensor y = tg::randn({3, 5}, tg::kFloat64).requires_grad_();
  EXPECT_TRUE(tg::autograd::gradcheck(f, {y}));
  EXPECT_TRUE(tg::autograd::gradgradcheck(f, {y}));
  auto g = [](const tg::TensorList& in) { return in[0].index({in[0].detach() > 0.0}).pow(2); };
  EXPECT_TRUE(tg::autograd::gradcheck(g, {y}));
  EXPECT_TRUE(tg::autograd::gradgradcheck(g, {y}));
  auto h = [](const tg::TensorList& in) { return in[0].slice(1, -4, 5, 3).exp(); };
  EXPECT_TRUE(tg::autograd::gradcheck(h, {y}));
  EXPECT_TRUE(tg::autograd::gradgradcheck(h, {y}));
}

TEST(Indexing, IndexPut) {
  Tensor x = tg::zeros({3, 4});
  x.index_put_({Slice(), 0}, 5.0);
  x.index_put_({1}, tg::tensor({1.0, 2.0, 3.0, 4.0}));
  x.index_put_({Slice(None, None, 2), -1}, tg::tensor({7.0, 8.0}));
  EXPECT_TRUE(tg::equal(x, tg::tensor({{5.0, 0.0, 0.0, 7.0}, {1.0, 2.0, 3.0, 4.0}, {5.0, 0.0, 0.0, 8.0}})));
  Tensor y = tg::tensor({-1.0, 2.0, -3.0});
  y.index_put_({y < 0.0}, 0.0);  // x[x < 0] = 0
  EXPECT_TRUE(tg::equal(y, tg::tensor({0.0, 2.0, 0.0})));
  y.index_put_({y > 1.0}, tg::tensor(9.0));
  EXPECT_TRUE(tg::equal(y, tg::tensor({0.0, 9.0, 0.0})));
  // a mask assignment is recorded like masked_fill_ on a non-leaf
  Tensor leaf = tg::tensor({1.0, -2.0}, tg::requires_grad());
  Tensor h = leaf * 2;
  h.index_put_({h < 0.0}, 0.0);
  h.sum().backward();
  EXPECT_TRUE(tg::equal(leaf.grad(), tg::tensor({2.0, 0.0})));
}

TEST(Indexing, ErrorsNameTheProblem) {
  Tensor x = grid();
  expect_error([&] { x.index({0, 0, 0, 0}); }, "index: too many indices for tensor of dimension 3 (shape [2, 3, 4])");
  expect_error([&] { x.index({5}); }, "index 5 is out of bounds for dimension 0 with size 2 (shape [2, 3, 4])");
  expect_error([&] { x.index({"...", 0, "..."}); }, "index: an index can only have a single ellipsis ('...')");
  expect_error([&] { x.index({".."}); }, "index: the only string an index accepts is \"...\", got \"..\"");
  expect_error([&] { x.index({tg::tensor({0.5})}); },
               "index: tensors used as indices must be long or bool tensors, got [float32 [1]]");
  expect_error(
      [&] {
        x.index({tg::tensor({true, false, true})});
      },
      "The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [2, 3, 4] at index 0");
  expect_error([&] { x.index({tg::tensor({5})}); }, "index: index 5 is out of bounds for dimension 0 with size 2");
  expect_error([&] { x.slice(0, 0, 2, 0); }, "slice step must be positive (got 0, shape [2, 3, 4])");
}

// torch.zeros(5, 2).chunk(3) -> shapes [2, 2], [2, 2], [1, 2]; torch.zeros(5).chunk(4) -> [2], [2], [1]
TEST(Indexing, ChunkSplitUnbind) {
  Tensor x = tg::arange(10, tg::dtype(tg::kFloat64)).reshape({5, 2});
  auto shapes = [](const std::vector<Tensor>& v) {
    std::vector<std::vector<int64_t>> r;
    for (const auto& t : v) r.push_back(t.sizes().vec());
    return r;
  };
  using S = std::vector<std::vector<int64_t>>;
  EXPECT_EQ(shapes(x.chunk(3)), (S{{2, 2}, {2, 2}, {1, 2}}));
  EXPECT_EQ(shapes(tg::zeros({5}).chunk(4)), (S{{2}, {2}, {1}}));
  EXPECT_EQ(shapes(x.split(2, 0)), (S{{2, 2}, {2, 2}, {1, 2}}));
  EXPECT_EQ(shapes(x.split(1, -1)), (S{{5, 1}, {5, 1}}));
  EXPECT_EQ(shapes(x.split_with_sizes({1, 4})), (S{{1, 2}, {4, 2}}));
  EXPECT_EQ(shapes(x.unbind(1)), (S{{5}, {5}}));
  EXPECT_TRUE(tg::equal(x.unbind(0)[3], x.select(0, 3)));
  EXPECT_TRUE(tg::equal(tg::cat(x.chunk(2)), x));
  EXPECT_EQ(x.chunk(2)[1].data_ptr(), x.select(0, 3).data_ptr());  // views
  auto f = [](const tg::TensorList& in) {
    auto parts = in[0].chunk(2, 1);
    auto rows = in[0].unbind(0);
    return parts[0] * parts[1].exp() + rows[1].sum();
  };
  Tensor y = tg::randn({3, 4}, tg::kFloat64).requires_grad_();
  EXPECT_TRUE(tg::autograd::gradcheck(f, {y}));
  EXPECT_TRUE(tg::autograd::gradgradcheck(f, {y}));
  expect_error([&] { x.split(-1); }, "split expects split_size be non-negative, but got split_size=-1");
  expect_error(
      [&] {
        x.split_with_sizes({2, 2});
      },
      "split_with_sizes expects split_sizes to sum exactly to 5 (input tensor's size at dimension 0), but got "
      "split_sizes=[2, 2]");
  expect_error([&] { x.chunk(0); }, "chunk expects `chunks` to be greater than 0, got: 0");
  expect_error([&] { tg::tensor(1.0).unbind(); }, "Dimension specified as 0 but tensor has no dimensions");
}

}  // namespace
