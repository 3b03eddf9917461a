//===- Passes.td - qnt graph passes ------------------------*- tablegen -*-===//

#ifndef QUANTMLIR_TRANSFORMS_PASSES_TD
#define QUANTMLIR_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QntFoldBatchnormPass : Pass<"qnt-fold-batchnorm"> {
  let summary = "Fold inference batch norm into the preceding conv/matmul";
  let description = [{
    Folds a per-channel affine batch norm into the weights and bias of the
    producing layer, in double precision at compile time:

    ```
    s[c] = gamma[c] / sqrt(var[c] + eps)
    W'[c, ...] = W[c, ...] * s[c]         (scaled along the output channel)
    b'[c] = (b[c] - mean[c]) * s[c] + beta[c]
    ```

    Batch norms it folds:
    * `qnt.batch_norm` on the channel axis of the producer's result;
    * the decomposed forms front ends emit: a chain of TOSA `sub`, `mul`
      and `add` whose other operand is a per-channel constant (`[C]`,
      `[1, C]` or `[1, 1, 1, C]`), where the constant may itself be a TOSA
      expression of constants (`rsqrt`, `reciprocal`, `add`, `sub`, `mul`).

    Producers: `tosa.conv2d`, `tosa.depthwise_conv2d`, `tosa.matmul`
    (weights as a constant `b` operand `[1, K, N]`), `linalg.matmul`
    (weights `[K, N]`, accumulator from `linalg.fill`),
    `linalg.conv_2d_nhwc_hwcf` (filter `[KH, KW, C, F]`, accumulator from
    `linalg.fill`). Weights and bias must be constants.

    Left unchanged, with a remark on the batch norm that says why: the
    producer's result has other users; a parameter or weight is not
    constant; a non-affine op (such as a ReLU) sits between producer and
    batch norm; the batch norm's axis is not the producer's channel axis;
    the element type is not f32.

    A fold rewrites the weights only when the producer has no other user, so
    a shared weight constant is duplicated rather than changed in place.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tosa::TosaDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def QntDecomposeBatchnormPass : Pass<"qnt-decompose-batchnorm"> {
  let summary = "Rewrite qnt.batch_norm into TOSA element-wise ops";
  let description = [{
    Rewrites each `qnt.batch_norm` (that folding left) into
    `x * s + t` with `s = gamma / sqrt(var + eps)` and
    `t = beta - mean * s` computed at compile time when the parameters are
    constant, or as TOSA ops (`add`, `rsqrt`, `mul`, `sub`) otherwise. The
    per-channel operands are reshaped to broadcast along `axis`. The result
    lowers with the upstream TOSA pipeline.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tosa::TosaDialect"];
}

#endif // QUANTMLIR_TRANSFORMS_PASSES_TD
