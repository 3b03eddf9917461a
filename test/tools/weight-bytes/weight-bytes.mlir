// scripts/weight_bytes.py counts constant data at its storage width and the
// per-channel i32/f32 array attributes of qnt.requantize/bconv2d/bmatmul;
// shape constants and i64 attributes (strides, pads) do not count.
// RUN: %python %quant_src_root/scripts/weight_bytes.py %s | FileCheck %s
// RUN: not %python %quant_src_root/scripts/weight_bytes.py 2>&1 | FileCheck %s --check-prefix=USAGE

// f32 [2, 3]: 24; i4 [3, 5]: 8 (7.5 rounded up at the end); i32 [4]: 16;
// packed words [2, 2]: 16; requantize: 2 + 2 values, 16; bmatmul: 2 + 2
// values, 16. Total 96 bytes.
// CHECK: {{^}}96{{$}}
// USAGE: usage: weight_bytes.py model.mlir

func.func @weights(%x: tensor<1x2xi32>, %acc: tensor<1x2xi32>) -> (tensor<1x2xi8>, tensor<1x2xf32>) {
  %0 = "tosa.const"() <{values = dense<1.0> : tensor<2x3xf32>}> : () -> tensor<2x3xf32>
  %1 = qnt.constant dense<1> : tensor<3x5xi4> -> tensor<3x5x!quant.uniform<i4:f32, 0.5>>
  %2 = arith.constant dense<7> : tensor<4xi32>
  %3 = "tosa.const"() <{values = dense<0> : tensor<2x2xi32>}> : () -> tensor<2x2xi32>
  %4 = tosa.const_shape {values = dense<[1, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %5 = qnt.requantize %acc {axis = 1 : i64, multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: 31, 31>} : tensor<1x2xi32> -> tensor<1x2xi8>
  %6 = qnt.bmatmul %x, %3 {k = 40 : i64, multiplier = array<f32: 1.0, 2.0>, bias = array<f32: 0.0, 1.0>} : (tensor<1x2xi32>, tensor<2x2xi32>) -> tensor<1x2xf32>
  return %5, %6 : tensor<1x2xi8>, tensor<1x2xf32>
}
