// RUN: quant-opt %s --qnt-decompose-batchnorm --split-input-file | FileCheck %s

/// Constant parameters fold at compile time: s = gamma / sqrt(var + eps) =
/// [2, 3, -1] and t = beta - mean * s = [-1, 1, 1], broadcast along axis 3.
// CHECK-LABEL: func.func @decompose_constant_parameters
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<1x2x2x3xf32>
//   CHECK-DAG:   %[[SCALE:.+]] = arith.constant dense<{{\[\[\[\[}}2.000000e+00, 3.000000e+00, -1.000000e+00]]]]> : tensor<1x1x1x3xf32>
//   CHECK-DAG:   %[[SHIFT:.+]] = arith.constant dense<{{\[\[\[\[}}-1.000000e+00, 1.000000e+00, 1.000000e+00]]]]> : tensor<1x1x1x3xf32>
//   CHECK-DAG:   %[[ZERO_SHIFT:.+]] = arith.constant dense<0> : tensor<1xi8>
//       CHECK:   %[[SCALED:.+]] = tosa.mul %[[INPUT]], %[[SCALE]], %[[ZERO_SHIFT]]
//       CHECK:   %[[OUT:.+]] = tosa.add %[[SCALED]], %[[SHIFT]]
//   CHECK-NOT:   qnt.batch_norm
//       CHECK:   return %[[OUT]]
func.func @decompose_constant_parameters(%input: tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32> {
  %gamma = arith.constant dense<[2.0, 6.0, -0.5]> : tensor<3xf32>
  %beta = arith.constant dense<[0.0, 1.0, -1.0]> : tensor<3xf32>
  %mean = arith.constant dense<[0.5, 0.0, 2.0]> : tensor<3xf32>
  %var = arith.constant dense<[1.0, 4.0, 0.25]> : tensor<3xf32>
  %0 = qnt.batch_norm %input, %gamma, %beta, %mean, %var {axis = 3, epsilon = 0.0} : tensor<1x2x2x3xf32>, tensor<3xf32>
  return %0 : tensor<1x2x2x3xf32>
}

// -----

/// Runtime parameters become TOSA ops, reshaped to broadcast along axis 1.
// CHECK-LABEL: func.func @decompose_runtime_parameters
//  CHECK-SAME:   %[[INPUT:[a-zA-Z0-9_]+]]: tensor<2x3x4xf32>, %[[GAMMA:[a-zA-Z0-9_]+]]: tensor<3xf32>, %[[BETA:[a-zA-Z0-9_]+]]: tensor<3xf32>, %[[MEAN:[a-zA-Z0-9_]+]]: tensor<3xf32>, %[[VAR:[a-zA-Z0-9_]+]]: tensor<3xf32>
//   CHECK-DAG:   %[[EPS:.+]] = arith.constant dense<1.000000e-03> : tensor<1x3x1xf32>
//   CHECK-DAG:   %[[SHAPE:.+]] = tosa.const_shape {values = dense<[1, 3, 1]> : tensor<3xindex>}
//       CHECK:   %[[VAR_B:.+]] = tosa.reshape %[[VAR]], %[[SHAPE]]
//       CHECK:   %[[VAR_EPS:.+]] = tosa.add %[[VAR_B]], %[[EPS]]
//       CHECK:   %[[INV_STD:.+]] = tosa.rsqrt %[[VAR_EPS]]
//       CHECK:   %[[GAMMA_B:.+]] = tosa.reshape %[[GAMMA]], %[[SHAPE]]
//       CHECK:   %[[SCALE:.+]] = tosa.mul %[[GAMMA_B]], %[[INV_STD]]
//       CHECK:   %[[MEAN_B:.+]] = tosa.reshape %[[MEAN]], %[[SHAPE]]
//       CHECK:   %[[MEAN_SCALED:.+]] = tosa.mul %[[MEAN_B]], %[[SCALE]]
//       CHECK:   %[[BETA_B:.+]] = tosa.reshape %[[BETA]], %[[SHAPE]]
//       CHECK:   %[[SHIFT:.+]] = tosa.sub %[[BETA_B]], %[[MEAN_SCALED]]
//       CHECK:   %[[SCALED:.+]] = tosa.mul %[[INPUT]], %[[SCALE]]
//       CHECK:   %[[OUT:.+]] = tosa.add %[[SCALED]], %[[SHIFT]]
//       CHECK:   return %[[OUT]]
func.func @decompose_runtime_parameters(%input: tensor<2x3x4xf32>, %gamma: tensor<3xf32>, %beta: tensor<3xf32>, %mean: tensor<3xf32>, %var: tensor<3xf32>) -> tensor<2x3x4xf32> {
  %0 = qnt.batch_norm %input, %gamma, %beta, %mean, %var {axis = 1, epsilon = 1.0e-3} : tensor<2x3x4xf32>, tensor<3xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

/// A dynamic channel dimension has no static broadcast shape: left alone.
// CHECK-LABEL: func.func @negative_dynamic_channels
//       CHECK:   qnt.batch_norm
func.func @negative_dynamic_channels(%input: tensor<2x?xf32>, %p: tensor<?xf32>) -> tensor<2x?xf32> {
  %0 = qnt.batch_norm %input, %p, %p, %p, %p {axis = 1} : tensor<2x?xf32>, tensor<?xf32>
  return %0 : tensor<2x?xf32>
}
