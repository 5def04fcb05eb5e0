#pragma once
/// \file anomaly_mode.h
/// Anomaly detection, as libtorch's torch::autograd::AnomalyMode / DetectAnomalyGuard: while it is
/// on, a backward node that returns a gradient containing NaN stops the backward with an error
/// naming the node ("Function 'DivBackward0' returned nan values in its 1th output.") and its
/// sequence number (nodes are numbered in the order they are created, so in forward order). It
/// costs a scan of every gradient, so it is off by default.
///
///     { tg::autograd::DetectAnomalyGuard detect; loss.backward(); }

namespace tg {
namespace autograd {

struct AnomalyMode {
  static bool is_enabled();
  static void set_enabled(bool enabled);
};

/// Turns anomaly mode on for its scope, then restores the previous mode.
class DetectAnomalyGuard {
 public:
  DetectAnomalyGuard() : prev_(AnomalyMode::is_enabled()) { AnomalyMode::set_enabled(true); }
  ~DetectAnomalyGuard() { AnomalyMode::set_enabled(prev_); }
  DetectAnomalyGuard(const DetectAnomalyGuard&) = delete;
  DetectAnomalyGuard& operator=(const DetectAnomalyGuard&) = delete;

 private:
  bool prev_;
};

}  // namespace autograd
}  // namespace tg
