// Printing in PyTorch's layout: tensor([[ 0.1000, -2.0000]], requires_grad=True)
#include <cmath>
#include <ostream>
#include <sstream>

#include "core/tensor_impl.h"
#include "kernels/copy.h"

namespace tg {

namespace {

constexpr int64_t kThreshold = 1000;  // summarise above this many elements
constexpr int64_t kEdgeItems = 3;
constexpr int kLineWidth = 80;

struct Formatter {
  ScalarType dtype;
  bool int_mode = true;
  bool sci_mode = false;
  int width = 1;

  explicit Formatter(const std::vector<double>& vals, ScalarType dt) : dtype(dt) {
    if (dt == kBool) {
      width = 5;
      for (double v : vals) width = std::max(width, v != 0 ? 4 : 5);
      width = 0;
      for (double v : vals) width = std::max(width, v != 0 ? 4 : 5);
      return;
    }
    if (is_integral(dt)) {
      for (double v : vals) width = std::max(width, static_cast<int>(fmt::format("{}", static_cast<int64_t>(v)).size()));
      return;
    }
    // As PyTorch's _Formatter: the mode and the width come from the nonzero finite values only
    // (zeros, nan and inf are printed unpadded-wider if they happen to be longer), and integer-
    // valued floats switch to scientific notation too when max / min > 1000.
    std::vector<double> finite;
    for (double v : vals)
      if (std::isfinite(v) && v != 0) finite.push_back(v);
    width = 1;
    if (finite.empty()) return;
    double mn = INFINITY, mx = 0;
    for (double v : finite) {
      mn = std::min(mn, std::fabs(v));
      mx = std::max(mx, std::fabs(v));
      if (v != std::ceil(v)) int_mode = false;
    }
    sci_mode = mx / mn > 1000.0 || mx > 1e8 || (!int_mode && mn < 1e-4);
    for (double v : finite) width = std::max(width, static_cast<int>(plain(v).size()));
  }

  std::string plain(double v) const {
    if (dtype == kBool) return v != 0 ? "True" : "False";
    if (is_integral(dtype)) return fmt::format("{}", static_cast<int64_t>(v));
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    if (sci_mode) return fmt::format("{:.4e}", v);
    if (int_mode) return fmt::format("{:.0f}.", v);
    return fmt::format("{:.4f}", v);
  }

  std::string format(double v) const {
    std::string s = plain(v);
    if (static_cast<int>(s.size()) < width) s = std::string(width - s.size(), ' ') + s;
    return s;
  }
};

// Values actually shown (summarised tensors show only the edges).
void collect(const std::vector<double>& data, const Shape& sizes, size_t dim, int64_t offset, const Shape& strides,
             bool summarize, std::vector<double>& out) {
  if (dim == sizes.size()) {
    out.push_back(data[offset]);
    return;
  }
  int64_t n = sizes[dim];
  for (int64_t i = 0; i < n; ++i) {
    if (summarize && n > 2 * kEdgeItems && i == kEdgeItems) i = n - kEdgeItems;
    collect(data, sizes, dim + 1, offset + i * strides[dim], strides, summarize, out);
  }
}

void render(std::string& s, const std::vector<double>& data, const Shape& sizes, size_t dim, int64_t offset,
            const Shape& strides, const Formatter& f, bool summarize, int indent) {
  int64_t n = sizes[dim];
  s += '[';
  if (dim + 1 == sizes.size()) {
    // As PyTorch's _vector_str: the " ..." of a summarised row counts as one element of a line.
    int per_line = std::max(1, (kLineWidth - indent) / (f.width + 2));
    int on_line = 0;
    for (int64_t i = 0; i < n; ++i) {
      std::string item;
      if (summarize && n > 2 * kEdgeItems && i == kEdgeItems) {
        item = " ...";
        i = n - kEdgeItems - 1;
      } else {
        item = f.format(data[offset + i * strides[dim]]);
      }
      if (on_line == per_line) {
        s += ",\n";
        s += std::string(indent + 1, ' ');
        on_line = 0;
      } else if (on_line > 0) {
        s += ", ";
      }
      s += item;
      ++on_line;
    }
  } else {
    size_t blank_lines = sizes.size() - dim - 1;
    for (int64_t i = 0; i < n; ++i) {
      if (summarize && n > 2 * kEdgeItems && i == kEdgeItems) {
        s += "...,\n" + std::string(blank_lines - 1, '\n') + std::string(indent + 1, ' ');
        i = n - kEdgeItems;
      }
      render(s, data, sizes, dim + 1, offset + i * strides[dim], strides, f, summarize, indent + 1);
      if (i + 1 < n) s += "," + std::string(blank_lines, '\n') + std::string(indent + 1, ' ');
    }
  }
  s += ']';
}

}  // namespace

std::string Tensor::toString() const {
  if (!defined()) return "[ Tensor (undefined) ]";
  const TensorImpl& ti = impl_of(*this);
  std::vector<double> data = tolist<double>();
  Shape strides = contiguous_strides(ti.sizes);
  bool summarize = ti.numel > kThreshold;
  std::vector<double> shown;
  if (ti.numel > 0) collect(data, ti.sizes, 0, 0, strides, summarize, shown);
  Formatter f(shown, ti.dtype);
  std::string s = "tensor(";
  if (ti.sizes.empty()) {
    s += f.plain(data[0]);
  } else if (ti.numel == 0) {
    s += "[]";
  } else {
    render(s, data, ti.sizes, 0, 0, strides, f, summarize, 7);
  }
  if (ti.numel == 0 && ti.sizes.size() != 1) {
    s += fmt::format(", size=({}{})", fmt::join(ti.sizes.begin(), ti.sizes.end(), ", "), ti.sizes.size() == 1 ? "," : "");
  }
  if (ti.dtype != get_default_dtype() && ti.dtype != kInt64 && ti.dtype != kBool) {
    s += fmt::format(", dtype=torch.{}", dtype_name(ti.dtype));
  }
  if (ti.grad_fn) {
    s += fmt::format(", grad_fn=<{}>", ti.grad_fn->name());
  } else if (ti.requires_grad) {
    s += ", requires_grad=True";
  }
  s += ')';
  return s;
}

std::ostream& operator<<(std::ostream& os, const Tensor& t) { return os << t.toString(); }

}  // namespace tg
