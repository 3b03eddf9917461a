// RUN: quant-opt %s --qnt-tile-and-vectorize --split-input-file | FileCheck %s
// RUN: quant-opt %s --qnt-tile-and-vectorize=vector-width=8 --split-input-file | FileCheck %s --check-prefix=AVX2
// RUN: not quant-opt %s --qnt-tile-and-vectorize=vector-width=0 --split-input-file 2>&1 | FileCheck %s --check-prefix=WIDTH

// WIDTH: error: vector-width must be positive, got 0

/// A 20x24 * 24x40 matmul: 8x16 register tiles over m and n, peeled into
/// full tiles and 4-row / 8-column remainders; each tile's accumulator is
/// read before the k loop, carried through it in registers, and written
/// after it.
// CHECK-LABEL: func.func @matmul_partial_tiles
//  CHECK-SAME:   %[[A:[a-zA-Z0-9_]+]]: tensor<20x24xf32>, %[[B:[a-zA-Z0-9_]+]]: tensor<24x40xf32>, %[[C:[a-zA-Z0-9_]+]]: tensor<20x40xf32>
//   CHECK-NOT:   linalg.matmul
//       CHECK:   scf.for %[[I:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%{{.+}} = %[[C]])
//       CHECK:     scf.for %[[J:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[OUT:.+]] = %{{.+}})
//       CHECK:       %[[TILE:.+]] = tensor.extract_slice %[[OUT]][%[[I]], %[[J]]] [8, 16] [1, 1]
//       CHECK:       %[[ACC:.+]] = vector.transfer_read %[[TILE]]{{.+}} : tensor<8x16xf32>, vector<8x16xf32>
//       CHECK:       %[[SUM:.+]] = scf.for %[[K:.+]] = %{{.+}} iter_args(%[[ITER:.+]] = %[[ACC]]) -> (vector<8x16xf32>)
//       CHECK:         tensor.extract_slice %[[A]][%[[I]], %[[K]]] [8, 1] [1, 1]
//       CHECK:         tensor.extract_slice %[[B]][%[[K]], %[[J]]] [1, 16] [1, 1]
//       CHECK:         %[[NEXT:.+]] = vector.contract {{.+}}, %[[ITER]] : vector<8x1xf32>, vector<1x16xf32> into vector<8x16xf32>
//       CHECK:         scf.yield %[[NEXT]] : vector<8x16xf32>
//       CHECK:       vector.transfer_write %[[SUM]], %[[TILE]]
//       CHECK:   vector.contract {{.+}} : vector<8x1xf32>, vector<1x8xf32> into vector<8x8xf32>
//       CHECK:   vector.contract {{.+}} : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
//       CHECK:   vector.contract {{.+}} : vector<4x1xf32>, vector<1x8xf32> into vector<4x8xf32>
//   CHECK-NOT:   vector.contract
// AVX2-LABEL: func.func @matmul_partial_tiles
//       AVX2:   vector.contract {{.+}} : vector<8x1xf32>, vector<1x8xf32> into vector<8x8xf32>
//       AVX2:   vector.contract {{.+}} : vector<4x1xf32>, vector<1x8xf32> into vector<4x8xf32>
//   AVX2-NOT:   vector.contract
func.func @matmul_partial_tiles(%a: tensor<20x24xf32>, %b: tensor<24x40xf32>, %c: tensor<20x40xf32>) -> tensor<20x40xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<20x24xf32>, tensor<24x40xf32>) outs(%c : tensor<20x40xf32>) -> tensor<20x40xf32>
  return %0 : tensor<20x40xf32>
}

// -----

/// A batch matmul tiles the batch by 1 and drops it from the vectors.
// CHECK-LABEL: func.func @batch_matmul
//  AVX2-LABEL: func.func @batch_matmul
//   CHECK-NOT:   linalg.batch_matmul
//       CHECK:   vector.contract {{.+}} : vector<8x1xf32>, vector<1x16xf32> into vector<8x16xf32>
func.func @batch_matmul(%a: tensor<2x8x4xf32>, %b: tensor<2x4x16xf32>, %c: tensor<2x8x16xf32>) -> tensor<2x8x16xf32> {
  %0 = linalg.batch_matmul ins(%a, %b : tensor<2x8x4xf32>, tensor<2x4x16xf32>) outs(%c : tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
  return %0 : tensor<2x8x16xf32>
}

// -----

/// An FHWC convolution: the filter is transposed to HWCF, im2col lays the
/// 3x3x4 patches out as a 16x36 matrix (a scalar copy), and the GEMM with
/// the 36x16 filter is vectorized like a matmul.
// CHECK-LABEL: func.func @conv_fhwc_im2col
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<1x6x6x4xf32>, %[[FILTER:[a-zA-Z0-9_]+]]: tensor<16x3x3x4xf32>
//   CHECK-NOT:   linalg.conv_2d
//       CHECK:   %[[HWCF:.+]] = scf.for
//       CHECK:     tensor.extract_slice %[[FILTER]]{{.+}} to tensor<16x1x1x1xf32>
//       CHECK:     vector.transfer_read {{.+}} : tensor<16x1x1x1xf32>, vector<16xf32>
//       CHECK:   %[[B:.+]] = tensor.collapse_shape %[[HWCF]] {{\[}}[0, 1, 2], [3]] : tensor<3x3x4x16xf32> into tensor<36x16xf32>
//       CHECK:   %[[PATCHES:.+]] = linalg.generic {{.+}} ins(%[[INPUT]] : tensor<1x6x6x4xf32>) outs(%{{.+}} : tensor<1x16x36xf32>)
//       CHECK:   scf.for
//       CHECK:     scf.for %[[K:.+]] = %{{.+}} iter_args(%{{.+}} = %{{.+}}) -> (vector<8x16xf32>)
//       CHECK:       tensor.extract_slice %[[PATCHES]]
//       CHECK:       tensor.extract_slice %[[B]][%[[K]], 0] [1, 16] [1, 1]
//       CHECK:       vector.contract {{.+}} : vector<8x1xf32>, vector<1x16xf32> into vector<8x16xf32>
//       CHECK:   tensor.expand_shape {{.+}} into tensor<1x4x4x16xf32>
func.func @conv_fhwc_im2col(%input: tensor<1x6x6x4xf32>, %filter: tensor<16x3x3x4xf32>, %init: tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32> {
  %0 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%input, %filter : tensor<1x6x6x4xf32>, tensor<16x3x3x4xf32>) outs(%init : tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  return %0 : tensor<1x4x4x16xf32>
}

// -----

/// A constant filter is transposed at compile time.
// CHECK-LABEL: func.func @conv_constant_filter
//   CHECK-DAG:   arith.constant dense<{{.+}}> : tensor<12x2xf32>
//   CHECK-NOT:   vector.transfer_read %{{.+}} : tensor<2x{{.+}}
//       CHECK:   vector.contract {{.+}} : vector<8x1xf32>, vector<1x2xf32> into vector<8x2xf32>
func.func @conv_constant_filter(%input: tensor<1x9x9x3xf32>, %init: tensor<1x8x8x2xf32>) -> tensor<1x8x8x2xf32> {
  %filter = arith.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]], [[[-1.0, -2.0, -3.0], [-4.0, -5.0, -6.0]], [[-7.0, -8.0, -9.0], [-10.0, -11.0, -12.0]]]]> : tensor<2x2x2x3xf32>
  %0 = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%input, %filter : tensor<1x9x9x3xf32>, tensor<2x2x2x3xf32>) outs(%init : tensor<1x8x8x2xf32>) -> tensor<1x8x8x2xf32>
  return %0 : tensor<1x8x8x2xf32>
}

// -----

/// Element-wise ops are tiled by the vector width along the innermost
/// dimension; the 8-column remainder of 40 is one smaller vector.
#map = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @elementwise_add
//  CHECK-SAME:   %[[X:[a-zA-Z0-9_]+]]: tensor<3x40xf32>, %[[Y:[a-zA-Z0-9_]+]]: tensor<3x40xf32>
//   CHECK-NOT:   linalg.generic
//       CHECK:   scf.for
//       CHECK:     scf.for
//       CHECK:       %[[LHS:.+]] = vector.transfer_read {{.+}} : tensor<1x16xf32>, vector<16xf32>
//       CHECK:       %[[RHS:.+]] = vector.transfer_read {{.+}} : tensor<1x16xf32>, vector<16xf32>
//       CHECK:       arith.addf %[[LHS]], %[[RHS]] : vector<16xf32>
//       CHECK:     arith.addf %{{.+}}, %{{.+}} : vector<8xf32>
// AVX2-LABEL: func.func @elementwise_add
//       AVX2:       arith.addf %{{.+}}, %{{.+}} : vector<8xf32>
//   AVX2-NOT:     vector<16xf32>
func.func @elementwise_add(%x: tensor<3x40xf32>, %y: tensor<3x40xf32>) -> tensor<3x40xf32> {
  %e = tensor.empty() : tensor<3x40xf32>
  %0 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]} ins(%x, %y : tensor<3x40xf32>, tensor<3x40xf32>) outs(%e : tensor<3x40xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<3x40xf32>
  return %0 : tensor<3x40xf32>
}

// -----

/// Pooling is a windowed reduction: it stays scalar.
// CHECK-LABEL: func.func @negative_pooling
//  AVX2-LABEL: func.func @negative_pooling
//       CHECK:   linalg.pooling_nhwc_sum
//   CHECK-NOT:   vector.
func.func @negative_pooling(%input: tensor<1x4x4x8xf32>, %init: tensor<1x1x1x8xf32>) -> tensor<1x1x1x8xf32> {
  %window = tensor.empty() : tensor<4x4xf32>
  %0 = linalg.pooling_nhwc_sum {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%input, %window : tensor<1x4x4x8xf32>, tensor<4x4xf32>) outs(%init : tensor<1x1x1x8xf32>) -> tensor<1x1x1x8xf32>
  return %0 : tensor<1x1x1x8xf32>
}

// -----

/// So does a depthwise convolution with a channel multiplier.
// CHECK-LABEL: func.func @negative_depthwise
//       CHECK:   linalg.depthwise_conv_2d_nhwc_hwcm
//   CHECK-NOT:   vector.
func.func @negative_depthwise(%input: tensor<1x5x5x4xf32>, %filter: tensor<3x3x4x2xf32>, %init: tensor<1x3x3x4x2xf32>) -> tensor<1x3x3x4x2xf32> {
  %0 = linalg.depthwise_conv_2d_nhwc_hwcm {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%input, %filter : tensor<1x5x5x4xf32>, tensor<3x3x4x2xf32>) outs(%init : tensor<1x3x3x4x2xf32>) -> tensor<1x3x3x4x2xf32>
  return %0 : tensor<1x3x3x4x2xf32>
}

// -----

/// A dynamic shape would need masked tiles: the op is left alone.
#map = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @negative_dynamic_shape
//   CHECK-NOT:   scf.for
//       CHECK:   linalg.generic
//       CHECK:     arith.mulf %{{.+}}, %{{.+}} : f32
//   CHECK-NOT:   vector.
func.func @negative_dynamic_shape(%x: tensor<?xf32>) -> tensor<?xf32> {
  %0 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%x : tensor<?xf32>) outs(%x : tensor<?xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<?xf32>
  return %0 : tensor<?xf32>
}
