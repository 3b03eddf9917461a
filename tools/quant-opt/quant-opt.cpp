//===- quant-opt.cpp - the QuantMLIR optimizer driver ---------------------===//
//
// mlir-opt with every upstream dialect and pass plus the qnt dialect and
// its passes.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::qnt::registerQntPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::qnt::registerQntDialects(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "QuantMLIR optimizer driver\n", registry));
}
