// dtype and shape helpers.
#include <algorithm>
#include <ostream>

#include "tensorgrad/dtype.h"
#include "tensorgrad/half.h"
#include "tensorgrad/error.h"
#include "tensorgrad/shape.h"

namespace tg {

const char* dtype_name(ScalarType t) {
  switch (t) {
    case kFloat32: return "float32";
    case kFloat64: return "float64";
    case kInt64: return "int64";
    case kBool: return "bool";
    case kUInt8: return "uint8";
    case kInt8: return "int8";
    case kInt16: return "int16";
    case kInt32: return "int32";
    case kFloat16: return "float16";
    case kBFloat16: return "bfloat16";
  }
  return "unknown";
}

size_t element_size(ScalarType t) {
  switch (t) {
    case kFloat32: return 4;
    case kFloat64: return 8;
    case kInt64: return 8;
    case kBool: return 1;
    case kUInt8:
    case kInt8: return 1;
    case kInt16:
    case kFloat16:
    case kBFloat16: return 2;
    case kInt32: return 4;
  }
  return 1;
}

ScalarType promote_types(ScalarType a, ScalarType b) {
  if (a == b) return a;
  if (a == kBool) return b;
  if (b == kBool) return a;
  // Within a category the wider type wins; ranked here so that a higher rank holds every value of
  // a lower one, except the two pairs handled first.
  if ((a == kUInt8 && b == kInt8) || (a == kInt8 && b == kUInt8)) return kInt16;
  if ((a == kFloat16 && b == kBFloat16) || (a == kBFloat16 && b == kFloat16)) return kFloat32;
  auto rank = [](ScalarType t) {
    switch (t) {
      case kUInt8: return 1;
      case kInt8: return 1;
      case kInt16: return 2;
      case kInt32: return 3;
      case kInt64: return 4;
      case kFloat16: return 5;
      case kBFloat16: return 5;
      case kFloat32: return 6;
      case kFloat64: return 7;
      case kBool: return 0;
    }
    return 0;
  };
  return rank(a) >= rank(b) ? a : b;
}

namespace {
thread_local ScalarType g_default_dtype = kFloat32;
}
ScalarType get_default_dtype() { return g_default_dtype; }
void set_default_dtype(ScalarType t) {
  TG_CHECK(is_floating_point(t), "set_default_dtype: only floating-point types are supported as the default type, got {}",
           dtype_name(t));
  g_default_dtype = t;
}

bool IntArrayRef::equals(IntArrayRef o) const {
  return size_ == o.size_ && std::equal(begin(), end(), o.begin());
}

Shape::Shape(IntArrayRef r) {
  TG_CHECK(r.size() <= static_cast<size_t>(kMaxDims),
           "tensorgrad supports tensors of at most {} dimensions, got {} (shape {})", kMaxDims, r.size(), to_string(r));
  n_ = static_cast<uint8_t>(r.size());
  std::copy(r.begin(), r.end(), d_);
}

Shape::Shape(size_t n, int64_t fill) {
  TG_CHECK(n <= static_cast<size_t>(kMaxDims), "tensorgrad supports tensors of at most {} dimensions, got {}", kMaxDims, n);
  n_ = static_cast<uint8_t>(n);
  std::fill(d_, d_ + n_, fill);
}

void Shape::push_back(int64_t v) {
  TG_CHECK(n_ < kMaxDims, "tensorgrad supports tensors of at most {} dimensions", kMaxDims);
  d_[n_++] = v;
}

void Shape::insert(size_t pos, int64_t v) {
  TG_CHECK(n_ < kMaxDims, "tensorgrad supports tensors of at most {} dimensions", kMaxDims);
  for (size_t i = n_; i > pos; --i) d_[i] = d_[i - 1];
  d_[pos] = v;
  ++n_;
}

void Shape::erase(size_t pos) {
  for (size_t i = pos; i + 1 < n_; ++i) d_[i] = d_[i + 1];
  --n_;
}

void Shape::resize(size_t n, int64_t fill) {
  TG_CHECK(n <= static_cast<size_t>(kMaxDims), "tensorgrad supports tensors of at most {} dimensions, got {}", kMaxDims, n);
  for (size_t i = n_; i < n; ++i) d_[i] = fill;
  n_ = static_cast<uint8_t>(n);
}

int64_t Shape::numel() const {
  int64_t n = 1;
  for (size_t i = 0; i < n_; ++i) n *= d_[i];
  return n;
}

std::string to_string(IntArrayRef s) { return fmt::format("[{}]", fmt::join(s.begin(), s.end(), ", ")); }

int64_t maybe_wrap_dim(int64_t dim, int64_t ndim, const char* fn) {
  int64_t n = ndim <= 0 ? 1 : ndim;  // a 0-dim tensor accepts dim 0 and -1, as PyTorch
  if (dim < -n || dim >= n) {
    TG_ERROR("{}{}Dimension out of range (expected to be in range of [{}, {}], but got {})", fn, *fn ? ": " : "", -n,
             n - 1, dim);
  }
  return dim < 0 ? dim + n : dim;
}

namespace {
// Size i of s aligned to the right in n dims (1 where s has no such dim).
int64_t aligned_size(IntArrayRef s, size_t n, size_t i) { return i < n - s.size() ? 1 : s[i - (n - s.size())]; }

// Writes the broadcast of a and b into out; returns the first dim where they conflict, or -1.
int64_t broadcast_into(IntArrayRef a, IntArrayRef b, Shape& out) {
  const size_t n = std::max(a.size(), b.size());
  out = Shape(n);
  for (size_t i = 0; i < n; ++i) {
    const int64_t da = aligned_size(a, n, i), db = aligned_size(b, n, i);
    if (da != db && da != 1 && db != 1) return static_cast<int64_t>(i);
    out[i] = da == 1 ? db : da;
  }
  return -1;
}
}  // namespace

Shape broadcast_shapes(IntArrayRef a, IntArrayRef b, const char* fn) {
  Shape out;
  const int64_t i = broadcast_into(a, b, out);
  if (i >= 0) {
    const size_t n = std::max(a.size(), b.size());
    TG_ERROR("{}{}The size of tensor a ({}) must match the size of tensor b ({}) at non-singleton dimension {} "
             "(shapes {} and {})",
             fn, *fn ? ": " : "", aligned_size(a, n, i), aligned_size(b, n, i), i, to_string(a), to_string(b));
  }
  return out;
}

bool try_broadcast_shapes(IntArrayRef a, IntArrayRef b, Shape& out) {
  Shape r;
  if (broadcast_into(a, b, r) >= 0) return false;
  out = r;
  return true;
}

std::ostream& operator<<(std::ostream& os, BFloat16 v) { return os << static_cast<float>(v); }
std::ostream& operator<<(std::ostream& os, Half v) { return os << static_cast<float>(v); }

std::ostream& operator<<(std::ostream& os, IntArrayRef s) { return os << to_string(s); }

const char* toString(ScalarType t) {
  switch (t) {
    case kFloat32: return "Float";
    case kFloat64: return "Double";
    case kInt64: return "Long";
    case kBool: return "Bool";
    case kUInt8: return "Byte";
    case kInt8: return "Char";
    case kInt16: return "Short";
    case kInt32: return "Int";
    case kFloat16: return "Half";
    case kBFloat16: return "BFloat16";
  }
  return dtype_name(t);
}

std::ostream& operator<<(std::ostream& os, ScalarType t) {
  switch (t) {
    case kFloat32: return os << "float";
    case kFloat64: return os << "double";
    case kInt64: return os << "long int";
    case kBool: return os << "bool";
    case kUInt8: return os << "unsigned char";
    case kInt8: return os << "signed char";
    case kInt16: return os << "short int";
    case kInt32: return os << "int";
    case kFloat16: return os << "c10::Half";
    case kBFloat16: return os << "c10::BFloat16";
  }
  return os << dtype_name(t);
}

}  // namespace tg
