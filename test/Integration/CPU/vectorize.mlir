// Tiling and vectorization must not change what a model computes: a CNN
// (im2col convolutions, a depthwise convolution and pooling that stay
// scalar, batch norms, ReLUs, a batch matmul) and a matmul with partial
// tiles run through qnt-cpu-pipeline with and without vectorization, for
// the AVX2 width and the host's, and agree within 1e-5 relative (FMAs round
// once where the scalar loops round twice).
//
// RUN: %python %quant_src_root/examples/bn_folding/make_model.py --seed 11 --batch 5 --size 9 --channels 3 > %t.cnn.mlir
// RUN: quant-opt %t.cnn.mlir --qnt-cpu-pipeline=vectorize=false | mlir-runner -e main -entry-point-result=void -shared-libs=%runner_libs > %t.cnn.scalar
// RUN: quant-opt %t.cnn.mlir --qnt-cpu-pipeline | mlir-runner -e main -entry-point-result=void -shared-libs=%runner_libs > %t.cnn.host
// RUN: quant-opt %t.cnn.mlir --qnt-cpu-pipeline=target=x86-64-v3 | mlir-runner -e main -entry-point-result=void -shared-libs=%runner_libs > %t.cnn.avx2
// RUN: %python %quant_src_root/scripts/compare_outputs.py --bits %t.cnn.scalar %t.cnn.host | FileCheck %s --check-prefix=CNN
// RUN: %python %quant_src_root/scripts/compare_outputs.py --bits %t.cnn.scalar %t.cnn.avx2 | FileCheck %s --check-prefix=CNN
//
// RUN: quant-opt %s --qnt-cpu-pipeline=vectorize=false | mlir-runner -e main -entry-point-result=void -shared-libs=%runner_libs > %t.mm.scalar
// RUN: quant-opt %s --qnt-cpu-pipeline | mlir-runner -e main -entry-point-result=void -shared-libs=%runner_libs > %t.mm.host
// RUN: quant-opt %s --qnt-cpu-pipeline=target=generic | mlir-runner -e main -entry-point-result=void -shared-libs=%runner_libs > %t.mm.generic
// RUN: %python %quant_src_root/scripts/compare_outputs.py %t.mm.scalar %t.mm.host | FileCheck %s --check-prefix=MATMUL
// RUN: %python %quant_src_root/scripts/compare_outputs.py %t.mm.scalar %t.mm.generic | FileCheck %s --check-prefix=MATMUL

// CNN: tensor 0 1x5x10: 50 values, {{.*}}: within rtol 1e-05
// CNN: outputs agree

// MATMUL: tensor 0 19x37: 703 values, {{.*}}: within rtol 1e-05
// MATMUL: outputs agree

func.func @main() {
  // Inputs without a pattern the tiling could hide behind: a[i][k] =
  // sin(i * 0.37 + k * 1.3), b[k][j] = cos(k * 0.91 - j * 0.23).
  %a0 = tensor.empty() : tensor<19x29xf32>
  %a = linalg.generic {indexing_maps = [affine_map<(i, k) -> (i, k)>], iterator_types = ["parallel", "parallel"]} outs(%a0 : tensor<19x29xf32>) {
  ^bb0(%unused: f32):
    %i = linalg.index 0 : index
    %k = linalg.index 1 : index
    %ii = arith.index_cast %i : index to i32
    %ki = arith.index_cast %k : index to i32
    %if = arith.sitofp %ii : i32 to f32
    %kf = arith.sitofp %ki : i32 to f32
    %s0 = arith.constant 0.37 : f32
    %s1 = arith.constant 1.3 : f32
    %x0 = arith.mulf %if, %s0 : f32
    %x1 = arith.mulf %kf, %s1 : f32
    %x = arith.addf %x0, %x1 : f32
    %v = math.sin %x : f32
    linalg.yield %v : f32
  } -> tensor<19x29xf32>
  %b0 = tensor.empty() : tensor<29x37xf32>
  %b = linalg.generic {indexing_maps = [affine_map<(k, j) -> (k, j)>], iterator_types = ["parallel", "parallel"]} outs(%b0 : tensor<29x37xf32>) {
  ^bb0(%unused: f32):
    %k = linalg.index 0 : index
    %j = linalg.index 1 : index
    %ki = arith.index_cast %k : index to i32
    %ji = arith.index_cast %j : index to i32
    %kf = arith.sitofp %ki : i32 to f32
    %jf = arith.sitofp %ji : i32 to f32
    %s0 = arith.constant 0.91 : f32
    %s1 = arith.constant 0.23 : f32
    %x0 = arith.mulf %kf, %s0 : f32
    %x1 = arith.mulf %jf, %s1 : f32
    %x = arith.subf %x0, %x1 : f32
    %v = math.cos %x : f32
    linalg.yield %v : f32
  } -> tensor<29x37xf32>
  %zero = arith.constant 0.0 : f32
  %c0 = tensor.empty() : tensor<19x37xf32>
  %c = linalg.fill ins(%zero : f32) outs(%c0 : tensor<19x37xf32>) -> tensor<19x37xf32>
  %r = linalg.matmul ins(%a, %b : tensor<19x29xf32>, tensor<29x37xf32>) outs(%c : tensor<19x37xf32>) -> tensor<19x37xf32>
  %printable = tensor.cast %r : tensor<19x37xf32> to tensor<*xf32>
  call @printMemrefF32(%printable) : (tensor<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(tensor<*xf32>)
