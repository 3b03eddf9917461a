//===- FoldBatchnorm.cpp - fold batch norm into conv/matmul ---------------===//
//
// An inference batch norm is a per-channel affine map y = a[c] * x + b[c]
// with a = gamma / sqrt(var + eps) and b = beta - mean * a. When x is the
// output of a conv/matmul with weights W and bias d, linearity gives
//
//   y = conv(x, W * a[c]) + (a[c] * d[c] + b[c])
//
// so the batch norm disappears into new weights and bias, computed here in
// double precision. The decomposed forms (chains of TOSA sub/mul/add with
// per-channel constants) compose into one (a, b) the same way:
//   add c: b += c;   sub c: b -= c;   c - x: a = -a, b = c - b;   mul c: a *= c, b *= c.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/Transforms/Passes.h"

#include "qnt/IR/QntOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <cmath>

namespace mlir::qnt {
#define GEN_PASS_DEF_QNTFOLDBATCHNORMPASS
#include "quant-mlir/Transforms/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;

namespace {

/// Per-channel affine map y = scale[c] * x + shift[c].
struct ChannelAffine {
  SmallVector<double> scale;
  SmallVector<double> shift;

  static ChannelAffine identity(int64_t channels) {
    return {SmallVector<double>(channels, 1.0),
            SmallVector<double>(channels, 0.0)};
  }
};

/// How the producer carries its bias.
enum class BiasKind {
  Operand,  // a 1-D bias operand (tosa conv2d / depthwise_conv2d)
  FillInit, // the accumulator is a linalg.fill of a scalar (linalg named ops)
  None,     // no bias: a tosa.add is appended (tosa.matmul)
};

/// A conv/matmul whose output channels a batch norm can fold into.
struct Producer {
  Operation *op;
  int64_t channelAxis;   // of the result
  int64_t channels;      // result size along channelAxis
  unsigned weightIndex;  // operand index of the weights
  int64_t weightStride;  // weight channel of flat index i: (i / stride) % C
  BiasKind biasKind;
  unsigned biasIndex = 0; // bias operand, or the init operand for FillInit
};

} // namespace

/// Recognizes the supported producers; nullopt for anything else.
static std::optional<Producer> matchProducer(Operation *op) {
  if (!op || op->getNumResults() != 1)
    return std::nullopt;
  auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!resultType || !resultType.hasStaticShape())
    return std::nullopt;
  auto withChannels = [&](Producer p) -> std::optional<Producer> {
    p.channels = resultType.getDimSize(p.channelAxis);
    return p;
  };
  if (auto conv = dyn_cast<tosa::Conv2DOp>(op)) {
    auto weightType = conv.getWeight().getType();
    int64_t perChannel = weightType.getNumElements() / weightType.getDimSize(0);
    return withChannels({op, 3, 0, 1, perChannel, BiasKind::Operand, 2});
  }
  if (isa<tosa::DepthwiseConv2DOp>(op))
    return withChannels({op, 3, 0, 1, 1, BiasKind::Operand, 2});
  if (isa<tosa::MatMulOp>(op))
    return withChannels({op, 2, 0, 1, 1, BiasKind::None});
  if (auto matmul = dyn_cast<linalg::MatmulOp>(op)) {
    if (matmul.hasUserDefinedMaps())
      return std::nullopt;
    return withChannels({op, 1, 0, 1, 1, BiasKind::FillInit, 2});
  }
  if (isa<linalg::Conv2DNhwcHwcfOp>(op))
    return withChannels({op, 3, 0, 1, 1, BiasKind::FillInit, 2});
  return std::nullopt;
}

/// Values of a constant f32 tensor, or nullopt.
static std::optional<SmallVector<double>> getConstantValues(Value value) {
  DenseFPElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) ||
      !attr.getElementType().isF32())
    return std::nullopt;
  SmallVector<double> values;
  values.reserve(attr.getNumElements());
  for (const APFloat &v : attr.getValues<APFloat>())
    values.push_back(v.convertToDouble());
  return values;
}

/// Value of a constant f32 scalar (a linalg.fill operand), or nullopt.
static std::optional<double> getConstantScalar(Value value) {
  FloatAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.getType().isF32())
    return std::nullopt;
  return attr.getValueAsDouble();
}

/// Evaluates a constant expression of TOSA element-wise ops (as front ends
/// emit for rsqrt(var + eps)). Operands are equal-shaped or single-element.
static std::optional<SmallVector<double>> evaluateConstant(Value value) {
  if (auto values = getConstantValues(value))
    return values;
  Operation *op = value.getDefiningOp();
  if (!op)
    return std::nullopt;
  if (isa<tosa::RsqrtOp, tosa::ReciprocalOp, tosa::ReshapeOp>(op)) {
    auto input = evaluateConstant(op->getOperand(0));
    if (!input)
      return std::nullopt;
    for (double &v : *input) {
      if (isa<tosa::RsqrtOp>(op))
        v = 1.0 / std::sqrt(v);
      else if (isa<tosa::ReciprocalOp>(op))
        v = 1.0 / v;
    }
    return input;
  }
  if (!isa<tosa::AddOp, tosa::SubOp, tosa::MulOp>(op))
    return std::nullopt;
  auto lhs = evaluateConstant(op->getOperand(0));
  auto rhs = evaluateConstant(op->getOperand(1));
  if (!lhs || !rhs)
    return std::nullopt;
  size_t size = std::max(lhs->size(), rhs->size());
  if ((lhs->size() != size && lhs->size() != 1) ||
      (rhs->size() != size && rhs->size() != 1))
    return std::nullopt;
  SmallVector<double> result(size);
  for (size_t i = 0; i < size; ++i) {
    double l = (*lhs)[lhs->size() == 1 ? 0 : i];
    double r = (*rhs)[rhs->size() == 1 ? 0 : i];
    result[i] = isa<tosa::AddOp>(op) ? l + r
                : isa<tosa::SubOp>(op) ? l - r
                                       : l * r;
  }
  return result;
}

/// A per-channel vector from a constant operand broadcast along `axis`:
/// shape [C] or [1], or all ones except `axis` at the result's rank.
static std::optional<SmallVector<double>>
getChannelVector(Value value, int64_t axis, int64_t rank, int64_t channels) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape())
    return std::nullopt;
  bool isVector = type.getRank() == 1;
  bool isBroadcast = type.getRank() == rank;
  for (int64_t d = 0; isBroadcast && d < rank; ++d)
    isBroadcast = d == axis || type.getDimSize(d) == 1;
  if (!isVector && !isBroadcast)
    return std::nullopt;
  auto values = evaluateConstant(value);
  if (!values)
    return std::nullopt;
  if (values->size() == 1)
    return SmallVector<double>(channels, (*values)[0]);
  if (int64_t(values->size()) != channels)
    return std::nullopt;
  return values;
}

/// Erases the ops defining `values` once nothing uses them (old weights and
/// parameters, and the constant expressions that computed them), so the
/// output does not depend on a later DCE. A value may repeat (one constant
/// used as several parameters), so erased ops are tracked, never revisited.
static void eraseDeadDefs(RewriterBase &rewriter, ArrayRef<Value> values) {
  SmallVector<Operation *> worklist;
  for (Value value : values)
    if (Operation *def = value.getDefiningOp())
      worklist.push_back(def);
  llvm::SmallPtrSet<Operation *, 8> erased;
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (erased.contains(op) || !op->use_empty() || !isMemoryEffectFree(op))
      continue;
    for (Value operand : op->getOperands())
      if (Operation *def = operand.getDefiningOp())
        worklist.push_back(def);
    erased.insert(op);
    rewriter.eraseOp(op);
  }
}

/// Folds the affine map into the producer's weights and bias; returns the
/// value that replaces the batch norm's result.
static Value applyFold(RewriterBase &rewriter, const Producer &producer,
                       const ChannelAffine &affine) {
  Operation *op = producer.op;
  Location loc = op->getLoc();
  rewriter.setInsertionPoint(op);

  // TOSA producers get tosa.const operands, linalg ones arith.constant.
  bool isTosa = isa<tosa::TosaDialect>(op->getDialect());
  auto makeConstant = [&](RankedTensorType type,
                          ArrayRef<double> values) -> Value {
    SmallVector<APFloat> floats;
    for (double v : values)
      floats.push_back(APFloat(float(v)));
    auto attr = DenseElementsAttr::get(type, floats);
    if (isTosa)
      return tosa::ConstOp::create(rewriter, loc, type, attr);
    return arith::ConstantOp::create(rewriter, loc, type, attr);
  };

  Value weight = op->getOperand(producer.weightIndex);
  auto weightType = cast<RankedTensorType>(weight.getType());
  SmallVector<double> weights = *getConstantValues(weight);
  for (auto [i, w] : llvm::enumerate(weights))
    w *= affine.scale[(int64_t(i) / producer.weightStride) % producer.channels];
  Value newWeight = makeConstant(weightType, weights);

  SmallVector<double> bias(producer.channels, 0.0);
  Value result = op->getResult(0);
  auto resultType = cast<RankedTensorType>(result.getType());
  switch (producer.biasKind) {
  case BiasKind::Operand: {
    Value oldBias = op->getOperand(producer.biasIndex);
    auto values = *getConstantValues(oldBias);
    for (int64_t c = 0; c < producer.channels; ++c)
      bias[c] = affine.scale[c] * values[values.size() == 1 ? 0 : c] +
                affine.shift[c];
    auto biasType =
        RankedTensorType::get({producer.channels}, resultType.getElementType());
    Value newBias = makeConstant(biasType, bias);
    rewriter.modifyOpInPlace(op, [&] {
      op->setOperand(producer.weightIndex, newWeight);
      op->setOperand(producer.biasIndex, newBias);
    });
    eraseDeadDefs(rewriter, {weight, oldBias});
    return result;
  }
  case BiasKind::FillInit: {
    auto fill = op->getOperand(producer.biasIndex).getDefiningOp<linalg::FillOp>();
    double fillValue = *getConstantScalar(fill.getInputs()[0]);
    for (int64_t c = 0; c < producer.channels; ++c)
      bias[c] = affine.scale[c] * fillValue + affine.shift[c];
    auto biasType =
        RankedTensorType::get({producer.channels}, resultType.getElementType());
    Value biasVector = makeConstant(biasType, bias);
    SmallVector<int64_t> dims;
    for (int64_t d = 0; d < resultType.getRank(); ++d)
      if (d != producer.channelAxis)
        dims.push_back(d);
    Value empty = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                          resultType.getElementType());
    Value init = linalg::BroadcastOp::create(rewriter, loc, biasVector, empty,
                                             rewriter.getDenseI64ArrayAttr(dims))
                     ->getResult(0);
    rewriter.modifyOpInPlace(op, [&] {
      op->setOperand(producer.weightIndex, newWeight);
      op->setOperand(producer.biasIndex, init);
    });
    eraseDeadDefs(rewriter, {weight, fill.getResult(0)});
    return result;
  }
  case BiasKind::None: {
    rewriter.modifyOpInPlace(
        op, [&] { op->setOperand(producer.weightIndex, newWeight); });
    eraseDeadDefs(rewriter, weight);
    SmallVector<int64_t> shape(resultType.getRank(), 1);
    shape[producer.channelAxis] = producer.channels;
    Value shift = makeConstant(resultType.clone(shape), affine.shift);
    rewriter.setInsertionPointAfter(op);
    return tosa::AddOp::create(rewriter, loc, resultType, result, shift);
  }
  }
  llvm_unreachable("unknown bias kind");
}

/// Checks what every fold needs of the producer; returns why not otherwise.
static FailureOr<Producer> checkProducer(Value input, std::string &why) {
  Operation *def = input.getDefiningOp();
  auto producer = matchProducer(def);
  if (!producer) {
    // Name an element-wise op between a producer and the batch norm.
    if (def && def->getNumOperands() >= 1 &&
        matchProducer(def->getOperand(0).getDefiningOp()))
      why = ("'" + def->getName().getStringRef() +
             "' between the producer and the batch norm is not affine")
                .str();
    else
      why = "the input is not produced by a conv2d, depthwise_conv2d or "
            "matmul";
    return failure();
  }
  std::string name = ("'" + def->getName().getStringRef() + "'").str();
  auto resultType = cast<RankedTensorType>(def->getResult(0).getType());
  if (!resultType.getElementType().isF32()) {
    why = "the result of " + name + " is not f32";
    return failure();
  }
  if (!def->getResult(0).hasOneUse()) {
    why = "the result of " + name + " has other users";
    return failure();
  }
  if (!getConstantValues(def->getOperand(producer->weightIndex))) {
    why = "the weights of " + name + " are not constant";
    return failure();
  }
  if (producer->biasKind == BiasKind::Operand &&
      !getConstantValues(def->getOperand(producer->biasIndex))) {
    why = "the bias of " + name + " is not constant";
    return failure();
  }
  if (producer->biasKind == BiasKind::FillInit) {
    auto fill =
        def->getOperand(producer->biasIndex).getDefiningOp<linalg::FillOp>();
    if (!fill || !getConstantScalar(fill.getInputs()[0])) {
      why = "the accumulator of " + name + " is not a constant linalg.fill";
      return failure();
    }
  }
  return *producer;
}

/// Folds a qnt.batch_norm into its producer, or says why not.
static LogicalResult foldBatchNormOp(RewriterBase &rewriter, BatchNormOp bn,
                                     std::string &why) {
  FailureOr<Producer> producer = checkProducer(bn.getInput(), why);
  if (failed(producer))
    return failure();
  if (int64_t(bn.getAxis()) != producer->channelAxis) {
    why = ("axis " + Twine(bn.getAxis()) + " is not the channel axis " +
           Twine(producer->channelAxis) + " of '" +
           producer->op->getName().getStringRef() + "'")
              .str();
    return failure();
  }
  std::optional<SmallVector<double>> params[4];
  StringRef names[4] = {"gamma", "beta", "mean", "variance"};
  Value operands[4] = {bn.getGamma(), bn.getBeta(), bn.getMean(),
                       bn.getVariance()};
  for (int i = 0; i < 4; ++i) {
    params[i] = getConstantValues(operands[i]);
    if (!params[i]) {
      why = ("parameter '" + names[i] + "' is not an f32 constant").str();
      return failure();
    }
  }
  double eps = bn.getEpsilon().convertToDouble();
  ChannelAffine affine = ChannelAffine::identity(producer->channels);
  for (int64_t c = 0; c < producer->channels; ++c) {
    affine.scale[c] = (*params[0])[c] / std::sqrt((*params[3])[c] + eps);
    affine.shift[c] = (*params[1])[c] - (*params[2])[c] * affine.scale[c];
  }
  Value replacement = applyFold(rewriter, *producer, affine);
  rewriter.replaceOp(bn, replacement);
  eraseDeadDefs(rewriter, operands);
  return success();
}

/// Composes `op` (tosa add/sub/mul of `current` and a per-channel constant)
/// into `affine`; fails when `op` is not such an op.
static LogicalResult composeAffine(Operation *op, Value current,
                                   const Producer &producer,
                                   ChannelAffine &affine) {
  if (!isa<tosa::AddOp, tosa::SubOp, tosa::MulOp>(op) ||
      op->getResult(0).getType() != current.getType())
    return failure();
  bool currentIsLhs = op->getOperand(0) == current;
  Value other = op->getOperand(currentIsLhs ? 1 : 0);
  if (other == current)
    return failure();
  int64_t rank = cast<RankedTensorType>(current.getType()).getRank();
  auto c = getChannelVector(other, producer.channelAxis, rank,
                            producer.channels);
  if (!c)
    return failure();
  if (auto mul = dyn_cast<tosa::MulOp>(op)) {
    // A float mul's shift operand is 0; anything else is not plain scaling.
    if (!matchPattern(mul.getShift(), m_Zero()))
      return failure();
  }
  for (int64_t ch = 0; ch < producer.channels; ++ch) {
    double v = (*c)[ch];
    if (isa<tosa::AddOp>(op)) {
      affine.shift[ch] += v;
    } else if (isa<tosa::MulOp>(op)) {
      affine.scale[ch] *= v;
      affine.shift[ch] *= v;
    } else if (currentIsLhs) { // x - c
      affine.shift[ch] -= v;
    } else { // c - x
      affine.scale[ch] = -affine.scale[ch];
      affine.shift[ch] = v - affine.shift[ch];
    }
  }
  return success();
}

/// Folds the longest chain of per-channel TOSA add/sub/mul after `producerOp`.
/// Returns failure (with `why` set when a chain exists) if nothing folded.
static LogicalResult foldDecomposedChain(RewriterBase &rewriter,
                                         Operation *producerOp,
                                         std::string &why) {
  auto producer = matchProducer(producerOp);
  if (!producer)
    return failure();
  Value current = producerOp->getResult(0);
  ChannelAffine affine = ChannelAffine::identity(producer->channels);
  SmallVector<Operation *> chain;
  while (!current.use_empty()) {
    // Later links must be single-use so no intermediate value escapes.
    if (!chain.empty() && !current.hasOneUse())
      break;
    Operation *user = *current.getUsers().begin();
    if (!current.hasOneUse()) {
      // The producer itself has several users: diagnose if one is a chain.
      for (Operation *u : current.getUsers()) {
        ChannelAffine probe = affine;
        if (succeeded(composeAffine(u, current, *producer, probe))) {
          why = ("the result of '" + producerOp->getName().getStringRef() +
                 "' has other users")
                    .str();
          return failure();
        }
      }
      return failure();
    }
    if (failed(composeAffine(user, current, *producer, affine)))
      break;
    chain.push_back(user);
    current = user->getResult(0);
  }
  if (chain.empty())
    return failure();
  if (failed(checkProducer(producerOp->getResult(0), why)))
    return failure();
  Value replacement = applyFold(rewriter, *producer, affine);
  rewriter.replaceAllUsesWith(current, replacement);
  // The chain is single-use, so erasing its last op frees the rest.
  eraseDeadDefs(rewriter, current);
  return success();
}

namespace {

/// qnt.batch_norm(conv(x, W, d)) -> conv(x, W * a, a * d + b)
struct FoldBatchNormIntoProducer : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    std::string why;
    if (failed(foldBatchNormOp(rewriter, op, why)))
      return rewriter.notifyMatchFailure(op, why);
    return success();
  }
};

/// add(mul(sub(conv(x, W, d), m), s), t) -> conv(x, W * a, a * d + b)
struct FoldAffineChainIntoProducer : RewritePattern {
  FoldAffineChainIntoProducer(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    std::string why;
    if (!matchProducer(op) || failed(foldDecomposedChain(rewriter, op, why)))
      return rewriter.notifyMatchFailure(op, why);
    return success();
  }
};

struct QntFoldBatchnormPass
    : qnt::impl::QntFoldBatchnormPassBase<QntFoldBatchnormPass> {
  void runOnOperation() override {
    // A single walk rather than the greedy driver, so that each batch norm
    // that stays gets exactly one remark.
    IRRewriter rewriter(&getContext());
    SmallVector<Operation *> producers;
    SmallVector<BatchNormOp> batchNorms;
    getOperation()->walk([&](Operation *op) {
      if (auto bn = dyn_cast<BatchNormOp>(op))
        batchNorms.push_back(bn);
      else if (matchProducer(op))
        producers.push_back(op);
    });
    for (BatchNormOp bn : batchNorms) {
      std::string why;
      if (failed(foldBatchNormOp(rewriter, bn, why)))
        bn.emitRemark("batch norm not folded: ") << why;
    }
    for (Operation *producer : producers) {
      std::string why;
      if (failed(foldDecomposedChain(rewriter, producer, why)) && !why.empty())
        producer->emitRemark("batch norm not folded: ") << why;
    }
  }
};

} // namespace

void mlir::qnt::populateFoldBatchnormPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldBatchNormIntoProducer, FoldAffineChainIntoProducer>(
      patterns.getContext());
}
