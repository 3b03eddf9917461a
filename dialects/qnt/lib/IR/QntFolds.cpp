//===- QntFolds.cpp - qnt constant folders --------------------------------===//
//
// Folders evaluate qnt ops on constants with the shared numerics, so a folded
// value is bit-identical to what the lowered op computes. Nothing here folds
// a non-constant quantize/dequantize pair: that would erase the rounding.
// The one fold of a non-constant, qnt.binarize of a symmetric dequantize, and
// the canonicalization of a binarize of its max pool are exact: they read the
// storage integers, whose signs are the floats' signs.
//
//===----------------------------------------------------------------------===//

#include "qnt/IR/QntOps.h"
#include "qnt/Utils/Numerics.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::qnt;

/// Scale and zero point of element `flatIndex` of a tensor of `type`.
namespace {
struct ElementQuantParams {
  double scale;
  int64_t zeroPoint;
};

class QuantParamsLookup {
public:
  QuantParamsLookup(quant::QuantizedType qType, ArrayRef<int64_t> shape)
      : qType(qType) {
    if (auto axisType = dyn_cast<quant::UniformQuantizedPerAxisType>(qType)) {
      int64_t axis = axisType.getQuantizedDimension();
      axisSize = shape[axis];
      axisStride = 1;
      for (int64_t d : shape.drop_front(axis + 1))
        axisStride *= d;
      scales = axisType.getScales();
      zeroPoints = axisType.getZeroPoints();
    } else {
      auto uniform = cast<quant::UniformQuantizedType>(qType);
      scale = uniform.getScale();
      zeroPoint = uniform.getZeroPoint();
    }
  }

  ElementQuantParams at(int64_t flatIndex) const {
    if (scales.empty())
      return {scale, zeroPoint};
    int64_t c = (flatIndex / axisStride) % axisSize;
    return {scales[c], zeroPoints[c]};
  }

  IntRange range() const {
    return {qType.getStorageTypeMin(), qType.getStorageTypeMax()};
  }

private:
  quant::QuantizedType qType;
  double scale = 1.0;
  int64_t zeroPoint = 0;
  ArrayRef<double> scales;
  ArrayRef<int64_t> zeroPoints;
  int64_t axisSize = 1, axisStride = 1;
};
} // namespace

/// Returns the elements of a constant float operand as doubles.
static std::optional<SmallVector<double>> getFloatValues(Attribute attr) {
  auto dense = dyn_cast_if_present<DenseFPElementsAttr>(attr);
  if (!dense)
    return std::nullopt;
  SmallVector<double> values;
  values.reserve(dense.getNumElements());
  for (const APFloat &v : dense.getValues<APFloat>())
    values.push_back(v.convertToDouble());
  return values;
}

/// Returns the elements of a constant integer operand, sign- or
/// zero-extended as `isSigned` says.
static std::optional<SmallVector<int64_t>> getIntValues(Attribute attr,
                                                        bool isSigned) {
  auto dense = dyn_cast_if_present<DenseIntElementsAttr>(attr);
  if (!dense)
    return std::nullopt;
  SmallVector<int64_t> values;
  values.reserve(dense.getNumElements());
  for (const APInt &v : dense.getValues<APInt>())
    values.push_back(isSigned ? v.getSExtValue() : int64_t(v.getZExtValue()));
  return values;
}

/// Builds a float elements attribute of `type` from doubles, rounding each to
/// the element type once (nearest even).
static DenseElementsAttr makeFloatAttr(ShapedType type,
                                       ArrayRef<double> values) {
  auto floatType = cast<FloatType>(type.getElementType());
  SmallVector<APFloat> floats;
  floats.reserve(values.size());
  for (double v : values) {
    APFloat f(v);
    bool losesInfo = false;
    (void)f.convert(floatType.getFloatSemantics(),
                    APFloat::rmNearestTiesToEven, &losesInfo);
    floats.push_back(f);
  }
  return DenseElementsAttr::get(type, floats);
}

static DenseElementsAttr makeIntAttr(ShapedType type,
                                     ArrayRef<int64_t> values) {
  unsigned width = type.getElementTypeBitWidth();
  SmallVector<APInt> ints;
  ints.reserve(values.size());
  for (int64_t v : values)
    ints.push_back(APInt(width, v, /*isSigned=*/true, /*implicitTrunc=*/true));
  return DenseElementsAttr::get(type, ints);
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

/// A folded value is an elements attribute of the result type, which needs a
/// static shape (a constant operand may feed a dynamically shaped result).
static bool hasStaticResult(Operation *op) {
  return cast<ShapedType>(op->getResult(0).getType()).hasStaticShape();
}

OpFoldResult QuantizeOp::fold(FoldAdaptor adaptor) {
  if (!hasStaticResult(*this))
    return {};
  auto values = getFloatValues(adaptor.getInput());
  if (!values)
    return {};
  auto resultType = getOutput().getType();
  auto qType = cast<quant::QuantizedType>(resultType.getElementType());
  QuantParamsLookup params(qType, resultType.getShape());
  SmallVector<int64_t> quantized;
  quantized.reserve(values->size());
  for (auto [i, x] : llvm::enumerate(*values)) {
    ElementQuantParams p = params.at(i);
    quantized.push_back(
        quantizeValue(x, p.scale, p.zeroPoint, params.range(), getRounding()));
  }
  auto storageType = resultType.clone(qType.getStorageType());
  return makeIntAttr(storageType, quantized);
}

OpFoldResult DequantizeOp::fold(FoldAdaptor adaptor) {
  if (!hasStaticResult(*this))
    return {};
  auto inputType = getInput().getType();
  auto qType = cast<quant::QuantizedType>(inputType.getElementType());
  auto stored = getIntValues(adaptor.getInput(), qType.isSigned());
  if (!stored)
    return {};
  QuantParamsLookup params(qType, inputType.getShape());
  SmallVector<double> values;
  values.reserve(stored->size());
  for (auto [i, q] : llvm::enumerate(*stored)) {
    ElementQuantParams p = params.at(i);
    values.push_back(dequantizeValue(q, p.scale, p.zeroPoint));
  }
  return makeFloatAttr(getOutput().getType(), values);
}

OpFoldResult FakeQuantOp::fold(FoldAdaptor adaptor) {
  if (!hasStaticResult(*this))
    return {};
  auto values = getFloatValues(adaptor.getInput());
  if (!values)
    return {};
  auto type = getInput().getType();
  auto qType = cast<quant::QuantizedType>(getQuantType());
  QuantParamsLookup params(qType, type.getShape());
  SmallVector<double> result;
  result.reserve(values->size());
  for (auto [i, x] : llvm::enumerate(*values)) {
    ElementQuantParams p = params.at(i);
    int64_t q =
        quantizeValue(x, p.scale, p.zeroPoint, params.range(), getRounding());
    result.push_back(dequantizeValue(q, p.scale, p.zeroPoint));
  }
  return makeFloatAttr(type, result);
}

OpFoldResult RequantizeOp::fold(FoldAdaptor adaptor) {
  if (!hasStaticResult(*this))
    return {};
  auto values = getIntValues(adaptor.getInput(), /*isSigned=*/true);
  if (!values)
    return {};
  auto type = getInput().getType();
  ArrayRef<int32_t> multiplier = getMultiplier(), shift = getShift();
  int64_t axisStride = 1, axisSize = 1;
  if (multiplier.size() > 1) {
    int64_t axis = *getAxis();
    axisSize = type.getDimSize(axis);
    for (int64_t d : type.getShape().drop_front(axis + 1))
      axisStride *= d;
  }
  IntRange clamp{getClampMinOrDefault(), getClampMaxOrDefault()};
  bool doubleRound = getRounding() == RequantRounding::DoubleRound;
  SmallVector<int64_t> result;
  result.reserve(values->size());
  for (auto [i, v] : llvm::enumerate(*values)) {
    int64_t c = (int64_t(i) / axisStride) % axisSize;
    result.push_back(requantizeValue(v, getInputZp(),
                                     {multiplier[c], shift[c]}, doubleRound,
                                     getOutputZp(), clamp));
  }
  return makeIntAttr(getOutput().getType(), result);
}

/// The storage integers `q` of `dequantize(quant.scast(q))` when every zero
/// point is 0 and every scale positive: then `s * q < 0` exactly when
/// `q < 0`, so the sign of the integers is the sign of the floats.
/// `perAxisOnly`, if set, is the one axis a per-axis type may have.
static Value signPreservingStorage(Value input,
                                   std::optional<int64_t> perAxisOnly = {}) {
  auto dequantize = input.getDefiningOp<DequantizeOp>();
  if (!dequantize)
    return {};
  auto storageCast =
      dequantize.getInput().getDefiningOp<quant::StorageCastOp>();
  if (!storageCast ||
      !isa<IntegerType>(getElementTypeOrSelf(storageCast.getInput())))
    return {};
  auto qType = cast<quant::QuantizedType>(
      getElementTypeOrSelf(dequantize.getInput().getType()));
  if (!qType.isSigned())
    return {};
  if (auto axisType = dyn_cast<quant::UniformQuantizedPerAxisType>(qType)) {
    if ((perAxisOnly && axisType.getQuantizedDimension() != *perAxisOnly) ||
        llvm::any_of(axisType.getZeroPoints(),
                     [](int64_t zeroPoint) { return zeroPoint != 0; }) ||
        llvm::any_of(axisType.getScales(),
                     [](double scale) { return !(scale > 0); }))
      return {};
    return storageCast.getInput();
  }
  auto uniform = dyn_cast<quant::UniformQuantizedType>(qType);
  if (!uniform || uniform.getZeroPoint() != 0 || !(uniform.getScale() > 0))
    return {};
  return storageCast.getInput();
}

OpFoldResult BinarizeOp::fold(FoldAdaptor adaptor) {
  // Sign of a symmetric dequantized tensor: binarize the integers in place.
  if (Value storage = signPreservingStorage(getInput())) {
    getInputMutable().assign(storage);
    return getOutput();
  }
  if (!hasStaticResult(*this))
    return {};
  auto inputType = getInput().getType();
  std::optional<SmallVector<double>> values;
  if (auto intType = dyn_cast<IntegerType>(inputType.getElementType())) {
    if (auto ints = getIntValues(adaptor.getInput(), !intType.isUnsigned()))
      values = SmallVector<double>(ints->begin(), ints->end());
  } else {
    values = getFloatValues(adaptor.getInput());
  }
  if (!values)
    return {};
  int64_t k = inputType.getShape().back();
  int64_t words = packedWords(k);
  int64_t rows = ShapedType::getNumElements(inputType.getShape().drop_back());
  SmallVector<uint32_t> packed(rows * words);
  for (int64_t r = 0; r < rows; ++r)
    packSignBits(ArrayRef<double>(*values).slice(r * k, k),
                 MutableArrayRef<uint32_t>(packed).slice(r * words, words));
  return makeIntAttr(getOutput().getType(),
                     SmallVector<int64_t>(packed.begin(), packed.end()));
}

namespace {
/// The sign of a max pool of symmetric dequantized values is the sign of the
/// max pool of their integers (max commutes with a positive scale per tensor
/// or per channel, and the pool's padding is the smallest value in both):
///   binarize(max_pool2d(dequantize(quant.scast(q))))
///     -> binarize(max_pool2d(q))
struct BinarizePooledStorage : OpRewritePattern<BinarizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BinarizeOp op,
                                PatternRewriter &rewriter) const override {
    auto pool = op.getInput().getDefiningOp<tosa::MaxPool2dOp>();
    if (!pool || !pool->hasOneUse())
      return rewriter.notifyMatchFailure(op, "input is not a max pool");
    auto poolType = cast<RankedTensorType>(pool.getType());
    Value storage =
        signPreservingStorage(pool.getInput(), poolType.getRank() - 1);
    if (!storage)
      return rewriter.notifyMatchFailure(
          op, "pool input is not a symmetric dequantize along the channels");
    auto intPool = tosa::MaxPool2dOp::create(
        rewriter, pool.getLoc(),
        poolType.clone(getElementTypeOrSelf(storage)), storage,
        pool.getKernelAttr(), pool.getStrideAttr(), pool.getPadAttr(),
        pool.getNanModeAttr());
    rewriter.modifyOpInPlace(
        op, [&] { op.getInputMutable().assign(intPool.getResult()); });
    return success();
  }
};
} // namespace

void BinarizeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                             MLIRContext *context) {
  patterns.add<BinarizePooledStorage>(context);
}

OpFoldResult UnpackOp::fold(FoldAdaptor adaptor) {
  if (!hasStaticResult(*this))
    return {};
  auto stored = getIntValues(adaptor.getInput(), /*isSigned=*/false);
  if (!stored)
    return {};
  auto outputType = getOutput().getType();
  int64_t k = outputType.getShape().back();
  int64_t words = packedWords(k);
  int64_t rows = ShapedType::getNumElements(outputType.getShape().drop_back());
  SmallVector<uint32_t> packed(stored->begin(), stored->end());
  SmallVector<int64_t> values;
  values.reserve(rows * k);
  for (int64_t r = 0; r < rows; ++r) {
    ArrayRef<uint32_t> row = ArrayRef<uint32_t>(packed).slice(r * words, words);
    for (int64_t i = 0; i < k; ++i)
      values.push_back(packedBit(row, i) ? -1 : 1);
  }
  if (isa<FloatType>(outputType.getElementType()))
    return makeFloatAttr(outputType,
                         SmallVector<double>(values.begin(), values.end()));
  return makeIntAttr(outputType, values);
}
