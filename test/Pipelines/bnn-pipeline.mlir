// qnt-bnn-pipeline binarizes first, so that the batch norm after the binary
// layer becomes thresholds instead of being folded into its +-alpha weights,
// then folds the batch norm of the float first layer into its weights.
//
// RUN: quant-opt %s --qnt-bnn-pipeline | FileCheck %s
// RUN: quant-opt %s --qnt-bnn-pipeline="report=-" -o /dev/null | FileCheck %s --check-prefix=REPORT

// REPORT: bnn tosa.conv2d {{.*}}: kept float: first layer (binarize-first-last=false)
// REPORT: bnn tosa.conv2d {{.*}}: binarized to qnt.bconv2d: K = 3 (1 words per pixel), pad_value = plus_one, alpha detected, thresholds (1 flipped, 0 constant)
// REPORT: bnn tosa.conv2d {{.*}}: kept float: last layer (binarize-first-last=false)

/// First layer: BN folded (weights 2 * 0.5 = 1.0 and bias -1). Middle layer:
/// packed, its BN as thresholds (channel 0: dot >= 0; gamma < 0 flips
/// channel 1, 0.5 - dot >= 0 is -dot >= -0.5, so its bits 101 become 010 like
/// channel 0's). Last layer: float on the unpacked +-1 values.
// CHECK-LABEL: func.func @bnn
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]:
//   CHECK-DAG:   %[[W1:.+]] = "tosa.const"() <{values = dense<1.000000e+00> : tensor<3x1x1x2xf32>}>
//   CHECK-DAG:   %[[B1:.+]] = "tosa.const"() <{values = dense<-1.000000e+00> : tensor<3xf32>}>
//   CHECK-DAG:   %[[FILTER:.+]] = "tosa.const"() <{values = dense<2> : tensor<2x1x1x1xi32>}>
//       CHECK:   %[[FIRST:.+]] = tosa.conv2d %[[INPUT]], %[[W1]], %[[B1]]
//       CHECK:   %[[PACKED:.+]] = qnt.binarize %[[FIRST]] : tensor<1x4x4x3xf32> -> tensor<1x4x4x1xi32>
//       CHECK:   %[[BITS:.+]] = qnt.bconv2d %[[PACKED]], %[[FILTER]] {channels = 3 : i64, thresholds = array<i32: 0, 0>}
//       CHECK:   %[[SIGN:.+]] = qnt.unpack %[[BITS]] : tensor<1x4x4x1xi32> -> tensor<1x4x4x2xf32>
//       CHECK:   %[[LAST:.+]] = tosa.conv2d %[[SIGN]]
//       CHECK:   return %[[LAST]]
//   CHECK-NOT:   qnt.batch_norm
func.func @bnn(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w1 = "tosa.const"() <{values = dense<5.000000e-01> : tensor<3x1x1x2xf32>}> : () -> tensor<3x1x1x2xf32>
  %b1 = "tosa.const"() <{values = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %y1 = tosa.conv2d %x, %w1, %b1, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x1x1x2xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %g1 = "tosa.const"() <{values = dense<2.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %be1 = "tosa.const"() <{values = dense<-1.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %m1 = "tosa.const"() <{values = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %v1 = "tosa.const"() <{values = dense<1.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %n1 = qnt.batch_norm %y1, %g1, %be1, %m1, %v1 {axis = 3 : i64, epsilon = 0.0 : f64} : tensor<1x4x4x3xf32>, tensor<3xf32>
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %one = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %mone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %pos = tosa.greater %n1, %zero : (tensor<1x4x4x3xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x3xi1>
  %neg = tosa.greater %zero, %n1 : (tensor<1x1x1x1xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xi1>
  %nz = tosa.select %neg, %mone, %zero : (tensor<1x4x4x3xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x3xf32>
  %s1 = tosa.select %pos, %one, %nz : (tensor<1x4x4x3xi1>, tensor<1x1x1x1xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %w2 = "tosa.const"() <{values = dense<[[[[2.500000e-01, -2.500000e-01, 2.500000e-01]]], [[[-2.500000e-01, 2.500000e-01, -2.500000e-01]]]]> : tensor<2x1x1x3xf32>}> : () -> tensor<2x1x1x3xf32>
  %b2 = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %y2 = tosa.conv2d %s1, %w2, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %g2 = "tosa.const"() <{values = dense<[4.0, -4.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %be2 = "tosa.const"() <{values = dense<[0.0, 5.000000e-01]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %m2 = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %v2 = "tosa.const"() <{values = dense<1.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %n2 = qnt.batch_norm %y2, %g2, %be2, %m2, %v2 {axis = 3 : i64, epsilon = 0.0 : f64} : tensor<1x4x4x2xf32>, tensor<2xf32>
  %pos2 = tosa.greater %n2, %zero : (tensor<1x4x4x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x2xi1>
  %neg2 = tosa.greater %zero, %n2 : (tensor<1x1x1x1xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xi1>
  %nz2 = tosa.select %neg2, %mone, %zero : (tensor<1x4x4x2xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x2xf32>
  %s2 = tosa.select %pos2, %one, %nz2 : (tensor<1x4x4x2xi1>, tensor<1x1x1x1xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %w3 = "tosa.const"() <{values = dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %y3 = tosa.conv2d %s2, %w3, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %y3 : tensor<1x4x4x2xf32>
}
