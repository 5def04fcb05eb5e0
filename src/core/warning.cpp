// Warnings and their handler (tensorgrad/warning.h).
#include "tensorgrad/warning.h"

#include <atomic>
#include <iostream>

namespace tg {

std::ostream& operator<<(std::ostream& os, const SourceLocation& loc) {
  return os << (loc.function ? loc.function : "?") << " at " << (loc.file ? loc.file : "?") << ":" << loc.line;
}

void WarningHandler::process(const SourceLocation& source_location, const std::string& msg, const bool /*verbatim*/) {
  std::cerr << "Warning: " << msg << " (" << source_location << ")\n";
}

namespace Warning {
namespace {
WarningHandler& default_handler() {
  static WarningHandler h;
  return h;
}
std::atomic<WarningHandler*> g_handler{nullptr};
std::atomic<bool> g_warn_always{false};
}  // namespace

void warn(const SourceLocation& source_location, const std::string& msg, bool verbatim) {
  get_warning_handler()->process(source_location, msg, verbatim);
}
void set_warning_handler(WarningHandler* handler) noexcept { g_handler.store(handler); }
WarningHandler* get_warning_handler() noexcept {
  WarningHandler* h = g_handler.load();
  return h ? h : &default_handler();
}
void set_warnAlways(bool setting) noexcept { g_warn_always.store(setting); }
bool get_warnAlways() noexcept { return g_warn_always.load(); }
}  // namespace Warning

}  // namespace tg
