// RUN: quant-opt %s --qnt-fold-batchnorm --split-input-file --verify-diagnostics | FileCheck %s

/// s = gamma / sqrt(var + eps) = [1, 1, -1]: channel 2's weights flip sign;
/// bias' = s * bias + beta - mean * s = [-0.5, 2, -1].
// CHECK-LABEL: func.func @fold_into_tosa_conv2d
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]:
//   CHECK-DAG:   %[[ZP:.+]] = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}>
//   CHECK-DAG:   %[[WEIGHT:.+]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}1.000000e+00, 2.000000e+00]]], {{\[\[\[}}3.000000e+00, -1.000000e+00]]], {{\[\[\[}}-5.000000e-01, -2.500000e-01]]]]> : tensor<3x1x1x2xf32>}>
//   CHECK-DAG:   %[[BIAS:.+]] = "tosa.const"() <{values = dense<[-5.000000e-01, 2.000000e+00, -1.000000e+00]> : tensor<3xf32>}>
//       CHECK:   %[[CONV:.+]] = tosa.conv2d %[[INPUT]], %[[WEIGHT]], %[[BIAS]], %[[ZP]], %[[ZP]]
//   CHECK-NOT:   qnt.batch_norm
//   CHECK-NOT:   arith.constant
//       CHECK:   return %[[CONV]]
func.func @fold_into_tosa_conv2d(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x3xf32> {
  %w = "tosa.const"() {values = dense<[[[[1.0, 2.0]]], [[[3.0, -1.0]]], [[[0.5, 0.25]]]]> : tensor<3x1x1x2xf32>} : () -> tensor<3x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.0, 1.0, 2.0]> : tensor<3xf32>} : () -> tensor<3xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x1x1x2xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %gamma = arith.constant dense<[1.0, 2.0, -0.5]> : tensor<3xf32>
  %beta = arith.constant dense<[0.0, 1.0, -1.0]> : tensor<3xf32>
  %mean = arith.constant dense<[0.5, 0.0, 2.0]> : tensor<3xf32>
  %var = arith.constant dense<[1.0, 4.0, 0.25]> : tensor<3xf32>
  %bn = qnt.batch_norm %conv, %gamma, %beta, %mean, %var {axis = 3, epsilon = 0.0} : tensor<1x4x4x3xf32>, tensor<3xf32>
  return %bn : tensor<1x4x4x3xf32>
}

// -----

/// HWCM weights: output channel c * M + m, so the scale runs along the
/// flattened (C, M) axes: s = [1, 1, -2, 0.5].
// CHECK-LABEL: func.func @fold_into_tosa_depthwise_conv2d
//   CHECK-DAG:   %[[WEIGHT:.+]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}1.000000e+00, 2.000000e+00], [-6.000000e+00, 2.000000e+00]]]]> : tensor<1x1x2x2xf32>}>
//   CHECK-DAG:   %[[BIAS:.+]] = "tosa.const"() <{values = dense<[2.000000e+00, 0.000000e+00, 2.000000e+00, 2.000000e+00]> : tensor<4xf32>}>
//       CHECK:   %[[CONV:.+]] = tosa.depthwise_conv2d %{{.+}}, %[[WEIGHT]], %[[BIAS]]
//   CHECK-NOT:   qnt.batch_norm
//       CHECK:   return %[[CONV]]
func.func @fold_into_tosa_depthwise_conv2d(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x4xf32> {
  %w = "tosa.const"() {values = dense<[[[[1.0, 2.0], [3.0, 4.0]]]]> : tensor<1x1x2x2xf32>} : () -> tensor<1x1x2x2xf32>
  %b = "tosa.const"() {values = dense<1.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %dw = tosa.depthwise_conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<1x1x2x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32>
  %gamma = arith.constant dense<[2.0, 1.0, -1.0, 0.5]> : tensor<4xf32>
  %beta = arith.constant dense<[1.0, 0.0, 0.0, 3.0]> : tensor<4xf32>
  %mean = arith.constant dense<[0.0, 1.0, 2.0, 3.0]> : tensor<4xf32>
  %var = arith.constant dense<[4.0, 1.0, 0.25, 1.0]> : tensor<4xf32>
  %bn = qnt.batch_norm %dw, %gamma, %beta, %mean, %var {axis = 3, epsilon = 0.0} : tensor<1x4x4x4xf32>, tensor<4xf32>
  return %bn : tensor<1x4x4x4xf32>
}

// -----

/// tosa.matmul has no bias operand: the weights' columns scale by
/// s = [2, 1, 0.5] and the shift beta - mean * s = [-2, 0, 1.5] becomes one
/// broadcast tosa.add.
// CHECK-LABEL: func.func @fold_into_tosa_matmul
//   CHECK-DAG:   %[[WEIGHT:.+]] = "tosa.const"() <{values = dense<{{\[\[\[}}2.000000e+00, 2.000000e+00, 1.500000e+00], [8.000000e+00, 5.000000e+00, 3.000000e+00]]]> : tensor<1x2x3xf32>}>
//   CHECK-DAG:   %[[SHIFT:.+]] = "tosa.const"() <{values = dense<{{\[\[\[}}-2.000000e+00, 0.000000e+00, 1.500000e+00]]]> : tensor<1x1x3xf32>}>
//       CHECK:   %[[MATMUL:.+]] = tosa.matmul %{{.+}}, %[[WEIGHT]]
//       CHECK:   %[[OUT:.+]] = tosa.add %[[MATMUL]], %[[SHIFT]]
//   CHECK-NOT:   qnt.batch_norm
//       CHECK:   return %[[OUT]]
func.func @fold_into_tosa_matmul(%input: tensor<1x5x2xf32>) -> tensor<1x5x3xf32> {
  %w = "tosa.const"() {values = dense<[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]]> : tensor<1x2x3xf32>} : () -> tensor<1x2x3xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %mm = tosa.matmul %input, %w, %zp, %zp : (tensor<1x5x2xf32>, tensor<1x2x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x5x3xf32>
  %gamma = arith.constant dense<[2.0, 2.0, 2.0]> : tensor<3xf32>
  %beta = arith.constant dense<[0.0, 1.0, 2.0]> : tensor<3xf32>
  %mean = arith.constant dense<[1.0, 1.0, 1.0]> : tensor<3xf32>
  %var = arith.constant dense<[1.0, 4.0, 16.0]> : tensor<3xf32>
  %bn = qnt.batch_norm %mm, %gamma, %beta, %mean, %var {axis = 2, epsilon = 0.0} : tensor<1x5x3xf32>, tensor<3xf32>
  return %bn : tensor<1x5x3xf32>
}

// -----

/// linalg.matmul accumulates into a zero fill: the bias becomes the
/// accumulator, a broadcast of beta - mean * s = [-2, 0, 1.5].
// CHECK-LABEL: func.func @fold_into_linalg_matmul
//   CHECK-DAG:   %[[WEIGHT:.+]] = arith.constant dense<{{\[\[}}2.000000e+00, 2.000000e+00, 1.500000e+00], [8.000000e+00, 5.000000e+00, 3.000000e+00]]> : tensor<2x3xf32>
//   CHECK-DAG:   %[[BIAS:.+]] = arith.constant dense<[-2.000000e+00, 0.000000e+00, 1.500000e+00]> : tensor<3xf32>
//       CHECK:   %[[EMPTY:.+]] = tensor.empty() : tensor<4x3xf32>
//       CHECK:   %[[INIT:.+]] = linalg.broadcast ins(%[[BIAS]] : tensor<3xf32>) outs(%[[EMPTY]] : tensor<4x3xf32>) dimensions = [0]
//       CHECK:   %[[MATMUL:.+]] = linalg.matmul ins(%{{.+}}, %[[WEIGHT]] : {{.+}}) outs(%[[INIT]] : tensor<4x3xf32>)
//   CHECK-NOT:   linalg.fill
//   CHECK-NOT:   qnt.batch_norm
//       CHECK:   return %[[MATMUL]]
func.func @fold_into_linalg_matmul(%input: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<4x3xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<4x3xf32>) -> tensor<4x3xf32>
  %mm = linalg.matmul ins(%input, %w : tensor<4x2xf32>, tensor<2x3xf32>) outs(%acc : tensor<4x3xf32>) -> tensor<4x3xf32>
  %gamma = arith.constant dense<[2.0, 2.0, 2.0]> : tensor<3xf32>
  %beta = arith.constant dense<[0.0, 1.0, 2.0]> : tensor<3xf32>
  %mean = arith.constant dense<[1.0, 1.0, 1.0]> : tensor<3xf32>
  %var = arith.constant dense<[1.0, 4.0, 16.0]> : tensor<3xf32>
  %bn = qnt.batch_norm %mm, %gamma, %beta, %mean, %var {axis = 1, epsilon = 0.0} : tensor<4x3xf32>, tensor<3xf32>
  return %bn : tensor<4x3xf32>
}

// -----

/// A non-zero fill is a bias too: bias' = s * 0.5 + beta - mean * s with
/// s = [2, 1] gives [1, -0.5]; HWCF weights scale along F.
// CHECK-LABEL: func.func @fold_into_linalg_conv_2d_nhwc_hwcf
//   CHECK-DAG:   %[[WEIGHT:.+]] = arith.constant dense<{{\[\[\[\[}}2.000000e+00, -1.000000e+00]], {{\[\[}}4.000000e+00, -2.000000e+00]]], {{\[\[\[}}6.000000e+00, -3.000000e+00]], {{\[\[}}8.000000e+00, -4.000000e+00]]]]> : tensor<2x2x1x2xf32>
//   CHECK-DAG:   %[[BIAS:.+]] = arith.constant dense<[1.000000e+00, -5.000000e-01]> : tensor<2xf32>
//       CHECK:   %[[INIT:.+]] = linalg.broadcast ins(%[[BIAS]] : tensor<2xf32>) outs(%{{.+}} : tensor<1x2x2x2xf32>) dimensions = [0, 1, 2]
//       CHECK:   %[[CONV:.+]] = linalg.conv_2d_nhwc_hwcf ins(%{{.+}}, %[[WEIGHT]] : {{.+}}) outs(%[[INIT]] : tensor<1x2x2x2xf32>)
//   CHECK-NOT:   qnt.batch_norm
//       CHECK:   return %[[CONV]]
func.func @fold_into_linalg_conv_2d_nhwc_hwcf(%input: tensor<1x3x3x1xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<[[[[1.0, -1.0]], [[2.0, -2.0]]], [[[3.0, -3.0]], [[4.0, -4.0]]]]> : tensor<2x2x1x2xf32>
  %init = arith.constant 0.5 : f32
  %empty = tensor.empty() : tensor<1x2x2x2xf32>
  %acc = linalg.fill ins(%init : f32) outs(%empty : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %conv = linalg.conv_2d_nhwc_hwcf ins(%input, %w : tensor<1x3x3x1xf32>, tensor<2x2x1x2xf32>) outs(%acc : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %gamma = arith.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %beta = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %var = arith.constant dense<[1.0, 9.0]> : tensor<2xf32>
  %bn = qnt.batch_norm %conv, %gamma, %beta, %mean, %var {axis = 3, epsilon = 0.0} : tensor<1x2x2x2xf32>, tensor<2xf32>
  return %bn : tensor<1x2x2x2xf32>
}

// -----

/// The decomposed form front ends emit: (x - mean) * (gamma * rsqrt(var + eps))
/// + beta, with the scale itself a TOSA expression of constants. s = [2, -2].
// CHECK-LABEL: func.func @fold_decomposed_tosa_chain
//   CHECK-DAG:   %[[WEIGHT:.+]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}2.000000e+00, 4.000000e+00]]], {{\[\[\[}}-6.000000e+00, -8.000000e+00]]]]> : tensor<2x1x1x2xf32>}>
//   CHECK-DAG:   %[[BIAS:.+]] = "tosa.const"() <{values = dense<[0.000000e+00, 6.000000e+00]> : tensor<2xf32>}>
//       CHECK:   %[[CONV:.+]] = tosa.conv2d %{{.+}}, %[[WEIGHT]], %[[BIAS]]
//   CHECK-NOT:   tosa.rsqrt
//   CHECK-NOT:   tosa.sub
//   CHECK-NOT:   tosa.mul
//   CHECK-NOT:   tosa.add
//       CHECK:   return %[[CONV]]
func.func @fold_decomposed_tosa_chain(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %mean = "tosa.const"() {values = dense<[[[[1.0, 2.0]]]]> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %var = "tosa.const"() {values = dense<[[[[3.0, 15.0]]]]> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %eps = "tosa.const"() {values = dense<1.0> : tensor<1x1x1x1xf32>} : () -> tensor<1x1x1x1xf32>
  %gamma = "tosa.const"() {values = dense<[[[[4.0, -8.0]]]]> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %beta = "tosa.const"() {values = dense<[[[[1.0, 1.0]]]]> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %var_eps = tosa.add %var, %eps : (tensor<1x1x1x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x1x2xf32>
  %inv_std = tosa.rsqrt %var_eps : (tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32>
  %scale = tosa.mul %gamma, %inv_std, %shift : (tensor<1x1x1x2xf32>, tensor<1x1x1x2xf32>, tensor<1xi8>) -> tensor<1x1x1x2xf32>
  %centered = tosa.sub %conv, %mean : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %scaled = tosa.mul %centered, %scale, %shift : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>, tensor<1xi8>) -> tensor<1x4x4x2xf32>
  %out = tosa.add %scaled, %beta : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return %out : tensor<1x4x4x2xf32>
}

// -----

/// c - x negates the scale: y = 3 - (conv + d), so W' = -W and
/// bias' = 3 - d = [2.5, 3.5].
// CHECK-LABEL: func.func @fold_decomposed_reversed_sub
//   CHECK-DAG:   %[[WEIGHT:.+]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}-1.000000e+00, -2.000000e+00]]], {{\[\[\[}}-3.000000e+00, -4.000000e+00]]]]> : tensor<2x1x1x2xf32>}>
//   CHECK-DAG:   %[[BIAS:.+]] = "tosa.const"() <{values = dense<[2.500000e+00, 3.500000e+00]> : tensor<2xf32>}>
//       CHECK:   %[[CONV:.+]] = tosa.conv2d %{{.+}}, %[[WEIGHT]], %[[BIAS]]
//   CHECK-NOT:   tosa.sub
//       CHECK:   return %[[CONV]]
func.func @fold_decomposed_reversed_sub(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %three = "tosa.const"() {values = dense<3.0> : tensor<1x1x1x1xf32>} : () -> tensor<1x1x1x1xf32>
  %out = tosa.sub %three, %conv : (tensor<1x1x1x1xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %out : tensor<1x4x4x2xf32>
}

// -----

/// The conv result is also returned: folding would change that value.
// CHECK-LABEL: func.func @no_fold_result_has_other_users
//       CHECK:   %[[CONV:.+]] = tosa.conv2d
//       CHECK:   %[[BN:.+]] = qnt.batch_norm %[[CONV]]
//       CHECK:   return %[[BN]], %[[CONV]]
func.func @no_fold_result_has_other_users(%input: tensor<1x4x4x2xf32>) -> (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) {
  %w = "tosa.const"() {values = dense<1.0> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  // expected-remark @+1 {{batch norm not folded: the result of 'tosa.conv2d' has other users}}
  %bn = qnt.batch_norm %conv, %p, %p, %p, %p {axis = 3} : tensor<1x4x4x2xf32>, tensor<2xf32>
  return %bn, %conv : tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>
}

// -----

/// Runtime parameters cannot fold at compile time.
// CHECK-LABEL: func.func @no_fold_parameter_not_constant
//       CHECK:   qnt.batch_norm
func.func @no_fold_parameter_not_constant(%input: tensor<1x4x4x2xf32>, %gamma: tensor<2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  // expected-remark @+1 {{batch norm not folded: parameter 'gamma' is not an f32 constant}}
  %bn = qnt.batch_norm %conv, %gamma, %p, %p, %p {axis = 3} : tensor<1x4x4x2xf32>, tensor<2xf32>
  return %bn : tensor<1x4x4x2xf32>
}

// -----

/// Weights given at run time cannot be rewritten.
// CHECK-LABEL: func.func @no_fold_weights_not_constant
//       CHECK:   qnt.batch_norm
func.func @no_fold_weights_not_constant(%input: tensor<1x4x4x2xf32>, %w: tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32> {
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  // expected-remark @+1 {{batch norm not folded: the weights of 'tosa.conv2d' are not constant}}
  %bn = qnt.batch_norm %conv, %p, %p, %p, %p {axis = 3} : tensor<1x4x4x2xf32>, tensor<2xf32>
  return %bn : tensor<1x4x4x2xf32>
}

// -----

/// BN(ReLU(conv)) is not an affine map of the conv output.
// CHECK-LABEL: func.func @no_fold_relu_between
//       CHECK:   %[[CONV:.+]] = tosa.conv2d
//       CHECK:   %[[RELU:.+]] = tosa.clamp %[[CONV]]
//       CHECK:   qnt.batch_norm %[[RELU]]
func.func @no_fold_relu_between(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %relu = tosa.clamp %conv {min_val = 0.0 : f32, max_val = 3.4028235e+38 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  // expected-remark @+1 {{batch norm not folded: 'tosa.clamp' between the producer and the batch norm is not affine}}
  %bn = qnt.batch_norm %relu, %p, %p, %p, %p {axis = 3} : tensor<1x4x4x2xf32>, tensor<2xf32>
  return %bn : tensor<1x4x4x2xf32>
}

// -----

/// Axis 1 (height, size 2) is not the conv's channel axis.
// CHECK-LABEL: func.func @no_fold_axis_mismatch
//       CHECK:   qnt.batch_norm %{{.+}} {axis = 1 : i64}
func.func @no_fold_axis_mismatch(%input: tensor<1x2x4x2xf32>) -> tensor<1x2x4x2xf32> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x4x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  // expected-remark @+1 {{batch norm not folded: axis 1 is not the channel axis 3 of 'tosa.conv2d'}}
  %bn = qnt.batch_norm %conv, %p, %p, %p, %p {axis = 1} : tensor<1x2x4x2xf32>, tensor<2xf32>
  return %bn : tensor<1x2x4x2xf32>
}

// -----

/// A batch norm on a function argument has nothing to fold into.
// CHECK-LABEL: func.func @no_fold_no_producer
//       CHECK:   qnt.batch_norm
func.func @no_fold_no_producer(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %p = arith.constant dense<1.0> : tensor<2xf32>
  // expected-remark @+1 {{batch norm not folded: the input is not produced by a conv2d, depthwise_conv2d or matmul}}
  %bn = qnt.batch_norm %input, %p, %p, %p, %p {axis = 3} : tensor<1x4x4x2xf32>, tensor<2xf32>
  return %bn : tensor<1x4x4x2xf32>
}

// -----

/// A decomposed batch norm whose conv result is also returned stays, with a
/// remark on the conv.
// CHECK-LABEL: func.func @no_fold_decomposed_other_users
//       CHECK:   %[[CONV:.+]] = tosa.conv2d
//       CHECK:   %[[OUT:.+]] = tosa.add %[[CONV]]
//       CHECK:   return %[[OUT]], %[[CONV]]
func.func @no_fold_decomposed_other_users(%input: tensor<1x4x4x2xf32>) -> (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) {
  %w = "tosa.const"() {values = dense<1.0> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-remark @+1 {{batch norm not folded: the result of 'tosa.conv2d' has other users}}
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %beta = "tosa.const"() {values = dense<[[[[1.0, 2.0]]]]> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %out = tosa.add %conv, %beta : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  return %out, %conv : tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>
}

// -----

/// An add of a full-size tensor is not a per-channel affine map: no fold, no
/// remark (it is not a batch norm).
// CHECK-LABEL: func.func @negative_add_not_per_channel
//       CHECK:   %[[CONV:.+]] = tosa.conv2d
//       CHECK:   tosa.add %[[CONV]], %{{.+}}
func.func @negative_add_not_per_channel(%input: tensor<1x4x4x2xf32>, %other: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %out = tosa.add %conv, %other : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %out : tensor<1x4x4x2xf32>
}

// -----

/// One constant serving as beta and mean (and a shared fill value) is erased
/// once after folding: s = [2, 2], bias' = 2 * 1 + 1 - 1 * 2 = [1, 1].
// CHECK-LABEL: func.func @fold_shared_parameter_constant
//   CHECK-DAG:   %[[WEIGHT:.+]] = arith.constant dense<2.000000e+00> : tensor<2x2xf32>
//   CHECK-DAG:   %[[BIAS:.+]] = arith.constant dense<1.000000e+00> : tensor<2xf32>
//       CHECK:   linalg.broadcast ins(%[[BIAS]] : tensor<2xf32>)
//       CHECK:   linalg.matmul ins(%{{.+}}, %[[WEIGHT]] : {{.+}})
//   CHECK-NOT:   qnt.batch_norm
func.func @fold_shared_parameter_constant(%input: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %one = arith.constant 1.0 : f32
  %empty = tensor.empty() : tensor<3x2xf32>
  %acc = linalg.fill ins(%one : f32) outs(%empty : tensor<3x2xf32>) -> tensor<3x2xf32>
  %mm = linalg.matmul ins(%input, %w : tensor<3x2xf32>, tensor<2x2xf32>) outs(%acc : tensor<3x2xf32>) -> tensor<3x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %gamma = arith.constant dense<2.0> : tensor<2xf32>
  %bn = qnt.batch_norm %mm, %gamma, %p, %p, %p {axis = 1, epsilon = 0.0} : tensor<3x2xf32>, tensor<2xf32>
  return %bn : tensor<3x2xf32>
}
