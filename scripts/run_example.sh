#!/usr/bin/env bash
# Quick start, part 1: installs what is missing, configures a Release build in build/, builds the
# main example and runs it. Extra arguments are passed to the example.
#
# Environment: BUILD_DIR (default build), JOBS (default: number of cores), EXAMPLE (default: the
# main example; any program in examples/, by name).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
example=${EXAMPLE:-fashion_mnist}  # the main example

scripts/setup.sh --data --viz
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" --target "$example" -j "$jobs"
echo "---- $build/examples/$example"
exec "$build/examples/$example" "$@"
