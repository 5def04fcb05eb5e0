// Tensor storage, metadata and element access (the autograd accessors are in autograd/tensor_autograd.cpp).
#include "core/tensor_impl.h"

#include <cstring>

#include "core/dispatch.h"

namespace tg {

// ---- Storage / TensorImpl -----------------------------------------------------------------

// Note [Storage alignment]
// Every buffer starts on a 64-byte boundary (a cache line, one AVX-512 vector). Kernels do not
// require it, but results do: Eigen computes the elements before the first aligned one with the
// scalar path (std::exp) and the rest with its vector path, which can differ in the last bit, so
// without a fixed alignment the same op on the same input could give different bits. The buffer
// comes from malloc, with up to 63 bytes more, and is aligned here: std::aligned_alloc costs
// several times more than malloc for the small tensors of a training step.
Storage::Storage(size_t n) : nbytes(n) {
  constexpr uintptr_t kAlign = 64;
  base_ = std::malloc(n + kAlign - 1);
  TG_CHECK(base_ != nullptr, "out of memory: could not allocate {} bytes", n);
  data = reinterpret_cast<void*>((reinterpret_cast<uintptr_t>(base_) + kAlign - 1) & ~(kAlign - 1));
}

Storage::~Storage() { std::free(base_); }

void Storage::grow(size_t n) {
  if (n <= nbytes) return;
  Storage bigger(n);
  std::memcpy(bigger.data, data, nbytes);
  std::memset(static_cast<char*>(bigger.data) + nbytes, 0, n - nbytes);
  std::swap(base_, bigger.base_);
  std::swap(data, bigger.data);
  nbytes = n;  // bigger now owns the old buffer and frees it
}

bool TensorImpl::is_contiguous() const {
  if (numel == 0) return true;  // as PyTorch: no element is out of place
  int64_t expected = 1;
  for (int64_t d = static_cast<int64_t>(sizes.size()) - 1; d >= 0; --d) {
    if (sizes[d] != 1 && strides[d] != expected) return false;
    expected *= sizes[d];
  }
  return true;
}

Shape contiguous_strides(const Shape& sizes) {
  Shape st(sizes.size());
  int64_t s = 1;
  for (int64_t d = static_cast<int64_t>(sizes.size()) - 1; d >= 0; --d) {
    st[d] = s;
    s *= std::max<int64_t>(sizes[d], 1);
  }
  return st;
}

Tensor make_empty(const Shape& sizes, ScalarType dtype) {
  int64_t bytes = static_cast<int64_t>(element_size(dtype));
  for (auto s : sizes) {
    TG_CHECK(s >= 0, "Trying to create tensor with negative dimension {}: {}", s, to_string(sizes));
    TG_CHECK(!__builtin_mul_overflow(bytes, s, &bytes), "Storage size calculation overflowed with sizes={}",
             to_string(sizes));
  }
  auto impl = std::make_shared<TensorImpl>();
  impl->sizes = sizes;
  impl->strides = contiguous_strides(sizes);
  impl->numel = sizes.numel();
  impl->dtype = dtype;
  impl->storage = std::make_shared<Storage>(static_cast<size_t>(impl->numel) * element_size(dtype));
  return Tensor(std::move(impl));
}

Tensor make_view(const Tensor& base, const Shape& sizes, const Shape& strides, int64_t offset) {
  const TensorImpl& b = impl_of(base);
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = b.storage;
  impl->offset = offset;
  impl->sizes = sizes;
  impl->strides = strides;
  impl->numel = sizes.numel();
  impl->dtype = b.dtype;
  impl->is_view = true;
  impl->view_version = b.storage->version;
  return Tensor(std::move(impl));
}

// ---- metadata ------------------------------------------------------------------------------

void throw_undefined_tensor() {
  TG_ERROR("expected a defined tensor, but got an undefined tensor (a default-constructed tg::Tensor)");
}

IntArrayRef Tensor::sizes() const { return checked(*this, "sizes").sizes; }
IntArrayRef Tensor::strides() const { return checked(*this, "strides").strides; }
int64_t Tensor::size(int64_t d) const {
  const auto& s = checked(*this, "size").sizes;
  TG_CHECK(!s.empty(), "size: Dimension specified as {} but tensor has no dimensions", d);
  return s[maybe_wrap_dim(d, s.size(), "size")];
}
int64_t Tensor::stride(int64_t d) const {
  const auto& i = checked(*this, "stride");
  TG_CHECK(!i.sizes.empty(), "stride: Dimension specified as {} but tensor has no dimensions", d);
  return i.strides[maybe_wrap_dim(d, i.sizes.size(), "stride")];
}
int64_t Tensor::dim() const { return static_cast<int64_t>(checked(*this, "dim").sizes.size()); }
int64_t Tensor::numel() const { return checked(*this, "numel").numel; }
ScalarType Tensor::dtype() const { return checked(*this, "dtype").dtype; }
TensorOptions Tensor::options() const { return TensorOptions().dtype(dtype()); }
bool Tensor::is_floating_point() const { return tg::is_floating_point(dtype()); }
bool Tensor::is_contiguous() const { return checked(*this, "is_contiguous").is_contiguous(); }
size_t Tensor::element_size() const { return tg::element_size(dtype()); }
uint32_t Tensor::_version() const { return checked(*this, "_version").storage->version; }

// ---- element access ------------------------------------------------------------------------

namespace {
template <typename T>
T read_one(const TensorImpl& i) {
  return dispatch_all(i.dtype, [&](auto tag) -> T {
    using S = decltype(tag);
    return convert<T>(*i.data<S>());
  });
}
}  // namespace

template <typename T>
T Tensor::item() const {
  const TensorImpl& i = checked(*this, "item");
  TG_CHECK(i.numel == 1, "item: a Tensor with {} elements (shape {}) cannot be converted to Scalar", i.numel,
           to_string(i.sizes));
  return read_one<T>(i);
}
template float Tensor::item<float>() const;
template double Tensor::item<double>() const;
template int64_t Tensor::item<int64_t>() const;
template int32_t Tensor::item<int32_t>() const;
template int16_t Tensor::item<int16_t>() const;
template int8_t Tensor::item<int8_t>() const;
template uint8_t Tensor::item<uint8_t>() const;
template bool Tensor::item<bool>() const;
template Half Tensor::item<Half>() const;
template BFloat16 Tensor::item<BFloat16>() const;

Scalar Tensor::item() const {
  const TensorImpl& i = checked(*this, "item");
  TG_CHECK(i.numel == 1, "item: a Tensor with {} elements (shape {}) cannot be converted to Scalar", i.numel,
           to_string(i.sizes));
  if (i.dtype == kBool) return Scalar(read_one<bool>(i));
  if (is_integral(i.dtype)) return Scalar(read_one<int64_t>(i));
  return Scalar(read_one<double>(i));
}

namespace {
template <typename T> constexpr ScalarType dtype_of();
template <> constexpr ScalarType dtype_of<float>() { return kFloat32; }
template <> constexpr ScalarType dtype_of<double>() { return kFloat64; }
template <> constexpr ScalarType dtype_of<int64_t>() { return kInt64; }
template <> constexpr ScalarType dtype_of<bool>() { return kBool; }
template <> constexpr ScalarType dtype_of<int32_t>() { return kInt32; }
template <> constexpr ScalarType dtype_of<int16_t>() { return kInt16; }
template <> constexpr ScalarType dtype_of<int8_t>() { return kInt8; }
template <> constexpr ScalarType dtype_of<uint8_t>() { return kUInt8; }
template <> constexpr ScalarType dtype_of<Half>() { return kFloat16; }
template <> constexpr ScalarType dtype_of<BFloat16>() { return kBFloat16; }
}  // namespace

template <typename T>
T* Tensor::data_ptr() const {
  const TensorImpl& i = checked(*this, "data_ptr");
  TG_CHECK(i.dtype == dtype_of<T>(), "data_ptr: expected scalar type {} but found {}", dtype_name(dtype_of<T>()),
           dtype_name(i.dtype));
  return i.data<T>();
}
template float* Tensor::data_ptr<float>() const;
template double* Tensor::data_ptr<double>() const;
template int64_t* Tensor::data_ptr<int64_t>() const;
template bool* Tensor::data_ptr<bool>() const;
template int32_t* Tensor::data_ptr<int32_t>() const;
template int16_t* Tensor::data_ptr<int16_t>() const;
template int8_t* Tensor::data_ptr<int8_t>() const;
template uint8_t* Tensor::data_ptr<uint8_t>() const;
template Half* Tensor::data_ptr<Half>() const;
template BFloat16* Tensor::data_ptr<BFloat16>() const;
void* Tensor::data_ptr() const { return checked(*this, "data_ptr").raw_data(); }

template <typename T>
std::vector<T> Tensor::tolist() const {
  Tensor c = contiguous();
  const TensorImpl& i = impl_of(c);
  std::vector<T> out(static_cast<size_t>(i.numel));
  dispatch_all(i.dtype, [&](auto tag) {
    using S = decltype(tag);
    const S* p = i.data<S>();
    for (int64_t k = 0; k < i.numel; ++k) out[k] = convert<T>(p[k]);
  });
  return out;
}
template std::vector<float> Tensor::tolist<float>() const;
template std::vector<double> Tensor::tolist<double>() const;
template std::vector<int64_t> Tensor::tolist<int64_t>() const;
template std::vector<bool> Tensor::tolist<bool>() const;

}  // namespace tg
