#!/usr/bin/python3
"""Random binary layers for the qnt-binarize numerics test (binarize-numerics.test).

    binarize_layers.py emit DIR     writes DIR/layers.mlir (TOSA, signs as ONNX imports them)
                                    and DIR/x.npy (the input)
    binarize_layers.py compare-ir EVAL_DIR FLOAT.mlir BINARY.mlir X.npy
                                    evaluates every function of both modules with the numpy
                                    interpreter of EVAL_DIR/eval_bnn_mlir.py and compares
    binarize_layers.py compare-run EVAL_DIR FLOAT.mlir X.npy NAME OUT.npy
                                    compares OUT.npy (function NAME compiled and run, e.g. by
                                    quant-run) with the numpy evaluation of NAME in FLOAT.mlir

Two functions, both fed by the same input [2, 6, 6, 5], with random alpha per output channel,
random BN parameters whose gamma include negatives and a zero, and K not a multiple of 32:

  @stack:   sign -> conv3x3 pad 1 (5 -> 40) -> BN -> maxpool 2 -> sign -> conv3x3 pad 1 (40 -> 33)
            -> BN -> sign -> flatten (NCHW) -> matmul (297 -> 10) -> BN           (float result)
  @relu_bn: sign -> pad +1 -> conv3x3 (5 -> 7) -> ReLU -> BN -> sign -> conv1x1 (7 -> 3) -> add bias
"""

import os
import sys

import numpy as np

rng = np.random.default_rng(7)


def fmt(a):
    a = np.asarray(a, np.float32)
    if a.ndim == 0:
        return f"{float(a):.9e}"
    return "[" + ", ".join(fmt(v) for v in a) + "]"


def ty(shape, et="f32"):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + et + ">"


class Emitter:
    def __init__(self):
        self.lines, self.n = [], 0

    def val(self):
        self.n += 1
        return f"%v{self.n}"

    def const(self, a):
        a = np.asarray(a, np.float32)
        v = self.val()
        self.lines.append(f'  {v} = "tosa.const"() <{{values = dense<{fmt(a)}> : {ty(a.shape)}}}> : () -> {ty(a.shape)}')
        return v

    def shape(self, dims):
        v = self.val()
        self.lines.append(f"  {v} = tosa.const_shape {{values = dense<[{', '.join(map(str, dims))}]> : tensor<{len(dims)}xindex>}} : () -> !tosa.shape<{len(dims)}>")
        return v

    def sign(self, x, shape):
        one = [1] * len(shape)
        zero, p1, m1 = self.const(np.zeros(one)), self.const(np.ones(one)), self.const(-np.ones(one))
        pos, neg, nz, s = self.val(), self.val(), self.val(), self.val()
        c, t, b = ty(one), ty(shape), ty(shape, "i1")
        self.lines += [f"  {pos} = tosa.greater {x}, {zero} : ({t}, {c}) -> {b}",
                       f"  {neg} = tosa.greater {zero}, {x} : ({c}, {t}) -> {b}",
                       f"  {nz} = tosa.select {neg}, {m1}, {zero} : ({b}, {c}, {c}) -> {t}",
                       f"  {s} = tosa.select {pos}, {p1}, {nz} : ({b}, {c}, {t}) -> {t}"]
        return s

    def conv(self, x, xshape, o, k, pad):
        n, h, w, c = xshape
        alpha = rng.uniform(0.05, 0.5, o).astype(np.float32)
        wt = alpha[:, None, None, None] * np.where(rng.random((o, k, k, c)) < 0.5, -1.0, 1.0)
        wv, bv, zp = self.const(wt), self.const(rng.normal(0, 0.3, o)), self.const(np.zeros(1))
        oh, ow = h + 2 * pad - k + 1, w + 2 * pad - k + 1
        y = self.val()
        self.lines.append(f"  {y} = tosa.conv2d {x}, {wv}, {bv}, {zp}, {zp} {{acc_type = f32, dilation = array<i64: 1, 1>, "
                          f"pad = array<i64: {pad}, {pad}, {pad}, {pad}>, stride = array<i64: 1, 1>}} : "
                          f"({ty(xshape)}, {ty(wt.shape)}, {ty([o])}, {ty([1])}, {ty([1])}) -> {ty([n, oh, ow, o])}")
        return y, [n, oh, ow, o]

    def bn(self, x, shape, mean=(0.0, 1.0)):
        c = shape[-1]
        gamma = rng.uniform(0.5, 2.0, c) * np.where(rng.random(c) < 0.3, -1.0, 1.0)
        gamma[1] = 0.0
        params = [self.const(gamma), self.const(rng.normal(0, 0.5, c)),
                  self.const(rng.normal(mean[0], mean[1], c)), self.const(rng.uniform(0.5, 2.0, c))]
        y = self.val()
        self.lines.append(f"  {y} = qnt.batch_norm {x}, {', '.join(params)} {{axis = {len(shape) - 1} : i64, "
                          f"epsilon = 1.0e-05 : f64}} : {ty(shape)}, {ty([c])}")
        return y


def stack(e, x, xs):
    s = e.sign(x, xs)
    y, ys = e.conv(s, xs, 40, 3, 1)
    y = e.bn(y, ys)
    p = e.val()
    ps = [ys[0], ys[1] // 2, ys[2] // 2, ys[3]]
    e.lines.append(f"  {p} = tosa.max_pool2d {y} {{kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, "
                   f"stride = array<i64: 2, 2>}} : ({ty(ys)}) -> {ty(ps)}")
    s = e.sign(p, ps)
    y, ys = e.conv(s, ps, 33, 3, 1)
    y = e.bn(y, ys)
    s = e.sign(y, ys)
    n, h, w, c = ys
    t = e.val()
    e.lines.append(f"  {t} = tosa.transpose {s} {{perms = array<i32: 0, 3, 1, 2>}} : ({ty(ys)}) -> {ty([n, c, h, w])}")
    k = c * h * w
    f3 = e.val()
    e.lines.append(f"  {f3} = tosa.reshape {t}, {e.shape([1, n, k])} : ({ty([n, c, h, w])}, !tosa.shape<3>) -> {ty([1, n, k])}")
    alpha = rng.uniform(0.05, 0.5, 10).astype(np.float32)
    wt = alpha[None, None, :] * np.where(rng.random((1, k, 10)) < 0.5, -1.0, 1.0)
    wv, zp = e.const(wt), e.const(np.zeros(1))
    mm, mm2 = e.val(), e.val()
    e.lines.append(f"  {mm} = tosa.matmul {f3}, {wv}, {zp}, {zp} : ({ty([1, n, k])}, {ty(wt.shape)}, {ty([1])}, {ty([1])}) -> {ty([1, n, 10])}")
    e.lines.append(f"  {mm2} = tosa.reshape {mm}, {e.shape([n, 10])} : ({ty([1, n, 10])}, !tosa.shape<2>) -> {ty([n, 10])}")
    return e.bn(mm2, [n, 10]), [n, 10]


def relu_bn(e, x, xs):
    s = e.sign(x, xs)
    n, h, w, c = xs
    padded = [n, h + 2, w + 2, c]
    pv = e.val()
    e.lines.append(f"  {pv} = tosa.pad {s}, {e.shape([0, 0, 1, 1, 1, 1, 0, 0])}, {e.const(np.ones(1))} : "
                   f"({ty(xs)}, !tosa.shape<8>, {ty([1])}) -> {ty(padded)}")
    y, ys = e.conv(pv, padded, 7, 3, 0)
    r = e.val()
    e.lines.append(f"  {r} = tosa.clamp {y} {{max_val = 3.40282347E+38 : f32, min_val = 0.0 : f32}} : ({ty(ys)}) -> {ty(ys)}")
    y = e.bn(r, ys, mean=(1.0, 0.3))
    s = e.sign(y, ys)
    y, ys = e.conv(s, ys, 3, 1, 0)
    a = e.val()
    e.lines.append(f"  {a} = tosa.add {y}, {e.const(rng.normal(0, 1, (1, 1, 1, 3)))} : ({ty(ys)}, {ty([1, 1, 1, 3])}) -> {ty(ys)}")
    return a, ys


def emit(out_dir):
    xs = [2, 6, 6, 5]
    x = rng.normal(0, 1, xs).astype(np.float32)
    np.save(os.path.join(out_dir, "x.npy"), x)
    text = []
    for name, body in [("stack", stack), ("relu_bn", relu_bn)]:
        e = Emitter()
        y, ys = body(e, "%x", xs)
        text.append(f"func.func @{name}(%x: {ty(xs)}) -> {ty(ys)} {{\n" + "\n".join(e.lines) +
                    f"\n  return {y} : {ty(ys)}\n}}\n")
    with open(os.path.join(out_dir, "layers.mlir"), "w") as f:
        f.write("\n".join(text))


def close(name, x, y):
    diff = float(np.max(np.abs(x - y)))
    scale = float(np.max(np.abs(x)))
    ok = x.shape == y.shape and diff <= 1e-5 * max(scale, 1.0)
    print(f"{name}: max abs diff {diff:.2e} (max |y| {scale:.2e}): {'ok' if ok else 'MISMATCH'}")
    return ok


def compare_ir(eval_dir, float_mlir, binary_mlir, x_npy):
    sys.path.insert(0, eval_dir)
    from eval_bnn_mlir import function_lines, run
    x = np.load(x_npy)
    ftext, btext = open(float_mlir).read(), open(binary_mlir).read()
    ok = True
    for name in ["stack", "relu_bn"]:
        ok &= close(name, run(function_lines(ftext, name), x), run(function_lines(btext, name), x))
    return 0 if ok else 1


def compare_run(eval_dir, float_mlir, x_npy, name, out_npy):
    sys.path.insert(0, eval_dir)
    from eval_bnn_mlir import function_lines, run
    expected = run(function_lines(open(float_mlir).read(), name), np.load(x_npy))
    return 0 if close(name, expected, np.load(out_npy)) else 1


if __name__ == "__main__":
    if sys.argv[1] == "emit":
        emit(sys.argv[2])
        sys.exit(0)
    if sys.argv[1] == "compare-run":
        sys.exit(compare_run(*sys.argv[2:7]))
    sys.exit(compare_ir(*sys.argv[2:6]))
