#pragma once
/// \file dataset.h
/// Datasets, as in libtorch's C++ frontend (torch::data::datasets): a Dataset has a size() and
/// returns an Example {data, target} for an index; a DataLoader (dataloader.h) batches them.
///
///     tg::data::TensorDataset ds(images, labels);        // images [n, 28, 28], labels [n]
///     tg::data::Example e = ds.get(0);                    // e.data [28, 28], e.target []

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "tensorgrad/tensor.h"

namespace tg {
namespace data {

/// One example (or, from a DataLoader, a batch of examples stacked along a new first dim):
/// the input `data` and its `target`.
struct Example {
  Tensor data;
  Tensor target;
};

/// A collection of examples indexed 0 .. size() - 1. Derive from it and implement size() and
/// get() to feed any data to a DataLoader:
///
///     struct Squares : tg::data::Dataset {
///       size_t size() const override { return 100; }
///       tg::data::Example get(size_t i) override {
///         double x = static_cast<double>(i);
///         return {tg::tensor({x}), tg::tensor(x * x)};
///       }
///     };
class Dataset {
 public:
  virtual ~Dataset() = default;
  /// The number of examples.
  virtual size_t size() const = 0;
  /// The example at `index` (0 <= index < size()).
  virtual Example get(size_t index) = 0;
  /// The examples at `indices`, their data and their targets each stacked along a new first
  /// dimension (so a batch of b examples has data [b, ...] and target [b, ...]). The default calls
  /// get() for each index and stacks the results with tg::stack; datasets that can gather a batch
  /// faster override it.
  virtual Example get_batch(const std::vector<size_t>& indices);
};

/// A dataset over two tensors whose first dimension indexes the examples: example i is
/// {data[i], targets[i]}. Batches are gathered with one copy per tensor rather than per-example
/// stacking.
class TensorDataset : public Dataset {
 public:
  /// `data` [n, ...] and `targets` [n, ...] (usually [n]); both must be defined, have at least one
  /// dimension, and agree on n. Throws tg::Error otherwise.
  TensorDataset(Tensor data, Tensor targets);
  /// TensorDataset(example.data, example.target).
  explicit TensorDataset(Example example) : TensorDataset(std::move(example.data), std::move(example.target)) {}
  /// n, the size of the first dimension.
  size_t size() const override;
  /// {data[index], targets[index]}, views of the stored tensors.
  Example get(size_t index) override;
  /// {data.index_select(0, indices), targets.index_select(0, indices)}, as new contiguous tensors.
  Example get_batch(const std::vector<size_t>& indices) override;
  /// The stored data [n, ...].
  const Tensor& data() const { return data_; }
  /// The stored targets [n, ...].
  const Tensor& targets() const { return targets_; }

 private:
  Tensor data_, targets_;
};

/// The MNIST dataset, or any dataset in its layout (Fashion-MNIST, KMNIST, ...), as libtorch's
/// torch::data::datasets::MNIST: images float32 [n, 1, rows, cols] in [0, 1], targets int64 [n].
/// Reads `root`/train-images-idx3-ubyte and train-labels-idx1-ubyte (Mode::kTrain) or
/// t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (Mode::kTest), each plain or with a `.gz`
/// suffix.
class MNIST : public TensorDataset {
 public:
  /// Which split to read.
  enum class Mode { kTrain, kTest };
  /// Reads the split `mode` from the directory `root`. Throws tg::Error naming the files it looked
  /// for when they are missing, and the IDX reader's errors for malformed files.
  explicit MNIST(const std::string& root, Mode mode = Mode::kTrain);
  /// True for the training split.
  bool is_train() const { return train_; }
  /// The images, float32 [n, 1, rows, cols] in [0, 1].
  const Tensor& images() const { return data(); }

 private:
  bool train_;
};

}  // namespace data
}  // namespace tg
