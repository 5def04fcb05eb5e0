#pragma once
/// \file anomaly_mode.h
/// Anomaly detection, as libtorch's torch::autograd::AnomalyMode / DetectAnomalyGuard. While it is
/// on:
/// - every node records where it was created: the C++ call stack of the forward call, and, for a
///   node created by a backward that was itself recording a graph (create_graph), the node whose
///   backward created it (its parent);
/// - a backward node that returns a gradient containing NaN stops the backward with an error
///   naming the node ("Function 'DivBackward0' returned nan values in its 1th output.") and its
///   sequence number (nodes are numbered in the order they are created, so in forward order);
///   DetectAnomalyGuard(false) keeps the records but skips this check;
/// - when a node's backward fails (NaN, or a tensor it saved was modified in place, ...) the
///   engine issues one warning (tensorgrad/warning.h) "Error detected in MulBackward0. Traceback
///   of forward call that caused the error: ..." and one more per parent ("Previous calculation
///   was induced by PowBackward0. Traceback of forward call that induced the previous
///   calculation: ..."), then rethrows.
/// It costs a stack capture per node and a scan of every gradient, so it is off by default.
///
///     { tg::autograd::DetectAnomalyGuard detect; loss.backward(); }

namespace tg {
namespace autograd {

struct AnomalyMode {
  static bool is_enabled();
  /// Whether anomaly mode also checks every gradient for NaN.
  static bool should_check_nan();
  static void set_enabled(bool enabled, bool check_nan = true);
};

/// Turns anomaly mode on for its scope (with or without the NaN check), then restores the
/// previous mode.
class DetectAnomalyGuard {
 public:
  explicit DetectAnomalyGuard(bool check_nan = true)
      : prev_(AnomalyMode::is_enabled()), prev_check_nan_(AnomalyMode::should_check_nan()) {
    AnomalyMode::set_enabled(true, check_nan);
  }
  ~DetectAnomalyGuard() { AnomalyMode::set_enabled(prev_, prev_check_nan_); }
  DetectAnomalyGuard(const DetectAnomalyGuard&) = delete;
  DetectAnomalyGuard& operator=(const DetectAnomalyGuard&) = delete;

 private:
  bool prev_;
  bool prev_check_nan_;
};

}  // namespace autograd
}  // namespace tg
