// tg::IValue (tensorgrad/ivalue.h): what is not inline.
#include "tensorgrad/ivalue.h"

namespace tg {

Scalar IValue::toScalar() const {
  if (isInt()) return Scalar(toInt());
  if (isDouble()) return Scalar(toDouble());
  TG_CHECK(isBool(), "Expected Scalar but got {}", tagKind());
  return Scalar(toBool());
}

std::string IValue::tagKind() const {
  static const char* const kinds[] = {"None",   "Bool",    "Int",        "Double",    "String",
                                      "Tensor", "IntList", "DoubleList", "TensorList"};
  return kinds[v_.index()];
}

}  // namespace tg
