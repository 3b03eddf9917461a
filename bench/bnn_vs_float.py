#!/usr/bin/env python3
"""Whole-model latency of the example BNN against float and int8 models,
single thread, at batch 1 and 64, in the same run (examples/fashion_mnist):
  BNN int8 edges   quant-import -> qnt-bnn-pipeline, calibrated by quant-run
                   --calibrate on the first 512 training images, then
                   qnt-bnn-pipeline=stats=<file>: binary middle layers, int8
                   first conv and last Gemm
  BNN float edges  quant-import -> qnt-bnn-pipeline: binary middle layers,
                   float first conv and last Gemm
  BNN-net float    the same network (weights alpha * sign(W), sign
                   activations) in float: quant-import -> qnt-fold-batchnorm
  CNN float/int8   the example CNN, as bench/model_vs_pytorch.py builds them
                   (qnt-fold-batchnorm; + calibration and qnt-ptq-pipeline)
  PyTorch BNN-net float   eager FashionBNN (train_bnn.py) in its exported
                   semantics (torch.sign, frozen alpha), float32
All of ours are run by quant-run --bench (qnt-cpu-pipeline for the host).
Rounds alternate between the models so that all see the same machine load;
each round reports a median over --runs timed calls after warm-up, and the
tables give the median of the round medians and the minimum over all runs.

  /usr/bin/python3 bench/bnn_vs_float.py --build build [--rounds 5] [--runs 50]
"""

import argparse
import os
import subprocess
import sys

import onnx
from onnx import numpy_helper
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_vs_pytorch import (CALIBRATION_IMAGES, EXAMPLE, MEAN, ROOT, SCALE, STD, TRAIN,  # noqa: E402
                              test_images, time_models)
import train_bnn  # noqa: E402  (model_vs_pytorch put the example directory on sys.path)


def pytorch_bnn(onnx_path):
    """FashionBNN computing the exported semantics, with the ONNX file's weights."""
    model = train_bnn.FashionBNN()
    for layer in model.binary_layers():
        layer.freeze()
    train_bnn.BinarySign.exporting = True
    weights = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy())
               for t in onnx.load(onnx_path).graph.initializer}
    state = model.state_dict()
    missing = [name for name in state if name not in weights and "num_batches" not in name]
    if missing:
        raise RuntimeError("%s lacks %s" % (onnx_path, missing))
    model.load_state_dict({name: weights.get(name, value) for name, value in state.items()})
    return model.eval()


def tool(build, name, *args):
    subprocess.run([os.path.join(build, "bin", name)] + list(args), check=True,
                   capture_output=True, text=True)


def calibrate(build, mlir, stats):
    tool(build, "quant-run", mlir, "--dataset=" + TRAIN, "--calibrate=%d" % CALIBRATION_IMAGES,
         "--stats-out=" + stats, "--scale=%r" % SCALE, "--mean=%r" % MEAN, "--std=%r" % STD)


def build_models(build, work, batch):
    suffix = "" if batch == 1 else "_b64"
    stem = lambda name: os.path.join(work, "%s_b%d" % (name, batch))
    models = {}

    bnn = stem("bnn") + ".mlir"
    tool(build, "quant-import", os.path.join(EXAMPLE, "fashion_mnist_bnn%s.onnx" % suffix), "-o", bnn)
    tool(build, "quant-opt", bnn, "--qnt-bnn-pipeline", "-o", stem("bnn") + ".binary.mlir")
    calibrate(build, stem("bnn") + ".binary.mlir", stem("bnn") + ".stats.json")
    tool(build, "quant-opt", bnn, "--qnt-bnn-pipeline=stats=%s" % (stem("bnn") + ".stats.json"),
         "-o", stem("bnn") + ".int8-edges.mlir")
    tool(build, "quant-opt", bnn, "--qnt-fold-batchnorm", "--canonicalize",
         "-o", stem("bnn") + ".float.mlir")
    models["BNN int8 edges"] = ("ours", stem("bnn") + ".int8-edges.mlir")
    models["BNN float edges"] = ("ours", stem("bnn") + ".binary.mlir")
    models["BNN-net float"] = ("ours", stem("bnn") + ".float.mlir")
    models["PyTorch BNN-net float"] = (
        "torch", pytorch_bnn(os.path.join(EXAMPLE, "fashion_mnist_bnn%s.onnx" % suffix)))

    cnn = stem("cnn") + ".mlir"
    tool(build, "quant-import", os.path.join(EXAMPLE, "fashion_mnist_cnn%s.onnx" % suffix), "-o", cnn)
    tool(build, "quant-opt", cnn, "--qnt-fold-batchnorm", "-o", stem("cnn") + ".folded.mlir")
    calibrate(build, stem("cnn") + ".folded.mlir", stem("cnn") + ".stats.json")
    tool(build, "quant-opt", stem("cnn") + ".folded.mlir",
         "--qnt-ptq-pipeline=stats=%s" % (stem("cnn") + ".stats.json"), "-o", stem("cnn") + ".int8.mlir")
    models["CNN float"] = ("ours", stem("cnn") + ".folded.mlir")
    models["CNN int8"] = ("ours", stem("cnn") + ".int8.mlir")
    return models


RATIOS = [("BNN float edges", "BNN int8 edges"), ("BNN-net float", "BNN int8 edges"),
          ("PyTorch BNN-net float", "BNN int8 edges"), ("CNN float", "BNN int8 edges"),
          ("CNN int8", "BNN int8 edges"), ("BNN-net float", "BNN float edges")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(1)

    work = os.path.join(args.build, "bench")
    os.makedirs(work, exist_ok=True)
    rows = []
    for batch in [1, 64]:
        models = build_models(args.build, work, batch)
        rows.append((batch, time_models(args.build, models, test_images(batch), batch,
                                        args.rounds, args.warmup, args.runs)))

    names = list(rows[0][1])
    for index, statistic in enumerate(["median", "min"]):
        print("%s (ms per batch)\n" % statistic)
        print("| batch | " + " | ".join(names) + " |")
        print("|---|" + "---|" * len(names))
        for batch, stats in rows:
            print("| %d | " % batch + " | ".join("%.3f" % stats[n][index] for n in names) + " |")
        print()
        print("| batch | " + " | ".join("%s / %s" % r for r in RATIOS) + " |")
        print("|---|" + "---|" * len(RATIOS))
        for batch, stats in rows:
            print("| %d | " % batch + " | ".join("%.2fx" % (stats[a][index] / stats[b][index])
                                                 for a, b in RATIOS) + " |")
        print()
    print("torch %s, %d rounds x %d runs, single thread; load average %s"
          % (torch.__version__, args.rounds, args.runs,
             " ".join("%.1f" % v for v in os.getloadavg())))


if __name__ == "__main__":
    main()
