#!/usr/bin/python3
"""Cross-check the exported BNN ONNX files against the PyTorch reference without onnxruntime.

Evaluates the graphs with a small float64 numpy interpreter (the ops of check_onnx.py plus Sign,
Mul, Transpose and MatMul, which the BNN export adds) and compares with
bnn_reference_logits_first100.npy (first 100 test images, batch-1 file, within 1e-4) and with
bnn_reference_predictions.npy (every test image through the batch-64 file, argmax equal).
It also counts the exact zeros reaching a Sign node (ONNX Sign(0) = 0, a binary +-1 cannot
represent it; there should be none).

    /usr/bin/python3 examples/fashion_mnist/check_bnn_onnx.py [DIR] [--all]

DIR defaults to this script's directory; without --all only the first 1,000 predictions are
checked (the full run takes a few minutes).
"""

import gzip
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

from check_onnx import conv, maxpool

HERE = os.path.dirname(os.path.abspath(__file__))


def run(model, x, stats):
    env = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
    env[model.graph.input[0].name] = x.astype(np.float64)
    for node in model.graph.node:
        a = {at.name: onnx.helper.get_attribute_value(at) for at in node.attribute}
        ins = [env[i] for i in node.input]
        op = node.op_type
        if op == "Conv":
            b = ins[2] if len(ins) > 2 else np.zeros(ins[1].shape[0])
            y = conv(ins[0], ins[1], b, a.get("pads", [0] * 4), a.get("strides", [1, 1]),
                     a.get("dilations", [1, 1]), a.get("group", 1))
        elif op == "BatchNormalization":
            xx, scale, bias, mean, var = ins
            shape = (1, -1) + (1,) * (xx.ndim - 2)
            r = lambda v: v.reshape(shape)
            y = (xx - r(mean)) / np.sqrt(r(var) + a.get("epsilon", 1e-5)) * r(scale) + r(bias)
        elif op == "MaxPool":
            y = maxpool(ins[0], a["kernel_shape"], a.get("strides", a["kernel_shape"]), a.get("pads", [0] * 4))
        elif op == "Sign":
            if node.input[0] not in {t.name for t in model.graph.initializer}:
                stats["zeros_at_sign"] += int((ins[0] == 0).sum())
            y = np.sign(ins[0])
        elif op == "Mul":
            y = ins[0] * ins[1]
        elif op == "Transpose":
            y = np.transpose(ins[0], a["perm"])
        elif op == "MatMul":
            y = ins[0] @ ins[1]
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
    args = [a for a in sys.argv[1:] if a != "--all"]
    here = args[0] if args else HERE
    count = 10000 if "--all" in sys.argv else 1000
    with open(os.path.join(here, "fashion_mnist_bnn.json")) as f:
        info = json.load(f)
    pp = info["preprocessing"]
    with gzip.open(os.path.join(info["dataset"]["dir"], info["dataset"]["test_images"]), "rb") as f:
        raw = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 28, 28)
    x = raw.astype(np.float32) * np.float32(pp["scale"])
    x = ((x - np.float32(pp["mean"])) / np.float32(pp["std"]))[:, None]
    ref = np.load(os.path.join(here, info["reference"]["logits_first100"]))
    ref_pred = np.load(os.path.join(here, info["reference"]["predictions"]))
    stats = {"zeros_at_sign": 0}

    ok = True
    b1 = onnx.load(os.path.join(here, "fashion_mnist_bnn.onnx"))
    outs = np.concatenate([run(b1, x[i:i + 1], stats) for i in range(100)])
    err = np.abs(outs - ref).max()
    agree = int((outs.argmax(1) == ref.argmax(1)).sum())
    print(f"fashion_mnist_bnn.onnx: max |onnx - torch| = {err:.2e} over 100x10 logits, top-1 agreement {agree}/100")
    ok &= err < 1e-4 and agree == 100

    b64 = onnx.load(os.path.join(here, "fashion_mnist_bnn_b64.onnx"))
    n = (count + 63) // 64 * 64
    xs = np.concatenate([x, np.zeros((n - len(x),) + x.shape[1:], x.dtype)]) if n > len(x) else x
    preds = np.concatenate([run(b64, xs[i:i + 64], stats).argmax(1) for i in range(0, n, 64)])[:count]
    agree = int((preds == ref_pred[:count]).sum())
    print(f"fashion_mnist_bnn_b64.onnx: argmax equal to the reference on {agree}/{count} test images")
    print(f"exact zeros reaching an activation Sign: {stats['zeros_at_sign']}")
    ok &= agree == count and stats["zeros_at_sign"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
