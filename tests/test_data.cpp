// tg::data: the IDX reader (plain and gzip files made here, a committed deflate fixture, the
// Fashion-MNIST package when installed), TensorDataset, MNIST and the DataLoader.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "tensorgrad/data/data.h"
#include "tensorgrad/tensorgrad.h"

namespace {

namespace fs = std::filesystem;
using tg::data::DataLoader;
using tg::data::DataLoaderOptions;
using tg::data::Example;
using tg::data::TensorDataset;

#define EXPECT_ERROR_WITH(stmt, substring)                                                            \
  do {                                                                                                \
    try {                                                                                             \
      stmt;                                                                                           \
      ADD_FAILURE() << "expected a tg::Error containing \"" << (substring) << "\"";                   \
    } catch (const tg::Error& e) {                                                                    \
      EXPECT_NE(std::string(e.what()).find(substring), std::string::npos) << "message: " << e.what(); \
    }                                                                                                 \
  } while (0)

class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() / (std::string("tg_test_data_") + std::to_string(::getpid()) + "_" +
                                         info->test_suite_name() + "_" + info->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string path() const { return path_.string(); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

std::string le32(uint32_t v) {
  return {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16), static_cast<char>(v >> 24)};
}

// An IDX file: magic, big-endian sizes, then `data`.
std::string idx(uint32_t magic, const std::vector<uint32_t>& dims, const std::string& data) {
  std::string s = be32(magic);
  for (uint32_t d : dims) s += be32(d);
  return s + data;
}

std::string bytes_of(const std::vector<int>& values) {
  std::string s;
  for (int v : values) s += static_cast<char>(v);
  return s;
}

uint32_t crc32(const std::string& data) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

// A gzip file (RFC 1952) whose deflate stream (RFC 1951) is made of stored blocks: valid gzip
// that any inflater reads, built here without a compressor.
std::string gzip_stored(const std::string& data) {
  std::string out = bytes_of({0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff});  // no flags, no mtime, OS unknown
  size_t pos = 0;
  do {
    const size_t n = std::min<size_t>(65535, data.size() - pos);
    const bool final = pos + n == data.size();
    out += static_cast<char>(final ? 1 : 0);  // BFINAL, BTYPE = 00 (stored)
    out += static_cast<char>(n & 0xFF);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(~n & 0xFF);
    out += static_cast<char>((~n >> 8) & 0xFF);
    out += data.substr(pos, n);
    pos += n;
  } while (pos < data.size());
  return out + le32(crc32(data)) + le32(static_cast<uint32_t>(data.size()));
}

// 3 images of 2 x 4 pixels, including 0 and 255.
std::string sample_images_file() {
  std::string px;
  for (int i = 0; i < 24; ++i) px += static_cast<char>(i == 23 ? 255 : i * 10);
  return idx(0x803, {3, 2, 4}, px);
}

std::string sample_labels_file() { return idx(0x801, {5}, bytes_of({3, 0, 9, 255, 1})); }

void check_sample_images(const tg::Tensor& images) {
  EXPECT_EQ(images.dtype(), tg::kFloat32);
  EXPECT_EQ(images.sizes().vec(), (std::vector<int64_t>{3, 2, 4}));
  std::vector<float> v = images.tolist<float>();
  for (int i = 0; i < 23; ++i) EXPECT_EQ(v[i], static_cast<float>(i * 10) / 255.0f) << i;
  EXPECT_EQ(v[0], 0.0f);
  EXPECT_EQ(v[23], 1.0f);
}

void check_sample_labels(const tg::Tensor& labels) {
  EXPECT_EQ(labels.dtype(), tg::kInt64);
  EXPECT_EQ(labels.sizes().vec(), (std::vector<int64_t>{5}));
  EXPECT_EQ(labels.tolist<int64_t>(), (std::vector<int64_t>{3, 0, 9, 255, 1}));
}

std::string fixture(const std::string& name) { return std::string(TG_FIXTURE_DIR) + "/io/" + name; }

const char* const kFashionLabels = "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz";
const char* const kFashionImages = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";

}  // namespace

// ---- IDX: reading -----------------------------------------------------------------------------

TEST(Idx, ReadsPlainImagesAndLabels) {
  TempDir dir;
  write_file(dir.file("images"), sample_images_file());
  write_file(dir.file("labels"), sample_labels_file());
  check_sample_images(tg::data::read_idx_images(dir.file("images")));
  check_sample_labels(tg::data::read_idx_labels(dir.file("labels")));
}

TEST(Idx, ReadsGzipFilesBuiltHere) {
  TempDir dir;
  write_file(dir.file("images.gz"), gzip_stored(sample_images_file()));
  write_file(dir.file("labels.gz"), gzip_stored(sample_labels_file()));
  if (!tg::data::gzip_supported()) {
    EXPECT_ERROR_WITH(tg::data::read_idx_images(dir.file("images.gz")), "built without zlib");
    GTEST_SKIP() << "tensorgrad was built without zlib";
  }
  check_sample_images(tg::data::read_idx_images(dir.file("images.gz")));
  check_sample_labels(tg::data::read_idx_labels(dir.file("labels.gz")));
}

TEST(Idx, ReadsLargeGzipFilesAcrossManyBlocks) {
  if (!tg::data::gzip_supported()) GTEST_SKIP() << "tensorgrad was built without zlib";
  // 200 images of 30 x 40 = 240000 bytes: several stored blocks, several reads of the file.
  std::string px(200 * 30 * 40, '\0');
  for (size_t i = 0; i < px.size(); ++i) px[i] = static_cast<char>((i * 7) % 256);
  TempDir dir;
  write_file(dir.file("big.gz"), gzip_stored(idx(0x803, {200, 30, 40}, px)));
  tg::Tensor images = tg::data::read_idx_images(dir.file("big.gz"));
  EXPECT_EQ(images.sizes().vec(), (std::vector<int64_t>{200, 30, 40}));
  std::vector<float> v = images.tolist<float>();
  for (size_t i = 0; i < v.size(); i += 997) EXPECT_EQ(v[i], static_cast<float>((i * 7) % 256) / 255.0f) << i;
  EXPECT_EQ(v.back(), static_cast<float>(((v.size() - 1) * 7) % 256) / 255.0f);
}

TEST(Idx, ReadsConcatenatedGzipMembers) {
  if (!tg::data::gzip_supported()) GTEST_SKIP() << "tensorgrad was built without zlib";
  // `cat a.gz b.gz` is one valid gzip file of the concatenated data, as gunzip reads it.
  std::string file = sample_labels_file();
  TempDir dir;
  write_file(dir.file("two.gz"), gzip_stored(file.substr(0, 6)) + gzip_stored(file.substr(6)));
  check_sample_labels(tg::data::read_idx_labels(dir.file("two.gz")));
}

TEST(Idx, ReadsDeflateCompressedFixtures) {
  if (!tg::data::gzip_supported()) GTEST_SKIP() << "tensorgrad was built without zlib";
  tg::Tensor labels = tg::data::read_idx_labels(fixture("labels-idx1-ubyte.gz"));
  ASSERT_EQ(labels.sizes().vec(), (std::vector<int64_t>{1000}));
  std::vector<int64_t> l = labels.tolist<int64_t>();
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(l[i], i % 10) << i;

  tg::Tensor images = tg::data::read_idx_images(fixture("images-idx3-ubyte.gz"));
  ASSERT_EQ(images.sizes().vec(), (std::vector<int64_t>{5, 8, 8}));
  std::vector<float> v = images.tolist<float>();
  for (int n = 0, i = 0; n < 5; ++n)
    for (int r = 0; r < 8; ++r)
      for (int c = 0; c < 8; ++c, ++i) ASSERT_EQ(v[i], static_cast<float>((n * 64 + r * 8 + c) % 256) / 255.0f);
}

TEST(Idx, ReadIdxReadsEveryElementType) {
  TempDir dir;
  write_file(dir.file("u8"), idx(0x0802, {2, 2}, bytes_of({0, 1, 128, 255})));
  write_file(dir.file("i8"), idx(0x0901, {3}, bytes_of({0x80, 0xff, 0x7f})));
  write_file(dir.file("i16"), idx(0x0B01, {2}, bytes_of({0x80, 0x00, 0x01, 0x02})));
  write_file(dir.file("i32"), idx(0x0C01, {2}, bytes_of({0xff, 0xff, 0xff, 0xfe, 0x00, 0x01, 0x00, 0x00})));
  write_file(dir.file("f32"), idx(0x0D01, {2}, bytes_of({0x3f, 0xc0, 0, 0, 0xc0, 0x20, 0, 0})));  // 1.5, -2.5
  write_file(dir.file("f64"), idx(0x0E01, {1}, bytes_of({0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18})));  // pi
  write_file(dir.file("scalar"), idx(0x0800, {}, bytes_of({42})));

  tg::Tensor u8 = tg::data::read_idx(dir.file("u8"));
  EXPECT_EQ(u8.dtype(), tg::kInt64);
  EXPECT_EQ(u8.sizes().vec(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(u8.tolist<int64_t>(), (std::vector<int64_t>{0, 1, 128, 255}));
  EXPECT_EQ(tg::data::read_idx(dir.file("i8")).tolist<int64_t>(), (std::vector<int64_t>{-128, -1, 127}));
  EXPECT_EQ(tg::data::read_idx(dir.file("i16")).tolist<int64_t>(), (std::vector<int64_t>{-32768, 258}));
  EXPECT_EQ(tg::data::read_idx(dir.file("i32")).tolist<int64_t>(), (std::vector<int64_t>{-2, 65536}));
  tg::Tensor f32 = tg::data::read_idx(dir.file("f32"));
  EXPECT_EQ(f32.dtype(), tg::kFloat32);
  EXPECT_EQ(f32.tolist<float>(), (std::vector<float>{1.5f, -2.5f}));
  tg::Tensor f64 = tg::data::read_idx(dir.file("f64"));
  EXPECT_EQ(f64.dtype(), tg::kFloat64);
  EXPECT_EQ(f64.tolist<double>(), (std::vector<double>{3.141592653589793}));
  tg::Tensor scalar = tg::data::read_idx(dir.file("scalar"));
  EXPECT_EQ(scalar.dim(), 0);
  EXPECT_EQ(scalar.item<int64_t>(), 42);
}

TEST(Idx, EmptyDatasets) {
  TempDir dir;
  write_file(dir.file("images"), idx(0x803, {0, 28, 28}, ""));
  write_file(dir.file("labels"), idx(0x801, {0}, ""));
  EXPECT_EQ(tg::data::read_idx_images(dir.file("images")).sizes().vec(), (std::vector<int64_t>{0, 28, 28}));
  EXPECT_EQ(tg::data::read_idx_labels(dir.file("labels")).numel(), 0);
}

TEST(Idx, FashionMnistTestLabels) {
  if (!fs::exists(kFashionLabels)) GTEST_SKIP() << kFashionLabels << " is absent (Debian's dataset-fashion-mnist)";
  tg::Tensor labels = tg::data::read_idx_labels(kFashionLabels);
  ASSERT_EQ(labels.sizes().vec(), (std::vector<int64_t>{10000}));
  std::vector<int64_t> count(10, 0);
  for (int64_t l : labels.tolist<int64_t>()) {
    ASSERT_GE(l, 0);
    ASSERT_LE(l, 9);
    ++count[static_cast<size_t>(l)];
  }
  for (int c = 0; c < 10; ++c) EXPECT_EQ(count[c], 1000) << c;  // the test split is balanced
}

TEST(Idx, FashionMnistTestImages) {
  if (!fs::exists(kFashionImages)) GTEST_SKIP() << kFashionImages << " is absent (Debian's dataset-fashion-mnist)";
  tg::Tensor images = tg::data::read_idx_images(kFashionImages);
  ASSERT_EQ(images.sizes().vec(), (std::vector<int64_t>{10000, 28, 28}));
  EXPECT_EQ(images.min().item<float>(), 0.0f);
  EXPECT_EQ(images.max().item<float>(), 1.0f);
}

// ---- IDX: errors ------------------------------------------------------------------------------

TEST(IdxErrors, MissingFileAndDirectory) {
  EXPECT_ERROR_WITH(tg::data::read_idx_images("/nonexistent/train-images-idx3-ubyte"),
                    "read_idx_images: cannot open '/nonexistent/train-images-idx3-ubyte': No such file or directory");
  EXPECT_ERROR_WITH(tg::data::read_idx_labels("/nonexistent/l"), "read_idx_labels: cannot open '/nonexistent/l'");
  TempDir dir;
  EXPECT_ERROR_WITH(tg::data::read_idx(dir.path()), "it is a directory");
}

TEST(IdxErrors, BadMagicNumber) {
  TempDir dir;
  write_file(dir.file("labels"), sample_labels_file());
  write_file(dir.file("images"), sample_images_file());
  EXPECT_ERROR_WITH(tg::data::read_idx_images(dir.file("labels")),
                    "'" + dir.file("labels") +
                        "' has the magic number 0x00000801 (unsigned bytes, 1 dimension), but IDX image files have "
                        "the magic number 0x00000803 (unsigned bytes, 3 dimensions)");
  EXPECT_ERROR_WITH(tg::data::read_idx_labels(dir.file("images")),
                    "has the magic number 0x00000803 (unsigned bytes, 3 dimensions), but IDX label files have the "
                    "magic number 0x00000801");
  write_file(dir.file("text"), "hello, world");
  EXPECT_ERROR_WITH(tg::data::read_idx_images(dir.file("text")),
                    "has the magic number 0x68656c6c, but IDX image files");
  EXPECT_ERROR_WITH(tg::data::read_idx(dir.file("text")), "is not an IDX file: its magic number is 0x68656c6c");
  write_file(dir.file("type"), idx(0x0A01, {1}, "x"));
  EXPECT_ERROR_WITH(tg::data::read_idx(dir.file("type")), "is not an IDX file: its magic number is 0x00000a01");
  write_file(dir.file("dims"), idx(0x0809, {1, 1, 1, 1, 1, 1, 1, 1, 1}, "x"));
  EXPECT_ERROR_WITH(tg::data::read_idx(dir.file("dims")), "has 9 dimensions, but tensorgrad supports at most 8");
}

TEST(IdxErrors, TruncatedHeader) {
  TempDir dir;
  write_file(dir.file("empty"), "");
  EXPECT_ERROR_WITH(tg::data::read_idx_images(dir.file("empty")), "is empty; expected an IDX file");
  write_file(dir.file("magic"), std::string("\0\0\x08", 3));
  EXPECT_ERROR_WITH(tg::data::read_idx_images(dir.file("magic")),
                    "is truncated: the file ends inside the 4-byte magic number");
  write_file(dir.file("sizes"), be32(0x803) + be32(10) + std::string("\0\0", 2));
  EXPECT_ERROR_WITH(tg::data::read_idx_images(dir.file("sizes")),
                    "is truncated: its header needs 16 bytes for 3 sizes but the file ends after 10");
}

TEST(IdxErrors, SizesInconsistentWithFileLength) {
  TempDir dir;
  std::string file = sample_images_file();
  write_file(dir.file("short"), file.substr(0, file.size() - 4));
  EXPECT_ERROR_WITH(tg::data::read_idx_images(dir.file("short")),
                    "is truncated: its header describes 3 x 2 x 4 unsigned bytes (24 bytes) but only 20 bytes follow "
                    "the header");
  write_file(dir.file("long"), file + "xyz");
  EXPECT_ERROR_WITH(tg::data::read_idx_images(dir.file("long")),
                    "does not match its header: the header describes 3 x 2 x 4 unsigned bytes (24 bytes) but 27 bytes "
                    "follow it");
  // A header describing 60000 images of 28 x 28 in a small file fails before allocating anything.
  write_file(dir.file("huge"), idx(0x803, {60000, 28, 28}, "abc"));
  EXPECT_ERROR_WITH(tg::data::read_idx_images(dir.file("huge")), "(47040000 bytes) but only 3 bytes follow");
  write_file(dir.file("overflow"), idx(0x803, {2000000000, 2000000000, 2000000000}, "abc"));
  EXPECT_ERROR_WITH(tg::data::read_idx_images(dir.file("overflow")),
                    "sizes 2000000000 x 2000000000 x 2000000000 describe more data than any file holds");
  write_file(dir.file("negative"), idx(0x801, {0x80000000u}, "abc"));
  EXPECT_ERROR_WITH(tg::data::read_idx_labels(dir.file("negative")),
                    "size 2147483648 of dimension 0 is negative as a big-endian int32");
}

TEST(IdxErrors, TruncatedGzip) {
  TempDir dir;
  const std::string gz = gzip_stored(sample_images_file());
  if (!tg::data::gzip_supported()) {
    write_file(dir.file("x.gz"), gz);
    EXPECT_ERROR_WITH(tg::data::read_idx_images(dir.file("x.gz")),
                      "is gzip-compressed, but this tensorgrad was built without zlib");
    GTEST_SKIP() << "tensorgrad was built without zlib";
  }
  // Every prefix of the gzip file fails with a tg::Error (a cut in the middle of the data, of the
  // CRC or of the length trailer alike).
  for (size_t len = 2; len < gz.size(); ++len) {
    write_file(dir.file("cut.gz"), gz.substr(0, len));
    EXPECT_THROW(tg::data::read_idx_images(dir.file("cut.gz")), tg::Error) << len;
  }
  write_file(dir.file("cut.gz"), gz.substr(0, gz.size() - 12));  // inside the pixels
  EXPECT_ERROR_WITH(tg::data::read_idx_images(dir.file("cut.gz")),
                    "is truncated: the gzip data ends before the end of its compressed stream");
  write_file(dir.file("cut.gz"), gz.substr(0, gz.size() - 3));  // inside the trailer
  EXPECT_ERROR_WITH(tg::data::read_idx_images(dir.file("cut.gz")), "is truncated: the gzip data ends");

  // The real deflate fixture, cut anywhere.
  const std::string deflated = read_file(fixture("labels-idx1-ubyte.gz"));
  ASSERT_GT(deflated.size(), 20u);
  for (size_t len = 2; len < deflated.size(); ++len) {
    write_file(dir.file("cut2.gz"), deflated.substr(0, len));
    EXPECT_THROW(tg::data::read_idx_labels(dir.file("cut2.gz")), tg::Error) << len;
  }
}

TEST(IdxErrors, GzipDataInconsistentWithHeader) {
  if (!tg::data::gzip_supported()) GTEST_SKIP() << "tensorgrad was built without zlib";
  TempDir dir;
  std::string file = sample_images_file();
  write_file(dir.file("short.gz"), gzip_stored(file.substr(0, file.size() - 4)));
  EXPECT_ERROR_WITH(tg::data::read_idx_images(dir.file("short.gz")),
                    "is truncated: its header describes 3 x 2 x 4 unsigned bytes (24 bytes) but the decompressed data "
                    "holds only 20 bytes after the header");
  write_file(dir.file("long.gz"), gzip_stored(file + "x"));
  EXPECT_ERROR_WITH(tg::data::read_idx_images(dir.file("long.gz")),
                    "does not match its header: the decompressed data holds more than the 3 x 2 x 4 unsigned bytes");
  write_file(dir.file("truncated_header.gz"), gzip_stored(be32(0x803) + be32(3)));
  EXPECT_ERROR_WITH(tg::data::read_idx_images(dir.file("truncated_header.gz")),
                    "is truncated: its header needs 16 bytes for 3 sizes but the decompressed data ends after 8");
  // A gzip file whose header claims 100 GB: the buffer grows only with the data that arrives.
  write_file(dir.file("claims.gz"), gzip_stored(idx(0x803, {100000, 1000, 1000}, std::string(1000, 'x'))));
  EXPECT_ERROR_WITH(tg::data::read_idx_images(dir.file("claims.gz")),
                    "(100000000000 bytes) but the decompressed data holds only 1000 bytes");
}

TEST(IdxErrors, CorruptGzip) {
  if (!tg::data::gzip_supported()) GTEST_SKIP() << "tensorgrad was built without zlib";
  TempDir dir;
  std::string gz = gzip_stored(sample_labels_file());
  std::string bad_crc = gz;
  bad_crc[bad_crc.size() - 8] ^= 0x55;
  write_file(dir.file("crc.gz"), bad_crc);
  EXPECT_ERROR_WITH(tg::data::read_idx_labels(dir.file("crc.gz")), "holds corrupt gzip data: incorrect data check");
  std::string bad_method = gz;
  bad_method[2] = 7;
  write_file(dir.file("method.gz"), bad_method);
  EXPECT_ERROR_WITH(tg::data::read_idx_labels(dir.file("method.gz")),
                    "holds corrupt gzip data: unknown compression method");
  write_file(dir.file("trailing.gz"), gz + "garbage");
  EXPECT_ERROR_WITH(tg::data::read_idx_labels(dir.file("trailing.gz")),
                    "has unexpected bytes after the end of its gzip data");
  // Flipping any single byte of a deflate-compressed file never crashes.
  const std::string deflated = read_file(fixture("images-idx3-ubyte.gz"));
  for (size_t pos = 0; pos < deflated.size(); ++pos) {
    std::string corrupt = deflated;
    corrupt[pos] = static_cast<char>(corrupt[pos] ^ 0xA5);
    write_file(dir.file("flip.gz"), corrupt);
    try {
      tg::data::read_idx_images(dir.file("flip.gz"));
    } catch (const tg::Error&) {
    }
  }
}

// ---- datasets ---------------------------------------------------------------------------------

TEST(TensorDataset, SizeAndGet) {
  tg::Tensor x = tg::arange(12, tg::kFloat32).reshape({4, 3});
  tg::Tensor y = tg::tensor({0, 1, 2, 3});
  TensorDataset ds(x, y);
  EXPECT_EQ(ds.size(), 4u);
  Example e = ds.get(2);
  EXPECT_EQ(e.data.tolist<float>(), (std::vector<float>{6, 7, 8}));
  EXPECT_EQ(e.target.dim(), 0);
  EXPECT_EQ(e.target.item<int64_t>(), 2);
  EXPECT_TRUE(ds.data().is_same(x));
  EXPECT_TRUE(ds.targets().is_same(y));
}

TEST(TensorDataset, GetBatchGathersRows) {
  tg::manual_seed(0);
  tg::Tensor x = tg::randn({10, 2, 3});
  tg::Tensor y = tg::randint(0, 5, {10});
  TensorDataset ds(x, y);
  std::vector<size_t> indices{7, 0, 7, 3};
  Example b = ds.get_batch(indices);
  tg::Tensor idx = tg::tensor({7, 0, 7, 3});
  EXPECT_TRUE(tg::equal(b.data, x.index_select(0, idx)));
  EXPECT_TRUE(tg::equal(b.target, y.index_select(0, idx)));
  EXPECT_EQ(b.data.sizes().vec(), (std::vector<int64_t>{4, 2, 3}));
  // Batches are copies: changing one leaves the dataset alone.
  b.data.zero_();
  EXPECT_FALSE(tg::equal(ds.data().index_select(0, idx), b.data));
  // An empty batch has the right trailing shape.
  EXPECT_EQ(ds.get_batch({}).data.sizes().vec(), (std::vector<int64_t>{0, 2, 3}));
}

TEST(TensorDataset, NonContiguousAndGradRequiringData) {
  tg::Tensor base = tg::arange(12, tg::kFloat32).reshape({3, 4});
  TensorDataset ds(base.t(), tg::tensor({1, 2, 3, 4}));  // data [4, 3], non-contiguous
  EXPECT_EQ(ds.get_batch({1, 3}).data.tolist<float>(), (std::vector<float>{1, 5, 9, 3, 7, 11}));

  tg::Tensor w = tg::ones({4, 2}).requires_grad_();
  TensorDataset grad_ds(w, tg::tensor({0, 1, 0, 1}));
  Example b = grad_ds.get_batch({2, 2, 0});
  ASSERT_TRUE(b.data.requires_grad());  // the batch stays in the graph
  b.data.sum().backward();
  EXPECT_EQ(w.grad().tolist<float>(), (std::vector<float>{1, 1, 0, 0, 2, 2, 0, 0}));
}

TEST(TensorDataset, Errors) {
  EXPECT_ERROR_WITH(TensorDataset(tg::zeros({10, 3}), tg::zeros({9})),
                    "TensorDataset: data and targets must have the same size in their first dimension (the number of "
                    "examples), got data of shape [10, 3] and targets of shape [9]");
  EXPECT_ERROR_WITH(TensorDataset(tg::Tensor(), tg::zeros({9})), "TensorDataset: data is undefined");
  EXPECT_ERROR_WITH(TensorDataset(tg::zeros({9}), tg::Tensor()), "TensorDataset: targets is undefined");
  EXPECT_ERROR_WITH(TensorDataset(tg::scalar_tensor(1.0), tg::zeros({1})),
                    "TensorDataset: data must have at least one dimension");
  TensorDataset ds(tg::zeros({3, 2}), tg::zeros({3}));
  EXPECT_ERROR_WITH(ds.get(3), "TensorDataset::get: index 3 is out of range for a dataset of 3 examples");
  EXPECT_ERROR_WITH(ds.get_batch({0, 5}), "TensorDataset::get_batch: index 5 is out of range for a dataset of 3");
}

namespace {
// A dataset computed on the fly; uses Dataset's default get_batch (stacking).
struct Squares : tg::data::Dataset {
  explicit Squares(size_t n) : n_(n) {}
  size_t size() const override { return n_; }
  Example get(size_t i) override {
    double x = static_cast<double>(i);
    return {tg::tensor({x, -x}), tg::tensor(x * x)};
  }
  size_t n_;
};

// A dataset without targets.
struct Unlabelled : tg::data::Dataset {
  size_t size() const override { return 5; }
  Example get(size_t i) override { return {tg::full({2}, static_cast<double>(i)), tg::Tensor()}; }
};
}  // namespace

TEST(Dataset, DefaultGetBatchStacks) {
  Squares sq(10);
  Example b = sq.get_batch({3, 1});
  EXPECT_EQ(b.data.sizes().vec(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(b.data.tolist<float>(), (std::vector<float>{3, -3, 1, -1}));
  EXPECT_EQ(b.target.tolist<float>(), (std::vector<float>{9, 1}));
  EXPECT_ERROR_WITH(sq.get_batch({}), "Dataset::get_batch: expected at least one index");

  Unlabelled u;
  Example ub = u.get_batch({4, 0});
  EXPECT_EQ(ub.data.tolist<float>(), (std::vector<float>{4, 4, 0, 0}));
  EXPECT_FALSE(ub.target.defined());
}

TEST(Dataset, MnistLayoutFromADirectory) {
  TempDir dir;
  write_file(dir.file("train-images-idx3-ubyte"), sample_images_file());
  write_file(dir.file("train-labels-idx1-ubyte.gz"), gzip_stored(idx(0x801, {3}, bytes_of({4, 5, 6}))));
  if (!tg::data::gzip_supported()) GTEST_SKIP() << "tensorgrad was built without zlib";
  tg::data::MNIST train(dir.path());
  EXPECT_TRUE(train.is_train());
  EXPECT_EQ(train.size(), 3u);
  EXPECT_EQ(train.images().sizes().vec(), (std::vector<int64_t>{3, 1, 2, 4}));
  EXPECT_EQ(train.targets().tolist<int64_t>(), (std::vector<int64_t>{4, 5, 6}));
  EXPECT_EQ(train.get(2).data.sizes().vec(), (std::vector<int64_t>{1, 2, 4}));

  EXPECT_ERROR_WITH(tg::data::MNIST(dir.path(), tg::data::MNIST::Mode::kTest),
                    "MNIST: found neither '" + dir.file("t10k-images-idx3-ubyte") + "' nor '" +
                        dir.file("t10k-images-idx3-ubyte.gz") + "'");
  write_file(dir.file("t10k-images-idx3-ubyte"), sample_images_file());
  write_file(dir.file("t10k-labels-idx1-ubyte"), sample_labels_file());
  EXPECT_ERROR_WITH(tg::data::MNIST(dir.path(), tg::data::MNIST::Mode::kTest), "holds 3 images but '");
}

TEST(Dataset, FashionMnistTestSplit) {
  if (!fs::exists(kFashionImages) || !fs::exists(kFashionLabels)) GTEST_SKIP() << "Fashion-MNIST is not installed";
  tg::data::MNIST test(fs::path(kFashionImages).parent_path().string(), tg::data::MNIST::Mode::kTest);
  EXPECT_FALSE(test.is_train());
  EXPECT_EQ(test.size(), 10000u);
  EXPECT_EQ(test.images().sizes().vec(), (std::vector<int64_t>{10000, 1, 28, 28}));
}

// ---- DataLoader -------------------------------------------------------------------------------

namespace {
TensorDataset numbered(int64_t n) {
  // data[i] = [i, i], target[i] = i
  tg::Tensor t = tg::arange(n, tg::TensorOptions(tg::kInt64));
  return TensorDataset(tg::stack({t, t}, 1), t);
}

std::vector<int64_t> visit(DataLoader& loader) {
  std::vector<int64_t> seen;
  for (const Example& batch : loader) {
    std::vector<int64_t> t = batch.target.tolist<int64_t>();
    seen.insert(seen.end(), t.begin(), t.end());
  }
  return seen;
}
}  // namespace

TEST(DataLoader, SequentialBatchesAndShortLastBatch) {
  DataLoader loader(numbered(10), DataLoaderOptions().batch_size(4));
  EXPECT_EQ(loader.size(), 3u);
  std::vector<std::vector<int64_t>> batches;
  for (const Example& b : loader) {
    EXPECT_EQ(b.data.dim(), 2);
    EXPECT_EQ(b.data.size(0), b.target.size(0));
    EXPECT_TRUE(tg::equal(b.data.select(1, 0), b.target));
    batches.push_back(b.target.tolist<int64_t>());
  }
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0], (std::vector<int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(batches[1], (std::vector<int64_t>{4, 5, 6, 7}));
  EXPECT_EQ(batches[2], (std::vector<int64_t>{8, 9}));  // short final batch
  // A second pass gives the same batches.
  EXPECT_EQ(visit(loader), (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(DataLoader, DropLast) {
  DataLoader loader(numbered(10), DataLoaderOptions(4).drop_last(true));
  EXPECT_EQ(loader.size(), 2u);
  size_t count = 0;
  for (const Example& b : loader) {
    EXPECT_EQ(b.data.size(0), 4);
    ++count;
  }
  EXPECT_EQ(count, 2u);
  EXPECT_EQ(visit(loader).size(), 8u);
}

TEST(DataLoader, SizeIsTheNumberOfBatches) {
  struct Case {
    int64_t n, batch;
    bool drop_last;
    size_t expected;
  };
  for (Case c : {Case{10, 3, false, 4}, Case{10, 3, true, 3}, Case{9, 3, false, 3}, Case{9, 3, true, 3},
                 Case{2, 5, false, 1}, Case{2, 5, true, 0}, Case{1, 1, false, 1}, Case{7, 7, true, 1}}) {
    DataLoader loader(numbered(c.n), DataLoaderOptions().batch_size(c.batch).drop_last(c.drop_last));
    EXPECT_EQ(loader.size(), c.expected) << c.n << " " << c.batch << " " << c.drop_last;
    size_t count = 0;
    for (auto it = loader.begin(); it != loader.end(); ++it) ++count;
    EXPECT_EQ(count, c.expected);
  }
}

TEST(DataLoader, EmptyDataset) {
  DataLoader loader(TensorDataset(tg::zeros({0, 3}), tg::zeros({0})), DataLoaderOptions(8).shuffle(true).seed(1));
  EXPECT_EQ(loader.size(), 0u);
  EXPECT_TRUE(visit(loader).empty());
}

TEST(DataLoader, SeededShufflingIsAPermutationReproducibleAndNewEachEpoch) {
  const int64_t n = 100;
  auto options = DataLoaderOptions().batch_size(16).shuffle(true).seed(42);
  DataLoader a(numbered(n), options);
  DataLoader b(numbered(n), options);
  std::vector<int64_t> a1 = visit(a), a2 = visit(a), b1 = visit(b), b2 = visit(b);
  std::vector<int64_t> sorted = a1;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int64_t> identity(n);
  std::iota(identity.begin(), identity.end(), 0);
  EXPECT_EQ(sorted, identity);  // every example exactly once
  EXPECT_NE(a1, identity);      // shuffled
  EXPECT_NE(a1, a2);            // a new permutation for the second epoch
  EXPECT_EQ(a1, b1);            // the same seed, the same epochs
  EXPECT_EQ(a2, b2);
  std::sort(a2.begin(), a2.end());
  EXPECT_EQ(a2, identity);

  DataLoader c(numbered(n), DataLoaderOptions().batch_size(16).shuffle(true).seed(43));
  EXPECT_NE(visit(c), a1);  // another seed, another order

  // The batch data follows the order: data[k] = [i, i] for target i.
  for (const Example& batch : a) EXPECT_TRUE(tg::equal(batch.data.select(1, 1), batch.target));
  EXPECT_EQ(a.order().size(), static_cast<size_t>(n));
}

TEST(DataLoader, ShuffleWithoutSeedFollowsManualSeed) {
  DataLoader loader(numbered(50), DataLoaderOptions(8).shuffle(true));
  tg::manual_seed(7);
  std::vector<int64_t> first = visit(loader);
  tg::manual_seed(7);
  EXPECT_EQ(visit(loader), first);
  std::vector<int64_t> sorted = first;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::set<int64_t>(sorted.begin(), sorted.end()).size(), 50u);
}

TEST(DataLoader, DropLastWithShuffleDropsADifferentRemainder) {
  DataLoader loader(numbered(10), DataLoaderOptions(3).shuffle(true).seed(3).drop_last(true));
  std::set<int64_t> seen;
  for (int epoch = 0; epoch < 20; ++epoch) {
    std::vector<int64_t> v = visit(loader);
    EXPECT_EQ(v.size(), 9u);
    seen.insert(v.begin(), v.end());
  }
  EXPECT_EQ(seen.size(), 10u);  // over epochs, every example is used
}

TEST(DataLoader, SharedDatasetAndCustomDataset) {
  auto shared = std::make_shared<Squares>(5);
  DataLoader loader(shared, DataLoaderOptions(2));
  std::vector<float> targets;
  for (const Example& b : loader) {
    EXPECT_EQ(b.data.dim(), 2);
    for (float t : b.target.tolist<float>()) targets.push_back(t);
  }
  EXPECT_EQ(targets, (std::vector<float>{0, 1, 4, 9, 16}));
  EXPECT_EQ(&loader.dataset(), shared.get());
  // Iterator member access and batch().
  auto it = loader.begin();
  EXPECT_EQ(it->data.size(0), 2);
  EXPECT_EQ(loader.batch(2).target.tolist<float>(), (std::vector<float>{16}));
}

TEST(DataLoader, TrainsALinearModel) {
  // End to end: a loader feeding gradient descent on y = 2 x0 - x1 + 0.5.
  tg::manual_seed(0);
  tg::Tensor x = tg::randn({256, 2});
  tg::Tensor y = x.select(1, 0) * 2 - x.select(1, 1) + 0.5;
  DataLoader loader(TensorDataset(x, y), DataLoaderOptions(32).shuffle(true).seed(0));
  tg::Tensor w = tg::zeros({2}).requires_grad_();
  tg::Tensor b = tg::zeros({1}).requires_grad_();
  for (int epoch = 0; epoch < 30; ++epoch) {
    for (const Example& batch : loader) {
      tg::Tensor pred = tg::matmul(batch.data, w) + b;
      tg::Tensor loss = tg::mse_loss(pred, batch.target);
      loss.backward();
      {
        tg::NoGradGuard ng;
        w.sub_(w.grad() * 0.1);
        b.sub_(b.grad() * 0.1);
      }
      w.mutable_grad() = tg::Tensor();
      b.mutable_grad() = tg::Tensor();
    }
  }
  std::vector<float> wv = w.tolist<float>();
  EXPECT_NEAR(wv[0], 2.0f, 1e-3);
  EXPECT_NEAR(wv[1], -1.0f, 1e-3);
  EXPECT_NEAR(b.item<float>(), 0.5f, 1e-3);
}

TEST(DataLoader, Errors) {
  EXPECT_ERROR_WITH(DataLoader(numbered(4), DataLoaderOptions().batch_size(0)),
                    "DataLoader: batch_size must be positive, got 0");
  EXPECT_ERROR_WITH(DataLoader(numbered(4), DataLoaderOptions(-3)), "DataLoader: batch_size must be positive, got -3");
  EXPECT_ERROR_WITH(DataLoader(std::shared_ptr<tg::data::Dataset>(), DataLoaderOptions(2)),
                    "DataLoader: the dataset is null");
  DataLoader loader(numbered(4), DataLoaderOptions(2));
  EXPECT_ERROR_WITH(loader.batch(0), "DataLoader::batch: no pass has started; call begin() first");
  loader.begin();
  EXPECT_ERROR_WITH(loader.batch(2), "DataLoader::batch: batch 2 is out of range for a loader of 2 batches");
  DataLoader::Iterator singular;
  EXPECT_ERROR_WITH((void)*singular, "DataLoader::Iterator: dereferencing an end iterator");
}
