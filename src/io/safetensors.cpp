// The safetensors reader and writer (see include/tensorgrad/io/safetensors.h for the format).
//
// Note [Validate before allocating]
// A safetensors file is untrusted input. The reader parses the whole header and checks every
// entry against the size of the data buffer that is actually there (header length <= 100 MB and
// <= the bytes that follow it; shape product * element size == the data_offsets span, computed
// with overflow checks; offsets inside the buffer; the entries tiling it without gaps or
// overlaps) before it allocates a single tensor. So tensor memory never exceeds the file size,
// and the header parser's memory is a small multiple of the header length.

#include "tensorgrad/io/safetensors.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <random>
#include <set>
#include <utility>
#include <vector>

namespace tg {
namespace {

// ---- dtypes ---------------------------------------------------------------------------------

bool host_is_little_endian() {
  const uint16_t one = 1;
  unsigned char first;
  std::memcpy(&first, &one, 1);
  return first == 1;
}

// Reverses the bytes of each `width`-byte element (the data is little-endian on disk).
void swap_bytes(char* p, size_t n_elements, size_t width) {
  if (width == 1) return;
  for (size_t i = 0; i < n_elements; ++i) std::reverse(p + i * width, p + (i + 1) * width);
}

const char* st_dtype_name(ScalarType t) {
  switch (t) {
    case kFloat32:
      return "F32";
    case kFloat64:
      return "F64";
    case kInt64:
      return "I64";
    case kBool:
      return "BOOL";
    case kUInt8:
      return "U8";
    case kInt8:
      return "I8";
    case kInt16:
      return "I16";
    case kInt32:
      return "I32";
    case kFloat16:
      return "F16";
    case kBFloat16:
      return "BF16";
  }
  return "?";
}

// Note [Tensor order]
// The writer orders tensors as Python's safetensors does: by dtype, descending in the reference
// implementation's Dtype enum (BOOL < U8 < I8 < I16 < F16 < BF16 < I32 < F32 < F64 < I64 for
// the dtypes tensorgrad has), then by name (bytewise). Two
// consequences: a file written here is byte-identical to the one `safetensors.torch.save_file`
// writes for the same tensors, and since the 8-byte types come first and the header is padded to
// a multiple of 8, every tensor's data starts at an offset aligned to its element size.
int dtype_rank(ScalarType t) {
  switch (t) {
    case kBool:
      return 0;
    case kUInt8:
      return 1;
    case kInt8:
      return 2;
    case kInt16:
      return 3;
    case kFloat16:
      return 4;
    case kBFloat16:
      return 5;
    case kInt32:
      return 6;
    case kFloat32:
      return 7;
    case kFloat64:
      return 8;
    case kInt64:
      return 9;
  }
  return -1;
}

// Every dtype of the safetensors specification, so that a file holding one tensorgrad cannot
// represent gets "unsupported dtype F16" rather than "unknown dtype".
bool is_known_st_dtype(const std::string& s) {
  static const char* const known[] = {"BOOL",    "F4",      "F6_E2M3", "F6_E3M2", "U8",  "I8",   "F8_E5M2",
                                      "F8_E4M3", "F8_E8M0", "I16",     "U16",     "F16", "BF16", "I32",
                                      "U32",     "F32",     "F64",     "I64",     "U64", "C64"};
  for (const char* k : known)
    if (s == k) return true;
  return false;
}

bool parse_st_dtype(const std::string& s, ScalarType* out) {
  for (ScalarType t : {kFloat32, kFloat64, kInt64, kBool, kUInt8, kInt8, kInt16, kInt32, kFloat16, kBFloat16}) {
    if (s == st_dtype_name(t)) {
      *out = t;
      return true;
    }
  }
  return false;
}

std::string shape_string(const std::vector<int64_t>& shape) {
  return to_string(IntArrayRef(shape.data(), shape.size()));
}

// ---- UTF-8 ----------------------------------------------------------------------------------

// The index of the first byte that is not part of a well-formed UTF-8 sequence (no overlong
// forms, no surrogates, nothing above U+10FFFF), or npos.
size_t find_invalid_utf8(const char* s, size_t n) {
  const auto* p = reinterpret_cast<const unsigned char*>(s);
  size_t i = 0;
  while (i < n) {
    unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    i += len;
  }
  return std::string::npos;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// ---- a strict JSON reader for the header ------------------------------------------------------

// A pull parser for the JSON subset a header uses (objects, arrays, strings with every escape,
// integers), strict about the grammar: no trailing commas, no leading zeros, no control
// characters inside strings. Other JSON values (true, false, null, fractions) are recognised so
// that they can be skipped under keys the reader ignores. Errors name the byte offset within the
// header.
class JsonReader {
 public:
  JsonReader(const char* p, size_t n, const std::string& where) : p_(p), n_(n), where_(where) {}

  [[noreturn]] void fail(const std::string& what) const { fail_at(what, pos_); }
  [[noreturn]] void fail_at(const std::string& what, size_t pos) const {
    TG_ERROR("{} has an invalid JSON header: {} at byte {} of the header", where_, what, pos);
  }
  // A header that is valid JSON but not a valid safetensors header.
  [[noreturn]] void schema_error(const std::string& what, size_t pos) const {
    TG_ERROR("{}: {} (at byte {} of the header)", where_, what, pos);
  }
  [[noreturn]] void schema_error(const std::string& what) const { schema_error(what, pos_); }

  size_t pos() const { return pos_; }
  bool at_end() const { return pos_ >= n_; }

  void skip_ws() {
    while (pos_ < n_ && (p_[pos_] == ' ' || p_[pos_] == '\t' || p_[pos_] == '\n' || p_[pos_] == '\r')) ++pos_;
  }
  // The next non-whitespace character, or '\0' at the end.
  char peek() {
    skip_ws();
    return pos_ < n_ ? p_[pos_] : '\0';
  }
  std::string describe_next() {
    skip_ws();
    if (pos_ >= n_) return "the end of the header";
    unsigned char c = static_cast<unsigned char>(p_[pos_]);
    if (c >= 0x20 && c < 0x7F) return fmt::format("'{}'", static_cast<char>(c));
    return fmt::format("byte 0x{:02x}", c);
  }
  bool consume(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  void expect(char c, const char* what) {
    if (!consume(c)) fail(fmt::format("expected {} but found {}", what, describe_next()));
  }

  std::string parse_string() {
    if (peek() != '"') fail(fmt::format("expected a string but found {}", describe_next()));
    ++pos_;
    std::string out;
    while (true) {
      if (pos_ >= n_) fail("unterminated string");
      char c = p_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20)
        fail(fmt::format("unescaped control character 0x{:02x} in a string", static_cast<unsigned>(c)));
      if (c != '\\') {
        out += c;
        ++pos_;
        continue;
      }
      size_t escape_pos = pos_;
      if (++pos_ >= n_) fail("unterminated string");
      char e = p_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          uint32_t cp = parse_hex4();
          if (cp >= 0xD800 && cp <= 0xDBFF) {  // a high surrogate must be followed by a low one
            if (pos_ + 1 < n_ && p_[pos_] == '\\' && p_[pos_ + 1] == 'u') {
              pos_ += 2;
              uint32_t lo = parse_hex4();
              if (lo < 0xDC00 || lo > 0xDFFF) fail_at("invalid UTF-16 surrogate pair in a \\u escape", escape_pos);
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else {
              fail_at("unpaired UTF-16 surrogate in a \\u escape", escape_pos);
            }
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail_at("unpaired UTF-16 surrogate in a \\u escape", escape_pos);
          }
          append_utf8(out, cp);
          break;
        }
        default:
          fail_at(fmt::format("invalid escape sequence '\\{}' in a string", e), escape_pos);
      }
    }
  }

  // A JSON integer: -?(0|[1-9][0-9]*), within int64.
  int64_t parse_int() {
    skip_ws();
    size_t start = pos_;
    bool negative = pos_ < n_ && p_[pos_] == '-';
    if (negative) ++pos_;
    if (pos_ >= n_ || p_[pos_] < '0' || p_[pos_] > '9')
      fail_at(fmt::format("expected an integer but found {}", describe_at(start)), start);
    if (p_[pos_] == '0' && pos_ + 1 < n_ && p_[pos_ + 1] >= '0' && p_[pos_ + 1] <= '9')
      fail_at("a number with a leading zero", start);
    uint64_t value = 0;
    const uint64_t limit =
        negative ? uint64_t(std::numeric_limits<int64_t>::max()) + 1 : uint64_t(std::numeric_limits<int64_t>::max());
    while (pos_ < n_ && p_[pos_] >= '0' && p_[pos_] <= '9') {
      uint64_t digit = static_cast<uint64_t>(p_[pos_] - '0');
      if (value > (limit - digit) / 10) fail_at("an integer too large for 64 bits", start);
      value = value * 10 + digit;
      ++pos_;
    }
    if (pos_ < n_ && (p_[pos_] == '.' || p_[pos_] == 'e' || p_[pos_] == 'E'))
      fail_at("expected an integer but found a number with a fraction or exponent", start);
    if (negative)
      return value == uint64_t(std::numeric_limits<int64_t>::max()) + 1 ? std::numeric_limits<int64_t>::min()
                                                                        : -static_cast<int64_t>(value);
    return static_cast<int64_t>(value);
  }

  // An array of integers: [1, 2, 3].
  std::vector<int64_t> parse_int_array() {
    expect('[', "'['");
    std::vector<int64_t> out;
    if (consume(']')) return out;
    while (true) {
      out.push_back(parse_int());
      if (consume(',')) continue;
      expect(']', "',' or ']'");
      return out;
    }
  }

  // Skips any JSON value, checking its grammar.
  void skip_value(int depth = 0) {
    if (depth > kMaxDepth) fail("values nested too deeply");
    char c = peek();
    if (c == '{') {
      ++pos_;
      if (consume('}')) return;
      while (true) {
        parse_string();
        expect(':', "':'");
        skip_value(depth + 1);
        if (consume(',')) continue;
        expect('}', "',' or '}'");
        return;
      }
    } else if (c == '[') {
      ++pos_;
      if (consume(']')) return;
      while (true) {
        skip_value(depth + 1);
        if (consume(',')) continue;
        expect(']', "',' or ']'");
        return;
      }
    } else if (c == '"') {
      parse_string();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      skip_number();
    } else if (!(literal("true") || literal("false") || literal("null"))) {
      fail(fmt::format("expected a JSON value but found {}", describe_next()));
    }
  }

 private:
  static constexpr int kMaxDepth = 64;

  std::string describe_at(size_t pos) {
    size_t saved = pos_;
    pos_ = pos;
    std::string d = describe_next();
    pos_ = saved;
    return d;
  }

  uint32_t parse_hex4() {
    if (pos_ + 4 > n_) fail("unterminated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char h = p_[pos_ + i];
      v <<= 4;
      if (h >= '0' && h <= '9')
        v |= static_cast<uint32_t>(h - '0');
      else if (h >= 'a' && h <= 'f')
        v |= static_cast<uint32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        v |= static_cast<uint32_t>(h - 'A' + 10);
      else
        fail("invalid hex digit in a \\u escape");
    }
    pos_ += 4;
    return v;
  }

  bool literal(const char* word) {
    size_t len = std::strlen(word);
    if (pos_ + len > n_ || std::memcmp(p_ + pos_, word, len) != 0) return false;
    pos_ += len;
    return true;
  }

  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
  void skip_number() {
    size_t start = pos_;
    auto digits = [&] {
      size_t s = pos_;
      while (pos_ < n_ && p_[pos_] >= '0' && p_[pos_] <= '9') ++pos_;
      return pos_ > s;
    };
    if (p_[pos_] == '-') ++pos_;
    if (pos_ < n_ && p_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      fail_at("invalid number", start);
    }
    if (pos_ < n_ && p_[pos_] == '.') {
      ++pos_;
      if (!digits()) fail_at("invalid number", start);
    }
    if (pos_ < n_ && (p_[pos_] == 'e' || p_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < n_ && (p_[pos_] == '+' || p_[pos_] == '-')) ++pos_;
      if (!digits()) fail_at("invalid number", start);
    }
  }

  const char* p_;
  size_t n_;
  size_t pos_ = 0;
  const std::string& where_;
};

// ---- byte sources -----------------------------------------------------------------------------

// Where the reader gets its bytes: a string in memory, or a file read piece by piece (so loading
// a file does not hold it in memory twice).
class Source {
 public:
  virtual ~Source() = default;
  virtual uint64_t size() const = 0;
  virtual void read(uint64_t offset, void* dst, size_t n) = 0;
};

class StringSource : public Source {
 public:
  explicit StringSource(const std::string& s) : s_(s) {}
  uint64_t size() const override { return s_.size(); }
  void read(uint64_t offset, void* dst, size_t n) override {
    if (n) std::memcpy(dst, s_.data() + offset, n);
  }

 private:
  const std::string& s_;
};

class FileSource : public Source {
 public:
  FileSource(const std::string& path, const std::string& fn) : where_(fmt::format("{}: file '{}'", fn, path)) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) TG_ERROR("{}: cannot open '{}': it is a directory", fn, path);
    in_.open(path, std::ios::binary);
    if (!in_) TG_ERROR("{}: cannot open '{}': {}", fn, path, std::strerror(errno));
    in_.seekg(0, std::ios::end);
    std::streamoff end = in_.tellg();
    if (!in_ || end < 0) TG_ERROR("{}: cannot determine the size of '{}'", fn, path);
    size_ = static_cast<uint64_t>(end);
  }
  uint64_t size() const override { return size_; }
  void read(uint64_t offset, void* dst, size_t n) override {
    if (n == 0) return;
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(static_cast<char*>(dst), static_cast<std::streamsize>(n));
    if (!in_) TG_ERROR("{}: read error at byte {}", where_, offset);
  }

 private:
  std::string where_;
  std::ifstream in_;
  uint64_t size_ = 0;
};

// ---- reading ----------------------------------------------------------------------------------

struct Entry {
  std::string name;
  ScalarType dtype = kFloat32;
  std::vector<int64_t> shape;
  int64_t begin = 0, end = 0;
  int64_t nbytes = 0;
};

void parse_metadata(JsonReader& json, MetadataMap* metadata) {
  if (json.peek() != '{')
    json.schema_error(fmt::format("\"__metadata__\" must be an object but found {}", json.describe_next()));
  json.expect('{', "'{'");
  MetadataMap seen;
  if (json.consume('}')) return;
  while (true) {
    size_t key_pos = json.pos();
    std::string key = json.parse_string();
    json.expect(':', "':'");
    if (json.peek() != '"')
      json.schema_error(
          fmt::format("the \"__metadata__\" value of '{}' must be a string but found {}", key, json.describe_next()));
    std::string value = json.parse_string();
    if (seen.count(key)) json.schema_error(fmt::format("duplicate \"__metadata__\" key '{}'", key), key_pos);
    seen.emplace(std::move(key), std::move(value));
    if (json.consume(',')) continue;
    json.expect('}', "',' or '}'");
    break;
  }
  if (metadata) *metadata = std::move(seen);
}

Entry parse_entry(JsonReader& json, std::string name) {
  Entry e;
  e.name = std::move(name);
  if (json.peek() != '{')
    json.schema_error(
        fmt::format("the entry of tensor '{}' must be an object but found {}", e.name, json.describe_next()));
  json.expect('{', "'{'");
  bool has_dtype = false, has_shape = false, has_offsets = false;
  std::vector<int64_t> offsets;
  if (!json.consume('}')) {
    while (true) {
      size_t key_pos = json.pos();
      std::string key = json.parse_string();
      json.expect(':', "':'");
      auto once = [&](bool& flag) {
        if (flag) json.schema_error(fmt::format("tensor '{}' has a duplicate \"{}\"", e.name, key), key_pos);
        flag = true;
      };
      if (key == "dtype") {
        once(has_dtype);
        size_t value_pos = json.pos();
        if (json.peek() != '"')
          json.schema_error(
              fmt::format("the \"dtype\" of tensor '{}' must be a string but found {}", e.name, json.describe_next()));
        std::string dtype = json.parse_string();
        if (!parse_st_dtype(dtype, &e.dtype)) {
          if (is_known_st_dtype(dtype))
            json.schema_error(fmt::format("tensor '{}' has dtype {}, which tensorgrad does not support (it reads F64, "
                                          "F32, F16, BF16, I64, I32, I16, I8, U8 and BOOL)",
                                          e.name, dtype),
                              value_pos);
          json.schema_error(fmt::format("tensor '{}' has an unknown dtype \"{}\"", e.name, dtype), value_pos);
        }
      } else if (key == "shape") {
        once(has_shape);
        if (json.peek() != '[')
          json.schema_error(fmt::format("the \"shape\" of tensor '{}' must be an array of integers but found {}",
                                        e.name, json.describe_next()));
        e.shape = json.parse_int_array();
      } else if (key == "data_offsets") {
        once(has_offsets);
        size_t value_pos = json.pos();
        if (json.peek() != '[')
          json.schema_error(
              fmt::format("the \"data_offsets\" of tensor '{}' must be an array [begin, end] but found {}", e.name,
                          json.describe_next()));
        offsets = json.parse_int_array();
        if (offsets.size() != 2)
          json.schema_error(fmt::format("the \"data_offsets\" of tensor '{}' must be [begin, end], not {} integers",
                                        e.name, offsets.size()),
                            value_pos);
      } else {
        json.skip_value();  // keys the format may add later
      }
      if (json.consume(',')) continue;
      json.expect('}', "',' or '}'");
      break;
    }
  }
  const char* missing = !has_dtype ? "dtype" : !has_shape ? "shape" : !has_offsets ? "data_offsets" : nullptr;
  if (missing) json.schema_error(fmt::format("the entry of tensor '{}' has no \"{}\"", e.name, missing));
  e.begin = offsets[0];
  e.end = offsets[1];
  return e;
}

// Checks one entry's shape and byte span; sets e.nbytes.
void check_entry(Entry& e, uint64_t buffer_size, const std::string& where) {
  const char* dt = st_dtype_name(e.dtype);
  if (e.shape.size() > static_cast<size_t>(kMaxDims))
    TG_ERROR("{}: tensor '{}' has {} dimensions, but tensorgrad supports at most {}", where, e.name, e.shape.size(),
             kMaxDims);
  int64_t numel = 1;
  for (int64_t d : e.shape) {
    if (d < 0)
      TG_ERROR("{}: tensor '{}' has a negative dimension in its shape {}", where, e.name, shape_string(e.shape));
    if (__builtin_mul_overflow(numel, d, &numel))
      TG_ERROR("{}: tensor '{}' has a shape {} whose number of elements overflows 64 bits", where, e.name,
               shape_string(e.shape));
  }
  if (__builtin_mul_overflow(numel, static_cast<int64_t>(element_size(e.dtype)), &e.nbytes))
    TG_ERROR("{}: tensor '{}' of dtype {} and shape {} is too large: its size in bytes overflows 64 bits", where,
             e.name, dt, shape_string(e.shape));
  if (e.begin < 0 || e.end < e.begin)
    TG_ERROR("{}: tensor '{}' has invalid data_offsets [{}, {}]: they must satisfy 0 <= begin <= end", where, e.name,
             e.begin, e.end);
  if (static_cast<uint64_t>(e.end) > buffer_size)
    TG_ERROR("{}: tensor '{}' has data_offsets [{}, {}] outside the data buffer, which holds {} bytes", where, e.name,
             e.begin, e.end, buffer_size);
  if (e.end - e.begin != e.nbytes)
    TG_ERROR("{}: tensor '{}' of dtype {} and shape {} needs {} bytes, but its data_offsets [{}, {}] span {} bytes",
             where, e.name, dt, shape_string(e.shape), e.nbytes, e.begin, e.end, e.end - e.begin);
}

TensorMap read_safetensors(Source& src, const std::string& where, MetadataMap* metadata) {
  if (metadata) metadata->clear();
  const uint64_t total = src.size();
  if (total < 8)
    TG_ERROR("{} is truncated: it has {} bytes, fewer than the 8 bytes of the header length", where, total);
  unsigned char len_bytes[8];
  src.read(0, len_bytes, 8);
  uint64_t header_len = 0;
  for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | len_bytes[i];
  if (header_len > kSafetensorsMaxHeaderBytes)
    TG_ERROR("{} is not a valid safetensors file: its header length {} exceeds the maximum of {} bytes", where,
             header_len, kSafetensorsMaxHeaderBytes);
  if (header_len > total - 8)
    TG_ERROR("{} is truncated: header says {} bytes but only {} follow", where, header_len, total - 8);
  const uint64_t buffer_size = total - 8 - header_len;

  std::string header(static_cast<size_t>(header_len), '\0');
  src.read(8, header.data(), header.size());
  if (header.empty() || header[0] != '{')
    TG_ERROR("{} has an invalid header: the JSON header must begin with '{{'", where);
  size_t bad = find_invalid_utf8(header.data(), header.size());
  if (bad != std::string::npos)
    TG_ERROR("{} has an invalid header: it is not valid UTF-8 (at byte {} of the JSON header)", where, bad);

  JsonReader json(header.data(), header.size(), where);
  json.expect('{', "'{'");
  std::vector<Entry> entries;
  bool seen_metadata = false;
  if (!json.consume('}')) {
    std::set<std::string> names;
    while (true) {
      size_t key_pos = json.pos();
      std::string key = json.parse_string();
      json.expect(':', "':'");
      if (key == "__metadata__") {
        if (seen_metadata) json.schema_error("duplicate \"__metadata__\"", key_pos);
        seen_metadata = true;
        parse_metadata(json, metadata);
      } else {
        if (!names.insert(key).second) json.schema_error(fmt::format("duplicate tensor name '{}'", key), key_pos);
        entries.push_back(parse_entry(json, std::move(key)));
      }
      if (json.consume(',')) continue;
      json.expect('}', "',' or '}'");
      break;
    }
  }
  json.skip_ws();
  if (!json.at_end())
    json.fail(fmt::format("unexpected {} after the JSON object (only spaces may pad it)", json.describe_next()));

  for (Entry& e : entries) check_entry(e, buffer_size, where);

  // The entries must tile the buffer: sorted by offset, each starts where the previous ends.
  std::vector<const Entry*> order;
  order.reserve(entries.size());
  for (const Entry& e : entries) order.push_back(&e);
  std::sort(order.begin(), order.end(), [](const Entry* a, const Entry* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
  });
  int64_t covered = 0;
  const Entry* prev = nullptr;
  for (const Entry* e : order) {
    if (e->begin < covered)
      TG_ERROR("{}: the data of tensors '{}' [{}, {}] and '{}' [{}, {}] overlap", where, prev->name, prev->begin,
               prev->end, e->name, e->begin, e->end);
    if (e->begin > covered)
      TG_ERROR("{}: bytes [{}, {}) of the data buffer belong to no tensor (the tensors must cover it without gaps)",
               where, covered, e->begin);
    covered = e->end;
    prev = e;
  }
  if (static_cast<uint64_t>(covered) != buffer_size)
    TG_ERROR("{}: the data buffer holds {} bytes but the tensors cover only the first {} (trailing bytes)", where,
             buffer_size, covered);

  // Everything is consistent: allocate and read, in file order.
  const bool little = host_is_little_endian();
  TensorMap out;
  for (const Entry* e : order) {
    Tensor t = empty(IntArrayRef(e->shape.data(), e->shape.size()), TensorOptions(e->dtype));
    if (e->nbytes > 0) {
      char* dst = static_cast<char*>(t.data_ptr());
      src.read(8 + header_len + static_cast<uint64_t>(e->begin), dst, static_cast<size_t>(e->nbytes));
      if (!little) swap_bytes(dst, static_cast<size_t>(t.numel()), element_size(e->dtype));
      if (e->dtype == kBool) {
        for (int64_t i = 0; i < e->nbytes; ++i) {
          auto b = static_cast<unsigned char>(dst[i]);
          if (b > 1) {
            TG_ERROR("{}: tensor '{}' (BOOL) holds the byte 0x{:02x} at element {}; a BOOL element must be 0 or 1",
                     where, e->name, b, i);
          }
        }
      }
    }
    out.emplace(e->name, std::move(t));
  }
  return out;
}

// ---- writing ----------------------------------------------------------------------------------

void append_json_string(std::string& out, const std::string& s) {
  // serde_json's escaping (what Python's safetensors writes): quote, backslash and control
  // characters; everything else, including non-ASCII UTF-8, as is.
  static const char hex[] = "0123456789abcdef";
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += hex[(c >> 4) & 0xF];
          out += hex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

struct Planned {
  const std::string* name;
  Tensor data;  // contiguous, detached
  int64_t begin, end;
};

struct Plan {
  std::string header;  // padded JSON
  std::vector<Planned> tensors;
  uint64_t data_bytes = 0;
};

Plan make_plan(const TensorMap& tensors, const MetadataMap& user_metadata, const char* fn) {
  Plan plan;
  for (const auto& [name, t] : tensors) {
    TG_CHECK(name != "__metadata__",
             "{}: '__metadata__' is reserved by the safetensors format and cannot name a tensor", fn);
    TG_CHECK(t.defined(), "{}: tensor '{}' is undefined", fn, name);
    TG_CHECK(find_invalid_utf8(name.data(), name.size()) == std::string::npos,
             "{}: the tensor name '{}' is not valid UTF-8", fn, name);
    plan.tensors.push_back({&name, t.detach().contiguous(), 0, 0});
  }
  std::stable_sort(plan.tensors.begin(), plan.tensors.end(), [](const Planned& a, const Planned& b) {
    int ra = dtype_rank(a.data.dtype()), rb = dtype_rank(b.data.dtype());
    return ra != rb ? ra > rb : *a.name < *b.name;
  });
  MetadataMap metadata{{"format", "pt"}};
  for (const auto& [k, v] : user_metadata) {
    TG_CHECK(find_invalid_utf8(k.data(), k.size()) == std::string::npos &&
                 find_invalid_utf8(v.data(), v.size()) == std::string::npos,
             "{}: the metadata entry '{}' is not valid UTF-8", fn, k);
    metadata[k] = v;
  }

  std::string& h = plan.header;
  h += "{\"__metadata__\":{";
  bool first = true;
  for (const auto& [k, v] : metadata) {
    if (!first) h += ',';
    first = false;
    append_json_string(h, k);
    h += ':';
    append_json_string(h, v);
  }
  h += '}';
  int64_t offset = 0;
  for (Planned& p : plan.tensors) {
    const int64_t nbytes = p.data.numel() * static_cast<int64_t>(p.data.element_size());
    p.begin = offset;
    p.end = offset + nbytes;
    offset = p.end;
    h += ',';
    append_json_string(h, *p.name);
    h += ":{\"dtype\":\"";
    h += st_dtype_name(p.data.dtype());
    h += "\",\"shape\":[";
    for (int64_t d = 0; d < p.data.dim(); ++d) {
      if (d) h += ',';
      h += std::to_string(p.data.size(d));
    }
    h += "],\"data_offsets\":[";
    h += std::to_string(p.begin);
    h += ',';
    h += std::to_string(p.end);
    h += "]}";
  }
  h += '}';
  h.append((8 - h.size() % 8) % 8, ' ');
  TG_CHECK(h.size() <= kSafetensorsMaxHeaderBytes, "{}: the header would have {} bytes, more than the {} allowed", fn,
           h.size(), kSafetensorsMaxHeaderBytes);
  plan.data_bytes = static_cast<uint64_t>(offset);
  return plan;
}

// Emits the file's bytes in order through write(const char*, size_t).
template <typename Write> void emit(const Plan& plan, Write&& write) {
  unsigned char len[8];
  uint64_t n = plan.header.size();
  for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(n >> (8 * i));
  write(reinterpret_cast<const char*>(len), 8);
  write(plan.header.data(), plan.header.size());
  const bool little = host_is_little_endian();
  std::vector<char> swapped;
  for (const Planned& p : plan.tensors) {
    const size_t nbytes = static_cast<size_t>(p.end - p.begin);
    if (nbytes == 0) continue;
    const char* src = static_cast<const char*>(p.data.data_ptr());
    if (!little) {
      swapped.assign(src, src + nbytes);
      swap_bytes(swapped.data(), static_cast<size_t>(p.data.numel()), p.data.element_size());
      src = swapped.data();
    }
    write(src, nbytes);
  }
}

}  // namespace

std::string serialize_tensors(const TensorMap& tensors, const MetadataMap& metadata) {
  Plan plan = make_plan(tensors, metadata, "serialize_tensors");
  std::string out;
  out.reserve(8 + plan.header.size() + plan.data_bytes);
  emit(plan, [&](const char* p, size_t n) { out.append(p, n); });
  return out;
}

TensorMap deserialize_tensors(const std::string& bytes, MetadataMap* metadata) {
  StringSource src(bytes);
  return read_safetensors(src, "deserialize_tensors: buffer", metadata);
}

void save_tensors(const TensorMap& tensors, const std::string& path, const MetadataMap& metadata) {
  Plan plan = make_plan(tensors, metadata, "save_tensors");
  // Note [Atomic save]: write a temporary file beside `path` and rename it into place, so that a
  // crash or a full disk in the middle of a save leaves the previous file intact.
  std::random_device rd;
  const std::string tmp = fmt::format("{}.tmp{:08x}", path, rd());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) TG_ERROR("save_tensors: cannot open '{}' for writing: {}", path, std::strerror(errno));
    emit(plan, [&](const char* p, size_t n) { out.write(p, static_cast<std::streamsize>(n)); });
    out.flush();
    if (!out) {
      out.close();
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      TG_ERROR("save_tensors: writing '{}' failed (disk full?)", path);
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    TG_ERROR("save_tensors: cannot write '{}': {}", path, ec.message());
  }
}

TensorMap load_tensors(const std::string& path, MetadataMap* metadata) {
  FileSource src(path, "load_tensors");
  return read_safetensors(src, fmt::format("load_tensors: file '{}'", path), metadata);
}

}  // namespace tg
