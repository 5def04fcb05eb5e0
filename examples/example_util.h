#pragma once
// What the tutorial examples share: their command line (--out DIR, --quick, --data DIR) and
// saving a figure with a line saying where it went. Not part of the library.
#include <tensorgrad/viz/figure.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

namespace example {

struct Args {
  std::filesystem::path out;  // where figures and data go (default ./out/<name>)
  bool quick = false;         // a smaller run, under 10 seconds (the ctest smoke test)
  std::string data;           // --data DIR, for the examples that read a dataset
};

inline Args parse_args(int argc, char** argv, const std::string& name) {
  Args a;
  a.out = std::filesystem::path("out") / name;
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    if (s == "--quick") {
      a.quick = true;
    } else if (s == "--out" && i + 1 < argc) {
      a.out = argv[++i];
    } else if (s == "--data" && i + 1 < argc) {
      a.data = argv[++i];
    } else {
      std::cerr << "usage: " << name << " [--out DIR] [--quick] [--data DIR]\n";
      std::exit(s == "--help" || s == "-h" ? 0 : 2);
    }
  }
  std::filesystem::create_directories(a.out);
  return a;
}

// Saves fig as <out>/<file> and says what was written.
inline void save(const tg::viz::Figure& fig, const Args& a, const std::string& file) {
  tg::viz::SavedFigure r = fig.savefig((a.out / file).string());
  std::cout << "  [figure] " << (r.rendered ? r.png : r.script + " (data and gnuplot script)") << "\n";
}

}  // namespace example
