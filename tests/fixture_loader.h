#pragma once
/// \file fixture_loader.h
/// Reads the reference fixtures written by tests/gen_fixtures.py (values computed by PyTorch).
///
/// The format is line based; every array is "shape <dims...> values <numbers...>" (a scalar has
/// no dims), numbers are written so that strtod reads them back exactly (inf, -inf, nan too):
///
///     case <name>
///     input <i> shape ... values ...
///     gout shape ... values ...
///     out shape ... values ...
///     node <name>                       (optional: the name of out's grad_fn in libtorch)
///     grad <i> shape ... values ...
///     v <i> shape ... values ...
///     gradgrad <i> none | gradgrad <i> shape ... values ...
///     end
///
/// Blank lines and lines starting with '#' are ignored. Malformed input throws
/// std::runtime_error naming the file and line.

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <tensorgrad/tensorgrad.h>

namespace tg_fixtures {

/// A stored array: its shape and its elements in row-major order.
struct Array {
  std::vector<int64_t> shape;
  std::vector<double> values;

  int64_t numel() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
  }
  /// "[2, 3]"
  std::string shape_str() const {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
  }
};

/// One case of the fixture file.
struct Case {
  std::string name;
  int line = 0;                               ///< line of "case <name>" in the file
  std::vector<Array> inputs;                  ///< the differentiable inputs
  Array gout;                                 ///< grad_outputs: the weight of the output
  Array out;                                  ///< the output
  std::vector<Array> grads;                   ///< first derivatives, one per input
  std::vector<Array> vs;                      ///< weights of the first derivatives
  std::vector<std::optional<Array>> gradgrads;  ///< second derivatives; nullopt = torch's None
  std::optional<std::string> node;            ///< libtorch's name of out's grad_fn, when recorded
};

namespace detail {

[[noreturn]] inline void fail(const std::string& file, int line, const std::string& msg) {
  throw std::runtime_error(file + ":" + std::to_string(line) + ": " + msg);
}

inline double parse_double(const std::string& tok, const std::string& file, int line) {
  errno = 0;
  char* end = nullptr;
  double d = std::strtod(tok.c_str(), &end);
  // ERANGE is fine for subnormals (strtod still returns the exact value); only reject junk.
  if (end == tok.c_str() || *end != '\0') fail(file, line, "bad number '" + tok + "'");
  return d;
}

inline int64_t parse_int(const std::string& tok, const std::string& file, int line) {
  char* end = nullptr;
  long long v = std::strtoll(tok.c_str(), &end, 10);
  if (end == tok.c_str() || *end != '\0') fail(file, line, "bad integer '" + tok + "'");
  return static_cast<int64_t>(v);
}

/// Parses "shape <dims...> values <numbers...>" starting at toks[pos].
inline Array parse_array(const std::vector<std::string>& toks, size_t pos, const std::string& file,
                         int line) {
  if (pos >= toks.size() || toks[pos] != "shape") fail(file, line, "expected 'shape'");
  Array a;
  size_t i = pos + 1;
  for (; i < toks.size() && toks[i] != "values"; ++i) a.shape.push_back(parse_int(toks[i], file, line));
  if (i == toks.size()) fail(file, line, "expected 'values'");
  for (++i; i < toks.size(); ++i) a.values.push_back(parse_double(toks[i], file, line));
  if (static_cast<int64_t>(a.values.size()) != a.numel())
    fail(file, line, "shape " + a.shape_str() + " needs " + std::to_string(a.numel()) +
                         " values, got " + std::to_string(a.values.size()));
  return a;
}

/// Stores `a` at index `idx` of `vec`, which must be the next free index.
template <typename T>
void put_indexed(std::vector<T>& vec, const std::string& idx_tok, T a, const std::string& what,
                 const std::string& file, int line) {
  int64_t idx = parse_int(idx_tok, file, line);
  if (idx != static_cast<int64_t>(vec.size()))
    fail(file, line, what + " " + idx_tok + " out of order (expected " + std::to_string(vec.size()) + ")");
  vec.push_back(std::move(a));
}

}  // namespace detail

/// Loads every case of a fixture file.
inline std::vector<Case> load_fixture_file(const std::string& path) {
  using namespace detail;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open fixture file " + path);
  std::vector<Case> cases;
  std::optional<Case> cur;
  bool have_gout = false, have_out = false;
  std::string text;
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    std::istringstream ss(text);
    std::vector<std::string> toks;
    for (std::string t; ss >> t;) toks.push_back(t);
    if (toks.empty() || toks[0][0] == '#') continue;
    const std::string& kw = toks[0];
    if (kw == "case") {
      if (cur) fail(path, line, "'case' inside case " + cur->name + " (missing 'end')");
      if (toks.size() != 2) fail(path, line, "expected 'case <name>'");
      cur = Case{};
      cur->name = toks[1];
      cur->line = line;
      have_gout = have_out = false;
      continue;
    }
    if (!cur) fail(path, line, "'" + kw + "' outside a case");
    if (kw == "end") {
      const Case& c = *cur;
      size_t n = c.inputs.size();
      if (n == 0 || !have_gout || !have_out || c.grads.size() != n || c.vs.size() != n ||
          c.gradgrads.size() != n)
        fail(path, line, "case " + c.name + " is incomplete");
      for (size_t i = 0; i < n; ++i) {
        if (c.grads[i].shape != c.inputs[i].shape || c.vs[i].shape != c.inputs[i].shape ||
            (c.gradgrads[i] && c.gradgrads[i]->shape != c.inputs[i].shape))
          fail(path, line, "case " + c.name + ": derivative shapes differ from input " + std::to_string(i));
      }
      if (c.gout.shape != c.out.shape) fail(path, line, "case " + c.name + ": gout and out shapes differ");
      for (const Case& other : cases)
        if (other.name == c.name) fail(path, line, "duplicate case " + c.name);
      cases.push_back(std::move(*cur));
      cur.reset();
      continue;
    }
    if (kw == "gout" || kw == "out") {
      Array a = parse_array(toks, 1, path, line);
      if (kw == "gout") { cur->gout = std::move(a); have_gout = true; }
      else { cur->out = std::move(a); have_out = true; }
      continue;
    }
    if (kw == "node") {
      if (toks.size() != 2) fail(path, line, "expected 'node <name>'");
      if (cur->node) fail(path, line, "two 'node' lines in case " + cur->name);
      cur->node = toks[1];
      continue;
    }
    if (toks.size() < 3) fail(path, line, "truncated line");
    if (kw == "input") put_indexed(cur->inputs, toks[1], parse_array(toks, 2, path, line), kw, path, line);
    else if (kw == "grad") put_indexed(cur->grads, toks[1], parse_array(toks, 2, path, line), kw, path, line);
    else if (kw == "v") put_indexed(cur->vs, toks[1], parse_array(toks, 2, path, line), kw, path, line);
    else if (kw == "gradgrad") {
      std::optional<Array> a;
      if (toks[2] == "none") {
        if (toks.size() != 3) fail(path, line, "junk after 'none'");
      } else {
        a = parse_array(toks, 2, path, line);
      }
      put_indexed(cur->gradgrads, toks[1], std::move(a), kw, path, line);
    } else {
      fail(path, line, "unknown keyword '" + kw + "'");
    }
  }
  if (cur) fail(path, line, "file ends inside case " + cur->name);
  return cases;
}

/// A float64 tensor holding a copy of `a`, a leaf with the requested requires_grad.
inline tg::Tensor to_tensor(const Array& a, bool requires_grad = false) {
  tg::Tensor t = tg::from_blob_copy(a.values.data(), tg::IntArrayRef(a.shape), tg::kFloat64,
                                    tg::TensorOptions().dtype(tg::kFloat64));
  if (requires_grad) t.requires_grad_(true);
  return t;
}

}  // namespace tg_fixtures
