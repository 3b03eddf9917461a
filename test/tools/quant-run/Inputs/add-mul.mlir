// Two arguments, two results: element-wise sum and product.
func.func @model(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %sum = tosa.add %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %product = tosa.mul %a, %b, %shift : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<1xi8>) -> tensor<2x3xf32>
  return %sum, %product : tensor<2x3xf32>, tensor<2x3xf32>
}

// Not reached from @model: quant-run drops it, runtime declaration included.
func.func @main() {
  %zero = arith.constant dense<0.0> : tensor<2x3xf32>
  %sum, %product = call @model(%zero, %zero) : (tensor<2x3xf32>, tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>)
  %cast = tensor.cast %sum : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%cast) : (tensor<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(tensor<*xf32>)
