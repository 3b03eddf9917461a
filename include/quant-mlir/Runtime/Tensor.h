//===- Tensor.h - host tensors for the runtime ------------------*- C++ -*-===//
//
// A dense, C-order host tensor: what the readers return, what the JIT runner
// passes to compiled code as a memref descriptor, and what it hands back.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTMLIR_RUNTIME_TENSOR_H
#define QUANTMLIR_RUNTIME_TENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir::qnt {

/// Element types the runtime moves between files and compiled code.
enum class DType { F32, F64, I8, U8, I32, I64 };

/// Bytes per element.
size_t getDTypeSize(DType dtype);
/// The MLIR spelling: f32, f64, i8, ui8, i32, i64.
llvm::StringRef getDTypeName(DType dtype);
/// Parses the MLIR spelling (u8 is accepted for ui8).
std::optional<DType> parseDTypeName(llvm::StringRef name);
inline bool isFloatDType(DType dtype) {
  return dtype == DType::F32 || dtype == DType::F64;
}

/// A dtype and a static shape, e.g. the type of one entry-function argument.
struct TensorSpec {
  DType dtype = DType::F32;
  llvm::SmallVector<int64_t> shape;

  int64_t getNumElements() const;
  /// MLIR-like spelling: "4x8x8x3xf32", or "f32" for a scalar.
  std::string str() const;
  bool operator==(const TensorSpec &other) const {
    return dtype == other.dtype && shape == other.shape;
  }
  bool operator!=(const TensorSpec &other) const { return !(*this == other); }
};

/// Parses "4x8x8x3xf32" (dims then dtype).
std::optional<TensorSpec> parseTensorSpec(llvm::StringRef text);

/// A zero-initialized, owned, contiguous C-order tensor. Storage is aligned
/// for every dtype (it is allocated in 8-byte words).
class Tensor {
public:
  Tensor() = default;
  explicit Tensor(TensorSpec spec);
  Tensor(DType dtype, llvm::ArrayRef<int64_t> shape)
      : Tensor(TensorSpec{dtype, llvm::SmallVector<int64_t>(shape)}) {}

  const TensorSpec &getSpec() const { return spec; }
  DType getDType() const { return spec.dtype; }
  llvm::ArrayRef<int64_t> getShape() const { return spec.shape; }
  int64_t getNumElements() const { return spec.getNumElements(); }
  size_t getNumBytes() const {
    return getNumElements() * getDTypeSize(spec.dtype);
  }

  char *getData() { return reinterpret_cast<char *>(words.data()); }
  const char *getData() const {
    return reinterpret_cast<const char *>(words.data());
  }
  template <typename T>
  T *getDataAs() {
    return reinterpret_cast<T *>(words.data());
  }
  template <typename T>
  const T *getDataAs() const {
    return reinterpret_cast<const T *>(words.data());
  }

  /// Element `index` (flat, C order) converted to double.
  double getAsDouble(int64_t index) const;
  /// Stores `value` at flat `index`, converted to the dtype (no rounding or
  /// range check; callers check representability first).
  void setFromDouble(int64_t index, double value);

private:
  TensorSpec spec;
  std::vector<uint64_t> words;
};

} // namespace mlir::qnt

#endif // QUANTMLIR_RUNTIME_TENSOR_H
