#!/usr/bin/env python3
"""Differential test of the integer kernels of qnt-lower-to-cpu.

`gen` writes a module of random qnt.matmul / qnt.conv2d cases (odd sizes, K
not a multiple of any vector width, every stride, padding and dilation up to
the limits below, zero points other than 0, signed and unsigned operands of
2 to 8 bits, with and without bias, some followed by a qnt.requantize that
the kernels fuse) whose @main calls each case on constant
inputs and prints the i32 result; it also writes the expected results,
computed here with NumPy integers from the op definitions. `check` compares
an mlir-runner output with them exactly.
"""

import argparse
import json
import re
import sys

import numpy as np


def int_range(bits, unsigned):
    return (0, (1 << bits) - 1) if unsigned else (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)


def type_name(bits, unsigned):
    return ("ui" if unsigned else "i") + str(bits)


def shape_str(shape, elem):
    return "x".join(str(d) for d in shape) + "x" + elem


def dense(values):
    return "dense<" + json.dumps(values.tolist()) + ">"


class Operand:
    """A random tensor of a random integer type, passed as signless storage."""

    def __init__(self, rng, shape, bits=None, unsigned=None):
        # 8 bits (the vectorized im2col and the common case) in about half
        # of the operands, 2 to 8 in the others.
        self.bits = bits if bits else (8 if rng.random() < 0.4 else int(rng.integers(2, 9)))
        self.unsigned = bool(rng.integers(0, 2)) if unsigned is None else unsigned
        lo, hi = int_range(self.bits, self.unsigned)
        self.values = rng.integers(lo, hi + 1, size=shape, dtype=np.int64)
        self.shape = shape
        self.zp = int(rng.integers(lo, hi + 1)) if rng.random() < 0.7 else 0

    def storage(self):
        """The values as the signless storage integers (two's complement)."""
        v = self.values.copy()
        if self.unsigned:
            v = np.where(v >= (1 << (self.bits - 1)), v - (1 << self.bits), v)
        return v

    def signless_type(self):
        return f"tensor<{shape_str(self.shape, 'i' + str(self.bits))}>"

    def typed(self):
        return f"tensor<{shape_str(self.shape, type_name(self.bits, self.unsigned))}>"

    def cast_from_storage(self, name, out):
        """Lines that view the signless %name as the operand's type."""
        if not self.unsigned:
            return name, []
        return out, [f"    {out} = tensor.bitcast {name} : {self.signless_type()} to {self.typed()}"]


def wrap_i32(x):
    return ((x + (1 << 31)) % (1 << 32)) - (1 << 31)


def matmul_case(rng, index, large=False):
    m, k, n = (int(rng.integers(1, hi)) for hi in (20, 300, 100))
    if large:
        # Enough rows of a deep A for several row blocks of the kernel.
        m, k, n = 300, 2050, 70
    a = Operand(rng, (m, k))
    w = Operand(rng, (n, k))
    bias = rng.integers(-(1 << 20), 1 << 20, size=(n,)) if rng.random() < 0.5 else None
    ref = (a.values - a.zp) @ (w.values - w.zp).T
    if bias is not None:
        ref = ref + bias
    name = f"@case{index}"
    args = [f"%a: {a.signless_type()}"] + ([f"%bias: tensor<{n}xi32>"] if bias is not None else [])
    lines = [f"  func.func {name}({', '.join(args)}) -> tensor<{m}x{n}xi32> {{"]
    av, cast = a.cast_from_storage("%a", "%at")
    lines += cast
    lines.append(f"    %ws = arith.constant {dense(w.storage())} : {w.signless_type()}")
    wv, cast = w.cast_from_storage("%ws", "%w")
    lines += cast
    operands = f"{av}, {wv}" + (", %bias" if bias is not None else "")
    types = f"{a.typed()}, {w.typed()}" + (f", tensor<{n}xi32>" if bias is not None else "")
    lines.append(f"    %y = qnt.matmul {operands} {{lhs_zp = {a.zp} : i32, rhs_zp = {w.zp} : i32}}"
                 f" : ({types}) -> tensor<{m}x{n}xi32>")
    lines.append(f"    return %y : tensor<{m}x{n}xi32>")
    lines.append("  }")
    inputs = [(a.storage(), a.signless_type())]
    if bias is not None:
        inputs.append((bias, f"tensor<{n}xi32>"))
    desc = f"matmul {m}x{k}x{n} a={type_name(a.bits, a.unsigned)} za={a.zp} w={type_name(w.bits, w.unsigned)} zw={w.zp} bias={bias is not None}"
    return lines, name, inputs, f"tensor<{m}x{n}xi32>", wrap_i32(ref), desc


def zero_shift_zp(bits, unsigned):
    """The weight zero point zw with zw + sw = 0 for the kernels' shift sw:
    sub-byte fields are stored unsigned (signed ones moved up by half a
    range), 8-bit weights as signed bytes (unsigned ones moved down by 128)."""
    if bits <= 4:
        return 0 if unsigned else -(1 << (bits - 1))
    return 128 if unsigned and bits == 8 else 0


def conv_case(rng, index):
    while True:
        batch = int(rng.integers(1, 3))
        h, wd = int(rng.integers(1, 10)), int(rng.integers(1, 10))
        c, o = int(rng.integers(1, 24)), int(rng.integers(1, 60))
        kh, kw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        sh, sw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        dh, dw = int(rng.integers(1, 3)), int(rng.integers(1, 3))
        pad = [int(p) for p in rng.integers(0, 3, size=4)]
        oh = (h + pad[0] + pad[1] - dh * (kh - 1) - 1) // sh + 1
        ow = (wd + pad[2] + pad[3] - dw * (kw - 1) - 1) // sw + 1
        if oh >= 1 and ow >= 1:
            break
    # Half of the cases take the implicit im2col (8-bit input, weights whose
    # zero point cancels the kernel's shift: no row sums), the others the
    # explicit one.
    implicit = rng.random() < 0.5
    x = Operand(rng, (batch, h, wd, c), bits=8 if implicit else None)
    f = Operand(rng, (o, kh, kw, c))
    if implicit:
        f.zp = zero_shift_zp(f.bits, f.unsigned)
    bias = rng.integers(-(1 << 20), 1 << 20, size=(o,)) if rng.random() < 0.5 else None
    xp = np.full((batch, h + pad[0] + pad[1], wd + pad[2] + pad[3], c), x.zp, dtype=np.int64)
    xp[:, pad[0]:pad[0] + h, pad[2]:pad[2] + wd, :] = x.values
    ref = np.zeros((batch, oh, ow, o), dtype=np.int64)
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, i * dh:i * dh + sh * (oh - 1) + 1:sh, j * dw:j * dw + sw * (ow - 1) + 1:sw, :]
            ref += np.einsum("nyxc,oc->nyxo", patch - x.zp, f.values[:, i, j, :] - f.zp)
    if bias is not None:
        ref = ref + bias
    out_type = f"tensor<{batch}x{oh}x{ow}x{o}xi32>"
    name = f"@case{index}"
    args = [f"%x: {x.signless_type()}"] + ([f"%bias: tensor<{o}xi32>"] if bias is not None else [])
    lines = [f"  func.func {name}({', '.join(args)}) -> {out_type} {{"]
    xv, cast = x.cast_from_storage("%x", "%xt")
    lines += cast
    lines.append(f"    %fs = arith.constant {dense(f.storage())} : {f.signless_type()}")
    fv, cast = f.cast_from_storage("%fs", "%f")
    lines += cast
    operands = f"{xv}, {fv}" + (", %bias" if bias is not None else "")
    types = f"{x.typed()}, {f.typed()}" + (f", tensor<{o}xi32>" if bias is not None else "")
    lines.append(f"    %y = qnt.conv2d {operands} {{input_zp = {x.zp} : i32, filter_zp = {f.zp} : i32,"
                 f" stride = array<i64: {sh}, {sw}>, dilation = array<i64: {dh}, {dw}>,"
                 f" pad = array<i64: {', '.join(map(str, pad))}>}} : ({types}) -> {out_type}")
    lines.append(f"    return %y : {out_type}")
    lines.append("  }")
    inputs = [(x.storage(), x.signless_type())]
    if bias is not None:
        inputs.append((bias, f"tensor<{o}xi32>"))
    desc = (f"conv {batch}x{h}x{wd}x{c} -> {o} k={kh}x{kw} s={sh},{sw} d={dh},{dw} pad={pad}"
            f" x={type_name(x.bits, x.unsigned)} zx={x.zp} f={type_name(f.bits, f.unsigned)} zf={f.zp}")
    return lines, name, inputs, out_type, wrap_i32(ref), desc


def requantize_reference(x, channel_axis_values, multipliers, shifts, izp, ozp,
                         lo, hi, double_round):
    """qnt.requantize in Python integers (TOSA apply_scale_32)."""
    flat = x.flatten().tolist()
    channels = len(multipliers)
    out = []
    for i, v in enumerate(flat):
        c = channel_axis_values[i] if channels > 1 else 0
        d = v - izp
        r = 1 << (shifts[c] - 1)
        if double_round and shifts[c] > 31:
            r += (1 << 30) if d >= 0 else -(1 << 30)
        y = ((d * multipliers[c] + r) >> shifts[c]) + ozp
        out.append(min(max(y, lo), hi))
    return np.array(out, dtype=np.int64).reshape(x.shape)


def with_requantize(rng, lines, ref, out_type, desc):
    """Appends a qnt.requantize of the i32 result (per tensor or per channel,
    single or double round, i8/ui8/i16 output, zero points, a clamp) that the
    kernels fuse into their epilogue, widened back to i32 for printing."""
    shape = ref.shape
    channels = shape[-1] if rng.random() < 0.6 else 1
    bits, unsigned = [(8, False), (8, True), (16, False)][int(rng.integers(0, 3))]
    lo, hi = int_range(bits, unsigned)
    izp = int(rng.integers(-1000, 1000)) if rng.random() < 0.3 else 0
    ozp = int(rng.integers(lo, hi + 1)) if rng.random() < 0.5 else 0
    cmin, cmax = lo, hi
    if rng.random() < 0.4:
        cmin, cmax = sorted(int(v) for v in rng.integers(lo, hi + 1, size=2))
    double_round = bool(rng.random() < 0.5)
    peak = max(1, int(np.abs(ref - izp).max()))
    multipliers = [int(v) for v in rng.integers(1 << 30, (1 << 31) - 1, size=channels)]
    # Shifts that map the accumulators' range onto the output's, give or
    # take a few bits (some saturate).
    base = int(np.log2(peak)) + 31 - (bits - 1)
    shifts = [int(np.clip(base + int(v), 2, 62)) for v in rng.integers(-2, 3, size=channels)]
    axis_values = np.broadcast_to(np.arange(shape[-1]), shape).flatten().tolist()
    expected = requantize_reference(ref, axis_values, multipliers, shifts, izp, ozp,
                                    cmin, cmax, double_round)
    if unsigned:
        expected = np.where(expected >= (1 << (bits - 1)), expected - (1 << bits), expected)
    elem = type_name(bits, unsigned)
    dims = "x".join(str(d) for d in shape)
    attrs = [f"multiplier = array<i32: {', '.join(map(str, multipliers))}>",
             f"shift = array<i32: {', '.join(map(str, shifts))}>",
             f"input_zp = {izp} : i32", f"output_zp = {ozp} : i32",
             f"clamp_min = {cmin} : i32", f"clamp_max = {cmax} : i32"]
    if channels > 1:
        attrs.append(f"axis = {len(shape) - 1} : i64")
    if double_round:
        attrs.append("rounding = #qnt.requant_rounding<double_round>")
    body = lines[:-2]
    body.append(f"    %r = qnt.requantize %y {{{', '.join(attrs)}}} : {out_type} -> tensor<{dims}x{elem}>")
    storage = "%r"
    if unsigned:
        body.append(f"    %rs = tensor.bitcast %r : tensor<{dims}x{elem}> to tensor<{dims}xi{bits}>")
        storage = "%rs"
    body.append(f"    %wide = tosa.cast {storage} : (tensor<{dims}xi{bits}>) -> {out_type}")
    body += [f"    return %wide : {out_type}", "  }"]
    desc += (f" requantize(channels={channels} -> {elem} izp={izp} ozp={ozp}"
             f" clamp=[{cmin}, {cmax}] double={double_round})")
    return body, expected, desc


def generate(args):
    rng = np.random.default_rng(args.seed)
    module = ["module {", "  func.func private @printMemrefI32(tensor<*xi32>)"]
    main = ["  func.func @main() {"]
    expected = []
    for index in range(args.cases):
        if index == 0 and args.large:
            lines, name, inputs, out_type, ref, desc = matmul_case(rng, index, large=True)
        else:
            make = matmul_case if index % 2 == 0 else conv_case
            lines, name, inputs, out_type, ref, desc = make(rng, index)
            if rng.random() < 0.4:
                lines, ref, desc = with_requantize(rng, lines, ref, out_type, desc)
        module += lines
        operands = []
        for i, (values, ty) in enumerate(inputs):
            main.append(f"    %in{index}_{i} = arith.constant {dense(values)} : {ty}")
            operands.append(f"%in{index}_{i}")
        main.append(f"    %out{index} = call {name}({', '.join(operands)})"
                    f" : ({', '.join(t for _, t in inputs)}) -> {out_type}")
        main.append(f"    %u{index} = tensor.cast %out{index} : {out_type} to tensor<*xi32>")
        main.append(f"    call @printMemrefI32(%u{index}) : (tensor<*xi32>) -> ()")
        expected.append({"case": desc, "values": ref.flatten().tolist()})
    main += ["    return", "  }"]
    print("\n".join(module + main + ["}"]))
    with open(args.expected, "w") as out:
        json.dump(expected, out)


def check(args):
    expected = json.load(open(args.expected))
    text = open(args.output).read()
    blocks = text.split("Unranked Memref")[1:]
    if len(blocks) != len(expected):
        print(f"FAIL: {len(blocks)} results printed, {len(expected)} expected")
        return 1
    failures = 0
    for block, case in zip(blocks, expected):
        got = [int(v) for v in re.findall(r"-?\d+", block.split("data =", 1)[1])]
        if got != case["values"]:
            failures += 1
            bad = sum(1 for g, e in zip(got, case["values"]) if g != e)
            print(f"FAIL: {case['case']}: {bad} of {len(case['values'])} differ")
    print(f"{len(expected) - failures} of {len(expected)} cases exact")
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("gen")
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--cases", type=int, default=20)
    g.add_argument("--large", action="store_true",
                   help="make the first case a 300x2050x70 matmul")
    g.add_argument("--expected", required=True)
    c = sub.add_parser("check")
    c.add_argument("expected")
    c.add_argument("output")
    args = parser.parse_args()
    return generate(args) if args.command == "gen" else check(args)


if __name__ == "__main__":
    sys.exit(main() or 0)
