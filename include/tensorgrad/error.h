#pragma once
/// \file error.h
/// The single exception type of tensorgrad, and the check macro used to raise it.

#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace tg {

/// Every error tensorgrad reports is a tg::Error. Its message names the function, and the shapes
/// and dtypes involved; where PyTorch has a wording for the same error, the message uses it.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace tg

/// TG_CHECK(cond, "fmt string", args...): throws tg::Error with the formatted message if !cond.
#define TG_CHECK(cond, ...)                                 \
  do {                                                      \
    if (!(cond)) throw ::tg::Error(::fmt::format(__VA_ARGS__)); \
  } while (0)

#define TG_ERROR(...) throw ::tg::Error(::fmt::format(__VA_ARGS__))
