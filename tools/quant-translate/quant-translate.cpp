//===- quant-translate.cpp - the QuantMLIR translation driver -------------===//
//
// mlir-translate with every upstream translation: --mlir-to-llvmir turns the
// LLVM-dialect output of the qnt pipelines into LLVM IR. (A later --emit=ptx
// joins here.)
//
//===----------------------------------------------------------------------===//

#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::registerAllTranslations();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "QuantMLIR translation driver"));
}
