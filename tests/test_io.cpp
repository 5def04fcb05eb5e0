// safetensors: the file written by Python's safetensors loads here, round trips of every dtype,
// byte-exact output against the format's specification, and every malformed-file error.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "tensorgrad/io/safetensors.h"
#include "tensorgrad/tensorgrad.h"

namespace {

namespace fs = std::filesystem;

// A file written by another implementation (tests/fixtures/io/README.md).
std::string peer_fixture(const std::string& name) { return std::string(TG_FIXTURE_DIR) + "/io/" + name; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A fresh directory for a test's files, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() / (std::string("tg_test_io_") + std::to_string(::getpid()) + "_" +
                                         info->test_suite_name() + "_" + info->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

std::string le64(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[i] = static_cast<char>(v >> (8 * i));
  return s;
}

// A safetensors file from a JSON header (padded with spaces to a multiple of 8) and a data buffer.
std::string make_file(std::string json, const std::string& data) {
  json.append((8 - json.size() % 8) % 8, ' ');
  return le64(json.size()) + json + data;
}

template <typename T> std::string raw_bytes(std::initializer_list<T> values) {
  std::string s;
  for (T v : values) s.append(reinterpret_cast<const char*>(&v), sizeof v);  // the test host is little-endian
  return s;
}

// Expects deserialize_tensors(bytes) to throw a tg::Error whose message contains `substring`.
void expect_load_error(const std::string& bytes, const std::string& substring) {
  try {
    tg::deserialize_tensors(bytes);
    ADD_FAILURE() << "expected a tg::Error containing \"" << substring << "\"";
  } catch (const tg::Error& e) {
    EXPECT_NE(std::string(e.what()).find(substring), std::string::npos)
        << "message: " << e.what() << "\nexpected to contain: " << substring;
  }
}

#define EXPECT_ERROR_WITH(stmt, substring)                                                            \
  do {                                                                                                \
    try {                                                                                             \
      stmt;                                                                                           \
      ADD_FAILURE() << "expected a tg::Error containing \"" << (substring) << "\"";                   \
    } catch (const tg::Error& e) {                                                                    \
      EXPECT_NE(std::string(e.what()).find(substring), std::string::npos) << "message: " << e.what(); \
    }                                                                                                 \
  } while (0)

// A valid file with one F32 tensor "a" [2] = {1, 2}, to corrupt piece by piece.
const char* kOneTensorJson = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";

}  // namespace

// ---- files written by Python's safetensors ---------------------------------------------------

TEST(Safetensors, LoadsFileWrittenByPythonSafetensors) {
  tg::MetadataMap metadata;
  tg::TensorMap t = tg::load_tensors(peer_fixture("pytorch_written.safetensors"), &metadata);
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(metadata, (tg::MetadataMap{{"format", "pt"}}));

  const tg::Tensor& w = t.at("fc1.weight");
  EXPECT_EQ(w.dtype(), tg::kFloat32);
  EXPECT_EQ(w.sizes().vec(), (std::vector<int64_t>{2, 3}));
  std::vector<float> wv = w.tolist<float>();
  for (int i = 0; i < 6; ++i) EXPECT_EQ(wv[i], static_cast<float>(i) / 7.0f) << i;  // arange(6) / 7 in float32

  const tg::Tensor& b = t.at("fc1.bias");
  EXPECT_EQ(b.dtype(), tg::kFloat32);
  EXPECT_EQ(b.sizes().vec(), (std::vector<int64_t>{2}));
  EXPECT_EQ(b.tolist<float>(), (std::vector<float>{0.5f, -0.25f}));

  const tg::Tensor& steps = t.at("steps");
  EXPECT_EQ(steps.dtype(), tg::kInt64);
  EXPECT_EQ(steps.sizes().vec(), (std::vector<int64_t>{3}));
  EXPECT_EQ(steps.tolist<int64_t>(), (std::vector<int64_t>{1, 2, 3}));

  const tg::Tensor& scale = t.at("scale");
  EXPECT_EQ(scale.dtype(), tg::kFloat64);
  EXPECT_EQ(scale.sizes().vec(), (std::vector<int64_t>{5}));
  EXPECT_EQ(scale.tolist<double>(), (std::vector<double>{-1.0, -0.5, 0.0, 0.5, 1.0}));
  for (const auto& kv : t) {
    EXPECT_FALSE(kv.second.requires_grad());
    EXPECT_TRUE(kv.second.is_leaf());
  }
}

TEST(Safetensors, WritesTheSameBytesAsPythonSafetensors) {
  // The same tensors and metadata as the fixture: Python's writer and ours agree byte for byte
  // (same tensor order, compact JSON, padding; Note [Tensor order]).
  std::vector<float> w(6);
  for (int i = 0; i < 6; ++i) w[i] = static_cast<float>(i) / 7.0f;
  tg::TensorMap t{{"fc1.weight", tg::tensor(w).reshape({2, 3})},
                  {"fc1.bias", tg::tensor({0.5, -0.25})},
                  {"steps", tg::tensor({1, 2, 3})},
                  {"scale", tg::linspace(-1, 1, 5, tg::kFloat64)}};
  EXPECT_EQ(tg::serialize_tensors(t), read_file(peer_fixture("pytorch_written.safetensors")));
}

// ---- the format, to the byte --------------------------------------------------------------

TEST(Safetensors, ByteExactAgainstTheSpecification) {
  tg::TensorMap t{{"w", tg::tensor({{1.0, 2.0}, {3.0, 4.0}})},  // F32 [2, 2]
                  {"b", tg::tensor({0.5}, tg::kFloat64)},       // F64 [1]
                  {"n", tg::tensor({-1, 7})},                   // I64 [2]
                  {"m", tg::tensor({true, false, true})},       // BOOL [3]
                  {"s", tg::scalar_tensor(2.5)}};               // F32 []
  // Order: I64, F64, F32 (by name: s, w), BOOL; offsets contiguous from 0.
  std::string json = R"({"__metadata__":{"format":"pt"},)"
                     R"("n":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},)"
                     R"("b":{"dtype":"F64","shape":[1],"data_offsets":[16,24]},)"
                     R"("s":{"dtype":"F32","shape":[],"data_offsets":[24,28]},)"
                     R"("w":{"dtype":"F32","shape":[2,2],"data_offsets":[28,44]},)"
                     R"("m":{"dtype":"BOOL","shape":[3],"data_offsets":[44,47]}})";
  ASSERT_EQ(json.size(), 308u);
  std::string header = json + std::string(4, ' ');  // padded to 312, a multiple of 8
  std::string expected;
  expected += std::string("\x38\x01\0\0\0\0\0\0", 8);  // 312 = 0x138, little-endian u64
  expected += header;
  expected += raw_bytes<int64_t>({-1, 7});
  expected += raw_bytes<double>({0.5});
  expected += raw_bytes<float>({2.5f});
  expected += raw_bytes<float>({1.0f, 2.0f, 3.0f, 4.0f});
  expected += std::string("\x01\x00\x01", 3);
  EXPECT_EQ(tg::serialize_tensors(t), expected);

  // The file functions write and read the same bytes.
  TempDir dir;
  tg::save_tensors(t, dir.file("spec.safetensors"));
  EXPECT_EQ(read_file(dir.file("spec.safetensors")), expected);
}

TEST(Safetensors, MetadataIsWrittenAndRead) {
  tg::TensorMap t{{"x", tg::ones({1})}};
  std::string bytes = tg::serialize_tensors(t, {{"epoch", "3"}, {"note", "a \"quoted\"\nline"}});
  EXPECT_NE(bytes.find(R"({"__metadata__":{"epoch":"3","format":"pt","note":"a \"quoted\"\nline"},)"),
            std::string::npos);
  tg::MetadataMap md;
  tg::deserialize_tensors(bytes, &md);
  EXPECT_EQ(md, (tg::MetadataMap{{"epoch", "3"}, {"format", "pt"}, {"note", "a \"quoted\"\nline"}}));
  // The caller's "format" wins over the default.
  tg::deserialize_tensors(tg::serialize_tensors(t, {{"format", "np"}}), &md);
  EXPECT_EQ(md.at("format"), "np");
  // A file without __metadata__ gives empty metadata.
  tg::deserialize_tensors(make_file(kOneTensorJson, raw_bytes<float>({1, 2})), &md);
  EXPECT_TRUE(md.empty());
}

TEST(Safetensors, HeaderIsPaddedToAMultipleOfEight) {
  for (const std::string name : {"a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh"}) {
    std::string bytes = tg::serialize_tensors({{name, tg::zeros({1})}});
    uint64_t n = 0;
    std::memcpy(&n, bytes.data(), 8);
    EXPECT_EQ(n % 8, 0u) << name;
    EXPECT_EQ(bytes.size(), 8 + n + 4);
    EXPECT_EQ(bytes[8], '{');
    std::string header = bytes.substr(8, n);
    EXPECT_EQ(header.back() == ' ' || header.back() == '}', true);
  }
}

// ---- round trips --------------------------------------------------------------------------

TEST(Safetensors, SixteenBitAndNarrowIntegerDtypesByteExact) {
  // bfloat16 and float16 checkpoints, int32 / int16 / int8 / uint8 buffers: the bits as stored.
  tg::TensorMap t{{"bf", tg::tensor({1.0, -2.5}).to(tg::kBFloat16)},  // BF16: 0x3F80, 0xC020
                  {"h", tg::tensor({0.5, 65504.0}).to(tg::kHalf)},    // F16: 0x3800, 0x7BFF
                  {"i32", tg::tensor({-2, 70000}).to(tg::kInt32)},
                  {"i16", tg::tensor({-300}).to(tg::kInt16)},
                  {"i8", tg::tensor({-1, 5}).to(tg::kInt8)},
                  {"u8", tg::tensor({255, 0, 7}).to(tg::kUInt8)}};
  // Order, as Python's safetensors: I32, BF16, F16, I16, I8, U8.
  std::string json = R"({"i32":{"dtype":"I32","shape":[2],"data_offsets":[0,8]},)"
                     R"("bf":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]},)"
                     R"("h":{"dtype":"F16","shape":[2],"data_offsets":[12,16]},)"
                     R"("i16":{"dtype":"I16","shape":[1],"data_offsets":[16,18]},)"
                     R"("i8":{"dtype":"I8","shape":[2],"data_offsets":[18,20]},)"
                     R"("u8":{"dtype":"U8","shape":[3],"data_offsets":[20,23]}})";
  std::string data = raw_bytes<int32_t>({-2, 70000}) + raw_bytes<uint16_t>({0x3F80, 0xC020}) +
                     raw_bytes<uint16_t>({0x3800, 0x7BFF}) + raw_bytes<int16_t>({-300}) +
                     raw_bytes<int8_t>({-1, 5}) + raw_bytes<uint8_t>({255, 0, 7});
  const std::string expected = make_file(json, data);
  std::string written = tg::serialize_tensors(t);
  // the writer adds the "__metadata__" entry Python's safetensors adds; compare after it
  EXPECT_EQ(tg::deserialize_tensors(expected).size(), t.size());
  tg::TensorMap back = tg::deserialize_tensors(expected);
  for (const auto& [name, original] : t) {
    EXPECT_EQ(back.at(name).dtype(), original.dtype()) << name;
    EXPECT_TRUE(tg::equal(back.at(name), original)) << name;
  }
  EXPECT_NE(written.find(json.substr(1)), std::string::npos) << written.substr(8, 400);
  EXPECT_EQ(written.substr(written.size() - data.size()), data);
  EXPECT_EQ(tg::serialize_tensors(tg::deserialize_tensors(written)), written);
}

TEST(Safetensors, RoundTripAllDtypesScalarsAndEmptyTensors) {
  tg::manual_seed(1);
  tg::TensorMap t{
      {"f32", tg::randn({3, 4})},
      {"f64", tg::randn({2, 3, 2}, tg::kFloat64)},
      {"i64",
       tg::tensor(std::vector<int64_t>{std::numeric_limits<int64_t>::min(), 0, std::numeric_limits<int64_t>::max()})},
      {"bool", tg::tensor({{true, false}, {false, true}})},
      {"scalar_f32", tg::scalar_tensor(3.25)},
      {"scalar_f64", tg::scalar_tensor(-1e300, tg::kFloat64)},
      {"scalar_i64", tg::scalar_tensor(42, tg::kInt64)},
      {"scalar_bool", tg::scalar_tensor(true, tg::kBool)},
      {"empty_f32", tg::zeros({0})},
      {"empty_f64", tg::zeros({2, 0, 3}, tg::kFloat64)},
      {"empty_i64", tg::zeros({0, 5}, tg::kInt64)},
      {"empty_bool", tg::zeros({0}, tg::kBool)},
      {"special", tg::tensor({std::numeric_limits<double>::infinity(), -0.0, 1e-40})},
      {u8"unicode name \u00e9\u4e2d \"q\" \\ \t", tg::ones({2})},
  };
  std::string bytes = tg::serialize_tensors(t);
  tg::TensorMap back = tg::deserialize_tensors(bytes);
  ASSERT_EQ(back.size(), t.size());
  for (const auto& [name, original] : t) {
    ASSERT_TRUE(back.count(name)) << name;
    const tg::Tensor& r = back.at(name);
    EXPECT_EQ(r.dtype(), original.dtype()) << name;
    EXPECT_EQ(r.sizes().vec(), original.sizes().vec()) << name;
    EXPECT_TRUE(tg::equal(r, original)) << name;
    // (tensors without elements are excluded: tg reports [2, 0, 3] as non-contiguous)
    if (r.numel() > 0) {
      EXPECT_TRUE(r.is_contiguous()) << name;
    }
  }
  // -0.0 and a float32 denormal survive bit for bit.
  std::vector<float> special = back.at("special").tolist<float>();
  EXPECT_TRUE(std::signbit(special[1]));
  EXPECT_EQ(special[2], 1e-40f);
  // Writing what was read gives the same bytes.
  EXPECT_EQ(tg::serialize_tensors(back), bytes);

  TempDir dir;
  tg::save_tensors(t, dir.file("all.safetensors"));
  tg::TensorMap from_file = tg::load_tensors(dir.file("all.safetensors"));
  for (const auto& [name, original] : t) EXPECT_TRUE(tg::equal(from_file.at(name), original)) << name;
}

TEST(Safetensors, NanRoundTrips) {
  tg::Tensor x = tg::tensor({std::nan(""), 1.0}, tg::kFloat64);
  tg::Tensor r = tg::deserialize_tensors(tg::serialize_tensors({{"x", x}})).at("x");
  EXPECT_TRUE(std::isnan(r.tolist<double>()[0]));
  EXPECT_EQ(r.tolist<double>()[1], 1.0);
}

TEST(Safetensors, NonContiguousTensorsAreWrittenRowMajor) {
  tg::Tensor a = tg::arange(6, tg::kFloat32).reshape({2, 3});
  tg::Tensor at = a.t();  // [3, 2], non-contiguous
  ASSERT_FALSE(at.is_contiguous());
  tg::Tensor col = a.select(1, 1);                       // [2], stride 3
  tg::Tensor bcast = tg::tensor({1, 2}).expand({3, 2});  // stride 0
  tg::TensorMap back = tg::deserialize_tensors(tg::serialize_tensors({{"at", at}, {"col", col}, {"bcast", bcast}}));
  EXPECT_EQ(back.at("at").sizes().vec(), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(back.at("at").tolist<float>(), (std::vector<float>{0, 3, 1, 4, 2, 5}));
  EXPECT_EQ(back.at("col").tolist<float>(), (std::vector<float>{1, 4}));
  EXPECT_EQ(back.at("bcast").tolist<int64_t>(), (std::vector<int64_t>{1, 2, 1, 2, 1, 2}));
  // The same bytes as the contiguous copy.
  EXPECT_EQ(tg::serialize_tensors({{"at", at}}), tg::serialize_tensors({{"at", at.contiguous()}}));
}

TEST(Safetensors, TensorsThatRequireGradAreSavedByValue) {
  tg::Tensor w = tg::tensor({1.0, 2.0}).requires_grad_();
  tg::Tensor y = w * 3;  // a non-leaf with a grad_fn
  tg::TensorMap back = tg::deserialize_tensors(tg::serialize_tensors({{"w", w}, {"y", y}}));
  EXPECT_FALSE(back.at("w").requires_grad());
  EXPECT_FALSE(back.at("y").requires_grad());
  EXPECT_EQ(back.at("y").tolist<float>(), (std::vector<float>{3, 6}));
  EXPECT_TRUE(w.requires_grad());  // the original is untouched
}

TEST(Safetensors, EmptyMapRoundTrips) {
  std::string bytes = tg::serialize_tensors({});
  EXPECT_EQ(bytes, le64(32) + R"({"__metadata__":{"format":"pt"}})");
  EXPECT_TRUE(tg::deserialize_tensors(bytes).empty());
  EXPECT_TRUE(tg::deserialize_tensors(make_file("{}", "")).empty());
}

TEST(Safetensors, SaveReplacesAnExistingFile) {
  TempDir dir;
  const std::string path = dir.file("m.safetensors");
  tg::save_tensors({{"a", tg::ones({100})}}, path);
  tg::save_tensors({{"b", tg::zeros({1})}}, path);
  tg::TensorMap t = tg::load_tensors(path);
  EXPECT_EQ(t.size(), 1u);
  EXPECT_TRUE(t.count("b"));
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(path).parent_path())) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1u);  // no temporary left behind
}

TEST(Safetensors, ReaderAcceptsValidVariations) {
  // Whitespace between tokens, escapes, extra keys, any key order, tensors in any order in the
  // header, and data stored in an order different from the header's.
  std::string json =
      "{ \"b\" : { \"shape\" : [ 1 ] , \"data_offsets\" : [ 8 , 12 ], \"dtype\" : \"F32\", \"extra\": "
      "{\"x\": [1, -2.5e3, true, false, null, \"s\"]} },\n\t\"\\u0061\\/\\u00e9\\ud83d\\ude00\": {\"dtype\":\"I64\", "
      "\"shape\":[], \"data_offsets\":[0,8]}, \"__metadata__\": {\"k\": \"v\"}}";
  tg::MetadataMap md;
  tg::TensorMap t = tg::deserialize_tensors(make_file(json, raw_bytes<int64_t>({5}) + raw_bytes<float>({1.5f})), &md);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t.at("b").tolist<float>(), (std::vector<float>{1.5f}));
  EXPECT_EQ(t.at(u8"a/\u00e9\U0001F600").item<int64_t>(), 5);
  EXPECT_EQ(md.at("k"), "v");
}

// ---- malformed files ------------------------------------------------------------------------

TEST(SafetensorsErrors, MissingFile) {
  EXPECT_ERROR_WITH(tg::load_tensors("/nonexistent/dir/x.safetensors"),
                    "load_tensors: cannot open '/nonexistent/dir/x.safetensors'");
  TempDir dir;
  EXPECT_ERROR_WITH(tg::load_tensors(dir.file("")), "is a directory");
}

TEST(SafetensorsErrors, TruncatedHeaderLength) {
  expect_load_error("", "is truncated: it has 0 bytes, fewer than the 8 bytes of the header length");
  expect_load_error(std::string("\x10\0\0", 3), "is truncated: it has 3 bytes");
  TempDir dir;
  write_file(dir.file("short"), std::string("\x10\0\0\0\0", 5));
  EXPECT_ERROR_WITH(tg::load_tensors(dir.file("short")),
                    "load_tensors: file '" + dir.file("short") + "' is truncated: it has 5 bytes");
}

TEST(SafetensorsErrors, HeaderLengthLargerThanFile) {
  expect_load_error(le64(1024) + "{\"a\":1}     ", "is truncated: header says 1024 bytes but only 12 follow");
  TempDir dir;
  write_file(dir.file("x"), le64(1024) + "{\"a\":1}     ");
  EXPECT_ERROR_WITH(tg::load_tensors(dir.file("x")), "load_tensors: file '" + dir.file("x") +
                                                         "' is truncated: header says 1024 bytes but only 12 follow");
}

TEST(SafetensorsErrors, HeaderLengthAboveTheMaximum) {
  // Rejected before anything of that size is allocated.
  expect_load_error(le64(~uint64_t(0)) + "{}", "header length 18446744073709551615 exceeds the maximum of 100000000");
  expect_load_error(le64(100'000'001) + "{}", "exceeds the maximum of 100000000 bytes");
}

TEST(SafetensorsErrors, InvalidJson) {
  const std::string data = raw_bytes<float>({1, 2});
  expect_load_error(make_file("", data), "the JSON header must begin with '{'");
  expect_load_error(make_file("[1, 2]", data), "the JSON header must begin with '{'");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})", data),
                    "invalid JSON header: expected ',' or '}' but found the end of the header");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},})", data),
                    "invalid JSON header: expected a string but found '}'");
  expect_load_error(make_file(R"({"a":{"dtype":"F32" "shape":[2],"data_offsets":[0,8]}})", data),
                    "expected ',' or '}' but found '\"' at byte 20");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}x)", data),
                    "unexpected 'x' after the JSON object");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[02],"data_offsets":[0,8]}})", data),
                    "a number with a leading zero");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}})", data),
                    "expected an integer but found a number with a fraction or exponent");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,8]}})", data),
                    "an integer too large for 64 bits");
  expect_load_error(make_file(R"({"a\q":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", data),
                    "invalid escape sequence '\\q'");
  expect_load_error(make_file(R"({"\ud800":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", data),
                    "unpaired UTF-16 surrogate");
  expect_load_error(make_file(std::string("{\"a\tb\":{}}"), data), "unescaped control character 0x09");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":tru}})", data),
                    "expected a JSON value but found 't'");
  expect_load_error(make_file("{\"a\xff\":{}}", data), "it is not valid UTF-8 (at byte 3 of the JSON header)");
  expect_load_error(make_file("{\"\xc0\xaf\":{}}", data), "not valid UTF-8");  // an overlong '/'
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}, "b)", data),
                    "unterminated string");
  // Deep nesting under an ignored key is bounded, not a stack overflow.
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":)" +
                                  std::string(100000, '[') + std::string(100000, ']') + "}}",
                              data),
                    "values nested too deeply");
}

TEST(SafetensorsErrors, WrongDtypeStrings) {
  const std::string data = raw_bytes<float>({1, 2});
  expect_load_error(make_file(R"({"u":{"dtype":"U16","shape":[4],"data_offsets":[0,8]}})", data),
                    "tensor 'u' has dtype U16, which tensorgrad does not support (it reads F64, F32, F16, BF16, "
                    "I64, I32, I16, I8, U8 and BOOL)");
  expect_load_error(make_file(R"({"f8":{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}})", data),
                    "tensor 'f8' has dtype F8_E4M3, which tensorgrad does not support");
  expect_load_error(make_file(R"({"u":{"dtype":"U32","shape":[2],"data_offsets":[0,8]}})", data),
                    "tensor 'u' has dtype U32, which tensorgrad does not support");
  expect_load_error(make_file(R"({"c":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}})", data),
                    "tensor 'c' has dtype C64, which tensorgrad does not support");
  expect_load_error(make_file(R"({"a":{"dtype":"float32","shape":[2],"data_offsets":[0,8]}})", data),
                    "tensor 'a' has an unknown dtype \"float32\"");
  expect_load_error(make_file(R"({"a":{"dtype":32,"shape":[2],"data_offsets":[0,8]}})", data),
                    "the \"dtype\" of tensor 'a' must be a string but found '3'");
}

TEST(SafetensorsErrors, MalformedEntries) {
  const std::string data = raw_bytes<float>({1, 2});
  expect_load_error(make_file(R"({"a":{"shape":[2],"data_offsets":[0,8]}})", data),
                    "the entry of tensor 'a' has no \"dtype\"");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","data_offsets":[0,8]}})", data),
                    "the entry of tensor 'a' has no \"shape\"");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[2]}})", data),
                    "the entry of tensor 'a' has no \"data_offsets\"");
  expect_load_error(make_file(R"({"a":[1,2]})", data), "the entry of tensor 'a' must be an object but found '['");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":2,"data_offsets":[0,8]}})", data),
                    "the \"shape\" of tensor 'a' must be an array of integers");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4,8]}})", data),
                    "the \"data_offsets\" of tensor 'a' must be [begin, end], not 3 integers");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}})", data),
                    "tensor 'a' has a duplicate \"dtype\"");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", data),
                    "tensor 'a' has a negative dimension in its shape [-2]");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[1,1,1,1,1,1,1,1,2],"data_offsets":[0,8]}})", data),
                    "tensor 'a' has 9 dimensions, but tensorgrad supports at most 8");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", data),
                    "tensor 'a' has invalid data_offsets [8, 0]");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}})", data),
                    "tensor 'a' has invalid data_offsets [-8, 0]");
}

TEST(SafetensorsErrors, DuplicateNames) {
  const std::string data = raw_bytes<float>({1, 2});
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                              R"("a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                              data),
                    "duplicate tensor name 'a'");
  expect_load_error(make_file(R"({"__metadata__":{},"__metadata__":{},)"
                              R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                              data),
                    "duplicate \"__metadata__\"");
  expect_load_error(make_file(R"({"__metadata__":{"k":"1","k":"2"},)"
                              R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                              data),
                    "duplicate \"__metadata__\" key 'k'");
}

TEST(SafetensorsErrors, BadMetadata) {
  const std::string data = raw_bytes<float>({1, 2});
  expect_load_error(
      make_file(R"({"__metadata__":{"epoch":3},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", data),
      "the \"__metadata__\" value of 'epoch' must be a string but found '3'");
  expect_load_error(make_file(R"({"__metadata__":[],"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", data),
                    "\"__metadata__\" must be an object but found '['");
}

TEST(SafetensorsErrors, OffsetsOutOfRange) {
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", raw_bytes<float>({1})),
                    "tensor 'a' has data_offsets [0, 8] outside the data buffer, which holds 4 bytes");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[4000000000000,4000000000008]}})",
                              raw_bytes<float>({1, 2})),
                    "outside the data buffer, which holds 8 bytes");
}

TEST(SafetensorsErrors, SizeMismatch) {
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", raw_bytes<float>({1, 2})),
                    "tensor 'a' of dtype F32 and shape [3] needs 12 bytes, but its data_offsets [0, 8] span 8 bytes");
  expect_load_error(make_file(R"({"a":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}})", raw_bytes<float>({1, 2})),
                    "tensor 'a' of dtype F64 and shape [2] needs 16 bytes");
}

TEST(SafetensorsErrors, OverlappingOffsets) {
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                              R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                              raw_bytes<float>({1, 2, 3})),
                    "the data of tensors 'a' [0, 8] and 'b' [4, 12] overlap");
  // The same bytes shared by two tensors also overlap.
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                              R"("b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                              raw_bytes<float>({1, 2})),
                    "overlap");
}

TEST(SafetensorsErrors, GapsAndTrailingBytes) {
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", raw_bytes<float>({1, 2})),
                    "bytes [0, 4) of the data buffer belong to no tensor");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                              R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})",
                              raw_bytes<float>({1, 2, 3})),
                    "bytes [4, 8) of the data buffer belong to no tensor");
  expect_load_error(make_file(kOneTensorJson, raw_bytes<float>({1, 2, 3})),
                    "the data buffer holds 12 bytes but the tensors cover only the first 8");
}

TEST(SafetensorsErrors, HugeShape) {
  // Shapes whose byte size is enormous or overflows are rejected without allocating.
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[1000000,1000000,1000000],"data_offsets":[0,8]}})",
                              raw_bytes<float>({1, 2})),
                    "tensor 'a' of dtype F32 and shape [1000000, 1000000, 1000000] needs 4000000000000000000 bytes");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})",
                              raw_bytes<float>({1, 2})),
                    "tensor 'a' has a shape [4294967296, 4294967296] whose number of elements overflows 64 bits");
  expect_load_error(make_file(R"({"a":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,8]}})",
                              raw_bytes<float>({1, 2})),
                    "its size in bytes overflows 64 bits");
  expect_load_error(make_file(R"({"a":{"dtype":"F32","shape":[1000000000],"data_offsets":[0,4000000000]}})",
                              raw_bytes<float>({1, 2})),
                    "outside the data buffer, which holds 8 bytes");
}

TEST(SafetensorsErrors, InvalidBoolBytes) {
  expect_load_error(
      make_file(R"({"m":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]}})", std::string("\x01\x02\x00", 3)),
      "tensor 'm' (BOOL) holds the byte 0x02 at element 1");
}

TEST(SafetensorsErrors, EveryTruncationOfAValidFileFails) {
  // Cutting a valid file anywhere gives a tg::Error, never a crash.
  tg::TensorMap t{{"w", tg::ones({2, 3})}, {"n", tg::tensor({1, 2})}, {"m", tg::tensor({true})}};
  std::string bytes = tg::serialize_tensors(t);
  for (size_t len = 0; len < bytes.size(); ++len) {
    EXPECT_THROW(tg::deserialize_tensors(bytes.substr(0, len)), tg::Error) << len;
  }
  EXPECT_EQ(tg::deserialize_tensors(bytes).size(), 3u);
}

TEST(SafetensorsErrors, CorruptingAnyHeaderByteNeverCrashes) {
  // Every single-byte change of the header either still loads or throws tg::Error.
  std::string bytes = tg::serialize_tensors({{"w", tg::ones({2, 3})}, {"n", tg::tensor({1, 2})}});
  uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  for (size_t pos = 0; pos < 8 + n; ++pos) {
    for (unsigned char v : {0x00, 0x20, 0x22, 0x2c, 0x30, 0x39, 0x5b, 0x5d, 0x7b, 0x7d, 0xff}) {
      std::string corrupt = bytes;
      corrupt[pos] = static_cast<char>(v);
      try {
        tg::deserialize_tensors(corrupt);
      } catch (const tg::Error&) {
      }
    }
  }
}

TEST(SafetensorsErrors, WriterErrors) {
  EXPECT_ERROR_WITH(tg::serialize_tensors({{"a", tg::Tensor()}}), "serialize_tensors: tensor 'a' is undefined");
  EXPECT_ERROR_WITH(tg::save_tensors({{"__metadata__", tg::ones({1})}}, "/tmp/unused.safetensors"),
                    "save_tensors: '__metadata__' is reserved");
  EXPECT_ERROR_WITH(tg::serialize_tensors({{"bad\xff", tg::ones({1})}}), "is not valid UTF-8");
  EXPECT_ERROR_WITH(tg::save_tensors({{"a", tg::ones({1})}}, "/nonexistent/dir/a.safetensors"),
                    "save_tensors: cannot open '/nonexistent/dir/a.safetensors' for writing");
}
