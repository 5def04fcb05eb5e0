// DataLoader (see include/tensorgrad/data/dataloader.h).

#include "tensorgrad/data/dataloader.h"

#include <algorithm>
#include <numeric>

namespace tg {
namespace data {
namespace {

// Uniform in [0, m) by rejection, the same on every platform (std::uniform_int_distribution and
// std::shuffle are implementation-defined, so a seed would not give the same order everywhere).
uint64_t uniform_below(std::mt19937_64& rng, uint64_t m) {
  const uint64_t threshold = (0 - m) % m;  // 2^64 mod m
  uint64_t x;
  do {
    x = rng();
  } while (x < threshold);
  return x % m;
}

}  // namespace

DataLoader::DataLoader(std::shared_ptr<Dataset> dataset, DataLoaderOptions options)
    : dataset_(std::move(dataset)), options_(std::move(options)), rng_(options_.seed().value_or(0)) {
  TG_CHECK(dataset_ != nullptr, "DataLoader: the dataset is null");
  TG_CHECK(options_.batch_size() > 0, "DataLoader: batch_size must be positive, got {}", options_.batch_size());
}

size_t DataLoader::size() const {
  const size_t n = dataset_->size();
  const size_t b = static_cast<size_t>(options_.batch_size());
  return options_.drop_last() ? n / b : (n + b - 1) / b;
}

DataLoader::Iterator DataLoader::begin() {
  const size_t n = dataset_->size();
  order_.resize(n);
  std::iota(order_.begin(), order_.end(), size_t(0));
  if (options_.shuffle() && n > 1) {
    if (options_.seed()) {
      // Fisher-Yates with the loader's generator: each pass continues its sequence, so every
      // pass has a new permutation and a seed fixes them all.
      for (size_t i = n - 1; i > 0; --i) std::swap(order_[i], order_[uniform_below(rng_, i + 1)]);
    } else {
      Tensor perm = randperm(static_cast<int64_t>(n));
      const int64_t* p = perm.data_ptr<int64_t>();
      for (size_t i = 0; i < n; ++i) order_[i] = static_cast<size_t>(p[i]);
    }
  }
  return Iterator(this, 0);
}

DataLoader::Iterator DataLoader::end() { return Iterator(this, size()); }

Example DataLoader::batch(size_t b) const {
  const size_t n = dataset_->size();
  TG_CHECK(order_.size() == n, "DataLoader::batch: no pass has started; call begin() first (a range-for does)");
  TG_CHECK(b < size(), "DataLoader::batch: batch {} is out of range for a loader of {} batches", b, size());
  const size_t bs = static_cast<size_t>(options_.batch_size());
  const size_t start = b * bs, stop = std::min(start + bs, n);
  std::vector<size_t> indices(order_.begin() + static_cast<std::ptrdiff_t>(start),
                              order_.begin() + static_cast<std::ptrdiff_t>(stop));
  return dataset_->get_batch(indices);
}

const Example& DataLoader::Iterator::operator*() const {
  TG_CHECK(loader_ != nullptr, "DataLoader::Iterator: dereferencing an end iterator");
  if (!loaded_) {
    current_ = loader_->batch(batch_);
    loaded_ = true;
  }
  return current_;
}

DataLoader::Iterator& DataLoader::Iterator::operator++() {
  ++batch_;
  loaded_ = false;
  current_ = Example();
  return *this;
}

}  // namespace data
}  // namespace tg
