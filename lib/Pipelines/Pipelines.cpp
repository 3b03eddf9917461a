//===- Pipelines.cpp - qnt pass pipelines ---------------------------------===//
//
// Each pipeline is a list of qnt and upstream passes, so
// --mlir-print-ir-after-all shows every step.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/Pipelines/Pipelines.h"
#include "quant-mlir/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"

namespace mlir::qnt {

void addCPUPasses(OpPassManager &pm) {
  pm.addPass(createQntLowerObserversPass());
  pm.addNestedPass<func::FuncOp>(createQntDecomposeBatchnormPass());
  // Nests its passes on func.func itself.
  tosa::addTosaToLinalgPasses(pm, TosaToLinalgOptions());
  pm.addNestedPass<func::FuncOp>(createTosaToArithPass());
  pm.addNestedPass<func::FuncOp>(createTosaToTensorPass());

  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));

  pm.nest<func::FuncOp>().addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void registerQntPipelines() {
  PassPipelineRegistration<>(
      "qnt-cpu-pipeline",
      "Lower func + TOSA/linalg on tensors (and leftover qnt.batch_norm) to "
      "the LLVM dialect for the CPU",
      addCPUPasses);
}

} // namespace mlir::qnt
