// Layers and activation modules.
#include "tensorgrad/nn/modules.h"

#include <cmath>

#include "tensorgrad/autograd/grad_mode.h"
#include "tensorgrad/nn/functional/activation.h"
#include "tensorgrad/nn/functional/embedding.h"
#include "tensorgrad/nn/init.h"

namespace tg {
namespace nn {

namespace {
std::string b2s(bool b) { return b ? "true" : "false"; }
}  // namespace

// ---- Linear ----

LinearImpl::LinearImpl(const LinearOptions& o) : Cloneable("tg::nn::Linear"), options(o) {
  TG_CHECK(o.in_features() >= 0 && o.out_features() >= 0,
           "Linear: in_features and out_features must be non-negative, got {} and {}", o.in_features(),
           o.out_features());
  reset();
}

void LinearImpl::reset() {
  weight = register_parameter("weight", empty({options.out_features(), options.in_features()}));
  bias = options.bias() ? register_parameter("bias", empty({options.out_features()})) : Tensor();
  reset_parameters();
}

void LinearImpl::reset_parameters() {
  init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (bias.defined()) {
    int64_t fan_in = options.in_features();
    double bound = fan_in > 0 ? 1.0 / std::sqrt(static_cast<double>(fan_in)) : 0.0;
    init::uniform_(bias, -bound, bound);
  }
}

Tensor LinearImpl::forward(const Tensor& input) { return linear(input, weight, bias); }

void LinearImpl::pretty_print(std::ostream& s) const {
  s << "tg::nn::Linear(in_features=" << options.in_features() << ", out_features=" << options.out_features()
    << ", bias=" << b2s(options.bias()) << ")";
}

void FlattenImpl::pretty_print(std::ostream& s) const {
  s << "tg::nn::Flatten(start_dim=" << options.start_dim() << ", end_dim=" << options.end_dim() << ")";
}


// ---- dropouts ----

namespace {
// The F:: options of a dropout module in its current mode.
template <typename FuncOptions>
FuncOptions dropout_options(const DropoutOptions& o, bool training) {
  return FuncOptions().p(o.p()).training(training).inplace(o.inplace());
}
}  // namespace

Tensor DropoutImpl::forward(const Tensor& input) {
  return functional::dropout(input, dropout_options<functional::DropoutFuncOptions>(options, is_training()));
}
Tensor Dropout2dImpl::forward(const Tensor& input) {
  return functional::dropout2d(input, dropout_options<functional::Dropout2dFuncOptions>(options, is_training()));
}
Tensor Dropout3dImpl::forward(const Tensor& input) {
  return functional::dropout3d(input, dropout_options<functional::Dropout3dFuncOptions>(options, is_training()));
}
Tensor AlphaDropoutImpl::forward(const Tensor& input) {
  return functional::alpha_dropout(input,
                                   dropout_options<functional::AlphaDropoutFuncOptions>(options, is_training()));
}
Tensor FeatureAlphaDropoutImpl::forward(const Tensor& input) {
  return functional::feature_alpha_dropout(
      input, dropout_options<functional::FeatureAlphaDropoutFuncOptions>(options, is_training()));
}
// ---- BatchNorm1d ----

BatchNorm1dImpl::BatchNorm1dImpl(const BatchNormOptions& o) : Cloneable("tg::nn::BatchNorm1d"), options(o) {
  TG_CHECK(o.num_features() > 0, "BatchNorm1d: num_features must be positive, got {}", o.num_features());
  reset();
}

void BatchNorm1dImpl::reset() {
  const int64_t n = options.num_features();
  if (options.affine()) {
    weight = register_parameter("weight", ones({n}));
    bias = register_parameter("bias", zeros({n}));
  }
  if (options.track_running_stats()) {
    running_mean = register_buffer("running_mean", zeros({n}));
    running_var = register_buffer("running_var", ones({n}));
    num_batches_tracked = register_buffer("num_batches_tracked", zeros({}, dtype(kInt64)));
  }
}

void BatchNorm1dImpl::reset_running_stats() {
  if (!options.track_running_stats()) return;
  NoGradGuard g;
  running_mean.zero_();
  running_var.fill_(1);
  num_batches_tracked.zero_();
}

Tensor BatchNorm1dImpl::forward(const Tensor& input) {
  TG_CHECK(input.dim() == 2 || input.dim() == 3, "BatchNorm1d: expected 2D or 3D input (got {}D input of shape {})",
           input.dim(), to_string(input.sizes()));
  TG_CHECK(input.size(1) == options.num_features(),
           "BatchNorm1d: expected input with {} channels (dim 1), got input of shape {}", options.num_features(),
           to_string(input.sizes()));
  bool use_batch = is_training() || !options.track_running_stats();
  if (is_training() && options.track_running_stats()) {
    NoGradGuard g;
    num_batches_tracked.add_(1);
  }
  return batch_norm(input, weight, bias, use_batch && !is_training() ? Tensor() : running_mean,
                    use_batch && !is_training() ? Tensor() : running_var, use_batch, options.momentum(), options.eps());
}

void BatchNorm1dImpl::pretty_print(std::ostream& s) const {
  s << "tg::nn::BatchNorm1d(" << options.num_features() << ", eps=" << options.eps()
    << ", momentum=" << options.momentum() << ", affine=" << b2s(options.affine())
    << ", track_running_stats=" << b2s(options.track_running_stats()) << ")";
}

// ---- LayerNorm ----

LayerNormImpl::LayerNormImpl(const LayerNormOptions& o) : Cloneable("tg::nn::LayerNorm"), options(o) {
  TG_CHECK(!o.normalized_shape().empty(), "LayerNorm: normalized_shape must not be empty");
  reset();
}
void LayerNormImpl::reset() {
  if (options.elementwise_affine()) {
    weight = register_parameter("weight", ones(options.normalized_shape()));
    bias = register_parameter("bias", zeros(options.normalized_shape()));
  }
}
void LayerNormImpl::pretty_print(std::ostream& s) const {
  s << "tg::nn::LayerNorm(" << to_string(options.normalized_shape()) << ", eps=" << options.eps()
    << ", elementwise_affine=" << b2s(options.elementwise_affine()) << ")";
}

// ---- Embedding ----

EmbeddingImpl::EmbeddingImpl(const EmbeddingOptions& o) : Cloneable("tg::nn::Embedding"), options(o) {
  TG_CHECK(o.num_embeddings() > 0 && o.embedding_dim() > 0,
           "Embedding: num_embeddings and embedding_dim must be positive, got {} and {}", o.num_embeddings(),
           o.embedding_dim());
  reset();
}
void EmbeddingImpl::reset() {
  if (auto p = options.padding_idx()) {
    if (*p > 0) TG_CHECK(*p < options.num_embeddings(), "Embedding: Padding_idx must be within num_embeddings");
    if (*p < 0) {
      TG_CHECK(*p >= -options.num_embeddings(), "Embedding: Padding_idx must be within num_embedding");
      options.padding_idx(options.num_embeddings() + *p);
    }
  }
  if (!options._weight().defined()) {
    weight = register_parameter("weight", empty({options.num_embeddings(), options.embedding_dim()}));
    reset_parameters();
  } else {
    TG_CHECK(options._weight().sizes() == IntArrayRef({options.num_embeddings(), options.embedding_dim()}),
             "Embedding: Shape of _weight does not match num_embeddings and embedding_dim (_weight {}, expected [{}, "
             "{}])",
             to_string(options._weight().sizes()), options.num_embeddings(), options.embedding_dim());
    weight = register_parameter("weight", options._weight());
  }
}
void EmbeddingImpl::reset_parameters() {
  init::normal_(weight);
  if (options.padding_idx()) {
    NoGradGuard g;
    weight.select(0, *options.padding_idx()).fill_(0);
  }
}
Tensor EmbeddingImpl::forward(const Tensor& indices) {
  return functional::embedding(indices, weight,
                               functional::EmbeddingFuncOptions()
                                   .padding_idx(options.padding_idx())
                                   .max_norm(options.max_norm())
                                   .norm_type(options.norm_type())
                                   .scale_grad_by_freq(options.scale_grad_by_freq())
                                   .sparse(options.sparse()));
}
void EmbeddingImpl::pretty_print(std::ostream& s) const {
  s << "tg::nn::Embedding(num_embeddings=" << options.num_embeddings() << ", embedding_dim=" << options.embedding_dim();
  if (options.padding_idx()) s << ", padding_idx=" << *options.padding_idx();
  if (options.max_norm()) s << ", max_norm=" << *options.max_norm();
  if (options.norm_type() != 2) s << ", norm_type=" << options.norm_type();
  if (options.scale_grad_by_freq()) s << ", scale_grad_by_freq=true";
  if (options.sparse()) s << ", sparse=true";
  s << ")";
}
Embedding Embedding::from_pretrained(const Tensor& embeddings, const EmbeddingFromPretrainedOptions& o) {
  TG_CHECK(embeddings.dim() == 2, "Embedding::from_pretrained: Embeddings parameter is expected to be 2-dimensional "
           "(got {})", to_string(embeddings.sizes()));
  Embedding e(EmbeddingOptions(embeddings.size(0), embeddings.size(1))
                  ._weight(embeddings)
                  .padding_idx(o.padding_idx())
                  .max_norm(o.max_norm())
                  .norm_type(o.norm_type())
                  .scale_grad_by_freq(o.scale_grad_by_freq())
                  .sparse(o.sparse()));
  e->weight.set_requires_grad(!o.freeze());
  return e;
}

// ---- recurrent cells ----

namespace {
void init_cell(Module& m, const RNNCellOptions& o, int64_t gates, Tensor& wih, Tensor& whh, Tensor& bih, Tensor& bhh) {
  TG_CHECK(o.input_size() > 0 && o.hidden_size() > 0, "{}: input_size and hidden_size must be positive, got {} and {}",
           m.name(), o.input_size(), o.hidden_size());
  int64_t h = o.hidden_size();
  double bound = 1.0 / std::sqrt(static_cast<double>(h));
  wih = m.register_parameter("weight_ih", init::uniform_(empty({gates * h, o.input_size()}), -bound, bound));
  whh = m.register_parameter("weight_hh", init::uniform_(empty({gates * h, h}), -bound, bound));
  if (o.bias()) {
    bih = m.register_parameter("bias_ih", init::uniform_(empty({gates * h}), -bound, bound));
    bhh = m.register_parameter("bias_hh", init::uniform_(empty({gates * h}), -bound, bound));
  }
}
void check_cell_input(const Module& m, const RNNCellOptions& o, const Tensor& x, const Tensor& h) {
  TG_CHECK(x.dim() == 2 && x.size(1) == o.input_size(), "{}: input has inconsistent input_size: got shape {}, expected [N, {}]",
           m.name(), to_string(x.sizes()), o.input_size());
  TG_CHECK(!h.defined() || (h.dim() == 2 && h.size(0) == x.size(0) && h.size(1) == o.hidden_size()),
           "{}: hidden state has shape {}, expected [{}, {}]", m.name(), to_string(h.sizes()), x.size(0),
           o.hidden_size());
}
}  // namespace

LSTMCellImpl::LSTMCellImpl(const LSTMCellOptions& o) : Cloneable("tg::nn::LSTMCell"), options(o) { reset(); }
void LSTMCellImpl::reset() { init_cell(*this, options, 4, weight_ih, weight_hh, bias_ih, bias_hh); }

std::tuple<Tensor, Tensor> LSTMCellImpl::forward(const Tensor& x, std::optional<std::tuple<Tensor, Tensor>> hx) {
  int64_t H = options.hidden_size();
  Tensor h = hx ? std::get<0>(*hx) : zeros({x.size(0), H}, dtype(x.dtype()));
  Tensor c = hx ? std::get<1>(*hx) : zeros({x.size(0), H}, dtype(x.dtype()));
  check_cell_input(*this, options, x, h);
  check_cell_input(*this, options, x, c);
  Tensor gates = linear(x, weight_ih, bias_ih) + linear(h, weight_hh, bias_hh);
  Tensor i = sigmoid(gates.narrow(1, 0, H));
  Tensor f = sigmoid(gates.narrow(1, H, H));
  Tensor g = tanh(gates.narrow(1, 2 * H, H));
  Tensor o = sigmoid(gates.narrow(1, 3 * H, H));
  Tensor c2 = f * c + i * g;
  return {o * tanh(c2), c2};
}

void LSTMCellImpl::pretty_print(std::ostream& s) const {
  s << "tg::nn::LSTMCell(" << options.input_size() << ", " << options.hidden_size() << (options.bias() ? "" : ", bias=false")
    << ")";
}

GRUCellImpl::GRUCellImpl(const GRUCellOptions& o) : Cloneable("tg::nn::GRUCell"), options(o) { reset(); }
void GRUCellImpl::reset() { init_cell(*this, options, 3, weight_ih, weight_hh, bias_ih, bias_hh); }

Tensor GRUCellImpl::forward(const Tensor& x, const Tensor& hx) {
  int64_t H = options.hidden_size();
  Tensor h = hx.defined() ? hx : zeros({x.size(0), H}, dtype(x.dtype()));
  check_cell_input(*this, options, x, h);
  Tensor gi = linear(x, weight_ih, bias_ih), gh = linear(h, weight_hh, bias_hh);
  Tensor r = sigmoid(gi.narrow(1, 0, H) + gh.narrow(1, 0, H));
  Tensor z = sigmoid(gi.narrow(1, H, H) + gh.narrow(1, H, H));
  Tensor n = tanh(gi.narrow(1, 2 * H, H) + r * gh.narrow(1, 2 * H, H));
  return (1 - z) * n + z * h;
}

void GRUCellImpl::pretty_print(std::ostream& s) const {
  s << "tg::nn::GRUCell(" << options.input_size() << ", " << options.hidden_size() << (options.bias() ? "" : ", bias=false")
    << ")";
}

MaxoutLinearImpl::MaxoutLinearImpl(int64_t in, int64_t out, int64_t p)
    : Cloneable("tg::nn::MaxoutLinear"), in_features(in), out_features(out), pieces(p) {
  TG_CHECK(p >= 1, "MaxoutLinear: pieces must be positive, got {}", p);
  reset();
}
void MaxoutLinearImpl::reset() { linear = register_module("linear", Linear(in_features, out_features * pieces)); }
void MaxoutLinearImpl::pretty_print(std::ostream& s) const {
  s << "tg::nn::MaxoutLinear(in_features=" << in_features << ", out_features=" << out_features << ", pieces=" << pieces
    << ")";
}

// ---- activation modules ----

void LeakyReLUImpl::pretty_print(std::ostream& s) const {
  s << "tg::nn::LeakyReLU(negative_slope=" << options.negative_slope() << (options.inplace() ? ", inplace=true" : "")
    << ")";
}
void ELUImpl::pretty_print(std::ostream& s) const {
  s << "tg::nn::ELU(alpha=" << options.alpha() << (options.inplace() ? ", inplace=true" : "") << ")";
}
void CELUImpl::pretty_print(std::ostream& s) const {
  s << "tg::nn::CELU(alpha=" << options.alpha() << (options.inplace() ? ", inplace=true" : "") << ")";
}
void GELUImpl::pretty_print(std::ostream& s) const {
  s << "tg::nn::GELU()";  // libtorch 1.13 does not print approximate
}
void SoftplusImpl::pretty_print(std::ostream& s) const {
  s << "tg::nn::Softplus(beta=" << options.beta() << ", threshold=" << options.threshold() << ")";
}
void HardtanhImpl::pretty_print(std::ostream& s) const {
  s << "tg::nn::Hardtanh(min_val=" << options.min_val() << ", max_val=" << options.max_val()
    << (options.inplace() ? ", inplace=true" : "") << ")";
}

PReLUImpl::PReLUImpl(const PReLUOptions& o) : Cloneable("tg::nn::PReLU"), options(o) {
  TG_CHECK(o.num_parameters() >= 1, "PReLU: num_parameters must be positive, got {}", o.num_parameters());
  reset();
}
void PReLUImpl::reset() { weight = register_parameter("weight", full({options.num_parameters()}, options.init())); }
void PReLUImpl::pretty_print(std::ostream& s) const { s << "tg::nn::PReLU(num_parameters=" << options.num_parameters() << ")"; }

SwishImpl::SwishImpl(const SwishOptions& o) : Cloneable("tg::nn::Swish"), options(o) { reset(); }
void SwishImpl::reset() { beta = register_parameter("beta", full({1}, options.beta()), options.learnable()); }
void SwishImpl::pretty_print(std::ostream& s) const {
  s << "tg::nn::Swish(beta=" << options.beta() << ", learnable=" << b2s(options.learnable()) << ")";
}

void SquareplusImpl::pretty_print(std::ostream& s) const { s << "tg::nn::Squareplus(b=" << options.b() << ")"; }

SMUImpl::SMUImpl(const SMUOptions& o) : Cloneable("tg::nn::SMU"), options(o) { reset(); }
void SMUImpl::reset() { mu = register_parameter("mu", full({1}, options.mu())); }
void SMUImpl::pretty_print(std::ostream& s) const { s << "tg::nn::SMU(alpha=" << options.alpha() << ")"; }

SMU1Impl::SMU1Impl(const SMUOptions& o) : Cloneable("tg::nn::SMU1"), options(o) { reset(); }
void SMU1Impl::reset() { mu = register_parameter("mu", full({1}, options.mu())); }
void SMU1Impl::pretty_print(std::ostream& s) const { s << "tg::nn::SMU1(alpha=" << options.alpha() << ")"; }

Tensor Softmax2dImpl::forward(const Tensor& input) {
  TG_CHECK(input.dim() == 3 || input.dim() == 4, "Softmax2d: Softmax2d requires a 3D or 4D tensor as input (got {})",
           to_string(input.sizes()));
  return softmax(input, -3);
}
void ThresholdImpl::pretty_print(std::ostream& s) const {
  s << "tg::nn::Threshold(threshold=" << options.threshold() << ", value=" << options.value()
    << (options.inplace() ? ", inplace=true" : "") << ")";
}
void RReLUImpl::pretty_print(std::ostream& s) const {
  s << "tg::nn::RReLU(lower=" << options.lower() << ", upper=" << options.upper()
    << (options.inplace() ? ", inplace=true" : "") << ")";
}
void MaxoutImpl::pretty_print(std::ostream& s) const {
  s << "tg::nn::Maxout(pieces=" << pieces << ", dim=" << dim << ")";
}

}  // namespace nn
}  // namespace tg
