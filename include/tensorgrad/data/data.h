#pragma once
/// \file data.h
/// Everything of tg::data: IDX files, datasets and the DataLoader.

#include "tensorgrad/data/dataloader.h"
#include "tensorgrad/data/dataset.h"
#include "tensorgrad/data/idx.h"
