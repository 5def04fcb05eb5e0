// Dataset, TensorDataset and MNIST (see include/tensorgrad/data/dataset.h).

#include "tensorgrad/data/dataset.h"

#include <cstring>
#include <filesystem>

#include "tensorgrad/data/idx.h"

namespace tg {
namespace data {

Example Dataset::get_batch(const std::vector<size_t>& indices) {
  TG_CHECK(!indices.empty(), "Dataset::get_batch: expected at least one index");
  std::vector<Tensor> data, targets;
  data.reserve(indices.size());
  targets.reserve(indices.size());
  for (size_t i : indices) {
    Example e = get(i);
    data.push_back(std::move(e.data));
    targets.push_back(std::move(e.target));
  }
  Example batch;
  batch.data = stack(data, 0);
  // A dataset without targets (all undefined) gives batches without targets.
  bool any_target = false;
  for (const Tensor& t : targets) any_target = any_target || t.defined();
  if (any_target) batch.target = stack(targets, 0);
  return batch;
}

namespace {

void check_first_dim(const Tensor& t, const char* what) {
  TG_CHECK(t.defined(), "TensorDataset: {} is undefined", what);
  TG_CHECK(t.dim() >= 1,
           "TensorDataset: {} must have at least one dimension (its first indexes the examples), got a 0-dim tensor",
           what);
}

void check_index(size_t index, size_t n, const char* fn) {
  TG_CHECK(index < n, "{}: index {} is out of range for a dataset of {} examples", fn, index, n);
}

// Note [Batch gathering]
// A batch of a TensorDataset is its rows at the batch's indices. For the usual case (data that
// does not require grad, stored contiguously) each row is one memcpy: this costs next to nothing
// next to a training step. index_select computes the same result element by element through an
// expanded int64 index, which measured more than 10x slower on batches of 64 x 784 floats; it is
// kept for tensors that require grad, whose batches must stay in the graph.
Tensor gather_rows(const Tensor& t, const std::vector<size_t>& indices) {
  const size_t n = static_cast<size_t>(t.size(0));
  for (size_t i : indices) check_index(i, n, "TensorDataset::get_batch");
  if (t.requires_grad() || !t.is_contiguous()) {
    std::vector<int64_t> idx(indices.begin(), indices.end());
    return index_select(t, 0, tensor(idx));
  }
  std::vector<int64_t> sizes = t.sizes().vec();
  sizes[0] = static_cast<int64_t>(indices.size());
  Tensor out = empty(sizes, TensorOptions(t.dtype()));
  const size_t row_bytes = n ? static_cast<size_t>(t.numel()) / n * t.element_size() : 0;
  if (row_bytes == 0 || indices.empty()) return out;
  const char* src = static_cast<const char*>(t.data_ptr());
  char* dst = static_cast<char*>(out.data_ptr());
  for (size_t k = 0; k < indices.size(); ++k) std::memcpy(dst + k * row_bytes, src + indices[k] * row_bytes, row_bytes);
  return out;
}

}  // namespace

TensorDataset::TensorDataset(Tensor data, Tensor targets) {
  check_first_dim(data, "data");
  check_first_dim(targets, "targets");
  TG_CHECK(data.size(0) == targets.size(0),
           "TensorDataset: data and targets must have the same size in their first dimension (the number of "
           "examples), got data of shape {} and targets of shape {}",
           to_string(data.sizes()), to_string(targets.sizes()));
  // Stored contiguously so that batches are row copies (Note [Batch gathering]).
  data_ = data.requires_grad() || data.is_contiguous() ? std::move(data) : data.contiguous();
  targets_ = targets.requires_grad() || targets.is_contiguous() ? std::move(targets) : targets.contiguous();
}

size_t TensorDataset::size() const { return static_cast<size_t>(data_.size(0)); }

Example TensorDataset::get(size_t index) {
  check_index(index, size(), "TensorDataset::get");
  return {data_.select(0, static_cast<int64_t>(index)), targets_.select(0, static_cast<int64_t>(index))};
}

Example TensorDataset::get_batch(const std::vector<size_t>& indices) {
  return {gather_rows(data_, indices), gather_rows(targets_, indices)};
}

namespace {

std::string find_split_file(const std::string& root, const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path plain = fs::path(root) / name;
  const fs::path gz = fs::path(root) / (name + ".gz");
  std::error_code ec;
  if (fs::is_regular_file(plain, ec)) return plain.string();
  if (fs::is_regular_file(gz, ec)) return gz.string();
  TG_ERROR("MNIST: found neither '{}' nor '{}'", plain.string(), gz.string());
}

Example load_split(const std::string& root, MNIST::Mode mode) {
  const std::string prefix = mode == MNIST::Mode::kTrain ? "train" : "t10k";
  const std::string images_path = find_split_file(root, prefix + "-images-idx3-ubyte");
  const std::string labels_path = find_split_file(root, prefix + "-labels-idx1-ubyte");
  Tensor images = read_idx_images(images_path);
  Tensor labels = read_idx_labels(labels_path);
  TG_CHECK(images.size(0) == labels.size(0), "MNIST: '{}' holds {} images but '{}' holds {} labels", images_path,
           images.size(0), labels_path, labels.size(0));
  return {images.unsqueeze(1), labels};
}

}  // namespace

MNIST::MNIST(const std::string& root, Mode mode)
    : TensorDataset(load_split(root, mode)), train_(mode == Mode::kTrain) {}

}  // namespace data
}  // namespace tg
