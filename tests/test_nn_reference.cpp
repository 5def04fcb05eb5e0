// Compares tensorgrad's nn modules with PyTorch's torch.nn on the reference fixtures of
// tests/fixtures/nn_reference.txt (written by tests/gen_fixtures_nn.py), in float64: Linear,
// BatchNorm1d (two training passes, running statistics, then eval), LayerNorm, Embedding,
// LSTMCell, GRUCell, PReLU, Dropout in eval and a Sequential.
//
// Each case builds the module with tensorgrad's public API, converts it to float64, copies the
// fixture's weights into its parameters (under PyTorch's parameter names, which must be the
// module's named_parameters()), runs the same steps as the script, and compares outputs,
// gradients of sum(out * gout) w.r.t. inputs and every parameter, and buffers, to
// |a - b| <= 1e-10 |b| + 1e-12.
//
// Each case name of the fixture file needs a lambda in cases() below; NnFixtureTable.* checks that
// the two lists agree.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <tensorgrad/nn/modules.h>
#include <tensorgrad/tensorgrad.h>

#include "fixture_loader.h"

namespace {

using tg::Tensor;
using tg_fixtures::Array;

constexpr double kRelTol = 1e-10;
constexpr double kAbsTol = 1e-12;

const char* const kFixtureFile = TG_FIXTURE_DIR "/nn_reference.txt";

/// One case of nn_reference.txt: named arrays.
struct NnCase {
  std::string name;
  int line = 0;
  std::map<std::string, Array> arrays;

  const Array& at(const std::string& key) const {
    auto it = arrays.find(key);
    if (it == arrays.end())
      throw std::runtime_error("case " + name + " (line " + std::to_string(line) + ") has no array '" + key + "'");
    return it->second;
  }
  bool has(const std::string& key) const { return arrays.count(key) > 0; }
  /// The array as a float64 leaf.
  Tensor t(const std::string& key, bool requires_grad = false) const {
    return tg_fixtures::to_tensor(at(key), requires_grad);
  }
};

std::vector<NnCase> load_nn_fixtures(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open fixture file " + path);
  std::vector<NnCase> cases;
  std::optional<NnCase> cur;
  std::string text;
  int line = 0;
  auto fail = [&](const std::string& msg) { tg_fixtures::detail::fail(path, line, msg); };
  while (std::getline(in, text)) {
    ++line;
    std::istringstream ss(text);
    std::vector<std::string> toks;
    for (std::string s; ss >> s;) toks.push_back(s);
    if (toks.empty() || toks[0][0] == '#') continue;
    if (toks[0] == "case") {
      if (cur) fail("'case' inside case " + cur->name);
      if (toks.size() != 2) fail("expected 'case <name>'");
      cur = NnCase{toks[1], line, {}};
    } else if (toks[0] == "end") {
      if (!cur) fail("'end' outside a case");
      for (const auto& c : cases)
        if (c.name == cur->name) fail("duplicate case " + cur->name);
      cases.push_back(std::move(*cur));
      cur.reset();
    } else {
      if (!cur) fail("'" + toks[0] + "' outside a case");
      if (cur->arrays.count(toks[0])) fail("duplicate key " + toks[0]);
      cur->arrays.emplace(toks[0], tg_fixtures::detail::parse_array(toks, 1, path, line));
    }
  }
  if (cur) fail("file ends inside case " + cur->name);
  return cases;
}

const std::vector<NnCase>& fixtures() {
  static const std::vector<NnCase> all = load_nn_fixtures(kFixtureFile);
  return all;
}

const NnCase* find_case(const std::string& name) {
  for (const auto& c : fixtures())
    if (c.name == name) return &c;
  return nullptr;
}

/// Checks `actual` (float64, same shape) against the fixture's array `key`.
void expect_close(const NnCase& c, const std::string& key, const Tensor& actual) {
  SCOPED_TRACE("case " + c.name + ", " + key);
  const Array& e = c.at(key);
  ASSERT_TRUE(actual.defined()) << key << " is undefined";
  ASSERT_EQ(std::vector<int64_t>(actual.sizes().begin(), actual.sizes().end()), e.shape) << key;
  ASSERT_EQ(actual.dtype(), tg::kFloat64) << key;
  std::vector<double> a = actual.contiguous().tolist<double>();
  int bad = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    double b = e.values[i];
    if (!(std::abs(a[i] - b) <= kRelTol * std::abs(b) + kAbsTol)) {
      if (++bad <= 5)
        ADD_FAILURE() << key << "[" << i << "]: tensorgrad " << a[i] << " vs torch " << b << " (diff "
                      << std::abs(a[i] - b) << ")";
    }
  }
  EXPECT_EQ(bad, 0) << key << ": " << bad << " of " << a.size() << " elements differ";
}

/// Converts `m` to float64 and copies every parameter from the fixture (same names as PyTorch).
void load_params(tg::nn::Module& m, const NnCase& c) {
  m.to(tg::kFloat64);
  tg::NoGradGuard g;
  for (auto& p : m.named_parameters()) {
    const Array& a = c.at(p.key());
    ASSERT_EQ(std::vector<int64_t>(p.value().sizes().begin(), p.value().sizes().end()), a.shape)
        << "parameter " << p.key();
    p.value().copy_(tg_fixtures::to_tensor(a));
  }
}

/// Checks the gradient of every parameter of `m` against grad_<name> (+ suffix).
void expect_param_grads(const tg::nn::Module& m, const NnCase& c, const std::string& suffix = "") {
  for (const auto& p : m.named_parameters()) expect_close(c, "grad_" + p.key() + suffix, p.value().grad());
}

/// sum(out * gout)
Tensor weighted(const Tensor& out, const Tensor& gout) { return (out * gout).sum(); }

using CaseFn = std::function<void(const NnCase&)>;
using Table = std::map<std::string, CaseFn>;

void linear_case(const NnCase& c, bool bias) {
  const Array& w = c.at("weight");
  tg::nn::Linear m(tg::nn::LinearOptions(w.shape[1], w.shape[0]).bias(bias));
  load_params(*m, c);
  EXPECT_EQ(m->named_parameters().size(), bias ? 2u : 1u);
  Tensor x = c.t("x", true);
  Tensor out = m(x);
  expect_close(c, "out", out);
  weighted(out, c.t("gout")).backward();
  expect_close(c, "grad_x", x.grad());
  expect_param_grads(*m, c);
}

void batchnorm_case(const NnCase& c, double momentum, double eps) {
  int64_t C = c.at("weight").shape[0];
  tg::nn::BatchNorm1d m(tg::nn::BatchNormOptions(C).momentum(momentum).eps(eps));
  load_params(*m, c);
  m->train();
  for (const char* k : {"1", "2"}) {
    std::string s = k;
    Tensor x = c.t("x" + s, true);
    Tensor out = m(x);
    expect_close(c, "out" + s, out);
    m->zero_grad();
    weighted(out, c.t("gout" + s)).backward();
    expect_close(c, "grad_x" + s, x.grad());
    expect_param_grads(*m, c, s);
  }
  expect_close(c, "running_mean", m->running_mean);
  expect_close(c, "running_var", m->running_var);
  ASSERT_EQ(m->num_batches_tracked.dtype(), tg::kInt64);
  EXPECT_EQ(m->num_batches_tracked.item<int64_t>(), static_cast<int64_t>(c.at("num_batches_tracked").values[0]));
  // the buffers are what named_buffers() reports, in PyTorch's order
  EXPECT_EQ(m->named_buffers().keys(),
            (std::vector<std::string>{"running_mean", "running_var", "num_batches_tracked"}));

  m->eval();
  Tensor x = c.t("x_eval", true);
  Tensor out = m(x);
  expect_close(c, "out_eval", out);
  m->zero_grad();
  weighted(out, c.t("gout_eval")).backward();
  expect_close(c, "grad_x_eval", x.grad());
  expect_param_grads(*m, c, "_eval");
  expect_close(c, "running_mean_after_eval", m->running_mean);
  expect_close(c, "running_var_after_eval", m->running_var);
  EXPECT_EQ(m->num_batches_tracked.item<int64_t>(), static_cast<int64_t>(c.at("num_batches_tracked").values[0]));
}

void layernorm_case(const NnCase& c) {
  const Array& w = c.at("weight");
  tg::nn::LayerNorm m(tg::nn::LayerNormOptions(w.shape));
  load_params(*m, c);
  Tensor x = c.t("x", true);
  Tensor out = m(x);
  expect_close(c, "out", out);
  weighted(out, c.t("gout")).backward();
  expect_close(c, "grad_x", x.grad());
  expect_param_grads(*m, c);
}

void prelu_case(const NnCase& c) {
  const Array& w = c.at("weight");
  tg::nn::PReLU m(tg::nn::PReLUOptions().num_parameters(w.shape[0]));
  load_params(*m, c);
  Tensor x = c.t("x", true);
  Tensor out = m(x);
  expect_close(c, "out", out);
  weighted(out, c.t("gout")).backward();
  expect_close(c, "grad_x", x.grad());
  expect_param_grads(*m, c);
}

const Table& cases() {
  static const Table table = [] {
    Table t;
    t["linear_bias"] = [](const NnCase& c) { linear_case(c, true); };
    t["linear_nobias"] = [](const NnCase& c) { linear_case(c, false); };
    t["linear_bias_3d_input"] = [](const NnCase& c) { linear_case(c, true); };

    t["batchnorm1d_2d"] = [](const NnCase& c) { batchnorm_case(c, 0.1, 1e-5); };
    t["batchnorm1d_3d"] = [](const NnCase& c) { batchnorm_case(c, 0.1, 1e-5); };
    t["batchnorm1d_3d_momentum_eps"] = [](const NnCase& c) { batchnorm_case(c, 0.3, 1e-3); };

    t["layernorm_last_dim"] = layernorm_case;
    t["layernorm_last_two_dims"] = layernorm_case;

    t["embedding_repeated_indices"] = [](const NnCase& c) {
      const Array& w = c.at("weight");
      tg::nn::Embedding m(w.shape[0], w.shape[1]);
      load_params(*m, c);
      Tensor idx = c.t("indices").to(tg::kInt64);
      Tensor out = m(idx);
      expect_close(c, "out", out);
      weighted(out, c.t("gout")).backward();
      expect_param_grads(*m, c);
    };

    t["lstmcell_step"] = [](const NnCase& c) {
      tg::nn::LSTMCell m(c.at("x").shape[1], c.at("h").shape[1]);
      load_params(*m, c);
      EXPECT_EQ(m->named_parameters().keys(),
                (std::vector<std::string>{"weight_ih", "weight_hh", "bias_ih", "bias_hh"}));
      Tensor x = c.t("x", true), h = c.t("h", true), cc = c.t("c", true);
      auto [h2, c2] = m(x, std::make_tuple(h, cc));
      expect_close(c, "out_h", h2);
      expect_close(c, "out_c", c2);
      (weighted(h2, c.t("gout_h")) + weighted(c2, c.t("gout_c"))).backward();
      expect_close(c, "grad_x", x.grad());
      expect_close(c, "grad_h", h.grad());
      expect_close(c, "grad_c", cc.grad());
      expect_param_grads(*m, c);
    };
    t["lstmcell_zero_state"] = [](const NnCase& c) {
      tg::nn::LSTMCell m(c.at("x").shape[1], c.at("out_h").shape[1]);
      load_params(*m, c);
      Tensor x = c.t("x", true);
      auto [h2, c2] = m(x);
      expect_close(c, "out_h", h2);
      expect_close(c, "out_c", c2);
      (weighted(h2, c.t("gout_h")) + weighted(c2, c.t("gout_c"))).backward();
      expect_close(c, "grad_x", x.grad());
      expect_param_grads(*m, c);
    };

    t["grucell_step"] = [](const NnCase& c) {
      tg::nn::GRUCell m(c.at("x").shape[1], c.at("h").shape[1]);
      load_params(*m, c);
      EXPECT_EQ(m->named_parameters().keys(),
                (std::vector<std::string>{"weight_ih", "weight_hh", "bias_ih", "bias_hh"}));
      Tensor x = c.t("x", true), h = c.t("h", true);
      Tensor out = m(x, h);
      expect_close(c, "out", out);
      weighted(out, c.t("gout")).backward();
      expect_close(c, "grad_x", x.grad());
      expect_close(c, "grad_h", h.grad());
      expect_param_grads(*m, c);
    };
    t["grucell_zero_state"] = [](const NnCase& c) {
      tg::nn::GRUCell m(c.at("x").shape[1], c.at("out").shape[1]);
      load_params(*m, c);
      Tensor x = c.t("x", true);
      Tensor out = m(x);
      expect_close(c, "out", out);
      weighted(out, c.t("gout")).backward();
      expect_close(c, "grad_x", x.grad());
      expect_param_grads(*m, c);
    };

    t["prelu_single"] = prelu_case;
    t["prelu_per_channel"] = prelu_case;
    t["prelu_per_channel_2d"] = prelu_case;

    t["dropout_eval"] = [](const NnCase& c) {
      tg::nn::Dropout m(0.3);
      m->eval();
      Tensor x = c.t("x", true);
      Tensor out = m(x);
      expect_close(c, "out", out);
      weighted(out, c.t("gout")).backward();
      expect_close(c, "grad_x", x.grad());
    };

    t["sequential_linear_tanh_linear"] = [](const NnCase& c) {
      tg::nn::Sequential m(tg::nn::Linear(3, 5), tg::nn::Tanh(), tg::nn::Linear(5, 2));
      load_params(*m, c);
      EXPECT_EQ(m->named_parameters().keys(), (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias"}));
      Tensor x = c.t("x", true);
      Tensor out = m(x);
      expect_close(c, "out", out);
      weighted(out, c.t("gout")).backward();
      expect_close(c, "grad_x", x.grad());
      expect_param_grads(*m, c);
    };
    return t;
  }();
  return table;
}

TEST(NnFixtureTable, EveryFixtureCaseHasALambda) {
  ASSERT_FALSE(fixtures().empty());
  for (const auto& c : fixtures()) EXPECT_TRUE(cases().count(c.name)) << "no lambda for fixture case " << c.name;
}

TEST(NnFixtureTable, EveryLambdaHasAFixtureCase) {
  for (const auto& kv : cases()) EXPECT_NE(find_case(kv.first), nullptr) << "no fixture case " << kv.first;
}

class NnReference : public ::testing::TestWithParam<std::string> {};

TEST_P(NnReference, MatchesPyTorch) {
  const NnCase* c = find_case(GetParam());
  ASSERT_NE(c, nullptr) << "fixture case " << GetParam() << " is missing";
  tg::manual_seed(0);
  cases().at(GetParam())(*c);
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& kv : cases()) names.push_back(kv.first);
  return names;
}

INSTANTIATE_TEST_SUITE_P(Modules, NnReference, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
