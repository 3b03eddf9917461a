// The stock mlir-opt-22 loads the qnt dialect and passes from the plugin.
// Plugin passes register after option parsing, so they run from --pass-pipeline.
// RUN: mlir-opt %s --load-dialect-plugin=%quant_lib_dir/QntPlugin%shlibext --load-pass-plugin=%quant_lib_dir/QntPlugin%shlibext --pass-pipeline="builtin.module(func.func(qnt-decompose-batchnorm))" | FileCheck %s
// RUN: mlir-opt %s --load-dialect-plugin=%quant_lib_dir/QntPlugin%shlibext | FileCheck %s --check-prefix=PARSE

// PARSE-LABEL: func.func @batch_norm_through_plugin
//       PARSE:   qnt.batch_norm
// CHECK-LABEL: func.func @batch_norm_through_plugin
//   CHECK-NOT:   qnt.batch_norm
//       CHECK:   tosa.mul
//       CHECK:   tosa.add
func.func @batch_norm_through_plugin(%input: tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32> {
  %gamma = arith.constant dense<[1.0, 2.0, 0.5]> : tensor<3xf32>
  %beta = arith.constant dense<[0.0, 1.0, -1.0]> : tensor<3xf32>
  %mean = arith.constant dense<[0.5, 0.0, 2.0]> : tensor<3xf32>
  %var = arith.constant dense<[1.0, 4.0, 0.25]> : tensor<3xf32>
  %0 = qnt.batch_norm %input, %gamma, %beta, %mean, %var {axis = 3} : tensor<1x2x2x3xf32>, tensor<3xf32>
  return %0 : tensor<1x2x2x3xf32>
}
