//===- InitAll.h - register qnt dialects and passes -------------*- C++ -*-===//

#ifndef QUANTMLIR_INITALL_H
#define QUANTMLIR_INITALL_H

#include "qnt/IR/QntDialect.h"
#include "quant-mlir/Pipelines/Pipelines.h"
#include "quant-mlir/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"

namespace mlir::qnt {

/// Adds the qnt dialect (and what its ops build on) to `registry`.
inline void registerQntDialects(DialectRegistry &registry) {
  registry.insert<QntDialect>();
}

/// Registers every qnt pass and pipeline with the global pass registry.
inline void registerQntPasses() {
  registerQntTransformsPasses();
  registerQntPipelines();
}

} // namespace mlir::qnt

#endif // QUANTMLIR_INITALL_H
