#!/usr/bin/env bash
# The main job, end to end on the shipped example (examples/fashion_mnist, a
# CNN trained in PyTorch and exported to ONNX with its batch norms):
# import it, fold the batch norms, compile it for the CPU, run it on the
# 10,000 Fashion-MNIST test images, and report accuracy and latency beside
# PyTorch's figures.
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

echo "== 4. accuracy on the 10,000 test images (compiled by qnt-cpu-pipeline, run by quant-run)"
"$BIN/quant-run" "$OUT/cnn_b64.folded.mlir" "${TEST_SET[@]}" "${PREPROCESS[@]}" | tee "$OUT/accuracy.txt" | sed 's/^/  /'
/usr/bin/python3 "$ROOT/scripts/check_accuracy.py" --json "$EXAMPLE/fashion_mnist_cnn.json" < "$OUT/accuracy.txt" | sed 's/^/  /'

echo "== 5. latency (quant-run --bench, one thread)"
for batch in 1 64; do
  "$BIN/quant-run" "$OUT/cnn_b$batch.folded.mlir" --bench --runs=50 \
    --dataset="$DATA/t10k-images-idx3-ubyte.gz" --limit="$batch" "${PREPROCESS[@]}" | sed 's/^/  /'
done
echo "outputs and intermediate files: $OUT"
