// The IDX reader (see include/tensorgrad/data/idx.h).
//
// Note [IDX memory bound]
// An IDX header declares its sizes; a corrupt or hostile one may declare terabytes. For a plain
// file the declared size is compared with the file's length before anything is allocated. For a
// gzip file the decompressed length is unknown in advance, so the data buffer grows only as
// decompressed bytes arrive, and reading stops with an error as soon as they disagree with the
// header. Either way memory is bounded by the data actually present.

#include "tensorgrad/data/idx.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <vector>

#if defined(TG_HAVE_ZLIB)
#include <zlib.h>
#endif

namespace tg {
namespace data {
namespace {

constexpr size_t kChunk = size_t(1) << 16;

// A stream of the file's (decompressed) bytes.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Reads up to n bytes into dst; returns fewer only at the end of the data.
  virtual size_t read(char* dst, size_t n) = 0;
  // The number of bytes left when known without reading (plain files), else -1.
  virtual int64_t remaining() const { return -1; }
  virtual bool compressed() const { return false; }
};

class PlainStream : public ByteStream {
 public:
  PlainStream(std::ifstream& in, uint64_t size) : in_(in), left_(size) {}
  size_t read(char* dst, size_t n) override {
    n = static_cast<size_t>(std::min<uint64_t>(n, left_));
    in_.read(dst, static_cast<std::streamsize>(n));
    size_t got = static_cast<size_t>(in_.gcount());
    left_ -= got;
    return got;
  }
  int64_t remaining() const override { return static_cast<int64_t>(left_); }

 private:
  std::ifstream& in_;
  uint64_t left_;
};

#if defined(TG_HAVE_ZLIB)
class GzipStream : public ByteStream {
 public:
  GzipStream(std::ifstream& in, std::string where) : in_(in), where_(std::move(where)), buf_(kChunk) {
    std::memset(&zs_, 0, sizeof zs_);
    if (inflateInit2(&zs_, 16 + MAX_WBITS) != Z_OK) TG_ERROR("{}: cannot initialise zlib", where_);
  }
  ~GzipStream() override { inflateEnd(&zs_); }
  bool compressed() const override { return true; }

  size_t read(char* dst, size_t n) override {
    size_t produced = 0;
    while (produced < n && !done_) {
      if (zs_.avail_in == 0 && !refill()) {
        TG_ERROR("{} is truncated: the gzip data ends before the end of its compressed stream", where_);
      }
      const size_t want = std::min<size_t>(n - produced, std::numeric_limits<uInt>::max());
      zs_.next_out = reinterpret_cast<Bytef*>(dst + produced);
      zs_.avail_out = static_cast<uInt>(want);
      int r = inflate(&zs_, Z_NO_FLUSH);
      produced += want - zs_.avail_out;
      if (r == Z_STREAM_END) {
        // The end of one gzip member (its CRC and length checked). Another may follow, as after
        // `cat a.gz b.gz`; anything else after it is an error.
        if (zs_.avail_in == 0 && !refill()) {
          done_ = true;
        } else if (*zs_.next_in == 0x1f) {
          inflateReset(&zs_);
        } else {
          TG_ERROR("{} has unexpected bytes after the end of its gzip data", where_);
        }
      } else if (r == Z_DATA_ERROR || r == Z_NEED_DICT) {
        TG_ERROR("{} holds corrupt gzip data: {}", where_, zs_.msg ? zs_.msg : "invalid compressed data");
      } else if (r == Z_MEM_ERROR) {
        TG_ERROR("{}: zlib ran out of memory", where_);
      } else if (r == Z_STREAM_ERROR) {
        TG_ERROR("{}: internal zlib error", where_);
      }
      // Z_OK, or Z_BUF_ERROR (no progress possible without more input): loop and refill.
    }
    return produced;
  }

 private:
  bool refill() {
    in_.read(reinterpret_cast<char*>(buf_.data()), static_cast<std::streamsize>(buf_.size()));
    size_t got = static_cast<size_t>(in_.gcount());
    zs_.next_in = buf_.data();
    zs_.avail_in = static_cast<uInt>(got);
    return got > 0;
  }

  std::ifstream& in_;
  std::string where_;
  std::vector<Bytef> buf_;
  z_stream zs_;
  bool done_ = false;
};
#endif

const char* type_name(unsigned type) {
  switch (type) {
    case 0x08:
      return "unsigned bytes";
    case 0x09:
      return "signed bytes";
    case 0x0B:
      return "int16";
    case 0x0C:
      return "int32";
    case 0x0D:
      return "float32";
    case 0x0E:
      return "float64";
    default:
      return nullptr;
  }
}

size_t type_size(unsigned type) {
  switch (type) {
    case 0x0B:
      return 2;
    case 0x0C:
      return 4;
    case 0x0D:
      return 4;
    case 0x0E:
      return 8;
    default:
      return 1;
  }
}

std::string describe_magic(uint32_t magic) {
  unsigned type = (magic >> 8) & 0xFF, ndim = magic & 0xFF;
  const char* tn = type_name(type);
  if ((magic >> 16) != 0 || !tn) return fmt::format("0x{:08x}", magic);
  return fmt::format("0x{:08x} ({}, {} dimension{})", magic, tn, ndim, ndim == 1 ? "" : "s");
}

std::string dims_string(const std::vector<int64_t>& dims) {
  std::string s;
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? " x " : "") + std::to_string(dims[i]);
  return dims.empty() ? "a scalar" : s;
}

struct RawIdx {
  unsigned type = 0;
  std::vector<int64_t> dims;
  std::vector<unsigned char> bytes;  // big-endian elements
};

// Reads exactly n bytes or reports how many there were.
size_t read_fully(ByteStream& s, char* dst, size_t n) {
  size_t got = 0;
  while (got < n) {
    size_t r = s.read(dst + got, n - got);
    if (r == 0) break;
    got += r;
  }
  return got;
}

// Opens and reads an IDX file. `expected_magic` (0 for any) is checked before the data is read.
RawIdx read_raw(const std::string& path, const char* fn, uint32_t expected_magic, const char* expected_what) {
  const std::string where = fmt::format("{}: '{}'", fn, path);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) TG_ERROR("{}: cannot open '{}': it is a directory", fn, path);
  std::ifstream in(path, std::ios::binary);
  if (!in) TG_ERROR("{}: cannot open '{}': {}", fn, path, std::strerror(errno));
  in.seekg(0, std::ios::end);
  const std::streamoff file_size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (!in || file_size < 0) TG_ERROR("{}: cannot determine the size of '{}'", fn, path);

  unsigned char first[2] = {0, 0};
  in.read(reinterpret_cast<char*>(first), 2);
  const bool gzip = in.gcount() == 2 && first[0] == 0x1f && first[1] == 0x8b;
  in.clear();
  in.seekg(0, std::ios::beg);

  std::unique_ptr<ByteStream> stream;
  if (gzip) {
#if defined(TG_HAVE_ZLIB)
    stream = std::make_unique<GzipStream>(in, where);
#else
    TG_ERROR(
        "{} is gzip-compressed, but this tensorgrad was built without zlib; decompress it first "
        "(gunzip -k '{}') or rebuild tensorgrad with zlib installed",
        where, path);
#endif
  } else {
    stream = std::make_unique<PlainStream>(in, static_cast<uint64_t>(file_size));
  }
  const char* kind = gzip ? "decompressed data" : "file";

  unsigned char magic_bytes[4];
  size_t got = read_fully(*stream, reinterpret_cast<char*>(magic_bytes), 4);
  if (got == 0) TG_ERROR("{} is empty; expected an IDX file", where);
  if (got < 4) TG_ERROR("{} is truncated: the {} ends inside the 4-byte magic number", where, kind);
  const uint32_t magic = (uint32_t(magic_bytes[0]) << 24) | (uint32_t(magic_bytes[1]) << 16) |
                         (uint32_t(magic_bytes[2]) << 8) | uint32_t(magic_bytes[3]);
  RawIdx raw;
  raw.type = (magic >> 8) & 0xFF;
  const unsigned ndim = magic & 0xFF;
  if (expected_magic != 0 && magic != expected_magic)
    TG_ERROR("{} has the magic number {}, but {} have the magic number {}", where, describe_magic(magic), expected_what,
             describe_magic(expected_magic));
  if ((magic >> 16) != 0 || !type_name(raw.type))
    TG_ERROR(
        "{} is not an IDX file: its magic number is {}, expected 0x0000TTNN with element type TT in 08, 09, "
        "0b, 0c, 0d, 0e and NN dimensions",
        where, describe_magic(magic));
  if (ndim > static_cast<unsigned>(kMaxDims))
    TG_ERROR("{} has {} dimensions, but tensorgrad supports at most {}", where, ndim, kMaxDims);

  unsigned char size_bytes[4 * kMaxDims];
  got = read_fully(*stream, reinterpret_cast<char*>(size_bytes), 4 * ndim);
  if (got < 4 * ndim)
    TG_ERROR("{} is truncated: its header needs {} bytes for {} sizes but the {} ends after {}", where, 4 + 4 * ndim,
             ndim, kind, 4 + got);
  uint64_t count = 1;
  for (unsigned d = 0; d < ndim; ++d) {
    const unsigned char* b = size_bytes + 4 * d;
    const uint32_t v = (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | uint32_t(b[3]);
    if (v > uint32_t(std::numeric_limits<int32_t>::max()))
      TG_ERROR("{} has an invalid header: size {} of dimension {} is negative as a big-endian int32", where, v, d);
    raw.dims.push_back(static_cast<int64_t>(v));
    if (__builtin_mul_overflow(count, uint64_t(v), &count)) count = std::numeric_limits<uint64_t>::max();
  }
  const uint64_t elem = type_size(raw.type);
  uint64_t expected = 0;
  if (__builtin_mul_overflow(count, elem, &expected) || expected > uint64_t(std::numeric_limits<int64_t>::max()))
    TG_ERROR("{} has an invalid header: sizes {} describe more data than any file holds", where, dims_string(raw.dims));
  const std::string described = fmt::format("{} {} ({} bytes)", dims_string(raw.dims), type_name(raw.type), expected);

  const int64_t left = stream->remaining();
  if (left >= 0) {  // a plain file: compare before allocating
    if (uint64_t(left) < expected)
      TG_ERROR("{} is truncated: its header describes {} but only {} bytes follow the header", where, described, left);
    if (uint64_t(left) > expected)
      TG_ERROR("{} does not match its header: the header describes {} but {} bytes follow it", where, described, left);
    raw.bytes.resize(static_cast<size_t>(expected));
    if (read_fully(*stream, reinterpret_cast<char*>(raw.bytes.data()), raw.bytes.size()) != raw.bytes.size())
      TG_ERROR("{}: read error", where);
    return raw;
  }
  // gzip: grow with the data that arrives (Note [IDX memory bound])
  uint64_t have = 0;
  while (have < expected) {
    const size_t step = static_cast<size_t>(std::min<uint64_t>(expected - have, std::max<uint64_t>(have, kChunk)));
    raw.bytes.resize(static_cast<size_t>(have) + step);
    const size_t r = read_fully(*stream, reinterpret_cast<char*>(raw.bytes.data()) + have, step);
    have += r;
    if (r < step)
      TG_ERROR(
          "{} is truncated: its header describes {} but the decompressed data holds only {} bytes after the "
          "header",
          where, described, have);
  }
  char extra;
  if (read_fully(*stream, &extra, 1) != 0)
    TG_ERROR("{} does not match its header: the decompressed data holds more than the {} its header describes", where,
             described);
  return raw;
}

template <typename T> T load_be(const unsigned char* p) {
  using U = std::conditional_t<sizeof(T) == 2, uint16_t, std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>;
  U u = 0;
  for (size_t i = 0; i < sizeof(T); ++i) u = static_cast<U>((u << 8) | p[i]);
  T v;
  std::memcpy(&v, &u, sizeof v);
  return v;
}

Tensor shaped_empty(const RawIdx& raw, ScalarType dtype) {
  return empty(IntArrayRef(raw.dims.data(), raw.dims.size()), TensorOptions(dtype));
}

}  // namespace

bool gzip_supported() {
#if defined(TG_HAVE_ZLIB)
  return true;
#else
  return false;
#endif
}

Tensor read_idx_images(const std::string& path) {
  RawIdx raw = read_raw(path, "read_idx_images", 0x00000803, "IDX image files");
  Tensor out = shaped_empty(raw, kFloat32);
  float* o = out.numel() ? out.data_ptr<float>() : nullptr;
  for (size_t i = 0; i < raw.bytes.size(); ++i) o[i] = static_cast<float>(raw.bytes[i]) / 255.0f;
  return out;
}

Tensor read_idx_labels(const std::string& path) {
  RawIdx raw = read_raw(path, "read_idx_labels", 0x00000801, "IDX label files");
  Tensor out = shaped_empty(raw, kInt64);
  int64_t* o = out.numel() ? out.data_ptr<int64_t>() : nullptr;
  for (size_t i = 0; i < raw.bytes.size(); ++i) o[i] = raw.bytes[i];
  return out;
}

Tensor read_idx(const std::string& path) {
  RawIdx raw = read_raw(path, "read_idx", 0, nullptr);
  const unsigned char* b = raw.bytes.data();
  const size_t n = raw.bytes.size() / type_size(raw.type);
  switch (raw.type) {
    case 0x0D: {
      Tensor out = shaped_empty(raw, kFloat32);
      float* o = n ? out.data_ptr<float>() : nullptr;
      for (size_t i = 0; i < n; ++i) o[i] = load_be<float>(b + 4 * i);
      return out;
    }
    case 0x0E: {
      Tensor out = shaped_empty(raw, kFloat64);
      double* o = n ? out.data_ptr<double>() : nullptr;
      for (size_t i = 0; i < n; ++i) o[i] = load_be<double>(b + 8 * i);
      return out;
    }
    default: {
      Tensor out = shaped_empty(raw, kInt64);
      int64_t* o = n ? out.data_ptr<int64_t>() : nullptr;
      for (size_t i = 0; i < n; ++i) {
        switch (raw.type) {
          case 0x08:
            o[i] = b[i];
            break;
          case 0x09:
            o[i] = static_cast<int8_t>(b[i]);
            break;
          case 0x0B:
            o[i] = load_be<int16_t>(b + 2 * i);
            break;
          default:
            o[i] = load_be<int32_t>(b + 4 * i);
            break;
        }
      }
      return out;
    }
  }
}

}  // namespace data
}  // namespace tg
