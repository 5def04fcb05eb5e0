#!/usr/bin/env bash
# Quick start, part 2: installs what is missing (with gnuplot and Graphviz, which the example tests
# use), configures build/ (Release, warnings as errors),
# builds everything and runs the whole test suite with ctest. Exits non-zero if anything fails.
# Extra arguments go to ctest, e.g. scripts/test.sh -R Autograd  or  scripts/test.sh -L package
#
# Environment: BUILD_DIR (default build), JOBS (default: number of cores).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}

scripts/setup.sh --viz  # gnuplot and Graphviz: the example tests check the PNGs too
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DTG_WERROR=ON -DTG_BUILD_TESTS=ON
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" --output-on-failure --no-tests=error -j "$jobs" "$@"
