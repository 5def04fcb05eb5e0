#include "ops/op_util.h"

#include "kernels/copy.h"

namespace tg {

namespace {
int category(ScalarType t) { return t == kBool ? 0 : (is_integral(t) ? 1 : 2); }
}  // namespace

ScalarType result_type(const Tensor& a, const Tensor& b) {
  ScalarType ta = impl_of(a).dtype, tb = impl_of(b).dtype;
  if (ta == tb) return ta;
  bool za = impl_of(a).sizes.empty(), zb = impl_of(b).sizes.empty();
  if (za == zb) return promote_types(ta, tb);
  ScalarType dim_t = za ? tb : ta, zero_t = za ? ta : tb;
  return category(zero_t) > category(dim_t) ? zero_t : dim_t;
}

ScalarType result_type(const Tensor& a, const Scalar& s) {
  ScalarType ta = impl_of(a).dtype;
  int cs = s.is_floating_point() ? 2 : (s.is_integral() ? 1 : 0);
  if (cs <= category(ta)) return ta;
  return cs == 2 ? get_default_dtype() : kInt64;
}

Tensor scalar_to_tensor(const Scalar& s, ScalarType t) {
  Tensor out = make_empty(Shape(), t);
  kernels::fill(out, s);
  return out;
}

std::string describe(const Tensor& t) {
  if (!t.defined()) return "[undefined]";
  return fmt::format("[{} {}]", dtype_name(t.dtype()), to_string(t.sizes()));
}

}  // namespace tg
