#!/usr/bin/env bash
# Regenerates the figures and printed results of docs/tutorials.md: builds the nine tutorial
# examples (Release), runs each in full (not --quick), copies its PNGs and its output into
# docs/tutorials/<example>/, and puts each output into docs/tutorials.md. Needs gnuplot and Graphviz (scripts/setup.sh --viz) for the PNGs and
# Debian's Fashion-MNIST (scripts/setup.sh --data) for activation_comparison. About two minutes.
#
# Environment: BUILD_DIR (default build), JOBS (default: number of cores).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
examples=(activation_plots softmax_scores logic_gates autograd_basics activation_comparison vanishing_gradients
          lstm_sequence learnable_activations graph_viz)

scripts/setup.sh --viz --data
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target "${examples[@]}" -j "$jobs"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for e in "${examples[@]}"; do
  echo "---- $e"
  "$build/examples/$e" --out "$scratch/$e" | sed "s|$scratch/$e/||g" | tee "$scratch/$e.txt"
  rm -rf "docs/tutorials/$e"
  mkdir -p "docs/tutorials/$e"
  cp "$scratch/$e.txt" "docs/tutorials/$e/output.txt"
  cp "$scratch/$e/"*.png "docs/tutorials/$e/"
done
# docs/tutorials.md: the text between "<!-- output:NAME -->" and "<!-- end -->" becomes NAME's output.
awk -v dir=docs/tutorials '
  /^<!-- output:[a-z_]+ -->$/ {
    print; name = substr($0, 13, length($0) - 16)
    print "```text"; while ((getline line < (dir "/" name "/output.txt")) > 0) print line; close(dir "/" name "/output.txt")
    print "```"; skipping = 1; next
  }
  /^<!-- end -->$/ { skipping = 0 }
  !skipping { print }' docs/tutorials.md >"$scratch/tutorials.md"
cp "$scratch/tutorials.md" docs/tutorials.md
echo "wrote docs/tutorials/*/ ($(du -sh docs/tutorials | cut -f1)) and the results in docs/tutorials.md"
