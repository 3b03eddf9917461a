// RUN: quant-opt %s -split-input-file -verify-diagnostics

// One split per verifier diagnostic of the qnt ops (QntOps.cpp) and of
// #qnt.config (LayerConfigAttr::verify), plus the attribute parser's
// rejection of unknown enum names. Each diagnostic prints the offending
// values, and the expected-error text pins them.

//===----------------------------------------------------------------------===//
// #qnt.config and enum attributes
//===----------------------------------------------------------------------===//

/// Bits 1..8 only; 0 is neither binary nor a quantized width.
// expected-error @+1 {{weight_bits must be in [1, 8], got 0}}
func.func @config_weight_bits() attributes {qnt.config = #qnt.config<weight_bits = 0, activation_bits = 8, scheme = symmetric, granularity = per_tensor>} {
  return
}

// -----

// expected-error @+1 {{activation_bits must be in [1, 8], got 9}}
func.func @config_activation_bits() attributes {qnt.config = #qnt.config<weight_bits = 4, activation_bits = 9, scheme = symmetric, granularity = per_tensor>} {
  return
}

// -----

// expected-error @+1 {{axis must be non-negative, got -1}}
func.func @config_axis() attributes {qnt.config = #qnt.config<weight_bits = 4, activation_bits = 8, scheme = asymmetric, granularity = per_channel, axis = -1>} {
  return
}

// -----

/// Rounding names are half_even and half_away; TFLite's "half up" is not one.
// expected-error @+2 {{expected one of [half_even, half_away] for float to integer rounding, got: half_up}}
// expected-error @+1 {{failed to parse Qnt_LayerConfigAttr parameter 'rounding'}}
func.func @config_bad_rounding() attributes {qnt.config = #qnt.config<weight_bits = 4, activation_bits = 8, scheme = symmetric, granularity = per_tensor, rounding = half_up>} {
  return
}

// -----

// expected-error @+2 {{expected one of [symmetric, asymmetric] for quantization scheme, got: sym}}
// expected-error @+1 {{failed to parse Qnt_LayerConfigAttr parameter 'scheme'}}
func.func @config_bad_scheme() attributes {qnt.config = #qnt.config<weight_bits = 4, activation_bits = 8, scheme = sym, granularity = per_tensor>} {
  return
}

// -----

/// weight_bits, activation_bits, scheme and granularity have no default.
// expected-error @+1 {{struct is missing required parameter: granularity}}
func.func @config_missing_granularity() attributes {qnt.config = #qnt.config<weight_bits = 4, activation_bits = 8, scheme = symmetric>} {
  return
}

// -----

func.func @rounding_attr_bad_name(%input: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>> {
  // expected-error @+2 {{expected ::mlir::qnt::RoundingMode to be one of: half_even, half_away}}
  // expected-error @+1 {{failed to parse Qnt_RoundingModeAttr parameter 'value'}}
  %q = qnt.quantize %input {rounding = #qnt.rounding<nearest>} : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
  return %q : tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
}

// -----

func.func @requant_rounding_attr_bad_name(%acc: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+2 {{expected ::mlir::qnt::RequantRounding to be one of: single_round, double_round}}
  // expected-error @+1 {{failed to parse Qnt_RequantRoundingAttr parameter 'value'}}
  %r = qnt.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i32: 31>, rounding = #qnt.requant_rounding<half_even>} : tensor<4xi32> -> tensor<4xi8>
  return %r : tensor<4xi8>
}

//===----------------------------------------------------------------------===//
// qnt.constant
//===----------------------------------------------------------------------===//

// -----

func.func @constant_shape() -> tensor<3x!quant.uniform<i8:f32, 5.000000e-01>> {
  // expected-error @+1 {{value shape 'tensor<2xi8>' does not match result shape 'tensor<3x!quant.uniform<i8:f32, 5.000000e-01>>'}}
  %c = qnt.constant dense<[1, 2]> : tensor<2xi8> -> tensor<3x!quant.uniform<i8:f32, 5.000000e-01>>
  return %c : tensor<3x!quant.uniform<i8:f32, 5.000000e-01>>
}

// -----

/// The value holds storage integers, never the expressed floats.
func.func @constant_element_type() -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01>> {
  // expected-error @+1 {{value element type 'f32' must be the storage type 'i8'}}
  %c = qnt.constant dense<[1.0, 2.0]> : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
  return %c : tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
}

// -----

func.func @constant_not_dense() -> tensor<3x!quant.uniform<i8:f32, 5.000000e-01>> {
  // expected-error @+1 {{value must be a dense integer elements attribute}}
  %c = qnt.constant sparse<[[0]], [1]> : tensor<3xi8> -> tensor<3x!quant.uniform<i8:f32, 5.000000e-01>>
  return %c : tensor<3x!quant.uniform<i8:f32, 5.000000e-01>>
}

// -----

/// A narrowed storage type excludes -128.
func.func @constant_out_of_storage_range() -> tensor<2x!quant.uniform<i8<-127:127>:f32, 1.000000e+00>> {
  // expected-error @+1 {{stored value -128 is outside the storage range [-127, 127]}}
  %c = qnt.constant dense<[0, -128]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8<-127:127>:f32, 1.000000e+00>>
  return %c : tensor<2x!quant.uniform<i8<-127:127>:f32, 1.000000e+00>>
}

//===----------------------------------------------------------------------===//
// qnt.quantize / qnt.dequantize / qnt.fake_quant
//===----------------------------------------------------------------------===//

// -----

func.func @quantize_shape(%input: tensor<4xf32>) -> tensor<5x!quant.uniform<i8:f32, 5.000000e-01>> {
  // expected-error @+1 {{float shape 'tensor<4xf32>' does not match quantized shape 'tensor<5x!quant.uniform<i8:f32, 5.000000e-01>>'}}
  %q = qnt.quantize %input : tensor<4xf32> -> tensor<5x!quant.uniform<i8:f32, 5.000000e-01>>
  return %q : tensor<5x!quant.uniform<i8:f32, 5.000000e-01>>
}

// -----

/// Only !quant.uniform (per-tensor or per-axis) has a scale to quantize with.
func.func @quantize_any_type(%input: tensor<4xf32>) -> tensor<4x!quant.any<i8:f32>> {
  // expected-error @+1 {{expects a !quant.uniform element type, got '!quant.any<i8:f32>'}}
  %q = qnt.quantize %input : tensor<4xf32> -> tensor<4x!quant.any<i8:f32>>
  return %q : tensor<4x!quant.any<i8:f32>>
}

// -----

func.func @quantize_expressed_type(%input: tensor<4xf16>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>> {
  // expected-error @+1 {{expressed type 'f32' does not match float type 'f16'}}
  %q = qnt.quantize %input : tensor<4xf16> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
  return %q : tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
}

// -----

func.func @quantize_axis_out_of_range(%input: tensor<2xf32>) -> tensor<2x!quant.uniform<i8:f32:1, {1.000000e+00,2.000000e+00}>> {
  // expected-error @+1 {{quantized dimension 1 is out of range for rank 1}}
  %q = qnt.quantize %input : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32:1, {1.000000e+00,2.000000e+00}>>
  return %q : tensor<2x!quant.uniform<i8:f32:1, {1.000000e+00,2.000000e+00}>>
}

// -----

func.func @quantize_scale_count(%input: tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32:1, {1.000000e+00,2.000000e+00}>> {
  // expected-error @+1 {{has 2 scales but dimension 1 has size 3}}
  %q = qnt.quantize %input : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:1, {1.000000e+00,2.000000e+00}>>
  return %q : tensor<2x3x!quant.uniform<i8:f32:1, {1.000000e+00,2.000000e+00}>>
}

// -----

func.func @dequantize_shape(%input: tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x2xf32> {
  // expected-error @+1 {{float shape 'tensor<2x2xf32>' does not match quantized shape 'tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>'}}
  %x = qnt.dequantize %input : tensor<4x!quant.uniform<i8:f32, 5.000000e-01>> -> tensor<2x2xf32>
  return %x : tensor<2x2xf32>
}

// -----

func.func @dequantize_expressed_type(%input: tensor<4x!quant.uniform<i8:f16, 5.000000e-01>>) -> tensor<4xf32> {
  // expected-error @+1 {{expressed type 'f16' does not match float type 'f32'}}
  %x = qnt.dequantize %input : tensor<4x!quant.uniform<i8:f16, 5.000000e-01>> -> tensor<4xf32>
  return %x : tensor<4xf32>
}

// -----

func.func @dequantize_scale_count(%input: tensor<4x2x!quant.uniform<i8:f32:0, {1.000000e+00,2.000000e+00}>>) -> tensor<4x2xf32> {
  // expected-error @+1 {{has 2 scales but dimension 0 has size 4}}
  %x = qnt.dequantize %input : tensor<4x2x!quant.uniform<i8:f32:0, {1.000000e+00,2.000000e+00}>> -> tensor<4x2xf32>
  return %x : tensor<4x2xf32>
}

// -----

func.func @fake_quant_not_uniform(%input: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{quant_type must be a !quant.uniform type, got 'i8'}}
  %y = qnt.fake_quant %input as i8 : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @fake_quant_expressed_type(%input: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expressed type 'bf16' does not match float type 'f32'}}
  %y = qnt.fake_quant %input as !quant.uniform<i8:bf16, 5.000000e-01> : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @fake_quant_scale_count(%input: tensor<4x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{has 2 scales but dimension 1 has size 3}}
  %y = qnt.fake_quant %input as !quant.uniform<i8:f32:1, {1.000000e+00,2.000000e+00}> : tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

//===----------------------------------------------------------------------===//
// qnt.batch_norm / qnt.observe
//===----------------------------------------------------------------------===//

// -----

func.func @batch_norm_axis(%input: tensor<1x4x4x3xf32>, %param: tensor<3xf32>) -> tensor<1x4x4x3xf32> {
  // expected-error @+1 {{axis 4 is out of range for rank 4}}
  %y = qnt.batch_norm %input, %param, %param, %param, %param {axis = 4} : tensor<1x4x4x3xf32>, tensor<3xf32>
  return %y : tensor<1x4x4x3xf32>
}

// -----

func.func @batch_norm_negative_axis(%input: tensor<1x4x4x3xf32>, %param: tensor<3xf32>) -> tensor<1x4x4x3xf32> {
  // expected-error @+1 {{axis -1 is out of range for rank 4}}
  %y = qnt.batch_norm %input, %param, %param, %param, %param {axis = -1} : tensor<1x4x4x3xf32>, tensor<3xf32>
  return %y : tensor<1x4x4x3xf32>
}

// -----

func.func @batch_norm_param_rank(%input: tensor<1x4x4x3xf32>, %param: tensor<1x3xf32>) -> tensor<1x4x4x3xf32> {
  // expected-error @+1 {{parameters must be 1-D, got 'tensor<1x3xf32>'}}
  %y = qnt.batch_norm %input, %param, %param, %param, %param {axis = 3} : tensor<1x4x4x3xf32>, tensor<1x3xf32>
  return %y : tensor<1x4x4x3xf32>
}

// -----

func.func @batch_norm_param_type(%input: tensor<1x4x4x3xf32>, %param: tensor<3xf16>) -> tensor<1x4x4x3xf32> {
  // expected-error @+1 {{parameter element type 'f16' does not match input element type 'f32'}}
  %y = qnt.batch_norm %input, %param, %param, %param, %param {axis = 3} : tensor<1x4x4x3xf32>, tensor<3xf16>
  return %y : tensor<1x4x4x3xf32>
}

// -----

func.func @batch_norm_channels(%input: tensor<1x4x4x3xf32>, %param: tensor<4xf32>) -> tensor<1x4x4x3xf32> {
  // expected-error @+1 {{parameters have 4 channels but the input has 3 along axis 3}}
  %y = qnt.batch_norm %input, %param, %param, %param, %param {axis = 3} : tensor<1x4x4x3xf32>, tensor<4xf32>
  return %y : tensor<1x4x4x3xf32>
}

// -----

func.func @batch_norm_epsilon(%input: tensor<1x4x4x3xf32>, %param: tensor<3xf32>) -> tensor<1x4x4x3xf32> {
  // expected-error @+1 {{epsilon must be non-negative, got -1.000000e-03}}
  %y = qnt.batch_norm %input, %param, %param, %param, %param {axis = 3, epsilon = -1.0e-03} : tensor<1x4x4x3xf32>, tensor<3xf32>
  return %y : tensor<1x4x4x3xf32>
}

// -----

/// NaN is not a valid epsilon either (a plain `< 0` test lets it through).
func.func @batch_norm_epsilon_nan(%input: tensor<1x4x4x3xf32>, %param: tensor<3xf32>) -> tensor<1x4x4x3xf32> {
  // expected-error @+1 {{epsilon must be non-negative, got nan}}
  %y = qnt.batch_norm %input, %param, %param, %param, %param {axis = 3, epsilon = 0x7FF8000000000000 : f64} : tensor<1x4x4x3xf32>, tensor<3xf32>
  return %y : tensor<1x4x4x3xf32>
}

// -----

func.func @observe_empty_id(%input: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{id must not be empty}}
  %y = qnt.observe %input "" : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @observe_zero_bins(%input: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{bins must be positive, got 0}}
  %y = qnt.observe %input "probe" {kind = #qnt.observe_kind<histogram>, bins = 0} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

/// bins is an I64Attr whose getter is unsigned: a negative count must not
/// wrap to a huge positive one.
func.func @observe_negative_bins(%input: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{bins must be positive, got -5}}
  %y = qnt.observe %input "probe" {kind = #qnt.observe_kind<histogram>, bins = -5} : tensor<4xf32>
  return %y : tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// qnt.requantize
//===----------------------------------------------------------------------===//

// -----

func.func @requantize_output_signed(%acc: tensor<4xi32>) -> tensor<4xsi8> {
  // expected-error @+1 {{output element type must be a signless or unsigned integer of 2 to 32 bits, got 'si8'}}
  %r = qnt.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i32: 31>} : tensor<4xi32> -> tensor<4xsi8>
  return %r : tensor<4xsi8>
}

// -----

func.func @requantize_output_i1(%acc: tensor<4xi32>) -> tensor<4xi1> {
  // expected-error @+1 {{output element type must be a signless or unsigned integer of 2 to 32 bits, got 'i1'}}
  %r = qnt.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i32: 31>} : tensor<4xi32> -> tensor<4xi1>
  return %r : tensor<4xi1>
}

// -----

func.func @requantize_output_i64(%acc: tensor<4xi32>) -> tensor<4xi64> {
  // expected-error @+1 {{output element type must be a signless or unsigned integer of 2 to 32 bits, got 'i64'}}
  %r = qnt.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i32: 31>} : tensor<4xi32> -> tensor<4xi64>
  return %r : tensor<4xi64>
}

// -----

func.func @requantize_shape(%acc: tensor<4xi32>) -> tensor<5xi8> {
  // expected-error @+1 {{input shape 'tensor<4xi32>' does not match output shape 'tensor<5xi8>'}}
  %r = qnt.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i32: 31>} : tensor<4xi32> -> tensor<5xi8>
  return %r : tensor<5xi8>
}

// -----

func.func @requantize_length_mismatch(%acc: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{multiplier and shift must be non-empty and of equal length, got 3 and 2}}
  %r = qnt.requantize %acc {multiplier = array<i32: 1, 2, 3>, shift = array<i32: 31, 31>, axis = 1} : tensor<2x3xi32> -> tensor<2x3xi8>
  return %r : tensor<2x3xi8>
}

// -----

func.func @requantize_empty(%acc: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{multiplier and shift must be non-empty and of equal length, got 0 and 0}}
  %r = qnt.requantize %acc {multiplier = array<i32>, shift = array<i32>} : tensor<2x3xi32> -> tensor<2x3xi8>
  return %r : tensor<2x3xi8>
}

// -----

func.func @requantize_per_channel_no_axis(%acc: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{per-channel multipliers need an axis}}
  %r = qnt.requantize %acc {multiplier = array<i32: 1, 2, 3>, shift = array<i32: 31, 31, 31>} : tensor<2x3xi32> -> tensor<2x3xi8>
  return %r : tensor<2x3xi8>
}

// -----

func.func @requantize_axis_out_of_range(%acc: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %r = qnt.requantize %acc {multiplier = array<i32: 1, 2, 3>, shift = array<i32: 31, 31, 31>, axis = 2} : tensor<2x3xi32> -> tensor<2x3xi8>
  return %r : tensor<2x3xi8>
}

// -----

func.func @requantize_channel_count(%acc: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{has 3 multipliers but dimension 0 has size 2}}
  %r = qnt.requantize %acc {multiplier = array<i32: 1, 2, 3>, shift = array<i32: 31, 31, 31>, axis = 0} : tensor<2x3xi32> -> tensor<2x3xi8>
  return %r : tensor<2x3xi8>
}

// -----

func.func @requantize_negative_multiplier(%acc: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{multiplier -1073741824 must be non-negative}}
  %r = qnt.requantize %acc {multiplier = array<i32: 1073741824, -1073741824, 5>, shift = array<i32: 31, 31, 31>, axis = 1} : tensor<2x3xi32> -> tensor<2x3xi8>
  return %r : tensor<2x3xi8>
}

// -----

func.func @requantize_shift_too_small(%acc: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{shift 1 must be in [2, 62]}}
  %r = qnt.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i32: 1>} : tensor<4xi32> -> tensor<4xi8>
  return %r : tensor<4xi8>
}

// -----

func.func @requantize_shift_too_large(%acc: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{shift 63 must be in [2, 62]}}
  %r = qnt.requantize %acc {multiplier = array<i32: 1, 1, 1>, shift = array<i32: 62, 63, 2>, axis = 1} : tensor<2x3xi32> -> tensor<2x3xi8>
  return %r : tensor<2x3xi8>
}

// -----

func.func @requantize_output_zp(%acc: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{output_zp 128 is outside the range [-128, 127] of 'i8'}}
  %r = qnt.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i32: 31>, output_zp = 128 : i32} : tensor<4xi32> -> tensor<4xi8>
  return %r : tensor<4xi8>
}

// -----

/// An unsigned output has no negative zero point.
func.func @requantize_output_zp_unsigned(%acc: tensor<4xi32>) -> tensor<4xui8> {
  // expected-error @+1 {{output_zp -1 is outside the range [0, 255] of 'ui8'}}
  %r = qnt.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i32: 31>, output_zp = -1 : i32} : tensor<4xi32> -> tensor<4xui8>
  return %r : tensor<4xui8>
}

// -----

func.func @requantize_clamp_below_range(%acc: tensor<4xi32>) -> tensor<4xi4> {
  // expected-error @+1 {{clamp [-9, 7] must be ordered and within the range [-8, 7] of 'i4'}}
  %r = qnt.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i32: 31>, clamp_min = -9 : i32} : tensor<4xi32> -> tensor<4xi4>
  return %r : tensor<4xi4>
}

// -----

func.func @requantize_clamp_above_range(%acc: tensor<4xi32>) -> tensor<4xui8> {
  // expected-error @+1 {{clamp [0, 256] must be ordered and within the range [0, 255] of 'ui8'}}
  %r = qnt.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i32: 31>, clamp_max = 256 : i32} : tensor<4xi32> -> tensor<4xui8>
  return %r : tensor<4xui8>
}

// -----

func.func @requantize_clamp_unordered(%acc: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{clamp [6, 0] must be ordered and within the range [-128, 127] of 'i8'}}
  %r = qnt.requantize %acc {multiplier = array<i32: 1073741824>, shift = array<i32: 31>, clamp_min = 6 : i32, clamp_max = 0 : i32} : tensor<4xi32> -> tensor<4xi8>
  return %r : tensor<4xi8>
}

//===----------------------------------------------------------------------===//
// qnt.conv2d
//===----------------------------------------------------------------------===//

// -----

func.func @conv2d_rank(%input: tensor<8x8x16xi8>, %filter: tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32> {
  // expected-error @+1 {{expects 4-D input (NHWC), filter (OHWI) and output}}
  %y = qnt.conv2d %input, %filter : (tensor<8x8x16xi8>, tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32>
  return %y : tensor<1x6x6x4xi32>
}

// -----

func.func @conv2d_input_element(%input: tensor<1x8x8x16xi16>, %filter: tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32> {
  // expected-error @+1 {{input element type must be a signless or unsigned integer of 2 to 8 bits, got 'i16'}}
  %y = qnt.conv2d %input, %filter : (tensor<1x8x8x16xi16>, tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32>
  return %y : tensor<1x6x6x4xi32>
}

// -----

/// Signed-ness is carried by signless types; `si` is rejected.
func.func @conv2d_filter_element(%input: tensor<1x8x8x16xi8>, %filter: tensor<4x3x3x16xsi8>) -> tensor<1x6x6x4xi32> {
  // expected-error @+1 {{filter element type must be a signless or unsigned integer of 2 to 8 bits, got 'si8'}}
  %y = qnt.conv2d %input, %filter : (tensor<1x8x8x16xi8>, tensor<4x3x3x16xsi8>) -> tensor<1x6x6x4xi32>
  return %y : tensor<1x6x6x4xi32>
}

// -----

func.func @conv2d_input_zp(%input: tensor<1x8x8x16xui8>, %filter: tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32> {
  // expected-error @+1 {{input_zp 256 is outside the range [0, 255] of 'ui8'}}
  %y = qnt.conv2d %input, %filter {input_zp = 256 : i32} : (tensor<1x8x8x16xui8>, tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32>
  return %y : tensor<1x6x6x4xi32>
}

// -----

func.func @conv2d_filter_zp(%input: tensor<1x8x8x16xi8>, %filter: tensor<4x3x3x16xi4>) -> tensor<1x6x6x4xi32> {
  // expected-error @+1 {{filter_zp -9 is outside the range [-8, 7] of 'i4'}}
  %y = qnt.conv2d %input, %filter {filter_zp = -9 : i32} : (tensor<1x8x8x16xi8>, tensor<4x3x3x16xi4>) -> tensor<1x6x6x4xi32>
  return %y : tensor<1x6x6x4xi32>
}

// -----

func.func @conv2d_groups(%input: tensor<1x8x8x16xi8>, %filter: tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32> {
  // expected-error @+1 {{groups must be positive, got 0}}
  %y = qnt.conv2d %input, %filter {groups = 0} : (tensor<1x8x8x16xi8>, tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32>
  return %y : tensor<1x6x6x4xi32>
}

// -----

func.func @conv2d_input_channels_groups(%input: tensor<1x8x8x16xi8>, %filter: tensor<6x3x3x5xi8>) -> tensor<1x6x6x6xi32> {
  // expected-error @+1 {{input channels 16 are not divisible by groups 3}}
  %y = qnt.conv2d %input, %filter {groups = 3} : (tensor<1x8x8x16xi8>, tensor<6x3x3x5xi8>) -> tensor<1x6x6x6xi32>
  return %y : tensor<1x6x6x6xi32>
}

// -----

func.func @conv2d_filter_channels(%input: tensor<1x8x8x16xi8>, %filter: tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32> {
  // expected-error @+1 {{filter has 16 input channels, expected 8 (input channels / groups)}}
  %y = qnt.conv2d %input, %filter {groups = 2} : (tensor<1x8x8x16xi8>, tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32>
  return %y : tensor<1x6x6x4xi32>
}

// -----

/// Depthwise with multiplier M needs O = C * M output channels.
func.func @conv2d_output_channels_groups(%input: tensor<1x8x8x16xi8>, %filter: tensor<24x3x3x1xi8>) -> tensor<1x6x6x24xi32> {
  // expected-error @+1 {{output channels 24 are not divisible by groups 16}}
  %y = qnt.conv2d %input, %filter {groups = 16} : (tensor<1x8x8x16xi8>, tensor<24x3x3x1xi8>) -> tensor<1x6x6x24xi32>
  return %y : tensor<1x6x6x24xi32>
}

// -----

func.func @conv2d_output_channels(%input: tensor<1x8x8x16xi8>, %filter: tensor<4x3x3x16xi8>) -> tensor<1x6x6x8xi32> {
  // expected-error @+1 {{output 'tensor<1x6x6x8xi32>' must be [N, OH, OW, O] for input 'tensor<1x8x8x16xi8>' and filter 'tensor<4x3x3x16xi8>'}}
  %y = qnt.conv2d %input, %filter : (tensor<1x8x8x16xi8>, tensor<4x3x3x16xi8>) -> tensor<1x6x6x8xi32>
  return %y : tensor<1x6x6x8xi32>
}

// -----

func.func @conv2d_output_batch(%input: tensor<1x8x8x16xi8>, %filter: tensor<4x3x3x16xi8>) -> tensor<2x6x6x4xi32> {
  // expected-error @+1 {{output 'tensor<2x6x6x4xi32>' must be [N, OH, OW, O]}}
  %y = qnt.conv2d %input, %filter : (tensor<1x8x8x16xi8>, tensor<4x3x3x16xi8>) -> tensor<2x6x6x4xi32>
  return %y : tensor<2x6x6x4xi32>
}

// -----

func.func @conv2d_bias(%input: tensor<1x8x8x16xi8>, %filter: tensor<4x3x3x16xi8>, %bias: tensor<8xi32>) -> tensor<1x6x6x4xi32> {
  // expected-error @+1 {{bias must be 1-D with 4 elements, got 'tensor<8xi32>'}}
  %y = qnt.conv2d %input, %filter, %bias : (tensor<1x8x8x16xi8>, tensor<4x3x3x16xi8>, tensor<8xi32>) -> tensor<1x6x6x4xi32>
  return %y : tensor<1x6x6x4xi32>
}

// -----

func.func @conv2d_stride_size(%input: tensor<1x8x8x16xi8>, %filter: tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32> {
  // expected-error @+1 {{expects stride and dilation of 2 values and pad of 4 (top, bottom, left, right)}}
  %y = qnt.conv2d %input, %filter {stride = array<i64: 1, 1, 1>} : (tensor<1x8x8x16xi8>, tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32>
  return %y : tensor<1x6x6x4xi32>
}

// -----

func.func @conv2d_pad_size(%input: tensor<1x8x8x16xi8>, %filter: tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32> {
  // expected-error @+1 {{expects stride and dilation of 2 values and pad of 4 (top, bottom, left, right)}}
  %y = qnt.conv2d %input, %filter {pad = array<i64: 1, 1>} : (tensor<1x8x8x16xi8>, tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32>
  return %y : tensor<1x6x6x4xi32>
}

// -----

func.func @conv2d_zero_stride(%input: tensor<1x8x8x16xi8>, %filter: tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32> {
  // expected-error @+1 {{stride and dilation must be positive}}
  %y = qnt.conv2d %input, %filter {stride = array<i64: 1, 0>} : (tensor<1x8x8x16xi8>, tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32>
  return %y : tensor<1x6x6x4xi32>
}

// -----

func.func @conv2d_zero_dilation(%input: tensor<1x8x8x16xi8>, %filter: tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32> {
  // expected-error @+1 {{stride and dilation must be positive}}
  %y = qnt.conv2d %input, %filter {dilation = array<i64: 0, 1>} : (tensor<1x8x8x16xi8>, tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32>
  return %y : tensor<1x6x6x4xi32>
}

// -----

func.func @conv2d_negative_pad(%input: tensor<1x8x8x16xi8>, %filter: tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32> {
  // expected-error @+1 {{pad must be non-negative}}
  %y = qnt.conv2d %input, %filter {pad = array<i64: 0, 0, -1, 1>} : (tensor<1x8x8x16xi8>, tensor<4x3x3x16xi8>) -> tensor<1x6x6x4xi32>
  return %y : tensor<1x6x6x4xi32>
}

// -----

/// A dilated 3x3 window spans 5 rows, more than the padded input's 4.
func.func @conv2d_window_too_large(%input: tensor<1x2x8x16xi8>, %filter: tensor<4x3x3x16xi8>) -> tensor<1x1x6x4xi32> {
  // expected-error @+1 {{window of size 5 does not fit the padded input of size 4}}
  %y = qnt.conv2d %input, %filter {dilation = array<i64: 2, 1>, pad = array<i64: 1, 1, 0, 0>} : (tensor<1x2x8x16xi8>, tensor<4x3x3x16xi8>) -> tensor<1x1x6x4xi32>
  return %y : tensor<1x1x6x4xi32>
}

// -----

/// Regression: with stride 2 the negative span (-1) divided toward zero gave
/// an output size of 1 for a 3-wide window on a 2-wide input.
func.func @conv2d_window_too_large_strided(%input: tensor<1x2x2x16xi8>, %filter: tensor<4x3x3x16xi8>) -> tensor<1x1x1x4xi32> {
  // expected-error @+1 {{window of size 3 does not fit the padded input of size 2}}
  %y = qnt.conv2d %input, %filter {stride = array<i64: 2, 2>} : (tensor<1x2x2x16xi8>, tensor<4x3x3x16xi8>) -> tensor<1x1x1x4xi32>
  return %y : tensor<1x1x1x4xi32>
}

// -----

/// OW = (8 + 0 + 1 - 3) / 2 + 1 = 4.
func.func @conv2d_output_size(%input: tensor<1x8x8x16xi8>, %filter: tensor<4x3x3x16xi8>) -> tensor<1x6x3x4xi32> {
  // expected-error @+1 {{expected output spatial size 4 along dimension 2, got 3}}
  %y = qnt.conv2d %input, %filter {stride = array<i64: 1, 2>, pad = array<i64: 0, 0, 0, 1>} : (tensor<1x8x8x16xi8>, tensor<4x3x3x16xi8>) -> tensor<1x6x3x4xi32>
  return %y : tensor<1x6x3x4xi32>
}

//===----------------------------------------------------------------------===//
// qnt.matmul
//===----------------------------------------------------------------------===//

// -----

func.func @matmul_rank(%lhs: tensor<4x300xi8>, %rhs: tensor<10x300xi8>) -> tensor<1x4x10xi32> {
  // expected-error @+1 {{expects 2-D lhs [M, K], rhs [N, K] and output [M, N]}}
  %y = qnt.matmul %lhs, %rhs : (tensor<4x300xi8>, tensor<10x300xi8>) -> tensor<1x4x10xi32>
  return %y : tensor<1x4x10xi32>
}

// -----

func.func @matmul_lhs_element(%lhs: tensor<4x300xi32>, %rhs: tensor<10x300xi8>) -> tensor<4x10xi32> {
  // expected-error @+1 {{lhs element type must be a signless or unsigned integer of 2 to 8 bits, got 'i32'}}
  %y = qnt.matmul %lhs, %rhs : (tensor<4x300xi32>, tensor<10x300xi8>) -> tensor<4x10xi32>
  return %y : tensor<4x10xi32>
}

// -----

func.func @matmul_rhs_element(%lhs: tensor<4x300xi8>, %rhs: tensor<10x300xi1>) -> tensor<4x10xi32> {
  // expected-error @+1 {{rhs element type must be a signless or unsigned integer of 2 to 8 bits, got 'i1'}}
  %y = qnt.matmul %lhs, %rhs : (tensor<4x300xi8>, tensor<10x300xi1>) -> tensor<4x10xi32>
  return %y : tensor<4x10xi32>
}

// -----

func.func @matmul_lhs_zp(%lhs: tensor<4x300xi8>, %rhs: tensor<10x300xi8>) -> tensor<4x10xi32> {
  // expected-error @+1 {{lhs_zp -129 is outside the range [-128, 127] of 'i8'}}
  %y = qnt.matmul %lhs, %rhs {lhs_zp = -129 : i32} : (tensor<4x300xi8>, tensor<10x300xi8>) -> tensor<4x10xi32>
  return %y : tensor<4x10xi32>
}

// -----

func.func @matmul_rhs_zp(%lhs: tensor<4x300xi8>, %rhs: tensor<10x300xi2>) -> tensor<4x10xi32> {
  // expected-error @+1 {{rhs_zp 2 is outside the range [-2, 1] of 'i2'}}
  %y = qnt.matmul %lhs, %rhs {rhs_zp = 2 : i32} : (tensor<4x300xi8>, tensor<10x300xi2>) -> tensor<4x10xi32>
  return %y : tensor<4x10xi32>
}

// -----

func.func @matmul_contraction(%lhs: tensor<4x300xi8>, %rhs: tensor<10x299xi8>) -> tensor<4x10xi32> {
  // expected-error @+1 {{contraction sizes differ: lhs K = 300, rhs K = 299}}
  %y = qnt.matmul %lhs, %rhs : (tensor<4x300xi8>, tensor<10x299xi8>) -> tensor<4x10xi32>
  return %y : tensor<4x10xi32>
}

// -----

/// rhs is output-major [N, K], so the result is [M, N], not [M, K].
func.func @matmul_output(%lhs: tensor<4x300xi8>, %rhs: tensor<10x300xi8>) -> tensor<4x300xi32> {
  // expected-error @+1 {{output 'tensor<4x300xi32>' must be [M, N] = [4, 10]}}
  %y = qnt.matmul %lhs, %rhs : (tensor<4x300xi8>, tensor<10x300xi8>) -> tensor<4x300xi32>
  return %y : tensor<4x300xi32>
}

// -----

func.func @matmul_bias(%lhs: tensor<4x300xi8>, %rhs: tensor<10x300xi8>, %bias: tensor<1x10xi32>) -> tensor<4x10xi32> {
  // expected-error @+1 {{bias must be 1-D with 10 elements, got 'tensor<1x10xi32>'}}
  %y = qnt.matmul %lhs, %rhs, %bias : (tensor<4x300xi8>, tensor<10x300xi8>, tensor<1x10xi32>) -> tensor<4x10xi32>
  return %y : tensor<4x10xi32>
}

//===----------------------------------------------------------------------===//
// qnt.binarize / qnt.unpack
//===----------------------------------------------------------------------===//

// -----

func.func @binarize_rank(%input: tensor<2x70xf32>) -> tensor<3xi32> {
  // expected-error @+1 {{input and output must have the same non-zero rank, got 'tensor<2x70xf32>' and 'tensor<3xi32>'}}
  %p = qnt.binarize %input : tensor<2x70xf32> -> tensor<3xi32>
  return %p : tensor<3xi32>
}

// -----

func.func @binarize_scalar(%input: tensor<f32>) -> tensor<i32> {
  // expected-error @+1 {{input and output must have the same non-zero rank, got 'tensor<f32>' and 'tensor<i32>'}}
  %p = qnt.binarize %input : tensor<f32> -> tensor<i32>
  return %p : tensor<i32>
}

// -----

func.func @binarize_leading_dim(%input: tensor<2x8x70xf32>) -> tensor<2x4x3xi32> {
  // expected-error @+1 {{dimension 1 differs: 'tensor<2x8x70xf32>' vs 'tensor<2x4x3xi32>'}}
  %p = qnt.binarize %input : tensor<2x8x70xf32> -> tensor<2x4x3xi32>
  return %p : tensor<2x4x3xi32>
}

// -----

/// 64 bits fill exactly 2 words; a third word would be all padding.
func.func @binarize_words(%input: tensor<2x64xf32>) -> tensor<2x3xi32> {
  // expected-error @+1 {{output has 3 words in its last dimension, expected 2 for depth 64}}
  %p = qnt.binarize %input : tensor<2x64xf32> -> tensor<2x3xi32>
  return %p : tensor<2x3xi32>
}

// -----

func.func @unpack_rank(%input: tensor<2x3xi32>) -> tensor<70xf32> {
  // expected-error @+1 {{input and output must have the same non-zero rank, got 'tensor<2x3xi32>' and 'tensor<70xf32>'}}
  %x = qnt.unpack %input : tensor<2x3xi32> -> tensor<70xf32>
  return %x : tensor<70xf32>
}

// -----

func.func @unpack_leading_dim(%input: tensor<2x3xi32>) -> tensor<3x70xf32> {
  // expected-error @+1 {{dimension 0 differs: 'tensor<2x3xi32>' vs 'tensor<3x70xf32>'}}
  %x = qnt.unpack %input : tensor<2x3xi32> -> tensor<3x70xf32>
  return %x : tensor<3x70xf32>
}

// -----

func.func @unpack_dynamic_depth(%input: tensor<2x3xi32>) -> tensor<2x?xf32> {
  // expected-error @+1 {{the unpacked depth (last result dimension) must be static}}
  %x = qnt.unpack %input : tensor<2x3xi32> -> tensor<2x?xf32>
  return %x : tensor<2x?xf32>
}

// -----

func.func @unpack_words(%input: tensor<2x3xi32>) -> tensor<2x64xf32> {
  // expected-error @+1 {{input has 3 words in its last dimension, expected 2 for depth 64}}
  %x = qnt.unpack %input : tensor<2x3xi32> -> tensor<2x64xf32>
  return %x : tensor<2x64xf32>
}

// -----

/// i1 cannot hold +1 and -1 (both truncate to 1).
func.func @unpack_i1(%input: tensor<2x1xi32>) -> tensor<2x5xi1> {
  // expected-error @+1 {{integer result must have at least 2 bits to hold +1 and -1, got 'i1'}}
  %x = qnt.unpack %input : tensor<2x1xi32> -> tensor<2x5xi1>
  return %x : tensor<2x5xi1>
}

//===----------------------------------------------------------------------===//
// qnt.bconv2d
//===----------------------------------------------------------------------===//

// -----

func.func @bconv2d_rank(%input: tensor<8x8x3xi32>, %filter: tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{expects 4-D packed input (NHWC), filter (OHWI) and output}}
  %y = qnt.bconv2d %input, %filter {channels = 70} : (tensor<8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32>
  return %y : tensor<1x6x6x4xf32>
}

// -----

func.func @bconv2d_zero_channels(%input: tensor<1x8x8x3xi32>, %filter: tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{channels must be positive, got 0}}
  %y = qnt.bconv2d %input, %filter {channels = 0} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32>
  return %y : tensor<1x6x6x4xf32>
}

// -----

/// channels is an I64Attr with an unsigned getter: -5 must not wrap.
func.func @bconv2d_negative_channels(%input: tensor<1x8x8x3xi32>, %filter: tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{channels must be positive, got -5}}
  %y = qnt.bconv2d %input, %filter {channels = -5} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32>
  return %y : tensor<1x6x6x4xf32>
}

// -----

/// 96 channels are exactly 3 words; 97 need a fourth.
func.func @bconv2d_input_words(%input: tensor<1x8x8x3xi32>, %filter: tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{input has 3 words in its last dimension, expected 4 for depth 97}}
  %y = qnt.bconv2d %input, %filter {channels = 97} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32>
  return %y : tensor<1x6x6x4xf32>
}

// -----

func.func @bconv2d_filter_words(%input: tensor<1x8x8x3xi32>, %filter: tensor<4x3x3x2xi32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{filter has 2 words in its last dimension, expected 3 for depth 70}}
  %y = qnt.bconv2d %input, %filter {channels = 70} : (tensor<1x8x8x3xi32>, tensor<4x3x3x2xi32>) -> tensor<1x6x6x4xf32>
  return %y : tensor<1x6x6x4xf32>
}

// -----

func.func @bconv2d_batch(%input: tensor<1x8x8x3xi32>, %filter: tensor<4x3x3x3xi32>) -> tensor<2x6x6x4xf32> {
  // expected-error @+1 {{output batch 2 differs from input batch 1}}
  %y = qnt.bconv2d %input, %filter {channels = 70} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<2x6x6x4xf32>
  return %y : tensor<2x6x6x4xf32>
}

// -----

func.func @bconv2d_output_size(%input: tensor<1x8x8x3xi32>, %filter: tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{expected output spatial size 8 along dimension 1, got 6}}
  %y = qnt.bconv2d %input, %filter {channels = 70, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32>
  return %y : tensor<1x6x6x4xf32>
}

// -----

func.func @bconv2d_zero_stride(%input: tensor<1x8x8x3xi32>, %filter: tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{stride and dilation must be positive}}
  %y = qnt.bconv2d %input, %filter {channels = 70, stride = array<i64: 0, 1>} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32>
  return %y : tensor<1x6x6x4xf32>
}

// -----

func.func @bconv2d_thresholds_on_float(%input: tensor<1x8x8x3xi32>, %filter: tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{thresholds need a packed i32 result}}
  %y = qnt.bconv2d %input, %filter {channels = 70, thresholds = array<i32: 0, 0, 0, 0>} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32>
  return %y : tensor<1x6x6x4xf32>
}

// -----

func.func @bconv2d_float_channels(%input: tensor<1x8x8x3xi32>, %filter: tensor<4x3x3x3xi32>) -> tensor<1x6x6x5xf32> {
  // expected-error @+1 {{output has 5 channels, expected 4}}
  %y = qnt.bconv2d %input, %filter {channels = 70} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x6x6x5xf32>
  return %y : tensor<1x6x6x5xf32>
}

// -----

func.func @bconv2d_multiplier_length(%input: tensor<1x8x8x3xi32>, %filter: tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{multiplier has 3 entries, expected 4 (one per output channel)}}
  %y = qnt.bconv2d %input, %filter {channels = 70, multiplier = array<f32: 1.0, 1.0, 1.0>} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32>
  return %y : tensor<1x6x6x4xf32>
}

// -----

func.func @bconv2d_bias_length(%input: tensor<1x8x8x3xi32>, %filter: tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{bias has 5 entries, expected 4 (one per output channel)}}
  %y = qnt.bconv2d %input, %filter {channels = 70, bias = array<f32: 0.0, 0.0, 0.0, 0.0, 0.0>} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32>
  return %y : tensor<1x6x6x4xf32>
}

// -----

func.func @bconv2d_clamp_order(%input: tensor<1x8x8x3xi32>, %filter: tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{clamp_min 6.000000e+00 exceeds clamp_max 0.000000e+00}}
  %y = qnt.bconv2d %input, %filter {channels = 70, clamp_min = 6.0 : f32, clamp_max = 0.0 : f32} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xf32>
  return %y : tensor<1x6x6x4xf32>
}

// -----

func.func @bconv2d_float_epilogue_on_i32(%input: tensor<1x8x8x3xi32>, %filter: tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xi32> {
  // expected-error @+1 {{multiplier, bias and clamp need an f32 result}}
  %y = qnt.bconv2d %input, %filter {channels = 70, bias = array<f32: 0.0, 0.0, 0.0, 0.0>} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xi32>
  return %y : tensor<1x6x6x4xi32>
}

// -----

func.func @bconv2d_clamp_on_i32(%input: tensor<1x8x8x3xi32>, %filter: tensor<4x3x3x3xi32>) -> tensor<1x6x6x1xi32> {
  // expected-error @+1 {{multiplier, bias and clamp need an f32 result}}
  %y = qnt.bconv2d %input, %filter {channels = 70, clamp_max = 1.0 : f32, thresholds = array<i32: 0, 0, 0, 0>} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x6x6x1xi32>
  return %y : tensor<1x6x6x1xi32>
}

// -----

/// Without thresholds an i32 result is the raw dot, one value per channel.
func.func @bconv2d_raw_channels(%input: tensor<1x8x8x3xi32>, %filter: tensor<4x3x3x3xi32>) -> tensor<1x6x6x1xi32> {
  // expected-error @+1 {{raw i32 output has 1 channels, expected 4}}
  %y = qnt.bconv2d %input, %filter {channels = 70} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x6x6x1xi32>
  return %y : tensor<1x6x6x1xi32>
}

// -----

func.func @bconv2d_thresholds_length(%input: tensor<1x8x8x3xi32>, %filter: tensor<4x3x3x3xi32>) -> tensor<1x6x6x1xi32> {
  // expected-error @+1 {{thresholds has 2 entries, expected 4 (one per output channel)}}
  %y = qnt.bconv2d %input, %filter {channels = 70, thresholds = array<i32: 0, 0>} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x6x6x1xi32>
  return %y : tensor<1x6x6x1xi32>
}

// -----

/// With thresholds the result is packed: 4 channels fit in 1 word.
func.func @bconv2d_packed_words(%input: tensor<1x8x8x3xi32>, %filter: tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xi32> {
  // expected-error @+1 {{packed output has 4 words in its last dimension, expected 1 for depth 4}}
  %y = qnt.bconv2d %input, %filter {channels = 70, thresholds = array<i32: 0, 0, 0, 0>} : (tensor<1x8x8x3xi32>, tensor<4x3x3x3xi32>) -> tensor<1x6x6x4xi32>
  return %y : tensor<1x6x6x4xi32>
}

//===----------------------------------------------------------------------===//
// qnt.bmatmul
//===----------------------------------------------------------------------===//

// -----

func.func @bmatmul_rank(%lhs: tensor<4x10xi32>, %rhs: tensor<3x10xi32>) -> tensor<4x3x1xf32> {
  // expected-error @+1 {{expects 2-D packed lhs [M, words], rhs [N, words] and output}}
  %y = qnt.bmatmul %lhs, %rhs {k = 300} : (tensor<4x10xi32>, tensor<3x10xi32>) -> tensor<4x3x1xf32>
  return %y : tensor<4x3x1xf32>
}

// -----

func.func @bmatmul_zero_k(%lhs: tensor<4x10xi32>, %rhs: tensor<3x10xi32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{k must be positive, got 0}}
  %y = qnt.bmatmul %lhs, %rhs {k = 0} : (tensor<4x10xi32>, tensor<3x10xi32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

/// k is an I64Attr with an unsigned getter: -5 must not wrap.
func.func @bmatmul_negative_k(%lhs: tensor<4x10xi32>, %rhs: tensor<3x10xi32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{k must be positive, got -5}}
  %y = qnt.bmatmul %lhs, %rhs {k = -5} : (tensor<4x10xi32>, tensor<3x10xi32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

/// K = 321 needs ceil(321 / 32) = 11 words.
func.func @bmatmul_lhs_words(%lhs: tensor<4x10xi32>, %rhs: tensor<3x11xi32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{lhs has 10 words in its last dimension, expected 11 for depth 321}}
  %y = qnt.bmatmul %lhs, %rhs {k = 321} : (tensor<4x10xi32>, tensor<3x11xi32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

func.func @bmatmul_rhs_words(%lhs: tensor<4x10xi32>, %rhs: tensor<3x9xi32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{rhs has 9 words in its last dimension, expected 10 for depth 300}}
  %y = qnt.bmatmul %lhs, %rhs {k = 300} : (tensor<4x10xi32>, tensor<3x9xi32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

func.func @bmatmul_output_rows(%lhs: tensor<4x10xi32>, %rhs: tensor<3x10xi32>) -> tensor<5x3xf32> {
  // expected-error @+1 {{output rows 5 differ from lhs rows 4}}
  %y = qnt.bmatmul %lhs, %rhs {k = 300} : (tensor<4x10xi32>, tensor<3x10xi32>) -> tensor<5x3xf32>
  return %y : tensor<5x3xf32>
}

// -----

func.func @bmatmul_float_channels(%lhs: tensor<4x10xi32>, %rhs: tensor<3x10xi32>) -> tensor<4x10xf32> {
  // expected-error @+1 {{output has 10 channels, expected 3}}
  %y = qnt.bmatmul %lhs, %rhs {k = 300} : (tensor<4x10xi32>, tensor<3x10xi32>) -> tensor<4x10xf32>
  return %y : tensor<4x10xf32>
}

// -----

func.func @bmatmul_multiplier_length(%lhs: tensor<4x10xi32>, %rhs: tensor<3x10xi32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{multiplier has 4 entries, expected 3 (one per output channel)}}
  %y = qnt.bmatmul %lhs, %rhs {k = 300, multiplier = array<f32: 1.0, 1.0, 1.0, 1.0>} : (tensor<4x10xi32>, tensor<3x10xi32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

func.func @bmatmul_thresholds_on_float(%lhs: tensor<4x10xi32>, %rhs: tensor<3x10xi32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{thresholds need a packed i32 result}}
  %y = qnt.bmatmul %lhs, %rhs {k = 300, thresholds = array<i32: 0, 0, 0>} : (tensor<4x10xi32>, tensor<3x10xi32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

func.func @bmatmul_clamp_order(%lhs: tensor<4x10xi32>, %rhs: tensor<3x10xi32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{clamp_min 1.000000e+00 exceeds clamp_max -1.000000e+00}}
  %y = qnt.bmatmul %lhs, %rhs {k = 300, clamp_min = 1.0 : f32, clamp_max = -1.0 : f32} : (tensor<4x10xi32>, tensor<3x10xi32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

func.func @bmatmul_multiplier_on_i32(%lhs: tensor<4x10xi32>, %rhs: tensor<3x10xi32>) -> tensor<4x3xi32> {
  // expected-error @+1 {{multiplier, bias and clamp need an f32 result}}
  %y = qnt.bmatmul %lhs, %rhs {k = 300, multiplier = array<f32: 1.0, 1.0, 1.0>} : (tensor<4x10xi32>, tensor<3x10xi32>) -> tensor<4x3xi32>
  return %y : tensor<4x3xi32>
}

// -----

func.func @bmatmul_raw_channels(%lhs: tensor<4x10xi32>, %rhs: tensor<40x10xi32>) -> tensor<4x2xi32> {
  // expected-error @+1 {{raw i32 output has 2 channels, expected 40}}
  %y = qnt.bmatmul %lhs, %rhs {k = 300} : (tensor<4x10xi32>, tensor<40x10xi32>) -> tensor<4x2xi32>
  return %y : tensor<4x2xi32>
}

// -----

func.func @bmatmul_thresholds_length(%lhs: tensor<4x10xi32>, %rhs: tensor<40x10xi32>) -> tensor<4x2xi32> {
  // expected-error @+1 {{thresholds has 32 entries, expected 40 (one per output channel)}}
  %y = qnt.bmatmul %lhs, %rhs {k = 300, thresholds = array<i32: 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0>} : (tensor<4x10xi32>, tensor<40x10xi32>) -> tensor<4x2xi32>
  return %y : tensor<4x2xi32>
}

// -----

/// 33 output channels need 2 packed words.
func.func @bmatmul_packed_words(%lhs: tensor<4x10xi32>, %rhs: tensor<33x10xi32>) -> tensor<4x1xi32> {
  // expected-error @+1 {{packed output has 1 words in its last dimension, expected 2 for depth 33}}
  %y = qnt.bmatmul %lhs, %rhs {k = 300, thresholds = array<i32: 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0>} : (tensor<4x10xi32>, tensor<33x10xi32>) -> tensor<4x1xi32>
  return %y : tensor<4x1xi32>
}

//===----------------------------------------------------------------------===//
// qnt.bmaxpool2d
//===----------------------------------------------------------------------===//

// -----

func.func @bmaxpool2d_rank(%input: tensor<8x8x3xi32>) -> tensor<1x4x4x3xi32> {
  // expected-error @+1 {{expects 4-D packed input and output}}
  %y = qnt.bmaxpool2d %input {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<8x8x3xi32> -> tensor<1x4x4x3xi32>
  return %y : tensor<1x4x4x3xi32>
}

// -----

func.func @bmaxpool2d_kernel_size(%input: tensor<1x8x8x3xi32>) -> tensor<1x4x4x3xi32> {
  // expected-error @+1 {{kernel must be 2 positive sizes}}
  %y = qnt.bmaxpool2d %input {kernel = array<i64: 2>, stride = array<i64: 2, 2>} : tensor<1x8x8x3xi32> -> tensor<1x4x4x3xi32>
  return %y : tensor<1x4x4x3xi32>
}

// -----

func.func @bmaxpool2d_kernel_zero(%input: tensor<1x8x8x3xi32>) -> tensor<1x4x4x3xi32> {
  // expected-error @+1 {{kernel must be 2 positive sizes}}
  %y = qnt.bmaxpool2d %input {kernel = array<i64: 2, 0>, stride = array<i64: 2, 2>} : tensor<1x8x8x3xi32> -> tensor<1x4x4x3xi32>
  return %y : tensor<1x4x4x3xi32>
}

// -----

/// A window made only of padding would have no input to take the max of.
func.func @bmaxpool2d_pad_too_large(%input: tensor<1x8x8x3xi32>) -> tensor<1x5x4x3xi32> {
  // expected-error @+1 {{pads must be smaller than the kernel}}
  %y = qnt.bmaxpool2d %input {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 2, 0, 0>} : tensor<1x8x8x3xi32> -> tensor<1x5x4x3xi32>
  return %y : tensor<1x5x4x3xi32>
}

// -----

func.func @bmaxpool2d_words(%input: tensor<1x8x8x3xi32>) -> tensor<1x4x4x2xi32> {
  // expected-error @+1 {{output 'tensor<1x4x4x2xi32>' must keep the batch and word count of 'tensor<1x8x8x3xi32>'}}
  %y = qnt.bmaxpool2d %input {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<1x8x8x3xi32> -> tensor<1x4x4x2xi32>
  return %y : tensor<1x4x4x2xi32>
}

// -----

func.func @bmaxpool2d_stride(%input: tensor<1x8x8x3xi32>) -> tensor<1x4x4x3xi32> {
  // expected-error @+1 {{stride and dilation must be positive}}
  %y = qnt.bmaxpool2d %input {kernel = array<i64: 2, 2>, stride = array<i64: -2, 2>} : tensor<1x8x8x3xi32> -> tensor<1x4x4x3xi32>
  return %y : tensor<1x4x4x3xi32>
}

// -----

func.func @bmaxpool2d_negative_pad(%input: tensor<1x8x8x3xi32>) -> tensor<1x4x4x3xi32> {
  // expected-error @+1 {{pad must be non-negative}}
  %y = qnt.bmaxpool2d %input {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, -1, 0>} : tensor<1x8x8x3xi32> -> tensor<1x4x4x3xi32>
  return %y : tensor<1x4x4x3xi32>
}

// -----

func.func @bmaxpool2d_window_too_large(%input: tensor<1x2x8x3xi32>) -> tensor<1x1x4x3xi32> {
  // expected-error @+1 {{window of size 3 does not fit the padded input of size 2}}
  %y = qnt.bmaxpool2d %input {kernel = array<i64: 3, 2>, stride = array<i64: 2, 2>} : tensor<1x2x8x3xi32> -> tensor<1x1x4x3xi32>
  return %y : tensor<1x1x4x3xi32>
}

// -----

/// OH = (8 - 3) / 2 + 1 = 3.
func.func @bmaxpool2d_output_size(%input: tensor<1x8x8x3xi32>) -> tensor<1x4x4x3xi32> {
  // expected-error @+1 {{expected output spatial size 3 along dimension 1, got 4}}
  %y = qnt.bmaxpool2d %input {kernel = array<i64: 3, 2>, stride = array<i64: 2, 2>} : tensor<1x8x8x3xi32> -> tensor<1x4x4x3xi32>
  return %y : tensor<1x4x4x3xi32>
}
