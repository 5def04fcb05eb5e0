#include "tensorgrad/autograd/grad_mode.h"

#include <atomic>

#include "tensorgrad/autograd/anomaly_mode.h"

namespace tg {
namespace {
thread_local bool t_grad_enabled = true;
}
bool GradMode::is_enabled() { return t_grad_enabled; }
void GradMode::set_enabled(bool enabled) { t_grad_enabled = enabled; }
}  // namespace tg

namespace tg {
namespace autograd {
namespace {
std::atomic<bool> g_anomaly{false};  // process-wide, as libtorch's
std::atomic<bool> g_anomaly_check_nan{true};
}  // namespace
bool AnomalyMode::is_enabled() { return g_anomaly.load(std::memory_order_relaxed); }
bool AnomalyMode::should_check_nan() { return g_anomaly_check_nan.load(std::memory_order_relaxed); }
void AnomalyMode::set_enabled(bool enabled, bool check_nan) {
  g_anomaly.store(enabled, std::memory_order_relaxed);
  g_anomaly_check_nan.store(check_nan, std::memory_order_relaxed);
}
}  // namespace autograd
}  // namespace tg
