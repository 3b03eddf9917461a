#!/usr/bin/python3
"""Differential test of the binary qnt kernels (qnt-lower-to-cpu).

Writes one module whose @main runs random qnt.binarize / unpack / bmatmul /
bconv2d / bmaxpool2d ops on random inputs (odd sizes, K % 32 != 0, every
stride, dilation, padding mode and epilogue), compiles and runs it
with quant-run --cpu-pipeline=<qnt-cpu-pipeline options> and compares
every result with a NumPy evaluation of the op descriptions in
dialects/qnt/include/qnt/IR/QntOps.td: bit-exact for integer and packed
results, 1e-6 relative for f32 epilogues.

usage: binary_kernels.py --pipeline=target=host --seed=1 --workdir=DIR
"""

import argparse
import os
import subprocess
import sys

import numpy as np

DEPTHS = [1, 31, 32, 33, 64, 100, 512, 1000]


def words(k):
    return (k + 31) // 32


def pack(bits):
    """bits [..., K] (1 = -1) -> int32 words [..., ceil(K/32)], LSB first."""
    k = bits.shape[-1]
    padded = np.zeros(bits.shape[:-1] + (32 * words(k),), dtype=np.uint64)
    padded[..., :k] = bits
    shaped = padded.reshape(bits.shape[:-1] + (words(k), 32))
    packed = (shaped << np.arange(32, dtype=np.uint64)).sum(axis=-1)
    return packed.astype(np.uint32).view(np.int32)


def unpack(packed, k):
    """int32 words [..., W] -> +1/-1 int64 [..., K]."""
    w = packed.view(np.uint32).astype(np.uint64)
    bits = (w[..., None] >> np.arange(32, dtype=np.uint64)) & 1
    bits = bits.reshape(packed.shape[:-1] + (-1,))[..., :k]
    return 1 - 2 * bits.astype(np.int64)


def random_bits(rng, shape):
    return (rng.random(shape) < 0.5).astype(np.uint8)


def tensor_type(shape, element):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + element + ">"


def f32_list(values):
    return ", ".join(repr(float(np.float32(v))) for v in values)


class Module:
    def __init__(self, rng):
        self.rng = rng
        self.args = []      # (name, array, element type)
        self.ops = []       # MLIR lines
        self.results = []   # (value, type, expected array, exact, label)

    def arg(self, array, element):
        name = "%%a%d" % len(self.args)
        self.args.append((name, array, element))
        return name

    def result(self, op_line, type_str, expected, exact, label):
        value = "%%r%d" % len(self.results)
        self.ops.append("  %s = %s" % (value, op_line))
        self.results.append((value, type_str, expected, exact, label))

    def text(self):
        params = ", ".join(
            "%s: %s" % (n, tensor_type(a.shape, e)) for n, a, e in self.args)
        types = ", ".join(t for _, t, _, _, _ in self.results)
        values = ", ".join(v for v, _, _, _, _ in self.results)
        body = "\n".join(self.ops)
        return ("func.func @main(%s) -> (%s) {\n%s\n  return %s : %s\n}\n" %
                (params, types, body, values, types))


def epilogue(rng, kind, channels, dot):
    """Attributes, result element type, channel count and expected result."""
    if kind == "raw":
        return "", "i32", channels, dot.astype(np.int32)
    if kind == "packed":
        thresholds = rng.integers(-40, 41, size=channels)
        # Exact ties: some thresholds equal a dot product of the channel.
        ties = rng.random(channels) < 0.3
        flat = dot.reshape(-1, channels)
        thresholds[ties] = flat[0, ties]
        bits = (dot < thresholds).astype(np.uint8)
        attrs = "thresholds = array<i32: %s>" % ", ".join(
            str(int(t)) for t in thresholds)
        return attrs, "i32", words(channels), pack(bits)
    multiplier = rng.uniform(-0.5, 0.5, size=channels).astype(np.float32)
    bias = rng.uniform(-3, 3, size=channels).astype(np.float32)
    attrs = []
    value = dot.astype(np.float32)
    if kind in ("float", "float-clamp"):
        attrs.append("multiplier = array<f32: %s>" % f32_list(multiplier))
        attrs.append("bias = array<f32: %s>" % f32_list(bias))
        value = value * multiplier + bias
    if kind in ("float-clamp", "float-relu"):
        low = np.float32(0.0 if kind == "float-relu" else -1.5)
        attrs.append("clamp_min = %r : f32" % float(low))
        value = np.maximum(value, low)
        if kind == "float-clamp":
            attrs.append("clamp_max = 2.25 : f32")
            value = np.minimum(value, np.float32(2.25))
    return ", ".join(attrs), "f32", channels, value.astype(np.float32)


EPILOGUES = ["raw", "packed", "float", "float-clamp", "float-relu"]


def add_binarize(m, shape, element):
    rng = m.rng
    if element == "f32":
        x = rng.standard_normal(shape).astype(np.float32)
        x.flat[rng.integers(0, x.size, size=max(1, x.size // 7))] = 0.0
        x.flat[rng.integers(0, x.size, size=max(1, x.size // 11))] = -0.0
        x.flat[rng.integers(0, x.size, size=max(1, x.size // 13))] = np.nan
    else:
        x = rng.integers(-128, 128, size=shape, dtype=np.int8)
        x.flat[rng.integers(0, x.size, size=max(1, x.size // 5))] = 0
    bits = (x < 0).astype(np.uint8)
    expected = pack(bits)
    arg = m.arg(x, element)
    out = tensor_type(expected.shape, "i32")
    m.result("qnt.binarize %s : %s -> %s" % (
        arg, tensor_type(shape, element), out), out, expected, True,
        "binarize %s %s" % (shape, element))


def add_unpack(m, shape, element):
    k = shape[-1]
    packed = pack(random_bits(m.rng, shape))
    values = unpack(packed, k)
    arg = m.arg(packed, "i32")
    out = tensor_type(shape, element)
    expected = values.astype(np.float32 if element == "f32" else np.int8)
    m.result("qnt.unpack %s : %s -> %s" % (
        arg, tensor_type(packed.shape, "i32"), out), out, expected, True,
        "unpack %s %s" % (shape, element))


def add_bmatmul(m, rows, cols, k, kind):
    rng = m.rng
    a = pack(random_bits(rng, (rows, k)))
    w = pack(random_bits(rng, (cols, k)))
    dot = unpack(a, k) @ unpack(w, k).T
    attrs, element, last, expected = epilogue(rng, kind, cols, dot)
    a_arg, w_arg = m.arg(a, "i32"), m.arg(w, "i32")
    out = tensor_type((rows, last), element)
    attr_text = "k = %d" % k + (", " + attrs if attrs else "")
    m.result("qnt.bmatmul %s, %s {%s} : (%s, %s) -> %s" % (
        a_arg, w_arg, attr_text, tensor_type(a.shape, "i32"),
        tensor_type(w.shape, "i32"), out), out, expected, element == "i32",
        "bmatmul M=%d N=%d K=%d %s" % (rows, cols, k, kind))


def conv_reference(x, w, stride, pad, dilation, pad_value):
    """x [N,H,W,C], w [O,KH,KW,C] as +1/-1; padding holds +1 or 0."""
    n, h, wd, c = x.shape
    o, kh, kw, _ = w.shape
    fill = 1 if pad_value == "plus_one" else 0
    xp = np.full((n, h + pad[0] + pad[1], wd + pad[2] + pad[3], c), fill,
                 dtype=np.int64)
    xp[:, pad[0]:pad[0] + h, pad[2]:pad[2] + wd, :] = x
    oh = (h + pad[0] + pad[1] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (wd + pad[2] + pad[3] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    out = np.zeros((n, oh, ow, o), dtype=np.int64)
    for i in range(kh):
        for j in range(kw):
            r0, c0 = i * dilation[0], j * dilation[1]
            patch = xp[:, r0:r0 + stride[0] * (oh - 1) + 1:stride[0],
                       c0:c0 + stride[1] * (ow - 1) + 1:stride[1], :]
            out += patch @ w[:, i, j, :].T
    return out


def add_bconv2d(m, batch, size, channels, outs, kernel, stride, pad,
                dilation, pad_value, kind):
    rng = m.rng
    x = pack(random_bits(rng, (batch, size[0], size[1], channels)))
    w = pack(random_bits(rng, (outs, kernel[0], kernel[1], channels)))
    dot = conv_reference(unpack(x, channels), unpack(w, channels), stride,
                         pad, dilation, pad_value)
    attrs, element, last, expected = epilogue(rng, kind, outs, dot)
    x_arg, w_arg = m.arg(x, "i32"), m.arg(w, "i32")
    out = tensor_type(dot.shape[:3] + (last,), element)
    attr_text = ("channels = %d, stride = array<i64: %d, %d>, "
                 "pad = array<i64: %d, %d, %d, %d>, "
                 "dilation = array<i64: %d, %d>, pad_value = #qnt.pad_value<%s>"
                 % ((channels,) + tuple(stride) + tuple(pad) + tuple(dilation)
                    + (pad_value,)))
    if attrs:
        attr_text += ", " + attrs
    m.result("qnt.bconv2d %s, %s {%s} : (%s, %s) -> %s" % (
        x_arg, w_arg, attr_text, tensor_type(x.shape, "i32"),
        tensor_type(w.shape, "i32"), out), out, expected, element == "i32",
        "bconv2d x=%s C=%d O=%d k=%s s=%s p=%s d=%s %s %s" % (
            (batch,) + size, channels, outs, kernel, stride, pad, dilation,
            pad_value, kind))


def add_bmaxpool2d(m, batch, size, wordcount, kernel, stride, pad):
    rng = m.rng
    x = rng.integers(-2**31, 2**31, size=(batch,) + size + (wordcount,),
                     dtype=np.int64).astype(np.int32)
    xp = np.full((batch, size[0] + pad[0] + pad[1], size[1] + pad[2] + pad[3],
                  wordcount), -1, dtype=np.int32)
    xp[:, pad[0]:pad[0] + size[0], pad[2]:pad[2] + size[1], :] = x
    oh = (xp.shape[1] - kernel[0]) // stride[0] + 1
    ow = (xp.shape[2] - kernel[1]) // stride[1] + 1
    expected = np.full((batch, oh, ow, wordcount), -1, dtype=np.int32)
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            expected &= xp[:, i:i + stride[0] * (oh - 1) + 1:stride[0],
                           j:j + stride[1] * (ow - 1) + 1:stride[1], :]
    arg = m.arg(x, "i32")
    out = tensor_type(expected.shape, "i32")
    m.result("qnt.bmaxpool2d %s {kernel = array<i64: %d, %d>, "
             "stride = array<i64: %d, %d>, pad = array<i64: %d, %d, %d, %d>}"
             " : %s -> %s" % ((arg,) + tuple(kernel) + tuple(stride)
                              + tuple(pad) + (tensor_type(x.shape, "i32"),
                                              out)),
             out, expected, True, "bmaxpool2d %s k=%s s=%s p=%s" % (
                 x.shape, kernel, stride, pad))


def build(rng, small=False):
    """All cases, or with `small` every depth and epilogue once per op."""
    m = Module(rng)
    depths = DEPTHS[1::2] if small else DEPTHS
    for k in depths:
        add_binarize(m, (3, k), "f32")
    add_binarize(m, (2, 3, 5, 70), "f32")
    add_binarize(m, (4, 33), "i8")
    add_unpack(m, (2, 100), "f32")
    add_unpack(m, (3, 1, 33), "i8")
    for index, k in enumerate(DEPTHS):
        rows = int(rng.choice([1, 2, 5, 7, 13]))
        cols = int(rng.choice([1, 3, 17, 40, 70]))
        if small:
            add_bmatmul(m, rows, cols, k, EPILOGUES[index % len(EPILOGUES)])
            continue
        for kind in EPILOGUES[index % 2::2] if k < 512 else EPILOGUES:
            add_bmatmul(m, rows, cols, k, kind)
    add_bmatmul(m, 9, 100, 1000, "raw")
    # Deeper than 4095 words: without a vector popcount, the 16-bit halves
    # of the byte counts no longer hold the whole depth.
    add_bmatmul(m, 2, 3, 4096 * 32 + 37, "raw")
    geometries = [
        # kernel, stride, pad, dilation
        ((3, 3), (1, 1), (1, 1, 1, 1), (1, 1)),
        ((3, 3), (2, 2), (1, 0, 1, 0), (1, 1)),
        ((2, 3), (1, 2), (0, 1, 2, 0), (2, 1)),
        ((1, 1), (1, 1), (0, 0, 0, 0), (1, 1)),
        ((3, 2), (2, 1), (2, 2, 1, 1), (1, 2)),
    ]
    for index, (kernel, stride, pad, dilation) in enumerate(geometries):
        for channels in ([1, 33, 100] if index < 2 and not small else
                         [31, 64]):
            outs = int(rng.choice([3, 17, 40]))
            size = (int(rng.choice([5, 7])), int(rng.choice([6, 9])))
            batch = int(rng.choice([1, 2]))
            kind = EPILOGUES[(index + channels) % len(EPILOGUES)]
            pad_value = "zero" if (index + channels) % 2 else "plus_one"
            add_bconv2d(m, batch, size, channels, outs, kernel, stride, pad,
                        dilation, pad_value, kind)
            if any(pad) and not small:
                other = "plus_one" if pad_value == "zero" else "zero"
                add_bconv2d(m, batch, size, channels, outs, kernel, stride,
                            pad, dilation, other, "float")
    add_bconv2d(m, 1, (6, 6), 512, 64, (3, 3), (1, 1), (1, 1, 1, 1), (1, 1),
                "zero", "packed")
    for kernel, stride, pad in [((2, 2), (2, 2), (0, 0, 0, 0)),
                                ((3, 3), (2, 2), (1, 1, 1, 1)),
                                ((3, 2), (1, 2), (2, 0, 0, 1))]:
        add_bmaxpool2d(m, 2, (7, 5), 3, kernel, stride, pad)
    return m


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pipeline", default="",
                        help="options of qnt-cpu-pipeline")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--small", action="store_true",
                        help="fewer cases: each depth and epilogue once")
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()

    os.makedirs(args.workdir, exist_ok=True)
    m = build(np.random.default_rng(args.seed), args.small)
    source = os.path.join(args.workdir, "binary.mlir")
    with open(source, "w") as f:
        f.write(m.text())
    inputs = []
    for index, (_, array, _) in enumerate(m.args):
        path = os.path.join(args.workdir, "in%d.npy" % index)
        np.save(path, array)
        inputs.append("--input=" + path)
    outputs = [os.path.join(args.workdir, "out%d.npy" % i)
               for i in range(len(m.results))]

    subprocess.run(["quant-run", source, "--entry=main",
                    "--cpu-pipeline=" + args.pipeline] + inputs +
                   ["--output=" + p for p in outputs], check=True)

    failures = 0
    for (_, _, expected, exact, label), path in zip(m.results, outputs):
        got = np.load(path)
        if got.shape != expected.shape:
            ok = False
        elif exact:
            ok = np.array_equal(got, expected)
        else:
            ok = np.allclose(got, expected, rtol=1e-6, atol=0)
        if not ok:
            failures += 1
            print("MISMATCH %s" % label)
            if got.shape == expected.shape:
                bad = np.argwhere(got != expected)[:5]
                for index in bad:
                    t = tuple(index)
                    print("  at %s: got %s expected %s" % (
                        t, got[t], expected[t]))
            else:
                print("  shape %s expected %s" % (got.shape, expected.shape))
    print("%d of %d binary ops match" % (len(m.results) - failures,
                                         len(m.results)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
