//===- QntToCPU.cpp - integer qnt ops to linalg/arith/math ----------------===//
//
// The scalar reference lowering of the quantized qnt ops on tensors; each
// element computes exactly what qnt/Utils/Numerics.h computes.
//
// quantize: q = clamp(round(x / s) + z, lo, hi). Clamping round(x / s) to
// [lo - z, hi - z] in f64 before the integer conversion equals the scalar
// code (which saturates early when x / s is beyond the range) and keeps the
// conversion in range; infinities clamp and NaN is replaced by 0 first.
//
// requantize: see RequantizeArithmetic.cpp.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/Transforms/Passes.h"
#include "BinaryOps.h"
#include "IntegerKernels.h"
#include "RequantizeArithmetic.h"

#include "qnt/IR/QntOps.h"

#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qnt {
#define GEN_PASS_DEF_QNTLOWERTOCPUPASS
#include "quant-mlir/Transforms/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;

namespace {

/// Quantized element types become their signless storage integers and
/// unsigned/signed integers become signless ones of the same width.
class StorageTypeConverter : public TypeConverter {
public:
  StorageTypeConverter() {
    addConversion([](Type type) { return type; });
    addConversion([](IntegerType type) -> Type {
      return IntegerType::get(type.getContext(), type.getWidth());
    });
    addConversion([](quant::QuantizedType type) -> Type {
      return IntegerType::get(type.getContext(),
                              type.getStorageTypeIntegralWidth());
    });
    addConversion([this](RankedTensorType type) -> Type {
      return type.clone(convertType(type.getElementType()));
    });
  }
};

} // namespace

static Value floatConstant(OpBuilder &b, Location loc, Type type,
                           double value) {
  return arith::ConstantOp::create(b, loc, FloatAttr::get(type, value));
}

/// `value` in `type`'s bits: an unsigned zero point of 128 is -128 in i8.
static Value intConstant(OpBuilder &b, Location loc, Type type,
                         int64_t value) {
  APInt bits(type.getIntOrFloatBitWidth(), value, /*isSigned=*/true,
             /*implicitTrunc=*/true);
  return arith::ConstantOp::create(b, loc, IntegerAttr::get(type, bits));
}

/// A per-channel parameter: a scalar constant for one channel, else a 1-D
/// constant tensor that the element-wise generic reads along the axis.
struct Param {
  Type type;
  SmallVector<int64_t> ints;
  SmallVector<double> floats;
};

static Param intParam(OpBuilder &b, ArrayRef<int64_t> values) {
  return {b.getI64Type(), SmallVector<int64_t>(values), {}};
}

static Param floatParam(OpBuilder &b, ArrayRef<double> values) {
  return {b.getF64Type(), {}, SmallVector<double>(values)};
}

static size_t paramSize(const Param &p) {
  return p.ints.empty() ? p.floats.size() : p.ints.size();
}

/// Builds `out[i] = body(in[i], params[channel(i)])` as a linalg.generic.
/// `axis` selects the channel dimension when the parameters have more than
/// one value; otherwise they are scalar constants.
static Value buildElementwise(
    ConversionPatternRewriter &rewriter, Location loc, Value input,
    Type resultElementType, std::optional<int64_t> axis,
    ArrayRef<Param> params,
    function_ref<Value(OpBuilder &, Location, Value, ValueRange)> body) {
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t rank = inputType.getRank();
  Value init = tensor::EmptyOp::create(
      rewriter, loc, tensor::getMixedSizes(rewriter, loc, input),
      resultElementType);
  MLIRContext *context = rewriter.getContext();
  AffineMap identity = rewriter.getMultiDimIdentityMap(rank);

  bool perChannel = axis && llvm::any_of(params, [](const Param &p) {
                      return paramSize(p) > 1;
                    });
  SmallVector<Value> inputs = {input};
  SmallVector<Value> scalars;
  SmallVector<AffineMap> maps = {identity};
  for (const Param &p : params) {
    if (!perChannel) {
      scalars.push_back(
          p.ints.empty()
              ? floatConstant(rewriter, loc, p.type, p.floats.front())
              : intConstant(rewriter, loc, p.type, p.ints.front()));
      continue;
    }
    auto type = RankedTensorType::get({int64_t(paramSize(p))}, p.type);
    DenseElementsAttr values =
        p.ints.empty() ? DenseElementsAttr::get(type, ArrayRef(p.floats))
                       : DenseElementsAttr::get(type, ArrayRef(p.ints));
    inputs.push_back(arith::ConstantOp::create(rewriter, loc, values));
    maps.push_back(AffineMap::get(rank, 0, getAffineDimExpr(*axis, context)));
  }
  maps.push_back(identity);

  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
      iterators, [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
        SmallVector<Value> channel =
            perChannel ? SmallVector<Value>(args.slice(1, params.size()))
                       : scalars;
        linalg::YieldOp::create(b, bodyLoc,
                                body(b, bodyLoc, args.front(), channel));
      });
  return generic.getResult(0);
}

/// Scales and zero points of a per-tensor or per-axis quantized type.
static void quantParams(quant::QuantizedType type, SmallVector<double> &scales,
                        SmallVector<int64_t> &zeroPoints,
                        std::optional<int64_t> &axis) {
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    scales.assign(perAxis.getScales().begin(), perAxis.getScales().end());
    zeroPoints.assign(perAxis.getZeroPoints().begin(),
                      perAxis.getZeroPoints().end());
    axis = perAxis.getQuantizedDimension();
    return;
  }
  auto uniform = cast<quant::UniformQuantizedType>(type);
  scales = {uniform.getScale()};
  zeroPoints = {uniform.getZeroPoint()};
}

/// Sign- or zero-extends (per `isUnsigned`) or truncates an integer.
static Value castInt(OpBuilder &b, Location loc, Value value, Type to,
                     bool isUnsigned) {
  unsigned from = value.getType().getIntOrFloatBitWidth();
  unsigned width = to.getIntOrFloatBitWidth();
  if (from == width)
    return value;
  if (from > width)
    return arith::TruncIOp::create(b, loc, to, value);
  if (isUnsigned)
    return arith::ExtUIOp::create(b, loc, to, value);
  return arith::ExtSIOp::create(b, loc, to, value);
}

/// Ops that only move elements, so retyping ui8 to i8 keeps their meaning.
static bool isDataMovement(Operation *op) {
  return isa<tosa::TransposeOp, tosa::ReshapeOp, tosa::ConstOp, tosa::SliceOp,
             tosa::ConcatOp, tosa::IdentityOp, tosa::TileOp,
             tensor::ExtractSliceOp, tensor::InsertSliceOp,
             tensor::CollapseShapeOp, tensor::ExpandShapeOp, tensor::EmptyOp,
             tensor::CastOp>(op);
}

static bool isUnsignedElement(Value value) {
  return getElementTypeOrSelf(value.getType()).isUnsignedInteger();
}

namespace {

/// qnt.constant dense<..> : tensor<Nxi8> -> tensor<Nx!quant.uniform<..>>
///   -> arith.constant dense<..> : tensor<Nxi8>
struct ConstantLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, cast<TypedAttr>(op.getValue()));
    return success();
  }
};

/// qnt.quantize %x -> linalg.generic {
///   r = roundeven(extf(x) / s); r = isnan(r) ? 0 : clamp(r, lo - z, hi - z)
///   yield trunci(fptosi(r) + z) }
struct QuantizeLowering : OpConversionPattern<QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto qtype = cast<quant::QuantizedType>(
        op.getOutput().getType().getElementType());
    SmallVector<double> scales;
    SmallVector<int64_t> zeroPoints;
    std::optional<int64_t> axis;
    quantParams(qtype, scales, zeroPoints, axis);
    SmallVector<double> lows, highs;
    for (int64_t zp : zeroPoints) {
      lows.push_back(double(qtype.getStorageTypeMin() - zp));
      highs.push_back(double(qtype.getStorageTypeMax() - zp));
    }
    Type storage = getTypeConverter()->convertType(qtype);
    bool halfAway = op.getRounding() == RoundingMode::HalfAway;
    Type f64 = rewriter.getF64Type();
    Type i64 = rewriter.getI64Type();
    Value result = buildElementwise(
        rewriter, op.getLoc(), adaptor.getInput(), storage, axis,
        {floatParam(rewriter, scales), floatParam(rewriter, lows),
         floatParam(rewriter, highs), intParam(rewriter, zeroPoints)},
        [&](OpBuilder &b, Location loc, Value x, ValueRange p) -> Value {
          if (x.getType() != f64)
            x = arith::ExtFOp::create(b, loc, f64, x);
          Value scaled = arith::DivFOp::create(b, loc, x, p[0]);
          Value rounded =
              halfAway ? Value(math::RoundOp::create(b, loc, scaled))
                       : Value(math::RoundEvenOp::create(b, loc, scaled));
          Value isNaN = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO,
                                              rounded, rounded);
          Value zero = floatConstant(b, loc, f64, 0.0);
          Value r = arith::SelectOp::create(b, loc, isNaN, zero, rounded);
          r = arith::MaximumFOp::create(b, loc, r, p[1]);
          r = arith::MinimumFOp::create(b, loc, r, p[2]);
          Value q = arith::FPToSIOp::create(b, loc, i64, r);
          q = arith::AddIOp::create(b, loc, q, p[3]);
          return castInt(b, loc, q, storage, /*isUnsigned=*/false);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// qnt.dequantize %q -> linalg.generic {
///   yield truncf(sitofp(ext(q) - z) * s) } (in f64)
struct DequantizeLowering : OpConversionPattern<DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto qtype = cast<quant::QuantizedType>(
        op.getInput().getType().getElementType());
    SmallVector<double> scales;
    SmallVector<int64_t> zeroPoints;
    std::optional<int64_t> axis;
    quantParams(qtype, scales, zeroPoints, axis);
    Type resultType = op.getOutput().getType().getElementType();
    bool isUnsigned = !qtype.isSigned();
    Type f64 = rewriter.getF64Type();
    Type i64 = rewriter.getI64Type();
    Value result = buildElementwise(
        rewriter, op.getLoc(), adaptor.getInput(), resultType, axis,
        {floatParam(rewriter, scales), intParam(rewriter, zeroPoints)},
        [&](OpBuilder &b, Location loc, Value q, ValueRange p) -> Value {
          Value wide = castInt(b, loc, q, i64, isUnsigned);
          Value centered = arith::SubIOp::create(b, loc, wide, p[1]);
          Value real = arith::SIToFPOp::create(b, loc, f64, centered);
          Value x = arith::MulFOp::create(b, loc, real, p[0]);
          if (resultType == f64)
            return x;
          return arith::TruncFOp::create(b, loc, resultType, x);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// qnt.requantize %acc -> linalg.generic { yield requantize(acc) } with the
/// arithmetic of RequantizeArithmetic.h (in i64).
struct RequantizeLowering : OpConversionPattern<RequantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RequantizeConstants constants = RequantizeConstants::get(op);
    std::optional<int64_t> axis;
    if (std::optional<uint64_t> a = op.getAxis())
      axis = int64_t(*a);
    Type resultType = getTypeConverter()->convertType(
        op.getOutput().getType().getElementType());
    SmallVector<Param> params;
    for (ArrayRef<int64_t> column : constants.channelColumns())
      params.push_back(intParam(rewriter, column));
    Value result = buildElementwise(
        rewriter, op.getLoc(), adaptor.getInput(), resultType, axis, params,
        [&](OpBuilder &b, Location loc, Value v, ValueRange p) -> Value {
          return buildRequantize(b, loc, v, p, constants, resultType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The i32 accumulator: the bias broadcast along `dimensions`, or zeros.
static Value accumulatorInit(ConversionPatternRewriter &rewriter, Location loc,
                             RankedTensorType type, Value bias,
                             ArrayRef<int64_t> dimensions) {
  Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                        type.getElementType());
  if (bias)
    return linalg::BroadcastOp::create(rewriter, loc, bias, empty, dimensions)
        .getResult()
        .front();
  Value zero = intConstant(rewriter, loc, type.getElementType(), 0);
  return linalg::FillOp::create(rewriter, loc, ValueRange{zero},
                                ValueRange{empty})
      .getResult(0);
}

/// The multiply-accumulate body: acc + (ext(a) - za) * (ext(b) - zb) in i32.
static void buildIntegerMac(OpBuilder &b, Location loc, ValueRange args,
                            bool lhsUnsigned, int64_t lhsZp, bool rhsUnsigned,
                            int64_t rhsZp) {
  Type i32 = b.getI32Type();
  auto centered = [&](Value v, bool isUnsigned, int64_t zp) -> Value {
    Value wide = castInt(b, loc, v, i32, isUnsigned);
    if (zp == 0)
      return wide;
    return arith::SubIOp::create(b, loc, wide, intConstant(b, loc, i32, zp));
  };
  Value product =
      arith::MulIOp::create(b, loc, centered(args[0], lhsUnsigned, lhsZp),
                            centered(args[1], rhsUnsigned, rhsZp));
  linalg::YieldOp::create(b, loc,
                          Value(arith::AddIOp::create(b, loc, args[2], product)));
}

/// qnt.conv2d %x, %w, %b -> tensor.pad %x with input_zp, then
///   linalg.generic (n, y, x, o, i, j, ci) {
///     acc += (ext(x[n, y*sh + i*dh, x*sw + j*dw, g(o)*Cg + ci]) - zx)
///          * (ext(w[o, i, j, ci]) - zw) }
/// into the broadcast bias.
struct Conv2DLowering : OpConversionPattern<Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = op.getOutput().getType();
    auto filterType = op.getFilter().getType();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    if (!resultType.hasStaticShape() || !inputType.hasStaticShape() ||
        !filterType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    int64_t inputZp = int32_t(op.getInputZp());
    int64_t filterZp = int32_t(op.getFilterZp());
    ArrayRef<int64_t> pad = op.getPad();
    ArrayRef<int64_t> stride = op.getStride();
    ArrayRef<int64_t> dilation = op.getDilation();

    Value input = adaptor.getInput();
    if (llvm::any_of(pad, [](int64_t p) { return p != 0; })) {
      SmallVector<int64_t> low = {0, pad[0], pad[2], 0};
      SmallVector<int64_t> high = {0, pad[1], pad[3], 0};
      SmallVector<int64_t> shape(inputType.getShape());
      shape[1] += pad[0] + pad[1];
      shape[2] += pad[2] + pad[3];
      // The padding holds input_zp (its storage bits), so it contributes 0.
      Value padValue =
          intConstant(rewriter, loc, inputType.getElementType(), inputZp);
      input = tensor::PadOp::create(
          rewriter, loc, inputType.clone(shape), input,
          getAsIndexOpFoldResult(rewriter.getContext(), low),
          getAsIndexOpFoldResult(rewriter.getContext(), high), padValue);
    }

    int64_t channelsPerGroup = filterType.getDimSize(3);
    int64_t outputsPerGroup = resultType.getDimSize(3) / op.getGroups();
    MLIRContext *context = rewriter.getContext();
    AffineExpr n, y, x, o, i, j, ci;
    bindDims(context, n, y, x, o, i, j, ci);
    AffineExpr channel =
        op.getGroups() == 1
            ? ci
            : o.floorDiv(outputsPerGroup) * channelsPerGroup + ci;
    SmallVector<AffineMap> maps = {
        AffineMap::get(7, 0,
                       {n, y * stride[0] + i * dilation[0],
                        x * stride[1] + j * dilation[1], channel},
                       context),
        AffineMap::get(7, 0, {o, i, j, ci}, context),
        AffineMap::get(7, 0, {n, y, x, o}, context)};
    SmallVector<utils::IteratorType> iterators(4,
                                               utils::IteratorType::parallel);
    iterators.append(3, utils::IteratorType::reduction);

    Value init = accumulatorInit(rewriter, loc, resultType, adaptor.getBias(),
                                 {0, 1, 2});
    bool inputUnsigned = isUnsignedElement(op.getInput());
    bool filterUnsigned = isUnsignedElement(op.getFilter());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType},
        ValueRange{input, adaptor.getFilter()}, ValueRange{init}, maps,
        iterators, [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          buildIntegerMac(b, bodyLoc, args, inputUnsigned, inputZp,
                          filterUnsigned, filterZp);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// qnt.matmul %a, %b, %bias -> linalg.generic (m, n, k) {
///   acc += (ext(a[m, k]) - za) * (ext(b[n, k]) - zb) } into the broadcast
/// bias.
struct MatmulLowering : OpConversionPattern<MatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = op.getOutput().getType();
    if (!resultType.hasStaticShape() ||
        !op.getLhs().getType().hasStaticShape() ||
        !op.getRhs().getType().hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    MLIRContext *context = rewriter.getContext();
    AffineExpr m, n, k;
    bindDims(context, m, n, k);
    SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {m, k}, context),
                                   AffineMap::get(3, 0, {n, k}, context),
                                   AffineMap::get(3, 0, {m, n}, context)};
    SmallVector<utils::IteratorType> iterators = {
        utils::IteratorType::parallel, utils::IteratorType::parallel,
        utils::IteratorType::reduction};
    Value init =
        accumulatorInit(rewriter, loc, resultType, adaptor.getBias(), {0});
    bool lhsUnsigned = isUnsignedElement(op.getLhs());
    bool rhsUnsigned = isUnsignedElement(op.getRhs());
    int64_t lhsZp = int32_t(op.getLhsZp());
    int64_t rhsZp = int32_t(op.getRhsZp());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType},
        ValueRange{adaptor.getLhs(), adaptor.getRhs()}, ValueRange{init}, maps,
        iterators, [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          buildIntegerMac(b, bodyLoc, args, lhsUnsigned, lhsZp, rhsUnsigned,
                          rhsZp);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// quant.scast / tensor.bitcast between types with the same storage
/// (tensor<4xui8> -> tensor<4xi8>) -> its converted operand.
template <typename OpTy>
struct StorageCastLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value source = adaptor.getOperands().front();
    Type resultType =
        this->getTypeConverter()->convertType(op.getResult().getType());
    if (source.getType() != resultType)
      return rewriter.notifyMatchFailure(op, "storage types differ");
    rewriter.replaceOp(op, source);
    return success();
  }
};

/// An op that only moves elements (tosa.transpose, tosa.reshape, ...)
/// recreated with storage types; a tosa.const keeps its bits.
struct RetypeLowering : ConversionPattern {
  RetypeLowering(const TypeConverter &converter, MLIRContext *context)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), /*benefit=*/1,
                          context) {}

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isDataMovement(op))
      return rewriter.notifyMatchFailure(op, "not a data movement op");
    SmallVector<Type> resultTypes;
    if (failed(getTypeConverter()->convertTypes(op->getResultTypes(),
                                                resultTypes)))
      return failure();
    SmallVector<NamedAttribute> attributes;
    for (NamedAttribute attr : op->getAttrs()) {
      auto dense = dyn_cast<DenseElementsAttr>(attr.getValue());
      Type converted =
          dense ? getTypeConverter()->convertType(dense.getType()) : Type();
      if (dense && converted != dense.getType())
        attributes.emplace_back(
            attr.getName(),
            dense.bitcast(cast<ShapedType>(converted).getElementType()));
      else
        attributes.push_back(attr);
    }
    OperationState state(op->getLoc(), op->getName(), operands, resultTypes,
                         attributes, op->getSuccessors());
    rewriter.replaceOp(op, rewriter.create(state)->getResults());
    return success();
  }
};

} // namespace

void mlir::qnt::populateQntToCPUConversionPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, QuantizeLowering, DequantizeLowering,
               RequantizeLowering, Conv2DLowering, MatmulLowering,
               StorageCastLowering<quant::StorageCastOp>,
               StorageCastLowering<tensor::BitcastOp>, RetypeLowering>(
      converter, patterns.getContext());
}

namespace {

struct QntLowerToCPUPass
    : qnt::impl::QntLowerToCPUPassBase<QntLowerToCPUPass> {
  using QntLowerToCPUPassBase::QntLowerToCPUPassBase;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    StorageTypeConverter converter;

    // Each op the patterns cannot take gets its own error, not the
    // driver's generic "failed to legalize".
    bool unsupported = false;
    getOperation().walk([&](Operation *op) {
      if ((isa<Conv2DOp, MatmulOp>(op) || isBinaryComputeOp(op)) &&
          llvm::any_of(op->getOperandTypes(), [](Type type) {
            return !cast<ShapedType>(type).hasStaticShape();
          })) {
        op->emitOpError("with dynamic shapes is not supported by "
                        "qnt-lower-to-cpu");
        unsupported = true;
      } else if (!isa<ConstantOp, QuantizeOp, DequantizeOp, RequantizeOp,
                     Conv2DOp, MatmulOp, func::FuncOp, func::ReturnOp,
                     func::CallOp, quant::StorageCastOp, tensor::BitcastOp>(
                     op) &&
                 !isBinaryComputeOp(op) && !isDataMovement(op) &&
                 !converter.isLegal(op)) {
        op->emitOpError("reads quantized or unsigned integers, which "
                        "qnt-lower-to-cpu cannot retype");
        unsupported = true;
      }
    });
    if (unsupported)
      return signalPassFailure();

    ConversionTarget target(*context);
    target.addIllegalOp<ConstantOp, QuantizeOp, DequantizeOp, RequantizeOp,
                        Conv2DOp, MatmulOp>();
    target.addIllegalOp<BinarizeOp, UnpackOp, BMatmulOp, BConv2DOp,
                        BMaxPool2DOp>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp func) {
      return converter.isSignatureLegal(func.getFunctionType()) &&
             converter.isLegal(&func.getBody());
    });
    target.markUnknownOpDynamicallyLegal(
        [&](Operation *op) { return converter.isLegal(op); });

    RewritePatternSet patterns(context);
    populateQntToCPUConversionPatterns(converter, patterns);
    populateIntegerKernelPatterns(converter, patterns, kernelIsa);
    populateQntBinaryToCPUPatterns(converter, patterns, kernelIsa);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
