#!/usr/bin/python3
"""Train a binarized CNN (BNN) on Fashion-MNIST and export it to ONNX with explicit Sign ops.

Run with Debian's interpreter (python3-torch 1.13, python3-onnx, python3-numpy):

    /usr/bin/python3 examples/fashion_mnist/train_bnn.py

Architecture (first and last layers float, the middle binary, BN before every sign):

    conv3x3 1->16 pad 1 (float)  + BN + maxpool2 + sign     -> 16 x 14 x 14 (+-1)
    bconv3x3 16->32 pad 1        + BN + maxpool2 + sign     -> 32 x 7 x 7
    bconv3x3 32->64 pad 1        + BN + maxpool2 + sign     -> 64 x 3 x 3
    flatten; bdense 576->100     + BN + sign                -> 100
    dense 100->10 (float, logits)

It is small on purpose (about 2 M multiply-accumulates per image) so that it trains in minutes on
one core; 16 input channels and 100 dense outputs are not multiples of 32, so the compiled model
exercises partial words.

Binary layers use XNOR-Net weights W_b = alpha_o * sign(W) with alpha_o = mean |W_o| per output
channel and sign activations; both signs train with a straight-through estimator (gradient 1 where
|x| <= 1). The exported graph computes exactly `alpha * Sign(W)` (Sign on the weight initializer,
Mul by an alpha initializer) and `Sign(x)` on activations, with the binary convolutions padding
their +-1 input with zeros (ONNX Conv pads).

Writes, next to this script:
    fashion_mnist_bnn.onnx                 batch 1,  "input" [1, 1, 28, 28] -> "logits" [1, 10]
    fashion_mnist_bnn_b64.onnx             batch 64
    fashion_mnist_bnn.json                 accuracy, weight bytes (float vs binary), provenance
    bnn_reference_logits_first100.npy      float32 [100, 10]: logits of the first 100 test images
    bnn_reference_predictions.npy          uint8 [10000]: predicted class of every test image

The reference outputs are the exported semantics (torch.sign, stored alpha) evaluated in float64,
so that they are the exact-arithmetic answer a compiler's integer thresholds reproduce; the JSON
records how often float32 evaluation disagrees with them.
"""

import argparse
import hashlib
import json
import os
import random
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

from train import CLASSES, DATA_DIR, INPUT_NAME, MEAN, OPSET, OUTPUT_NAME, SCALE, STD, load_split

HERE = os.path.dirname(os.path.abspath(__file__))


class SignSTE(torch.autograd.Function):
    """sign in the forward pass, straight-through (clipped identity) gradient."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.where(x >= 0, torch.ones_like(x), -torch.ones_like(x))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (x.abs() <= 1).to(grad.dtype)


class BinarySign(nn.Module):
    """Activation binarizer: STE while training, plain torch.sign (ONNX Sign) when exporting."""

    exporting = False

    def forward(self, x):
        return torch.sign(x) if BinarySign.exporting else SignSTE.apply(x)


class BinaryWeight:
    """XNOR-Net weights alpha_o * sign(W); alpha is a buffer frozen by freeze() for export."""

    def binary_weight(self):
        if BinarySign.exporting:
            return self.alpha * torch.sign(self.weight)
        dims = tuple(range(1, self.weight.dim()))
        alpha = self.weight.abs().mean(dim=dims, keepdim=True).detach()
        return alpha * SignSTE.apply(self.weight)

    def freeze(self):
        dims = tuple(range(1, self.weight.dim()))
        if (self.weight == 0).any():
            raise RuntimeError("a latent weight is exactly 0: sign(0) = 0 would not be binary")
        self.register_buffer("alpha", self.weight.detach().abs().mean(dim=dims, keepdim=True).clone())


class BinaryConv2d(nn.Conv2d, BinaryWeight):
    def forward(self, x):
        return F.conv2d(x, self.binary_weight(), None, self.stride, self.padding)


class BinaryLinear(nn.Linear, BinaryWeight):
    def forward(self, x):
        return F.linear(x, self.binary_weight())


class FashionBNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.MaxPool2d(2), BinarySign(),
            BinaryConv2d(16, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.MaxPool2d(2), BinarySign(),
            BinaryConv2d(32, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.MaxPool2d(2), BinarySign(),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            BinaryLinear(64 * 3 * 3, 100, bias=False), nn.BatchNorm1d(100), BinarySign(),
            nn.Linear(100, 10),
        )

    def forward(self, x):
        return self.classifier(self.features(x))

    def binary_layers(self):
        return [m for m in self.modules() if isinstance(m, BinaryWeight)]

    def clip_latent_weights(self):
        for m in self.binary_layers():
            m.weight.data.clamp_(-1, 1)


@torch.no_grad()
def predict(model, x, batch=1000):
    model.eval()
    return torch.cat([model(x[i:i + batch]) for i in range(0, len(x), batch)])


def export(model, batch, path):
    model.eval()
    dummy = torch.zeros(batch, 1, 28, 28)
    torch.onnx.export(model, dummy, path, opset_version=OPSET,
                      input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
                      training=torch.onnx.TrainingMode.PRESERVE,  # keeps BatchNormalization
                      do_constant_folding=False)  # keeps Sign on the weight initializers
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    ops = [n.op_type for n in m.graph.node]
    # 4 on activations + 3 on weights.
    if ops.count("Sign") != 7 or ops.count("BatchNormalization") != 4:
        raise RuntimeError(f"{path}: expected 7 Sign and 4 BatchNormalization nodes, got {ops}")
    return ops


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def weight_bytes(model):
    """Bytes of the weights: all float32, and with binary layers at 1 bit + one float alpha per channel.

    Binary weights are counted in the compiler's packed layout: 32-bit words along the input
    channels of each (output channel, kernel tap), [O, KH, KW, ceil(C / 32)], or [N, ceil(K / 32)].
    """
    total_float, total_binary = 0, 0
    binary = set(id(m.weight) for m in model.binary_layers())
    for name, p in model.named_parameters():
        total_float += 4 * p.numel()
        if id(p) in binary:
            out, fan_in = p.shape[0], p.shape[1]
            taps = int(np.prod(p.shape[2:]))  # KH * KW, or 1 for a dense layer
            total_binary += 4 * out * taps * ((fan_in + 31) // 32) + 4 * out  # words + alpha
        else:
            total_binary += 4 * p.numel()
    # BN running statistics are parameters of the float model too (they become epilogues).
    for name, b in model.named_buffers():
        if name.endswith("running_mean") or name.endswith("running_var"):
            total_float += 4 * b.numel()
            total_binary += 4 * b.numel()
    return total_float, total_binary


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out-dir", default=HERE)
    ap.add_argument("--train-limit", type=int, default=0, help="train on the first n images only (smoke tests)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)

    x_train, y_train = load_split("train")
    x_test, y_test = load_split("t10k")
    if args.train_limit:
        x_train, y_train = x_train[:args.train_limit], y_train[:args.train_limit]
    print(f"train {tuple(x_train.shape)}, test {tuple(x_test.shape)}", flush=True)

    model = FashionBNN()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    steps = args.epochs * ((len(x_train) + args.batch_size - 1) // args.batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(args.seed)

    t0 = time.time()
    per_epoch = []
    for epoch in range(args.epochs):
        model.train()
        te = time.time()
        perm = torch.randperm(len(x_train), generator=gen)
        total, n = 0.0, 0
        for i in range(0, len(perm), args.batch_size):
            idx = perm[i:i + args.batch_size]
            opt.zero_grad()
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            loss.backward()
            opt.step()
            sched.step()
            model.clip_latent_weights()
            total += loss.item() * len(idx)
            n += len(idx)
        # A 2,000-image probe keeps the per-epoch evaluation cheap; the final figure uses all 10,000.
        acc = (predict(model, x_test[:2000]).argmax(1) == y_test[:2000]).float().mean().item()
        per_epoch.append(round(acc, 4))
        print(f"epoch {epoch + 1}/{args.epochs}: train loss {total / n:.4f}, "
              f"test acc (first 2000) {acc:.4f}, {time.time() - te:.1f} s", flush=True)
    train_time = time.time() - t0

    # From here on the model computes the exported semantics: torch.sign and frozen alphas.
    for m in model.binary_layers():
        m.freeze()
    BinarySign.exporting = True

    logits32 = predict(model, x_test)
    model64 = FashionBNN().double()
    model64.load_state_dict({k: v for k, v in model.state_dict().items() if not k.endswith("alpha")})
    for m64, m in zip(model64.binary_layers(), model.binary_layers()):
        m64.register_buffer("alpha", m.alpha.double())
    zeros_at_sign = [0]

    def count_zeros(_module, inputs):
        zeros_at_sign[0] += int((inputs[0] == 0).sum().item())

    for m in model64.modules():
        if isinstance(m, BinarySign):
            m.register_forward_pre_hook(count_zeros)
    logits = predict(model64, x_test.double())
    pred = logits.argmax(1)
    correct = int((pred == y_test).sum().item())
    accuracy = correct / len(y_test)
    agree32 = int((logits32.argmax(1) == pred).sum().item())
    max_diff32 = float((logits32.double() - logits).abs().max().item())
    print(f"final test accuracy {accuracy:.4f} ({correct}/{len(y_test)}), training {train_time:.1f} s; "
          f"float32 vs float64 evaluation: argmax agrees on {agree32}/10000, max |diff| {max_diff32:.3g}; "
          f"exact zeros reaching a sign: {zeros_at_sign[0]}", flush=True)

    os.makedirs(args.out_dir, exist_ok=True)
    np.save(os.path.join(args.out_dir, "bnn_reference_logits_first100.npy"),
            logits[:100].numpy().astype(np.float32))
    np.save(os.path.join(args.out_dir, "bnn_reference_predictions.npy"), pred.numpy().astype(np.uint8))

    models = {}
    for batch, name in [(1, "fashion_mnist_bnn.onnx"), (64, "fashion_mnist_bnn_b64.onnx")]:
        path = os.path.join(args.out_dir, name)
        ops = export(model, batch, path)
        models[name] = {
            "batch": batch,
            "input": {"name": INPUT_NAME, "shape": [batch, 1, 28, 28], "dtype": "float32", "layout": "NCHW"},
            "output": {"name": OUTPUT_NAME, "shape": [batch, 10], "dtype": "float32"},
            "node_op_types": ops,
            "sha256": sha256(path),
            "bytes": os.path.getsize(path),
        }
        print(f"exported {name}: {len(ops)} nodes: {' '.join(ops)}")

    wb_float, wb_binary = weight_bytes(model)
    info = {
        "model": "FashionBNN: conv3x3-16(pad 1, float)+BN+maxpool2+sign; bconv3x3-32(pad 1)+BN+maxpool2+sign; "
                 "bconv3x3-64(pad 1)+BN+maxpool2+sign; flatten; bdense100+BN+sign; dense10 (float, logits)",
        "binary_layers": "weights alpha_o * sign(W) (alpha_o = mean |W_o|, per output channel), sign activations, "
                         "zero padding of the +-1 activations in the binary convolutions",
        "dataset": {"name": "Fashion-MNIST", "dir": DATA_DIR,
                    "test_images": "t10k-images-idx3-ubyte.gz", "test_labels": "t10k-labels-idx1-ubyte.gz",
                    "classes": CLASSES},
        "test_accuracy": accuracy,
        "test_correct": correct,
        "test_total": len(y_test),
        "test_accuracy_first2000_per_epoch": per_epoch,
        "reference": {
            "evaluation": "PyTorch, exported semantics (torch.sign, frozen alpha), float64",
            "logits_first100": "bnn_reference_logits_first100.npy",
            "predictions": "bnn_reference_predictions.npy",
            "float32_argmax_agreement": agree32,
            "float32_max_abs_logit_diff": max_diff32,
            "exact_zeros_reaching_a_sign": zeros_at_sign[0],
        },
        "weight_bytes": {
            "float32": wb_float,
            "binary": wb_binary,
            "note": "all parameters and BN statistics; binary: the binary layers' weights as the compiler "
                    "packs them (32-bit words along the input channels of each output channel and "
                    "kernel tap), plus one float32 alpha per output channel",
        },
        "preprocessing": {
            "description": "x = pixel_uint8 * scale; x = (x - mean) / std; layout NCHW [N, 1, 28, 28]",
            "scale": SCALE, "mean": MEAN, "std": STD, "layout": "NCHW",
        },
        "opset": OPSET,
        "onnx_files": models,
        "training": {
            "torch_version": torch.__version__, "onnx_version": onnx.__version__, "numpy_version": np.__version__,
            "seed": args.seed, "epochs": args.epochs, "batch_size": args.batch_size,
            "optimizer": "Adam, one-cycle schedule", "lr": args.lr, "threads": args.threads,
            "training_time_s": round(train_time, 1),
        },
    }
    with open(os.path.join(args.out_dir, "fashion_mnist_bnn.json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
