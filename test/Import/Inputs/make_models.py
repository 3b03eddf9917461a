#!/usr/bin/env python3
"""Writes the small ONNX models that the quant-import lit tests read.

Usage: make_models.py <model> <out.onnx>. Every model is built with
onnx.helper from fixed seeds (or hand-written values where a test pins
them), so the output is the same on every run.
"""

import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FLOAT = TensorProto.FLOAT


def rand(rng, *shape):
    """Small random float32 constants rounded to 1/8 (short to print)."""
    return (np.round(rng.standard_normal(shape) * 8) / 8).astype(np.float32)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def vinfo(name, shape, elem=FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def model(nodes, inputs, outputs, inits=(), opset=13, name="test"):
    graph = helper.make_graph(nodes, name, inputs, outputs,
                              initializer=list(inits))
    m = helper.make_model(graph, producer_name="make_models.py",
                          opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8
    return m


MODELS = {}


def register(fn):
    MODELS[fn.__name__] = fn
    return fn


# --- Conv ---------------------------------------------------------------

@register
def conv():
    """Conv 2x2 on an NCHW input; the weights count 0..15 so that the OIHW
    to OHWI transposition is visible in the constant."""
    w = np.arange(16, dtype=np.float32).reshape(2, 2, 2, 2)
    return model(
        [helper.make_node("Conv", ["x", "w", "b"], ["y"], name="conv",
                          pads=[0, 0, 1, 1])],
        [vinfo("x", [1, 2, 3, 3])], [vinfo("y", [1, 2, 3, 3])],
        [init("w", w), init("b", np.array([0.5, -0.5], np.float32))])


@register
def conv_depthwise():
    """Depthwise (group = C = 2, multiplier 2): weights [4, 1, 1, 2] go to
    HWCM [1, 2, 2, 2]."""
    w = np.arange(8, dtype=np.float32).reshape(4, 1, 1, 2)
    return model(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="dw", group=2,
                          kernel_shape=[1, 2])],
        [vinfo("x", [1, 2, 4, 4])], [vinfo("y", [1, 4, 4, 3])],
        [init("w", w)])


@register
def conv_grouped():
    """group = 2 with 4 input and 4 output channels: two convolutions on
    channel slices, concatenated."""
    rng = np.random.default_rng(1)
    return model(
        [helper.make_node("Conv", ["x", "w", "b"], ["y"], name="grouped",
                          group=2, pads=[1, 1, 1, 1])],
        [vinfo("x", [1, 4, 5, 5])], [vinfo("y", [1, 4, 5, 5])],
        [init("w", rand(rng, 4, 2, 3, 3)), init("b", rand(rng, 4))])


@register
def conv_strided():
    """Stride 2, dilation 2, asymmetric explicit pads."""
    rng = np.random.default_rng(2)
    return model(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="strided",
                          strides=[2, 2], dilations=[2, 2],
                          pads=[1, 2, 1, 0])],
        [vinfo("x", [1, 3, 10, 10])], [vinfo("y", [1, 4, 4, 4])],
        [init("w", rand(rng, 4, 3, 3, 3))])


@register
def conv_same_upper():
    """auto_pad SAME_UPPER with stride 2 on an even size: the odd total pad
    goes to the end."""
    rng = np.random.default_rng(3)
    return model(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="same",
                          strides=[2, 2], auto_pad="SAME_UPPER")],
        [vinfo("x", [1, 2, 8, 8])], [vinfo("y", [1, 2, 4, 4])],
        [init("w", rand(rng, 2, 2, 3, 3))])


@register
def conv_same_lower():
    """auto_pad SAME_LOWER: the odd total pad goes to the beginning."""
    rng = np.random.default_rng(4)
    return model(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="same_lower",
                          strides=[2, 2], auto_pad="SAME_LOWER")],
        [vinfo("x", [1, 2, 8, 8])], [vinfo("y", [1, 2, 4, 4])],
        [init("w", rand(rng, 2, 2, 3, 3))])


@register
def cnn():
    """The PyTorch-style CNN path: conv + BN + ReLU, conv + BN + ReLU +
    MaxPool, Flatten, Gemm (transB = 1), as torch.onnx.export writes it."""
    rng = np.random.default_rng(5)
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization",
                         ["c1", "g1", "be1", "m1", "v1"], ["n1"], name="bn1",
                         epsilon=1e-5),
        helper.make_node("Relu", ["n1"], ["r1"], name="relu1"),
        helper.make_node("Conv", ["r1", "w2", "b2"], ["c2"], name="conv2",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization",
                         ["c2", "g2", "be2", "m2", "v2"], ["n2"], name="bn2"),
        helper.make_node("Relu", ["n2"], ["r2"], name="relu2"),
        helper.make_node("MaxPool", ["r2"], ["p2"], name="pool2",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p2"], ["f"], name="flatten", axis=1),
        helper.make_node("Gemm", ["f", "wf", "bf"], ["y"], name="fc",
                         transB=1),
    ]
    var = lambda n: (np.abs(rand(rng, n)) + 0.5).astype(np.float32)
    inits = [init("w1", rand(rng, 4, 1, 3, 3)), init("b1", rand(rng, 4)),
             init("g1", rand(rng, 4)), init("be1", rand(rng, 4)),
             init("m1", rand(rng, 4)), init("v1", var(4)),
             init("w2", rand(rng, 4, 4, 3, 3)), init("b2", rand(rng, 4)),
             init("g2", rand(rng, 4)), init("be2", rand(rng, 4)),
             init("m2", rand(rng, 4)), init("v2", var(4)),
             init("wf", rand(rng, 10, 4 * 3 * 3)), init("bf", rand(rng, 10))]
    return model(nodes, [vinfo("x", [2, 1, 6, 6])], [vinfo("y", [2, 10])],
                 inits)


# --- Pooling --------------------------------------------------------------

@register
def pooling():
    """MaxPool, AveragePool without and with count_include_pad, and
    GlobalAveragePool, each on the same NCHW input."""
    nodes = [
        helper.make_node("MaxPool", ["x"], ["max"], name="max",
                         kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 1, 1, 1]),
        helper.make_node("AveragePool", ["x"], ["avg"], name="avg",
                         kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 1, 1, 1]),
        helper.make_node("AveragePool", ["x"], ["avg_pad"], name="avg_pad",
                         kernel_shape=[2, 2], pads=[1, 1, 0, 0],
                         count_include_pad=1),
        helper.make_node("GlobalAveragePool", ["x"], ["gap"], name="gap"),
    ]
    return model(nodes, [vinfo("x", [1, 2, 8, 8])],
                 [vinfo("max", [1, 2, 4, 4]), vinfo("avg", [1, 2, 4, 4]),
                  vinfo("avg_pad", [1, 2, 8, 8]), vinfo("gap", [1, 2, 1, 1])])


@register
def maxpool_ceil():
    """ceil_mode = 1 where rounding up changes nothing (7x7, kernel 3,
    stride 2): accepted."""
    return model(
        [helper.make_node("MaxPool", ["x"], ["y"], name="pool",
                          kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)],
        [vinfo("x", [1, 1, 7, 7])], [vinfo("y", [1, 1, 3, 3])])


@register
def pooling_ceil():
    """ceil_mode = 1 where rounding up adds a partial last window: 5x5,
    kernel 2, stride 2 gives 3x3 (max and average); average with pads 1 and
    count_include_pad on 6x6, kernel 3, stride 2 gives 4x4."""
    nodes = [
        helper.make_node("MaxPool", ["x"], ["max"], name="max",
                         kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1),
        helper.make_node("AveragePool", ["x"], ["avg"], name="avg",
                         kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1),
        helper.make_node("AveragePool", ["x6"], ["avg_pad"], name="avg_pad",
                         kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 1, 1, 1], count_include_pad=1, ceil_mode=1),
    ]
    return model(nodes, [vinfo("x", [1, 2, 5, 5]), vinfo("x6", [1, 1, 6, 6])],
                 [vinfo("max", [1, 2, 3, 3]), vinfo("avg", [1, 2, 3, 3]),
                  vinfo("avg_pad", [1, 1, 4, 4])])


# --- Gemm / MatMul ---------------------------------------------------------

@register
def gemm():
    """Gemm (transB, alpha, beta; B counts 0..19 so that its transposition
    and scaling by alpha are visible), then MatMul 2-D, MatMul with a 3-D
    activation and 2-D weights, and a batched MatMul of two activations."""
    nodes = [
        helper.make_node("Gemm", ["a", "w", "c"], ["g"], name="fc",
                         transB=1, alpha=0.5, beta=2.0),
        helper.make_node("MatMul", ["g", "w2"], ["m"], name="mm"),
        helper.make_node("MatMul", ["z", "w3"], ["m3"], name="mm3"),
        helper.make_node("MatMul", ["z", "z2"], ["bmm"], name="bmm"),
    ]
    rng = np.random.default_rng(6)
    inits = [init("w", np.arange(20, dtype=np.float32).reshape(5, 4)),
             init("c", rand(rng, 5)), init("w2", rand(rng, 5, 2)),
             init("w3", rand(rng, 4, 6))]
    return model(nodes,
                 [vinfo("a", [3, 4]), vinfo("z", [2, 3, 4]),
                  vinfo("z2", [2, 4, 5])],
                 [vinfo("m", [3, 2]), vinfo("m3", [2, 3, 6]),
                  vinfo("bmm", [2, 3, 5])], inits)


@register
def gemm_trans_a():
    """Gemm with transA and a B that is a graph input (not a constant)."""
    return model(
        [helper.make_node("Gemm", ["a", "b"], ["y"], name="fc", transA=1,
                          alpha=2.0)],
        [vinfo("a", [4, 3]), vinfo("b", [4, 2])], [vinfo("y", [3, 2])])


# --- BatchNormalization ------------------------------------------------------

@register
def batchnorm():
    """BN on an NCHW activation (axis 3 in NHWC) and on a 2-D input."""
    rng = np.random.default_rng(7)
    var = lambda n: (np.abs(rand(rng, n)) + 0.5).astype(np.float32)
    nodes = [
        helper.make_node("BatchNormalization", ["x", "g", "b", "m", "v"],
                         ["y"], name="bn2d", epsilon=1e-3),
        helper.make_node("BatchNormalization", ["x2", "g", "b", "m", "v"],
                         ["y2"], name="bn1d"),
    ]
    inits = [init("g", rand(rng, 3)), init("b", rand(rng, 3)),
             init("m", rand(rng, 3)), init("v", var(3))]
    return model(nodes, [vinfo("x", [1, 3, 4, 4]), vinfo("x2", [2, 3])],
                 [vinfo("y", [1, 3, 4, 4]), vinfo("y2", [2, 3])], inits)


# --- Element-wise and activations ------------------------------------------

@register
def elementwise():
    """A chain of element-wise ops after a conv: everything stays in NHWC,
    constants broadcast from ONNX's [C, 1, 1] are transposed at import."""
    rng = np.random.default_rng(8)
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
        helper.make_node("Add", ["c", "bias"], ["add"], name="add"),
        helper.make_node("Mul", ["add", "half"], ["mul"], name="mul"),
        helper.make_node("Div", ["mul", "div"], ["dv"], name="div"),
        helper.make_node("Sub", ["dv", "x"], ["sub"], name="sub"),
        helper.make_node("LeakyRelu", ["sub"], ["lrelu"], name="lrelu",
                         alpha=0.1),
        helper.make_node("Clip", ["lrelu", "lo", "hi"], ["clip"],
                         name="clip"),
        helper.make_node("Sigmoid", ["clip"], ["sig"], name="sigmoid"),
        helper.make_node("Tanh", ["sig"], ["tanh"], name="tanh"),
        helper.make_node("Neg", ["tanh"], ["neg"], name="neg"),
        helper.make_node("Abs", ["neg"], ["abs"], name="abs"),
        helper.make_node("Sqrt", ["abs"], ["sqrt"], name="sqrt"),
        helper.make_node("Relu", ["sub"], ["relu"], name="relu"),
        helper.make_node("Sign", ["sub"], ["sign"], name="sign"),
        helper.make_node("Div", ["sqrt", "relu_plus"], ["q"], name="div2"),
        helper.make_node("Add", ["relu", "one"], ["relu_plus"],
                         name="relu_plus"),
        helper.make_node("Concat", ["q", "sign"], ["cat"], name="concat",
                         axis=1),
        helper.make_node("Pad", ["cat", "pads", "padv"], ["y"], name="pad"),
    ]
    # Topological order for the checker: relu_plus before div2.
    nodes[14], nodes[15] = nodes[15], nodes[14]
    inits = [init("w", rand(rng, 2, 2, 1, 1)),
             init("bias", rand(rng, 2, 1, 1)),
             init("half", np.array(0.5, np.float32)),
             init("div", np.array([[[2.0]], [[-4.0]]], np.float32)),
             init("lo", np.array(-1.0, np.float32)),
             init("hi", np.array(1.0, np.float32)),
             init("one", np.array([1.0], np.float32)),
             init("pads", np.array([0, 0, 1, 0, 0, 0, 0, 1], np.int64)),
             init("padv", np.array(0.25, np.float32))]
    return model(nodes, [vinfo("x", [1, 2, 3, 3])],
                 [vinfo("y", [1, 4, 4, 4])], inits)


@register
def clip_runtime_bounds():
    """Clip with bounds that are graph inputs (scalars), after a conv so that
    the bounds broadcast against an NHWC activation, and with only a
    run-time max."""
    rng = np.random.default_rng(7)
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
        helper.make_node("Clip", ["c", "lo", "hi"], ["y"], name="clip"),
        helper.make_node("Clip", ["x", "", "hi"], ["z"], name="clip_max"),
    ]
    return model(nodes, [vinfo("x", [1, 2, 3, 3]), vinfo("lo", []),
                         vinfo("hi", [])],
                 [vinfo("y", [1, 2, 3, 3]), vinfo("z", [1, 2, 3, 3])],
                 [init("w", rand(rng, 2, 2, 1, 1))])


@register
def runtime_shapes():
    """Reshape, Squeeze and Unsqueeze whose shape or axes are graph inputs:
    the graph outputs give the results static shapes."""
    def int64_input(name, n):
        return helper.make_tensor_value_info(name, TensorProto.INT64, [n])
    nodes = [
        helper.make_node("Reshape", ["x", "s"], ["r"], name="reshape"),
        helper.make_node("Squeeze", ["u", "sq_axes"], ["q"], name="squeeze"),
        helper.make_node("Unsqueeze", ["x", "unsq_axes"], ["e"],
                         name="unsqueeze"),
    ]
    return model(nodes, [vinfo("x", [2, 3]), int64_input("s", 2),
                         vinfo("u", [1, 3, 1]), int64_input("sq_axes", 2),
                         int64_input("unsq_axes", 1)],
                 [vinfo("r", [3, 2]), vinfo("q", [3]),
                  vinfo("e", [2, 1, 3])])


@register
def transpose_softmax():
    """Transpose of an NHWC activation to NHWC order (no op left), Softmax
    on the last axis (opset 13), Transpose of a 2-D graph input."""
    rng = np.random.default_rng(9)
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
        helper.make_node("Transpose", ["c"], ["t"], name="to_nhwc",
                         perm=[0, 2, 3, 1]),
        helper.make_node("Softmax", ["t"], ["s"], name="softmax"),
        helper.make_node("Transpose", ["a"], ["at"], name="t2d"),
        helper.make_node("Identity", ["at"], ["ai"], name="id"),
    ]
    return model(nodes, [vinfo("x", [1, 2, 3, 3]), vinfo("a", [2, 3])],
                 [vinfo("s", [1, 3, 3, 2]), vinfo("ai", [3, 2])],
                 [init("w", rand(rng, 2, 2, 1, 1))])


@register
def softmax_opset11():
    """Opset 11 Softmax: the input is coerced to 2-D at axis 1."""
    return model(
        [helper.make_node("Softmax", ["x"], ["y"], name="softmax")],
        [vinfo("x", [2, 2, 3])], [vinfo("y", [2, 2, 3])], opset=11)


# --- Shape glue and constant folding ---------------------------------------

@register
def glue():
    """What torch.onnx.export writes around a flatten and a binarized FC:
    Shape -> Gather -> Unsqueeze -> Concat -> Reshape of an NHWC activation
    (all folded to one reshape, in NCHW order), and the FC weight
    sign(W) * mean(|W|) (Sign, Abs, ReduceMean, Mul on an initializer),
    ConstantOfShape and Cast, all folded to constants."""
    rng = np.random.default_rng(10)
    w0 = np.array([[1.0, -2.0, 3.0, -4.0, 0.0, 2.0] * 3,
                   [-0.5, 0.5, -0.5, 0.5, -0.5, 0.5] * 3], np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
        helper.make_node("Shape", ["c"], ["shape"], name="shape"),
        helper.make_node("Gather", ["shape", "zero"], ["batch"],
                         name="gather", axis=0),
        helper.make_node("Unsqueeze", ["batch", "axes0"], ["batch1"],
                         name="unsqueeze"),
        helper.make_node("Concat", ["batch1", "minus1"], ["target"],
                         name="concat", axis=0),
        helper.make_node("Reshape", ["c", "target"], ["flat"],
                         name="reshape"),
        helper.make_node("Sign", ["w0"], ["sgn"], name="sign"),
        helper.make_node("Abs", ["w0"], ["absw"], name="abs"),
        helper.make_node("ReduceMean", ["absw"], ["alpha"], name="mean",
                         axes=[1], keepdims=1),
        helper.make_node("Mul", ["sgn", "alpha"], ["wb"], name="binarize"),
        helper.make_node("Transpose", ["wb"], ["wbt"], name="wt",
                         perm=[1, 0]),
        helper.make_node("ConstantOfShape", ["bshape"], ["bias_i"],
                         name="fill",
                         value=numpy_helper.from_array(
                             np.array([3], np.int64))),
        helper.make_node("Cast", ["bias_i"], ["bias"], name="cast",
                         to=TensorProto.FLOAT),
        helper.make_node("MatMul", ["flat", "wbt"], ["mm"], name="fc"),
        helper.make_node("Add", ["mm", "bias"], ["y"], name="bias_add"),
    ]
    inits = [init("w", rand(rng, 2, 2, 1, 1)),
             init("zero", np.array(0, np.int64)),
             init("axes0", np.array([0], np.int64)),
             init("minus1", np.array([-1], np.int64)),
             init("w0", w0),
             init("bshape", np.array([2], np.int64))]
    return model(nodes, [vinfo("x", [2, 2, 3, 3])], [vinfo("y", [2, 2])],
                 inits)


@register
def glue_opset11():
    """Opset 11 forms: Squeeze / Unsqueeze axes and ReduceMean / ReduceMax
    axes as attributes, Clip bounds as inputs; ReduceMean over H, W of an
    NHWC activation reduces in NHWC."""
    rng = np.random.default_rng(11)
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
        helper.make_node("ReduceMean", ["c"], ["mean"], name="mean",
                         axes=[2, 3], keepdims=1),
        helper.make_node("Squeeze", ["mean"], ["sq"], name="squeeze",
                         axes=[2, 3]),
        helper.make_node("Unsqueeze", ["sq"], ["un"], name="unsqueeze",
                         axes=[1]),
        helper.make_node("ReduceMax", ["un"], ["y"], name="max", axes=[-1],
                         keepdims=0),
        helper.make_node("Clip", ["y", "lo", ""], ["out"], name="clip"),
    ]
    return model(nodes, [vinfo("x", [2, 3, 4, 4])], [vinfo("out", [2, 1])],
                 [init("w", rand(rng, 3, 3, 1, 1)),
                  init("lo", np.array(0.0, np.float32))], opset=11)


# --- Quantized ops ---------------------------------------------------------

@register
def qdq():
    """QuantizeLinear -> DequantizeLinear of an activation (uint8, per
    tensor) and a DequantizeLinear of int8 weights (per channel) feeding a
    float Conv: the QDQ form that quantization tools write."""
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"],
                         name="quant"),
        helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["xd"],
                         name="dequant"),
        helper.make_node("DequantizeLinear", ["wq", "ws", "wz"], ["wd"],
                         name="dequant_w", axis=0),
        helper.make_node("Conv", ["xd", "wd"], ["y"], name="conv"),
    ]
    inits = [init("xs", np.array(0.05, np.float32)),
             init("xz", np.array(128, np.uint8)),
             init("wq", np.arange(-4, 4, dtype=np.int8).reshape(2, 4, 1, 1)),
             init("ws", np.array([0.5, 0.25], np.float32)),
             init("wz", np.array([0, 0], np.int8))]
    return model(nodes, [vinfo("x", [1, 4, 2, 2])], [vinfo("y", [1, 2, 2, 2])],
                 inits)


@register
def qdq_layouts():
    """QDQ weights where the importer re-lays them out: a depthwise filter
    [C*M, 1, KH, KW] per channel on axis 0 (to HWCM, axis 2), and Gemm
    weights [N, K] with transB = 1 per channel on axis 0 (to [1, K, N],
    axis 2), with an int32 bias DequantizeLinear."""
    I8, I32 = TensorProto.INT8, TensorProto.INT32
    nodes = [
        helper.make_node("DequantizeLinear", ["dq", "ds", "dz"], ["dw"],
                         name="dequant_dw", axis=0),
        helper.make_node("Conv", ["x", "dw"], ["y"], name="depthwise",
                         group=2),
        helper.make_node("Flatten", ["y"], ["f"], name="flatten"),
        helper.make_node("DequantizeLinear", ["gq", "gs", "gz"], ["gw"],
                         name="dequant_gw", axis=0),
        helper.make_node("DequantizeLinear", ["bq", "bs"], ["gb"],
                         name="dequant_gb", axis=0),
        helper.make_node("Gemm", ["f", "gw", "gb"], ["z"], name="gemm",
                         transB=1),
    ]
    inits = [init("dq", np.arange(8, dtype=np.int8).reshape(2, 1, 2, 2)),
             init("ds", np.array([0.5, 0.25], np.float32)),
             init("dz", np.array([0, 0], np.int8)),
             init("gq", (np.arange(24) - 12).astype(np.int8).reshape(3, 8)),
             init("gs", np.array([0.125, 0.25, 0.5], np.float32)),
             init("gz", np.array([0, 0, 0], np.int8)),
             init("bq", np.array([100, -200, 300], np.int32)),
             init("bs", np.array([0.001, 0.002, 0.004], np.float32))]
    return model(nodes, [vinfo("x", [1, 2, 3, 3])], [vinfo("z", [1, 3])],
                 inits)


@register
def qlinear():
    """QLinearConv (uint8 activations, int8 weights with per-channel scales,
    int32 bias), Flatten, QLinearMatMul, as a quantized ONNX model."""
    U8, I8 = TensorProto.UINT8, TensorProto.INT8
    nodes = [
        helper.make_node("QLinearConv",
                         ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"],
                         ["c"], name="qconv", pads=[1, 1, 1, 1]),
        helper.make_node("Flatten", ["c"], ["f"], name="flatten"),
        helper.make_node("QLinearMatMul",
                         ["f", "ys", "yz", "m", "ms", "mz", "os", "oz"],
                         ["y"], name="qfc"),
    ]
    inits = [init("xs", np.array(0.02, np.float32)),
             init("xz", np.array(128, np.uint8)),
             init("w", np.arange(-9, 9, dtype=np.int8).reshape(2, 1, 3, 3)),
             init("ws", np.array([0.01, 0.02], np.float32)),
             init("wz", np.array([0, 0], np.int8)),
             init("ys", np.array(0.1, np.float32)),
             init("yz", np.array(120, np.uint8)),
             init("b", np.array([100, -100], np.int32)),
             init("m", (np.arange(24) % 7).astype(np.uint8).reshape(8, 3)),
             init("ms", np.array(0.03, np.float32)),
             init("mz", np.array(3, np.uint8)),
             init("os", np.array(0.5, np.float32)),
             init("oz", np.array(-5, np.int8))]
    return model(nodes, [helper.make_tensor_value_info("x", U8, [1, 1, 2, 2])],
                 [helper.make_tensor_value_info("y", I8, [1, 3])], inits)


@register
def integer_ops():
    """ConvInteger and MatMulInteger: i32 results, zero points explicit."""
    I8, I32 = TensorProto.INT8, TensorProto.INT32
    nodes = [
        helper.make_node("ConvInteger", ["x", "w", "xz"], ["c"],
                         name="iconv", strides=[2, 2]),
        helper.make_node("MatMulInteger", ["a", "m", "az", "mz"], ["y"],
                         name="imm"),
    ]
    inits = [init("w", np.arange(8, dtype=np.int8).reshape(2, 1, 2, 2)),
             init("xz", np.array(-3, np.int8)),
             init("m", np.arange(6, dtype=np.int8).reshape(3, 2)),
             init("az", np.array(1, np.int8)),
             init("mz", np.array(2, np.int8))]
    return model(nodes,
                 [helper.make_tensor_value_info("x", I8, [1, 1, 4, 4]),
                  helper.make_tensor_value_info("a", I8, [2, 3])],
                 [helper.make_tensor_value_info("c", I32, [1, 2, 2, 2]),
                  helper.make_tensor_value_info("y", I32, [2, 2])], inits)


# --- Errors ------------------------------------------------------------------

@register
def unsupported_op():
    """Hardmax is a valid ONNX op that quant-import does not handle."""
    return model([helper.make_node("Hardmax", ["x"], ["y"], name="hm")],
                 [vinfo("x", [2, 3])], [vinfo("y", [2, 3])])


@register
def unsupported_attribute():
    """Pad in 'reflect' mode."""
    return model(
        [helper.make_node("Pad", ["x", "pads"], ["y"], name="mirror",
                          mode="reflect")],
        [vinfo("x", [1, 4])], [vinfo("y", [1, 6])],
        [init("pads", np.array([0, 1, 0, 1], np.int64))])


@register
def ceil_mode():
    """MaxPool with ceil_mode = 1 where the extra window would start in the
    end padding (4x4, kernel 3, stride 2, end pads 2)."""
    return model(
        [helper.make_node("MaxPool", ["x"], ["y"], name="pool",
                          kernel_shape=[3, 3], strides=[2, 2],
                          pads=[0, 0, 2, 2], ceil_mode=1)],
        [vinfo("x", [1, 1, 4, 4])], [vinfo("y", [1, 1, 3, 3])])


@register
def double_input():
    """A DOUBLE activation: TOSA has no f64."""
    return model([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                 [vinfo("x", [2], TensorProto.DOUBLE)],
                 [vinfo("y", [2], TensorProto.DOUBLE)])


@register
def dynamic_batch():
    """A symbolic batch dimension 'N': an error unless --batch is given."""
    return model([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                 [vinfo("x", ["N", 3])], [vinfo("y", ["N", 3])])


@register
def dynamic_reshape():
    """Reshape to a shape that is a graph input, its result not a graph
    output, so nothing gives it a static shape at import."""
    return model([helper.make_node("Reshape", ["x", "s"], ["r"],
                                   name="reshape"),
                  helper.make_node("Relu", ["r"], ["y"], name="relu")],
                 [vinfo("x", [2, 3]),
                  helper.make_tensor_value_info("s", TensorProto.INT64, [2])],
                 [vinfo("y", [3, 2])])


@register
def old_opset():
    """Opset 9 is outside the supported range 11 to 17."""
    return model([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                 [vinfo("x", [2])], [vinfo("y", [2])], opset=9)


@register
def invalid_model():
    """Parses, but the checker rejects it: Conv without its weight input."""
    return model([helper.make_node("Conv", ["x"], ["y"], name="conv")],
                 [vinfo("x", [1, 1, 2, 2])], [vinfo("y", [1, 1, 2, 2])])


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in MODELS:
        sys.exit("usage: make_models.py {%s} out.onnx" % ",".join(MODELS))
    m = MODELS[sys.argv[1]]()
    if sys.argv[1] != "invalid_model":
        onnx.checker.check_model(m)
    onnx.save(m, sys.argv[2])


if __name__ == "__main__":
    main()
