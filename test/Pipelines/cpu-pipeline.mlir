// qnt-cpu-pipeline compiles for the chosen CPU: the vector width follows its
// features, and every llvm.func carries its name and features, which the
// translated LLVM IR keeps.
//
// RUN: quant-opt %s --qnt-cpu-pipeline=target=sapphirerapids | FileCheck %s --check-prefixes=CHECK,SPR
// RUN: quant-opt %s --qnt-cpu-pipeline=target=x86-64-v3 | FileCheck %s --check-prefixes=CHECK,AVX2
// RUN: quant-opt %s --qnt-cpu-pipeline=target=generic | FileCheck %s --check-prefixes=CHECK,GENERIC
// RUN: quant-opt %s --qnt-cpu-pipeline="target=x86-64-v3 vectorize=false" | FileCheck %s --check-prefix=SCALAR
// RUN: quant-opt %s --qnt-cpu-pipeline=target=sapphirerapids | quant-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVMIR
// RUN: quant-opt %s --qnt-cpu-pipeline | FileCheck %s --check-prefix=HOST

/// The matmul's 8 x width accumulator block becomes one FMA per row and
/// k step.
//    CHECK-LABEL: llvm.func @matmul
//     SPR-SAME:     target_cpu = "sapphirerapids"
//     SPR-SAME:     target_features = #llvm.target_features<[{{.*}}"+avx512f"{{.*}}]>
//    AVX2-SAME:     target_cpu = "x86-64-v3"
//    AVX2-SAME:     target_features = #llvm.target_features<[{{.*}}"+avx2"{{.*}}"+fma"{{.*}}]>
// AVX2-NOT:         "+avx512f"
// GENERIC-SAME:     attributes {target_cpu = "generic"} {
//          SPR:     llvm.intr.fmuladd({{.+}}) : (vector<16xf32>, vector<16xf32>, vector<16xf32>) -> vector<16xf32>
//         AVX2:     llvm.intr.fmuladd({{.+}}) : (vector<8xf32>, vector<8xf32>, vector<8xf32>) -> vector<8xf32>
//      GENERIC:     llvm.intr.fmuladd({{.+}}) : (vector<4xf32>, vector<4xf32>, vector<4xf32>) -> vector<4xf32>
//        CHECK:     llvm.return
// SCALAR-LABEL: llvm.func @matmul
//   SCALAR-NOT:     vector<
//       SCALAR:     llvm.fmul {{.+}} : f32
//       SCALAR:     llvm.return
func.func @matmul(%a: tensor<16x8xf32>, %b: tensor<8x32xf32>, %c: tensor<16x32xf32>) -> tensor<16x32xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<16x8xf32>, tensor<8x32xf32>) outs(%c : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}

/// A TOSA convolution goes through im2col to the same FMAs.
//  CHECK-LABEL: llvm.func @conv
//     SPR-SAME:     target_cpu = "sapphirerapids"
//    AVX2-SAME:     target_cpu = "x86-64-v3"
//          SPR:     llvm.intr.fmuladd({{.+}}) : (vector<16xf32>, vector<16xf32>, vector<16xf32>) -> vector<16xf32>
//         AVX2:     llvm.intr.fmuladd({{.+}}) : (vector<8xf32>, vector<8xf32>, vector<8xf32>) -> vector<8xf32>
//      GENERIC:     llvm.intr.fmuladd({{.+}}) : (vector<4xf32>, vector<4xf32>, vector<4xf32>) -> vector<4xf32>
//        CHECK:     llvm.return
// SCALAR-LABEL: llvm.func @conv
//   SCALAR-NOT:     vector<
//       SCALAR:     llvm.return
func.func @conv(%input: tensor<1x10x10x3xf32>, %filter: tensor<16x3x3x3xf32>, %bias: tensor<16xf32>) -> tensor<1x8x8x16xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = tosa.conv2d %input, %filter, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x10x10x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x16xf32>
  return %0 : tensor<1x8x8x16xf32>
}

// LLVMIR: define {{.+}} @matmul({{.*}}) #[[ATTRS:[0-9]+]]
// LLVMIR: call <16 x float> @llvm.fmuladd.v16f32
// LLVMIR: attributes #[[ATTRS]] = {{{.*}}"target-cpu"="sapphirerapids"{{.*}}"target-features"="{{.*}}+avx512f{{.*}}"

/// The host target names whatever CPU LLVM detects here.
// HOST: llvm.func @matmul({{.*}}) {{.*}}attributes {target_cpu = "{{[a-z0-9-]+}}", target_features = #llvm.target_features<[
