// RUN: quant-opt %s --qnt-lower-to-cpu=isa=avx512-vnni --split-input-file | FileCheck %s --check-prefixes=CHECK,VNNI
// RUN: quant-opt %s --qnt-lower-to-cpu=isa=avx2 --split-input-file | FileCheck %s --check-prefixes=CHECK,AVX2
// RUN: quant-opt %s --qnt-lower-to-cpu=isa=generic --split-input-file | FileCheck %s --check-prefixes=CHECK,GENERIC

/// A constant rhs is packed at compile time into panels of NR columns and
/// kG-byte groups (48 x 4 for vpdpbusd, 16 x 2 for vpmaddwd, 8 x 1 portable), its column
/// sums folded into one i32 per output channel; activations are shifted
/// (+128 for vpdpbusd) and zero padded along K at run time; rhs_zp != 0
/// needs the row sums of A.
// CHECK-LABEL: func.func @matmul_signed
//  CHECK-SAME:   %[[LHS:[a-zA-Z0-9_]+]]: tensor<3x7xi8>
//  CHECK-SAME:   %[[BIAS:[a-zA-Z0-9_]+]]: tensor<3xi32>
//   CHECK-NOT:   qnt.matmul
//  VNNI-DAG:   %[[C128:.+]] = arith.constant 128 : i32
//  VNNI-DAG:   arith.constant dense<"0x{{[0-9A-F]+}}"> : tensor<1x2x192xi8>
// AVX2-DAG:   arith.constant dense<"0x{{[0-9A-F]+}}"> : tensor<1x4x32xi8>
// GENERIC-DAG:   arith.constant dense<{{.+}}> : tensor<1x7x8xi8>
/// -za * colsum(v) + K * za * zw, with za = 3 + 128 (VNNI) or 3, zw = -2.
//  VNNI-DAG:   arith.constant dense<[-18078, 12969, -8253]> : tensor<3xi32>
// AVX2-DAG:   arith.constant dense<[-414, 297, -189]> : tensor<3xi32>
//       CHECK:   linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
/// K = 7 pads to whole steps of 4 (vpdpbusd) or 2 (vpmaddwd) bytes.
//  VNNI:   } : tensor<3x7xi8> to tensor<3x8xi8>
// AVX2:   } : tensor<3x7xi16> to tensor<3x8xi16>
// GENERIC-NOT:   tensor.pad
/// 3 rows and 3 columns: only the last (partial) tile of the last panel, one
/// vector per row, stored with a mask (no in_bounds attribute).
//   CHECK-NOT:   scf.for
//       CHECK:   scf.for {{.*}} -> (vector<{{[0-9]+}}xi32>, vector<{{[0-9]+}}xi32>, vector<{{[0-9]+}}xi32>)
//  VNNI-COUNT-3:     func.call @llvm.x86.avx512.vpdpbusd.512({{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// AVX2-COUNT-3:      func.call @llvm.x86.avx2.pmadd.wd({{.*}}) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// GENERIC-COUNT-3:   arith.muli {{.*}} : vector<4xi32>
//       CHECK:   scf.yield
/// The epilogue in registers: column terms + bias, - cw * rowsum[row].
//       CHECK:   vector.transfer_read
//       CHECK:   tensor.extract
//       CHECK:   arith.muli
//       CHECK:   vector.transfer_write {{[^{]*}} : vector<{{[0-9]+}}xi32>, tensor<3x3xi32>
//   CHECK-NOT:   tensor.extract_slice
//       CHECK:   return
func.func @matmul_signed(%lhs: tensor<3x7xi8>, %bias: tensor<3xi32>) -> tensor<3x3xi32> {
  %w = arith.constant dense<[[1, -2, 3, -4, 5, -6, 127], [-128, 0, 1, 2, 3, 4, 5], [7, 7, 7, 7, 7, 7, 7]]> : tensor<3x7xi8>
  %y = qnt.matmul %lhs, %w, %bias {lhs_zp = 3 : i32, rhs_zp = -2 : i32} : (tensor<3x7xi8>, tensor<3x7xi8>, tensor<3xi32>) -> tensor<3x3xi32>
  return %y : tensor<3x3xi32>
}

// -----

/// 19 x 50: full panels (48, 16 or 8 columns) in an scf.for, each with full
/// tiles (8, 6 or 4 rows) in an scf.for and a last tile of the rows left;
/// then the last panel, whose last vector crosses N = 50.
// CHECK-LABEL: func.func @matmul_tiles
//       CHECK:   scf.for {{.*}} -> (tensor<19x50xi32>)
//       CHECK:     scf.for {{.*}} -> (tensor<19x50xi32>)
//       CHECK:       scf.for
//  VNNI-COUNT-24:      func.call @llvm.x86.avx512.vpdpbusd.512
// AVX2-COUNT-12:       func.call @llvm.x86.avx2.pmadd.wd
// GENERIC-COUNT-8:     arith.muli {{.*}} : vector<4xi32>
//       CHECK:       vector.transfer_write {{.*}} {in_bounds = [true]} : vector<{{[0-9]+}}xi32>, tensor<19x50xi32>
//       CHECK:     scf.yield
//       CHECK:     scf.for
//       CHECK:     vector.transfer_write {{.*}} {in_bounds = [true]} : vector<{{[0-9]+}}xi32>, tensor<19x50xi32>
//       CHECK:   scf.yield
//       CHECK:   vector.transfer_write {{[^{]*}} : vector<{{[0-9]+}}xi32>, tensor<19x50xi32>
//       CHECK:   return
func.func @matmul_tiles(%lhs: tensor<19x10xi8>) -> tensor<19x50xi32> {
  %w = arith.constant dense<5> : tensor<50x10xi8>
  %y = qnt.matmul %lhs, %w : (tensor<19x10xi8>, tensor<50x10xi8>) -> tensor<19x50xi32>
  return %y : tensor<19x50xi32>
}

// -----

/// Unsigned activations need no shift and a zero rhs_zp needs no row sums;
/// u8 weights are shifted by -128 into signed bytes (cw = 0 - 128 != 0, so
/// the row sums come back).
// CHECK-LABEL: func.func @matmul_unsigned
//   CHECK-NOT:   arith.constant 128 : i32
//       CHECK:   iterator_types = ["parallel", "reduction"]
//       CHECK:   scf.for
func.func @matmul_unsigned(%lhs: tensor<4x9xui8>) -> tensor<4x2xi32> {
  %ws = arith.constant dense<[[255, 0, 1, 2, 3, 4, 5, 6, 7], [128, 127, 1, 1, 1, 1, 1, 1, 1]]> : tensor<2x9xi8>
  %w = tensor.bitcast %ws : tensor<2x9xi8> to tensor<2x9xui8>
  %y = qnt.matmul %lhs, %w {lhs_zp = 100 : i32} : (tensor<4x9xui8>, tensor<2x9xui8>) -> tensor<4x2xi32>
  return %y : tensor<4x2xi32>
}

// -----

/// Signed byte weights with a zero point of 0 need no row sums.
// CHECK-LABEL: func.func @matmul_no_rowsum
//   CHECK-NOT:   "reduction"
//       CHECK:   scf.for
func.func @matmul_no_rowsum(%lhs: tensor<4x9xi4>) -> tensor<4x2xi32> {
  %w = arith.constant dense<1> : tensor<2x9xi8>
  %y = qnt.matmul %lhs, %w {lhs_zp = -3 : i32} : (tensor<4x9xi4>, tensor<2x9xi8>) -> tensor<4x2xi32>
  return %y : tensor<4x2xi32>
}

// -----

/// 4-bit weights are stored two steps to a byte (K = 9 pads to 16 for
/// vpdpbusd, 12 for vpmaddwd, 10 portable) as unsigned fields w + 8, so the
/// row sums come back; the kernel unpacks the low field with a mask and the
/// high one with a shift.
// CHECK-LABEL: func.func @matmul_int4_packed
//  VNNI-DAG:   arith.constant dense<{{.+}}> : tensor<1x2x192xi8>
// AVX2-DAG:   arith.constant dense<{{.+}}> : tensor<1x3x32xi8>
// GENERIC-DAG:   arith.constant dense<{{.+}}> : tensor<1x5x8xi8>
//       CHECK:   iterator_types = ["parallel", "reduction"]
//       CHECK:   scf.for
//       CHECK:       arith.andi %{{.*}}, %{{.*}} : vector<[[BYTES:[0-9]+]]xi8>
//       CHECK:       arith.shrui %{{.*}}, %{{.*}} : vector<[[BYTES]]xi8>
func.func @matmul_int4_packed(%lhs: tensor<4x9xi8>) -> tensor<4x2xi32> {
  %w = arith.constant dense<[[-8, 7, 1, 2, 3, 4, 5, 6, 7], [0, -1, -2, -3, -4, -5, -6, -7, -8]]> : tensor<2x9xi4>
  %y = qnt.matmul %lhs, %w : (tensor<4x9xi8>, tensor<2x9xi4>) -> tensor<4x2xi32>
  return %y : tensor<4x2xi32>
}

// -----

/// 2-bit weights: four steps to a byte, three shifts and three masks.
// CHECK-LABEL: func.func @matmul_int2_packed
//  VNNI-DAG:   arith.constant dense<{{.+}}> : tensor<1x1x192xi8>
//       CHECK:   scf.for
// CHECK-COUNT-3:     arith.shrui
func.func @matmul_int2_packed(%lhs: tensor<4x9xi8>) -> tensor<4x2xi32> {
  %w = arith.constant dense<[[-2, 1, 0, 1, -1, -2, 1, 0, 1], [0, -1, -2, 1, 1, 1, 1, 0, 0]]> : tensor<2x9xi2>
  %y = qnt.matmul %lhs, %w : (tensor<4x9xi8>, tensor<2x9xi2>) -> tensor<4x2xi32>
  return %y : tensor<4x2xi32>
}

// -----

/// Where weights have a zero point (filter_zp != 0 needs the row sums of
/// A), a convolution is an im2col in vector code (per output pixel and
/// filter tap, one vector of the C channels, shifted or widened, written at
/// column (i * KW + j) * C; K = 27 pads to 28 for vpdpbusd and vpmaddwd),
/// the packed product against [O, KH*KW*C], and an expand_shape back to
/// NHWC. A tap in the padding reads a clamped position and selects
/// input_zp: no padded copy of the input.
// CHECK-LABEL: func.func @conv_im2col
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<1x5x5x3xi8>
//   CHECK-NOT:   tensor.pad
//       CHECK:   scf.for
//       CHECK:     scf.for
//       CHECK:       scf.for
//       CHECK:         %[[TAP:.+]] = vector.transfer_read %[[INPUT]]{{.*}} : tensor<1x5x5x3xi8>, vector<3xi8>
//       CHECK:         %[[ZP:.+]] = arith.constant dense<-5> : vector<3xi8>
//       CHECK:         arith.select %{{.*}}, %[[TAP]], %[[ZP]] : vector<3xi8>
// CHECK-COUNT-8:       vector.transfer_read %[[INPUT]]{{.*}} : tensor<1x5x5x3xi8>, vector<3xi8>
//  VNNI:         vector.transfer_write {{.*}} : vector<1xi8>, tensor<9x28xi8>
// AVX2:         vector.transfer_write {{.*}} : vector<1xi16>, tensor<9x28xi16>
//       CHECK:   tensor.expand_shape {{.*}} into tensor<1x3x3x4xi32>
func.func @conv_im2col(%x: tensor<1x5x5x3xi8>) -> tensor<1x3x3x4xi32> {
  %w = arith.constant dense<2> : tensor<4x3x3x3xi8>
  %y = qnt.conv2d %x, %w {input_zp = -5 : i32, filter_zp = 1 : i32, stride = array<i64: 2, 2>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x5x5x3xi8>, tensor<4x3x3x3xi8>) -> tensor<1x3x3x4xi32>
  return %y : tensor<1x3x3x4xi32>
}

// -----

/// Weights without a zero point take an implicit im2col: the input is
/// shifted once into a padded copy [N, H + pads, W + pads, Cp] (C = 3 rounded
/// up to kG: 4 for vpdpbusd, 3 portable; border and extra channels hold
/// input_zp, shifted), and the kernel reads step s of output pixel
/// (n, y, x) at ((n * Hp + y * sh) * Wp + x * sw) * Cp + offset[s], offsets
/// from a constant table (tap (i, j), channel group c:
/// (i * Wp + j) * Cp + c). No [M, K] matrix is written. For vpmaddwd
/// (kG = 2) a filter row's 3 taps of 3 channels fold into 9 -> 10 channels
/// of a copy 5 columns wide (5 steps per row instead of 6).
// CHECK-LABEL: func.func @conv_implicit
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<1x5x5x3xi8>
//   CHECK-NOT:   tensor.pad
//       CHECK:   scf.for
//       CHECK:     scf.for
//       CHECK:       scf.for
//    VNNI:         %[[PIX:.+]] = vector.transfer_read %[[INPUT]]{{.*}}, %c-5_i8 : tensor<1x5x5x3xi8>, vector<4xi8>
//    VNNI:         %[[PAD:.+]] = arith.constant dense<-5> : vector<4xi8>
//    VNNI:         arith.select %{{.*}}, %[[PIX]], %[[PAD]] : vector<4xi8>
//    VNNI:         vector.transfer_write {{.*}} : vector<4xi8>, tensor<1x7x7x4xi8>
//    AVX2:         vector.transfer_write {{.*}} : vector<3xi16>, tensor<1x7x5x10xi16>
// GENERIC:         vector.transfer_write {{.*}} : vector<3xi32>, tensor<1x7x7x3xi32>
//    VNNI:   tensor.collapse_shape {{.*}} into tensor<196xi8>
//    VNNI:   arith.constant dense<[0, 4, 8, 28, 32, 36, 56, 60, 64]> : tensor<9xindex>
//    AVX2:   arith.constant dense<[0, 2, 4, 6, 8, 50, 52, 54, 56, 58, 100, 102, 104, 106, 108]> : tensor<15xindex>
// GENERIC:   arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 21, 22, 23, 24, 25, 26, 27, 28, 29, 42, 43, 44, 45, 46, 47, 48, 49, 50]> : tensor<27xindex>
//   CHECK-NOT:   tensor<9x28xi
//       CHECK:   tensor.extract %{{.*}} : tensor<{{9|15|27}}xindex>
//       CHECK:   tensor.expand_shape {{.*}} into tensor<1x3x3x4xi32>
func.func @conv_implicit(%x: tensor<1x5x5x3xi8>) -> tensor<1x3x3x4xi32> {
  %w = arith.constant dense<2> : tensor<4x3x3x3xi8>
  %y = qnt.conv2d %x, %w {input_zp = -5 : i32, stride = array<i64: 2, 2>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x5x5x3xi8>, tensor<4x3x3x3xi8>) -> tensor<1x3x3x4xi32>
  return %y : tensor<1x3x3x4xi32>
}

// -----

/// A narrow input (C = 1, 5 x 5 filter) folds each filter row into the
/// channels: column x of the copy holds the padded input's columns x to
/// x + 4 (5 reads of one channel) and input_zp + sa for the channels up to
/// Cp (8 for vpdpbusd: 2 steps per filter row instead of 5; 6 for
/// vpmaddwd), the copy is 10 - 4 = 6 columns wide, and the table walks the
/// 5 filter rows. The portable kernel (kG = 1) gains nothing and keeps the
/// taps apart.
// CHECK-LABEL: func.func @conv_fold_width
//    VNNI-DAG:   %[[ZP:.+]] = arith.constant dense<-125> : vector<3xi8>
// VNNI-COUNT-5:       vector.transfer_read {{.*}} : tensor<1x6x6x1xi8>, vector<1xi8>
// AVX2-COUNT-5:       vector.transfer_read {{.*}} : tensor<1x6x6x1xi8>, vector<1xi8>
//        VNNI:         vector.transfer_write %[[ZP]], {{.*}} : vector<3xi8>, tensor<1x10x6x8xi8>
//        AVX2:         vector.transfer_write {{.*}} : vector<1xi16>, tensor<1x10x6x6xi16>
//        VNNI:   arith.constant dense<[0, 4, 48, 52, 96, 100, 144, 148, 192, 196]> : tensor<10xindex>
//        AVX2:   arith.constant dense<[0, 2, 4, 36, 38, 40, 72, 74, 76, 108, 110, 112, 144, 146, 148]> : tensor<15xindex>
//     GENERIC:   arith.constant dense<[0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 20, {{.*}}]> : tensor<25xindex>
func.func @conv_fold_width(%x: tensor<1x6x6x1xi8>) -> tensor<1x6x6x4xi32> {
  %w = arith.constant dense<2> : tensor<4x5x5x1xi8>
  %y = qnt.conv2d %x, %w {input_zp = 3 : i32, pad = array<i64: 2, 2, 2, 2>} : (tensor<1x6x6x1xi8>, tensor<4x5x5x1xi8>) -> tensor<1x6x6x4xi32>
  return %y : tensor<1x6x6x4xi32>
}

// -----

/// Sub-byte activations take a scalar linalg.generic im2col: vectors of i4
/// would be bit-packed in memory.
// CHECK-LABEL: func.func @conv_im2col_int4
//       CHECK:   linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%{{.*}} : tensor<1x5x5x3xi4>)
//       CHECK:   tensor.collapse_shape {{.*}} into tensor<4x27xi{{8|16|32}}>
//       CHECK:   tensor.expand_shape {{.*}} into tensor<1x2x2x4xi32>
func.func @conv_im2col_int4(%x: tensor<1x5x5x3xi4>) -> tensor<1x2x2x4xi32> {
  %w = arith.constant dense<2> : tensor<4x3x3x3xi8>
  %y = qnt.conv2d %x, %w {stride = array<i64: 2, 2>} : (tensor<1x5x5x3xi4>, tensor<4x3x3x3xi8>) -> tensor<1x2x2x4xi32>
  return %y : tensor<1x2x2x4xi32>
}

// -----

/// Weights computed at run time keep the scalar lowering.
// CHECK-LABEL: func.func @negative_matmul_runtime_rhs
//   CHECK-NOT:   scf.for
//       CHECK:   linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
func.func @negative_matmul_runtime_rhs(%lhs: tensor<4x9xi8>, %rhs: tensor<2x9xi8>) -> tensor<4x2xi32> {
  %y = qnt.matmul %lhs, %rhs : (tensor<4x9xi8>, tensor<2x9xi8>) -> tensor<4x2xi32>
  return %y : tensor<4x2xi32>
}

// -----

/// Grouped convolutions keep the scalar lowering.
// CHECK-LABEL: func.func @negative_conv_groups
//   CHECK-NOT:   scf.for
//       CHECK:   linalg.generic {{.*}}"reduction", "reduction", "reduction"
func.func @negative_conv_groups(%x: tensor<1x3x3x2xi8>) -> tensor<1x3x3x4xi32> {
  %w = arith.constant dense<1> : tensor<4x1x1x1xi8>
  %y = qnt.conv2d %x, %w {groups = 2 : i64} : (tensor<1x3x3x2xi8>, tensor<4x1x1x1xi8>) -> tensor<1x3x3x4xi32>
  return %y : tensor<1x3x3x4xi32>
}

// -----

/// A qnt.requantize that is the only user of the product is fused into the
/// kernel's epilogue where its result vectors are 128 bits or more (16 x i8
/// on AVX-512): per-channel constants as [Np] tables (multipliers i32,
/// shifts and rounding terms i64), the fixed-point arithmetic on i64
/// vectors, i8 stored straight into the [M, N] result. With 8 x i8 (AVX2) or
/// 4 x i8 (portable) it stays a separate element-wise op.
// CHECK-LABEL: func.func @matmul_requantize
//    VNNI-DAG:   %[[MUL:.+]] = arith.constant dense<[1073741824, 1073741825, 1073741826, 1073741827, 1073741828, 1073741824, {{.*}}]> : tensor<48xi32>
//    VNNI-DAG:   %[[SHIFT:.+]] = arith.constant dense<[33, 33, 34, 34, 35, 33, {{.*}}]> : tensor<48xi64>
//   VNNI-NOT:   qnt.requantize
//        VNNI:   tensor.empty() : tensor<3x5xi8>
//        VNNI:   call @llvm.x86.avx512.vpdpbusd.512
//        VNNI:   vector.transfer_read %[[MUL]]{{.*}} : tensor<48xi32>, vector<16xi32>
//        VNNI:   vector.transfer_read %[[SHIFT]]{{.*}} : tensor<48xi64>, vector<16xi64>
//        VNNI:   arith.muli {{.*}} : vector<16xi64>
//        VNNI:   arith.shrsi {{.*}} : vector<16xi64>
//        VNNI:   arith.trunci {{.*}} : vector<16xi64> to vector<16xi8>
//        VNNI:   vector.transfer_write {{.*}} : vector<16xi8>, tensor<3x5xi8>
//   VNNI-NOT:   linalg.generic {{.*}} ins({{.*}} : tensor<3x5xi32>
//        AVX2:   vector.transfer_write {{.*}} : vector<8xi32>, tensor<3x5xi32>
//        AVX2:   linalg.generic {{.*}} ins({{.*}} : tensor<3x5xi32>, tensor<5xi64>
//     GENERIC:   linalg.generic {{.*}} ins({{.*}} : tensor<3x5xi32>, tensor<5xi64>
func.func @matmul_requantize(%a: tensor<3x7xi8>) -> tensor<3x5xi8> {
  %w = arith.constant dense<3> : tensor<5x7xi8>
  %y = qnt.matmul %a, %w : (tensor<3x7xi8>, tensor<5x7xi8>) -> tensor<3x5xi32>
  %r = qnt.requantize %y {axis = 1 : i64, multiplier = array<i32: 1073741824, 1073741825, 1073741826, 1073741827, 1073741828>, shift = array<i32: 33, 33, 34, 34, 35>, clamp_min = 0 : i32} : tensor<3x5xi32> -> tensor<3x5xi8>
  return %r : tensor<3x5xi8>
}

// -----

/// A requantize along another axis than the channels (or of a product with
/// other users) is not fused.
// CHECK-LABEL: func.func @negative_requantize_axis
//       CHECK:   linalg.generic {{.*}} ins({{.*}} : tensor<4x16xi32>, tensor<4xi64>
func.func @negative_requantize_axis(%a: tensor<4x7xi8>) -> tensor<4x16xi8> {
  %w = arith.constant dense<3> : tensor<16x7xi8>
  %y = qnt.matmul %a, %w : (tensor<4x7xi8>, tensor<16x7xi8>) -> tensor<4x16xi32>
  %r = qnt.requantize %y {axis = 0 : i64, multiplier = array<i32: 1073741824, 1073741825, 1073741826, 1073741827>, shift = array<i32: 33, 33, 34, 34>} : tensor<4x16xi32> -> tensor<4x16xi8>
  return %r : tensor<4x16xi8>
}
