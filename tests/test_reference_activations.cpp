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
#include "reference_harness.h"

namespace {

using tg::Tensor;
using TL = std::vector<Tensor>;
using CaseFn = std::function<Tensor(const TL&)>;
using Table = std::map<std::string, CaseFn>;


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

    // ---- softshrink ----------------------------------------------------------------------------
    TG_PW("softshrink_default", SFX_ALL, tg::softshrink(x));
    TG_PW("softshrink_lambd_1_5", SFX_ALL, tg::softshrink(x, 1.5));
    TG_PW("softshrink_lambd_0", SFX_KINK, tg::softshrink(x, 0.0));

    // ---- hardshrink / glu / rrelu (evaluation mode) ---------------------------------------------
    TG_PW("hardshrink_default", SFX_ALL, tg::hardshrink(x));
    TG_PW("hardshrink_lambd_1_5", SFX_KINK, tg::nn::functional::hardshrink(x, 1.5));
    TG_CASE("glu_default", tg::nn::functional::glu(x[0]));
    TG_CASE("glu_dim0", tg::glu(x[0], 0));
    TG_CASE("glu_dim1_3d_sin", tg::nn::functional::glu(x[0], 1).sin());
    TG_PW("rrelu_eval", SFX_ALL, tg::nn::functional::rrelu(x));
    TG_PW("rrelu_eval_0_1_0_3", SFX_KINK,
          tg::nn::functional::rrelu(x, tg::nn::functional::RReLUFuncOptions().lower(0.1).upper(0.3)));

    // ---- softmin / tanhshrink (tg::nn::functional) ----------------------------------------------
    TG_CASE("softmin_dim1", tg::nn::functional::softmin(x[0], tg::nn::functional::SoftminFuncOptions(1)));
    TG_CASE("softmin_dim0_sin", tg::nn::functional::softmin(x[0], tg::nn::functional::SoftminFuncOptions(0)).sin());
    TG_PW("tanhshrink", SFX_EXT, tg::nn::functional::tanhshrink(x));

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

const tg_reference::Loaded& loaded() {
  static const tg_reference::Loaded l = tg_reference::load(kFixtureFile);
  return l;
}
const tg_fixtures::Case* find_case(const std::string& name) { return tg_reference::find_case(loaded(), name); }
std::vector<std::string> fixture_case_names() { return tg_reference::case_names(loaded()); }

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
  tg_reference::run_case(fc, it->second);
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
