// With statistics, qnt-bnn-pipeline quantizes the layers that stay multi-bit
// to int8 after binarizing: the first conv (its batch norm folded: weights
// [1, -0.5], [0.5, 1], [-1, 0.25], bias -1) and the last conv, while the
// middle layer stays binary. The statistics are those of the pipeline's own
// output without stats: the first conv's output only feeds a sign, so it has
// no probe, and the ids are bnn_int8.arg0, .qnt.unpack.0 and .tosa.conv2d.0
// (the last conv).
//
// RUN: quant-opt %s --qnt-bnn-pipeline="stats=%S/Inputs/bnn-stats.json" | FileCheck %s
// RUN: quant-opt %s --qnt-bnn-pipeline | quant-opt --qnt-insert-observers | FileCheck %s --check-prefix=PROBES
// RUN: not quant-opt %s --qnt-bnn-pipeline="stats=%S/Inputs/missing.json" 2>&1 | FileCheck %s --check-prefix=MISSING

/// First layer: input scale 0.01 (range 1.27), weight scale 1/127 per
/// channel, bias -1 / (0.01 / 127) = -12700. Only the sign of its output is
/// used, so it keeps the i32 accumulator: max pool and binarize read it
/// (scale 0.01 / 127 > 0, so its sign is the float output's), with no
/// requantize or dequantize in between. The binary layer's +-1 output feeds
/// the last layer through one quantize (scale 1/127); the logits are the only
/// dequantize.
// CHECK-LABEL: func.func @bnn_int8
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<1x4x4x2xf32>
//   CHECK-DAG:   %[[B1:.+]] = "tosa.const"() <{values = dense<-12700> : tensor<3xi32>}>
//   CHECK-DAG:   %[[W1:.+]] = qnt.constant dense<{{\[\[\[\[}}127, -64]]], {{\[\[\[}}64, 127]]], {{\[\[\[}}-127, 32]]]]> : tensor<3x1x1x2xi8>
//   CHECK-DAG:   %[[FILTER:.+]] = "tosa.const"() <{values = dense<2> : tensor<2x1x1x1xi32>}>
//       CHECK:   %[[Q:.+]] = qnt.quantize %[[INPUT]] : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!quant.uniform<i8:f32, 0.0099999997764825821>>
//       CHECK:   %[[QS:.+]] = quant.scast %[[Q]]
//       CHECK:   %[[W1S:.+]] = quant.scast %[[W1]]
//       CHECK:   %[[ACC:.+]] = qnt.conv2d %[[QS]], %[[W1S]], %[[B1]] : {{.*}} -> tensor<1x4x4x3xi32>
//  CHECK-NEXT:   %[[POOL:.+]] = tosa.max_pool2d %[[ACC]] {{.*}} : (tensor<1x4x4x3xi32>) -> tensor<1x2x2x3xi32>
//  CHECK-NEXT:   %[[PACKED:.+]] = qnt.binarize %[[POOL]] : tensor<1x2x2x3xi32> -> tensor<1x2x2x1xi32>
//  CHECK-NEXT:   %[[BITS:.+]] = qnt.bconv2d %[[PACKED]], %[[FILTER]] {channels = 3 : i64, thresholds = array<i32: 0, 0>}
//  CHECK-NEXT:   %[[SIGN:.+]] = qnt.unpack %[[BITS]] : tensor<1x2x2x1xi32> -> tensor<1x2x2x2xf32>
//  CHECK-NEXT:   %[[QSIGN:.+]] = qnt.quantize %[[SIGN]] : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.0078740157186985015>>
//       CHECK:   %[[ACC2:.+]] = qnt.conv2d {{.*}} -> tensor<1x2x2x2xi32>
//  CHECK-NEXT:   %[[Y2:.+]] = qnt.requantize %[[ACC2]] {axis = 3 : i64, {{.*}}} : tensor<1x2x2x2xi32> -> tensor<1x2x2x2xi8>
//  CHECK-NEXT:   %[[Y2S:.+]] = quant.scast %[[Y2]]
//  CHECK-NEXT:   %[[OUT:.+]] = qnt.dequantize %[[Y2S]] : tensor<1x2x2x2x!quant.uniform<i8:f32, 0.070000000298023224>> -> tensor<1x2x2x2xf32>
//  CHECK-NEXT:   return %[[OUT]]
//   CHECK-NOT:   qnt.requantize
//   CHECK-NOT:   tosa.conv2d
//   CHECK-NOT:   qnt.batch_norm

/// The ids the statistics file uses are the probes of the stats-less output.
// PROBES-LABEL: func.func @bnn_int8
//       PROBES:   qnt.observe %{{.+}} "bnn_int8.arg0"
//       PROBES:   qnt.observe %{{.+}} "bnn_int8.qnt.unpack.0"
//       PROBES:   qnt.observe %{{.+}} "bnn_int8.tosa.conv2d.0"
//   PROBES-NOT:   = qnt.observe

// MISSING: error: qnt-quantize: cannot read statistics

func.func @bnn_int8(%x: tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %w1 = "tosa.const"() <{values = dense<[[[[0.5, -0.25]]], [[[0.25, 0.5]]], [[[-0.5, 0.125]]]]> : tensor<3x1x1x2xf32>}> : () -> tensor<3x1x1x2xf32>
  %b1 = "tosa.const"() <{values = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %y1 = tosa.conv2d %x, %w1, %b1, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<3x1x1x2xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x3xf32>
  %g1 = "tosa.const"() <{values = dense<2.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %be1 = "tosa.const"() <{values = dense<-1.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %m1 = "tosa.const"() <{values = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %v1 = "tosa.const"() <{values = dense<1.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %n1 = qnt.batch_norm %y1, %g1, %be1, %m1, %v1 {axis = 3 : i64, epsilon = 0.0 : f64} : tensor<1x4x4x3xf32>, tensor<3xf32>
  %p1 = tosa.max_pool2d %n1 {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xf32>) -> tensor<1x2x2x3xf32>
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %one = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %mone = "tosa.const"() <{values = dense<-1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %pos = tosa.greater %p1, %zero : (tensor<1x2x2x3xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x2x3xi1>
  %neg = tosa.greater %zero, %p1 : (tensor<1x1x1x1xf32>, tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xi1>
  %nz = tosa.select %neg, %mone, %zero : (tensor<1x2x2x3xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x2x3xf32>
  %s1 = tosa.select %pos, %one, %nz : (tensor<1x2x2x3xi1>, tensor<1x1x1x1xf32>, tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  %w2 = "tosa.const"() <{values = dense<[[[[2.500000e-01, -2.500000e-01, 2.500000e-01]]], [[[-2.500000e-01, 2.500000e-01, -2.500000e-01]]]]> : tensor<2x1x1x3xf32>}> : () -> tensor<2x1x1x3xf32>
  %b2 = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %y2 = tosa.conv2d %s1, %w2, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  %g2 = "tosa.const"() <{values = dense<[4.0, -4.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %be2 = "tosa.const"() <{values = dense<[0.0, 5.000000e-01]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %m2 = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %v2 = "tosa.const"() <{values = dense<1.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %n2 = qnt.batch_norm %y2, %g2, %be2, %m2, %v2 {axis = 3 : i64, epsilon = 0.0 : f64} : tensor<1x2x2x2xf32>, tensor<2xf32>
  %pos2 = tosa.greater %n2, %zero : (tensor<1x2x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x2x2xi1>
  %neg2 = tosa.greater %zero, %n2 : (tensor<1x1x1x1xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xi1>
  %nz2 = tosa.select %neg2, %mone, %zero : (tensor<1x2x2x2xi1>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %s2 = tosa.select %pos2, %one, %nz2 : (tensor<1x2x2x2xi1>, tensor<1x1x1x1xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %w3 = "tosa.const"() <{values = dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %y3 = tosa.conv2d %s2, %w3, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  return %y3 : tensor<1x2x2x2xf32>
}
