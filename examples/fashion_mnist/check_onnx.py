#!/usr/bin/python3
"""Cross-check the exported ONNX files against the PyTorch reference logits without onnxruntime.

Debian 12 has no onnxruntime and onnx 1.12 has no reference evaluator, so this evaluates the
graph with a small numpy interpreter covering exactly the ops the exporter emits for this model
(Identity, Conv, BatchNormalization, Relu, MaxPool, Flatten, Gemm) on the first 100 test images,
preprocessed as the README says, and compares with reference_logits_first100.npy.

    /usr/bin/python3 examples/fashion_mnist/check_onnx.py [DIR]

DIR defaults to this script's directory.
"""

import gzip
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def conv(x, w, b, pads, strides, dilations, group):
    if group != 1 or any(d != 1 for d in dilations):
        raise NotImplementedError("conv: group/dilation")
    n, c, h, wd = x.shape
    m, _, kh, kw = w.shape
    pt, pl, pb, pr = pads
    x = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    sh, sw = strides
    oh = (h + pt + pb - kh) // sh + 1
    ow = (wd + pl + pr - kw) // sw + 1
    cols = np.empty((n, c, kh, kw, oh, ow), dtype=np.float64)
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = x[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw]
    y = np.einsum("nckhij,mckh->nmij", cols, w.astype(np.float64), optimize=True)
    return y + b.reshape(1, m, 1, 1)


def maxpool(x, kernel, strides, pads):
    if any(pads) or kernel != strides:
        raise NotImplementedError("maxpool: only non-overlapping, unpadded windows")
    n, c, h, w = x.shape
    kh, kw = kernel
    oh, ow = h // kh, w // kw
    return x[:, :, :oh * kh, :ow * kw].reshape(n, c, oh, kh, ow, kw).max(axis=(3, 5))


def run(model, x):
    env = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
    env[model.graph.input[0].name] = x.astype(np.float64)
    for node in model.graph.node:
        a = {at.name: onnx.helper.get_attribute_value(at) for at in node.attribute}
        ins = [env[i] for i in node.input]
        op = node.op_type
        if op == "Identity":
            y = ins[0]
        elif op == "Conv":
            b = ins[2] if len(ins) > 2 else np.zeros(ins[1].shape[0])
            y = conv(ins[0], ins[1], b, a.get("pads", [0] * 4), a.get("strides", [1, 1]),
                     a.get("dilations", [1, 1]), a.get("group", 1))
        elif op == "BatchNormalization":
            xx, scale, bias, mean, var = ins
            r = lambda v: v.reshape(1, -1, 1, 1)
            y = (xx - r(mean)) / np.sqrt(r(var) + a.get("epsilon", 1e-5)) * r(scale) + r(bias)
        elif op == "Relu":
            y = np.maximum(ins[0], 0)
        elif op == "MaxPool":
            y = maxpool(ins[0], a["kernel_shape"], a.get("strides", a["kernel_shape"]), a.get("pads", [0] * 4))
        elif op == "Flatten":
            axis = a.get("axis", 1)
            y = ins[0].reshape(int(np.prod(ins[0].shape[:axis])), -1)
        elif op == "Gemm":
            aa = ins[0].T if a.get("transA", 0) else ins[0]
            bb = ins[1].T if a.get("transB", 0) else ins[1]
            y = a.get("alpha", 1.0) * aa @ bb + a.get("beta", 1.0) * ins[2]
        else:
            raise NotImplementedError(f"op {op} (node {node.name})")
        env[node.output[0]] = y
    return env[model.graph.output[0].name]


def main():
    here = sys.argv[1] if len(sys.argv) > 1 else HERE  # optional: directory holding the files
    with open(os.path.join(here, "fashion_mnist_cnn.json")) as f:
        info = json.load(f)
    pp = info["preprocessing"]
    with gzip.open(os.path.join(info["dataset"]["dir"], info["dataset"]["test_images"]), "rb") as f:
        raw = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 28, 28)
    x = raw[:128].astype(np.float32) * np.float32(pp["scale"])
    x = ((x - np.float32(pp["mean"])) / np.float32(pp["std"]))[:, None]
    ref = np.load(os.path.join(here, info["reference_logits"]["file"]))

    ok = True
    for name, meta in info["onnx_files"].items():
        model = onnx.load(os.path.join(here, name))
        batch = meta["batch"]
        outs = np.concatenate([run(model, x[i:i + batch]) for i in range(0, 100 if batch == 1 else 128, batch)])[:100]
        err = np.abs(outs - ref).max()
        agree = int((outs.argmax(1) == ref.argmax(1)).sum())
        print(f"{name}: max |onnx - torch| = {err:.2e} over 100x10 logits, top-1 agreement {agree}/100")
        ok &= err < 1e-3 and agree == 100
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
