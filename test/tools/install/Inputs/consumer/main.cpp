//===- main.cpp - uses an installed QuantMLIR ------------------------------===//
//
// Registers the qnt dialect and passes through the installed headers, parses
// and verifies a module with qnt ops, runs a qnt pass from a textual pipeline
// and prints the result.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/InitAll.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

static const char *const kModule = R"mlir(
func.func @bn(%input: tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32> {
  %gamma = arith.constant dense<[1.0, 2.0, 0.5]> : tensor<3xf32>
  %beta = arith.constant dense<[0.0, 1.0, -1.0]> : tensor<3xf32>
  %mean = arith.constant dense<[0.5, 0.0, 2.0]> : tensor<3xf32>
  %var = arith.constant dense<[1.0, 4.0, 0.25]> : tensor<3xf32>
  %0 = qnt.batch_norm %input, %gamma, %beta, %mean, %var {axis = 3} : tensor<1x2x2x3xf32>, tensor<3xf32>
  return %0 : tensor<1x2x2x3xf32>
}
)mlir";

int main() {
  mlir::DialectRegistry registry;
  mlir::qnt::registerQntDialects(registry);
  registry.insert<mlir::func::FuncDialect, mlir::arith::ArithDialect>();
  mlir::qnt::registerQntPasses();

  mlir::MLIRContext context(registry);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(kModule, &context);
  if (!module) {
    llvm::errs() << "consumer: parse failed\n";
    return 1;
  }
  if (mlir::failed(mlir::verify(*module))) {
    llvm::errs() << "consumer: verify failed\n";
    return 1;
  }
  llvm::outs() << "parsed:\n";
  module->print(llvm::outs());

  // The pass comes from the global registry (registerQntPasses), by name.
  // The string is nested in the PassManager's own anchor (builtin.module).
  mlir::PassManager pm(&context);
  if (mlir::failed(mlir::parsePassPipeline("func.func(qnt-decompose-batchnorm)",
                                           pm, llvm::errs()))) {
    llvm::errs() << "consumer: pipeline parse failed\n";
    return 1;
  }
  llvm::outs() << "pipeline: ";
  pm.printAsTextualPipeline(llvm::outs());
  llvm::outs() << "\n";
  if (mlir::failed(pm.run(*module))) {
    llvm::errs() << "consumer: pass failed\n";
    return 1;
  }
  llvm::outs() << "decomposed:\n";
  module->print(llvm::outs());
  return 0;
}
