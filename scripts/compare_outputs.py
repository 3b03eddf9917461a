#!/usr/bin/env python3
"""Compares the tensors two mlir-runner runs printed (printMemrefF32, or
printMemrefI32 of f32 bit patterns with --bits) within a relative tolerance.

The relative error of a tensor is max|a - b| / max|a| (normwise), which stays
meaningful for values near zero. Prints one summary line per tensor and
exits 1 when any tensor differs beyond --rtol or the shapes differ.
"""

import argparse
import re
import struct
import sys

SIZES = re.compile(r"sizes = \[([0-9, ]*)\]")
NUMBER = re.compile(r"-?(?:nan|inf|[0-9.]+(?:e[-+]?[0-9]+)?)")


def read_tensors(path, bits):
    """Returns [(shape, [floats])] for every memref printed in `path`."""
    text = open(path).read()
    tensors = []
    for block in text.split("Unranked Memref")[1:]:
        shape = [int(d) for d in SIZES.search(block).group(1).replace(" ", "").split(",") if d]
        data = block.split("data =", 1)[1]
        values = [v for v in NUMBER.findall(data)]
        if bits:
            values = [struct.unpack("<f", struct.pack("<i", int(v)))[0] for v in values]
        else:
            values = [float(v) for v in values]
        tensors.append((shape, values))
    return tensors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("reference")
    parser.add_argument("candidate")
    parser.add_argument("--rtol", type=float, default=1e-5)
    parser.add_argument("--bits", action="store_true",
                        help="values are i32 bit patterns of f32")
    parser.add_argument("--show", type=int, default=0,
                        help="print the first N values of each tensor")
    args = parser.parse_args()

    ref = read_tensors(args.reference, args.bits)
    cand = read_tensors(args.candidate, args.bits)
    if not ref or len(ref) != len(cand):
        print("error: %d tensor(s) in %s but %d in %s"
              % (len(ref), args.reference, len(cand), args.candidate))
        return 1
    ok = True
    for i, ((shape_a, a), (shape_b, b)) in enumerate(zip(ref, cand)):
        if shape_a != shape_b or len(a) != len(b):
            print("tensor %d: shape %s vs %s" % (i, shape_a, shape_b))
            ok = False
            continue
        scale = max(abs(x) for x in a) or 1.0
        max_abs = max(abs(x - y) for x, y in zip(a, b))
        rel = max_abs / scale
        agree = rel <= args.rtol
        ok = ok and agree
        print("tensor %d %s: %d values, max abs diff %.3e, max rel diff %.3e: %s rtol %g"
              % (i, "x".join(map(str, shape_a)), len(a), max_abs, rel,
                 "within" if agree else "NOT within", args.rtol))
        for j in range(min(args.show, len(a))):
            print("  [%d] %+.7f  %+.7f" % (j, a[j], b[j]))
    print("outputs agree" if ok else "outputs DIFFER")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
