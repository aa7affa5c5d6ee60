#!/usr/bin/env bash
# Sets tapegrad up on Debian 12 (or Ubuntu): installs the packages it needs that are missing,
# builds it in Release into build/, and runs the demo: one neuron learning a line, then an
# MLP trained on four real datasets.
#
#   scripts/setup.sh              install + build + demo
#   scripts/setup.sh --deps-only  install only
#   scripts/setup.sh --bench      install only, with what bench/compare.sh compares against
#                                 (libtorch and PyTorch 1.13 from Debian, perf; ~1 GB)
#
# Installing needs root: run as root, or as a user with password-less sudo; otherwise the
# script prints the apt-get command to run and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake            # compiler and build system
  libxtensor-dev xtl-dev libxsimd-dev libxtensor-blas-dev  # xtensor and friends
  libopenblas-dev                  # BLAS for matrix products
  libgtest-dev libbenchmark-dev    # GoogleTest and Google Benchmark
  graphviz                         # dot, to render the tape as a picture
  gnuplot-nox                      # plots of loss landscapes and training curves
  libcli11-dev                     # command-line parsing of the tapegrad tool
)

if [[ "${1:-}" == "--bench" ]]; then
  packages+=(libtorch-dev python3-torch linux-perf)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "tapegrad: installing ${missing[*]}"
  if [[ $(id -u) -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "tapegrad needs these packages, and installing them needs root. Run:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    echo "then run this script again." >&2
    exit 1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "tapegrad: all required packages are installed"
fi

[[ "${1:-}" == "--deps-only" || "${1:-}" == "--bench" ]] && exit 0

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$(nproc)"
echo
./build/examples/single_neuron
echo
./build/examples/mlp_real_data
