#!/usr/bin/env python3
"""Whole-model latency of the example Fashion-MNIST CNN: our compiled float
model (quant-import -> qnt-fold-batchnorm -> quant-run --bench) against
PyTorch eager float, single thread, at batch 1 and 64, in the same run.

Rounds alternate between the two so that both see the same machine load;
each round reports a median over --runs timed calls after warm-up, and the
table gives the median of the round medians and their ratio.

  /usr/bin/python3 bench/model_vs_pytorch.py --build build [--rounds 5] [--runs 50]
"""

import argparse
import gzip
import os
import re
import statistics
import subprocess
import sys
import time

import numpy as np
import onnx
from onnx import numpy_helper
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "examples", "fashion_mnist")
DATA = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"
SCALE, MEAN, STD = 1.0 / 255, 0.2860, 0.3530
sys.path.insert(0, EXAMPLE)
from train import LabCNN  # noqa: E402  the model definition that was trained


def test_images(count):
    with gzip.open(DATA, "rb") as f:
        data = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
    images = data.reshape(-1, 1, 28, 28)[:count].astype(np.float32)
    return torch.from_numpy((images * SCALE - MEAN) / STD)


def pytorch_model(onnx_path):
    model = LabCNN()
    weights = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy())
               for t in onnx.load(onnx_path).graph.initializer}
    state = model.state_dict()
    for name in state:
        if name in weights:
            state[name] = weights[name]
    model.load_state_dict(state)
    return model.eval()


def pytorch_round(model, x, warmup, runs):
    times = []
    with torch.no_grad():
        for _ in range(warmup):
            model(x)
        for _ in range(runs):
            start = time.perf_counter()
            model(x)
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def ours_round(build, mlir, batch, warmup, runs):
    out = subprocess.run(
        [os.path.join(build, "bin", "quant-run"), mlir, "--bench", "--runs=%d" % runs,
         "--warmup=%d" % warmup, "--dataset=" + DATA, "--limit=%d" % batch,
         "--scale=%r" % SCALE, "--mean=%r" % MEAN, "--std=%r" % STD],
        check=True, capture_output=True, text=True).stdout
    return float(re.search(r"median ([0-9.]+) ms", out).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(1)

    work = os.path.join(args.build, "bench")
    os.makedirs(work, exist_ok=True)
    rows = []
    for batch, onnx_name in [(1, "fashion_mnist_cnn.onnx"), (64, "fashion_mnist_cnn_b64.onnx")]:
        onnx_path = os.path.join(EXAMPLE, onnx_name)
        imported = os.path.join(work, "cnn_b%d.mlir" % batch)
        folded = os.path.join(work, "cnn_b%d.folded.mlir" % batch)
        subprocess.run([os.path.join(args.build, "bin", "quant-import"), onnx_path, "-o", imported], check=True)
        subprocess.run([os.path.join(args.build, "bin", "quant-opt"), imported,
                        "--qnt-fold-batchnorm", "-o", folded], check=True)
        model = pytorch_model(onnx_path)
        x = test_images(batch)
        ours, theirs = [], []
        for _ in range(args.rounds):
            ours.append(ours_round(args.build, folded, batch, args.warmup, args.runs))
            theirs.append(pytorch_round(model, x, args.warmup, args.runs))
        rows.append((batch, statistics.median(ours), statistics.median(theirs)))

    print("| batch | quant-run median (ms) | PyTorch eager median (ms) | PyTorch / quant-run |")
    print("|---|---|---|---|")
    for batch, ours, theirs in rows:
        print("| %d | %.3f | %.3f | %.2fx |" % (batch, ours, theirs, theirs / ours))
    print("\ntorch %s, %d rounds x %d runs, single thread" % (torch.__version__, args.rounds, args.runs))


if __name__ == "__main__":
    main()
