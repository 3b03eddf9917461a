#!/usr/bin/python3
"""PyTorch's own int8 model of the Fashion-MNIST lab CNN, the reference for QuantMLIR's int8 path.

Eager-mode static post-training quantization with torch.ao.quantization on the 'onednn'
engine (Debian's torch 1.13 has no fbgemm/x86 engine):

  * float weights: the initializers of fashion_mnist_cnn.onnx (train.py saves no state_dict;
    the initializer names are the module's state_dict keys), checked against
    reference_logits_first100.npy;
  * Conv+BatchNorm+ReLU and Linear+ReLU fused (BN folded into the conv);
  * qconfig get_default_qconfig('onednn'): activations quint8 per tensor, affine, from
    HistogramObserver (reduce_range=False); weights qint8 per output channel, symmetric,
    from PerChannelMinMaxObserver;
  * calibration: the first 512 images of train-images-idx3-ubyte.gz (what
    `quant-run --calibrate=512` uses), in 8 batches of 64, preprocessed as train.py;
  * evaluation: the 10,000 test images.

Run with Debian's interpreter:

    /usr/bin/python3 examples/fashion_mnist/ptq_pytorch.py [--bench]

Writes, next to this script:
    pytorch_int8_results.json       int8 and float accuracy, int8/float agreement, weight
                                    bytes, qparams per layer, versions, settings
    pytorch_int8_predictions.npy    uint8 [10000]: argmax of the int8 model per test image

--bench also times the int8 and float models at batch 1 and 64 on one thread (warm-up, then
the median and p90 of --runs runs, in thread CPU time and in wall time) and writes
pytorch_int8_bench.json (timings vary from run to run, so they stay out of the deterministic
results file).
"""

import argparse
import io
import json
import os
import platform
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import numpy_helper
from torch.ao import quantization as tq

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from train import DATA_DIR, MEAN, SCALE, STD, LabCNN, read_idx  # noqa: E402

ONNX_FILE = os.path.join(HERE, "fashion_mnist_cnn.onnx")
REFERENCE_LOGITS = os.path.join(HERE, "reference_logits_first100.npy")
CALIBRATION_IMAGES = 512
CALIBRATION_BATCH = 64
ENGINE = "onednn"
# Fused groups: (conv, bn, relu) x 3 and (linear, relu), by LabCNN's module names.
FUSE = [["features.0", "features.1", "features.2"],
        ["features.3", "features.4", "features.5"],
        ["features.7", "features.8", "features.9"],
        ["classifier.1", "classifier.2"]]


def preprocess(images):
    """uint8 [N, 28, 28] -> float32 [N, 1, 28, 28], exactly as train.py."""
    x = images.astype(np.float32) * np.float32(SCALE)
    x = (x - np.float32(MEAN)) / np.float32(STD)
    return torch.from_numpy(np.ascontiguousarray(x[:, None, :, :]))


def load_images(name):
    return read_idx(os.path.join(DATA_DIR, name))


class QuantLabCNN(nn.Module):
    """LabCNN between a QuantStub and a DeQuantStub (eager mode needs both)."""

    def __init__(self, model):
        super().__init__()
        self.quant = tq.QuantStub()
        self.features = model.features
        self.classifier = model.classifier
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        return self.dequant(self.classifier(self.features(self.quant(x))))


def float_model_from_onnx():
    """LabCNN with the weights of the committed ONNX file."""
    model = LabCNN()
    graph = onnx.load(ONNX_FILE).graph
    state = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in graph.initializer}
    missing, unexpected = model.load_state_dict(state, strict=False)
    # BatchNorm's num_batches_tracked is not exported and irrelevant in eval mode.
    if unexpected or any(not k.endswith("num_batches_tracked") for k in missing):
        raise RuntimeError(f"{ONNX_FILE}: missing {missing}, unexpected {unexpected}")
    model.eval()
    return model


def int8_model(calibration):
    """PyTorch's int8 model: fused, calibrated on `calibration`, converted."""
    qmodel = QuantLabCNN(float_model_from_onnx())
    qmodel.eval()
    tq.fuse_modules(qmodel, FUSE, inplace=True)
    qmodel.qconfig = tq.get_default_qconfig(ENGINE)
    tq.prepare(qmodel, inplace=True)
    with torch.no_grad():
        for i in range(0, CALIBRATION_IMAGES, CALIBRATION_BATCH):
            qmodel(calibration[i:i + CALIBRATION_BATCH])
    tq.convert(qmodel, inplace=True)
    return qmodel


@torch.no_grad()
def predict(model, x, batch=500):
    return torch.cat([model(x[i:i + batch]) for i in range(0, len(x), batch)])


def weight_bytes(qmodel):
    """Bytes of the int8 model's parameters, by kind."""
    int8 = bias = qparams = 0
    layers = []
    for name, module in qmodel.named_modules():
        if not hasattr(module, "weight") or not callable(module.weight):
            continue
        w = module.weight()
        b = module.bias() if callable(getattr(module, "bias", None)) else None
        int8 += w.numel() * w.element_size()
        if b is not None:
            bias += b.numel() * b.element_size()
        scales = w.q_per_channel_scales()
        qparams += scales.numel() * (4 + 4)  # one f32 scale and one i32 zero point per channel
        layers.append({
            "module": name,
            "type": type(module).__name__,
            "weight_shape": list(w.shape),
            "weight_dtype": str(w.dtype),
            "weight_qscheme": str(w.qscheme()),
            "weight_scale_min": float(scales.min()),
            "weight_scale_max": float(scales.max()),
            "weight_zero_points_all_zero": bool((w.q_per_channel_zero_points() == 0).all()),
            "bias_dtype": str(b.dtype) if b is not None else None,
            "output_scale": float(module.scale),
            "output_zero_point": int(module.zero_point),
        })
    return {"int8_weights": int8, "float32_bias": bias, "per_channel_qparams_as_f32_i32": qparams,
            "total": int8 + bias + qparams}, layers


def serialized_bytes(module):
    buf = io.BytesIO()
    torch.save(module.state_dict(), buf)
    return buf.getbuffer().nbytes


def time_model(model, batch, runs, warmup):
    """Median and p90 per call, as thread CPU time (what a shared machine leaves comparable;
    with one thread PyTorch computes on the calling thread) and as wall time."""
    x = torch.zeros(batch, 1, 28, 28)
    x.normal_(generator=torch.Generator().manual_seed(batch))
    cpu, wall = [], []
    with torch.no_grad():
        for _ in range(warmup):
            model(x)
        for _ in range(runs):
            c0, w0 = time.thread_time(), time.perf_counter()
            model(x)
            wall.append(time.perf_counter() - w0)
            cpu.append(time.thread_time() - c0)
    cpu, wall = np.array(cpu) * 1e3, np.array(wall) * 1e3
    return {"batch": batch, "runs": runs, "warmup": warmup,
            "cpu_median_ms": float(np.median(cpu)), "cpu_p90_ms": float(np.percentile(cpu, 90)),
            "wall_median_ms": float(np.median(wall)), "wall_p90_ms": float(np.percentile(wall, 90))}


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2, help="threads for calibration and evaluation")
    ap.add_argument("--out-dir", default=HERE)
    ap.add_argument("--bench", action="store_true", help="also time batch 1 and 64 on one thread")
    ap.add_argument("--runs", type=int, default=200, help="timed runs per model and batch size")
    ap.add_argument("--warmup", type=int, default=20)
    args = ap.parse_args()

    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    if ENGINE not in torch.backends.quantized.supported_engines:
        raise SystemExit(f"quantized engine {ENGINE!r} unavailable: {torch.backends.quantized.supported_engines}")
    torch.backends.quantized.engine = ENGINE

    calibration = preprocess(load_images("train-images-idx3-ubyte.gz")[:CALIBRATION_IMAGES])
    x_test = preprocess(load_images("t10k-images-idx3-ubyte.gz"))
    y_test = torch.from_numpy(load_images("t10k-labels-idx1-ubyte.gz").astype(np.int64))

    model = float_model_from_onnx()
    float_logits = predict(model, x_test)
    reference = torch.from_numpy(np.load(REFERENCE_LOGITS))
    max_diff = float((float_logits[:100] - reference).abs().max())
    if max_diff > 1e-3:
        raise RuntimeError(f"float model from ONNX differs from {REFERENCE_LOGITS} by {max_diff}")
    float_pred = float_logits.argmax(1)
    float_correct = int((float_pred == y_test).sum())
    print(f"float (weights from {os.path.basename(ONNX_FILE)}): accuracy {float_correct / 100:.2f}% "
          f"({float_correct}/10000), max |logit - reference| {max_diff:.2e}")

    qmodel = int8_model(calibration)

    int8_pred = predict(qmodel, x_test).argmax(1)
    int8_correct = int((int8_pred == y_test).sum())
    agreement = int((int8_pred == float_pred).sum())
    print(f"int8 ({ENGINE}): accuracy {int8_correct / 100:.2f}% ({int8_correct}/10000), "
          f"argmax agreement with float {agreement}/10000")

    sizes, layers = weight_bytes(qmodel)
    print(f"int8 parameters: {sizes['total']} bytes ({sizes['int8_weights']} int8 weights, "
          f"{sizes['float32_bias']} f32 bias, {sizes['per_channel_qparams_as_f32_i32']} scales/zero points)")

    os.makedirs(args.out_dir, exist_ok=True)
    np.save(os.path.join(args.out_dir, "pytorch_int8_predictions.npy"), int8_pred.numpy().astype(np.uint8))
    results = {
        "model": "LabCNN (train.py), weights from fashion_mnist_cnn.onnx",
        "engine": ENGINE,
        "scheme": {
            "mode": "eager-mode static PTQ (torch.ao.quantization: fuse_modules, prepare, convert)",
            "fused": FUSE,
            "qconfig": f"get_default_qconfig({ENGINE!r})",
            "activations": "quint8, per tensor, affine, HistogramObserver(reduce_range=False)",
            "weights": "qint8, per output channel, symmetric, PerChannelMinMaxObserver",
            "bias": "float32 (PyTorch quantized conv/linear add the bias in float)",
        },
        "calibration": {"images": "first 512 of train-images-idx3-ubyte.gz", "count": CALIBRATION_IMAGES,
                        "batch": CALIBRATION_BATCH},
        "preprocessing": {"scale": SCALE, "mean": MEAN, "std": STD, "layout": "NCHW"},
        "test_images": 10000,
        "float_accuracy": float_correct / 10000,
        "float_correct": float_correct,
        "int8_accuracy": int8_correct / 10000,
        "int8_correct": int8_correct,
        "int8_float_argmax_agreement": agreement,
        "predictions": {"file": "pytorch_int8_predictions.npy", "dtype": "uint8", "shape": [10000],
                        "what": "argmax of the int8 model's logits per test image, in file order"},
        "parameter_bytes": sizes,
        "state_dict_bytes": {"int8": serialized_bytes(qmodel), "float": serialized_bytes(model)},
        "layers": layers,
        "versions": {"torch": torch.__version__, "onnx": onnx.__version__, "numpy": np.__version__,
                     "python": platform.python_version()},
    }
    with open(os.path.join(args.out_dir, "pytorch_int8_results.json"), "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")

    if args.bench:
        torch.set_num_threads(1)
        bench = {"threads": 1, "engine": ENGINE, "cpu": cpu_model(), "cpus": os.cpu_count(),
                 "load_average_1min": os.getloadavg()[0], "results": []}
        for name, m in (("int8", qmodel), ("float", model)):
            for batch in (1, 64):
                r = time_model(m, batch, args.runs, args.warmup)
                r["model"] = name
                bench["results"].append(r)
                print(f"{name} batch {batch}: CPU median {r['cpu_median_ms']:.3f} ms, "
                      f"p90 {r['cpu_p90_ms']:.3f} ms; wall median {r['wall_median_ms']:.3f} ms "
                      f"({args.runs} runs, 1 thread)")
        with open(os.path.join(args.out_dir, "pytorch_int8_bench.json"), "w") as f:
            json.dump(bench, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
