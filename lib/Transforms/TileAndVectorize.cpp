//===- TileAndVectorize.cpp - register tiles + vectorization of linalg ----===//
//
// Convolutions become im2col + GEMM, contractions are tiled into
// 8 x vector-width accumulator blocks that live in registers across the
// k loop (a broadcast of A times a row of B per k step: one FMA per
// accumulator register), and all-parallel ops are tiled by the vector width
// along their innermost dimension. Everything uses upstream transforms.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"
#include "llvm/Support/DebugLog.h"

#define DEBUG_TYPE "qnt-tile-and-vectorize"

namespace mlir::qnt {
#define GEN_PASS_DEF_QNTTILEANDVECTORIZEPASS
#include "quant-mlir/Transforms/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;

/// Rows of the accumulator block of a contraction: 8 rows of vector-width
/// lanes use 8 of the 16 (AVX2) or 32 (AVX-512) vector registers, leaving
/// room for the B row and the broadcasts of A.
static constexpr int64_t kRowsPerTile = 8;

/// Marks the register tiles between tiling and vectorization; peeling
/// clones them and canonicalization rebuilds them with static shapes.
static constexpr StringLiteral kTileMarker = "__qnt_register_tile__";

namespace {

/// linalg.conv_2d_nhwc_fhwc -> linalg.transpose(filter to HWCF) +
/// linalg.conv_2d_nhwc_hwcf, whose im2col GEMM reads B along N
/// contiguously (the FHWC one would be a row-wise dot product).
struct TransposeConvFilterToHwcf
    : OpRewritePattern<linalg::Conv2DNhwcFhwcOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::Conv2DNhwcFhwcOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "not on tensors");
    return linalg::transposeConv2D(rewriter, op);
  }
};

/// linalg.transpose -> the equivalent linalg.generic, which the constant
/// folding patterns understand, so a constant filter is transposed at
/// compile time.
struct GeneralizeConstantTranspose : OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getInput().getDefiningOp<arith::ConstantOp>())
      return rewriter.notifyMatchFailure(op, "input is not a constant");
    return linalg::generalizeNamedOp(rewriter, op);
  }
};

} // namespace

/// Tile sizes (batch 1, m kRowsPerTile, n vectorWidth, k 1) for a
/// contraction.
static SmallVector<int64_t>
contractionTileSizes(linalg::LinalgOp op,
                     const linalg::ContractionDimensions &dims,
                     int64_t vectorWidth) {
  SmallVector<int64_t> sizes(op.getNumLoops(), 1);
  // The innermost m and n dimensions form the register block.
  sizes[dims.m.back()] = kRowsPerTile;
  sizes[dims.n.back()] = vectorWidth;
  return sizes;
}

/// Tile sizes (1, .., 1, vectorWidth) for an all-parallel op.
static SmallVector<int64_t> elementwiseTileSizes(linalg::LinalgOp op,
                                                 int64_t vectorWidth) {
  SmallVector<int64_t> sizes(op.getNumLoops(), 1);
  if (!sizes.empty())
    sizes.back() = vectorWidth;
  return sizes;
}

/// Clamps each tile size to the extent of its loop.
static void clampToBounds(linalg::LinalgOp op,
                          SmallVectorImpl<int64_t> &sizes) {
  for (auto [size, bound] : llvm::zip(sizes, op.getStaticLoopRanges()))
    size = std::min(size, bound);
}

/// Register-tile sizes for `op`, clamped to its extents, or none for ops
/// that stay scalar. Dynamic shapes stay scalar: their tiles would need
/// masks.
static std::optional<SmallVector<int64_t>> tileSizesFor(linalg::LinalgOp op,
                                                        int64_t vectorWidth) {
  if (op.hasDynamicShape())
    return std::nullopt;
  // LLVM packs the elements of an <N x i3> vector into bits in memory, while
  // a memref of i3 takes a byte per element: such operands stay scalar.
  if (llvm::any_of(op->getOperandTypes(), [](Type type) {
        Type element = getElementTypeOrSelf(type);
        return element.isIntOrFloat() &&
               element.getIntOrFloatBitWidth() % 8 != 0;
      }))
    return std::nullopt;
  SmallVector<int64_t> sizes;
  if (linalg::isaContractionOpInterface(op)) {
    FailureOr<linalg::ContractionDimensions> dims =
        linalg::inferContractionDims(op);
    if (failed(dims))
      return std::nullopt;
    sizes = contractionTileSizes(op, *dims, vectorWidth);
  } else if (op.getNumLoops() > 0 &&
             op.getNumLoops() == op.getNumParallelLoops()) {
    sizes = elementwiseTileSizes(op, vectorWidth);
  } else {
    return std::nullopt;
  }
  clampToBounds(op, sizes);
  return sizes;
}

/// Splits every loop of the nest under `loop` into full tiles and one
/// remainder iteration, so full tiles get static shapes and need no masks.
static void peelNest(RewriterBase &rewriter, scf::ForOp loop) {
  SmallVector<scf::ForOp> loops = {loop};
  scf::ForOp remainder;
  if (succeeded(scf::peelForLoopAndSimplifyBounds(rewriter, loop, remainder)))
    loops.push_back(remainder);
  for (scf::ForOp peeled : loops)
    for (scf::ForOp inner :
         llvm::to_vector(peeled.getBody()->getOps<scf::ForOp>()))
      peelNest(rewriter, inner);
}

/// Tiles `op` into register tiles and peels the loops. Returns failure with
/// the IR unchanged for ops that stay scalar.
static LogicalResult tileAndPeel(RewriterBase &rewriter, linalg::LinalgOp op,
                                 int64_t vectorWidth) {
  std::optional<SmallVector<int64_t>> sizes = tileSizesFor(op, vectorWidth);
  // The vectorizer's own precondition, on the untiled op, keeps ops it
  // cannot handle (windowed reductions, unsupported payloads) untouched.
  if (!sizes || failed(linalg::vectorizeOpPrecondition(
                    op, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
                    /*vectorizeNDExtract=*/true))) {
    LDBG() << "left scalar: " << *op;
    return failure();
  }

  rewriter.setInsertionPoint(op);
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), *sizes));
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled))
    return failure();
  rewriter.replaceOp(op, tiled->replacements);
  tiled->tiledOps.back()->setAttr(kTileMarker, rewriter.getUnitAttr());
  if (!tiled->loops.empty())
    peelNest(rewriter, cast<scf::ForOp>(tiled->loops.front().getOperation()));
  return success();
}

/// Vectorizes a register tile (static: the loops were peeled).
static void vectorizeTile(RewriterBase &rewriter, linalg::LinalgOp tile) {
  tile->removeAttr(kTileMarker);
  rewriter.setInsertionPoint(tile);
  FailureOr<linalg::VectorizationResult> vectorized = linalg::vectorize(
      rewriter, tile, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
      /*vectorizeNDExtract=*/true, /*flatten1DDepthwiseConv=*/false,
      /*assumeDynamicDimsMatchVecSizes=*/false,
      /*createNamedContraction=*/true);
  // A tile that stays scalar is still correct: it lowers to loops later.
  if (failed(vectorized)) {
    LDBG() << "tiled but not vectorized: " << *tile;
    return;
  }
  rewriter.replaceOp(tile, vectorized->replacements);
}

namespace {

struct TileAndVectorizePass
    : qnt::impl::QntTileAndVectorizePassBase<TileAndVectorizePass> {
  using Base::Base;

  void runOnOperation() override {
    Operation *root = getOperation();
    MLIRContext *context = &getContext();
    if (vectorWidth < 1) {
      root->emitError() << "vector-width must be positive, got "
                        << static_cast<int64_t>(vectorWidth);
      return signalPassFailure();
    }

    RewritePatternSet convPatterns(context);
    convPatterns.add<TransposeConvFilterToHwcf, GeneralizeConstantTranspose>(
        context);
    linalg::populateConvertConv2DToImg2ColPatterns(convPatterns);
    linalg::populateConstantFoldLinalgOperations(
        convPatterns, [](OpOperand *) { return true; });
    if (failed(applyPatternsGreedily(root, std::move(convPatterns))))
      return signalPassFailure();

    SmallVector<linalg::LinalgOp> ops;
    root->walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics())
        ops.push_back(op);
    });
    IRRewriter rewriter(context);
    for (linalg::LinalgOp op : ops)
      (void)tileAndPeel(rewriter, op, vectorWidth);

    // Peeling made the full tiles' sizes constants: fold them into static
    // shapes before vectorizing.
    RewritePatternSet canonicalization(context);
    linalg::populateLinalgTilingCanonicalizationPatterns(canonicalization);
    if (failed(applyPatternsGreedily(root, std::move(canonicalization))))
      return signalPassFailure();

    SmallVector<linalg::LinalgOp> tiles;
    root->walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(kTileMarker))
        tiles.push_back(op);
    });
    for (linalg::LinalgOp tile : tiles)
      vectorizeTile(rewriter, tile);

    // Turns the mul + multi_reduction that generic contractions vectorize
    // to into vector.contract, and drops unit batch dimensions so that
    // every contract is a 2-D matmul that lowers to outer products.
    RewritePatternSet contractions(context);
    linalg::populateLinalgTilingCanonicalizationPatterns(contractions);
    vector::populateVectorReductionToContractPatterns(contractions);
    vector::populateCastAwayVectorLeadingOneDimPatterns(contractions);
    vector::populateVectorTransferPermutationMapLoweringPatterns(contractions);
    if (failed(applyPatternsGreedily(root, std::move(contractions))))
      return signalPassFailure();

    // Moves the accumulator's extract/read and write/insert pairs out of
    // the k loop, so the block stays in registers across it.
    SmallVector<scf::ForOp> kLoops;
    root->walk([&](vector::ContractionOp contract) {
      if (auto loop = dyn_cast<scf::ForOp>(contract->getParentOp()))
        kLoops.push_back(loop);
    });
    for (scf::ForOp loop : kLoops) {
      moveLoopInvariantCode(loop);
      hoistLoopInvariantSubsets(rewriter, loop);
    }

    // Drops the loop-carried values that hoisting left unused.
    RewritePatternSet cleanup(context);
    linalg::populateLinalgTilingCanonicalizationPatterns(cleanup);
    if (failed(applyPatternsGreedily(root, std::move(cleanup))))
      return signalPassFailure();
  }
};

} // namespace
