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
//   A [M, Kp] (u built at run time, zero padded along K only when K is not
//     a whole number of steps);
//   packed B [Np/NR, Kp/(kG*P), NR * kG] (a constant), lane j of vector t
//     holding column t * lanes + j's kG values of the step; weights of 2 or
//     3-4 bits are stored P = 4 or 2 to a byte as unsigned fields (signed
//     ones shifted by sw = 2^(bits-1)), field p holding step s * P + p, and
//     unpacked in registers with a shift and a mask;
// Padding with u = v = 0 adds nothing to D. The epilogue (+ column terms and
// bias, - cw * rowsum) runs on the accumulators in registers, which are
// stored straight into the [M, N] result: a last tile of M mod MR rows and a
// last panel of the vectors that reach into N (a masked store where one
// crosses N) keep every store within the result.
//
//===----------------------------------------------------------------------===//

#include "IntegerKernels.h"
#include "RequantizeArithmetic.h"

#include "qnt/IR/QntOps.h"

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
  /// Weights per byte of packed B: 1, or 2 (3-4 bits) / 4 (2 bits) unsigned
  /// fields of `fieldBits` that the kernel unpacks with shifts and masks.
  int64_t perByte;
  int64_t fieldBits() const { return 8 / perByte; }
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
  d.perByte = wBits <= 2 ? 4 : wBits <= 4 ? 2 : 1;
  if (d.perByte > 1)
    // Sub-byte fields are unsigned: signed weights move up by half a range.
    d.sw = d.wUnsigned ? 0 : int64_t(1) << (wBits - 1);
  else
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

/// K rounded up to whole bytes of packed B.
static int64_t paddedDepth(const KernelShape &shape, const Decomposition &d,
                           int64_t k) {
  return roundUp(k, shape.group * d.perByte);
}

/// Packs v = w + sw of the constant weights [N, K] into panels
/// [Np/NR, Kp/(kG*perByte), NR * kG] and folds the per-column correction
/// -ca * colsum(v) + K * ca * cw (wrapped to i32). With sub-byte weights,
/// field p of a byte holds step (s * perByte + p) of the same lane and byte.
static std::pair<Value, SmallVector<int32_t>>
packWeights(OpBuilder &b, Location loc, const KernelShape &shape,
            ArrayRef<int64_t> w, int64_t n, int64_t k, const Decomposition &d) {
  int64_t nr = shape.panelColumns();
  int64_t np = roundUp(n, nr), kp = paddedDepth(shape, d, k);
  int64_t superSteps = kp / (shape.group * d.perByte);
  uint8_t fieldMask = uint8_t((1u << d.fieldBits()) - 1);
  SmallVector<uint8_t> packed(np * kp / d.perByte, 0);
  SmallVector<int32_t> correction(n);
  for (int64_t col = 0; col < n; ++col) {
    int64_t panel = col / nr, j = col % nr, colsum = 0;
    for (int64_t kk = 0; kk < k; ++kk) {
      int64_t v = w[col * k + kk] + d.sw;
      colsum += v;
      int64_t step = kk / shape.group, t = kk % shape.group;
      int64_t field = step % d.perByte;
      packed[(panel * superSteps + step / d.perByte) * nr * shape.group +
             j * shape.group + t] |=
          d.perByte == 1 ? uint8_t(v)
                         : uint8_t((v & fieldMask) << (field * d.fieldBits()));
    }
    correction[col] =
        int32_t(uint32_t(-d.ca() * colsum + k * d.ca() * d.cw()));
  }
  auto packedType = RankedTensorType::get(
      {np / nr, superSteps, nr * shape.group}, b.getI8Type());
  Value packedB = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(
          packedType, ArrayRef(reinterpret_cast<const int8_t *>(packed.data()),
                               packed.size())));
  return {packedB, correction};
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

/// u [M, K] zero padded to [M, Kp] where K is not a whole number of steps
/// (and u is not padded yet). Rows stay apart: a tile's MR rows (MR x Kp
/// bytes) stay in L1 across the panel, and its broadcasts address them at
/// constant offsets.
static Value padActivations(OpBuilder &b, Location loc,
                            const KernelShape &shape, const Decomposition &d,
                            Value u) {
  auto type = cast<RankedTensorType>(u.getType());
  int64_t m = type.getDimSize(0), k = type.getDimSize(1);
  int64_t kp = paddedDepth(shape, d, k);
  if (kp == k)
    return u;
  SmallVector<OpFoldResult> low(2, b.getIndexAttr(0));
  SmallVector<OpFoldResult> high = {b.getIndexAttr(0), b.getIndexAttr(kp - k)};
  return tensor::PadOp::create(b, loc, type.clone({m, kp}), u, low, high,
                               intConstant(b, loc, type.getElementType(), 0));
}

/// The kernels call LLVM intrinsics through func.func declarations of their
/// names (which LLVM IR translation turns into the intrinsics): unlike
/// llvm.call_intrinsic, whose memory effects are unknown, func.call does not
/// stop buffer deallocation.
static constexpr StringLiteral kVpdpbusd = "llvm.x86.avx512.vpdpbusd.512";
static constexpr StringLiteral kPmaddwd = "llvm.x86.avx2.pmadd.wd";

/// Declares the intrinsic that `shape`'s kernel calls in `module`, once.
static void declareIntrinsic(OpBuilder &b, Location loc, ModuleOp module,
                             const KernelShape &shape) {
  Type i32 = b.getI32Type();
  StringRef name;
  FunctionType type;
  if (shape.isa == IntegerKernelIsa::Avx512Vnni) {
    name = kVpdpbusd;
    auto acc = VectorType::get({16}, i32);
    auto bytes = VectorType::get({64}, b.getI8Type());
    type = b.getFunctionType({acc, bytes, bytes}, acc);
  } else if (shape.isa == IntegerKernelIsa::Avx2) {
    name = kPmaddwd;
    auto words = VectorType::get({16}, b.getI16Type());
    type = b.getFunctionType({words, words}, VectorType::get({8}, i32));
  } else {
    return;
  }
  if (module.lookupSymbol(name))
    return;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  func::FuncOp::create(b, loc, name, type).setPrivate();
}

static Value callIntrinsic(OpBuilder &b, Location loc, StringRef name,
                           Type resultType, ValueRange operands) {
  return func::CallOp::create(b, loc, name, TypeRange{resultType}, operands)
      .getResult(0);
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
    return callIntrinsic(b, loc, kVpdpbusd, acc.getType(),
                         ValueRange{acc, aBytes, bBytes});
  }
  case IntegerKernelIsa::Avx2: {
    // vpmaddwd on sign-extended words: exact (no vpmaddubsw saturation).
    auto words = VectorType::get({lanes * 2}, b.getI16Type());
    Value aWords = vector::BitCastOp::create(b, loc, words, a);
    Value bWords = arith::ExtSIOp::create(b, loc, words, bBytes);
    Value pairs = callIntrinsic(b, loc, kPmaddwd, acc.getType(),
                                ValueRange{aWords, bWords});
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

/// Field `field` of every byte of `bytes` (sub-byte weights), or `bytes`.
static Value unpackField(OpBuilder &b, Location loc, const Decomposition &d,
                         Value bytes, int64_t field) {
  if (d.perByte == 1)
    return bytes;
  auto type = cast<VectorType>(bytes.getType());
  auto splat = [&](int64_t value) -> Value {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type, b.getI8IntegerAttr(value)));
  };
  Value shifted = bytes;
  if (field > 0)
    shifted = arith::ShRUIOp::create(b, loc, bytes,
                                     splat(field * d.fieldBits()));
  // The top field has nothing above it once shifted down.
  if (field == d.perByte - 1)
    return shifted;
  return arith::AndIOp::create(b, loc, shifted,
                               splat((1 << d.fieldBits()) - 1));
}

namespace {

/// Where the rows of A of a convolution start in its padded, shifted input
/// (an implicit im2col): output pixel m = (n, y, x) reads its step s at
/// ((n * Hp + y * sh) * Wp + x * sw) * Cp + stepOffsets[s].
struct ImplicitConv {
  int64_t outHeight, outWidth;
  int64_t paddedHeight, paddedWidth, paddedChannels;
  int64_t strideY, strideX;
  /// [steps] index: the offset of step s's kG values from a row's start.
  Value stepOffsets;

  Value rowStart(OpBuilder &b, Location loc, Value m) const;
};

/// The operands one register tile reads, and where it writes.
struct KernelOperands {
  /// [M, Kp] rows of u, or (with `conv`) the flattened padded input.
  Value activations, packedB;
  /// [Np] i32: the folded column terms plus the bias.
  Value columnTerms;
  /// [M] i32 row sums of u, or null when cw = 0.
  Value rowsum;
  std::optional<ImplicitConv> conv;
  /// A qnt.requantize of the result fused into the epilogue: its constants,
  /// one [Np] i64 table per channel column, and its storage element type.
  std::optional<RequantizeConstants> requantize;
  SmallVector<Value> requantizeTables;
  Type outputElement;
};

} // namespace

Value ImplicitConv::rowStart(OpBuilder &b, Location loc, Value m) const {
  auto constant = [&](int64_t value) { return indexConstant(b, loc, value); };
  Value x = arith::RemUIOp::create(b, loc, m, constant(outWidth));
  Value rest = arith::DivUIOp::create(b, loc, m, constant(outWidth));
  Value y = arith::RemUIOp::create(b, loc, rest, constant(outHeight));
  Value n = arith::DivUIOp::create(b, loc, rest, constant(outHeight));
  Value row = arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, n, constant(paddedHeight)),
      arith::MulIOp::create(b, loc, y, constant(strideY)));
  Value pixel = arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, row, constant(paddedWidth)),
      arith::MulIOp::create(b, loc, x, constant(strideX)));
  return arith::MulIOp::create(b, loc, pixel, constant(paddedChannels));
}

/// One register tile of `rows` x `vectors` accumulators at (tile, panel):
/// the k loop (each iteration loads the B vectors, unpacks perByte steps of
/// sub-byte weights in registers, and per step broadcasts a word of A for
/// each row), then the epilogue in registers: + column terms (+ bias)
/// - cw * rowsum, stored into `out` [M, N]; a last vector that crosses N is
/// a masked store (in_bounds = false).
static Value buildRegisterTile(OpBuilder &b, Location loc,
                               const KernelShape &shape, const Decomposition &d,
                               const KernelOperands &operands, Value out,
                               Value tile, Value panel, int64_t rows,
                               int64_t vectors, bool maskLast) {
  auto aType = cast<RankedTensorType>(operands.activations.getType());
  auto bType = cast<RankedTensorType>(operands.packedB.getType());
  int64_t superSteps = bType.getDimSize(1);
  int64_t lanes = shape.lanes, nr = shape.panelColumns();
  Type i32 = b.getI32Type();
  auto accType = VectorType::get({lanes}, i32);
  auto aWordType = VectorType::get({shape.group}, aType.getElementType());
  auto bVectorType = VectorType::get({lanes * shape.group}, b.getI8Type());
  Value zero = indexConstant(b, loc, 0);
  Value aPad = intConstant(b, loc, aType.getElementType(), 0);
  Value bPad = intConstant(b, loc, b.getI8Type(), 0);
  Value zeroAcc = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(accType, b.getI32IntegerAttr(0)));

  Value row0 = arith::MulIOp::create(b, loc, tile,
                                     indexConstant(b, loc, shape.rows));
  SmallVector<Value> rowIndices, rowStarts;
  for (int64_t r = 0; r < rows; ++r) {
    rowIndices.push_back(
        arith::AddIOp::create(b, loc, row0, indexConstant(b, loc, r)));
    if (operands.conv)
      rowStarts.push_back(operands.conv->rowStart(b, loc, rowIndices.back()));
  }

  SmallVector<Value> accInit(rows * vectors, zeroAcc);
  auto kLoop = scf::ForOp::create(
      b, loc, zero, indexConstant(b, loc, superSteps),
      indexConstant(b, loc, 1), accInit,
      [&](OpBuilder &kb, Location kl, Value superStep, ValueRange accs) {
        SmallVector<Value> raw;
        for (int64_t v = 0; v < vectors; ++v)
          raw.push_back(vector::TransferReadOp::create(
              kb, kl, bVectorType, operands.packedB,
              ValueRange{panel, superStep,
                         indexConstant(kb, kl, v * lanes * shape.group)},
              bPad, ArrayRef<bool>{true}));
        SmallVector<Value> next(accs);
        for (int64_t field = 0; field < d.perByte; ++field) {
          SmallVector<Value> bVectors;
          for (Value bytes : raw)
            bVectors.push_back(unpackField(kb, kl, d, bytes, field));
          Value step = superStep;
          if (d.perByte > 1)
            step = arith::AddIOp::create(
                kb, kl,
                arith::MulIOp::create(kb, kl, superStep,
                                      indexConstant(kb, kl, d.perByte)),
                indexConstant(kb, kl, field));
          Value offset;
          if (operands.conv)
            offset = tensor::ExtractOp::create(
                kb, kl, operands.conv->stepOffsets, step);
          else
            offset = arith::MulIOp::create(kb, kl, step,
                                           indexConstant(kb, kl, shape.group));
          for (int64_t r = 0; r < rows; ++r) {
            SmallVector<Value, 2> indices = {rowIndices[r], offset};
            if (operands.conv)
              indices = {arith::AddIOp::create(kb, kl, rowStarts[r], offset)};
            Value word = vector::TransferReadOp::create(
                kb, kl, aWordType, operands.activations, indices, aPad,
                ArrayRef<bool>{true});
            Value asI32 = word;
            if (aWordType.getElementType() != i32)
              asI32 = vector::BitCastOp::create(
                  kb, kl, VectorType::get({1}, i32), word);
            Value scalar = vector::ExtractOp::create(kb, kl, asI32, 0);
            Value a = vector::BroadcastOp::create(kb, kl, accType, scalar);
            for (int64_t v = 0; v < vectors; ++v)
              next[r * vectors + v] = multiplyAccumulate(
                  kb, kl, shape, next[r * vectors + v], a, bVectors[v]);
          }
        }
        scf::YieldOp::create(kb, kl, next);
      });

  Value col0 = arith::MulIOp::create(b, loc, panel, indexConstant(b, loc, nr));
  SmallVector<Value> columns, terms;
  for (int64_t v = 0; v < vectors; ++v) {
    columns.push_back(
        arith::AddIOp::create(b, loc, col0, indexConstant(b, loc, v * lanes)));
    terms.push_back(vector::TransferReadOp::create(
        b, loc, accType, operands.columnTerms, ValueRange{columns.back()},
        intConstant(b, loc, i32, 0), ArrayRef<bool>{true}));
  }
  // The requantize constants of each vector's channels.
  SmallVector<SmallVector<Value>> channel(vectors);
  for (int64_t v = 0; v < vectors && operands.requantize; ++v) {
    for (Value table : operands.requantizeTables) {
      Type element = cast<RankedTensorType>(table.getType()).getElementType();
      channel[v].push_back(vector::TransferReadOp::create(
          b, loc, VectorType::get({lanes}, element), table,
          ValueRange{columns[v]}, intConstant(b, loc, element, 0),
          ArrayRef<bool>{true}));
    }
  }
  for (int64_t r = 0; r < rows; ++r) {
    Value row = rowIndices[r];
    Value rowTerm;
    if (operands.rowsum) {
      Value sum = tensor::ExtractOp::create(b, loc, operands.rowsum, row);
      Value scaled = arith::MulIOp::create(b, loc, sum,
                                           intConstant(b, loc, i32, -d.cw()));
      rowTerm = vector::BroadcastOp::create(b, loc, accType, scaled);
    }
    for (int64_t v = 0; v < vectors; ++v) {
      Value value =
          arith::AddIOp::create(b, loc, kLoop.getResult(r * vectors + v),
                                terms[v]);
      if (rowTerm)
        value = arith::AddIOp::create(b, loc, value, rowTerm);
      if (operands.requantize)
        value = buildRequantize(b, loc, value, channel[v],
                                *operands.requantize, operands.outputElement);
      bool inBounds = !(maskLast && v == vectors - 1);
      out = vector::TransferWriteOp::create(b, loc, value, out,
                                            ValueRange{row, columns[v]},
                                            ArrayRef<bool>{inBounds})
                .getResult();
    }
  }
  return out;
}

/// out [M, N] from packed A and B: panels of NR columns, each split into
/// full tiles of MR rows (an scf.for) and a last tile of M mod MR rows; the
/// last panel computes only the vectors that reach into N.
static Value buildKernel(OpBuilder &b, Location loc, const KernelShape &shape,
                         const Decomposition &d,
                         const KernelOperands &operands, int64_t m,
                         int64_t n) {
  int64_t nr = shape.panelColumns(), lanes = shape.lanes;
  int64_t fullTiles = m / shape.rows, tailRows = m % shape.rows;
  int64_t fullPanels = n / nr, tailColumns = n % nr;
  Value out = tensor::EmptyOp::create(b, loc, {m, n}, operands.outputElement);
  Value zero = indexConstant(b, loc, 0);
  Value one = indexConstant(b, loc, 1);

  auto buildPanel = [&](OpBuilder &pb, Location pl, Value panel, Value dest,
                        int64_t vectors, bool maskLast) -> Value {
    if (fullTiles > 0) {
      dest = scf::ForOp::create(
                 pb, pl, zero, indexConstant(pb, pl, fullTiles), one,
                 ValueRange{dest},
                 [&](OpBuilder &tb, Location tl, Value tile, ValueRange args) {
                   scf::YieldOp::create(
                       tb, tl,
                       buildRegisterTile(tb, tl, shape, d, operands, args[0],
                                         tile, panel, shape.rows, vectors,
                                         maskLast));
                 })
                 .getResult(0);
    }
    if (tailRows > 0)
      dest = buildRegisterTile(pb, pl, shape, d, operands, dest,
                               indexConstant(pb, pl, fullTiles), panel,
                               tailRows, vectors, maskLast);
    return dest;
  };

  if (fullPanels > 0) {
    out = scf::ForOp::create(
              b, loc, zero, indexConstant(b, loc, fullPanels), one,
              ValueRange{out},
              [&](OpBuilder &pb, Location pl, Value panel, ValueRange args) {
                scf::YieldOp::create(pb, pl,
                                     buildPanel(pb, pl, panel, args[0],
                                                shape.vectors,
                                                /*maskLast=*/false));
              })
              .getResult(0);
  }
  if (tailColumns > 0)
    out = buildPanel(b, loc, indexConstant(b, loc, fullPanels), out,
                     (tailColumns + lanes - 1) / lanes,
                     tailColumns % lanes != 0);
  return out;
}

/// The column terms padded to [Np]: a constant, or constant + bias.
static Value buildColumnTerms(OpBuilder &b, Location loc,
                              ArrayRef<int32_t> correction, Value bias,
                              int64_t np) {
  int64_t n = correction.size();
  Type i32 = b.getI32Type();
  if (!bias) {
    SmallVector<int32_t> padded(correction);
    padded.resize(np, 0);
    return arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get({np}, i32),
                               ArrayRef(padded)));
  }
  Value constant = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get({n}, i32), correction));
  Value init = tensor::EmptyOp::create(b, loc, {n}, i32);
  AffineMap identity = b.getMultiDimIdentityMap(1);
  Value sum = linalg::GenericOp::create(
                  b, loc, TypeRange{init.getType()},
                  ValueRange{constant, bias}, ValueRange{init},
                  SmallVector<AffineMap>(3, identity),
                  {utils::IteratorType::parallel},
                  [&](OpBuilder &nb, Location bodyLoc, ValueRange args) {
                    linalg::YieldOp::create(
                        nb, bodyLoc,
                        Value(arith::AddIOp::create(nb, bodyLoc, args[0],
                                                    args[1])));
                  })
                  .getResult(0);
  if (np == n)
    return sum;
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get({np}, i32), sum,
      ArrayRef<OpFoldResult>{b.getIndexAttr(0)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(np - n)},
      intConstant(b, loc, i32, 0));
}

namespace {

/// What the kernel's epilogue writes: the i32 result, or a qnt.requantize of
/// it into `outputElement`.
struct Epilogue {
  std::optional<RequantizeConstants> requantize;
  Type outputElement;
};

} // namespace

/// The column terms of the epilogue and, for a fused requantize, its
/// constants as [Np] i64 tables (a per-tensor value repeated; the columns
/// past N, which are never stored, repeat channel 0's).
static void setEpilogue(OpBuilder &b, Location loc, const KernelShape &shape,
                        KernelOperands &operands, ArrayRef<int32_t> correction,
                        Value bias, const Epilogue &epilogue) {
  int64_t n = correction.size(), np = roundUp(n, shape.panelColumns());
  operands.columnTerms = buildColumnTerms(b, loc, correction, bias, np);
  operands.outputElement = epilogue.outputElement;
  operands.requantize = epilogue.requantize;
  if (!epilogue.requantize)
    return;
  for (auto [index, column] :
       llvm::enumerate(epilogue.requantize->channelColumns())) {
    SmallVector<int64_t> table(np, column.front());
    if (column.size() > 1)
      llvm::copy(column, table.begin());
    // Multipliers (column 0) are i32, which buildRequantize sign-extends.
    Type element = index == 0 ? b.getI32Type() : b.getI64Type();
    auto type = RankedTensorType::get({np}, element);
    DenseElementsAttr values =
        index == 0 ? DenseElementsAttr::get(
                         type, ArrayRef(SmallVector<int32_t>(table.begin(),
                                                             table.end())))
                   : DenseElementsAttr::get(type, ArrayRef(table));
    operands.requantizeTables.push_back(
        arith::ConstantOp::create(b, loc, values));
  }
}

/// The whole decomposed product of u [M, K] (already shifted) and the
/// constant weights [N, K]: packing, kernel with its fused epilogue.
static Value buildPackedMatmul(OpBuilder &b, Location loc,
                               const KernelShape &shape, const Decomposition &d,
                               Value u, int64_t k, ArrayRef<int64_t> weights,
                               int64_t n, Value bias,
                               const Epilogue &epilogue) {
  int64_t m = cast<RankedTensorType>(u.getType()).getDimSize(0);
  auto [packedB, correction] = packWeights(b, loc, shape, weights, n, k, d);
  KernelOperands operands;
  operands.packedB = packedB;
  setEpilogue(b, loc, shape, operands, correction, bias, epilogue);
  if (d.cw() != 0)
    operands.rowsum = rowSums(b, loc, shape, u);
  operands.activations = padActivations(b, loc, shape, d, u);
  return buildKernel(b, loc, shape, d, operands, m, n);
}

/// An scf.for over [0, extent) carrying one tensor.
static Value tensorLoop(
    OpBuilder &b, Location loc, int64_t extent, Value dest,
    function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
  return scf::ForOp::create(
             b, loc, indexConstant(b, loc, 0), indexConstant(b, loc, extent),
             indexConstant(b, loc, 1), ValueRange{dest},
             [&](OpBuilder &bb, Location bl, Value iv, ValueRange args) {
               scf::YieldOp::create(bb, bl, body(bb, bl, iv, args[0]));
             })
      .getResult(0);
}

/// The input coordinate iv * scale + add - before clamped into [0, extent),
/// and whether it was in range (null without padding: always).
static std::pair<Value, Value> clampedCoordinate(OpBuilder &b, Location loc,
                                                 Value iv, int64_t scale,
                                                 int64_t add, int64_t before,
                                                 int64_t after,
                                                 int64_t extent) {
  Value scaled = arith::MulIOp::create(b, loc, iv, indexConstant(b, loc, scale));
  Value position = arith::AddIOp::create(
      b, loc, scaled, indexConstant(b, loc, add - before));
  if (before == 0 && after == 0)
    return {position, Value()};
  Value clamped = arith::MinSIOp::create(
      b, loc,
      arith::MaxSIOp::create(b, loc, position, indexConstant(b, loc, 0)),
      indexConstant(b, loc, extent - 1));
  Value inRange = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                        position, clamped);
  return {clamped, inRange};
}

/// A vector of input channels read at a clamped position: input_zp where
/// the position was out of range, then u = a + sa in A's element type.
static Value shiftedChannels(OpBuilder &b, Location loc,
                             const KernelShape &shape, const Decomposition &d,
                             Value values, Value rowInRange, Value colInRange,
                             int64_t inputZp) {
  auto readType = cast<VectorType>(values.getType());
  Type inElem = readType.getElementType();
  Value inRange = rowInRange;
  if (inRange && colInRange)
    inRange = arith::AndIOp::create(b, loc, inRange, colInRange);
  else if (colInRange)
    inRange = colInRange;
  if (inRange) {
    Value padValues = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            readType, b.getIntegerAttr(inElem, APInt(8, inputZp, true, true))));
    values = arith::SelectOp::create(b, loc, inRange, values, padValues);
  }
  Type elem = b.getIntegerType(shape.aBits);
  auto rowType = readType.clone(elem);
  if (shape.aBits != 8)
    return d.aUnsigned ? Value(arith::ExtUIOp::create(b, loc, rowType, values))
                       : Value(arith::ExtSIOp::create(b, loc, rowType, values));
  if (d.sa == 0)
    return values;
  return arith::AddIOp::create(
      b, loc, values,
      arith::ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(rowType, b.getIntegerAttr(elem, d.sa))));
}

/// The geometry of an integer convolution.
struct ConvGeometry {
  int64_t batch, height, width, channels;
  int64_t outHeight, outWidth;
  int64_t kernelHeight, kernelWidth;
  ArrayRef<int64_t> stride, dilation, pad;
};

/// u [N*OH*OW, Kp] of the i8 input [N, H, W, C] in vector code: per output
/// pixel and filter tap, the C contiguous channels are one vector read,
/// shifted (or widened) and written at column (i * KW + j) * C; the columns
/// from K = KH*KW*C to Kp are zeros. A tap in the padding reads a clamped
/// position and selects input_zp instead, so no padded copy of the input is
/// made.
static Value buildIm2col(OpBuilder &b, Location loc, const KernelShape &shape,
                         const Decomposition &d, Value input,
                         const ConvGeometry &g, int64_t inputZp) {
  int64_t c = g.channels;
  int64_t k = g.kernelHeight * g.kernelWidth * c,
          kp = paddedDepth(shape, d, k);
  Type elem = b.getIntegerType(shape.aBits);
  auto inType = cast<RankedTensorType>(input.getType());
  auto readType = VectorType::get({c}, inType.getElementType());
  Value init = tensor::EmptyOp::create(
      b, loc, {g.batch * g.outHeight * g.outWidth, kp}, elem);
  Value zero = indexConstant(b, loc, 0);
  Value inPad = intConstant(b, loc, inType.getElementType(), 0);
  Value tail;
  if (kp != k)
    tail = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(VectorType::get({kp - k}, elem),
                               b.getIntegerAttr(elem, 0)));
  return tensorLoop(b, loc, g.batch, init, [&](OpBuilder &nb, Location nl,
                                                Value n, Value dn) {
    return tensorLoop(nb, nl, g.outHeight, dn, [&](OpBuilder &yb, Location yl,
                                                    Value y, Value dy) {
      return tensorLoop(yb, yl, g.outWidth, dy, [&](OpBuilder &xb, Location xl,
                                                     Value x, Value dx) {
        Value pixel = arith::AddIOp::create(
            xb, xl,
            arith::MulIOp::create(
                xb, xl,
                arith::AddIOp::create(
                    xb, xl,
                    arith::MulIOp::create(xb, xl, n,
                                          indexConstant(xb, xl, g.outHeight)),
                    y),
                indexConstant(xb, xl, g.outWidth)),
            x);
        for (int64_t i = 0; i < g.kernelHeight; ++i) {
          auto [row, rowInRange] =
              clampedCoordinate(xb, xl, y, g.stride[0], i * g.dilation[0],
                                g.pad[0], g.pad[1], g.height);
          for (int64_t j = 0; j < g.kernelWidth; ++j) {
            auto [col, colInRange] =
                clampedCoordinate(xb, xl, x, g.stride[1], j * g.dilation[1],
                                  g.pad[2], g.pad[3], g.width);
            Value values = vector::TransferReadOp::create(
                xb, xl, readType, input, ValueRange{n, row, col, zero}, inPad,
                ArrayRef<bool>{true});
            Value shifted = shiftedChannels(xb, xl, shape, d, values,
                                            rowInRange, colInRange, inputZp);
            dx = vector::TransferWriteOp::create(
                     xb, xl, shifted, dx,
                     ValueRange{pixel, indexConstant(
                                           xb, xl, (i * g.kernelWidth + j) * c)},
                     ArrayRef<bool>{true})
                     .getResult();
          }
        }
        if (tail)
          dx = vector::TransferWriteOp::create(
                   xb, xl, tail, dx,
                   ValueRange{pixel, indexConstant(xb, xl, k)},
                   ArrayRef<bool>{true})
                   .getResult();
        return dx;
      });
    });
  });
}

/// The implicit im2col of a convolution whose weights need no row sums
/// (cw = 0): the input shifted once into a padded copy
/// [N, H + pads, W + pads, Cp] (Cp = C rounded up to kG, the extra channels
/// and the border holding input_zp + sa), flattened, and the addressing
/// that reads step s of output pixel m from it. Each input pixel is read
/// once instead of once per filter tap, and A is never written out.
///
/// With `foldWidth`, a filter row's KW taps are folded into the channels:
/// column x of the copy holds the padded input's columns x, x + dw, ...,
/// x + (KW - 1) dw, Cp = KW*C rounded up to kG, and the filter has KH taps
/// of Cp. A narrow input (C = 1, KW = 5) then takes 2 vpdpbusd steps per
/// filter row instead of 5.
static std::pair<Value, ImplicitConv>
buildPaddedInput(OpBuilder &b, Location loc, const KernelShape &shape,
                 const Decomposition &d, Value input, const ConvGeometry &g,
                 int64_t inputZp, bool foldWidth, int64_t steps) {
  int64_t folded = foldWidth ? g.kernelWidth : 1;
  int64_t cp = roundUp(folded * g.channels, shape.group);
  int64_t hp = g.height + g.pad[0] + g.pad[1];
  int64_t wp = g.width + g.pad[2] + g.pad[3];
  int64_t wq = wp - (folded - 1) * g.dilation[1];
  auto inType = cast<RankedTensorType>(input.getType());
  Type elem = b.getIntegerType(shape.aBits);
  // Unfolded, one read covers Cp channels (those past C read as input_zp).
  int64_t readChannels = foldWidth ? g.channels : cp;
  auto readType = VectorType::get({readChannels}, inType.getElementType());
  Value init =
      tensor::EmptyOp::create(b, loc, {g.batch, hp, wq, cp}, elem);
  Value zero = indexConstant(b, loc, 0);
  Value inPad = intConstant(b, loc, inType.getElementType(), inputZp);
  Value tail;
  if (foldWidth && cp != folded * g.channels)
    tail = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            VectorType::get({cp - folded * g.channels}, elem),
            b.getIntegerAttr(elem, APInt(shape.aBits, inputZp + d.sa,
                                         /*isSigned=*/true,
                                         /*implicitTrunc=*/true))));
  Value padded = tensorLoop(b, loc, g.batch, init, [&](OpBuilder &nb,
                                                        Location nl, Value n,
                                                        Value dn) {
    return tensorLoop(nb, nl, hp, dn, [&](OpBuilder &yb, Location yl, Value y,
                                          Value dy) {
      // Not a structured binding: the lambda below captures them.
      std::pair<Value, Value> row = clampedCoordinate(
          yb, yl, y, 1, 0, g.pad[0], g.pad[1], g.height);
      return tensorLoop(yb, yl, wq, dy, [&](OpBuilder &xb, Location xl,
                                            Value x, Value dx) {
        for (int64_t j = 0; j < folded; ++j) {
          auto [col, colInRange] =
              clampedCoordinate(xb, xl, x, 1, j * g.dilation[1], g.pad[2],
                                g.pad[3], g.width);
          Value values = vector::TransferReadOp::create(
              xb, xl, readType, input, ValueRange{n, row.first, col, zero},
              inPad, ArrayRef<bool>{readChannels == g.channels});
          Value shifted = shiftedChannels(xb, xl, shape, d, values,
                                          row.second, colInRange, inputZp);
          dx = vector::TransferWriteOp::create(
                   xb, xl, shifted, dx,
                   ValueRange{n, y, x,
                              indexConstant(xb, xl, j * g.channels)},
                   ArrayRef<bool>{true})
                   .getResult();
        }
        if (tail)
          dx = vector::TransferWriteOp::create(
                   xb, xl, tail, dx,
                   ValueRange{n, y, x,
                              indexConstant(xb, xl, folded * g.channels)},
                   ArrayRef<bool>{true})
                   .getResult();
        return dx;
      });
    });
  });
  Value flat = tensor::CollapseShapeOp::create(
      b, loc, padded, ArrayRef<ReassociationIndices>{{0, 1, 2, 3}});

  // Steps past the K of the padded channels read weights of 0: any offset.
  SmallVector<int64_t> offsets(steps, 0);
  int64_t rowTaps = g.kernelWidth / folded;
  int64_t taps = g.kernelHeight * rowTaps;
  for (int64_t s = 0; s < steps && s * shape.group < taps * cp; ++s) {
    int64_t k0 = s * shape.group, tap = k0 / cp, c = k0 % cp;
    int64_t i = tap / rowTaps, j = tap % rowTaps;
    offsets[s] = (i * g.dilation[0] * wq + j * g.dilation[1]) * cp + c;
  }
  Value table = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get({steps}, b.getIndexType()),
                             ArrayRef(offsets)));
  ImplicitConv conv{g.outHeight, g.outWidth, hp, wq, cp,
                    g.stride[0], g.stride[1], table};
  return {flat, conv};
}

/// Weights [O, taps * C] with each tap's channels padded to Cp by values
/// whose shifted form v = w + sw is 0.
static SmallVector<int64_t> padChannels(ArrayRef<int64_t> weights,
                                        const Decomposition &d, int64_t o,
                                        int64_t taps, int64_t c, int64_t cp) {
  if (cp == c)
    return SmallVector<int64_t>(weights);
  SmallVector<int64_t> padded(o * taps * cp, -d.sw);
  for (int64_t row = 0; row < o * taps; ++row)
    llvm::copy(weights.slice(row * c, c), padded.begin() + row * cp);
  return padded;
}

/// A convolution as the packed product of its implicit im2col (see
/// buildPaddedInput) and the weights [O, KH*KW*Cp].
static Value buildImplicitConv(OpBuilder &b, Location loc,
                               const KernelShape &shape, const Decomposition &d,
                               Value input, const ConvGeometry &g,
                               int64_t inputZp, ArrayRef<int64_t> weights,
                               int64_t o, Value bias,
                               const Epilogue &epilogue) {
  // Fold a filter row into the channels where that takes fewer steps.
  auto stepsOf = [&](int64_t taps, int64_t c) {
    return taps * ((c + shape.group - 1) / shape.group);
  };
  bool foldWidth =
      stepsOf(g.kernelHeight, g.kernelWidth * g.channels) <
      stepsOf(g.kernelHeight * g.kernelWidth, g.channels);
  // The weights' layout [O, KH, KW, C] is [O, KH, 1, KW*C] folded.
  int64_t taps = foldWidth ? g.kernelHeight : g.kernelHeight * g.kernelWidth;
  int64_t c = foldWidth ? g.kernelWidth * g.channels : g.channels;
  int64_t cp = roundUp(c, shape.group), k = taps * cp;
  SmallVector<int64_t> w = padChannels(weights, d, o, taps, c, cp);
  auto [packedB, correction] = packWeights(b, loc, shape, w, o, k, d);
  int64_t steps = paddedDepth(shape, d, k) / shape.group;
  auto [flat, conv] = buildPaddedInput(b, loc, shape, d, input, g, inputZp,
                                       foldWidth, steps);
  KernelOperands operands;
  operands.activations = flat;
  operands.packedB = packedB;
  setEpilogue(b, loc, shape, operands, correction, bias, epilogue);
  operands.conv = conv;
  return buildKernel(b, loc, shape, d, operands,
                     g.batch * g.outHeight * g.outWidth, o);
}

/// The epilogue of `op` (a qnt.matmul or qnt.conv2d): a qnt.requantize that
/// is the only user of its result is fused where the kernel can apply it
/// on its accumulator vectors: per tensor or along the channel (last) axis,
/// into 8, 16 or 32-bit storage (vectors of narrower integers would be
/// bit-packed in memory), as vectors of at least 128 bits: LLVM 22 turns a
/// masked store of <4 x i8> (one lane set) into an 8-byte store on x86 with
/// AVX-512 features, which the last, partial vector of a row would hit.
static std::pair<Epilogue, RequantizeOp>
chooseEpilogue(Operation *op, const TypeConverter &converter,
               const KernelShape &shape) {
  Epilogue epilogue{std::nullopt, IntegerType::get(op->getContext(), 32)};
  Value result = op->getResult(0);
  auto requantize = dyn_cast_or_null<RequantizeOp>(
      result.hasOneUse() ? *result.getUsers().begin() : nullptr);
  if (!requantize)
    return {epilogue, {}};
  int64_t rank = cast<RankedTensorType>(result.getType()).getRank();
  std::optional<uint64_t> axis = requantize.getAxis();
  Type storage = converter.convertType(
      requantize.getOutput().getType().getElementType());
  unsigned width = storage.getIntOrFloatBitWidth();
  if ((axis && int64_t(*axis) != rank - 1) ||
      (width != 8 && width != 16 && width != 32) || shape.lanes * width < 128)
    return {epilogue, {}};
  epilogue.requantize = RequantizeConstants::get(requantize);
  epilogue.outputElement = storage;
  return {epilogue, requantize};
}

/// Replaces `op`, or with a fused requantize that op's only user, by
/// `result`.
static void replaceWithEpilogue(ConversionPatternRewriter &rewriter,
                                Operation *op, RequantizeOp requantize,
                                Value result) {
  if (!requantize) {
    rewriter.replaceOp(op, result);
    return;
  }
  rewriter.replaceOp(requantize, result);
  rewriter.eraseOp(op);
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
    declareIntrinsic(rewriter, loc, op->getParentOfType<ModuleOp>(), shape);
    Decomposition d = decompose(shape, op.getLhs(), int32_t(op.getLhsZp()),
                                op.getRhs(), int32_t(op.getRhsZp()));
    Value u = shiftActivations(rewriter, loc, shape, d, adaptor.getLhs(),
                               rewriter.getMultiDimIdentityMap(2),
                               lhsType.getShape(), {});
    auto [epilogue, requantize] = chooseEpilogue(op, *getTypeConverter(), shape);
    Value result = buildPackedMatmul(
        rewriter, loc, shape, d, u, lhsType.getDimSize(1),
        weightValues(weights, d.wUnsigned),
        op.getRhs().getType().getDimSize(0), adaptor.getBias(), epilogue);
    replaceWithEpilogue(rewriter, op, requantize, result);
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
    declareIntrinsic(rewriter, loc, op->getParentOfType<ModuleOp>(), shape);
    Decomposition d = decompose(shape, op.getInput(), int32_t(op.getInputZp()),
                                op.getFilter(), int32_t(op.getFilterZp()));
    ArrayRef<int64_t> pad = op.getPad();
    ArrayRef<int64_t> stride = op.getStride();
    ArrayRef<int64_t> dilation = op.getDilation();
    Value input = adaptor.getInput();
    bool vectorIm2col =
        inputType.getElementType().getIntOrFloatBitWidth() == 8;
    if (!vectorIm2col && llvm::any_of(pad, [](int64_t p) { return p != 0; })) {
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
    ConvGeometry geometry{inputType.getDimSize(0), inputType.getDimSize(1),
                          inputType.getDimSize(2), c, oh, ow, kh, kw,
                          stride, dilation, pad};
    SmallVector<int64_t> w = weightValues(weights, d.wUnsigned);
    auto [epilogue, requantize] = chooseEpilogue(op, *getTypeConverter(), shape);
    Value matrix;
    if (vectorIm2col && d.cw() == 0) {
      matrix = buildImplicitConv(rewriter, loc, shape, d, input, geometry,
                                 op.getInputZp(), w, o, adaptor.getBias(),
                                 epilogue);
    } else {
      Value u;
      if (vectorIm2col) {
        u = buildIm2col(rewriter, loc, shape, d, input, geometry,
                        int32_t(op.getInputZp()));
      } else {
        // Vectors of sub-byte elements would be bit-packed in memory: a
        // scalar linalg.generic does the im2col.
        MLIRContext *context = rewriter.getContext();
        AffineExpr n, y, x, i, j, ci;
        bindDims(context, n, y, x, i, j, ci);
        AffineMap im2col = AffineMap::get(
            6, 0,
            {n, y * stride[0] + i * dilation[0],
             x * stride[1] + j * dilation[1], ci},
            context);
        u = shiftActivations(rewriter, loc, shape, d, input, im2col,
                             {batch, oh, ow, kh, kw, c},
                             {{0, 1, 2}, {3, 4, 5}});
      }
      matrix = buildPackedMatmul(rewriter, loc, shape, d, u, kh * kw * c, w,
                                 o, adaptor.getBias(), epilogue);
    }
    Value result = tensor::ExpandShapeOp::create(
        rewriter, loc, resultType.clone(epilogue.outputElement), matrix,
        ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
    replaceWithEpilogue(rewriter, op, requantize, result);
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
