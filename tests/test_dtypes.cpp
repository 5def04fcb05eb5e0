// Every dtype: uint8, int8, int16, int32, int64, bool, float16, bfloat16, float32, float64.
// Promotion, rounding, conversion and op results are compared with PyTorch's, from
// tests/fixtures/dtypes_reference.txt (written by tests/gen_fixtures_dtypes.py).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.h"

using tg_test::expect_error;
using tg_test::vals;
using Parts = std::vector<std::string>;

namespace {

const char* const kFixtureFile = TG_FIXTURE_DIR "/dtypes_reference.txt";

const std::vector<tg::ScalarType>& all_dtypes() {
  static const std::vector<tg::ScalarType> v{tg::kFloat32, tg::kFloat64, tg::kInt64,   tg::kBool,    tg::kUInt8,
                                             tg::kInt8,    tg::kInt16,   tg::kInt32,   tg::kFloat16, tg::kBFloat16};
  return v;
}

tg::ScalarType dtype_named(const std::string& name) {
  for (auto t : all_dtypes())
    if (name == tg::dtype_name(t)) return t;
  throw std::runtime_error("unknown dtype name " + name);
}

std::vector<std::vector<std::string>> records(const std::string& kind) {
  std::ifstream in(kFixtureFile);
  if (!in) throw std::runtime_error(std::string("cannot open ") + kFixtureFile);
  std::vector<std::vector<std::string>> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    std::vector<std::string> toks;
    for (std::string t; ss >> t;) toks.push_back(t);
    if (toks.front() == kind) out.push_back(toks);
  }
  return out;
}

double num(const std::string& s) { return std::strtod(s.c_str(), nullptr); }

// A 0-dim tensor of `dtype` holding v (an integer value for the integer dtypes).
tg::Tensor scalar_of(double v, tg::ScalarType dtype) {
  if (tg::is_integral(dtype)) return tg::full({}, static_cast<int64_t>(v), tg::dtype(dtype));
  if (dtype == tg::kBool) return tg::full({}, v != 0.0, tg::dtype(tg::kBool));
  return tg::full({}, v, tg::dtype(tg::kFloat64)).to(dtype);
}

bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

// The ops of gen_fixtures_dtypes.py's OPS, as tensorgrad spells them.
using Op = std::function<tg::Tensor(const std::vector<tg::Tensor>&)>;
const std::map<std::string, Op>& ops() {
  namespace F = tg::nn::functional;
  static const std::map<std::string, Op> m{
      {"add", [](const auto& x) { return x[0] + x[1]; }},
      {"sub", [](const auto& x) { return x[0] - x[1]; }},
      {"mul", [](const auto& x) { return x[0] * x[1]; }},
      {"div", [](const auto& x) { return x[0] / x[1]; }},
      {"add_scalar", [](const auto& x) { return x[0] + 3; }},
      {"mul_float_scalar", [](const auto& x) { return x[0] * 1.5; }},
      {"neg", [](const auto& x) { return -x[0]; }},
      {"abs", [](const auto& x) { return x[0].abs(); }},
      {"gt", [](const auto& x) { return x[0] > x[1]; }},
      {"maximum", [](const auto& x) { return tg::maximum(x[0], x[1]); }},
      {"sum", [](const auto& x) { return x[0].sum(); }},
      {"sum_dim", [](const auto& x) { return x[0].sum(1); }},
      {"mean", [](const auto& x) { return x[0].mean(); }},
      {"max", [](const auto& x) { return x[0].max(); }},
      {"argmax", [](const auto& x) { return x[0].argmax(1); }},
      {"matmul", [](const auto& x) { return x[0].matmul(x[1].t()); }},
      {"exp", [](const auto& x) { return x[0].exp(); }},
      {"sigmoid", [](const auto& x) { return x[0].sigmoid(); }},
      {"tanh", [](const auto& x) { return x[0].tanh(); }},
      {"relu", [](const auto& x) { return F::relu(x[0]); }},
      {"elu", [](const auto& x) { return F::elu(x[0], F::ELUFuncOptions().alpha(0.42)); }},
      {"gelu", [](const auto& x) { return F::gelu(x[0]); }},
      {"silu", [](const auto& x) { return F::silu(x[0]); }},
      {"leaky_relu", [](const auto& x) { return F::leaky_relu(x[0], F::LeakyReLUFuncOptions().negative_slope(0.3)); }},
      {"softplus", [](const auto& x) { return F::softplus(x[0]); }},
      {"softmax", [](const auto& x) { return F::softmax(x[0], F::SoftmaxFuncOptions(1)); }},
      {"log_softmax", [](const auto& x) { return F::log_softmax(x[0], F::LogSoftmaxFuncOptions(1)); }},
      {"isfinite", [](const auto& x) { return tg::isfinite(x[0]); }},
      {"to_float32", [](const auto& x) { return x[0].to(tg::kFloat32); }},
  };
  return m;
}

// Ops whose float16 / bfloat16 result goes through a transcendental function (exp, tanh, erf,
// log1p) or a floating-point sum: tensorgrad's float32 value may differ from PyTorch's in the
// last float32 bits (other exp / erf implementations, another summation order), and rounding to
// 16 bits turns such a difference into one unit of the 16-bit type when the float32 values
// straddle a rounding boundary. For these, one unit in the last place of the 16-bit type is
// allowed; every other op must match exactly.
const std::set<std::string> kTranscendental{"exp",  "sigmoid", "tanh",    "elu",         "gelu", "silu",
                                            "softplus", "softmax", "log_softmax", "sum", "sum_dim", "mean"};

double ulp16(tg::ScalarType t, double v) {
  const int mantissa_bits = t == tg::kBFloat16 ? 7 : 10;
  const double a = std::fabs(v);
  if (a == 0.0) return 0.0;
  return std::ldexp(1.0, std::ilogb(a) - mantissa_bits);
}

}  // namespace

// ---- names ---------------------------------------------------------------------------------

TEST(Dtypes, NamesSizesAndLibtorchSpellings) {
  EXPECT_STREQ(tg::dtype_name(tg::kInt), "int32");
  EXPECT_STREQ(tg::dtype_name(tg::kHalf), "float16");
  EXPECT_STREQ(tg::dtype_name(tg::kBFloat16), "bfloat16");
  EXPECT_STREQ(tg::dtype_name(tg::kInt8), "int8");
  EXPECT_STREQ(tg::dtype_name(tg::kUInt8), "uint8");
  EXPECT_STREQ(tg::dtype_name(tg::kInt16), "int16");
  EXPECT_STREQ(tg::toString(tg::kBFloat16), "BFloat16");
  EXPECT_STREQ(tg::toString(tg::kByte), "Byte");
  std::ostringstream os;
  os << tg::kInt << "," << tg::kInt8 << "," << tg::kHalf;  // as libtorch prints a dtype
  EXPECT_EQ(os.str(), "int,signed char,c10::Half");
  EXPECT_EQ(tg::element_size(tg::kHalf), 2u);
  EXPECT_EQ(tg::element_size(tg::kBFloat16), 2u);
  EXPECT_EQ(tg::element_size(tg::kInt32), 4u);
  EXPECT_EQ(tg::element_size(tg::kUInt8), 1u);
  EXPECT_EQ(tg::zeros({3}, tg::kInt16).element_size(), 2u);
  EXPECT_FALSE(tg::zeros({1}, tg::kUInt8).is_signed());
  EXPECT_TRUE(tg::zeros({1}, tg::kInt8).is_signed());
  EXPECT_TRUE(tg::zeros({1}, tg::kHalf).is_signed());
  EXPECT_TRUE(tg::is_floating_point(tg::kBFloat16));
  EXPECT_TRUE(tg::isFloatingType(tg::kHalf));
  EXPECT_FALSE(tg::is_floating_point(tg::kInt32));
  EXPECT_TRUE(tg::isIntegralType(tg::kUInt8, false));
  EXPECT_FALSE(tg::isIntegralType(tg::kBool, false));
  EXPECT_TRUE(tg::isIntegralType(tg::kBool, true));
  EXPECT_EQ(tg::compute_type(tg::kBFloat16), tg::kFloat32);
  EXPECT_EQ(tg::compute_type(tg::kInt8), tg::kInt64);
  EXPECT_EQ(tg::compute_type(tg::kFloat64), tg::kFloat64);
  EXPECT_EQ(tg::typeMetaToScalarType(tg::get_default_dtype()), tg::kFloat32);
  EXPECT_EQ(tg::scalarTypeToTypeMeta(tg::kFloat64), tg::kFloat64);
}

// ---- PyTorch's tables ----------------------------------------------------------------------

TEST(Dtypes, PromotionMatchesPyTorchForEveryPair) {
  auto recs = records("promote");
  ASSERT_EQ(recs.size(), 100u);
  for (const auto& r : recs)
    EXPECT_STREQ(tg::dtype_name(tg::promote_types(dtype_named(r[1]), dtype_named(r[2]))), r[3].c_str())
        << r[1] << " with " << r[2];
}

TEST(Dtypes, RoundingToFloat16AndBFloat16MatchesPyTorch) {
  auto recs = records("round");
  ASSERT_GE(recs.size(), 50u);
  for (const auto& r : recs) {
    const tg::ScalarType t = dtype_named(r[1]);
    const float x = static_cast<float>(num(r[2]));
    const double want = num(r[3]);
    const double got = tg::full({}, x).to(t).item<double>();
    EXPECT_TRUE(same(got, want)) << x << " as " << r[1] << ": " << got << " (PyTorch " << want << ")";
    // the element types convert the same way
    const double direct = t == tg::kHalf ? static_cast<float>(tg::Half(x)) : static_cast<float>(tg::BFloat16(x));
    EXPECT_TRUE(same(direct, want)) << x << " as " << r[1];
  }
}

TEST(Dtypes, ConversionsBetweenEveryPairMatchPyTorch) {
  auto recs = records("cast");
  ASSERT_GE(recs.size(), 500u);
  for (const auto& r : recs) {
    const tg::ScalarType from = dtype_named(r[1]), to = dtype_named(r[2]);
    const double x = num(r[3]), want = num(r[4]);
    tg::Tensor src = scalar_of(x, from);
    ASSERT_EQ(src.dtype(), from);
    tg::Tensor dst = src.to(to);
    ASSERT_EQ(dst.dtype(), to);
    EXPECT_TRUE(same(dst.item<double>(), want)) << r[3] << " from " << r[1] << " to " << r[2] << ": got "
                                                << dst.item<double>() << ", PyTorch " << want;
  }
}

TEST(Dtypes, OpResultsMatchPyTorch) {
  auto recs = records("op");
  ASSERT_GE(recs.size(), 100u);
  std::set<std::string> seen;
  for (const auto& r : recs) {
    const std::string& name = r[1];
    seen.insert(name);
    auto it = ops().find(name);
    ASSERT_NE(it, ops().end()) << "op " << name << " of the fixture has no lambda in test_dtypes.cpp";
    const tg::ScalarType dt = dtype_named(r[2]), out_dt = dtype_named(r[3]);
    size_t k = 4;
    ASSERT_EQ(r[k++], "shape");
    std::vector<int64_t> shape;
    while (r[k] != "in") shape.push_back(std::stoll(r[k++]));
    std::vector<tg::Tensor> xs;
    while (r[k] == "in") {
      k += 2;
      std::vector<double> v;
      while (r[k] != "in" && r[k] != "out") v.push_back(num(r[k++]));
      tg::Tensor x = tg::tensor(v, tg::dtype(tg::kFloat64)).reshape(shape).to(dt);
      // the stored inputs are values of dt: converting them must not change them
      const std::vector<double> stored = vals(x);
      ASSERT_EQ(stored.size(), v.size()) << name << " " << r[2];
      for (size_t i = 0; i < v.size(); ++i)
        EXPECT_TRUE(same(stored[i], v[i])) << name << " " << r[2] << " input [" << i << "]: " << stored[i];
      xs.push_back(x);
    }
    ASSERT_EQ(r[k++], "out");
    ASSERT_EQ(r[k++], "shape");
    std::vector<int64_t> out_shape;
    while (r[k] != "values") out_shape.push_back(std::stoll(r[k++]));
    ++k;
    std::vector<double> want;
    while (k < r.size()) want.push_back(num(r[k++]));

    tg::Tensor y = it->second(xs);
    const std::string what = name + " of " + r[2];
    EXPECT_STREQ(tg::dtype_name(y.dtype()), r[3].c_str()) << what;
    EXPECT_EQ(y.sizes().vec(), out_shape) << what;
    std::vector<double> got = vals(y);
    ASSERT_EQ(got.size(), want.size()) << what;
    const bool loose = kTranscendental.count(name) && (out_dt == tg::kHalf || out_dt == tg::kBFloat16);
    for (size_t i = 0; i < got.size(); ++i) {
      if (loose)
        EXPECT_LE(std::fabs(got[i] - want[i]), ulp16(out_dt, want[i])) << what << " [" << i << "]";
      else
        EXPECT_TRUE(same(got[i], want[i])) << what << " [" << i << "]: " << got[i] << ", PyTorch " << want[i];
    }
  }
  for (const auto& kv : ops()) EXPECT_TRUE(seen.count(kv.first)) << "lambda " << kv.first << " has no fixture";
}

// ---- the element types ---------------------------------------------------------------------

TEST(Dtypes, HalfAndBFloat16ElementTypes) {
  EXPECT_EQ(tg::BFloat16(1.0f).x, 0x3F80);
  EXPECT_EQ(tg::Half(1.0f).x, 0x3C00);
  EXPECT_EQ(tg::Half(-2.0f).x, 0xC000);
  EXPECT_EQ(static_cast<float>(tg::Half::from_bits(0x7BFF)), 65504.0f);
  EXPECT_EQ(static_cast<float>(tg::Half::from_bits(0x0001)), std::ldexp(1.0f, -24));
  EXPECT_EQ(static_cast<float>(tg::BFloat16::from_bits(0x7F7F)), 3.3895313892515355e38f);
  EXPECT_TRUE(std::isnan(static_cast<float>(tg::BFloat16(std::numeric_limits<float>::quiet_NaN()))));
  EXPECT_TRUE(std::isnan(static_cast<float>(tg::Half(std::numeric_limits<float>::quiet_NaN()))));
  EXPECT_TRUE(std::signbit(static_cast<float>(tg::Half(-0.0f))));
  // arithmetic goes through float
  tg::BFloat16 a(1.5f), b(2.25f);
  EXPECT_EQ(static_cast<float>(tg::BFloat16(a * b)), 3.375f);
  std::ostringstream os;
  os << tg::Half(0.5f) << " " << tg::BFloat16(-3.0f);
  EXPECT_EQ(os.str(), "0.5 -3");
}

TEST(Dtypes, ElementAccessInEveryDtype) {
  EXPECT_EQ(tg::full({}, 200, tg::kUInt8).item<uint8_t>(), 200);
  EXPECT_EQ(tg::full({}, -5, tg::kInt8).item<int8_t>(), -5);
  EXPECT_EQ(tg::full({}, -30000, tg::kInt16).item<int16_t>(), -30000);
  EXPECT_EQ(tg::full({}, 1 << 30, tg::kInt32).item<int32_t>(), 1 << 30);
  EXPECT_EQ(static_cast<float>(tg::full({}, 0.1, tg::kBFloat16).item<tg::BFloat16>()), 0.10009765625f);
  EXPECT_EQ(static_cast<float>(tg::full({}, 0.1, tg::kHalf).item<tg::Half>()), 0.0999755859375f);
  // item() gives an integer Scalar for the integer dtypes, a floating one for the floating
  EXPECT_TRUE(tg::full({}, 7, tg::kInt16).item().isIntegral(false));
  EXPECT_TRUE(tg::full({}, 7, tg::kHalf).item().isFloatingPoint());

  tg::Tensor t = tg::arange(6, tg::kInt32);
  int32_t* p = t.data_ptr<int32_t>();
  EXPECT_EQ(p[5], 5);
  p[5] = 50;
  EXPECT_EQ(t[5].item<int64_t>(), 50);
  tg::Tensor h = tg::zeros({2}, tg::kBFloat16);
  h.data_ptr<tg::BFloat16>()[1] = tg::BFloat16(2.5f);
  EXPECT_EQ(vals(h), (std::vector<double>{0.0, 2.5}));
  EXPECT_EQ(tg::zeros({2}, tg::kUInt8).data_ptr<uint8_t>()[0], 0);
  expect_error([&] { t.data_ptr<float>(); }, "data_ptr: expected scalar type float32 but found int32");
  expect_error([&] { h.data_ptr<tg::Half>(); }, "data_ptr: expected scalar type float16 but found bfloat16");
  EXPECT_EQ(t.tolist<int64_t>(), (std::vector<int64_t>{0, 1, 2, 3, 4, 50}));
}

TEST(Dtypes, FactoriesMakeEveryDtype) {
  for (auto t : all_dtypes()) {
    EXPECT_EQ(tg::zeros({2, 3}, t).dtype(), t);
    EXPECT_EQ(tg::ones({2}, t).sum().item<double>(), 2.0) << tg::dtype_name(t);  // bool sums to int64, as PyTorch
    EXPECT_EQ(tg::empty({4}, t).dtype(), t);
    EXPECT_EQ(tg::full({2}, 1, tg::dtype(t)).dtype(), t);
  }
  EXPECT_EQ(vals(tg::arange(0, 10, 3, tg::kInt16)), (std::vector<double>{0, 3, 6, 9}));
  EXPECT_EQ(vals(tg::linspace(-1, 1, 5, tg::kBFloat16)), (std::vector<double>{-1, -0.5, 0, 0.5, 1}));
  EXPECT_EQ(vals(tg::eye(2, tg::kUInt8)), (std::vector<double>{1, 0, 0, 1}));
  tg::manual_seed(3);
  tg::Tensor r = tg::randint(0, 100, {50}, tg::kInt32);
  EXPECT_EQ(r.dtype(), tg::kInt32);
  EXPECT_GE(r.min().item<int64_t>(), 0);
  EXPECT_LT(r.max().item<int64_t>(), 100);
  // random floating tensors: the float32 numbers, rounded (same seed, same values)
  tg::manual_seed(5);
  tg::Tensor u = tg::rand({1000}, tg::kBFloat16);
  tg::manual_seed(5);
  tg::Tensor u32 = tg::rand({1000});
  EXPECT_EQ(u.dtype(), tg::kBFloat16);
  EXPECT_TRUE(u.equal(u32.to(tg::kBFloat16)));
  EXPECT_LE(u.max().item<double>(), 1.0);
  EXPECT_GE(u.min().item<double>(), 0.0);
  tg::Tensor n = tg::randn({1000}, tg::kHalf);
  EXPECT_NEAR(n.to(tg::kFloat64).mean().item<double>(), 0.0, 0.15);
  tg::Tensor lst = tg::tensor({1, 2, 3}, tg::kInt8);
  EXPECT_EQ(lst.dtype(), tg::kInt8);
  EXPECT_EQ(vals(lst), (std::vector<double>{1, 2, 3}));
}

TEST(Dtypes, IntegerArithmeticWrapsToTheDtypesWidth) {
  tg::Tensor a = tg::full({1}, 250, tg::kUInt8);
  EXPECT_EQ((a + 10).item<int64_t>(), 4);  // (250 + 10) mod 256
  EXPECT_EQ((a + 10).dtype(), tg::kUInt8);
  EXPECT_EQ((tg::full({1}, 3, tg::kUInt8) - tg::full({1}, 5, tg::kUInt8)).item<int64_t>(), 254);
  tg::Tensor i = tg::full({1}, std::numeric_limits<int32_t>::max(), tg::kInt32);
  EXPECT_EQ((i + 1).item<int64_t>(), std::numeric_limits<int32_t>::min());
  EXPECT_EQ((tg::full({1}, 100, tg::kInt8) * 2).item<int64_t>(), -56);
  // mixed integer widths promote; a Python-style scalar does not widen the tensor
  EXPECT_EQ((tg::ones({1}, tg::kUInt8) + tg::ones({1}, tg::kInt8)).dtype(), tg::kInt16);
  EXPECT_EQ((tg::ones({1}, tg::kInt16) + tg::ones({1}, tg::kInt32)).dtype(), tg::kInt32);
  EXPECT_EQ((tg::ones({1}, tg::kInt8) * 1000).dtype(), tg::kInt8);
  EXPECT_EQ((tg::ones({1}, tg::kInt8) * 1.5).dtype(), tg::kFloat32);
  EXPECT_EQ((tg::ones({1}, tg::kHalf) + tg::ones({1}, tg::kBFloat16)).dtype(), tg::kFloat32);
  EXPECT_EQ((tg::ones({1}, tg::kBFloat16) * tg::ones({}, tg::kFloat64)).dtype(), tg::kBFloat16);
  EXPECT_EQ((tg::ones({1}, tg::kInt32) / 2).dtype(), tg::kFloat32);
  // in place: the result is wrapped into the tensor
  tg::Tensor b = tg::full({2}, 200, tg::kUInt8);
  b.add_(100);
  EXPECT_EQ(vals(b), (std::vector<double>{44, 44}));
  b.mul_(tg::full({2}, 3, tg::kUInt8));
  EXPECT_EQ(vals(b), (std::vector<double>{132, 132}));
  // sums of integers accumulate in int64, as PyTorch's
  EXPECT_EQ(tg::full({300}, 255, tg::kUInt8).sum().item<int64_t>(), 76500);
  EXPECT_EQ(tg::full({300}, 255, tg::kUInt8).sum().dtype(), tg::kInt64);
}

TEST(Dtypes, FloatingPointToIntegerConversionTruncatesAndWraps) {
  tg::Tensor f = tg::tensor({-1.0, 2.9, -2.9, 255.5, 256.0, 300.0});
  EXPECT_EQ(vals(f.to(tg::kUInt8)), (std::vector<double>{255, 2, 254, 255, 0, 44}));
  EXPECT_EQ(vals(f.to(tg::kInt8)), (std::vector<double>{-1, 2, -2, -1, 0, 44}));
  EXPECT_EQ(vals(f.to(tg::kInt32)), (std::vector<double>{-1, 2, -2, 255, 256, 300}));
  EXPECT_EQ(vals(f.to(tg::kBool)), (std::vector<double>{1, 1, 1, 1, 1, 1}));
  // NaN and values beyond int64 are defined here (x86's INT64_MIN, wrapped), not undefined
  tg::Tensor g = tg::tensor({std::nan(""), 1e30});
  EXPECT_EQ(vals(g.to(tg::kInt32)), (std::vector<double>{0, 0}));
  EXPECT_EQ(g.to(tg::kInt64)[1].item<int64_t>(), std::numeric_limits<int64_t>::min());
}

TEST(Dtypes, PrintsWithPyTorchsDtypeSuffix) {
  std::ostringstream a, b, c;
  a << tg::tensor({1, 2, 300}).to(tg::kInt32);
  EXPECT_EQ(a.str(), "tensor([  1,   2, 300], dtype=torch.int32)");
  b << tg::tensor({0.5, -1.25}).to(tg::kBFloat16);
  EXPECT_EQ(b.str(), "tensor([ 0.5000, -1.2500], dtype=torch.bfloat16)");
  c << tg::tensor({7}).to(tg::kUInt8);
  EXPECT_EQ(c.str(), "tensor([7], dtype=torch.uint8)");
}

// ---- autograd and modules in float16 / bfloat16 --------------------------------------------

TEST(Dtypes, BFloat16GradientsAreBFloat16) {
  tg::Tensor x = tg::linspace(-2, 2, 9, tg::kBFloat16).requires_grad_(true);
  tg::Tensor y = (x * x).sigmoid().sum();
  EXPECT_EQ(y.dtype(), tg::kBFloat16);
  y.backward();
  ASSERT_TRUE(x.grad().defined());
  EXPECT_EQ(x.grad().dtype(), tg::kBFloat16);
  // the same computation in float32, rounded at every op as tensorgrad does in bfloat16
  tg::Tensor xf = x.detach().to(tg::kFloat32);
  tg::Tensor s = (xf * xf).to(tg::kBFloat16).to(tg::kFloat32).sigmoid().to(tg::kBFloat16).to(tg::kFloat32);
  tg::Tensor want = (2 * xf * s * (1 - s));
  EXPECT_TRUE(tg::allclose(x.grad().to(tg::kFloat32), want, 2e-2, 2e-2));
  EXPECT_EQ(x.grad()[4].item<double>(), 0.0);
}

TEST(Dtypes, InPlaceOpsKeepTheDtype) {
  namespace F = tg::nn::functional;
  tg::Tensor x = tg::linspace(-3, 3, 7, tg::kBFloat16);
  tg::Tensor out_of_place = F::elu(x, F::ELUFuncOptions().alpha(0.5));
  tg::Tensor y = x.clone();
  F::elu(y, F::ELUFuncOptions().alpha(0.5).inplace(true));
  EXPECT_EQ(y.dtype(), tg::kBFloat16);
  EXPECT_TRUE(y.equal(out_of_place));
  tg::Tensor h = tg::linspace(-3, 3, 7, tg::kHalf);
  h.mul_(0.5).add_(1);
  EXPECT_EQ(vals(h), (std::vector<double>{-0.5, 0, 0.5, 1, 1.5, 2, 2.5}));
  tg::Tensor v = tg::zeros({4}, tg::kInt16);
  v.index_put_({tg::tensor({1, 3})}, tg::full({2}, 9, tg::kInt16));
  EXPECT_EQ(vals(v), (std::vector<double>{0, 9, 0, 9}));
}

TEST(Dtypes, LinearInBFloat16) {
  tg::manual_seed(0);
  tg::nn::Linear lin(4, 3);
  tg::Tensor x = tg::randn({2, 4});
  tg::Tensor y32 = lin(x);
  lin->to(tg::kBFloat16);
  EXPECT_EQ(lin->weight.dtype(), tg::kBFloat16);
  tg::Tensor y16 = lin(x.to(tg::kBFloat16));
  EXPECT_EQ(y16.dtype(), tg::kBFloat16);
  EXPECT_TRUE(tg::allclose(y16.to(tg::kFloat32), y32, 3e-2, 3e-2));
  y16.sum().backward();
  EXPECT_EQ(lin->weight.grad().dtype(), tg::kBFloat16);
  // the optimizers update float16 / bfloat16 parameters in float32 and round once per step
  tg::optim::SGD opt(lin->parameters(), tg::optim::SGDOptions(0.1).momentum(0.9));
  tg::Tensor before = lin->weight.detach().clone();
  opt.step();
  EXPECT_EQ(lin->weight.dtype(), tg::kBFloat16);
  EXPECT_FALSE(lin->weight.detach().equal(before));
  tg::Tensor want = before.to(tg::kFloat32) - 0.1 * lin->weight.grad().to(tg::kFloat32);
  EXPECT_TRUE(tg::allclose(lin->weight.detach().to(tg::kFloat32), want, 1e-2, 1e-2));
}

TEST(Dtypes, ComparisonsAndChecksOnEveryDtype) {
  for (auto t : all_dtypes()) {
    tg::Tensor x = tg::ones({3}, t);
    EXPECT_TRUE(tg::isfinite(x).all().item<bool>()) << tg::dtype_name(t);
    EXPECT_FALSE(tg::isinf(x).any().item<bool>()) << tg::dtype_name(t);
    EXPECT_FALSE(tg::isnan(x).any().item<bool>()) << tg::dtype_name(t);
    EXPECT_TRUE(tg::allclose(x, tg::ones({3}, t))) << tg::dtype_name(t);
    EXPECT_TRUE(x.equal(x.clone())) << tg::dtype_name(t);
    EXPECT_TRUE((x == x).all().item<bool>()) << tg::dtype_name(t);
  }
  EXPECT_FALSE(tg::allclose(tg::full({2}, 5, tg::kInt32), tg::full({2}, 6, tg::kInt32)));
  tg::Tensor m = tg::tensor({3, 9, 1}).to(tg::kUInt8);
  EXPECT_EQ(m.argmax().item<int64_t>(), 1);
  EXPECT_EQ(m.max().item<int64_t>(), 9);
  EXPECT_EQ(m.max().dtype(), tg::kUInt8);
  EXPECT_EQ(std::get<0>(m.max(0)).dtype(), tg::kUInt8);
  EXPECT_EQ(std::get<1>(m.min(0)).item<int64_t>(), 2);
}

TEST(Dtypes, ErrorsNameTheDtype) {
  expect_error([] { tg::ones({2}, tg::kInt32).requires_grad_(true); },
               Parts{"only Tensors of floating point dtype can require gradients", "int32"});
  expect_error([] { tg::ones({2}, tg::kInt16).mean(); }, Parts{"mean(): could not infer output dtype", "int16"});
  expect_error(
      [] {
        auto x = tg::ones({2}, tg::kBFloat16).requires_grad_(true);
        tg::autograd::gradcheck(tg::autograd::SingleFunction([](const std::vector<tg::Tensor>& v) { return v[0] * 2; }),
                                {x});
      },
      Parts{"gradcheck", "bfloat16"});
}
