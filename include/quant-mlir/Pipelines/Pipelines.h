//===- Pipelines.h - qnt pass pipelines -------------------------*- C++ -*-===//

#ifndef QUANTMLIR_PIPELINES_PIPELINES_H
#define QUANTMLIR_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"

namespace mlir::qnt {

/// func + TOSA (+ linalg, + leftover qnt.batch_norm, + calibration probes,
/// which become runtime calls) on tensors down to the
/// LLVM dialect through upstream passes: TOSA to linalg, one-shot
/// bufferization with identity-layout function boundaries, linalg to loops,
/// and the LLVM conversions. The output runs under mlir-runner / the
/// ExecutionEngine and translates with quant-translate --mlir-to-llvmir.
void addCPUPasses(OpPassManager &pm);

/// Registers qnt-cpu-pipeline.
void registerQntPipelines();

} // namespace mlir::qnt

#endif // QUANTMLIR_PIPELINES_PIPELINES_H
