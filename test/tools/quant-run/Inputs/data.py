#!/usr/bin/env python3
"""Inputs and NumPy reference outputs for the quant-run tests.

  data.py <case> <dir>              writes the case's files into <dir>
  data.py compare <actual.npy> <expected.npy> [--atol A] [--rtol R]
"""

import argparse
import gzip
import os
import struct
import sys

import numpy as np


def write_idx(path, array):
    """Gzipped IDX, as Debian's dataset-fashion-mnist ships it."""
    codes = {np.dtype(np.uint8): 0x08, np.dtype(np.int32): 0x0C}
    header = struct.pack(">HBB", 0, codes[array.dtype], array.ndim)
    header += struct.pack(">" + "I" * array.ndim, *array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(array.dtype.newbyteorder(">")).tobytes())


def add_mul(out):
    rng = np.random.RandomState(1)
    a = rng.randn(2, 3).astype(np.float32)
    b = rng.randn(2, 3).astype(np.float32)
    np.save(os.path.join(out, "a.npy"), a)
    np.save(os.path.join(out, "b.npy"), b)
    np.save(os.path.join(out, "sum.npy"), a + b)
    np.save(os.path.join(out, "product.npy"), a * b)
    # The same data raw, for --input=file[:type].
    a.tofile(os.path.join(out, "a.bin"))
    b.tofile(os.path.join(out, "b.bin"))
    # Known small values for the printed format.
    np.save(os.path.join(out, "small.npy"),
            np.array([[0.5, -1.0, 2.0], [0.25, 3.0, -0.125]], np.float32))


def conv(out):
    rng = np.random.RandomState(2)
    x = rng.randn(2, 5, 5, 3).astype(np.float32)
    w = rng.randn(4, 3, 3, 3).astype(np.float32)  # OHWI
    b = rng.randn(4).astype(np.float32)
    padded = np.pad(x.astype(np.float64), ((0, 0), (1, 1), (1, 1), (0, 0)))
    conv = np.zeros((2, 3, 3, 4))
    for i in range(3):
        for j in range(3):
            patch = padded[:, 2 * i:2 * i + 3, 2 * j:2 * j + 3, :]
            conv[:, i, j, :] = np.einsum("nhwc,ohwc->no", patch, w) + b
    relu = np.maximum(conv, 0)
    pool = np.zeros((2, 2, 2, 4))
    for i in range(2):
        for j in range(2):
            pool[:, i, j, :] = relu[:, i:i + 2, j:j + 2, :].max(axis=(1, 2))
    for name, value in [("x", x), ("w", w), ("b", b)]:
        np.save(os.path.join(out, name + ".npy"), value)
    np.save(os.path.join(out, "expected.npy"), pool.astype(np.float32))


def types(out):
    np.save(os.path.join(out, "a.npy"), np.array([-128, -4, 0, 5, 127], np.int8))
    np.save(os.path.join(out, "b.npy"),
            np.array([1000, -7, 3, 2**31 - 200, -5], np.int32))
    np.save(os.path.join(out, "x.npy"),
            np.array([[1, -2], [2**40, -(2**50)]], np.int64))
    np.save(os.path.join(out, "y.npy"), np.array([[0.1, -3.0], [1e200, 2.5]]))


def classifier(out):
    """Ten 4x4 images; class k scores the sum of pixels i with i % 3 == k."""
    rng = np.random.RandomState(3)
    images = rng.randint(0, 256, size=(10, 4, 4)).astype(np.uint8)
    flat = images.reshape(10, 16).astype(np.float64) / 255
    weights = np.array([[1.0 if i % 3 == k else 0.0 for k in range(3)]
                        for i in range(16)])
    logits = flat @ weights
    predicted = logits.argmax(axis=1)
    # Seven labels right, the last three wrong: accuracy 0.7.
    labels = predicted.copy()
    labels[7:] = (predicted[7:] + 1) % 3
    write_idx(os.path.join(out, "images.gz"), images)
    write_idx(os.path.join(out, "labels.gz"), labels.astype(np.uint8))
    write_idx(os.path.join(out, "few-labels.gz"), labels[:5].astype(np.uint8))
    np.save(os.path.join(out, "logits.npy"), logits.astype(np.float32))
    np.save(os.path.join(out, "images.npy"), images)


def rgb(out):
    """Three channels-last 2x2 RGB images for the NCHW 2 * x model."""
    images = np.arange(3 * 2 * 2 * 3, dtype=np.uint8).reshape(3, 2, 2, 3) * 7
    write_idx(os.path.join(out, "rgb.gz"), images)
    scale, mean, std = 1 / 255, np.array([0.5, 0.4, 0.3]), np.array([0.2, 0.25, 0.5])
    normalized = (images * scale - mean) / std  # still NHWC
    np.save(os.path.join(out, "expected.npy"),
            (2 * normalized.transpose(0, 3, 1, 2)).astype(np.float32))


def bad(out):
    """Files that quant-run must refuse."""
    np.save(os.path.join(out, "fortran.npy"),
            np.asfortranarray(np.ones((3, 2), np.float32)))
    np.save(os.path.join(out, "f64.npy"), np.ones((2, 3)))
    np.save(os.path.join(out, "complex.npy"), np.ones((2, 3), np.complex64))
    np.save(os.path.join(out, "shape.npy"), np.ones((3, 2), np.float32))
    np.ones(5, np.float32).tofile(os.path.join(out, "short.bin"))
    with open(os.path.join(out, "garbage.npy"), "wb") as f:
        f.write(b"not a numpy file")


def compare(args):
    actual, expected = np.load(args.actual), np.load(args.expected)
    if actual.shape != expected.shape or actual.dtype != expected.dtype:
        print(f"MISMATCH: {actual.dtype}{actual.shape} vs "
              f"{expected.dtype}{expected.shape}")
        return 1
    if args.atol == 0 and args.rtol == 0:
        ok = np.array_equal(actual, expected)
    else:
        ok = np.allclose(actual, expected, atol=args.atol, rtol=args.rtol)
    diff = np.abs(actual.astype(np.float64) - expected).max() if actual.size else 0
    print(f"{'match' if ok else 'MISMATCH'}: {actual.dtype}{list(actual.shape)}"
          f", max abs diff {diff:.3g}")
    return 0 if ok else 1


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "compare":
        parser = argparse.ArgumentParser()
        parser.add_argument("actual")
        parser.add_argument("expected")
        parser.add_argument("--atol", type=float, default=0)
        parser.add_argument("--rtol", type=float, default=0)
        return compare(parser.parse_args(sys.argv[2:]))
    cases = {"add-mul": add_mul, "conv": conv, "types": types,
             "classifier": classifier, "rgb": rgb, "bad": bad}
    case, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    cases[case](out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
