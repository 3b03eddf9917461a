//===- OnnxImporter.h - ONNX model to func + TOSA + qnt ---------*- C++ -*-===//
//
// Reads an ONNX model with libonnx (parse, checker, shape inference) and
// builds one `func.func @model` in TOSA on NHWC tensors, with qnt ops for
// batch norm and the quantized ONNX ops. docs/onnx-import.md lists the ops,
// opsets and layout conventions.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTMLIR_IMPORT_ONNXIMPORTER_H
#define QUANTMLIR_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include "llvm/ADT/StringRef.h"

#include <optional>

namespace mlir {
class DialectRegistry;
class MLIRContext;
} // namespace mlir

namespace mlir::qnt {

/// Options of the ONNX importer.
struct OnnxImportOptions {
  /// Replaces a symbolic (dynamic) first dimension of every graph input.
  std::optional<int64_t> batchSize;
};

/// Adds the dialects whose ops the importer creates.
void registerOnnxImportDialects(DialectRegistry &registry);

/// Imports the serialized ONNX model `bytes`; `name` names it in messages.
/// Every problem (malformed model, unsupported op, attribute or dynamic
/// shape) is emitted as an error diagnostic and yields a null module.
OwningOpRef<ModuleOp> importOnnxModel(llvm::StringRef bytes,
                                      llvm::StringRef name,
                                      MLIRContext *context,
                                      const OnnxImportOptions &options = {});

} // namespace mlir::qnt

#endif // QUANTMLIR_IMPORT_ONNXIMPORTER_H
