#pragma once
/// \file warning.h
/// Warnings, with libtorch's handler API: tensorgrad reports a warning (for example "Using
/// backward() with create_graph=True ...") to the current tg::WarningHandler, whose default prints
/// it to stderr. A program, or a test that captures warnings, installs its own:
///
///     struct Capture : tg::WarningHandler {
///       std::vector<std::string> messages;
///       void process(const tg::SourceLocation&, const std::string& msg, bool) override {
///         messages.push_back(msg);
///       }
///     } capture;
///     tg::Warning::WarningHandlerGuard guard(&capture);
///
/// TG_WARN("x is ", x) / TG_WARN_ONCE(...) issue one from user code (TORCH_WARN and
/// TORCH_WARN_ONCE are the same macros under libtorch's names). A warning issued "once" is issued
/// every time while tg::Warning::get_warnAlways() is true (WarnAlways guard).

#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <string>

#include "tensorgrad/util.h"

namespace tg {

/// Where a warning was issued.
struct SourceLocation {
  const char* function;
  const char* file;
  uint32_t line;
};
/// "function at file:line".
std::ostream& operator<<(std::ostream& os, const SourceLocation& loc);

class WarningHandler {
 public:
  virtual ~WarningHandler() = default;
  /// The default handler prints "Warning: <msg> (<location>)" to stderr.
  virtual void process(const SourceLocation& source_location, const std::string& msg, const bool verbatim);
};

namespace Warning {
/// Passes the warning to the current handler.
void warn(const SourceLocation& source_location, const std::string& msg, bool verbatim = false);
/// Installs `handler` (nullptr restores the default). The caller keeps it alive while installed.
/// The handler is global, not per thread, as in libtorch.
void set_warning_handler(WarningHandler* handler) noexcept;
WarningHandler* get_warning_handler() noexcept;

/// Installs a handler for its lifetime and then restores the previous one.
class WarningHandlerGuard {
 public:
  explicit WarningHandlerGuard(WarningHandler* new_handler) : prev_(get_warning_handler()) {
    set_warning_handler(new_handler);
  }
  ~WarningHandlerGuard() { set_warning_handler(prev_); }
  WarningHandlerGuard(const WarningHandlerGuard&) = delete;
  WarningHandlerGuard& operator=(const WarningHandlerGuard&) = delete;

 private:
  WarningHandler* prev_;
};

/// While true, warnings issued "once" are issued every time.
void set_warnAlways(bool setting) noexcept;
bool get_warnAlways() noexcept;
/// Sets warnAlways for its lifetime and then restores it.
struct WarnAlways {
  explicit WarnAlways(bool setting = true) : prev_(get_warnAlways()) { set_warnAlways(setting); }
  ~WarnAlways() { set_warnAlways(prev_); }
  WarnAlways(const WarnAlways&) = delete;
  WarnAlways& operator=(const WarnAlways&) = delete;

 private:
  bool prev_;
};
}  // namespace Warning

}  // namespace tg

/// TG_WARN(args...): a warning whose message is the arguments printed one after the other.
#define TG_WARN(...) ::tg::Warning::warn({__func__, __FILE__, static_cast<uint32_t>(__LINE__)}, ::tg::str(__VA_ARGS__))
/// TG_WARN_ONCE(args...): the first time this line runs only (every time under WarnAlways).
#define TG_WARN_ONCE(...)                                                                         \
  do {                                                                                            \
    static std::atomic<bool> tg_warned_once_{false};                                              \
    if (!tg_warned_once_.exchange(true) || ::tg::Warning::get_warnAlways()) TG_WARN(__VA_ARGS__); \
  } while (0)

#ifndef TORCH_WARN
#define TORCH_WARN(...) TG_WARN(__VA_ARGS__)
#endif
#ifndef TORCH_WARN_ONCE
#define TORCH_WARN_ONCE(...) TG_WARN_ONCE(__VA_ARGS__)
#endif
