#pragma once
/// \file lr_scheduler.h
/// Learning-rate schedulers: tg::optim::StepLR and tg::optim::CosineAnnealingLR, with PyTorch's
/// semantics (torch.optim.lr_scheduler): call step() once per epoch, after optimizer.step().
///
///   tg::optim::SGD opt(net->parameters(), tg::optim::SGDOptions(0.1));
///   tg::optim::StepLR sched(opt, /*step_size=*/30, /*gamma=*/0.1);
///   for (int epoch = 0; epoch < 100; ++epoch) {
///     train_one_epoch(opt);
///     sched.step();
///   }

#include <cstdint>
#include <vector>

#include "tensorgrad/optim/optimizer.h"

namespace tg {
namespace optim {

/// The base of the schedulers. A scheduler keeps an epoch counter last_epoch() (0 after
/// construction) and, at each step(), sets the learning rate of every parameter group of the
/// optimizer to the value get_lrs() computes for the new epoch.
///
/// The optimizer must outlive the scheduler. The base learning rates are the groups' learning
/// rates when the scheduler is constructed.
class LRScheduler {
 public:
  explicit LRScheduler(Optimizer& optimizer);
  virtual ~LRScheduler() = default;
  LRScheduler(const LRScheduler&) = delete;
  LRScheduler& operator=(const LRScheduler&) = delete;

  /// Advances to the next epoch: last_epoch ← last_epoch + 1, then sets every group's learning
  /// rate to get_lrs().
  void step();
  /// The learning rates of the optimizer's groups set by the last step() (or the construction).
  const std::vector<double>& get_last_lr() const noexcept { return last_lr_; }
  /// The epoch counter: 0 after construction, incremented by step().
  int64_t last_epoch() const noexcept { return last_epoch_; }
  /// The learning rates of the groups when the scheduler was constructed.
  const std::vector<double>& base_lrs() const noexcept { return base_lrs_; }

 protected:
  /// The learning rates of the groups for epoch last_epoch() (already incremented).
  virtual std::vector<double> get_lrs() = 0;
  /// The groups' current learning rates.
  std::vector<double> get_current_lrs() const;
  /// Performs PyTorch's initial step (last_epoch -1 → 0); derived constructors call it last.
  void initial_step();

  Optimizer& optimizer_;
  int64_t last_epoch_ = -1;
  std::vector<double> base_lrs_;
  std::vector<double> last_lr_;
};

/// Multiplies the learning rate by gamma every step_size epochs:
///
///     lr_epoch = lr_{epoch−1} · γ   if epoch > 0 and epoch mod step_size = 0
///     lr_epoch = lr_{epoch−1}       otherwise
///
/// (PyTorch's chainable form; without other changes lr_epoch = base_lr · γ^⌊epoch / step_size⌋).
class StepLR : public LRScheduler {
 public:
  /// Throws tg::Error unless step_size > 0.
  StepLR(Optimizer& optimizer, int64_t step_size, double gamma = 0.1);

  int64_t step_size() const noexcept { return step_size_; }
  double gamma() const noexcept { return gamma_; }

 protected:
  std::vector<double> get_lrs() override;

 private:
  int64_t step_size_;
  double gamma_;
};

/// Anneals the learning rate along a cosine from base_lr down to eta_min over T_max epochs, then
/// back up (the schedule is periodic with period 2 T_max, as PyTorch's). Its closed form is
///
///     lr_epoch = eta_min + (base_lr − eta_min) (1 + cos(π epoch / T_max)) / 2,
///
/// computed as PyTorch does, by the recurrence (e = epoch, T = T_max)
///
///     lr_e = eta_min + (lr_{e−1} − eta_min) (1 + cos(π e / T)) / (1 + cos(π (e − 1) / T)),
///
/// except right after a minimum, (e − 1 − T) mod 2T = 0, where
///
///     lr_e = lr_{e−1} + (base_lr − eta_min) (1 − cos(π / T)) / 2,
///
/// so that other changes of the learning rate carry over, as in PyTorch.
class CosineAnnealingLR : public LRScheduler {
 public:
  /// Throws tg::Error unless T_max > 0.
  CosineAnnealingLR(Optimizer& optimizer, int64_t T_max, double eta_min = 0);

  int64_t T_max() const noexcept { return T_max_; }
  double eta_min() const noexcept { return eta_min_; }

 protected:
  std::vector<double> get_lrs() override;

 private:
  int64_t T_max_;
  double eta_min_;
};

}  // namespace optim
}  // namespace tg
