// The calibration tests' model: conv 3x3 (pad 1, named "conv1") -> ReLU ->
// depthwise 1x1 with channel multiplier 2 -> max-pool 2x2 -> flatten ->
// matmul, batch 2, on 4x4 one-channel images. calibrate.py holds the same
// constants and the NumPy reference of every activation.
func.func @model(%x: tensor<2x4x4x1xf32>) -> tensor<1x2x3xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %conv_w = "tosa.const"() {values = dense<[[[[-0.5], [1.0], [1.0]], [[-2.0], [2.0], [0.0]], [[1.5], [-2.0], [-2.0]]], [[[1.5], [-1.5], [0.5]], [[1.5], [-2.0], [-1.5]], [[0.0], [1.0], [-1.0]]]]> : tensor<2x3x3x1xf32>} : () -> tensor<2x3x3x1xf32>
  %conv_b = "tosa.const"() {values = dense<[0.25, -0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %conv = tosa.conv2d %x, %conv_w, %conv_b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<2x4x4x1xf32>, tensor<2x3x3x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x4x2xf32> loc("conv1")
  %relu = tosa.clamp %conv {min_val = 0.0 : f32, max_val = 3.40282347e+38 : f32} : (tensor<2x4x4x2xf32>) -> tensor<2x4x4x2xf32>
  %dw_w = "tosa.const"() {values = dense<[[[[-1.5, -1.0], [1.5, -2.0]]]]> : tensor<1x1x2x2xf32>} : () -> tensor<1x1x2x2xf32>
  %dw_b = "tosa.const"() {values = dense<[0.0, 0.5, -0.25, 0.0]> : tensor<4xf32>} : () -> tensor<4xf32>
  %depthwise = tosa.depthwise_conv2d %relu, %dw_w, %dw_b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<2x4x4x2xf32>, tensor<1x1x2x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x4x4xf32>
  %pool = tosa.max_pool2d %depthwise {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<2x4x4x4xf32>) -> tensor<2x2x2x4xf32>
  %shape = tosa.const_shape {values = dense<[1, 2, 16]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %flat = tosa.reshape %pool, %shape : (tensor<2x2x2x4xf32>, !tosa.shape<3>) -> tensor<1x2x16xf32>
  %fc_w = "tosa.const"() {values = dense<[[[0.5, -2.0, -2.0], [0.0, 0.0, -0.5], [-1.0, 0.0, 1.0], [-0.5, -0.5, -1.0], [-1.5, 0.5, 1.5], [0.0, -0.5, -1.5], [1.5, -0.5, -1.5], [0.5, 1.5, -2.0], [1.0, -2.0, 0.5], [-1.0, 2.0, 1.0], [2.0, -2.0, 0.5], [-1.0, -2.0, 1.5], [1.5, 1.0, -2.0], [-2.0, 2.0, 0.5], [0.5, 1.0, 0.0], [0.5, -1.0, 2.0]]]> : tensor<1x16x3xf32>} : () -> tensor<1x16x3xf32>
  %logits = tosa.matmul %flat, %fc_w, %zp, %zp : (tensor<1x2x16xf32>, tensor<1x16x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x3xf32>
  return %logits : tensor<1x2x3xf32>
}
