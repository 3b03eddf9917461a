//===- FoldBatchnorm.cpp - fold batch norm into conv/matmul ---------------===//
// (in progress)
#include "quant-mlir/Transforms/Passes.h"
#include "qnt/IR/QntOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qnt {
#define GEN_PASS_DEF_QNTFOLDBATCHNORMPASS
#include "quant-mlir/Transforms/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;

namespace {
struct QntFoldBatchnormPass
    : qnt::impl::QntFoldBatchnormPassBase<QntFoldBatchnormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFoldBatchnormPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void mlir::qnt::populateFoldBatchnormPatterns(RewritePatternSet &patterns) {}
