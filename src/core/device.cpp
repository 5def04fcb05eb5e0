// Devices (tensorgrad/device.h): names and parsing only; everything runs on the CPU.
#include "tensorgrad/device.h"

#include <ostream>

#include "tensorgrad/error.h"

namespace tg {

const char* device_type_name(DeviceType t) {
  switch (t) {
    case DeviceType::CPU:
      return "cpu";
    case DeviceType::CUDA:
      return "cuda";
    case DeviceType::MPS:
      return "mps";
    case DeviceType::Meta:
      return "meta";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, DeviceType t) { return os << device_type_name(t); }

Device::Device(DeviceType type, int8_t index) : type_(type), index_(index) {
  TG_CHECK(index >= -1, "Device: device index must be -1 or non-negative, got {}", static_cast<int>(index));
  TG_CHECK(!(type == DeviceType::CPU && index > 0), "Device: CPU device index must be -1 or zero, got {}",
           static_cast<int>(index));
}

Device::Device(const std::string& s) : type_(DeviceType::CPU), index_(-1) {
  const auto colon = s.find(':');
  const std::string name = s.substr(0, colon);
  if (name == "cpu") {
    type_ = DeviceType::CPU;
  } else if (name == "cuda") {
    type_ = DeviceType::CUDA;
  } else if (name == "mps") {
    type_ = DeviceType::MPS;
  } else if (name == "meta") {
    type_ = DeviceType::Meta;
  } else {
    TG_ERROR("Device: expected one of cpu, cuda, mps, meta device type at start of device string: {}", s);
  }
  if (colon != std::string::npos) {
    const std::string digits = s.substr(colon + 1);
    TG_CHECK(!digits.empty() && digits.size() <= 2 && digits.find_first_not_of("0123456789") == std::string::npos,
             "Device: invalid device string: '{}'", s);
    index_ = static_cast<int8_t>(std::stoi(digits));
    TG_CHECK(!(type_ == DeviceType::CPU && index_ > 0), "Device: CPU device index must be -1 or zero, got {}",
             static_cast<int>(index_));
  }
}

std::string Device::str() const {
  std::string s = device_type_name(type_);
  if (has_index()) s += ":" + std::to_string(static_cast<int>(index_));
  return s;
}

std::ostream& operator<<(std::ostream& os, const Device& d) { return os << d.str(); }

void check_cpu(const Device& d, const char* fn) {
  TG_CHECK(d.is_cpu(),
           "{}: tensorgrad runs on the CPU only; device {} is not available (tg::cuda::is_available() is false)", fn,
           d.str());
}

}  // namespace tg
