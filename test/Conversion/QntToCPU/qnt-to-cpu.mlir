// RUN: quant-opt %s --qnt-lower-to-cpu --split-input-file --verify-diagnostics | FileCheck %s

// Quantized and unsigned types become signless storage, also at the
// function boundary and through data movement ops; casts between equal
// storage types vanish.
// CHECK-LABEL: func.func @constant_and_boundary
//  CHECK-SAME:   (%[[X:.+]]: tensor<1x3xi8>) -> (tensor<3xi8>, tensor<3x1xi8>)
//       CHECK:   %[[C:.+]] = arith.constant dense<[-3, 0, 7]> : tensor<3xi8>
//       CHECK:   %[[T:.+]] = tosa.transpose %[[X]] {perms = array<i32: 1, 0>} : (tensor<1x3xi8>) -> tensor<3x1xi8>
//       CHECK:   return %[[C]], %[[T]]
func.func @constant_and_boundary(%x: tensor<1x3xui8>) -> (tensor<3x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<3x1xi8>) {
  %c = qnt.constant dense<[-3, 0, 7]> : tensor<3xi8> -> tensor<3x!quant.uniform<i8:f32, 5.000000e-01>>
  %t = tosa.transpose %x {perms = array<i32: 1, 0>} : (tensor<1x3xui8>) -> tensor<3x1xui8>
  %s = tensor.bitcast %t : tensor<3x1xui8> to tensor<3x1xi8>
  return %c, %s : tensor<3x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<3x1xi8>
}

// -----

// CHECK-LABEL: func.func @quantize
//   CHECK-DAG:   %[[S:.+]] = arith.constant 5.000000e-01 : f64
//   CHECK-DAG:   %[[LO:.+]] = arith.constant -1.250000e+02 : f64
//   CHECK-DAG:   %[[HI:.+]] = arith.constant 1.300000e+02 : f64
//   CHECK-DAG:   %[[Z:.+]] = arith.constant -3 : i64
//       CHECK:   linalg.generic {{.*}} ins(%{{.+}} : tensor<4xf32>) outs(%{{.+}} : tensor<4xi8>)
//       CHECK:     %[[XD:.+]] = arith.extf %{{.+}} : f32 to f64
//       CHECK:     %[[D:.+]] = arith.divf %[[XD]], %[[S]] : f64
//       CHECK:     %[[R:.+]] = math.roundeven %[[D]] : f64
//       CHECK:     %[[NAN:.+]] = arith.cmpf uno, %[[R]], %[[R]] : f64
//       CHECK:     %[[SEL:.+]] = arith.select %[[NAN]], %{{.+}}, %[[R]] : f64
//       CHECK:     %[[MAX:.+]] = arith.maximumf %[[SEL]], %[[LO]] : f64
//       CHECK:     %[[MIN:.+]] = arith.minimumf %[[MAX]], %[[HI]] : f64
//       CHECK:     %[[I:.+]] = arith.fptosi %[[MIN]] : f64 to i64
//       CHECK:     %[[Q:.+]] = arith.addi %[[I]], %[[Z]] : i64
//       CHECK:     %[[T:.+]] = arith.trunci %[[Q]] : i64 to i8
//       CHECK:     linalg.yield %[[T]] : i8
// CHECK-LABEL: func.func @quantize_away
//       CHECK:     math.round %{{.+}} : f64
func.func @quantize(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>> {
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
  return %q : tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
}
func.func @quantize_away(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>> {
  %q = qnt.quantize %x {rounding = #qnt.rounding<half_away>} : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
  return %q : tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
}

// -----

// Per-axis parameters are constant tensors read along the axis; unsigned
// storage is zero-extended.
// CHECK: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK: #[[AX:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @dequantize_axis
//       CHECK:   %[[S:.+]] = arith.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf64>
//       CHECK:   %[[Z:.+]] = arith.constant dense<[128, 0]> : tensor<2xi64>
//       CHECK:   linalg.generic {indexing_maps = [#[[ID]], #[[AX]], #[[AX]], #[[ID]]], {{.*}} ins(%{{.+}}, %[[S]], %[[Z]] : tensor<3x2xi8>, tensor<2xf64>, tensor<2xi64>) outs(%{{.+}} : tensor<3x2xf32>)
//  CHECK-NEXT:   ^bb0(%[[Q:.+]]: i8, %[[SC:.+]]: f64, %[[ZP:.+]]: i64, %{{.+}}: f32):
//       CHECK:     %[[E:.+]] = arith.extui %[[Q]] : i8 to i64
//       CHECK:     %[[C:.+]] = arith.subi %[[E]], %[[ZP]] : i64
//       CHECK:     %[[F:.+]] = arith.sitofp %[[C]] : i64 to f64
//       CHECK:     %[[M:.+]] = arith.mulf %[[F]], %[[SC]] : f64
//       CHECK:     %[[T:.+]] = arith.truncf %[[M]] : f64 to f32
//       CHECK:     linalg.yield %[[T]] : f32
func.func @dequantize_axis(%q: tensor<3x2x!quant.uniform<u8:f32:1, {5.000000e-01:128, 2.500000e-01}>>) -> tensor<3x2xf32> {
  %x = qnt.dequantize %q : tensor<3x2x!quant.uniform<u8:f32:1, {5.000000e-01:128, 2.500000e-01}>> -> tensor<3x2xf32>
  return %x : tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func.func @requantize
//   CHECK-DAG:   %[[M:.+]] = arith.constant 1073741824 : i64
//   CHECK-DAG:   %[[SH:.+]] = arith.constant 33 : i64
//   CHECK-DAG:   %[[MASK:.+]] = arith.constant 8589934591 : i64
//   CHECK-DAG:   %[[UP:.+]] = arith.constant 5368709120 : i64
//   CHECK-DAG:   %[[DOWN:.+]] = arith.constant 3221225472 : i64
//       CHECK:   linalg.generic
//       CHECK:     %[[E:.+]] = arith.extsi %{{.+}} : i32 to i64
//       CHECK:     %[[X:.+]] = arith.subi %[[E]], %{{.+}} : i64
//       CHECK:     %[[P:.+]] = arith.muli %[[X]], %[[M]] : i64
//       CHECK:     %[[NN:.+]] = arith.cmpi sge, %[[X]], %{{.+}} : i64
//       CHECK:     %[[RD:.+]] = arith.select %[[NN]], %[[UP]], %[[DOWN]] : i64
//       CHECK:     %[[QT:.+]] = arith.shrsi %[[P]], %[[SH]] : i64
//       CHECK:     %[[RM:.+]] = arith.andi %[[P]], %[[MASK]] : i64
//       CHECK:     %[[SUM:.+]] = arith.addi %[[RM]], %[[RD]] : i64
//       CHECK:     %[[SR:.+]] = arith.shrsi %[[SUM]], %[[SH]] : i64
//       CHECK:     %[[Y:.+]] = arith.addi %[[QT]], %[[SR]] : i64
//       CHECK:     %[[YZ:.+]] = arith.addi %[[Y]], %{{.+}} : i64
//       CHECK:     %[[LO:.+]] = arith.maxsi %[[YZ]], %{{.+}} : i64
//       CHECK:     %[[HI:.+]] = arith.minsi %[[LO]], %{{.+}} : i64
//       CHECK:     %[[T:.+]] = arith.trunci %[[HI]] : i64 to i8
//       CHECK:     linalg.yield %[[T]] : i8
//       CHECK:   return %{{.+}} : tensor<4xi8>
func.func @requantize(%acc: tensor<4xi32>) -> tensor<4xui8> {
  %y = qnt.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i32: 33>, input_zp = 5 : i32, output_zp = 100 : i32, rounding = #qnt.requant_rounding<double_round>} : tensor<4xi32> -> tensor<4xui8>
  return %y : tensor<4xui8>
}

// -----

/// Without an input zero point |x| <= 2^31, so p + round cannot overflow
/// and one shift does: y = (x * m + round) >> s.
// CHECK-LABEL: func.func @requantize_no_input_zp
//       CHECK:   linalg.generic
//       CHECK:     %[[E:.+]] = arith.extsi %{{.+}} : i32 to i64
//       CHECK:     %[[P:.+]] = arith.muli %[[E]], %{{.+}} : i64
//       CHECK:     %[[SUM:.+]] = arith.addi %[[P]], %{{.+}} : i64
//       CHECK:     %[[Y:.+]] = arith.shrsi %[[SUM]], %{{.+}} : i64
//       CHECK:     %[[LO:.+]] = arith.maxsi %[[Y]], %{{.+}} : i64
//   CHECK-NOT:     arith.andi
func.func @requantize_no_input_zp(%acc: tensor<4xi32>) -> tensor<4xi8> {
  %y = qnt.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i32: 33>} : tensor<4xi32> -> tensor<4xi8>
  return %y : tensor<4xi8>
}

// -----

// Padding holds input_zp (128 in u8 storage is -128 as i8); the group of
// output channel o reads input channels (o floordiv 2) * 1 + ci.
// CHECK: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 2 + d4, d2 * 2 + d5, d3 floordiv 2 + d6)>
// CHECK: #[[W:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d3, d4, d5, d6)>
// CHECK: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv2d
//  CHECK-SAME:   (%[[X:.+]]: tensor<1x3x3x2xi8>, %[[F:.+]]: tensor<4x3x3x1xi8>, %[[B:.+]]: tensor<4xi32>)
//       CHECK:   %[[PV:.+]] = arith.constant -128 : i8
//       CHECK:   %[[P:.+]] = tensor.pad %[[X]] low[0, 1, 1, 0] high[0, 1, 1, 0]
//       CHECK:     tensor.yield %[[PV]] : i8
//       CHECK:   } : tensor<1x3x3x2xi8> to tensor<1x5x5x2xi8>
//       CHECK:   %[[INIT:.+]] = linalg.broadcast ins(%[[B]] : tensor<4xi32>) outs(%{{.+}} : tensor<1x2x2x4xi32>) dimensions = [0, 1, 2]
//       CHECK:   linalg.generic {indexing_maps = [#[[IN]], #[[W]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[P]], %[[F]] : tensor<1x5x5x2xi8>, tensor<4x3x3x1xi8>) outs(%[[INIT]] : tensor<1x2x2x4xi32>)
//  CHECK-NEXT:   ^bb0(%[[A:.+]]: i8, %[[WV:.+]]: i8, %[[ACC:.+]]: i32):
//       CHECK:     %[[AE:.+]] = arith.extui %[[A]] : i8 to i32
//       CHECK:     %[[AC:.+]] = arith.subi %[[AE]], %{{.+}} : i32
//       CHECK:     %[[WE:.+]] = arith.extsi %[[WV]] : i8 to i32
//       CHECK:     %[[WC:.+]] = arith.subi %[[WE]], %{{.+}} : i32
//       CHECK:     %[[PR:.+]] = arith.muli %[[AC]], %[[WC]] : i32
//       CHECK:     %[[SUM:.+]] = arith.addi %[[ACC]], %[[PR]] : i32
//       CHECK:     linalg.yield %[[SUM]] : i32
func.func @conv2d(%x: tensor<1x3x3x2xui8>, %w: tensor<4x3x3x1xi8>, %b: tensor<4xi32>) -> tensor<1x2x2x4xi32> {
  %y = qnt.conv2d %x, %w, %b {input_zp = 128 : i32, filter_zp = -1 : i32, groups = 2 : i64, stride = array<i64: 2, 2>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x3x3x2xui8>, tensor<4x3x3x1xi8>, tensor<4xi32>) -> tensor<1x2x2x4xi32>
  return %y : tensor<1x2x2x4xi32>
}

// -----

// Zero zero points and no bias: no subtraction, a zero accumulator.
// CHECK: #[[L:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK: #[[R:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK: #[[O:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul
//       CHECK:   %[[Z:.+]] = arith.constant 0 : i32
//       CHECK:   %[[INIT:.+]] = linalg.fill ins(%[[Z]] : i32) outs(%{{.+}} : tensor<2x5xi32>)
//       CHECK:   linalg.generic {indexing_maps = [#[[L]], #[[R]], #[[O]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.+}}, %{{.+}} : tensor<2x3xi4>, tensor<5x3xi8>) outs(%[[INIT]] : tensor<2x5xi32>)
//  CHECK-NEXT:   ^bb0(%[[A:.+]]: i4, %[[B:.+]]: i8, %[[ACC:.+]]: i32):
//  CHECK-NEXT:     %[[AE:.+]] = arith.extsi %[[A]] : i4 to i32
//  CHECK-NEXT:     %[[BE:.+]] = arith.extui %[[B]] : i8 to i32
//  CHECK-NEXT:     %[[P:.+]] = arith.muli %[[AE]], %[[BE]] : i32
//  CHECK-NEXT:     %[[S:.+]] = arith.addi %[[ACC]], %[[P]] : i32
//  CHECK-NEXT:     linalg.yield %[[S]] : i32
func.func @matmul(%a: tensor<2x3xi4>, %b: tensor<5x3xui8>) -> tensor<2x5xi32> {
  %y = qnt.matmul %a, %b : (tensor<2x3xi4>, tensor<5x3xui8>) -> tensor<2x5xi32>
  return %y : tensor<2x5xi32>
}

// -----

func.func @dynamic_matmul(%a: tensor<?x3xi8>, %b: tensor<5x3xi8>) -> tensor<?x5xi32> {
  // expected-error @below {{'qnt.matmul' op with dynamic shapes is not supported by qnt-lower-to-cpu}}
  %y = qnt.matmul %a, %b : (tensor<?x3xi8>, tensor<5x3xi8>) -> tensor<?x5xi32>
  return %y : tensor<?x5xi32>
}

// -----

// Retyping ui8 to i8 would turn this zero extension into a sign extension.
func.func @unsigned_cast(%x: tensor<4xui8>) -> tensor<4xf32> {
  // expected-error @below {{'tosa.cast' op reads quantized or unsigned integers, which qnt-lower-to-cpu cannot retype}}
  %y = tosa.cast %x : (tensor<4xui8>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
