#pragma once
/// \file init.h
/// Parameter initialisers, as libtorch's torch::nn::init. Each fills its tensor in place (without
/// recording a graph) and returns it.

#include <tuple>

#include "tensorgrad/tensor.h"

namespace tg {
namespace nn {
namespace init {

enum class Nonlinearity { Linear, Conv1D, Conv2D, Conv3D, Sigmoid, Tanh, ReLU, LeakyReLU, SELU };
enum class FanMode { FanIn, FanOut };

/// The recommended gain for a nonlinearity: 1 for linear / conv / sigmoid, 5/3 for tanh, sqrt(2)
/// for relu, sqrt(2 / (1 + param^2)) for leaky_relu (param = negative slope), 3/4 for selu.
double calculate_gain(Nonlinearity nonlinearity, double param = 0.01);
/// (fan_in, fan_out) of a weight of at least 2 dims: [out, in, *receptive field].
std::tuple<int64_t, int64_t> _calculate_fan_in_and_fan_out(const Tensor& tensor);

/// Uniform values in [a, b).
Tensor uniform_(Tensor tensor, double a = 0, double b = 1);
/// Normal values with the given mean and standard deviation.
Tensor normal_(Tensor tensor, double mean = 0, double std = 1);
Tensor constant_(Tensor tensor, const Scalar& value);
Tensor zeros_(Tensor tensor);
Tensor ones_(Tensor tensor);
/// Glorot: uniform in +-gain * sqrt(6 / (fan_in + fan_out)).
Tensor xavier_uniform_(Tensor tensor, double gain = 1.0);
/// Glorot: normal with std gain * sqrt(2 / (fan_in + fan_out)).
Tensor xavier_normal_(Tensor tensor, double gain = 1.0);
/// He: uniform in +-gain * sqrt(3 / fan), gain = calculate_gain(nonlinearity, a), fan by mode.
Tensor kaiming_uniform_(Tensor tensor, double a = 0, FanMode mode = FanMode::FanIn,
                        Nonlinearity nonlinearity = Nonlinearity::LeakyReLU);
/// He: normal with std gain / sqrt(fan).
Tensor kaiming_normal_(Tensor tensor, double a = 0, FanMode mode = FanMode::FanIn,
                       Nonlinearity nonlinearity = Nonlinearity::LeakyReLU);

}  // namespace init
}  // namespace nn

// libtorch spells these torch::kFanIn, torch::kReLU, ...
constexpr nn::init::FanMode kFanIn = nn::init::FanMode::FanIn;
constexpr nn::init::FanMode kFanOut = nn::init::FanMode::FanOut;
constexpr nn::init::Nonlinearity kLinear = nn::init::Nonlinearity::Linear;
constexpr nn::init::Nonlinearity kSigmoid = nn::init::Nonlinearity::Sigmoid;
constexpr nn::init::Nonlinearity kTanh = nn::init::Nonlinearity::Tanh;
constexpr nn::init::Nonlinearity kReLU = nn::init::Nonlinearity::ReLU;
constexpr nn::init::Nonlinearity kLeakyReLU = nn::init::Nonlinearity::LeakyReLU;
constexpr nn::init::Nonlinearity kSELU = nn::init::Nonlinearity::SELU;

}  // namespace tg
