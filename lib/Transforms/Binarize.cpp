//===- Binarize.cpp - conv/matmul on +-1 operands to XNOR-popcount --------===//
//
// A layer is binary when its input is a sign (the ONNX Sign as imported:
// select(x > 0, 1, select(0 > x, -1, 0)), or select(x >= 0, 1, -1)) and its
// constant weights are +-alpha[o] per output channel (XNOR-Net), or when its
// `qnt.config` says weight_bits = activation_bits = 1 (alpha = mean |W[o]|).
// Then, with dot the +-1 dot product,
//
//   conv(sign(x), alpha * sign(W)) + bias = alpha[o] * dot + bias[o]
//
// so the layer becomes qnt.bconv2d / qnt.bmatmul on bit-packed operands with
// the per-channel affine epilogue (multiplier, bias). Per-channel affine ops
// after the layer (qnt.batch_norm, add/sub/mul by a constant) compose into
// the epilogue in double precision; a ReLU (clamp) after them becomes the
// epilogue clamp. The weights are never rescaled: BN stays out of them.
//
// Thresholds. When the epilogue feeds a sign, only the sign of
// y = s * clamp(M * dot + B, lo, hi) + t matters, and y >= 0 reduces per
// channel to `dot >= c` or `dot <= c` or a constant. `dot >= c` is the packed
// epilogue `dot >= ceil(c)`; `dot <= c` flips that channel's weight bits
// (dot' = -dot, also on +1-padded taps) and becomes `dot' >= ceil(-c)`; a
// constant (gamma = 0, or a clamp that decides alone) is a threshold that
// every dot passes (-K - 1) or none does (K + 1).
//
// Max pooling. For a non-decreasing f, f(max(a, b)) = max(f(a), f(b)), and
// sign is non-decreasing, so sign(maxpool(y)) = maxpool(sign(y)): a max pool
// between the last affine op and the sign runs on the packed bits
// (qnt.bmaxpool2d). A max pool *before* the batch norm does not commute with
// it when gamma < 0, so that order keeps a float epilogue (with a remark).
//
// Exact zeros. ONNX Sign(0) = 0 while a binary value is +1 at 0 (DESIGN.md);
// the rewrite treats the sign of a computed float as +1 at 0, which differs
// only where an input is exactly 0. After a ReLU that is a whole range, so a
// sign of a clamp at 0 is not a binarizer.
//
// Padding. A convolution padding its sign input pads with 0 (TOSA/ONNX), so
// the result uses pad_value = zero; an explicit tosa.pad of the sign with +1
// is the native pad_value = plus_one (pad moved into the bconv2d).
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/Transforms/Passes.h"

#include "qnt/IR/QntOps.h"
#include "qnt/Utils/Numerics.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <limits>

namespace mlir::qnt {
#define GEN_PASS_DEF_QNTBINARIZEPASS
#include "quant-mlir/Transforms/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;

namespace {

/// Where a binary layer's +-1 input comes from.
struct BinarySource {
  Value packed;   // already bit-packed (a previous layer's threshold output)
  Value floatIn;  // a float tensor to binarize (x of sign(x))
};

/// A conv/matmul recognized as binary, with everything the rewrite needs.
struct BinaryLayer {
  Operation *op;
  bool isConv;
  int64_t channels;      // conv: input channels C; matmul: K
  int64_t outChannels;   // O (conv) or N (matmul)
  int64_t depth;         // K of the dot: KH * KW * C, or K
  SmallVector<double> alpha;
  SmallVector<bool> weightBits;   // 1 where the weight is -alpha, OHWI / [N, K]
  SmallVector<double> bias;
  PadValue padValue = PadValue::PlusOne;
  SmallVector<int64_t> pad{0, 0, 0, 0};
  Value packedInput;     // the packed lhs/input, built before the layer
  Value result;          // value of alpha * dot + bias ([.., O], channel last)
  bool alphaDetected = true;
};

/// y = scale * x + shift per channel.
struct ChannelAffine {
  SmallVector<double> scale, shift;
  void then(ArrayRef<double> s, ArrayRef<double> t) {
    for (size_t c = 0; c < scale.size(); ++c) {
      scale[c] *= s[c];
      shift[c] = shift[c] * s[c] + t[c];
    }
  }
};

} // namespace

static bool isSplatConstant(Value value, double expected) {
  DenseFPElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.isSplat())
    return false;
  return attr.getSplatValue<APFloat>().convertToDouble() == expected;
}

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

/// Lower bound of a tosa.clamp on floats, if `value` is one.
static std::optional<double> clampMin(Value value) {
  auto clamp = value.getDefiningOp<tosa::ClampOp>();
  if (!clamp)
    return std::nullopt;
  if (auto f = dyn_cast<FloatAttr>(clamp.getMinValAttr()))
    return f.getValueAsDouble();
  return std::nullopt;
}

/// x when `value` computes sign(x): the imported ONNX form
/// select(x > 0, 1, select(0 > x, -1, 0)) or select(x >= 0, 1, -1).
static Value matchSignOf(Value value) {
  auto outer = value.getDefiningOp<tosa::SelectOp>();
  if (!outer || !isSplatConstant(outer.getInput2(), 1.0))
    return {};
  if (auto ge = outer.getInput1().getDefiningOp<tosa::GreaterEqualOp>()) {
    if (isSplatConstant(ge.getInput2(), 0.0) &&
        isSplatConstant(outer.getInput3(), -1.0))
      return ge.getInput1();
    return {};
  }
  auto positive = outer.getInput1().getDefiningOp<tosa::GreaterOp>();
  auto inner = outer.getInput3().getDefiningOp<tosa::SelectOp>();
  if (!positive || !inner || !isSplatConstant(positive.getInput2(), 0.0))
    return {};
  Value x = positive.getInput1();
  auto negative = inner.getInput1().getDefiningOp<tosa::GreaterOp>();
  if (!negative || negative.getInput2() != x ||
      !isSplatConstant(negative.getInput1(), 0.0) ||
      !isSplatConstant(inner.getInput2(), -1.0) ||
      !isSplatConstant(inner.getInput3(), 0.0))
    return {};
  return x;
}

/// The +-1 source of `value`: a packed tensor behind qnt.unpack, or x of
/// sign(x). Sets `why` when a sign is found but is not a binarizer.
static std::optional<BinarySource> matchBinarySource(Value value,
                                                      std::string &why) {
  if (auto unpack = value.getDefiningOp<UnpackOp>())
    return BinarySource{unpack.getInput(), {}};
  Value x = matchSignOf(value);
  if (!x)
    return std::nullopt;
  if (std::optional<double> lo = clampMin(x); lo && *lo >= 0.0) {
    why = "the sign input is clamped at 0 (ReLU before sign): its sign is 0 "
          "on a whole range, which +-1 cannot represent";
    return std::nullopt;
  }
  return BinarySource{{}, x};
}

/// Per-output-channel alpha and sign bits of constant weights laid out as
/// `outChannels` rows of `rowSize` (element (o, r) at o * oStride + r *
/// rStride). With `detect`, every |w| must equal alpha within `tolerance`.
static LogicalResult analyzeWeights(ArrayRef<double> w, int64_t outChannels,
                                    int64_t rowSize, int64_t oStride,
                                    int64_t rStride, bool detect,
                                    double tolerance, BinaryLayer &layer,
                                    std::string &why) {
  layer.alpha.assign(outChannels, 0.0);
  layer.weightBits.assign(outChannels * rowSize, false);
  for (int64_t o = 0; o < outChannels; ++o) {
    double sum = 0, lo = INFINITY, hi = 0;
    for (int64_t r = 0; r < rowSize; ++r) {
      double v = w[o * oStride + r * rStride];
      double a = std::fabs(v);
      sum += a;
      lo = std::min(lo, a);
      hi = std::max(hi, a);
      layer.weightBits[o * rowSize + r] = signBit(v);
    }
    double alpha = sum / double(rowSize);
    if (detect && (alpha == 0 || hi - lo > tolerance * alpha)) {
      why = llvm::formatv("weights are not +-alpha per output channel: "
                          "channel {0} has |w| in [{1}, {2}]",
                          o, lo, hi);
      return failure();
    }
    layer.alpha[o] = alpha;
  }
  return success();
}

/// The per-channel (scale, shift) of an affine op applied to `input`, whose
/// last dimension is the channel axis; nullopt if `op` is not one.
static std::optional<std::pair<SmallVector<double>, SmallVector<double>>>
matchChannelAffine(Operation *op, Value input, int64_t channels) {
  auto channelVector =
      [&](Value v) -> std::optional<SmallVector<double>> {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    auto inType = cast<RankedTensorType>(input.getType());
    if (!type || !type.hasStaticShape() || type.getRank() > inType.getRank())
      return std::nullopt;
    for (int64_t d = 0; d + 1 < type.getRank(); ++d)
      if (type.getDimSize(d) != 1)
        return std::nullopt;
    auto values = getConstantValues(v);
    if (!values)
      return std::nullopt;
    if (values->size() == 1)
      return SmallVector<double>(channels, (*values)[0]);
    if (int64_t(values->size()) != channels)
      return std::nullopt;
    return values;
  };
  SmallVector<double> ones(channels, 1.0), zeros(channels, 0.0);
  if (auto bn = dyn_cast<BatchNormOp>(op)) {
    auto inType = cast<RankedTensorType>(input.getType());
    if (bn.getInput() != input || int64_t(bn.getAxis()) != inType.getRank() - 1)
      return std::nullopt;
    auto gamma = getConstantValues(bn.getGamma());
    auto beta = getConstantValues(bn.getBeta());
    auto mean = getConstantValues(bn.getMean());
    auto var = getConstantValues(bn.getVariance());
    if (!gamma || !beta || !mean || !var || int64_t(gamma->size()) != channels)
      return std::nullopt;
    SmallVector<double> s(channels), t(channels);
    for (int64_t c = 0; c < channels; ++c) {
      s[c] = (*gamma)[c] / std::sqrt((*var)[c] + bn.getEpsilon().convertToDouble());
      t[c] = (*beta)[c] - (*mean)[c] * s[c];
    }
    return std::make_pair(s, t);
  }
  if (!isa<tosa::AddOp, tosa::SubOp, tosa::MulOp>(op) ||
      op->getResult(0).getType() != input.getType())
    return std::nullopt;
  // x - c only; add and mul commute.
  Value other = op->getOperand(1);
  if (op->getOperand(0) != input) {
    if (isa<tosa::SubOp>(op) || op->getOperand(1) != input)
      return std::nullopt;
    other = op->getOperand(0);
  }
  if (auto mul = dyn_cast<tosa::MulOp>(op)) {
    DenseIntElementsAttr shift;
    if (!matchPattern(mul.getShift(), m_Constant(&shift)) || !shift.isSplat() ||
        !shift.getSplatValue<APInt>().isZero())
      return std::nullopt;
  }
  auto c = channelVector(other);
  if (!c)
    return std::nullopt;
  if (isa<tosa::AddOp>(op))
    return std::make_pair(ones, *c);
  if (isa<tosa::SubOp>(op)) {
    for (double &v : *c)
      v = -v;
    return std::make_pair(ones, *c);
  }
  return std::make_pair(*c, zeros);
}

/// The op computing sign(value) whose pieces are the only users of `value`.
static Operation *findSignOf(Value value) {
  SmallVector<Operation *> candidates;
  for (Operation *user : value.getUsers())
    for (Operation *u2 : user->getUsers()) {
      candidates.push_back(u2);
      for (Operation *u3 : u2->getUsers())
        candidates.push_back(u3);
    }
  for (Operation *candidate : candidates) {
    if (candidate->getNumResults() != 1 ||
        matchSignOf(candidate->getResult(0)) != value)
      continue;
    // Every user of `value` must be a comparison feeding this sign.
    for (Operation *user : value.getUsers())
      if (!isa<tosa::GreaterOp, tosa::GreaterEqualOp>(user))
        return nullptr;
    return candidate;
  }
  return nullptr;
}

static Value createConstShape(OpBuilder &b, Location loc,
                              ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({int64_t(values.size())}, b.getIndexType());
  return tosa::ConstShapeOp::create(
      b, loc, tosa::shapeType::get(b.getContext(), values.size()),
      DenseIntElementsAttr::get(type, values));
}

/// Packs `bits` rows of `k` into ceil(k / 32) words each, little-endian.
static SmallVector<int32_t> packBits(ArrayRef<bool> bits, int64_t rows,
                                     int64_t k) {
  int64_t words = packedWords(k);
  SmallVector<int32_t> packed(rows * words, 0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t i = 0; i < k; ++i)
      if (bits[r * k + i])
        packed[r * words + i / 32] |= int32_t(1u << (i % 32));
  return packed;
}

namespace {

class Binarizer {
public:
  Binarizer(func::FuncOp func, bool binarizeFirstLast, double alphaTolerance)
      : func(func), binarizeFirstLast(binarizeFirstLast),
        alphaTolerance(alphaTolerance), builder(func.getContext()) {}

  void run();
  std::string report;

private:
  void note(Operation *op, StringRef what) {
    std::string loc;
    llvm::raw_string_ostream os(loc);
    op->getLoc().print(os);
    report += llvm::formatv("{0} {1} {2}: {3}\n", func.getSymName(),
                            op->getName(), loc, what);
  }
  void decline(Operation *op, const std::string &why, bool remark) {
    note(op, "kept float: " + why);
    if (remark)
      op->emitRemark("not binarized: ") << why;
  }
  LogicalResult matchConv(tosa::Conv2DOp conv, bool forced, BinaryLayer &layer,
                          std::string &why);
  LogicalResult matchMatmul(tosa::MatMulOp matmul, bool forced,
                            BinaryLayer &layer, std::string &why);
  void rewrite(BinaryLayer &layer);

  func::FuncOp func;
  bool binarizeFirstLast;
  double alphaTolerance;
  IRRewriter builder;
  SmallVector<Operation *> replaced;
};

} // namespace

LogicalResult Binarizer::matchConv(tosa::Conv2DOp conv, bool forced,
                                   BinaryLayer &layer, std::string &why) {
  auto inputType = conv.getInput().getType();
  auto weightType = conv.getWeight().getType();
  auto resultType = cast<RankedTensorType>(conv.getResult().getType());
  if (!inputType.hasStaticShape() || !resultType.hasStaticShape() ||
      !resultType.getElementType().isF32()) {
    why = "not a static f32 convolution";
    return failure();
  }
  if (!isSplatConstant(conv.getInputZp(), 0.0) ||
      !isSplatConstant(conv.getWeightZp(), 0.0)) {
    why = "non-zero zero points";
    return failure();
  }
  Value input = conv.getInput();
  layer.pad.assign(conv.getPad().begin(), conv.getPad().end());
  bool convPads = llvm::any_of(layer.pad, [](int64_t p) { return p != 0; });
  layer.padValue = convPads ? PadValue::Zero : PadValue::PlusOne;
  if (auto pad = input.getDefiningOp<tosa::PadOp>()) {
    SmallVector<int64_t> padding;
    DenseIntElementsAttr paddingAttr;
    if (matchPattern(pad.getPadding(), m_Constant(&paddingAttr)))
      for (const APInt &v : paddingAttr.getValues<APInt>())
        padding.push_back(v.getSExtValue());
    bool spatialOnly = padding.size() == 8 && padding[0] == 0 &&
                       padding[1] == 0 && padding[6] == 0 && padding[7] == 0;
    bool plusOne = isSplatConstant(pad.getPadConst(), 1.0);
    bool zero = isSplatConstant(pad.getPadConst(), 0.0);
    std::string ignored;
    if (matchBinarySource(pad.getInput1(), ignored)) {
      if (!spatialOnly || convPads || (!plusOne && !zero)) {
        why = "the sign input is padded with a value other than +1 or 0, or "
              "along batch/channels, or padded twice";
        return failure();
      }
      layer.padValue = plusOne ? PadValue::PlusOne : PadValue::Zero;
      layer.pad = {padding[2], padding[3], padding[4], padding[5]};
      input = pad.getInput1();
    }
  }
  // The sign may be seen through reshapes and transposes.
  Value signValue = input;
  SmallVector<Operation *> shapeOps;
  while (isa_and_nonnull<tosa::ReshapeOp, tosa::TransposeOp>(
      signValue.getDefiningOp())) {
    shapeOps.push_back(signValue.getDefiningOp());
    signValue = signValue.getDefiningOp()->getOperand(0);
  }
  std::optional<BinarySource> source = matchBinarySource(signValue, why);
  if (!source && !forced) {
    if (why.empty())
      why = "the input is not a sign";
    return failure();
  }
  auto weights = getConstantValues(conv.getWeight());
  auto bias = getConstantValues(conv.getBias());
  if (!weights || !bias) {
    why = "weights or bias are not f32 constants";
    return failure();
  }
  layer.isConv = true;
  layer.outChannels = weightType.getDimSize(0);
  layer.channels = weightType.getDimSize(3);
  int64_t row = weightType.getNumElements() / layer.outChannels;
  layer.depth = row;
  if (failed(analyzeWeights(*weights, layer.outChannels, row, row, 1, !forced,
                            alphaTolerance, layer, why)))
    return failure();
  layer.alphaDetected = !forced;
  layer.bias.assign(layer.outChannels, 0.0);
  for (int64_t o = 0; o < layer.outChannels; ++o)
    layer.bias[o] = (*bias)[bias->size() == 1 ? 0 : o];

  // The packed input. Shape ops between the sign and the convolution are
  // replayed on the sign's input (binarize(sign(x)) = binarize(x)); packed
  // words go through them unpacked.
  builder.setInsertionPoint(conv);
  if (source && source->packed && shapeOps.empty()) {
    layer.packedInput = source->packed;
  } else {
    Value x = input;
    if (source && source->floatIn) {
      IRMapping mapping;
      mapping.map(signValue, source->floatIn);
      x = source->floatIn;
      for (Operation *shapeOp : llvm::reverse(shapeOps))
        x = builder.clone(*shapeOp, mapping)->getResult(0);
    }
    auto xType = cast<RankedTensorType>(x.getType());
    SmallVector<int64_t> shape(xType.getShape());
    shape.back() = packedWords(shape.back());
    layer.packedInput = BinarizeOp::create(
        builder, conv.getLoc(),
        RankedTensorType::get(shape, builder.getI32Type()), x);
  }
  layer.result = conv.getResult();
  return success();
}

LogicalResult Binarizer::matchMatmul(tosa::MatMulOp matmul, bool forced,
                                     BinaryLayer &layer, std::string &why) {
  auto aType = matmul.getA().getType();
  auto bType = matmul.getB().getType();
  auto resultType = cast<RankedTensorType>(matmul.getResult().getType());
  if (!aType.hasStaticShape() || !bType.hasStaticShape() ||
      !resultType.getElementType().isF32() || aType.getDimSize(0) != 1 ||
      bType.getDimSize(0) != 1) {
    why = "not a static f32 matmul of batch 1";
    return failure();
  }
  if (!isSplatConstant(matmul.getAZp(), 0.0) ||
      !isSplatConstant(matmul.getBZp(), 0.0)) {
    why = "non-zero zero points";
    return failure();
  }
  int64_t m = aType.getDimSize(1), k = aType.getDimSize(2),
          n = bType.getDimSize(2);
  // The lhs is a sign seen through reshapes and one transpose.
  Value lhs = matmul.getA();
  SmallVector<Operation *> shapeOps;
  while (isa_and_nonnull<tosa::ReshapeOp, tosa::TransposeOp>(lhs.getDefiningOp())) {
    shapeOps.push_back(lhs.getDefiningOp());
    lhs = lhs.getDefiningOp()->getOperand(0);
  }
  std::optional<BinarySource> source = matchBinarySource(lhs, why);
  if (!source && !forced) {
    if (why.empty())
      why = "the input is not a sign";
    return failure();
  }
  auto weights = getConstantValues(matmul.getB());
  if (!weights) {
    why = "weights are not an f32 constant";
    return failure();
  }
  layer.isConv = false;
  layer.outChannels = n;
  layer.channels = k;
  layer.depth = k;
  // b is [1, K, N]: output channel n is column n.
  if (failed(analyzeWeights(*weights, n, k, 1, n, !forced,
                            alphaTolerance, layer, why)))
    return failure();
  layer.alphaDetected = !forced;
  layer.bias.assign(n, 0.0);

  builder.setInsertionPoint(matmul);
  Location loc = matmul.getLoc();
  auto i32 = builder.getI32Type();
  // Fast path: a packed NHWC source flattened (in NCHW order by the ONNX
  // importer, or NHWC) with whole words per pixel: reshape the words and
  // reorder the weight rows to the NHWC order instead of unpacking.
  if (source && source->packed) {
    auto pType = cast<RankedTensorType>(source->packed.getType());
    Value floatSign = lhs;
    auto sType = cast<RankedTensorType>(floatSign.getType());
    bool nhwc = sType.getRank() == 4 && sType.getDimSize(0) == m &&
                sType.getNumElements() == m * k && sType.getDimSize(3) % 32 == 0;
    bool nchwFlatten = false, plainFlatten = true;
    for (Operation *op : shapeOps)
      if (auto t = dyn_cast<tosa::TransposeOp>(op)) {
        plainFlatten = false;
        nchwFlatten = t.getInput1() == floatSign &&
                      t.getPerms() == ArrayRef<int32_t>{0, 3, 1, 2};
      }
    if (nhwc && (nchwFlatten || plainFlatten)) {
      int64_t h = sType.getDimSize(1), w = sType.getDimSize(2),
              c = sType.getDimSize(3);
      if (nchwFlatten) {
        // Row r of the NHWC flattening (pixel p = r / C, channel r % C) is
        // row (r % C) * H * W + p of the NCHW one.
        SmallVector<bool> reordered(layer.weightBits.size());
        for (int64_t o = 0; o < n; ++o)
          for (int64_t r = 0; r < k; ++r)
            reordered[o * k + r] =
                layer.weightBits[o * k + (r % c) * h * w + r / c];
        layer.weightBits = std::move(reordered);
      }
      int64_t words = pType.getNumElements() / m;
      layer.packedInput = tosa::ReshapeOp::create(
          builder, loc, RankedTensorType::get({m, words}, i32),
          source->packed, createConstShape(builder, loc, {m, words}));
    }
  }
  if (!layer.packedInput) {
    // General path: binarize the lhs as [M, K]. For sign(x) the shape ops
    // are replayed on x (binarize(sign(x)) = binarize(x) element-wise), so
    // the sign itself is not computed.
    Value a = matmul.getA();
    if (source && source->floatIn) {
      IRMapping mapping;
      mapping.map(lhs, source->floatIn);
      a = source->floatIn;
      for (Operation *shapeOp : llvm::reverse(shapeOps))
        a = builder.clone(*shapeOp, mapping)->getResult(0);
    }
    auto flat = RankedTensorType::get({m, k}, aType.getElementType());
    Value a2 = tosa::ReshapeOp::create(builder, loc, flat, a,
                                       createConstShape(builder, loc, {m, k}));
    layer.packedInput = BinarizeOp::create(
        builder, loc, RankedTensorType::get({m, packedWords(k)}, i32), a2);
  }
  // The epilogue works on [M, N]: through the importer's reshape if present.
  Value result = matmul.getResult();
  if (result.hasOneUse())
    if (auto reshape = dyn_cast<tosa::ReshapeOp>(*result.getUsers().begin()))
      if (reshape.getType().getShape() == ArrayRef<int64_t>{m, n})
        result = reshape.getResult();
  // Without it the epilogue runs on [1, M, N]; rewrite() reshapes the
  // [M, N] bmatmul result back.
  layer.result = result;
  return success();
}

void Binarizer::rewrite(BinaryLayer &layer) {
  Operation *op = layer.op;
  Location loc = op->getLoc();
  MLIRContext *ctx = op->getContext();
  int64_t outC = layer.outChannels;
  auto resultType = cast<RankedTensorType>(layer.result.getType());

  // Walk the epilogue: affine* [clamp affine*] [slice] [max_pool2d] sign.
  ChannelAffine pre{layer.alpha, layer.bias};
  ChannelAffine post{SmallVector<double>(outC, 1.0),
                     SmallVector<double>(outC, 0.0)};
  std::optional<std::pair<double, double>> clamp;
  Value floatEnd = layer.result; // the last value a float epilogue computes
  Value cur = layer.result;
  while (cur.hasOneUse()) {
    Operation *user = *cur.getUsers().begin();
    if (auto affine = matchChannelAffine(user, cur, outC)) {
      (clamp ? post : pre).then(affine->first, affine->second);
    } else if (auto c = dyn_cast<tosa::ClampOp>(user)) {
      auto lo = dyn_cast<FloatAttr>(c.getMinValAttr());
      auto hi = dyn_cast<FloatAttr>(c.getMaxValAttr());
      if (clamp || !lo || !hi)
        break;
      clamp = {lo.getValueAsDouble(), hi.getValueAsDouble()};
    } else {
      break;
    }
    cur = user->getResult(0);
    // A float epilogue absorbs the affine ops up to and with the clamp.
    if (!clamp || isa<tosa::ClampOp>(user))
      floatEnd = cur;
  }
  // Optional slice (floor-mode pooling as imported) and max pool, then sign.
  tosa::SliceOp slice;
  tosa::MaxPool2dOp pool;
  if (layer.isConv && cur.hasOneUse()) {
    Operation *user = *cur.getUsers().begin();
    slice = dyn_cast<tosa::SliceOp>(user);
    // Only a spatial crop (ONNX floor-mode pooling) moves onto the words.
    if (slice) {
      DenseIntElementsAttr start;
      bool spatial = matchPattern(slice.getStart(), m_Constant(&start)) &&
                     start.getNumElements() == 4 &&
                     (*start.getValues<APInt>().begin()).isZero() &&
                     start.getValues<APInt>()[3].isZero() &&
                     slice.getType().getDimSize(3) == outC &&
                     slice.getResult().hasOneUse();
      if (spatial)
        user = *slice.getResult().getUsers().begin();
      else
        slice = {};
    }
    pool = dyn_cast<tosa::MaxPool2dOp>(user);
    if (pool)
      cur = pool.getResult();
    else
      slice = {};
  }
  Operation *sign = findSignOf(cur);
  if (pool && !sign && cur.hasOneUse() &&
      isa<BatchNormOp>(*cur.getUsers().begin()))
    (*cur.getUsers().begin())
        ->emitRemark("batch norm after max_pool2d does not fuse into the "
                     "binary layer: with gamma < 0 the max would become a "
                     "min; the layer keeps a float epilogue");
  // A clamp bound that the ops after it map to exactly 0 makes the ONNX sign
  // 0 for a whole range of dot (a ReLU right before the sign).
  bool zeroOnRange =
      clamp && llvm::any_of(llvm::seq<int64_t>(0, outC), [&](int64_t o) {
        return post.scale[o] * clamp->first + post.shift[o] == 0 ||
               post.scale[o] * clamp->second + post.shift[o] == 0;
      });
  if (sign && zeroOnRange) {
    sign->emitRemark("the sign of a clamped value is 0 on a whole range "
                     "(ReLU before sign), which +-1 cannot represent: the "
                     "layer keeps a float epilogue");
    sign = nullptr;
  }

  auto allFinite = [](ArrayRef<double> values) {
    return llvm::all_of(values, [](double v) { return std::isfinite(v); });
  };
  if (sign && !(allFinite(pre.scale) && allFinite(pre.shift) &&
                allFinite(post.scale) && allFinite(post.shift))) {
    sign->emitRemark("the epilogue before this sign is not finite (a batch "
                     "norm with variance + epsilon = 0?): no thresholds");
    sign = nullptr;
  }

  auto i32 = builder.getI32Type();
  auto f32 = builder.getF32Type();
  SmallVector<int64_t> outShape(resultType.getShape());
  int64_t k = layer.depth;
  SmallVector<NamedAttribute> attrs;
  if (layer.isConv) {
    auto conv = cast<tosa::Conv2DOp>(op);
    attrs.push_back(builder.getNamedAttr("channels",
                                         builder.getI64IntegerAttr(layer.channels)));
    attrs.push_back(builder.getNamedAttr("stride", conv.getStrideAttr()));
    attrs.push_back(builder.getNamedAttr("pad", builder.getDenseI64ArrayAttr(layer.pad)));
    attrs.push_back(builder.getNamedAttr("dilation", conv.getDilationAttr()));
    attrs.push_back(builder.getNamedAttr(
        "pad_value", PadValueAttr::get(ctx, layer.padValue)));
  } else {
    attrs.push_back(builder.getNamedAttr("k", builder.getI64IntegerAttr(k)));
  }

  SmallVector<bool> flip(outC, false);
  std::string summary;
  builder.setInsertionPoint(op);
  if (sign) {
    // y >= 0 per channel, reduced to a threshold on dot (see the header).
    SmallVector<int32_t> thresholds(outC);
    int64_t flipped = 0, constant = 0;
    for (int64_t o = 0; o < outC; ++o) {
      enum Kind { Always, Never, AtLeast, AtMost } kind;
      double u = 0;
      double s = post.scale[o], t = post.shift[o];
      // In terms of r = clamp(z): r >= u or r <= u.
      bool rAtLeast = s > 0;
      if (s == 0) {
        kind = t >= 0 ? Always : Never;
      } else {
        u = -t / s;
        kind = rAtLeast ? AtLeast : AtMost;
        if (clamp) {
          auto [lo, hi] = *clamp;
          if (rAtLeast)
            kind = u <= lo ? Always : u > hi ? Never : AtLeast;
          else
            kind = u >= hi ? Always : u < lo ? Never : AtMost;
        }
      }
      // In terms of dot, with z = M * dot + B.
      double m = pre.scale[o], b = pre.shift[o];
      if (kind == AtLeast || kind == AtMost) {
        if (m == 0) {
          bool holds = kind == AtLeast ? b >= u : b <= u;
          kind = holds ? Always : Never;
        } else {
          u = (u - b) / m;
          if (m < 0)
            kind = kind == AtLeast ? AtMost : AtLeast;
        }
      }
      switch (kind) {
      case Always:
        thresholds[o] = int32_t(-k - 1);
        ++constant;
        break;
      case Never:
        thresholds[o] = int32_t(k + 1);
        ++constant;
        break;
      case AtLeast:
        thresholds[o] = int32_t(std::clamp<double>(std::ceil(u), -k - 1, k + 1));
        break;
      case AtMost:
        flip[o] = true;
        ++flipped;
        thresholds[o] = int32_t(std::clamp<double>(std::ceil(-u), -k - 1, k + 1));
        break;
      }
    }
    attrs.push_back(builder.getNamedAttr(
        "thresholds", builder.getDenseI32ArrayAttr(thresholds)));
    summary = llvm::formatv("thresholds ({0} flipped, {1} constant)", flipped,
                            constant);
    SmallVector<int64_t> packedShape = outShape;
    packedShape.back() = packedWords(outC);
    floatEnd = {};
    outShape = packedShape;
  } else {
    SmallVector<float> mult(outC), bias(outC);
    for (int64_t o = 0; o < outC; ++o) {
      mult[o] = float(pre.scale[o]);
      bias[o] = float(pre.shift[o]);
    }
    attrs.push_back(builder.getNamedAttr("multiplier", builder.getDenseF32ArrayAttr(mult)));
    attrs.push_back(builder.getNamedAttr("bias", builder.getDenseF32ArrayAttr(bias)));
    if (clamp) {
      attrs.push_back(builder.getNamedAttr("clamp_min", builder.getF32FloatAttr(clamp->first)));
      attrs.push_back(builder.getNamedAttr("clamp_max", builder.getF32FloatAttr(clamp->second)));
    }
    summary = clamp ? "float epilogue with clamp" : "float epilogue";
  }

  // Weights, with flipped channels inverted, packed at compile time.
  int64_t row = layer.weightBits.size() / outC;
  SmallVector<bool> bits(layer.weightBits);
  for (int64_t o = 0; o < outC; ++o)
    if (flip[o])
      for (int64_t r = 0; r < row; ++r)
        bits[o * row + r] = !bits[o * row + r];
  Value filter;
  if (layer.isConv) {
    auto wType = cast<tosa::Conv2DOp>(op).getWeight().getType();
    int64_t kh = wType.getDimSize(1), kw = wType.getDimSize(2);
    SmallVector<int32_t> packed =
        packBits(bits, outC * kh * kw, layer.channels);
    auto type = RankedTensorType::get(
        {outC, kh, kw, packedWords(layer.channels)}, i32);
    filter = tosa::ConstOp::create(builder, loc, type,
                                   DenseIntElementsAttr::get(type, ArrayRef(packed)));
  } else {
    SmallVector<int32_t> packed = packBits(bits, outC, k);
    auto type = RankedTensorType::get({outC, packedWords(k)}, i32);
    filter = tosa::ConstOp::create(builder, loc, type,
                                   DenseIntElementsAttr::get(type, ArrayRef(packed)));
  }

  SmallVector<int64_t> computeShape = outShape;
  if (!layer.isConv && computeShape.size() == 3)
    computeShape.erase(computeShape.begin());
  Type computeType =
      RankedTensorType::get(computeShape, sign ? Type(i32) : Type(f32));
  Operation *compute;
  if (layer.isConv)
    compute = BConv2DOp::create(builder, loc, TypeRange{computeType},
                                ValueRange{layer.packedInput, filter}, attrs);
  else
    compute = BMatmulOp::create(builder, loc, TypeRange{computeType},
                                ValueRange{layer.packedInput, filter}, attrs);
  std::string padNote;
  if (layer.isConv)
    padNote = llvm::formatv(", pad_value = {0}",
                            stringifyPadValue(layer.padValue));
  note(op, llvm::formatv("binarized to {0}: K = {1} ({2} words per {3}){4}, "
                         "alpha {5}, {6}",
                         compute->getName(), k, packedWords(layer.channels),
                         layer.isConv ? "pixel" : "row", padNote,
                         layer.alphaDetected ? "detected" : "= mean |W| (qnt.config)",
                         summary)
               .str());

  Value out = compute->getResult(0);
  if (cast<RankedTensorType>(out.getType()).getRank() != resultType.getRank()) {
    // A bmatmul of a [1, M, K] tosa.matmul without the importer's reshape.
    SmallVector<int64_t> shape(resultType.getShape());
    shape.back() = outShape.back();
    auto type = RankedTensorType::get(shape, getElementTypeOrSelf(out.getType()));
    out = tosa::ReshapeOp::create(builder, loc, type, out,
                                  createConstShape(builder, loc, shape));
  }
  if (!sign) {
    Operation *old = floatEnd.getDefiningOp();
    builder.replaceAllUsesWith(floatEnd, out);
    replaced.push_back(old);
    replaced.push_back(op);
    return;
  }
  // Packed path: slice and pool on the words, then unpack for float users;
  // binary consumers read the words through the unpack.
  Value packed = out;
  if (slice) {
    SmallVector<int64_t> start, size;
    DenseIntElementsAttr startAttr;
    if (matchPattern(slice.getStart(), m_Constant(&startAttr)))
      for (const APInt &v : startAttr.getValues<APInt>())
        start.push_back(v.getSExtValue());
    auto sliceType = slice.getType();
    size.assign(sliceType.getShape().begin(), sliceType.getShape().end());
    size.back() = packedWords(outC);
    packed = tosa::SliceOp::create(
        builder, loc, RankedTensorType::get(size, i32), packed,
        createConstShape(builder, slice.getLoc(), start),
        createConstShape(builder, slice.getLoc(), size));
  }
  if (pool) {
    SmallVector<int64_t> shape(pool.getType().getShape());
    shape.back() = packedWords(outC);
    packed = BMaxPool2DOp::create(
        builder, pool.getLoc(), RankedTensorType::get(shape, i32), packed,
        pool.getKernelAttr(), pool.getStrideAttr(), pool.getPadAttr());
  }
  Value signResult = sign->getResult(0);
  Value unpacked = UnpackOp::create(builder, sign->getLoc(),
                                    signResult.getType(), packed);
  builder.replaceAllUsesWith(signResult, unpacked);
  replaced.push_back(op);
  replaced.push_back(sign);
}

void Binarizer::run() {
  SmallVector<Operation *> compute;
  func.walk([&](Operation *op) {
    if (isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::MatMulOp,
            tosa::TransposeConv2DOp>(op))
      compute.push_back(op);
  });
  for (size_t i = 0; i < compute.size(); ++i) {
    Operation *op = compute[i];
    auto config = op->getAttrOfType<LayerConfigAttr>("qnt.config");
    bool forced = config && config.getWeightBits() == 1;
    if (forced && config.getActivationBits() != 1) {
      decline(op, "qnt.config asks for binary weights with multi-bit "
                  "activations, which XNOR-popcount cannot compute", true);
      continue;
    }
    bool edge = i == 0 || i + 1 == compute.size();
    if (edge && !forced && !binarizeFirstLast) {
      decline(op, i == 0 ? "first layer (binarize-first-last=false)"
                         : "last layer (binarize-first-last=false)",
              false);
      continue;
    }
    BinaryLayer layer;
    layer.op = op;
    std::string why;
    LogicalResult matched = failure();
    if (auto conv = dyn_cast<tosa::Conv2DOp>(op))
      matched = matchConv(conv, forced, layer, why);
    else if (auto matmul = dyn_cast<tosa::MatMulOp>(op))
      matched = matchMatmul(matmul, forced, layer, why);
    else
      why = "no binary form of this op";
    if (failed(matched)) {
      // A layer fed by a sign that still cannot be binary gets a remark.
      bool signFed = llvm::any_of(op->getOperands(), [](Value v) {
        while (isa_and_nonnull<tosa::ReshapeOp, tosa::TransposeOp, tosa::PadOp>(
            v.getDefiningOp()))
          v = v.getDefiningOp()->getOperand(0);
        return matchSignOf(v) || v.getDefiningOp<UnpackOp>();
      });
      decline(op, why, signFed || forced);
      continue;
    }
    rewrite(layer);
  }
  // Erase what the rewrites left unused (old layers, epilogue ops, signs).
  SmallVector<Operation *> worklist(replaced.begin(), replaced.end());
  llvm::SmallPtrSet<Operation *, 32> erased;
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (erased.contains(op))
      continue;
    if (!op->use_empty()) {
      // Results feed other dead ops first: visit users later.
      continue;
    }
    if (!isMemoryEffectFree(op))
      continue;
    for (Value operand : op->getOperands())
      if (Operation *def = operand.getDefiningOp())
        worklist.push_back(def);
    erased.insert(op);
    builder.eraseOp(op);
  }
}

namespace {
struct QntBinarizePass : qnt::impl::QntBinarizePassBase<QntBinarizePass> {
  using QntBinarizePassBase::QntBinarizePassBase;

  void runOnOperation() override {
    std::string text;
    getOperation()->walk([&](func::FuncOp func) {
      Binarizer binarizer(func, binarizeFirstLast, alphaTolerance);
      binarizer.run();
      text += binarizer.report;
    });
    if (report.empty())
      return;
    if (report == "-") {
      llvm::outs() << text;
      llvm::outs().flush();
      return;
    }
    std::error_code ec;
    llvm::raw_fd_ostream os(report, ec, llvm::sys::fs::OF_Text);
    if (ec) {
      getOperation()->emitError("cannot write the binarization report to '")
          << report << "': " << ec.message();
      return signalPassFailure();
    }
    os << text;
  }
};
} // namespace
