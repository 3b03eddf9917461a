#!/usr/bin/env bash
# The main job, end to end on the shipped examples (examples/fashion_mnist: a
# CNN and a binarized network trained in PyTorch and exported to ONNX):
# import the CNN, fold its batch norms, check that folding changes nothing,
# quantize it to int8 (calibration, qnt-ptq-pipeline), compile the BNN with
# qnt-bnn-pipeline (float first and last layers, and int8 ones from
# calibration statistics), run each on the 10,000 Fashion-MNIST test images,
# and print float vs int8 vs BNN: accuracy (beside PyTorch's), weight bytes
# and latency at batch 1 and 64.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
EXAMPLE="$ROOT/examples/fashion_mnist"
DATA=/usr/share/datasets/fashion-mnist
OUT="$BUILD_DIR/demo"

"$ROOT/scripts/bootstrap.sh"
"$ROOT/scripts/build.sh" quant-import quant-opt quant-run >/dev/null
mkdir -p "$OUT"
BIN="$BUILD_DIR/bin"
PREPROCESS=(--scale=0.00392156862745098 --mean=0.2860 --std=0.3530)
TEST_SET=(--dataset="$DATA/t10k-images-idx3-ubyte.gz" --labels="$DATA/t10k-labels-idx1-ubyte.gz")
count() { grep -c -E "$1" "$2" || true; }

echo "== 1. import the ONNX model: quant-import"
for batch in 1 64; do
  suffix=$([ "$batch" = 1 ] && echo "" || echo "_b64")
  "$BIN/quant-import" "$EXAMPLE/fashion_mnist_cnn$suffix.onnx" -o "$OUT/cnn_b$batch.mlir"
done
printf '  %s: %s tosa.conv2d, %s tosa.matmul, %s qnt.batch_norm\n' "cnn_b64.mlir" \
  "$(count 'tosa.conv2d' "$OUT/cnn_b64.mlir")" "$(count 'tosa.matmul' "$OUT/cnn_b64.mlir")" \
  "$(count 'qnt.batch_norm' "$OUT/cnn_b64.mlir")"

echo "== 2. fold batch norms: quant-opt --qnt-fold-batchnorm"
for batch in 1 64; do
  "$BIN/quant-opt" "$OUT/cnn_b$batch.mlir" --qnt-fold-batchnorm -o "$OUT/cnn_b$batch.folded.mlir"
done
printf '  %s: %s qnt.batch_norm left\n' "cnn_b64.folded.mlir" "$(count 'qnt.batch_norm' "$OUT/cnn_b64.folded.mlir")"

echo "== 3. folding changes no result: logits of the first 1,000 test images"
for model in cnn_b64 cnn_b64.folded; do
  "$BIN/quant-run" "$OUT/$model.mlir" --dataset="$DATA/t10k-images-idx3-ubyte.gz" --limit=1000 \
    "${PREPROCESS[@]}" --output="$OUT/$model.logits.npy" >/dev/null
done
/usr/bin/python3 - "$OUT/cnn_b64.logits.npy" "$OUT/cnn_b64.folded.logits.npy" <<'PY'
import sys, numpy as np
a, b = (np.load(p).reshape(-1, 10) for p in sys.argv[1:3])
rel = np.abs(a - b).max() / np.abs(a).max()
print("  max rel diff %.2e, argmax agrees on %d/%d" % (rel, (a.argmax(1) == b.argmax(1)).sum(), len(a)))
PY

echo "== 4. int8: calibrate on the first 512 training images, then qnt-ptq-pipeline (symmetric, per-channel)"
for batch in 1 64; do
  "$BIN/quant-run" "$OUT/cnn_b$batch.folded.mlir" --dataset="$DATA/train-images-idx3-ubyte.gz" \
    "${PREPROCESS[@]}" --calibrate=512 --stats-out="$OUT/cnn_b$batch.stats.json" | sed 's/^/  /'
  "$BIN/quant-opt" "$OUT/cnn_b$batch.folded.mlir" \
    --qnt-ptq-pipeline="stats=$OUT/cnn_b$batch.stats.json scheme=symmetric granularity=per-channel" \
    -o "$OUT/cnn_b$batch.int8.mlir"
done
printf '  %s: %s qnt.conv2d, %s qnt.matmul, %s qnt.requantize, %s float conv/matmul left\n' "cnn_b64.int8.mlir" \
  "$(count 'qnt\.conv2d' "$OUT/cnn_b64.int8.mlir")" "$(count 'qnt\.matmul' "$OUT/cnn_b64.int8.mlir")" \
  "$(count 'qnt\.requantize' "$OUT/cnn_b64.int8.mlir")" "$(count 'tosa\.(conv2d|matmul) ' "$OUT/cnn_b64.int8.mlir")"

echo "== 5. BNN: quant-import, then qnt-bnn-pipeline (XNOR-popcount layers, BN thresholds, packed activations);"
echo "   calibrate its output and run it again with stats= for int8 first and last layers"
for batch in 1 64; do
  suffix=$([ "$batch" = 1 ] && echo "" || echo "_b64")
  "$BIN/quant-import" "$EXAMPLE/fashion_mnist_bnn$suffix.onnx" -o "$OUT/bnn_b$batch.mlir"
  "$BIN/quant-opt" "$OUT/bnn_b$batch.mlir" --qnt-bnn-pipeline -o "$OUT/bnn_b$batch.binary.mlir"
  "$BIN/quant-run" "$OUT/bnn_b$batch.binary.mlir" --dataset="$DATA/train-images-idx3-ubyte.gz" \
    "${PREPROCESS[@]}" --calibrate=512 --stats-out="$OUT/bnn_b$batch.stats.json" | sed 's/^/  /'
  # Remarks name the ops left float; the stale-statistics warning would be one.
  "$BIN/quant-opt" "$OUT/bnn_b$batch.mlir" --qnt-bnn-pipeline="stats=$OUT/bnn_b$batch.stats.json" \
    -o "$OUT/bnn_b$batch.int8-edges.mlir" 2>"$OUT/bnn_b$batch.int8-edges.remarks"
done
printf '  %s: %s qnt.bconv2d, %s qnt.bmatmul, %s qnt.bmaxpool2d\n' "bnn_b64.binary.mlir" \
  "$(count 'qnt\.bconv2d' "$OUT/bnn_b64.binary.mlir")" "$(count 'qnt\.bmatmul' "$OUT/bnn_b64.binary.mlir")" \
  "$(count 'qnt\.bmaxpool2d' "$OUT/bnn_b64.binary.mlir")"
printf '  %s: %s qnt.conv2d, %s qnt.matmul (int8 edges), %s float conv/matmul left\n' "bnn_b64.int8-edges.mlir" \
  "$(count 'qnt\.conv2d' "$OUT/bnn_b64.int8-edges.mlir")" "$(count 'qnt\.matmul' "$OUT/bnn_b64.int8-edges.mlir")" \
  "$(count 'tosa\.(conv2d|matmul) ' "$OUT/bnn_b64.int8-edges.mlir")"

echo "== 6. accuracy on the 10,000 test images and latency (compiled by qnt-cpu-pipeline, run by quant-run, one thread)"
median() { sed -n 's/^latency: median \([0-9.]*\) ms.*/\1/p' "$1"; }
rows=()
# name, model stem, PyTorch figures (JSON with test_accuracy)
measure() {
  local name=$1 stem=$2 reference=$3
  "$BIN/quant-run" "$OUT/${stem/@/64}.mlir" "${TEST_SET[@]}" "${PREPROCESS[@]}" --progress=false \
    > "$OUT/$name.accuracy.txt"
  local accuracy check
  accuracy=$(sed -n 's/^accuracy: \([0-9.]*\) .*/\1/p' "$OUT/$name.accuracy.txt")
  check=$(/usr/bin/python3 "$ROOT/scripts/check_accuracy.py" --json "$reference" --points 0.3 \
    < "$OUT/$name.accuracy.txt" || true)
  echo "  $name: $check"
  for batch in 1 64; do
    "$BIN/quant-run" "$OUT/${stem/@/$batch}.mlir" --bench --runs=50 \
      --dataset="$DATA/t10k-images-idx3-ubyte.gz" --limit="$batch" "${PREPROCESS[@]}" \
      > "$OUT/$name.b$batch.bench.txt"
  done
  rows+=("$(printf '%-8s %9s %13s %12s %13s' "$name" "$accuracy" \
    "$(/usr/bin/python3 "$ROOT/scripts/weight_bytes.py" "$OUT/${stem/@/64}.mlir")" \
    "$(median "$OUT/$name.b1.bench.txt")" "$(median "$OUT/$name.b64.bench.txt")")")
}
measure float cnn_b@.folded "$EXAMPLE/fashion_mnist_cnn.json"
measure int8 cnn_b@.int8 "$EXAMPLE/fashion_mnist_cnn.json"
measure bnn bnn_b@.binary "$EXAMPLE/fashion_mnist_bnn.json"
measure bnn-int8 bnn_b@.int8-edges "$EXAMPLE/fashion_mnist_bnn.json"

echo "== 7. float vs int8 vs BNN (latency: median of 50 runs, ms per batch)"
printf '  %-8s %9s %13s %12s %13s\n' model accuracy "weight bytes" "batch 1 ms" "batch 64 ms"
printf '  %s\n' "${rows[@]}"
echo "  (bnn: float first and last layers; bnn-int8: the same BNN with int8 first and last layers."
echo "   PyTorch: float 0.9118, its own int8 PTQ 0.9112, the BNN 0.8746; docs/performance.md compares speeds)"
echo "outputs and intermediate files: $OUT"
