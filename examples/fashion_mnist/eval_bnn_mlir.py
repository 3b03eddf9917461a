#!/usr/bin/python3
"""Evaluate a binarized Fashion-MNIST model (quant-opt --qnt-bnn-pipeline output) with numpy.

An independent reference for qnt-binarize: it reads the textual IR that the pipeline prints for
the example BNN and evaluates every op with numpy, the qnt binary ops exactly as their ODS
descriptions define them (bit b of word j holds element 32j + b, bit 1 = -1; bconv2d's padded taps
read +1 or 0 per pad_value; thresholds give +1 iff dot >= threshold; bmaxpool2d ANDs the words),
then compares with the float64 PyTorch reference of the exported network.

    /usr/bin/python3 examples/fashion_mnist/eval_bnn_mlir.py MODEL.mlir [--limit N]

Only the ops of this model before and after the pipeline are supported (TOSA transpose, reshape,
slice, pad, conv2d, max_pool2d, matmul, add, greater, select, clamp, const, const_shape; qnt
batch_norm, binarize, unpack, bconv2d, bmatmul, bmaxpool2d); anything else is an error. The
functions `function_lines` and `run` also serve test/Integration/CPU/Inputs/binarize_layers.py. Exits 1 unless every argmax agrees and the first 100
logits are within 1e-3.
"""
import argparse
import gzip
import json
import os
import re
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
def tensor_type(t):
    m = re.match(r'tensor<([0-9x]*)x?(f32|i32|i1)>', t.strip())
    dims = [int(d) for d in m.group(1).split('x') if d] if m.group(1) else []
    return dims, m.group(2)
def parse_dense(body, ty):
    dims, et = tensor_type(ty)
    dt = {'f32': np.float32, 'i32': np.int32}[et]
    if body.startswith('"0x'):
        raw = bytes.fromhex(body[3:-1])
        a = np.frombuffer(raw, dtype=dt)
        if a.size == 1: a = np.full(int(np.prod(dims)), a[0])
        return a.reshape(dims)
    vals = [float(v) for v in re.findall(r'-?[0-9.]+(?:[eE][-+]?[0-9]+)?', body)]
    a = np.array(vals, dtype=dt)
    if a.size == 1: a = np.full(int(np.prod(dims)), a[0], dtype=dt)
    return a.reshape(dims)
def arr(attr, name):
    m = re.search(name + r' = array<(?:i64|i32|f32): ([^>]*)>', attr)
    return None if not m else [float(x) for x in m.group(1).split(',')]
def popcount32(x):
    x = x.astype(np.uint32)
    return np.unpackbits(x.view(np.uint8).reshape(x.shape + (4,)), axis=-1).sum(-1).astype(np.int64)
def pack(bits, k):  # bits [..., K] bool -> words
    w = (k + 31) // 32
    pad = np.zeros(bits.shape[:-1] + (w * 32 - k,), bool)
    b = np.concatenate([bits, pad], -1).reshape(bits.shape[:-1] + (w, 32)).astype(np.uint64)
    return (b << np.arange(32, dtype=np.uint64)).sum(-1).astype(np.uint32).view(np.int32)
def unpack(words, k):
    w = words.view(np.uint32).astype(np.uint64)
    bits = ((w[..., None] >> np.arange(32, dtype=np.uint64)) & 1).reshape(words.shape[:-1] + (-1,))[..., :k]
    return bits.astype(bool)
def function_lines(text, name=None):
    """The lines of func.func @name (the first function when name is None)."""
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines)
                 if ln.strip().startswith("func.func @" + (name or "")) and (name is None or
                 ln.strip().startswith(f"func.func @{name}(")))
    end = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("return"))
    return lines[start:end + 1]


def run(lines, x):
    """Evaluates the function whose lines are given on input x; returns its result."""
    env = {re.search(r'\((%\w+):', lines[0]).group(1): x}
    for ln in lines[1:]:
        ln = ln.strip()
        if ln.startswith('return'):
            return env[ln.split()[1]]
        m = re.match(r'(%\w+) = (.*)', ln)
        if not m: continue
        res, rest = m.groups()
        ops = re.findall(r'%\w+', rest)
        outty = rest.rsplit('->', 1)[-1].strip() if '->' in rest else rest.rsplit(':', 1)[-1].strip()
        if rest.startswith('"tosa.const"'):
            mm = re.search(r'values = dense<(.*)> : (tensor<[^>]*>)\}>', rest)
            env[res] = parse_dense(mm.group(1), mm.group(2)); continue
        if rest.startswith('tosa.const_shape'):
            mm = re.search(r'dense<(.*)> : tensor', rest)
            env[res] = [int(v) for v in re.findall(r'-?\d+', mm.group(1))]; continue
        op = rest.split()[0]
        a = [env[o] for o in ops]
        dims, et = tensor_type(outty)
        if op == 'tosa.transpose':
            env[res] = np.transpose(a[0], [int(v) for v in arr(rest, 'perms')])
        elif op == 'tosa.reshape':
            env[res] = a[0].reshape(dims)
        elif op == 'tosa.slice':
            st, sz = a[1], a[2]
            env[res] = a[0][tuple(slice(s, s + z) for s, z in zip(st, sz))]
        elif op == 'tosa.conv2d':
            xx, w, b = a[0].astype(np.float64), a[1].astype(np.float64), a[2].astype(np.float64)
            p = [int(v) for v in arr(rest, 'pad')]
            xp = np.pad(xx, ((0, 0), (p[0], p[1]), (p[2], p[3]), (0, 0)))
            kh, kw = w.shape[1:3]
            oh, ow = dims[1], dims[2]
            y = np.zeros((xx.shape[0], oh, ow, w.shape[0]))
            for i in range(kh):
                for j in range(kw):
                    y += np.einsum('nhwc,oc->nhwo', xp[:, i:i + oh, j:j + ow], w[:, i, j])
            env[res] = y + b
        elif op == 'tosa.max_pool2d':
            k = [int(v) for v in arr(rest, 'kernel')]
            n, h, w_, c = a[0].shape
            env[res] = a[0][:, :h // k[0] * k[0], :w_ // k[1] * k[1]].reshape(n, h // k[0], k[0], w_ // k[1], k[1], c).max((2, 4))
        elif op == 'qnt.binarize':
            env[res] = pack(a[0] < 0, a[0].shape[-1])
        elif op == 'qnt.unpack':
            env[res] = np.where(unpack(a[0], dims[-1]), -1.0, 1.0)
        elif op == 'qnt.bmaxpool2d':
            k = [int(v) for v in arr(rest, 'kernel')]
            n, h, w_, c = a[0].shape
            v = a[0][:, :dims[1] * k[0], :dims[2] * k[1]].reshape(n, dims[1], k[0], dims[2], k[1], c)
            env[res] = np.bitwise_and.reduce(np.bitwise_and.reduce(v, axis=4), axis=2)
        elif op in ('qnt.bconv2d', 'qnt.bmatmul'):
            xin, w = a[0], a[1]
            if op == 'qnt.bconv2d':
                C = int(re.search(r'channels = (\d+)', rest).group(1))
                p = [int(v) for v in arr(rest, 'pad')] if arr(rest, 'pad') else [0, 0, 0, 0]
                zero = 'pad_value<zero>' in rest
                xv = np.where(unpack(xin, C), -1, 1)          # +-1 [N,H,W,C]
                wv = np.where(unpack(w, C), -1, 1)            # [O,KH,KW,C]
                padv = 0 if zero else 1
                xp = np.pad(xv, ((0, 0), (p[0], p[1]), (p[2], p[3]), (0, 0)), constant_values=padv)
                O, kh, kw = wv.shape[:3]
                oh, ow = dims[1], dims[2]
                dot = np.zeros((xv.shape[0], oh, ow, O), np.int64)
                for i in range(kh):
                    for j in range(kw):
                        dot += np.einsum('nhwc,oc->nhwo', xp[:, i:i + oh, j:j + ow], wv[:, i, j])
                Ko = O
            else:
                K = int(re.search(r'k = (\d+)', rest).group(1))
                dot = np.where(unpack(xin, K), -1, 1) @ np.where(unpack(w, K), -1, 1).T
                Ko = w.shape[0]
            thr = arr(rest, 'thresholds')
            if thr is not None:
                env[res] = pack(dot < np.array(thr), Ko)
            else:
                mlt = np.array(arr(rest, 'multiplier') or [1.0] * Ko)
                bias = np.array(arr(rest, 'bias') or [0.0] * Ko)
                env[res] = mlt * dot + bias
        elif op == 'tosa.matmul':
            env[res] = a[0].astype(np.float64) @ a[1].astype(np.float64)
        elif op == 'tosa.add':
            env[res] = a[0] + a[1]
        elif op == 'tosa.greater':
            env[res] = a[0] > a[1]
        elif op == 'tosa.select':
            env[res] = np.broadcast_to(np.where(a[0], a[1], a[2]), dims)
        elif op == 'tosa.clamp':
            lo = float(re.search(r'min_val = ([-0-9.eE+]+)', rest).group(1))
            hi = float(re.search(r'max_val = ([-0-9.eE+]+)', rest).group(1))
            env[res] = np.clip(a[0], lo, hi)
        elif op == 'tosa.pad':
            p = a[1]
            env[res] = np.pad(a[0], [(p[2 * d], p[2 * d + 1]) for d in range(a[0].ndim)],
                              constant_values=float(np.ravel(a[2])[0]))
        elif op == 'qnt.batch_norm':
            axis = int(re.search(r'axis = (\d+)', rest).group(1))
            eps = float(re.search(r'epsilon = ([-0-9.eE+]+)', rest).group(1))
            shape = [1] * a[0].ndim
            shape[axis] = -1
            g, be, mu, var = (np.asarray(v, np.float64).reshape(shape) for v in a[1:5])
            env[res] = (a[0] - mu) / np.sqrt(var + eps) * g + be
        else:
            raise NotImplementedError(f"op {op} is not supported")
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mlir")
    ap.add_argument("--limit", type=int, default=10000)
    args = ap.parse_args()
    lines = function_lines(open(args.mlir).read())
    info = json.load(open(os.path.join(HERE, "fashion_mnist_bnn.json")))
    pp = info["preprocessing"]
    with gzip.open(os.path.join(info["dataset"]["dir"], info["dataset"]["test_images"])) as f:
        raw = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    n = args.limit
    x = raw[:n].astype(np.float32) * np.float32(pp["scale"])
    x = ((x - np.float32(pp["mean"])) / np.float32(pp["std"]))[:, None]
    ref = np.load(os.path.join(HERE, info["reference"]["logits_first100"]))
    pred = np.load(os.path.join(HERE, info["reference"]["predictions"]))
    batch = tensor_type(re.search(r": (tensor<[^>]*>)", lines[0]).group(1))[0][0]
    outs = []
    for i in range(0, n, batch):
        xb = x[i:i + batch]
        if len(xb) < batch:
            xb = np.concatenate([xb, np.zeros((batch - len(xb),) + xb.shape[1:], xb.dtype)])
        outs.append(run(lines, xb).reshape(batch, -1))
    outs = np.concatenate(outs)[:n]
    m = min(n, 100)
    diff = float(np.abs(outs[:m] - ref[:m]).max())
    agree = int((outs.argmax(1) == pred[:n]).sum())
    print(f"logits of {m} samples: max abs diff {diff:.2e}")
    print(f"argmax agrees with the reference on {agree}/{n} samples")
    return 0 if diff <= 1e-3 and agree == n else 1


if __name__ == "__main__":
    sys.exit(main())
