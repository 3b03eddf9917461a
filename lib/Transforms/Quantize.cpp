//===- Quantize.cpp - scale/affine rewriting of float layers --------------===//
//
// A float layer computes y[c] = sum_k x[k] * w[c, k] + b[c]. With the input
// x = s_x * (q_x - z_x) and the weights w[c, .] = s_w[c] * (q_w - z_w),
//
//   y[c] = s_x * s_w[c] * acc[c],
//   acc[c] = sum_k (q_x[k] - z_x) * (q_w[c, k] - z_w) + b_q[c],
//   b_q[c] = round(b[c] / (s_x * s_w[c])),
//
// and qnt.conv2d / qnt.matmul compute acc exactly in i32. The output's
// integers are q_y = z_y + y / s_y = z_y + acc[c] * M[c] with
// M[c] = s_x * s_w[c] / s_y: a qnt.requantize with the fixed-point form of
// M[c]. A clamp [lo, hi] of y is the clamp [q(lo), q(hi)] of q_y because
// q is increasing, so ReLU / ReLU6 / Clip fuse into the requantize.
//
// Ops that only move or select elements (reshape, transpose, max pool, ...)
// commute with the affine map, so they run on the storage integers and keep
// the scale. Every integer value is visible to float ops as
// qnt.dequantize(quant.scast(storage)); the layers and the propagation read
// the storage back through that pair, and unused pairs are erased at the end.
//
// QDQ models (ONNX QuantizeLinear/DequantizeLinear around float ops, as
// PyTorch exports them) carry their own scales: an input that is a
// qnt.dequantize, weights that are qnt.dequantize(qnt.constant), and a
// qnt.quantize after the output are used as they are, before statistics.
// Unsigned tensors are held signed: q_u8 with zero point z is exactly
// q_u8 - 128 with zero point z - 128, so one signed integer path serves both.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/Transforms/Passes.h"

#include "quant-mlir/Analysis/Calibration.h"

#include "qnt/IR/QntOps.h"
#include "qnt/Utils/Numerics.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SetVector.h"

#include <cmath>
#include <limits>

namespace mlir::qnt {
#define GEN_PASS_DEF_QNTQUANTIZEPASS
#include "quant-mlir/Transforms/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;

namespace {

/// The pass options, parsed.
struct Settings {
  bool symmetric = true;
  bool perChannel = true;
  unsigned weightBits = 8;
  unsigned activationBits = 8;
  RangeOptions activationRange;
  RangeOptions weightRange;
  RequantRounding rounding = RequantRounding::SingleRound;
  bool narrowRange = false;
  bool firstLast8Bit = true;
};

/// How one layer is quantized: the options, or its `qnt.config`.
struct LayerSettings {
  unsigned weightBits;
  /// Of the layer's input, and of its output.
  unsigned activationBits;
  bool symmetric;
  bool perChannel;
  RoundingMode rounding;
};

/// A float tensor held as signed storage integers:
/// float = scale * (storage - zeroPoint).
struct QuantizedTensor {
  Value storage;
  QuantParams params;
  unsigned bits;
};

enum class LayerKind { Conv, DepthwiseConv, Matmul };

/// Integer weights read from qnt.dequantize(qnt.constant), held signed.
struct QuantizedWeights {
  /// In the integer op's layout, output channel first (as Layer::filter).
  SmallVector<int64_t> values;
  /// One per output channel, or one for the tensor.
  SmallVector<QuantParams> params;
  unsigned bits;
};

/// A float conv/matmul with constant weights and the ops fused into it.
struct Layer {
  Operation *op;
  LayerKind kind;
  Value input;
  /// The weights in the integer op's layout, output channel first: OHWI for
  /// both convolutions ([C * M, KH, KW, 1] for depthwise), [N, K] for matmul.
  SmallVector<int64_t> filterShape;
  SmallVector<float> filter;
  /// Set instead of `filter` for QDQ weights.
  std::optional<QuantizedWeights> quantized;
  int64_t channels;
  /// The output-channel axis of the TOSA weights (what qnt.config names).
  int64_t weightAxis;
  SmallVector<double> bias;
  /// Ops after `op` folded into it, in order (reshape, bias add, clamp).
  SmallVector<Operation *> chain;
  /// The value after the bias; the clamp, if any, reads it.
  Value biased;
  std::optional<std::pair<double, double>> clamp;
};

} // namespace

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static bool isF32Tensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() && tensor.getElementType().isF32();
}

/// The f32 values of a constant tensor (splats expanded), also through
/// reshapes and a dequantized constant (a QDQ bias), which is folded.
static bool getConstantFloats(Value value, SmallVectorImpl<float> &values) {
  while (auto reshape = value.getDefiningOp<tosa::ReshapeOp>())
    value = reshape.getInput1();
  DenseElementsAttr attr;
  if (auto dequantize = value.getDefiningOp<DequantizeOp>()) {
    Attribute input;
    SmallVector<OpFoldResult> folded;
    if (!matchPattern(dequantize.getInput(), m_Constant(&input)) ||
        failed(dequantize->fold({input}, folded)) || folded.size() != 1)
      return false;
    attr = dyn_cast_or_null<DenseElementsAttr>(
        dyn_cast_if_present<Attribute>(folded[0]));
    if (!attr)
      return false;
  } else if (!matchPattern(value, m_Constant(&attr))) {
    return false;
  }
  if (!attr.getElementType().isF32())
    return false;
  auto range = attr.getValues<float>();
  values.assign(range.begin(), range.end());
  return true;
}

static Operation *singleUser(Value value) {
  return value.hasOneUse() ? *value.getUsers().begin() : nullptr;
}

static quant::UniformQuantizedType activationType(MLIRContext *context,
                                                  const QuantParams &params,
                                                  unsigned bits) {
  return quant::UniformQuantizedType::get(
      quant::QuantizationFlags::Signed, IntegerType::get(context, bits),
      Float32Type::get(context), params.scale, params.zeroPoint, params.qmin,
      params.qmax);
}

/// The float view of `tensor`: qnt.dequantize(quant.scast(storage)).
static Value dequantized(OpBuilder &b, Location loc,
                         const QuantizedTensor &tensor,
                         RankedTensorType floatType) {
  auto storageType = cast<RankedTensorType>(tensor.storage.getType());
  auto quantType = storageType.clone(
      activationType(b.getContext(), tensor.params, tensor.bits));
  Value cast =
      quant::StorageCastOp::create(b, loc, quantType, tensor.storage);
  return DequantizeOp::create(b, loc, floatType, cast);
}

/// `value` as storage integers if it is the dequantization of a per-tensor,
/// signed, 2- to 8-bit quantized tensor (a quant.scast to the storage type
/// is made with `b` when there is none).
static std::optional<QuantizedTensor> asQuantized(OpBuilder &b, Value value) {
  auto dequantize = value.getDefiningOp<DequantizeOp>();
  if (!dequantize || !isF32Tensor(value.getType()))
    return std::nullopt;
  Value quantValue = dequantize.getInput();
  auto quantType = dyn_cast<quant::UniformQuantizedType>(
      cast<ShapedType>(quantValue.getType()).getElementType());
  if (!quantType || !quantType.isSigned() ||
      quantType.getStorageTypeIntegralWidth() < 2 ||
      quantType.getStorageTypeIntegralWidth() > 8)
    return std::nullopt;
  QuantizedTensor tensor;
  tensor.bits = quantType.getStorageTypeIntegralWidth();
  tensor.params = {quantType.getScale(), quantType.getZeroPoint(),
                   quantType.getStorageTypeMin(),
                   quantType.getStorageTypeMax()};
  if (auto cast = quantValue.getDefiningOp<quant::StorageCastOp>()) {
    tensor.storage = cast.getInput();
    return tensor;
  }
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointAfterValue(quantValue);
  auto storageType = cast<RankedTensorType>(quantValue.getType())
                         .clone(IntegerType::get(b.getContext(), tensor.bits));
  tensor.storage = quant::StorageCastOp::create(b, quantValue.getLoc(),
                                                storageType, quantValue);
  return tensor;
}

/// The parameters of a 2- to 8-bit uniform type as signed storage: an
/// unsigned range and zero point move down by 2^(bits-1), which maps every
/// stored value to the same real number. `bits` is the narrowest signed
/// width that holds the range (an i8<-8:7> type is 4-bit).
static std::optional<std::pair<QuantParams, unsigned>>
signedParams(quant::QuantizedType type, double scale, int64_t zeroPoint) {
  unsigned width = type.getStorageTypeIntegralWidth();
  if (width < 2 || width > 8)
    return std::nullopt;
  int64_t shift = type.isSigned() ? 0 : int64_t(1) << (width - 1);
  QuantParams params{scale, zeroPoint - shift, type.getStorageTypeMin() - shift,
                     type.getStorageTypeMax() - shift};
  unsigned bits = 2;
  while (params.qmin < -(int64_t(1) << (bits - 1)) ||
         params.qmax > (int64_t(1) << (bits - 1)) - 1)
    ++bits;
  return std::make_pair(params, bits);
}

/// The integers and parameters of qnt.dequantize(qnt.constant) as signed
/// storage (signedParams), in the constant's layout, with the per-axis
/// dimension (-1 for a per-tensor type); `why` says what does not fit.
struct QuantizedConstant {
  SmallVector<int64_t> values;
  SmallVector<QuantParams> params;
  int64_t axis = -1;
  unsigned bits = 0;
};
static std::optional<QuantizedConstant>
getQuantizedConstant(Value value, std::string &why) {
  auto dequantize = value.getDefiningOp<DequantizeOp>();
  DenseIntElementsAttr attr;
  if (!dequantize || !matchPattern(dequantize.getInput(), m_Constant(&attr)))
    return std::nullopt;
  auto type = cast<quant::QuantizedType>(
      cast<ShapedType>(dequantize.getInput().getType()).getElementType());
  QuantizedConstant result;
  SmallVector<std::pair<double, int64_t>> scales;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type)) {
    scales.push_back({perTensor.getScale(), perTensor.getZeroPoint()});
  } else if (auto perAxis =
                 dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    for (auto [scale, zp] :
         llvm::zip(perAxis.getScales(), perAxis.getZeroPoints()))
      scales.push_back({scale, zp});
    result.axis = perAxis.getQuantizedDimension();
  } else {
    why = "weights of a quantized type other than !quant.uniform";
    return result;
  }
  for (auto [scale, zp] : scales) {
    auto params = signedParams(type, scale, zp);
    if (!params) {
      why = "quantized weights of " +
            std::to_string(type.getStorageTypeIntegralWidth()) +
            "-bit storage (2 to 8 bits are supported)";
      return result;
    }
    result.params.push_back(params->first);
    result.bits = std::max(result.bits, params->second);
  }
  int64_t shift = type.isSigned()
                      ? 0
                      : int64_t(1) << (type.getStorageTypeIntegralWidth() - 1);
  for (const APInt &v : attr.getValues<APInt>())
    result.values.push_back(
        (type.isSigned() ? v.getSExtValue() : int64_t(v.getZExtValue())) -
        shift);
  return result;
}

/// The signed parameters and storage width of the per-tensor qnt.quantize
/// that is the only user of `value` (an ONNX QDQ pair's scale for it).
static std::optional<std::pair<QuantParams, unsigned>>
outputQuantize(Value value) {
  auto quantize = dyn_cast_or_null<QuantizeOp>(singleUser(value));
  if (!quantize)
    return std::nullopt;
  auto type = dyn_cast<quant::UniformQuantizedType>(
      quantize.getOutput().getType().getElementType());
  auto params = type ? signedParams(type, type.getScale(), type.getZeroPoint())
                     : std::nullopt;
  if (!params)
    return std::nullopt;
  // The quantize's own width, so that the pair folds away.
  return std::make_pair(params->first, type.getStorageTypeIntegralWidth());
}

/// The real interval a quantized tensor can represent.
static qnt::Range representedRange(const QuantParams &params) {
  return {params.scale * double(params.qmin - params.zeroPoint),
          params.scale * double(params.qmax - params.zeroPoint)};
}

/// A clamp bound attribute where `bound` is narrower than `bits` allows.
static IntegerAttr clampBound(OpBuilder &b, int64_t bound, unsigned bits) {
  IntRange full = storageRange(bits, /*isSigned=*/true, /*narrow=*/false);
  if (bound == full.min || bound == full.max)
    return {};
  return b.getI32IntegerAttr(bound);
}

/// A !tosa.shape constant.
static Value shapeConstant(OpBuilder &b, Location loc, ArrayRef<int64_t> shape) {
  auto type = tosa::shapeType::get(b.getContext(), shape.size());
  return tosa::ConstShapeOp::create(b, loc, type, b.getIndexTensorAttr(shape));
}

/// `tensor` rescaled to `params` / `bits`: extended to i32 and requantized.
/// Fails when the scale ratio has no fixed-point multiplier.
static FailureOr<QuantizedTensor> rescale(OpBuilder &b, Location loc,
                                          const QuantizedTensor &tensor,
                                          const QuantParams &params,
                                          unsigned bits,
                                          RequantRounding rounding) {
  if (bits == tensor.bits && params.scale == tensor.params.scale &&
      params.zeroPoint == tensor.params.zeroPoint &&
      params.qmin == tensor.params.qmin && params.qmax == tensor.params.qmax)
    return tensor;
  std::optional<ScaleMultiplier> multiplier =
      computeMultiplierAndShift(tensor.params.scale / params.scale);
  if (!multiplier)
    return failure();
  auto storageType = cast<RankedTensorType>(tensor.storage.getType());
  Value wide = tosa::CastOp::create(
      b, loc, storageType.clone(b.getI32Type()), tensor.storage);
  Value narrow = RequantizeOp::create(
      b, loc, storageType.clone(b.getIntegerType(bits)), wide,
      b.getDenseI32ArrayAttr({multiplier->multiplier}),
      b.getDenseI32ArrayAttr({multiplier->shift}), IntegerAttr(),
      b.getI32IntegerAttr(tensor.params.zeroPoint),
      b.getI32IntegerAttr(params.zeroPoint), clampBound(b, params.qmin, bits),
      clampBound(b, params.qmax, bits),
      RequantRoundingAttr::get(b.getContext(), rounding));
  return QuantizedTensor{narrow, params, bits};
}

/// Signed `bits`-wide integer tensor constant.
static DenseElementsAttr intElements(RankedTensorType type,
                                     ArrayRef<int64_t> values) {
  unsigned bits = type.getElementTypeBitWidth();
  SmallVector<APInt> ints;
  ints.reserve(values.size());
  for (int64_t v : values)
    ints.emplace_back(bits, v, /*isSigned=*/true);
  return DenseElementsAttr::get(type, ints);
}

//===----------------------------------------------------------------------===//
// Layer matching
//===----------------------------------------------------------------------===//

/// Whether `op` is a layer this pass quantizes (when it can).
static bool isLayerOp(Operation *op) {
  return isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::MatMulOp>(op) &&
         isa<FloatType>(
             cast<ShapedType>(op->getResult(0).getType()).getElementType());
}

/// A per-channel constant of a tosa.add: `channels` values (or one) along
/// the last axis, every other dimension 1.
static bool getChannelConstant(Value value, int64_t channels,
                               SmallVectorImpl<double> &out) {
  SmallVector<float> values;
  if (!getConstantFloats(value, values))
    return false;
  auto type = cast<RankedTensorType>(value.getType());
  ArrayRef<int64_t> shape = type.getShape();
  for (size_t i = 0; i + 1 < shape.size(); ++i)
    if (shape[i] != 1)
      return false;
  if (values.size() != 1 && int64_t(values.size()) != channels)
    return false;
  out.clear();
  for (int64_t c = 0; c < channels; ++c)
    out.push_back(values[values.size() == 1 ? 0 : c]);
  return true;
}

/// Matches a layer and the ops that fold into it; on failure, `why` says
/// what keeps it float.
static std::optional<Layer> matchLayer(Operation *op, std::string &why) {
  Layer layer;
  layer.op = op;
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  if (!isF32Tensor(resultType) ||
      !llvm::all_of(op->getOperandTypes(), [](Type type) {
        auto tensor = dyn_cast<RankedTensorType>(type);
        return tensor && tensor.hasStaticShape();
      })) {
    why = "not f32 with static shapes";
    return std::nullopt;
  }
  SmallVector<float> weights;
  SmallVector<int64_t> ints;
  std::optional<QuantizedConstant> quantized;
  SmallVector<float> bias;
  // Constant float weights, or QDQ weights (which must be usable as they
  // are); `outputAxes` are the weight axes that index output channels.
  auto readWeights = [&](Value value, ArrayRef<int64_t> outputAxes) {
    std::string whyNot;
    quantized = getQuantizedConstant(value, whyNot);
    if (!quantized) {
      if (getConstantFloats(value, weights))
        return true;
      why = "weights are not constant";
      return false;
    }
    if (!whyNot.empty()) {
      why = whyNot;
      return false;
    }
    if (quantized->axis >= 0 &&
        !llvm::is_contained(outputAxes, quantized->axis)) {
      why = "its quantized weights are per-axis along axis " +
            std::to_string(quantized->axis) + ", not an output-channel axis";
      return false;
    }
    if (!llvm::all_of(quantized->params, [&](const QuantParams &p) {
          return p.zeroPoint == quantized->params[0].zeroPoint;
        })) {
      why = "its quantized weights have per-channel zero points that differ";
      return false;
    }
    ints = quantized->values;
    weights.assign(ints.size(), 0.0f);
    return true;
  };
  // The weights in `order` (new[i] = old[order[i]]), with per-channel
  // parameters for output channel c taken from `paramOf(c)`.
  auto setWeights = [&](ArrayRef<int64_t> order,
                        function_ref<int64_t(int64_t)> paramOf) {
    layer.filter.resize(order.size());
    for (size_t i = 0; i < order.size(); ++i)
      layer.filter[i] = weights[order[i]];
    if (!quantized)
      return;
    QuantizedWeights q;
    q.bits = quantized->bits;
    for (int64_t i : order)
      q.values.push_back(ints[i]);
    if (quantized->axis < 0)
      q.params = quantized->params;
    else
      for (int64_t c = 0; c < layer.channels; ++c)
        q.params.push_back(quantized->params[paramOf(c)]);
    layer.quantized = std::move(q);
  };
  auto readBias = [&](Value value) {
    if (!getConstantFloats(value, bias) ||
        (bias.size() != 1 && int64_t(bias.size()) != layer.channels))
      return false;
    for (int64_t c = 0; c < layer.channels; ++c)
      layer.bias.push_back(bias[bias.size() == 1 ? 0 : c]);
    return true;
  };

  if (auto conv = dyn_cast<tosa::Conv2DOp>(op)) {
    layer.kind = LayerKind::Conv;
    layer.input = conv.getInput();
    if (!readWeights(conv.getWeight(), {0}))
      return std::nullopt;
    auto shape = cast<RankedTensorType>(conv.getWeight().getType()).getShape();
    layer.filterShape.assign(shape.begin(), shape.end());
    layer.channels = shape[0];
    layer.weightAxis = 0;
    setWeights(llvm::to_vector(llvm::seq<int64_t>(0, weights.size())),
               [](int64_t c) { return c; });
    if (!readBias(conv.getBias())) {
      why = "bias is not constant";
      return std::nullopt;
    }
  } else if (auto conv = dyn_cast<tosa::DepthwiseConv2DOp>(op)) {
    layer.kind = LayerKind::DepthwiseConv;
    layer.input = conv.getInput();
    if (!readWeights(conv.getWeight(), {2, 3}))
      return std::nullopt;
    // HWCM -> [C * M, KH, KW, 1]: output channel c * M + m reads input c.
    auto shape = cast<RankedTensorType>(conv.getWeight().getType()).getShape();
    int64_t kh = shape[0], kw = shape[1], c = shape[2], m = shape[3];
    layer.filterShape = {c * m, kh, kw, 1};
    SmallVector<int64_t> order(weights.size());
    for (int64_t i = 0; i < kh; ++i)
      for (int64_t j = 0; j < kw; ++j)
        for (int64_t ci = 0; ci < c; ++ci)
          for (int64_t mi = 0; mi < m; ++mi)
            order[((ci * m + mi) * kh + i) * kw + j] =
                ((i * kw + j) * c + ci) * m + mi;
    layer.channels = c * m;
    layer.weightAxis = 2;
    bool alongC = quantized && quantized->axis == 2;
    setWeights(order, [&](int64_t channel) {
      return alongC ? channel / m : channel % m;
    });
    if (!readBias(conv.getBias())) {
      why = "bias is not constant";
      return std::nullopt;
    }
  } else {
    auto matmul = cast<tosa::MatMulOp>(op);
    layer.kind = LayerKind::Matmul;
    layer.input = matmul.getA();
    if (!readWeights(matmul.getB(), {2}))
      return std::nullopt;
    auto aShape = cast<RankedTensorType>(matmul.getA().getType()).getShape();
    auto bShape = cast<RankedTensorType>(matmul.getB().getType()).getShape();
    if (aShape[0] != 1 || bShape[0] != 1) {
      why = "batched matmul (batch " + std::to_string(aShape[0]) + ")";
      return std::nullopt;
    }
    // [1, K, N] -> [N, K].
    int64_t k = bShape[1], n = bShape[2];
    layer.filterShape = {n, k};
    SmallVector<int64_t> order(weights.size());
    for (int64_t ki = 0; ki < k; ++ki)
      for (int64_t ni = 0; ni < n; ++ni)
        order[ni * k + ki] = ki * n + ni;
    layer.channels = n;
    setWeights(order, [](int64_t channel) { return channel; });
    layer.weightAxis = 2;
    layer.bias.assign(n, 0.0);
  }

  // A bias add (through a reshape that keeps the channel axis last), then a
  // clamp; each must be the only user of what it reads.
  Value current = op->getResult(0);
  auto lastDim = [](Value v) {
    return cast<RankedTensorType>(v.getType()).getShape().back();
  };
  auto matchBiasAdd = [&](Operation *user, Value activation,
                          SmallVectorImpl<double> &constant) {
    auto add = dyn_cast_or_null<tosa::AddOp>(user);
    if (!add || add.getOutput().getType() != activation.getType())
      return false;
    Value other = add.getInput1() == activation ? add.getInput2()
                                                : add.getInput1();
    return getChannelConstant(other, layer.channels, constant);
  };
  SmallVector<double> addBias;
  Operation *next = singleUser(current);
  if (auto reshape = dyn_cast_or_null<tosa::ReshapeOp>(next)) {
    Value reshaped = reshape.getOutput();
    if (lastDim(reshaped) == layer.channels &&
        matchBiasAdd(singleUser(reshaped), reshaped, addBias)) {
      layer.chain.push_back(reshape);
      current = reshaped;
      next = singleUser(current);
    }
  }
  if (matchBiasAdd(next, current, addBias)) {
    for (int64_t c = 0; c < layer.channels; ++c)
      layer.bias[c] += addBias[c];
    layer.chain.push_back(next);
    current = next->getResult(0);
  } else if (!layer.chain.empty()) {
    layer.chain.clear();
    current = op->getResult(0);
  }
  layer.biased = current;
  if (auto clamp = dyn_cast_or_null<tosa::ClampOp>(singleUser(current))) {
    auto lo = dyn_cast<FloatAttr>(clamp.getMinValAttr());
    auto hi = dyn_cast<FloatAttr>(clamp.getMaxValAttr());
    if (lo && hi) {
      layer.clamp = {lo.getValueAsDouble(), hi.getValueAsDouble()};
      layer.chain.push_back(clamp);
    }
  }
  return layer;
}

//===----------------------------------------------------------------------===//
// Q/DQ cleanup
//===----------------------------------------------------------------------===//

namespace {

/// qnt.quantize(qnt.dequantize(%q)) -> %q when the types are equal; else,
/// for signed per-tensor types of 2 to 8 bits,
///   quant.scast(qnt.requantize(tosa.cast(quant.scast(%q)) to i32)).
struct FoldDequantizeQuantizePair : OpRewritePattern<QuantizeOp> {
  FoldDequantizeQuantizePair(MLIRContext *context, RequantRounding rounding)
      : OpRewritePattern(context), rounding(rounding) {}

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto dequantize = op.getInput().getDefiningOp<DequantizeOp>();
    if (!dequantize)
      return rewriter.notifyMatchFailure(op, "input is not a dequantize");
    if (dequantize.getInput().getType() == op.getOutput().getType()) {
      rewriter.replaceOp(op, dequantize.getInput());
      return success();
    }
    std::optional<QuantizedTensor> source =
        asQuantized(rewriter, dequantize.getOutput());
    auto target = dyn_cast<quant::UniformQuantizedType>(
        op.getOutput().getType().getElementType());
    if (!source || !target || !target.isSigned() ||
        target.getStorageTypeIntegralWidth() > 8 ||
        target.getStorageTypeIntegralWidth() < 2)
      return rewriter.notifyMatchFailure(op, "not signed per-tensor types");
    QuantParams params{target.getScale(), target.getZeroPoint(),
                       target.getStorageTypeMin(), target.getStorageTypeMax()};
    FailureOr<QuantizedTensor> rescaled =
        rescale(rewriter, op.getLoc(), *source, params,
                target.getStorageTypeIntegralWidth(), rounding);
    if (failed(rescaled))
      return rewriter.notifyMatchFailure(op, "scale ratio out of range");
    rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, op.getType(),
                                                      rescaled->storage);
    return success();
  }

  RequantRounding rounding;
};

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct QntQuantizePass : qnt::impl::QntQuantizePassBase<QntQuantizePass> {
  using QntQuantizePassBase::QntQuantizePassBase;

  void runOnOperation() override;

private:
  LogicalResult parseOptions();
  FailureOr<LayerSettings> layerSettings(const Layer &layer, bool isEdge);
  std::optional<std::string> statisticsId(Value value);
  const ActivationStats *findStats(Value value, std::string &id);
  FailureOr<QuantParams> activationParams(Value value, unsigned bits,
                                          bool symmetric, std::string &why);
  FailureOr<QuantizedTensor> quantizedInput(Value input,
                                            const LayerSettings &layer,
                                            std::string &why);
  FailureOr<Operation *> quantizeLayer(Operation *op, bool isEdge);
  void checkWeightStats(const Layer &layer);
  Operation *propagate(Operation *op);
  void propagateClamp(tosa::ClampOp clamp);
  void propagatePad(tosa::PadOp pad);
  void propagateConcat(tosa::ConcatOp concat);
  Operation *quantizeAdd(tosa::AddOp add);
  void remarkFloatConsumers(func::FuncOp func);

  Settings settings;
  std::optional<CalibrationStats> statistics;
  DenseMap<Value, std::string> ids;
  /// Inputs already quantized from statistics, by value and bit-width.
  DenseMap<std::pair<Value, unsigned>, QuantizedTensor> quantizedInputs;
  /// Ops that already got a remark.
  DenseSet<Operation *> remarked;
};

} // namespace

LogicalResult QntQuantizePass::parseOptions() {
  ModuleOp module = getOperation();
  auto fail = [&](const Twine &message) {
    module.emitError("qnt-quantize: ") << message;
    return failure();
  };
  if (scheme != "symmetric" && scheme != "asymmetric")
    return fail("unknown scheme '" + scheme +
                "' (expected symmetric or asymmetric)");
  settings.symmetric = scheme == "symmetric";
  if (granularity != "per-tensor" && granularity != "per-channel")
    return fail("unknown granularity '" + granularity +
                "' (expected per-tensor or per-channel)");
  settings.perChannel = granularity == "per-channel";
  if (weightBits < 2 || weightBits > 8 || activationBits < 2 ||
      activationBits > 8)
    return fail("weight-bits and activation-bits must be in [2, 8]");
  settings.weightBits = weightBits;
  settings.activationBits = activationBits;
  std::optional<RangeMethod> activationMethod =
      parseRangeMethod(activationRange);
  std::optional<RangeMethod> weightMethod = parseRangeMethod(weightRange);
  if (!activationMethod || !weightMethod)
    return fail("unknown range method '" +
                (activationMethod ? weightRange : activationRange) +
                "' (expected minmax, percentile, mse or entropy)");
  if (!(percentile > 50 && percentile <= 100))
    return fail("percentile must be in (50, 100]");
  settings.activationRange.method = *activationMethod;
  settings.activationRange.percentile = percentile;
  settings.weightRange.method = *weightMethod;
  settings.weightRange.percentile = percentile;
  if (rounding != "single-round" && rounding != "double-round")
    return fail("unknown rounding '" + rounding +
                "' (expected single-round or double-round)");
  settings.rounding = rounding == "single-round"
                          ? RequantRounding::SingleRound
                          : RequantRounding::DoubleRound;
  settings.narrowRange = narrowRange;
  settings.firstLast8Bit = firstLast8Bit;

  if (!stats.empty()) {
    llvm::Expected<CalibrationStats> read = CalibrationStats::readFile(stats);
    if (!read)
      return fail("cannot read statistics: " + toString(read.takeError()));
    statistics = std::move(*read);
  }
  return success();
}

FailureOr<LayerSettings> QntQuantizePass::layerSettings(const Layer &layer,
                                                        bool isEdge) {
  LayerSettings result{settings.weightBits, settings.activationBits,
                       settings.symmetric, settings.perChannel,
                       RoundingMode::HalfEven};
  if (isEdge && settings.firstLast8Bit)
    result.weightBits = result.activationBits = 8;
  auto config = layer.op->getAttrOfType<LayerConfigAttr>("qnt.config");
  if (!config)
    return result;
  result.weightBits = config.getWeightBits();
  result.activationBits = config.getActivationBits();
  result.symmetric = config.getScheme() == Scheme::Symmetric;
  result.perChannel = config.getGranularity() == Granularity::PerChannel;
  result.rounding = config.getRounding();
  if (result.perChannel && config.getAxis() != layer.weightAxis) {
    layer.op->emitError("qnt.config axis ")
        << config.getAxis() << " is not the output-channel axis "
        << layer.weightAxis << " of the weights";
    return failure();
  }
  return result;
}

/// The probe id of `value`, or of the value it reshapes, transposes, slices
/// or pools (ops that keep their input's scale and get no probe).
std::optional<std::string> QntQuantizePass::statisticsId(Value value) {
  while (true) {
    auto it = ids.find(value);
    if (it != ids.end())
      return it->second;
    Operation *def = value.getDefiningOp();
    if (!isa_and_nonnull<tosa::ReshapeOp, tosa::TransposeOp, tosa::SliceOp,
                         tosa::IdentityOp, tosa::MaxPool2dOp>(def))
      return std::nullopt;
    value = def->getOperand(0);
  }
}

const ActivationStats *QntQuantizePass::findStats(Value value,
                                                  std::string &id) {
  std::optional<std::string> probe = statisticsId(value);
  id = probe ? *probe : "";
  if (!probe || !statistics)
    return nullptr;
  auto it = statistics->activations.find(*probe);
  return it == statistics->activations.end() ? nullptr : &it->second;
}

FailureOr<QuantParams> QntQuantizePass::activationParams(Value value,
                                                         unsigned bits,
                                                         bool symmetric,
                                                         std::string &why) {
  std::string id;
  const ActivationStats *activation = findStats(value, id);
  if (!activation) {
    why = id.empty() ? "no statistics for its value"
                     : "no statistics for '" + id + "'";
    return failure();
  }
  RangeOptions options = settings.activationRange;
  options.bits = bits;
  options.symmetric = symmetric;
  llvm::Expected<qnt::Range> range = selectActivationRange(*activation, options);
  if (!range) {
    why = "statistics of '" + id + "': " + toString(range.takeError());
    return failure();
  }
  return computeQuantParams(*range, bits, symmetric, /*narrowRange=*/false);
}

FailureOr<QuantizedTensor>
QntQuantizePass::quantizedInput(Value input, const LayerSettings &layer,
                                std::string &why) {
  OpBuilder b(input.getContext());
  if (std::optional<QuantizedTensor> quantized = asQuantized(b, input)) {
    if (quantized->bits == layer.activationBits)
      return *quantized;
    // Same real range on the layer's grid.
    QuantParams params =
        computeQuantParams(representedRange(quantized->params),
                           layer.activationBits, layer.symmetric, false);
    b.setInsertionPointAfterValue(quantized->storage);
    FailureOr<QuantizedTensor> rescaled =
        rescale(b, input.getLoc(), *quantized, params, layer.activationBits,
                settings.rounding);
    if (failed(rescaled))
      why = "its input cannot be rescaled to " +
            std::to_string(layer.activationBits) + " bits";
    return rescaled;
  }
  auto key = std::make_pair(input, layer.activationBits);
  if (auto it = quantizedInputs.find(key); it != quantizedInputs.end())
    return it->second;
  FailureOr<QuantParams> params =
      activationParams(input, layer.activationBits, layer.symmetric, why);
  if (failed(params)) {
    if (auto dequantize = input.getDefiningOp<DequantizeOp>()) {
      llvm::raw_string_ostream os(why);
      os << " and its input is dequantized from "
         << dequantize.getInput().getType().getElementType()
         << ", which has no per-tensor 2- to 8-bit integer form here";
    }
    return failure();
  }
  b.setInsertionPointAfterValue(input);
  auto floatType = cast<RankedTensorType>(input.getType());
  auto quantType = floatType.clone(
      activationType(b.getContext(), *params, layer.activationBits));
  Value quantized = QuantizeOp::create(b, input.getLoc(), quantType, input,
                                       layer.rounding);
  Value storage = quant::StorageCastOp::create(
      b, input.getLoc(),
      floatType.clone(b.getIntegerType(layer.activationBits)), quantized);
  QuantizedTensor tensor{storage, *params, layer.activationBits};
  quantizedInputs[key] = tensor;
  return tensor;
}

/// Statistics collected on other weights (e.g. before batch norms were
/// folded) describe other activations under the same ids, so the scales
/// would be wrong: warn when the file's weight range is not the layer's.
void QntQuantizePass::checkWeightStats(const Layer &layer) {
  auto id = ids.find(layer.op->getResult(0));
  if (!statistics || id == ids.end())
    return;
  auto entry = statistics->weights.find(id->second);
  if (entry == statistics->weights.end() || !entry->second.min ||
      !entry->second.max)
    return;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (float w : layer.filter) {
    if (std::isnan(w))
      continue;
    lo = std::min(lo, double(w));
    hi = std::max(hi, double(w));
  }
  auto close = [](double a, double b) {
    return std::fabs(a - b) <=
           1e-6 * std::max({1.0, std::fabs(a), std::fabs(b)});
  };
  if (close(lo, *entry->second.min) && close(hi, *entry->second.max))
    return;
  layer.op->emitWarning("statistics for '")
      << id->second << "' were collected with other weights (range ["
      << *entry->second.min << ", " << *entry->second.max << "], here ["
      << lo << ", " << hi
      << "]): calibrate the IR this pass sees, after qnt-fold-batchnorm";
}

/// Rewrites one layer, or leaves it float with a remark; returns the op to
/// continue the walk with (the ops fused into the layer follow it and are
/// gone).
FailureOr<Operation *> QntQuantizePass::quantizeLayer(Operation *op,
                                                      bool isEdge) {
  auto leaveFloat = [&](const Twine &why) -> FailureOr<Operation *> {
    op->emitRemark("not quantized: ") << why;
    remarked.insert(op);
    return op->getNextNode();
  };
  std::string why;
  std::optional<Layer> matched = matchLayer(op, why);
  if (!matched)
    return leaveFloat(why);
  Layer &layer = *matched;
  FailureOr<LayerSettings> config = layerSettings(layer, isEdge);
  if (failed(config))
    return failure();
  if (layer.quantized) {
    // QDQ weights keep their own bits and granularity, and a dequantized
    // input its bits.
    config->weightBits = layer.quantized->bits;
    config->perChannel = layer.quantized->params.size() > 1;
    OpBuilder b(op);
    if (std::optional<QuantizedTensor> in = asQuantized(b, layer.input))
      config->activationBits = in->bits;
  } else if (config->weightBits == 1 || config->activationBits == 1) {
    return leaveFloat("1-bit layers are left to qnt-binarize");
  } else {
    checkWeightStats(layer);
  }

  FailureOr<QuantizedTensor> input = quantizedInput(layer.input, *config, why);
  if (failed(input))
    return leaveFloat(why);
  const QuantParams &in = input->params;

  // Weights, per output channel or per tensor; per-channel weights are
  // symmetric since the integer ops take a single filter zero point.
  RangeOptions weightOptions = settings.weightRange;
  weightOptions.bits = config->weightBits;
  weightOptions.symmetric = config->symmetric || config->perChannel;
  int64_t taps = int64_t(layer.filter.size()) / layer.channels;
  SmallVector<QuantParams> weightParams;
  if (layer.quantized) {
    weightParams = layer.quantized->params;
  } else if (config->perChannel) {
    for (int64_t c = 0; c < layer.channels; ++c)
      weightParams.push_back(computeQuantParams(
          selectTensorRange(ArrayRef(layer.filter).slice(c * taps, taps),
                            weightOptions),
          config->weightBits, weightOptions.symmetric, settings.narrowRange));
  } else {
    weightParams.push_back(computeQuantParams(
        selectTensorRange(layer.filter, weightOptions), config->weightBits,
        weightOptions.symmetric, settings.narrowRange));
  }
  auto weightOf = [&](int64_t c) -> const QuantParams & {
    return weightParams[config->perChannel ? c : 0];
  };
  SmallVector<int64_t> weights(layer.filter.size());
  for (int64_t c = 0; c < layer.channels && !layer.quantized; ++c) {
    const QuantParams &w = weightOf(c);
    for (int64_t t = 0; t < taps; ++t)
      weights[c * taps + t] =
          quantizeValue(layer.filter[c * taps + t], w.scale, w.zeroPoint,
                        {w.qmin, w.qmax}, config->rounding);
  }
  if (layer.quantized)
    weights = layer.quantized->values;

  // Bias in i32 at scale s_x * s_w[c], and the accumulator's bound.
  const double int32Max = std::numeric_limits<int32_t>::max();
  int64_t inputSpan = std::max(in.qmax - in.zeroPoint, in.zeroPoint - in.qmin);
  SmallVector<int32_t> bias;
  SmallVector<double> accScales;
  for (int64_t c = 0; c < layer.channels; ++c) {
    const QuantParams &w = weightOf(c);
    double accScale = in.scale * w.scale;
    int64_t value = roundToInt(layer.bias[c] / accScale, RoundingMode::HalfEven);
    if (std::abs(value) > int64_t(int32Max))
      return leaveFloat("bias of channel " + std::to_string(c) +
                        " overflows i32 at scale " + std::to_string(accScale));
    int64_t weightSpan = std::max(w.qmax - w.zeroPoint, w.zeroPoint - w.qmin);
    if (double(taps) * double(inputSpan) * double(weightSpan) +
            double(std::abs(value)) >
        int32Max)
      return leaveFloat("the i32 accumulator of channel " +
                        std::to_string(c) + " can overflow");
    bias.push_back(int32_t(value));
    accScales.push_back(accScale);
  }

  // The output's scale: a quantize that is the output's only user (an ONNX
  // QDQ pair), else statistics; without either, the accumulator is
  // dequantized and a clamp stays float.
  Value output = layer.clamp ? layer.chain.back()->getResult(0) : layer.biased;
  std::optional<QuantParams> outParams;
  unsigned outBits = config->activationBits;
  if (std::optional<std::pair<QuantParams, unsigned>> fromQdq =
          outputQuantize(output)) {
    outParams = fromQdq->first;
    outBits = fromQdq->second;
  }
  std::string outputWhy;
  if (!outParams) {
    FailureOr<QuantParams> fromStats =
        activationParams(output, outBits, config->symmetric, outputWhy);
    if (succeeded(fromStats))
      outParams = *fromStats;
  }
  SmallVector<int32_t> multipliers, shifts;
  if (outParams) {
    for (double accScale : accScales) {
      std::optional<ScaleMultiplier> m =
          computeMultiplierAndShift(accScale / outParams->scale);
      if (!m)
        return leaveFloat("requantization scale " +
                          std::to_string(accScale / outParams->scale) +
                          " has no fixed-point form");
      multipliers.push_back(m->multiplier);
      shifts.push_back(m->shift);
    }
  }

  // Build the integer layer after the last op it replaces.
  if (!outParams && layer.clamp) {
    layer.chain.pop_back();
    layer.clamp.reset();
    output = layer.biased;
  }
  Operation *last = layer.chain.empty() ? op : layer.chain.back();
  OpBuilder b(op->getContext());
  b.setInsertionPointAfter(last);
  Location loc = op->getLoc();
  MLIRContext *context = b.getContext();
  Type f32 = b.getF32Type();
  IntegerType weightStorage = b.getIntegerType(config->weightBits);
  quant::QuantizedType weightQuant;
  if (config->perChannel) {
    SmallVector<double> scales;
    SmallVector<int64_t> zeroPoints;
    for (const QuantParams &w : weightParams) {
      scales.push_back(w.scale);
      zeroPoints.push_back(w.zeroPoint);
    }
    weightQuant = quant::UniformQuantizedPerAxisType::get(
        quant::QuantizationFlags::Signed, weightStorage, f32, scales,
        zeroPoints, /*quantizedDimension=*/0, weightParams[0].qmin,
        weightParams[0].qmax);
  } else {
    const QuantParams &w = weightParams[0];
    weightQuant = quant::UniformQuantizedType::get(
        quant::QuantizationFlags::Signed, weightStorage, f32, w.scale,
        w.zeroPoint, w.qmin, w.qmax);
  }
  auto filterStorageType =
      RankedTensorType::get(layer.filterShape, weightStorage);
  Value filterConstant = ConstantOp::create(
      b, loc, RankedTensorType::get(layer.filterShape, weightQuant),
      intElements(filterStorageType, weights));
  Value filter = quant::StorageCastOp::create(b, loc, filterStorageType,
                                              filterConstant);
  auto biasType = RankedTensorType::get({layer.channels}, b.getI32Type());
  Value biasConstant = tosa::ConstOp::create(
      b, loc, biasType, DenseElementsAttr::get(biasType, ArrayRef(bias)));
  // One filter zero point: per-channel ones are equal (0 unless QDQ).
  int32_t filterZp = weightParams[0].zeroPoint;

  Value acc;
  if (layer.kind == LayerKind::Matmul) {
    auto inputType = cast<RankedTensorType>(input->storage.getType());
    int64_t m = inputType.getDimSize(1), k = inputType.getDimSize(2);
    auto lhsType = RankedTensorType::get({m, k}, inputType.getElementType());
    Value lhs = tosa::ReshapeOp::create(
        b, loc, lhsType, input->storage,
        shapeConstant(b, loc, lhsType.getShape()));
    acc = MatmulOp::create(
        b, loc, RankedTensorType::get({m, layer.channels}, b.getI32Type()),
        lhs, filter, biasConstant, b.getI32IntegerAttr(in.zeroPoint),
        b.getI32IntegerAttr(filterZp));
  } else {
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    int64_t groups = 1;
    ArrayRef<int64_t> pad, stride, dilation;
    if (auto conv = dyn_cast<tosa::Conv2DOp>(op)) {
      pad = conv.getPad();
      stride = conv.getStride();
      dilation = conv.getDilation();
    } else {
      auto depthwise = cast<tosa::DepthwiseConv2DOp>(op);
      pad = depthwise.getPad();
      stride = depthwise.getStride();
      dilation = depthwise.getDilation();
      groups = cast<RankedTensorType>(layer.input.getType()).getDimSize(3);
    }
    acc = Conv2DOp::create(b, loc, resultType.clone(b.getI32Type()),
                           input->storage, filter, biasConstant,
                           b.getI32IntegerAttr(in.zeroPoint),
                           b.getI32IntegerAttr(filterZp),
                           b.getDenseI64ArrayAttr(stride),
                           b.getDenseI64ArrayAttr(pad),
                           b.getDenseI64ArrayAttr(dilation),
                           b.getI64IntegerAttr(groups));
  }
  auto accType = cast<RankedTensorType>(acc.getType());
  auto outputType = cast<RankedTensorType>(output.getType());
  auto reshaped = [&](Value value) -> Value {
    auto type = cast<RankedTensorType>(value.getType());
    if (type.getShape() == outputType.getShape())
      return value;
    auto target = type.clone(outputType.getShape());
    return tosa::ReshapeOp::create(
        b, loc, target, value,
        shapeConstant(b, loc, target.getShape()));
  };
  int64_t channelAxis = accType.getRank() - 1;
  auto allEqual = [](auto values) {
    return llvm::all_equal(values);
  };

  Value replacement;
  if (outParams) {
    IntegerAttr clampMin, clampMax;
    if (layer.clamp) {
      IntRange range{outParams->qmin, outParams->qmax};
      clampMin = clampBound(
          b,
          quantizeValue(layer.clamp->first, outParams->scale,
                        outParams->zeroPoint, range, RoundingMode::HalfEven),
          outBits);
      clampMax = clampBound(
          b,
          quantizeValue(layer.clamp->second, outParams->scale,
                        outParams->zeroPoint, range, RoundingMode::HalfEven),
          outBits);
    }
    bool perChannel = !allEqual(multipliers) || !allEqual(shifts);
    if (!perChannel) {
      multipliers.resize(1);
      shifts.resize(1);
    }
    Value requantized = RequantizeOp::create(
        b, loc, accType.clone(b.getIntegerType(outBits)), acc,
        b.getDenseI32ArrayAttr(multipliers), b.getDenseI32ArrayAttr(shifts),
        perChannel ? b.getI64IntegerAttr(channelAxis) : IntegerAttr(),
        b.getI32IntegerAttr(0), b.getI32IntegerAttr(outParams->zeroPoint),
        clampMin, clampMax,
        RequantRoundingAttr::get(context, settings.rounding));
    replacement = dequantized(b, loc,
                              {reshaped(requantized), *outParams, outBits},
                              outputType);
  } else {
    // The accumulator at scale s_x * s_w[c] is the float output exactly.
    quant::QuantizedType accQuant;
    int64_t lo = std::numeric_limits<int32_t>::min();
    int64_t hi = std::numeric_limits<int32_t>::max();
    Value accOut = reshaped(acc);
    if (allEqual(accScales)) {
      accQuant = quant::UniformQuantizedType::get(
          quant::QuantizationFlags::Signed, b.getI32Type(), f32, accScales[0],
          0, lo, hi);
    } else {
      accQuant = quant::UniformQuantizedPerAxisType::get(
          quant::QuantizationFlags::Signed, b.getI32Type(), f32, accScales,
          SmallVector<int64_t>(accScales.size(), 0),
          outputType.getRank() - 1, lo, hi);
    }
    Value cast = quant::StorageCastOp::create(
        b, loc, outputType.clone(accQuant), accOut);
    replacement = DequantizeOp::create(b, loc, outputType, cast);
    if (feedsOnlySigns(output))
      // Canonicalization folds the dequantize into the sign.
      op->emitRemark("output is its i32 accumulator (dequantized): only its "
                     "sign is used");
    else
      op->emitRemark("output stays float: ") << outputWhy;
    remarked.insert(op);
    // The remark covers a clamp that could not fuse for want of statistics.
    for (Operation *user : output.getUsers())
      remarked.insert(user);
  }
  output.replaceAllUsesWith(replacement);
  Operation *resume = last->getNextNode();
  // The float layer goes, and with it the constants only it read: constant
  // ops, and the dequantized and reshaped constants of QDQ weights and bias.
  auto isConstantExpr = [](Operation *def) {
    return def && (def->hasTrait<OpTrait::ConstantLike>() ||
                   isa<DequantizeOp, tosa::ReshapeOp>(def));
  };
  SetVector<Operation *> constants;
  layer.chain.insert(layer.chain.begin(), op);
  for (Operation *dead : layer.chain)
    for (Value operand : dead->getOperands())
      if (isConstantExpr(operand.getDefiningOp()))
        constants.insert(operand.getDefiningOp());
  for (Operation *dead : llvm::reverse(layer.chain))
    dead->erase();
  // Users before the ops they read; only ops whose operands are all
  // constant expressions go.
  for (size_t i = 0; i < constants.size(); ++i) {
    Operation *constant = constants[i];
    if (!constant->use_empty() || constant == resume ||
        !llvm::all_of(constant->getOperands(), [&](Value v) {
          return isConstantExpr(v.getDefiningOp());
        }))
      continue;
    SmallVector<Operation *> defs;
    for (Value v : constant->getOperands())
      defs.push_back(v.getDefiningOp());
    constant->erase();
    constants.insert(defs.begin(), defs.end());
  }
  return resume;
}

/// Data movement on a quantized value runs on its storage integers:
///   %f = qnt.dequantize(%s); %r = tosa.max_pool2d %f
///   -> %r' = tosa.max_pool2d %s; %r = qnt.dequantize(%r')
/// Pad, concat and add get their own rewrites. Returns the op to continue
/// the walk with.
Operation *QntQuantizePass::propagate(Operation *op) {
  Operation *next = op->getNextNode();
  // A QDQ pair of one type goes at once, so the ops after it see the
  // storage integers.
  if (auto quantize = dyn_cast<QuantizeOp>(op)) {
    auto dequantize = quantize.getInput().getDefiningOp<DequantizeOp>();
    if (dequantize && dequantize.getInput().getType() == quantize.getType()) {
      quantize.getOutput().replaceAllUsesWith(dequantize.getInput());
      quantize->erase();
    }
    return next;
  }
  if (op->getNumResults() != 1 || !isF32Tensor(op->getResult(0).getType()))
    return next;
  if (auto clamp = dyn_cast<tosa::ClampOp>(op)) {
    propagateClamp(clamp);
    return next;
  }
  if (auto pad = dyn_cast<tosa::PadOp>(op)) {
    propagatePad(pad);
    return next;
  }
  if (auto concat = dyn_cast<tosa::ConcatOp>(op)) {
    propagateConcat(concat);
    return next;
  }
  if (auto add = dyn_cast<tosa::AddOp>(op))
    return quantizeAdd(add);
  if (!isa<tosa::MaxPool2dOp, tosa::ReshapeOp, tosa::TransposeOp,
           tosa::SliceOp, tosa::IdentityOp>(op))
    return next;
  OpBuilder b(op);
  std::optional<QuantizedTensor> input = asQuantized(b, op->getOperand(0));
  if (!input)
    return next;
  IRMapping mapping;
  mapping.map(op->getOperand(0), input->storage);
  Operation *clone = b.clone(*op, mapping);
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  clone->getResult(0).setType(resultType.clone(b.getIntegerType(input->bits)));
  Value result = dequantized(
      b, op->getLoc(), {clone->getResult(0), input->params, input->bits},
      resultType);
  op->getResult(0).replaceAllUsesWith(result);
  op->erase();
  return next;
}

/// tosa.clamp of a quantized value (a ReLU that PyTorch exports apart from
/// its layer) clamps the storage to the quantized bounds. That is exact when
/// each bound is on the grid or beyond the representable range; otherwise
/// the clamp stays float.
void QntQuantizePass::propagateClamp(tosa::ClampOp clamp) {
  OpBuilder b(clamp);
  std::optional<QuantizedTensor> input = asQuantized(b, clamp.getInput());
  auto lo = dyn_cast<FloatAttr>(clamp.getMinValAttr());
  auto hi = dyn_cast<FloatAttr>(clamp.getMaxValAttr());
  if (!input || !lo || !hi)
    return;
  const QuantParams &p = input->params;
  std::optional<int64_t> bounds[2];
  FloatAttr attrs[2] = {lo, hi};
  for (int i = 0; i < 2; ++i) {
    double bound = attrs[i].getValueAsDouble();
    int64_t q = quantizeValue(bound, p.scale, p.zeroPoint, {p.qmin, p.qmax},
                              RoundingMode::HalfEven);
    double back = dequantizeValue(q, p.scale, p.zeroPoint);
    bool beyond = i == 0 ? bound <= back : bound >= back;
    if (float(back) == float(bound) ||
        (beyond && q == (i == 0 ? p.qmin : p.qmax)))
      bounds[i] = q;
  }
  if (bounds[0] && bounds[1] && *bounds[0] <= p.qmin && *bounds[1] >= p.qmax) {
    // The clamp keeps every representable value.
    clamp.getResult().replaceAllUsesWith(clamp.getInput());
    clamp->erase();
    return;
  }
  if (!bounds[0] || !bounds[1]) {
    clamp->emitRemark("stays float: a clamp bound is not on the grid of its "
                      "quantized input (scale ")
        << p.scale << ", zero point " << p.zeroPoint << ")";
    remarked.insert(clamp);
    return;
  }
  IntegerType storage = b.getIntegerType(input->bits);
  auto resultType = cast<RankedTensorType>(clamp.getType());
  Value clamped = tosa::ClampOp::create(
      b, clamp.getLoc(), resultType.clone(storage), input->storage,
      b.getIntegerAttr(storage, *bounds[0]),
      b.getIntegerAttr(storage, *bounds[1]));
  clamp.getResult().replaceAllUsesWith(
      dequantized(b, clamp.getLoc(), {clamped, p, input->bits}, resultType));
  clamp->erase();
}

/// tosa.pad of a quantized value pads its storage with the quantized pad
/// value (0.0 becomes the zero point, exactly).
void QntQuantizePass::propagatePad(tosa::PadOp pad) {
  OpBuilder b(pad);
  std::optional<QuantizedTensor> input = asQuantized(b, pad.getInput1());
  SmallVector<float> padValue;
  if (!input || !getConstantFloats(pad.getPadConst(), padValue) ||
      padValue.size() != 1)
    return;
  const QuantParams &p = input->params;
  Location loc = pad.getLoc();
  IntegerType storage = b.getIntegerType(input->bits);
  auto constType =
      cast<RankedTensorType>(pad.getPadConst().getType()).clone(storage);
  Value padConst = tosa::ConstOp::create(
      b, loc, constType,
      intElements(constType, {quantizeValue(padValue[0], p.scale, p.zeroPoint,
                                            {p.qmin, p.qmax},
                                            RoundingMode::HalfEven)}));
  auto resultType = cast<RankedTensorType>(pad.getType());
  Value padded = tosa::PadOp::create(b, loc, resultType.clone(storage),
                                     input->storage, pad.getPadding(),
                                     padConst);
  pad.getResult().replaceAllUsesWith(
      dequantized(b, loc, {padded, p, input->bits}, resultType));
  pad->erase();
}

/// tosa.concat of quantized values: each input is rescaled to the output's
/// scale (from its statistics, else the union of the inputs' ranges), then
/// the storage integers are concatenated.
void QntQuantizePass::propagateConcat(tosa::ConcatOp concat) {
  OpBuilder b(concat);
  SmallVector<QuantizedTensor> inputs;
  for (Value operand : concat.getInput1()) {
    std::optional<QuantizedTensor> input = asQuantized(b, operand);
    if (!input)
      return;
    inputs.push_back(*input);
  }
  unsigned bits = 0;
  qnt::Range range{0, 0};
  for (const QuantizedTensor &input : inputs) {
    bits = std::max(bits, input.bits);
    qnt::Range r = representedRange(input.params);
    range = {std::min(range.min, r.min), std::max(range.max, r.max)};
  }
  std::string why;
  FailureOr<QuantParams> params =
      activationParams(concat.getResult(), bits, settings.symmetric, why);
  QuantParams output = succeeded(params)
                           ? *params
                           : computeQuantParams(range, bits,
                                                settings.symmetric, false);
  SmallVector<Value> storages;
  for (const QuantizedTensor &input : inputs) {
    FailureOr<QuantizedTensor> rescaled = rescale(
        b, concat.getLoc(), input, output, bits, settings.rounding);
    if (failed(rescaled))
      return;
    storages.push_back(rescaled->storage);
  }
  auto resultType = cast<RankedTensorType>(concat.getType());
  Value joined = tosa::ConcatOp::create(
      b, concat.getLoc(), resultType.clone(b.getIntegerType(bits)), storages,
      concat.getAxis());
  concat.getResult().replaceAllUsesWith(
      dequantized(b, concat.getLoc(), {joined, output, bits}, resultType));
  concat->erase();
}

/// tosa.add of two quantized values (and a clamp after it):
///   a' = (q_a - z_a) * (s_a / s_i), b' likewise, in i32 at the common scale
///   s_i = max(s_a, s_b) / 2^16 (so |a'|, |b'| < 2^24);
///   q_y = z_y + (a' + b') * (s_i / s_y), clamped.
Operation *QntQuantizePass::quantizeAdd(tosa::AddOp add) {
  Operation *next = add->getNextNode();
  OpBuilder b(add);
  std::optional<QuantizedTensor> lhs = asQuantized(b, add.getInput1());
  std::optional<QuantizedTensor> rhs = asQuantized(b, add.getInput2());
  if (!lhs || !rhs)
    return next;
  Value output = add.getResult();
  std::optional<std::pair<double, double>> clamp;
  auto clampOp = dyn_cast_or_null<tosa::ClampOp>(singleUser(output));
  if (clampOp) {
    auto lo = dyn_cast<FloatAttr>(clampOp.getMinValAttr());
    auto hi = dyn_cast<FloatAttr>(clampOp.getMaxValAttr());
    if (lo && hi) {
      clamp = {lo.getValueAsDouble(), hi.getValueAsDouble()};
      output = clampOp.getResult();
    } else {
      clampOp = nullptr;
    }
  }
  unsigned bits = std::max(lhs->bits, rhs->bits);
  std::string why;
  FailureOr<QuantParams> params = failure();
  if (std::optional<std::pair<QuantParams, unsigned>> fromQdq =
          outputQuantize(output)) {
    params = fromQdq->first;
    bits = fromQdq->second;
  } else {
    params = activationParams(output, bits, settings.symmetric, why);
  }
  if (failed(params)) {
    add->emitRemark("not quantized: ") << why;
    remarked.insert(add);
    return next;
  }
  double common =
      std::max(lhs->params.scale, rhs->params.scale) / double(1 << 16);
  std::optional<ScaleMultiplier> outScale =
      computeMultiplierAndShift(common / params->scale);
  if (!outScale) {
    add->emitRemark("not quantized: requantization scale out of range");
    remarked.insert(add);
    return next;
  }
  if (clampOp)
    b.setInsertionPoint(clampOp);
  Location loc = add.getLoc();
  auto resultType = cast<RankedTensorType>(add.getType());
  Type i32 = b.getI32Type();
  auto toCommon = [&](const QuantizedTensor &x) -> Value {
    ScaleMultiplier m = *computeMultiplierAndShift(x.params.scale / common);
    auto type = cast<RankedTensorType>(x.storage.getType());
    Value wide = tosa::CastOp::create(b, loc, type.clone(i32), x.storage);
    return RequantizeOp::create(
        b, loc, type.clone(i32), wide, b.getDenseI32ArrayAttr({m.multiplier}),
        b.getDenseI32ArrayAttr({m.shift}), IntegerAttr(),
        b.getI32IntegerAttr(x.params.zeroPoint), b.getI32IntegerAttr(0),
        IntegerAttr(), IntegerAttr(),
        RequantRoundingAttr::get(b.getContext(), settings.rounding));
  };
  Value sum = tosa::AddOp::create(b, loc, resultType.clone(i32), toCommon(*lhs),
                                  toCommon(*rhs));
  IntegerAttr clampMin, clampMax;
  if (clamp) {
    IntRange range{params->qmin, params->qmax};
    clampMin = clampBound(b,
                          quantizeValue(clamp->first, params->scale,
                                        params->zeroPoint, range,
                                        RoundingMode::HalfEven),
                          bits);
    clampMax = clampBound(b,
                          quantizeValue(clamp->second, params->scale,
                                        params->zeroPoint, range,
                                        RoundingMode::HalfEven),
                          bits);
  }
  Value result = RequantizeOp::create(
      b, loc, resultType.clone(b.getIntegerType(bits)), sum,
      b.getDenseI32ArrayAttr({outScale->multiplier}),
      b.getDenseI32ArrayAttr({outScale->shift}), IntegerAttr(),
      b.getI32IntegerAttr(0), b.getI32IntegerAttr(params->zeroPoint), clampMin,
      clampMax, RequantRoundingAttr::get(b.getContext(), settings.rounding));
  output.replaceAllUsesWith(
      dequantized(b, loc, {result, *params, bits}, resultType));
  if (clampOp) {
    next = clampOp->getNextNode();
    clampOp->erase();
  }
  add->erase();
  return next;
}

/// A remark on every op that stays float although it reads a quantized
/// value (a layer that could not be quantized already has one).
void QntQuantizePass::remarkFloatConsumers(func::FuncOp func) {
  func.walk([&](DequantizeOp dequantize) {
    for (Operation *user : dequantize->getUsers()) {
      if (isa<func::ReturnOp, QuantizeOp, ObserveOp>(user) ||
          !remarked.insert(user).second)
        continue;
      user->emitRemark("stays float: qnt-quantize has no integer form of '")
          << user->getName() << "' here; its input is dequantized";
    }
  });
}

void QntQuantizePass::runOnOperation() {
  ModuleOp module = getOperation();
  if (failed(parseOptions()))
    return signalPassFailure();
  for (const ObservedValue &observed : getObservedValues(module))
    ids[observed.value] = observed.id;

  // Unsigned quantizers that only feed dequantizers become the equal signed
  // ones (signedParams), so the integer path is signed throughout.
  module.walk([&](QuantizeOp quantize) {
    auto type = dyn_cast<quant::UniformQuantizedType>(
        quantize.getOutput().getType().getElementType());
    if (!type || type.isSigned() ||
        !llvm::all_of(quantize->getUsers(), llvm::IsaPred<DequantizeOp>))
      return;
    auto params = signedParams(type, type.getScale(), type.getZeroPoint());
    if (!params)
      return;
    const QuantParams &p = params->first;
    auto signedType = quant::UniformQuantizedType::get(
        quant::QuantizationFlags::Signed, type.getStorageType(),
        type.getExpressedType(), p.scale, p.zeroPoint, p.qmin, p.qmax);
    quantize.getOutput().setType(
        quantize.getOutput().getType().clone(signedType));
  });

  bool failedLayer = false;
  module.walk([&](func::FuncOp func) {
    if (func.isExternal())
      return;
    SmallVector<Operation *> layers;
    for (Operation &op : func.getBody().front())
      if (isLayerOp(&op))
        layers.push_back(&op);
    Operation *first = layers.empty() ? nullptr : layers.front();
    Operation *last = layers.empty() ? nullptr : layers.back();

    Block &body = func.getBody().front();
    for (Operation *op = &body.front(); op;) {
      if (!isLayerOp(op)) {
        op = propagate(op);
        continue;
      }
      FailureOr<Operation *> next =
          quantizeLayer(op, op == first || op == last);
      if (failed(next)) {
        failedLayer = true;
        op = op->getNextNode();
        continue;
      }
      op = *next;
    }
  });
  if (failedLayer)
    return signalPassFailure();

  // Leftover dequantize -> quantize pairs.
  SmallVector<Operation *> quantizes;
  module.walk([&](QuantizeOp op) { quantizes.push_back(op); });
  RewritePatternSet patterns(&getContext());
  patterns.add<FoldDequantizeQuantizePair>(&getContext(), settings.rounding);
  GreedyRewriteConfig config;
  config.setStrictness(GreedyRewriteStrictness::ExistingOps);
  config.enableFolding(false);
  if (failed(applyOpPatternsGreedily(quantizes, std::move(patterns), config)))
    return signalPassFailure();

  // Unused casts and quantizers (this pass made most of them).
  module.walk([&](func::FuncOp func) {
    if (func.isExternal())
      return;
    for (Operation &op :
         llvm::make_early_inc_range(llvm::reverse(func.getBody().front())))
      if (isa<DequantizeOp, QuantizeOp, quant::StorageCastOp>(op) &&
          op.use_empty())
        op.erase();
    remarkFloatConsumers(func);
  });
}
