#pragma once
/// \file grad_mode.h
/// Thread-local switch for graph recording, as libtorch's GradMode / NoGradGuard.

namespace tg {

struct GradMode {
  /// True (the default) when operations on tensors that require grad record a graph.
  static bool is_enabled();
  static void set_enabled(bool enabled);
};

/// Sets grad mode for the lifetime of the guard, then restores the previous mode.
class AutoGradMode {
 public:
  explicit AutoGradMode(bool enabled) : prev_(GradMode::is_enabled()) { GradMode::set_enabled(enabled); }
  ~AutoGradMode() { GradMode::set_enabled(prev_); }
  AutoGradMode(const AutoGradMode&) = delete;
  AutoGradMode& operator=(const AutoGradMode&) = delete;

 private:
  bool prev_;
};

/// Disables graph recording in its scope: { tg::NoGradGuard g; w.sub_(w.grad() * lr); }
class NoGradGuard : public AutoGradMode {
 public:
  NoGradGuard() : AutoGradMode(false) {}
};

/// Enables graph recording in its scope (inside a NoGradGuard, say).
class EnableGradGuard : public AutoGradMode {
 public:
  EnableGradGuard() : AutoGradMode(true) {}
};

}  // namespace tg
