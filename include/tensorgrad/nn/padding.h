#pragma once
/// \file padding.h
/// Padding modules, as libtorch's: ReflectionPad1d / 2d / 3d, ReplicationPad1d / 2d / 3d,
/// ZeroPad2d and ConstantPad1d / 2d / 3d. Each pads the last 1, 2 or 3 dims by F::pad
/// (tensorgrad/nn/functional/padding.h), last dim first:
///
///     tg::nn::ReflectionPad2d pad(tg::nn::ReflectionPad2dOptions({1, 1, 2, 0}));  // left, right, top, bottom
///     tg::nn::ConstantPad1d fill(tg::nn::ConstantPad1dOptions(2, 3.5));           // two 3.5s on each side

#include <ostream>
#include <type_traits>
#include <vector>

#include "tensorgrad/arg.h"
#include "tensorgrad/expanding_array.h"
#include "tensorgrad/nn/functional/padding.h"
#include "tensorgrad/nn/module.h"

namespace tg {
namespace nn {

/// The padding of a reflection / replication / zero pad over D dims: 2 * D values.
template <size_t D> struct PadOptions {
  /* implicit */ PadOptions(ExpandingArray<2 * D> padding) : padding_(padding) {}  // NOLINT: as libtorch's
  TG_ARG(ExpandingArray<2 * D>, padding);
};
/// A constant pad's padding (2 * D values) and value.
template <size_t D> struct ConstantPadOptions {
  ConstantPadOptions(ExpandingArray<2 * D> padding, double value) : padding_(padding), value_(value) {}
  TG_ARG(ExpandingArray<2 * D>, padding);
  TG_ARG(double, value);
};

namespace detail {
// A padding module of mode Mode: forward is F::pad with the options' padding (and value), and it
// prints as "tg::nn::Name(padding=[...])" (", value=v" for constant pads).
template <typename Derived, typename Options, typename Mode> class PadImplBase : public Cloneable<Derived> {
 public:
  PadImplBase(const char* name, const Options& options) : Cloneable<Derived>(name), options(options) {}
  void reset() override {}
  Tensor forward(const Tensor& input) {
    functional::PadFuncOptions f(std::vector<int64_t>(options.padding()->begin(), options.padding()->end()));
    f.mode(Mode{});
    if constexpr (std::is_same<Mode, enumtype::kConstant>::value) f.value(value_of(options));
    return functional::pad(input, f);
  }
  void pretty_print(std::ostream& stream) const override {
    stream << this->name() << "(padding=" << options.padding();
    print_value(stream, options);
    stream << ")";
  }
  Options options;

 private:
  template <size_t D> static double value_of(const ConstantPadOptions<D>& o) { return o.value(); }
  template <size_t D> static double value_of(const PadOptions<D>&) {
    return 0.0;  // ZeroPad2d
  }
  template <size_t D> static void print_value(std::ostream& stream, const ConstantPadOptions<D>& o) {
    stream << ", value=" << o.value();
  }
  template <size_t D> static void print_value(std::ostream&, const PadOptions<D>&) {}
};
}  // namespace detail

#define TG_PAD_MODULE(Name, Options, Mode)                                                                 \
  class Name##Impl : public detail::PadImplBase<Name##Impl, Options, Mode> {                               \
   public:                                                                                                 \
    explicit Name##Impl(const Options& options) : PadImplBase("tg::nn::" #Name, options) {}                \
    /* reflection / replication / zero pads also from the padding alone */                                 \
    template <typename O = Options, typename = std::enable_if_t<std::is_constructible<O, int64_t>::value>> \
    explicit Name##Impl(int64_t padding) : Name##Impl(Options(padding)) {}                                 \
  };                                                                                                       \
  TG_MODULE(Name)

using ReflectionPad1dOptions = PadOptions<1>;
using ReflectionPad2dOptions = PadOptions<2>;
using ReflectionPad3dOptions = PadOptions<3>;
using ReplicationPad1dOptions = PadOptions<1>;
using ReplicationPad2dOptions = PadOptions<2>;
using ReplicationPad3dOptions = PadOptions<3>;
using ZeroPad2dOptions = PadOptions<2>;
using ConstantPad1dOptions = ConstantPadOptions<1>;
using ConstantPad2dOptions = ConstantPadOptions<2>;
using ConstantPad3dOptions = ConstantPadOptions<3>;

TG_PAD_MODULE(ReflectionPad1d, ReflectionPad1dOptions, enumtype::kReflect);
TG_PAD_MODULE(ReflectionPad2d, ReflectionPad2dOptions, enumtype::kReflect);
TG_PAD_MODULE(ReflectionPad3d, ReflectionPad3dOptions, enumtype::kReflect);
TG_PAD_MODULE(ReplicationPad1d, ReplicationPad1dOptions, enumtype::kReplicate);
TG_PAD_MODULE(ReplicationPad2d, ReplicationPad2dOptions, enumtype::kReplicate);
TG_PAD_MODULE(ReplicationPad3d, ReplicationPad3dOptions, enumtype::kReplicate);
/// Zero padding of the last two dims (a constant pad with value 0).
TG_PAD_MODULE(ZeroPad2d, ZeroPad2dOptions, enumtype::kConstant);
TG_PAD_MODULE(ConstantPad1d, ConstantPad1dOptions, enumtype::kConstant);
TG_PAD_MODULE(ConstantPad2d, ConstantPad2dOptions, enumtype::kConstant);
TG_PAD_MODULE(ConstantPad3d, ConstantPad3dOptions, enumtype::kConstant);
#undef TG_PAD_MODULE

}  // namespace nn
}  // namespace tg
