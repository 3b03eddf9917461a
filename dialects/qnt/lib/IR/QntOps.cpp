//===- QntOps.cpp - qnt op verifiers and helpers --------------------------===//
//
// Verifiers reject every malformed use with a message that prints the
// offending values. Folders live in QntFolds.cpp.
//
//===----------------------------------------------------------------------===//

#include "qnt/IR/QntOps.h"
#include "qnt/Utils/Numerics.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::qnt;

#define GET_OP_CLASSES
#include "qnt/IR/QntOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared checks
//===----------------------------------------------------------------------===//

/// Checks that `quantType` (a tensor of !quant.uniform) describes `floatType`.
static LogicalResult verifyQuantizedPair(Operation *op,
                                         RankedTensorType floatType,
                                         RankedTensorType quantType) {
  if (failed(verifyCompatibleShape(floatType.getShape(), quantType.getShape())))
    return op->emitOpError("float shape ")
           << floatType << " does not match quantized shape " << quantType;
  auto qType = dyn_cast<quant::UniformQuantizedType>(quantType.getElementType());
  auto axisType =
      dyn_cast<quant::UniformQuantizedPerAxisType>(quantType.getElementType());
  if (!qType && !axisType)
    return op->emitOpError("expects a !quant.uniform element type, got ")
           << quantType.getElementType();
  auto elemType = cast<quant::QuantizedType>(quantType.getElementType());
  if (elemType.getExpressedType() != floatType.getElementType())
    return op->emitOpError("expressed type ")
           << elemType.getExpressedType() << " does not match float type "
           << floatType.getElementType();
  if (axisType) {
    int64_t axis = axisType.getQuantizedDimension();
    if (axis >= quantType.getRank())
      return op->emitOpError("quantized dimension ")
             << axis << " is out of range for rank " << quantType.getRank();
    int64_t dim = quantType.getDimSize(axis);
    int64_t numScales = axisType.getScales().size();
    if (!ShapedType::isDynamic(dim) && dim != numScales)
      return op->emitOpError("has ")
             << numScales << " scales but dimension " << axis << " has size "
             << dim;
  }
  return success();
}

/// Integer element types of the compute ops: signless (signed) or unsigned,
/// 2 to 8 bits.
static LogicalResult verifyComputeElement(Operation *op, StringRef name,
                                          Type type) {
  auto intType = dyn_cast<IntegerType>(type);
  if (!intType || intType.isSigned() || intType.getWidth() < 2 ||
      intType.getWidth() > 8)
    return op->emitOpError() << name
                             << " element type must be a signless or unsigned "
                                "integer of 2 to 8 bits, got "
                             << type;
  return success();
}

static IntRange rangeOf(IntegerType type) {
  return storageRange(type.getWidth(), !type.isUnsigned());
}

static LogicalResult verifyZeroPoint(Operation *op, StringRef name,
                                     int32_t zp, IntegerType type) {
  IntRange range = rangeOf(type);
  if (zp < range.min || zp > range.max)
    return op->emitOpError() << name << " " << zp << " is outside the range ["
                             << range.min << ", " << range.max << "] of "
                             << type;
  return success();
}

/// Spatial output size of a convolution window along one axis, or 0 when the
/// (dilated) window does not fit the padded input. The span is checked before
/// dividing: C++ division truncates toward zero, so a span of -1 with stride 2
/// would otherwise give a size of 1.
static int64_t convOutputSize(int64_t in, int64_t kernel, int64_t stride,
                              int64_t padBefore, int64_t padAfter,
                              int64_t dilation) {
  int64_t span = in + padBefore + padAfter - dilation * (kernel - 1) - 1;
  if (span < 0)
    return 0;
  return span / stride + 1;
}

/// Checks stride/pad/dilation arrays and, for static sizes, that the result
/// has the spatial size the window arithmetic gives.
static LogicalResult verifyWindow(Operation *op, ArrayRef<int64_t> stride,
                                  ArrayRef<int64_t> pad,
                                  ArrayRef<int64_t> dilation,
                                  ArrayRef<int64_t> inShape,
                                  ArrayRef<int64_t> kernel,
                                  ArrayRef<int64_t> outShape) {
  if (stride.size() != 2 || dilation.size() != 2 || pad.size() != 4)
    return op->emitOpError("expects stride and dilation of 2 values and pad "
                           "of 4 (top, bottom, left, right)");
  if (llvm::any_of(stride, [](int64_t s) { return s < 1; }) ||
      llvm::any_of(dilation, [](int64_t d) { return d < 1; }))
    return op->emitOpError("stride and dilation must be positive");
  if (llvm::any_of(pad, [](int64_t p) { return p < 0; }))
    return op->emitOpError("pad must be non-negative");
  for (int i = 0; i < 2; ++i) {
    int64_t in = inShape[1 + i], k = kernel[i], out = outShape[1 + i];
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(k))
      continue;
    int64_t expected = convOutputSize(in, k, stride[i], pad[2 * i],
                                      pad[2 * i + 1], dilation[i]);
    if (expected < 1)
      return op->emitOpError("window of size ")
             << dilation[i] * (k - 1) + 1
             << " does not fit the padded input of size "
             << in + pad[2 * i] + pad[2 * i + 1];
    if (!ShapedType::isDynamic(out) && out != expected)
      return op->emitOpError("expected output spatial size ")
             << expected << " along dimension " << (1 + i) << ", got " << out;
  }
  return success();
}

static bool dimsMatch(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::verify() {
  auto resultType = getOutput().getType();
  auto qType = cast<quant::QuantizedType>(resultType.getElementType());
  auto valueType = cast<ShapedType>(getValue().getType());
  if (valueType.getShape() != resultType.getShape())
    return emitOpError("value shape ")
           << valueType << " does not match result shape " << resultType;
  if (valueType.getElementType() != qType.getStorageType())
    return emitOpError("value element type ")
           << valueType.getElementType() << " must be the storage type "
           << qType.getStorageType();
  auto ints = dyn_cast<DenseIntElementsAttr>(getValue());
  if (!ints)
    return emitOpError("value must be a dense integer elements attribute");
  for (const APInt &v : ints.getValues<APInt>()) {
    int64_t q = qType.isSigned() ? v.getSExtValue() : int64_t(v.getZExtValue());
    if (q < qType.getStorageTypeMin() || q > qType.getStorageTypeMax())
      return emitOpError("stored value ")
             << q << " is outside the storage range ["
             << qType.getStorageTypeMin() << ", " << qType.getStorageTypeMax()
             << "]";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Quantizers
//===----------------------------------------------------------------------===//

LogicalResult QuantizeOp::verify() {
  return verifyQuantizedPair(*this, getInput().getType(),
                             getOutput().getType());
}

LogicalResult DequantizeOp::verify() {
  return verifyQuantizedPair(*this, getOutput().getType(),
                             getInput().getType());
}

LogicalResult FakeQuantOp::verify() {
  auto inputType = getInput().getType();
  auto qType = dyn_cast<quant::QuantizedType>(getQuantType());
  if (!qType || !isa<quant::UniformQuantizedType,
                     quant::UniformQuantizedPerAxisType>(qType))
    return emitOpError("quant_type must be a !quant.uniform type, got ")
           << getQuantType();
  auto quantTensor = RankedTensorType::get(inputType.getShape(), qType);
  return verifyQuantizedPair(*this, inputType, quantTensor);
}

//===----------------------------------------------------------------------===//
// BatchNormOp / ObserveOp
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::verify() {
  auto inputType = getInput().getType();
  int64_t axis = getAxis();
  if (axis < 0 || axis >= inputType.getRank())
    return emitOpError("axis ") << axis << " is out of range for rank "
                                << inputType.getRank();
  auto paramType = getGamma().getType();
  if (paramType.getRank() != 1)
    return emitOpError("parameters must be 1-D, got ") << paramType;
  if (paramType.getElementType() != inputType.getElementType())
    return emitOpError("parameter element type ")
           << paramType.getElementType() << " does not match input element type "
           << inputType.getElementType();
  if (!dimsMatch(paramType.getDimSize(0), inputType.getDimSize(axis)))
    return emitOpError("parameters have ")
           << paramType.getDimSize(0) << " channels but the input has "
           << inputType.getDimSize(axis) << " along axis " << axis;
  double epsilon = getEpsilon().convertToDouble();
  if (!(epsilon >= 0)) // also rejects NaN
    return emitOpError("epsilon must be non-negative, got ") << epsilon;
  return success();
}

LogicalResult ObserveOp::verify() {
  if (getId().empty())
    return emitOpError("id must not be empty");
  // I64Attr getters return uint64_t; a negative count must not wrap.
  int64_t bins = getBins();
  if (bins < 1)
    return emitOpError("bins must be positive, got ") << bins;
  return success();
}

void ObserveOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  // Recording statistics is a write to the calibration state.
  effects.emplace_back(MemoryEffects::Write::get());
}

//===----------------------------------------------------------------------===//
// RequantizeOp
//===----------------------------------------------------------------------===//

static IntRange requantOutputRange(RequantizeOp op) {
  return rangeOf(cast<IntegerType>(op.getOutput().getType().getElementType()));
}

int64_t RequantizeOp::getClampMinOrDefault() {
  // I32Attr getters return uint32_t; the clamp is signed.
  if (auto v = getClampMin())
    return int32_t(*v);
  return requantOutputRange(*this).min;
}

int64_t RequantizeOp::getClampMaxOrDefault() {
  if (auto v = getClampMax())
    return int32_t(*v);
  return requantOutputRange(*this).max;
}

LogicalResult RequantizeOp::verify() {
  auto inputType = getInput().getType();
  auto outputType = getOutput().getType();
  auto outElem = cast<IntegerType>(outputType.getElementType());
  if (outElem.isSigned() || outElem.getWidth() < 2 || outElem.getWidth() > 32)
    return emitOpError("output element type must be a signless or unsigned "
                       "integer of 2 to 32 bits, got ")
           << outElem;
  if (failed(verifyCompatibleShape(inputType.getShape(), outputType.getShape())))
    return emitOpError("input shape ")
           << inputType << " does not match output shape " << outputType;
  ArrayRef<int32_t> multiplier = getMultiplier(), shift = getShift();
  if (multiplier.empty() || multiplier.size() != shift.size())
    return emitOpError("multiplier and shift must be non-empty and of equal "
                       "length, got ")
           << multiplier.size() << " and " << shift.size();
  if (multiplier.size() > 1) {
    if (!getAxis())
      return emitOpError("per-channel multipliers need an axis");
    int64_t axis = *getAxis();
    if (axis < 0 || axis >= inputType.getRank())
      return emitOpError("axis ") << axis << " is out of range for rank "
                                  << inputType.getRank();
    int64_t dim = inputType.getDimSize(axis);
    if (!ShapedType::isDynamic(dim) && dim != int64_t(multiplier.size()))
      return emitOpError("has ") << multiplier.size()
                                 << " multipliers but dimension " << axis
                                 << " has size " << dim;
  }
  for (auto [m, s] : llvm::zip_equal(multiplier, shift)) {
    if (m < 0)
      return emitOpError("multiplier ") << m << " must be non-negative";
    if (s < 2 || s > 62)
      return emitOpError("shift ") << s << " must be in [2, 62]";
  }
  if (failed(verifyZeroPoint(*this, "output_zp", getOutputZp(), outElem)))
    return failure();
  IntRange range = rangeOf(outElem);
  int64_t lo = getClampMinOrDefault(), hi = getClampMaxOrDefault();
  if (lo < range.min || hi > range.max || lo > hi)
    return emitOpError("clamp [")
           << lo << ", " << hi << "] must be ordered and within the range ["
           << range.min << ", " << range.max << "] of " << outElem;
  return success();
}

//===----------------------------------------------------------------------===//
// Conv2DOp / MatmulOp
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::verify() {
  auto inputType = getInput().getType();
  auto filterType = getFilter().getType();
  auto outputType = getOutput().getType();
  if (inputType.getRank() != 4 || filterType.getRank() != 4 ||
      outputType.getRank() != 4)
    return emitOpError("expects 4-D input (NHWC), filter (OHWI) and output");
  if (failed(verifyComputeElement(*this, "input",
                                  inputType.getElementType())) ||
      failed(verifyComputeElement(*this, "filter",
                                  filterType.getElementType())))
    return failure();
  if (failed(verifyZeroPoint(*this, "input_zp", getInputZp(),
                             cast<IntegerType>(inputType.getElementType()))) ||
      failed(verifyZeroPoint(*this, "filter_zp", getFilterZp(),
                             cast<IntegerType>(filterType.getElementType()))))
    return failure();
  int64_t groups = getGroups();
  if (groups < 1)
    return emitOpError("groups must be positive, got ") << groups;
  int64_t channels = inputType.getDimSize(3);
  int64_t filterChannels = filterType.getDimSize(3);
  int64_t outChannels = filterType.getDimSize(0);
  if (!ShapedType::isDynamic(channels)) {
    if (channels % groups != 0)
      return emitOpError("input channels ")
             << channels << " are not divisible by groups " << groups;
    if (!dimsMatch(filterChannels, channels / groups))
      return emitOpError("filter has ")
             << filterChannels << " input channels, expected "
             << channels / groups << " (input channels / groups)";
  }
  if (!ShapedType::isDynamic(outChannels) && outChannels % groups != 0)
    return emitOpError("output channels ")
           << outChannels << " are not divisible by groups " << groups;
  if (!dimsMatch(outputType.getDimSize(0), inputType.getDimSize(0)) ||
      !dimsMatch(outputType.getDimSize(3), outChannels))
    return emitOpError("output ")
           << outputType << " must be [N, OH, OW, O] for input " << inputType
           << " and filter " << filterType;
  if (Value bias = getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getRank() != 1 ||
        !dimsMatch(biasType.getDimSize(0), outChannels))
      return emitOpError("bias must be 1-D with ")
             << outChannels << " elements, got " << biasType;
  }
  return verifyWindow(*this, getStride(), getPad(), getDilation(),
                      inputType.getShape(), filterType.getShape().slice(1, 2),
                      outputType.getShape());
}

LogicalResult MatmulOp::verify() {
  auto lhsType = getLhs().getType();
  auto rhsType = getRhs().getType();
  auto outputType = getOutput().getType();
  if (lhsType.getRank() != 2 || rhsType.getRank() != 2 ||
      outputType.getRank() != 2)
    return emitOpError("expects 2-D lhs [M, K], rhs [N, K] and output [M, N]");
  if (failed(verifyComputeElement(*this, "lhs", lhsType.getElementType())) ||
      failed(verifyComputeElement(*this, "rhs", rhsType.getElementType())))
    return failure();
  if (failed(verifyZeroPoint(*this, "lhs_zp", getLhsZp(),
                             cast<IntegerType>(lhsType.getElementType()))) ||
      failed(verifyZeroPoint(*this, "rhs_zp", getRhsZp(),
                             cast<IntegerType>(rhsType.getElementType()))))
    return failure();
  if (!dimsMatch(lhsType.getDimSize(1), rhsType.getDimSize(1)))
    return emitOpError("contraction sizes differ: lhs K = ")
           << lhsType.getDimSize(1) << ", rhs K = " << rhsType.getDimSize(1);
  if (!dimsMatch(outputType.getDimSize(0), lhsType.getDimSize(0)) ||
      !dimsMatch(outputType.getDimSize(1), rhsType.getDimSize(0)))
    return emitOpError("output ") << outputType << " must be [M, N] = ["
                                  << lhsType.getDimSize(0) << ", "
                                  << rhsType.getDimSize(0) << "]";
  if (Value bias = getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getRank() != 1 ||
        !dimsMatch(biasType.getDimSize(0), rhsType.getDimSize(0)))
      return emitOpError("bias must be 1-D with ")
             << rhsType.getDimSize(0) << " elements, got " << biasType;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

/// Checks that `packed` holds ceil(k / 32) words in its last dimension.
static LogicalResult verifyPackedDepth(Operation *op, StringRef name,
                                       RankedTensorType packed, int64_t k) {
  int64_t words = packed.getShape().back();
  if (!ShapedType::isDynamic(words) && words != packedWords(k))
    return op->emitOpError() << name << " has " << words
                             << " words in its last dimension, expected "
                             << packedWords(k) << " for depth " << k;
  return success();
}

/// Checks that every dimension but the last agrees.
static LogicalResult verifyLeadingDims(Operation *op, RankedTensorType a,
                                       RankedTensorType b) {
  if (a.getRank() != b.getRank() || a.getRank() == 0)
    return op->emitOpError("input and output must have the same non-zero "
                           "rank, got ")
           << a << " and " << b;
  for (int64_t i = 0, e = a.getRank() - 1; i < e; ++i)
    if (!dimsMatch(a.getDimSize(i), b.getDimSize(i)))
      return op->emitOpError("dimension ") << i << " differs: " << a << " vs "
                                           << b;
  return success();
}

static std::optional<float> toFloat(std::optional<APFloat> value) {
  if (!value)
    return std::nullopt;
  return value->convertToFloat();
}

/// The epilogue rules shared by bconv2d and bmatmul (see the op docs).
static LogicalResult
verifyBinaryEpilogue(Operation *op, RankedTensorType outputType,
                     int64_t outChannels,
                     std::optional<ArrayRef<float>> multiplier,
                     std::optional<ArrayRef<float>> bias,
                     std::optional<ArrayRef<int32_t>> thresholds,
                     std::optional<float> clampMin,
                     std::optional<float> clampMax) {
  int64_t last = outputType.getShape().back();
  auto checkLength = [&](StringRef name, size_t size) -> LogicalResult {
    if (!ShapedType::isDynamic(outChannels) && int64_t(size) != outChannels)
      return op->emitOpError() << name << " has " << size
                               << " entries, expected " << outChannels
                               << " (one per output channel)";
    return success();
  };
  if (outputType.getElementType().isF32()) {
    if (thresholds)
      return op->emitOpError("thresholds need a packed i32 result");
    if (!dimsMatch(last, outChannels))
      return op->emitOpError("output has ")
             << last << " channels, expected " << outChannels;
    if (multiplier && failed(checkLength("multiplier", multiplier->size())))
      return failure();
    if (bias && failed(checkLength("bias", bias->size())))
      return failure();
    if (clampMin && clampMax && *clampMin > *clampMax)
      return op->emitOpError("clamp_min ")
             << *clampMin << " exceeds clamp_max " << *clampMax;
    return success();
  }
  if (multiplier || bias || clampMin || clampMax)
    return op->emitOpError("multiplier, bias and clamp need an f32 result");
  if (!thresholds) {
    if (!dimsMatch(last, outChannels))
      return op->emitOpError("raw i32 output has ")
             << last << " channels, expected " << outChannels;
    return success();
  }
  if (failed(checkLength("thresholds", thresholds->size())))
    return failure();
  if (!ShapedType::isDynamic(outChannels) &&
      failed(verifyPackedDepth(op, "packed output", outputType, outChannels)))
    return failure();
  return success();
}

LogicalResult BinarizeOp::verify() {
  auto inputType = getInput().getType();
  auto outputType = getOutput().getType();
  if (failed(verifyLeadingDims(*this, inputType, outputType)))
    return failure();
  int64_t k = inputType.getShape().back();
  if (ShapedType::isDynamic(k))
    return success();
  return verifyPackedDepth(*this, "output", outputType, k);
}

LogicalResult UnpackOp::verify() {
  auto inputType = getInput().getType();
  auto outputType = getOutput().getType();
  if (failed(verifyLeadingDims(*this, inputType, outputType)))
    return failure();
  // i1 cannot hold both +1 and -1 (it would unpack every bit to 1).
  if (auto intType = dyn_cast<IntegerType>(outputType.getElementType());
      intType && intType.getWidth() < 2)
    return emitOpError("integer result must have at least 2 bits to hold +1 "
                       "and -1, got ")
           << intType;
  int64_t k = outputType.getShape().back();
  if (ShapedType::isDynamic(k))
    return emitOpError("the unpacked depth (last result dimension) must be "
                       "static");
  return verifyPackedDepth(*this, "input", inputType, k);
}

LogicalResult BConv2DOp::verify() {
  auto inputType = getInput().getType();
  auto filterType = getFilter().getType();
  auto outputType = getOutput().getType();
  if (inputType.getRank() != 4 || filterType.getRank() != 4 ||
      outputType.getRank() != 4)
    return emitOpError("expects 4-D packed input (NHWC), filter (OHWI) and "
                       "output");
  // I64Attr getters return uint64_t; a negative depth must not wrap.
  int64_t channels = getChannels();
  if (channels < 1)
    return emitOpError("channels must be positive, got ") << channels;
  if (failed(verifyPackedDepth(*this, "input", inputType, channels)) ||
      failed(verifyPackedDepth(*this, "filter", filterType, channels)))
    return failure();
  if (!dimsMatch(outputType.getDimSize(0), inputType.getDimSize(0)))
    return emitOpError("output batch ")
           << outputType.getDimSize(0) << " differs from input batch "
           << inputType.getDimSize(0);
  if (failed(verifyWindow(*this, getStride(), getPad(), getDilation(),
                          inputType.getShape(),
                          filterType.getShape().slice(1, 2),
                          outputType.getShape())))
    return failure();
  return verifyBinaryEpilogue(*this, outputType, filterType.getDimSize(0),
                              getMultiplier(), getBias(),
                              getThresholds(), toFloat(getClampMin()),
                              toFloat(getClampMax()));
}

LogicalResult BMatmulOp::verify() {
  auto lhsType = getLhs().getType();
  auto rhsType = getRhs().getType();
  auto outputType = getOutput().getType();
  if (lhsType.getRank() != 2 || rhsType.getRank() != 2 ||
      outputType.getRank() != 2)
    return emitOpError("expects 2-D packed lhs [M, words], rhs [N, words] and "
                       "output");
  int64_t k = getK(); // uint64_t getter: compare as signed
  if (k < 1)
    return emitOpError("k must be positive, got ") << k;
  if (failed(verifyPackedDepth(*this, "lhs", lhsType, k)) ||
      failed(verifyPackedDepth(*this, "rhs", rhsType, k)))
    return failure();
  if (!dimsMatch(outputType.getDimSize(0), lhsType.getDimSize(0)))
    return emitOpError("output rows ")
           << outputType.getDimSize(0) << " differ from lhs rows "
           << lhsType.getDimSize(0);
  return verifyBinaryEpilogue(*this, outputType, rhsType.getDimSize(0),
                              getMultiplier(), getBias(),
                              getThresholds(), toFloat(getClampMin()),
                              toFloat(getClampMax()));
}

LogicalResult BMaxPool2DOp::verify() {
  auto inputType = getInput().getType();
  auto outputType = getOutput().getType();
  if (inputType.getRank() != 4 || outputType.getRank() != 4)
    return emitOpError("expects 4-D packed input and output");
  ArrayRef<int64_t> kernel = getKernel();
  if (kernel.size() != 2 || llvm::any_of(kernel, [](int64_t k) {
        return k < 1;
      }))
    return emitOpError("kernel must be 2 positive sizes");
  ArrayRef<int64_t> pad = getPad();
  if (pad.size() == 4 && (pad[0] >= kernel[0] || pad[1] >= kernel[0] ||
                          pad[2] >= kernel[1] || pad[3] >= kernel[1]))
    return emitOpError("pads must be smaller than the kernel");
  if (!dimsMatch(outputType.getDimSize(0), inputType.getDimSize(0)) ||
      !dimsMatch(outputType.getDimSize(3), inputType.getDimSize(3)))
    return emitOpError("output ")
           << outputType << " must keep the batch and word count of "
           << inputType;
  SmallVector<int64_t> dilation = {1, 1};
  return verifyWindow(*this, getStride(), pad, dilation, inputType.getShape(),
                      kernel, outputType.getShape());
}
