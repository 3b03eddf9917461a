// Image, filter and bias as arguments: conv 3x3 stride 2 pad 1, ReLU,
// max-pool 2x2 stride 1.
func.func @model(%image: tensor<2x5x5x3xf32>, %filter: tensor<4x3x3x3xf32>, %bias: tensor<4xf32>) -> tensor<2x2x2x4xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv = tosa.conv2d %image, %filter, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<2x5x5x3xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x3x3x4xf32>
  %relu = tosa.clamp %conv {min_val = 0.0 : f32, max_val = 3.40282347e+38 : f32} : (tensor<2x3x3x4xf32>) -> tensor<2x3x3x4xf32>
  %pool = tosa.max_pool2d %relu {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<2x3x3x4xf32>) -> tensor<2x2x2x4xf32>
  return %pool : tensor<2x2x2x4xf32>
}
