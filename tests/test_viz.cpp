// tg::viz: the DOT text of small backward graphs, and the files a figure writes (the CSV, the
// gnuplot script, and the PNG when gnuplot is installed).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tensorgrad/tensorgrad.h"
#include "test_support.h"
#include "tensorgrad/viz/dot.h"
#include "tensorgrad/viz/figure.h"

namespace {

using tg_test::expect_error;
using tg_test::vals;

namespace fs = std::filesystem;
using tg::Tensor;

std::string read(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}


// A fresh directory under the test's temporary directory.
fs::path scratch(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("tg_viz_test_" + name);
  fs::remove_all(d);
  return d;
}

// Runs fn with PATH emptied, so that no external program is found.
template <typename F> void without_programs(F&& fn) {
  const char* old = std::getenv("PATH");
  const std::string saved = old ? old : "";
  setenv("PATH", "", 1);
  fn();
  setenv("PATH", saved.c_str(), 1);
}

// ---- to_dot ----------------------------------------------------------------------------------

TEST(ToDot, SmallGraphWithAConstantInput) {
  Tensor w = tg::tensor({0.5, -1.0, 2.0}).requires_grad_();
  Tensor x = tg::tensor({1.0, 2.0, 3.0});
  Tensor y = (w * x).sigmoid().sum();
  EXPECT_EQ(tg::viz::to_dot(y),
            "digraph backward {\n"
            "  node [shape=box, style=filled, fontname=\"Helvetica\", fontsize=11];\n"
            "  root [label=\"output\\n[]\", fillcolor=darkolivegreen1];\n"
            "  n0 [label=\"SumBackward0\", fillcolor=lightgrey];\n"
            "  n1 [label=\"SigmoidBackward0\", fillcolor=lightgrey];\n"
            "  n2 [label=\"MulBackward0\\nno grad: input 1\", fillcolor=lightgrey];\n"
            "  n3 [label=\"[3]\", fillcolor=lightblue];\n"
            "  n1 -> n0;\n"
            "  n2 -> n1;\n"
            "  n3 -> n2;\n"
            "  n0 -> root;\n"
            "}\n");
}

TEST(ToDot, ALeafUsedTwiceIsOneNodeAndParametersAreNamed) {
  tg::manual_seed(1);
  tg::nn::Linear fc(3, 2);
  Tensor x = tg::randn({4, 3});
  Tensor out = fc(x);
  Tensor loss = (out * out).mean();
  tg::viz::DotOptions o;
  o.root_label = "loss";
  const std::string dot = tg::viz::to_dot(loss, fc->named_parameters(), o);
  EXPECT_NE(dot.find("root [label=\"loss\\n[]\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("[label=\"MeanBackward0\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("[label=\"weight\\n[2, 3]\", fillcolor=lightblue]"), std::string::npos) << dot;
  EXPECT_NE(dot.find("[label=\"bias\\n[2]\", fillcolor=lightblue]"), std::string::npos) << dot;
  // out * out: the product's node has two edges from out's node, drawn twice, one node for out
  const size_t mul = dot.find("[label=\"MulBackward0\"");
  ASSERT_NE(mul, std::string::npos);
  const std::string mul_id =
      dot.substr(dot.rfind("  n", mul) + 2, dot.find(' ', dot.rfind("  n", mul) + 2) - dot.rfind("  n", mul) - 2);
  size_t arrows = 0;
  for (size_t p = dot.find("-> " + mul_id + ";"); p != std::string::npos; p = dot.find("-> " + mul_id + ";", p + 1))
    ++arrows;
  EXPECT_EQ(arrows, 2u) << dot;
  // every leaf of the graph appears once
  size_t leaves = 0;
  for (size_t p = dot.find("lightblue"); p != std::string::npos; p = dot.find("lightblue", p + 1)) ++leaves;
  EXPECT_EQ(leaves, 2u) << dot;
}

TEST(ToDot, SavedTensorsAreShownUntilReleased) {
  Tensor a = tg::ones({2, 3}).requires_grad_();
  Tensor y = a.sigmoid();
  Tensor s = y.sum();
  tg::viz::DotOptions o;
  o.show_saved = true;
  std::string dot = tg::viz::to_dot(s, o);
  // sigmoid saves its output
  EXPECT_NE(dot.find("n1_s0 [label=\"saved\\nfloat32 [2, 3]\", fillcolor=orange, fontsize=9];"), std::string::npos)
      << dot;
  EXPECT_NE(dot.find("n1_s0 -> n1 [style=dotted, arrowhead=none];"), std::string::npos) << dot;
  s.backward();
  dot = tg::viz::to_dot(s, o);
  EXPECT_EQ(dot.find("saved"), std::string::npos) << dot;  // freed by the backward
}

TEST(ToDot, ATensorWithoutGraph) {
  EXPECT_EQ(tg::viz::to_dot(tg::zeros({2})),
            "digraph backward {\n"
            "  node [shape=box, style=filled, fontname=\"Helvetica\", fontsize=11];\n"
            "  root [label=\"output\\n[2]\", fillcolor=darkolivegreen1];\n"
            "}\n");
  expect_error([] { tg::viz::to_dot(Tensor()); }, "to_dot: the root tensor is undefined");
}

TEST(ToDot, RenderWritesTheDotFileAndThePngWithGraphviz) {
  const fs::path d = scratch("dot");
  Tensor w = tg::ones({2}).requires_grad_();
  const std::string dot = tg::viz::to_dot((w * 2).sum());
  without_programs([&] { EXPECT_FALSE(tg::viz::render_dot(dot, (d / "a.png").string())); });
  EXPECT_EQ(read(d / "a.dot"), dot);
  EXPECT_FALSE(fs::exists(d / "a.png"));
  if (!tg::viz::have_graphviz()) GTEST_SKIP() << "Graphviz is not installed";
  EXPECT_TRUE(tg::viz::render_dot(dot, (d / "b.png").string()));
  EXPECT_EQ(read(d / "b.png").substr(1, 3), "PNG");
}

// ---- figures -----------------------------------------------------------------------------------

TEST(Figure, WritesTheDataAndAScriptThatReadsIt) {
  const fs::path d = scratch("fig");
  Tensor x = tg::tensor({0.0, 1.0, 2.0});
  tg::viz::Figure fig(1, 2);
  fig(0, 0).plot(x, x * x, "square").plot(x, x + 1, "line", "--").set_title("two lines").legend().grid();
  fig(0, 1).scatter(x, x, "points", tg::tensor({0, 1, 1})).set_xlabel("x").set_ylabel("y").set_yscale("log");
  fig.suptitle("a figure");
  tg::viz::SavedFigure r;
  without_programs([&] { r = fig.savefig((d / "f.png").string()); });
  EXPECT_FALSE(r.rendered);
  EXPECT_EQ(r.csv, (d / "f.csv").string());
  EXPECT_EQ(read(d / "f.csv"),
            "panel,series,x,y,z\n"
            "0,0,0,0,\n0,0,1,1,\n0,0,2,4,\n"
            "0,1,0,1,\n0,1,1,2,\n0,1,2,3,\n"
            "1,0,0,0,0\n1,0,1,1,1\n1,0,2,2,1\n");
  const std::string gp = read(d / "f.gp");
  EXPECT_NE(gp.find("set output \"f.png\""), std::string::npos) << gp;
  EXPECT_NE(gp.find("set multiplot layout 1,2 title \"a figure\""), std::string::npos) << gp;
  EXPECT_NE(gp.find("set title \"two lines\""), std::string::npos) << gp;
  EXPECT_NE(gp.find("\"f.csv\" skip 1 every ::0::2 using 3:4 with lines lw 2 title \"square\""), std::string::npos)
      << gp;
  EXPECT_NE(gp.find("\"f.csv\" skip 1 every ::3::5 using 3:4 with lines lw 2 dt 2 title \"line\""), std::string::npos)
      << gp;
  EXPECT_NE(
      gp.find("\"f.csv\" skip 1 every ::6::8 using 3:4:($5+1) with points pt 7 ps 0.7 lc variable title \"points\""),
      std::string::npos)
      << gp;
  EXPECT_NE(gp.find("set logscale y"), std::string::npos) << gp;
  EXPECT_NE(gp.find("set xlabel \"x\""), std::string::npos) << gp;
  EXPECT_FALSE(fs::exists(d / "f.png"));

  if (!tg::viz::have_gnuplot()) GTEST_SKIP() << "gnuplot is not installed";
  r = fig.savefig((d / "f.png").string());
  EXPECT_TRUE(r.rendered);
  EXPECT_EQ(read(d / "f.png").substr(1, 3), "PNG");
}

TEST(Figure, HeatMapAndReferenceLines) {
  const fs::path d = scratch("heat");
  tg::viz::Figure fig;
  fig.axes()
      .imshow(tg::tensor({{0.0, 1.0, 2.0}, {3.0, 4.0, 5.0}}), -1, 1, 0, 10)
      .axhline(0.5, "half")
      .axvline(0.25)
      .set_clim(0, 5);
  fig.set_size(300, 200);
  tg::viz::SavedFigure r;
  without_programs([&] { r = fig.savefig((d / "h.png").string()); });
  EXPECT_EQ(read(d / "h.csv"),
            "panel,series,x,y,z\n"
            "0,0,-1,0,0\n0,0,0,0,1\n0,0,1,0,2\n"
            "0,0,-1,10,3\n0,0,0,10,4\n0,0,1,10,5\n");
  const std::string gp = read(d / "h.gp");
  EXPECT_NE(gp.find("size 300,200"), std::string::npos) << gp;
  EXPECT_NE(gp.find("using 3:4:5 with image"), std::string::npos) << gp;
  EXPECT_NE(gp.find("set cbrange [0:5]"), std::string::npos) << gp;
  EXPECT_NE(gp.find("0.5 with lines dt 2 lc rgb \"gray40\" title \"half\""), std::string::npos) << gp;
  EXPECT_NE(gp.find("set arrow from 0.25, graph 0 to 0.25, graph 1 nohead"), std::string::npos) << gp;
  EXPECT_EQ(gp.find("multiplot"), std::string::npos) << gp;  // one panel, no title: a plain plot
  if (!tg::viz::have_gnuplot()) GTEST_SKIP() << "gnuplot is not installed";
  EXPECT_TRUE(fig.savefig((d / "h.png").string()).rendered);
}

TEST(Figure, BadArgumentsNameTheCallAndTheShapes) {
  tg::viz::Figure fig(2, 2);
  expect_error(
      [&] {
        fig.axes().plot(tg::zeros({3}), tg::zeros({2, 2}));
      },
      "plot: x and y must have the same number of elements, got 3 ([3]) and 4 ([2, 2])");
  expect_error([&] { fig.axes().plot(tg::zeros({3}), tg::zeros({3}), "", "x-"); }, "plot: unknown style 'x-'");
  expect_error([&] { fig.axes().scatter(tg::zeros({3}), tg::zeros({3}), "", tg::zeros({2})); },
               "scatter: classes must have one entry per point, got 2 ([2]) for 3 points");
  expect_error([&] { fig.axes().imshow(tg::zeros({4}), 0, 1, 0, 1); },
               "imshow: expected a 2-D tensor with at least 2 rows and 2 columns, got [4]");
  expect_error([&] { fig(2, 0); }, "Figure: panel (2, 0) is out of range for a figure of 2 x 2 panels");
  expect_error([&] { fig.axes(4); }, "Figure: panel 4 is out of range for a figure of 4 panels");
  expect_error([&] { fig.axes().set_yscale("symlog"); }, "set_yscale: expected \"linear\" or \"log\", got \"symlog\"");
  expect_error([&] { fig.axes().set_xlim(1, 1); }, "set_xlim: expected lo < hi, got 1 and 1");
  expect_error([&] { fig.axes().set_clim(2, 1); }, "set_clim: expected lo < hi, got 2 and 1");
  expect_error([&] { fig.savefig("out/figure.svg"); }, "savefig: expected a path ending in .png, got 'out/figure.svg'");
  expect_error([] { tg::viz::Figure(0, 1); }, "Figure: expected 1 to 64 panels, got 0 x 1");
}

}  // namespace
