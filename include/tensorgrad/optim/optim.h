#pragma once
/// \file optim.h
/// Umbrella header of tg::optim: the optimizers (SGD, Adam, AdamW, RMSprop, Adagrad) and the
/// learning-rate schedulers (StepLR, CosineAnnealingLR). Gradient clipping is in
/// tensorgrad/nn/utils.h.

#include "tensorgrad/optim/adagrad.h"
#include "tensorgrad/optim/adam.h"
#include "tensorgrad/optim/adamw.h"
#include "tensorgrad/optim/lr_scheduler.h"
#include "tensorgrad/optim/optimizer.h"
#include "tensorgrad/optim/rmsprop.h"
#include "tensorgrad/optim/sgd.h"
