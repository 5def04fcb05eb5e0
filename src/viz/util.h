#pragma once
// What the figure and graph writers share: files, external programs, one-time notices.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <string>

#include "tensorgrad/error.h"

namespace tg {
namespace viz {
namespace detail {

// s in single quotes for /bin/sh.
inline std::string shell_quote(const std::string& s) {
  std::string r = "'";
  for (char c : s) {
    if (c == '\'')
      r += "'\\''";
    else
      r += c;
  }
  return r + "'";
}

// True when `program` is found on the PATH.
inline bool have_program(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::string p(path);
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find(':', start);
    if (end == std::string::npos) end = p.size();
    std::filesystem::path candidate = std::filesystem::path(p.substr(start, end - start)) / program;
    std::error_code ec;
    if (!candidate.empty() && std::filesystem::is_regular_file(candidate, ec)) return true;
    start = end + 1;
  }
  return false;
}

// Writes `text` to `path`, creating its directory.
inline void write_text(const std::filesystem::path& path, const std::string& text, const char* fn) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  std::ofstream f(path, std::ios::binary);
  TG_CHECK(f.good(), "{}: cannot write {}", fn, path.string());
  f << text;
  TG_CHECK(f.good(), "{}: error while writing {}", fn, path.string());
}

// Prints `message` to stderr the first time `key` is seen in this process.
inline void say_once(const std::string& key, const std::string& message) {
  static std::mutex m;
  static std::set<std::string> said;
  std::lock_guard<std::mutex> lock(m);
  if (said.insert(key).second) std::cerr << message << "\n";
}

}  // namespace detail
}  // namespace viz
}  // namespace tg
