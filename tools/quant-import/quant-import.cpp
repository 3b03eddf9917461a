//===- quant-import.cpp - ONNX model to MLIR -------------------------------===//
//
// quant-import model.onnx [-o model.mlir] [--batch=N]: writes func.func
// @model in TOSA (NHWC) + qnt. Any error is reported on stderr with exit
// code 1, and no output file is left behind.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/Import/OnnxImporter.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

static llvm::cl::opt<std::string> inputFilename(llvm::cl::Positional,
                                                llvm::cl::desc("<model.onnx>"),
                                                llvm::cl::Required);
static llvm::cl::opt<std::string>
    outputFilename("o", llvm::cl::desc("Output file (default: stdout)"),
                   llvm::cl::value_desc("filename"), llvm::cl::init("-"));
static llvm::cl::opt<int64_t> batchSize(
    "batch",
    llvm::cl::desc("Batch size for graph inputs whose first dimension is "
                   "symbolic"),
    llvm::cl::init(0));

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  llvm::cl::ParseCommandLineOptions(argc, argv,
                                    "QuantMLIR ONNX importer\n");

  MLIRContext context;
  // Messages name the model file and the ONNX node; locations are names.
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    auto &os = llvm::errs();
    os << "quant-import: ";
    if (diag.getSeverity() == DiagnosticSeverity::Error)
      llvm::WithColor::error(os, "", /*DisableColors=*/true);
    else if (diag.getSeverity() == DiagnosticSeverity::Warning)
      llvm::WithColor::warning(os, "", /*DisableColors=*/true);
    else
      llvm::WithColor::note(os, "", /*DisableColors=*/true);
    os << diag << "\n";
    return success();
  });

  if (batchSize.getNumOccurrences() && batchSize <= 0) {
    llvm::errs() << "quant-import: error: --batch must be positive\n";
    return 1;
  }
  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> input =
      openInputFile(inputFilename, &errorMessage);
  if (!input) {
    llvm::errs() << "quant-import: error: " << errorMessage << "\n";
    return 1;
  }

  qnt::OnnxImportOptions options;
  if (batchSize.getNumOccurrences())
    options.batchSize = batchSize;
  OwningOpRef<ModuleOp> module = qnt::importOnnxModel(
      input->getBuffer(), inputFilename, &context, options);
  if (!module)
    return 1;

  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &errorMessage);
  if (!output) {
    llvm::errs() << "quant-import: error: " << errorMessage << "\n";
    return 1;
  }
  module->print(output->os());
  output->os() << "\n";
  if (output->os().has_error()) {
    llvm::errs() << "quant-import: error: cannot write '" << outputFilename
                 << "'\n";
    output->os().clear_error();
    return 1;
  }
  output->keep();
  return 0;
}
