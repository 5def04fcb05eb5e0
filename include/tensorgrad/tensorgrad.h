#pragma once
/// \file tensorgrad.h
/// Umbrella header: everything tensorgrad offers.

#include "tensorgrad/autograd/engine.h"
#include "tensorgrad/autograd/grad_mode.h"
#include "tensorgrad/autograd/gradcheck.h"
#include "tensorgrad/autograd/node.h"
#include "tensorgrad/dtype.h"
#include "tensorgrad/error.h"
#include "tensorgrad/ops/activation.h"
#include "tensorgrad/ops/loss.h"
#include "tensorgrad/options.h"
#include "tensorgrad/scalar.h"
#include "tensorgrad/shape.h"
#include "tensorgrad/tensor.h"
