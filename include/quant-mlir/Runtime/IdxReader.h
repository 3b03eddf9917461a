//===- IdxReader.h - IDX dataset files --------------------------*- C++ -*-===//
//
// The IDX format of MNIST and Fashion-MNIST: a big-endian header (two zero
// bytes, a type code, the rank, one 32-bit size per dimension) then the
// big-endian elements. Files may be gzipped, as Debian ships them.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTMLIR_RUNTIME_IDXREADER_H
#define QUANTMLIR_RUNTIME_IDXREADER_H

#include "quant-mlir/Runtime/Tensor.h"

#include "llvm/Support/Error.h"

namespace mlir::qnt {

/// Decodes IDX bytes (already gunzipped) of type u8, i8, i32, f32 or f64 into
/// a host-order tensor; `name` only labels error messages.
llvm::Expected<Tensor> parseIdx(llvm::StringRef bytes, llvm::StringRef name);

/// Reads an IDX file, gzipped or not.
llvm::Expected<Tensor> readIdxFile(llvm::StringRef path);

} // namespace mlir::qnt

#endif // QUANTMLIR_RUNTIME_IDXREADER_H
