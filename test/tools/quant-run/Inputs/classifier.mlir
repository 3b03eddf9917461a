// A linear classifier over 4x4 one-channel images in NCHW, batch 4: logits =
// flatten(x) @ W with W[i, k] = 1 where i % 3 == k (class k sums every third
// pixel from pixel k), returned as TOSA matmul's [1, batch, classes].
func.func @model(%x: tensor<4x1x4x4xf32>) -> tensor<1x4x3xf32> {
  %shape = tosa.const_shape {values = dense<[1, 4, 16]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %flat = tosa.reshape %x, %shape : (tensor<4x1x4x4xf32>, !tosa.shape<3>) -> tensor<1x4x16xf32>
  %w = "tosa.const"() {values = dense<[[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]]> : tensor<1x16x3xf32>} : () -> tensor<1x16x3xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %logits = tosa.matmul %flat, %w, %zp, %zp : (tensor<1x4x16xf32>, tensor<1x16x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x3xf32>
  return %logits : tensor<1x4x3xf32>
}
