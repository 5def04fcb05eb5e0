#pragma once
// Helpers the test files share: an expected tg::Error by its message, and a tensor's values.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "tensorgrad/tensorgrad.h"

namespace tg_test {

// Expects fn to throw a tg::Error whose message contains every one of `parts`.
inline void expect_error(const std::function<void()>& fn, const std::vector<std::string>& parts) {
  try {
    fn();
    ADD_FAILURE() << "no error; expected one containing '" << parts.front() << "'";
  } catch (const tg::Error& e) {
    for (const auto& p : parts)
      EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << "'" << e.what() << "' lacks '" << p << "'";
  }
}
inline void expect_error(const std::function<void()>& fn, const std::string& part) {
  expect_error(fn, std::vector<std::string>{part});
}
inline void expect_error(const std::function<void()>& fn, const char* part) {
  expect_error(fn, std::vector<std::string>{part});
}

// The values of t, in row-major order, as doubles.
inline std::vector<double> vals(const tg::Tensor& t) {
  tg::Tensor c = t.to(tg::kFloat64).contiguous();
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

}  // namespace tg_test
