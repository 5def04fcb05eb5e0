// Tests of tg::optim (SGD, Adam, AdamW, RMSprop, Adagrad, StepLR, CosineAnnealingLR) and of the
// gradient clipping of tg::nn::utils.
//
// The optimizers and schedulers are compared with PyTorch on tests/fixtures/optim_reference.txt
// (written by tests/gen_fixtures_optim.py, whose docstring describes the format): every parameter
// after every step, and every learning rate, must match torch's to |a - b| <= 1e-10 |b| + 1e-14
// in float64. The same trajectories are also run in float32, against a looser tolerance.
// The other tests check training, zero_grad, clipping, error messages, and that steps record no
// graph.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <tensorgrad/nn/utils.h>
#include <tensorgrad/optim/optim.h>
#include <tensorgrad/tensorgrad.h>

namespace {

using tg::Tensor;
namespace optim = tg::optim;

constexpr double kRelTol = 1e-10;
constexpr double kAbsTol = 1e-14;

const char* const kFixtureFile = TG_FIXTURE_DIR "/optim_reference.txt";

// ---- fixture file -------------------------------------------------------------------------------

struct Array {
  bool none = false;  // "grad <k> <i> none": p.grad = None
  std::vector<int64_t> shape;
  std::vector<double> values;
};

struct OptimCase {
  std::string name, cls;
  int line = 0;
  std::map<std::string, double> options;
  std::string sched_cls;
  std::map<std::string, double> sched_options;
  int steps = 0;
  std::vector<Array> params;
  std::vector<std::vector<Array>> grads;  // [step][param]
  std::vector<std::vector<Array>> after;  // [step][param]
};

struct SchedCase {
  std::string name, cls;
  int line = 0;
  std::map<std::string, double> options;
  std::vector<double> lrs;
};

struct Fixtures {
  std::vector<OptimCase> optim;
  std::vector<SchedCase> sched;
};

[[noreturn]] void fail(int line, const std::string& msg) {
  throw std::runtime_error(std::string(kFixtureFile) + ":" + std::to_string(line) + ": " + msg);
}

double to_double(const std::string& tok, int line) {
  char* end = nullptr;
  double d = std::strtod(tok.c_str(), &end);
  if (end == tok.c_str() || *end != '\0') fail(line, "bad number '" + tok + "'");
  return d;
}

int64_t to_int(const std::string& tok, int line) {
  char* end = nullptr;
  long long v = std::strtoll(tok.c_str(), &end, 10);
  if (end == tok.c_str() || *end != '\0') fail(line, "bad integer '" + tok + "'");
  return v;
}

// "none" | "shape <dims...> values <numbers...>" from toks[pos].
Array parse_array(const std::vector<std::string>& toks, size_t pos, int line) {
  Array a;
  if (pos < toks.size() && toks[pos] == "none") {
    if (pos + 1 != toks.size()) fail(line, "junk after 'none'");
    a.none = true;
    return a;
  }
  if (pos >= toks.size() || toks[pos] != "shape") fail(line, "expected 'shape'");
  size_t i = pos + 1;
  for (; i < toks.size() && toks[i] != "values"; ++i) a.shape.push_back(to_int(toks[i], line));
  if (i == toks.size()) fail(line, "expected 'values'");
  for (++i; i < toks.size(); ++i) a.values.push_back(to_double(toks[i], line));
  int64_t n = 1;
  for (int64_t d : a.shape) n *= d;
  if (static_cast<int64_t>(a.values.size()) != n) fail(line, "wrong number of values");
  return a;
}

// Stores `a` at [step][index], growing the table; each slot must be written once.
void put(std::vector<std::vector<Array>>& table, int64_t step, int64_t index, Array a, int line) {
  if (step < 0 || index < 0) fail(line, "negative index");
  if (table.size() <= static_cast<size_t>(step)) table.resize(step + 1);
  auto& row = table[step];
  if (static_cast<int64_t>(row.size()) != index) fail(line, "entries out of order");
  row.push_back(std::move(a));
}

Fixtures load_fixtures() {
  std::ifstream in(kFixtureFile);
  if (!in) throw std::runtime_error(std::string("cannot open ") + kFixtureFile);
  Fixtures f;
  OptimCase* oc = nullptr;
  SchedCase* sc = nullptr;
  std::string text;
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    std::istringstream ss(text);
    std::vector<std::string> t;
    for (std::string tok; ss >> tok;) t.push_back(tok);
    if (t.empty() || t[0][0] == '#') continue;
    const std::string& key = t[0];
    if (!oc && !sc) {
      if (t.size() != 3) fail(line, "expected 'optim|sched <name> <class>'");
      if (key == "optim") {
        f.optim.emplace_back();
        oc = &f.optim.back();
        oc->name = t[1], oc->cls = t[2], oc->line = line;
      } else if (key == "sched") {
        f.sched.emplace_back();
        sc = &f.sched.back();
        sc->name = t[1], sc->cls = t[2], sc->line = line;
      } else {
        fail(line, "expected 'optim' or 'sched', got '" + key + "'");
      }
      continue;
    }
    if (key == "end") {
      oc = nullptr, sc = nullptr;
      continue;
    }
    if (key == "option") {
      if (t.size() != 3) fail(line, "expected 'option <name> <value>'");
      (oc ? oc->options : sc->options)[t[1]] = to_double(t[2], line);
    } else if (sc && key == "lrs") {
      for (size_t i = 1; i < t.size(); ++i) sc->lrs.push_back(to_double(t[i], line));
    } else if (oc && key == "sched") {
      if (t.size() % 2 != 0) fail(line, "expected 'sched <class> (<name> <value>)...'");
      oc->sched_cls = t[1];
      for (size_t i = 2; i + 1 < t.size(); i += 2) oc->sched_options[t[i]] = to_double(t[i + 1], line);
    } else if (oc && key == "steps") {
      oc->steps = static_cast<int>(to_int(t.at(1), line));
    } else if (oc && key == "param") {
      if (to_int(t.at(1), line) != static_cast<int64_t>(oc->params.size())) fail(line, "param out of order");
      oc->params.push_back(parse_array(t, 2, line));
    } else if (oc && (key == "grad" || key == "after")) {
      if (t.size() < 4) fail(line, "expected '" + key + " <step> <index> ...'");
      put(key == "grad" ? oc->grads : oc->after, to_int(t[1], line), to_int(t[2], line), parse_array(t, 3, line), line);
    } else {
      fail(line, "unexpected '" + key + "'");
    }
  }
  if (oc || sc) fail(line, "missing 'end'");
  for (const auto& c : f.optim) {
    if (c.steps <= 0 || c.grads.size() != static_cast<size_t>(c.steps) ||
        c.after.size() != static_cast<size_t>(c.steps))
      fail(c.line, "case " + c.name + ": wrong number of steps");
    for (int k = 0; k < c.steps; ++k)
      if (c.grads[k].size() != c.params.size() || c.after[k].size() != c.params.size())
        fail(c.line, "case " + c.name + ": wrong number of parameters at step " + std::to_string(k));
  }
  return f;
}

const Fixtures& fixtures() {
  static const Fixtures f = [] {
    try {
      return load_fixtures();
    } catch (const std::exception& e) {
      // Reported by FixtureFile.Loads; the parameterized tests then have no cases.
      return Fixtures{};
    }
  }();
  return f;
}

// ---- building optimizers and schedulers from a case's options -----------------------------------

// Takes the options of a case one by one, so that an option the test does not know fails.
struct OptionReader {
  std::map<std::string, double> left;
  double take(const std::string& name, double fallback) {
    auto it = left.find(name);
    if (it == left.end()) return fallback;
    double v = it->second;
    left.erase(it);
    return v;
  }
  bool take_bool(const std::string& name, bool fallback) { return take(name, fallback ? 1.0 : 0.0) != 0.0; }
  void done(const std::string& what) const {
    for (const auto& kv : left) throw std::runtime_error(what + ": unknown option " + kv.first);
  }
};

// The optimizer of `cls` with the given options; the defaults of the options classes fill in the
// options the case does not give (they are libtorch's = PyTorch's defaults, which the fixture used).
std::unique_ptr<optim::Optimizer> make_optimizer(const std::string& cls, const std::map<std::string, double>& options,
                                                 std::vector<Tensor> params) {
  OptionReader r{options};
  std::unique_ptr<optim::Optimizer> opt;
  if (cls == "SGD") {
    optim::SGDOptions o(r.take("lr", -1));
    o.momentum(r.take("momentum", o.momentum()))
        .dampening(r.take("dampening", o.dampening()))
        .weight_decay(r.take("weight_decay", o.weight_decay()))
        .nesterov(r.take_bool("nesterov", o.nesterov()));
    opt = std::make_unique<optim::SGD>(params, o);
  } else if (cls == "Adam") {
    optim::AdamOptions o;
    o.lr(r.take("lr", o.lr()))
        .betas({r.take("beta1", std::get<0>(o.betas())), r.take("beta2", std::get<1>(o.betas()))})
        .eps(r.take("eps", o.eps()))
        .weight_decay(r.take("weight_decay", o.weight_decay()))
        .amsgrad(r.take_bool("amsgrad", o.amsgrad()));
    opt = std::make_unique<optim::Adam>(params, o);
  } else if (cls == "AdamW") {
    optim::AdamWOptions o;
    o.lr(r.take("lr", o.lr()))
        .betas({r.take("beta1", std::get<0>(o.betas())), r.take("beta2", std::get<1>(o.betas()))})
        .eps(r.take("eps", o.eps()))
        .weight_decay(r.take("weight_decay", o.weight_decay()))
        .amsgrad(r.take_bool("amsgrad", o.amsgrad()));
    opt = std::make_unique<optim::AdamW>(params, o);
  } else if (cls == "RMSprop") {
    optim::RMSpropOptions o;
    o.lr(r.take("lr", o.lr()))
        .alpha(r.take("alpha", o.alpha()))
        .eps(r.take("eps", o.eps()))
        .weight_decay(r.take("weight_decay", o.weight_decay()))
        .momentum(r.take("momentum", o.momentum()))
        .centered(r.take_bool("centered", o.centered()));
    opt = std::make_unique<optim::RMSprop>(params, o);
  } else if (cls == "Adagrad") {
    optim::AdagradOptions o;
    o.lr(r.take("lr", o.lr()))
        .lr_decay(r.take("lr_decay", o.lr_decay()))
        .weight_decay(r.take("weight_decay", o.weight_decay()))
        .initial_accumulator_value(r.take("initial_accumulator_value", o.initial_accumulator_value()))
        .eps(r.take("eps", o.eps()));
    opt = std::make_unique<optim::Adagrad>(params, o);
  } else {
    throw std::runtime_error("unknown optimizer " + cls);
  }
  r.done(cls);
  return opt;
}

std::unique_ptr<optim::LRScheduler> make_scheduler(const std::string& cls, const std::map<std::string, double>& options,
                                                   optim::Optimizer& opt) {
  OptionReader r{options};
  r.take("lr", 0);  // (the optimizer's)
  std::unique_ptr<optim::LRScheduler> s;
  if (cls == "StepLR") {
    auto step_size = static_cast<int64_t>(r.take("step_size", -1));
    s = std::make_unique<optim::StepLR>(opt, step_size, r.take("gamma", 0.1));
  } else if (cls == "CosineAnnealingLR") {
    auto t_max = static_cast<int64_t>(r.take("T_max", -1));
    s = std::make_unique<optim::CosineAnnealingLR>(opt, t_max, r.take("eta_min", 0.0));
  } else {
    throw std::runtime_error("unknown scheduler " + cls);
  }
  r.done(cls);
  return s;
}

Tensor to_tensor(const Array& a, tg::ScalarType dtype) {
  return tg::from_blob_copy(a.values.data(), a.shape, tg::kFloat64).to(dtype);
}

bool close(double actual, double expected, double rtol, double atol) {
  if (std::isnan(expected)) return std::isnan(actual);
  return std::abs(actual - expected) <= rtol * std::abs(expected) + atol;
}

// Runs a case in `dtype` and checks every parameter after every step.
void run_case(const OptimCase& c, tg::ScalarType dtype, double rtol, double atol) {
  std::vector<Tensor> params;
  for (const Array& a : c.params) params.push_back(to_tensor(a, dtype).requires_grad_());
  auto opt = make_optimizer(c.cls, c.options, params);
  std::unique_ptr<optim::LRScheduler> sched;
  if (!c.sched_cls.empty()) sched = make_scheduler(c.sched_cls, c.sched_options, *opt);
  for (int k = 0; k < c.steps; ++k) {
    for (size_t i = 0; i < params.size(); ++i) {
      const Array& g = c.grads[k][i];
      params[i].mutable_grad() = g.none ? Tensor() : to_tensor(g, dtype);
    }
    opt->step();
    if (sched) sched->step();
    for (size_t i = 0; i < params.size(); ++i) {
      const Array& want = c.after[k][i];
      ASSERT_EQ(std::vector<int64_t>(params[i].sizes().begin(), params[i].sizes().end()), want.shape);
      ASSERT_EQ(params[i].dtype(), dtype);
      std::vector<double> got = params[i].tolist<double>();
      for (size_t j = 0; j < got.size(); ++j) {
        ASSERT_TRUE(close(got[j], want.values[j], rtol, atol))
            << c.name << " (" << tg::dtype_name(dtype) << "): step " << k << ", parameter " << i << ", element " << j
            << ": got " << got[j] << ", PyTorch " << want.values[j] << " (difference " << got[j] - want.values[j]
            << ")";
      }
    }
  }
}

std::string case_label(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

std::vector<std::string> optim_case_names() {
  std::vector<std::string> names;
  for (const auto& c : fixtures().optim) names.push_back(c.name);
  return names;
}

std::vector<std::string> sched_case_names() {
  std::vector<std::string> names;
  for (const auto& c : fixtures().sched) names.push_back(c.name);
  return names;
}

const OptimCase& optim_case(const std::string& name) {
  for (const auto& c : fixtures().optim)
    if (c.name == name) return c;
  throw std::runtime_error("no case " + name);
}

const SchedCase& sched_case(const std::string& name) {
  for (const auto& c : fixtures().sched)
    if (c.name == name) return c;
  throw std::runtime_error("no case " + name);
}

// EXPECT_THROW_MSG(stmt, "substring"): stmt throws tg::Error whose message contains substring.
#define EXPECT_THROW_MSG(stmt, substring)                                         \
  do {                                                                            \
    try {                                                                         \
      stmt;                                                                       \
      ADD_FAILURE() << "expected tg::Error containing \"" << (substring) << "\""; \
    } catch (const tg::Error& e) {                                                \
      EXPECT_NE(std::string(e.what()).find(substring), std::string::npos)         \
          << "message: " << e.what() << "\nexpected to contain: " << (substring); \
    }                                                                             \
  } while (0)

tg::TensorOptions f64() { return tg::TensorOptions().dtype(tg::kFloat64); }

}  // namespace

// ---- PyTorch fixtures ---------------------------------------------------------------------------

TEST(FixtureFile, Loads) {
  Fixtures f;
  ASSERT_NO_THROW(f = load_fixtures());
  // Every optimizer and scheduler is covered, with several option combinations.
  std::map<std::string, int> count;
  for (const auto& c : f.optim) ++count[c.cls];
  for (const auto& c : f.sched) ++count[c.cls];
  for (const char* cls : {"SGD", "Adam", "AdamW", "RMSprop", "Adagrad"}) EXPECT_GE(count[cls], 4) << cls;
  EXPECT_GE(count["StepLR"], 2);
  EXPECT_GE(count["CosineAnnealingLR"], 2);
  for (const auto& c : f.sched) EXPECT_GE(c.lrs.size(), 11u) << c.name;
  // Some step leaves a gradient undefined (the parameter must be skipped).
  bool some_none = false;
  for (const auto& c : f.optim)
    for (const auto& row : c.grads)
      for (const auto& g : row) some_none |= g.none;
  EXPECT_TRUE(some_none);
}

class OptimReference : public ::testing::TestWithParam<std::string> {};

TEST_P(OptimReference, Float64MatchesPyTorch) { run_case(optim_case(GetParam()), tg::kFloat64, kRelTol, kAbsTol); }

TEST_P(OptimReference, Float32FollowsPyTorch) { run_case(optim_case(GetParam()), tg::kFloat32, 1e-4, 1e-5); }

INSTANTIATE_TEST_SUITE_P(Fixtures, OptimReference, ::testing::ValuesIn(optim_case_names()), case_label);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(OptimReference);

class SchedReference : public ::testing::TestWithParam<std::string> {};

TEST_P(SchedReference, MatchesPyTorch) {
  const SchedCase& c = sched_case(GetParam());
  Tensor p = tg::zeros({3}, f64()).requires_grad_();
  optim::SGD opt({p}, optim::SGDOptions(c.options.at("lr")));
  auto sched = make_scheduler(c.cls, c.options, opt);
  ASSERT_EQ(sched->get_last_lr().size(), 1u);
  EXPECT_TRUE(close(sched->get_last_lr()[0], c.lrs[0], kRelTol, kAbsTol)) << "epoch 0";
  EXPECT_EQ(sched->last_epoch(), 0);
  for (size_t e = 1; e < c.lrs.size(); ++e) {
    opt.step();
    sched->step();
    double got = sched->get_last_lr()[0];
    EXPECT_TRUE(close(got, c.lrs[e], kRelTol, kAbsTol))
        << c.name << ": epoch " << e << ": got " << got << ", PyTorch " << c.lrs[e];
    EXPECT_EQ(opt.lr(), got) << "the optimizer's learning rate follows the scheduler";
    EXPECT_EQ(sched->last_epoch(), static_cast<int64_t>(e));
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, SchedReference, ::testing::ValuesIn(sched_case_names()), case_label);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SchedReference);

// ---- options ------------------------------------------------------------------------------------

TEST(Options, LibtorchDefaults) {
  optim::SGDOptions sgd(0.1);
  EXPECT_EQ(sgd.lr(), 0.1);
  EXPECT_EQ(sgd.momentum(), 0);
  EXPECT_EQ(sgd.dampening(), 0);
  EXPECT_EQ(sgd.weight_decay(), 0);
  EXPECT_FALSE(sgd.nesterov());

  optim::AdamOptions adam;
  EXPECT_EQ(adam.lr(), 1e-3);
  EXPECT_EQ(std::get<0>(adam.betas()), 0.9);
  EXPECT_EQ(std::get<1>(adam.betas()), 0.999);
  EXPECT_EQ(adam.eps(), 1e-8);
  EXPECT_EQ(adam.weight_decay(), 0);
  EXPECT_FALSE(adam.amsgrad());

  optim::AdamWOptions adamw;
  EXPECT_EQ(adamw.lr(), 1e-3);
  EXPECT_EQ(std::get<0>(adamw.betas()), 0.9);
  EXPECT_EQ(std::get<1>(adamw.betas()), 0.999);
  EXPECT_EQ(adamw.eps(), 1e-8);
  EXPECT_EQ(adamw.weight_decay(), 1e-2);
  EXPECT_FALSE(adamw.amsgrad());

  optim::RMSpropOptions rms;
  EXPECT_EQ(rms.lr(), 1e-2);
  EXPECT_EQ(rms.alpha(), 0.99);
  EXPECT_EQ(rms.eps(), 1e-8);
  EXPECT_EQ(rms.weight_decay(), 0);
  EXPECT_EQ(rms.momentum(), 0);
  EXPECT_FALSE(rms.centered());

  optim::AdagradOptions ada;
  EXPECT_EQ(ada.lr(), 1e-2);
  EXPECT_EQ(ada.lr_decay(), 0);
  EXPECT_EQ(ada.weight_decay(), 0);
  EXPECT_EQ(ada.initial_accumulator_value(), 0);
  EXPECT_EQ(ada.eps(), 1e-10);
}

TEST(Options, ChainableSettersAndLrAccess) {
  auto o = optim::SGDOptions(0.1).momentum(0.9).dampening(0.1).weight_decay(1e-4).nesterov(false);
  EXPECT_EQ(o.momentum(), 0.9);
  EXPECT_EQ(o.dampening(), 0.1);
  EXPECT_EQ(o.weight_decay(), 1e-4);
  auto a = optim::AdamOptions(0.01).betas({0.8, 0.9}).eps(1e-6).amsgrad(true);
  EXPECT_EQ(std::get<0>(a.betas()), 0.8);
  EXPECT_EQ(std::get<1>(a.betas()), 0.9);
  EXPECT_TRUE(a.amsgrad());

  Tensor w = tg::ones({2}, f64()).requires_grad_();
  optim::Adam opt({w}, optim::AdamOptions(0.01));
  EXPECT_EQ(opt.lr(), 0.01);
  EXPECT_EQ(opt.param_groups()[0].options().get_lr(), 0.01);
  EXPECT_EQ(static_cast<optim::AdamOptions&>(opt.param_groups()[0].options()).lr(), 0.01);
  opt.set_lr(0.5);
  EXPECT_EQ(opt.lr(), 0.5);
  EXPECT_EQ(opt.defaults().get_lr(), 0.01);  // the defaults are the constructor's
  EXPECT_EQ(opt.size(), 1u);
  ASSERT_EQ(opt.parameters().size(), 1u);
  EXPECT_TRUE(opt.parameters()[0].is_same(w));
}

TEST(Options, ParamGroupsWithTheirOwnOptions) {
  Tensor a = tg::zeros({2}, f64()).requires_grad_();
  Tensor b = tg::zeros({2}, f64()).requires_grad_();
  std::vector<optim::OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<Tensor>{a});
  groups.emplace_back(std::vector<Tensor>{b}, std::make_unique<optim::SGDOptions>(0.01));
  optim::SGD opt(std::move(groups), optim::SGDOptions(0.1));
  ASSERT_EQ(opt.param_groups().size(), 2u);
  EXPECT_EQ(opt.param_groups()[0].options().get_lr(), 0.1);
  EXPECT_EQ(opt.param_groups()[1].options().get_lr(), 0.01);
  a.mutable_grad() = tg::ones({2}, f64());
  b.mutable_grad() = tg::ones({2}, f64());
  opt.step();
  EXPECT_DOUBLE_EQ(a.tolist<double>()[0], -0.1);
  EXPECT_DOUBLE_EQ(b.tolist<double>()[0], -0.01);

  // add_param_group with defaults, then a scheduler over both groups.
  Tensor c = tg::zeros({1}, f64()).requires_grad_();
  opt.add_param_group(optim::OptimizerParamGroup({c}));
  EXPECT_EQ(opt.param_groups()[2].options().get_lr(), 0.1);
  EXPECT_EQ(opt.size(), 3u);
  optim::StepLR sched(opt, 1, 0.5);
  sched.step();
  EXPECT_EQ(sched.get_last_lr(), (std::vector<double>{0.05, 0.005, 0.05}));
  opt.set_lr(0.2);
  for (const auto& g : opt.param_groups()) EXPECT_EQ(g.options().get_lr(), 0.2);
}

// ---- behaviour ----------------------------------------------------------------------------------

namespace {
// A linear regression problem: y = X w* + b* + noise; returns the final / initial loss ratio.
double train_regression(const std::function<std::unique_ptr<optim::Optimizer>(std::vector<Tensor>)>& make, int steps) {
  tg::manual_seed(7);
  Tensor X = tg::randn({64, 3});
  Tensor w_true = tg::tensor({{1.5}, {-2.0}, {0.5}});
  Tensor y = tg::matmul(X, w_true) + 0.3 + 0.01 * tg::randn({64, 1});
  Tensor w = tg::zeros({3, 1}).requires_grad_();
  Tensor b = tg::zeros({1}).requires_grad_();
  auto opt = make({w, b});
  auto loss_fn = [&] { return (tg::matmul(X, w) + b - y).square().mean(); };
  double first = loss_fn().item<double>();
  for (int i = 0; i < steps; ++i) {
    opt->zero_grad();
    Tensor loss = loss_fn();
    loss.backward();
    opt->step();
  }
  double last = loss_fn().item<double>();
  EXPECT_TRUE(w.is_leaf());
  EXPECT_EQ(w.dtype(), tg::kFloat32);
  return last / first;
}
}  // namespace

TEST(Training, RegressionLossDecreases) {
  double sgd = train_regression(
      [](std::vector<Tensor> p) { return std::make_unique<optim::SGD>(p, optim::SGDOptions(0.05).momentum(0.9)); },
      100);
  EXPECT_LT(sgd, 1e-3);
  double adam = train_regression(
      [](std::vector<Tensor> p) { return std::make_unique<optim::Adam>(p, optim::AdamOptions(0.05)); }, 300);
  EXPECT_LT(adam, 1e-3);
  double adamw = train_regression(
      [](std::vector<Tensor> p) { return std::make_unique<optim::AdamW>(p, optim::AdamWOptions(0.05)); }, 300);
  EXPECT_LT(adamw, 1e-2);
  double rms = train_regression(
      [](std::vector<Tensor> p) { return std::make_unique<optim::RMSprop>(p, optim::RMSpropOptions(0.01)); }, 300);
  EXPECT_LT(rms, 1e-2);
  double ada = train_regression(
      [](std::vector<Tensor> p) { return std::make_unique<optim::Adagrad>(p, optim::AdagradOptions(0.5)); }, 300);
  EXPECT_LT(ada, 1e-2);
}

TEST(Training, StepWithClosureReturnsTheLoss) {
  Tensor w = tg::tensor({2.0, -1.0}, f64()).requires_grad_();
  optim::SGD opt({w}, optim::SGDOptions(0.25));
  auto closure = [&] {
    opt.zero_grad();
    Tensor loss = (w * w).sum();
    loss.backward();
    return loss;
  };
  Tensor loss = opt.step(closure);
  ASSERT_TRUE(loss.defined());
  EXPECT_DOUBLE_EQ(loss.item<double>(), 5.0);
  // w ← w − 0.25 · 2w = w / 2
  EXPECT_EQ(w.tolist<double>(), (std::vector<double>{1.0, -0.5}));
  EXPECT_FALSE(opt.step().defined());  // without a closure: an undefined tensor
  {
    tg::NoGradGuard no_grad;  // the closure runs with grad mode on even here
    opt.step(closure);
  }
  EXPECT_TRUE(tg::GradMode::is_enabled());
}

TEST(ZeroGrad, SetToNoneByDefault) {
  Tensor w = tg::ones({3}, f64()).requires_grad_();
  optim::SGD opt({w}, optim::SGDOptions(0.1));
  (w * 2.0).sum().backward();
  ASSERT_TRUE(w.grad().defined());
  opt.zero_grad();
  EXPECT_FALSE(w.grad().defined());
  opt.zero_grad();  // no gradient: nothing to do
  EXPECT_FALSE(w.grad().defined());
}

TEST(ZeroGrad, ZerosInPlaceWhenNotSetToNone) {
  Tensor w = tg::ones({3}, f64()).requires_grad_();
  optim::SGD opt({w}, optim::SGDOptions(0.1));
  (w * 2.0).sum().backward();
  Tensor g = w.grad();
  opt.zero_grad(false);
  ASSERT_TRUE(w.grad().defined());
  EXPECT_TRUE(w.grad().is_same(g));  // the same tensor, zeroed in place
  EXPECT_EQ(w.grad().tolist<double>(), (std::vector<double>{0, 0, 0}));
  // Gradients accumulate again from zero.
  (w * 3.0).sum().backward();
  EXPECT_EQ(w.grad().tolist<double>(), (std::vector<double>{3, 3, 3}));
}

TEST(ZeroGrad, DetachesAGradientThatIsAGraph) {
  Tensor w = tg::tensor({1.0, 2.0}, f64()).requires_grad_();
  optim::SGD opt({w}, optim::SGDOptions(0.1));
  (w * w * w).sum().backward({}, std::nullopt, /*create_graph=*/true);
  ASSERT_TRUE(w.grad().requires_grad());
  opt.zero_grad(false);
  EXPECT_FALSE(w.grad().requires_grad());
  EXPECT_EQ(w.grad().grad_fn(), nullptr);
  EXPECT_EQ(w.grad().tolist<double>(), (std::vector<double>{0, 0}));
}

TEST(Step, ParametersWithoutGradientAreSkipped) {
  Tensor a = tg::tensor({1.0, 2.0}, f64()).requires_grad_();
  Tensor b = tg::tensor({3.0}, f64()).requires_grad_();
  optim::Adam opt({a, b}, optim::AdamOptions(0.1));
  a.mutable_grad() = tg::tensor({1.0, -1.0}, f64());
  opt.step();
  EXPECT_EQ(b.tolist<double>(), (std::vector<double>{3.0}));
  EXPECT_EQ(opt.state().count(b.unsafeGetTensorImpl()), 0u);
  ASSERT_EQ(opt.state().count(a.unsafeGetTensorImpl()), 1u);
  auto& st = static_cast<optim::AdamParamState&>(*opt.state().at(a.unsafeGetTensorImpl()));
  EXPECT_EQ(st.step(), 1);
  // Adam's first step moves each element by lr (sign of the gradient), up to eps.
  std::vector<double> av = a.tolist<double>();
  EXPECT_NEAR(av[0], 0.9, 1e-7);
  EXPECT_NEAR(av[1], 2.1, 1e-7);
  opt.step();
  EXPECT_EQ(st.step(), 2);
}

TEST(Step, RecordsNoGraph) {
  // Gradients that are graphs themselves (create_graph=true) must not make the update a graph.
  std::vector<std::function<std::unique_ptr<optim::Optimizer>(std::vector<Tensor>)>> makers = {
      [](std::vector<Tensor> p) {
        return std::make_unique<optim::SGD>(p, optim::SGDOptions(0.1).momentum(0.9).nesterov(true).weight_decay(0.1));
      },
      [](std::vector<Tensor> p) {
        return std::make_unique<optim::Adam>(p, optim::AdamOptions().amsgrad(true).weight_decay(0.1));
      },
      [](std::vector<Tensor> p) { return std::make_unique<optim::AdamW>(p, optim::AdamWOptions().amsgrad(true)); },
      [](std::vector<Tensor> p) {
        return std::make_unique<optim::RMSprop>(p,
                                                optim::RMSpropOptions().centered(true).momentum(0.5).weight_decay(0.1));
      },
      [](std::vector<Tensor> p) {
        return std::make_unique<optim::Adagrad>(p, optim::AdagradOptions().weight_decay(0.1));
      },
  };
  for (size_t m = 0; m < makers.size(); ++m) {
    Tensor w = tg::tensor({0.5, -1.5, 2.0}, f64()).requires_grad_();
    auto opt = makers[m]({w});
    for (int k = 0; k < 3; ++k) {
      opt->zero_grad();
      (w * w * w).sum().backward({}, std::nullopt, /*create_graph=*/true);
      ASSERT_TRUE(w.grad().requires_grad());
      opt->step();
      EXPECT_TRUE(w.is_leaf()) << opt->name();
      EXPECT_EQ(w.grad_fn(), nullptr) << opt->name();
      EXPECT_TRUE(w.requires_grad()) << opt->name();
      EXPECT_TRUE(tg::GradMode::is_enabled());
    }
    opt->zero_grad();
    (w * 2.0).sum().backward();  // the parameter is still a usable leaf
    EXPECT_EQ(w.grad().tolist<double>(), (std::vector<double>{2, 2, 2})) << opt->name();
  }
}

TEST(Step, StateTensorsAreOutsideTheGraph) {
  Tensor w = tg::tensor({0.5, -1.5}, f64()).requires_grad_();
  optim::SGD opt({w}, optim::SGDOptions(0.1).momentum(0.9));
  (w * w * w).sum().backward({}, std::nullopt, /*create_graph=*/true);
  opt.step();
  auto& st = static_cast<optim::SGDParamState&>(*opt.state().at(w.unsafeGetTensorImpl()));
  ASSERT_TRUE(st.momentum_buffer().defined());
  EXPECT_FALSE(st.momentum_buffer().requires_grad());
  EXPECT_EQ(st.momentum_buffer().grad_fn(), nullptr);
  EXPECT_FALSE(st.momentum_buffer().is_same(w.grad()));
  // A gradient built with create_graph references its parameter (PyTorch's reference cycle
  // between a parameter and its gradient): reset it, as PyTorch's docs advise.
  opt.zero_grad();
}

TEST(Step, Float32ParametersStayFloat32) {
  Tensor w = tg::ones({4}).requires_grad_();
  optim::Adam opt({w}, optim::AdamOptions(0.1).amsgrad(true));
  w.mutable_grad() = tg::full({4}, 0.5);
  opt.step();
  EXPECT_EQ(w.dtype(), tg::kFloat32);
  auto& st = static_cast<optim::AdamParamState&>(*opt.state().at(w.unsafeGetTensorImpl()));
  EXPECT_EQ(st.exp_avg().dtype(), tg::kFloat32);
  EXPECT_NEAR(w.tolist<double>()[0], 0.9, 1e-6);
}

TEST(Step, AdagradCreatesItsStateAtConstruction) {
  Tensor w = tg::ones({2}, f64()).requires_grad_();
  optim::Adagrad opt({w}, optim::AdagradOptions().initial_accumulator_value(0.25));
  ASSERT_EQ(opt.state().count(w.unsafeGetTensorImpl()), 1u);
  auto& st = static_cast<optim::AdagradParamState&>(*opt.state().at(w.unsafeGetTensorImpl()));
  EXPECT_EQ(st.step(), 0);
  EXPECT_EQ(st.sum().tolist<double>(), (std::vector<double>{0.25, 0.25}));
}

// ---- schedulers ---------------------------------------------------------------------------------

TEST(Schedulers, StepLRClosedForm) {
  Tensor w = tg::zeros({1}, f64()).requires_grad_();
  optim::SGD opt({w}, optim::SGDOptions(1.0));
  optim::StepLR sched(opt, 3);  // gamma = 0.1 by default
  EXPECT_EQ(sched.get_last_lr(), std::vector<double>{1.0});
  for (int e = 1; e <= 10; ++e) {
    opt.step();
    sched.step();
    EXPECT_NEAR(opt.lr(), std::pow(0.1, e / 3), 1e-15) << e;
  }
}

TEST(Schedulers, CosineAnnealingClosedForm) {
  Tensor w = tg::zeros({1}, f64()).requires_grad_();
  optim::Adam opt({w}, optim::AdamOptions(0.1));
  const double eta_min = 0.01, pi = std::acos(-1.0);
  optim::CosineAnnealingLR sched(opt, 5, eta_min);
  for (int e = 1; e <= 20; ++e) {
    opt.step();
    sched.step();
    double want = eta_min + (0.1 - eta_min) * (1 + std::cos(pi * e / 5)) / 2;
    EXPECT_NEAR(opt.lr(), want, 1e-12) << e;
  }
}

// ---- gradient clipping --------------------------------------------------------------------------

TEST(ClipGradNorm, ScalesToMaxNorm) {
  Tensor a = tg::zeros({2}, f64()).requires_grad_();
  Tensor b = tg::zeros({1}, f64()).requires_grad_();
  Tensor c = tg::zeros({1}, f64()).requires_grad_();  // no gradient: ignored
  a.mutable_grad() = tg::tensor({3.0, 4.0}, f64());
  b.mutable_grad() = tg::tensor({12.0}, f64());
  // total = sqrt(3² + 4² + 12²) = 13
  double total = tg::nn::utils::clip_grad_norm_({a, b, c}, 6.5);
  EXPECT_DOUBLE_EQ(total, 13.0);
  const double coef = 6.5 / (13.0 + 1e-6);
  std::vector<double> ga = a.grad().tolist<double>(), gb = b.grad().tolist<double>();
  EXPECT_DOUBLE_EQ(ga[0], 3.0 * coef);
  EXPECT_DOUBLE_EQ(ga[1], 4.0 * coef);
  EXPECT_DOUBLE_EQ(gb[0], 12.0 * coef);
  EXPECT_FALSE(c.grad().defined());
  // The clipped gradients have norm max_norm (up to the 1e-6 of the formula).
  EXPECT_NEAR(tg::nn::utils::clip_grad_norm_(std::vector<Tensor>{a, b}, 100.0), 6.5, 1e-6);
}

TEST(ClipGradNorm, NoClippingBelowMaxNorm) {
  Tensor a = tg::zeros({2}, f64()).requires_grad_();
  a.mutable_grad() = tg::tensor({3.0, 4.0}, f64());
  EXPECT_DOUBLE_EQ(tg::nn::utils::clip_grad_norm_(a, 10.0), 5.0);
  EXPECT_EQ(a.grad().tolist<double>(), (std::vector<double>{3.0, 4.0}));
}

TEST(ClipGradNorm, OtherNormTypes) {
  Tensor a = tg::zeros({2}, f64()).requires_grad_();
  Tensor b = tg::zeros({1}, f64()).requires_grad_();
  auto reset = [&] {
    a.mutable_grad() = tg::tensor({3.0, -4.0}, f64());
    b.mutable_grad() = tg::tensor({-12.0}, f64());
  };
  reset();
  EXPECT_DOUBLE_EQ(tg::nn::utils::clip_grad_norm_({a, b}, 1000.0, 1.0), 19.0);
  reset();
  EXPECT_DOUBLE_EQ(tg::nn::utils::clip_grad_norm_({a, b}, 1000.0, INFINITY), 12.0);
  reset();
  double total = tg::nn::utils::clip_grad_norm_({a, b}, 6.0, INFINITY);
  EXPECT_DOUBLE_EQ(total, 12.0);
  EXPECT_DOUBLE_EQ(b.grad().tolist<double>()[0], -12.0 * 6.0 / (12.0 + 1e-6));
  reset();
  EXPECT_NEAR(tg::nn::utils::clip_grad_norm_({a, b}, 1000.0, 3.0), std::cbrt(27.0 + 64.0 + 1728.0), 1e-12);
}

TEST(ClipGradNorm, Float32AndNoGradients) {
  Tensor a = tg::zeros({2}).requires_grad_();
  EXPECT_EQ(tg::nn::utils::clip_grad_norm_(a, 1.0), 0.0);  // no gradient at all
  a.mutable_grad() = tg::tensor({3.0, 4.0});
  EXPECT_NEAR(tg::nn::utils::clip_grad_norm_(a, 1.0), 5.0, 1e-6);
  EXPECT_EQ(a.grad().dtype(), tg::kFloat32);
  EXPECT_NEAR(a.grad().tolist<double>()[1], 0.8, 1e-6);
}

TEST(ClipGradNorm, NonFinite) {
  Tensor a = tg::zeros({2}, f64()).requires_grad_();
  a.mutable_grad() = tg::tensor({1.0, INFINITY}, f64());
  EXPECT_THROW_MSG(tg::nn::utils::clip_grad_norm_(a, 1.0, 2.0, true), "is non-finite, so it cannot be clipped");
  EXPECT_TRUE(std::isinf(tg::nn::utils::clip_grad_norm_(a, 1.0)));
}

TEST(ClipGradValue, Clamps) {
  Tensor a = tg::zeros({4}, f64()).requires_grad_();
  Tensor b = tg::zeros({1}, f64()).requires_grad_();
  a.mutable_grad() = tg::tensor({-3.0, -0.5, 0.25, 7.0}, f64());
  tg::nn::utils::clip_grad_value_({a, b}, 1.0);
  EXPECT_EQ(a.grad().tolist<double>(), (std::vector<double>{-1.0, -0.5, 0.25, 1.0}));
  EXPECT_FALSE(b.grad().defined());
}

// ---- errors -------------------------------------------------------------------------------------

TEST(Errors, InvalidOptions) {
  Tensor w = tg::zeros({2}, f64()).requires_grad_();
  std::vector<Tensor> ps{w};
  EXPECT_THROW_MSG(optim::SGD(ps, optim::SGDOptions(-0.1)), "SGD: Invalid learning rate: -0.1");
  EXPECT_THROW_MSG(optim::SGD(ps, optim::SGDOptions(0.1).momentum(-0.5)), "SGD: Invalid momentum value: -0.5");
  EXPECT_THROW_MSG(optim::SGD(ps, optim::SGDOptions(0.1).weight_decay(-1)), "SGD: Invalid weight_decay value: -1");
  EXPECT_THROW_MSG(optim::SGD(ps, optim::SGDOptions(0.1).nesterov(true)),
                   "Nesterov momentum requires a momentum and zero dampening (got momentum 0, dampening 0)");
  EXPECT_THROW_MSG(optim::SGD(ps, optim::SGDOptions(0.1).momentum(0.9).dampening(0.1).nesterov(true)),
                   "Nesterov momentum requires a momentum and zero dampening (got momentum 0.9, dampening 0.1)");

  EXPECT_THROW_MSG(optim::Adam(ps, optim::AdamOptions(-1e-3)), "Adam: Invalid learning rate: -0.001");
  EXPECT_THROW_MSG(optim::Adam(ps, optim::AdamOptions().betas({1.0, 0.999})),
                   "Adam: Invalid beta parameter at index 0: 1");
  EXPECT_THROW_MSG(optim::Adam(ps, optim::AdamOptions().betas({0.9, -0.5})),
                   "Adam: Invalid beta parameter at index 1: -0.5");
  EXPECT_THROW_MSG(optim::Adam(ps, optim::AdamOptions().eps(-1e-8)), "Adam: Invalid epsilon value: -1e-08");
  EXPECT_THROW_MSG(optim::Adam(ps, optim::AdamOptions().weight_decay(-0.1)), "Adam: Invalid weight_decay value: -0.1");
  EXPECT_THROW_MSG(optim::Adam(ps, optim::AdamOptions(std::nan(""))), "Adam: Invalid learning rate: nan");

  EXPECT_THROW_MSG(optim::AdamW(ps, optim::AdamWOptions(-1)), "AdamW: Invalid learning rate: -1");
  EXPECT_THROW_MSG(optim::AdamW(ps, optim::AdamWOptions().betas({0.9, 1.5})),
                   "AdamW: Invalid beta parameter at index 1: 1.5");
  EXPECT_THROW_MSG(optim::AdamW(ps, optim::AdamWOptions().eps(-1)), "AdamW: Invalid epsilon value: -1");
  EXPECT_THROW_MSG(optim::AdamW(ps, optim::AdamWOptions().weight_decay(-0.01)),
                   "AdamW: Invalid weight_decay value: -0.01");

  EXPECT_THROW_MSG(optim::RMSprop(ps, optim::RMSpropOptions(-0.01)), "RMSprop: Invalid learning rate: -0.01");
  EXPECT_THROW_MSG(optim::RMSprop(ps, optim::RMSpropOptions().eps(-1)), "RMSprop: Invalid epsilon value: -1");
  EXPECT_THROW_MSG(optim::RMSprop(ps, optim::RMSpropOptions().momentum(-0.9)), "RMSprop: Invalid momentum value: -0.9");
  EXPECT_THROW_MSG(optim::RMSprop(ps, optim::RMSpropOptions().weight_decay(-2)),
                   "RMSprop: Invalid weight_decay value: -2");
  EXPECT_THROW_MSG(optim::RMSprop(ps, optim::RMSpropOptions().alpha(-0.5)), "RMSprop: Invalid alpha value: -0.5");

  EXPECT_THROW_MSG(optim::Adagrad(ps, optim::AdagradOptions(-0.01)), "Adagrad: Invalid learning rate: -0.01");
  EXPECT_THROW_MSG(optim::Adagrad(ps, optim::AdagradOptions().lr_decay(-1)), "Adagrad: Invalid lr_decay value: -1");
  EXPECT_THROW_MSG(optim::Adagrad(ps, optim::AdagradOptions().weight_decay(-1)),
                   "Adagrad: Invalid weight_decay value: -1");
  EXPECT_THROW_MSG(optim::Adagrad(ps, optim::AdagradOptions().initial_accumulator_value(-0.1)),
                   "Adagrad: Invalid initial_accumulator_value value: -0.1");
  EXPECT_THROW_MSG(optim::Adagrad(ps, optim::AdagradOptions().eps(-1e-10)), "Adagrad: Invalid epsilon value: -1e-10");
}

TEST(Errors, InvalidParameters) {
  EXPECT_THROW_MSG(optim::SGD(std::vector<Tensor>{}, optim::SGDOptions(0.1)),
                   "SGD: optimizer got an empty parameter list");
  EXPECT_THROW_MSG(optim::Adam(std::vector<Tensor>{}), "Adam: optimizer got an empty parameter list");
  EXPECT_THROW_MSG(optim::AdamW(std::vector<optim::OptimizerParamGroup>{}),
                   "AdamW: optimizer got an empty parameter list");

  Tensor idx = tg::zeros({3}, tg::TensorOptions().dtype(tg::kInt64));
  EXPECT_THROW_MSG(optim::RMSprop({idx}),
                   "RMSprop: can only optimize floating-point tensors, but parameter 0 of group 0 has dtype int64");

  Tensor w = tg::ones({2, 2}, f64()).requires_grad_();
  Tensor non_leaf = w * 2.0;
  EXPECT_THROW_MSG(optim::Adagrad({w, non_leaf}),
                   "Adagrad: can't optimize a non-leaf Tensor (parameter 1 of group 0, shape [2, 2])");
  EXPECT_THROW_MSG(optim::SGD({w, Tensor()}, optim::SGDOptions(0.1)),
                   "SGD: parameter 1 of group 0 is an undefined tensor");

  // The same checks for groups added later; and a group's options must fit the optimizer.
  optim::SGD opt({w}, optim::SGDOptions(0.1));
  EXPECT_THROW_MSG(opt.add_param_group(optim::OptimizerParamGroup({non_leaf})),
                   "SGD: can't optimize a non-leaf Tensor (parameter 0 of group 1");
  EXPECT_THROW_MSG(opt.add_parameters({idx}), "SGD: can only optimize floating-point tensors");
  Tensor v = tg::ones({1}, f64()).requires_grad_();
  EXPECT_THROW_MSG(opt.add_param_group(optim::OptimizerParamGroup({v}, std::make_unique<optim::AdamOptions>())),
                   "SGD: the options of a parameter group must be SGDOptions");
  EXPECT_THROW_MSG(opt.add_param_group(optim::OptimizerParamGroup({v}, std::make_unique<optim::SGDOptions>(-2.0))),
                   "SGD: Invalid learning rate: -2");
  std::vector<optim::OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<Tensor>{v}, std::make_unique<optim::AdamOptions>(0.1));
  EXPECT_THROW_MSG(optim::Adam(std::move(groups), optim::AdamOptions().betas({0.9, 2.0})),
                   "Adam: Invalid beta parameter at index 1: 2");
  EXPECT_EQ(opt.param_groups().size(), 1u);
  EXPECT_THROW_MSG(opt.set_lr(-1.0), "SGD: Invalid learning rate: -1");
}

TEST(Errors, Schedulers) {
  Tensor w = tg::zeros({1}, f64()).requires_grad_();
  optim::SGD opt({w}, optim::SGDOptions(0.1));
  EXPECT_THROW_MSG(optim::StepLR(opt, 0), "StepLR: step_size must be positive, got 0");
  EXPECT_THROW_MSG(optim::StepLR(opt, -3, 0.5), "StepLR: step_size must be positive, got -3");
  EXPECT_THROW_MSG(optim::CosineAnnealingLR(opt, 0), "CosineAnnealingLR: T_max must be positive, got 0");
}

TEST(Errors, Clipping) {
  Tensor w = tg::zeros({1}, f64()).requires_grad_();
  w.mutable_grad() = tg::ones({1}, f64());
  EXPECT_THROW_MSG(tg::nn::utils::clip_grad_norm_(w, -1.0), "clip_grad_norm_: max_norm must be non-negative, got -1");
  EXPECT_THROW_MSG(tg::nn::utils::clip_grad_norm_(w, 1.0, 0.0),
                   "clip_grad_norm_: norm_type must be positive (or inf), got 0");
  EXPECT_THROW_MSG(tg::nn::utils::clip_grad_value_(w, -0.5),
                   "clip_grad_value_: clip_value must be non-negative, got -0.5");
}
