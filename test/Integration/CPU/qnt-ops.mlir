// The integer qnt ops run through qnt-cpu-pipeline (qnt-lower-to-cpu, with
// and without vectorization) and mlir-runner and give exactly the integers
// of the op semantics (qnt/Utils/Numerics.h): ties, saturation, NaN and
// infinity, negative values, non-zero and unsigned zero points, per-axis
// parameters, single and double rounding, padding, dilation and groups.
// Expected values were computed independently in Python from the formulas
// of the op descriptions. The kernels take their inputs as arguments so that
// no folder computes them at compile time.
//
// RUN: quant-opt %s --qnt-cpu-pipeline | mlir-runner -e main -entry-point-result=void -shared-libs=%runner_libs | FileCheck %s
// RUN: quant-opt %s --qnt-cpu-pipeline=vectorize=false | mlir-runner -e main -entry-point-result=void -shared-libs=%runner_libs | FileCheck %s

!qi8 = !quant.uniform<i8:f32, 5.000000e-01:-3>
!qu8axis = !quant.uniform<u8:f32:1, {5.000000e-01:128, 2.500000e-01, 2.000000e+00:255}>
!qdq = !quant.uniform<i8:f32, 2.500000e-01:-2>

func.func @quantize_even(%x: tensor<12xf32>) -> tensor<12xi8> {
  %q = qnt.quantize %x : tensor<12xf32> -> tensor<12x!qi8>
  %s = quant.scast %q : tensor<12x!qi8> to tensor<12xi8>
  return %s : tensor<12xi8>
}

func.func @quantize_away(%x: tensor<12xf32>) -> tensor<12xi8> {
  %q = qnt.quantize %x {rounding = #qnt.rounding<half_away>} : tensor<12xf32> -> tensor<12x!qi8>
  %s = quant.scast %q : tensor<12x!qi8> to tensor<12xi8>
  return %s : tensor<12xi8>
}

func.func @quantize_u8_axis(%x: tensor<2x3xf32>) -> tensor<2x3xi8> {
  %q = qnt.quantize %x : tensor<2x3xf32> -> tensor<2x3x!qu8axis>
  %s = quant.scast %q : tensor<2x3x!qu8axis> to tensor<2x3xi8>
  return %s : tensor<2x3xi8>
}

func.func @dequantize(%x: tensor<4xi8>, %y: tensor<2x3xi8>) -> (tensor<4xf32>, tensor<2x3xf32>) {
  %q = quant.scast %x : tensor<4xi8> to tensor<4x!qdq>
  %d = qnt.dequantize %q : tensor<4x!qdq> -> tensor<4xf32>
  %qa = quant.scast %y : tensor<2x3xi8> to tensor<2x3x!qu8axis>
  %da = qnt.dequantize %qa : tensor<2x3x!qu8axis> -> tensor<2x3xf32>
  return %d, %da : tensor<4xf32>, tensor<2x3xf32>
}

func.func @requantize(%x: tensor<10xi32>) -> (tensor<10xi8>, tensor<10xi8>) {
  %single = qnt.requantize %x {multiplier = array<i32: 1073741824>, shift = array<i32: 31>, input_zp = -7 : i32, output_zp = 4 : i32} : tensor<10xi32> -> tensor<10xi8>
  %double = qnt.requantize %x {multiplier = array<i32: 1073741824>, shift = array<i32: 33>, output_zp = -2 : i32, rounding = #qnt.requant_rounding<double_round>} : tensor<10xi32> -> tensor<10xi8>
  return %single, %double : tensor<10xi8>, tensor<10xi8>
}

func.func @requantize_u8_axis(%x: tensor<2x4xi32>) -> tensor<2x4xi8> {
  %y = qnt.requantize %x {axis = 1 : i64, multiplier = array<i32: 1073741824, 1518500250, 1073741824, 1999999999>, shift = array<i32: 33, 38, 31, 40>, input_zp = 3 : i32, output_zp = 10 : i32, clamp_min = 6 : i32, clamp_max = 250 : i32, rounding = #qnt.requant_rounding<double_round>} : tensor<2x4xi32> -> tensor<2x4xui8>
  %s = tensor.bitcast %y : tensor<2x4xui8> to tensor<2x4xi8>
  return %s : tensor<2x4xi8>
}

func.func @conv_groups(%x: tensor<1x3x3x2xi8>, %w: tensor<4x3x3x1xi8>, %b: tensor<4xi32>) -> tensor<1x2x2x4xi32> {
  %xu = tensor.bitcast %x : tensor<1x3x3x2xi8> to tensor<1x3x3x2xui8>
  %y = qnt.conv2d %xu, %w, %b {input_zp = 128 : i32, filter_zp = -1 : i32, groups = 2 : i64, stride = array<i64: 2, 2>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x3x3x2xui8>, tensor<4x3x3x1xi8>, tensor<4xi32>) -> tensor<1x2x2x4xi32>
  return %y : tensor<1x2x2x4xi32>
}

func.func @conv_dilated(%x: tensor<1x5x5x2xi8>, %w: tensor<3x2x2x2xi8>) -> tensor<1x3x3x3xi32> {
  %y = qnt.conv2d %x, %w {input_zp = -3 : i32, filter_zp = 2 : i32, dilation = array<i64: 2, 2>} : (tensor<1x5x5x2xi8>, tensor<3x2x2x2xi8>) -> tensor<1x3x3x3xi32>
  return %y : tensor<1x3x3x3xi32>
}

func.func @matmul(%a: tensor<3x4xi8>, %b: tensor<2x4xi8>, %bias: tensor<2xi32>) -> tensor<3x2xi32> {
  %au = tensor.bitcast %a : tensor<3x4xi8> to tensor<3x4xui8>
  %y = qnt.matmul %au, %b, %bias {lhs_zp = 120 : i32, rhs_zp = 2 : i32} : (tensor<3x4xui8>, tensor<2x4xi8>, tensor<2xi32>) -> tensor<3x2xi32>
  return %y : tensor<3x2xi32>
}

/// Prints i8 storage widened to i32, as signed or unsigned integers.
func.func @print_i8(%t: tensor<?xi8>, %unsigned: i1) {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %t, %c0 : tensor<?xi8>
  %e = tensor.empty(%n) : tensor<?xi32>
  %w = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%t : tensor<?xi8>) outs(%e : tensor<?xi32>) {
  ^bb0(%v: i8, %unused: i32):
    %s = arith.extsi %v : i8 to i32
    %u = arith.extui %v : i8 to i32
    %r = arith.select %unsigned, %u, %s : i32
    linalg.yield %r : i32
  } -> tensor<?xi32>
  %p = tensor.cast %w : tensor<?xi32> to tensor<*xi32>
  call @printMemrefI32(%p) : (tensor<*xi32>) -> ()
  return
}

func.func @main() {
  %true = arith.constant true
  %false = arith.constant false
  // x / 0.5 = -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 124.5, 140, -127.5, -130, inf, NaN.
  %x = arith.constant dense<[-1.25, -0.75, -0.25, 0.25, 0.75, 1.25, 62.25, 70.0, -63.75, -65.0, 0x7F800000, 0x7FC00000]> : tensor<12xf32>
  %qe = call @quantize_even(%x) : (tensor<12xf32>) -> tensor<12xi8>
  %qe1 = tensor.cast %qe : tensor<12xi8> to tensor<?xi8>
  call @print_i8(%qe1, %false) : (tensor<?xi8>, i1) -> ()
  // CHECK: [-5,  -5,  -3,  -3,  -1,  -1,  121,  127,  -128,  -128,  127,  -3]
  %qa = call @quantize_away(%x) : (tensor<12xf32>) -> tensor<12xi8>
  %qa1 = tensor.cast %qa : tensor<12xi8> to tensor<?xi8>
  call @print_i8(%qa1, %false) : (tensor<?xi8>, i1) -> ()
  // CHECK: [-6,  -5,  -4,  -2,  -1,  0,  122,  127,  -128,  -128,  127,  -3]

  %xc = arith.constant dense<[[0.25, 0.375, -1.0], [-70.0, 70.0, 3.0]]> : tensor<2x3xf32>
  %qc = call @quantize_u8_axis(%xc) : (tensor<2x3xf32>) -> tensor<2x3xi8>
  %qc1 = tensor.collapse_shape %qc [[0, 1]] : tensor<2x3xi8> into tensor<6xi8>
  %qc2 = tensor.cast %qc1 : tensor<6xi8> to tensor<?xi8>
  call @print_i8(%qc2, %true) : (tensor<?xi8>, i1) -> ()
  // CHECK: [128,  2,  255,  0,  255,  255]

  %dq = arith.constant dense<[-128, -3, 0, 127]> : tensor<4xi8>
  %dqa = arith.constant dense<[[0, 1, -1], [-128, 127, 3]]> : tensor<2x3xi8>
  %d:2 = call @dequantize(%dq, %dqa) : (tensor<4xi8>, tensor<2x3xi8>) -> (tensor<4xf32>, tensor<2x3xf32>)
  %d0 = tensor.cast %d#0 : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%d0) : (tensor<*xf32>) -> ()
  // CHECK: [-31.5,  -0.25,  0.5,  32.25]
  %d1 = tensor.cast %d#1 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%d1) : (tensor<*xf32>) -> ()
  // CHECK: [-64,   0.25,   0]
  // CHECK: [0,   31.75,   -504]

  %acc = arith.constant dense<[-5, -3, -1, 0, 1, 3, 5, 2147483647, -2147483648, 1000]> : tensor<10xi32>
  %r:2 = call @requantize(%acc) : (tensor<10xi32>) -> (tensor<10xi8>, tensor<10xi8>)
  %r0 = tensor.cast %r#0 : tensor<10xi8> to tensor<?xi8>
  call @print_i8(%r0, %false) : (tensor<?xi8>, i1) -> ()
  // CHECK: [5,  6,  7,  8,  8,  9,  10,  127,  -128,  127]
  %r1 = tensor.cast %r#1 : tensor<10xi8> to tensor<?xi8>
  call @print_i8(%r1, %false) : (tensor<?xi8>, i1) -> ()
  // CHECK: [-3,  -2,  -2,  -2,  -2,  -1,  -1,  127,  -128,  123]

  %acc2 = arith.constant dense<[[4, -4, 12, 1], [1000, -1000, -12, 33]]> : tensor<2x4xi32>
  %ru = call @requantize_u8_axis(%acc2) : (tensor<2x4xi32>) -> tensor<2x4xi8>
  %ru1 = tensor.collapse_shape %ru [[0, 1]] : tensor<2x4xi8> into tensor<8xi8>
  %ru2 = tensor.cast %ru1 : tensor<8xi8> to tensor<?xi8>
  call @print_i8(%ru2, %true) : (tensor<?xi8>, i1) -> ()
  // CHECK: [10,  10,  15,  10,  135,  6,  6,  10]

  %cx = arith.constant dense<[3, 10, 17, 24, 31, 38, 45, 52, 59, 66, 73, 80, 87, 94, 101, 108, 115, 122]> : tensor<18xi8>
  %cx4 = tensor.expand_shape %cx [[0, 1, 2, 3]] output_shape [1, 3, 3, 2] : tensor<18xi8> into tensor<1x3x3x2xi8>
  %cw = arith.constant dense<[-8, -3, 2, 7, -5, 0, 5, -7, -2, 3, 8, -4, 1, 6, -6, -1, 4, -8, -3, 2, 7, -5, 0, 5, -7, -2, 3, 8, -4, 1, 6, -6, -1, 4, -8, -3]> : tensor<36xi8>
  %cw4 = tensor.expand_shape %cw [[0, 1, 2, 3]] output_shape [4, 3, 3, 1] : tensor<36xi8> into tensor<4x3x3x1xi8>
  %cb = arith.constant dense<[100, -100, 7, 0]> : tensor<4xi32>
  %cg = call @conv_groups(%cx4, %cw4, %cb) : (tensor<1x3x3x2xi8>, tensor<4x3x3x1xi8>, tensor<4xi32>) -> tensor<1x2x2x4xi32>
  %cg1 = tensor.collapse_shape %cg [[0, 1, 2, 3]] : tensor<1x2x2x4xi32> into tensor<16xi32>
  %cgp = tensor.cast %cg1 : tensor<16xi32> to tensor<*xi32>
  call @printMemrefI32(%cgp) : (tensor<*xi32>) -> ()
  // CHECK: [1056,  -352,  -907,  1246,  -484,  -1276,  753,  -252,  196,  -792,  -871,  274,  529,  -1016,  61,  -524]

  %dx = arith.constant dense<[-128, -117, -106, -95, -84, -73, -62, -51, -40, -29, -18, -7, 4, 15, 26, 37, 48, 59, 70, 81, 92, 103, 114, 125, -120, -109, -98, -87, -76, -65, -54, -43, -32, -21, -10, 1, 12, 23, 34, 45, 56, 67, 78, 89, 100, 111, 122, -123, -112, -101]> : tensor<50xi8>
  %dx4 = tensor.expand_shape %dx [[0, 1, 2, 3]] output_shape [1, 5, 5, 2] : tensor<50xi8> into tensor<1x5x5x2xi8>
  %dw = arith.constant dense<[-6, -3, 0, 3, 6, -4, -1, 2, 5, -5, -2, 1, 4, -6, -3, 0, 3, 6, -4, -1, 2, 5, -5, -2]> : tensor<24xi8>
  %dw4 = tensor.expand_shape %dw [[0, 1, 2, 3]] output_shape [3, 2, 2, 2] : tensor<24xi8> into tensor<3x2x2x2xi8>
  %cd = call @conv_dilated(%dx4, %dw4) : (tensor<1x5x5x2xi8>, tensor<3x2x2x2xi8>) -> tensor<1x3x3x3xi32>
  %cd1 = tensor.collapse_shape %cd [[0, 1, 2, 3]] : tensor<1x3x3x3xi32> into tensor<27xi32>
  %cdp = tensor.cast %cd1 : tensor<27xi32> to tensor<*xi32>
  call @printMemrefI32(%cdp) : (tensor<*xi32>) -> ()
  // CHECK: [1757,  956,  1676,  1339,  472,  1412,  1433,  1524,  380,  179,  72,  -412,  -239,  -412,  -676,  -657,  -896,  -940,  -1655,  -1068,  572,  -2073,  -1040,  1332,  1605,  780,  1580]

  // lhs as unsigned: 0, 255, 120, 7; 200, 13, 99, 250; 128, 128, 1, 64.
  %ma = arith.constant dense<[[0, -1, 120, 7], [-56, 13, 99, -6], [-128, -128, 1, 64]]> : tensor<3x4xi8>
  %mb = arith.constant dense<[[-128, 127, 3, -4], [5, 6, -7, 8]]> : tensor<2x4xi8>
  %mbias = arith.constant dense<[5, -5]> : tensor<2xi32>
  %mm = call @matmul(%ma, %mb, %mbias) : (tensor<3x4xi8>, tensor<2x4xi8>, tensor<2xi32>) -> tensor<3x2xi32>
  %mmp = tensor.cast %mm : tensor<3x2xi32> to tensor<*xi32>
  call @printMemrefI32(%mmp) : (tensor<*xi32>) -> ()
  // CHECK: [33158,   -503]
  // CHECK: [-24571,   776]
  // CHECK: [182,   786]
  return
}

func.func private @printMemrefI32(tensor<*xi32>)
func.func private @printMemrefF32(tensor<*xf32>)
