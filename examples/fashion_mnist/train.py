#!/usr/bin/python3
"""Train the lab CNN on Fashion-MNIST and export it to ONNX with BatchNormalization kept.

Run with Debian's interpreter (python3-torch 1.13, python3-onnx, python3-numpy):

    /usr/bin/python3 examples/fashion_mnist/train.py

Writes, next to this script:
    fashion_mnist_cnn.onnx            batch 1,  input "input" [1, 1, 28, 28] -> "logits" [1, 10]
    fashion_mnist_cnn_b64.onnx        batch 64, input "input" [64, 1, 28, 28] -> "logits" [64, 10]
    fashion_mnist_cnn.json            test accuracy, preprocessing, shapes, provenance, SHA-256s
    reference_logits_first100.npy     float32 [100, 10] PyTorch logits of the first 100 test images

Preprocessing (a runner must apply exactly this): pixels are uint8 in [0, 255], NCHW layout,
x = pixel / 255; x = (x - 0.2860) / 0.3530.
"""

import argparse
import gzip
import hashlib
import json
import os
import random
import struct
import time

import numpy as np
import onnx
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = "/usr/share/datasets/fashion-mnist"

SCALE = 1.0 / 255.0
MEAN = 0.2860
STD = 0.3530
OPSET = 13
INPUT_NAME = "input"
OUTPUT_NAME = "logits"
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def read_idx(path):
    """Read a gzipped IDX file (the format Fashion-MNIST ships in) into a numpy array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(dims)):
        raise ValueError(f"{path}: expected {dims}, got {arr.size} bytes")
    return arr.reshape(dims)


def load_split(split):
    images = read_idx(os.path.join(DATA_DIR, f"{split}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(DATA_DIR, f"{split}-labels-idx1-ubyte.gz"))
    x = images.astype(np.float32) * np.float32(SCALE)
    x = (x - np.float32(MEAN)) / np.float32(STD)
    x = x[:, None, :, :]  # N, 1, 28, 28
    return torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(labels.astype(np.int64))


class LabCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 5, padding=2), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(32 * 7 * 7, 300), nn.ReLU(),
            nn.Linear(300, 10),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


@torch.no_grad()
def predict(model, x, batch=1000):
    model.eval()
    return torch.cat([model(x[i:i + batch]) for i in range(0, len(x), batch)])


def export(model, batch, path):
    model.eval()
    dummy = torch.zeros(batch, 1, 28, 28)
    torch.onnx.export(model, dummy, path, opset_version=OPSET,
                      input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
                      training=torch.onnx.TrainingMode.PRESERVE,
                      do_constant_folding=False)  # no dynamic_axes: all shapes are static
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    ops = [n.op_type for n in m.graph.node]
    if ops.count("BatchNormalization") != 3:
        raise RuntimeError(f"{path}: expected 3 BatchNormalization nodes, got {ops}")
    return ops


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out-dir", default=HERE)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)

    x_train, y_train = load_split("train")
    x_test, y_test = load_split("t10k")
    print(f"train {tuple(x_train.shape)}, test {tuple(x_test.shape)}", flush=True)

    model = LabCNN()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(args.seed)

    t0 = time.time()
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
            total += loss.item() * len(idx)
            n += len(idx)
        acc = (predict(model, x_test).argmax(1) == y_test).float().mean().item()
        print(f"epoch {epoch + 1}/{args.epochs}: train loss {total / n:.4f}, "
              f"test acc {acc:.4f}, {time.time() - te:.1f} s", flush=True)
    train_time = time.time() - t0

    model.eval()
    logits = predict(model, x_test)
    correct = int((logits.argmax(1) == y_test).sum().item())
    accuracy = correct / len(y_test)
    print(f"final test accuracy {accuracy:.4f} ({correct}/{len(y_test)}), training {train_time:.1f} s")

    os.makedirs(args.out_dir, exist_ok=True)
    ref = logits[:100].numpy().astype(np.float32)
    np.save(os.path.join(args.out_dir, "reference_logits_first100.npy"), ref)

    models = {}
    for batch, name in [(1, "fashion_mnist_cnn.onnx"), (64, "fashion_mnist_cnn_b64.onnx")]:
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

    info = {
        "model": "LabCNN: conv5x5-16(pad 2)+BN+ReLU; conv3x3-16(pad 1)+BN+ReLU+maxpool2; "
                 "conv3x3-32(pad 1)+BN+ReLU+maxpool2; flatten; fc300+ReLU; fc10 (logits)",
        "dataset": {"name": "Fashion-MNIST", "dir": DATA_DIR,
                    "test_images": "t10k-images-idx3-ubyte.gz", "test_labels": "t10k-labels-idx1-ubyte.gz",
                    "classes": CLASSES},
        "test_accuracy": accuracy,
        "test_correct": correct,
        "test_total": len(y_test),
        "preprocessing": {
            "description": "x = pixel_uint8 * scale; x = (x - mean) / std; layout NCHW [N, 1, 28, 28]",
            "scale": SCALE, "mean": MEAN, "std": STD, "layout": "NCHW",
        },
        "opset": OPSET,
        "onnx_files": models,
        "reference_logits": {"file": "reference_logits_first100.npy", "shape": [100, 10],
                             "dtype": "float32", "images": "first 100 of t10k, preprocessed as above"},
        "training": {
            "torch_version": torch.__version__, "onnx_version": onnx.__version__, "numpy_version": np.__version__,
            "seed": args.seed, "epochs": args.epochs, "batch_size": args.batch_size,
            "optimizer": "Adam", "lr": args.lr, "threads": args.threads,
            "training_time_s": round(train_time, 1),
        },
    }
    with open(os.path.join(args.out_dir, "fashion_mnist_cnn.json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
