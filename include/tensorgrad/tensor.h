#pragma once
/// \file tensor.h
/// tg::Tensor: an N-d array that records the operations applied to it as a dynamic graph.
/// Names, signatures and defaults follow libtorch's C++ API.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "tensorgrad/array_ref.h"
#include "tensorgrad/dtype.h"
#include "tensorgrad/error.h"
#include "tensorgrad/options.h"
#include "tensorgrad/scalar.h"
#include "tensorgrad/shape.h"

namespace tg {

struct TensorImpl;
class Tensor;
namespace indexing {
class TensorIndex;
}
namespace autograd {
class Node;
}

/// A view of several tensors, as libtorch's at::TensorList (tensorgrad/array_ref.h): pass a
/// braced list or a std::vector<Tensor>; keep tensors in a std::vector<Tensor>.
using TensorList = ArrayRef<Tensor>;

/// libtorch's c10::optional and c10::nullopt, which libtorch programs spell torch::optional.
using std::nullopt;
using std::optional;

class Tensor {
 public:
  /// An undefined tensor (defined() == false), as a default-constructed torch::Tensor.
  Tensor() = default;
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  // ---- metadata --------------------------------------------------------------------------
  bool defined() const { return impl_ != nullptr; }
  IntArrayRef sizes() const;
  IntArrayRef strides() const;
  /// Size of dim `d` (negative counts from the end).
  int64_t size(int64_t d) const;
  int64_t stride(int64_t d) const;
  int64_t dim() const;
  int64_t ndimension() const { return dim(); }
  int64_t numel() const;
  ScalarType dtype() const;
  ScalarType scalar_type() const { return dtype(); }
  TensorOptions options() const;
  bool is_floating_point() const;
  bool is_contiguous() const;
  /// Bytes per element.
  size_t element_size() const;
  /// Counts in-place modifications of this tensor's storage (shared by its views).
  uint32_t _version() const;

  // ---- data --------------------------------------------------------------------------------
  /// The value of a one-element tensor, converted to T (float, double, int64_t, int, bool).
  template <typename T> T item() const;
  Scalar item() const;
  /// Pointer to the first element; T must match dtype().
  template <typename T> T* data_ptr() const;
  void* data_ptr() const;
  /// A copy converted to `dtype` (this tensor itself when it already has that dtype).
  Tensor to(ScalarType dtype, bool non_blocking = false, bool copy = false) const;
  /// The options' dtype (their device was checked when they were made: the CPU).
  Tensor to(const TensorOptions& options, bool non_blocking = false, bool copy = false) const {
    return to(options.dtype(), non_blocking, copy);
  }
  Tensor toType(ScalarType dtype) const { return to(dtype); }
  Tensor to_dtype(ScalarType dtype) const { return to(dtype); }
  Tensor to_float() const { return to(kFloat32); }
  Tensor to_double() const { return to(kFloat64); }
  /// A copy with other's dtype (and device: the CPU), as libtorch's x.to(other).
  Tensor to(const Tensor& other, bool non_blocking = false, bool copy = false) const {
    return to(other.dtype(), non_blocking, copy);
  }
  Tensor type_as(const Tensor& other) const { return to(other.dtype()); }
  /// Devices (tensorgrad/device.h): the CPU is the only one; to another is a tg::Error.
  Tensor to(Device device, ScalarType dtype, bool non_blocking = false, bool copy = false) const;
  Tensor to(Device device, bool non_blocking = false, bool copy = false) const;
  Tensor to(DeviceType device, bool non_blocking = false, bool copy = false) const {
    return to(Device(device), non_blocking, copy);
  }
  Device device() const { return Device(kCPU); }
  bool is_cpu() const { return true; }
  bool is_cuda() const { return false; }
  /// -1, libtorch's answer for a CPU tensor.
  int64_t get_device() const { return -1; }
  Tensor cpu() const { return *this; }
  /// A tg::Error: there is no CUDA device.
  Tensor cuda() const;
  /// True for the signed types: every dtype but bool and uint8.
  bool is_signed() const { return dtype() != kBool && dtype() != kUInt8; }
  /// The elements in row-major order, converted to T.
  template <typename T> std::vector<T> tolist() const;
  std::string toString() const;

  // ---- shape ------------------------------------------------------------------------------
  Tensor reshape(IntArrayRef shape) const;
  Tensor view(IntArrayRef shape) const;
  Tensor view_as(const Tensor& other) const { return view(other.sizes()); }
  /// A view of the whole tensor: same storage, sizes and strides (AliasBackward0).
  Tensor alias() const;
  Tensor reshape_as(const Tensor& other) const { return reshape(other.sizes()); }
  Tensor flatten(int64_t start_dim = 0, int64_t end_dim = -1) const;
  Tensor t() const;
  Tensor transpose(int64_t dim0, int64_t dim1) const;
  Tensor permute(IntArrayRef dims) const;
  Tensor unsqueeze(int64_t dim) const;
  Tensor squeeze() const;
  Tensor squeeze(int64_t dim) const;
  Tensor select(int64_t dim, int64_t index) const;
  Tensor narrow(int64_t dim, int64_t start, int64_t length) const;
  /// `chunks` pieces along dim, each of size ceil(size / chunks) but the last (views).
  std::vector<Tensor> chunk(int64_t chunks, int64_t dim = 0) const;
  /// Pieces of split_size along dim, the last one smaller if need be (views).
  std::vector<Tensor> split(int64_t split_size, int64_t dim = 0) const;
  /// Pieces of the given sizes along dim, which must add up to its size (views).
  std::vector<Tensor> split_with_sizes(IntArrayRef split_sizes, int64_t dim = 0) const;
  /// Every slice along dim, with dim removed (views).
  std::vector<Tensor> unbind(int64_t dim = 0) const;
  /// x.index({Slice(), 0}): Python's x[:, 0] (tensorgrad/indexing.h).
  Tensor index(std::initializer_list<indexing::TensorIndex> indices) const;
  Tensor index(const std::vector<indexing::TensorIndex>& indices) const;
  /// x.index_put_({Slice(), 0}, v): Python's x[:, 0] = v, in place.
  Tensor& index_put_(std::initializer_list<indexing::TensorIndex> indices, const Tensor& value);
  Tensor& index_put_(std::initializer_list<indexing::TensorIndex> indices, const Scalar& value);
  Tensor& index_put_(const std::vector<indexing::TensorIndex>& indices, const Tensor& value);
  Tensor& index_put_(const std::vector<indexing::TensorIndex>& indices, const Scalar& value);
  /// libtorch's tensor-list forms, x.index({i, j}) and x.index_put_({i, j}, v, accumulate): entry k indexes dim k
  /// (nullopt: all of it), a bool tensor stands for its nonzero() index tensors, and the index tensors are broadcast
  /// together (tensorgrad/indexing.h). index_put_ writes v (broadcast to the indexed shape, of self's dtype) at the
  /// indexed positions, or adds it when `accumulate` (duplicate positions then sum); index_put writes into a copy.
  /// A braced list with two arguments, x.index_put_({i, j}, v), is the TensorIndex form above, as in libtorch.
  Tensor index(const std::vector<std::optional<Tensor>>& indices) const;
  Tensor& index_put_(const std::vector<std::optional<Tensor>>& indices, const Tensor& values, bool accumulate = false);
  Tensor index_put(const std::vector<std::optional<Tensor>>& indices, const Tensor& values,
                   bool accumulate = false) const;
  /// Python's x[start:end:step] along dim (a view, SliceBackward0): negative positions count from
  /// the end, both ends are clamped to the size, step > 0.
  Tensor slice(int64_t dim = 0, std::optional<int64_t> start = std::nullopt, std::optional<int64_t> end = std::nullopt,
               int64_t step = 1) const;
  Tensor operator[](int64_t index) const { return select(0, index); }
  Tensor expand(IntArrayRef sizes) const;
  Tensor expand_as(const Tensor& other) const { return expand(other.sizes()); }
  Tensor contiguous() const;
  Tensor clone() const;

  // ---- autograd ---------------------------------------------------------------------------
  bool requires_grad() const;
  /// Sets requires_grad on a leaf; returns this tensor.
  const Tensor& requires_grad_(bool requires_grad = true) const;
  /// libtorch's other spelling of requires_grad_.
  const Tensor& set_requires_grad(bool requires_grad) const { return requires_grad_(requires_grad); }
  bool is_leaf() const;
  /// The accumulated gradient: undefined until a backward reaches this tensor (non-leaves only
  /// keep theirs after retain_grad()).
  const Tensor& grad() const;
  /// The gradient slot itself, to assign or reset it: t.mutable_grad() = tg::Tensor();
  Tensor& mutable_grad() const;
  void set_grad(const Tensor& grad) const { mutable_grad() = grad; }
  /// The node that created this tensor, or nullptr for leaves.
  const std::shared_ptr<autograd::Node>& grad_fn() const;
  /// Which output of grad_fn() this tensor is.
  uint32_t output_nr() const;
  /// A tensor sharing this one's data, outside the graph.
  Tensor detach() const;
  const Tensor& detach_() const;
  /// Makes a non-leaf keep its gradient in grad() after backward.
  void retain_grad() const;
  bool retains_grad() const;
  /// Registers a hook run with this tensor's gradient when it is computed. A hook returning a
  /// tensor replaces the gradient. Returns a handle for remove_hook().
  unsigned register_hook(std::function<Tensor(const Tensor&)> hook) const;
  unsigned register_hook(std::function<void(const Tensor&)> hook) const;
  template <typename F,
            std::enable_if_t<std::is_same<decltype(std::declval<F>()(std::declval<const Tensor&>())), void>::value, int> = 0>
  unsigned register_hook(F&& f) const { return register_hook(std::function<void(const Tensor&)>(std::forward<F>(f))); }
  template <typename F,
            std::enable_if_t<std::is_convertible<decltype(std::declval<F>()(std::declval<const Tensor&>())), Tensor>::value, int> = 0>
  unsigned register_hook(F&& f) const { return register_hook(std::function<Tensor(const Tensor&)>(std::forward<F>(f))); }
  /// An error ("Invalid index") when no hook of this tensor has the handle.
  void remove_hook(unsigned handle) const;
  /// The data without autograd history, sharing storage (libtorch's tensor_data()).
  Tensor tensor_data() const;
  /// The value of a one-element tensor as a bool (an error for any other size).
  bool is_nonzero() const;
  /// Gives this tensor new_data's data (storage, offset, sizes, strides, dtype), keeping its own
  /// autograd identity (requires_grad, grad_fn, hooks): libtorch's set_data, how a module's
  /// parameters are replaced in place (Module::to, Cloneable::clone).
  void set_data(const Tensor& new_data) const;
  /// tg::allclose(*this, other, ...).
  bool allclose(const Tensor& other, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false) const;
  /// tg::equal(*this, other): the same sizes and the same values.
  bool equal(const Tensor& other) const;
  /// Computes the gradient of this tensor w.r.t. the graph leaves (see tg::autograd::backward).
  /// With `inputs`, only their grad() is filled.
  void backward(const Tensor& gradient = {}, std::optional<bool> retain_graph = std::nullopt,
                bool create_graph = false, std::optional<TensorList> inputs = std::nullopt) const;

  // ---- pointwise (methods mirroring the free functions) -----------------------------------
  Tensor add(const Tensor& other, const Scalar& alpha = 1) const;
  Tensor add(const Scalar& other, const Scalar& alpha = 1) const;
  Tensor sub(const Tensor& other, const Scalar& alpha = 1) const;
  Tensor sub(const Scalar& other, const Scalar& alpha = 1) const;
  Tensor mul(const Tensor& other) const;
  Tensor mul(const Scalar& other) const;
  Tensor div(const Tensor& other) const;
  Tensor div(const Scalar& other) const;
  Tensor neg() const;
  Tensor pow(const Scalar& exponent) const;
  Tensor pow(const Tensor& exponent) const;
  Tensor exp() const;
  Tensor log() const;
  Tensor log1p() const;
  Tensor expm1() const;
  Tensor sqrt() const;
  Tensor abs() const;
  Tensor sin() const;
  Tensor cos() const;
  Tensor square() const;
  Tensor sign() const;
  Tensor clamp(std::optional<Scalar> min = std::nullopt, std::optional<Scalar> max = std::nullopt) const;
  Tensor clamp_min(const Scalar& min) const;
  Tensor clamp_max(const Scalar& max) const;
  Tensor sigmoid() const;
  // Method forms libtorch has for these functions.
  Tensor softmax(int64_t dim, std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor log_softmax(int64_t dim, std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor erf() const;
  Tensor isnan() const;
  Tensor isinf() const;
  Tensor isfinite() const;
  Tensor masked_fill(const Tensor& mask, const Scalar& value) const;
  /// The elements of self where mask (bool, broadcast with self) is true, as a 1-D tensor.
  Tensor masked_select(const Tensor& mask) const;
  /// In place (recorded as an in-place op).
  Tensor& masked_fill_(const Tensor& mask, const Scalar& value);
  /// Fill in place, without recording a graph, from U(from, to) / N(mean, std) / the integers
  /// in [from, to): libtorch's uniform_, normal_, random_ (a leaf that requires grad is refused
  /// outside NoGradGuard, as any in-place op).
  Tensor& uniform_(double from = 0, double to = 1);
  Tensor& normal_(double mean = 0, double std = 1);
  Tensor& random_(int64_t from, int64_t to);
  /// The integers in [0, to).
  Tensor& random_(int64_t to) { return random_(0, to); }
  Tensor tanh() const;
  Tensor relu() const;
  Tensor eq(const Tensor& o) const;
  Tensor eq(const Scalar& o) const;
  Tensor ne(const Tensor& o) const;
  Tensor ne(const Scalar& o) const;
  Tensor gt(const Tensor& o) const;
  Tensor gt(const Scalar& o) const;
  Tensor ge(const Tensor& o) const;
  Tensor ge(const Scalar& o) const;
  Tensor lt(const Tensor& o) const;
  Tensor lt(const Scalar& o) const;
  Tensor le(const Tensor& o) const;
  Tensor le(const Scalar& o) const;
  Tensor maximum(const Tensor& o) const;
  Tensor minimum(const Tensor& o) const;

  // ---- reductions ---------------------------------------------------------------------------
  Tensor sum(std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor sum(IntArrayRef dim, bool keepdim = false, std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor mean(std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor mean(IntArrayRef dim, bool keepdim = false, std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor max() const;
  std::tuple<Tensor, Tensor> max(int64_t dim, bool keepdim = false) const;
  Tensor min() const;
  std::tuple<Tensor, Tensor> min(int64_t dim, bool keepdim = false) const;
  Tensor argmax(std::optional<int64_t> dim = std::nullopt, bool keepdim = false) const;
  Tensor argmin(std::optional<int64_t> dim = std::nullopt, bool keepdim = false) const;
  Tensor norm(const Scalar& p = 2) const;
  Tensor norm(const Scalar& p, IntArrayRef dim, bool keepdim = false) const;
  /// var() / var(unbiased) of all elements; var({dims}, ...) over dims. The `unbiased`-only form
  /// is a template taking exactly bool, so that a braced list such as var({1}) means dims.
  Tensor var() const { return var_all(true); }
  template <typename B, std::enable_if_t<std::is_same<B, bool>::value, int> = 0>
  Tensor var(B unbiased) const { return var_all(unbiased); }
  Tensor var(IntArrayRef dim, bool unbiased = true, bool keepdim = false) const;
  Tensor std() const { return std_all(true); }
  template <typename B, std::enable_if_t<std::is_same<B, bool>::value, int> = 0>
  Tensor std(B unbiased) const { return std_all(unbiased); }
  Tensor std(IntArrayRef dim, bool unbiased = true, bool keepdim = false) const;
  Tensor var_all(bool unbiased) const;
  Tensor std_all(bool unbiased) const;
  Tensor all() const;
  Tensor any() const;

  // ---- indexing -----------------------------------------------------------------------------
  Tensor gather(int64_t dim, const Tensor& index) const;
  Tensor scatter(int64_t dim, const Tensor& index, const Tensor& src) const;
  Tensor scatter(int64_t dim, const Tensor& index, const Scalar& value) const;
  Tensor scatter_add(int64_t dim, const Tensor& index, const Tensor& src) const;
  Tensor index_select(int64_t dim, const Tensor& index) const;
  Tensor index_add(int64_t dim, const Tensor& index, const Tensor& source) const;

  // ---- linear algebra -----------------------------------------------------------------------
  Tensor matmul(const Tensor& other) const;
  Tensor mm(const Tensor& other) const;
  Tensor addmm(const Tensor& mat1, const Tensor& mat2, const Scalar& beta = 1, const Scalar& alpha = 1) const;
  Tensor bmm(const Tensor& other) const;
  Tensor mv(const Tensor& vec) const;
  Tensor dot(const Tensor& other) const;

  // ---- in-place -----------------------------------------------------------------------------
  Tensor& add_(const Tensor& other, const Scalar& alpha = 1);
  Tensor& add_(const Scalar& other, const Scalar& alpha = 1);
  Tensor& sub_(const Tensor& other, const Scalar& alpha = 1);
  Tensor& sub_(const Scalar& other, const Scalar& alpha = 1);
  Tensor& mul_(const Tensor& other);
  Tensor& mul_(const Scalar& other);
  Tensor& div_(const Tensor& other);
  Tensor& div_(const Scalar& other);
  Tensor& zero_();
  Tensor& fill_(const Scalar& value);
  Tensor& copy_(const Tensor& src, bool non_blocking = false);
  Tensor& clamp_(std::optional<Scalar> min = std::nullopt, std::optional<Scalar> max = std::nullopt);
  /// squeeze / unsqueeze applied to this tensor itself (its shape changes, its data does not).
  Tensor& squeeze_();
  Tensor& squeeze_(int64_t dim);
  Tensor& unsqueeze_(int64_t dim);
  /// libtorch's resize_: self takes the shape `size` (contiguous strides, same storage offset) and keeps the values
  /// of its first elements; elements beyond the storage's old end are zeros. Not differentiable: a tensor that
  /// requires grad is refused ("cannot resize variables that require grad"). A no-op when the shape is unchanged.
  const Tensor& resize_(IntArrayRef size) const;
  // libtorch lets these be called on temporaries (e.g. w.grad().zero_()): so do we.
  const Tensor& add_(const Tensor& other, const Scalar& alpha = 1) const { return const_cast<Tensor*>(this)->add_(other, alpha); }
  const Tensor& sub_(const Tensor& other, const Scalar& alpha = 1) const { return const_cast<Tensor*>(this)->sub_(other, alpha); }
  const Tensor& add_(const Scalar& other, const Scalar& alpha = 1) const { return const_cast<Tensor*>(this)->add_(other, alpha); }
  const Tensor& sub_(const Scalar& other, const Scalar& alpha = 1) const { return const_cast<Tensor*>(this)->sub_(other, alpha); }
  const Tensor& clamp_(std::optional<Scalar> min = std::nullopt, std::optional<Scalar> max = std::nullopt) const {
    return const_cast<Tensor*>(this)->clamp_(min, max);
  }
  const Tensor& mul_(const Tensor& other) const { return const_cast<Tensor*>(this)->mul_(other); }
  const Tensor& mul_(const Scalar& other) const { return const_cast<Tensor*>(this)->mul_(other); }
  const Tensor& div_(const Tensor& other) const { return const_cast<Tensor*>(this)->div_(other); }
  const Tensor& div_(const Scalar& other) const { return const_cast<Tensor*>(this)->div_(other); }
  const Tensor& zero_() const { return const_cast<Tensor*>(this)->zero_(); }
  const Tensor& fill_(const Scalar& v) const { return const_cast<Tensor*>(this)->fill_(v); }
  const Tensor& copy_(const Tensor& src, bool nb = false) const { return const_cast<Tensor*>(this)->copy_(src, nb); }
  Tensor& operator+=(const Tensor& o) { return add_(o); }
  Tensor& operator+=(const Scalar& o) { return add_(o); }
  Tensor& operator-=(const Tensor& o) { return sub_(o); }
  Tensor& operator-=(const Scalar& o) { return sub_(o); }
  Tensor& operator*=(const Tensor& o) { return mul_(o); }
  Tensor& operator*=(const Scalar& o) { return mul_(o); }
  Tensor& operator/=(const Tensor& o) { return div_(o); }
  Tensor& operator/=(const Scalar& o) { return div_(o); }

  // ---- internals ----------------------------------------------------------------------------
  TensorImpl* unsafeGetTensorImpl() const { return impl_.get(); }
  const std::shared_ptr<TensorImpl>& impl() const { return impl_; }
  /// True when both refer to the same tensor object.
  bool is_same(const Tensor& o) const { return impl_ == o.impl_; }
  long use_count() const { return impl_.use_count(); }

 private:
  std::shared_ptr<TensorImpl> impl_;
};

// ---- factories -----------------------------------------------------------------------------
namespace detail {
/// A (possibly nested) braced list of numbers, as libtorch's TensorDataContainer: a scalar, or a
/// list of containers of equal shape. tg::tensor({{1.0, 2.0}, {3.0, 4.0}}) is 2 x 2.
class TensorDataContainer {
 public:
  TensorDataContainer(double v) : values_{Scalar(v)}, type_(kFloat64) {}
  TensorDataContainer(float v) : values_{Scalar(v)}, type_(kFloat64) {}
  TensorDataContainer(int v) : values_{Scalar(v)}, type_(kInt64) {}
  TensorDataContainer(int64_t v) : values_{Scalar(v)}, type_(kInt64) {}
  TensorDataContainer(bool v) : values_{Scalar(v)}, type_(kBool) {}
  TensorDataContainer(std::initializer_list<TensorDataContainer> list);

  const Shape& sizes() const { return sizes_; }
  const std::vector<Scalar>& values() const { return values_; }
  /// kFloat64 if any value is floating, else kInt64 if any is an integer, else kBool.
  ScalarType scalar_type() const { return type_; }
  bool is_scalar() const { return is_scalar_; }

 private:
  Shape sizes_;
  std::vector<Scalar> values_;
  ScalarType type_ = kBool;
  bool is_scalar_ = true;
};
}  // namespace detail

/// tg::tensor(3.0), tg::tensor({1.0, 2.0}), tg::tensor({{1, 2}, {3, 4}}): floating values give the
/// default dtype (float32), integers int64, bools bool, unless options say otherwise.
Tensor tensor(detail::TensorDataContainer data, const TensorOptions& options = {});
/// A 1-D tensor from a std::vector of double, float, int64_t or int (a template, so that braced
/// lists always go to the overload above).
template <typename T, std::enable_if_t<std::is_arithmetic<T>::value, int> = 0>
Tensor tensor(const std::vector<T>& values, const TensorOptions& options = {});
/// A tensor of `shape` holding a copy of `n` values of `dtype` from `data` (row-major).
Tensor from_blob_copy(const void* data, IntArrayRef shape, ScalarType dtype, const TensorOptions& options = {});
Tensor scalar_tensor(const Scalar& s, const TensorOptions& options = {});
Tensor empty(IntArrayRef size, const TensorOptions& options = {});
Tensor zeros(IntArrayRef size, const TensorOptions& options = {});
Tensor ones(IntArrayRef size, const TensorOptions& options = {});
Tensor full(IntArrayRef size, const Scalar& fill_value, const TensorOptions& options = {});
Tensor empty_like(const Tensor& t, const TensorOptions& options = {});
Tensor zeros_like(const Tensor& t, const TensorOptions& options = {});
Tensor ones_like(const Tensor& t, const TensorOptions& options = {});
Tensor full_like(const Tensor& t, const Scalar& fill_value, const TensorOptions& options = {});
/// Standard normal samples (float dtypes only).
Tensor randn(IntArrayRef size, const TensorOptions& options = {});
/// Uniform samples in [0, 1) (float dtypes only).
Tensor rand(IntArrayRef size, const TensorOptions& options = {});
Tensor randn_like(const Tensor& t, const TensorOptions& options = {});
Tensor rand_like(const Tensor& t, const TensorOptions& options = {});
/// Integers uniform in [low, high); int64 unless options say otherwise.
Tensor randint(int64_t low, int64_t high, IntArrayRef size, const TensorOptions& options = tg::dtype(kInt64));
Tensor randint(int64_t high, IntArrayRef size, const TensorOptions& options = tg::dtype(kInt64));
/// A random permutation of 0..n-1 (int64).
Tensor randperm(int64_t n, const TensorOptions& options = tg::dtype(kInt64));
/// [start, end) in steps of `step`; int64 when all arguments are integers (as PyTorch).
Tensor arange(const Scalar& end, const TensorOptions& options = {});
Tensor arange(const Scalar& start, const Scalar& end, const TensorOptions& options = {});
Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, const TensorOptions& options = {});
/// `steps` points evenly spaced from start to end, both included.
Tensor linspace(const Scalar& start, const Scalar& end, int64_t steps, const TensorOptions& options = {});
Tensor eye(int64_t n, const TensorOptions& options = {});
Tensor eye(int64_t n, int64_t m, const TensorOptions& options = {});
/// Seeds the generator behind randn, rand, randint and randperm.
void manual_seed(uint64_t seed);

// ---- shape ---------------------------------------------------------------------------------
Tensor reshape(const Tensor& t, IntArrayRef shape);
Tensor flatten(const Tensor& t, int64_t start_dim = 0, int64_t end_dim = -1);
Tensor transpose(const Tensor& t, int64_t dim0, int64_t dim1);
Tensor permute(const Tensor& t, IntArrayRef dims);
Tensor unsqueeze(const Tensor& t, int64_t dim);
Tensor squeeze(const Tensor& t);
Tensor squeeze(const Tensor& t, int64_t dim);
Tensor select(const Tensor& t, int64_t dim, int64_t index);
Tensor narrow(const Tensor& t, int64_t dim, int64_t start, int64_t length);
/// Concatenates along an existing dim; all other sizes must match.
Tensor cat(const TensorList& tensors, int64_t dim = 0);
/// Stacks along a new dim; all shapes must match.
Tensor stack(const TensorList& tensors, int64_t dim = 0);

// ---- pointwise -----------------------------------------------------------------------------
/// self + alpha * other, broadcasting.
Tensor add(const Tensor& self, const Tensor& other, const Scalar& alpha = 1);
Tensor add(const Tensor& self, const Scalar& other, const Scalar& alpha = 1);
Tensor sub(const Tensor& self, const Tensor& other, const Scalar& alpha = 1);
Tensor sub(const Tensor& self, const Scalar& other, const Scalar& alpha = 1);
Tensor mul(const Tensor& self, const Tensor& other);
Tensor mul(const Tensor& self, const Scalar& other);
Tensor div(const Tensor& self, const Tensor& other);
Tensor div(const Tensor& self, const Scalar& other);
Tensor neg(const Tensor& self);
/// self ** exponent. d/dx = exponent * x^(exponent-1); d/dexponent = x^exponent * log(x).
Tensor pow(const Tensor& self, const Scalar& exponent);
Tensor pow(const Tensor& self, const Tensor& exponent);
Tensor pow(const Scalar& self, const Tensor& exponent);
/// e^x; d/dx = e^x.
Tensor exp(const Tensor& self);
/// Natural log; d/dx = 1/x.
Tensor log(const Tensor& self);
/// log(1 + x), accurate for small x; d/dx = 1 / (1 + x).
Tensor log1p(const Tensor& self);
/// e^x - 1, accurate for small x; d/dx = e^x.
Tensor expm1(const Tensor& self);
/// sqrt(x); d/dx = 1 / (2 sqrt(x)).
Tensor sqrt(const Tensor& self);
/// |x|; d/dx = sign(x), 0 at 0 (as PyTorch).
Tensor abs(const Tensor& self);
Tensor sin(const Tensor& self);
Tensor cos(const Tensor& self);
/// x * x.
Tensor square(const Tensor& self);
/// Python's modulo: self - floor(self / other) * other, with the sign of `other` (int64 stays
/// int64); `self % other` is the same. d/dself = 1.
Tensor remainder(const Tensor& self, const Scalar& other);
Tensor operator%(const Tensor& self, const Scalar& other);
/// sign(x) in {-1, 0, 1}; its gradient is zero.
Tensor sign(const Tensor& self);
/// min(max(x, min), max); the gradient passes where min <= x <= max (bounds included, as PyTorch).
Tensor clamp(const Tensor& self, std::optional<Scalar> min = std::nullopt, std::optional<Scalar> max = std::nullopt);
Tensor clamp_min(const Tensor& self, const Scalar& min);
Tensor clamp_max(const Tensor& self, const Scalar& max);
/// Elementwise max / min; on ties the gradient is split equally (as PyTorch).
Tensor maximum(const Tensor& self, const Tensor& other);
/// libtorch's two-tensor max and min: maximum and minimum.
Tensor max(const Tensor& self, const Tensor& other);
Tensor min(const Tensor& self, const Tensor& other);
Tensor minimum(const Tensor& self, const Tensor& other);
/// condition ? self : other, broadcasting all three.
/// self with `value` where the bool `mask` (broadcast to self's shape) is true
/// (MaskedFillBackward0: the gradient is zero there).
Tensor masked_fill(const Tensor& self, const Tensor& mask, const Scalar& value);
/// The elements of self where mask (bool, broadcast with self) is true, as a 1-D tensor (MaskedSelectBackward0).
Tensor masked_select(const Tensor& self, const Tensor& mask);
/// True where x is NaN / infinite / finite (bool tensors, never requiring grad).
Tensor isnan(const Tensor& self);
Tensor isinf(const Tensor& self);
Tensor isfinite(const Tensor& self);
Tensor where(const Tensor& condition, const Tensor& self, const Tensor& other);
Tensor where(const Tensor& condition, const Tensor& self, const Scalar& other);
Tensor where(const Tensor& condition, const Scalar& self, const Tensor& other);
/// Elementwise comparisons (bool results), broadcasting; a scalar operand is compared as a number.
Tensor eq(const Tensor& a, const Tensor& b);
Tensor eq(const Tensor& a, const Scalar& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Scalar& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Scalar& b);
Tensor ge(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Scalar& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Scalar& b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Scalar& b);
Tensor logical_not(const Tensor& a);
Tensor logical_and(const Tensor& a, const Tensor& b);
Tensor logical_or(const Tensor& a, const Tensor& b);
/// True when every element of a and b, broadcast together, is within rtol/atol: |a - b| <= atol +
/// rtol |b| (as torch.allclose: a 0-dim result is close to a [1] expectation). Shapes that do not
/// broadcast are an error.
bool allclose(const Tensor& a, const Tensor& b, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false);
/// True when both have the same shape and the same values.
bool equal(const Tensor& a, const Tensor& b);
/// The value of a one-element tensor as a bool, as Tensor::is_nonzero.
inline bool is_nonzero(const Tensor& t) { return t.is_nonzero(); }
/// libtorch's at::native::is_nonzero, which its programs and tests call by that name.
namespace native {
inline bool is_nonzero(const Tensor& t) { return t.is_nonzero(); }
}  // namespace native

// ---- activations (the rest are in ops/activation.h) ------------------------------------------
/// 1 / (1 + e^-x), range (0, 1); d/dx = s(1 - s).
Tensor sigmoid(const Tensor& self);
/// tanh(x), range (-1, 1); d/dx = 1 - tanh^2(x).
Tensor tanh(const Tensor& self);
/// max(x, 0); d/dx = 1 for x > 0, 0 for x <= 0 (relu'(0) = 0, as PyTorch).
Tensor relu(const Tensor& self);

// ---- reductions ----------------------------------------------------------------------------
Tensor sum(const Tensor& self, std::optional<ScalarType> dtype = std::nullopt);
Tensor sum(const Tensor& self, IntArrayRef dim, bool keepdim = false, std::optional<ScalarType> dtype = std::nullopt);
Tensor mean(const Tensor& self, std::optional<ScalarType> dtype = std::nullopt);
Tensor mean(const Tensor& self, IntArrayRef dim, bool keepdim = false, std::optional<ScalarType> dtype = std::nullopt);
/// The maximum of all elements; the gradient is split equally among ties (as PyTorch).
Tensor max(const Tensor& self);
/// (values, indices) along `dim`; the gradient flows to the index returned.
std::tuple<Tensor, Tensor> max(const Tensor& self, int64_t dim, bool keepdim = false);
Tensor min(const Tensor& self);
std::tuple<Tensor, Tensor> min(const Tensor& self, int64_t dim, bool keepdim = false);
Tensor argmax(const Tensor& self, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
Tensor argmin(const Tensor& self, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
/// (sum |x|^p)^(1/p); p = 2 by default. Its gradient at x = 0 is 0 (as PyTorch).
Tensor norm(const Tensor& self, const Scalar& p = 2);
Tensor norm(const Tensor& self, const Scalar& p, IntArrayRef dim, bool keepdim = false);
/// The variance of all elements, or over `dim`: the mean of (x - mean)^2, with the sum divided by
/// n - 1 when `unbiased` (Bessel's correction, PyTorch's default) and by n otherwise; n - 1 = 0
/// gives nan, as PyTorch. Composed of differentiable ops.
/// The `unbiased`-only overload takes exactly a bool (a template), so var(x, {1}) means dim 1.
inline Tensor var(const Tensor& self) { return self.var_all(true); }
template <typename B, std::enable_if_t<std::is_same<B, bool>::value, int> = 0>
Tensor var(const Tensor& self, B unbiased) { return self.var_all(unbiased); }
Tensor var(const Tensor& self, IntArrayRef dim, bool unbiased = true, bool keepdim = false);
/// sqrt(var(...)): the standard deviation, with the same arguments.
inline Tensor std(const Tensor& self) { return self.std_all(true); }
template <typename B, std::enable_if_t<std::is_same<B, bool>::value, int> = 0>
Tensor std(const Tensor& self, B unbiased) { return self.std_all(unbiased); }
Tensor std(const Tensor& self, IntArrayRef dim, bool unbiased = true, bool keepdim = false);
/// True (a 0-dim bool tensor) when every / any element is nonzero.
Tensor all(const Tensor& self);
Tensor any(const Tensor& self);
/// Sums `self` down to `shape` (the inverse of broadcasting to self's shape).
Tensor sum_to(const Tensor& self, IntArrayRef shape);

// ---- indexing ------------------------------------------------------------------------------
/// out[i][j] = self[i][index[i][j]] (for dim = 1); index is int64 with self's number of dims.
Tensor gather(const Tensor& self, int64_t dim, const Tensor& index);
/// A copy of self with out[i][index[i][j]] = src[i][j] (for dim = 1).
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value);
/// A copy of self with out[i][index[i][j]] += src[i][j] (for dim = 1).
Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);
/// The entries of self at positions `index` (1-D, int64) along dim.
Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index);
/// A tensor of self's shape with src's rows added at `index` along dim (the backward of index_select).
Tensor index_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source);
/// libtorch's at::index / index_put / index_put_ (see Tensor::index_put): self indexed by a list of tensors, entry k
/// for dim k (IndexBackward0); a copy of self, or self itself, with values written (or added) there
/// (IndexPutBackward0).
Tensor index(const Tensor& self, const std::vector<std::optional<Tensor>>& indices);
Tensor index_put(const Tensor& self, const std::vector<std::optional<Tensor>>& indices, const Tensor& values,
                 bool accumulate = false);
Tensor& index_put_(Tensor& self, const std::vector<std::optional<Tensor>>& indices, const Tensor& values,
                   bool accumulate = false);

// ---- linear algebra ------------------------------------------------------------------------
/// Matrix product with NumPy semantics: 1-D·1-D is a dot product, 2-D·2-D a matrix product,
/// batched dims broadcast.
Tensor matmul(const Tensor& self, const Tensor& other);
/// Strictly 2-D matrix product.
Tensor mm(const Tensor& self, const Tensor& other);
/// beta * self + alpha * mm(mat1, mat2), self broadcast to the product's shape; with beta = 0,
/// self is ignored (its nan and inf too), as PyTorch.
Tensor addmm(const Tensor& self, const Tensor& mat1, const Tensor& mat2, const Scalar& beta = 1,
             const Scalar& alpha = 1);
/// Batched matrix product of two 3-D tensors [b, n, k] x [b, k, m].
Tensor bmm(const Tensor& self, const Tensor& other);
/// Matrix-vector product [n, k] x [k] -> [n].
Tensor mv(const Tensor& self, const Tensor& vec);
/// Dot product of two 1-D tensors of the same size (a 0-dim result).
Tensor dot(const Tensor& self, const Tensor& other);

// ---- operators -----------------------------------------------------------------------------
Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator+(const Tensor& a, const Scalar& b);
Tensor operator+(const Scalar& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Scalar& b);
Tensor operator-(const Scalar& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Scalar& b);
Tensor operator*(const Scalar& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Scalar& b);
Tensor operator/(const Scalar& a, const Tensor& b);
Tensor operator-(const Tensor& a);
Tensor operator>(const Tensor& a, const Tensor& b);
Tensor operator>(const Tensor& a, const Scalar& b);
Tensor operator>=(const Tensor& a, const Tensor& b);
Tensor operator>=(const Tensor& a, const Scalar& b);
Tensor operator<(const Tensor& a, const Tensor& b);
Tensor operator<(const Tensor& a, const Scalar& b);
Tensor operator<=(const Tensor& a, const Tensor& b);
Tensor operator<=(const Tensor& a, const Scalar& b);
Tensor operator==(const Tensor& a, const Tensor& b);
Tensor operator==(const Tensor& a, const Scalar& b);
Tensor operator!=(const Tensor& a, const Tensor& b);
Tensor operator!=(const Tensor& a, const Scalar& b);
Tensor operator!(const Tensor& a);
/// Elementwise logical and / or of bool tensors.
Tensor operator&(const Tensor& a, const Tensor& b);
Tensor operator|(const Tensor& a, const Tensor& b);

/// Prints in PyTorch's layout: tensor([[1.0000, 2.0000]], requires_grad=True)
std::ostream& operator<<(std::ostream& os, const Tensor& t);

}  // namespace tg

template <>
struct fmt::formatter<tg::Tensor> : fmt::formatter<std::string> {
  template <typename Ctx>
  auto format(const tg::Tensor& t, Ctx& ctx) const -> decltype(ctx.out()) {
    return fmt::formatter<std::string>::format(t.toString(), ctx);
  }
};
