// qnt-cpu-pipeline output translates to LLVM IR.
// RUN: quant-opt %s --qnt-fold-batchnorm --qnt-cpu-pipeline | quant-translate --mlir-to-llvmir | FileCheck %s
// RUN: not quant-translate --mlir-to-llvmir %s 2>&1 | FileCheck %s --check-prefix=UNLOWERED

// CHECK-LABEL: define { ptr, ptr, i64, [4 x i64], [4 x i64] } @scale_channels(
//       CHECK:   fmul {{.*}}float
//       CHECK:   fadd {{.*}}float
//       CHECK:   ret

// Un-lowered input is a diagnostic, not a crash.
// UNLOWERED: error:

func.func @scale_channels(%input: tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32> {
  %gamma = arith.constant dense<[2.0, 6.0, -0.5]> : tensor<3xf32>
  %beta = arith.constant dense<[0.0, 1.0, -1.0]> : tensor<3xf32>
  %mean = arith.constant dense<[0.5, 0.0, 2.0]> : tensor<3xf32>
  %var = arith.constant dense<[1.0, 4.0, 0.25]> : tensor<3xf32>
  %0 = qnt.batch_norm %input, %gamma, %beta, %mean, %var {axis = 3, epsilon = 0.0} : tensor<1x2x2x3xf32>, tensor<3xf32>
  return %0 : tensor<1x2x2x3xf32>
}
