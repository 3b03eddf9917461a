// RUN: quant-opt %s --qnt-lower-to-cpu --split-input-file --verify-diagnostics | FileCheck %s
// RUN: quant-opt %s --qnt-lower-to-cpu=isa=avx512-vnni --split-input-file --verify-diagnostics | FileCheck %s --check-prefix=VEC
// RUN: quant-opt %s --qnt-lower-to-cpu=isa=avx2 --split-input-file --verify-diagnostics | FileCheck %s --check-prefix=AVX2

/// Scalar: the input is padded to whole words with 0.0 (+1) and each word
/// ORs (x < 0) << b over its 32 elements. Vector: 32 elements compared at
/// once, the i1 mask is the word; the tail word is a masked read.
// CHECK-LABEL: func.func @binarize_tail
//  CHECK-SAME:   (%[[INPUT:[a-zA-Z0-9_]+]]: tensor<2x70xf32>)
//       CHECK:   %[[PADDED:.+]] = tensor.pad %[[INPUT]] low[0, 0] high[0, 26]
//       CHECK:   tensor.expand_shape %[[PADDED]] {{\[\[}}0], [1, 2]] output_shape [2, 3, 32]
//       CHECK:   linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
//       CHECK:     %[[NEG:.+]] = arith.cmpf olt, %{{.+}}, %{{.+}} : f32
//       CHECK:     %[[B:.+]] = linalg.index 2 : index
//       CHECK:     %[[SHIFT:.+]] = arith.index_cast %[[B]] : index to i32
//       CHECK:     %[[BIT:.+]] = arith.extui %[[NEG]] : i1 to i32
//       CHECK:     %[[WORD:.+]] = arith.shli %[[BIT]], %[[SHIFT]] : i32
//       CHECK:     arith.ori %{{.+}}, %[[WORD]] : i32
// VEC-LABEL: func.func @binarize_tail
//       VEC:   scf.for
//       VEC:     scf.for
//       VEC:       %[[CHUNK:.+]] = vector.transfer_read %{{.+}} {in_bounds = [true]} : tensor<2x70xf32>, vector<32xf32>
//       VEC:       %[[MASK:.+]] = arith.cmpf olt, %[[CHUNK]], %{{.+}} : vector<32xf32>
//       VEC:       %[[WORD:.+]] = vector.bitcast %[[MASK]] : vector<32xi1> to vector<1xi32>
//       VEC:       vector.extract %[[WORD]][0]
//       VEC:     %[[TAIL:.+]] = vector.transfer_read %{{.+}} : tensor<2x70xf32>, vector<32xf32>
//       VEC:     arith.cmpf olt, %[[TAIL]]
func.func @binarize_tail(%x: tensor<2x70xf32>) -> tensor<2x3xi32> {
  %p = qnt.binarize %x : tensor<2x70xf32> -> tensor<2x3xi32>
  return %p : tensor<2x3xi32>
}

// -----

/// Unsigned values are never negative: all bits 0.
// CHECK-LABEL: func.func @binarize_unsigned
//  CHECK-SAME:   tensor<4x40xi8>
//       CHECK:   %[[ZERO:.+]] = arith.constant 0 : i32
//       CHECK:   %[[FILL:.+]] = linalg.fill ins(%[[ZERO]] : i32) outs(%{{.+}} : tensor<4x2xi32>)
//       CHECK:   return %[[FILL]]
func.func @binarize_unsigned(%x: tensor<4x40xui8>) -> tensor<4x2xi32> {
  %p = qnt.binarize %x : tensor<4x40xui8> -> tensor<4x2xi32>
  return %p : tensor<4x2xi32>
}

// -----

/// Every bit becomes -1 or +1 in [.., W, 32], collapsed and sliced to K.
// CHECK-LABEL: func.func @unpack_i8
//       CHECK:   linalg.generic {{.*}} outs(%{{.+}} : tensor<3x2x32xi8>)
//       CHECK:     %[[B:.+]] = linalg.index 2 : index
//       CHECK:     %[[SHIFT:.+]] = arith.index_cast %[[B]] : index to i32
//       CHECK:     %[[WORD:.+]] = arith.shrui %{{.+}}, %[[SHIFT]] : i32
//       CHECK:     %[[BIT:.+]] = arith.andi %[[WORD]], %{{.+}} : i32
//       CHECK:     %[[SET:.+]] = arith.cmpi ne, %[[BIT]], %{{.+}} : i32
//       CHECK:     arith.select %[[SET]], %{{.+}}, %{{.+}} : i8
//       CHECK:   %[[FULL:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0], [1, 2]] : tensor<3x2x32xi8> into tensor<3x64xi8>
//       CHECK:   tensor.extract_slice %[[FULL]][0, 0] [3, 40] [1, 1]
func.func @unpack_i8(%p: tensor<3x2xi32>) -> tensor<3x40xi8> {
  %x = qnt.unpack %p : tensor<3x2xi32> -> tensor<3x40xi8>
  return %x : tensor<3x40xi8>
}

// -----

/// dot = sum over words of bits(word) - 2 popcount(a ^ w); the last word
/// holds K % 32 = 8 bits. Vector: rhs repacked to [N/16, W, 16], a word of
/// lhs broadcast against 16 channels, accumulators carried over the words.
// CHECK-LABEL: func.func @bmatmul_raw
//  CHECK-SAME:   (%[[LHS:[a-zA-Z0-9_]+]]: tensor<4x2xi32>, %[[RHS:[a-zA-Z0-9_]+]]: tensor<10x2xi32>)
//       CHECK:   %[[BITS:.+]] = arith.constant dense<[32, 8]> : tensor<2xi32>
//       CHECK:   linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]{{.*}} ins(%[[LHS]], %[[RHS]], %[[BITS]] :
//       CHECK:   ^bb0(%[[A:.+]]: i32, %[[W:.+]]: i32, %[[N:.+]]: i32, %[[ACC:.+]]: i32):
//       CHECK:     %[[X:.+]] = arith.xori %[[A]], %[[W]] : i32
//       CHECK:     %[[P:.+]] = math.ctpop %[[X]] : i32
//       CHECK:     %[[P2:.+]] = arith.addi %[[P]], %[[P]] : i32
//       CHECK:     %[[S:.+]] = arith.subi %[[N]], %[[P2]] : i32
//       CHECK:     arith.addi %[[ACC]], %[[S]] : i32
// VEC-LABEL: func.func @bmatmul_raw
//  VEC-SAME:   (%[[LHS:[a-zA-Z0-9_]+]]: tensor<4x2xi32>, %[[RHS:[a-zA-Z0-9_]+]]: tensor<10x2xi32>)
//       VEC:   %[[PADDED:.+]] = tensor.pad %[[RHS]] low[0, 0] high[6, 0]
//       VEC:   %[[BLOCKS:.+]] = tensor.expand_shape %[[PADDED]] {{\[\[}}0, 1], [2]] output_shape [1, 16, 2]
//       VEC:   %[[PACKED:.+]] = linalg.transpose ins(%[[BLOCKS]] : tensor<1x16x2xi32>) outs(%{{.+}} : tensor<1x2x16xi32>) permutation = [0, 2, 1]
//       VEC:   scf.for
//       VEC:     scf.for
//       VEC:       scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
//       VEC:         %[[WV:.+]] = vector.transfer_read %[[PACKED]]{{.*}} {in_bounds = [true]} : tensor<1x2x16xi32>, vector<16xi32>
//       VEC:         %[[AW:.+]] = tensor.extract %[[LHS]]
//       VEC:         %[[AV:.+]] = vector.broadcast %[[AW]] : i32 to vector<16xi32>
//       VEC:         %[[X:.+]] = arith.xori %[[AV]], %[[WV]] : vector<16xi32>
//       VEC:         %[[P:.+]] = math.ctpop %[[X]] : vector<16xi32>
//       VEC:         arith.addi %{{.+}}, %[[P]] : vector<16xi32>
//       VEC:       %[[K:.+]] = arith.constant dense<40> : vector<16xi32>
//       VEC:       %[[TWICE:.+]] = arith.addi %{{.+}}, %{{.+}} : vector<16xi32>
//       VEC:       %[[DOT:.+]] = arith.subi %[[K]], %[[TWICE]] : vector<16xi32>
//       VEC:       vector.transfer_write %[[DOT]], %{{.+}} : vector<16xi32>, tensor<4x10xi32>
//  AVX2-LABEL: func.func @bmatmul_raw
//       AVX2:   linalg.transpose ins(%{{.+}} : tensor<2x8x2xi32>) outs(%{{.+}} : tensor<2x2x8xi32>)
/// Without a vector popcount: byte counts summed over up to 31 words, byte
/// pairs added into the two 16-bit halves of each lane, which (the depth
/// being under 4096 words) accumulate over the whole depth and are added
/// into the i32 accumulators once.
//       AVX2:   %[[ZERO:.+]] = arith.constant dense<0> : vector<8xi32>
//       AVX2:   scf.for {{.*}} step %c31 iter_args(%{{.+}} = %[[ZERO]], {{.*}} -> (vector<8xi32>, vector<8xi32>
//       AVX2:     scf.for {{.*}} -> (vector<32xi8>, vector<32xi8>
//       AVX2:       %[[X:.+]] = arith.xori %{{.+}}, %{{.+}} : vector<8xi32>
//       AVX2:       %[[XB:.+]] = vector.bitcast %[[X]] : vector<8xi32> to vector<32xi8>
//       AVX2:       %[[P:.+]] = math.ctpop %[[XB]] : vector<32xi8>
//       AVX2:       arith.addi %{{.+}}, %[[P]] : vector<32xi8>
//       AVX2:     %[[LANES:.+]] = vector.bitcast %{{.+}} : vector<32xi8> to vector<8xi32>
//       AVX2:     %[[EVEN:.+]] = arith.andi %[[LANES]], %{{.+}} : vector<8xi32>
//       AVX2:     %[[PAIRS:.+]] = arith.addi %[[EVEN]], %{{.+}} : vector<8xi32>
//       AVX2:     arith.addi %{{.+}}, %[[PAIRS]] : vector<8xi32>
//       AVX2:     scf.yield
//       AVX2:   %[[MASK:.+]] = arith.constant dense<65535> : vector<8xi32>
//       AVX2:   %[[LOW:.+]] = arith.andi %[[HALVES:[0-9a-z#_]+]], %[[MASK]] : vector<8xi32>
//       AVX2:   %[[HIGH:.+]] = arith.shrui %[[HALVES]], %{{.+}} : vector<8xi32>
//       AVX2:   %[[COUNT:.+]] = arith.addi %[[LOW]], %[[HIGH]] : vector<8xi32>
//       AVX2:   arith.addi %{{.+}}, %[[COUNT]] : vector<8xi32>
func.func @bmatmul_raw(%a: tensor<4x2xi32>, %w: tensor<10x2xi32>) -> tensor<4x10xi32> {
  %y = qnt.bmatmul %a, %w {k = 40} : (tensor<4x2xi32>, tensor<10x2xi32>) -> tensor<4x10xi32>
  return %y : tensor<4x10xi32>
}

// -----

/// The float epilogue: clamp(multiplier * float(dot) + bias), per channel.
// CHECK-LABEL: func.func @bmatmul_float
//       CHECK:   %[[DOT:.+]] = linalg.generic
//       CHECK:   %[[M:.+]] = arith.constant dense<[5.000000e-01, 2.000000e+00]> : tensor<2xf32>
//       CHECK:   %[[B:.+]] = arith.constant dense<[1.000000e+00, -1.000000e+00]> : tensor<2xf32>
//       CHECK:   linalg.generic {{.*}} ins(%[[DOT]], %[[M]], %[[B]] : tensor<4x2xi32>, tensor<2xf32>, tensor<2xf32>) outs(%{{.+}} : tensor<4x2xf32>)
//       CHECK:     %[[F:.+]] = arith.sitofp %{{.+}} : i32 to f32
//       CHECK:     %[[MUL:.+]] = arith.mulf %[[F]], %{{.+}} : f32
//       CHECK:     %[[ADD:.+]] = arith.addf %[[MUL]], %{{.+}} : f32
//       CHECK:     %[[LO:.+]] = arith.maximumf %[[ADD]], %{{.+}} : f32
//       CHECK:     arith.minimumf %[[LO]], %{{.+}} : f32
// VEC-LABEL: func.func @bmatmul_float
//       VEC:   %[[M:.+]] = arith.constant dense<[5.000000e-01, 2.000000e+00, 0.000000e+00
//       VEC:   %[[MV:.+]] = vector.transfer_read %[[M]]
//       VEC:   %[[F:.+]] = arith.sitofp %{{.+}} : vector<16xi32> to vector<16xf32>
//       VEC:   %[[MUL:.+]] = arith.mulf %[[F]], %[[MV]] : vector<16xf32>
//       VEC:   %[[ADD:.+]] = arith.addf %[[MUL]], %{{.+}} : vector<16xf32>
//       VEC:   %[[LO:.+]] = arith.maximumf %[[ADD]], %{{.+}} : vector<16xf32>
//       VEC:   %[[HI:.+]] = arith.minimumf %[[LO]], %{{.+}} : vector<16xf32>
//       VEC:   vector.transfer_write %[[HI]], %{{.+}} : vector<16xf32>, tensor<4x2xf32>
func.func @bmatmul_float(%a: tensor<4x1xi32>, %w: tensor<2x1xi32>) -> tensor<4x2xf32> {
  %y = qnt.bmatmul %a, %w {k = 20, multiplier = array<f32: 0.5, 2.0>, bias = array<f32: 1.0, -1.0>, clamp_min = 0.0 : f32, clamp_max = 6.0 : f32} : (tensor<4x1xi32>, tensor<2x1xi32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

/// Packed output: bit o = dot < thresholds[o]; the padding channels get
/// INT32_MIN, so the tail bits stay 0. Vector: two 16-channel compares are
/// concatenated and reinterpreted as one word.
// CHECK-LABEL: func.func @bmatmul_packed
//       CHECK:   %[[DOT:.+]] = linalg.generic
//       CHECK:   %[[PADDED:.+]] = tensor.pad %[[DOT]] low[0, 0] high[0, 29]
//       CHECK:   %[[T:.+]] = arith.constant dense<{{\[\[}}0, 4, -2, -2147483648,
//       CHECK:   %[[SPLIT:.+]] = tensor.expand_shape %[[PADDED]] {{\[\[}}0], [1, 2]] output_shape [4, 1, 32]
//       CHECK:   linalg.generic {{.*}} ins(%[[SPLIT]], %[[T]] : tensor<4x1x32xi32>, tensor<1x32xi32>) outs(%{{.+}} : tensor<4x1xi32>)
//       CHECK:     %[[BIT:.+]] = arith.cmpi slt, %{{.+}}, %{{.+}} : i32
//       CHECK:     arith.extui %[[BIT]] : i1 to i32
// VEC-LABEL: func.func @bmatmul_packed
//       VEC:   %[[LOW:.+]] = arith.cmpi slt, %{{.+}}, %{{.+}} : vector<16xi32>
//       VEC:   %[[HIGH:.+]] = arith.cmpi slt, %{{.+}}, %{{.+}} : vector<16xi32>
//       VEC:   %[[BITS:.+]] = vector.shuffle %[[LOW]], %[[HIGH]] [0, 1, 2,
//       VEC:   %[[WORD:.+]] = vector.bitcast %[[BITS]] : vector<32xi1> to vector<1xi32>
//       VEC:   vector.transfer_write %[[WORD]], %{{.+}} {in_bounds = [true]} : vector<1xi32>, tensor<4x1xi32>
func.func @bmatmul_packed(%a: tensor<4x1xi32>, %w: tensor<3x1xi32>) -> tensor<4x1xi32> {
  %y = qnt.bmatmul %a, %w {k = 20, thresholds = array<i32: 0, 4, -2>} : (tensor<4x1xi32>, tensor<3x1xi32>) -> tensor<4x1xi32>
  return %y : tensor<4x1xi32>
}

// -----

/// The input is padded with 0 words (+1). pad_value = zero then subtracts
/// the taps that fell into the padding: corr[y, x, o] = sum over padded
/// taps of C - 2 popcount(filter[o, i, j]).
// CHECK-DAG: #[[WINDOW:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 2 + d4, d2 * 2 + d5, d6)>
// CHECK-DAG: #[[MASK:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0 * 2 + d3, d1 * 2 + d4)>
// CHECK-LABEL: func.func @bconv2d_zero_pad
//  CHECK-SAME:   (%[[INPUT:[a-zA-Z0-9_]+]]: tensor<1x5x5x1xi32>, %[[FILTER:[a-zA-Z0-9_]+]]: tensor<8x3x3x1xi32>)
//       CHECK:   %[[PADDED:.+]] = tensor.pad %[[INPUT]] low[0, 1, 1, 0] high[0, 1, 1, 0]
//       CHECK:   %[[DOT:.+]] = linalg.generic {indexing_maps = [#[[WINDOW]], {{.*}} ins(%[[PADDED]], %[[FILTER]], %{{.+}} : tensor<1x7x7x1xi32>, tensor<8x3x3x1xi32>, tensor<1xi32>)
//       CHECK:   %[[FSUM:.+]] = linalg.generic {{.*}} ins(%[[FILTER]], %{{.+}}) outs(%{{.+}} : tensor<8x3x3xi32>)
//       CHECK:   %[[OUTSIDE:.+]] = arith.constant dense<{{\[\[}}1, 1, 1, 1, 1, 1, 1], [1, 0, 0, 0, 0, 0, 1],
//       CHECK:   %[[CORR:.+]] = linalg.generic {indexing_maps = [#[[MASK]], {{.*}} ins(%[[OUTSIDE]], %[[FSUM]] : tensor<7x7xi32>, tensor<8x3x3xi32>) outs(%{{.+}} : tensor<3x3x8xi32>)
//       CHECK:   linalg.generic {{.*}} ins(%[[DOT]], %[[CORR]] : tensor<1x3x3x8xi32>, tensor<3x3x8xi32>)
//       CHECK:     arith.subi
// VEC-LABEL: func.func @bconv2d_zero_pad
//       VEC:   %[[PADDED:.+]] = tensor.pad %{{.+}} low[0, 1, 1, 0] high[0, 1, 1, 0]
//       VEC:   %[[ROWS:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0], [1, 2, 3]] : tensor<8x3x3x1xi32> into tensor<8x9xi32>
//       VEC:   %[[PACKED:.+]] = linalg.transpose
//       VEC:   %[[CORR:.+]] = linalg.generic {{.*}} outs(%{{.+}} : tensor<3x3x16xi32>)
//       VEC:   scf.for
//       VEC:     scf.for
//       VEC:       scf.for
//       VEC:         scf.for
//       VEC:           scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>)
//       VEC:             scf.for
//       VEC:               scf.for
//       VEC:                 vector.transfer_read %[[PACKED]]
//       VEC:                 tensor.extract %[[PADDED]]
//       VEC:                 math.ctpop %{{.+}} : vector<16xi32>
//       VEC:           %[[DOT:.+]] = arith.subi %{{.+}}, %{{.+}} : vector<16xi32>
//       VEC:           %[[C:.+]] = vector.transfer_read %[[CORR]]
//       VEC:           arith.subi %[[DOT]], %[[C]] : vector<16xi32>
func.func @bconv2d_zero_pad(%x: tensor<1x5x5x1xi32>, %w: tensor<8x3x3x1xi32>) -> tensor<1x3x3x8xi32> {
  %y = qnt.bconv2d %x, %w {channels = 20, stride = array<i64: 2, 2>, pad = array<i64: 1, 1, 1, 1>, pad_value = #qnt.pad_value<zero>} : (tensor<1x5x5x1xi32>, tensor<8x3x3x1xi32>) -> tensor<1x3x3x8xi32>
  return %y : tensor<1x3x3x8xi32>
}

// -----

/// pad_value = plus_one is native: no correction.
// CHECK-LABEL: func.func @bconv2d_plus_one
//       CHECK:   tensor.pad
//       CHECK:   linalg.generic
//   CHECK-NOT:   linalg.generic
//       CHECK:   return
func.func @bconv2d_plus_one(%x: tensor<1x5x5x1xi32>, %w: tensor<8x3x3x1xi32>) -> tensor<1x5x5x8xi32> {
  %y = qnt.bconv2d %x, %w {channels = 20, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x5x5x1xi32>, tensor<8x3x3x1xi32>) -> tensor<1x5x5x8xi32>
  return %y : tensor<1x5x5x8xi32>
}

// -----

/// Max over +-1 is the AND of the window's words; padding is all ones (-1).
// CHECK-LABEL: func.func @bmaxpool
//       CHECK:   %[[ONES:.+]] = arith.constant -1 : i32
//       CHECK:   %[[PADDED:.+]] = tensor.pad %{{.+}} low[0, 1, 1, 0] high[0, 0, 0, 0]
//       CHECK:     tensor.yield %[[ONES]]
//       CHECK:   %[[WINDOW:.+]] = tensor.empty() : tensor<3x3xi32>
//       CHECK:   %[[INIT:.+]] = linalg.fill ins(%[[ONES]] : i32)
//       CHECK:   linalg.generic {{.*}} ins(%[[PADDED]], %[[WINDOW]] : tensor<1x5x5x2xi32>, tensor<3x3xi32>) outs(%[[INIT]] : tensor<1x2x2x2xi32>)
//       CHECK:     arith.andi
func.func @bmaxpool(%x: tensor<1x4x4x2xi32>) -> tensor<1x2x2x2xi32> {
  %y = qnt.bmaxpool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 1, 0, 1, 0>} : tensor<1x4x4x2xi32> -> tensor<1x2x2x2xi32>
  return %y : tensor<1x2x2x2xi32>
}

// -----

func.func @negative_bmatmul_dynamic(%a: tensor<?x2xi32>, %w: tensor<10x2xi32>) -> tensor<?x10xi32> {
  // expected-error @+1 {{'qnt.bmatmul' op with dynamic shapes is not supported by qnt-lower-to-cpu}}
  %y = qnt.bmatmul %a, %w {k = 40} : (tensor<?x2xi32>, tensor<10x2xi32>) -> tensor<?x10xi32>
  return %y : tensor<?x10xi32>
}

// -----

/// Constant weights are packed into lanes at compile time: channel c's word
/// w sits at [c / L, w, c % L] (padding channels 0), no run-time transpose.
// VEC-LABEL: func.func @bmatmul_constant_rhs
//       VEC:   %[[PACKED:.+]] = arith.constant dense<{{\[\[\[}}1, 3, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [2, 4, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]]> : tensor<1x2x16xi32>
//   VEC-NOT:   linalg.transpose
//       VEC:   vector.transfer_read %[[PACKED]]{{.*}} : tensor<1x2x16xi32>, vector<16xi32>
// AVX2-LABEL: func.func @bmatmul_constant_rhs
//      AVX2:   arith.constant dense<{{\[\[\[}}1, 3, 5, 0, 0, 0, 0, 0], [2, 4, 6, 0, 0, 0, 0, 0]]]> : tensor<1x2x8xi32>
//  AVX2-NOT:   linalg.transpose
func.func @bmatmul_constant_rhs(%a: tensor<4x2xi32>) -> tensor<4x3xi32> {
  %w = arith.constant dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi32>
  %y = qnt.bmatmul %a, %w {k = 40} : (tensor<4x2xi32>, tensor<3x2xi32>) -> tensor<4x3xi32>
  return %y : tensor<4x3xi32>
}
