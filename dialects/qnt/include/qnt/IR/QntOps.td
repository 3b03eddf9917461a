//===- QntOps.td - qnt operations --------------------------*- tablegen -*-===//
//
// Every description states the exact semantics (rounding, saturation, bit
// order, padding) and the verifier's constraints; docs/Dialects/QntOps.md is
// generated from here.
//
//===----------------------------------------------------------------------===//

#ifndef QNT_OPS_TD
#define QNT_OPS_TD

include "qnt/IR/QntDialect.td"
include "qnt/IR/QntAttrs.td"
include "mlir/Dialect/Quant/IR/QuantBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

def Qnt_FloatTensor : RankedTensorOf<[AnyFloat]>;
def Qnt_QuantizedTensor : RankedTensorOf<[quant_QuantizedType]>;
def Qnt_IntTensor : RankedTensorOf<[AnyInteger]>;
def Qnt_I32Tensor : RankedTensorOf<[I32]>;
def Qnt_PackedTensor : RankedTensorOf<[I32]>;

//===----------------------------------------------------------------------===//
// Constants and quantizers
//===----------------------------------------------------------------------===//

def Qnt_ConstantOp : Qnt_Op<"constant", [ConstantLike, Pure]> {
  let summary = "quantized constant tensor";
  let description = [{
    A constant of a `!quant.uniform` tensor type. `value` holds the storage
    integers; the represented real value of element `q` is
    `scale * (q - zero_point)` of its (per-tensor or per-axis) parameters.
    Folding `qnt.quantize` of a constant produces this op.

    Verifier:
    * `value` has the result's shape and the quantized type's storage type;
    * every stored value lies in `[storage_min, storage_max]`.

    ```mlir
    %c = qnt.constant dense<[-3, 0, 7]> : tensor<3xi8>
           -> tensor<3x!quant.uniform<i8:f32, 5.000000e-01>>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Qnt_QuantizedTensor:$output);
  let assemblyFormat = "$value attr-dict `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Qnt_QuantizeOp : Qnt_Op<"quantize", [Pure]> {
  let summary = "float to quantized conversion with an explicit rounding";
  let description = [{
    Quantizes each element `x` with its (per-tensor or per-axis) scale `s`
    and zero point `z`:

    ```
    q = clamp(round(x / s) + z, storage_min, storage_max)
    ```

    `round` is round half to even (`half_even`, the default: ONNX, PyTorch,
    TOSA) or half away from zero (`half_away`: TFLite). NaN quantizes to
    the zero point. The division is done in double precision.

    Unlike `quant.qcast`, a `qnt.quantize` / `qnt.dequantize` pair on a
    non-constant value is never erased by canonicalization. A constant
    input folds to a `qnt.constant`.

    Verifier:
    * input and output shapes are equal and the quantized type's expressed
      type is the input's element type;
    * for a per-axis type, the axis is within the rank and the number of
      scales equals that dimension (when static).

    ```mlir
    %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
    %r = qnt.quantize %x {rounding = #qnt.rounding<half_away>}
           : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
    ```
  }];
  let arguments = (ins Qnt_FloatTensor:$input,
                   DefaultValuedAttr<Qnt_RoundingModeAttr,
                                     "::mlir::qnt::RoundingMode::HalfEven">:$rounding);
  let results = (outs Qnt_QuantizedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Qnt_DequantizeOp : Qnt_Op<"dequantize", [Pure]> {
  let summary = "quantized to float conversion";
  let description = [{
    `x = s * (q - z)` with the element's scale `s` and zero point `z`,
    computed in double precision and rounded once to the result's float
    type. Exact for every storage value of 8 bits or fewer when the scale is
    a float of the result type.

    A constant input (a `qnt.constant`) folds to a float constant; so
    `dequantize(quantize(c))` folds to `c` exactly when every element of
    `c` is representable, and to the rounded values otherwise. A pair on a
    non-constant is never erased.

    Verifier: as `qnt.quantize`, with input and output swapped.

    ```mlir
    %x = qnt.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<4xf32>
    ```
  }];
  let arguments = (ins Qnt_QuantizedTensor:$input);
  let results = (outs Qnt_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Qnt_FakeQuantOp : Qnt_Op<"fake_quant",
    [Pure, AllTypesMatch<["input", "output"]>]> {
  let summary = "quantize then dequantize in float (simulated quantization)";
  let description = [{
    `dequantize(quantize(x, quant_type, rounding), quant_type)` computed in
    float: the value is rounded to the grid of `quant_type` and saturated to
    its storage range, but stays a float tensor. A constant input folds.

    Verifier: `quant_type` is a `!quant.uniform` type whose expressed type
    is the input element type (per-axis: axis and scale count as for
    `qnt.quantize`).

    ```mlir
    %y = qnt.fake_quant %x as !quant.uniform<i4:f32, 0.25:-1> : tensor<8xf32>
    ```
  }];
  let arguments = (ins Qnt_FloatTensor:$input,
                   TypeAttr:$quant_type,
                   DefaultValuedAttr<Qnt_RoundingModeAttr,
                                     "::mlir::qnt::RoundingMode::HalfEven">:$rounding);
  let results = (outs Qnt_FloatTensor:$output);
  let assemblyFormat = "$input `as` $quant_type attr-dict `:` type($input)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Batch norm and calibration
//===----------------------------------------------------------------------===//

def Qnt_BatchNormOp : Qnt_Op<"batch_norm", [Pure,
    AllTypesMatch<["input", "output"]>,
    AllTypesMatch<["gamma", "beta", "mean", "variance"]>]> {
  let summary = "inference-mode batch normalization";
  let description = [{
    Normalizes `input` along the channel `axis` with per-channel parameters:

    ```
    output[..., c, ...] = gamma[c] * (input[..., c, ...] - mean[c])
                          / sqrt(variance[c] + epsilon) + beta[c]
    ```

    `qnt-fold-batchnorm` folds it into a preceding conv/matmul;
    `qnt-decompose-batchnorm` rewrites what is left into TOSA element-wise
    ops so that it lowers upstream.

    Verifier:
    * `axis` lies in `[0, rank)`;
    * the four parameters are 1-D with as many elements as the input has
      along `axis` (when static), and share the input's element type;
    * `epsilon` is a non-negative number (not NaN).

    ```mlir
    %y = qnt.batch_norm %x, %gamma, %beta, %mean, %var {axis = 3, epsilon = 1.0e-05}
           : tensor<1x8x8x16xf32>, tensor<16xf32>
    ```
  }];
  let arguments = (ins Qnt_FloatTensor:$input, Qnt_FloatTensor:$gamma,
                   Qnt_FloatTensor:$beta, Qnt_FloatTensor:$mean,
                   Qnt_FloatTensor:$variance,
                   I64Attr:$axis,
                   DefaultValuedAttr<F64Attr, "1.0e-5">:$epsilon);
  let results = (outs Qnt_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $gamma `,` $beta `,` $mean `,` $variance attr-dict
    `:` type($input) `,` type($gamma)
  }];
  let hasVerifier = 1;
}

def Qnt_ObserveOp : Qnt_Op<"observe", [AllTypesMatch<["input", "output"]>,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "calibration probe";
  let description = [{
    Returns `input` unchanged and records statistics of its values under
    the probe name `id`: running min and max (`minmax`), or additionally a
    histogram of `bins` equal-width bins over the running range
    (`histogram`). The op writes to the calibration state, so it is never
    removed as dead; it lowers to a call into the runtime library.

    Verifier: `id` is not empty; `bins` is positive.

    ```mlir
    %y = qnt.observe %x "conv1.output" {kind = #qnt.observe_kind<histogram>, bins = 2048}
           : tensor<1x8x8x16xf32>
    ```
  }];
  let arguments = (ins Qnt_FloatTensor:$input, StrAttr:$id,
                   DefaultValuedAttr<Qnt_ObserveKindAttr,
                                     "::mlir::qnt::ObserveKind::MinMax">:$kind,
                   DefaultValuedAttr<I64Attr, "2048">:$bins);
  let results = (outs Qnt_FloatTensor:$output);
  let assemblyFormat = "$input $id attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Integer compute
//===----------------------------------------------------------------------===//

def Qnt_RequantizeOp : Qnt_Op<"requantize", [Pure]> {
  let summary = "fixed-point rescale of an integer tensor (TOSA apply_scale)";
  let description = [{
    For each element `v` of channel `c` (the channel is the index along
    `axis` when `multiplier` has more than one entry, else 0):

    ```
    x   = v - input_zp                                  (in 64 bits)
    r   = 1 << (shift[c] - 1)
    if double_round and shift[c] > 31: r += (x >= 0 ? 1 << 30 : -(1 << 30))
    y   = (x * multiplier[c] + r) >> shift[c]           (arithmetic shift)
    out = clamp(y + output_zp, clamp_min, clamp_max)
    ```

    This is TOSA `apply_scale_32`; `single_round` (the default) rounds once,
    half up; `double_round` equals TFLite/gemmlowp
    `MultiplyByQuantizedMultiplier`. `clamp_min`/`clamp_max` default to the
    output type's range and carry a fused ReLU/ReLU6. Signless output types
    are signed; `ui` types are unsigned.

    Verifier:
    * input is `i32`; output is a signless or unsigned integer of 2..32
      bits with the input's shape;
    * `multiplier` and `shift` have the same length, 1 or the size of
      dimension `axis`, and `axis` is given (and in range) when it is more
      than 1;
    * every multiplier is non-negative and every shift is in `[2, 62]`;
    * `output_zp`, `clamp_min` and `clamp_max` lie in the output range and
      `clamp_min <= clamp_max`.

    ```mlir
    %y = qnt.requantize %acc {multiplier = array<i32: 1518500250>,
                              shift = array<i32: 38>, output_zp = -3 : i32}
           : tensor<1x8x8x16xi32> -> tensor<1x8x8x16xi8>
    ```
  }];
  let arguments = (ins Qnt_I32Tensor:$input,
                   DenseI32ArrayAttr:$multiplier,
                   DenseI32ArrayAttr:$shift,
                   OptionalAttr<I64Attr>:$axis,
                   DefaultValuedAttr<I32Attr, "0">:$input_zp,
                   DefaultValuedAttr<I32Attr, "0">:$output_zp,
                   OptionalAttr<I32Attr>:$clamp_min,
                   OptionalAttr<I32Attr>:$clamp_max,
                   DefaultValuedAttr<Qnt_RequantRoundingAttr,
                       "::mlir::qnt::RequantRounding::SingleRound">:$rounding);
  let results = (outs Qnt_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// The clamp bounds with the output type's range filled in.
    int64_t getClampMinOrDefault();
    int64_t getClampMaxOrDefault();
  }];
}

def Qnt_Conv2DOp : Qnt_Op<"conv2d", [Pure]> {
  let summary = "integer 2-D convolution with explicit zero points";
  let description = [{
    NHWC input `[N, H, W, C]`, OHWI filter `[O, KH, KW, C / groups]`,
    optional `i32` bias `[O]`, `i32` result `[N, OH, OW, O]`:

    ```
    out[n, y, x, o] = bias[o] + sum_{i, j, ci}
        (in[n, y*sh + i*dh - pad_top, x*sw + j*dw - pad_left, g*Cg + ci] - input_zp)
      * (filter[o, i, j, ci] - filter_zp)
    ```

    with `g = o / (O / groups)` and `Cg = C / groups`; padded positions hold
    `input_zp` (they contribute 0). Accumulation is exact in `i32` (the
    caller keeps `K * 2^(bits_in + bits_w)` within range). `groups = C`
    with `O = C * M` is a depthwise convolution. Element types are signless
    (signed) or unsigned integers of 2 to 8 bits.

    `OH = (H + pad_top + pad_bottom - dh * (KH - 1) - 1) / sh + 1`, and the
    same for `OW`.

    Verifier: ranks, channel and group divisibility, the result shape for
    static sizes, positive strides/dilations, non-negative pads, bit-widths,
    zero points within each operand's range, and the bias length.

    ```mlir
    %y = qnt.conv2d %x, %w, %b {input_zp = -128 : i32, stride = array<i64: 2, 2>,
                                pad = array<i64: 1, 1, 1, 1>}
           : (tensor<1x8x8x16xi8>, tensor<32x3x3x16xi8>, tensor<32xi32>) -> tensor<1x4x4x32xi32>
    ```
  }];
  let arguments = (ins Qnt_IntTensor:$input, Qnt_IntTensor:$filter,
                   Optional<Qnt_I32Tensor>:$bias,
                   DefaultValuedAttr<I32Attr, "0">:$input_zp,
                   DefaultValuedAttr<I32Attr, "0">:$filter_zp,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$stride,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pad,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilation,
                   DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs Qnt_I32Tensor:$output);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qnt_MatmulOp : Qnt_Op<"matmul", [Pure]> {
  let summary = "integer matrix product with explicit zero points";
  let description = [{
    `lhs [M, K]` times the transposed `rhs [N, K]` (weights stored
    output-major, like OHWI), optional `i32` bias `[N]`, result `[M, N]`:

    ```
    out[m, n] = bias[n] + sum_k (lhs[m, k] - lhs_zp) * (rhs[n, k] - rhs_zp)
    ```

    accumulated exactly in `i32`. Element types are signless (signed) or
    unsigned integers of 2 to 8 bits.

    Verifier: both operands are 2-D with equal `K`, the result is
    `[M, N]`, bit-widths, zero points in range, bias length `N`.

    ```mlir
    %y = qnt.matmul %x, %w {lhs_zp = 3 : i32} : (tensor<4x300xi8>, tensor<10x300xi8>) -> tensor<4x10xi32>
    ```
  }];
  let arguments = (ins Qnt_IntTensor:$lhs, Qnt_IntTensor:$rhs,
                   Optional<Qnt_I32Tensor>:$bias,
                   DefaultValuedAttr<I32Attr, "0">:$lhs_zp,
                   DefaultValuedAttr<I32Attr, "0">:$rhs_zp);
  let results = (outs Qnt_I32Tensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Binary compute
//===----------------------------------------------------------------------===//

def Qnt_BinarizeOp : Qnt_Op<"binarize", [Pure]> {
  let summary = "sign and bit-pack along the innermost axis";
  let description = [{
    For input `[..., K]`, the result is `[..., ceil(K / 32)]` words:

    ```
    bit(k) = input[..., k] < 0 ? 1 : 0         // +1 -> 0, -1 -> 1, sign(0) = +1
    word[..., j] = sum_{b < 32, 32j + b < K} bit(32j + b) << b
    ```

    Bit `b` of word `j` holds element `32 * j + b` (little-endian bit order);
    the tail bits of the last word are 0. NaN maps to +1. Inputs may be float
    or integer. A constant input folds to its packed words, and the sign of a
    symmetric dequantized tensor is read from its integers:
    `binarize(dequantize(quant.scast(q)))` folds to `binarize(q)` when every
    zero point is 0 (and every scale positive), exactly; through a
    `tosa.max_pool2d` (scales per tensor or per channel, the last axis)
    canonicalization pools the integers instead, since the maximum commutes
    with a positive scale.

    Verifier: equal rank, equal leading dimensions, and a last dimension of
    `ceil(K / 32)` when `K` is static.

    ```mlir
    %p = qnt.binarize %x : tensor<1x8x8x70xf32> -> tensor<1x8x8x3xi32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat, AnyInteger]>:$input);
  let results = (outs Qnt_PackedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Qnt_UnpackOp : Qnt_Op<"unpack", [Pure]> {
  let summary = "unpack bit-packed words to +1 / -1";
  let description = [{
    The inverse layout of `qnt.binarize`: for result `[..., K]` (K static),
    `output[..., k] = bit(k) ? -1 : +1` read from word `k / 32`, bit `k % 32`.
    The result element type is float or a signless integer of at least 2 bits
    (`i1` cannot hold both +1 and -1). A constant input
    folds; so `unpack(binarize(c))` folds to `c` exactly when `c` holds
    only +1 and -1.

    Verifier: equal rank and leading dimensions; the result's last
    dimension `K` is static and the input's last dimension is
    `ceil(K / 32)`.

    ```mlir
    %x = qnt.unpack %p : tensor<1x8x8x3xi32> -> tensor<1x8x8x70xf32>
    ```
  }];
  let arguments = (ins Qnt_PackedTensor:$input);
  let results = (outs RankedTensorOf<[AnyFloat, AnySignlessInteger]>:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

class Qnt_BinaryComputeOp<string mnemonic> : Qnt_Op<mnemonic, [Pure]> {
  code epilogueDoc = [{
    The epilogue is chosen by the result type and attributes:

    * `f32` result `[..., O]`: `clamp(multiplier[o] * dot + bias[o],
      clamp_min, clamp_max)`; `multiplier` defaults to 1, `bias` to 0 and
      the clamp to none.
    * `i32` result `[..., O]` without epilogue attributes: the raw `dot`.
    * `i32` result `[..., ceil(O / 32)]` with `thresholds`: bit-packed
      output, `bit(o) = dot < thresholds[o] ? 1 : 0`, i.e. +1 exactly when
      `dot >= thresholds[o]`; packed like `qnt.binarize`.
  }];
}

def Qnt_BConv2DOp : Qnt_BinaryComputeOp<"bconv2d"> {
  let summary = "binary (XNOR-popcount) 2-D convolution";
  let description = [{
    Packed NHWC input `[N, H, W, ceil(C / 32)]`, packed OHWI filter
    `[O, KH, KW, ceil(C / 32)]`, with `C = channels`. For each output:

    ```
    dot(n, y, x, o) = sum over taps (i, j) inside the input of
                        C - 2 * popcount(in_words XOR filter_words)
                    + sum over padded taps of pad_contribution
    ```

    The true depth is `K = KH * KW * C`. Padded taps read the value
    `pad_value`: `plus_one` (native: the tap counts as +1 words, so it
    contributes `sum_c filter[o, i, j, c]`) or `zero` (the tap contributes
    0; lowerings correct the float epilogue at the edges). Spatial
    arithmetic (`OH`, `OW`) is as in `qnt.conv2d`.
  }] # epilogueDoc # [{

    Verifier: ranks; equal word counts of input and filter equal to
    `ceil(channels / 32)`; the result shape for static sizes; the epilogue
    rules above (`multiplier`/`bias`/`thresholds` of length `O`, thresholds
    only with a packed `i32` result, no float epilogue on `i32`).

    ```mlir
    %y = qnt.bconv2d %x, %w {channels = 70, pad = array<i64: 1, 1, 1, 1>,
                             multiplier = array<f32: ...>, bias = array<f32: ...>}
           : (tensor<1x8x8x3xi32>, tensor<16x3x3x3xi32>) -> tensor<1x8x8x16xf32>
    ```
  }];
  let arguments = (ins Qnt_PackedTensor:$input, Qnt_PackedTensor:$filter,
                   I64Attr:$channels,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$stride,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pad,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilation,
                   DefaultValuedAttr<Qnt_PadValueAttr,
                                     "::mlir::qnt::PadValue::PlusOne">:$pad_value,
                   OptionalAttr<DenseF32ArrayAttr>:$multiplier,
                   OptionalAttr<DenseF32ArrayAttr>:$bias,
                   OptionalAttr<F32Attr>:$clamp_min,
                   OptionalAttr<F32Attr>:$clamp_max,
                   OptionalAttr<DenseI32ArrayAttr>:$thresholds);
  let results = (outs RankedTensorOf<[F32, I32]>:$output);
  let assemblyFormat = [{
    $input `,` $filter attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qnt_BMatmulOp : Qnt_BinaryComputeOp<"bmatmul"> {
  let summary = "binary (XNOR-popcount) matrix product";
  let description = [{
    Packed `lhs [M, ceil(K / 32)]` and packed, output-major
    `rhs [N, ceil(K / 32)]`:

    ```
    dot(m, n) = K - 2 * sum_j popcount(lhs[m, j] XOR rhs[n, j])
    ```
  }] # epilogueDoc # [{

    Verifier: 2-D operands with `ceil(k / 32)` words, the result shape, and
    the epilogue rules (with `O = N`).

    ```mlir
    %y = qnt.bmatmul %x, %w {k = 300} : (tensor<4x10xi32>, tensor<10x10xi32>) -> tensor<4x10xi32>
    ```
  }];
  let arguments = (ins Qnt_PackedTensor:$lhs, Qnt_PackedTensor:$rhs,
                   I64Attr:$k,
                   OptionalAttr<DenseF32ArrayAttr>:$multiplier,
                   OptionalAttr<DenseF32ArrayAttr>:$bias,
                   OptionalAttr<F32Attr>:$clamp_min,
                   OptionalAttr<F32Attr>:$clamp_max,
                   OptionalAttr<DenseI32ArrayAttr>:$thresholds);
  let results = (outs RankedTensorOf<[F32, I32]>:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qnt_BMaxPool2DOp : Qnt_Op<"bmaxpool2d", [Pure]> {
  let summary = "max pooling of bit-packed binary activations";
  let description = [{
    Packed NHWC input `[N, H, W, words]`. The maximum over +1/-1 values is
    +1 (bit 0) if any is +1, so each output word is the bitwise AND of the
    window's words:

    ```
    out[n, y, x, w] = AND_{i < KH, j < KW} in[n, y*sh + i - pad_top, x*sw + j - pad_left, w]
    ```

    Padded positions hold -1 (all ones), the neutral element. `OH`, `OW` as
    in `qnt.conv2d` with dilation 1.

    Verifier: 4-D operands with equal `N` and word count, positive kernel
    and stride, pads smaller than the kernel, and the result shape.

    ```mlir
    %y = qnt.bmaxpool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>}
           : tensor<1x8x8x1xi32> -> tensor<1x4x4x1xi32>
    ```
  }];
  let arguments = (ins Qnt_PackedTensor:$input,
                   DenseI64ArrayAttr:$kernel,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$stride,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pad);
  let results = (outs Qnt_PackedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

#endif // QNT_OPS_TD
