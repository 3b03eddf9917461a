#!/usr/bin/env python3
"""Prints the bytes of constant data (weights, biases, thresholds) in an MLIR
file: every tosa.const, arith.constant and qnt.constant of a tensor type,
at its storage element width (f32 4 bytes, i8 1, i4 half a byte, packed
binary words 4 bytes per i32 word), plus the per-channel parameters that
qnt ops hold as i32/f32 array attributes (requantize multipliers and
shifts, binary epilogue multipliers, biases and thresholds), 4 bytes each.
Shapes (!tosa.shape, index) and the scales held in !quant.uniform types are
not counted.

usage: weight_bytes.py model.mlir
"""
import re
import sys

BITS = {"f64": 64, "f32": 32, "f16": 16, "bf16": 16, "i64": 64, "i32": 32,
        "i16": 16, "i8": 8, "ui8": 8, "i4": 4, "i2": 2, "i1": 1}
# The storage type is the first tensor type after the constant's value.
CONSTANT = re.compile(
    r"= (?:\"tosa\.const\"\(|arith\.constant |qnt\.constant ).*?:\s*(?:\(\)\s*->\s*)?"
    r"tensor<([0-9x]*)([a-z0-9]+)>")
PARAMETERS = re.compile(r"array<(?:i32|f32): ([^>]*)>")


def storage_bytes(path):
    total_bits = 0
    with open(path) as f:
        for line in f:
            if re.search(r"= qnt\.(requantize|bconv2d|bmatmul) ", line):
                for values in PARAMETERS.findall(line):
                    total_bits += 32 * len(values.split(","))
            match = CONSTANT.search(line)
            if not match:
                continue
            dims, element = match.groups()
            if element not in BITS:
                raise SystemExit("%s: unknown element type %s in: %s" %
                                 (path, element, line.strip()[:120]))
            count = 1
            for dim in filter(None, dims.split("x")):
                count *= int(dim)
            total_bits += count * BITS[element]
    return (total_bits + 7) // 8


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    print(storage_bytes(sys.argv[1]))
