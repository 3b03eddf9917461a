#!/usr/bin/env python3
"""Runs a float ONNX model two ways for the quant-import execution tests.

  run_model.py main MODEL.onnx IMPORTED.mlir   prints IMPORTED.mlir plus a
      @main that calls @model on fixed inputs and prints each output with
      printMemrefF32 (run it with mlir-runner -e main);
  run_model.py reference MODEL.onnx            evaluates the model with the
      small numpy interpreter below on the same inputs and prints the
      outputs in printMemrefF32's format.

  run_model.py check MODEL.onnx WORKDIR_PREFIX RUNNER_LIBS [QUANT-OPT FLAGS]
      does the whole round trip with the tools on PATH: quant-import, the
      @main above, quant-opt (default flags: --qnt-fold-batchnorm
      --qnt-cpu-pipeline), mlir-runner, the reference, and
      scripts/compare_outputs.py (rtol 1e-5), whose report it prints.

The interpreter follows the ONNX operator specifications for the float ops
quant-import claims.
"""

import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper


def inputs_of(model):
    """Fixed pseudo-random inputs for the graph inputs (not initializers)."""
    inits = {i.name for i in model.graph.initializer}
    rng = np.random.default_rng(1234)
    result = []
    for vi in model.graph.input:
        if vi.name in inits:
            continue
        shape = [d.dim_value for d in vi.type.tensor_type.shape.dim]
        data = np.round(rng.standard_normal(shape) * 16) / 16
        result.append((vi.name, data.astype(np.float32)))
    return result


def attrs(node):
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def conv_windows(x, kernel, strides, dilations, pads, value):
    """Patches [N, C, OH, OW, KH, KW] of NCHW x padded with `value`."""
    n, c, h, w = x.shape
    xp = np.full((n, c, h + pads[0] + pads[2], w + pads[1] + pads[3]), value,
                 dtype=np.float64)
    xp[:, :, pads[0]:pads[0] + h, pads[1]:pads[1] + w] = x
    oh = (xp.shape[2] - dilations[0] * (kernel[0] - 1) - 1) // strides[0] + 1
    ow = (xp.shape[3] - dilations[1] * (kernel[1] - 1) - 1) // strides[1] + 1
    iy = (np.arange(oh)[:, None] * strides[0]
          + np.arange(kernel[0])[None, :] * dilations[0])
    ix = (np.arange(ow)[:, None] * strides[1]
          + np.arange(kernel[1])[None, :] * dilations[1])
    return xp[:, :, iy[:, None, :, None], ix[None, :, None, :]]


def resolve_pads(a, x, kernel, strides, dilations):
    pads = list(a.get("pads", [0, 0, 0, 0]))
    auto = a.get("auto_pad", b"NOTSET")
    auto = auto.decode() if isinstance(auto, bytes) else auto
    if auto == "VALID":
        return [0, 0, 0, 0]
    if auto in ("SAME_UPPER", "SAME_LOWER"):
        for d in range(2):
            size = x.shape[2 + d]
            out = -(-size // strides[d])
            total = max((out - 1) * strides[d] + (kernel[d] - 1) * dilations[d]
                        + 1 - size, 0)
            small, large = total // 2, total - total // 2
            pads[d], pads[d + 2] = ((small, large) if auto == "SAME_UPPER"
                                    else (large, small))
    return pads


def run_node(node, env, opset):
    a = attrs(node)
    ins = [env[i] if i else None for i in node.input]
    op = node.op_type
    x = ins[0] if ins else None
    if op == "Constant":
        return [numpy_helper.to_array(a["value"])]
    if op == "Identity":
        return [x]
    if op == "Relu":
        return [np.maximum(x, 0)]
    if op == "LeakyRelu":
        return [np.where(x > 0, x, a.get("alpha", 0.01) * x)]
    if op == "Clip":
        lo = ins[1] if len(ins) > 1 and ins[1] is not None else -np.inf
        hi = ins[2] if len(ins) > 2 and ins[2] is not None else np.inf
        return [np.clip(x, lo, hi)]
    if op == "Sigmoid":
        return [1 / (1 + np.exp(-x))]
    if op == "Tanh":
        return [np.tanh(x)]
    if op == "Abs":
        return [np.abs(x)]
    if op == "Neg":
        return [-x]
    if op == "Sqrt":
        return [np.sqrt(x)]
    if op == "Sign":
        return [np.sign(x)]
    if op in ("Add", "Sub", "Mul", "Div"):
        fn = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply,
              "Div": np.divide}[op]
        return [fn(ins[0], ins[1])]
    if op == "Conv":
        w = ins[1]
        kernel = w.shape[2:]
        strides = a.get("strides", [1, 1])
        dilations = a.get("dilations", [1, 1])
        group = a.get("group", 1)
        pads = resolve_pads(a, x, kernel, strides, dilations)
        patches = conv_windows(x, kernel, strides, dilations, pads, 0.0)
        cg, og = x.shape[1] // group, w.shape[0] // group
        outs = [np.einsum("nchwij,ocij->nohw", patches[:, g * cg:(g + 1) * cg],
                          w[g * og:(g + 1) * og]) for g in range(group)]
        y = np.concatenate(outs, axis=1)
        if len(ins) > 2 and ins[2] is not None:
            y = y + ins[2].reshape(1, -1, 1, 1)
        return [y]
    if op == "Gemm":
        am = ins[0].T if a.get("transA", 0) else ins[0]
        bm = ins[1].T if a.get("transB", 0) else ins[1]
        y = a.get("alpha", 1.0) * (am @ bm)
        if len(ins) > 2 and ins[2] is not None:
            y = y + a.get("beta", 1.0) * ins[2]
        return [y]
    if op == "MatMul":
        return [np.matmul(ins[0], ins[1])]
    if op == "BatchNormalization":
        shape = (1, -1) + (1,) * (x.ndim - 2)
        scale, bias, mean, var = (t.reshape(shape) for t in ins[1:5])
        eps = a.get("epsilon", 1e-5)
        return [scale * (x - mean) / np.sqrt(var + eps) + bias]
    if op in ("MaxPool", "AveragePool"):
        kernel = a["kernel_shape"]
        strides = a.get("strides", [1, 1])
        pads = resolve_pads(a, x, kernel, strides, [1, 1])
        # ceil_mode: extra end padding for a last partial window, which
        # neither max nor average sees (as ONNX Runtime and PyTorch).
        extra = [0, 0, 0, 0]
        for d in range(2) if a.get("ceil_mode", 0) else []:
            span = x.shape[2 + d] + pads[d] + pads[d + 2] - kernel[d]
            if span % strides[d]:
                extra[d + 2] = strides[d] - span % strides[d]
        padded = [p + e for p, e in zip(pads, extra)]
        if op == "MaxPool":
            return [conv_windows(x, kernel, strides, [1, 1], padded,
                                 -np.inf).max(axis=(4, 5))]
        sums = conv_windows(x, kernel, strides, [1, 1], padded, 0.0).sum(
            axis=(4, 5))
        ones = np.ones((1, 1) + x.shape[2:])
        if a.get("count_include_pad", 0):
            ones = np.pad(ones, [(0, 0), (0, 0), (pads[0], pads[2]),
                                 (pads[1], pads[3])], constant_values=1.0)
            counts = conv_windows(ones, kernel, strides, [1, 1], extra, 0.0)
        else:
            counts = conv_windows(ones, kernel, strides, [1, 1], padded, 0.0)
        return [sums / counts.sum(axis=(4, 5))]
    if op == "GlobalAveragePool":
        return [x.mean(axis=(2, 3), keepdims=True)]
    if op == "Flatten":
        axis = a.get("axis", 1) % (x.ndim + 1) if a.get("axis", 1) < 0 \
            else a.get("axis", 1)
        return [x.reshape(int(np.prod(x.shape[:axis])), -1)]
    if op == "Reshape":
        shape = [x.shape[i] if d == 0 else d
                 for i, d in enumerate(ins[1].astype(np.int64))]
        return [x.reshape(shape)]
    if op == "Transpose":
        return [np.transpose(x, a.get("perm"))]
    if op in ("Squeeze", "Unsqueeze"):
        axes = a.get("axes")
        if axes is None and len(ins) > 1 and ins[1] is not None:
            axes = ins[1].astype(np.int64).tolist()
        if op == "Squeeze":
            return [np.squeeze(x, axis=tuple(axes) if axes else None)]
        rank = x.ndim + len(axes)
        for ax in sorted(d % rank for d in axes):
            x = np.expand_dims(x, ax)
        return [x]
    if op == "Concat":
        return [np.concatenate(ins, axis=a["axis"])]
    if op == "Softmax":
        axis = a.get("axis", 1 if opset < 13 else -1)
        if opset < 13:
            axis %= x.ndim
            flat = x.reshape(int(np.prod(x.shape[:axis])), -1)
            e = np.exp(flat - flat.max(axis=1, keepdims=True))
            return [(e / e.sum(axis=1, keepdims=True)).reshape(x.shape)]
        e = np.exp(x - x.max(axis=axis, keepdims=True))
        return [e / e.sum(axis=axis, keepdims=True)]
    if op == "Pad":
        pads = ins[1].astype(np.int64)
        value = ins[2].item() if len(ins) > 2 and ins[2] is not None else 0.0
        r = x.ndim
        return [np.pad(x, [(pads[i], pads[i + r]) for i in range(r)],
                       constant_values=value)]
    if op == "Cast":
        to = onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[a["to"]]
        return [x.astype(to)]
    if op == "Shape":
        return [np.array(x.shape, dtype=np.int64)]
    if op == "Gather":
        return [np.take(x, ins[1], axis=a.get("axis", 0))]
    if op == "ConstantOfShape":
        value = (numpy_helper.to_array(a["value"]) if "value" in a
                 else np.zeros(1, np.float32))
        return [np.full(ins[0].astype(np.int64), value.item(), value.dtype)]
    if op in ("ReduceMean", "ReduceMax"):
        axes = a.get("axes")
        axes = tuple(axes) if axes is not None else None
        fn = np.mean if op == "ReduceMean" else np.max
        return [fn(x, axis=axes, keepdims=bool(a.get("keepdims", 1)))]
    raise NotImplementedError(op)


def reference(model):
    opset = next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    env = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    env.update(dict(inputs_of(model)))
    for node in model.graph.node:
        for name, value in zip(node.output, run_node(node, env, opset)):
            env[name] = np.asarray(value)
    return [env[o.name].astype(np.float32) for o in model.graph.output]


def nested(values):
    if values.ndim == 1:
        return "[" + ", ".join("%.9g" % v for v in values) + "]"
    return "[" + ",\n".join(nested(v) for v in values) + "]"


def print_memref(array):
    strides = [int(np.prod(array.shape[i + 1:])) for i in range(array.ndim)]
    print("Unranked Memref base@ = 0x0 rank = %d offset = 0 sizes = [%s] "
          "strides = [%s] data = " % (array.ndim,
                                      ", ".join(map(str, array.shape)),
                                      ", ".join(map(str, strides))))
    print(nested(array))


def tensor_type(shape):
    return "tensor<" + "".join("%dx" % d for d in shape) + "f32>"


def main_function(model, imported):
    body = imported.rstrip()
    assert body.endswith("}"), "expected a module"
    lines = [body[:-1], "  func.func @main() {"]
    args = []
    for i, (name, data) in enumerate(inputs_of(model)):
        values = ", ".join("%.9e" % v for v in data.reshape(-1))
        flat = tensor_type([data.size])
        lines.append("    %%flat%d = arith.constant dense<[%s]> : %s"
                     % (i, values, flat))
        lines.append("    %%in%d = tensor.reshape %%flat%d(%%shape%d) : (%s, "
                     "tensor<%dxindex>) -> %s" % (i, i, i, flat, data.ndim,
                                                  tensor_type(data.shape)))
        lines.insert(len(lines) - 1,
                     "    %%shape%d = arith.constant dense<[%s]> : "
                     "tensor<%dxindex>" % (i, ", ".join(map(str, data.shape)),
                                           data.ndim))
        args.append((i, data.shape))
    outs = [[d.dim_value for d in o.type.tensor_type.shape.dim]
            for o in model.graph.output]
    lines.append("    %%r:%d = func.call @model(%s) : (%s) -> (%s)" % (
        len(outs), ", ".join("%%in%d" % i for i, _ in args),
        ", ".join(tensor_type(s) for _, s in args),
        ", ".join(tensor_type(s) for s in outs)))
    for k, shape in enumerate(outs):
        lines.append("    %%u%d = tensor.cast %%r#%d : %s to tensor<*xf32>"
                     % (k, k, tensor_type(shape)))
        lines.append("    func.call @printMemrefF32(%%u%d) : (tensor<*xf32>) "
                     "-> ()" % k)
    lines += ["    return", "  }",
              "  func.func private @printMemrefF32(tensor<*xf32>)", "}"]
    return "\n".join(lines)


def check(model_path, prefix, runner_libs, flags):
    """Imports, compiles, runs and compares; returns compare's exit code."""
    imported = prefix + ".mlir"
    subprocess.run(["quant-import", model_path, "-o", imported], check=True)
    model = onnx.load(model_path)
    with open(prefix + ".run.mlir", "w") as f:
        f.write(main_function(model, open(imported).read()))
    lowered = subprocess.run(
        ["quant-opt", prefix + ".run.mlir"] + flags, check=True,
        stdout=subprocess.PIPE).stdout
    with open(prefix + ".out", "wb") as f:
        f.write(subprocess.run(
            ["mlir-runner", "-e", "main", "-entry-point-result=void",
             "-shared-libs=" + runner_libs], input=lowered, check=True,
            stdout=subprocess.PIPE).stdout)
    with open(prefix + ".ref", "w") as f:
        sys.stdout, saved = f, sys.stdout
        for out in reference(model):
            print_memref(out)
        sys.stdout = saved
    compare = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "..", "..", "..", "scripts", "compare_outputs.py")
    return subprocess.run([sys.executable, compare, "--rtol", "1e-5",
                           prefix + ".ref", prefix + ".out"]).returncode


def main():
    if len(sys.argv) >= 5 and sys.argv[1] == "check":
        flags = sys.argv[5:] or ["--qnt-fold-batchnorm", "--qnt-cpu-pipeline"]
        sys.exit(check(sys.argv[2], sys.argv[3], sys.argv[4], flags))
    if len(sys.argv) >= 3 and sys.argv[1] == "reference":
        for out in reference(onnx.load(sys.argv[2])):
            print_memref(out)
    elif len(sys.argv) == 4 and sys.argv[1] == "main":
        print(main_function(onnx.load(sys.argv[2]), open(sys.argv[3]).read()))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
