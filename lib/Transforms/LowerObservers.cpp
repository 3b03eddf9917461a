//===- LowerObservers.cpp - qnt.observe to runtime calls ------------------===//
//
// A probe becomes a call of one C entry point with the tensor (as an
// unranked memref after bufferization) and the probe's index; the module's
// `qnt.observers` attribute maps indices back to ids, kinds and bin counts
// for the runtime that collects the statistics.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/Transforms/Passes.h"

#include "qnt/IR/QntOps.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/ADT/StringMap.h"

namespace mlir::qnt {
#define GEN_PASS_DEF_QNTLOWEROBSERVERSPASS
#include "quant-mlir/Transforms/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;

static constexpr StringLiteral kObserveFunction = "qnt_observe_f32";

namespace {

struct QntLowerObserversPass
    : qnt::impl::QntLowerObserversPassBase<QntLowerObserversPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    SmallVector<ObserveOp> probes;
    module.walk([&](ObserveOp op) { probes.push_back(op); });
    if (probes.empty())
      return;

    auto unrankedType = UnrankedTensorType::get(Float32Type::get(ctx));
    auto i64Type = IntegerType::get(ctx, 64);
    OpBuilder builder(ctx);
    if (!module.lookupSymbol<func::FuncOp>(kObserveFunction)) {
      builder.setInsertionPointToEnd(module.getBody());
      auto decl = func::FuncOp::create(
          builder, module.getLoc(), kObserveFunction,
          builder.getFunctionType({unrankedType, i64Type}, {}));
      decl.setPrivate();
      // The runtime only reads the tensor: no copy is needed to protect it.
      decl.setArgAttr(0, "bufferization.access", builder.getStringAttr("read"));
      decl->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                    builder.getUnitAttr());
    }

    llvm::StringMap<int64_t> indices;
    SmallVector<Attribute> table;
    for (ObserveOp probe : probes) {
      auto type = probe.getInput().getType();
      if (!type.getElementType().isF32()) {
        probe.emitOpError("only f32 tensors can be observed, got ")
            << type.getElementType();
        return signalPassFailure();
      }
      auto [it, inserted] = indices.try_emplace(probe.getId(), table.size());
      if (inserted)
        table.push_back(builder.getDictionaryAttr({
            builder.getNamedAttr("id", probe.getIdAttr()),
            builder.getNamedAttr(
                "kind", builder.getStringAttr(stringifyObserveKind(probe.getKind()))),
            builder.getNamedAttr("bins", probe.getBinsAttr()),
        }));
      builder.setInsertionPoint(probe);
      Location loc = probe.getLoc();
      Value unranked =
          tensor::CastOp::create(builder, loc, unrankedType, probe.getInput());
      Value index = arith::ConstantOp::create(
          builder, loc, builder.getI64IntegerAttr(it->second));
      func::CallOp::create(builder, loc, kObserveFunction, TypeRange(),
                           ValueRange{unranked, index});
      probe.getOutput().replaceAllUsesWith(probe.getInput());
      probe.erase();
    }
    module->setAttr("qnt.observers", builder.getArrayAttr(table));
  }
};

} // namespace
