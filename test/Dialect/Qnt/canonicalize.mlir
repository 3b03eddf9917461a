// RUN: quant-opt %s -canonicalize -split-input-file | FileCheck %s

// Constant folding of the qnt ops, with values computed by hand from the op
// descriptions (and checked with a small Python model of the formulas):
//   quantize:   q = clamp(round(x / s) + z, storage_min, storage_max)
//   requantize: y = ((v - izp) * m + r) >> shift, r = 1 << (shift - 1)
//               (+/- 1 << 30 for double_round when shift > 31), + ozp, clamp
//   binarize:   bit = x < 0, element k at word k / 32, bit k % 32.
// And what canonicalization must leave alone: quantize/dequantize and
// binarize/unpack pairs on non-constants, and qnt.observe. The one fold of a
// non-constant: binarize of a symmetric dequantize (or of its max pool) reads
// the integers.

//===----------------------------------------------------------------------===//
// qnt.quantize
//===----------------------------------------------------------------------===//

/// x / 0.5 = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0, 2]: ties go to the even
/// neighbour, [0, 2, 2, -0, -2, -2, 0, 2].
// CHECK-LABEL: func.func @quantize_half_even_ties
//       CHECK:   %[[Q:.+]] = qnt.constant dense<[0, 2, 2, 0, -2, -2, 0, 2]> : tensor<8xi8> -> tensor<8x!quant.uniform<i8:f32, 5.000000e-01>>
//   CHECK-NOT:   qnt.quantize
//       CHECK:   return %[[Q]]
func.func @quantize_half_even_ties() -> tensor<8x!quant.uniform<i8:f32, 5.000000e-01>> {
  %c = arith.constant dense<[0.25, 0.75, 1.25, -0.25, -0.75, -1.25, 0.0, 1.0]> : tensor<8xf32>
  %q = qnt.quantize %c : tensor<8xf32> -> tensor<8x!quant.uniform<i8:f32, 5.000000e-01>>
  return %q : tensor<8x!quant.uniform<i8:f32, 5.000000e-01>>
}

// -----

/// The same ties rounded away from zero (TFLite): [1, 2, 3, -1, -2, -3, 0, 2].
// CHECK-LABEL: func.func @quantize_half_away_ties
//       CHECK:   %[[Q:.+]] = qnt.constant dense<[1, 2, 3, -1, -2, -3, 0, 2]> : tensor<8xi8> -> tensor<8x!quant.uniform<i8:f32, 5.000000e-01>>
//   CHECK-NOT:   qnt.quantize
//       CHECK:   return %[[Q]]
func.func @quantize_half_away_ties() -> tensor<8x!quant.uniform<i8:f32, 5.000000e-01>> {
  %c = arith.constant dense<[0.25, 0.75, 1.25, -0.25, -0.75, -1.25, 0.0, 1.0]> : tensor<8xf32>
  %q = qnt.quantize %c {rounding = #qnt.rounding<half_away>} : tensor<8xf32> -> tensor<8x!quant.uniform<i8:f32, 5.000000e-01>>
  return %q : tensor<8x!quant.uniform<i8:f32, 5.000000e-01>>
}

// -----

/// The zero point is added after rounding: round(x / 0.5) + 3.
// CHECK-LABEL: func.func @quantize_zero_point
//       CHECK:   %[[Q:.+]] = qnt.constant dense<[3, 5, 5, 3, 1, 1, 5]> : tensor<7xi8> -> tensor<7x!quant.uniform<i8:f32, 5.000000e-01:3>>
//       CHECK:   return %[[Q]]
func.func @quantize_zero_point() -> tensor<7x!quant.uniform<i8:f32, 5.000000e-01:3>> {
  %c = arith.constant dense<[0.25, 0.75, 1.25, -0.25, -0.75, -1.25, 1.0]> : tensor<7xf32>
  %q = qnt.quantize %c : tensor<7xf32> -> tensor<7x!quant.uniform<i8:f32, 5.000000e-01:3>>
  return %q : tensor<7x!quant.uniform<i8:f32, 5.000000e-01:3>>
}

// -----

/// Saturation to [-128, 127], after rounding: 127.5 rounds to 128 (even) and
/// saturates; -128.5 rounds to -128; +-inf saturate.
// CHECK-LABEL: func.func @quantize_saturates
//       CHECK:   %[[Q:.+]] = qnt.constant dense<[127, -128, 127, -128, 126, 127, -128, 127]> : tensor<8xi8> -> tensor<8x!quant.uniform<i8:f32, 1.000000e+00>>
//       CHECK:   return %[[Q]]
func.func @quantize_saturates() -> tensor<8x!quant.uniform<i8:f32, 1.000000e+00>> {
  %c = arith.constant dense<[200.0, -200.0, 127.5, -128.5, 126.5, 1.0e30, 0xFF800000, 0x7F800000]> : tensor<8xf32>
  %q = qnt.quantize %c : tensor<8xf32> -> tensor<8x!quant.uniform<i8:f32, 1.000000e+00>>
  return %q : tensor<8x!quant.uniform<i8:f32, 1.000000e+00>>
}

// -----

/// i4 with zero point -1, range [-8, 7]: x / 0.25 = [8, -8, NaN, 0.5, -0.5]
/// gives [7, -9 -> -8, zp = -1, 0 - 1, -0 - 1]. NaN quantizes to the zero point.
// CHECK-LABEL: func.func @quantize_i4_nan
//       CHECK:   %[[EVEN:.+]] = qnt.constant dense<[7, -8, -1, -1, -1]> : tensor<5xi4> -> tensor<5x!quant.uniform<i4:f32, 2.500000e-01:-1>>
//       CHECK:   %[[AWAY:.+]] = qnt.constant dense<[7, -8, -1, 0, -2]> : tensor<5xi4> -> tensor<5x!quant.uniform<i4:f32, 2.500000e-01:-1>>
//       CHECK:   return %[[EVEN]], %[[AWAY]]
func.func @quantize_i4_nan() -> (tensor<5x!quant.uniform<i4:f32, 2.500000e-01:-1>>, tensor<5x!quant.uniform<i4:f32, 2.500000e-01:-1>>) {
  %c = arith.constant dense<[2.0, -2.0, 0x7FC00000, 0.125, -0.125]> : tensor<5xf32>
  %even = qnt.quantize %c : tensor<5xf32> -> tensor<5x!quant.uniform<i4:f32, 2.500000e-01:-1>>
  %away = qnt.quantize %c {rounding = #qnt.rounding<half_away>} : tensor<5xf32> -> tensor<5x!quant.uniform<i4:f32, 2.500000e-01:-1>>
  return %even, %away : tensor<5x!quant.uniform<i4:f32, 2.500000e-01:-1>>, tensor<5x!quant.uniform<i4:f32, 2.500000e-01:-1>>
}

// -----

/// A narrowed (symmetric) range saturates at -127, not -128; -126.5 ties
/// to the even -126.
// CHECK-LABEL: func.func @quantize_narrow_range
//       CHECK:   %[[Q:.+]] = qnt.constant dense<[-127, -127, 127, -126]> : tensor<4xi8> -> tensor<4x!quant.uniform<i8<-127:127>:f32, 1.000000e+00>>
//       CHECK:   return %[[Q]]
func.func @quantize_narrow_range() -> tensor<4x!quant.uniform<i8<-127:127>:f32, 1.000000e+00>> {
  %c = arith.constant dense<[-128.0, -127.4, 127.6, -126.5]> : tensor<4xf32>
  %q = qnt.quantize %c : tensor<4xf32> -> tensor<4x!quant.uniform<i8<-127:127>:f32, 1.000000e+00>>
  return %q : tensor<4x!quant.uniform<i8<-127:127>:f32, 1.000000e+00>>
}

// -----

/// u8 with zero point 128: x / 0.5 + 128 = [0, -1 -> 0, 255, 256 -> 255,
/// 128 (0.5 ties to 0)]. Storage is signless i8, so 255 prints as -1 and 128
/// as -128.
// CHECK-LABEL: func.func @quantize_unsigned
//       CHECK:   %[[Q:.+]] = qnt.constant dense<[0, 0, -1, -1, -128]> : tensor<5xi8> -> tensor<5x!quant.uniform<u8:f32, 5.000000e-01:128>>
//       CHECK:   return %[[Q]]
func.func @quantize_unsigned() -> tensor<5x!quant.uniform<u8:f32, 5.000000e-01:128>> {
  %c = arith.constant dense<[-64.0, -64.5, 63.5, 64.0, 0.25]> : tensor<5xf32>
  %q = qnt.quantize %c : tensor<5xf32> -> tensor<5x!quant.uniform<u8:f32, 5.000000e-01:128>>
  return %q : tensor<5x!quant.uniform<u8:f32, 5.000000e-01:128>>
}

// -----

/// Per-axis along dimension 1 of 2x3: column scales/zero points (2, 1),
/// (0.5, -2), (1, 0). Row 0 = 1.0: [round(0.5) + 1, 2 - 2, 1];
/// row 1 = [-3.0, 0.25, 2.5]: [round(-1.5) + 1, round(0.5) - 2, round(2.5)].
// CHECK-LABEL: func.func @quantize_per_axis
//       CHECK:   %[[Q:.+]] = qnt.constant dense<{{\[}}[1, 0, 1], [-1, -2, 2]]> : tensor<2x3xi8> -> tensor<2x3x!quant.uniform<i8:f32:1, {2.000000e+00:1,5.000000e-01:-2,1.000000e+00}>>
//       CHECK:   return %[[Q]]
func.func @quantize_per_axis() -> tensor<2x3x!quant.uniform<i8:f32:1, {2.000000e+00:1,5.000000e-01:-2,1.000000e+00}>> {
  %c = arith.constant dense<[[1.0, 1.0, 1.0], [-3.0, 0.25, 2.5]]> : tensor<2x3xf32>
  %q = qnt.quantize %c : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:1, {2.000000e+00:1,5.000000e-01:-2,1.000000e+00}>>
  return %q : tensor<2x3x!quant.uniform<i8:f32:1, {2.000000e+00:1,5.000000e-01:-2,1.000000e+00}>>
}

// -----

/// The quantized axis is the middle one of three: a splat 1.0 becomes 1
/// (scale 1) or 2 (scale 0.5) by the index along dimension 1 only.
// CHECK-LABEL: func.func @quantize_per_axis_middle
//       CHECK:   %[[Q:.+]] = qnt.constant dense<{{\[}}{{\[}}[1, 1], [2, 2]], {{\[}}[1, 1], [2, 2]]]> : tensor<2x2x2xi8>
//       CHECK:   return %[[Q]]
func.func @quantize_per_axis_middle() -> tensor<2x2x2x!quant.uniform<i8:f32:1, {1.000000e+00,5.000000e-01}>> {
  %c = arith.constant dense<1.0> : tensor<2x2x2xf32>
  %q = qnt.quantize %c : tensor<2x2x2xf32> -> tensor<2x2x2x!quant.uniform<i8:f32:1, {1.000000e+00,5.000000e-01}>>
  return %q : tensor<2x2x2x!quant.uniform<i8:f32:1, {1.000000e+00,5.000000e-01}>>
}

// -----

/// Regression: folding into a dynamically shaped result used to loop forever
/// (the folded value cannot take a dynamic type); the op is left alone.
// CHECK-LABEL: func.func @negative_quantize_dynamic_result
//       CHECK:   %[[C:.+]] = arith.constant dense<1.000000e+00> : tensor<2xf32>
//       CHECK:   %[[Q:.+]] = qnt.quantize %[[C]] : tensor<2xf32> -> tensor<?x!quant.uniform
//       CHECK:   return %[[Q]]
func.func @negative_quantize_dynamic_result() -> tensor<?x!quant.uniform<i8:f32, 5.000000e-01>> {
  %c = arith.constant dense<1.0> : tensor<2xf32>
  %q = qnt.quantize %c : tensor<2xf32> -> tensor<?x!quant.uniform<i8:f32, 5.000000e-01>>
  return %q : tensor<?x!quant.uniform<i8:f32, 5.000000e-01>>
}

//===----------------------------------------------------------------------===//
// qnt.dequantize
//===----------------------------------------------------------------------===//

// -----

/// 0.5 * (q - 3) for q = [-3, 0, 7, 127, -128].
// CHECK-LABEL: func.func @dequantize_constant
//       CHECK:   %[[X:.+]] = arith.constant dense<[-3.000000e+00, -1.500000e+00, 2.000000e+00, 6.200000e+01, -6.550000e+01]> : tensor<5xf32>
//   CHECK-NOT:   qnt.
//       CHECK:   return %[[X]]
func.func @dequantize_constant() -> tensor<5xf32> {
  %q = qnt.constant dense<[-3, 0, 7, 127, -128]> : tensor<5xi8> -> tensor<5x!quant.uniform<i8:f32, 5.000000e-01:3>>
  %x = qnt.dequantize %q : tensor<5x!quant.uniform<i8:f32, 5.000000e-01:3>> -> tensor<5xf32>
  return %x : tensor<5xf32>
}

// -----

/// u8 storage read unsigned: -1 is 255 and -128 is 128; 0.5 * (q - 128).
// CHECK-LABEL: func.func @dequantize_unsigned
//       CHECK:   %[[X:.+]] = arith.constant dense<[-6.400000e+01, 6.350000e+01, 0.000000e+00]> : tensor<3xf32>
//       CHECK:   return %[[X]]
func.func @dequantize_unsigned() -> tensor<3xf32> {
  %q = qnt.constant dense<[0, -1, -128]> : tensor<3xi8> -> tensor<3x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %x = qnt.dequantize %q : tensor<3x!quant.uniform<u8:f32, 5.000000e-01:128>> -> tensor<3xf32>
  return %x : tensor<3xf32>
}

// -----

/// Per-axis along dimension 0: row 0 is 2 * (q - 1), row 1 is 0.25 * (q + 4).
// CHECK-LABEL: func.func @dequantize_per_axis
//       CHECK:   %[[X:.+]] = arith.constant dense<{{\[}}[-2.000000e+00, 0.000000e+00, 1.200000e+01], [0.000000e+00, 1.000000e+00, -2.500000e-01]]> : tensor<2x3xf32>
//       CHECK:   return %[[X]]
func.func @dequantize_per_axis() -> tensor<2x3xf32> {
  %q = qnt.constant dense<[[0, 1, 7], [-4, 0, -5]]> : tensor<2x3xi8> -> tensor<2x3x!quant.uniform<i8:f32:0, {2.000000e+00:1,2.500000e-01:-4}>>
  %x = qnt.dequantize %q : tensor<2x3x!quant.uniform<i8:f32:0, {2.000000e+00:1,2.500000e-01:-4}>> -> tensor<2x3xf32>
  return %x : tensor<2x3xf32>
}

// -----

/// Every element is on the 0.5 grid and in range, so the pair folds back to
/// exactly the input constant.
// CHECK-LABEL: func.func @dequantize_quantize_exact
//       CHECK:   %[[X:.+]] = arith.constant dense<[5.000000e-01, -1.000000e+00, 2.500000e+00, 6.350000e+01, -6.400000e+01]> : tensor<5xf32>
//   CHECK-NOT:   qnt.
//       CHECK:   return %[[X]]
func.func @dequantize_quantize_exact() -> tensor<5xf32> {
  %c = arith.constant dense<[0.5, -1.0, 2.5, 63.5, -64.0]> : tensor<5xf32>
  %q = qnt.quantize %c : tensor<5xf32> -> tensor<5x!quant.uniform<i8:f32, 5.000000e-01>>
  %x = qnt.dequantize %q : tensor<5x!quant.uniform<i8:f32, 5.000000e-01>> -> tensor<5xf32>
  return %x : tensor<5xf32>
}

// -----

/// Off-grid and out-of-range values fold to their rounded, saturated
/// values: 0.3 -> 1 -> 0.5, 0.75 -> 2 (tie to even) -> 1.0,
/// 100 -> 127 -> 63.5, -0.25 -> -0 -> 0.0.
// CHECK-LABEL: func.func @dequantize_quantize_rounded
//       CHECK:   %[[X:.+]] = arith.constant dense<[5.000000e-01, 1.000000e+00, 6.350000e+01, 0.000000e+00]> : tensor<4xf32>
//   CHECK-NOT:   qnt.
//       CHECK:   return %[[X]]
func.func @dequantize_quantize_rounded() -> tensor<4xf32> {
  %c = arith.constant dense<[0.3, 0.75, 100.0, -0.25]> : tensor<4xf32>
  %q = qnt.quantize %c : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
  %x = qnt.dequantize %q : tensor<4x!quant.uniform<i8:f32, 5.000000e-01>> -> tensor<4xf32>
  return %x : tensor<4xf32>
}

// -----

/// Canonicalization never erases a pair on a non-constant: the rounding and
/// saturation are real work (unlike quant.qcast/dcast).
// CHECK-LABEL: func.func @negative_quantize_dequantize_pair
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<4xf32>
//       CHECK:   %[[Q:.+]] = qnt.quantize %[[INPUT]]
//       CHECK:   %[[X:.+]] = qnt.dequantize %[[Q]]
//       CHECK:   return %[[X]]
func.func @negative_quantize_dequantize_pair(%input: tensor<4xf32>) -> tensor<4xf32> {
  %q = qnt.quantize %input : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
  %x = qnt.dequantize %q : tensor<4x!quant.uniform<i8:f32, 5.000000e-01>> -> tensor<4xf32>
  return %x : tensor<4xf32>
}

// -----

/// Nor the other order: q -> float -> q is not the identity either in general.
// CHECK-LABEL: func.func @negative_dequantize_quantize_pair
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<4x!quant.uniform
//       CHECK:   %[[X:.+]] = qnt.dequantize %[[INPUT]]
//       CHECK:   %[[Q:.+]] = qnt.quantize %[[X]]
//       CHECK:   return %[[Q]]
func.func @negative_dequantize_quantize_pair(%input: tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>> {
  %x = qnt.dequantize %input : tensor<4x!quant.uniform<i8:f32, 5.000000e-01>> -> tensor<4xf32>
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
  return %q : tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
}

//===----------------------------------------------------------------------===//
// qnt.fake_quant
//===----------------------------------------------------------------------===//

// -----

/// Grid 0.5, i8: [0.3, 0.75, 100, -0.25, -0.75] -> [1, 2, 127, -0, -2] * 0.5;
/// half_away: [1, 2, 127, -1, -2] * 0.5.
// CHECK-LABEL: func.func @fake_quant_constant
//   CHECK-DAG:   %[[EVEN:.+]] = arith.constant dense<[5.000000e-01, 1.000000e+00, 6.350000e+01, 0.000000e+00, -1.000000e+00]> : tensor<5xf32>
//   CHECK-DAG:   %[[AWAY:.+]] = arith.constant dense<[5.000000e-01, 1.000000e+00, 6.350000e+01, -5.000000e-01, -1.000000e+00]> : tensor<5xf32>
//   CHECK-NOT:   qnt.fake_quant
//       CHECK:   return %[[EVEN]], %[[AWAY]]
func.func @fake_quant_constant() -> (tensor<5xf32>, tensor<5xf32>) {
  %c = arith.constant dense<[0.3, 0.75, 100.0, -0.25, -0.75]> : tensor<5xf32>
  %even = qnt.fake_quant %c as !quant.uniform<i8:f32, 5.000000e-01> : tensor<5xf32>
  %away = qnt.fake_quant %c as !quant.uniform<i8:f32, 5.000000e-01> {rounding = #qnt.rounding<half_away>} : tensor<5xf32>
  return %even, %away : tensor<5xf32>, tensor<5xf32>
}

// -----

/// Per-axis i4 along dimension 1: column 0 has scale 1, zp 0 (range
/// [-8, 7]); column 1 has scale 0.25, zp -8 (real range [0, 3.75]), so
/// -10 saturates to 0.0 and 0.3 rounds to 0.25.
// CHECK-LABEL: func.func @fake_quant_per_axis
//       CHECK:   %[[Y:.+]] = arith.constant dense<{{\[}}[7.000000e+00, 3.750000e+00], [-8.000000e+00, 0.000000e+00], [2.000000e+00, 2.500000e-01]]> : tensor<3x2xf32>
//       CHECK:   return %[[Y]]
func.func @fake_quant_per_axis() -> tensor<3x2xf32> {
  %c = arith.constant dense<[[10.0, 10.0], [-10.0, -10.0], [2.5, 0.3]]> : tensor<3x2xf32>
  %y = qnt.fake_quant %c as !quant.uniform<i4:f32:1, {1.000000e+00,2.500000e-01:-8}> : tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func.func @negative_fake_quant_argument
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<4xf32>
//       CHECK:   %[[Y:.+]] = qnt.fake_quant %[[INPUT]]
//       CHECK:   return %[[Y]]
func.func @negative_fake_quant_argument(%input: tensor<4xf32>) -> tensor<4xf32> {
  %y = qnt.fake_quant %input as !quant.uniform<i8:f32, 5.000000e-01> : tensor<4xf32>
  return %y : tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// qnt.requantize
//===----------------------------------------------------------------------===//

// -----

/// multiplier 2^30, shift 31 is x * 0.5 rounded half up (single_round):
/// [-3, -2, -1, 0, 1, 2, 3, 5] -> [-1, -1, 0, 0, 1, 1, 2, 3]; +-1000
/// saturate to the i8 range. double_round only differs for shift > 31.
// CHECK-LABEL: func.func @requantize_half
//   CHECK-DAG:   %[[HALF:.+]] = arith.constant dense<[-1, -1, 0, 0, 1, 1, 2, 3, 127, -128]> : tensor<10xi8>
//   CHECK-NOT:   qnt.requantize
//       CHECK:   return %[[HALF]], %[[HALF]]
func.func @requantize_half() -> (tensor<10xi8>, tensor<10xi8>) {
  %c = arith.constant dense<[-3, -2, -1, 0, 1, 2, 3, 5, 1000, -1000]> : tensor<10xi32>
  %single = qnt.requantize %c {multiplier = array<i32: 1073741824>, shift = array<i32: 31>} : tensor<10xi32> -> tensor<10xi8>
  %double = qnt.requantize %c {multiplier = array<i32: 1073741824>, shift = array<i32: 31>, rounding = #qnt.requant_rounding<double_round>} : tensor<10xi32> -> tensor<10xi8>
  return %single, %double : tensor<10xi8>, tensor<10xi8>
}

// -----

/// multiplier 2^30, shift 33 is x / 8. single_round rounds half up:
/// [-2.5, -1.5, -0.5, -0.375, 0.375, 0.5, 1.5, 2.5, 3.5, 4.5]
///   -> [-2, -1, 0, 0, 0, 1, 2, 3, 4, 5].
/// double_round adds +-2^30 for shift > 31 (gemmlowp): ties go away from
/// zero and +-0.375 reach +-1 / 0: [-3, -2, -1, 0, 1, 1, 2, 3, 4, 5].
// CHECK-LABEL: func.func @requantize_double_round
//   CHECK-DAG:   %[[SINGLE:.+]] = arith.constant dense<[-2, -1, 0, 0, 0, 1, 2, 3, 4, 5]> : tensor<10xi8>
//   CHECK-DAG:   %[[DOUBLE:.+]] = arith.constant dense<[-3, -2, -1, 0, 1, 1, 2, 3, 4, 5]> : tensor<10xi8>
//   CHECK-NOT:   qnt.requantize
//       CHECK:   return %[[SINGLE]], %[[DOUBLE]]
func.func @requantize_double_round() -> (tensor<10xi8>, tensor<10xi8>) {
  %c = arith.constant dense<[-20, -12, -4, -3, 3, 4, 12, 20, 28, 36]> : tensor<10xi32>
  %single = qnt.requantize %c {multiplier = array<i32: 1073741824>, shift = array<i32: 33>} : tensor<10xi32> -> tensor<10xi8>
  %double = qnt.requantize %c {multiplier = array<i32: 1073741824>, shift = array<i32: 33>, rounding = #qnt.requant_rounding<double_round>} : tensor<10xi32> -> tensor<10xi8>
  return %single, %double : tensor<10xi8>, tensor<10xi8>
}

// -----

/// Scale 1518500250 / 2^31 ~ 0.7071, input_zp 7, output_zp -3:
/// (v - 7) * 0.7071 rounded, - 3, for v = [-10, 0, 7, 8, 9, 10, 20, 100]
///   -> [-15, -8, -3, -2, -2, -1, 6, 63]; the clamp [-3, 6] is a fused ReLU6.
// CHECK-LABEL: func.func @requantize_zero_points_clamp
//   CHECK-DAG:   %[[FREE:.+]] = arith.constant dense<[-15, -8, -3, -2, -2, -1, 6, 63]> : tensor<8xi8>
//   CHECK-DAG:   %[[RELU6:.+]] = arith.constant dense<[-3, -3, -3, -2, -2, -1, 6, 6]> : tensor<8xi8>
//       CHECK:   return %[[FREE]], %[[RELU6]]
func.func @requantize_zero_points_clamp() -> (tensor<8xi8>, tensor<8xi8>) {
  %c = arith.constant dense<[-10, 0, 7, 8, 9, 10, 20, 100]> : tensor<8xi32>
  %free = qnt.requantize %c {multiplier = array<i32: 1518500250>, shift = array<i32: 31>, input_zp = 7 : i32, output_zp = -3 : i32} : tensor<8xi32> -> tensor<8xi8>
  %relu6 = qnt.requantize %c {multiplier = array<i32: 1518500250>, shift = array<i32: 31>, input_zp = 7 : i32, output_zp = -3 : i32, clamp_min = -3 : i32, clamp_max = 6 : i32} : tensor<8xi32> -> tensor<8xi8>
  return %free, %relu6 : tensor<8xi8>, tensor<8xi8>
}

// -----

/// Unsigned output with zero point 128, range [0, 255]:
/// v * 0.5 + 128 for v = [-300, -257, -255, -1, 0, 1, 253, 254, 300]
///   -> [-22 -> 0, -0 -> 0, 1, 128, 128, 129, 255, 256 -> 255, 278 -> 255].
// CHECK-LABEL: func.func @requantize_unsigned
//       CHECK:   %[[U8:.+]] = arith.constant dense<[0, 0, 1, 128, 128, 129, 255, 255, 255]> : tensor<9xui8>
//       CHECK:   return %[[U8]]
func.func @requantize_unsigned() -> tensor<9xui8> {
  %c = arith.constant dense<[-300, -257, -255, -1, 0, 1, 253, 254, 300]> : tensor<9xi32>
  %u8 = qnt.requantize %c {multiplier = array<i32: 1073741824>, shift = array<i32: 31>, output_zp = 128 : i32} : tensor<9xi32> -> tensor<9xui8>
  return %u8 : tensor<9xui8>
}

// -----

/// i4 output clamped to [-7, 7] (narrow): v * 0.5 for
/// v = [-100, -15, -14, -13, 13, 14, 15, 100] -> [-7, -7, -7, -6, 7, 7, 7, 7].
// CHECK-LABEL: func.func @requantize_i4_clamp
//       CHECK:   %[[I4:.+]] = arith.constant dense<[-7, -7, -7, -6, 7, 7, 7, 7]> : tensor<8xi4>
//       CHECK:   return %[[I4]]
func.func @requantize_i4_clamp() -> tensor<8xi4> {
  %c = arith.constant dense<[-100, -15, -14, -13, 13, 14, 15, 100]> : tensor<8xi32>
  %i4 = qnt.requantize %c {multiplier = array<i32: 1073741824>, shift = array<i32: 31>, clamp_min = -7 : i32} : tensor<8xi32> -> tensor<8xi4>
  return %i4 : tensor<8xi4>
}

// -----

/// Per-channel along axis 1 of 4x3: channel 0 is x0.5 (shift 31), channel 1
/// is x0.7071 (shift 31), channel 2 is x0.125 (shift 33, where double_round
/// differs): column 2 = [4, -4, 12, -12] / 8 = [0.5, -0.5, 1.5, -1.5]
/// -> single [1, 0, 2, -1], double [1, -1, 2, -2].
// CHECK-LABEL: func.func @requantize_per_channel
//   CHECK-DAG:   %[[SINGLE:.+]] = arith.constant dense<{{\[}}[-3, 71, 1], [4, -71, 0], [1, 127, 2], [0, -128, -1]]> : tensor<4x3xi8>
//   CHECK-DAG:   %[[DOUBLE:.+]] = arith.constant dense<{{\[}}[-3, 71, 1], [4, -71, -1], [1, 127, 2], [0, -128, -2]]> : tensor<4x3xi8>
//   CHECK-NOT:   qnt.requantize
//       CHECK:   return %[[SINGLE]], %[[DOUBLE]]
func.func @requantize_per_channel() -> (tensor<4x3xi8>, tensor<4x3xi8>) {
  %c = arith.constant dense<[[-7, 100, 4], [7, -100, -4], [1, 1000, 12], [-1, -1000, -12]]> : tensor<4x3xi32>
  %single = qnt.requantize %c {multiplier = array<i32: 1073741824, 1518500250, 1073741824>, shift = array<i32: 31, 31, 33>, axis = 1} : tensor<4x3xi32> -> tensor<4x3xi8>
  %double = qnt.requantize %c {multiplier = array<i32: 1073741824, 1518500250, 1073741824>, shift = array<i32: 31, 31, 33>, axis = 1, rounding = #qnt.requant_rounding<double_round>} : tensor<4x3xi32> -> tensor<4x3xi8>
  return %single, %double : tensor<4x3xi8>, tensor<4x3xi8>
}

// -----

/// Per-channel along axis 0: row 0 is x0.125 (shift 33), row 1 x0.25
/// (shift 32): [[0.5, -0.5, 0.375], [0.5, -0.5, 1.5]].
// CHECK-LABEL: func.func @requantize_per_channel_axis0
//   CHECK-DAG:   %[[SINGLE:.+]] = arith.constant dense<{{\[}}[1, 0, 0], [1, 0, 2]]> : tensor<2x3xi8>
//   CHECK-DAG:   %[[DOUBLE:.+]] = arith.constant dense<{{\[}}[1, -1, 1], [1, -1, 2]]> : tensor<2x3xi8>
//       CHECK:   return %[[SINGLE]], %[[DOUBLE]]
func.func @requantize_per_channel_axis0() -> (tensor<2x3xi8>, tensor<2x3xi8>) {
  %c = arith.constant dense<[[4, -4, 3], [2, -2, 6]]> : tensor<2x3xi32>
  %single = qnt.requantize %c {multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: 33, 32>, axis = 0} : tensor<2x3xi32> -> tensor<2x3xi8>
  %double = qnt.requantize %c {multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: 33, 32>, axis = 0, rounding = #qnt.requant_rounding<double_round>} : tensor<2x3xi32> -> tensor<2x3xi8>
  return %single, %double : tensor<2x3xi8>, tensor<2x3xi8>
}

// -----

/// Regression: a constant input with a dynamically shaped result used to
/// fold to an invalid `dense<...> : tensor<?xi8>`; it is left alone.
// CHECK-LABEL: func.func @negative_requantize_dynamic_result
//       CHECK:   %[[C:.+]] = arith.constant dense<1> : tensor<2xi32>
//       CHECK:   %[[R:.+]] = qnt.requantize %[[C]] {{.*}} : tensor<2xi32> -> tensor<?xi8>
//       CHECK:   return %[[R]]
func.func @negative_requantize_dynamic_result() -> tensor<?xi8> {
  %c = arith.constant dense<1> : tensor<2xi32>
  %r = qnt.requantize %c {multiplier = array<i32: 1073741824>, shift = array<i32: 31>} : tensor<2xi32> -> tensor<?xi8>
  return %r : tensor<?xi8>
}

//===----------------------------------------------------------------------===//
// qnt.binarize / qnt.unpack
//===----------------------------------------------------------------------===//

// -----

/// K = 35 spans two words; the tail (bits 3..31 of word 1) stays 0.
/// Row 0: negative at k = 0, 3 (-2.5), 6 (-1e-30), 31, 32, 34; 0.0 (k = 1),
/// -0.0 (k = 2) and NaN (k = 5) are +1. Word 0 = bits {0, 3, 6, 31}
/// = 0x80000049 = -2147483575 as i32; word 1 = bits {0, 2} = 5.
/// Row 1 is zeros and -0.0: all +1. Row 2 is all -1: 0xFFFFFFFF, 0b111.
// CHECK-LABEL: func.func @binarize_k35
//       CHECK:   %[[P:.+]] = arith.constant dense<{{\[}}[-2147483575, 5], [0, 0], [-1, 7]]> : tensor<3x2xi32>
//   CHECK-NOT:   qnt.binarize
//       CHECK:   return %[[P]]
func.func @binarize_k35() -> tensor<3x2xi32> {
  %c = arith.constant dense<[[-1.0, 0.0, -0.0, -2.5, 1.0, 0x7FC00000, -1.0e-30, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, -1.0, -1.0, 1.0, -1.0],
                             [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                             [-1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0]]> : tensor<3x35xf32>
  %p = qnt.binarize %c : tensor<3x35xf32> -> tensor<3x2xi32>
  return %p : tensor<3x2xi32>
}

// -----

/// K = 70 spans three words: k = 1 -> word 0 bit 1 (2), k = 33 -> word 1
/// bit 1 (2), k = 64 and 69 -> word 2 bits 0 and 5 (33).
// CHECK-LABEL: func.func @binarize_k70
//       CHECK:   %[[P:.+]] = arith.constant dense<{{\[}}[2, 2, 33]]> : tensor<1x3xi32>
//       CHECK:   return %[[P]]
func.func @binarize_k70() -> tensor<1x3xi32> {
  %c = arith.constant dense<[[1.0, -1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, -1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, -1.0, 1.0, 1.0, 1.0, 1.0, -1.0]]> : tensor<1x70xf32>
  %p = qnt.binarize %c : tensor<1x70xf32> -> tensor<1x3xi32>
  return %p : tensor<1x3xi32>
}

// -----

/// Integer inputs: signless i8 is signed (-1 and -128 give bit 1, 0 is +1);
/// ui8 255 is positive. Bits {0, 3} = 9, and 0.
// CHECK-LABEL: func.func @binarize_integers
//   CHECK-DAG:   %[[SIGNED:.+]] = arith.constant dense<9> : tensor<1xi32>
//   CHECK-DAG:   %[[UNSIGNED:.+]] = arith.constant dense<0> : tensor<1xi32>
//       CHECK:   return %[[SIGNED]], %[[UNSIGNED]]
func.func @binarize_integers() -> (tensor<1xi32>, tensor<1xi32>) {
  %s = arith.constant dense<[-1, 0, 1, -128]> : tensor<4xi8>
  %u = arith.constant dense<[255, 0, 1, 128]> : tensor<4xui8>
  %ps = qnt.binarize %s : tensor<4xi8> -> tensor<1xi32>
  %pu = qnt.binarize %u : tensor<4xui8> -> tensor<1xi32>
  return %ps, %pu : tensor<1xi32>, tensor<1xi32>
}

// -----

/// Regression: K = 0 used to divide by zero in the folder.
// CHECK-LABEL: func.func @binarize_empty_depth
//       CHECK:   %[[P:.+]] = arith.constant dense<> : tensor<2x0xi32>
//       CHECK:   return %[[P]]
func.func @binarize_empty_depth() -> tensor<2x0xi32> {
  %c = arith.constant dense<1.0> : tensor<2x0xf32>
  %p = qnt.binarize %c : tensor<2x0xf32> -> tensor<2x0xi32>
  return %p : tensor<2x0xi32>
}

// -----

/// Word 0 = 5 sets k = 0 and 2; word 1 = 8 sets bit 3, i.e. k = 35, which
/// is past K = 35 and ignored.
// CHECK-LABEL: func.func @unpack_k35
//       CHECK:   %[[X:.+]] = arith.constant dense<[-1, 1, -1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]> : tensor<35xi8>
//   CHECK-NOT:   qnt.unpack
//       CHECK:   return %[[X]]
func.func @unpack_k35() -> tensor<35xi8> {
  %c = arith.constant dense<[5, 8]> : tensor<2xi32>
  %x = qnt.unpack %c : tensor<2xi32> -> tensor<35xi8>
  return %x : tensor<35xi8>
}

// -----

/// Two rows of K = 70: row 0 words [0x80000000, 1, 32] set k = 31, 32, 69;
/// row 1 words [0, -1, 0] set k = 32..63. The 140 elements print as a hex
/// blob, one byte per i8 in row-major order: 01 is +1, FF is -1.
// CHECK-LABEL: func.func @unpack_k70_rows
//       CHECK:   %[[X:.+]] = arith.constant dense<"0x01010101010101010101010101010101010101010101010101010101010101FFFF010101010101010101010101010101010101010101010101010101010101010101010101FF0101010101010101010101010101010101010101010101010101010101010101FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF010101010101"> : tensor<2x70xi8>
//       CHECK:   return %[[X]]
func.func @unpack_k70_rows() -> tensor<2x70xi8> {
  %c = arith.constant dense<[[-2147483648, 1, 32], [0, -1, 0]]> : tensor<2x3xi32>
  %x = qnt.unpack %c : tensor<2x3xi32> -> tensor<2x70xi8>
  return %x : tensor<2x70xi8>
}

// -----

/// All bits set: every element is -1 (a splat), as float.
// CHECK-LABEL: func.func @unpack_splat_float
//       CHECK:   %[[X:.+]] = arith.constant dense<-1.000000e+00> : tensor<2x5xf32>
//       CHECK:   return %[[X]]
func.func @unpack_splat_float() -> tensor<2x5xf32> {
  %c = arith.constant dense<-1> : tensor<2x1xi32>
  %x = qnt.unpack %c : tensor<2x1xi32> -> tensor<2x5xf32>
  return %x : tensor<2x5xf32>
}

// -----

/// Regression: K = 0 used to divide by zero in the folder.
// CHECK-LABEL: func.func @unpack_empty_depth
//       CHECK:   %[[X:.+]] = arith.constant dense<> : tensor<2x0xf32>
//       CHECK:   return %[[X]]
func.func @unpack_empty_depth() -> tensor<2x0xf32> {
  %c = arith.constant dense<1> : tensor<2x0xi32>
  %x = qnt.unpack %c : tensor<2x0xi32> -> tensor<2x0xf32>
  return %x : tensor<2x0xf32>
}

// -----

/// For a constant of only +1 and -1, unpack(binarize(c)) folds to c itself
/// (one constant left, and no qnt op).
// CHECK-LABEL: func.func @unpack_binarize_float
//       CHECK:   %[[C:.+]] = arith.constant dense<{{\[}}[-1.000000e+00, 1.000000e+00, -1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, -1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, -1.000000e+00, -1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, -1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, -1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, -1.000000e+00, -1.000000e+00, 1.000000e+00, 1.000000e+00, -1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, -1.000000e+00], [1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, -1.000000e+00, -1.000000e+00, -1.000000e+00, -1.000000e+00, -1.000000e+00, -1.000000e+00, -1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, -1.000000e+00, -1.000000e+00, -1.000000e+00, -1.000000e+00, -1.000000e+00, 1.000000e+00, 1.000000e+00, -1.000000e+00, 1.000000e+00, -1.000000e+00, 1.000000e+00, -1.000000e+00, -1.000000e+00, 1.000000e+00, 1.000000e+00, -1.000000e+00, -1.000000e+00, -1.000000e+00, -1.000000e+00, -1.000000e+00]]> : tensor<2x35xf32>
//   CHECK-NOT:   arith.constant
//   CHECK-NOT:   qnt.
//       CHECK:   return %[[C]], %[[C]]
func.func @unpack_binarize_float() -> (tensor<2x35xf32>, tensor<2x35xf32>) {
  %c = arith.constant dense<[[-1.0, 1.0, -1.0, 1.0, 1.0, 1.0, -1.0, 1.0, 1.0, 1.0, 1.0, -1.0, -1.0, 1.0, 1.0, 1.0, -1.0, 1.0, 1.0, 1.0, 1.0, -1.0, 1.0, 1.0, 1.0, 1.0, -1.0, -1.0, 1.0, 1.0, -1.0, 1.0, 1.0, 1.0, -1.0], [1.0, 1.0, 1.0, 1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, 1.0, 1.0, 1.0, 1.0, -1.0, -1.0, -1.0, -1.0, -1.0, 1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, -1.0, 1.0, 1.0, -1.0, -1.0, -1.0, -1.0, -1.0]]> : tensor<2x35xf32>
  %p = qnt.binarize %c : tensor<2x35xf32> -> tensor<2x2xi32>
  %x = qnt.unpack %p : tensor<2x2xi32> -> tensor<2x35xf32>
  return %c, %x : tensor<2x35xf32>, tensor<2x35xf32>
}

// -----

/// The same round trip on i8 +-1 values.
// CHECK-LABEL: func.func @unpack_binarize_i8
//       CHECK:   %[[C:.+]] = arith.constant dense<{{\[}}[-1, -1, -1, 1, 1, -1, 1, 1, -1, -1, 1, 1, 1, -1, -1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, 1, 1, -1, -1, 1, 1, -1, -1, -1], [1, -1, -1, 1, -1, 1, 1, 1, -1, 1, -1, -1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, 1, 1, -1, -1, 1, -1, -1, 1, -1, 1, 1, 1, 1]]> : tensor<2x35xi8>
//   CHECK-NOT:   qnt.
//       CHECK:   return %[[C]]
func.func @unpack_binarize_i8() -> tensor<2x35xi8> {
  %c = arith.constant dense<[[-1, -1, -1, 1, 1, -1, 1, 1, -1, -1, 1, 1, 1, -1, -1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, 1, 1, -1, -1, 1, 1, -1, -1, -1], [1, -1, -1, 1, -1, 1, 1, 1, -1, 1, -1, -1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, 1, 1, -1, -1, 1, -1, -1, 1, -1, 1, 1, 1, 1]]> : tensor<2x35xi8>
  %p = qnt.binarize %c : tensor<2x35xi8> -> tensor<2x2xi32>
  %x = qnt.unpack %p : tensor<2x2xi32> -> tensor<2x35xi8>
  return %x : tensor<2x35xi8>
}

// -----

/// Other values fold to their signs, not back to c: [0.0, -0.0, 3.0, -0.5]
/// -> [+1, +1, +1, -1].
// CHECK-LABEL: func.func @unpack_binarize_signs
//       CHECK:   %[[X:.+]] = arith.constant dense<[1.000000e+00, 1.000000e+00, 1.000000e+00, -1.000000e+00]> : tensor<4xf32>
//       CHECK:   return %[[X]]
func.func @unpack_binarize_signs() -> tensor<4xf32> {
  %c = arith.constant dense<[0.0, -0.0, 3.0, -0.5]> : tensor<4xf32>
  %p = qnt.binarize %c : tensor<4xf32> -> tensor<1xi32>
  %x = qnt.unpack %p : tensor<1xi32> -> tensor<4xf32>
  return %x : tensor<4xf32>
}

// -----

/// On a non-constant, unpack(binarize(x)) is sign(x), not x: both ops stay.
// CHECK-LABEL: func.func @negative_binarize_unpack_pair
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<2x35xf32>
//       CHECK:   %[[P:.+]] = qnt.binarize %[[INPUT]]
//       CHECK:   %[[X:.+]] = qnt.unpack %[[P]]
//       CHECK:   return %[[X]]
func.func @negative_binarize_unpack_pair(%input: tensor<2x35xf32>) -> tensor<2x35xf32> {
  %p = qnt.binarize %input : tensor<2x35xf32> -> tensor<2x2xi32>
  %x = qnt.unpack %p : tensor<2x2xi32> -> tensor<2x35xf32>
  return %x : tensor<2x35xf32>
}

// -----

/// binarize(unpack(p)) would equal p only if p's tail bits are 0: both stay.
// CHECK-LABEL: func.func @negative_unpack_binarize_pair
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<2x2xi32>
//       CHECK:   %[[X:.+]] = qnt.unpack %[[INPUT]]
//       CHECK:   %[[P:.+]] = qnt.binarize %[[X]]
//       CHECK:   return %[[P]]
func.func @negative_unpack_binarize_pair(%input: tensor<2x2xi32>) -> tensor<2x2xi32> {
  %x = qnt.unpack %input : tensor<2x2xi32> -> tensor<2x35xf32>
  %p = qnt.binarize %x : tensor<2x35xf32> -> tensor<2x2xi32>
  return %p : tensor<2x2xi32>
}

// -----

/// The sign of a symmetric dequantized tensor is the sign of its integers
/// (s * q < 0 exactly when q < 0): binarize reads the storage, per tensor and
/// per channel, and the dequantize goes.
// CHECK-LABEL: func.func @binarize_symmetric_dequantize
//  CHECK-SAME:   %[[STORAGE:[a-zA-Z0-9_]+]]: tensor<2x35xi8>
//   CHECK-NOT:   qnt.dequantize
//       CHECK:   %[[P:.+]] = qnt.binarize %[[STORAGE]] : tensor<2x35xi8> -> tensor<2x2xi32>
//       CHECK:   %[[PAXIS:.+]] = qnt.binarize %[[STORAGE]] : tensor<2x35xi8> -> tensor<2x2xi32>
//       CHECK:   return %[[P]], %[[PAXIS]]
func.func @binarize_symmetric_dequantize(%storage: tensor<2x35xi8>) -> (tensor<2x2xi32>, tensor<2x2xi32>) {
  %q = quant.scast %storage : tensor<2x35xi8> to tensor<2x35x!quant.uniform<i8:f32, 0.25>>
  %x = qnt.dequantize %q : tensor<2x35x!quant.uniform<i8:f32, 0.25>> -> tensor<2x35xf32>
  %p = qnt.binarize %x : tensor<2x35xf32> -> tensor<2x2xi32>
  %qa = quant.scast %storage : tensor<2x35xi8> to tensor<2x35x!quant.uniform<i8:f32:0, {0.5, 0.125}>>
  %xa = qnt.dequantize %qa : tensor<2x35x!quant.uniform<i8:f32:0, {0.5, 0.125}>> -> tensor<2x35xf32>
  %pa = qnt.binarize %xa : tensor<2x35xf32> -> tensor<2x2xi32>
  return %p, %pa : tensor<2x2xi32>, tensor<2x2xi32>
}

// -----

/// A zero point other than 0 moves the sign: x < 0 is q < 3 there, not
/// q < 0, so binarize keeps reading the floats.
// CHECK-LABEL: func.func @negative_binarize_asymmetric_dequantize
//       CHECK:   %[[X:.+]] = qnt.dequantize
//       CHECK:   %[[P:.+]] = qnt.binarize %[[X]] : tensor<2x35xf32>
//       CHECK:   return %[[P]]
func.func @negative_binarize_asymmetric_dequantize(%storage: tensor<2x35xi8>) -> tensor<2x2xi32> {
  %q = quant.scast %storage : tensor<2x35xi8> to tensor<2x35x!quant.uniform<i8:f32, 0.25:3>>
  %x = qnt.dequantize %q : tensor<2x35x!quant.uniform<i8:f32, 0.25:3>> -> tensor<2x35xf32>
  %p = qnt.binarize %x : tensor<2x35xf32> -> tensor<2x2xi32>
  return %p : tensor<2x2xi32>
}

// -----

/// Through a max pool: the maximum commutes with a positive scale per channel
/// (the last axis), so the pool runs on the i32 accumulator and binarize
/// reads it; the dequantize and the float pool go.
// CHECK-LABEL: func.func @binarize_pooled_accumulator
//  CHECK-SAME:   %[[ACC:[a-zA-Z0-9_]+]]: tensor<1x4x4x3xi32>
//       CHECK:   %[[POOL:.+]] = tosa.max_pool2d %[[ACC]] {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xi32>) -> tensor<1x2x2x3xi32>
//  CHECK-NEXT:   %[[P:.+]] = qnt.binarize %[[POOL]] : tensor<1x2x2x3xi32> -> tensor<1x2x2x1xi32>
//  CHECK-NEXT:   return %[[P]]
func.func @binarize_pooled_accumulator(%acc: tensor<1x4x4x3xi32>) -> tensor<1x2x2x1xi32> {
  %q = quant.scast %acc : tensor<1x4x4x3xi32> to tensor<1x4x4x3x!quant.uniform<i32:f32:3, {1.0e-4, 2.0e-4, 3.0e-4}>>
  %x = qnt.dequantize %q : tensor<1x4x4x3x!quant.uniform<i32:f32:3, {1.0e-4, 2.0e-4, 3.0e-4}>> -> tensor<1x4x4x3xf32>
  %m = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32>
  %p = qnt.binarize %m : tensor<1x2x2x3xf32> -> tensor<1x2x2x1xi32>
  return %p : tensor<1x2x2x1xi32>
}

// -----

/// Scales along a pooled axis (W) would compare values of different scales:
/// the float pool stays. So does a pool whose float result is used again.
// CHECK-LABEL: func.func @negative_binarize_pooled_axis
//       CHECK:   qnt.dequantize
//       CHECK:   tosa.max_pool2d {{.*}} -> tensor<1x2x2x3xf32>
//       CHECK:   qnt.binarize {{.*}} : tensor<1x2x2x3xf32>
//       CHECK:   qnt.dequantize
//       CHECK:   %[[M:.+]] = tosa.max_pool2d {{.*}} -> tensor<1x2x2x3xf32>
//       CHECK:   qnt.binarize %[[M]] : tensor<1x2x2x3xf32>
func.func @negative_binarize_pooled_axis(%acc: tensor<1x4x4x3xi32>) -> (tensor<1x2x2x1xi32>, tensor<1x2x2x1xi32>, tensor<1x2x2x3xf32>) {
  %q = quant.scast %acc : tensor<1x4x4x3xi32> to tensor<1x4x4x3x!quant.uniform<i32:f32:2, {1.0e-4, 2.0e-4, 3.0e-4, 4.0e-4}>>
  %x = qnt.dequantize %q : tensor<1x4x4x3x!quant.uniform<i32:f32:2, {1.0e-4, 2.0e-4, 3.0e-4, 4.0e-4}>> -> tensor<1x4x4x3xf32>
  %m = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32>
  %p = qnt.binarize %m : tensor<1x2x2x3xf32> -> tensor<1x2x2x1xi32>
  %q2 = quant.scast %acc : tensor<1x4x4x3xi32> to tensor<1x4x4x3x!quant.uniform<i32:f32, 1.0e-4>>
  %x2 = qnt.dequantize %q2 : tensor<1x4x4x3x!quant.uniform<i32:f32, 1.0e-4>> -> tensor<1x4x4x3xf32>
  %m2 = tosa.max_pool2d %x2 {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32>
  %p2 = qnt.binarize %m2 : tensor<1x2x2x3xf32> -> tensor<1x2x2x1xi32>
  return %p, %p2, %m2 : tensor<1x2x2x1xi32>, tensor<1x2x2x1xi32>, tensor<1x2x2x3xf32>
}

//===----------------------------------------------------------------------===//
// qnt.observe
//===----------------------------------------------------------------------===//

// -----

/// The probe writes calibration state: it survives with its result unused,
/// even on a constant input.
// CHECK-LABEL: func.func @negative_observe_unused
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<4xf32>
//       CHECK:   %[[C:.+]] = arith.constant dense<1.000000e+00> : tensor<4xf32>
//       CHECK:   qnt.observe %[[INPUT]] "act" :
//       CHECK:   qnt.observe %[[C]] "const" {kind = #qnt.observe_kind<histogram>} :
//       CHECK:   return %[[INPUT]]
func.func @negative_observe_unused(%input: tensor<4xf32>) -> tensor<4xf32> {
  %unused = qnt.observe %input "act" : tensor<4xf32>
  %c = arith.constant dense<1.0> : tensor<4xf32>
  %unused_const = qnt.observe %c "const" {kind = #qnt.observe_kind<histogram>} : tensor<4xf32>
  return %input : tensor<4xf32>
}
