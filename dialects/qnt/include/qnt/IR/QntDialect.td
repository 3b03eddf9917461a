//===- QntDialect.td - qnt dialect definition --------------*- tablegen -*-===//
//
// The qnt dialect: quantized and binarized neural-network compute.
//
//===----------------------------------------------------------------------===//

#ifndef QNT_DIALECT_TD
#define QNT_DIALECT_TD

include "mlir/IR/OpBase.td"

def Qnt_Dialect : Dialect {
  let name = "qnt";
  let cppNamespace = "::mlir::qnt";
  let summary = "Quantized and binarized neural-network operations";
  let description = [{
    The `qnt` dialect holds what upstream MLIR lacks for low-precision
    inference: batch norm in inference form, quantize/dequantize with an
    explicit rounding mode that canonicalization never erases, calibration
    probes, integer convolution and matmul with explicit zero points,
    fixed-point requantization with TOSA `apply_scale` semantics, and
    XNOR-popcount binary compute on bit-packed tensors.

    Quantized tensors use upstream `!quant.uniform` types. Binary tensors
    are `i1` logically and stored as bit-packed `i32` words.

    Conventions shared by all ops:

    * Layouts follow TOSA: activations NHWC, conv filters OHWI.
    * Binary values: +1 is bit 0 and -1 is bit 1; `sign(x)` is +1 unless
      `x < 0` (so `sign(0) = sign(-0.0) = +1`, and NaN maps to +1).
    * Bit packing runs along the innermost axis: element `k` lives in word
      `k / 32` at bit `k % 32` (bit 0 is the least significant). The tail of
      the last word is padded with bit 0 (+1) on every operand; the true
      depth `K` is carried as an attribute, so
      `dot(a, w) = K - 2 * popcount(a XOR w)` over the packed words.
    * Float to integer quantization rounds half to even (or half away from
      zero when asked) and then saturates to the storage range.
    * Requantization follows TOSA `apply_scale` (`SINGLE_ROUND` by default;
      `DOUBLE_ROUND` equals TFLite's `MultiplyByQuantizedMultiplier`).
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
}

class Qnt_Op<string mnemonic, list<Trait> traits = []>
    : Op<Qnt_Dialect, mnemonic, traits>;

#endif // QNT_DIALECT_TD
