#pragma once
/// \file idx.h
/// A reader for the IDX format of MNIST, Fashion-MNIST, EMNIST and KMNIST
/// (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS"): a 4-byte magic number 0x0000TTNN, where
/// TT is the element type (0x08 unsigned byte, 0x09 signed byte, 0x0B int16, 0x0C int32,
/// 0x0D float32, 0x0E float64) and NN the number of dimensions; then NN big-endian int32 sizes;
/// then the elements, big-endian, row-major. Files that start with the gzip magic bytes (the
/// `.gz` files the datasets ship as) are decompressed on the fly when tensorgrad was built with
/// zlib.
///
/// Every reader throws tg::Error, naming the function and the file, for a missing file, a bad
/// magic number, sizes that do not match the file's length, or truncated / corrupt gzip data.
/// Memory is never allocated beyond the data actually present in the file.

#include <string>

#include "tensorgrad/tensor.h"

namespace tg {
namespace data {

/// An IDX images file (magic 0x00000803: unsigned bytes, [n, rows, cols]) as float32
/// [n, rows, cols], each pixel divided by 255 so that values lie in [0, 1] (as torchvision's
/// ToTensor).
Tensor read_idx_images(const std::string& path);

/// An IDX labels file (magic 0x00000801: unsigned bytes, [n]) as int64 [n], the class indices that
/// tg::cross_entropy and tg::nll_loss take.
Tensor read_idx_labels(const std::string& path);

/// Any IDX file, with the file's shape: integer element types as int64 (unsigned bytes keep their
/// values 0..255), float32 as float32 and float64 as float64.
Tensor read_idx(const std::string& path);

/// True when this build of tensorgrad can read gzip-compressed files (it was built with zlib).
bool gzip_supported();

}  // namespace data
}  // namespace tg
