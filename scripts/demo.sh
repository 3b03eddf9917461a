#!/usr/bin/env bash
# The main job, end to end on the shipped example: fold the batch norms of
# examples/bn_folding/cnn.mlir with quant-opt, compile the model before and
# after folding with qnt-cpu-pipeline, run both with mlir-runner, and show
# that the logits agree.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
MODEL="${1:-$ROOT/examples/bn_folding/cnn.mlir}"
OUT="$BUILD_DIR/demo"

"$ROOT/scripts/bootstrap.sh"
"$ROOT/scripts/build.sh" quant-opt >/dev/null
mkdir -p "$OUT"

QUANT_OPT="$BUILD_DIR/bin/quant-opt"
LIBS=/usr/lib/llvm-22/lib
run_model() {
  "$QUANT_OPT" "$1" --qnt-cpu-pipeline |
    /usr/lib/llvm-22/bin/mlir-runner -e main -entry-point-result=void \
      -shared-libs="$LIBS/libmlir_c_runner_utils.so,$LIBS/libmlir_runner_utils.so"
}
count() { grep -c -E "$1" "$2" || true; }
describe() {
  printf '  %-34s qnt.batch_norm: %s, tosa.rsqrt: %s, tosa.mul: %s, tosa.sub: %s, tosa.add: %s\n' \
    "$(basename "$1")" "$(count 'qnt.batch_norm' "$1")" "$(count 'tosa.rsqrt' "$1")" \
    "$(count 'tosa.mul' "$1")" "$(count 'tosa.sub' "$1")" "$(count 'tosa.add' "$1")"
}

echo "== 1. fold batch norms: quant-opt --qnt-fold-batchnorm"
"$QUANT_OPT" "$MODEL" --qnt-fold-batchnorm -o "$OUT/cnn.folded.mlir"
describe "$MODEL"
describe "$OUT/cnn.folded.mlir"

echo "== 2. compile (qnt-cpu-pipeline) and run (mlir-runner) both models"
start=$(date +%s%N)
run_model "$MODEL" > "$OUT/reference.out"
mid=$(date +%s%N)
run_model "$OUT/cnn.folded.mlir" > "$OUT/folded.out"
end=$(date +%s%N)
echo "  compile+run: original $(( (mid - start) / 1000000 )) ms, folded $(( (end - mid) / 1000000 )) ms"

echo "== 3. compare logits (original vs folded)"
/usr/bin/python3 "$ROOT/scripts/compare_outputs.py" --bits --show 5 \
  "$OUT/reference.out" "$OUT/folded.out"
echo "outputs and intermediate files: $OUT"
