// Integer and double entries, chosen with --entry.

// i8 widened and added to i32; i8 clamped to [-3, 3].
func.func @ints(%a: tensor<5xi8>, %b: tensor<5xi32>) -> (tensor<5xi32>, tensor<5xi8>) {
  %wide = tosa.cast %a : (tensor<5xi8>) -> tensor<5xi32>
  %sum = tosa.add %wide, %b : (tensor<5xi32>, tensor<5xi32>) -> tensor<5xi32>
  %clamped = tosa.clamp %a {min_val = -3 : i8, max_val = 3 : i8} : (tensor<5xi8>) -> tensor<5xi8>
  return %sum, %clamped : tensor<5xi32>, tensor<5xi8>
}

#id = affine_map<(d0, d1) -> (d0, d1)>
// 2 * x in i64 and x * x in f64, as linalg on tensors.
func.func @wide(%x: tensor<2x2xi64>, %y: tensor<2x2xf64>) -> (tensor<2x2xi64>, tensor<2x2xf64>) {
  %e0 = tensor.empty() : tensor<2x2xi64>
  %twice = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<2x2xi64>) outs(%e0 : tensor<2x2xi64>) {
  ^bb0(%in: i64, %out: i64):
    %r = arith.addi %in, %in : i64
    linalg.yield %r : i64
  } -> tensor<2x2xi64>
  %e1 = tensor.empty() : tensor<2x2xf64>
  %square = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<2x2xf64>) outs(%e1 : tensor<2x2xf64>) {
  ^bb0(%in: f64, %out: f64):
    %r = arith.mulf %in, %in : f64
    linalg.yield %r : f64
  } -> tensor<2x2xf64>
  return %twice, %square : tensor<2x2xi64>, tensor<2x2xf64>
}

// An argument of dynamic shape, which quant-run cannot feed.
func.func @dynamic(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  return %x : tensor<?x3xf32>
}
