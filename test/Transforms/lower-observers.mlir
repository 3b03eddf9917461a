// RUN: quant-opt %s --qnt-lower-observers --split-input-file --verify-diagnostics | FileCheck %s

/// Each probe becomes a call with its index; the module lists the probes by
/// index, and a repeated id shares its index.
//       CHECK: module attributes {qnt.observers = [{bins = 2048 : i64, id = "in", kind = "minmax"}, {bins = 64 : i64, id = "act", kind = "histogram"}]}
// CHECK-LABEL: func.func @model
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<2x3xf32>
//       CHECK:   %[[CAST:.+]] = tensor.cast %[[INPUT]] : tensor<2x3xf32> to tensor<*xf32>
//       CHECK:   %[[IDX0:.+]] = arith.constant 0 : i64
//       CHECK:   call @qnt_observe_f32(%[[CAST]], %[[IDX0]]) : (tensor<*xf32>, i64) -> ()
//       CHECK:   %[[EXP:.+]] = tosa.exp %[[INPUT]]
//       CHECK:   %[[CAST1:.+]] = tensor.cast %[[EXP]]
//       CHECK:   %[[IDX1:.+]] = arith.constant 1 : i64
//       CHECK:   call @qnt_observe_f32(%[[CAST1]], %[[IDX1]])
//       CHECK:   %[[EXP2:.+]] = tosa.exp %[[EXP]]
//       CHECK:   %[[IDX1_AGAIN:.+]] = arith.constant 1 : i64
//       CHECK:   call @qnt_observe_f32(%{{.+}}, %[[IDX1_AGAIN]])
//   CHECK-NOT:   qnt.observe
//       CHECK:   return %[[EXP2]]
//       CHECK: func.func private @qnt_observe_f32(tensor<*xf32> {bufferization.access = "read"}, i64) attributes {llvm.emit_c_interface}
func.func @model(%input: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = qnt.observe %input "in" : tensor<2x3xf32>
  %1 = tosa.exp %0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = qnt.observe %1 "act" {kind = #qnt.observe_kind<histogram>, bins = 64} : tensor<2x3xf32>
  %3 = tosa.exp %2 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = qnt.observe %3 "act" {kind = #qnt.observe_kind<histogram>, bins = 64} : tensor<2x3xf32>
  return %4 : tensor<2x3xf32>
}

// -----

/// The runtime entry point takes f32 only.
func.func @negative_f16(%input: tensor<4xf16>) -> tensor<4xf16> {
  // expected-error @+1 {{'qnt.observe' op only f32 tensors can be observed, got 'f16'}}
  %0 = qnt.observe %input "half" : tensor<4xf16>
  return %0 : tensor<4xf16>
}
