#!/usr/bin/env bash
# Builds and runs quant-bench (bench/): our generated int8 and binary
# kernels against oneDNN (uncapped, then in a second process with its ISA
# capped), OpenBLAS and the register-resident limits, single-threaded, with
# repetitions; prints a Markdown table of medians and ratios
# (bench/bench_table.py). See bench/README.md and docs/performance.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
JOBS="${JOBS:-$(nproc)}"
REPETITIONS=5
MIN_TIME=0.2
FILTER="."
CAP="avx512_core_vnni"
INSTALL=1
OUT=""

usage() {
  cat <<USAGE
usage: scripts/bench.sh [options]

  --build-dir DIR    build directory (default: \$BUILD_DIR or build/); it is
                     configured with -DQUANTMLIR_BUILD_BENCH=ON
  --out DIR          where the JSON files and table.md go
                     (default: <build-dir>/bench-results)
  --filter REGEX     Google Benchmark filter on <family>/<impl>/<shape>
                     names, e.g. 'gemm_i8|peak' (default: everything)
  --repetitions N    repetitions per benchmark; tables use the median (5)
  --min-time S       minimum seconds per repetition (0.2)
  --dnnl-cap ISA     oneDNN ISA cap of the second run, a dnnl::cpu_isa name
                     (avx512_core_vnni); 'none' skips the capped run
  --no-install       do not install missing Debian packages
  -h, --help         this text

Environment: JOBS (build parallelism). Every library runs single-threaded
(OMP_NUM_THREADS=1, OPENBLAS_NUM_THREADS=1).
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) BUILD_DIR="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --filter) FILTER="$2"; shift 2 ;;
    --repetitions) REPETITIONS="$2"; shift 2 ;;
    --min-time) MIN_TIME="$2"; shift 2 ;;
    --dnnl-cap) CAP="$2"; shift 2 ;;
    --no-install) INSTALL=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
OUT="${OUT:-$BUILD_DIR/bench-results}"

if [ "$INSTALL" = 1 ]; then
  bash "$ROOT/scripts/bootstrap.sh"
  missing=()
  for pkg in libbenchmark-dev libdnnl-dev libopenblas-dev; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "bench.sh: installing ${missing[*]}"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi

# build.sh configures a fresh directory (the build.ninja target builds
# nothing); the option is then switched on in its cache.
BUILD_DIR="$BUILD_DIR" JOBS="$JOBS" bash "$ROOT/scripts/build.sh" build.ninja
cmake -DQUANTMLIR_BUILD_BENCH=ON "$BUILD_DIR" >/dev/null
BUILD_DIR="$BUILD_DIR" JOBS="$JOBS" bash "$ROOT/scripts/build.sh" quant-bench

mkdir -p "$OUT"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit+local-changes"
fi
common=(--benchmark_repetitions="$REPETITIONS" --benchmark_report_aggregates_only=true
        --benchmark_min_time="$MIN_TIME" --benchmark_filter="$FILTER"
        --benchmark_out_format=json --benchmark_context=commit="$commit")

echo "== machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs"
echo "== features: $(grep -o -w -E 'avx512[a-z_0-9]*|amx[a-z_0-9]*|avx_vnni|fma|avx2' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "== commit $commit; oneDNN uncapped, OpenBLAS, register-resident limits, our kernels"
files=("$OUT/all.json")
"$BUILD_DIR/bin/quant-bench" "${common[@]}" --benchmark_out="$OUT/all.json"
if [ "$CAP" != none ]; then
  echo "== oneDNN capped to $CAP"
  "$BUILD_DIR/bin/quant-bench" --dnnl-max-isa="$CAP" "${common[@]}" \
    --benchmark_out="$OUT/dnnl-$CAP.json"
  files+=("$OUT/dnnl-$CAP.json")
fi
/usr/bin/python3 "$ROOT/bench/bench_table.py" "${files[@]}" | tee "$OUT/table.md"
echo "bench.sh: JSON and table.md in $OUT"
