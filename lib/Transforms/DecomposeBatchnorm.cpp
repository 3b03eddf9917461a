//===- DecomposeBatchnorm.cpp - qnt.batch_norm to TOSA ops ----------------===//
//
// y = x * s + t with s = gamma / sqrt(var + eps) and t = beta - mean * s.
// With constant parameters s and t are computed here in double precision
// (the same arithmetic as qnt-fold-batchnorm), otherwise they are TOSA ops.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/Transforms/Passes.h"

#include "qnt/IR/QntOps.h"

#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::qnt {
#define GEN_PASS_DEF_QNTDECOMPOSEBATCHNORMPASS
#include "quant-mlir/Transforms/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;

/// Shape [1, .., C, .., 1] that broadcasts a per-channel vector along `axis`.
static SmallVector<int64_t> broadcastShape(RankedTensorType type,
                                           int64_t axis) {
  SmallVector<int64_t> shape(type.getRank(), 1);
  shape[axis] = type.getDimSize(axis);
  return shape;
}

static Value reshapeForBroadcast(PatternRewriter &rewriter, Location loc,
                                 Value vector, ArrayRef<int64_t> shape) {
  auto vectorType = cast<RankedTensorType>(vector.getType());
  auto newType = vectorType.clone(shape);
  Value shapeValue = tosa::getTosaConstShape(rewriter, loc, shape);
  return tosa::ReshapeOp::create(rewriter, loc, newType, vector, shapeValue);
}

static std::optional<SmallVector<double>> constantValues(Value value) {
  DenseFPElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<double> values;
  for (const APFloat &v : attr.getValues<APFloat>())
    values.push_back(v.convertToDouble());
  return values;
}

/// A TOSA mul needs an explicit i8 shift operand (0 for floats).
static Value floatMul(PatternRewriter &rewriter, Location loc, Type type,
                      Value lhs, Value rhs) {
  auto shiftType = RankedTensorType::get({1}, rewriter.getI8Type());
  Value shift = arith::ConstantOp::create(
      rewriter, loc, DenseElementsAttr::get(shiftType, rewriter.getI8IntegerAttr(0)));
  return tosa::MulOp::create(rewriter, loc, type, lhs, rhs, shift);
}

namespace {

/// qnt.batch_norm(x, gamma, beta, mean, var) -> tosa.add(tosa.mul(x, s), t)
struct DecomposeBatchNormToTosa : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    auto type = op.getInput().getType();
    int64_t axis = op.getAxis();
    if (ShapedType::isDynamic(type.getDimSize(axis)))
      return rewriter.notifyMatchFailure(op, "dynamic channel dimension");
    Location loc = op.getLoc();
    SmallVector<int64_t> shape = broadcastShape(type, axis);
    auto paramType = op.getGamma().getType();
    auto broadcastType = paramType.clone(shape);
    double eps = op.getEpsilon().convertToDouble();

    Value scale, shift;
    auto gamma = constantValues(op.getGamma());
    auto beta = constantValues(op.getBeta());
    auto mean = constantValues(op.getMean());
    auto var = constantValues(op.getVariance());
    if (gamma && beta && mean && var && paramType.getElementType().isF32()) {
      SmallVector<APFloat> s, t;
      for (size_t c = 0; c < gamma->size(); ++c) {
        double sc = (*gamma)[c] / std::sqrt((*var)[c] + eps);
        s.push_back(APFloat(float(sc)));
        t.push_back(APFloat(float((*beta)[c] - (*mean)[c] * sc)));
      }
      scale = arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(broadcastType, s));
      shift = arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(broadcastType, t));
    } else {
      auto reshape = [&](Value v) {
        return reshapeForBroadcast(rewriter, loc, v, shape);
      };
      Value epsValue = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              broadcastType,
              rewriter.getFloatAttr(broadcastType.getElementType(), eps)));
      Value varEps = tosa::AddOp::create(rewriter, loc, broadcastType,
                                         reshape(op.getVariance()), epsValue);
      Value invStd = tosa::RsqrtOp::create(rewriter, loc, broadcastType, varEps);
      scale = floatMul(rewriter, loc, broadcastType, reshape(op.getGamma()),
                       invStd);
      Value meanScaled =
          floatMul(rewriter, loc, broadcastType, reshape(op.getMean()), scale);
      shift = tosa::SubOp::create(rewriter, loc, broadcastType,
                                  reshape(op.getBeta()), meanScaled);
    }
    Value scaled = floatMul(rewriter, loc, type, op.getInput(), scale);
    rewriter.replaceOpWithNewOp<tosa::AddOp>(op, type, scaled, shift);
    return success();
  }
};

struct QntDecomposeBatchnormPass
    : qnt::impl::QntDecomposeBatchnormPassBase<QntDecomposeBatchnormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateDecomposeBatchnormPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::qnt::populateDecomposeBatchnormPatterns(RewritePatternSet &patterns) {
  patterns.add<DecomposeBatchNormToTosa>(patterns.getContext());
}
