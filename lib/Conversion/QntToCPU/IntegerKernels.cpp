//===- IntegerKernels.cpp - packed, vectorized qnt.matmul/conv2d ----------===//
//
// qnt.matmul with a constant rhs and qnt.conv2d with a constant filter (one
// group; via im2col) become a plain integer contraction D = U * V^T in
// register tiles, plus zero-point corrections (DESIGN.md §4).
//
// The kernel multiplies shifted operands u = a + sa and v = w + sw, where the
// shifts put them in the ranges the instruction wants (vpdpbusd: u8 x s8, so
// sa = 128 for signed activations; sw = -128 for unsigned 8-bit weights).
// With ca = za + sa and cw = zw + sw, a - za = u - ca and w - zw = v - cw, so
//
//   sum_k (a - za)(w - zw) = D - cw * rowsum(u) - ca * colsum(v) + K ca cw.
//
// colsum(v) and K ca cw are folded at compile time into one constant per
// output channel; rowsum(u) is computed at run time only when cw != 0. All
// of it is exact modulo 2^32, which is what the op's i32 accumulation means.
//
// Layouts (kG = K bytes per lane and step: 4 for vpdpbusd, 2 for vpmaddwd, 1
// for the portable kernel; NR = columns of a panel; MR = rows of a tile):
//   packed A [Mp/MR, Kp/kG, MR, kG] (built at run time, zero padded), so the
//     broadcasts of one step are adjacent;
//   packed B [Np/NR, Kp/kG, NR * kG] (a constant), lane j of vector t holding
//     column t * lanes + j's kG values of the step;
//   D [Mp, Np] i32, of which the epilogue reads [M, N].
// Padding with u = v = 0 adds nothing to D.
//
//===----------------------------------------------------------------------===//

#include "IntegerKernels.h"

#include "qnt/IR/QntOps.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::qnt;

namespace {

/// The register tile and instruction of one target.
struct KernelShape {
  IntegerKernelIsa isa;
  /// Rows of A per tile (MR) and vectors of i32 lanes per row (NV).
  int64_t rows;
  int64_t vectors;
  /// i32 lanes per vector register.
  int64_t lanes;
  /// K values that one lane consumes per step (kG).
  int64_t group;
  /// Element bits of packed A: u8 for vpdpbusd, i16 for vpmaddwd, i32.
  unsigned aBits;

  int64_t panelColumns() const { return vectors * lanes; }
};

} // namespace

static KernelShape kernelShapeFor(IntegerKernelIsa isa) {
  switch (isa) {
  case IntegerKernelIsa::Avx512Vnni:
    // 24 zmm accumulators, 3 for B, 1 for the broadcast of A.
    return {isa, 8, 3, 16, 4, 8};
  case IntegerKernelIsa::Avx2:
    // 12 ymm accumulators, 2 for B, 1 for the broadcast, of 16.
    return {isa, 6, 2, 8, 2, 16};
  case IntegerKernelIsa::Generic:
  case IntegerKernelIsa::Scalar:
    return {isa, 4, 2, 4, 1, 32};
  }
  llvm_unreachable("unknown isa");
}

static int64_t roundUp(int64_t value, int64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

static Value indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

static Value intConstant(OpBuilder &b, Location loc, Type type,
                         int64_t value) {
  APInt bits(type.getIntOrFloatBitWidth(), value, /*isSigned=*/true,
             /*implicitTrunc=*/true);
  return arith::ConstantOp::create(b, loc, IntegerAttr::get(type, bits));
}

/// Sign- or zero-extends or truncates an integer scalar.
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

static bool isUnsignedElement(Value value) {
  return getElementTypeOrSelf(value.getType()).isUnsignedInteger();
}

/// The operands' shifts and zero points of the decomposition.
struct Decomposition {
  bool aUnsigned;
  int64_t sa, za;
  bool wUnsigned;
  int64_t sw, zw;
  int64_t ca() const { return za + sa; }
  int64_t cw() const { return zw + sw; }
};

static Decomposition decompose(const KernelShape &shape, Value lhs,
                               int64_t lhsZp, Value rhs, int64_t rhsZp) {
  Decomposition d;
  d.aUnsigned = isUnsignedElement(lhs);
  d.wUnsigned = isUnsignedElement(rhs);
  unsigned wBits = getElementTypeOrSelf(rhs.getType()).getIntOrFloatBitWidth();
  // vpdpbusd multiplies unsigned bytes of A; the others take A as it is.
  d.sa = shape.isa == IntegerKernelIsa::Avx512Vnni && !d.aUnsigned ? 128 : 0;
  d.za = lhsZp;
  // Packed B holds signed bytes: only u8 weights above 127 need a shift.
  d.sw = d.wUnsigned && wBits == 8 ? -128 : 0;
  d.zw = rhsZp;
  return d;
}

/// The constant behind `value`, looking through casts that only retype the
/// storage (tensor<NxKxi8> -> tensor<NxKxui8>).
static DenseIntElementsAttr constantWeights(Value value) {
  while (Operation *op = value.getDefiningOp()) {
    if (!isa<tensor::BitcastOp, quant::StorageCastOp>(op))
      break;
    value = op->getOperand(0);
  }
  DenseIntElementsAttr weights;
  if (!matchPattern(value, m_Constant(&weights)))
    return {};
  return weights;
}

/// The constant weights [N, K] as int64 values of their signedness.
static SmallVector<int64_t> weightValues(DenseIntElementsAttr weights,
                                         bool isUnsigned) {
  SmallVector<int64_t> values;
  values.reserve(weights.getNumElements());
  for (const APInt &value : weights.getValues<APInt>())
    values.push_back(isUnsigned ? int64_t(value.getZExtValue())
                                : value.getSExtValue());
  return values;
}

/// Packs v = w + sw of the constant weights [N, K] into panels
/// [Np/NR, Kp/kG, NR * kG] and folds the per-column correction
/// -ca * colsum(v) + K * ca * cw (wrapped to i32).
static std::pair<Value, Value>
packWeights(OpBuilder &b, Location loc, const KernelShape &shape,
            ArrayRef<int64_t> w, int64_t n, int64_t k, const Decomposition &d) {
  int64_t nr = shape.panelColumns();
  int64_t np = roundUp(n, nr), kp = roundUp(k, shape.group);
  int64_t steps = kp / shape.group;
  SmallVector<int8_t> packed(np * kp, 0);
  SmallVector<int32_t> correction(n);
  for (int64_t col = 0; col < n; ++col) {
    int64_t panel = col / nr, j = col % nr, colsum = 0;
    for (int64_t kk = 0; kk < k; ++kk) {
      int64_t v = w[col * k + kk] + d.sw;
      colsum += v;
      int64_t step = kk / shape.group, t = kk % shape.group;
      packed[(panel * steps + step) * nr * shape.group + j * shape.group + t] =
          int8_t(v);
    }
    correction[col] =
        int32_t(uint32_t(-d.ca() * colsum + k * d.ca() * d.cw()));
  }
  auto packedType = RankedTensorType::get({np / nr, steps, nr * shape.group},
                                          b.getI8Type());
  auto correctionType = RankedTensorType::get({n}, b.getI32Type());
  Value packedB = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(packedType, ArrayRef(packed)));
  Value columns = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(correctionType, ArrayRef(correction)));
  return {packedB, columns};
}

/// u = ext(a) + sa in A's packed element type, as a linalg.generic over the
/// [M, K] rows of A: `aMap` reads the input (im2col for convolutions) and
/// `iterationShape` is collapsed to [M, K] afterwards.
static Value shiftActivations(OpBuilder &b, Location loc,
                              const KernelShape &shape, const Decomposition &d,
                              Value input, AffineMap aMap,
                              ArrayRef<int64_t> iterationShape,
                              ArrayRef<ReassociationIndices> toMatrix) {
  Type packedType = b.getIntegerType(shape.aBits);
  Value init = tensor::EmptyOp::create(b, loc, iterationShape, packedType);
  int64_t rank = iterationShape.size();
  SmallVector<AffineMap> maps = {aMap, b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Type i32 = b.getI32Type();
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{input}, ValueRange{init},
      maps, iterators, [&](OpBuilder &nb, Location bodyLoc, ValueRange args) {
        Value wide = castInt(nb, bodyLoc, args[0], i32, d.aUnsigned);
        if (d.sa != 0)
          wide = arith::AddIOp::create(nb, bodyLoc, wide,
                                       intConstant(nb, bodyLoc, i32, d.sa));
        linalg::YieldOp::create(
            nb, bodyLoc,
            castInt(nb, bodyLoc, wide, packedType, /*isUnsigned=*/false));
      });
  Value u = generic.getResult(0);
  if (toMatrix.empty())
    return u;
  return tensor::CollapseShapeOp::create(b, loc, u, toMatrix);
}

/// rowsum(u) [M] in i32 (u8 when packed for vpdpbusd).
static Value rowSums(OpBuilder &b, Location loc, const KernelShape &shape,
                     Value u) {
  auto type = cast<RankedTensorType>(u.getType());
  Type i32 = b.getI32Type();
  Value empty = tensor::EmptyOp::create(b, loc, {type.getDimSize(0)}, i32);
  Value zero = intConstant(b, loc, i32, 0);
  Value init =
      linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{empty})
          .getResult(0);
  MLIRContext *context = b.getContext();
  AffineExpr m, kk;
  bindDims(context, m, kk);
  SmallVector<AffineMap> maps = {AffineMap::get(2, 0, {m, kk}, context),
                                 AffineMap::get(2, 0, {m}, context)};
  bool unsignedBytes = shape.isa == IntegerKernelIsa::Avx512Vnni;
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, ValueRange{u}, ValueRange{init},
             maps,
             {utils::IteratorType::parallel, utils::IteratorType::reduction},
             [&](OpBuilder &nb, Location bodyLoc, ValueRange args) {
               Value wide = castInt(nb, bodyLoc, args[0], i32, unsignedBytes);
               linalg::YieldOp::create(
                   nb, bodyLoc,
                   Value(arith::AddIOp::create(nb, bodyLoc, args[1], wide)));
             })
      .getResult(0);
}

/// u [M, K] zero padded to [Mp, Kp] and tiled to [Mp/MR, Kp/kG, MR, kG].
static Value packActivations(OpBuilder &b, Location loc,
                             const KernelShape &shape, Value u) {
  auto type = cast<RankedTensorType>(u.getType());
  int64_t m = type.getDimSize(0), k = type.getDimSize(1);
  int64_t mp = roundUp(m, shape.rows), kp = roundUp(k, shape.group);
  if (mp != m || kp != k) {
    SmallVector<OpFoldResult> low(2, b.getIndexAttr(0));
    SmallVector<OpFoldResult> high = {b.getIndexAttr(mp - m),
                                      b.getIndexAttr(kp - k)};
    u = tensor::PadOp::create(b, loc, type.clone({mp, kp}), u, low, high,
                              intConstant(b, loc, type.getElementType(), 0));
  }
  int64_t steps = kp / shape.group;
  auto tiled = RankedTensorType::get(
      {mp / shape.rows, shape.rows, steps, shape.group}, type.getElementType());
  Value expanded = tensor::ExpandShapeOp::create(
      b, loc, tiled, u, ArrayRef<ReassociationIndices>{{0, 1}, {2, 3}});
  Value init = tensor::EmptyOp::create(
      b, loc, {mp / shape.rows, steps, shape.rows, shape.group},
      type.getElementType());
  return linalg::TransposeOp::create(b, loc, expanded, init,
                                     ArrayRef<int64_t>{0, 2, 1, 3})
      .getResult()
      .front();
}

/// acc + the products of one step: `a` is the broadcast i32 word of kG
/// values of A, `bBytes` the kG bytes of each lane's column.
static Value multiplyAccumulate(OpBuilder &b, Location loc,
                                const KernelShape &shape, Value acc, Value a,
                                Value bBytes) {
  int64_t lanes = shape.lanes;
  switch (shape.isa) {
  case IntegerKernelIsa::Avx512Vnni: {
    auto bytes = VectorType::get({lanes * 4}, b.getI8Type());
    Value aBytes = vector::BitCastOp::create(b, loc, bytes, a);
    return LLVM::CallIntrinsicOp::create(
               b, loc, acc.getType(),
               b.getStringAttr("llvm.x86.avx512.vpdpbusd.512"),
               ValueRange{acc, aBytes, bBytes})
        .getResult(0);
  }
  case IntegerKernelIsa::Avx2: {
    // vpmaddwd on sign-extended words: exact (no vpmaddubsw saturation).
    auto words = VectorType::get({lanes * 2}, b.getI16Type());
    Value aWords = vector::BitCastOp::create(b, loc, words, a);
    Value bWords = arith::ExtSIOp::create(b, loc, words, bBytes);
    Value pairs = LLVM::CallIntrinsicOp::create(
                      b, loc, acc.getType(),
                      b.getStringAttr("llvm.x86.avx2.pmadd.wd"),
                      ValueRange{aWords, bWords})
                      .getResult(0);
    return arith::AddIOp::create(b, loc, acc, pairs);
  }
  case IntegerKernelIsa::Generic:
  case IntegerKernelIsa::Scalar: {
    Value wide = arith::ExtSIOp::create(b, loc, acc.getType(), bBytes);
    return arith::AddIOp::create(b, loc, acc,
                                 arith::MulIOp::create(b, loc, a, wide));
  }
  }
  llvm_unreachable("unknown isa");
}

/// D [Mp, Np] = packed A x packed B in register tiles: for each panel of NR
/// columns, for each tile of MR rows, MR x NV accumulators live across the
/// k loop; each step loads NV vectors of B and broadcasts MR words of A.
static Value buildContraction(OpBuilder &b, Location loc,
                              const KernelShape &shape, Value packedA,
                              Value packedB) {
  auto aType = cast<RankedTensorType>(packedA.getType());
  auto bType = cast<RankedTensorType>(packedB.getType());
  int64_t mTiles = aType.getDimSize(0), steps = aType.getDimSize(1);
  int64_t nPanels = bType.getDimSize(0);
  int64_t mr = shape.rows, nv = shape.vectors, lanes = shape.lanes;
  int64_t nr = shape.panelColumns();
  Type i32 = b.getI32Type();
  auto accType = VectorType::get({lanes}, i32);
  auto aWordType = VectorType::get({shape.group}, aType.getElementType());
  auto bVectorType = VectorType::get({lanes * shape.group}, b.getI8Type());

  Value dInit = tensor::EmptyOp::create(b, loc, {mTiles * mr, nPanels * nr},
                                        i32);
  Value zero = indexConstant(b, loc, 0);
  Value one = indexConstant(b, loc, 1);
  Value aPad = intConstant(b, loc, aType.getElementType(), 0);
  Value bPad = intConstant(b, loc, b.getI8Type(), 0);
  Value zeroAcc = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(accType, b.getI32IntegerAttr(0)));

  auto panelLoop = scf::ForOp::create(
      b, loc, zero, indexConstant(b, loc, nPanels), one, ValueRange{dInit},
      [&](OpBuilder &pb, Location pl, Value panel, ValueRange panelArgs) {
        auto tileLoop = scf::ForOp::create(
            pb, pl, zero, indexConstant(pb, pl, mTiles), one,
            ValueRange{panelArgs[0]},
            [&](OpBuilder &tb, Location tl, Value tile, ValueRange tileArgs) {
              SmallVector<Value> accInit(mr * nv, zeroAcc);
              auto kLoop = scf::ForOp::create(
                  tb, tl, zero, indexConstant(tb, tl, steps), one, accInit,
                  [&](OpBuilder &kb, Location kl, Value step,
                      ValueRange accs) {
                    SmallVector<Value> bVectors;
                    for (int64_t v = 0; v < nv; ++v)
                      bVectors.push_back(vector::TransferReadOp::create(
                          kb, kl, bVectorType, packedB,
                          ValueRange{panel, step,
                                     indexConstant(kb, kl,
                                                   v * lanes * shape.group)},
                          bPad, ArrayRef<bool>{true}));
                    SmallVector<Value> next;
                    for (int64_t r = 0; r < mr; ++r) {
                      Value word = vector::TransferReadOp::create(
                          kb, kl, aWordType, packedA,
                          ValueRange{tile, step, indexConstant(kb, kl, r),
                                     zero},
                          aPad, ArrayRef<bool>{true});
                      Value asI32 = word;
                      if (aWordType.getElementType() != i32)
                        asI32 = vector::BitCastOp::create(
                            kb, kl, VectorType::get({1}, i32), word);
                      Value scalar =
                          vector::ExtractOp::create(kb, kl, asI32, 0);
                      Value a =
                          vector::BroadcastOp::create(kb, kl, accType, scalar);
                      for (int64_t v = 0; v < nv; ++v)
                        next.push_back(multiplyAccumulate(
                            kb, kl, shape, accs[r * nv + v], a, bVectors[v]));
                    }
                    scf::YieldOp::create(kb, kl, next);
                  });
              Value d = tileArgs[0];
              Value row0 = arith::MulIOp::create(
                  tb, tl, tile, indexConstant(tb, tl, mr));
              Value col0 = arith::MulIOp::create(
                  tb, tl, panel, indexConstant(tb, tl, nr));
              for (int64_t r = 0; r < mr; ++r) {
                Value row = arith::AddIOp::create(tb, tl, row0,
                                                  indexConstant(tb, tl, r));
                for (int64_t v = 0; v < nv; ++v) {
                  Value col = arith::AddIOp::create(
                      tb, tl, col0, indexConstant(tb, tl, v * lanes));
                  d = vector::TransferWriteOp::create(
                          tb, tl, kLoop.getResult(r * nv + v), d,
                          ValueRange{row, col}, ArrayRef<bool>{true})
                          .getResult();
                }
              }
              scf::YieldOp::create(tb, tl, d);
            });
        scf::YieldOp::create(pb, pl, tileLoop.getResults());
      });
  return panelLoop.getResult(0);
}

/// out [M, N] = D[:M, :N] + columns[n] (+ bias[n]) (- cw * rowsum[m]).
static Value buildEpilogue(OpBuilder &b, Location loc, Value d, int64_t m,
                           int64_t n, Value columns, Value bias,
                           Value rowsum, int64_t cw) {
  Type i32 = b.getI32Type();
  SmallVector<OpFoldResult> offsets(2, b.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes = {b.getIndexAttr(m), b.getIndexAttr(n)};
  SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
  Value product = d;
  auto dType = cast<RankedTensorType>(d.getType());
  if (dType.getDimSize(0) != m || dType.getDimSize(1) != n)
    product = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({m, n}, i32), d, offsets, sizes,
        strides);
  MLIRContext *context = b.getContext();
  AffineExpr row, col;
  bindDims(context, row, col);
  AffineMap identity = AffineMap::get(2, 0, {row, col}, context);
  AffineMap perColumn = AffineMap::get(2, 0, {col}, context);
  SmallVector<Value> inputs = {product, columns};
  SmallVector<AffineMap> maps = {identity, perColumn};
  if (bias) {
    inputs.push_back(bias);
    maps.push_back(perColumn);
  }
  if (rowsum) {
    inputs.push_back(rowsum);
    maps.push_back(AffineMap::get(2, 0, {row}, context));
  }
  maps.push_back(identity);
  Value init = tensor::EmptyOp::create(b, loc, {m, n}, i32);
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
             {utils::IteratorType::parallel, utils::IteratorType::parallel},
             [&](OpBuilder &nb, Location bodyLoc, ValueRange args) {
               Value sum =
                   arith::AddIOp::create(nb, bodyLoc, args[0], args[1]);
               size_t next = 2;
               if (bias)
                 sum = arith::AddIOp::create(nb, bodyLoc, sum, args[next++]);
               if (rowsum) {
                 Value scaled = arith::MulIOp::create(
                     nb, bodyLoc, args[next++],
                     intConstant(nb, bodyLoc, i32, cw));
                 sum = arith::SubIOp::create(nb, bodyLoc, sum, scaled);
               }
               linalg::YieldOp::create(nb, bodyLoc, sum);
             })
      .getResult(0);
}

/// The whole decomposed product of u [M, K] (already shifted) and the
/// constant weights [N, K]: packing, kernel, corrections.
static Value buildPackedMatmul(OpBuilder &b, Location loc,
                               const KernelShape &shape, const Decomposition &d,
                               Value u, ArrayRef<int64_t> weights, int64_t n,
                               Value bias) {
  auto uType = cast<RankedTensorType>(u.getType());
  int64_t m = uType.getDimSize(0), k = uType.getDimSize(1);
  auto [packedB, columns] = packWeights(b, loc, shape, weights, n, k, d);
  Value rowsum = d.cw() != 0 ? rowSums(b, loc, shape, u) : Value();
  Value packedA = packActivations(b, loc, shape, u);
  Value product = buildContraction(b, loc, shape, packedA, packedB);
  return buildEpilogue(b, loc, product, m, n, columns, bias, rowsum, d.cw());
}

namespace {

/// qnt.matmul %a, %w_const, %bias ->
///   u = ext(a) + sa; rowsum(u) if needed; pack(u)
///   D = scf.for panels / tiles / k { vpdpbusd | vpmaddwd | muli+addi }
///   out = D + folded column term + bias - cw * rowsum
struct PackedMatmulLowering : OpConversionPattern<MatmulOp> {
  PackedMatmulLowering(const TypeConverter &converter, MLIRContext *context,
                       IntegerKernelIsa isa)
      : OpConversionPattern(converter, context, /*benefit=*/2), isa(isa) {}

  LogicalResult
  matchAndRewrite(MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isa == IntegerKernelIsa::Scalar)
      return rewriter.notifyMatchFailure(op, "scalar kernels requested");
    DenseIntElementsAttr weights = constantWeights(op.getRhs());
    if (!weights)
      return rewriter.notifyMatchFailure(op, "rhs is not a constant");
    auto lhsType = op.getLhs().getType();
    if (!lhsType.hasStaticShape() || !op.getRhs().getType().hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    Location loc = op.getLoc();
    KernelShape shape = kernelShapeFor(isa);
    Decomposition d = decompose(shape, op.getLhs(), int32_t(op.getLhsZp()),
                                op.getRhs(), int32_t(op.getRhsZp()));
    Value u = shiftActivations(rewriter, loc, shape, d, adaptor.getLhs(),
                               rewriter.getMultiDimIdentityMap(2),
                               lhsType.getShape(), {});
    Value result = buildPackedMatmul(
        rewriter, loc, shape, d, u, weightValues(weights, d.wUnsigned),
        op.getRhs().getType().getDimSize(0), adaptor.getBias());
    rewriter.replaceOp(op, result);
    return success();
  }

  IntegerKernelIsa isa;
};

/// qnt.conv2d %x, %w_const, %bias (groups = 1) -> tensor.pad with input_zp,
/// then im2col fused with the shift: u[n, y, x, i, j, c] =
///   ext(x[n, y*sh + i*dh, x*sw + j*dw, c]) + sa, collapsed to
/// [N*OH*OW, KH*KW*C], and the packed matmul against [O, KH*KW*C].
struct PackedConv2DLowering : OpConversionPattern<Conv2DOp> {
  PackedConv2DLowering(const TypeConverter &converter, MLIRContext *context,
                       IntegerKernelIsa isa)
      : OpConversionPattern(converter, context, /*benefit=*/2), isa(isa) {}

  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isa == IntegerKernelIsa::Scalar)
      return rewriter.notifyMatchFailure(op, "scalar kernels requested");
    if (op.getGroups() != 1)
      return rewriter.notifyMatchFailure(op, "grouped convolution");
    DenseIntElementsAttr weights = constantWeights(op.getFilter());
    if (!weights)
      return rewriter.notifyMatchFailure(op, "filter is not a constant");
    auto resultType = op.getOutput().getType();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto filterType = op.getFilter().getType();
    if (!resultType.hasStaticShape() || !inputType.hasStaticShape() ||
        !filterType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");

    Location loc = op.getLoc();
    KernelShape shape = kernelShapeFor(isa);
    Decomposition d = decompose(shape, op.getInput(), int32_t(op.getInputZp()),
                                op.getFilter(), int32_t(op.getFilterZp()));
    ArrayRef<int64_t> pad = op.getPad();
    ArrayRef<int64_t> stride = op.getStride();
    ArrayRef<int64_t> dilation = op.getDilation();
    Value input = adaptor.getInput();
    if (llvm::any_of(pad, [](int64_t p) { return p != 0; })) {
      SmallVector<int64_t> low = {0, pad[0], pad[2], 0};
      SmallVector<int64_t> high = {0, pad[1], pad[3], 0};
      SmallVector<int64_t> padded(inputType.getShape());
      padded[1] += pad[0] + pad[1];
      padded[2] += pad[2] + pad[3];
      // The padding holds input_zp, so it contributes 0 to the product.
      input = tensor::PadOp::create(
          rewriter, loc, inputType.clone(padded), input,
          getAsIndexOpFoldResult(rewriter.getContext(), low),
          getAsIndexOpFoldResult(rewriter.getContext(), high),
          intConstant(rewriter, loc, inputType.getElementType(),
                      int32_t(op.getInputZp())));
    }
    int64_t batch = resultType.getDimSize(0), oh = resultType.getDimSize(1),
            ow = resultType.getDimSize(2), o = resultType.getDimSize(3);
    int64_t kh = filterType.getDimSize(1), kw = filterType.getDimSize(2),
            c = filterType.getDimSize(3);
    MLIRContext *context = rewriter.getContext();
    AffineExpr n, y, x, i, j, ci;
    bindDims(context, n, y, x, i, j, ci);
    AffineMap im2col = AffineMap::get(
        6, 0,
        {n, y * stride[0] + i * dilation[0], x * stride[1] + j * dilation[1],
         ci},
        context);
    Value u = shiftActivations(rewriter, loc, shape, d, input, im2col,
                               {batch, oh, ow, kh, kw, c},
                               {{0, 1, 2}, {3, 4, 5}});
    Value matrix = buildPackedMatmul(rewriter, loc, shape, d, u,
                                     weightValues(weights, d.wUnsigned), o,
                                     adaptor.getBias());
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, resultType, matrix,
        ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
    return success();
  }

  IntegerKernelIsa isa;
};

} // namespace

void mlir::qnt::populateIntegerKernelPatterns(const TypeConverter &converter,
                                              RewritePatternSet &patterns,
                                              IntegerKernelIsa isa) {
  patterns.add<PackedMatmulLowering, PackedConv2DLowering>(
      converter, patterns.getContext(), isa);
}
