// Compares tensorgrad's activations with PyTorch on the reference fixtures of
// tests/fixtures/activations_reference.txt (written by tests/gen_fixtures_activations.py):
// outputs, first derivatives (with create_graph) and second derivatives, in float64, on ordinary
// inputs, extreme inputs (+-30, +-100, +-1000, values near kinks and thresholds) and values at
// kinks, with the ops' parameters varied. Ops PyTorch lacks (swish, squareplus, smu, smu1,
// maxout) are compared with their formulas written in PyTorch ops.
//
// For each case: out = f(inputs); g = grad({out}, inputs, {gout}, create_graph=true);
// s = sum_j (g_j * v_j).sum(); gg = grad({s}, inputs, allow_unused=true). Every value must match
// torch's to |a - b| <= 1e-10 |b| + 1e-12. A second derivative torch returns as a tensor (zeros
// included) must be a defined tensor here too; where torch returns None, an undefined tensor or
// an all-zero one is accepted.
//
// Each case name of the fixture file needs a lambda in cases() below, written with tensorgrad's
// public API as the torch expression in gen_fixtures_activations.py; ActivationFixtureTable.*
// checks that the two lists agree. The file format and loader are those of the core fixtures (fixture_loader.h).

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <initializer_list>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <tensorgrad/tensorgrad.h>

#include "fixture_loader.h"

namespace {

using tg::Tensor;
using TL = std::vector<Tensor>;
using CaseFn = std::function<Tensor(const TL&)>;
using Table = std::map<std::string, CaseFn>;

constexpr double kRelTol = 1e-10;
constexpr double kAbsTol = 1e-12;

const char* const kFixtureFile = TG_FIXTURE_DIR "/activations_reference.txt";

// HX, HV_SCALAR and HV_ROW of gen_fixtures_activations.py (the heaviside cases).
Tensor hx() { return tg::tensor({{-2.0, 0.0, 1e-300}, {3.0, -1e-300, 0.0}}, tg::TensorOptions().dtype(tg::kFloat64)); }
Tensor hv_scalar() { return tg::tensor({0.5}, tg::TensorOptions().dtype(tg::kFloat64)); }
Tensor hv_row() { return tg::tensor({0.25, 0.75, -1.0}, tg::TensorOptions().dtype(tg::kFloat64)); }

// The cases of gen_fixtures_activations.py's pointwise(): "<base><suffix>" for each suffix; every
// suffix applies f, except "_sin", which applies f then sin.
void add_pointwise(Table& t, const std::string& base, std::function<Tensor(const Tensor&)> f,
                   std::initializer_list<const char*> suffixes) {
  for (const char* suffix : suffixes) {
    const std::string s = suffix;
    if (s == "_sin")
      t.emplace(base + s, [f](const TL& x) { return f(x[0]).sin(); });
    else
      t.emplace(base + s, [f](const TL& x) { return f(x[0]); });
  }
}

#define TG_CASE(name, ...) t.emplace(name, [](const TL& x) -> Tensor { return __VA_ARGS__; })
#define TG_PW(base, suffixes, ...) \
  add_pointwise(                   \
      t, base, [](const Tensor& x) -> Tensor { return __VA_ARGS__; }, suffixes)

// Suffix sets of pointwise(): ordinary inputs and their _sin variant, plus _extreme and/or _kink.
#define SFX_ALL \
  { "", "_sin", "_extreme", "_kink" }
#define SFX_EXT \
  { "", "_sin", "_extreme" }
#define SFX_KINK \
  { "", "_sin", "_kink" }
#define SFX_PLAIN \
  { "", "_sin" }

const Table& cases() {
  static const Table table = [] {
    Table t;
    // ---- sigmoid / tanh / relu ------------------------------------------------------------------
    TG_CASE("sigmoid_extreme1000", tg::sigmoid(x[0]));
    TG_CASE("tanh_extreme1000", tg::tanh(x[0]));
    TG_CASE("relu_extreme1000", tg::relu(x[0]));
    TG_CASE("relu_kink", x[0].relu());

    // ---- leaky_relu -----------------------------------------------------------------------------
    TG_PW("leaky_relu_default", SFX_ALL, tg::leaky_relu(x));
    TG_PW("leaky_relu_slope_0_2", SFX_ALL, tg::leaky_relu(x, 0.2));
    TG_PW("leaky_relu_slope_1_5", SFX_PLAIN, tg::leaky_relu(x, 1.5));
    TG_PW("leaky_relu_slope_neg", SFX_KINK, tg::leaky_relu(x, -0.3));

    // ---- elu / selu / celu ----------------------------------------------------------------------
    TG_PW("elu_default", SFX_ALL, tg::elu(x));
    TG_PW("elu_alpha_0_5", SFX_ALL, tg::elu(x, 0.5));
    TG_PW("elu_alpha_2", SFX_ALL, tg::elu(x, 2.0));
    TG_PW("selu", SFX_ALL, tg::selu(x));
    TG_PW("celu_default", SFX_ALL, tg::celu(x));
    TG_PW("celu_alpha_0_5", SFX_ALL, tg::celu(x, 0.5));
    TG_PW("celu_alpha_2_5", SFX_ALL, tg::celu(x, 2.5));

    // ---- prelu (x[1] is the weight) -------------------------------------------------------------
    for (const char* name :
         {"prelu_single", "prelu_single_2d", "prelu_single_1d", "prelu_channels_ncl", "prelu_channels_nc",
          "prelu_channels_ncl_size1", "prelu_channels_nchw", "prelu_extreme", "prelu_channels_extreme", "prelu_kink"})
      TG_CASE(name, tg::prelu(x[0], x[1]));
    TG_CASE("prelu_channels_ncl_sin", tg::prelu(x[0], x[1]).sin());
    TG_CASE("prelu_single_sin", tg::prelu(x[0], x[1]).sin());

    // ---- silu / gelu / mish ---------------------------------------------------------------------
    TG_PW("silu", SFX_EXT, tg::silu(x));
    TG_PW("gelu_none", SFX_EXT, tg::gelu(x));
    TG_PW("gelu_none_explicit", SFX_PLAIN, tg::gelu(x, "none"));
    TG_PW("gelu_tanh", SFX_EXT, tg::gelu(x, "tanh"));
    TG_PW("mish", SFX_EXT, tg::mish(x));

    // ---- softplus -------------------------------------------------------------------------------
    TG_PW("softplus_default", SFX_EXT, tg::softplus(x));
    TG_PW("softplus_beta2_thr3", SFX_EXT, tg::softplus(x, 2.0, 3.0));
    TG_PW("softplus_beta0_5_thr10", SFX_EXT, tg::softplus(x, 0.5, 10.0));
    TG_PW("softplus_beta3_thr1", SFX_PLAIN, tg::softplus(x, 3.0, 1.0));
    TG_CASE("softplus_default_near_threshold", tg::softplus(x[0]));
    TG_CASE("softplus_beta2_thr3_near_threshold", tg::softplus(x[0], 2.0, 3.0));
    TG_CASE("softplus_beta0_5_thr1_extreme", tg::softplus(x[0], 0.5, 1.0));

    // ---- hardtanh / relu6 / hardsigmoid / hardswish ---------------------------------------------
    TG_PW("hardtanh_default", SFX_ALL, tg::hardtanh(x));
    TG_PW("hardtanh_m2_3", SFX_ALL, tg::hardtanh(x, -2.0, 3.0));
    TG_PW("hardtanh_m0_5_0_25", SFX_KINK, tg::hardtanh(x, -0.5, 0.25));
    TG_PW("relu6", SFX_ALL, tg::relu6(x));
    TG_PW("hardsigmoid", SFX_ALL, tg::hardsigmoid(x));
    TG_PW("hardswish", SFX_ALL, tg::hardswish(x));

    // ---- logsigmoid / softsign / erf ------------------------------------------------------------
    TG_PW("logsigmoid", SFX_EXT, tg::logsigmoid(x));
    TG_PW("softsign", SFX_EXT, tg::softsign(x));
    TG_PW("erf", SFX_EXT, tg::erf(x));

    // ---- softmax / log_softmax / logsumexp ------------------------------------------------------
    TG_CASE("softmax_dim0", tg::softmax(x[0], 0));
    TG_CASE("softmax_dim1", tg::softmax(x[0], 1));
    TG_CASE("softmax_dim_neg1_3d", tg::softmax(x[0], -1));
    TG_CASE("softmax_dim1_3d", tg::softmax(x[0], 1));
    TG_CASE("softmax_dim0_3d", tg::softmax(x[0], 0));
    TG_CASE("softmax_1d", tg::softmax(x[0], 0));
    TG_CASE("softmax_size1_dim", tg::softmax(x[0], 1));
    TG_CASE("softmax_sin", tg::softmax(x[0], 1).sin());
    TG_CASE("softmax_extreme", tg::softmax(x[0], 1));
    TG_CASE("softmax_extreme_dim0", tg::softmax(x[0], 0));
    TG_CASE("log_softmax_dim0", tg::log_softmax(x[0], 0));
    TG_CASE("log_softmax_dim1", tg::log_softmax(x[0], 1));
    TG_CASE("log_softmax_dim_neg1_3d", tg::log_softmax(x[0], -1));
    TG_CASE("log_softmax_dim1_3d", tg::log_softmax(x[0], 1));
    TG_CASE("log_softmax_dim0_3d", tg::log_softmax(x[0], 0));
    TG_CASE("log_softmax_1d", tg::log_softmax(x[0], 0));
    TG_CASE("log_softmax_size1_dim", tg::log_softmax(x[0], 1));
    TG_CASE("log_softmax_sin", tg::log_softmax(x[0], 1).sin());
    TG_CASE("log_softmax_extreme", tg::log_softmax(x[0], 1));
    TG_CASE("log_softmax_extreme_dim0", tg::log_softmax(x[0], 0));
    TG_CASE("logsumexp_dim1", tg::logsumexp(x[0], {1}));
    TG_CASE("logsumexp_dim0_keepdim", tg::logsumexp(x[0], {0}, true));
    TG_CASE("logsumexp_dim_neg1_3d", tg::logsumexp(x[0], {-1}));
    TG_CASE("logsumexp_dim_neg1_3d_keepdim", tg::logsumexp(x[0], {-1}, true));
    TG_CASE("logsumexp_dims_0_2", tg::logsumexp(x[0], {0, 2}));
    TG_CASE("logsumexp_dims_0_2_keepdim", tg::logsumexp(x[0], {0, 2}, true));
    TG_CASE("logsumexp_all_dims", tg::logsumexp(x[0], {0, 1, 2}));
    TG_CASE("logsumexp_size1_dim", tg::logsumexp(x[0], {1}));
    TG_CASE("logsumexp_1d", tg::logsumexp(x[0], {0}));
    TG_CASE("logsumexp_sin", tg::logsumexp(x[0], {1}).sin());
    TG_CASE("logsumexp_extreme", tg::logsumexp(x[0], {1}));
    TG_CASE("logsumexp_extreme_dim0_keepdim", tg::logsumexp(x[0], {0}, true));
    TG_CASE("logsumexp_extreme_all", tg::logsumexp(x[0], {0, 1}));

    // ---- heaviside (forward only; its result times a differentiable input) ----------------------
    TG_CASE("heaviside_mul_scalar_values", tg::heaviside(hx(), hv_scalar()) * x[0]);
    TG_CASE("heaviside_mul_row_values", tg::heaviside(hx(), hv_row()) * x[0]);

    // ---- swish ----------------------------------------------------------------------------------
    TG_PW("swish_beta_1", SFX_EXT, tg::swish(x, 1.0));
    TG_PW("swish_beta_0_5", SFX_EXT, tg::swish(x, 0.5));
    TG_PW("swish_beta_2", SFX_EXT, tg::swish(x, 2.0));
    TG_PW("swish_beta_neg1", SFX_PLAIN, tg::swish(x, -1.0));
    for (const char* name :
         {"swish_tensor_beta", "swish_tensor_beta_0d", "swish_tensor_beta_neg", "swish_tensor_beta_extreme"})
      TG_CASE(name, tg::swish(x[0], x[1]));
    TG_CASE("swish_tensor_beta_sin", tg::swish(x[0], x[1]).sin());

    // ---- squareplus
    // ----------------------------------------------------------------------------------------------------
    TG_PW("squareplus_b4", SFX_EXT, tg::squareplus(x));
    TG_PW("squareplus_b1", SFX_EXT, tg::squareplus(x, 1.0));
    TG_PW("squareplus_b0_5", SFX_EXT, tg::squareplus(x, 0.5));
    TG_PW("squareplus_b10", SFX_EXT, tg::squareplus(x, 10.0));

    // ---- smu / smu1 (x[1] is mu)
    // -----------------------------------------------------------------------------------------
    TG_CASE("smu_default", tg::smu(x[0], x[1]));
    TG_CASE("smu_alpha_0_01", tg::smu(x[0], x[1], 0.01));
    TG_CASE("smu_alpha_0_5_mu_0d", tg::smu(x[0], x[1], 0.5));
    TG_CASE("smu_sin", tg::smu(x[0], x[1], 0.25).sin());
    TG_CASE("smu_extreme", tg::smu(x[0], x[1]));
    TG_CASE("smu_small_mu", tg::smu(x[0], x[1]));
    TG_CASE("smu1_default", tg::smu1(x[0], x[1]));
    TG_CASE("smu1_alpha_0_5", tg::smu1(x[0], x[1], 0.5));
    TG_CASE("smu1_alpha_0_1_mu_0d", tg::smu1(x[0], x[1], 0.1));
    TG_CASE("smu1_sin", tg::smu1(x[0], x[1], 0.25).sin());
    TG_CASE("smu1_extreme", tg::smu1(x[0], x[1]));
    TG_CASE("smu1_negative_mu", tg::smu1(x[0], x[1]));

    // ---- maxout
    // ---------------------------------------------------------------------------------------------------------------
    TG_CASE("maxout_p2_last", tg::maxout(x[0], 2));
    TG_CASE("maxout_p3_dim1", tg::maxout(x[0], 3, 1));
    TG_CASE("maxout_p2_dim0", tg::maxout(x[0], 2, 0));
    TG_CASE("maxout_p4_1d", tg::maxout(x[0], 4, 0));
    TG_CASE("maxout_p1", tg::maxout(x[0], 1, -1));
    TG_CASE("maxout_all_pieces", tg::maxout(x[0], 5, -1));
    TG_CASE("maxout_square", tg::maxout(x[0], 2, -1).square());
    TG_CASE("maxout_extreme", tg::maxout(x[0], 3, -1));
    return t;
  }();
  return table;
}

#undef SFX_PLAIN
#undef SFX_KINK
#undef SFX_EXT
#undef SFX_ALL
#undef TG_PW
#undef TG_CASE

// ---- the fixture file ---------------------------------------------------------------------------

struct Loaded {
  std::vector<tg_fixtures::Case> cases;
  std::string error;  // non-empty when the file could not be read
};

const Loaded& loaded() {
  static const Loaded l = [] {
    Loaded r;
    try {
      r.cases = tg_fixtures::load_fixture_file(kFixtureFile);
    } catch (const std::exception& e) {
      r.error = e.what();
    }
    return r;
  }();
  return l;
}

const tg_fixtures::Case* find_case(const std::string& name) {
  for (const auto& c : loaded().cases)
    if (c.name == name) return &c;
  return nullptr;
}

std::vector<std::string> fixture_case_names() {
  std::vector<std::string> names;
  for (const auto& c : loaded().cases) names.push_back(c.name);
  return names;
}

// ---- comparison ---------------------------------------------------------------------------------

bool close(double actual, double expected) {
  if (std::isnan(expected)) return std::isnan(actual);
  if (std::isinf(expected)) return actual == expected;
  return std::fabs(actual - expected) <= kRelTol * std::fabs(expected) + kAbsTol;
}

std::string shape_str(tg::IntArrayRef s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
  return r + "]";
}

// "[1, 0, 2]": the multi-index of flat element `flat` of a row-major array of shape `shape`.
std::string index_str(const std::vector<int64_t>& shape, int64_t flat) {
  std::vector<int64_t> idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    idx[d] = flat % shape[d];
    flat /= shape[d];
  }
  return shape_str(tg::IntArrayRef(idx));
}

std::string fmt17(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}

// Checks a tensorgrad tensor against a stored array: defined, float64, same shape, every element
// within tolerance. Reports up to 8 mismatching elements by index.
::testing::AssertionResult matches(const std::string& what, const Tensor& actual, const tg_fixtures::Array& expected) {
  if (!actual.defined())
    return ::testing::AssertionFailure() << what << ": undefined tensor, torch gives shape " << expected.shape_str();
  if (actual.dtype() != tg::kFloat64)
    return ::testing::AssertionFailure() << what << ": dtype " << tg::dtype_name(actual.dtype())
                                         << ", expected float64";
  if (actual.sizes().vec() != expected.shape)
    return ::testing::AssertionFailure() << what << ": shape " << shape_str(actual.sizes()) << ", torch gives "
                                         << expected.shape_str();
  std::vector<double> a = actual.contiguous().tolist<double>();
  if (a.size() != expected.values.size())
    return ::testing::AssertionFailure() << what << ": tolist() gave " << a.size() << " values for shape "
                                         << expected.shape_str();
  int bad = 0;
  std::ostringstream msg;
  for (size_t i = 0; i < a.size(); ++i) {
    if (close(a[i], expected.values[i])) continue;
    if (++bad <= 8)
      msg << "\n    " << what << index_str(expected.shape, static_cast<int64_t>(i)) << ": tensorgrad " << fmt17(a[i])
          << ", torch " << fmt17(expected.values[i]) << " (diff " << fmt17(a[i] - expected.values[i]) << ")";
  }
  if (bad == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << what << ": " << bad << " of " << a.size() << " elements differ (tolerance "
                                       << kRelTol << " relative + " << kAbsTol << " absolute):" << msg.str();
}

bool all_zero(const Tensor& t) {
  for (double v : t.contiguous().tolist<double>())
    if (v != 0.0) return false;
  return true;
}

// ---- the tests ----------------------------------------------------------------------------------

class ReferenceActivations : public ::testing::TestWithParam<std::string> {};

TEST_P(ReferenceActivations, MatchesTorch) {
  const std::string& name = GetParam();
  const tg_fixtures::Case* fc = find_case(name);
  ASSERT_NE(fc, nullptr) << "no fixture case " << name;
  auto it = cases().find(name);
  ASSERT_NE(it, cases().end()) << "case " << name << " (" << kFixtureFile << ":" << fc->line
                               << ") has no lambda in test_reference_activations.cpp";
  SCOPED_TRACE("case " + name + " (" + kFixtureFile + ":" + std::to_string(fc->line) + ")");
  const size_t n = fc->inputs.size();

  std::string stage = "building inputs";
  try {
    TL inputs;
    for (const auto& a : fc->inputs) inputs.push_back(tg_fixtures::to_tensor(a, /*requires_grad=*/true));

    stage = "forward";
    Tensor out = it->second(inputs);
    ASSERT_TRUE(matches("out", out, fc->out));
    ASSERT_TRUE(out.requires_grad()) << "the output does not require grad";

    stage = "first derivatives: grad({out}, inputs, {gout}, nullopt, create_graph=true)";
    Tensor gout = tg_fixtures::to_tensor(fc->gout);
    TL grads = tg::autograd::grad({out}, inputs, {gout}, std::nullopt, /*create_graph=*/true);
    ASSERT_EQ(grads.size(), n) << "grad returned the wrong number of tensors";
    bool grads_ok = true;
    for (size_t i = 0; i < n; ++i) {
      auto r = matches("grad " + std::to_string(i), grads[i], fc->grads[i]);
      EXPECT_TRUE(r);
      grads_ok = grads_ok && r;
    }
    ASSERT_TRUE(grads_ok) << "first derivatives differ; second derivatives not checked";

    stage = "second derivatives: s = sum_j (g_j * v_j).sum()";
    Tensor s;
    for (size_t j = 0; j < n; ++j) {
      Tensor term = (grads[j] * tg_fixtures::to_tensor(fc->vs[j])).sum();
      s = s.defined() ? s + term : term;
    }
    TL gg(n);
    const bool s_requires_grad = s.requires_grad();
    if (s_requires_grad) {
      stage = "second derivatives: grad({s}, inputs, {}, nullopt, false, allow_unused=true)";
      gg = tg::autograd::grad({s}, inputs, {}, std::nullopt, false, /*allow_unused=*/true);
      ASSERT_EQ(gg.size(), n) << "grad returned the wrong number of tensors";
    }
    for (size_t i = 0; i < n; ++i) {
      const std::string what = "gradgrad " + std::to_string(i);
      if (!fc->gradgrads[i]) {
        EXPECT_TRUE(!gg[i].defined() || all_zero(gg[i]))
            << what << ": torch returns None, tensorgrad a non-zero tensor " << gg[i];
        continue;
      }
      if (!gg[i].defined()) {
        ADD_FAILURE() << what << ": torch returns a defined tensor"
                      << (all_zero(tg_fixtures::to_tensor(*fc->gradgrads[i])) ? " (all zeros)" : "")
                      << ", tensorgrad an undefined one"
                      << (s_requires_grad ? " (allow_unused: s does not depend on this input)"
                                          : " (the first derivatives do not require grad, so s "
                                            "has no graph)");
        continue;
      }
      EXPECT_TRUE(matches(what, gg[i], *fc->gradgrads[i]));
    }
  } catch (const std::exception& e) {
    FAIL() << "threw during " << stage << ": " << e.what();
  }
}

std::string param_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceActivations, ::testing::ValuesIn(fixture_case_names()), param_name);
// When the fixture file cannot be read there are no cases; ActivationFixtureTable.FileLoads says why.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ReferenceActivations);

TEST(ActivationFixtureTable, FileLoads) {
  EXPECT_TRUE(loaded().error.empty()) << loaded().error;
  EXPECT_GT(loaded().cases.size(), 0u) << "no cases in " << kFixtureFile;
}

TEST(ActivationFixtureTable, EveryCaseHasALambda) {
  ASSERT_TRUE(loaded().error.empty()) << loaded().error;
  for (const auto& c : loaded().cases)
    EXPECT_TRUE(cases().count(c.name)) << "fixture case " << c.name << " (" << kFixtureFile << ":" << c.line
                                       << ") has no lambda in test_reference_activations.cpp";
}

TEST(ActivationFixtureTable, EveryLambdaHasACase) {
  ASSERT_TRUE(loaded().error.empty()) << loaded().error;
  for (const auto& kv : cases())
    EXPECT_NE(find_case(kv.first), nullptr) << "lambda " << kv.first << " has no case in " << kFixtureFile
                                            << " (add it to tests/gen_fixtures_activations.py and rerun the script)";
}

}  // namespace
