//===- QntAttrs.td - qnt enums and attributes --------------*- tablegen -*-===//

#ifndef QNT_ATTRS_TD
#define QNT_ATTRS_TD

include "qnt/IR/QntDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

class Qnt_I32Enum<string name, string description, list<I32EnumAttrCase> cases>
    : I32EnumAttr<name, description, cases> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::qnt";
}

class Qnt_EnumAttr<string name, string description, string mnemonic,
                   list<I32EnumAttrCase> cases>
    : EnumAttr<Qnt_Dialect, Qnt_I32Enum<name, description, cases>, mnemonic> {
  let assemblyFormat = "`<` $value `>`";
}

def Qnt_RoundingModeAttr : Qnt_EnumAttr<"RoundingMode",
    "float to integer rounding", "rounding", [
      I32EnumAttrCase<"HalfEven", 0, "half_even">,
      I32EnumAttrCase<"HalfAway", 1, "half_away">]>;

def Qnt_RequantRoundingAttr : Qnt_EnumAttr<"RequantRounding",
    "fixed-point requantization rounding (TOSA apply_scale)",
    "requant_rounding", [
      I32EnumAttrCase<"SingleRound", 0, "single_round">,
      I32EnumAttrCase<"DoubleRound", 1, "double_round">]>;

def Qnt_SchemeAttr : Qnt_EnumAttr<"Scheme", "quantization scheme", "scheme", [
      I32EnumAttrCase<"Symmetric", 0, "symmetric">,
      I32EnumAttrCase<"Asymmetric", 1, "asymmetric">]>;

def Qnt_GranularityAttr : Qnt_EnumAttr<"Granularity",
    "quantization granularity", "granularity", [
      I32EnumAttrCase<"PerTensor", 0, "per_tensor">,
      I32EnumAttrCase<"PerChannel", 1, "per_channel">]>;

def Qnt_ObserveKindAttr : Qnt_EnumAttr<"ObserveKind",
    "statistics gathered by a calibration probe", "observe_kind", [
      I32EnumAttrCase<"MinMax", 0, "minmax">,
      I32EnumAttrCase<"Histogram", 1, "histogram">]>;

def Qnt_PadValueAttr : Qnt_EnumAttr<"PadValue",
    "value of padded positions in a binary convolution", "pad_value", [
      I32EnumAttrCase<"PlusOne", 0, "plus_one">,
      I32EnumAttrCase<"Zero", 1, "zero">]>;

def Qnt_LayerConfigAttr : AttrDef<Qnt_Dialect, "LayerConfig"> {
  let mnemonic = "config";
  let summary = "quantization configuration of one layer";
  let description = [{
    Says how one layer is to be quantized. Passes read and write it, and a
    user may write it by hand on a conv/matmul op as the `qnt.config`
    attribute.

    * `weight_bits`, `activation_bits`: 1 (binary) or 2..8.
    * `scheme`: `symmetric` (scale only, zero point 0) or `asymmetric`
      (affine, with a zero point).
    * `granularity`: `per_tensor` or `per_channel`; per-channel applies to
      the weights along `axis` (the output-channel axis of the filter).
    * `rounding`: float to integer rounding of the quantizer.

    Example:
    ```mlir
    #qnt.config<weight_bits = 4, activation_bits = 8, scheme = symmetric,
                granularity = per_channel, axis = 0, rounding = half_even>
    ```
  }];
  let parameters = (ins
    "unsigned":$weight_bits,
    "unsigned":$activation_bits,
    "::mlir::qnt::Scheme":$scheme,
    "::mlir::qnt::Granularity":$granularity,
    DefaultValuedParameter<"int64_t", "0">:$axis,
    DefaultValuedParameter<"::mlir::qnt::RoundingMode",
                           "::mlir::qnt::RoundingMode::HalfEven">:$rounding);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // QNT_ATTRS_TD
