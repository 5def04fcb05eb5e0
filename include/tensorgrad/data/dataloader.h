#pragma once
/// \file dataloader.h
/// DataLoader: iterates over a Dataset in batches, optionally shuffled, in the style of libtorch's
/// torch::data::make_data_loader and PyTorch's DataLoader.
///
///     tg::data::DataLoader loader(tg::data::TensorDataset(images, labels),
///                                 tg::data::DataLoaderOptions().batch_size(64).shuffle(true).seed(0));
///     for (int epoch = 0; epoch < 2; ++epoch)
///       for (const tg::data::Example& batch : loader) {  // a new permutation every pass
///         tg::Tensor loss = tg::cross_entropy(model->forward(batch.data), batch.target);
///         ...
///       }

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <type_traits>
#include <utility>
#include <vector>

#include "tensorgrad/arg.h"
#include "tensorgrad/data/dataset.h"

namespace tg {
namespace data {

/// How a DataLoader batches: DataLoaderOptions().batch_size(64).shuffle(true).seed(0).drop_last(false).
/// Each option has libtorch's TORCH_ARG accessors: a chainable setter and a getter.
class DataLoaderOptions {
 public:
  /// batch_size 1, no shuffling, a short final batch kept.
  DataLoaderOptions() = default;
  /// The given batch size, other options at their defaults (as libtorch's DataLoaderOptions(size)).
  explicit DataLoaderOptions(int64_t batch_size) : batch_size_(batch_size) {}

  /// Examples per batch (must be positive; checked by the DataLoader). Default 1.
  TG_ARG(int64_t, batch_size) = 1;
  /// Visit the examples in a new random order on every pass. Default false (in order).
  TG_ARG(bool, shuffle) = false;
  /// Seeds the loader's own generator, so that its sequence of permutations (one per pass) is the
  /// same on every run and platform. Without a seed, shuffling draws from tensorgrad's global
  /// generator (tg::manual_seed), as PyTorch's DataLoader draws from torch's.
  TG_ARG(std::optional<uint64_t>, seed);
  /// Drop the final batch when it would be smaller than batch_size. Default false (keep it short).
  TG_ARG(bool, drop_last) = false;
};

/// Batches of a Dataset, iterable with range-for. Every begin() starts a new pass (an epoch) over
/// the dataset, with a new permutation when shuffling. Each batch is an Example whose data and
/// target stack the examples along a new first dimension ({data [b, ...], target [b, ...]}), made
/// by the dataset's get_batch(). Iterate one pass at a time: begin() restarts the loader.
class DataLoader {
 public:
  /// An input iterator over the batches of one pass.
  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Example;
    using difference_type = std::ptrdiff_t;
    using pointer = const Example*;
    using reference = const Example&;

    /// A singular iterator (use begin() and end()).
    Iterator() = default;
    /// The current batch (loaded on first access).
    const Example& operator*() const;
    /// Member access to the current batch.
    const Example* operator->() const { return &**this; }
    /// Moves to the next batch.
    Iterator& operator++();
    /// Equal when both are at the same batch (or both past the end).
    bool operator==(const Iterator& o) const { return batch_ == o.batch_; }
    /// Not equal.
    bool operator!=(const Iterator& o) const { return !(*this == o); }

   private:
    friend class DataLoader;
    Iterator(DataLoader* loader, size_t batch) : loader_(loader), batch_(batch) {}
    DataLoader* loader_ = nullptr;
    size_t batch_ = 0;
    mutable Example current_;
    mutable bool loaded_ = false;
  };

  /// A loader over a shared dataset. Throws tg::Error for a null dataset or a batch_size < 1.
  explicit DataLoader(std::shared_ptr<Dataset> dataset, DataLoaderOptions options = DataLoaderOptions());
  /// A loader that owns (a moved or copied) `dataset` of any Dataset type:
  /// DataLoader(TensorDataset(x, y), DataLoaderOptions().batch_size(32)).
  template <typename D, std::enable_if_t<std::is_base_of<Dataset, std::decay_t<D>>::value, int> = 0>
  explicit DataLoader(D&& dataset, DataLoaderOptions options = DataLoaderOptions())
      : DataLoader(std::make_shared<std::decay_t<D>>(std::forward<D>(dataset)), std::move(options)) {}

  /// Starts a new pass over the dataset (drawing a new permutation when shuffling) and returns its
  /// first batch.
  Iterator begin();
  /// Past the last batch of a pass.
  Iterator end();
  /// Batches per pass: ceil(n / batch_size), or floor(n / batch_size) with drop_last.
  size_t size() const;
  /// The options the loader was made with.
  const DataLoaderOptions& options() const { return options_; }
  /// The dataset.
  Dataset& dataset() const { return *dataset_; }
  /// The example indices of the current pass, in visiting order (empty before the first begin()).
  const std::vector<size_t>& order() const { return order_; }
  /// The batch at position `batch` of the current pass (0 <= batch < size()).
  Example batch(size_t batch) const;

 private:
  std::shared_ptr<Dataset> dataset_;
  DataLoaderOptions options_;
  std::mt19937_64 rng_;
  std::vector<size_t> order_;
};

}  // namespace data
}  // namespace tg
