// RUN: quant-opt %s --split-input-file --verify-diagnostics \
// RUN:   --qnt-binarize="binarize-first-last=true" | FileCheck %s
// RUN: quant-opt %s --split-input-file --qnt-binarize="binarize-first-last=true report=-" \
// RUN:   -o /dev/null 2>/dev/null | FileCheck %s --check-prefix=REPORT
// RUN: quant-opt %s --split-input-file --qnt-binarize="report=-" -o /dev/null 2>/dev/null \
// RUN:   | FileCheck %s --check-prefix=DEFAULT

// The per-layer report (report=-) names each conv/matmul and what happened.
// REPORT: bn_sign_to_thresholds tosa.conv2d {{.*}}: binarized to qnt.bconv2d: K = 40 (2 words per pixel), pad_value = plus_one, alpha detected, thresholds (1 flipped, 1 constant)
// REPORT: bn_to_float_epilogue tosa.conv2d {{.*}}: binarized to qnt.bconv2d: {{.*}} float epilogue
// REPORT: relu_bn_sign_fuses tosa.conv2d {{.*}}: binarized {{.*}} thresholds (1 flipped, 1 constant)
// REPORT: negative_relu_then_sign tosa.conv2d {{.*}}: binarized {{.*}} float epilogue with clamp
// REPORT: zero_padding tosa.conv2d {{.*}}: binarized to qnt.bconv2d: K = 18 (1 words per pixel), pad_value = zero
// REPORT: packed_between_layers tosa.conv2d {{.*}}: binarized {{.*}} thresholds
// REPORT: packed_between_layers tosa.conv2d {{.*}}: binarized {{.*}} float epilogue
// REPORT: reshape_between_sign_and_matmul tosa.matmul {{.*}}: binarized to qnt.bmatmul: K = 12 (1 words per row), alpha detected, float epilogue
// REPORT: negative_alpha_not_detected tosa.conv2d {{.*}}: kept float: weights are not +-alpha
// REPORT: config_one_bit tosa.conv2d {{.*}}: binarized {{.*}} alpha = mean |W| (qnt.config)
// REPORT: negative_config_binary_weights_only tosa.conv2d {{.*}}: kept float: qnt.config asks for binary weights with multi-bit activations

// By default the first and the last conv/matmul of a function stay float.
// DEFAULT: bn_sign_to_thresholds tosa.conv2d {{.*}}: kept float: first layer (binarize-first-last=false)
// DEFAULT: packed_between_layers tosa.conv2d {{.*}}: kept float: first layer (binarize-first-last=false)
// DEFAULT: packed_between_layers tosa.conv2d {{.*}}: kept float: last layer (binarize-first-last=false)
// DEFAULT: config_one_bit tosa.conv2d {{.*}}: binarized

/// BN -> sign after a binary conv becomes integer thresholds: gamma > 0 gives
/// `dot >= t`, gamma < 0 flips the channel's weight bits (channel 1), gamma = 0
/// a constant bit (K + 1: never +1). C = 40 is not a multiple of 32: two words
/// per pixel, the second holding 8 bits.
// CHECK-LABEL: func.func @bn_sign_to_thresholds
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]:
//   CHECK-DAG:   %[[FILTER:.+]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}1, 0]]], {{\[\[\[}}-1048576, 255]]], {{\[\[\[}}0, 0]]]]> : tensor<3x1x1x2xi32>
//   CHECK-DAG:   %[[PACKED:.+]] = qnt.binarize %[[INPUT]] : tensor<1x4x4x40xf32> -> tensor<1x4x4x2xi32>
//       CHECK:   %[[BITS:.+]] = qnt.bconv2d %[[PACKED]], %[[FILTER]]
//  CHECK-SAME:     channels = 40
//  CHECK-SAME:     thresholds = array<i32: 5, -1, 41>
//  CHECK-SAME:     (tensor<1x4x4x2xi32>, tensor<3x1x1x2xi32>) -> tensor<1x4x4x1xi32>
//       CHECK:   %[[SIGN:.+]] = qnt.unpack %[[BITS]] : tensor<1x4x4x1xi32> -> tensor<1x4x4x3xf32>
//       CHECK:   return %[[SIGN]]
//   CHECK-NOT:   tosa.select
func.func @bn_sign_to_thresholds(%x: tensor<1x4x4x40xf32>) -> tensor<1x4x4x3xf32> {
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %one = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %mone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %pos = tosa.greater %x, %zero : (tensor<1x4x4x40xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x40xi1>
  %neg = tosa.greater %zero, %x : (tensor<1x1x1x1xf32>, tensor<1x4x4x40xf32>) -> tensor<1x4x4x40xi1>
  %nz = tosa.select %neg, %mone, %zero : (tensor<1x4x4x40xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x40xf32>
  %s = tosa.select %pos, %one, %nz : (tensor<1x4x4x40xi1>, tensor<1x1x1x1xf32>, tensor<1x4x4x40xf32>) -> tensor<1x4x4x40xf32>
  %w = "tosa.const"() <{values = dense<[[[[-5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]], [[[-5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]], [[[5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]]]> : tensor<3x1x1x40xf32>}> : () -> tensor<3x1x1x40xf32>
  %bias = "tosa.const"() <{values = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %s, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x40xf32>, tensor<3x1x1x40xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %gamma = "tosa.const"() <{values = dense<[2.0, -1.0, 0.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %beta = "tosa.const"() <{values = dense<[-3.0, 5.000000e-01, -1.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %mean = "tosa.const"() <{values = dense<[1.0, 2.500000e-01, 0.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %var = "tosa.const"() <{values = dense<1.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %n = qnt.batch_norm %y, %gamma, %beta, %mean, %var {axis = 3 : i64, epsilon = 0.0 : f64} : tensor<1x4x4x3xf32>, tensor<3xf32>
  %ozero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %oone = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %omone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %opos = tosa.greater %n, %ozero : (tensor<1x4x4x3xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x3xi1>
  %oneg = tosa.greater %ozero, %n : (tensor<1x1x1x1xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xi1>
  %onz = tosa.select %oneg, %omone, %ozero : (tensor<1x4x4x3xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x3xf32>
  %r = tosa.select %opos, %oone, %onz : (tensor<1x4x4x3xi1>, tensor<1x1x1x1xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  return %r : tensor<1x4x4x3xf32>
}

// -----

/// Without a sign after it, the batch norm composes with alpha into the float
/// epilogue: multiplier = gamma * alpha / sigma, bias = beta - gamma * mean / sigma.
// CHECK-LABEL: func.func @bn_to_float_epilogue
//       CHECK:   %[[OUT:.+]] = qnt.bconv2d
//  CHECK-SAME:     bias = array<f32: -5.000000e+00, 7.500000e-01, -1.000000e+00>
//  CHECK-SAME:     multiplier = array<f32: 1.000000e+00, -5.000000e-01, 0.000000e+00>
//  CHECK-SAME:     -> tensor<1x4x4x3xf32>
//   CHECK-NOT:   qnt.batch_norm
//       CHECK:   return %[[OUT]]
func.func @bn_to_float_epilogue(%x: tensor<1x4x4x40xf32>) -> tensor<1x4x4x3xf32> {
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %one = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %mone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %pos = tosa.greater %x, %zero : (tensor<1x4x4x40xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x40xi1>
  %neg = tosa.greater %zero, %x : (tensor<1x1x1x1xf32>, tensor<1x4x4x40xf32>) -> tensor<1x4x4x40xi1>
  %nz = tosa.select %neg, %mone, %zero : (tensor<1x4x4x40xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x40xf32>
  %s = tosa.select %pos, %one, %nz : (tensor<1x4x4x40xi1>, tensor<1x1x1x1xf32>, tensor<1x4x4x40xf32>) -> tensor<1x4x4x40xf32>
  %w = "tosa.const"() <{values = dense<[[[[-5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]], [[[-5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]], [[[5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]]]> : tensor<3x1x1x40xf32>}> : () -> tensor<3x1x1x40xf32>
  %bias = "tosa.const"() <{values = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %s, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x40xf32>, tensor<3x1x1x40xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %gamma = "tosa.const"() <{values = dense<[2.0, -1.0, 0.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %beta = "tosa.const"() <{values = dense<[-3.0, 5.000000e-01, -1.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %mean = "tosa.const"() <{values = dense<[1.0, 2.500000e-01, 0.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %var = "tosa.const"() <{values = dense<1.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %n = qnt.batch_norm %y, %gamma, %beta, %mean, %var {axis = 3 : i64, epsilon = 0.0 : f64} : tensor<1x4x4x3xf32>, tensor<3xf32>
  return %n : tensor<1x4x4x3xf32>
}

// -----

/// Conv -> ReLU -> BN -> sign fuses: with r = max(0.5 * dot, 0), channel 0
/// (r >= 1) needs dot >= 2, channel 1 (gamma < 0: r <= 0.5) is flipped with
/// threshold -1, channel 2 (r >= -1) always holds: -K - 1.
// CHECK-LABEL: func.func @relu_bn_sign_fuses
//       CHECK:   qnt.bconv2d
//  CHECK-SAME:     thresholds = array<i32: 2, -1, -41>
//   CHECK-NOT:   tosa.clamp
func.func @relu_bn_sign_fuses(%x: tensor<1x4x4x40xf32>) -> tensor<1x4x4x3xf32> {
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %one = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %mone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %pos = tosa.greater %x, %zero : (tensor<1x4x4x40xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x40xi1>
  %neg = tosa.greater %zero, %x : (tensor<1x1x1x1xf32>, tensor<1x4x4x40xf32>) -> tensor<1x4x4x40xi1>
  %nz = tosa.select %neg, %mone, %zero : (tensor<1x4x4x40xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x40xf32>
  %s = tosa.select %pos, %one, %nz : (tensor<1x4x4x40xi1>, tensor<1x1x1x1xf32>, tensor<1x4x4x40xf32>) -> tensor<1x4x4x40xf32>
  %w = "tosa.const"() <{values = dense<[[[[-5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]], [[[-5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]], [[[5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]]]> : tensor<3x1x1x40xf32>}> : () -> tensor<3x1x1x40xf32>
  %bias = "tosa.const"() <{values = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %s, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x40xf32>, tensor<3x1x1x40xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %relu = tosa.clamp %y {max_val = 3.40282347E+38 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %gamma = "tosa.const"() <{values = dense<[1.0, -1.0, 1.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %beta = "tosa.const"() <{values = dense<[-1.0, 5.000000e-01, 1.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %mean = "tosa.const"() <{values = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %var = "tosa.const"() <{values = dense<1.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %n = qnt.batch_norm %relu, %gamma, %beta, %mean, %var {axis = 3 : i64, epsilon = 0.0 : f64} : tensor<1x4x4x3xf32>, tensor<3xf32>
  %ozero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %oone = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %omone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %opos = tosa.greater %n, %ozero : (tensor<1x4x4x3xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x3xi1>
  %oneg = tosa.greater %ozero, %n : (tensor<1x1x1x1xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xi1>
  %onz = tosa.select %oneg, %omone, %ozero : (tensor<1x4x4x3xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x3xf32>
  %r = tosa.select %opos, %oone, %onz : (tensor<1x4x4x3xi1>, tensor<1x1x1x1xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  return %r : tensor<1x4x4x3xf32>
}

// -----

/// Conv -> BN -> ReLU -> sign does not fuse: ONNX's sign of a ReLU output is 0
/// for every negative pre-activation, which +-1 cannot represent. The BN and
/// the ReLU still fold into the float epilogue (clamp); the sign stays float.
// CHECK-LABEL: func.func @negative_relu_then_sign
//       CHECK:   %[[OUT:.+]] = qnt.bconv2d
//  CHECK-SAME:     clamp_max = 3.40282347E+38 : f32, clamp_min = 0.000000e+00 : f32
//  CHECK-SAME:     -> tensor<1x4x4x3xf32>
//       CHECK:   tosa.greater %[[OUT]]
//       CHECK:   tosa.select
func.func @negative_relu_then_sign(%x: tensor<1x4x4x40xf32>) -> tensor<1x4x4x3xf32> {
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %one = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %mone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %pos = tosa.greater %x, %zero : (tensor<1x4x4x40xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x40xi1>
  %neg = tosa.greater %zero, %x : (tensor<1x1x1x1xf32>, tensor<1x4x4x40xf32>) -> tensor<1x4x4x40xi1>
  %nz = tosa.select %neg, %mone, %zero : (tensor<1x4x4x40xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x40xf32>
  %s = tosa.select %pos, %one, %nz : (tensor<1x4x4x40xi1>, tensor<1x1x1x1xf32>, tensor<1x4x4x40xf32>) -> tensor<1x4x4x40xf32>
  %w = "tosa.const"() <{values = dense<[[[[-5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]], [[[-5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]], [[[5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]]]> : tensor<3x1x1x40xf32>}> : () -> tensor<3x1x1x40xf32>
  %bias = "tosa.const"() <{values = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %s, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x40xf32>, tensor<3x1x1x40xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %gamma = "tosa.const"() <{values = dense<[2.0, -1.0, 0.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %beta = "tosa.const"() <{values = dense<[-3.0, 5.000000e-01, -1.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %mean = "tosa.const"() <{values = dense<[1.0, 2.500000e-01, 0.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %var = "tosa.const"() <{values = dense<1.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %n = qnt.batch_norm %y, %gamma, %beta, %mean, %var {axis = 3 : i64, epsilon = 0.0 : f64} : tensor<1x4x4x3xf32>, tensor<3xf32>
  %relu = tosa.clamp %n {max_val = 3.40282347E+38 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %ozero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %oone = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %omone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %opos = tosa.greater %relu, %ozero : (tensor<1x4x4x3xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x3xi1>
  %oneg = tosa.greater %ozero, %relu : (tensor<1x1x1x1xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xi1>
  %onz = tosa.select %oneg, %omone, %ozero : (tensor<1x4x4x3xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x3xf32>
  // expected-remark @+1 {{the sign of a clamped value is 0 on a whole range}}
  %r = tosa.select %opos, %oone, %onz : (tensor<1x4x4x3xi1>, tensor<1x1x1x1xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  return %r : tensor<1x4x4x3xf32>
}

// -----

/// Max pool before the batch norm: with gamma < 0 the max would become a min,
/// so the layer keeps a float epilogue (alpha only) and the pool, BN and sign
/// stay float ops.
// CHECK-LABEL: func.func @negative_pool_before_bn
//       CHECK:   %[[OUT:.+]] = qnt.bconv2d
//  CHECK-SAME:     multiplier = array<f32: 5.000000e-01, 5.000000e-01, 5.000000e-01>
//  CHECK-SAME:     -> tensor<1x4x4x3xf32>
//       CHECK:   tosa.max_pool2d %[[OUT]]
//       CHECK:   qnt.batch_norm
func.func @negative_pool_before_bn(%x: tensor<1x4x4x40xf32>) -> tensor<1x2x2x3xf32> {
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %one = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %mone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %pos = tosa.greater %x, %zero : (tensor<1x4x4x40xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x40xi1>
  %neg = tosa.greater %zero, %x : (tensor<1x1x1x1xf32>, tensor<1x4x4x40xf32>) -> tensor<1x4x4x40xi1>
  %nz = tosa.select %neg, %mone, %zero : (tensor<1x4x4x40xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x40xf32>
  %s = tosa.select %pos, %one, %nz : (tensor<1x4x4x40xi1>, tensor<1x1x1x1xf32>, tensor<1x4x4x40xf32>) -> tensor<1x4x4x40xf32>
  %w = "tosa.const"() <{values = dense<[[[[-5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]], [[[-5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]], [[[5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]]]> : tensor<3x1x1x40xf32>}> : () -> tensor<3x1x1x40xf32>
  %bias = "tosa.const"() <{values = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %s, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x40xf32>, tensor<3x1x1x40xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %p = tosa.max_pool2d %y {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32>
  %gamma = "tosa.const"() <{values = dense<[2.0, -1.0, 0.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %beta = "tosa.const"() <{values = dense<[-3.0, 5.000000e-01, -1.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %mean = "tosa.const"() <{values = dense<[1.0, 2.500000e-01, 0.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %var = "tosa.const"() <{values = dense<1.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  // expected-remark @+1 {{batch norm after max_pool2d does not fuse}}
  %n = qnt.batch_norm %p, %gamma, %beta, %mean, %var {axis = 3 : i64, epsilon = 0.0 : f64} : tensor<1x2x2x3xf32>, tensor<3xf32>
  %ozero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %oone = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %omone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %opos = tosa.greater %n, %ozero : (tensor<1x2x2x3xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x2x3xi1>
  %oneg = tosa.greater %ozero, %n : (tensor<1x1x1x1xf32>, tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xi1>
  %onz = tosa.select %oneg, %omone, %ozero : (tensor<1x2x2x3xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x2x3xf32>
  %r = tosa.select %opos, %oone, %onz : (tensor<1x2x2x3xi1>, tensor<1x1x1x1xf32>, tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  return %r : tensor<1x2x2x3xf32>
}

// -----

/// The convolution pads its +-1 input with zeros (ONNX/TOSA), which is not a
/// +-1 value: pad_value = zero. Channel 1 is -alpha except one tap.
// CHECK-LABEL: func.func @zero_padding
//   CHECK-DAG:   %[[FILTER:.+]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}0], [0], [0]], {{\[\[}}0], [0], [0]], {{\[\[}}0], [0], [0]]], {{\[\[\[}}3], [3], [3]], {{\[\[}}3], [2], [3]], {{\[\[}}3], [3], [3]]]]> : tensor<2x3x3x1xi32>
//       CHECK:   qnt.bconv2d %{{.+}}, %[[FILTER]]
//  CHECK-SAME:     channels = 2
//  CHECK-SAME:     multiplier = array<f32: 2.500000e-01, 2.500000e-01>
//  CHECK-SAME:     pad = array<i64: 1, 1, 1, 1>, pad_value = #qnt.pad_value<zero>
func.func @zero_padding(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %one = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %mone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %pos = tosa.greater %x, %zero : (tensor<1x4x4x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x2xi1>
  %neg = tosa.greater %zero, %x : (tensor<1x1x1x1xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xi1>
  %nz = tosa.select %neg, %mone, %zero : (tensor<1x4x4x2xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x2xf32>
  %s = tosa.select %pos, %one, %nz : (tensor<1x4x4x2xi1>, tensor<1x1x1x1xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %w = "tosa.const"() <{values = dense<[[[[2.500000e-01, 2.500000e-01], [2.500000e-01, 2.500000e-01], [2.500000e-01, 2.500000e-01]], [[2.500000e-01, 2.500000e-01], [2.500000e-01, 2.500000e-01], [2.500000e-01, 2.500000e-01]], [[2.500000e-01, 2.500000e-01], [2.500000e-01, 2.500000e-01], [2.500000e-01, 2.500000e-01]]], [[[-2.500000e-01, -2.500000e-01], [-2.500000e-01, -2.500000e-01], [-2.500000e-01, -2.500000e-01]], [[-2.500000e-01, -2.500000e-01], [2.500000e-01, -2.500000e-01], [-2.500000e-01, -2.500000e-01]], [[-2.500000e-01, -2.500000e-01], [-2.500000e-01, -2.500000e-01], [-2.500000e-01, -2.500000e-01]]]]> : tensor<2x3x3x2xf32>}> : () -> tensor<2x3x3x2xf32>
  %bias = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %s, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x3x3x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

/// A +1 tosa.pad of the sign before an unpadded convolution is the native
/// padding: the pad moves into the bconv2d with pad_value = plus_one.
// CHECK-LABEL: func.func @plus_one_padding
//       CHECK:   qnt.bconv2d
//  CHECK-SAME:     pad = array<i64: 1, 1, 1, 1>
//   CHECK-NOT:     pad_value = zero
//  CHECK-SAME:     (tensor<1x4x4x1xi32>, tensor<2x3x3x1xi32>) -> tensor<1x4x4x2xf32>
//   CHECK-NOT:   tosa.pad
func.func @plus_one_padding(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %one = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %mone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %pos = tosa.greater %x, %zero : (tensor<1x4x4x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x2xi1>
  %neg = tosa.greater %zero, %x : (tensor<1x1x1x1xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xi1>
  %nz = tosa.select %neg, %mone, %zero : (tensor<1x4x4x2xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x2xf32>
  %s = tosa.select %pos, %one, %nz : (tensor<1x4x4x2xi1>, tensor<1x1x1x1xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %padding = tosa.const_shape {values = dense<[0, 0, 1, 1, 1, 1, 0, 0]> : tensor<8xindex>} : () -> !tosa.shape<8>
  %padone = "tosa.const"() <{values = dense<1.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %sp = tosa.pad %s, %padding, %padone : (tensor<1x4x4x2xf32>, !tosa.shape<8>, tensor<1xf32>) -> tensor<1x6x6x2xf32>
  %w = "tosa.const"() <{values = dense<[[[[2.500000e-01, 2.500000e-01], [2.500000e-01, 2.500000e-01], [2.500000e-01, 2.500000e-01]], [[2.500000e-01, 2.500000e-01], [2.500000e-01, 2.500000e-01], [2.500000e-01, 2.500000e-01]], [[2.500000e-01, 2.500000e-01], [2.500000e-01, 2.500000e-01], [2.500000e-01, 2.500000e-01]]], [[[-2.500000e-01, -2.500000e-01], [-2.500000e-01, -2.500000e-01], [-2.500000e-01, -2.500000e-01]], [[-2.500000e-01, -2.500000e-01], [2.500000e-01, -2.500000e-01], [-2.500000e-01, -2.500000e-01]], [[-2.500000e-01, -2.500000e-01], [-2.500000e-01, -2.500000e-01], [-2.500000e-01, -2.500000e-01]]]]> : tensor<2x3x3x2xf32>}> : () -> tensor<2x3x3x2xf32>
  %bias = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %sp, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x6x6x2xf32>, tensor<2x3x3x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

/// Two binary layers with BN -> max pool -> sign between them: the first
/// produces bits, the pool is an AND of words, and the second reads the words
/// directly; nothing is unpacked or re-binarized in between.
// CHECK-LABEL: func.func @packed_between_layers
//       CHECK:   %[[BITS:.+]] = qnt.bconv2d
//  CHECK-SAME:     thresholds = array<i32: 5, -1, 41>
//       CHECK:   %[[POOLED:.+]] = qnt.bmaxpool2d %[[BITS]] {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<1x4x4x1xi32> -> tensor<1x2x2x1xi32>
//   CHECK-NOT:   qnt.unpack
//   CHECK-NOT:   qnt.binarize
//       CHECK:   %[[OUT:.+]] = qnt.bconv2d %[[POOLED]]
//  CHECK-SAME:     channels = 3
//  CHECK-SAME:     multiplier = array<f32: 5.000000e-01, 2.500000e-01>
//  CHECK-SAME:     -> tensor<1x2x2x2xf32>
//       CHECK:   return %[[OUT]]
func.func @packed_between_layers(%x: tensor<1x4x4x40xf32>) -> tensor<1x2x2x2xf32> {
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %one = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %mone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %pos = tosa.greater %x, %zero : (tensor<1x4x4x40xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x40xi1>
  %neg = tosa.greater %zero, %x : (tensor<1x1x1x1xf32>, tensor<1x4x4x40xf32>) -> tensor<1x4x4x40xi1>
  %nz = tosa.select %neg, %mone, %zero : (tensor<1x4x4x40xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x40xf32>
  %s = tosa.select %pos, %one, %nz : (tensor<1x4x4x40xi1>, tensor<1x1x1x1xf32>, tensor<1x4x4x40xf32>) -> tensor<1x4x4x40xf32>
  %w = "tosa.const"() <{values = dense<[[[[-5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]], [[[-5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]], [[[5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]]]> : tensor<3x1x1x40xf32>}> : () -> tensor<3x1x1x40xf32>
  %bias = "tosa.const"() <{values = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %s, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x40xf32>, tensor<3x1x1x40xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %gamma = "tosa.const"() <{values = dense<[2.0, -1.0, 0.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %beta = "tosa.const"() <{values = dense<[-3.0, 5.000000e-01, -1.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %mean = "tosa.const"() <{values = dense<[1.0, 2.500000e-01, 0.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %var = "tosa.const"() <{values = dense<1.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %n = qnt.batch_norm %y, %gamma, %beta, %mean, %var {axis = 3 : i64, epsilon = 0.0 : f64} : tensor<1x4x4x3xf32>, tensor<3xf32>
  %p = tosa.max_pool2d %n {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32>
  %ozero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %oone = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %omone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %opos = tosa.greater %p, %ozero : (tensor<1x2x2x3xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x2x3xi1>
  %oneg = tosa.greater %ozero, %p : (tensor<1x1x1x1xf32>, tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xi1>
  %onz = tosa.select %oneg, %omone, %ozero : (tensor<1x2x2x3xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x2x3xf32>
  %r = tosa.select %opos, %oone, %onz : (tensor<1x2x2x3xi1>, tensor<1x1x1x1xf32>, tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  %w2 = "tosa.const"() <{values = dense<[[[[5.000000e-01, -5.000000e-01, 5.000000e-01]]], [[[-2.500000e-01, -2.500000e-01, -2.500000e-01]]]]> : tensor<2x1x1x3xf32>}> : () -> tensor<2x1x1x3xf32>
  %bias2 = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %z = tosa.conv2d %r, %w2, %bias2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  return %z : tensor<1x2x2x2xf32>
}

// -----

/// A flatten (NHWC -> NCHW transpose and reshapes, as imported from ONNX)
/// between the sign and a binary matmul: the flatten is replayed on the sign's
/// input, which is binarized as [M, K] (K = 12 fits one word); the sign is
/// gone. Column 0 of the weights is -alpha at k = 3, column 1 at k = 1. The
/// BN after the importer's reshape joins the epilogue.
// CHECK-LABEL: func.func @reshape_between_sign_and_matmul
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]:
//       CHECK:   tosa.transpose %[[INPUT]]
//       CHECK:   %[[FLAT:.+]] = tosa.reshape %{{.+}} : (tensor<1x1x12xf32>, !tosa.shape<2>) -> tensor<1x12xf32>
//       CHECK:   %[[PACKED:.+]] = qnt.binarize %[[FLAT]] : tensor<1x12xf32> -> tensor<1x1xi32>
//       CHECK:   %[[FILTER:.+]] = "tosa.const"() <{values = dense<{{\[\[}}8], [2]]> : tensor<2x1xi32>}>
//       CHECK:   %[[OUT:.+]] = qnt.bmatmul %[[PACKED]], %[[FILTER]] {bias = array<f32: 1.000000e+00, 1.000000e+00>, k = 12 : i64, multiplier = array<f32: 5.000000e-01, -5.000000e-01>} : (tensor<1x1xi32>, tensor<2x1xi32>) -> tensor<1x2xf32>
//   CHECK-NOT:   tosa.select
//       CHECK:   return %[[OUT]]
func.func @reshape_between_sign_and_matmul(%x: tensor<1x2x2x3xf32>) -> tensor<1x2xf32> {
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %one = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %mone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %pos = tosa.greater %x, %zero : (tensor<1x2x2x3xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x2x3xi1>
  %neg = tosa.greater %zero, %x : (tensor<1x1x1x1xf32>, tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xi1>
  %nz = tosa.select %neg, %mone, %zero : (tensor<1x2x2x3xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x2x3xf32>
  %s = tosa.select %pos, %one, %nz : (tensor<1x2x2x3xi1>, tensor<1x1x1x1xf32>, tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  %t = tosa.transpose %s {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x2x2x3xf32>) -> tensor<1x3x2x2xf32>
  %shape2 = tosa.const_shape {values = dense<[1, 12]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %f = tosa.reshape %t, %shape2 : (tensor<1x3x2x2xf32>, !tosa.shape<2>) -> tensor<1x12xf32>
  %shape3 = tosa.const_shape {values = dense<[1, 1, 12]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %f3 = tosa.reshape %f, %shape3 : (tensor<1x12xf32>, !tosa.shape<3>) -> tensor<1x1x12xf32>
  %w = "tosa.const"() <{values = dense<[[[5.000000e-01, 5.000000e-01], [5.000000e-01, -5.000000e-01], [5.000000e-01, 5.000000e-01], [-5.000000e-01, 5.000000e-01], [5.000000e-01, 5.000000e-01], [5.000000e-01, 5.000000e-01], [5.000000e-01, 5.000000e-01], [5.000000e-01, 5.000000e-01], [5.000000e-01, 5.000000e-01], [5.000000e-01, 5.000000e-01], [5.000000e-01, 5.000000e-01], [5.000000e-01, 5.000000e-01]]]> : tensor<1x12x2xf32>}> : () -> tensor<1x12x2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %mm = tosa.matmul %f3, %w, %zp, %zp : (tensor<1x1x12xf32>, tensor<1x12x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %out_shape = tosa.const_shape {values = dense<[1, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %mm2 = tosa.reshape %mm, %out_shape : (tensor<1x1x2xf32>, !tosa.shape<2>) -> tensor<1x2xf32>
  %gamma = "tosa.const"() <{values = dense<[1.0, -1.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %beta = "tosa.const"() <{values = dense<1.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %mean = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %var = "tosa.const"() <{values = dense<1.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %n = qnt.batch_norm %mm2, %gamma, %beta, %mean, %var {axis = 1 : i64, epsilon = 0.0 : f64} : tensor<1x2xf32>, tensor<2xf32>
  return %n : tensor<1x2xf32>
}

// -----

/// Packed activations flattened in NCHW order feed the bmatmul as words
/// (C = 32: whole words per pixel); the weight rows are permuted to NHWC
/// order at compile time instead.
// CHECK-LABEL: func.func @packed_flatten_to_matmul
//       CHECK:   %[[BITS:.+]] = qnt.bconv2d
//  CHECK-SAME:     -> tensor<1x2x2x1xi32>
//       CHECK:   %[[WORDS:.+]] = tosa.reshape %[[BITS]], %{{.+}} : (tensor<1x2x2x1xi32>, !tosa.shape<2>) -> tensor<1x4xi32>
//       CHECK:   qnt.bmatmul %[[WORDS]], %{{.+}} {{.*}}k = 128 : i64
//   CHECK-NOT:   qnt.unpack
//   CHECK-NOT:   tosa.transpose
func.func @packed_flatten_to_matmul(%x: tensor<1x2x2x1xf32>) -> tensor<1x2xf32> {
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %one = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %mone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %pos = tosa.greater %x, %zero : (tensor<1x2x2x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x2x1xi1>
  %neg = tosa.greater %zero, %x : (tensor<1x1x1x1xf32>, tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xi1>
  %nz = tosa.select %neg, %mone, %zero : (tensor<1x2x2x1xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x2x1xf32>
  %s = tosa.select %pos, %one, %nz : (tensor<1x2x2x1xi1>, tensor<1x1x1x1xf32>, tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %w = "tosa.const"() <{values = dense<5.000000e-01> : tensor<32x1x1x1xf32>}> : () -> tensor<32x1x1x1xf32>
  %bias = "tosa.const"() <{values = dense<0.0> : tensor<32xf32>}> : () -> tensor<32xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %s, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x1xf32>, tensor<32x1x1x1xf32>, tensor<32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x32xf32>
  %gamma = "tosa.const"() <{values = dense<1.0> : tensor<32xf32>}> : () -> tensor<32xf32>
  %beta = "tosa.const"() <{values = dense<0.0> : tensor<32xf32>}> : () -> tensor<32xf32>
  %mean = "tosa.const"() <{values = dense<0.0> : tensor<32xf32>}> : () -> tensor<32xf32>
  %var = "tosa.const"() <{values = dense<1.0> : tensor<32xf32>}> : () -> tensor<32xf32>
  %n = qnt.batch_norm %y, %gamma, %beta, %mean, %var {axis = 3 : i64, epsilon = 0.0 : f64} : tensor<1x2x2x32xf32>, tensor<32xf32>
  %ozero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %oone = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %omone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %opos = tosa.greater %n, %ozero : (tensor<1x2x2x32xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x2x32xi1>
  %oneg = tosa.greater %ozero, %n : (tensor<1x1x1x1xf32>, tensor<1x2x2x32xf32>) -> tensor<1x2x2x32xi1>
  %onz = tosa.select %oneg, %omone, %ozero : (tensor<1x2x2x32xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x2x32xf32>
  %r = tosa.select %opos, %oone, %onz : (tensor<1x2x2x32xi1>, tensor<1x1x1x1xf32>, tensor<1x2x2x32xf32>) -> tensor<1x2x2x32xf32>
  %t = tosa.transpose %r {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x2x2x32xf32>) -> tensor<1x32x2x2xf32>
  %shape2 = tosa.const_shape {values = dense<[1, 128]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %f = tosa.reshape %t, %shape2 : (tensor<1x32x2x2xf32>, !tosa.shape<2>) -> tensor<1x128xf32>
  %shape3 = tosa.const_shape {values = dense<[1, 1, 128]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %f3 = tosa.reshape %f, %shape3 : (tensor<1x128xf32>, !tosa.shape<3>) -> tensor<1x1x128xf32>
  %w2 = "tosa.const"() <{values = dense<2.500000e-01> : tensor<1x128x2xf32>}> : () -> tensor<1x128x2xf32>
  %mm = tosa.matmul %f3, %w2, %zp, %zp : (tensor<1x1x128xf32>, tensor<1x128x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %out_shape = tosa.const_shape {values = dense<[1, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %mm2 = tosa.reshape %mm, %out_shape : (tensor<1x1x2xf32>, !tosa.shape<2>) -> tensor<1x2xf32>
  return %mm2 : tensor<1x2xf32>
}

// -----

/// Weights that are not +-alpha per output channel: the layer stays float and
/// says why.
// CHECK-LABEL: func.func @negative_alpha_not_detected
//       CHECK:   tosa.conv2d
//   CHECK-NOT:   qnt.bconv2d
func.func @negative_alpha_not_detected(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %one = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %mone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %pos = tosa.greater %x, %zero : (tensor<1x4x4x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x2xi1>
  %neg = tosa.greater %zero, %x : (tensor<1x1x1x1xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xi1>
  %nz = tosa.select %neg, %mone, %zero : (tensor<1x4x4x2xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x2xf32>
  %s = tosa.select %pos, %one, %nz : (tensor<1x4x4x2xi1>, tensor<1x1x1x1xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %w = "tosa.const"() <{values = dense<[[[[5.000000e-01, 2.500000e-01]]], [[[5.000000e-01, -5.000000e-01]]]]> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %bias = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // expected-remark @+1 {{not binarized: weights are not +-alpha per output channel: channel 0 has |w| in [0.25, 0.50]}}
  %y = tosa.conv2d %s, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

/// qnt.config asks for 1 bit: no sign in the graph and weights of any
/// magnitude; alpha = mean |W[o]| (0.375 and 0.5) and the input is binarized.
// CHECK-LABEL: func.func @config_one_bit
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]:
//       CHECK:   %[[PACKED:.+]] = qnt.binarize %[[INPUT]]
//       CHECK:   qnt.bconv2d %[[PACKED]]
//  CHECK-SAME:     multiplier = array<f32: 3.750000e-01, 5.000000e-01>
func.func @config_one_bit(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() <{values = dense<[[[[5.000000e-01, 2.500000e-01]]], [[[5.000000e-01, -5.000000e-01]]]]> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %bias = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, qnt.config = #qnt.config<weight_bits = 1, activation_bits = 1, scheme = symmetric, granularity = per_channel>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

/// Binary weights with 8-bit activations have no XNOR-popcount form.
// CHECK-LABEL: func.func @negative_config_binary_weights_only
//       CHECK:   tosa.conv2d
func.func @negative_config_binary_weights_only(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() <{values = dense<[[[[5.000000e-01, 2.500000e-01]]], [[[5.000000e-01, -5.000000e-01]]]]> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %bias = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // expected-remark @+1 {{not binarized: qnt.config asks for binary weights with multi-bit activations}}
  %y = tosa.conv2d %x, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, qnt.config = #qnt.config<weight_bits = 1, activation_bits = 8, scheme = symmetric, granularity = per_channel>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

/// variance + epsilon = 0 makes the BN scale infinite: no thresholds, the
/// sign stays float.
// CHECK-LABEL: func.func @negative_non_finite_bn
//       CHECK:   qnt.bconv2d
//  CHECK-SAME:     -> tensor<1x4x4x3xf32>
//       CHECK:   tosa.select
func.func @negative_non_finite_bn(%x: tensor<1x4x4x40xf32>) -> tensor<1x4x4x3xf32> {
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %one = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %mone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %pos = tosa.greater %x, %zero : (tensor<1x4x4x40xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x40xi1>
  %neg = tosa.greater %zero, %x : (tensor<1x1x1x1xf32>, tensor<1x4x4x40xf32>) -> tensor<1x4x4x40xi1>
  %nz = tosa.select %neg, %mone, %zero : (tensor<1x4x4x40xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x40xf32>
  %s = tosa.select %pos, %one, %nz : (tensor<1x4x4x40xi1>, tensor<1x1x1x1xf32>, tensor<1x4x4x40xf32>) -> tensor<1x4x4x40xf32>
  %w = "tosa.const"() <{values = dense<[[[[-5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]], [[[-5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]], [[[5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]]]> : tensor<3x1x1x40xf32>}> : () -> tensor<3x1x1x40xf32>
  %bias = "tosa.const"() <{values = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %s, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x40xf32>, tensor<3x1x1x40xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %gamma = "tosa.const"() <{values = dense<[2.0, -1.0, 0.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %beta = "tosa.const"() <{values = dense<[-3.0, 5.000000e-01, -1.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %mean = "tosa.const"() <{values = dense<[1.0, 2.500000e-01, 0.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %var = "tosa.const"() <{values = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %n = qnt.batch_norm %y, %gamma, %beta, %mean, %var {axis = 3 : i64, epsilon = 0.0 : f64} : tensor<1x4x4x3xf32>, tensor<3xf32>
  %ozero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %oone = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %omone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %opos = tosa.greater %n, %ozero : (tensor<1x4x4x3xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x3xi1>
  %oneg = tosa.greater %ozero, %n : (tensor<1x1x1x1xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xi1>
  %onz = tosa.select %oneg, %omone, %ozero : (tensor<1x4x4x3xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x3xf32>
  // expected-remark @+1 {{the epilogue before this sign is not finite}}
  %r = tosa.select %opos, %oone, %onz : (tensor<1x4x4x3xi1>, tensor<1x1x1x1xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  return %r : tensor<1x4x4x3xf32>
}

// -----

/// select(x >= 0, 1, -1) is a sign too; a tosa.mul and a tosa.add by
/// per-channel constants (either operand order) compose into the epilogue:
/// multiplier = 0.5 * [2, -1, 4], bias = 1.
// CHECK-LABEL: func.func @ge_sign_and_tosa_affine
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]:
//       CHECK:   qnt.binarize %[[INPUT]]
//       CHECK:   %[[OUT:.+]] = qnt.bconv2d
//  CHECK-SAME:     bias = array<f32: 1.000000e+00, 1.000000e+00, 1.000000e+00>
//  CHECK-SAME:     multiplier = array<f32: 1.000000e+00, -5.000000e-01, 2.000000e+00>
//   CHECK-NOT:   tosa.select
//   CHECK-NOT:   tosa.mul
//       CHECK:   return %[[OUT]]
func.func @ge_sign_and_tosa_affine(%x: tensor<1x4x4x40xf32>) -> tensor<1x4x4x3xf32> {
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %one = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %mone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %ge = tosa.greater_equal %x, %zero : (tensor<1x4x4x40xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x40xi1>
  %s = tosa.select %ge, %one, %mone : (tensor<1x4x4x40xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x40xf32>
  %w = "tosa.const"() <{values = dense<[[[[-5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]], [[[-5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]], [[[5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]]]> : tensor<3x1x1x40xf32>}> : () -> tensor<3x1x1x40xf32>
  %bias = "tosa.const"() <{values = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %s, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x40xf32>, tensor<3x1x1x40xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %scale = "tosa.const"() <{values = dense<[[[[2.0, -1.0, 4.0]]]]> : tensor<1x1x1x3xf32>}> : () -> tensor<1x1x1x3xf32>
  %shift = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x3xf32>}> : () -> tensor<1x1x1x3xf32>
  %mulshift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %m = tosa.mul %y, %scale, %mulshift : (tensor<1x4x4x3xf32>, tensor<1x1x1x3xf32>, tensor<1xi8>) -> tensor<1x4x4x3xf32>
  %n = tosa.add %shift, %m : (tensor<1x1x1x3xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  return %n : tensor<1x4x4x3xf32>
}

// -----

/// The same with a scale between the ReLU and the sign: 2 * relu(z) is still
/// 0 on a whole range, so no thresholds either.
// CHECK-LABEL: func.func @negative_relu_scaled_then_sign
//       CHECK:   qnt.bconv2d
//  CHECK-SAME:     clamp_min = 0.000000e+00 : f32
//  CHECK-SAME:     -> tensor<1x4x4x3xf32>
//       CHECK:   tosa.mul
//       CHECK:   tosa.select
func.func @negative_relu_scaled_then_sign(%x: tensor<1x4x4x40xf32>) -> tensor<1x4x4x3xf32> {
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %one = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %mone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %pos = tosa.greater %x, %zero : (tensor<1x4x4x40xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x40xi1>
  %neg = tosa.greater %zero, %x : (tensor<1x1x1x1xf32>, tensor<1x4x4x40xf32>) -> tensor<1x4x4x40xi1>
  %nz = tosa.select %neg, %mone, %zero : (tensor<1x4x4x40xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x40xf32>
  %s = tosa.select %pos, %one, %nz : (tensor<1x4x4x40xi1>, tensor<1x1x1x1xf32>, tensor<1x4x4x40xf32>) -> tensor<1x4x4x40xf32>
  %w = "tosa.const"() <{values = dense<[[[[-5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]], [[[-5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, -5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]], [[[5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01]]]]> : tensor<3x1x1x40xf32>}> : () -> tensor<3x1x1x40xf32>
  %bias = "tosa.const"() <{values = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %s, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x40xf32>, tensor<3x1x1x40xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %gamma = "tosa.const"() <{values = dense<[2.0, -1.0, 0.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %beta = "tosa.const"() <{values = dense<[-3.0, 5.000000e-01, -1.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %mean = "tosa.const"() <{values = dense<[1.0, 2.500000e-01, 0.0]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %var = "tosa.const"() <{values = dense<1.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %n = qnt.batch_norm %y, %gamma, %beta, %mean, %var {axis = 3 : i64, epsilon = 0.0 : f64} : tensor<1x4x4x3xf32>, tensor<3xf32>
  %relu = tosa.clamp %n {max_val = 3.40282347E+38 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %two = "tosa.const"() <{values = dense<2.0> : tensor<1x1x1x3xf32>}> : () -> tensor<1x1x1x3xf32>
  %mulshift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %scaled = tosa.mul %relu, %two, %mulshift : (tensor<1x4x4x3xf32>, tensor<1x1x1x3xf32>, tensor<1xi8>) -> tensor<1x4x4x3xf32>
  %ozero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %oone = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %omone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %opos = tosa.greater %scaled, %ozero : (tensor<1x4x4x3xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x3xi1>
  %oneg = tosa.greater %ozero, %scaled : (tensor<1x1x1x1xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xi1>
  %onz = tosa.select %oneg, %omone, %ozero : (tensor<1x4x4x3xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x3xf32>
  // expected-remark @+1 {{the sign of a clamped value is 0 on a whole range}}
  %r = tosa.select %opos, %oone, %onz : (tensor<1x4x4x3xi1>, tensor<1x1x1x1xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  return %r : tensor<1x4x4x3xf32>
}

// -----

/// A reshape between the sign and the convolution: it is replayed on the
/// sign's input, which is binarized; the sign is gone.
// CHECK-LABEL: func.func @reshape_between_sign_and_conv
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]:
//       CHECK:   %[[NHWC:.+]] = tosa.reshape %[[INPUT]], %{{.+}} : (tensor<1x16x2xf32>, !tosa.shape<4>) -> tensor<1x4x4x2xf32>
//       CHECK:   %[[PACKED:.+]] = qnt.binarize %[[NHWC]] : tensor<1x4x4x2xf32> -> tensor<1x4x4x1xi32>
//       CHECK:   qnt.bconv2d %[[PACKED]]
//   CHECK-NOT:   tosa.select
func.func @reshape_between_sign_and_conv(%x: tensor<1x16x2xf32>) -> tensor<1x4x4x2xf32> {
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %one = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %mone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
  %pos = tosa.greater %x, %zero : (tensor<1x16x2xf32>, tensor<1x1x1xf32>) -> tensor<1x16x2xi1>
  %neg = tosa.greater %zero, %x : (tensor<1x1x1xf32>, tensor<1x16x2xf32>) -> tensor<1x16x2xi1>
  %nz = tosa.select %neg, %mone, %zero : (tensor<1x16x2xi1>, tensor<1x1x1xf32>, tensor<1x1x1xf32>) -> tensor<1x16x2xf32>
  %s = tosa.select %pos, %one, %nz : (tensor<1x16x2xi1>, tensor<1x1x1xf32>, tensor<1x16x2xf32>) -> tensor<1x16x2xf32>
  %shape = tosa.const_shape {values = dense<[1, 4, 4, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %r = tosa.reshape %s, %shape : (tensor<1x16x2xf32>, !tosa.shape<4>) -> tensor<1x4x4x2xf32>
  %w = "tosa.const"() <{values = dense<[[[[5.000000e-01, -5.000000e-01]]], [[[2.500000e-01, 2.500000e-01]]]]> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %bias = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %r, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}
