#!/usr/bin/env python3
"""Writes a small TOSA CNN with batch norms in every form qnt-fold-batchnorm
folds, plus a @main that runs it on random inputs and prints the logits
(as f32 bit patterns, for exact comparison).

  conv3x3(C->8) + qnt.batch_norm + ReLU
  conv3x3(8->8, stride 2) + decomposed BN (sub, mul by gamma*rsqrt(var+eps), add) + ReLU
  depthwise3x3(8, multiplier 2) + qnt.batch_norm + ReLU
  global average pool, matmul(16->10) + qnt.batch_norm (BN1d)

Uses only the standard library so it runs anywhere; the seed makes the
weights and inputs reproducible. Usage: make_model.py [--seed N] [--batch B]
[--size S] [--channels C] > model.mlir
"""

import argparse
import random


def tensor_literal(values, shape):
    """Nested dense<...> literal of `values` (flat, row-major) in `shape`."""
    def nest(offset, dims):
        if not dims:
            return "%.8e" % values[offset]
        stride = 1
        for d in dims[1:]:
            stride *= d
        return "[" + ", ".join(nest(offset + i * stride, dims[1:])
                               for i in range(dims[0])) + "]"
    return "dense<" + nest(0, list(shape)) + ">"


def ttype(shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


class Writer:
    def __init__(self, rng):
        self.rng = rng
        self.lines = []
        self.counter = 0

    def name(self, base):
        self.counter += 1
        return "%%%s%d" % (base, self.counter)

    def random_literal(self, shape, lo, hi):
        n = 1
        for d in shape:
            n *= d
        return tensor_literal([self.rng.uniform(lo, hi) for _ in range(n)], shape)

    def const(self, shape, lo, hi, base="w"):
        """A tosa.const of uniform random values (weights, TOSA parameters)."""
        v = self.name(base)
        self.lines.append('%s = "tosa.const"() {values = %s : %s} : () -> %s'
                          % (v, self.random_literal(shape, lo, hi),
                             ttype(shape), ttype(shape)))
        return v

    def arith_const(self, shape, lo, hi, base="p"):
        """An arith.constant of uniform random values (qnt.batch_norm operands)."""
        v = self.name(base)
        self.lines.append("%s = arith.constant %s : %s"
                          % (v, self.random_literal(shape, lo, hi), ttype(shape)))
        return v

    def op(self, text):
        v = self.name("t")
        self.lines.append(v + " = " + text)
        return v


def conv_attrs(stride, pad):
    """pad: (top, bottom, left, right)."""
    return ("{acc_type = f32, dilation = array<i64: 1, 1>, "
            "pad = array<i64: %d, %d, %d, %d>, stride = array<i64: %d, %d>}"
            % (tuple(pad) + (stride, stride)))


def batch_norm(w, x, shape, axis):
    c = shape[axis]
    gamma = w.arith_const([c], 0.5, 1.5)
    beta = w.arith_const([c], -0.5, 0.5)
    mean = w.arith_const([c], -0.5, 0.5)
    var = w.arith_const([c], 0.2, 2.0)
    return w.op("qnt.batch_norm %s, %s, %s, %s, %s {axis = %d, epsilon = 1.0e-05} : %s, %s"
                % (x, gamma, beta, mean, var, axis, ttype(shape), ttype([c])))


def relu(w, x, shape):
    return w.op("tosa.clamp %s {min_val = 0.0 : f32, max_val = 3.40282347e+38 : f32} : (%s) -> %s"
                % (x, ttype(shape), ttype(shape)))


def model(rng, batch, size, channels):
    w = Writer(rng)
    zp = w.const([1], 0.0, 0.0, "zp")
    shift = w.name("shift")
    w.lines.append('%s = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>' % shift)

    # conv3x3 (channels -> 8), pad 1, + qnt.batch_norm + ReLU
    in_shape = [batch, size, size, channels]
    s1 = [batch, size, size, 8]
    w1 = w.const([8, 3, 3, channels], -0.5, 0.5)
    b1 = w.const([8], -0.1, 0.1, "b")
    x = w.op("tosa.conv2d %%input, %s, %s, %s, %s %s : (%s, %s, %s, %s, %s) -> %s"
             % (w1, b1, zp, zp, conv_attrs(1, (1, 1, 1, 1)), ttype(in_shape),
                ttype([8, 3, 3, channels]), ttype([8]), ttype([1]), ttype([1]),
                ttype(s1)))
    x = relu(w, batch_norm(w, x, s1, 3), s1)

    # conv3x3 (8 -> 8), stride 2, + decomposed batch norm + ReLU. TOSA wants
    # the padded window to tile exactly: pad 1 before, and after only as needed.
    pad_after = size % 2
    size2 = (size + 1 + pad_after - 3) // 2 + 1
    s2 = [batch, size2, size2, 8]
    w2 = w.const([8, 3, 3, 8], -0.3, 0.3)
    b2 = w.const([8], -0.1, 0.1, "b")
    x = w.op("tosa.conv2d %s, %s, %s, %s, %s %s : (%s, %s, %s, %s, %s) -> %s"
             % (x, w2, b2, zp, zp, conv_attrs(2, (1, pad_after, 1, pad_after)), ttype(s1),
                ttype([8, 3, 3, 8]), ttype([8]), ttype([1]), ttype([1]),
                ttype(s2)))
    pc = [1, 1, 1, 8]
    mean = w.const(pc, -0.5, 0.5, "mean")
    var = w.const(pc, 0.2, 2.0, "var")
    eps = w.name("eps")
    w.lines.append('%s = "tosa.const"() {values = dense<1.0e-05> : tensor<1x1x1x1xf32>} : () -> tensor<1x1x1x1xf32>' % eps)
    gamma = w.const(pc, 0.5, 1.5, "gamma")
    beta = w.const(pc, -0.5, 0.5, "beta")
    var_eps = w.op("tosa.add %s, %s : (%s, tensor<1x1x1x1xf32>) -> %s" % (var, eps, ttype(pc), ttype(pc)))
    inv_std = w.op("tosa.rsqrt %s : (%s) -> %s" % (var_eps, ttype(pc), ttype(pc)))
    scale = w.op("tosa.mul %s, %s, %s : (%s, %s, tensor<1xi8>) -> %s" % (gamma, inv_std, shift, ttype(pc), ttype(pc), ttype(pc)))
    x = w.op("tosa.sub %s, %s : (%s, %s) -> %s" % (x, mean, ttype(s2), ttype(pc), ttype(s2)))
    x = w.op("tosa.mul %s, %s, %s : (%s, %s, tensor<1xi8>) -> %s" % (x, scale, shift, ttype(s2), ttype(pc), ttype(s2)))
    x = w.op("tosa.add %s, %s : (%s, %s) -> %s" % (x, beta, ttype(s2), ttype(pc), ttype(s2)))
    x = relu(w, x, s2)

    # depthwise 3x3, multiplier 2 (8 -> 16) + qnt.batch_norm + ReLU
    s3 = [batch, size2, size2, 16]
    w3 = w.const([3, 3, 8, 2], -0.5, 0.5)
    b3 = w.const([16], -0.1, 0.1, "b")
    x = w.op("tosa.depthwise_conv2d %s, %s, %s, %s, %s %s : (%s, %s, %s, %s, %s) -> %s"
             % (x, w3, b3, zp, zp, conv_attrs(1, (1, 1, 1, 1)), ttype(s2),
                ttype([3, 3, 8, 2]), ttype([16]), ttype([1]), ttype([1]),
                ttype(s3)))
    x = relu(w, batch_norm(w, x, s3, 3), s3)

    # global average pool -> [1, batch, 16]; matmul 16 -> 10; BN1d on axis 2
    pooled = [batch, 1, 1, 16]
    x = w.op("tosa.avg_pool2d %s, %s, %s {acc_type = f32, kernel = array<i64: %d, %d>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (%s, %s, %s) -> %s"
             % (x, zp, zp, size2, size2, ttype(s3), ttype([1]), ttype([1]), ttype(pooled)))
    flat = [1, batch, 16]
    shape_c = w.name("shape")
    w.lines.append("%s = tosa.const_shape {values = dense<[1, %d, 16]> : tensor<3xindex>} : () -> !tosa.shape<3>" % (shape_c, batch))
    x = w.op("tosa.reshape %s, %s : (%s, !tosa.shape<3>) -> %s" % (x, shape_c, ttype(pooled), ttype(flat)))
    w4 = w.const([1, 16, 10], -0.5, 0.5)
    logits_shape = [1, batch, 10]
    x = w.op("tosa.matmul %s, %s, %s, %s : (%s, %s, %s, %s) -> %s"
             % (x, w4, zp, zp, ttype(flat), ttype([1, 16, 10]), ttype([1]), ttype([1]), ttype(logits_shape)))
    x = batch_norm(w, x, logits_shape, 2)
    return w, x, in_shape, logits_shape


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--size", type=int, default=8)
    parser.add_argument("--channels", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    w, out, in_shape, out_shape = model(rng, args.batch, args.size, args.channels)
    n_in = 1
    for d in in_shape:
        n_in *= d
    inputs = [rng.uniform(-1.0, 1.0) for _ in range(n_in)]

    print("// Generated by examples/bn_folding/make_model.py --seed %d --batch %d --size %d --channels %d"
          % (args.seed, args.batch, args.size, args.channels))
    print("// A TOSA CNN with batch norms (qnt.batch_norm and the decomposed TOSA form).")
    print("func.func @model(%%input: %s) -> %s {" % (ttype(in_shape), ttype(out_shape)))
    for line in w.lines:
        print("  " + line)
    print("  return %s : %s" % (out, ttype(out_shape)))
    print("}")
    print()
    print("// Runs @model on fixed random inputs and prints the logits' f32 bit")
    print("// patterns, so two runs compare exactly (scripts/compare_outputs.py).")
    print("func.func @main() {")
    print("  %%input = arith.constant %s : %s" % (tensor_literal(inputs, in_shape), ttype(in_shape)))
    print("  %%logits = call @model(%%input) : (%s) -> %s" % (ttype(in_shape), ttype(out_shape)))
    bits_type = ttype(out_shape).replace("xf32>", "xi32>")
    rank = len(out_shape)
    dims = ", ".join("d%d" % i for i in range(rank))
    print("  %%empty = tensor.empty() : %s" % bits_type)
    print("  %%bits = linalg.generic {indexing_maps = [affine_map<(%s) -> (%s)>, affine_map<(%s) -> (%s)>], iterator_types = [%s]}"
          % (dims, dims, dims, dims, ", ".join(['"parallel"'] * rank)))
    print("      ins(%%logits : %s) outs(%%empty : %s) {" % (ttype(out_shape), bits_type))
    print("  ^bb0(%x: f32, %unused: i32):")
    print("    %b = arith.bitcast %x : f32 to i32")
    print("    linalg.yield %b : i32")
    print("  } -> %s" % bits_type)
    print("  %%printable = tensor.cast %%bits : %s to tensor<*xi32>" % bits_type)
    print("  call @printMemrefI32(%printable) : (tensor<*xi32>) -> ()")
    print("  return")
    print("}")
    print("func.func private @printMemrefI32(tensor<*xi32>)")


if __name__ == "__main__":
    main()
