#!/usr/bin/python3
"""Exports PyTorch's own int8 model of the lab CNN (ptq_pytorch.py: onednn engine, the same
calibration) to ONNX in QDQ form, the input of QuantMLIR's QDQ path (`qnt-quantize` takes the
scales from QuantizeLinear/DequantizeLinear instead of statistics).

torch.onnx.export of the converted torch.ao model, opset 13 (per-axis DequantizeLinear):

  * input QuantizeLinear (quint8, the QuantStub's scale and zero point);
  * per layer DequantizeLinear of the activation, DequantizeLinear of the int8 weights (per output
    channel, axis 0), DequantizeLinear of the bias that the exporter quantizes to int32 at
    input_scale * weight_scale[c], the float Conv/Gemm (+ Relu), QuantizeLinear at the layer's
    output scale and zero point; MaxPool and Flatten between a DequantizeLinear and a
    QuantizeLinear of one scale;
  * torch 1.13's exporter has no symbolic for quantized::linear_relu, so the fused
    QuantizedLinearReLU is replaced first by the quantized Linear with the same weights, bias,
    output scale and zero point (0) followed by ReLU. Its output is quint8 with zero point 0, so
    the separate ReLU changes nothing: the script checks that all 10,000 test logits are
    bit-identical before exporting, and that the argmax equals pytorch_int8_predictions.npy
    (so those predictions are the reference for this file too).

The batch dimension is symbolic ('N'); `quant-import --batch=N` fixes it.

    /usr/bin/python3 examples/fashion_mnist/export_qdq.py

Writes, next to this script:
    fashion_mnist_cnn_qdq.onnx              the QDQ model
    pytorch_int8_logits_first100.npy        float32 [100, 10]: the int8 model's logits (dequantized
                                            from its uint8 output) for the first 100 test images
"""

import argparse
import os
import sys

import numpy as np
import onnx
import torch
from torch.ao.nn import quantized as nnq

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ptq_pytorch as ptq  # noqa: E402

OUT_FILE = os.path.join(HERE, "fashion_mnist_cnn_qdq.onnx")
PREDICTIONS = os.path.join(HERE, "pytorch_int8_predictions.npy")
LOGITS = "pytorch_int8_logits_first100.npy"


def unfuse_linear_relu(qmodel):
    """QuantizedLinearReLU -> quantized Linear + ReLU (exportable, same numbers)."""
    fused = qmodel.classifier[1]
    if fused.zero_point != 0:
        raise RuntimeError(f"LinearReLU output zero point {fused.zero_point}: a separate ReLU would clamp")
    linear = nnq.Linear(fused.in_features, fused.out_features, dtype=torch.qint8)
    linear.set_weight_bias(fused.weight(), fused.bias())
    linear.scale, linear.zero_point = fused.scale, fused.zero_point
    qmodel.classifier[1] = linear
    qmodel.classifier[2] = torch.nn.ReLU()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=OUT_FILE)
    ap.add_argument("--out-dir", default=HERE, help="where the logits go")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    torch.backends.quantized.engine = ptq.ENGINE
    calibration = ptq.preprocess(ptq.load_images("train-images-idx3-ubyte.gz")[:ptq.CALIBRATION_IMAGES])
    x_test = ptq.preprocess(ptq.load_images("t10k-images-idx3-ubyte.gz"))

    qmodel = ptq.int8_model(calibration)
    fused_logits = ptq.predict(qmodel, x_test)
    unfuse_linear_relu(qmodel)
    logits = ptq.predict(qmodel, x_test)
    if not torch.equal(fused_logits, logits):
        raise RuntimeError("Linear + ReLU differs from the fused LinearReLU")
    reference = np.load(PREDICTIONS)
    agree = int((logits.argmax(1).numpy() == reference).sum())
    if agree != len(reference):
        raise RuntimeError(f"int8 model argmax agrees with {PREDICTIONS} on {agree}/{len(reference)} only")

    np.save(os.path.join(args.out_dir, LOGITS), logits[:100].numpy().astype(np.float32))

    torch.onnx.export(qmodel, x_test[:1], args.out, opset_version=13, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}})
    model = onnx.load(args.out)
    onnx.checker.check_model(model, full_check=True)
    ops = [n.op_type for n in model.graph.node if n.op_type not in ("Constant", "ConstantOfShape", "Cast")]
    print(f"{args.out}: {os.path.getsize(args.out)} bytes, argmax equal to {os.path.basename(PREDICTIONS)} "
          f"on {agree}/{len(reference)}; nodes: {' '.join(ops)}")


if __name__ == "__main__":
    main()
