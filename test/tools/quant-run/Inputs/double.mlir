// 2 * x on NCHW RGB images, batch 2: shows what preprocessing fed in.
func.func @model(%x: tensor<2x3x2x2xf32>) -> tensor<2x3x2x2xf32> {
  %twice = tosa.add %x, %x : (tensor<2x3x2x2xf32>, tensor<2x3x2x2xf32>) -> tensor<2x3x2x2xf32>
  return %twice : tensor<2x3x2x2xf32>
}
