// RUN: quant-opt %s --split-input-file --verify-diagnostics --qnt-quantize="stats=%S/Inputs/quantize-stats.json" | FileCheck %s
// RUN: quant-opt %s --split-input-file --verify-diagnostics --qnt-quantize="stats=%S/Inputs/quantize-stats.json granularity=per-tensor" | FileCheck %s --check-prefix=PT
// RUN: quant-opt %s --split-input-file --verify-diagnostics --qnt-quantize="stats=%S/Inputs/quantize-stats.json scheme=asymmetric" | FileCheck %s --check-prefix=ASYM
// RUN: quant-opt %s --split-input-file --verify-diagnostics --qnt-quantize="stats=%S/Inputs/quantize-stats.json weight-bits=4 first-last-8bit=false" | FileCheck %s --check-prefix=W4
// RUN: quant-opt %s --split-input-file --verify-diagnostics --qnt-quantize="stats=%S/Inputs/quantize-stats.json rounding=double-round narrow-range=true" | FileCheck %s --check-prefix=DR
// RUN: not quant-opt %s --qnt-quantize="stats=%S/Inputs/does-not-exist.json" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not quant-opt %s --qnt-quantize="stats=%S/Inputs/quantize-bad-stats.json" 2>&1 | FileCheck %s --check-prefix=MALFORMED
// RUN: not quant-opt %s --qnt-quantize="scheme=affine" 2>&1 | FileCheck %s --check-prefix=OPTION

// MISSING: error: qnt-quantize: cannot read statistics: {{.*}}does-not-exist.json
// MALFORMED: error: qnt-quantize: cannot read statistics: {{.*}}quantize-bad-stats.json
// OPTION: error: qnt-quantize: unknown scheme 'affine' (expected symmetric or asymmetric)

/// Input [-1.27, 1.27] -> s_x = 0.01; ReLU output [0, 2.54] -> s_y = 0.02.
/// Per channel: s_w = [1, 0.25] / 127, so w = [[64, -127], [127, 64]] and
/// b_q = b / (s_x * s_w) = [0.5, -0.25] / [7.874e-5, 1.9685e-5] = [6350, -12700];
/// M = s_x * s_w / s_y = [1/254, 1/1016] = 1082196480 * 2^-[38, 40].
/// The ReLU becomes clamp_min = 0 (the zero point).
// CHECK-LABEL: func.func @conv_relu
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]:
//       CHECK:   %[[Q:.+]] = qnt.quantize %[[INPUT]] : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!quant.uniform<i8:f32, 0.0099999997764825821>>
//       CHECK:   %[[QS:.+]] = quant.scast %[[Q]] : {{.*}} to tensor<1x4x4x2xi8>
//       CHECK:   %[[W:.+]] = qnt.constant dense<{{\[\[\[\[}}64, -127]]], {{\[\[\[}}127, 64]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!quant.uniform<i8:f32:0, {0.0078740157186985015,0.0019685039296746254}>>
//       CHECK:   %[[WS:.+]] = quant.scast %[[W]] : {{.*}} to tensor<2x1x1x2xi8>
//       CHECK:   %[[B:.+]] = "tosa.const"() <{values = dense<[6350, -12700]> : tensor<2xi32>}>
//       CHECK:   %[[ACC:.+]] = qnt.conv2d %[[QS]], %[[WS]], %[[B]] : (tensor<1x4x4x2xi8>, tensor<2x1x1x2xi8>, tensor<2xi32>) -> tensor<1x4x4x2xi32>
//       CHECK:   %[[Y:.+]] = qnt.requantize %[[ACC]] {axis = 3 : i64, clamp_min = 0 : i32, multiplier = array<i32: 1082196480, 1082196480>, shift = array<i32: 38, 40>} : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xi8>
//       CHECK:   %[[YQ:.+]] = quant.scast %[[Y]] : tensor<1x4x4x2xi8> to tensor<1x4x4x2x!quant.uniform<i8:f32, 0.019999999552965164>>
//       CHECK:   %[[OUT:.+]] = qnt.dequantize %[[YQ]]
//   CHECK-NOT:   tosa.conv2d
//   CHECK-NOT:   tosa.clamp
//       CHECK:   return %[[OUT]]

/// Per tensor: one s_w = 1/127, channel 1 is [32, 16], one multiplier.
// PT-LABEL: func.func @conv_relu
//       PT:   qnt.constant dense<{{\[\[\[\[}}64, -127]]], {{\[\[\[}}32, 16]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!quant.uniform<i8:f32, 0.0078740157186985015>>
//       PT:   "tosa.const"() <{values = dense<[6350, -3175]> : tensor<2xi32>}>
//       PT:   qnt.requantize %{{.+}} {clamp_min = 0 : i32, multiplier = array<i32: 1082196480>, shift = array<i32: 38>}

/// Asymmetric: the input's zero point -1 goes to the conv, the ReLU output
/// [0, 2.54] uses the whole grid (zero point -128), so the ReLU is the
/// storage minimum and needs no clamp. Per-channel weights stay symmetric.
// ASYM-LABEL: func.func @conv_relu
//       ASYM:   qnt.quantize %{{.+}} -> tensor<1x4x4x2x!quant.uniform<i8:f32, 0.0099607845768332481:-1>>
//       ASYM:   qnt.constant {{.*}} -> tensor<2x1x1x2x!quant.uniform<i8:f32:0, {0.0078740157186985015,0.0019685039296746254}>>
//       ASYM:   "tosa.const"() <{values = dense<[6375, -12750]> : tensor<2xi32>}>
//       ASYM:   qnt.conv2d %{{.+}}, %{{.+}}, %{{.+}} {input_zp = -1 : i32}
//       ASYM:   qnt.requantize %{{.+}} {axis = 3 : i64, multiplier = array<i32: 1082196480, 1082196480>, output_zp = -128 : i32, shift = array<i32: 37, 39>}
//       ASYM:   tensor<1x4x4x2x!quant.uniform<i8:f32, 0.0099607845768332481:-128>>

/// 4-bit weights: s_w = [1, 0.25] / 7, stored as i4.
// W4-LABEL: func.func @conv_relu
//       W4:   qnt.constant dense<{{\[\[\[\[}}3, -7]]], {{\[\[\[}}7, 3]]]]> : tensor<2x1x1x2xi4> -> tensor<2x1x1x2x!quant.uniform<i4:f32:0, {0.1428571492433548,0.035714287310838699}>>
//       W4:   qnt.conv2d {{.*}} : (tensor<1x4x4x2xi8>, tensor<2x1x1x2xi4>, tensor<2xi32>) -> tensor<1x4x4x2xi32>

/// Narrow-range weights show in the type; DOUBLE_ROUND in the requantize.
// DR-LABEL: func.func @conv_relu
//       DR:   tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {0.0078740157186985015,0.0019685039296746254}>>
//       DR:   qnt.requantize {{.*}}rounding = #qnt.requant_rounding<double_round>
func.func @conv_relu(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %relu = tosa.clamp %conv {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %relu : tensor<1x4x4x2xf32>
}

// -----

/// An output whose only use is its sign needs no statistics (it has no
/// probe): the i32 accumulator is passed on, dequantized, which
/// canonicalization folds into the sign.
// CHECK-LABEL: func.func @sign_only_output
//       CHECK:   %[[ACC:.+]] = qnt.conv2d
//       CHECK:   %[[ACCQ:.+]] = quant.scast %[[ACC]] : tensor<1x4x4x2xi32> to tensor<1x4x4x2x!quant.uniform<i32:f32:3
//       CHECK:   %[[F:.+]] = qnt.dequantize %[[ACCQ]]
//       CHECK:   qnt.binarize %[[F]]
func.func @sign_only_output(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x1xi32> {
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-remark @+1 {{output is its i32 accumulator (dequantized): only its sign is used}}
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %bits = qnt.binarize %conv : tensor<1x4x4x2xf32> -> tensor<1x4x4x1xi32>
  return %bits : tensor<1x4x4x1xi32>
}

// -----

/// conv -> relu -> maxpool -> conv stays integer: the max pool runs on the
/// i8 storage and the second conv reads it with scale 0.02, so there is no
/// dequantize/quantize in between. Second conv: s_w = [4, 0.5] / 127,
/// b_q = [0.5 / (0.02 * 4/127), -0.25 / (0.02 * 0.5/127)] = [794, -3175],
/// output [-5.08, 5.08] -> s_y = 0.04.
// CHECK-LABEL: func.func @conv_pool_conv
//       CHECK:   %[[ACC1:.+]] = qnt.conv2d
//       CHECK:   %[[Y1:.+]] = qnt.requantize %[[ACC1]] {{.*}} -> tensor<1x4x4x2xi8>
//   CHECK-NOT:   qnt.dequantize
//   CHECK-NOT:   qnt.quantize
//       CHECK:   %[[POOL:.+]] = tosa.max_pool2d %[[Y1]] {{.*}} : (tensor<1x4x4x2xi8>) -> tensor<1x2x2x2xi8>
//       CHECK:   %[[W2:.+]] = qnt.constant {{.*}} -> tensor<2x2x2x2x!quant.uniform<i8:f32:0, {0.031496062874794006,0.0039370078593492508}>>
//       CHECK:   %[[W2S:.+]] = quant.scast %[[W2]]
//       CHECK:   %[[B2:.+]] = "tosa.const"() <{values = dense<[794, -3175]> : tensor<2xi32>}>
//       CHECK:   %[[ACC2:.+]] = qnt.conv2d %[[POOL]], %[[W2S]], %[[B2]] {pad = array<i64: 0, 1, 0, 1>}
//       CHECK:   %[[Y2:.+]] = qnt.requantize %[[ACC2]] {axis = 3 : i64, multiplier = array<i32: 1082196480, 1082196480>, shift = array<i32: 36, 39>}
//       CHECK:   %[[Y2Q:.+]] = quant.scast %[[Y2]] : tensor<1x2x2x2xi8> to tensor<1x2x2x2x!quant.uniform<i8:f32, 0.039999999105930328>>
//       CHECK:   %[[OUT:.+]] = qnt.dequantize %[[Y2Q]]
//       CHECK:   return %[[OUT]]

/// The edge rule: both convs here are the first and last layer, so W4 only
/// shows with first-last-8bit=false: both get i4 weights.
// W4-LABEL: func.func @conv_pool_conv
//       W4:   qnt.conv2d {{.*}} : (tensor<1x4x4x2xi8>, tensor<2x1x1x2xi4>, tensor<2xi32>)
//       W4:   tosa.max_pool2d {{.*}} : (tensor<1x4x4x2xi8>) -> tensor<1x2x2x2xi8>
//       W4:   qnt.conv2d {{.*}} : (tensor<1x2x2x2xi8>, tensor<2x2x2x2xi4>, tensor<2xi32>)
func.func @conv_pool_conv(%input: tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %relu = tosa.clamp %conv {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %pool = tosa.max_pool2d %relu {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
  %w2 = "tosa.const"() {values = dense<[[[[1.0, 2.0], [3.0, 4.0]], [[-1.0, -2.0], [-3.0, -4.0]]], [[[0.5, 0.5], [0.5, 0.5]], [[0.5, 0.5], [0.5, 0.5]]]]> : tensor<2x2x2x2xf32>} : () -> tensor<2x2x2x2xf32>
  %conv2 = tosa.conv2d %pool, %w2, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<2x2x2x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  return %conv2 : tensor<1x2x2x2xf32>
}

// -----

/// Fully connected: matmul [1, M, K] x [1, K, N] -> reshape -> add of a
/// [1, N] constant is one qnt.matmul with [N, K] weights and the add folded
/// into the i32 bias; the input reshape runs on i8 storage. The input's
/// statistics come from %input through the reshape (which has no probe).
/// s_w = [1.5, 2] / 127; b_q = [0.5, -0.125] / (0.01 * s_w) = [4233, -794].
// CHECK-LABEL: func.func @fully_connected
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]:
//       CHECK:   %[[X:.+]] = tosa.reshape %[[INPUT]]
//       CHECK:   %[[Q:.+]] = qnt.quantize %[[X]] : tensor<1x2x3xf32> -> tensor<1x2x3x!quant.uniform<i8:f32, 0.0099999997764825821>>
//       CHECK:   %[[QS:.+]] = quant.scast %[[Q]]
//       CHECK:   %[[W:.+]] = qnt.constant dense<{{\[\[}}85, 21, -127], [-32, 127, 48]]> : tensor<2x3xi8> -> tensor<2x3x!quant.uniform<i8:f32:0, {0.011811023578047752,0.015748031437397003}>>
//       CHECK:   %[[WS:.+]] = quant.scast %[[W]]
//       CHECK:   %[[B:.+]] = "tosa.const"() <{values = dense<[4233, -794]> : tensor<2xi32>}>
//       CHECK:   %[[LHS:.+]] = tosa.reshape %[[QS]], %{{.+}} : (tensor<1x2x3xi8>, !tosa.shape<2>) -> tensor<2x3xi8>
//       CHECK:   %[[ACC:.+]] = qnt.matmul %[[LHS]], %[[WS]], %[[B]] : (tensor<2x3xi8>, tensor<2x3xi8>, tensor<2xi32>) -> tensor<2x2xi32>
//       CHECK:   %[[Y:.+]] = qnt.requantize %[[ACC]] {axis = 1 : i64, multiplier = array<i32: 1623294720, 1082196480>, shift = array<i32: 38, 37>} : tensor<2x2xi32> -> tensor<2x2xi8>
//       CHECK:   %[[YQ:.+]] = quant.scast %[[Y]] : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8:f32, 0.019999999552965164>>
//       CHECK:   %[[OUT:.+]] = qnt.dequantize %[[YQ]]
//   CHECK-NOT:   tosa.matmul
//   CHECK-NOT:   tosa.add
//       CHECK:   return %[[OUT]]
func.func @fully_connected(%input: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %shape3 = tosa.const_shape {values = dense<[1, 2, 3]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shape2 = tosa.const_shape {values = dense<[2, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %x = tosa.reshape %input, %shape3 : (tensor<2x3xf32>, !tosa.shape<3>) -> tensor<1x2x3xf32>
  %w = "tosa.const"() {values = dense<[[[1.0, -0.5], [0.25, 2.0], [-1.5, 0.75]]]> : tensor<1x3x2xf32>} : () -> tensor<1x3x2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %mm = tosa.matmul %x, %w, %zp, %zp : (tensor<1x2x3xf32>, tensor<1x3x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32>
  %y = tosa.reshape %mm, %shape2 : (tensor<1x2x2xf32>, !tosa.shape<2>) -> tensor<2x2xf32>
  %b = "tosa.const"() {values = dense<[[0.5, -0.125]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %out = tosa.add %y, %b : (tensor<2x2xf32>, tensor<1x2xf32>) -> tensor<2x2xf32>
  return %out : tensor<2x2xf32>
}

// -----

/// Depthwise HWCM [1, 1, 2, 2] becomes a grouped qnt.conv2d with filter
/// [C * M, 1, 1, 1] = [4, 1, 1, 1] (output channel c * M + m) and groups = C.
// CHECK-LABEL: func.func @depthwise
//       CHECK:   %[[W:.+]] = qnt.constant dense<127> : tensor<4x1x1x1xi8> -> tensor<4x1x1x1x!quant.uniform<i8:f32:0, {0.0078740157186985015,0.015748031437397003,0.023622047156095505,0.031496062874794006}>>
//       CHECK:   "tosa.const"() <{values = dense<[6350, 3175, 2117, 1588]> : tensor<4xi32>}>
//       CHECK:   qnt.conv2d {{.*}} {groups = 2 : i64} : (tensor<1x4x4x2xi8>, tensor<4x1x1x1xi8>, tensor<4xi32>) -> tensor<1x4x4x4xi32>
//   CHECK-NOT:   tosa.depthwise_conv2d
func.func @depthwise(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x4xf32> {
  %w = "tosa.const"() {values = dense<[[[[1.0, 2.0], [3.0, 4.0]]]]> : tensor<1x1x2x2xf32>} : () -> tensor<1x1x2x2xf32>
  %b = "tosa.const"() {values = dense<0.5> : tensor<4xf32>} : () -> tensor<4xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %dw = tosa.depthwise_conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<1x1x2x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32>
  return %dw : tensor<1x4x4x4xf32>
}

// -----

/// A per-layer qnt.config wins over the options: 4-bit per-tensor
/// asymmetric weights (range [-1, 0.5] -> s_w = 0.1, zero point 2) and an
/// asymmetric input (zero point -1).
// CHECK-LABEL: func.func @config_override
//       CHECK:   qnt.quantize %{{.+}} -> tensor<1x4x4x2x!quant.uniform<i8:f32, 0.0099607845768332481:-1>>
//       CHECK:   qnt.constant dense<{{\[\[\[\[}}7, -8]]], {{\[\[\[}}4, 3]]]]> : tensor<2x1x1x2xi4> -> tensor<2x1x1x2x!quant.uniform<i4:f32, 0.10000000149011612:2>>
//       CHECK:   qnt.conv2d {{.*}} {filter_zp = 2 : i32, input_zp = -1 : i32}
//       CHECK:   qnt.requantize %{{.+}} {multiplier = array<i32: 1717986944>, output_zp = -1 : i32, shift = array<i32: 35>}
func.func @config_override(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, qnt.config = #qnt.config<weight_bits = 4, activation_bits = 8, scheme = asymmetric, granularity = per_tensor>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %conv : tensor<1x4x4x2xf32>
}

// -----

func.func @config_axis_mismatch(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @+1 {{qnt.config axis 3 is not the output-channel axis 0 of the weights}}
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, qnt.config = #qnt.config<weight_bits = 8, activation_bits = 8, scheme = symmetric, granularity = per_channel, axis = 3>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %conv : tensor<1x4x4x2xf32>
}

// -----

/// Weights computed at run time keep the layer float.
// CHECK-LABEL: func.func @negative_weights_not_constant
//   CHECK-NOT:   qnt.
//       CHECK:   tosa.conv2d
func.func @negative_weights_not_constant(%input: tensor<1x4x4x2xf32>, %w: tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32> {
  %b = "tosa.const"() {values = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-remark @+1 {{not quantized: weights are not constant}}
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %conv : tensor<1x4x4x2xf32>
}

// -----

/// The statistics file has nothing for this function's input.
// CHECK-LABEL: func.func @negative_no_statistics
//   CHECK-NOT:   qnt.
//       CHECK:   tosa.conv2d
func.func @negative_no_statistics(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-remark @+1 {{not quantized: no statistics for 'negative_no_statistics.arg0'}}
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %conv : tensor<1x4x4x2xf32>
}

// -----

/// Without output statistics the layer still computes in integers, and its
/// i32 accumulator (scale s_x * s_w[c]) is dequantized; the ReLU stays float.
// CHECK-LABEL: func.func @negative_output_without_stats
//       CHECK:   %[[ACC:.+]] = qnt.conv2d
//       CHECK:   %[[ACCQ:.+]] = quant.scast %[[ACC]] : tensor<1x4x4x2xi32> to tensor<1x4x4x2x!quant.uniform<i32:f32:3, {7.8740155427005354E-5,1.9685038856751338E-5}>>
//       CHECK:   %[[F:.+]] = qnt.dequantize %[[ACCQ]]
//       CHECK:   %[[RELU:.+]] = tosa.clamp %[[F]]
//       CHECK:   return %[[RELU]]
func.func @negative_output_without_stats(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-remark @+1 {{output stays float: no statistics for 'negative_output_without_stats.tosa.clamp.0'}}
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %relu = tosa.clamp %conv {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %relu : tensor<1x4x4x2xf32>
}

// -----

/// b / (s_x * s_w) = 1e12 / 7.9e-5 does not fit in i32.
// CHECK-LABEL: func.func @negative_bias_overflow
//   CHECK-NOT:   qnt.
//       CHECK:   tosa.conv2d
func.func @negative_bias_overflow(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[1.0e+12, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-remark @+1 {{not quantized: bias of channel 0 overflows i32}}
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %conv : tensor<1x4x4x2xf32>
}

// -----

/// A float op reading a quantized value gets a dequantize and a remark.
// CHECK-LABEL: func.func @float_consumer
//       CHECK:   %[[Y:.+]] = qnt.requantize
//       CHECK:   %[[YQ:.+]] = quant.scast %[[Y]]
//       CHECK:   %[[F:.+]] = qnt.dequantize %[[YQ]]
//       CHECK:   %[[S:.+]] = tosa.sigmoid %[[F]]
//       CHECK:   return %[[S]]
func.func @float_consumer(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  // expected-remark @+1 {{stays float: qnt-quantize has no integer form of 'tosa.sigmoid' here; its input is dequantized}}
  %s = tosa.sigmoid %conv : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %s : tensor<1x4x4x2xf32>
}

// -----

!a = !quant.uniform<i8:f32, 0.5:3>
!b = !quant.uniform<i8:f32, 0.25:-1>

/// dequantize -> quantize to the same type is the identity; to another
/// per-tensor type it is a requantize of the storage integers:
/// multiplier 0.5 / 0.25 = 2 = 2^30 * 2^-29.
// CHECK-LABEL: func.func @dequantize_quantize_pairs
//  CHECK-SAME:   %[[X:[a-zA-Z0-9_]+]]:
//       CHECK:   %[[S:.+]] = quant.scast %[[X]] : tensor<4x!quant.uniform<i8:f32, 5.000000e-01:3>> to tensor<4xi8>
//       CHECK:   %[[WIDE:.+]] = tosa.cast %[[S]] : (tensor<4xi8>) -> tensor<4xi32>
//       CHECK:   %[[R:.+]] = qnt.requantize %[[WIDE]] {input_zp = 3 : i32, multiplier = array<i32: 1073741824>, output_zp = -1 : i32, shift = array<i32: 29>} : tensor<4xi32> -> tensor<4xi8>
//       CHECK:   %[[RQ:.+]] = quant.scast %[[R]] : tensor<4xi8> to tensor<4x!quant.uniform<i8:f32, 2.500000e-01:-1>>
//   CHECK-NOT:   qnt.dequantize
//   CHECK-NOT:   qnt.quantize
//       CHECK:   return %[[X]], %[[RQ]]
func.func @dequantize_quantize_pairs(%x: tensor<4x!a>) -> (tensor<4x!a>, tensor<4x!b>) {
  %f = qnt.dequantize %x : tensor<4x!a> -> tensor<4xf32>
  %same = qnt.quantize %f : tensor<4xf32> -> tensor<4x!a>
  %other = qnt.quantize %f : tensor<4xf32> -> tensor<4x!b>
  return %same, %other : tensor<4x!a>, tensor<4x!b>
}

// -----

/// Residual add of two quantized tensors (s = 0.04 and 0.02): both go to
/// i32 at s_i = 0.04 / 2^16 (multipliers 2^16 and 2^15), are added, and
/// requantized to the ReLU output's scale 0.04 (M = 2^-16) with the ReLU as
/// clamp_min = 0.
// CHECK-LABEL: func.func @residual_add
//       CHECK:   %[[X1:.+]] = qnt.requantize {{.*}} -> tensor<1x4x4x2xi8>
//       CHECK:   %[[Y:.+]] = qnt.requantize {{.*}} -> tensor<1x4x4x2xi8>
//       CHECK:   %[[YW:.+]] = tosa.cast %[[Y]] : (tensor<1x4x4x2xi8>) -> tensor<1x4x4x2xi32>
//       CHECK:   %[[YC:.+]] = qnt.requantize %[[YW]] {multiplier = array<i32: 1073741824>, shift = array<i32: 14>} : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xi32>
//       CHECK:   %[[XW:.+]] = tosa.cast %[[X1]] : (tensor<1x4x4x2xi8>) -> tensor<1x4x4x2xi32>
//       CHECK:   %[[XC:.+]] = qnt.requantize %[[XW]] {multiplier = array<i32: 1073741824>, shift = array<i32: 15>} : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xi32>
//       CHECK:   %[[SUM:.+]] = tosa.add %[[YC]], %[[XC]] : (tensor<1x4x4x2xi32>, tensor<1x4x4x2xi32>) -> tensor<1x4x4x2xi32>
//       CHECK:   %[[OUT:.+]] = qnt.requantize %[[SUM]] {clamp_min = 0 : i32, multiplier = array<i32: 1073741824>, shift = array<i32: 46>} : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xi8>
//       CHECK:   quant.scast %[[OUT]] : tensor<1x4x4x2xi8> to tensor<1x4x4x2x!quant.uniform<i8:f32, 0.039999999105930328>>
//   CHECK-NOT:   tosa.clamp
func.func @residual_add(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %relu = tosa.clamp %conv {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %conv2 = tosa.conv2d %relu, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %sum = tosa.add %conv2, %relu : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %out = tosa.clamp %sum {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %out : tensor<1x4x4x2xf32>
}

// -----

/// concat requantizes its inputs to the output's scale (0.04): the ReLU
/// branch (0.02) is rescaled, the other (already 0.04) is not. The pad
/// of 0.0 pads with the zero point 0 on i8 storage.
// CHECK-LABEL: func.func @pad_concat
//       CHECK:   %[[A:.+]] = qnt.requantize {{.*}} -> tensor<1x4x4x2xi8>
//       CHECK:   %[[B:.+]] = qnt.requantize {{.*}} -> tensor<1x4x4x2xi8>
//       CHECK:   %[[AW:.+]] = tosa.cast %[[A]]
//       CHECK:   %[[AR:.+]] = qnt.requantize %[[AW]] {multiplier = array<i32: 1073741824>, shift = array<i32: 31>} : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xi8>
//       CHECK:   %[[CAT:.+]] = tosa.concat %[[AR]], %[[B]] {axis = 3 : i32} : (tensor<1x4x4x2xi8>, tensor<1x4x4x2xi8>) -> tensor<1x4x4x4xi8>
//       CHECK:   %[[PADV:.+]] = "tosa.const"() <{values = dense<0> : tensor<1xi8>}>
//       CHECK:   %[[PAD:.+]] = tosa.pad %[[CAT]], %{{.+}}, %[[PADV]] : (tensor<1x4x4x4xi8>, !tosa.shape<8>, tensor<1xi8>) -> tensor<1x6x6x4xi8>
//       CHECK:   qnt.conv2d %[[PAD]]
func.func @pad_concat(%input: tensor<1x4x4x2xf32>) -> tensor<1x6x6x2xf32> {
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %relu = tosa.clamp %conv {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %conv2 = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %cat = tosa.concat %relu, %conv2 {axis = 3 : i32} : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x4xf32>
  %padding = tosa.const_shape {values = dense<[0, 0, 1, 1, 1, 1, 0, 0]> : tensor<8xindex>} : () -> !tosa.shape<8>
  %pad_value = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %padded = tosa.pad %cat, %padding, %pad_value : (tensor<1x4x4x4xf32>, !tosa.shape<8>, tensor<1xf32>) -> tensor<1x6x6x4xf32>
  %w3 = "tosa.const"() {values = dense<1.0> : tensor<2x1x1x4xf32>} : () -> tensor<2x1x1x4xf32>
  %conv3 = tosa.conv2d %padded, %w3, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x6x6x4xf32>, tensor<2x1x1x4xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x6x2xf32>
  return %conv3 : tensor<1x6x6x2xf32>
}

// -----

/// The file's weights for this layer (range [-0.5, 0.25]) are not the
/// layer's ([-1, 0.5]): the statistics were taken on other IR (as before
/// BN folding), so the pass warns; it still quantizes. (conv_relu's entry
/// matches, so it gets no warning.)
// CHECK-LABEL: func.func @stale_weight_statistics
//       CHECK:   qnt.conv2d
func.func @stale_weight_statistics(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-warning @+1 {{statistics for 'stale_weight_statistics.tosa.conv2d.0' were collected with other weights (range [-5.000000e-01, 2.500000e-01], here [-1.000000e+00, 5.000000e-01]): calibrate the IR this pass sees, after qnt-fold-batchnorm}}
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %conv : tensor<1x4x4x2xf32>
}

// -----

/// QDQ (as quant-import gives ONNX QuantizeLinear/DequantizeLinear): the
/// scales come from the IR, no statistics. The u8 input (0.02, zero point
/// 130) is held as i8 with zero point 2; the per-channel i8 weights keep
/// their qnt.constant; the float bias is b / (s_x * s_w) =
/// [0.5 / 2e-4, -0.25 / 1e-4] = [2500, -2500]; the u8 output quantize
/// (0.05, 10) is i8 with zero point -118, M = s_x * s_w / s_y = [0.004,
/// 0.002] = 1099511628 * 2^-[38, 39]; the ReLU is clamp_min = -118.
// CHECK-LABEL: func.func @qdq_conv_relu
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]:
//       CHECK:   %[[Q:.+]] = qnt.quantize %[[INPUT]] : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!quant.uniform<i8:f32, 2.000000e-02:2>>
//       CHECK:   %[[QS:.+]] = quant.scast %[[Q]] : {{.*}} to tensor<1x4x4x2xi8>
//       CHECK:   %[[W:.+]] = qnt.constant dense<{{\[\[\[\[}}64, -127]]], {{\[\[\[}}127, 64]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!quant.uniform<i8:f32:0, {1.000000e-02,5.000000e-03}>>
//       CHECK:   %[[WS:.+]] = quant.scast %[[W]]
//       CHECK:   %[[B:.+]] = "tosa.const"() <{values = dense<[2500, -2500]> : tensor<2xi32>}>
//       CHECK:   %[[ACC:.+]] = qnt.conv2d %[[QS]], %[[WS]], %[[B]] {input_zp = 2 : i32}
//       CHECK:   %[[Y:.+]] = qnt.requantize %[[ACC]] {axis = 3 : i64, clamp_min = -118 : i32, multiplier = array<i32: 1099511628, 1099511628>, output_zp = -118 : i32, shift = array<i32: 38, 39>}
//       CHECK:   %[[YQ:.+]] = quant.scast %[[Y]] : tensor<1x4x4x2xi8> to tensor<1x4x4x2x!quant.uniform<i8:f32, 5.000000e-02:-118>>
//       CHECK:   %[[OUT:.+]] = qnt.dequantize %[[YQ]]
//   CHECK-NOT:   qnt.quantize
//   CHECK-NOT:   tosa.
//       CHECK:   return %[[OUT]]

/// The options do not override QDQ weights: still per channel.
// PT-LABEL: func.func @qdq_conv_relu
//       PT:   qnt.constant {{.*}} -> tensor<2x1x1x2x!quant.uniform<i8:f32:0, {1.000000e-02,5.000000e-03}>>
func.func @qdq_conv_relu(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %q = qnt.quantize %input : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!quant.uniform<u8:f32, 2.000000e-02:130>>
  %x = qnt.dequantize %q : tensor<1x4x4x2x!quant.uniform<u8:f32, 2.000000e-02:130>> -> tensor<1x4x4x2xf32>
  %wq = qnt.constant dense<[[[[64, -127]]], [[[127, 64]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!quant.uniform<i8:f32:0, {1.000000e-02,5.000000e-03}>>
  %w = qnt.dequantize %wq : tensor<2x1x1x2x!quant.uniform<i8:f32:0, {1.000000e-02,5.000000e-03}>> -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %relu = tosa.clamp %conv {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %yq = qnt.quantize %relu : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!quant.uniform<u8:f32, 5.000000e-02:10>>
  %y = qnt.dequantize %yq : tensor<1x4x4x2x!quant.uniform<u8:f32, 5.000000e-02:10>> -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

/// PyTorch's Linear + separate ReLU: [1, K, N] weights per channel on axis
/// 2 with an i8<-8:7> type are stored [N, K] as i4; the i32 bias
/// dequantized and reshaped to [1, N] folds into the bias at
/// s_x * s_w = [0.05, 0.025]: [10, -20]; M = [0.25, 0.125]. The ReLU
/// between two quantizes of one scale (u8 zero point 10) clamps the i8
/// storage at the zero point -118.
// CHECK-LABEL: func.func @qdq_fc_relu
//       CHECK:   %[[Q:.+]] = qnt.quantize %{{.+}} : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32, 1.000000e-01>>
//       CHECK:   %[[W:.+]] = qnt.constant dense<{{\[\[}}7, 1, -3], [-8, 2, 4]]> : tensor<2x3xi4> -> tensor<2x3x!quant.uniform<i4:f32:0, {5.000000e-01,2.500000e-01}>>
//       CHECK:   %[[B:.+]] = "tosa.const"() <{values = dense<[10, -20]> : tensor<2xi32>}>
//       CHECK:   %[[ACC:.+]] = qnt.matmul %{{.+}}, %{{.+}}, %[[B]] : (tensor<2x3xi8>, tensor<2x3xi4>, tensor<2xi32>) -> tensor<2x2xi32>
//       CHECK:   %[[Y:.+]] = qnt.requantize %[[ACC]] {axis = 1 : i64, multiplier = array<i32: 1073741824, 1073741824>, output_zp = -118 : i32, shift = array<i32: 32, 33>}
//       CHECK:   %[[R:.+]] = tosa.clamp %[[Y]] {max_val = 127 : i8, min_val = -118 : i8} : (tensor<2x2xi8>) -> tensor<2x2xi8>
//       CHECK:   %[[RQ:.+]] = quant.scast %[[R]] : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8:f32, 2.000000e-01:-118>>
//       CHECK:   %[[OUT:.+]] = qnt.dequantize %[[RQ]]
//   CHECK-NOT:   qnt.quantize
//   CHECK-NOT:   qnt.dequantize
//       CHECK:   return %[[OUT]]
func.func @qdq_fc_relu(%input: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %q = qnt.quantize %input : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<u8:f32, 1.000000e-01:128>>
  %x = qnt.dequantize %q : tensor<2x3x!quant.uniform<u8:f32, 1.000000e-01:128>> -> tensor<2x3xf32>
  %s3 = tosa.const_shape {values = dense<[1, 2, 3]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %x3 = tosa.reshape %x, %s3 : (tensor<2x3xf32>, !tosa.shape<3>) -> tensor<1x2x3xf32>
  %wq = qnt.constant dense<[[[7, -8], [1, 2], [-3, 4]]]> : tensor<1x3x2xi8> -> tensor<1x3x2x!quant.uniform<i8<-8:7>:f32:2, {5.000000e-01,2.500000e-01}>>
  %w = qnt.dequantize %wq : tensor<1x3x2x!quant.uniform<i8<-8:7>:f32:2, {5.000000e-01,2.500000e-01}>> -> tensor<1x3x2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %mm = tosa.matmul %x3, %w, %zp, %zp : (tensor<1x2x3xf32>, tensor<1x3x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32>
  %s2 = tosa.const_shape {values = dense<[2, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %y = tosa.reshape %mm, %s2 : (tensor<1x2x2xf32>, !tosa.shape<2>) -> tensor<2x2xf32>
  %bq = qnt.constant dense<[10, -20]> : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32:0, {5.000000e-02,2.500000e-02}>>
  %bd = qnt.dequantize %bq : tensor<2x!quant.uniform<i32:f32:0, {5.000000e-02,2.500000e-02}>> -> tensor<2xf32>
  %s12 = tosa.const_shape {values = dense<[1, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %b = tosa.reshape %bd, %s12 : (tensor<2xf32>, !tosa.shape<2>) -> tensor<1x2xf32>
  %add = tosa.add %y, %b : (tensor<2x2xf32>, tensor<1x2xf32>) -> tensor<2x2xf32>
  %yq = qnt.quantize %add : tensor<2x2xf32> -> tensor<2x2x!quant.uniform<u8:f32, 2.000000e-01:10>>
  %yd = qnt.dequantize %yq : tensor<2x2x!quant.uniform<u8:f32, 2.000000e-01:10>> -> tensor<2x2xf32>
  %relu = tosa.clamp %yd {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %rq = qnt.quantize %relu : tensor<2x2xf32> -> tensor<2x2x!quant.uniform<u8:f32, 2.000000e-01:10>>
  %rd = qnt.dequantize %rq : tensor<2x2x!quant.uniform<u8:f32, 2.000000e-01:10>> -> tensor<2x2xf32>
  return %rd : tensor<2x2xf32>
}

// -----

/// A mixed model: the first conv has float weights and its input's scale
/// from statistics (qdq_mixed.arg0, +-1.27), its output scale from the QDQ
/// quantize after it (0.02, zero point -3); the second conv is QDQ.
// CHECK-LABEL: func.func @qdq_mixed
//       CHECK:   qnt.quantize %{{.+}} -> tensor<1x4x4x2x!quant.uniform<i8:f32, 0.0099999997764825821>>
//       CHECK:   qnt.constant {{.*}} -> tensor<2x1x1x2x!quant.uniform<i8:f32:0, {0.0078740157186985015,0.0019685039296746254}>>
//       CHECK:   %[[ACC1:.+]] = qnt.conv2d
//       CHECK:   %[[Y1:.+]] = qnt.requantize %[[ACC1]] {axis = 3 : i64, multiplier = array<i32: 1082196456, 1082196456>, output_zp = -3 : i32, shift = array<i32: 38, 40>}
//       CHECK:   %[[W2:.+]] = qnt.constant {{.*}} -> tensor<2x1x1x2x!quant.uniform<i8:f32:0, {1.000000e-02,5.000000e-03}>>
//       CHECK:   %[[W2S:.+]] = quant.scast %[[W2]]
//       CHECK:   %[[ACC2:.+]] = qnt.conv2d %[[Y1]], %[[W2S]], %{{.+}} {input_zp = -3 : i32}
//       CHECK:   qnt.requantize %[[ACC2]] {axis = 3 : i64, multiplier = array<i32: 1099511628, 1099511628>, shift = array<i32: 38, 39>}
//   CHECK-NOT:   tosa.conv2d
func.func @qdq_mixed(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %q = qnt.quantize %conv : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!quant.uniform<i8:f32, 2.000000e-02:-3>>
  %x = qnt.dequantize %q : tensor<1x4x4x2x!quant.uniform<i8:f32, 2.000000e-02:-3>> -> tensor<1x4x4x2xf32>
  %wq = qnt.constant dense<[[[[64, -127]]], [[[127, 64]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!quant.uniform<i8:f32:0, {1.000000e-02,5.000000e-03}>>
  %w2 = qnt.dequantize %wq : tensor<2x1x1x2x!quant.uniform<i8:f32:0, {1.000000e-02,5.000000e-03}>> -> tensor<2x1x1x2xf32>
  %conv2 = tosa.conv2d %x, %w2, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %yq = qnt.quantize %conv2 : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!quant.uniform<i8:f32, 5.000000e-02>>
  %y = qnt.dequantize %yq : tensor<1x4x4x2x!quant.uniform<i8:f32, 5.000000e-02>> -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

/// Depthwise with u8 per-tensor weights (zero point 3): stored as i8
/// (q - 128) with filter zero point -125 in the [C * M, KH, KW, 1] layout;
/// M = 0.1 * 0.01 / 0.04 = 0.025.
// CHECK-LABEL: func.func @qdq_depthwise_u8
//       CHECK:   %[[W:.+]] = qnt.constant dense<{{\[\[\[\[}}-128], [-108]], {{\[\[}}72], [92]]], {{\[\[\[}}-118], [-98]], {{\[\[}}82], [127]]]]> : tensor<2x2x2x1xi8> -> tensor<2x2x2x1x!quant.uniform<i8:f32, 1.000000e-02:-125>>
//       CHECK:   %[[ACC:.+]] = qnt.conv2d %{{.+}}, %{{.+}}, %{{.+}} {filter_zp = -125 : i32, groups = 2 : i64}
//       CHECK:   qnt.requantize %[[ACC]] {multiplier = array<i32: 1717986918>, shift = array<i32: 36>}
//   CHECK-NOT:   tosa.depthwise_conv2d
func.func @qdq_depthwise_u8(%input: tensor<1x3x3x2xf32>) -> tensor<1x2x2x2xf32> {
  %q = qnt.quantize %input : tensor<1x3x3x2xf32> -> tensor<1x3x3x2x!quant.uniform<i8:f32, 1.000000e-01>>
  %x = qnt.dequantize %q : tensor<1x3x3x2x!quant.uniform<i8:f32, 1.000000e-01>> -> tensor<1x3x3x2xf32>
  %wq = qnt.constant dense<[[[[0], [10]], [[20], [30]]], [[[200], [210]], [[220], [255]]]]> : tensor<2x2x2x1xi8> -> tensor<2x2x2x1x!quant.uniform<u8:f32, 1.000000e-02:3>>
  %w = qnt.dequantize %wq : tensor<2x2x2x1x!quant.uniform<u8:f32, 1.000000e-02:3>> -> tensor<2x2x2x1xf32>
  %b = "tosa.const"() {values = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %dw = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x2xf32>, tensor<2x2x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  %yq = qnt.quantize %dw : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!quant.uniform<i8:f32, 4.000000e-02>>
  %y = qnt.dequantize %yq : tensor<1x2x2x2x!quant.uniform<i8:f32, 4.000000e-02>> -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

/// QDQ weights per axis along the input channels (axis 3 of OHWI) cannot
/// be used as they are: the layer stays float, with a remark (not
/// requantized from the dequantized floats).
// CHECK-LABEL: func.func @qdq_axis_mismatch
//       CHECK:   qnt.constant {{.*}} -> tensor<2x1x1x2x!quant.uniform<i8:f32:3, {1.000000e-02,5.000000e-03}>>
//       CHECK:   tosa.conv2d
//   CHECK-NOT:   qnt.conv2d
func.func @qdq_axis_mismatch(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %q = qnt.quantize %input : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!quant.uniform<u8:f32, 2.000000e-02:128>>
  %x = qnt.dequantize %q : tensor<1x4x4x2x!quant.uniform<u8:f32, 2.000000e-02:128>> -> tensor<1x4x4x2xf32>
  %wq = qnt.constant dense<[[[[64, -127]]], [[[127, 64]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!quant.uniform<i8:f32:3, {1.000000e-02,5.000000e-03}>>
  %w = qnt.dequantize %wq : tensor<2x1x1x2x!quant.uniform<i8:f32:3, {1.000000e-02,5.000000e-03}>> -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-remark @below {{not quantized: its quantized weights are per-axis along axis 3, not an output-channel axis}}
  %conv = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %yq = qnt.quantize %conv : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!quant.uniform<u8:f32, 5.000000e-02:10>>
  %y = qnt.dequantize %yq : tensor<1x4x4x2x!quant.uniform<u8:f32, 5.000000e-02:10>> -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

/// Per-channel weight zero points that differ have no single filter zero
/// point: the layer stays float.
// CHECK-LABEL: func.func @qdq_zero_points_differ
//       CHECK:   tosa.conv2d
//   CHECK-NOT:   qnt.conv2d
func.func @qdq_zero_points_differ(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %q = qnt.quantize %input : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!quant.uniform<i8:f32, 2.000000e-02>>
  %x = qnt.dequantize %q : tensor<1x4x4x2x!quant.uniform<i8:f32, 2.000000e-02>> -> tensor<1x4x4x2xf32>
  %wq = qnt.constant dense<[[[[64, -127]]], [[[127, 64]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!quant.uniform<i8:f32:0, {1.000000e-02:1,5.000000e-03:2}>>
  %w = qnt.dequantize %wq : tensor<2x1x1x2x!quant.uniform<i8:f32:0, {1.000000e-02:1,5.000000e-03:2}>> -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-remark @below {{not quantized: its quantized weights have per-channel zero points that differ}}
  %conv = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %conv : tensor<1x4x4x2xf32>
}

// -----

/// A QDQ add (as PyTorch exports quantized::add_relu): the u8 input
/// (0.1, 128) is i8 with zero point 0, both inputs go to the common scale
/// max(0.1, 0.05) / 2^16 (multipliers 2^16 and 2^15), and the output
/// quantize (u8 0.2, zero point 3) gives the scale 2^-17 and, through the
/// ReLU, clamp_min = -125, without statistics.
// CHECK-LABEL: func.func @qdq_add
//       CHECK:   %[[A:.+]] = qnt.quantize %{{.+}} -> tensor<1x4x!quant.uniform<i8:f32, 1.000000e-01>>
//       CHECK:   %[[AW:.+]] = qnt.requantize %{{.+}} {multiplier = array<i32: 1073741824>, shift = array<i32: 14>}
//       CHECK:   %[[BW:.+]] = qnt.requantize %{{.+}} {multiplier = array<i32: 1073741824>, shift = array<i32: 15>}
//       CHECK:   %[[SUM:.+]] = tosa.add %[[AW]], %[[BW]] : (tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
//       CHECK:   %[[Y:.+]] = qnt.requantize %[[SUM]] {clamp_min = -125 : i32, multiplier = array<i32: 1073741824>, output_zp = -125 : i32, shift = array<i32: 47>}
//       CHECK:   quant.scast %[[Y]] : tensor<1x4xi8> to tensor<1x4x!quant.uniform<i8:f32, 2.000000e-01:-125>>
//   CHECK-NOT:   tosa.clamp
func.func @qdq_add(%a: tensor<1x4xf32>, %b: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %qa = qnt.quantize %a : tensor<1x4xf32> -> tensor<1x4x!quant.uniform<u8:f32, 1.000000e-01:128>>
  %da = qnt.dequantize %qa : tensor<1x4x!quant.uniform<u8:f32, 1.000000e-01:128>> -> tensor<1x4xf32>
  %qb = qnt.quantize %b : tensor<1x4xf32> -> tensor<1x4x!quant.uniform<i8:f32, 5.000000e-02>>
  %db = qnt.dequantize %qb : tensor<1x4x!quant.uniform<i8:f32, 5.000000e-02>> -> tensor<1x4xf32>
  %sum = tosa.add %da, %db : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  %relu = tosa.clamp %sum {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %qy = qnt.quantize %relu : tensor<1x4xf32> -> tensor<1x4x!quant.uniform<u8:f32, 2.000000e-01:3>>
  %y = qnt.dequantize %qy : tensor<1x4x!quant.uniform<u8:f32, 2.000000e-01:3>> -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}
