#pragma once
// The comparison shared by the test_reference_*.cpp tests: a tensorgrad computation against a case
// of a PyTorch fixture file (output, first derivatives with create_graph, second derivatives).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <tensorgrad/tensorgrad.h>

#include "fixture_loader.h"

namespace tg_reference {

using tg::Tensor;
using TL = std::vector<Tensor>;
using CaseFn = std::function<Tensor(const TL&)>;

constexpr double kRelTol = 1e-10;
constexpr double kAbsTol = 1e-12;

// The cases of a fixture file, or why it could not be read.
struct Loaded {
  std::vector<tg_fixtures::Case> cases;
  std::string error;  // non-empty when the file could not be read
};

inline Loaded load(const char* file) {
  Loaded r;
  try {
    r.cases = tg_fixtures::load_fixture_file(file);
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  return r;
}

inline const tg_fixtures::Case* find_case(const Loaded& l, const std::string& name) {
  for (const auto& c : l.cases)
    if (c.name == name) return &c;
  return nullptr;
}

inline std::vector<std::string> case_names(const Loaded& l) {
  std::vector<std::string> names;
  for (const auto& c : l.cases) names.push_back(c.name);
  return names;
}

// ---- comparison ----------------------------------------------------------------------------------

inline bool close(double actual, double expected) {
  if (std::isnan(expected)) return std::isnan(actual);
  if (std::isinf(expected)) return actual == expected;
  return std::fabs(actual - expected) <= kRelTol * std::fabs(expected) + kAbsTol;
}

inline std::string shape_str(tg::IntArrayRef s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
  return r + "]";
}

// "[1, 0, 2]": the multi-index of flat element `flat` of a row-major array of shape `shape`.
inline std::string index_str(const std::vector<int64_t>& shape, int64_t flat) {
  std::vector<int64_t> idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    idx[d] = flat % shape[d];
    flat /= shape[d];
  }
  return shape_str(tg::IntArrayRef(idx));
}

inline std::string fmt17(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}

// Checks a tensorgrad tensor against a stored array: defined, float64, same shape, every element
// within tolerance. Reports up to 8 mismatching elements by index.
inline ::testing::AssertionResult matches(const std::string& what, const Tensor& actual,
                                   const tg_fixtures::Array& expected) {
  if (!actual.defined())
    return ::testing::AssertionFailure() << what << ": undefined tensor, torch gives shape "
                                         << expected.shape_str();
  if (actual.dtype() != tg::kFloat64)
    return ::testing::AssertionFailure() << what << ": dtype " << tg::dtype_name(actual.dtype())
                                         << ", expected float64";
  if (actual.sizes().vec() != expected.shape)
    return ::testing::AssertionFailure() << what << ": shape " << shape_str(actual.sizes())
                                         << ", torch gives " << expected.shape_str();
  std::vector<double> a = actual.contiguous().tolist<double>();
  if (a.size() != expected.values.size())
    return ::testing::AssertionFailure() << what << ": tolist() gave " << a.size() << " values for shape "
                                         << expected.shape_str();
  int bad = 0;
  std::ostringstream msg;
  for (size_t i = 0; i < a.size(); ++i) {
    if (close(a[i], expected.values[i])) continue;
    if (++bad <= 8)
      msg << "\n    " << what << index_str(expected.shape, static_cast<int64_t>(i)) << ": tensorgrad "
          << fmt17(a[i]) << ", torch " << fmt17(expected.values[i]) << " (diff "
          << fmt17(a[i] - expected.values[i]) << ")";
  }
  if (bad == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << what << ": " << bad << " of " << a.size()
                                       << " elements differ (tolerance " << kRelTol << " relative + "
                                       << kAbsTol << " absolute):" << msg.str();
}

inline bool all_zero(const Tensor& t) {
  for (double v : t.contiguous().tolist<double>())
    if (v != 0.0) return false;
  return true;
}

// Runs case `fc` through `fn` and checks the output and its node's name, first and second
// derivatives (gtest failures).
inline void run_case(const tg_fixtures::Case* fc, const CaseFn& fn) {
  const size_t n = fc->inputs.size();

  std::string stage = "building inputs";
  try {
    TL inputs;
    for (const auto& a : fc->inputs) inputs.push_back(tg_fixtures::to_tensor(a, /*requires_grad=*/true));

    stage = "forward";
    Tensor out = fn(inputs);
    ASSERT_TRUE(matches("out", out, fc->out));
    ASSERT_TRUE(out.requires_grad()) << "the output does not require grad";
    if (fc->node) {
      ASSERT_TRUE(out.grad_fn() != nullptr) << "the output has no grad_fn; libtorch's is " << *fc->node;
      EXPECT_EQ(out.grad_fn()->name(), *fc->node) << "the output's node is not libtorch's";
    }

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

}  // namespace tg_reference
