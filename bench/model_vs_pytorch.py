#!/usr/bin/env python3
"""Whole-model latency of the example Fashion-MNIST CNN, single thread, at
batch 1 and 64, in the same run:
  ours float   quant-import -> qnt-fold-batchnorm -> quant-run --bench
  ours int8    the folded model calibrated by quant-run --calibrate on the
               first 512 training images, quantized by --int8-passes
               (default: qnt-ptq-pipeline, symmetric per-channel int8),
               then quant-run --bench
  PyTorch      eager float, and eager int8 from torch.ao.quantization on the
               onednn engine, built as examples/fashion_mnist/ptq_pytorch.py
               builds it (fused conv+BN+ReLU, default onednn qconfig, the
               same 512 calibration images)

Rounds alternate between the models so that all see the same machine load;
each round reports a median over --runs timed calls after warm-up, and the
tables give the median of the round medians and the minimum over all runs
(the figure least disturbed by other jobs), with their ratios. --no-int8
times the float models only.

  /usr/bin/python3 bench/model_vs_pytorch.py --build build [--rounds 5] [--runs 50]
"""

import argparse
import gzip
import os
import re
import shlex
import statistics
import subprocess
import sys
import time

import numpy as np
import onnx
from onnx import numpy_helper
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "examples", "fashion_mnist")
DATA = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"
TRAIN = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
CALIBRATION_IMAGES = 512
SCALE, MEAN, STD = 1.0 / 255, 0.2860, 0.3530
sys.path.insert(0, EXAMPLE)
from train import LabCNN  # noqa: E402  the model definition that was trained


def test_images(count):
    with gzip.open(DATA, "rb") as f:
        data = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
    images = data.reshape(-1, 1, 28, 28)[:count].astype(np.float32)
    return torch.from_numpy((images * SCALE - MEAN) / STD)


def pytorch_model(onnx_path):
    model = LabCNN()
    weights = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy())
               for t in onnx.load(onnx_path).graph.initializer}
    state = model.state_dict()
    for name in state:
        if name in weights:
            state[name] = weights[name]
    model.load_state_dict(state)
    return model.eval()


def pytorch_int8_model():
    """PyTorch's int8 model of the network, as ptq_pytorch.py builds it."""
    import ptq_pytorch as ptq
    from torch.ao import quantization as tq

    torch.backends.quantized.engine = ptq.ENGINE
    model = ptq.QuantLabCNN(ptq.float_model_from_onnx())
    model.eval()
    tq.fuse_modules(model, ptq.FUSE, inplace=True)
    model.qconfig = tq.get_default_qconfig(ptq.ENGINE)
    tq.prepare(model, inplace=True)
    calibration = ptq.preprocess(ptq.load_images("train-images-idx3-ubyte.gz")[:ptq.CALIBRATION_IMAGES])
    with torch.no_grad():
        for i in range(0, ptq.CALIBRATION_IMAGES, ptq.CALIBRATION_BATCH):
            model(calibration[i:i + ptq.CALIBRATION_BATCH])
    tq.convert(model, inplace=True)
    return model


def our_int8_model(build, folded, stem, passes):
    """Calibrates `folded` with quant-run and quantizes it with `passes`;
    None (and a message on stderr) when a step fails, e.g. in a build that
    has no qnt-quantize yet."""
    stats = stem + ".stats.json"
    int8 = stem + ".int8.mlir"
    steps = [
        [os.path.join(build, "bin", "quant-run"), folded, "--dataset=" + TRAIN,
         "--calibrate=%d" % CALIBRATION_IMAGES, "--stats-out=" + stats,
         "--scale=%r" % SCALE, "--mean=%r" % MEAN, "--std=%r" % STD],
        [os.path.join(build, "bin", "quant-opt"), folded]
        + shlex.split(passes.format(stats=stats)) + ["-o", int8]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            message = (done.stderr.strip().splitlines() or ["exit %d" % done.returncode])[0]
            print("model_vs_pytorch: no int8 model of ours: %s: %s"
                  % (os.path.basename(step[0]), message), file=sys.stderr)
            return None
    return int8


def pytorch_round(model, x, warmup, runs):
    times = []
    with torch.no_grad():
        for _ in range(warmup):
            model(x)
        for _ in range(runs):
            start = time.perf_counter()
            model(x)
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times), min(times)


def ours_round(build, mlir, batch, warmup, runs):
    out = subprocess.run(
        [os.path.join(build, "bin", "quant-run"), mlir, "--bench", "--runs=%d" % runs,
         "--warmup=%d" % warmup, "--dataset=" + DATA, "--limit=%d" % batch,
         "--scale=%r" % SCALE, "--mean=%r" % MEAN, "--std=%r" % STD],
        check=True, capture_output=True, text=True).stdout
    match = re.search(r"median ([0-9.]+) ms.*min ([0-9.]+) ms", out)
    return float(match.group(1)), float(match.group(2))


def time_models(build, models, x, batch, rounds, warmup, runs):
    """Alternating rounds over `models` ({name: ("ours" | "torch", model)}):
    per model, [median of the round medians, minimum over all runs] in ms."""
    times = {name: [] for name in models}
    for _ in range(rounds):
        for name, (kind, model) in models.items():
            times[name].append(ours_round(build, model, batch, warmup, runs)
                               if kind == "ours" else
                               pytorch_round(model, x, warmup, runs))
    return {name: [statistics.median(r[0] for r in t), min(r[1] for r in t)]
            for name, t in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--no-int8", dest="int8", action="store_false",
                        help="time the float models only")
    parser.add_argument("--int8-passes", default="--qnt-ptq-pipeline=stats={stats}",
                        help="quant-opt arguments that quantize the folded model "
                             "({stats}: the calibration statistics file)")
    args = parser.parse_args()
    torch.set_num_threads(1)

    work = os.path.join(args.build, "bench")
    os.makedirs(work, exist_ok=True)
    rows = []
    torch_int8 = pytorch_int8_model() if args.int8 else None
    for batch, onnx_name in [(1, "fashion_mnist_cnn.onnx"), (64, "fashion_mnist_cnn_b64.onnx")]:
        onnx_path = os.path.join(EXAMPLE, onnx_name)
        imported = os.path.join(work, "cnn_b%d.mlir" % batch)
        folded = os.path.join(work, "cnn_b%d.folded.mlir" % batch)
        subprocess.run([os.path.join(args.build, "bin", "quant-import"), onnx_path, "-o", imported], check=True)
        subprocess.run([os.path.join(args.build, "bin", "quant-opt"), imported,
                        "--qnt-fold-batchnorm", "-o", folded], check=True)
        models = {"ours float": ("ours", folded), "PyTorch float": ("torch", pytorch_model(onnx_path))}
        if args.int8:
            int8 = our_int8_model(args.build, folded, os.path.join(work, "cnn_b%d" % batch),
                                  args.int8_passes)
            if int8:
                models["ours int8"] = ("ours", int8)
            models["PyTorch int8"] = ("torch", torch_int8)
        rows.append((batch, time_models(args.build, models, test_images(batch), batch,
                                        args.rounds, args.warmup, args.runs)))

    names = list(dict.fromkeys(name for _, medians in rows for name in medians))
    ratios = [("PyTorch float", "ours float")]
    if args.int8:
        ratios += [("PyTorch int8", "ours int8"), ("PyTorch float", "ours int8"),
                   ("ours float", "ours int8")]

    # The median is the usual figure; the minimum is the one least disturbed
    # when other jobs share the machine.
    for index, statistic in enumerate(["median", "min"]):
        print("| batch | " + " | ".join("%s %s (ms)" % (n, statistic) for n in names) + " | "
              + " | ".join("%s / %s" % r for r in ratios) + " |")
        print("|---|" + "---|" * (len(names) + len(ratios)))
        for batch, stats in rows:
            value = {name: pair[index] for name, pair in stats.items()}
            print("| %d | " % batch
                  + " | ".join("%.3f" % value[n] if n in value else "-" for n in names) + " | "
                  + " | ".join("%.2fx" % (value[a] / value[b]) if a in value and b in value
                               else "-" for a, b in ratios) + " |")
        print()
    print("torch %s (quantized engine %s), %d rounds x %d runs, single thread"
          % (torch.__version__, torch.backends.quantized.engine, args.rounds, args.runs))


if __name__ == "__main__":
    main()
