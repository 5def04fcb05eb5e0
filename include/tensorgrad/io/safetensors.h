#pragma once
/// \file safetensors.h
/// Named tensors in the safetensors format, the format that PyTorch and Hugging Face tools read
/// and write (as the safetensors project specifies it):
///
///     8 bytes   N, the header length: an unsigned little-endian 64-bit integer
///     N bytes   a UTF-8 JSON object {"name": {"dtype": "F32", "shape": [2, 3],
///               "data_offsets": [begin, end]}, ..., "__metadata__": {"key": "value", ...}}
///     the rest  the byte buffer: every tensor little-endian, row-major and tightly packed;
///               data_offsets are relative to the buffer's start, and the tensors cover it
///               exactly, without gaps or overlaps.
///
/// tensorgrad reads and writes the dtypes F32 (float32), F64 (float64), I64 (int64) and BOOL
/// (bool). A file written here is byte for byte what Python's `safetensors.torch.save_file` writes
/// for the same tensors and metadata: compact JSON, tensors ordered by dtype (8-byte types first)
/// then by name, the header padded with spaces to a multiple of 8 bytes.
///
/// Loading validates everything before it allocates: a truncated, oversized or inconsistent file
/// gives a tg::Error that says what is wrong, never a crash or an allocation larger than the file.

#include <map>
#include <string>

#include "tensorgrad/tensor.h"

namespace tg {

/// Named tensors and their metadata, the complete content of a safetensors file.
using TensorMap = std::map<std::string, Tensor>;
/// The free-form string -> string "__metadata__" of a safetensors file.
using MetadataMap = std::map<std::string, std::string>;

/// The largest header tensorgrad accepts (100 MB, the limit of the reference implementation).
constexpr uint64_t kSafetensorsMaxHeaderBytes = 100'000'000;

/// Writes `tensors` to `path` in the safetensors format. The file's "__metadata__" is
/// {"format": "pt"} (so that `safetensors.torch` loads it) merged with `metadata`, whose entries
/// win. Non-contiguous tensors are written in row-major order; tensors that require grad are
/// saved by value. The file is written under a temporary name and renamed into place, so an
/// interrupted save never leaves a half-written `path` behind.
/// Throws tg::Error for an undefined tensor, the reserved name "__metadata__", or an I/O error.
void save_tensors(const TensorMap& tensors, const std::string& path, const MetadataMap& metadata = {});

/// Reads every tensor of the safetensors file `path`. Tensors are new leaves (requires_grad false)
/// with the file's dtypes and shapes. When `metadata` is given, it receives the file's
/// "__metadata__" (empty when the file has none).
/// Throws tg::Error, naming the file and what is wrong, for a missing, truncated or malformed file
/// or for a tensor whose dtype tensorgrad does not support (F16, BF16, I32, U8, ...).
TensorMap load_tensors(const std::string& path, MetadataMap* metadata = nullptr);

/// The bytes save_tensors would write, as a string.
std::string serialize_tensors(const TensorMap& tensors, const MetadataMap& metadata = {});

/// The tensors of safetensors `bytes` (the inverse of serialize_tensors), with load_tensors'
/// validation and errors.
TensorMap deserialize_tensors(const std::string& bytes, MetadataMap* metadata = nullptr);

}  // namespace tg
