#pragma once
/// \file figure.h
/// Figures from tensors, in the manner of matplotlib's pyplot, drawn by gnuplot:
///
///     tg::viz::Figure fig(1, 2);                        // plt.subplots(1, 2)
///     fig(0, 0).plot(x, tg::sigmoid(x), "sigmoid").set_title("sigmoid").grid();
///     fig(0, 1).plot(x, x.grad(), "derivative").set_ylim(0, 0.3).legend();
///     fig.savefig("out/sigmoid.png");                   // sigmoid.csv, sigmoid.gp, sigmoid.png
///
/// savefig writes the data as CSV and a gnuplot script beside the PNG, then runs gnuplot when it
/// is installed (Debian's gnuplot-nox). Without gnuplot it says so once and still writes the data
/// and the script, so `gnuplot sigmoid.gp` renders the PNG later. Tensors may be of any floating
/// or integer dtype; they are read as float64 and never require grad here (pass x.detach() or
/// not: the values are copied).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tensorgrad/tensor.h"

namespace tg {
namespace viz {

/// One panel of a figure: series, titles, axes.
class Axes {
 public:
  /// A line through (x[i], y[i]); x and y have the same number of elements (any shape: read in
  /// order). style, as matplotlib's: "-" (line, the default), "--" (dashed), ":" (dotted),
  /// "o" (points), "-o" (line and points).
  Axes& plot(const Tensor& x, const Tensor& y, const std::string& label = "", const std::string& style = "-");
  /// y against 0, 1, 2, ... (a training curve).
  Axes& plot(const Tensor& y, const std::string& label = "", const std::string& style = "-");
  /// Points (x[i], y[i]), coloured by `classes` (integers 0 to 9, one per point) when it is given:
  /// class 0 blue, class 1 red, then the rest of matplotlib's "tab10" colours.
  Axes& scatter(const Tensor& x, const Tensor& y, const std::string& label = "", const Tensor& classes = {});
  /// A heat map of the 2-D tensor z, from blue (low) through white to red (high): z[i][j] is drawn at x = x0 + j (x1 -
  /// x0) / (cols - 1), y = y0 + i (y1 - y0) / (rows - 1) (as matplotlib's imshow with origin="lower" and extent).
  Axes& imshow(const Tensor& z, double x0, double x1, double y0, double y1, const std::string& label = "");
  /// A horizontal / vertical reference line across the panel.
  Axes& axhline(double y, const std::string& label = "");
  Axes& axvline(double x, const std::string& label = "");

  Axes& set_title(const std::string& title);
  Axes& set_xlabel(const std::string& label);
  Axes& set_ylabel(const std::string& label);
  Axes& set_xlim(double lo, double hi);
  Axes& set_ylim(double lo, double hi);
  /// The range of values the heat map's colours span (matplotlib's clim); by default the data's.
  Axes& set_clim(double lo, double hi);
  /// "linear" (default) or "log".
  Axes& set_yscale(const std::string& scale);
  Axes& legend(bool on = true);
  Axes& grid(bool on = true);

  /// One series of the panel (for Figure and for tests).
  struct Series {
    enum class Kind { Line, Points, Image, HLine, VLine } kind;
    std::string label, style;
    std::vector<double> x, y, z;  // z: class per point (Points), value per cell (Image)
    size_t rows = 0, cols = 0;    // Image
  };
  const std::vector<Series>& series() const { return series_; }

 private:
  friend class Figure;
  std::vector<Series> series_;
  std::string title_, xlabel_, ylabel_, yscale_ = "linear";
  std::optional<std::pair<double, double>> xlim_, ylim_, clim_;
  bool legend_ = false, grid_ = false;
};

/// The files savefig wrote.
struct SavedFigure {
  std::string png, csv, script;
  bool rendered = false;  ///< true when gnuplot drew the PNG
};

/// A figure of rows x cols panels (matplotlib's plt.subplots(rows, cols)).
class Figure {
 public:
  explicit Figure(int rows = 1, int cols = 1);
  /// The panel at (row, col).
  Axes& operator()(int row, int col);
  /// Panel i in row-major order (panel 0 for a one-panel figure).
  Axes& axes(int i = 0);
  /// A title above all panels.
  Figure& suptitle(const std::string& title);
  /// The PNG's size in pixels; by default 640 x 480 per panel, at most 1920 x 1440.
  Figure& set_size(int width_px, int height_px);

  /// Writes <stem>.csv (columns panel, series, x, y, z), <stem>.gp (the gnuplot script) and, when
  /// gnuplot is installed, <stem>.png, where png_path is <stem>.png. Creates the directory.
  SavedFigure savefig(const std::string& png_path) const;

  int rows() const { return rows_; }
  int cols() const { return cols_; }

 private:
  int rows_, cols_;
  int width_ = 0, height_ = 0;
  std::string suptitle_;
  std::vector<Axes> axes_;
};

/// True when gnuplot is on the PATH.
bool have_gnuplot();

}  // namespace viz
}  // namespace tg
