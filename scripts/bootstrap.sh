#!/usr/bin/env bash
# Installs the Debian packages that building and testing QuantMLIR need,
# only those that are missing (apt-get update runs first when any is).
# Run as root, or with sudo available.
set -euo pipefail

PACKAGES=(
  # LLVM/MLIR 22, linked through libMLIR.so; lit, FileCheck, mlir-runner.
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  clang-22 lld-22
  # Build tools.
  cmake ninja-build ccache
  # Unit tests; python3 runs lit and the example generators.
  libgtest-dev python3
  # ONNX importer (libonnx: checker, shape inference) and its test models.
  libonnx-dev libprotobuf-dev python3-onnx python3-numpy
  # ONNX backend node tests (conformance) and the example data set.
  libonnx-testdata dataset-fashion-mnist
  # gzip-compressed IDX datasets.
  zlib1g-dev
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "bootstrap: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "bootstrap: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
