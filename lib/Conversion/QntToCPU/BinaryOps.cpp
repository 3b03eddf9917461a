//===- BinaryOps.cpp - binary qnt ops to linalg / scf + vector ------------===//
//
// Lowers qnt.binarize, qnt.unpack, qnt.bmatmul, qnt.bconv2d and
// qnt.bmaxpool2d on tensors (DESIGN.md §4: +1 <-> bit 0, -1 <-> bit 1, words
// little-endian along the innermost axis, tail bits 0 on both operands).
//
// Both operands have 0 tail bits, so every word contributes
// bits(word) - 2 * popcount(a ^ w), where bits(word) is 32 except for the
// last word of a row (K % 32), and dot = K - 2 * sum popcount(a ^ w).
//
// bconv2d pads the packed input with 0 words, i.e. +1 values: that is
// pad_value = plus_one. For pad_value = zero a padded tap must contribute 0
// instead of sum_c filter[o, i, j, c] = C - 2 * popcount(filter[o, i, j]),
// so the lowering subtracts
//   corr[y, x, o] = sum over taps (i, j) that fall into the padding of
//                   C - 2 * popcount(filter[o, i, j, :])
// which depends on the output position but not on the batch index.
//
// The vector kernels (vectorBits > 0) put the output channels in the lanes:
// the rhs/filter is repacked once to [O / L, depth words, L], one packed
// word of the lhs row is broadcast and XORed with L channels at a time, and
// an MR x NR block of vector<L x i32> accumulators stays in registers over
// the whole depth. No horizontal reduction is needed, and the epilogue
// (K - 2 * acc, the float multiplier/bias/clamp or the threshold compare,
// re-packed 32 channels per word) runs on the accumulators. Rows beyond the
// last one (M % MR) recompute and rewrite the last row.
//
//===----------------------------------------------------------------------===//

#include "BinaryOps.h"

#include "qnt/IR/QntOps.h"
#include "qnt/Utils/Numerics.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;
using namespace mlir::qnt;

//===----------------------------------------------------------------------===//
// Small builders
//===----------------------------------------------------------------------===//

static Value indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

static Value i32Constant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(int32_t(value)));
}

static Value i32Tensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                       ArrayRef<int32_t> values) {
  auto type = RankedTensorType::get(shape, b.getI32Type());
  return arith::ConstantOp::create(b, loc,
                                   DenseElementsAttr::get(type, values));
}

static Value f32Tensor(OpBuilder &b, Location loc, ArrayRef<float> values) {
  auto type = RankedTensorType::get({int64_t(values.size())}, b.getF32Type());
  return arith::ConstantOp::create(b, loc,
                                   DenseElementsAttr::get(type, values));
}

static Value filled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                    Value scalar) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, scalar.getType());
  return linalg::FillOp::create(b, loc, ValueRange{scalar}, ValueRange{empty})
      .getResult(0);
}

/// `value` padded with `padScalar` by `low`/`high` elements per dimension.
static Value padTensor(OpBuilder &b, Location loc, Value value,
                       ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                       Value padScalar) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return value;
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape(type.getShape());
  for (auto [size, l, h] : llvm::zip_equal(shape, low, high))
    size += l + h;
  return tensor::PadOp::create(b, loc, type.clone(shape), value,
                               getAsIndexOpFoldResult(b.getContext(), low),
                               getAsIndexOpFoldResult(b.getContext(), high),
                               padScalar);
}

/// `value` with its last dimension padded to `size` with `padScalar`.
static Value padLastDim(OpBuilder &b, Location loc, Value value, int64_t size,
                        Value padScalar) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> low(type.getRank(), 0), high(type.getRank(), 0);
  high.back() = size - type.getShape().back();
  return padTensor(b, loc, value, low, high, padScalar);
}

/// Reassociation grouping the dimensions [first, first + count) and keeping
/// the others, for a tensor of `rank` dimensions after the collapse.
static SmallVector<ReassociationIndices>
groupDims(int64_t collapsedRank, int64_t first, int64_t count) {
  SmallVector<ReassociationIndices> groups;
  int64_t dim = 0;
  for (int64_t i = 0; i < collapsedRank; ++i) {
    ReassociationIndices group;
    int64_t size = i == first ? count : 1;
    for (int64_t j = 0; j < size; ++j)
      group.push_back(dim++);
    groups.push_back(group);
  }
  return groups;
}

/// [..., A * B] -> [..., A, B].
static Value splitLastDim(OpBuilder &b, Location loc, Value value,
                          int64_t inner) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape.back() /= inner;
  shape.push_back(inner);
  return tensor::ExpandShapeOp::create(
      b, loc, type.clone(shape), value,
      groupDims(type.getRank(), type.getRank() - 1, 2));
}

/// [d0, ..., dn] -> [d0 * ... * d(n-1), dn] (a rank-1 tensor gets a
/// leading 1).
static Value collapseToRows(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  if (rank == 2)
    return value;
  auto rowsType =
      type.clone({ShapedType::getNumElements(type.getShape().drop_back()),
                  type.getShape().back()});
  if (rank == 1)
    return tensor::ExpandShapeOp::create(
        b, loc, rowsType, value, SmallVector<ReassociationIndices>{{0, 1}});
  return tensor::CollapseShapeOp::create(b, loc, rowsType, value,
                                         groupDims(2, 0, rank - 1));
}

/// The inverse of collapseToRows for a result of type `type`.
static Value restoreRows(OpBuilder &b, Location loc, Value rows,
                         RankedTensorType type) {
  int64_t rank = type.getRank();
  if (rank == 2)
    return rows;
  if (rank == 1)
    return tensor::CollapseShapeOp::create(
        b, loc, type, rows, SmallVector<ReassociationIndices>{{0, 1}});
  return tensor::ExpandShapeOp::create(b, loc, type, rows,
                                       groupDims(2, 0, rank - 1));
}

/// Bits held by each word of a row of `depth` packed values.
static SmallVector<int32_t> wordBits(int64_t depth) {
  SmallVector<int32_t> bits(packedWords(depth), 32);
  if (depth % 32)
    bits.back() = int32_t(depth % 32);
  return bits;
}

static SmallVector<utils::IteratorType> iterators(int64_t parallel,
                                                  int64_t reduction) {
  SmallVector<utils::IteratorType> result(parallel,
                                          utils::IteratorType::parallel);
  result.append(reduction, utils::IteratorType::reduction);
  return result;
}

/// bits - 2 * popcount(a ^ w): one word's share of the dot product.
static Value wordDot(OpBuilder &b, Location loc, Value a, Value w, Value bits) {
  Value count =
      math::CtPopOp::create(b, loc, arith::XOrIOp::create(b, loc, a, w));
  Value twice = arith::AddIOp::create(b, loc, count, count);
  return arith::SubIOp::create(b, loc, bits, twice);
}

/// Packs `source` [..., 32 * W] into [..., W] words: bit b of word w is
/// `isMinusOne(source[..., 32 w + b], param[w, b])` (param may be null).
static Value
packWords(OpBuilder &b, Location loc, Value source, Value param,
          function_ref<Value(OpBuilder &, Location, Value, Value)> isMinusOne) {
  Value split = splitLastDim(b, loc, source, 32);
  auto splitType = cast<RankedTensorType>(split.getType());
  int64_t rank = splitType.getRank();
  MLIRContext *context = b.getContext();
  SmallVector<Value> inputs = {split};
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  if (param) {
    inputs.push_back(param);
    maps.push_back(AffineMap::get(rank, 0,
                                  {getAffineDimExpr(rank - 2, context),
                                   getAffineDimExpr(rank - 1, context)},
                                  context));
  }
  maps.push_back(b.getMultiDimIdentityMap(rank).dropResult(rank - 1));
  Value init =
      filled(b, loc, splitType.getShape().drop_back(), i32Constant(b, loc, 0));
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
      iterators(rank - 1, 1),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value bit = isMinusOne(nb, nloc, args[0], param ? args[1] : Value());
        Value position = arith::IndexCastOp::create(
            nb, nloc, nb.getI32Type(),
            linalg::IndexOp::create(nb, nloc, rank - 1));
        Value word = arith::ShLIOp::create(
            nb, nloc, arith::ExtUIOp::create(nb, nloc, nb.getI32Type(), bit),
            position);
        linalg::YieldOp::create(
            nb, nloc, Value(arith::OrIOp::create(nb, nloc, args.back(), word)));
      });
  return generic.getResult(0);
}

/// x < 0 for floats (false for -0 and NaN) and signed integers.
static Value isNegative(OpBuilder &b, Location loc, Value x) {
  Type type = getElementTypeOrSelf(x.getType());
  if (isa<FloatType>(type)) {
    Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(x.getType()));
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, zero);
  }
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(x.getType()));
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, zero);
}

//===----------------------------------------------------------------------===//
// Epilogues
//===----------------------------------------------------------------------===//

namespace {

/// What bmatmul/bconv2d make of the dot products (see the op docs).
struct Epilogue {
  enum class Kind { Raw, Float, Packed } kind;
  int64_t channels;
  SmallVector<float> multiplier, bias;
  std::optional<float> clampMin, clampMax;
  SmallVector<int32_t> thresholds;

  template <typename OpTy> static Epilogue of(OpTy op, int64_t channels) {
    Epilogue e;
    e.channels = channels;
    if (op.getOutput().getType().getElementType().isF32()) {
      e.kind = Kind::Float;
      e.multiplier.assign(channels, 1.0f);
      e.bias.assign(channels, 0.0f);
      if (auto m = op.getMultiplier())
        e.multiplier.assign(m->begin(), m->end());
      if (auto bias = op.getBias())
        e.bias.assign(bias->begin(), bias->end());
      if (auto lo = op.getClampMin())
        e.clampMin = lo->convertToFloat();
      if (auto hi = op.getClampMax())
        e.clampMax = hi->convertToFloat();
    } else if (auto thresholds = op.getThresholds()) {
      e.kind = Kind::Packed;
      e.thresholds.assign(thresholds->begin(), thresholds->end());
    } else {
      e.kind = Kind::Raw;
    }
    return e;
  }

  /// Thresholds padded to `size` channels with INT32_MIN: the padding
  /// channels always compare as +1, so the tail bits of a word stay 0.
  SmallVector<int32_t> paddedThresholds(int64_t size) const {
    SmallVector<int32_t> padded(thresholds);
    padded.resize(size, std::numeric_limits<int32_t>::min());
    return padded;
  }
};

} // namespace

/// clamp(multiplier * float(dot) + bias) on scalars or vectors (f32).
static Value floatEpilogue(OpBuilder &b, Location loc, const Epilogue &e,
                           Value dot, Value multiplier, Value bias) {
  Type f32 = b.getF32Type();
  Type floatType = f32;
  if (auto vectorType = dyn_cast<VectorType>(dot.getType()))
    floatType = vectorType.clone(f32);
  Value x = arith::SIToFPOp::create(b, loc, floatType, dot);
  x = arith::MulFOp::create(b, loc, x, multiplier);
  x = arith::AddFOp::create(b, loc, x, bias);
  auto splat = [&](float v) -> Value {
    Attribute attr = b.getF32FloatAttr(v);
    if (auto vectorType = dyn_cast<VectorType>(floatType))
      attr = DenseElementsAttr::get(vectorType, attr);
    return arith::ConstantOp::create(b, loc, cast<TypedAttr>(attr));
  };
  if (e.clampMin)
    x = arith::MaximumFOp::create(b, loc, x, splat(*e.clampMin));
  if (e.clampMax)
    x = arith::MinimumFOp::create(b, loc, x, splat(*e.clampMax));
  return x;
}

/// The scalar epilogue on a dot tensor [..., O].
static Value applyEpilogue(OpBuilder &b, Location loc, const Epilogue &e,
                           Value dot) {
  auto dotType = cast<RankedTensorType>(dot.getType());
  int64_t rank = dotType.getRank();
  MLIRContext *context = b.getContext();
  switch (e.kind) {
  case Epilogue::Kind::Raw:
    return dot;
  case Epilogue::Kind::Float: {
    Value init =
        tensor::EmptyOp::create(b, loc, dotType.getShape(), b.getF32Type());
    AffineMap identity = b.getMultiDimIdentityMap(rank);
    AffineMap channel =
        AffineMap::get(rank, 0, getAffineDimExpr(rank - 1, context));
    auto generic = linalg::GenericOp::create(
        b, loc, TypeRange{init.getType()},
        ValueRange{dot, f32Tensor(b, loc, e.multiplier),
                   f32Tensor(b, loc, e.bias)},
        ValueRange{init}, {identity, channel, channel, identity},
        iterators(rank, 0), [&](OpBuilder &nb, Location nloc, ValueRange args) {
          linalg::YieldOp::create(
              nb, nloc, floatEpilogue(nb, nloc, e, args[0], args[1], args[2]));
        });
    return generic.getResult(0);
  }
  case Epilogue::Kind::Packed: {
    int64_t words = packedWords(e.channels);
    Value padded = padLastDim(b, loc, dot, 32 * words, i32Constant(b, loc, 0));
    Value thresholds =
        i32Tensor(b, loc, {words, 32}, e.paddedThresholds(32 * words));
    return packWords(b, loc, padded, thresholds,
                     [](OpBuilder &nb, Location nloc, Value d, Value t) {
                       return Value(arith::CmpIOp::create(
                           nb, nloc, arith::CmpIPredicate::slt, d, t));
                     });
  }
  }
  llvm_unreachable("unknown epilogue");
}

//===----------------------------------------------------------------------===//
// bconv2d pieces shared by the scalar and the vector lowering
//===----------------------------------------------------------------------===//

namespace {

/// The static geometry of a bconv2d.
struct ConvGeometry {
  int64_t batch, height, width, words, outChannels, kh, kw, outH, outW;
  int64_t channels;
  SmallVector<int64_t> stride, pad, dilation;

  static ConvGeometry of(BConv2DOp op) {
    ConvGeometry g;
    ArrayRef<int64_t> in = op.getInput().getType().getShape();
    ArrayRef<int64_t> filter = op.getFilter().getType().getShape();
    ArrayRef<int64_t> out = op.getOutput().getType().getShape();
    g.batch = in[0];
    g.height = in[1];
    g.width = in[2];
    g.words = in[3];
    g.outChannels = filter[0];
    g.kh = filter[1];
    g.kw = filter[2];
    g.outH = out[1];
    g.outW = out[2];
    g.channels = op.getChannels();
    g.stride.assign(op.getStride().begin(), op.getStride().end());
    g.pad.assign(op.getPad().begin(), op.getPad().end());
    g.dilation.assign(op.getDilation().begin(), op.getDilation().end());
    return g;
  }

  bool padded() const {
    return llvm::any_of(pad, [](int64_t p) { return p != 0; });
  }

  /// The input padded with 0 words (+1 values) on the spatial borders.
  Value padInput(OpBuilder &b, Location loc, Value input) const {
    return padTensor(b, loc, input, {0, pad[0], pad[2], 0},
                     {0, pad[1], pad[3], 0}, i32Constant(b, loc, 0));
  }

  /// (y * sh + i * dh, x * sw + j * dw) over the loops (.., y, x, .., i, j).
  SmallVector<AffineExpr> window(AffineExpr y, AffineExpr x, AffineExpr i,
                                 AffineExpr j) const {
    return {y * stride[0] + i * dilation[0], x * stride[1] + j * dilation[1]};
  }
};

} // namespace

/// corr[y, x, o] (see the file header) for pad_value = zero, padded to
/// `paddedChannels` output channels with 0.
static Value zeroPadCorrection(OpBuilder &b, Location loc,
                               const ConvGeometry &g, Value filter,
                               int64_t paddedChannels) {
  MLIRContext *context = b.getContext();
  // fsum[o, i, j] = C - 2 * popcount(filter[o, i, j, :]).
  AffineExpr o, i, j, c, y, x;
  bindDims(context, o, i, j, c);
  Value bits = i32Tensor(b, loc, {g.words}, wordBits(g.channels));
  Value fsumInit =
      filled(b, loc, {g.outChannels, g.kh, g.kw}, i32Constant(b, loc, 0));
  Value fsum =
      linalg::GenericOp::create(
          b, loc, TypeRange{fsumInit.getType()}, ValueRange{filter, bits},
          ValueRange{fsumInit},
          {AffineMap::get(4, 0, {o, i, j, c}, context),
           AffineMap::get(4, 0, {c}, context),
           AffineMap::get(4, 0, {o, i, j}, context)},
          iterators(3, 1),
          [&](OpBuilder &nb, Location nloc, ValueRange args) {
            Value zero = i32Constant(nb, nloc, 0);
            Value share = wordDot(nb, nloc, zero, args[0], args[1]);
            linalg::YieldOp::create(
                nb, nloc,
                Value(arith::AddIOp::create(nb, nloc, args[2], share)));
          })
          .getResult(0);
  fsum =
      padTensor(b, loc, fsum, {0, 0, 0}, {paddedChannels - g.outChannels, 0, 0},
                i32Constant(b, loc, 0));

  // 1 where the padded input is padding, 0 inside the image.
  int64_t paddedH = g.height + g.pad[0] + g.pad[1];
  int64_t paddedW = g.width + g.pad[2] + g.pad[3];
  SmallVector<int32_t> outside(paddedH * paddedW);
  for (int64_t r = 0; r < paddedH; ++r)
    for (int64_t s = 0; s < paddedW; ++s)
      outside[r * paddedW + s] = r < g.pad[0] || r >= g.pad[0] + g.height ||
                                 s < g.pad[2] || s >= g.pad[2] + g.width;
  Value mask = i32Tensor(b, loc, {paddedH, paddedW}, outside);

  bindDims(context, y, x, o, i, j);
  Value init =
      filled(b, loc, {g.outH, g.outW, paddedChannels}, i32Constant(b, loc, 0));
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, ValueRange{mask, fsum},
             ValueRange{init},
             {AffineMap::get(5, 0, g.window(y, x, i, j), context),
              AffineMap::get(5, 0, {o, i, j}, context),
              AffineMap::get(5, 0, {y, x, o}, context)},
             iterators(3, 2),
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value share = arith::MulIOp::create(nb, nloc, args[0], args[1]);
               linalg::YieldOp::create(
                   nb, nloc,
                   Value(arith::AddIOp::create(nb, nloc, args[2], share)));
             })
      .getResult(0);
}

//===----------------------------------------------------------------------===//
// Vector kernels
//===----------------------------------------------------------------------===//

namespace {

/// Register blocking of the XOR-popcount kernels: `rows` lhs rows (output
/// pixels) times `vectors` vectors of `lanes` output channels.
struct Blocking {
  int64_t lanes, rows, vectors;
  /// Popcounts summed per byte first: the widths below 512 bits stand for
  /// ISAs without a vector popcount instruction.
  bool byteCounts;

  /// The block for `vectorBits`-bit registers, for `rowExtent` rows and
  /// `channels` output channels. About 24 accumulators with AVX-512's 32
  /// registers, 4 with 16 (the byte-count popcount needs registers of its
  /// own); fewer rows free registers for more channels. A packed output
  /// needs whole words of channels per block.
  static Blocking choose(int64_t vectorBits, int64_t rowExtent,
                         int64_t channels, bool packedOutput) {
    Blocking k;
    k.lanes = vectorBits / 32;
    k.byteCounts = vectorBits < 512;
    int64_t maxRows = vectorBits >= 512 ? 6 : 2;
    int64_t maxVectors = vectorBits >= 512 ? 4 : 2;
    int64_t accumulators = maxRows * maxVectors;
    k.rows = std::min(maxRows, rowExtent);
    int64_t channelVectors = llvm::divideCeil(channels, k.lanes);
    k.vectors =
        std::min(std::min<int64_t>(accumulators / k.rows, 8), channelVectors);
    if (packedOutput) {
      int64_t perWord = std::max<int64_t>(1, 32 / k.lanes);
      k.vectors = llvm::alignTo(k.vectors, perWord);
    }
    return k;
  }

  int64_t channelsPerBlock() const { return lanes * vectors; }

  /// Output channels rounded up to whole blocks.
  int64_t paddedChannels(int64_t channels) const {
    return llvm::alignTo(channels, channelsPerBlock());
  }
};

/// Per-channel constants of the vector epilogue, padded to whole blocks.
struct VectorEpilogue {
  Epilogue e;
  Blocking k;
  Value multiplier, bias, thresholds;
  /// Total depth in bits: dot = depth - 2 * popcount.
  int64_t depth;

  VectorEpilogue(OpBuilder &b, Location loc, Epilogue epilogue,
                 Blocking blocking, int64_t depth)
      : e(std::move(epilogue)), k(blocking), depth(depth) {
    int64_t padded = k.paddedChannels(e.channels);
    if (e.kind == Epilogue::Kind::Float) {
      SmallVector<float> m(e.multiplier), c(e.bias);
      m.resize(padded, 0.0f);
      c.resize(padded, 0.0f);
      multiplier = f32Tensor(b, loc, m);
      bias = f32Tensor(b, loc, c);
    }
    if (e.kind == Epilogue::Kind::Packed)
      thresholds = i32Tensor(b, loc, {padded}, e.paddedThresholds(padded));
  }

  VectorType laneType(Type element) const {
    return VectorType::get({k.lanes}, element);
  }

  Value readLanes(OpBuilder &b, Location loc, Value table, Value channel,
                  Type element) const {
    Value padding = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
    return vector::TransferReadOp::create(b, loc, laneType(element), table,
                                          ValueRange{channel}, padding,
                                          ArrayRef<bool>{true});
  }

  /// Writes one output row of the block: `counts[c]` holds the popcounts of
  /// channels firstChannel + c * lanes + [0, lanes); `correction` (may be
  /// null) is subtracted from the dot products. `prefix` indexes the row in
  /// the output, whose last dimension is channels or packed words.
  Value
  writeRow(OpBuilder &b, Location loc, Value out, ValueRange prefix,
           Value firstChannel, ArrayRef<Value> counts,
           function_ref<Value(OpBuilder &, Location, Value)> correction) const {
    Type i32 = b.getI32Type();
    VectorType vectorType = laneType(i32);
    Value depthSplat = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(vectorType,
                               b.getI32IntegerAttr(int32_t(depth))));
    SmallVector<Value> dots, bits;
    for (auto [c, count] : llvm::enumerate(counts)) {
      Value channel = arith::AddIOp::create(
          b, loc, firstChannel, indexConstant(b, loc, int64_t(c) * k.lanes));
      Value twice = arith::AddIOp::create(b, loc, count, count);
      Value dot = arith::SubIOp::create(b, loc, depthSplat, twice);
      if (correction)
        dot = arith::SubIOp::create(b, loc, dot, correction(b, loc, channel));
      switch (e.kind) {
      case Epilogue::Kind::Raw:
        dots.push_back(dot);
        break;
      case Epilogue::Kind::Float: {
        Type f32 = b.getF32Type();
        Value scale = readLanes(b, loc, multiplier, channel, f32);
        Value offset = readLanes(b, loc, bias, channel, f32);
        dots.push_back(floatEpilogue(b, loc, e, dot, scale, offset));
        break;
      }
      case Epilogue::Kind::Packed:
        bits.push_back(
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, dot,
                                  readLanes(b, loc, thresholds, channel, i32)));
        break;
      }
    }

    auto indices = [&](Value last) {
      SmallVector<Value> result(prefix);
      result.push_back(last);
      return result;
    };
    if (e.kind != Epilogue::Kind::Packed) {
      for (auto [c, value] : llvm::enumerate(dots)) {
        Value channel = arith::AddIOp::create(
            b, loc, firstChannel, indexConstant(b, loc, int64_t(c) * k.lanes));
        // Past the last channel, a masked store.
        bool inBounds = e.channels % k.channelsPerBlock() == 0;
        out = vector::TransferWriteOp::create(b, loc, value, out,
                                              indices(channel),
                                              ArrayRef<bool>{inBounds})
                  .getResult();
      }
      return out;
    }

    // Concatenate the channel masks, then reinterpret 32 of them per word.
    while (bits.size() > 1) {
      SmallVector<Value> joined;
      for (size_t c = 0; c < bits.size(); c += 2) {
        int64_t size = cast<VectorType>(bits[c].getType()).getNumElements();
        SmallVector<int64_t> mask(2 * size);
        std::iota(mask.begin(), mask.end(), 0);
        joined.push_back(
            vector::ShuffleOp::create(b, loc, bits[c], bits[c + 1], mask));
      }
      bits = std::move(joined);
    }
    int64_t wordsPerBlock = k.channelsPerBlock() / 32;
    Value words = vector::BitCastOp::create(
        b, loc, VectorType::get({wordsPerBlock}, i32), bits.front());
    Value firstWord =
        arith::DivUIOp::create(b, loc, firstChannel, indexConstant(b, loc, 32));
    bool inBounds = packedWords(e.channels) % wordsPerBlock == 0;
    return vector::TransferWriteOp::create(
               b, loc, words, out, indices(firstWord), ArrayRef<bool>{inBounds})
        .getResult();
  }
};

} // namespace

/// [N, depthWords] (rows = output channels) -> [N' / L, depthWords, L], the
/// channels of each block of L contiguous per packed word; padding channels
/// are 0 words. Constant weights (`weights`, the op's own operand, whose
/// row-major words are the rows') are packed at compile time.
static Value packChannelsInLanes(OpBuilder &b, Location loc, Value rows,
                                 Value weights, int64_t paddedChannels,
                                 int64_t lanes) {
  auto type = cast<RankedTensorType>(rows.getType());
  int64_t channels = type.getDimSize(0), depthWords = type.getDimSize(1);
  auto packedType = RankedTensorType::get(
      {paddedChannels / lanes, depthWords, lanes}, b.getI32Type());
  DenseIntElementsAttr constant;
  if (matchPattern(weights, m_Constant(&constant))) {
    SmallVector<int32_t> words(paddedChannels * depthWords, 0);
    for (auto [index, word] : llvm::enumerate(constant.getValues<APInt>())) {
      int64_t channel = index / depthWords, w = index % depthWords;
      words[((channel / lanes) * depthWords + w) * lanes + channel % lanes] =
          int32_t(word.getZExtValue());
    }
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(packedType, ArrayRef(words)));
  }
  Value padded =
      padTensor(b, loc, rows, {0, 0}, {paddedChannels - channels, 0},
                i32Constant(b, loc, 0));
  Value blocks = tensor::ExpandShapeOp::create(
      b, loc,
      RankedTensorType::get({paddedChannels / lanes, lanes, depthWords},
                            b.getI32Type()),
      padded, SmallVector<ReassociationIndices>{{0, 1}, {2}});
  Value init = tensor::EmptyOp::create(b, loc, packedType.getShape(),
                                       b.getI32Type());
  return linalg::TransposeOp::create(b, loc, blocks, init,
                                     ArrayRef<int64_t>{0, 2, 1})
      .getResult()
      .front();
}

/// Builds nested scf.for loops over `extents` carrying `inits`; `body`
/// gets the induction variables and the carried values and returns the
/// values to carry on.
static SmallVector<Value>
buildLoopNest(OpBuilder &b, Location loc, ArrayRef<int64_t> extents,
              ValueRange inits,
              function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange,
                                              ValueRange)>
                  body,
              SmallVector<Value> ivs = {}) {
  if (extents.empty())
    return body(b, loc, ivs, inits);
  Value zero = indexConstant(b, loc, 0);
  Value one = indexConstant(b, loc, 1);
  auto loop = scf::ForOp::create(
      b, loc, zero, indexConstant(b, loc, extents.front()), one, inits,
      [&](OpBuilder &nb, Location nloc, Value iv, ValueRange carried) {
        SmallVector<Value> inner(ivs);
        inner.push_back(iv);
        scf::YieldOp::create(nb, nloc,
                             buildLoopNest(nb, nloc, extents.drop_front(),
                                           carried, body, inner));
      });
  return SmallVector<Value>(loop.getResults());
}

/// The popcount accumulators of one register block: for every depth step
/// (the loops `depthExtents`), acc[r][c] += ctpop(broadcast(lhsWord(r, ivs))
/// ^ packedRhs[block + c, rhsWord(ivs), :]).
static SmallVector<SmallVector<Value>> accumulateBlock(
    OpBuilder &b, Location loc, const Blocking &k,
    ArrayRef<int64_t> depthExtents, Value packedRhs, Value firstVector,
    function_ref<Value(OpBuilder &, Location, int64_t, ValueRange)> lhsWord,
    function_ref<Value(OpBuilder &, Location, ValueRange)> rhsWord) {
  VectorType vectorType = VectorType::get({k.lanes}, b.getI32Type());
  VectorType byteType = VectorType::get({4 * k.lanes}, b.getI8Type());
  Value zeros = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(vectorType, b.getI32IntegerAttr(0)));
  SmallVector<Value> inits(k.rows * k.vectors, zeros);
  SmallVector<Value> blockVectors;
  for (int64_t c = 0; c < k.vectors; ++c)
    blockVectors.push_back(
        arith::AddIOp::create(b, loc, firstVector, indexConstant(b, loc, c)));

  // One depth step: acc += ctpop(lhs ^ rhs), in i32 lanes or, with
  // `inBytes`, as per-byte counts in i8 lanes.
  auto step = [&](OpBuilder &nb, Location nloc, ValueRange ivs, ValueRange acc,
                  bool inBytes) -> SmallVector<Value> {
    Value word = rhsWord(nb, nloc, ivs);
    Value zero = indexConstant(nb, nloc, 0);
    Value pad = i32Constant(nb, nloc, 0);
    SmallVector<Value> rhs;
    for (Value block : blockVectors)
      rhs.push_back(vector::TransferReadOp::create(
          nb, nloc, vectorType, packedRhs, ValueRange{block, word, zero}, pad,
          ArrayRef<bool>{true}));
    SmallVector<Value> next;
    for (int64_t r = 0; r < k.rows; ++r) {
      Value lhs = vector::BroadcastOp::create(nb, nloc, vectorType,
                                              lhsWord(nb, nloc, r, ivs));
      for (int64_t c = 0; c < k.vectors; ++c) {
        Value bits = arith::XOrIOp::create(nb, nloc, lhs, rhs[c]);
        if (inBytes)
          bits = vector::BitCastOp::create(nb, nloc, byteType, bits);
        Value count = math::CtPopOp::create(nb, nloc, bits);
        next.push_back(
            arith::AddIOp::create(nb, nloc, acc[r * k.vectors + c], count));
      }
    }
    return next;
  };

  SmallVector<Value> sums;
  if (!k.byteCounts) {
    sums = buildLoopNest(
        b, loc, depthExtents, inits,
        [&](OpBuilder &nb, Location nloc, ValueRange ivs, ValueRange acc) {
          return step(nb, nloc, ivs, acc, /*inBytes=*/false);
        });
  } else {
    // Without a vector popcount, ctpop of i32 lanes costs a byte popcount
    // (vpshufb) plus a horizontal sum: sum byte counts over chunks of up to
    // 31 words of the innermost depth loop (31 * 8 < 256), then add byte
    // pairs into the two 16-bit halves of each lane. The accumulator width
    // follows from the depth: where the innermost loop's count per half
    // (16 per word) fits 16 bits, the halves accumulate over the whole loop
    // and are added into the i32 accumulators once; deeper loops add them
    // after every chunk.
    int64_t extent = depthExtents.back();
    int64_t chunk = 31;
    bool halves16 = 16 * extent <= 0xFFFF;
    auto splat = [&](OpBuilder &sb, Location sl, uint32_t v) -> Value {
      return arith::ConstantOp::create(
          sb, sl,
          DenseElementsAttr::get(vectorType, sb.getI32IntegerAttr(int32_t(v))));
    };
    // The two 16-bit halves of each lane of `pairs` added into one count.
    auto addHalves = [&](OpBuilder &ab, Location al, Value pairs) -> Value {
      return arith::AddIOp::create(
          ab, al, arith::AndIOp::create(ab, al, pairs, splat(ab, al, 0xFFFF)),
          arith::ShRUIOp::create(ab, al, pairs, splat(ab, al, 16)));
    };
    sums = buildLoopNest(
        b, loc, depthExtents.drop_back(), inits,
        [&](OpBuilder &nb, Location nloc, ValueRange outer,
            ValueRange acc) -> SmallVector<Value> {
          auto chunks = scf::ForOp::create(
              nb, nloc, indexConstant(nb, nloc, 0),
              indexConstant(nb, nloc, extent), indexConstant(nb, nloc, chunk),
              halves16 ? ValueRange(inits) : acc,
              [&](OpBuilder &cb, Location cl, Value first, ValueRange wide) {
                Value byteZeros = arith::ConstantOp::create(
                    cb, cl,
                    DenseElementsAttr::get(byteType, cb.getI8IntegerAttr(0)));
                Value last = arith::MinUIOp::create(
                    cb, cl,
                    arith::AddIOp::create(cb, cl, first,
                                          indexConstant(cb, cl, chunk)),
                    indexConstant(cb, cl, extent));
                auto inner = scf::ForOp::create(
                    cb, cl, first, last, indexConstant(cb, cl, 1),
                    SmallVector<Value>(wide.size(), byteZeros),
                    [&](OpBuilder &ib, Location il, Value iv,
                        ValueRange bytes) {
                      SmallVector<Value> ivs(outer);
                      ivs.push_back(iv);
                      scf::YieldOp::create(
                          ib, il, step(ib, il, ivs, bytes, /*inBytes=*/true));
                    });
                SmallVector<Value> widened;
                for (auto [sum, bytes] :
                     llvm::zip_equal(wide, inner.getResults())) {
                  Value v = vector::BitCastOp::create(cb, cl, vectorType, bytes);
                  Value evenBytes = arith::AndIOp::create(
                      cb, cl, v, splat(cb, cl, 0x00FF00FF));
                  Value oddBytes = arith::AndIOp::create(
                      cb, cl,
                      arith::ShRUIOp::create(cb, cl, v, splat(cb, cl, 8)),
                      splat(cb, cl, 0x00FF00FF));
                  Value halves =
                      arith::AddIOp::create(cb, cl, evenBytes, oddBytes);
                  widened.push_back(arith::AddIOp::create(
                      cb, cl, sum,
                      halves16 ? halves : addHalves(cb, cl, halves)));
                }
                scf::YieldOp::create(cb, cl, widened);
              });
          if (!halves16)
            return SmallVector<Value>(chunks.getResults());
          SmallVector<Value> widened;
          for (auto [sum, pairs] : llvm::zip_equal(acc, chunks.getResults()))
            widened.push_back(arith::AddIOp::create(
                nb, nloc, sum, addHalves(nb, nloc, pairs)));
          return widened;
        });
  }
  SmallVector<SmallVector<Value>> result(k.rows);
  for (int64_t r = 0; r < k.rows; ++r)
    result[r].assign(sums.begin() + r * k.vectors,
                     sums.begin() + (r + 1) * k.vectors);
  return result;
}

/// min(base + offset, last): rows past the end repeat the last one.
static Value clampedRow(OpBuilder &b, Location loc, Value base, int64_t offset,
                        int64_t last) {
  Value row =
      arith::AddIOp::create(b, loc, base, indexConstant(b, loc, offset));
  return arith::MinUIOp::create(b, loc, row, indexConstant(b, loc, last));
}

/// scf.for lo..hi step `step` carrying one tensor.
static Value
forEach(OpBuilder &b, Location loc, int64_t hi, int64_t step, Value carried,
        function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
  auto loop = scf::ForOp::create(
      b, loc, indexConstant(b, loc, 0), indexConstant(b, loc, hi),
      indexConstant(b, loc, step), ValueRange{carried},
      [&](OpBuilder &nb, Location nloc, Value iv, ValueRange args) {
        scf::YieldOp::create(nb, nloc, body(nb, nloc, iv, args.front()));
      });
  return loop.getResult(0);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

template <typename OpTy> struct BinaryPattern : OpConversionPattern<OpTy> {
  BinaryPattern(const TypeConverter &converter, MLIRContext *context,
                int64_t vectorBits)
      : OpConversionPattern<OpTy>(converter, context), vectorBits(vectorBits) {}

  int64_t vectorBits;
};

/// qnt.binarize %x : [..., K] -> [..., W]
///   scalar: tensor.pad to 32 W with 0 (+1), then linalg.generic over
///     (..., w, b) { word |= (x[..., 32 w + b] < 0) << b }
///   vector: per word, a vector<32 x T> compare x < 0 whose i1 mask is
///     bitcast to the i32 word (a masked read for the tail word).
struct BinarizeLowering : BinaryPattern<BinarizeOp> {
  using BinaryPattern::BinaryPattern;

  LogicalResult
  matchAndRewrite(BinarizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto resultType = op.getOutput().getType();
    if (!inputType.hasStaticShape() || !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    // Unsigned values are never negative: every bit is 0 (+1).
    if (getElementTypeOrSelf(op.getInput().getType()).isUnsignedInteger()) {
      rewriter.replaceOp(op, filled(rewriter, loc, resultType.getShape(),
                                    i32Constant(rewriter, loc, 0)));
      return success();
    }
    int64_t depth = inputType.getShape().back();
    int64_t words = packedWords(depth);
    Type element = inputType.getElementType();
    Value zero =
        arith::ConstantOp::create(rewriter, loc, rewriter.getZeroAttr(element));
    if (vectorBits == 0) {
      Value padded =
          padLastDim(rewriter, loc, adaptor.getInput(), 32 * words, zero);
      rewriter.replaceOp(op,
                         packWords(rewriter, loc, padded, Value(),
                                   [](OpBuilder &b, Location l, Value x,
                                      Value) { return isNegative(b, l, x); }));
      return success();
    }

    Value rows = collapseToRows(rewriter, loc, adaptor.getInput());
    int64_t rowCount = cast<RankedTensorType>(rows.getType()).getDimSize(0);
    VectorType chunkType = VectorType::get({32}, element);
    Type i32 = rewriter.getI32Type();
    Value init = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{rowCount, words}, i32);
    auto packWord = [&](OpBuilder &b, Location l, Value row, Value word,
                        Value out, bool inBounds) -> Value {
      Value first = arith::MulIOp::create(b, l, word, indexConstant(b, l, 32));
      Value chunk = vector::TransferReadOp::create(b, l, chunkType, rows,
                                                   ValueRange{row, first}, zero,
                                                   ArrayRef<bool>{inBounds});
      Value mask = isNegative(b, l, chunk);
      Value packed =
          vector::BitCastOp::create(b, l, VectorType::get({1}, i32), mask);
      Value bitsValue =
          vector::ExtractOp::create(b, l, packed, ArrayRef<int64_t>{0});
      return tensor::InsertOp::create(b, l, bitsValue, out,
                                      ValueRange{row, word});
    };
    Value packed = forEach(
        rewriter, loc, rowCount, 1, init,
        [&](OpBuilder &b, Location l, Value row, Value out) {
          out = forEach(b, l, depth / 32, 1, out,
                        [&](OpBuilder &nb, Location nl, Value word, Value o) {
                          return packWord(nb, nl, row, word, o, true);
                        });
          if (depth % 32)
            out =
                packWord(b, l, row, indexConstant(b, l, words - 1), out, false);
          return out;
        });
    rewriter.replaceOp(op, restoreRows(rewriter, loc, packed, resultType));
    return success();
  }
};

/// qnt.unpack %p : [..., W] -> [..., K]
///   linalg.generic over (..., w, b) { (p[..., w] >> b) & 1 ? -1 : +1 }
///   into [..., W, 32], collapsed to [..., 32 W] and sliced to K.
struct UnpackLowering : BinaryPattern<UnpackOp> {
  using BinaryPattern::BinaryPattern;

  LogicalResult
  matchAndRewrite(UnpackOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto resultType = op.getOutput().getType();
    if (!inputType.hasStaticShape() || !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    Type element = resultType.getElementType();
    int64_t rank = inputType.getRank();
    SmallVector<int64_t> splitShape(inputType.getShape());
    splitShape.push_back(32);
    Value init = tensor::EmptyOp::create(rewriter, loc, splitShape, element);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank + 1);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{init.getType()},
        ValueRange{adaptor.getInput()}, ValueRange{init},
        {identity.dropResult(rank), identity}, iterators(rank + 1, 0),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value position = arith::IndexCastOp::create(
              b, l, b.getI32Type(), linalg::IndexOp::create(b, l, rank));
          Value bit = arith::AndIOp::create(
              b, l, arith::ShRUIOp::create(b, l, args[0], position),
              i32Constant(b, l, 1));
          Value isMinusOne = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::ne, bit, i32Constant(b, l, 0));
          auto constant = [&](double value) -> Value {
            if (isa<FloatType>(element))
              return arith::ConstantOp::create(b, l,
                                               b.getFloatAttr(element, value));
            return arith::ConstantOp::create(
                b, l, b.getIntegerAttr(element, int64_t(value)));
          };
          linalg::YieldOp::create(
              b, l,
              Value(arith::SelectOp::create(b, l, isMinusOne, constant(-1.0),
                                            constant(1.0))));
        });
    SmallVector<int64_t> fullShape(inputType.getShape());
    fullShape.back() *= 32;
    Value full = tensor::CollapseShapeOp::create(
        rewriter, loc, RankedTensorType::get(fullShape, element),
        generic.getResult(0), groupDims(rank, rank - 1, 2));
    if (fullShape.back() != resultType.getShape().back()) {
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
      SmallVector<OpFoldResult> sizes;
      for (int64_t size : resultType.getShape())
        sizes.push_back(rewriter.getIndexAttr(size));
      full = tensor::ExtractSliceOp::create(rewriter, loc, resultType, full,
                                            offsets, sizes, strides);
    }
    rewriter.replaceOp(op, full);
    return success();
  }
};

/// qnt.bmatmul %a, %w
///   scalar: linalg.generic (m, n, j) { dot += bits(j) - 2 ctpop(a ^ w) },
///     then the epilogue as an element-wise generic (or a packing generic);
///   vector: %w repacked to [N/L, W, L]; scf.for over blocks of NR * L
///     channels and MR rows; scf.for over the words accumulating
///     ctpop(broadcast(a[m, j]) ^ w'[n, j, :]); the epilogue on the
///     accumulators and (masked) vector stores.
struct BMatmulLowering : BinaryPattern<BMatmulOp> {
  using BinaryPattern::BinaryPattern;

  LogicalResult
  matchAndRewrite(BMatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto lhsType = op.getLhs().getType();
    auto rhsType = op.getRhs().getType();
    auto resultType = op.getOutput().getType();
    if (!lhsType.hasStaticShape() || !rhsType.hasStaticShape() ||
        !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    int64_t rows = lhsType.getDimSize(0);
    int64_t channels = rhsType.getDimSize(0);
    int64_t words = lhsType.getDimSize(1);
    int64_t depth = op.getK();
    Epilogue epilogue = Epilogue::of(op, channels);
    Value lhs = adaptor.getLhs();

    if (vectorBits == 0) {
      MLIRContext *context = rewriter.getContext();
      AffineExpr m, n, j;
      bindDims(context, m, n, j);
      Value init = filled(rewriter, loc, {rows, channels},
                          i32Constant(rewriter, loc, 0));
      Value dot =
          linalg::GenericOp::create(
              rewriter, loc, TypeRange{init.getType()},
              ValueRange{lhs, adaptor.getRhs(),
                         i32Tensor(rewriter, loc, {words}, wordBits(depth))},
              ValueRange{init},
              {AffineMap::get(3, 0, {m, j}, context),
               AffineMap::get(3, 0, {n, j}, context),
               AffineMap::get(3, 0, {j}, context),
               AffineMap::get(3, 0, {m, n}, context)},
              iterators(2, 1),
              [&](OpBuilder &b, Location l, ValueRange args) {
                Value share = wordDot(b, l, args[0], args[1], args[2]);
                linalg::YieldOp::create(
                    b, l, Value(arith::AddIOp::create(b, l, args[3], share)));
              })
              .getResult(0);
      rewriter.replaceOp(op, applyEpilogue(rewriter, loc, epilogue, dot));
      return success();
    }

    Blocking k = Blocking::choose(vectorBits, rows, channels,
                                  epilogue.kind == Epilogue::Kind::Packed);
    int64_t paddedChannels = k.paddedChannels(channels);
    Value packedRhs =
        packChannelsInLanes(rewriter, loc, adaptor.getRhs(), op.getRhs(),
                            paddedChannels, k.lanes);
    VectorEpilogue vectorEpilogue(rewriter, loc, epilogue, k, depth);
    Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         resultType.getElementType());
    Value result = forEach(
        rewriter, loc, paddedChannels / k.lanes, k.vectors, init,
        [&](OpBuilder &b, Location l, Value firstVector, Value out) {
          Value firstChannel = arith::MulIOp::create(
              b, l, firstVector, indexConstant(b, l, k.lanes));
          return forEach(
              b, l, rows, k.rows, out,
              [&](OpBuilder &nb, Location nl, Value firstRow, Value o) {
                SmallVector<Value> rowIndex;
                for (int64_t r = 0; r < k.rows; ++r)
                  rowIndex.push_back(clampedRow(nb, nl, firstRow, r, rows - 1));
                SmallVector<SmallVector<Value>> counts = accumulateBlock(
                    nb, nl, k, {words}, packedRhs, firstVector,
                    [&](OpBuilder &ib, Location il, int64_t r,
                        ValueRange ivs) -> Value {
                      return tensor::ExtractOp::create(
                          ib, il, lhs, ValueRange{rowIndex[r], ivs[0]});
                    },
                    [](OpBuilder &, Location, ValueRange ivs) {
                      return ivs[0];
                    });
                for (int64_t r = 0; r < k.rows; ++r)
                  o = vectorEpilogue.writeRow(nb, nl, o, {rowIndex[r]},
                                              firstChannel, counts[r], {});
                return o;
              });
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// qnt.bconv2d %x, %w (the input padded with 0 words, i.e. +1)
///   scalar: linalg.generic (n, y, x, o, i, j, c) {
///     dot += bits(c) - 2 ctpop(x'[n, y sh + i dh, x sw + j dw, c] ^ w[o, i, j,
///     c]) }
///   vector: the bmatmul kernel with a direct-convolution lhs: rows are MR
///     output columns of one output row, the depth loops run over (i, j, c).
/// pad_value = zero subtracts the edge correction (file header) from dot.
struct BConv2DLowering : BinaryPattern<BConv2DOp> {
  using BinaryPattern::BinaryPattern;

  LogicalResult
  matchAndRewrite(BConv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = op.getOutput().getType();
    if (!op.getInput().getType().hasStaticShape() ||
        !op.getFilter().getType().hasStaticShape() ||
        !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    ConvGeometry g = ConvGeometry::of(op);
    Epilogue epilogue = Epilogue::of(op, g.outChannels);
    Value input = g.padInput(rewriter, loc, adaptor.getInput());
    Value filter = adaptor.getFilter();
    bool zeroPad = op.getPadValue() == PadValue::Zero && g.padded();
    MLIRContext *context = rewriter.getContext();

    if (vectorBits == 0) {
      AffineExpr n, y, x, o, i, j, c;
      bindDims(context, n, y, x, o, i, j, c);
      SmallVector<AffineExpr> window = g.window(y, x, i, j);
      Value init =
          filled(rewriter, loc, {g.batch, g.outH, g.outW, g.outChannels},
                 i32Constant(rewriter, loc, 0));
      Value dot =
          linalg::GenericOp::create(
              rewriter, loc, TypeRange{init.getType()},
              ValueRange{
                  input, filter,
                  i32Tensor(rewriter, loc, {g.words}, wordBits(g.channels))},
              ValueRange{init},
              {AffineMap::get(7, 0, {n, window[0], window[1], c}, context),
               AffineMap::get(7, 0, {o, i, j, c}, context),
               AffineMap::get(7, 0, {c}, context),
               AffineMap::get(7, 0, {n, y, x, o}, context)},
              iterators(4, 3),
              [&](OpBuilder &b, Location l, ValueRange args) {
                Value share = wordDot(b, l, args[0], args[1], args[2]);
                linalg::YieldOp::create(
                    b, l, Value(arith::AddIOp::create(b, l, args[3], share)));
              })
              .getResult(0);
      if (zeroPad) {
        Value correction =
            zeroPadCorrection(rewriter, loc, g, filter, g.outChannels);
        AffineMap identity = rewriter.getMultiDimIdentityMap(4);
        bindDims(context, n, y, x, o);
        Value empty = tensor::EmptyOp::create(
            rewriter, loc, cast<RankedTensorType>(dot.getType()).getShape(),
            rewriter.getI32Type());
        dot =
            linalg::GenericOp::create(
                rewriter, loc, TypeRange{empty.getType()},
                ValueRange{dot, correction}, ValueRange{empty},
                {identity, AffineMap::get(4, 0, {y, x, o}, context), identity},
                iterators(4, 0),
                [&](OpBuilder &b, Location l, ValueRange args) {
                  linalg::YieldOp::create(
                      b, l,
                      Value(arith::SubIOp::create(b, l, args[0], args[1])));
                })
                .getResult(0);
      }
      rewriter.replaceOp(op, applyEpilogue(rewriter, loc, epilogue, dot));
      return success();
    }

    Blocking k = Blocking::choose(vectorBits, g.outW, g.outChannels,
                                  epilogue.kind == Epilogue::Kind::Packed);
    int64_t paddedChannels = k.paddedChannels(g.outChannels);
    int64_t depthWords = g.kh * g.kw * g.words;
    Value filterRows = tensor::CollapseShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({g.outChannels, depthWords},
                              rewriter.getI32Type()),
        filter, SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
    Value packedFilter = packChannelsInLanes(
        rewriter, loc, filterRows, op.getFilter(), paddedChannels, k.lanes);
    Value correction =
        zeroPad ? zeroPadCorrection(rewriter, loc, g, filter, paddedChannels)
                : Value();
    VectorEpilogue vectorEpilogue(rewriter, loc, epilogue, k,
                                  g.kh * g.kw * g.channels);
    Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         resultType.getElementType());
    auto block = [&](OpBuilder &b, Location l, Value firstVector, Value n,
                     Value y, Value firstX, Value out) -> Value {
      Value firstChannel = arith::MulIOp::create(b, l, firstVector,
                                                 indexConstant(b, l, k.lanes));
      Value rowBase =
          arith::MulIOp::create(b, l, y, indexConstant(b, l, g.stride[0]));
      SmallVector<Value> columns, columnBase;
      for (int64_t r = 0; r < k.rows; ++r) {
        columns.push_back(clampedRow(b, l, firstX, r, g.outW - 1));
        columnBase.push_back(arith::MulIOp::create(
            b, l, columns.back(), indexConstant(b, l, g.stride[1])));
      }
      SmallVector<SmallVector<Value>> counts = accumulateBlock(
          b, l, k, {g.kh, g.kw, g.words}, packedFilter, firstVector,
          [&](OpBuilder &ib, Location il, int64_t r, ValueRange ivs) -> Value {
            Value row = arith::AddIOp::create(
                ib, il, rowBase,
                arith::MulIOp::create(ib, il, ivs[0],
                                      indexConstant(ib, il, g.dilation[0])));
            Value column = arith::AddIOp::create(
                ib, il, columnBase[r],
                arith::MulIOp::create(ib, il, ivs[1],
                                      indexConstant(ib, il, g.dilation[1])));
            return tensor::ExtractOp::create(
                ib, il, input, ValueRange{n, row, column, ivs[2]});
          },
          [&](OpBuilder &ib, Location il, ValueRange ivs) -> Value {
            Value tap = arith::AddIOp::create(
                ib, il,
                arith::MulIOp::create(ib, il, ivs[0],
                                      indexConstant(ib, il, g.kw)),
                ivs[1]);
            return arith::AddIOp::create(
                ib, il,
                arith::MulIOp::create(ib, il, tap,
                                      indexConstant(ib, il, g.words)),
                ivs[2]);
          });
      for (int64_t r = 0; r < k.rows; ++r) {
        auto readCorrection = [&](OpBuilder &cb, Location cl,
                                  Value channel) -> Value {
          Value pad = i32Constant(cb, cl, 0);
          return vector::TransferReadOp::create(
              cb, cl, VectorType::get({k.lanes}, cb.getI32Type()), correction,
              ValueRange{y, columns[r], channel}, pad, ArrayRef<bool>{true});
        };
        out = vectorEpilogue.writeRow(
            b, l, out, {n, y, columns[r]}, firstChannel, counts[r],
            zeroPad ? function_ref<Value(OpBuilder &, Location, Value)>(
                          readCorrection)
                    : nullptr);
      }
      return out;
    };
    Value result = forEach(
        rewriter, loc, paddedChannels / k.lanes, k.vectors, init,
        [&](OpBuilder &b, Location l, Value firstVector, Value out) {
          return forEach(
              b, l, g.batch, 1, out,
              [&](OpBuilder &b1, Location l1, Value n, Value o1) {
                return forEach(
                    b1, l1, g.outH, 1, o1,
                    [&](OpBuilder &b2, Location l2, Value y, Value o2) {
                      return forEach(
                          b2, l2, g.outW, k.rows, o2,
                          [&](OpBuilder &b3, Location l3, Value x, Value o3) {
                            return block(b3, l3, firstVector, n, y, x, o3);
                          });
                    });
              });
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// qnt.bmaxpool2d %x -> tensor.pad with -1 (all ones), then
///   linalg.generic (n, y, x, w, i, j) { out &= x'[n, y sh + i, x sw + j, w] }
/// from all ones; a [KH, KW] window operand gives the loops i, j their range.
struct BMaxPool2DLowering : BinaryPattern<BMaxPool2DOp> {
  using BinaryPattern::BinaryPattern;

  LogicalResult
  matchAndRewrite(BMaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = op.getOutput().getType();
    if (!op.getInput().getType().hasStaticShape() ||
        !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    ArrayRef<int64_t> kernel = op.getKernel();
    ArrayRef<int64_t> stride = op.getStride();
    ArrayRef<int64_t> pad = op.getPad();
    Value allOnes = i32Constant(rewriter, loc, -1);
    Value input =
        padTensor(rewriter, loc, adaptor.getInput(), {0, pad[0], pad[2], 0},
                  {0, pad[1], pad[3], 0}, allOnes);
    MLIRContext *context = rewriter.getContext();
    AffineExpr n, y, x, w, i, j;
    bindDims(context, n, y, x, w, i, j);
    Value window = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{kernel[0], kernel[1]},
        rewriter.getI32Type());
    Value init = filled(rewriter, loc, resultType.getShape(), allOnes);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{init.getType()}, ValueRange{input, window},
        ValueRange{init},
        {AffineMap::get(6, 0, {n, y * stride[0] + i, x * stride[1] + j, w},
                        context),
         AffineMap::get(6, 0, {i, j}, context),
         AffineMap::get(6, 0, {n, y, x, w}, context)},
        iterators(4, 2), [&](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(
              b, l, Value(arith::AndIOp::create(b, l, args[2], args[0])));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

bool mlir::qnt::isBinaryComputeOp(Operation *op) {
  return isa<BinarizeOp, UnpackOp, BMatmulOp, BConv2DOp, BMaxPool2DOp>(op);
}

/// Vector register bits of the kernels for `isa` (0: scalar reference).
static int64_t vectorBitsOf(IntegerKernelIsa isa) {
  switch (isa) {
  case IntegerKernelIsa::Scalar:
    return 0;
  case IntegerKernelIsa::Generic:
    return 128;
  case IntegerKernelIsa::Avx2:
    return 256;
  case IntegerKernelIsa::Avx512Vnni:
    return 512;
  }
  llvm_unreachable("unknown ISA");
}

void mlir::qnt::populateQntBinaryToCPUPatterns(const TypeConverter &converter,
                                               RewritePatternSet &patterns,
                                               IntegerKernelIsa isa) {
  int64_t vectorBits = vectorBitsOf(isa);
  patterns.add<BinarizeLowering, UnpackLowering, BMatmulLowering,
               BConv2DLowering, BMaxPool2DLowering>(
      converter, patterns.getContext(), vectorBits);
}
