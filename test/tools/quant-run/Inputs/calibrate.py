#!/usr/bin/env python3
"""Data and the NumPy reference for the quant-run calibration tests.

  calibrate.py data <dir>      writes samples.npy: 7 images [4, 4, 1]
  calibrate.py check <stats.json> <samples.npy> --samples N --kind K --bins B
                               checks every statistic of calibrate.mlir

Inputs are multiples of 1/4 and weights multiples of 1/2, so every
activation of calibrate.mlir is exact in f32 whatever the summation order,
and the float64 reference here must match the stats file bit for bit.
"""

import argparse
import json
import os
import sys

import numpy as np

# The constants of calibrate.mlir.
CONV_W = np.array([  # OHWI [2, 3, 3, 1]
    [[[-0.5], [1.0], [1.0]], [[-2.0], [2.0], [0.0]], [[1.5], [-2.0], [-2.0]]],
    [[[1.5], [-1.5], [0.5]], [[1.5], [-2.0], [-1.5]], [[0.0], [1.0], [-1.0]]],
])
CONV_B = np.array([0.25, -0.5])
DW_W = np.array([[[[-1.5, -1.0], [1.5, -2.0]]]])  # HWCM [1, 1, 2, 2]
DW_B = np.array([0.0, 0.5, -0.25, 0.0])
FC_W = np.array([[  # [1, 16, 3]
    [0.5, -2.0, -2.0], [0.0, 0.0, -0.5], [-1.0, 0.0, 1.0], [-0.5, -0.5, -1.0],
    [-1.5, 0.5, 1.5], [0.0, -0.5, -1.5], [1.5, -0.5, -1.5], [0.5, 1.5, -2.0],
    [1.0, -2.0, 0.5], [-1.0, 2.0, 1.0], [2.0, -2.0, 0.5], [-1.0, -2.0, 1.5],
    [1.5, 1.0, -2.0], [-2.0, 2.0, 0.5], [0.5, 1.0, 0.0], [0.5, -1.0, 2.0],
]])


def forward(x):
    """Every observed activation of calibrate.mlir for images x [N, 4, 4, 1]."""
    n = x.shape[0]
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    conv = np.zeros((n, 4, 4, 2))
    for i in range(4):
        for j in range(4):
            patch = padded[:, i:i + 3, j:j + 3, :]
            conv[:, i, j, :] = np.einsum("nhwc,ohwc->no", patch, CONV_W) + CONV_B
    relu = np.maximum(conv, 0)
    # Depthwise 1x1, channel multiplier 2: output channel c * 2 + m.
    depthwise = np.einsum("nhwc,cm->nhwcm", relu, DW_W[0, 0]).reshape(n, 4, 4, 4) + DW_B
    pool = depthwise.reshape(n, 2, 2, 2, 2, 4).max(axis=(2, 4))
    logits = pool.reshape(n, 16) @ FC_W[0]
    return {
        "model.arg0": x,
        "conv1": conv,
        "model.tosa.clamp.0": relu,
        "model.tosa.depthwise_conv2d.0": depthwise,
        "model.tosa.matmul.0": logits,
    }


WEIGHTS = {
    "conv1": ("tosa.conv2d", "OHWI", 0, CONV_W, CONV_W.reshape(2, -1)),
    "model.tosa.depthwise_conv2d.0": ("tosa.depthwise_conv2d", "HWCM", 2, DW_W,
                                      DW_W.reshape(-1, 4).T),
    "model.tosa.matmul.0": ("tosa.matmul", "NKC", 2, FC_W, FC_W.reshape(-1, 3).T),
}


def reference_histogram(values, low, high, bins):
    """docs/calibration.md: floor((x - min) * bins / (max - min)) in float64,
    clamped to [0, bins - 1]; everything in bin 0 when min == max."""
    if low == high:
        index = np.zeros(values.shape, np.int64)
    else:
        index = np.floor((values - low) * bins / (high - low)).astype(np.int64)
    return np.bincount(np.clip(index, 0, bins - 1), minlength=bins)


def check(args):
    with open(args.stats) as f:
        stats = json.load(f)
    x = np.load(args.samples)[:args.samples_used].astype(np.float64)
    errors = []

    def expect(what, actual, expected):
        if actual != expected:
            errors.append(f"{what}: {actual!r}, expected {expected!r}")

    expect("version", stats["version"], 1)
    expect("dataset.samples", stats["dataset"]["samples"], args.samples_used)
    expect("observers.kind", stats["observers"]["kind"], args.kind)
    activations = forward(x)
    expect("activation ids", sorted(stats["activations"]), sorted(activations))
    for name, values in activations.items():
        entry = stats["activations"].get(name, {})
        flat = values.reshape(-1).astype(np.float32).astype(np.float64)
        expect(name + ".count", entry.get("count"), flat.size)
        expect(name + ".nan_count", entry.get("nan_count"), 0)
        expect(name + ".min", entry.get("min"), flat.min())
        expect(name + ".max", entry.get("max"), flat.max())
        histogram = entry.get("histogram")
        if args.kind == "minmax":
            expect(name + ".histogram", histogram, None)
            continue
        expect(name + ".histogram.bins", histogram["bins"], args.bins)
        expect(name + ".histogram.min", histogram["min"], flat.min())
        expect(name + ".histogram.max", histogram["max"], flat.max())
        counts = reference_histogram(flat, flat.min(), flat.max(), args.bins)
        expect(name + ".histogram.counts", histogram["counts"], counts.tolist())
        expect(name + " histogram total", sum(histogram["counts"]), flat.size)
    expect("weight ids", sorted(stats["weights"]), sorted(WEIGHTS))
    for name, (op, layout, axis, tensor, channels) in WEIGHTS.items():
        entry = stats["weights"].get(name, {})
        expect(name + ".op", entry.get("op"), op)
        expect(name + ".layout", entry.get("layout"), layout)
        expect(name + ".axis", entry.get("axis"), axis)
        expect(name + ".shape", entry.get("shape"), list(tensor.shape))
        expect(name + ".per_tensor", entry.get("per_tensor"),
               {"min": tensor.min(), "max": tensor.max()})
        expect(name + ".per_channel", entry.get("per_channel"),
               {"min": channels.min(axis=1).tolist(),
                "max": channels.max(axis=1).tolist()})
    for error in errors:
        print("mismatch:", error)
    if errors:
        return 1
    print(f"match: {len(activations)} activations, {len(WEIGHTS)} weights, "
          f"{args.samples_used} samples")
    return 0


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    data = sub.add_parser("data")
    data.add_argument("dir")
    checker = sub.add_parser("check")
    checker.add_argument("stats")
    checker.add_argument("samples")
    checker.add_argument("--samples", dest="samples_used", type=int, required=True)
    checker.add_argument("--kind", required=True)
    checker.add_argument("--bins", type=int, default=0)
    args = parser.parse_args()
    if args.command == "data":
        os.makedirs(args.dir, exist_ok=True)
        rng = np.random.RandomState(7)
        images = rng.randint(-8, 9, size=(7, 4, 4, 1)) / 4
        np.save(os.path.join(args.dir, "samples.npy"), images.astype(np.float32))
        return 0
    return check(args)


if __name__ == "__main__":
    sys.exit(main())
