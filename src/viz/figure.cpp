// tg::viz::Figure: the data as one CSV, a gnuplot script that reads it, and gnuplot's PNG.
#include "tensorgrad/viz/figure.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include <fmt/format.h>

#include "tensorgrad/error.h"
#include "viz/util.h"

namespace tg {
namespace viz {

namespace {

std::vector<double> values_of(const Tensor& t, const char* fn, const char* what) {
  TG_CHECK(t.defined(), "{}: {} is undefined", fn, what);
  Tensor c = t.detach().to(kFloat64).contiguous();
  const double* p = c.data_ptr<double>();
  return std::vector<double>(p, p + c.numel());
}

// A gnuplot string literal (double quotes; noenhanced text, so only quotes and backslashes matter).
std::string gp_string(const std::string& s) {
  std::string r = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') r += '\\';
    r += c;
  }
  return r + "\"";
}

// A number as gnuplot and CSV readers take it back exactly.
std::string num(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Inf" : "-Inf";
  return fmt::format("{}", v);
}

std::string line_style(const std::string& style, const char* fn) {
  if (style.empty() || style == "-") return "with lines lw 2";
  if (style == "--") return "with lines lw 2 dt 2";
  if (style == ":") return "with lines lw 2 dt 3";
  if (style == "o") return "with points pt 7 ps 0.6";
  if (style == "-o") return "with linespoints lw 2 pt 7 ps 0.6";
  TG_ERROR("{}: unknown style '{}' (expected \"-\", \"--\", \":\", \"o\" or \"-o\")", fn, style);
}

// Colours: series and classes take matplotlib's "tab10" colours, blue and red first; heat maps go (lighter,
// so that points show on them) from blue through white to red.
const char* const kStyle =
    "set linetype 1 lc rgb \"#1f77b4\"\nset linetype 2 lc rgb \"#d62728\"\nset linetype 3 lc rgb \"#2ca02c\"\n"
    "set linetype 4 lc rgb \"#ff7f0e\"\nset linetype 5 lc rgb \"#9467bd\"\nset linetype 6 lc rgb \"#8c564b\"\n"
    "set linetype 7 lc rgb \"#e377c2\"\nset linetype 8 lc rgb \"#7f7f7f\"\nset linetype 9 lc rgb \"#bcbd22\"\n"
    "set linetype 10 lc rgb \"#17becf\"\nset linetype cycle 10\n"
    "set palette defined (0 \"#6baed6\", 0.5 \"#f7f7f7\", 1 \"#f4a582\")\n";

}  // namespace

// ---- Axes ----------------------------------------------------------------------------------

Axes& Axes::plot(const Tensor& x, const Tensor& y, const std::string& label, const std::string& style) {
  Series s{Series::Kind::Line, label, style, values_of(x, "plot", "x"), values_of(y, "plot", "y"), {}};
  TG_CHECK(s.x.size() == s.y.size(), "plot: x and y must have the same number of elements, got {} ({}) and {} ({})",
           s.x.size(), to_string(x.sizes()), s.y.size(), to_string(y.sizes()));
  line_style(style, "plot");
  series_.push_back(std::move(s));
  return *this;
}

Axes& Axes::plot(const Tensor& y, const std::string& label, const std::string& style) {
  std::vector<double> yv = values_of(y, "plot", "y");
  std::vector<double> xv(yv.size());
  for (size_t i = 0; i < xv.size(); ++i) xv[i] = static_cast<double>(i);
  line_style(style, "plot");
  series_.push_back({Series::Kind::Line, label, style, std::move(xv), std::move(yv), {}});
  return *this;
}

Axes& Axes::scatter(const Tensor& x, const Tensor& y, const std::string& label, const Tensor& classes) {
  Series s{Series::Kind::Points, label, "o", values_of(x, "scatter", "x"), values_of(y, "scatter", "y"), {}};
  TG_CHECK(s.x.size() == s.y.size(), "scatter: x and y must have the same number of elements, got {} ({}) and {} ({})",
           s.x.size(), to_string(x.sizes()), s.y.size(), to_string(y.sizes()));
  if (classes.defined()) {
    s.z = values_of(classes, "scatter", "classes");
    TG_CHECK(s.z.size() == s.x.size(), "scatter: classes must have one entry per point, got {} ({}) for {} points",
             s.z.size(), to_string(classes.sizes()), s.x.size());
  }
  series_.push_back(std::move(s));
  return *this;
}

Axes& Axes::imshow(const Tensor& z, double x0, double x1, double y0, double y1, const std::string& label) {
  TG_CHECK(z.defined() && z.dim() == 2 && z.size(0) >= 2 && z.size(1) >= 2,
           "imshow: expected a 2-D tensor with at least 2 rows and 2 columns, got {}",
           z.defined() ? to_string(z.sizes()) : std::string("an undefined tensor"));
  Series s{Series::Kind::Image, label, "", {}, {}, values_of(z, "imshow", "z")};
  s.rows = static_cast<size_t>(z.size(0));
  s.cols = static_cast<size_t>(z.size(1));
  for (size_t i = 0; i < s.rows; ++i) {
    for (size_t j = 0; j < s.cols; ++j) {
      s.x.push_back(x0 + (x1 - x0) * static_cast<double>(j) / static_cast<double>(s.cols - 1));
      s.y.push_back(y0 + (y1 - y0) * static_cast<double>(i) / static_cast<double>(s.rows - 1));
    }
  }
  series_.push_back(std::move(s));
  return *this;
}

Axes& Axes::axhline(double y, const std::string& label) {
  series_.push_back({Series::Kind::HLine, label, "--", {}, {y}, {}});
  return *this;
}

Axes& Axes::axvline(double x, const std::string& label) {
  series_.push_back({Series::Kind::VLine, label, "--", {x}, {}, {}});
  return *this;
}

Axes& Axes::set_title(const std::string& t) {
  title_ = t;
  return *this;
}
Axes& Axes::set_xlabel(const std::string& l) {
  xlabel_ = l;
  return *this;
}
Axes& Axes::set_ylabel(const std::string& l) {
  ylabel_ = l;
  return *this;
}
Axes& Axes::set_xlim(double lo, double hi) {
  TG_CHECK(lo < hi, "set_xlim: expected lo < hi, got {} and {}", lo, hi);
  xlim_ = std::make_pair(lo, hi);
  return *this;
}
Axes& Axes::set_ylim(double lo, double hi) {
  TG_CHECK(lo < hi, "set_ylim: expected lo < hi, got {} and {}", lo, hi);
  ylim_ = std::make_pair(lo, hi);
  return *this;
}
Axes& Axes::set_clim(double lo, double hi) {
  TG_CHECK(lo < hi, "set_clim: expected lo < hi, got {} and {}", lo, hi);
  clim_ = std::make_pair(lo, hi);
  return *this;
}
Axes& Axes::set_yscale(const std::string& scale) {
  TG_CHECK(scale == "linear" || scale == "log", "set_yscale: expected \"linear\" or \"log\", got \"{}\"", scale);
  yscale_ = scale;
  return *this;
}
Axes& Axes::legend(bool on) {
  legend_ = on;
  return *this;
}
Axes& Axes::grid(bool on) {
  grid_ = on;
  return *this;
}

// ---- Figure --------------------------------------------------------------------------------

Figure::Figure(int rows, int cols) : rows_(rows), cols_(cols) {
  TG_CHECK(rows >= 1 && cols >= 1 && rows * cols <= 64, "Figure: expected 1 to 64 panels, got {} x {}", rows, cols);
  axes_.resize(static_cast<size_t>(rows * cols));
}

Axes& Figure::operator()(int row, int col) {
  TG_CHECK(row >= 0 && row < rows_ && col >= 0 && col < cols_,
           "Figure: panel ({}, {}) is out of range for a figure of {} x {} panels", row, col, rows_, cols_);
  return axes_[static_cast<size_t>(row * cols_ + col)];
}

Axes& Figure::axes(int i) {
  TG_CHECK(i >= 0 && i < rows_ * cols_, "Figure: panel {} is out of range for a figure of {} panels", i, rows_ * cols_);
  return axes_[static_cast<size_t>(i)];
}

Figure& Figure::suptitle(const std::string& t) {
  suptitle_ = t;
  return *this;
}

Figure& Figure::set_size(int w, int h) {
  TG_CHECK(w >= 100 && h >= 100 && w <= 8000 && h <= 8000,
           "Figure::set_size: expected 100 to 8000 pixels each way, got {} x {}", w, h);
  width_ = w;
  height_ = h;
  return *this;
}

bool have_gnuplot() { return detail::have_program("gnuplot"); }

SavedFigure Figure::savefig(const std::string& png_path) const {
  namespace fs = std::filesystem;
  const fs::path png(png_path);
  TG_CHECK(png.extension() == ".png", "savefig: expected a path ending in .png, got '{}'", png_path);
  fs::path csv = png, script = png;
  csv.replace_extension(".csv");
  script.replace_extension(".gp");
  const std::string csv_name = csv.filename().string();

  // The data: one row per point, series after series; the script selects rows by line number.
  std::ostringstream data;
  data << "panel,series,x,y,z\n";
  std::ostringstream gp;
  const int w = width_ ? width_ : std::min(1920, 640 * cols_);
  const int h = height_ ? height_ : std::min(1440, 480 * rows_);
  gp << "# Written by tg::viz::Figure::savefig; run `gnuplot " << script.filename().string()
     << "` in this directory to draw " << png.filename().string() << ".\n"
     << "set terminal pngcairo size " << w << "," << h << " noenhanced font \"Helvetica,10\"\n"
     << "set output " << gp_string(png.filename().string()) << "\n"
     << "set datafile separator \",\"\n";
  if (rows_ * cols_ > 1 || !suptitle_.empty()) {
    gp << "set multiplot layout " << rows_ << "," << cols_;
    if (!suptitle_.empty()) gp << " title " << gp_string(suptitle_) << " font \",12\"";
    gp << "\n";
  }
  size_t row = 0;  // data rows written so far
  for (size_t p = 0; p < axes_.size(); ++p) {
    const Axes& a = axes_[p];
    gp << "\n# panel " << p << "\n"
       << "reset session\nset datafile separator \",\"\n"
       << kStyle;
    gp << "set title " << gp_string(a.title_) << "\n";
    gp << "set xlabel " << gp_string(a.xlabel_) << "\nset ylabel " << gp_string(a.ylabel_) << "\n";
    gp << (a.grid_ ? "set grid\n" : "unset grid\n");
    gp << (a.legend_ ? "set key top right opaque box Left reverse\n" : "unset key\n");
    if (a.yscale_ == "log") gp << "set logscale y\nset format y \"%.0e\"\n";
    if (a.xlim_) gp << "set xrange [" << num(a.xlim_->first) << ":" << num(a.xlim_->second) << "]\n";
    if (a.clim_) gp << "set cbrange [" << num(a.clim_->first) << ":" << num(a.clim_->second) << "]\n";
    if (a.ylim_) gp << "set yrange [" << num(a.ylim_->first) << ":" << num(a.ylim_->second) << "]\n";
    std::vector<std::string> parts;
    bool has_image = false;
    for (size_t s = 0; s < a.series_.size(); ++s) {
      const Axes::Series& se = a.series_[s];
      using K = Axes::Series::Kind;
      const std::string title = se.label.empty() ? "notitle" : "title " + gp_string(se.label);
      if (se.kind == K::HLine) {
        parts.push_back(num(se.y[0]) + " with lines dt 2 lc rgb \"gray40\" " + title);
        continue;
      }
      if (se.kind == K::VLine) {
        gp << "set arrow from " << num(se.x[0]) << ", graph 0 to " << num(se.x[0])
           << ", graph 1 nohead dt 2 lc rgb \"gray40\"\n";
        continue;
      }
      const size_t n = se.x.size();
      if (n == 0) continue;
      for (size_t i = 0; i < n; ++i) {
        data << p << "," << s << "," << num(se.x[i]) << "," << num(se.y[i]) << ","
             << (se.z.empty() ? std::string() : num(se.z[i])) << "\n";
      }
      std::string src =
          gp_string(csv_name) + " skip 1 every ::" + std::to_string(row) + "::" + std::to_string(row + n - 1);
      row += n;
      if (se.kind == K::Line) {
        parts.push_back(src + " using 3:4 " + line_style(se.style, "savefig") + " " + title);
      } else if (se.kind == K::Points) {
        if (se.z.empty()) {
          parts.push_back(src + " using 3:4 with points pt 7 ps 0.6 " + title);
        } else {  // filled by class, with a dark outline so that they show on a heat map too
          parts.push_back(src + " using 3:4:($5+1) with points pt 7 ps 0.7 lc variable " + title);
          parts.push_back(src + " using 3:4 with points pt 6 ps 0.7 lw 0.5 lc rgb \"#333333\" notitle");
        }
      } else {
        has_image = true;
        parts.push_back(src + " using 3:4:5 with image " + title);
      }
    }
    if (has_image) gp << "set autoscale fix\n";
    if (parts.empty()) {
      gp << "set key off\nplot [0:1] [0:1] NaN notitle\n";  // an empty panel keeps its place
      continue;
    }
    gp << "plot ";
    for (size_t i = 0; i < parts.size(); ++i) gp << (i ? ", \\\n     " : "") << parts[i];
    gp << "\n";
  }
  if (rows_ * cols_ > 1 || !suptitle_.empty()) gp << "\nunset multiplot\n";
  gp << "set output\n";

  detail::write_text(csv, data.str(), "savefig");
  detail::write_text(script, gp.str(), "savefig");
  SavedFigure r{png.string(), csv.string(), script.string(), false};
  if (!have_gnuplot()) {
    detail::say_once("gnuplot",
                     "tg::viz: gnuplot is not installed, so figures are written as data (.csv) and "
                     "script (.gp) without the .png (apt-get install gnuplot-nox, or scripts/setup.sh "
                     "--viz; then run gnuplot on the .gp file)");
    return r;
  }
  const fs::path dir = png.has_parent_path() ? png.parent_path() : fs::path(".");
  const std::string cmd = "cd " + detail::shell_quote(dir.string()) + " && gnuplot " +
                          detail::shell_quote(script.filename().string()) + " 2>/dev/null";
  TG_CHECK(std::system(cmd.c_str()) == 0, "savefig: gnuplot failed on {} (run `{}` to see why)", script.string(),
           "cd " + dir.string() + " && gnuplot " + script.filename().string());
  std::error_code ec;
  r.rendered = fs::exists(png, ec) && fs::file_size(png, ec) > 0;
  return r;
}

}  // namespace viz
}  // namespace tg
