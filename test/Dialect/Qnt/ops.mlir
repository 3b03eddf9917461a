// RUN: quant-opt %s | quant-opt | FileCheck %s
// RUN: quant-opt %s --mlir-print-op-generic | quant-opt | FileCheck %s

// Round trip of every qnt op and attribute: custom syntax -> custom syntax,
// and custom -> generic -> custom. Attributes equal to their default are
// elided by the printer, so the CHECK lines pin both explicit non-default
// values and the absence of defaults.

!q8 = !quant.uniform<i8:f32, 5.000000e-01:3>
!q4 = !quant.uniform<i4:f32, 2.500000e-01:-1>
!qu8 = !quant.uniform<u8:f32, 1.000000e-01:128>
!qn8 = !quant.uniform<i8<-127:127>:f32, 1.000000e+00>
!qaxis = !quant.uniform<i8:f32:1, {2.000000e+00:1,5.000000e-01:-2,1.000000e+00}>

/// A per-tensor constant keeps its storage integers and its quantized type.
// CHECK-LABEL: func.func @constant_per_tensor
//       CHECK:   %[[C:.+]] = qnt.constant dense<[-3, 0, 7]> : tensor<3xi8> -> tensor<3x!quant.uniform<i8:f32, 5.000000e-01:3>>
//       CHECK:   return %[[C]]
func.func @constant_per_tensor() -> tensor<3x!q8> {
  %c = qnt.constant dense<[-3, 0, 7]> : tensor<3xi8> -> tensor<3x!q8>
  return %c : tensor<3x!q8>
}

/// Per-axis constant; u8 storage is signless i8, so 200 prints as -56.
// CHECK-LABEL: func.func @constant_per_axis_and_unsigned
//       CHECK:   %[[AXIS:.+]] = qnt.constant dense<{{\[}}[1, -2, 0], [127, -128, 5]]> : tensor<2x3xi8> -> tensor<2x3x!quant.uniform<i8:f32:1, {2.000000e+00:1,5.000000e-01:-2,1.000000e+00}>>
//       CHECK:   %[[U8:.+]] = qnt.constant dense<[-56, 0]> : tensor<2xi8> -> tensor<2x!quant.uniform<u8:f32, 1.000000e-01:128>>
//       CHECK:   return %[[AXIS]], %[[U8]]
func.func @constant_per_axis_and_unsigned() -> (tensor<2x3x!qaxis>, tensor<2x!qu8>) {
  %axis = qnt.constant dense<[[1, -2, 0], [127, -128, 5]]> : tensor<2x3xi8> -> tensor<2x3x!qaxis>
  %u8 = qnt.constant dense<[200, 0]> : tensor<2xi8> -> tensor<2x!qu8>
  return %axis, %u8 : tensor<2x3x!qaxis>, tensor<2x!qu8>
}

/// half_even is the default and is elided; half_away is kept.
// CHECK-LABEL: func.func @quantize
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<4xf32>
//  CHECK-SAME:   %[[MATRIX:[a-zA-Z0-9_]+]]: tensor<2x3xf32>
//       CHECK:   %[[EVEN:.+]] = qnt.quantize %[[INPUT]] : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:3>>
//       CHECK:   %[[EVEN2:.+]] = qnt.quantize %[[INPUT]] : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:3>>
//       CHECK:   %[[AWAY:.+]] = qnt.quantize %[[INPUT]] {rounding = #qnt.rounding<half_away>} : tensor<4xf32> -> tensor<4x!quant.uniform<i4:f32, 2.500000e-01:-1>>
//       CHECK:   %[[UNSIGNED:.+]] = qnt.quantize %[[INPUT]] : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 1.000000e-01:128>>
//       CHECK:   %[[NARROW:.+]] = qnt.quantize %[[INPUT]] : tensor<4xf32> -> tensor<4x!quant.uniform<i8<-127:127>:f32, 1.000000e+00>>
//       CHECK:   %[[AXIS:.+]] = qnt.quantize %[[MATRIX]] {rounding = #qnt.rounding<half_away>} : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:1, {2.000000e+00:1,5.000000e-01:-2,1.000000e+00}>>
//       CHECK:   return %[[EVEN]], %[[EVEN2]], %[[AWAY]], %[[UNSIGNED]], %[[NARROW]], %[[AXIS]]
func.func @quantize(%input: tensor<4xf32>, %matrix: tensor<2x3xf32>)
    -> (tensor<4x!q8>, tensor<4x!q8>, tensor<4x!q4>, tensor<4x!qu8>, tensor<4x!qn8>, tensor<2x3x!qaxis>) {
  %even = qnt.quantize %input : tensor<4xf32> -> tensor<4x!q8>
  %even2 = qnt.quantize %input {rounding = #qnt.rounding<half_even>} : tensor<4xf32> -> tensor<4x!q8>
  %away = qnt.quantize %input {rounding = #qnt.rounding<half_away>} : tensor<4xf32> -> tensor<4x!q4>
  %unsigned = qnt.quantize %input : tensor<4xf32> -> tensor<4x!qu8>
  %narrow = qnt.quantize %input : tensor<4xf32> -> tensor<4x!qn8>
  %axis = qnt.quantize %matrix {rounding = #qnt.rounding<half_away>} : tensor<2x3xf32> -> tensor<2x3x!qaxis>
  return %even, %even2, %away, %unsigned, %narrow, %axis
      : tensor<4x!q8>, tensor<4x!q8>, tensor<4x!q4>, tensor<4x!qu8>, tensor<4x!qn8>, tensor<2x3x!qaxis>
}

/// Dynamic sizes are allowed; the per-axis dimension may be dynamic too.
// CHECK-LABEL: func.func @dequantize
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<?x!quant.uniform<i8:f32, 5.000000e-01:3>>
//  CHECK-SAME:   %[[AXIS_INPUT:[a-zA-Z0-9_]+]]: tensor<2x?x!quant.uniform
//       CHECK:   %[[FLOAT:.+]] = qnt.dequantize %[[INPUT]] : tensor<?x!quant.uniform<i8:f32, 5.000000e-01:3>> -> tensor<?xf32>
//       CHECK:   %[[AXIS:.+]] = qnt.dequantize %[[AXIS_INPUT]] : tensor<2x?x!quant.uniform<i8:f32:1, {2.000000e+00:1,5.000000e-01:-2,1.000000e+00}>> -> tensor<2x?xf32>
//       CHECK:   return %[[FLOAT]], %[[AXIS]]
func.func @dequantize(%input: tensor<?x!q8>, %axis_input: tensor<2x?x!qaxis>) -> (tensor<?xf32>, tensor<2x?xf32>) {
  %float = qnt.dequantize %input : tensor<?x!q8> -> tensor<?xf32>
  %axis = qnt.dequantize %axis_input : tensor<2x?x!qaxis> -> tensor<2x?xf32>
  return %float, %axis : tensor<?xf32>, tensor<2x?xf32>
}

// CHECK-LABEL: func.func @fake_quant
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<8xf32>
//  CHECK-SAME:   %[[MATRIX:[a-zA-Z0-9_]+]]: tensor<4x3xf32>
//       CHECK:   %[[EVEN:.+]] = qnt.fake_quant %[[INPUT]] as !quant.uniform<i4:f32, 2.500000e-01:-1> : tensor<8xf32>
//       CHECK:   %[[AWAY:.+]] = qnt.fake_quant %[[INPUT]] as !quant.uniform<u8:f32, 1.000000e-01:128> {rounding = #qnt.rounding<half_away>} : tensor<8xf32>
//       CHECK:   %[[AXIS:.+]] = qnt.fake_quant %[[MATRIX]] as !quant.uniform<i8:f32:1, {2.000000e+00:1,5.000000e-01:-2,1.000000e+00}> : tensor<4x3xf32>
//       CHECK:   return %[[EVEN]], %[[AWAY]], %[[AXIS]]
func.func @fake_quant(%input: tensor<8xf32>, %matrix: tensor<4x3xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<4x3xf32>) {
  %even = qnt.fake_quant %input as !q4 : tensor<8xf32>
  %away = qnt.fake_quant %input as !qu8 {rounding = #qnt.rounding<half_away>} : tensor<8xf32>
  %axis = qnt.fake_quant %matrix as !qaxis : tensor<4x3xf32>
  return %even, %away, %axis : tensor<8xf32>, tensor<8xf32>, tensor<4x3xf32>
}

/// The default epsilon (1e-5) is elided; an explicit one is kept.
// CHECK-LABEL: func.func @batch_norm
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<1x8x8x16xf32>
//  CHECK-SAME:   %[[GAMMA:[a-zA-Z0-9_]+]]: tensor<16xf32>
//  CHECK-SAME:   %[[BETA:[a-zA-Z0-9_]+]]: tensor<16xf32>
//  CHECK-SAME:   %[[MEAN:[a-zA-Z0-9_]+]]: tensor<16xf32>
//  CHECK-SAME:   %[[VAR:[a-zA-Z0-9_]+]]: tensor<16xf32>
//  CHECK-SAME:   %[[NCHW:[a-zA-Z0-9_]+]]: tensor<?x16x?x?xf16>
//  CHECK-SAME:   %[[HALF:[a-zA-Z0-9_]+]]: tensor<16xf16>
//       CHECK:   %[[NHWC:.+]] = qnt.batch_norm %[[INPUT]], %[[GAMMA]], %[[BETA]], %[[MEAN]], %[[VAR]] {axis = 3 : i64} : tensor<1x8x8x16xf32>, tensor<16xf32>
//       CHECK:   %[[AXIS1:.+]] = qnt.batch_norm %[[NCHW]], %[[HALF]], %[[HALF]], %[[HALF]], %[[HALF]] {axis = 1 : i64, epsilon = 1.000000e-03 : f64} : tensor<?x16x?x?xf16>, tensor<16xf16>
//       CHECK:   return %[[NHWC]], %[[AXIS1]]
func.func @batch_norm(%input: tensor<1x8x8x16xf32>, %gamma: tensor<16xf32>, %beta: tensor<16xf32>,
                      %mean: tensor<16xf32>, %var: tensor<16xf32>,
                      %nchw: tensor<?x16x?x?xf16>, %half: tensor<16xf16>)
    -> (tensor<1x8x8x16xf32>, tensor<?x16x?x?xf16>) {
  %nhwc = qnt.batch_norm %input, %gamma, %beta, %mean, %var {axis = 3, epsilon = 1.0e-05}
      : tensor<1x8x8x16xf32>, tensor<16xf32>
  %axis1 = qnt.batch_norm %nchw, %half, %half, %half, %half {axis = 1, epsilon = 1.0e-03}
      : tensor<?x16x?x?xf16>, tensor<16xf16>
  return %nhwc, %axis1 : tensor<1x8x8x16xf32>, tensor<?x16x?x?xf16>
}

/// minmax and bins = 2048 are the defaults and are elided.
// CHECK-LABEL: func.func @observe
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<1x8x8x16xf32>
//       CHECK:   %[[MINMAX:.+]] = qnt.observe %[[INPUT]] "conv1.input" : tensor<1x8x8x16xf32>
//       CHECK:   %[[HIST:.+]] = qnt.observe %[[MINMAX]] "conv1.output" {bins = 512 : i64, kind = #qnt.observe_kind<histogram>} : tensor<1x8x8x16xf32>
//       CHECK:   return %[[HIST]]
func.func @observe(%input: tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32> {
  %minmax = qnt.observe %input "conv1.input" {kind = #qnt.observe_kind<minmax>} : tensor<1x8x8x16xf32>
  %hist = qnt.observe %minmax "conv1.output" {kind = #qnt.observe_kind<histogram>, bins = 512} : tensor<1x8x8x16xf32>
  return %hist : tensor<1x8x8x16xf32>
}

// CHECK-LABEL: func.func @requantize
//  CHECK-SAME:   %[[ACC:[a-zA-Z0-9_]+]]: tensor<1x8x8x4xi32>
//       CHECK:   %[[PER_TENSOR:.+]] = qnt.requantize %[[ACC]] {multiplier = array<i32: 1518500250>, output_zp = -3 : i32, shift = array<i32: 38>} : tensor<1x8x8x4xi32> -> tensor<1x8x8x4xi8>
//       CHECK:   %[[PER_CHANNEL:.+]] = qnt.requantize %[[ACC]] {axis = 3 : i64, clamp_max = 6 : i32, clamp_min = 0 : i32, input_zp = 5 : i32, multiplier = array<i32: 1073741824, 1518500250, 2147483647, 0>, rounding = #qnt.requant_rounding<double_round>, shift = array<i32: 31, 38, 62, 2>} : tensor<1x8x8x4xi32> -> tensor<1x8x8x4xi8>
//       CHECK:   %[[UNSIGNED:.+]] = qnt.requantize %[[ACC]] {clamp_max = 200 : i32, multiplier = array<i32: 1073741824>, output_zp = 128 : i32, shift = array<i32: 40>} : tensor<1x8x8x4xi32> -> tensor<1x8x8x4xui8>
//       CHECK:   %[[I4:.+]] = qnt.requantize %[[ACC]] {clamp_min = -7 : i32, multiplier = array<i32: 1073741824>, shift = array<i32: 31>} : tensor<1x8x8x4xi32> -> tensor<1x8x8x4xi4>
//       CHECK:   return %[[PER_TENSOR]], %[[PER_CHANNEL]], %[[UNSIGNED]], %[[I4]]
func.func @requantize(%acc: tensor<1x8x8x4xi32>)
    -> (tensor<1x8x8x4xi8>, tensor<1x8x8x4xi8>, tensor<1x8x8x4xui8>, tensor<1x8x8x4xi4>) {
  %per_tensor = qnt.requantize %acc {multiplier = array<i32: 1518500250>, shift = array<i32: 38>,
                                     output_zp = -3 : i32, rounding = #qnt.requant_rounding<single_round>}
      : tensor<1x8x8x4xi32> -> tensor<1x8x8x4xi8>
  %per_channel = qnt.requantize %acc {multiplier = array<i32: 1073741824, 1518500250, 2147483647, 0>,
                                      shift = array<i32: 31, 38, 62, 2>, axis = 3, input_zp = 5 : i32,
                                      clamp_min = 0 : i32, clamp_max = 6 : i32,
                                      rounding = #qnt.requant_rounding<double_round>}
      : tensor<1x8x8x4xi32> -> tensor<1x8x8x4xi8>
  %unsigned = qnt.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i32: 40>,
                                   output_zp = 128 : i32, clamp_max = 200 : i32}
      : tensor<1x8x8x4xi32> -> tensor<1x8x8x4xui8>
  %i4 = qnt.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i32: 31>, clamp_min = -7 : i32}
      : tensor<1x8x8x4xi32> -> tensor<1x8x8x4xi4>
  return %per_tensor, %per_channel, %unsigned, %i4
      : tensor<1x8x8x4xi8>, tensor<1x8x8x4xi8>, tensor<1x8x8x4xui8>, tensor<1x8x8x4xi4>
}

/// The layer config can sit on the op's discardable attributes (and on a
/// function, below). axis = 0 and rounding = half_even are defaults.
// CHECK-LABEL: func.func @conv2d
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<1x8x8x16xi8>
//  CHECK-SAME:   %[[FILTER:[a-zA-Z0-9_]+]]: tensor<32x3x3x16xi8>
//  CHECK-SAME:   %[[BIAS:[a-zA-Z0-9_]+]]: tensor<32xi32>
//  CHECK-SAME:   %[[DW_FILTER:[a-zA-Z0-9_]+]]: tensor<32x3x3x1xi8>
//  CHECK-SAME:   %[[U8_INPUT:[a-zA-Z0-9_]+]]: tensor<1x8x8x16xui8>
//  CHECK-SAME:   %[[I4_FILTER:[a-zA-Z0-9_]+]]: tensor<8x1x1x4xi4>
//       CHECK:   %[[PLAIN:.+]] = qnt.conv2d %[[INPUT]], %[[FILTER]] {qnt.config = #qnt.config<weight_bits = 4, activation_bits = 8, scheme = symmetric, granularity = per_channel>} : (tensor<1x8x8x16xi8>, tensor<32x3x3x16xi8>) -> tensor<1x6x6x32xi32>
//       CHECK:   %[[STRIDED:.+]] = qnt.conv2d %[[INPUT]], %[[FILTER]], %[[BIAS]] {input_zp = -128 : i32, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x8x8x16xi8>, tensor<32x3x3x16xi8>, tensor<32xi32>) -> tensor<1x4x4x32xi32>
//       CHECK:   %[[DEPTHWISE:.+]] = qnt.conv2d %[[INPUT]], %[[DW_FILTER]], %[[BIAS]] {dilation = array<i64: 2, 2>, filter_zp = 1 : i32, groups = 16 : i64, pad = array<i64: 2, 2, 2, 2>} : (tensor<1x8x8x16xi8>, tensor<32x3x3x1xi8>, tensor<32xi32>) -> tensor<1x8x8x32xi32>
//       CHECK:   %[[MIXED:.+]] = qnt.conv2d %[[U8_INPUT]], %[[I4_FILTER]] {filter_zp = -8 : i32, groups = 4 : i64, input_zp = 255 : i32, pad = array<i64: 0, 1, 2, 3>, stride = array<i64: 3, 1>} : (tensor<1x8x8x16xui8>, tensor<8x1x1x4xi4>) -> tensor<1x3x13x8xi32>
//       CHECK:   return %[[PLAIN]], %[[STRIDED]], %[[DEPTHWISE]], %[[MIXED]]
func.func @conv2d(%input: tensor<1x8x8x16xi8>, %filter: tensor<32x3x3x16xi8>, %bias: tensor<32xi32>,
                  %dw_filter: tensor<32x3x3x1xi8>, %u8_input: tensor<1x8x8x16xui8>,
                  %i4_filter: tensor<8x1x1x4xi4>)
    -> (tensor<1x6x6x32xi32>, tensor<1x4x4x32xi32>, tensor<1x8x8x32xi32>, tensor<1x3x13x8xi32>) {
  %plain = qnt.conv2d %input, %filter {
      qnt.config = #qnt.config<weight_bits = 4, activation_bits = 8, scheme = symmetric,
                               granularity = per_channel, axis = 0, rounding = half_even>}
      : (tensor<1x8x8x16xi8>, tensor<32x3x3x16xi8>) -> tensor<1x6x6x32xi32>
  %strided = qnt.conv2d %input, %filter, %bias {input_zp = -128 : i32, stride = array<i64: 2, 2>,
                                                pad = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>}
      : (tensor<1x8x8x16xi8>, tensor<32x3x3x16xi8>, tensor<32xi32>) -> tensor<1x4x4x32xi32>
  %depthwise = qnt.conv2d %input, %dw_filter, %bias {groups = 16, filter_zp = 1 : i32,
                                                     dilation = array<i64: 2, 2>, pad = array<i64: 2, 2, 2, 2>}
      : (tensor<1x8x8x16xi8>, tensor<32x3x3x1xi8>, tensor<32xi32>) -> tensor<1x8x8x32xi32>
  %mixed = qnt.conv2d %u8_input, %i4_filter {groups = 4, input_zp = 255 : i32, filter_zp = -8 : i32,
                                             stride = array<i64: 3, 1>, pad = array<i64: 0, 1, 2, 3>}
      : (tensor<1x8x8x16xui8>, tensor<8x1x1x4xi4>) -> tensor<1x3x13x8xi32>
  return %plain, %strided, %depthwise, %mixed
      : tensor<1x6x6x32xi32>, tensor<1x4x4x32xi32>, tensor<1x8x8x32xi32>, tensor<1x3x13x8xi32>
}

// CHECK-LABEL: func.func @conv2d_dynamic
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<?x?x?x8xi2>
//  CHECK-SAME:   %[[FILTER:[a-zA-Z0-9_]+]]: tensor<4x3x3x8xi2>
//       CHECK:   %[[OUT:.+]] = qnt.conv2d %[[INPUT]], %[[FILTER]] {filter_zp = 1 : i32, input_zp = -2 : i32} : (tensor<?x?x?x8xi2>, tensor<4x3x3x8xi2>) -> tensor<?x?x?x4xi32>
//       CHECK:   return %[[OUT]]
func.func @conv2d_dynamic(%input: tensor<?x?x?x8xi2>, %filter: tensor<4x3x3x8xi2>) -> tensor<?x?x?x4xi32> {
  %out = qnt.conv2d %input, %filter {input_zp = -2 : i32, filter_zp = 1 : i32}
      : (tensor<?x?x?x8xi2>, tensor<4x3x3x8xi2>) -> tensor<?x?x?x4xi32>
  return %out : tensor<?x?x?x4xi32>
}

// CHECK-LABEL: func.func @matmul
//  CHECK-SAME:   %[[LHS:[a-zA-Z0-9_]+]]: tensor<4x300xi8>
//  CHECK-SAME:   %[[RHS:[a-zA-Z0-9_]+]]: tensor<10x300xi8>
//  CHECK-SAME:   %[[BIAS:[a-zA-Z0-9_]+]]: tensor<10xi32>
//  CHECK-SAME:   %[[U8_LHS:[a-zA-Z0-9_]+]]: tensor<?x300xui8>
//  CHECK-SAME:   %[[I4_RHS:[a-zA-Z0-9_]+]]: tensor<10x300xi4>
//       CHECK:   %[[PLAIN:.+]] = qnt.matmul %[[LHS]], %[[RHS]] : (tensor<4x300xi8>, tensor<10x300xi8>) -> tensor<4x10xi32>
//       CHECK:   %[[BIASED:.+]] = qnt.matmul %[[LHS]], %[[RHS]], %[[BIAS]] {lhs_zp = 3 : i32, rhs_zp = -1 : i32} : (tensor<4x300xi8>, tensor<10x300xi8>, tensor<10xi32>) -> tensor<4x10xi32>
//       CHECK:   %[[MIXED:.+]] = qnt.matmul %[[U8_LHS]], %[[I4_RHS]], %[[BIAS]] {lhs_zp = 128 : i32, rhs_zp = 7 : i32} : (tensor<?x300xui8>, tensor<10x300xi4>, tensor<10xi32>) -> tensor<?x10xi32>
//       CHECK:   return %[[PLAIN]], %[[BIASED]], %[[MIXED]]
func.func @matmul(%lhs: tensor<4x300xi8>, %rhs: tensor<10x300xi8>, %bias: tensor<10xi32>,
                  %u8_lhs: tensor<?x300xui8>, %i4_rhs: tensor<10x300xi4>)
    -> (tensor<4x10xi32>, tensor<4x10xi32>, tensor<?x10xi32>) {
  %plain = qnt.matmul %lhs, %rhs : (tensor<4x300xi8>, tensor<10x300xi8>) -> tensor<4x10xi32>
  %biased = qnt.matmul %lhs, %rhs, %bias {lhs_zp = 3 : i32, rhs_zp = -1 : i32}
      : (tensor<4x300xi8>, tensor<10x300xi8>, tensor<10xi32>) -> tensor<4x10xi32>
  %mixed = qnt.matmul %u8_lhs, %i4_rhs, %bias {lhs_zp = 128 : i32, rhs_zp = 7 : i32}
      : (tensor<?x300xui8>, tensor<10x300xi4>, tensor<10xi32>) -> tensor<?x10xi32>
  return %plain, %biased, %mixed : tensor<4x10xi32>, tensor<4x10xi32>, tensor<?x10xi32>
}

/// 70 channels pack into ceil(70 / 32) = 3 words; integer inputs binarize too.
// CHECK-LABEL: func.func @binarize_unpack
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<1x8x8x70xf32>
//  CHECK-SAME:   %[[INTS:[a-zA-Z0-9_]+]]: tensor<?x32xi8>
//       CHECK:   %[[PACKED:.+]] = qnt.binarize %[[INPUT]] : tensor<1x8x8x70xf32> -> tensor<1x8x8x3xi32>
//       CHECK:   %[[PACKED_INTS:.+]] = qnt.binarize %[[INTS]] : tensor<?x32xi8> -> tensor<?x1xi32>
//       CHECK:   %[[FLOATS:.+]] = qnt.unpack %[[PACKED]] : tensor<1x8x8x3xi32> -> tensor<1x8x8x70xf32>
//       CHECK:   %[[SIGNS:.+]] = qnt.unpack %[[PACKED_INTS]] : tensor<?x1xi32> -> tensor<?x32xi8>
//       CHECK:   return %[[FLOATS]], %[[SIGNS]]
func.func @binarize_unpack(%input: tensor<1x8x8x70xf32>, %ints: tensor<?x32xi8>)
    -> (tensor<1x8x8x70xf32>, tensor<?x32xi8>) {
  %packed = qnt.binarize %input : tensor<1x8x8x70xf32> -> tensor<1x8x8x3xi32>
  %packed_ints = qnt.binarize %ints : tensor<?x32xi8> -> tensor<?x1xi32>
  %floats = qnt.unpack %packed : tensor<1x8x8x3xi32> -> tensor<1x8x8x70xf32>
  %signs = qnt.unpack %packed_ints : tensor<?x1xi32> -> tensor<?x32xi8>
  return %floats, %signs : tensor<1x8x8x70xf32>, tensor<?x32xi8>
}

/// Every bconv2d epilogue: float (multiplier, bias, clamp), raw i32 dot, and
/// packed i32 with thresholds (4 output channels -> 1 word); pad_value zero.
// CHECK-LABEL: func.func @bconv2d
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<1x8x8x3xi32>
//  CHECK-SAME:   %[[FILTER:[a-zA-Z0-9_]+]]: tensor<4x3x3x3xi32>
//       CHECK:   %[[FLOAT:.+]] = qnt.bconv2d %[[INPUT]], %[[FILTER]] {bias = array<f32: 0.000000e+00, 1.000000e+00, -1.000000e+00, 5.000000e-01>, channels = 70 : i64, clamp_max = 6.000000e+00 : f32, clamp_min = 0.000000e+00 : f32, multiplier = array<f32: 1.000000e+00, 2.000000e+00, 5.000000e-01, -1.000000e+00>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x8x8x4xf32>
//       CHECK:   %[[ZERO_PAD:.+]] = qnt.bconv2d %[[INPUT]], %[[FILTER]] {channels = 70 : i64, pad = array<i64: 1, 1, 1, 1>, pad_value = #qnt.pad_value<zero>} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x8x8x4xf32>
//       CHECK:   %[[RAW:.+]] = qnt.bconv2d %[[INPUT]], %[[FILTER]] {channels = 65 : i64, dilation = array<i64: 2, 2>, stride = array<i64: 2, 1>} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x2x4x4xi32>
//       CHECK:   %[[PACKED:.+]] = qnt.bconv2d %[[INPUT]], %[[FILTER]] {channels = 96 : i64, pad = array<i64: 1, 1, 1, 1>, thresholds = array<i32: 0, -3, 7, 630>} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x8x8x1xi32>
//       CHECK:   return %[[FLOAT]], %[[ZERO_PAD]], %[[RAW]], %[[PACKED]]
func.func @bconv2d(%input: tensor<1x8x8x3xi32>, %filter: tensor<4x3x3x3xi32>)
    -> (tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>, tensor<1x2x4x4xi32>, tensor<1x8x8x1xi32>) {
  %float = qnt.bconv2d %input, %filter {channels = 70, pad = array<i64: 1, 1, 1, 1>,
                                        multiplier = array<f32: 1.0, 2.0, 0.5, -1.0>,
                                        bias = array<f32: 0.0, 1.0, -1.0, 0.5>,
                                        clamp_min = 0.0 : f32, clamp_max = 6.0 : f32,
                                        pad_value = #qnt.pad_value<plus_one>}
      : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x8x8x4xf32>
  %zero_pad = qnt.bconv2d %input, %filter {channels = 70, pad = array<i64: 1, 1, 1, 1>,
                                           pad_value = #qnt.pad_value<zero>}
      : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x8x8x4xf32>
  %raw = qnt.bconv2d %input, %filter {channels = 65, stride = array<i64: 2, 1>, dilation = array<i64: 2, 2>}
      : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x2x4x4xi32>
  %packed = qnt.bconv2d %input, %filter {channels = 96, pad = array<i64: 1, 1, 1, 1>,
                                         thresholds = array<i32: 0, -3, 7, 630>}
      : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x8x8x1xi32>
  return %float, %zero_pad, %raw, %packed
      : tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>, tensor<1x2x4x4xi32>, tensor<1x8x8x1xi32>
}

/// Every bmatmul epilogue; 40 output channels pack into 2 words.
// CHECK-LABEL: func.func @bmatmul
//  CHECK-SAME:   %[[LHS:[a-zA-Z0-9_]+]]: tensor<4x10xi32>
//  CHECK-SAME:   %[[RHS:[a-zA-Z0-9_]+]]: tensor<3x10xi32>
//  CHECK-SAME:   %[[WIDE_RHS:[a-zA-Z0-9_]+]]: tensor<40x10xi32>
//       CHECK:   %[[FLOAT:.+]] = qnt.bmatmul %[[LHS]], %[[RHS]] {bias = array<f32: 1.000000e+00, 2.000000e+00, 3.000000e+00>, clamp_min = -1.000000e+00 : f32, k = 300 : i64, multiplier = array<f32: 2.500000e-01, 5.000000e-01, 1.000000e+00>} : (tensor<4x10xi32>, tensor<3x10xi32>) -> tensor<4x3xf32>
//       CHECK:   %[[PLAIN_FLOAT:.+]] = qnt.bmatmul %[[LHS]], %[[RHS]] {k = 289 : i64} : (tensor<4x10xi32>, tensor<3x10xi32>) -> tensor<4x3xf32>
//       CHECK:   %[[RAW:.+]] = qnt.bmatmul %[[LHS]], %[[RHS]] {k = 320 : i64} : (tensor<4x10xi32>, tensor<3x10xi32>) -> tensor<4x3xi32>
//       CHECK:   %[[PACKED:.+]] = qnt.bmatmul %[[LHS]], %[[WIDE_RHS]] {k = 300 : i64, thresholds = array<i32: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12, -13, -14, -15, -16, -17, -18, 300, -300>} : (tensor<4x10xi32>, tensor<40x10xi32>) -> tensor<4x2xi32>
//       CHECK:   return %[[FLOAT]], %[[PLAIN_FLOAT]], %[[RAW]], %[[PACKED]]
func.func @bmatmul(%lhs: tensor<4x10xi32>, %rhs: tensor<3x10xi32>, %wide_rhs: tensor<40x10xi32>)
    -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xi32>, tensor<4x2xi32>) {
  %float = qnt.bmatmul %lhs, %rhs {k = 300, multiplier = array<f32: 0.25, 0.5, 1.0>,
                                   bias = array<f32: 1.0, 2.0, 3.0>, clamp_min = -1.0 : f32}
      : (tensor<4x10xi32>, tensor<3x10xi32>) -> tensor<4x3xf32>
  %plain_float = qnt.bmatmul %lhs, %rhs {k = 289} : (tensor<4x10xi32>, tensor<3x10xi32>) -> tensor<4x3xf32>
  %raw = qnt.bmatmul %lhs, %rhs {k = 320} : (tensor<4x10xi32>, tensor<3x10xi32>) -> tensor<4x3xi32>
  %packed = qnt.bmatmul %lhs, %wide_rhs {k = 300, thresholds = array<i32:
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
      -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12, -13, -14, -15, -16, -17, -18, 300, -300>}
      : (tensor<4x10xi32>, tensor<40x10xi32>) -> tensor<4x2xi32>
  return %float, %plain_float, %raw, %packed
      : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xi32>, tensor<4x2xi32>
}

// CHECK-LABEL: func.func @bmaxpool2d
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<1x8x8x3xi32>
//       CHECK:   %[[POOLED:.+]] = qnt.bmaxpool2d %[[INPUT]] {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<1x8x8x3xi32> -> tensor<1x4x4x3xi32>
//       CHECK:   %[[PADDED:.+]] = qnt.bmaxpool2d %[[INPUT]] {kernel = array<i64: 3, 2>, pad = array<i64: 1, 2, 0, 1>} : tensor<1x8x8x3xi32> -> tensor<1x9x8x3xi32>
//       CHECK:   return %[[POOLED]], %[[PADDED]]
func.func @bmaxpool2d(%input: tensor<1x8x8x3xi32>) -> (tensor<1x4x4x3xi32>, tensor<1x9x8x3xi32>) {
  %pooled = qnt.bmaxpool2d %input {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>}
      : tensor<1x8x8x3xi32> -> tensor<1x4x4x3xi32>
  %padded = qnt.bmaxpool2d %input {kernel = array<i64: 3, 2>, pad = array<i64: 1, 2, 0, 1>}
      : tensor<1x8x8x3xi32> -> tensor<1x9x8x3xi32>
  return %pooled, %padded : tensor<1x4x4x3xi32>, tensor<1x9x8x3xi32>
}

/// A layer config as a function attribute, with every field non-default.
// CHECK-LABEL: func.func @config_on_function
//  CHECK-SAME:   attributes {qnt.config = #qnt.config<weight_bits = 1, activation_bits = 2, scheme = asymmetric, granularity = per_tensor, axis = 3, rounding = half_away>}
func.func @config_on_function() attributes {
    qnt.config = #qnt.config<weight_bits = 1, activation_bits = 2, scheme = asymmetric,
                             granularity = per_tensor, axis = 3, rounding = half_away>} {
  return
}
