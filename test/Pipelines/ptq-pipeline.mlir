// RUN: quant-opt %s --qnt-ptq-pipeline="stats=%S/Inputs/ptq-stats.json" | FileCheck %s
// RUN: quant-opt %s --qnt-ptq-pipeline="stats=%S/Inputs/ptq-stats.json scheme=asymmetric granularity=per-tensor" | FileCheck %s --check-prefix=ASYM

/// The batch norm (gamma = [2, 1], the rest neutral) folds into the conv
/// first, then the folded layer is quantized with the statistics of the
/// folded IR: channel 0's weights [1, -2] get s_w = 2/127 and its bias
/// 0.5 * 2 = 1 becomes 1 / (0.01 * 2/127) = 6350. The ReLU is the requantize
/// clamp; canonicalize leaves no float op and no unused constant.
// CHECK-LABEL: func.func @ptq_pipeline
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]:
//   CHECK-DAG:   %[[B:.+]] = "tosa.const"() <{values = dense<[6350, -12700]> : tensor<2xi32>}>
//   CHECK-DAG:   %[[W:.+]] = qnt.constant dense<{{\[\[\[\[}}64, -127]]], {{\[\[\[}}127, 64]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!quant.uniform<i8:f32:0, {0.015748031437397003,0.0019685039296746254}>>
//       CHECK:   %[[Q:.+]] = qnt.quantize %[[INPUT]]
//       CHECK:   %[[ACC:.+]] = qnt.conv2d
//       CHECK:   %[[Y:.+]] = qnt.requantize %[[ACC]] {axis = 3 : i64, clamp_min = 0 : i32
//       CHECK:   %[[OUT:.+]] = qnt.dequantize
//   CHECK-NOT:   qnt.batch_norm
//   CHECK-NOT:   tosa.conv2d
//   CHECK-NOT:   tosa.clamp
//   CHECK-NOT:   f32>}>
//       CHECK:   return %[[OUT]]

// ASYM-LABEL: func.func @ptq_pipeline
//       ASYM:   qnt.constant {{.*}} -> tensor<2x1x1x2x!quant.uniform<i8:f32, {{.*}}>>
//       ASYM:   qnt.conv2d {{.*}}filter_zp = {{-?[0-9]+}} : i32, input_zp = -1 : i32
//       ASYM:   qnt.requantize {{.*}}output_zp = -128 : i32
func.func @ptq_pipeline(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %gamma = arith.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.0, 0.0]> : tensor<2xf32>
  %mean = arith.constant dense<[0.0, 0.0]> : tensor<2xf32>
  %var = arith.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %bn = qnt.batch_norm %conv, %gamma, %beta, %mean, %var {axis = 3, epsilon = 0.0} : tensor<1x4x4x2xf32>, tensor<2xf32>
  %relu = tosa.clamp %bn {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %relu : tensor<1x4x4x2xf32>
}

/// A QDQ layer keeps its exported weights and scales through the pipeline:
/// nothing canonicalizes the dequantized constant into float weights
/// before qnt-quantize (which would requantize them at its own scales,
/// 1.0 / 127 and 0.45 / 127 here).
// CHECK-LABEL: func.func @qdq_pipeline
//       CHECK:   qnt.constant dense<{{\[\[\[\[}}64, -100]]], {{\[\[\[}}90, 64]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!quant.uniform<i8:f32:0, {1.000000e-02,5.000000e-03}>>
//       CHECK:   qnt.conv2d {{.*}}{input_zp = 2 : i32}
//       CHECK:   qnt.requantize {{.*}}multiplier = array<i32: 1099511628, 1099511628>, output_zp = -118 : i32, shift = array<i32: 38, 39>
//   CHECK-NOT:   tosa.conv2d
// ASYM-LABEL: func.func @qdq_pipeline
//       ASYM:   qnt.constant {{.*}} -> tensor<2x1x1x2x!quant.uniform<i8:f32:0, {1.000000e-02,5.000000e-03}>>
func.func @qdq_pipeline(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %q = qnt.quantize %input : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!quant.uniform<u8:f32, 2.000000e-02:130>>
  %x = qnt.dequantize %q : tensor<1x4x4x2x!quant.uniform<u8:f32, 2.000000e-02:130>> -> tensor<1x4x4x2xf32>
  %wq = qnt.constant dense<[[[[64, -100]]], [[[90, 64]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!quant.uniform<i8:f32:0, {1.000000e-02,5.000000e-03}>>
  %w = qnt.dequantize %wq : tensor<2x1x1x2x!quant.uniform<i8:f32:0, {1.000000e-02,5.000000e-03}>> -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %relu = tosa.clamp %conv {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %yq = qnt.quantize %relu : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!quant.uniform<u8:f32, 5.000000e-02:10>>
  %y = qnt.dequantize %yq : tensor<1x4x4x2x!quant.uniform<u8:f32, 5.000000e-02:10>> -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}
