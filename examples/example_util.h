#pragma once
// What the tutorial examples share: their command line (--out DIR, --quick, --data DIR) and
// saving a figure with a line saying where it went. Not part of the library.
#include <tensorgrad/tensorgrad.h>
#include <tensorgrad/viz/figure.h>

#include <cmath>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <utility>

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

// Two interleaved spirals of n points each (labels 0 and 1, float [2n, 1]), with a little noise:
// the classic dataset that no straight line separates.
inline std::pair<tg::Tensor, tg::Tensor> spirals(int64_t n) {
  tg::Tensor t = tg::linspace(0.25, 3.0 * M_PI, n);  // angle along the arm
  tg::Tensor r = t / (3.0 * M_PI) * 2.0;
  tg::Tensor arm = tg::stack({r * tg::cos(t), r * tg::sin(t)}, 1);
  tg::Tensor x = tg::cat({arm, -arm}) + tg::randn({2 * n, 2}) * 0.08;  // the second arm turned by 180 degrees
  return {x, tg::cat({tg::zeros({n, 1}), tg::ones({n, 1})})};
}

// Saves fig as <out>/<file> and says what was written.
inline void save(const tg::viz::Figure& fig, const Args& a, const std::string& file) {
  tg::viz::SavedFigure r = fig.savefig((a.out / file).string());
  std::cout << "  [figure] " << (r.rendered ? r.png : r.script + " (data and gnuplot script)") << "\n";
}

}  // namespace example
