// Unit tests of the core tensor: factories, dtypes and type promotion, shapes, views and strides,
// copies, element access, printing, and the random generator.
//
// Every expected value is computed by hand or from a closed formula; the expected strings of the
// printing tests are PyTorch 1.13's own output (str(t) of the same tensor in Python), hard-coded.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <numeric>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <tensorgrad/tensorgrad.h>

namespace {

using tg::Tensor;

std::vector<int64_t> shape_of(const Tensor& t) { return t.sizes().vec(); }
std::vector<int64_t> strides_of(const Tensor& t) { return t.strides().vec(); }
using Shp = std::vector<int64_t>;

// Element-by-element comparison of t (in row-major order) with `expected`.
void expect_values(const Tensor& t, const std::vector<double>& expected, double tol = 0) {
  std::vector<double> got = t.tolist<double>();
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    if (tol == 0) {
      EXPECT_EQ(got[i], expected[i]) << "at flat index " << i;
    } else {
      EXPECT_NEAR(got[i], expected[i], tol) << "at flat index " << i;
    }
  }
}

std::string str(const Tensor& t) {
  std::ostringstream os;
  os << t;
  return os.str();
}

// 0, 1, ..., n-1 as float32 (built without arange, which is itself under test).
Tensor iota_f(std::vector<int64_t> shape) {
  int64_t n = 1;
  for (auto s : shape) n *= s;
  std::vector<float> v(static_cast<size_t>(n));
  std::iota(v.begin(), v.end(), 0.0f);
  return tg::tensor(v).reshape(shape);
}

// ================================================================================================
// Factories
// ================================================================================================

TEST(Factory, ScalarLiterals) {
  Tensor f = tg::tensor(3.5);
  EXPECT_EQ(f.dim(), 0);
  EXPECT_EQ(f.numel(), 1);
  EXPECT_EQ(f.dtype(), tg::kFloat32);
  EXPECT_EQ(f.item<float>(), 3.5f);

  Tensor i = tg::tensor(7);
  EXPECT_EQ(i.dim(), 0);
  EXPECT_EQ(i.dtype(), tg::kInt64);
  EXPECT_EQ(i.item<int64_t>(), 7);

  Tensor b = tg::tensor(true);
  EXPECT_EQ(b.dtype(), tg::kBool);
  EXPECT_TRUE(b.item<bool>());

  Tensor l = tg::tensor(int64_t{1} << 40);
  EXPECT_EQ(l.dtype(), tg::kInt64);
  EXPECT_EQ(l.item<int64_t>(), int64_t{1} << 40);
}

TEST(Factory, NestedBracedLists) {
  Tensor a = tg::tensor({1.0, 2.0, 3.0});
  EXPECT_EQ(shape_of(a), (Shp{3}));
  EXPECT_EQ(a.dtype(), tg::kFloat32);
  expect_values(a, {1, 2, 3});

  Tensor b = tg::tensor({{1, 2, 3}, {4, 5, 6}});
  EXPECT_EQ(shape_of(b), (Shp{2, 3}));
  EXPECT_EQ(b.dtype(), tg::kInt64);
  EXPECT_EQ(b.tolist<int64_t>(), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(strides_of(b), (Shp{3, 1}));

  Tensor c = tg::tensor({{{1.0, 2.0}}, {{3.0, 4.0}}, {{5.0, 6.0}}});
  EXPECT_EQ(shape_of(c), (Shp{3, 1, 2}));
  expect_values(c, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(strides_of(c), (Shp{2, 2, 1}));

  Tensor d = tg::tensor({{true, false}, {false, true}});
  EXPECT_EQ(d.dtype(), tg::kBool);
  EXPECT_EQ(d.tolist<bool>(), (std::vector<bool>{true, false, false, true}));

  // One-element lists keep their dimension.
  Tensor e = tg::tensor({{2.5}});
  EXPECT_EQ(shape_of(e), (Shp{1, 1}));
  EXPECT_EQ(e.item<double>(), 2.5);
}

TEST(Factory, BracedListTypeInference) {
  // As torch.tensor: a float anywhere makes it floating (default dtype), an int anywhere int64.
  Tensor a = tg::tensor({1, 2});
  EXPECT_EQ(a.dtype(), tg::kInt64);
  Tensor b = tg::tensor({1.0, 2.5});
  EXPECT_EQ(b.dtype(), tg::kFloat32);
  expect_values(b, {1.0, 2.5});
  Tensor c = tg::tensor({{1, 2}, {3, 4}}, tg::kFloat64);
  EXPECT_EQ(c.dtype(), tg::kFloat64);
  expect_values(c, {1, 2, 3, 4});
  Tensor d = tg::tensor({1.75, -2.25}, tg::dtype(tg::kInt64));
  EXPECT_EQ(d.dtype(), tg::kInt64);
  EXPECT_EQ(d.tolist<int64_t>(), (std::vector<int64_t>{1, -2}));  // truncation toward zero
  Tensor e = tg::tensor({0.0, 3.0}, tg::kBool);
  EXPECT_EQ(e.tolist<bool>(), (std::vector<bool>{false, true}));
  Tensor f = tg::tensor({1.0f, 2.0f});
  EXPECT_EQ(f.dtype(), tg::kFloat32);
}

TEST(Factory, BracedListRequiresGrad) {
  Tensor a = tg::tensor({1.0, 2.0}, tg::requires_grad());
  EXPECT_TRUE(a.requires_grad());
  EXPECT_TRUE(a.is_leaf());
  Tensor b = tg::tensor({1.0, 2.0}, tg::TensorOptions().dtype(tg::kFloat64).requires_grad(true));
  EXPECT_TRUE(b.requires_grad());
  EXPECT_EQ(b.dtype(), tg::kFloat64);
  Tensor c = tg::tensor({1.0, 2.0});
  EXPECT_FALSE(c.requires_grad());
}

TEST(Factory, EmptyBracedList) {
  Tensor e = tg::tensor({});
  EXPECT_EQ(shape_of(e), (Shp{0}));
  EXPECT_EQ(e.numel(), 0);
  EXPECT_EQ(e.dtype(), tg::kFloat32);
}

TEST(Factory, FromStdVector) {
  Tensor d = tg::tensor(std::vector<double>{1.5, 2.5, 3.5});
  EXPECT_EQ(shape_of(d), (Shp{3}));
  EXPECT_EQ(d.dtype(), tg::kFloat32);  // floating values take the default dtype
  expect_values(d, {1.5, 2.5, 3.5});

  Tensor f = tg::tensor(std::vector<float>{0.25f, -1.0f});
  EXPECT_EQ(f.dtype(), tg::kFloat32);
  expect_values(f, {0.25, -1.0});

  Tensor l = tg::tensor(std::vector<int64_t>{5, -6, 7});
  EXPECT_EQ(l.dtype(), tg::kInt64);
  EXPECT_EQ(l.tolist<int64_t>(), (std::vector<int64_t>{5, -6, 7}));

  Tensor i = tg::tensor(std::vector<int>{1, 2});
  EXPECT_EQ(i.dtype(), tg::kInt64);
  EXPECT_EQ(i.tolist<int64_t>(), (std::vector<int64_t>{1, 2}));

  Tensor d64 = tg::tensor(std::vector<double>{0.1, 0.2}, tg::kFloat64);
  EXPECT_EQ(d64.dtype(), tg::kFloat64);
  EXPECT_EQ(d64.tolist<double>(), (std::vector<double>{0.1, 0.2}));  // exact, no float rounding

  Tensor empty = tg::tensor(std::vector<double>{});
  EXPECT_EQ(shape_of(empty), (Shp{0}));

  Tensor rg = tg::tensor(std::vector<double>{1.0}, tg::requires_grad());
  EXPECT_TRUE(rg.requires_grad());
}

TEST(Factory, FromBlobCopy) {
  double buf[6] = {1, 2, 3, 4, 5, 6};
  Tensor t = tg::from_blob_copy(buf, {2, 3}, tg::kFloat64);
  EXPECT_EQ(shape_of(t), (Shp{2, 3}));
  EXPECT_EQ(t.dtype(), tg::kFloat64);
  buf[0] = 100;  // a copy: later changes to the buffer are not seen
  expect_values(t, {1, 2, 3, 4, 5, 6});
  EXPECT_NE(t.data_ptr<double>(), buf);

  int64_t ibuf[2] = {9, -9};
  Tensor u = tg::from_blob_copy(ibuf, {2}, tg::kInt64);
  EXPECT_EQ(u.tolist<int64_t>(), (std::vector<int64_t>{9, -9}));
}

TEST(Factory, ScalarTensor) {
  Tensor a = tg::scalar_tensor(2.5);
  EXPECT_EQ(a.dim(), 0);
  EXPECT_EQ(a.dtype(), tg::kFloat32);
  EXPECT_EQ(a.item<double>(), 2.5);
  Tensor b = tg::scalar_tensor(3);
  EXPECT_EQ(b.dtype(), tg::kInt64);
  Tensor c = tg::scalar_tensor(3, tg::kFloat64);
  EXPECT_EQ(c.dtype(), tg::kFloat64);
  EXPECT_EQ(c.item<double>(), 3.0);
}

TEST(Factory, ZerosOnesFullEmpty) {
  Tensor z = tg::zeros({2, 3});
  EXPECT_EQ(shape_of(z), (Shp{2, 3}));
  EXPECT_EQ(z.dtype(), tg::kFloat32);
  expect_values(z, std::vector<double>(6, 0.0));

  Tensor o = tg::ones({4}, tg::kInt64);
  EXPECT_EQ(o.dtype(), tg::kInt64);
  EXPECT_EQ(o.tolist<int64_t>(), (std::vector<int64_t>{1, 1, 1, 1}));

  Tensor ob = tg::ones({2}, tg::kBool);
  EXPECT_EQ(ob.tolist<bool>(), (std::vector<bool>{true, true}));

  Tensor f = tg::full({2, 2}, 2.5);
  EXPECT_EQ(f.dtype(), tg::kFloat32);
  expect_values(f, {2.5, 2.5, 2.5, 2.5});

  // As torch.full: an integer fill value gives int64, a bool gives bool.
  Tensor fi = tg::full({3}, 7);
  EXPECT_EQ(fi.dtype(), tg::kInt64);
  EXPECT_EQ(fi.tolist<int64_t>(), (std::vector<int64_t>{7, 7, 7}));
  Tensor fb = tg::full({2}, true);
  EXPECT_EQ(fb.dtype(), tg::kBool);
  Tensor fd = tg::full({1}, 7, tg::kFloat64);
  EXPECT_EQ(fd.dtype(), tg::kFloat64);
  EXPECT_EQ(fd.item<double>(), 7.0);

  Tensor e = tg::empty({3, 0, 2});
  EXPECT_EQ(shape_of(e), (Shp{3, 0, 2}));
  EXPECT_EQ(e.numel(), 0);

  Tensor s = tg::zeros({});
  EXPECT_EQ(s.dim(), 0);
  EXPECT_EQ(s.numel(), 1);
  EXPECT_EQ(s.item<float>(), 0.0f);

  Tensor rg = tg::zeros({2}, tg::requires_grad());
  EXPECT_TRUE(rg.requires_grad());
  EXPECT_TRUE(rg.is_leaf());
}

TEST(Factory, LikeFactoriesKeepShapeAndDtype) {
  Tensor base = tg::tensor({{1, 2, 3}, {4, 5, 6}});
  Tensor z = tg::zeros_like(base);
  EXPECT_EQ(shape_of(z), (Shp{2, 3}));
  EXPECT_EQ(z.dtype(), tg::kInt64);
  Tensor o = tg::ones_like(base, tg::kFloat64);
  EXPECT_EQ(o.dtype(), tg::kFloat64);
  expect_values(o, std::vector<double>(6, 1.0));
  Tensor f = tg::full_like(base, 9);
  EXPECT_EQ(f.dtype(), tg::kInt64);
  EXPECT_EQ(f.tolist<int64_t>(), std::vector<int64_t>(6, 9));
  Tensor e = tg::empty_like(base);
  EXPECT_EQ(shape_of(e), (Shp{2, 3}));
  EXPECT_EQ(e.dtype(), tg::kInt64);
  Tensor r = tg::randn_like(tg::zeros({3, 2}, tg::kFloat64));
  EXPECT_EQ(shape_of(r), (Shp{3, 2}));
  EXPECT_EQ(r.dtype(), tg::kFloat64);
  Tensor u = tg::rand_like(tg::zeros({5}));
  EXPECT_EQ(u.dtype(), tg::kFloat32);
}

TEST(Factory, Arange) {
  Tensor a = tg::arange(5);
  EXPECT_EQ(a.dtype(), tg::kInt64);
  EXPECT_EQ(a.tolist<int64_t>(), (std::vector<int64_t>{0, 1, 2, 3, 4}));

  Tensor b = tg::arange(2, 6);
  EXPECT_EQ(b.tolist<int64_t>(), (std::vector<int64_t>{2, 3, 4, 5}));

  Tensor c = tg::arange(0, 1, 0.25);  // a floating argument gives the default dtype
  EXPECT_EQ(c.dtype(), tg::kFloat32);
  expect_values(c, {0.0, 0.25, 0.5, 0.75});

  Tensor d = tg::arange(10, 0, -3);
  EXPECT_EQ(d.tolist<int64_t>(), (std::vector<int64_t>{10, 7, 4, 1}));

  Tensor e = tg::arange(3, tg::kFloat64);
  EXPECT_EQ(e.dtype(), tg::kFloat64);
  expect_values(e, {0, 1, 2});

  Tensor f = tg::arange(4, 4);
  EXPECT_EQ(f.numel(), 0);

  Tensor g = tg::arange(0.5, 2.0, 0.5);  // end excluded
  expect_values(g, {0.5, 1.0, 1.5});

  Tensor h = tg::arange(0, 10, 3);  // ceil(10 / 3) = 4 elements
  EXPECT_EQ(h.tolist<int64_t>(), (std::vector<int64_t>{0, 3, 6, 9}));
}

TEST(Factory, Linspace) {
  Tensor a = tg::linspace(0, 1, 5);
  EXPECT_EQ(a.dtype(), tg::kFloat32);
  EXPECT_EQ(shape_of(a), (Shp{5}));
  expect_values(a, {0.0, 0.25, 0.5, 0.75, 1.0});

  Tensor b = tg::linspace(-1.0, 1.0, 1);
  expect_values(b, {-1.0});

  Tensor c = tg::linspace(0, 1, 0);
  EXPECT_EQ(c.numel(), 0);

  Tensor d = tg::linspace(2.0, -2.0, 3, tg::kFloat64);
  EXPECT_EQ(d.dtype(), tg::kFloat64);
  expect_values(d, {2.0, 0.0, -2.0});

  // Both end points are exact and the spacing is (end - start) / (steps - 1).
  Tensor e = tg::linspace(0.0, 1.0, 11, tg::kFloat64);
  std::vector<double> v = e.tolist<double>();
  EXPECT_EQ(v.front(), 0.0);
  EXPECT_EQ(v.back(), 1.0);
  for (size_t i = 0; i < v.size(); ++i) EXPECT_NEAR(v[i], 0.1 * static_cast<double>(i), 1e-15);
}

TEST(Factory, Eye) {
  Tensor a = tg::eye(3);
  EXPECT_EQ(shape_of(a), (Shp{3, 3}));
  EXPECT_EQ(a.dtype(), tg::kFloat32);
  expect_values(a, {1, 0, 0, 0, 1, 0, 0, 0, 1});

  Tensor b = tg::eye(2, 3, tg::kInt64);
  EXPECT_EQ(b.dtype(), tg::kInt64);
  EXPECT_EQ(b.tolist<int64_t>(), (std::vector<int64_t>{1, 0, 0, 0, 1, 0}));

  Tensor c = tg::eye(3, 2);
  expect_values(c, {1, 0, 0, 1, 0, 0});

  Tensor d = tg::eye(0);
  EXPECT_EQ(shape_of(d), (Shp{0, 0}));
}

// ================================================================================================
// Random numbers
// ================================================================================================

// Note [Storage alignment]: every buffer starts on a 64-byte boundary, so a vectorised kernel
// splits a tensor the same way at every call and gives the same bits for the same input.
TEST(Factory, StorageIsAlignedAndResultsAreReproducible) {
  tg::manual_seed(3);
  std::vector<Tensor> keep;  // live tensors, so that the allocator hands out many addresses
  for (int64_t n = 1; n <= 70; ++n) {
    Tensor t = tg::empty({n});
    EXPECT_EQ(reinterpret_cast<uintptr_t>(t.data_ptr()) % 64, 0u) << n;
    keep.push_back(t);
    Tensor x = tg::randn({n}) * 4;
    Tensor first = tg::sigmoid(x);
    keep.push_back(tg::empty({n % 7 + 1}));
    EXPECT_TRUE(tg::equal(first, tg::sigmoid(x))) << n;
    EXPECT_TRUE(tg::equal(tg::exp(x), tg::exp(x.clone()))) << n;
  }
}

TEST(Random, ManualSeedReproducible) {
  tg::manual_seed(1234);
  Tensor a = tg::randn({50});
  Tensor b = tg::rand({7});
  Tensor c = tg::randint(0, 100, {20});
  tg::manual_seed(1234);
  Tensor a2 = tg::randn({50});
  Tensor b2 = tg::rand({7});
  Tensor c2 = tg::randint(0, 100, {20});
  EXPECT_TRUE(tg::equal(a, a2));
  EXPECT_TRUE(tg::equal(b, b2));
  EXPECT_TRUE(tg::equal(c, c2));

  // Without reseeding, the next draw differs.
  Tensor a3 = tg::randn({50});
  EXPECT_FALSE(tg::equal(a, a3));

  // A different seed gives a different stream.
  tg::manual_seed(4321);
  EXPECT_FALSE(tg::equal(tg::randn({50}), a));
}

TEST(Random, RandnStatistics) {
  tg::manual_seed(7);
  const int64_t n = 200001;  // odd: the Box-Muller pair of the last element is cut in half
  Tensor x = tg::randn({n}, tg::kFloat64);
  EXPECT_EQ(x.dtype(), tg::kFloat64);
  std::vector<double> v = x.tolist<double>();
  double mean = std::accumulate(v.begin(), v.end(), 0.0) / n;
  double var = 0, within1 = 0;
  for (double e : v) {
    var += (e - mean) * (e - mean);
    if (std::fabs(e) < 1) within1 += 1;
    ASSERT_TRUE(std::isfinite(e));
  }
  var /= n - 1;
  // standard errors: mean 1/sqrt(n) ~ 0.0022, variance sqrt(2/n) ~ 0.0032
  EXPECT_NEAR(mean, 0.0, 0.012);
  EXPECT_NEAR(var, 1.0, 0.02);
  EXPECT_NEAR(within1 / n, 0.682689, 0.006);  // P(|Z| < 1) = erf(1/sqrt 2)

  Tensor f = tg::randn({3, 4});
  EXPECT_EQ(f.dtype(), tg::kFloat32);
  EXPECT_EQ(shape_of(f), (Shp{3, 4}));
}

TEST(Random, RandStatistics) {
  tg::manual_seed(11);
  const int64_t n = 200000;
  Tensor x = tg::rand({n});
  EXPECT_EQ(x.dtype(), tg::kFloat32);
  std::vector<double> v = x.tolist<double>();
  double mean = 0, var = 0;
  double mn = 1, mx = 0;
  for (double e : v) {
    mean += e;
    mn = std::min(mn, e);
    mx = std::max(mx, e);
  }
  mean /= n;
  for (double e : v) var += (e - mean) * (e - mean);
  var /= n - 1;
  EXPECT_GE(mn, 0.0);
  EXPECT_LT(mx, 1.0);
  EXPECT_NEAR(mean, 0.5, 0.004);
  EXPECT_NEAR(var, 1.0 / 12.0, 0.002);
  // Each tenth of [0, 1) gets about a tenth of the samples.
  std::vector<int> bins(10, 0);
  for (double e : v) bins[static_cast<size_t>(e * 10)]++;
  for (int b : bins) EXPECT_NEAR(b / static_cast<double>(n), 0.1, 0.005);
}

TEST(Random, Randint) {
  tg::manual_seed(3);
  Tensor x = tg::randint(3, 7, {10000});
  EXPECT_EQ(x.dtype(), tg::kInt64);
  std::vector<int64_t> v = x.tolist<int64_t>();
  std::vector<int> counts(4, 0);
  for (int64_t e : v) {
    ASSERT_GE(e, 3);
    ASSERT_LT(e, 7);
    counts[static_cast<size_t>(e - 3)]++;
  }
  for (int c : counts) EXPECT_NEAR(c, 2500, 250);

  Tensor y = tg::randint(5, {2, 3});
  EXPECT_EQ(shape_of(y), (Shp{2, 3}));
  for (int64_t e : y.tolist<int64_t>()) {
    EXPECT_GE(e, 0);
    EXPECT_LT(e, 5);
  }
  Tensor z = tg::randint(-2, 2, {100}, tg::kFloat32);
  EXPECT_EQ(z.dtype(), tg::kFloat32);
  for (double e : z.tolist<double>()) {
    EXPECT_EQ(e, std::floor(e));
    EXPECT_GE(e, -2);
    EXPECT_LT(e, 2);
  }
}

TEST(Random, Randperm) {
  tg::manual_seed(5);
  Tensor p = tg::randperm(100);
  EXPECT_EQ(p.dtype(), tg::kInt64);
  std::vector<int64_t> v = p.tolist<int64_t>();
  std::set<int64_t> s(v.begin(), v.end());
  EXPECT_EQ(s.size(), 100u);
  EXPECT_EQ(*s.begin(), 0);
  EXPECT_EQ(*s.rbegin(), 99);
  std::vector<int64_t> sorted(100);
  std::iota(sorted.begin(), sorted.end(), 0);
  EXPECT_NE(v, sorted);  // shuffled (the chance of the identity is 1/100!)
}

// ================================================================================================
// Dtypes and promotion
// ================================================================================================

TEST(Dtype, NamesAndSizes) {
  EXPECT_STREQ(tg::dtype_name(tg::kFloat32), "float32");
  EXPECT_STREQ(tg::dtype_name(tg::kFloat64), "float64");
  EXPECT_STREQ(tg::dtype_name(tg::kInt64), "int64");
  EXPECT_STREQ(tg::dtype_name(tg::kBool), "bool");
  EXPECT_EQ(tg::element_size(tg::kFloat32), 4u);
  EXPECT_EQ(tg::element_size(tg::kFloat64), 8u);
  EXPECT_EQ(tg::element_size(tg::kInt64), 8u);
  EXPECT_EQ(tg::element_size(tg::kBool), 1u);
  EXPECT_EQ(tg::zeros({2}, tg::kFloat64).element_size(), 8u);
  EXPECT_TRUE(tg::zeros({1}).is_floating_point());
  EXPECT_FALSE(tg::zeros({1}, tg::kInt64).is_floating_point());
  EXPECT_EQ(tg::kFloat, tg::kFloat32);
  EXPECT_EQ(tg::kDouble, tg::kFloat64);
  EXPECT_EQ(tg::kLong, tg::kInt64);
  EXPECT_EQ(tg::get_default_dtype(), tg::kFloat32);
}

TEST(Dtype, PromoteTypesTable) {
  using tg::kBool;
  using tg::kFloat32;
  using tg::kFloat64;
  using tg::kInt64;
  const tg::ScalarType order[] = {kBool, kInt64, kFloat32, kFloat64};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) EXPECT_EQ(tg::promote_types(order[i], order[j]), order[std::max(i, j)]) << i << j;
}

TEST(Dtype, BinaryOpPromotion) {
  Tensor i = tg::tensor({1, 2});
  Tensor f = tg::tensor({1.0, 2.0});
  Tensor d = tg::tensor({1.0, 2.0}, tg::kFloat64);
  Tensor b = tg::tensor({true, false});
  EXPECT_EQ((i + f).dtype(), tg::kFloat32);
  EXPECT_EQ((f + d).dtype(), tg::kFloat64);
  EXPECT_EQ((d + f).dtype(), tg::kFloat64);
  EXPECT_EQ((b + i).dtype(), tg::kInt64);
  EXPECT_EQ((i * i).dtype(), tg::kInt64);
  EXPECT_EQ((i * b).dtype(), tg::kInt64);
  // True division of integers is floating (default dtype), as in PyTorch.
  Tensor q = tg::tensor({1, 2}) / tg::tensor({2, 4});
  EXPECT_EQ(q.dtype(), tg::kFloat32);
  expect_values(q, {0.5, 0.5});
  expect_values(i + f, {2, 4});
  expect_values(tg::tensor({1, 2}) + tg::tensor({1.5}, tg::kFloat64), {2.5, 3.5});
  EXPECT_EQ((tg::tensor({1, 2}) + tg::tensor({1.5}, tg::kFloat64)).dtype(), tg::kFloat64);
}

TEST(Dtype, ScalarOperandPromotion) {
  Tensor i = tg::tensor({1, 2});
  // A Python-like scalar of a higher category takes the default dtype; otherwise the tensor wins.
  Tensor a = i * 2.5;
  EXPECT_EQ(a.dtype(), tg::kFloat32);
  expect_values(a, {2.5, 5.0});
  Tensor b = i * 2;
  EXPECT_EQ(b.dtype(), tg::kInt64);
  EXPECT_EQ(b.tolist<int64_t>(), (std::vector<int64_t>{2, 4}));
  Tensor c = tg::tensor({1.0}, tg::kFloat64) * 2.5;
  EXPECT_EQ(c.dtype(), tg::kFloat64);
  Tensor d = tg::tensor({1.0f}) + 3;
  EXPECT_EQ(d.dtype(), tg::kFloat32);
  Tensor e = tg::tensor({true}) + 1;
  EXPECT_EQ(e.dtype(), tg::kInt64);
  EXPECT_EQ(e.item<int64_t>(), 2);
  Tensor f = tg::tensor({true}) + 1.5;
  EXPECT_EQ(f.dtype(), tg::kFloat32);
  EXPECT_EQ(f.item<double>(), 2.5);
  Tensor g = 1.5 + i;
  EXPECT_EQ(g.dtype(), tg::kFloat32);
  Tensor h = 10 - i;
  EXPECT_EQ(h.dtype(), tg::kInt64);
  EXPECT_EQ(h.tolist<int64_t>(), (std::vector<int64_t>{9, 8}));
  Tensor k = 1 / tg::tensor({2, 4});
  EXPECT_EQ(k.dtype(), tg::kFloat32);
  expect_values(k, {0.5, 0.25});
}

TEST(Dtype, ZeroDimTensorPromotion) {
  // PyTorch: a zero-dim tensor only changes the result dtype when its category (bool < integer <
  // floating) is higher than the dimensioned operand's; it is then the zero-dim tensor's dtype.
  Tensor f32 = tg::tensor({1.0, 2.0});
  Tensor i64 = tg::tensor({1, 2});
  Tensor z64 = tg::tensor(1.5, tg::kFloat64);
  Tensor z32 = tg::tensor(1.5);
  Tensor zi = tg::tensor(3);
  Tensor zb = tg::tensor(true);

  Tensor r1 = f32 + z64;  // same category: the dimensioned float32 wins
  EXPECT_EQ(r1.dtype(), tg::kFloat32);
  expect_values(r1, {2.5, 3.5});
  EXPECT_EQ((z64 + f32).dtype(), tg::kFloat32);
  Tensor r2 = i64 + z64;  // higher category: float64 from the zero-dim tensor
  EXPECT_EQ(r2.dtype(), tg::kFloat64);
  expect_values(r2, {2.5, 3.5});
  EXPECT_EQ((i64 + z32).dtype(), tg::kFloat32);
  EXPECT_EQ((tg::tensor({true, false}) + zi).dtype(), tg::kInt64);
  EXPECT_EQ((i64 + zb).dtype(), tg::kInt64);
  // Two zero-dim tensors promote normally.
  EXPECT_EQ((tg::tensor(1) + z64).dtype(), tg::kFloat64);
  EXPECT_EQ((z32 + z64).dtype(), tg::kFloat64);
  // A one-element 1-D tensor is dimensioned: it promotes normally.
  EXPECT_EQ((f32 + tg::tensor({1.5}, tg::kFloat64)).dtype(), tg::kFloat64);
}

TEST(Dtype, ComparisonsGiveBool) {
  Tensor a = tg::tensor({1.0, 2.0, 3.0});
  Tensor m = a > 1.5;
  EXPECT_EQ(m.dtype(), tg::kBool);
  EXPECT_EQ(m.tolist<bool>(), (std::vector<bool>{false, true, true}));
  EXPECT_EQ((a == tg::tensor({1, 0, 3})).tolist<bool>(), (std::vector<bool>{true, false, true}));
}

// ================================================================================================
// Shapes, views and strides
// ================================================================================================

TEST(Shape, Metadata) {
  Tensor t = tg::zeros({2, 3, 4});
  EXPECT_EQ(t.dim(), 3);
  EXPECT_EQ(t.ndimension(), 3);
  EXPECT_EQ(t.numel(), 24);
  EXPECT_EQ(shape_of(t), (Shp{2, 3, 4}));
  EXPECT_EQ(strides_of(t), (Shp{12, 4, 1}));
  EXPECT_EQ(t.size(0), 2);
  EXPECT_EQ(t.size(-1), 4);
  EXPECT_EQ(t.size(-3), 2);
  EXPECT_EQ(t.stride(1), 4);
  EXPECT_EQ(t.stride(-1), 1);
  EXPECT_TRUE(t.is_contiguous());
  EXPECT_TRUE(t.defined());
  EXPECT_FALSE(Tensor().defined());
  EXPECT_EQ(tg::to_string(t.sizes()), "[2, 3, 4]");
  EXPECT_EQ(t.options().dtype(), tg::kFloat32);
}

TEST(Shape, ViewSharesStorage) {
  Tensor base = iota_f({2, 3});
  Tensor v = base.view({3, 2});
  EXPECT_EQ(shape_of(v), (Shp{3, 2}));
  EXPECT_EQ(strides_of(v), (Shp{2, 1}));
  EXPECT_EQ(v.data_ptr(), base.data_ptr());
  expect_values(v, {0, 1, 2, 3, 4, 5});
  // Writing through the view changes the base, and the reverse.
  v.data_ptr<float>()[1] = 42.0f;
  EXPECT_EQ(base[0][1].item<float>(), 42.0f);
  base.data_ptr<float>()[5] = -1.0f;
  EXPECT_EQ(v[2][1].item<float>(), -1.0f);
  // Views share the version counter too.
  uint32_t before = base._version();
  v.mul_(2);
  EXPECT_EQ(base._version(), before + 1);
  EXPECT_EQ(v._version(), base._version());
  expect_values(base, {0, 84, 4, 6, 8, -2});

  Tensor w = base.view({-1});
  EXPECT_EQ(shape_of(w), (Shp{6}));
  Tensor x = base.view({2, -1, 1});
  EXPECT_EQ(shape_of(x), (Shp{2, 3, 1}));
  Tensor y = base.view_as(tg::zeros({6, 1}));
  EXPECT_EQ(shape_of(y), (Shp{6, 1}));
}

TEST(Shape, ReshapeViewsWhenContiguousCopiesOtherwise) {
  Tensor base = iota_f({2, 3});
  Tensor r = base.reshape({3, 2});
  EXPECT_EQ(r.data_ptr(), base.data_ptr());
  Tensor same = base.reshape({2, 3});
  EXPECT_TRUE(same.is_same(base) || same.data_ptr() == base.data_ptr());

  Tensor t = base.t();  // [[0, 3], [1, 4], [2, 5]], not contiguous
  Tensor r2 = t.reshape({6});
  expect_values(r2, {0, 3, 1, 4, 2, 5});
  EXPECT_NE(r2.data_ptr(), base.data_ptr());  // had to copy
  EXPECT_TRUE(r2.is_contiguous());

  Tensor r3 = base.reshape({-1, 2});
  EXPECT_EQ(shape_of(r3), (Shp{3, 2}));
  Tensor r4 = tg::reshape(base, {6});
  expect_values(r4, {0, 1, 2, 3, 4, 5});
  Tensor r5 = base.reshape_as(tg::zeros({1, 6}));
  EXPECT_EQ(shape_of(r5), (Shp{1, 6}));

  Tensor s = tg::tensor({5.0}).reshape({});
  EXPECT_EQ(s.dim(), 0);
  EXPECT_EQ(s.item<float>(), 5.0f);

  Tensor e = tg::zeros({0, 3}).reshape({3, 0, 5});
  EXPECT_EQ(shape_of(e), (Shp{3, 0, 5}));
}

TEST(Shape, Flatten) {
  Tensor t = iota_f({2, 3, 4});
  EXPECT_EQ(shape_of(t.flatten()), (Shp{24}));
  EXPECT_EQ(shape_of(t.flatten(1)), (Shp{2, 12}));
  EXPECT_EQ(shape_of(t.flatten(0, 1)), (Shp{6, 4}));
  EXPECT_EQ(shape_of(t.flatten(-2, -1)), (Shp{2, 12}));
  EXPECT_EQ(shape_of(t.flatten(1, 1)), (Shp{2, 3, 4}));
  EXPECT_EQ(shape_of(tg::flatten(t, 0, -2)), (Shp{6, 4}));
  EXPECT_EQ(t.flatten().data_ptr(), t.data_ptr());
  Tensor s = tg::tensor(2.0).flatten();
  EXPECT_EQ(shape_of(s), (Shp{1}));
  // flatten of a transposed tensor reads in its logical order
  expect_values(iota_f({2, 2}).t().flatten(), {0, 2, 1, 3});
}

TEST(Shape, TransposeAndT) {
  Tensor a = tg::tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}});
  Tensor t = a.t();
  EXPECT_EQ(shape_of(t), (Shp{3, 2}));
  EXPECT_EQ(strides_of(t), (Shp{1, 3}));
  EXPECT_FALSE(t.is_contiguous());
  EXPECT_EQ(t.data_ptr(), a.data_ptr());
  expect_values(t, {1, 4, 2, 5, 3, 6});
  EXPECT_EQ(t[2][1].item<float>(), 6.0f);

  Tensor v = tg::tensor({1.0, 2.0});
  EXPECT_EQ(shape_of(v.t()), (Shp{2}));
  EXPECT_EQ(tg::tensor(1.0).t().dim(), 0);

  Tensor x = iota_f({2, 3, 4});
  Tensor y = x.transpose(0, 2);
  EXPECT_EQ(shape_of(y), (Shp{4, 3, 2}));
  EXPECT_EQ(strides_of(y), (Shp{1, 4, 12}));
  // y[i][j][k] = x[k][j][i] = 12k + 4j + i
  EXPECT_EQ(y[3][2][1].item<float>(), 12.0f * 1 + 4 * 2 + 3);
  Tensor z = tg::transpose(x, -1, -2);
  EXPECT_EQ(shape_of(z), (Shp{2, 4, 3}));
  EXPECT_EQ(z[1][3][2].item<float>(), 12.0f * 1 + 4 * 2 + 3);
  EXPECT_EQ(shape_of(x.transpose(1, 1)), (Shp{2, 3, 4}));
}

TEST(Shape, Permute) {
  Tensor x = iota_f({2, 3, 4});
  Tensor p = x.permute({2, 0, 1});
  EXPECT_EQ(shape_of(p), (Shp{4, 2, 3}));
  EXPECT_EQ(strides_of(p), (Shp{1, 12, 4}));
  EXPECT_EQ(p.data_ptr(), x.data_ptr());
  // p[a][b][c] = x[b][c][a] = 12b + 4c + a
  for (int64_t a = 0; a < 4; ++a)
    for (int64_t b = 0; b < 2; ++b)
      for (int64_t c = 0; c < 3; ++c) EXPECT_EQ(p[a][b][c].item<float>(), static_cast<float>(12 * b + 4 * c + a));
  Tensor q = tg::permute(x, {-1, -3, -2});
  EXPECT_EQ(shape_of(q), (Shp{4, 2, 3}));
  Tensor back = p.permute({1, 2, 0});
  EXPECT_TRUE(back.is_contiguous());
  EXPECT_TRUE(tg::equal(back, x));
}

TEST(Shape, UnsqueezeSqueeze) {
  Tensor x = iota_f({2, 3});
  Tensor a = x.unsqueeze(0);
  EXPECT_EQ(shape_of(a), (Shp{1, 2, 3}));
  Tensor b = x.unsqueeze(1);
  EXPECT_EQ(shape_of(b), (Shp{2, 1, 3}));
  Tensor c = x.unsqueeze(-1);
  EXPECT_EQ(shape_of(c), (Shp{2, 3, 1}));
  Tensor d = tg::unsqueeze(x, -3);
  EXPECT_EQ(shape_of(d), (Shp{1, 2, 3}));
  EXPECT_EQ(c.data_ptr(), x.data_ptr());
  expect_values(c, {0, 1, 2, 3, 4, 5});
  EXPECT_EQ(shape_of(tg::tensor(1.0).unsqueeze(0)), (Shp{1}));

  Tensor s = tg::zeros({1, 2, 1, 3, 1});
  EXPECT_EQ(shape_of(s.squeeze()), (Shp{2, 3}));
  EXPECT_EQ(shape_of(s.squeeze(0)), (Shp{2, 1, 3, 1}));
  EXPECT_EQ(shape_of(s.squeeze(2)), (Shp{1, 2, 3, 1}));
  EXPECT_EQ(shape_of(s.squeeze(-1)), (Shp{1, 2, 1, 3}));
  EXPECT_EQ(shape_of(s.squeeze(1)), (Shp{1, 2, 1, 3, 1}));  // size != 1: unchanged
  EXPECT_EQ(shape_of(tg::squeeze(tg::zeros({1, 1}))), (Shp{}));
  EXPECT_EQ(shape_of(tg::squeeze(s, 4)), (Shp{1, 2, 1, 3}));
  // squeeze of a transposed tensor keeps its strides
  Tensor t = iota_f({3, 1, 2}).permute({2, 1, 0});  // [2, 1, 3]
  Tensor ts = t.squeeze(1);
  EXPECT_EQ(shape_of(ts), (Shp{2, 3}));
  expect_values(ts, {0, 2, 4, 1, 3, 5});
}

TEST(Shape, SelectAndIndex) {
  Tensor x = iota_f({3, 4});
  Tensor r = x.select(0, 1);
  EXPECT_EQ(shape_of(r), (Shp{4}));
  expect_values(r, {4, 5, 6, 7});
  EXPECT_EQ(r.data_ptr<float>(), x.data_ptr<float>() + 4);
  Tensor c = x.select(1, 2);
  expect_values(c, {2, 6, 10});
  EXPECT_EQ(strides_of(c), (Shp{4}));
  expect_values(x.select(-1, -1), {3, 7, 11});
  expect_values(tg::select(x, 0, -3), {0, 1, 2, 3});
  expect_values(x[2], {8, 9, 10, 11});
  EXPECT_EQ(x[1][3].item<float>(), 7.0f);
  EXPECT_EQ(x[-1][-2].item<float>(), 10.0f);
  EXPECT_EQ(x[1][3].dim(), 0);
  // Writing through a selected row changes the base.
  x[0].fill_(-1);
  expect_values(x, {-1, -1, -1, -1, 4, 5, 6, 7, 8, 9, 10, 11});
  x.select(1, 0).zero_();
  expect_values(x, {0, -1, -1, -1, 0, 5, 6, 7, 0, 9, 10, 11});
}

TEST(Shape, Narrow) {
  Tensor x = iota_f({3, 4});
  Tensor n = x.narrow(1, 1, 2);
  EXPECT_EQ(shape_of(n), (Shp{3, 2}));
  EXPECT_EQ(strides_of(n), (Shp{4, 1}));
  EXPECT_FALSE(n.is_contiguous());
  expect_values(n, {1, 2, 5, 6, 9, 10});
  EXPECT_EQ(n.data_ptr<float>(), x.data_ptr<float>() + 1);
  Tensor m = x.narrow(0, -2, 2);  // negative start counts from the end
  expect_values(m, {4, 5, 6, 7, 8, 9, 10, 11});
  EXPECT_TRUE(m.is_contiguous());
  Tensor e = tg::narrow(x, 1, 4, 0);  // empty slice at the end is allowed
  EXPECT_EQ(shape_of(e), (Shp{3, 0}));
  n.fill_(0);
  expect_values(x, {0, 0, 0, 3, 4, 0, 0, 7, 8, 0, 0, 11});
}

TEST(Shape, Expand) {
  Tensor c = tg::tensor({{1.0}, {2.0}, {3.0}});  // [3, 1]
  Tensor e = c.expand({3, 4});
  EXPECT_EQ(shape_of(e), (Shp{3, 4}));
  EXPECT_EQ(strides_of(e), (Shp{1, 0}));
  EXPECT_EQ(e.data_ptr(), c.data_ptr());
  expect_values(e, {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3});
  Tensor f = c.expand({2, 3, 2});
  EXPECT_EQ(shape_of(f), (Shp{2, 3, 2}));
  EXPECT_EQ(strides_of(f), (Shp{0, 1, 0}));
  expect_values(f, {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3});
  Tensor g = c.expand({-1, 2});
  EXPECT_EQ(shape_of(g), (Shp{3, 2}));
  Tensor h = tg::tensor(5.0).expand({2, 2});
  expect_values(h, {5, 5, 5, 5});
  Tensor k = c.expand_as(tg::zeros({3, 5}));
  EXPECT_EQ(shape_of(k), (Shp{3, 5}));
  EXPECT_FALSE(e.is_contiguous());
  Tensor ec = e.contiguous();
  EXPECT_TRUE(ec.is_contiguous());
  EXPECT_EQ(strides_of(ec), (Shp{4, 1}));
  expect_values(ec, {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3});
}

TEST(Shape, ContiguousAndClone) {
  Tensor x = iota_f({2, 3});
  Tensor same = x.contiguous();
  EXPECT_TRUE(same.is_same(x));  // already contiguous: the tensor itself

  Tensor t = x.t();
  Tensor tc = t.contiguous();
  EXPECT_TRUE(tc.is_contiguous());
  EXPECT_EQ(strides_of(tc), (Shp{2, 1}));
  EXPECT_NE(tc.data_ptr(), x.data_ptr());
  expect_values(tc, {0, 3, 1, 4, 2, 5});

  Tensor cl = x.clone();
  EXPECT_NE(cl.data_ptr(), x.data_ptr());
  EXPECT_TRUE(tg::equal(cl, x));
  cl.fill_(9);
  expect_values(x, {0, 1, 2, 3, 4, 5});  // the original is untouched
  Tensor tcl = t.clone();
  EXPECT_TRUE(tcl.is_contiguous());
  expect_values(tcl, {0, 3, 1, 4, 2, 5});
  Tensor icl = tg::tensor({1, 2}).clone();
  EXPECT_EQ(icl.dtype(), tg::kInt64);
}

TEST(Shape, Cat) {
  Tensor a = tg::tensor({{1.0, 2.0}, {3.0, 4.0}});
  Tensor b = tg::tensor({{5.0, 6.0}});
  Tensor c0 = tg::cat({a, b});
  EXPECT_EQ(shape_of(c0), (Shp{3, 2}));
  expect_values(c0, {1, 2, 3, 4, 5, 6});

  Tensor d = tg::tensor({{7.0}, {8.0}});
  Tensor c1 = tg::cat({a, d}, 1);
  EXPECT_EQ(shape_of(c1), (Shp{2, 3}));
  expect_values(c1, {1, 2, 7, 3, 4, 8});
  Tensor cm = tg::cat({d, a, d}, -1);
  expect_values(cm, {7, 1, 2, 7, 8, 3, 4, 8});

  // dtypes promote; non-contiguous inputs are read in logical order
  Tensor ci = tg::cat({tg::tensor({1, 2}), tg::tensor({0.5}, tg::kFloat64)});
  EXPECT_EQ(ci.dtype(), tg::kFloat64);
  expect_values(ci, {1, 2, 0.5});
  Tensor ct = tg::cat({a.t(), a}, 0);
  expect_values(ct, {1, 3, 2, 4, 1, 2, 3, 4});

  Tensor single = tg::cat({a});
  expect_values(single, {1, 2, 3, 4});
  EXPECT_NE(single.data_ptr(), a.data_ptr());  // a new tensor
  Tensor with_empty = tg::cat({a, tg::zeros({0, 2})});
  EXPECT_EQ(shape_of(with_empty), (Shp{2, 2}));
}

TEST(Shape, Stack) {
  Tensor a = tg::tensor({1.0, 2.0, 3.0});
  Tensor b = tg::tensor({4.0, 5.0, 6.0});
  Tensor s0 = tg::stack({a, b});
  EXPECT_EQ(shape_of(s0), (Shp{2, 3}));
  expect_values(s0, {1, 2, 3, 4, 5, 6});
  Tensor s1 = tg::stack({a, b}, 1);
  EXPECT_EQ(shape_of(s1), (Shp{3, 2}));
  expect_values(s1, {1, 4, 2, 5, 3, 6});
  Tensor sm = tg::stack({a, b, a}, -1);
  EXPECT_EQ(shape_of(sm), (Shp{3, 3}));
  expect_values(sm, {1, 4, 1, 2, 5, 2, 3, 6, 3});
  Tensor ss = tg::stack({tg::tensor(1.0), tg::tensor(2.0)});
  EXPECT_EQ(shape_of(ss), (Shp{2}));
  expect_values(ss, {1, 2});
}

TEST(Shape, ZeroDimTensors) {
  Tensor s = tg::tensor(4.0);
  EXPECT_EQ(s.dim(), 0);
  EXPECT_EQ(s.numel(), 1);
  EXPECT_TRUE(s.sizes().empty());
  EXPECT_TRUE(s.is_contiguous());
  EXPECT_EQ(shape_of(s.reshape({1, 1})), (Shp{1, 1}));
  EXPECT_EQ(shape_of(s.unsqueeze(-1)), (Shp{1}));
  EXPECT_EQ(s.sum().item<float>(), 4.0f);
}

// ================================================================================================
// Element access and conversion
// ================================================================================================

TEST(Access, Item) {
  EXPECT_EQ(tg::tensor(2.75).item<float>(), 2.75f);
  EXPECT_EQ(tg::tensor(2.75).item<double>(), 2.75);
  EXPECT_EQ(tg::tensor(2.75).item<int64_t>(), 2);
  EXPECT_EQ(tg::tensor(-3).item<int>(), -3);
  EXPECT_EQ(tg::tensor({9}).item<int64_t>(), 9);  // one element, any shape
  EXPECT_EQ(tg::ones({1, 1, 1}).item<float>(), 1.0f);
  EXPECT_TRUE(tg::tensor(1.0).item<bool>());
  EXPECT_FALSE(tg::tensor(0.0).item<bool>());

  tg::Scalar s = tg::tensor(1.5).item();
  EXPECT_TRUE(s.is_floating_point());
  EXPECT_EQ(s.to<double>(), 1.5);
  tg::Scalar si = tg::tensor(int64_t{-4}).item();
  EXPECT_TRUE(si.is_integral());
  EXPECT_EQ(si.to<int64_t>(), -4);
  tg::Scalar sb = tg::tensor(true).item();
  EXPECT_TRUE(sb.is_bool());
  EXPECT_TRUE(sb.to<bool>());
  // item of a view reads the viewed element
  Tensor x = iota_f({3, 3});
  EXPECT_EQ(x.t()[0][2].item<float>(), 6.0f);
}

TEST(Access, DataPtr) {
  Tensor f = tg::tensor({1.0, 2.0});
  float* p = f.data_ptr<float>();
  EXPECT_EQ(static_cast<void*>(p), f.data_ptr());
  EXPECT_EQ(p[1], 2.0f);
  p[0] = 10.0f;
  EXPECT_EQ(f[0].item<float>(), 10.0f);
  Tensor d = tg::tensor({1.0}, tg::kFloat64);
  EXPECT_EQ(*d.data_ptr<double>(), 1.0);
  Tensor l = tg::tensor({3, 4});
  EXPECT_EQ(l.data_ptr<int64_t>()[1], 4);
  Tensor b = tg::tensor({false, true});
  EXPECT_TRUE(b.data_ptr<bool>()[1]);
  // the data pointer of a view is the address of its first element
  Tensor x = iota_f({2, 3});
  EXPECT_EQ(x[1].data_ptr<float>(), x.data_ptr<float>() + 3);
  EXPECT_EQ(*x.narrow(1, 2, 1).data_ptr<float>(), 2.0f);
}

TEST(Access, ToDtype) {
  Tensor f = tg::tensor({1.5, -2.5, 0.0});
  Tensor d = f.to(tg::kFloat64);
  EXPECT_EQ(d.dtype(), tg::kFloat64);
  expect_values(d, {1.5, -2.5, 0.0});
  Tensor i = f.to(tg::kInt64);
  EXPECT_EQ(i.tolist<int64_t>(), (std::vector<int64_t>{1, -2, 0}));
  Tensor b = f.to(tg::kBool);
  EXPECT_EQ(b.tolist<bool>(), (std::vector<bool>{true, true, false}));
  EXPECT_TRUE(f.to(tg::kFloat32).is_same(f));  // same dtype, no copy
  Tensor copy = f.to(tg::kFloat32, false, true);
  EXPECT_FALSE(copy.is_same(f));
  EXPECT_NE(copy.data_ptr(), f.data_ptr());
  EXPECT_EQ(f.to(tg::TensorOptions().dtype(tg::kFloat64)).dtype(), tg::kFloat64);
  EXPECT_EQ(f.to_double().dtype(), tg::kFloat64);
  EXPECT_EQ(d.to_float().dtype(), tg::kFloat32);
  EXPECT_EQ(f.toType(tg::kInt64).dtype(), tg::kInt64);
  // to() of a view converts its logical elements
  expect_values(iota_f({2, 2}).t().to(tg::kFloat64), {0, 2, 1, 3});
  EXPECT_TRUE(iota_f({2, 2}).t().to(tg::kFloat64).is_contiguous());
  // 0.1 rounds to float32 on the way down
  EXPECT_EQ(tg::tensor({0.1}, tg::kFloat64).to(tg::kFloat32).item<double>(), static_cast<double>(0.1f));
}

TEST(Access, Tolist) {
  Tensor x = tg::tensor({{1, 2, 3}, {4, 5, 6}});
  EXPECT_EQ(x.tolist<int64_t>(), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(x.tolist<double>(), (std::vector<double>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(x.t().tolist<int64_t>(), (std::vector<int64_t>{1, 4, 2, 5, 3, 6}));
  EXPECT_EQ(x.select(1, 1).tolist<float>(), (std::vector<float>{2, 5}));
  EXPECT_EQ(tg::tensor(3.0).tolist<double>(), (std::vector<double>{3.0}));
  EXPECT_TRUE(tg::zeros({0}).tolist<float>().empty());
}

// ================================================================================================
// Printing (expected strings are PyTorch 1.13's str() of the same tensors)
// ================================================================================================

TEST(Print, FloatMatrix) {
  // torch.tensor([[1.0, 2.5], [-3.25, 4.0]])
  EXPECT_EQ(str(tg::tensor({{1.0, 2.5}, {-3.25, 4.0}})),
            "tensor([[ 1.0000,  2.5000],\n        [-3.2500,  4.0000]])");
}

TEST(Print, IntegerValuedFloats) {
  EXPECT_EQ(str(tg::tensor({1.0, 2.0, 3.0})), "tensor([1., 2., 3.])");
  EXPECT_EQ(str(tg::tensor({{1.0, -2.0}, {30.0, 4.0}})), "tensor([[ 1., -2.],\n        [30.,  4.]])");
  EXPECT_EQ(str(tg::tensor({0.0, 100.0})), "tensor([  0., 100.])");
  EXPECT_EQ(str(tg::tensor({-0.0, 1.0})), "tensor([-0., 1.])");
}

TEST(Print, Integers) {
  EXPECT_EQ(str(tg::tensor({1, -20, 300})), "tensor([  1, -20, 300])");
  EXPECT_EQ(str(tg::tensor({{1, 2}, {3, 40}})), "tensor([[ 1,  2],\n        [ 3, 40]])");
  EXPECT_EQ(str(tg::tensor({-1, 0, 5})), "tensor([-1,  0,  5])");
  EXPECT_EQ(str(tg::zeros({3}, tg::kInt64)), "tensor([0, 0, 0])");
}

TEST(Print, Bools) {
  EXPECT_EQ(str(tg::tensor({true, false, true})), "tensor([ True, False,  True])");
  EXPECT_EQ(str(tg::tensor({{true}, {false}})), "tensor([[ True],\n        [False]])");
}

TEST(Print, Scalars) {
  EXPECT_EQ(str(tg::tensor(3.5)), "tensor(3.5000)");
  EXPECT_EQ(str(tg::tensor(7)), "tensor(7)");
  EXPECT_EQ(str(tg::tensor(true)), "tensor(True)");
  EXPECT_EQ(str(tg::tensor(0.5, tg::kFloat64)), "tensor(0.5000, dtype=torch.float64)");
  EXPECT_EQ(str(tg::tensor({1.5})), "tensor([1.5000])");
}

TEST(Print, Float64AndRequiresGrad) {
  EXPECT_EQ(str(tg::tensor({1.5, 2.0}, tg::kFloat64)), "tensor([1.5000, 2.0000], dtype=torch.float64)");
  EXPECT_EQ(str(tg::tensor({1.0, 2.0}, tg::requires_grad())), "tensor([1., 2.], requires_grad=True)");
  EXPECT_EQ(str(tg::tensor({1.0, 2.0}, tg::TensorOptions().dtype(tg::kFloat64).requires_grad(true))),
            "tensor([1., 2.], dtype=torch.float64, requires_grad=True)");
  EXPECT_EQ(str(tg::tensor({{1.0}}, tg::requires_grad())), "tensor([[1.]], requires_grad=True)");
}

TEST(Print, GradFn) {
  // as libtorch prints them: x * 2 is mul with a scalar operand (MulBackward1)
  Tensor x = tg::tensor({1.0, 2.0}, tg::requires_grad());
  Tensor y = x * 2;
  EXPECT_EQ(str(y), "tensor([2., 4.], grad_fn=<MulBackward1>)");
  Tensor s = y.sum();
  EXPECT_EQ(str(s), "tensor(6., grad_fn=<SumBackward0>)");
}

TEST(Print, ScientificNotation) {
  EXPECT_EQ(str(tg::tensor({1e-5, 1.0})), "tensor([1.0000e-05, 1.0000e+00])");
  EXPECT_EQ(str(tg::tensor({1.0, 1e9})), "tensor([1.0000e+00, 1.0000e+09])");
  EXPECT_EQ(str(tg::tensor({0.001, 2.0})), "tensor([1.0000e-03, 2.0000e+00])");
  EXPECT_EQ(str(tg::tensor({123456.0, 0.5})), "tensor([1.2346e+05, 5.0000e-01])");
  // integer-valued floats switch to scientific notation too when max / min > 1000
  EXPECT_EQ(str(tg::tensor({1e8, 1.0})), "tensor([1.0000e+08, 1.0000e+00])");
}

TEST(Print, MoreCases) {
  EXPECT_EQ(str(tg::zeros({3})), "tensor([0., 0., 0.])");
  EXPECT_EQ(str(tg::tensor(NAN)), "tensor(nan)");
  EXPECT_EQ(str(tg::tensor(-1e-5)), "tensor(-1.0000e-05)");
  EXPECT_EQ(str(tg::tensor({-1e-5, 1e5})), "tensor([-1.0000e-05,  1.0000e+05])");
  EXPECT_EQ(str(tg::tensor({{1e-3, 1.0}, {2.0, 3.0}}, tg::kFloat64)),
            "tensor([[1.0000e-03, 1.0000e+00],\n        [2.0000e+00, 3.0000e+00]], dtype=torch.float64)");
}

TEST(Print, NonFinite) {
  EXPECT_EQ(str(tg::tensor({NAN, INFINITY, -INFINITY, 1.5})), "tensor([   nan,    inf,   -inf, 1.5000])");
  EXPECT_EQ(str(tg::tensor({NAN, 2.0})), "tensor([nan, 2.])");
  EXPECT_EQ(str(tg::tensor({NAN, 1.0})), "tensor([nan, 1.])");
  EXPECT_EQ(str(tg::tensor({INFINITY, -INFINITY, 1.0})), "tensor([inf, -inf, 1.])");
}

TEST(Print, MixedWidths) {
  EXPECT_EQ(str(tg::tensor({{0.1, -0.2, 0.333333}, {10.5, 2, 3}})),
            "tensor([[ 0.1000, -0.2000,  0.3333],\n        [10.5000,  2.0000,  3.0000]])");
  EXPECT_EQ(str(tg::tensor({{0.0, 0.5}, {100.0, 0.0}})),
            "tensor([[  0.0000,   0.5000],\n        [100.0000,   0.0000]])");
  EXPECT_EQ(str(tg::tensor({0.0, -1.5})), "tensor([ 0.0000, -1.5000])");
  // torch.arange(12.).reshape(3, 4) / 7
  EXPECT_EQ(str(iota_f({3, 4}) / 7),
            "tensor([[0.0000, 0.1429, 0.2857, 0.4286],\n        [0.5714, 0.7143, 0.8571, 1.0000],\n"
            "        [1.1429, 1.2857, 1.4286, 1.5714]])");
}

TEST(Print, HigherDims) {
  EXPECT_EQ(str(tg::zeros({2, 2, 2})),
            "tensor([[[0., 0.],\n         [0., 0.]],\n\n        [[0., 0.],\n         [0., 0.]]])");
  EXPECT_EQ(str(iota_f({2, 2, 2})),
            "tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]])");
  EXPECT_EQ(str(tg::arange(24).reshape({2, 3, 4})),
            "tensor([[[ 0,  1,  2,  3],\n         [ 4,  5,  6,  7],\n         [ 8,  9, 10, 11]],\n\n"
            "        [[12, 13, 14, 15],\n         [16, 17, 18, 19],\n         [20, 21, 22, 23]]])");
  EXPECT_EQ(str(tg::ones({2, 1, 3})), "tensor([[[1., 1., 1.]],\n\n        [[1., 1., 1.]]])");
  // a transposed (non-contiguous) tensor prints in its logical order
  EXPECT_EQ(str(tg::tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}).t()),
            "tensor([[1., 4.],\n        [2., 5.],\n        [3., 6.]])");
}

TEST(Print, Empty) {
  EXPECT_EQ(str(tg::tensor({})), "tensor([])");
  EXPECT_EQ(str(tg::zeros({0})), "tensor([])");
  EXPECT_EQ(str(tg::zeros({2, 0})), "tensor([], size=(2, 0))");
  EXPECT_EQ(str(tg::zeros({0, 3})), "tensor([], size=(0, 3))");
  EXPECT_EQ(str(tg::zeros({0}, tg::kFloat64)), "tensor([], dtype=torch.float64)");
  EXPECT_EQ(str(tg::zeros({2, 0}, tg::kFloat64)), "tensor([], size=(2, 0), dtype=torch.float64)");
}

TEST(Print, LineWrapping) {
  // torch.arange(30.)
  EXPECT_EQ(str(iota_f({30})),
            "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n"
            "        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n"
            "        28., 29.])");
}

TEST(Print, Summarized) {
  EXPECT_EQ(str(tg::arange(2000)), "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])");
  EXPECT_EQ(str(tg::arange(1001)), "tensor([   0,    1,    2,  ...,  998,  999, 1000])");
  EXPECT_EQ(str(tg::arange(2000).reshape({2, 1000})),
            "tensor([[   0,    1,    2,  ...,  997,  998,  999],\n"
            "        [1000, 1001, 1002,  ..., 1997, 1998, 1999]])");
  std::vector<bool> bools;
  for (int i = 0; i < 600; ++i) {
    bools.push_back(true);
    bools.push_back(false);
  }
  Tensor b = tg::tensor(std::vector<int64_t>(bools.begin(), bools.end())).to(tg::kBool);
  EXPECT_EQ(str(b), "tensor([ True, False,  True,  ..., False,  True, False])");
  // torch.arange(2000.)
  EXPECT_EQ(str(iota_f({2000})),
            "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
            "        1.9990e+03])");
  // torch.arange(1200.).reshape(40, 30)
  EXPECT_EQ(str(iota_f({40, 30})),
            "tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 2.7000e+01, 2.8000e+01,\n"
            "         2.9000e+01],\n"
            "        [3.0000e+01, 3.1000e+01, 3.2000e+01,  ..., 5.7000e+01, 5.8000e+01,\n"
            "         5.9000e+01],\n"
            "        [6.0000e+01, 6.1000e+01, 6.2000e+01,  ..., 8.7000e+01, 8.8000e+01,\n"
            "         8.9000e+01],\n"
            "        ...,\n"
            "        [1.1100e+03, 1.1110e+03, 1.1120e+03,  ..., 1.1370e+03, 1.1380e+03,\n"
            "         1.1390e+03],\n"
            "        [1.1400e+03, 1.1410e+03, 1.1420e+03,  ..., 1.1670e+03, 1.1680e+03,\n"
            "         1.1690e+03],\n"
            "        [1.1700e+03, 1.1710e+03, 1.1720e+03,  ..., 1.1970e+03, 1.1980e+03,\n"
            "         1.1990e+03]])");
}

TEST(Print, Summarized3d) {
  // torch.arange(2000.).reshape(10, 10, 20): the first block and the "...," between blocks
  std::string s = str(iota_f({10, 10, 20}));
  const std::string head =
      "tensor([[[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.7000e+01,\n"
      "          1.8000e+01, 1.9000e+01],\n"
      "         [2.0000e+01, 2.1000e+01, 2.2000e+01,  ..., 3.7000e+01,\n"
      "          3.8000e+01, 3.9000e+01],\n"
      "         [4.0000e+01, 4.1000e+01, 4.2000e+01,  ..., 5.7000e+01,\n"
      "          5.8000e+01, 5.9000e+01],\n"
      "         ...,\n"
      "         [1.4000e+02, 1.4100e+02, 1.4200e+02,  ..., 1.5700e+02,\n"
      "          1.5800e+02, 1.5900e+02],\n";
  EXPECT_EQ(s.substr(0, head.size()), head);
  EXPECT_NE(s.find("          5.9800e+02, 5.9900e+02]],\n\n        ...,\n\n        [[1.4000e+03, 1.4010e+03"),
            std::string::npos)
      << s;
  const std::string tail =
      "         [1.9800e+03, 1.9810e+03, 1.9820e+03,  ..., 1.9970e+03,\n"
      "          1.9980e+03, 1.9990e+03]]])";
  ASSERT_GE(s.size(), tail.size());
  EXPECT_EQ(s.substr(s.size() - tail.size()), tail);
}

TEST(Print, FmtFormatAndToString) {
  Tensor t = tg::tensor({{1.0, 2.5}, {-3.25, 4.0}});
  const std::string expected = "tensor([[ 1.0000,  2.5000],\n        [-3.2500,  4.0000]])";
  EXPECT_EQ(fmt::format("{}", t), expected);
  EXPECT_EQ(t.toString(), expected);
  EXPECT_EQ(fmt::format("x = {}", tg::tensor(7)), "x = tensor(7)");
  EXPECT_EQ(str(Tensor()), "[ Tensor (undefined) ]");
}

}  // namespace
