//===- TensorIO.h - .npy and raw tensor files -------------------*- C++ -*-===//
//
// NumPy's .npy format (versions 1.0 to 3.0, C order, little-endian f32 / f64
// / i8 / u8 / i32 / i64) and headerless raw files of a given type.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTMLIR_RUNTIME_TENSORIO_H
#define QUANTMLIR_RUNTIME_TENSORIO_H

#include "quant-mlir/Runtime/Tensor.h"

#include "llvm/Support/Error.h"

namespace mlir::qnt {

/// Decodes the bytes of a .npy file; `name` only labels error messages.
/// Fortran-order arrays, big-endian data and other dtypes are errors.
llvm::Expected<Tensor> parseNpy(llvm::StringRef bytes, llvm::StringRef name);
llvm::Expected<Tensor> readNpyFile(llvm::StringRef path);

/// Encodes `tensor` as a version 1.0 .npy file.
std::string serializeNpy(const Tensor &tensor);
llvm::Error writeNpyFile(llvm::StringRef path, const Tensor &tensor);

/// Reads a headerless C-order file of host-order elements of type `spec`; its
/// size must be exactly the tensor's.
llvm::Expected<Tensor> readRawFile(llvm::StringRef path,
                                   const TensorSpec &spec);

/// Reads a whole file, transparently gunzipping it when it starts with the
/// gzip magic; errors name the path.
llvm::Expected<std::string> readMaybeGzippedFile(llvm::StringRef path);

} // namespace mlir::qnt

#endif // QUANTMLIR_RUNTIME_TENSORIO_H
