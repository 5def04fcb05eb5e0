#!/usr/bin/env bash
# Installs the Debian packages tensorgrad needs, and only those that are missing.
#
#   scripts/setup.sh           compiler, CMake, Eigen, fmt, GoogleTest, zlib
#   scripts/setup.sh --bench   the same, plus Google Benchmark (for -DTG_BUILD_BENCH=ON)
#   scripts/setup.sh --data    the same, plus Debian's Fashion-MNIST (for the main example)
#   scripts/setup.sh --viz     the same, plus gnuplot and Graphviz (the examples' figures and graphs)
#
# When everything is already installed it does nothing and needs no network, so it is safe to
# run before every build. It never asks a question (DEBIAN_FRONTEND=noninteractive), so it also
# runs in CI with no terminal. Needs root or sudo only when something is missing.
set -euo pipefail

packages=(cmake make g++ libeigen3-dev libfmt-dev libgtest-dev zlib1g-dev)
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(libbenchmark-dev) ;;
    --data) packages+=(dataset-fashion-mnist) ;;
    --viz) packages+=(gnuplot-nox graphviz) ;;
    -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ "$status" == installed ]] || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup.sh: all packages present (${packages[*]})"
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  echo "setup.sh: missing ${missing[*]}, and there is no apt-get to install them." >&2
  echo "Install them with your system's package manager (see README.md, 'Requirements')." >&2
  exit 1
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then
    # -n: fail rather than wait for a password when nobody is there to type it.
    if [[ -t 0 ]]; then sudo=(sudo env DEBIAN_FRONTEND=noninteractive); else sudo=(sudo -n env DEBIAN_FRONTEND=noninteractive); fi
  else
    echo "setup.sh: missing ${missing[*]}; run as root, or install sudo." >&2
    exit 1
  fi
fi

# A mirror that hiccups should not fail a CI run: try each step up to three times.
retry() {
  local n
  for n in 1 2 3; do
    "$@" && return 0
    echo "setup.sh: attempt $n of 3 failed: $*" >&2
    sleep $((n * 5))
  done
  return 1
}

export DEBIAN_FRONTEND=noninteractive
echo "setup.sh: installing ${missing[*]}"
retry "${sudo[@]}" apt-get update -q
retry "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
