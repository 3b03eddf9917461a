//===- qnt-plugin.cpp - qnt as an mlir-opt plugin -------------------------===//
//
// Entry points for `mlir-opt --load-dialect-plugin=...` (the qnt dialect) and
// `--load-pass-plugin=...` (every qnt pass).
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/InitAll.h"

#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "QntDialect", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            mlir::qnt::registerQntDialects(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "QntPasses", LLVM_VERSION_STRING,
          []() { mlir::qnt::registerQntPasses(); }};
}
