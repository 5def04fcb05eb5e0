#pragma once
/// \file error.h
/// The single exception type of tensorgrad, and the check macro used to raise it.

#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "tensorgrad/util.h"

namespace tg {

/// Every error tensorgrad reports is a tg::Error. Its message names the function, and the shapes
/// and dtypes involved; where PyTorch has a wording for the same error, the message uses it.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
  /// The message (libtorch's c10::Error adds a backtrace to what(); tensorgrad's has none).
  const char* what_without_backtrace() const noexcept { return what(); }
  /// The message, as c10::Error::msg().
  std::string msg() const { return what(); }
};

namespace detail {
inline std::string check_message(const char* cond, const std::string& msg) {
  return msg.empty() ? str("Expected ", cond, " to be true, but got false.") : msg;
}
}  // namespace detail

}  // namespace tg

/// TG_CHECK(cond, "fmt string", args...): throws tg::Error with the formatted message if !cond.
#define TG_CHECK(cond, ...)                                 \
  do {                                                      \
    if (!(cond)) throw ::tg::Error(::fmt::format(__VA_ARGS__)); \
  } while (0)

#define TG_ERROR(...) throw ::tg::Error(::fmt::format(__VA_ARGS__))

/// libtorch's TORCH_CHECK(cond, args...), for code moved from libtorch: throws tg::Error with the
/// arguments printed one after the other (operator<<, not a format string), or "Expected cond to
/// be true, but got false." without them. tensorgrad's own code uses TG_CHECK.
#define TG_TORCH_CHECK_(cond, ...)                                                               \
  do {                                                                                           \
    if (!(cond)) throw ::tg::Error(::tg::detail::check_message(#cond, ::tg::str(__VA_ARGS__))); \
  } while (0)
#ifndef TORCH_CHECK
#define TORCH_CHECK(...) TG_TORCH_CHECK_(__VA_ARGS__, "")
#endif
