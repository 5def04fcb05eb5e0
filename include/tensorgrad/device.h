#pragma once
/// \file device.h
/// Devices, as libtorch names them. tensorgrad computes on the CPU: every tensor's device() is
/// tg::kCPU, tg::cuda::is_available() is false, and putting a tensor or a module on another device
/// (.to(tg::kCUDA), TensorOptions().device(tg::kCUDA)) is a tg::Error rather than a silent run
/// on the CPU. So the usual boilerplate works unchanged:
///
///     tg::Device device = tg::cuda::is_available() ? tg::kCUDA : tg::kCPU;
///     model->to(device);

#include <cstdint>
#include <iosfwd>
#include <string>

namespace tg {

enum class DeviceType : int8_t { CPU = 0, CUDA = 1, MPS = 13, Meta = 14 };
constexpr DeviceType kCPU = DeviceType::CPU;
constexpr DeviceType kCUDA = DeviceType::CUDA;
constexpr DeviceType kMPS = DeviceType::MPS;
constexpr DeviceType kMeta = DeviceType::Meta;

/// "cpu", "cuda", "mps", "meta".
const char* device_type_name(DeviceType t);
std::ostream& operator<<(std::ostream& os, DeviceType t);

class Device {
 public:
  using Type = DeviceType;
  /* implicit */ Device(DeviceType type, int8_t index = -1);  // NOLINT: implicit, as libtorch's
  /// "cpu", "cuda", "cuda:1", "mps", "meta"; anything else is a tg::Error.
  /* implicit */ Device(const std::string& device_string);                                  // NOLINT
  /* implicit */ Device(const char* device_string) : Device(std::string(device_string)) {}  // NOLINT

  DeviceType type() const noexcept { return type_; }
  int8_t index() const noexcept { return index_; }
  bool has_index() const noexcept { return index_ != -1; }
  bool is_cpu() const noexcept { return type_ == DeviceType::CPU; }
  bool is_cuda() const noexcept { return type_ == DeviceType::CUDA; }
  /// "cpu", "cuda:0", ...
  std::string str() const;
  bool operator==(const Device& o) const noexcept { return type_ == o.type_ && index_ == o.index_; }
  bool operator!=(const Device& o) const noexcept { return !(*this == o); }

 private:
  DeviceType type_;
  int8_t index_;
};
std::ostream& operator<<(std::ostream& os, const Device& d);

/// Throws tg::Error "<fn>: tensorgrad runs on the CPU only; device cuda:0 is not available" unless
/// d is the CPU.
void check_cpu(const Device& d, const char* fn);

namespace cuda {
/// false: tensorgrad has no CUDA backend.
inline bool is_available() { return false; }
inline bool cudnn_is_available() { return false; }
/// 0.
inline int64_t device_count() { return 0; }
}  // namespace cuda

}  // namespace tg
