// RUN: quant-opt %s --qnt-insert-observers --split-input-file | FileCheck %s
// RUN: quant-opt %s --qnt-insert-observers="kind=minmax" --split-input-file | FileCheck %s --check-prefix=MINMAX
// RUN: quant-opt %s --qnt-insert-observers --qnt-insert-observers --split-input-file | FileCheck %s --check-prefix=TWICE
// RUN: not quant-opt %s --qnt-insert-observers="kind=mean" 2>&1 | FileCheck %s --check-prefix=BADKIND

/// The input, the conv (named by its location) and the ReLU are observed;
/// the transpose keeps the ReLU's scale and constants need no probe. Later
/// ops read the probes' results.
// CHECK-LABEL: func.func @model
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<1x4x4x2xf32>
//       CHECK:   %[[IN_OBS:.+]] = qnt.observe %[[INPUT]] "model.arg0" {kind = #qnt.observe_kind<histogram>}
//       CHECK:   %[[CONV:.+]] = tosa.conv2d %[[IN_OBS]],
//       CHECK:   %[[CONV_OBS:.+]] = qnt.observe %[[CONV]] "conv1"
//       CHECK:   %[[RELU:.+]] = tosa.clamp %[[CONV_OBS]]
//       CHECK:   %[[RELU_OBS:.+]] = qnt.observe %[[RELU]] "model.tosa.clamp.0"
//       CHECK:   %[[OUT:.+]] = tosa.transpose %[[RELU_OBS]]
//   CHECK-NOT:   qnt.observe
//       CHECK:   return %[[OUT]]
// MINMAX-LABEL: func.func @model
//       MINMAX:   qnt.observe %{{.+}} "model.arg0" :
/// Running the pass again adds nothing.
//   TWICE-LABEL: func.func @model
// TWICE-COUNT-3: = qnt.observe %
//     TWICE-NOT: = qnt.observe %
//   TWICE-LABEL: func.func @unique_ids
// BADKIND: error: qnt-insert-observers: unknown kind 'mean' (expected minmax or histogram)
func.func @model(%input: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32> loc("conv1")
  %relu = tosa.clamp %conv {min_val = 0.0 : f32, max_val = 3.4028235e+38 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %t = tosa.transpose %relu {perms = array<i32: 0, 2, 1, 3>} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %t : tensor<1x4x4x2xf32>
}

// -----

/// Two ops with the same location name get distinct ids; an add of two
/// constants is a constant and a qnt.batch_norm result is observed.
// CHECK-LABEL: func.func @unique_ids
//       CHECK:   tosa.add %{{.+}}, %{{.+}} : (tensor<2xf32>, tensor<2xf32>)
//   CHECK-NOT:   qnt.observe {{.+}} : tensor<2xf32>
//       CHECK:   qnt.observe %{{.+}} "act" {kind
//       CHECK:   qnt.observe %{{.+}} "act#1" {kind
//       CHECK:   qnt.batch_norm
//  CHECK-NEXT:   qnt.observe %{{.+}} "unique_ids.qnt.batch_norm.0"
func.func @unique_ids(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %c = arith.constant dense<1.0> : tensor<2xf32>
  %cc = tosa.add %c, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %e1 = tosa.exp %x : (tensor<1x2xf32>) -> tensor<1x2xf32> loc("act")
  %e2 = tosa.exp %e1 : (tensor<1x2xf32>) -> tensor<1x2xf32> loc("act")
  %bn = qnt.batch_norm %e2, %cc, %c, %c, %c {axis = 1} : tensor<1x2xf32>, tensor<2xf32>
  return %bn : tensor<1x2xf32>
}

// -----

/// The float +-1 values a qnt.unpack makes feed a layer that stays multi-bit,
/// so they are observed; the packed words and the binarize are not.
// CHECK-LABEL: func.func @unpacked_signs
//  CHECK-SAME:   %[[PACKED:[a-zA-Z0-9_]+]]: tensor<1x1xi32>
//   CHECK-NOT:   qnt.observe %[[PACKED]]
//       CHECK:   %[[SIGNS:.+]] = qnt.unpack %[[PACKED]]
//  CHECK-NEXT:   %[[SIGNS_OBS:.+]] = qnt.observe %[[SIGNS]] "unpacked_signs.qnt.unpack.0"
//       CHECK:   %[[P:.+]] = qnt.binarize %[[SIGNS_OBS]]
//   CHECK-NOT:   qnt.observe
//       CHECK:   return %[[SIGNS_OBS]], %[[P]]
func.func @unpacked_signs(%packed: tensor<1x1xi32>) -> (tensor<1x3xf32>, tensor<1x1xi32>) {
  %signs = qnt.unpack %packed : tensor<1x1xi32> -> tensor<1x3xf32>
  %p = qnt.binarize %signs : tensor<1x3xf32> -> tensor<1x1xi32>
  return %signs, %p : tensor<1x3xf32>, tensor<1x1xi32>
}

// -----

/// Only the sign of the conv's output is used (max pool, then binarize): it
/// needs no scale and gets no probe. The input still does.
// CHECK-LABEL: func.func @sign_only
//       CHECK:   qnt.observe %{{.+}} "sign_only.arg0"
//       CHECK:   %[[CONV:.+]] = tosa.conv2d
//  CHECK-NEXT:   %[[POOL:.+]] = tosa.max_pool2d %[[CONV]]
//  CHECK-NEXT:   qnt.binarize %[[POOL]]
//   CHECK-NOT:   = qnt.observe
func.func @sign_only(%input: tensor<1x4x4x2xf32>) -> tensor<1x2x2x1xi32> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %input, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %pool = tosa.max_pool2d %conv {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
  %p = qnt.binarize %pool : tensor<1x2x2x2xf32> -> tensor<1x2x2x1xi32>
  return %p : tensor<1x2x2x1xi32>
}
