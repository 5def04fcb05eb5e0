#pragma once
/// \file modules.h
/// Layers and activation modules, each a FooImpl module with a Foo holder (TG_MODULE), as in
/// libtorch: tg::nn::Linear fc(784, 64); fc(x); fc->weight.

#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "tensorgrad/nn/containers.h"
#include "tensorgrad/nn/functional.h"
#include "tensorgrad/nn/module.h"
#include "tensorgrad/ops/activation.h"

#include "tensorgrad/arg.h"

namespace tg {
namespace nn {

// ---- Linear ----------------------------------------------------------------------------------

struct LinearOptions {
  LinearOptions(int64_t in_features, int64_t out_features) : in_features_(in_features), out_features_(out_features) {}
  TG_ARG(int64_t, in_features);
  TG_ARG(int64_t, out_features);
  TG_ARG(bool, bias) = true;
};

/// y = x W^T + b with W [out, in]; initialised as PyTorch: W ~ kaiming_uniform(a = sqrt 5), i.e.
/// U(-1/sqrt(in), 1/sqrt(in)), and b ~ U(-1/sqrt(in), 1/sqrt(in)).
class LinearImpl : public Cloneable<LinearImpl> {
 public:
  void reset() override;
  LinearImpl(int64_t in_features, int64_t out_features) : LinearImpl(LinearOptions(in_features, out_features)) {}
  explicit LinearImpl(const LinearOptions& options);
  void reset_parameters();
  Tensor forward(const Tensor& input);
  void pretty_print(std::ostream& stream) const override;
  LinearOptions options;
  Tensor weight, bias;
};
TG_MODULE(Linear);

// ---- Flatten / Identity / Dropout -------------------------------------------------------------

struct FlattenOptions {
  TG_ARG(int64_t, start_dim) = 1;
  TG_ARG(int64_t, end_dim) = -1;
};
/// Flattens dims start_dim..end_dim (by default all but the batch dim).
class FlattenImpl : public Cloneable<FlattenImpl> {
 public:
  void reset() override {}
  explicit FlattenImpl(const FlattenOptions& options = {}) : Cloneable("tg::nn::Flatten"), options(options) {}
  Tensor forward(const Tensor& input) { return input.flatten(options.start_dim(), options.end_dim()); }
  void pretty_print(std::ostream& stream) const override;
  FlattenOptions options;
};
TG_MODULE(Flatten);

class IdentityImpl : public Cloneable<IdentityImpl> {
 public:
  void reset() override {}
  IdentityImpl() : Cloneable("tg::nn::Identity") {}
  Tensor forward(const Tensor& input) { return input; }
  void pretty_print(std::ostream& stream) const override { stream << "tg::nn::Identity()"; }
};
TG_MODULE(Identity);

struct DropoutOptions {
  /* implicit */ DropoutOptions(double p = 0.5) : p_(p) {}
  TG_ARG(double, p);
  TG_ARG(bool, inplace) = false;
};
using Dropout2dOptions = DropoutOptions;
using Dropout3dOptions = DropoutOptions;
using AlphaDropoutOptions = DropoutOptions;
using FeatureAlphaDropoutOptions = DropoutOptions;

/// A dropout module: NameImpl(p) or NameImpl(options), forward = fn(input) in training mode and
/// the identity in eval mode, printed as libtorch's "tg::nn::Name(p=0.5, inplace=false)".
#define TG_DROPOUT_MODULE(Name)                                                                                  \
  class Name##Impl : public Cloneable<Name##Impl> {                                                             \
   public:                                                                                                       \
    /* Checks p, as libtorch's. */                                                                               \
    void reset() override {                                                                                      \
      TG_CHECK(options.p() >= 0. && options.p() <= 1., #Name ": dropout probability has to be between 0 and 1, " \
               "but got {}", options.p());                                                                       \
    }                                                                                                            \
    explicit Name##Impl(const Name##Options& options = {}) : Cloneable("tg::nn::" #Name), options(options) {     \
      reset();                                                                                                   \
    }                                                                                                            \
    /* F::dropout, F::dropout2d, ... (src/nn/modules.cpp) */                                                   \
    Tensor forward(const Tensor& input);                                                                         \
    void pretty_print(std::ostream& stream) const override {                                                     \
      stream << "tg::nn::" #Name "(p=" << options.p() << ", inplace=" << (options.inplace() ? "true" : "false")  \
             << ")";                                                                                             \
    }                                                                                                            \
    Name##Options options;                                                                                       \
  };                                                                                                             \
  TG_MODULE(Name)

/// In training mode zeroes elements with probability p and scales the rest by 1/(1-p); identity in eval.
TG_DROPOUT_MODULE(Dropout);
/// Dropout of whole channels of [N, C, H, W] (F::dropout2d).
TG_DROPOUT_MODULE(Dropout2d);
/// Dropout of whole channels of [N, C, D, H, W] (F::dropout3d).
TG_DROPOUT_MODULE(Dropout3d);
/// Dropout for SELU networks (F::alpha_dropout).
TG_DROPOUT_MODULE(AlphaDropout);
/// alpha dropout of whole channels (F::feature_alpha_dropout).
TG_DROPOUT_MODULE(FeatureAlphaDropout);
#undef TG_DROPOUT_MODULE

// ---- normalisation -------------------------------------------------------------------------------

struct BatchNormOptions {
  /* implicit */ BatchNormOptions(int64_t num_features) : num_features_(num_features) {}
  TG_ARG(int64_t, num_features);
  TG_ARG(double, eps) = 1e-5;
  TG_ARG(double, momentum) = 0.1;
  TG_ARG(bool, affine) = true;
  TG_ARG(bool, track_running_stats) = true;
};
/// Batch normalisation of [N, C] or [N, C, L] over the batch (and length); running_mean and
/// running_var are buffers, updated in training and used in eval, as PyTorch.
class BatchNorm1dImpl : public Cloneable<BatchNorm1dImpl> {
 public:
  void reset() override;
  explicit BatchNorm1dImpl(int64_t num_features) : BatchNorm1dImpl(BatchNormOptions(num_features)) {}
  explicit BatchNorm1dImpl(const BatchNormOptions& options);
  Tensor forward(const Tensor& input);
  void reset_running_stats();
  void pretty_print(std::ostream& stream) const override;
  BatchNormOptions options;
  Tensor weight, bias, running_mean, running_var, num_batches_tracked;
};
TG_MODULE(BatchNorm1d);

struct LayerNormOptions {
  /* implicit */ LayerNormOptions(std::vector<int64_t> normalized_shape) : normalized_shape_(std::move(normalized_shape)) {}
  TG_ARG(std::vector<int64_t>, normalized_shape);
  TG_ARG(double, eps) = 1e-5;
  TG_ARG(bool, elementwise_affine) = true;
};
/// Normalises over the trailing normalized_shape dims, with a learnable elementwise weight and bias.
class LayerNormImpl : public Cloneable<LayerNormImpl> {
 public:
  void reset() override;
  explicit LayerNormImpl(const LayerNormOptions& options);
  Tensor forward(const Tensor& input) { return layer_norm(input, options.normalized_shape(), weight, bias, options.eps()); }
  void pretty_print(std::ostream& stream) const override;
  LayerNormOptions options;
  Tensor weight, bias;
};
TG_MODULE(LayerNorm);

// ---- Embedding ---------------------------------------------------------------------------------

struct EmbeddingOptions {
  EmbeddingOptions(int64_t num_embeddings, int64_t embedding_dim)
      : num_embeddings_(num_embeddings), embedding_dim_(embedding_dim) {}
  TG_ARG(int64_t, num_embeddings);
  TG_ARG(int64_t, embedding_dim);
  /// As F::EmbeddingFuncOptions (tensorgrad/nn/functional/embedding.h); the padding row starts at 0.
  TG_ARG(std::optional<int64_t>, padding_idx) = std::nullopt;
  TG_ARG(std::optional<double>, max_norm) = std::nullopt;
  TG_ARG(double, norm_type) = 2.0;
  TG_ARG(bool, scale_grad_by_freq) = false;
  TG_ARG(bool, sparse) = false;
  /// A weight to use instead of a freshly initialised one ([num_embeddings, embedding_dim]).
  TG_ARG(Tensor, _weight) = {};
};
/// Embedding::from_pretrained's options.
struct EmbeddingFromPretrainedOptions {
  TG_ARG(bool, freeze) = true;
  TG_ARG(std::optional<int64_t>, padding_idx) = std::nullopt;
  TG_ARG(std::optional<double>, max_norm) = std::nullopt;
  TG_ARG(double, norm_type) = 2.0;
  TG_ARG(bool, scale_grad_by_freq) = false;
  TG_ARG(bool, sparse) = false;
};
/// A lookup table: int64 indices of any shape -> rows of weight [num, dim] (initialised N(0, 1),
/// the padding row, if any, 0).
class EmbeddingImpl : public Cloneable<EmbeddingImpl> {
 public:
  void reset() override;
  void reset_parameters();
  EmbeddingImpl(int64_t num_embeddings, int64_t embedding_dim) : EmbeddingImpl(EmbeddingOptions(num_embeddings, embedding_dim)) {}
  explicit EmbeddingImpl(const EmbeddingOptions& options);
  Tensor forward(const Tensor& indices);
  void pretty_print(std::ostream& stream) const override;
  EmbeddingOptions options;
  Tensor weight;
};
class Embedding : public ModuleHolder<EmbeddingImpl> {
 public:
  using ModuleHolder<EmbeddingImpl>::ModuleHolder;
  /// An Embedding whose weight is `embeddings` [num, dim] (frozen: requires_grad false, by default).
  static Embedding from_pretrained(const Tensor& embeddings, const EmbeddingFromPretrainedOptions& options = {});
};

// ---- recurrent cells -------------------------------------------------------------------------------

struct RNNCellOptions {
  RNNCellOptions(int64_t input_size, int64_t hidden_size) : input_size_(input_size), hidden_size_(hidden_size) {}
  TG_ARG(int64_t, input_size);
  TG_ARG(int64_t, hidden_size);
  TG_ARG(bool, bias) = true;
};
using LSTMCellOptions = RNNCellOptions;
using GRUCellOptions = RNNCellOptions;

/// One LSTM step. Gates i, f, o = sigmoid(...) are soft switches in (0, 1); the candidate g and
/// the output use tanh (zero-centred state): c' = f c + i g, h' = o tanh(c'). Weights as PyTorch:
/// weight_ih [4h, in], weight_hh [4h, h] (gate order i, f, g, o), all U(-1/sqrt(h), 1/sqrt(h)).
class LSTMCellImpl : public Cloneable<LSTMCellImpl> {
 public:
  void reset() override;
  LSTMCellImpl(int64_t input_size, int64_t hidden_size) : LSTMCellImpl(LSTMCellOptions(input_size, hidden_size)) {}
  explicit LSTMCellImpl(const LSTMCellOptions& options);
  /// Returns (h', c'); the state defaults to zeros.
  std::tuple<Tensor, Tensor> forward(const Tensor& input, std::optional<std::tuple<Tensor, Tensor>> hx = std::nullopt);
  FORWARD_HAS_DEFAULT_ARGS({1, AnyValue(std::optional<std::tuple<Tensor, Tensor>>())})
  void pretty_print(std::ostream& stream) const override;
  LSTMCellOptions options;
  Tensor weight_ih, weight_hh, bias_ih, bias_hh;
};
TG_MODULE(LSTMCell);

/// One GRU step: r, z = sigmoid(...), n = tanh(W_in x + b_in + r (W_hn h + b_hn)),
/// h' = (1 - z) n + z h. Gate order r, z, n as PyTorch.
class GRUCellImpl : public Cloneable<GRUCellImpl> {
 public:
  void reset() override;
  GRUCellImpl(int64_t input_size, int64_t hidden_size) : GRUCellImpl(GRUCellOptions(input_size, hidden_size)) {}
  explicit GRUCellImpl(const GRUCellOptions& options);
  Tensor forward(const Tensor& input, const Tensor& hx = {});
  FORWARD_HAS_DEFAULT_ARGS({1, AnyValue(Tensor())})
  void pretty_print(std::ostream& stream) const override;
  GRUCellOptions options;
  Tensor weight_ih, weight_hh, bias_ih, bias_hh;
};
TG_MODULE(GRUCell);

/// A linear layer with out * pieces outputs followed by maxout over groups of `pieces`.
class MaxoutLinearImpl : public Cloneable<MaxoutLinearImpl> {
 public:
  void reset() override;
  MaxoutLinearImpl(int64_t in_features, int64_t out_features, int64_t pieces);
  Tensor forward(const Tensor& input) { return maxout(linear->forward(input), pieces, -1); }
  void pretty_print(std::ostream& stream) const override;
  int64_t in_features, out_features, pieces;
  Linear linear{nullptr};
};
TG_MODULE(MaxoutLinear);

namespace detail {
/// `result` itself, or, with inplace, `input` overwritten with it (copy_ records the graph as an
/// in-place op does): the `inplace` option of libtorch's activations.
inline Tensor in_place_if(bool inplace, const Tensor& input, const Tensor& result) {
  if (!inplace) return result;
  Tensor self = input;
  self.copy_(result);
  return self;
}
}  // namespace detail

// ---- activation modules ---------------------------------------------------------------------------

/// One module per entry of TG_PARAMETERLESS_ACTIVATIONS (ops/activation.h): tg::nn::Name, whose
/// forward is tg::fn(input), printed as "tg::nn::Name()".
#define TG_ACTIVATION_MODULE(fn, Name)                         \
  class Name##Impl : public Cloneable<Name##Impl> {            \
   public:                                                     \
    Name##Impl() : Cloneable("tg::nn::" #Name) {}              \
    void reset() override {}                                   \
    Tensor forward(const Tensor& input) { return fn(input); }  \
    void pretty_print(std::ostream& stream) const override {   \
      stream << name() << "()";                                \
    }                                                          \
  };                                                           \
  TG_MODULE(Name);
TG_PARAMETERLESS_ACTIVATIONS(TG_ACTIVATION_MODULE)
#undef TG_ACTIVATION_MODULE

/// Options of relu, relu6 and selu: only `inplace`.
struct ReLUOptions {
  ReLUOptions(bool inplace = false) : inplace_(inplace) {}  // NOLINT: implicit, as libtorch
  TG_ARG(bool, inplace);
};
using ReLU6Options = ReLUOptions;
using SELUOptions = ReLUOptions;
struct SoftmaxOptions {
  SoftmaxOptions(int64_t dim) : dim_(dim) {}  // NOLINT
  TG_ARG(int64_t, dim);
};
using LogSoftmaxOptions = SoftmaxOptions;
using SoftminOptions = SoftmaxOptions;
struct SoftshrinkOptions {
  SoftshrinkOptions(double lambda = 0.5) : lambda_(lambda) {}  // NOLINT
  TG_ARG(double, lambda);
};
struct ThresholdOptions {
  ThresholdOptions(double threshold, double value) : threshold_(threshold), value_(value) {}
  TG_ARG(double, threshold);
  TG_ARG(double, value);
  TG_ARG(bool, inplace) = false;
};

struct HardshrinkOptions {
  HardshrinkOptions(double lambda = 0.5) : lambda_(lambda) {}  // NOLINT: implicit, as libtorch
  TG_ARG(double, lambda);
};
struct GLUOptions {
  GLUOptions(int64_t dim = -1) : dim_(dim) {}  // NOLINT
  TG_ARG(int64_t, dim);
};
struct RReLUOptions {
  TG_ARG(double, lower) = 1.0 / 8.0;
  TG_ARG(double, upper) = 1.0 / 3.0;
  TG_ARG(bool, inplace) = false;
};

/// ReLU, ReLU6 and SELU, with libtorch's `inplace` option: tg::nn::ReLU(), tg::nn::ReLU(true),
/// printed "tg::nn::ReLU()" or "tg::nn::ReLU(inplace=true)".
#define TG_INPLACE_ACTIVATION_MODULE(fn, Name)                                                      \
  class Name##Impl : public Cloneable<Name##Impl> {                                                 \
   public:                                                                                          \
    explicit Name##Impl(const Name##Options& options = {}) : Cloneable("tg::nn::" #Name), options(options) {} \
    void reset() override {}                                                                        \
    Tensor forward(const Tensor& input) { return detail::in_place_if(options.inplace(), input, fn(input)); } \
    void pretty_print(std::ostream& stream) const override {                                        \
      stream << name() << "(" << (options.inplace() ? "inplace=true" : "") << ")";                  \
    }                                                                                               \
    Name##Options options;                                                                          \
  };                                                                                                \
  TG_MODULE(Name);
TG_INPLACE_ACTIVATION_MODULE(relu, ReLU)
TG_INPLACE_ACTIVATION_MODULE(relu6, ReLU6)
TG_INPLACE_ACTIVATION_MODULE(selu, SELU)
#undef TG_INPLACE_ACTIVATION_MODULE

struct LeakyReLUOptions {
  TG_ARG(double, negative_slope) = 0.01;
  /// Write the result into the input (which must not be a leaf that requires grad).
  TG_ARG(bool, inplace) = false;
};
class LeakyReLUImpl : public Cloneable<LeakyReLUImpl> {
 public:
  void reset() override {}
  explicit LeakyReLUImpl(const LeakyReLUOptions& options = {}) : Cloneable("tg::nn::LeakyReLU"), options(options) {}
  Tensor forward(const Tensor& input) {
    return detail::in_place_if(options.inplace(), input, leaky_relu(input, options.negative_slope()));
  }
  void pretty_print(std::ostream& stream) const override;
  LeakyReLUOptions options;
};
TG_MODULE(LeakyReLU);

struct ELUOptions {
  TG_ARG(double, alpha) = 1.0;
  TG_ARG(bool, inplace) = false;
};
class ELUImpl : public Cloneable<ELUImpl> {
 public:
  void reset() override {}
  explicit ELUImpl(const ELUOptions& options = {}) : Cloneable("tg::nn::ELU"), options(options) {}
  Tensor forward(const Tensor& input) { return detail::in_place_if(options.inplace(), input, elu(input, options.alpha())); }
  void pretty_print(std::ostream& stream) const override;
  ELUOptions options;
};
TG_MODULE(ELU);

struct CELUOptions {
  TG_ARG(double, alpha) = 1.0;
  TG_ARG(bool, inplace) = false;
};
class CELUImpl : public Cloneable<CELUImpl> {
 public:
  void reset() override {}
  explicit CELUImpl(const CELUOptions& options = {}) : Cloneable("tg::nn::CELU"), options(options) {}
  Tensor forward(const Tensor& input) { return detail::in_place_if(options.inplace(), input, celu(input, options.alpha())); }
  void pretty_print(std::ostream& stream) const override;
  CELUOptions options;
};
TG_MODULE(CELU);

struct GELUOptions {
  TG_ARG(std::string, approximate) = "none";
};
class GELUImpl : public Cloneable<GELUImpl> {
 public:
  void reset() override {}
  explicit GELUImpl(const GELUOptions& options = {}) : Cloneable("tg::nn::GELU"), options(options) {}
  Tensor forward(const Tensor& input) { return gelu(input, options.approximate()); }
  void pretty_print(std::ostream& stream) const override;
  GELUOptions options;
};
TG_MODULE(GELU);

struct SoftplusOptions {
  TG_ARG(double, beta) = 1.0;
  TG_ARG(double, threshold) = 20.0;
};
class SoftplusImpl : public Cloneable<SoftplusImpl> {
 public:
  void reset() override {}
  explicit SoftplusImpl(const SoftplusOptions& options = {}) : Cloneable("tg::nn::Softplus"), options(options) {}
  Tensor forward(const Tensor& input) { return softplus(input, options.beta(), options.threshold()); }
  void pretty_print(std::ostream& stream) const override;
  SoftplusOptions options;
};
TG_MODULE(Softplus);

struct HardtanhOptions {
  TG_ARG(double, min_val) = -1.0;
  TG_ARG(double, max_val) = 1.0;
  TG_ARG(bool, inplace) = false;
};
class HardtanhImpl : public Cloneable<HardtanhImpl> {
 public:
  /// Checks the options, as libtorch's.
  void reset() override {
    TG_CHECK(options.max_val() > options.min_val(), "Hardtanh: max_val must be greater than min_val (got min_val={}, max_val={})",
             options.min_val(), options.max_val());
  }
  explicit HardtanhImpl(const HardtanhOptions& options = {}) : Cloneable("tg::nn::Hardtanh"), options(options) {
    reset();
  }
  Tensor forward(const Tensor& input) {
    return detail::in_place_if(options.inplace(), input, hardtanh(input, options.min_val(), options.max_val()));
  }
  void pretty_print(std::ostream& stream) const override;
  HardtanhOptions options;
};
TG_MODULE(Hardtanh);

struct PReLUOptions {
  TG_ARG(int64_t, num_parameters) = 1;
  TG_ARG(double, init) = 0.25;
};
/// PReLU with its own learnable weight (one value, or one per channel on dim 1).
class PReLUImpl : public Cloneable<PReLUImpl> {
 public:
  void reset() override;
  explicit PReLUImpl(const PReLUOptions& options = {});
  Tensor forward(const Tensor& input) { return prelu(input, weight); }
  void pretty_print(std::ostream& stream) const override;
  PReLUOptions options;
  Tensor weight;
};
TG_MODULE(PReLU);

struct SwishOptions {
  TG_ARG(double, beta) = 1.0;
  TG_ARG(bool, learnable) = true;
};
/// x * sigmoid(beta x) with beta a learnable parameter (initialised to options.beta()).
class SwishImpl : public Cloneable<SwishImpl> {
 public:
  void reset() override;
  explicit SwishImpl(const SwishOptions& options = {});
  Tensor forward(const Tensor& input) { return swish(input, beta); }
  void pretty_print(std::ostream& stream) const override;
  SwishOptions options;
  Tensor beta;
};
TG_MODULE(Swish);

struct SquareplusOptions {
  TG_ARG(double, b) = 4.0;
};
class SquareplusImpl : public Cloneable<SquareplusImpl> {
 public:
  void reset() override {}
  explicit SquareplusImpl(const SquareplusOptions& options = {}) : Cloneable("tg::nn::Squareplus"), options(options) {}
  Tensor forward(const Tensor& input) { return squareplus(input, options.b()); }
  void pretty_print(std::ostream& stream) const override;
  SquareplusOptions options;
};
TG_MODULE(Squareplus);

struct SMUOptions {
  TG_ARG(double, alpha) = 0.25;
  /// Initial mu (learnable). The SMU paper starts SMU at 1e6 and SMU-1 at 4.35e-9.
  TG_ARG(double, mu) = 1e6;
};
/// Smooth maximum unit with its own learnable mu.
class SMUImpl : public Cloneable<SMUImpl> {
 public:
  void reset() override;
  explicit SMUImpl(const SMUOptions& options = {});
  Tensor forward(const Tensor& input) { return smu(input, mu, options.alpha()); }
  void pretty_print(std::ostream& stream) const override;
  SMUOptions options;
  Tensor mu;
};
TG_MODULE(SMU);

/// SMU-1 with its own learnable mu (default initial mu 4.352665993287951e-9).
class SMU1Impl : public Cloneable<SMU1Impl> {
 public:
  void reset() override;
  explicit SMU1Impl(const SMUOptions& options = SMUOptions().mu(4.352665993287951e-9));
  Tensor forward(const Tensor& input) { return smu1(input, mu, options.alpha()); }
  void pretty_print(std::ostream& stream) const override;
  SMUOptions options;
  Tensor mu;
};
TG_MODULE(SMU1);

/// softmax, log_softmax and softmin over options.dim(): tg::nn::Softmax(1) or
/// tg::nn::Softmax(tg::nn::SoftmaxOptions(1)), printed "tg::nn::Softmax(dim=1)".
#define TG_SOFTMAX_MODULE(Name, expr)                                                                   \
  class Name##Impl : public Cloneable<Name##Impl> {                                                     \
   public:                                                                                              \
    explicit Name##Impl(int64_t dim) : Name##Impl(Name##Options(dim)) {}                               \
    explicit Name##Impl(const Name##Options& options) : Cloneable("tg::nn::" #Name), options(options) {} \
    void reset() override {}                                                                            \
    Tensor forward(const Tensor& input) { return expr; }                                                \
    void pretty_print(std::ostream& stream) const override {                                            \
      stream << name() << "(dim=" << options.dim() << ")";                                              \
    }                                                                                                   \
    Name##Options options;                                                                              \
  };                                                                                                    \
  TG_MODULE(Name);
TG_SOFTMAX_MODULE(Softmax, softmax(input, options.dim()))
TG_SOFTMAX_MODULE(LogSoftmax, log_softmax(input, options.dim()))
TG_SOFTMAX_MODULE(Softmin, softmax(-input, options.dim()))
#undef TG_SOFTMAX_MODULE

/// softmax over the channels (dim -3) of [C, H, W] or [N, C, H, W].
class Softmax2dImpl : public Cloneable<Softmax2dImpl> {
 public:
  Softmax2dImpl() : Cloneable("tg::nn::Softmax2d") {}
  void reset() override {}
  Tensor forward(const Tensor& input);
  void pretty_print(std::ostream& stream) const override { stream << name() << "()"; }
};
TG_MODULE(Softmax2d);

/// hardshrink(x, lambda), printed "tg::nn::Hardshrink(0.5)".
class HardshrinkImpl : public Cloneable<HardshrinkImpl> {
 public:
  explicit HardshrinkImpl(const HardshrinkOptions& options = {}) : Cloneable("tg::nn::Hardshrink"), options(options) {}
  void reset() override {}
  Tensor forward(const Tensor& input) { return hardshrink(input, options.lambda()); }
  void pretty_print(std::ostream& stream) const override { stream << name() << "(" << options.lambda() << ")"; }
  HardshrinkOptions options;
};
TG_MODULE(Hardshrink);

/// softshrink(x, lambda), printed "tg::nn::Softshrink(0.5)".
class SoftshrinkImpl : public Cloneable<SoftshrinkImpl> {
 public:
  explicit SoftshrinkImpl(const SoftshrinkOptions& options = {}) : Cloneable("tg::nn::Softshrink"), options(options) {}
  void reset() override {}
  Tensor forward(const Tensor& input) { return softshrink(input, options.lambda()); }
  void pretty_print(std::ostream& stream) const override { stream << name() << "(" << options.lambda() << ")"; }
  SoftshrinkOptions options;
};
TG_MODULE(Softshrink);

/// x - tanh(x).
class TanhshrinkImpl : public Cloneable<TanhshrinkImpl> {
 public:
  TanhshrinkImpl() : Cloneable("tg::nn::Tanhshrink") {}
  void reset() override {}
  Tensor forward(const Tensor& input) { return input - tanh(input); }
  void pretty_print(std::ostream& stream) const override { stream << name() << "()"; }
};
TG_MODULE(Tanhshrink);

/// threshold(x, threshold, value): tg::nn::Threshold(0.1, 20), printed
/// "tg::nn::Threshold(threshold=0.1, value=20)".
class ThresholdImpl : public Cloneable<ThresholdImpl> {
 public:
  ThresholdImpl(double threshold, double value) : ThresholdImpl(ThresholdOptions(threshold, value)) {}
  explicit ThresholdImpl(const ThresholdOptions& options) : Cloneable("tg::nn::Threshold"), options(options) {}
  void reset() override {}
  Tensor forward(const Tensor& input) {
    return detail::in_place_if(options.inplace(), input, threshold(input, options.threshold(), options.value()));
  }
  void pretty_print(std::ostream& stream) const override;
  ThresholdOptions options;
};
TG_MODULE(Threshold);

/// The gated linear unit over options.dim(), printed "tg::nn::GLU(dim=-1)".
class GLUImpl : public Cloneable<GLUImpl> {
 public:
  explicit GLUImpl(const GLUOptions& options = {}) : Cloneable("tg::nn::GLU"), options(options) {}
  void reset() override {}
  Tensor forward(const Tensor& input) { return glu(input, options.dim()); }
  void pretty_print(std::ostream& stream) const override { stream << name() << "(dim=" << options.dim() << ")"; }
  GLUOptions options;
};
TG_MODULE(GLU);

/// Randomized leaky ReLU: random slopes in training mode, their mean in evaluation mode.
class RReLUImpl : public Cloneable<RReLUImpl> {
 public:
  explicit RReLUImpl(const RReLUOptions& options = {}) : Cloneable("tg::nn::RReLU"), options(options) {}
  void reset() override {}
  Tensor forward(const Tensor& input) {
    return detail::in_place_if(options.inplace(), input,
                               rrelu(input, options.lower(), options.upper(), is_training()));
  }
  void pretty_print(std::ostream& stream) const override;
  RReLUOptions options;
};
TG_MODULE(RReLU);

/// maxout over groups of `pieces` along dim.
class MaxoutImpl : public Cloneable<MaxoutImpl> {
 public:
  void reset() override {}
  explicit MaxoutImpl(int64_t pieces, int64_t dim = -1) : Cloneable("tg::nn::Maxout"), pieces(pieces), dim(dim) {}
  Tensor forward(const Tensor& input) { return maxout(input, pieces, dim); }
  void pretty_print(std::ostream& stream) const override;
  int64_t pieces, dim;
};
TG_MODULE(Maxout);

}  // namespace nn
}  // namespace tg
