func.func @bn(%input: tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32> {
  %gamma = arith.constant dense<[1.0, 2.0, 0.5]> : tensor<3xf32>
  %beta = arith.constant dense<[0.0, 1.0, -1.0]> : tensor<3xf32>
  %mean = arith.constant dense<[0.5, 0.0, 2.0]> : tensor<3xf32>
  %var = arith.constant dense<[1.0, 4.0, 0.25]> : tensor<3xf32>
  %0 = qnt.batch_norm %input, %gamma, %beta, %mean, %var {axis = 3} : tensor<1x2x2x3xf32>, tensor<3xf32>
  return %0 : tensor<1x2x2x3xf32>
}
