//===- Tensor.cpp - host tensors for the runtime --------------------------===//

#include "quant-mlir/Runtime/Tensor.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/ErrorHandling.h"

namespace mlir::qnt {

size_t getDTypeSize(DType dtype) {
  switch (dtype) {
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::F64:
  case DType::I64:
    return 8;
  case DType::I8:
  case DType::U8:
    return 1;
  }
  llvm_unreachable("unknown dtype");
}

llvm::StringRef getDTypeName(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "f32";
  case DType::F64:
    return "f64";
  case DType::I8:
    return "i8";
  case DType::U8:
    return "ui8";
  case DType::I32:
    return "i32";
  case DType::I64:
    return "i64";
  }
  llvm_unreachable("unknown dtype");
}

std::optional<DType> parseDTypeName(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<DType>>(name)
      .Case("f32", DType::F32)
      .Case("f64", DType::F64)
      .Case("i8", DType::I8)
      .Cases({"ui8", "u8"}, DType::U8)
      .Case("i32", DType::I32)
      .Case("i64", DType::I64)
      .Default(std::nullopt);
}

int64_t TensorSpec::getNumElements() const {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

std::string TensorSpec::str() const {
  std::string text;
  for (int64_t dim : shape)
    text += std::to_string(dim) + "x";
  return text + getDTypeName(dtype).str();
}

std::optional<TensorSpec> parseTensorSpec(llvm::StringRef text) {
  llvm::SmallVector<llvm::StringRef> parts;
  text.split(parts, 'x');
  TensorSpec spec;
  std::optional<DType> dtype = parseDTypeName(parts.pop_back_val());
  if (!dtype)
    return std::nullopt;
  spec.dtype = *dtype;
  for (llvm::StringRef part : parts) {
    int64_t dim;
    if (part.getAsInteger(10, dim) || dim < 0)
      return std::nullopt;
    spec.shape.push_back(dim);
  }
  return spec;
}

Tensor::Tensor(TensorSpec spec)
    : spec(std::move(spec)),
      words((getNumBytes() + sizeof(uint64_t) - 1) / sizeof(uint64_t)) {}

double Tensor::getAsDouble(int64_t index) const {
  switch (spec.dtype) {
  case DType::F32:
    return getDataAs<float>()[index];
  case DType::F64:
    return getDataAs<double>()[index];
  case DType::I8:
    return getDataAs<int8_t>()[index];
  case DType::U8:
    return getDataAs<uint8_t>()[index];
  case DType::I32:
    return getDataAs<int32_t>()[index];
  case DType::I64:
    return static_cast<double>(getDataAs<int64_t>()[index]);
  }
  llvm_unreachable("unknown dtype");
}

void Tensor::setFromDouble(int64_t index, double value) {
  switch (spec.dtype) {
  case DType::F32:
    getDataAs<float>()[index] = static_cast<float>(value);
    return;
  case DType::F64:
    getDataAs<double>()[index] = value;
    return;
  case DType::I8:
    getDataAs<int8_t>()[index] = static_cast<int8_t>(value);
    return;
  case DType::U8:
    getDataAs<uint8_t>()[index] = static_cast<uint8_t>(value);
    return;
  case DType::I32:
    getDataAs<int32_t>()[index] = static_cast<int32_t>(value);
    return;
  case DType::I64:
    getDataAs<int64_t>()[index] = static_cast<int64_t>(value);
    return;
  }
  llvm_unreachable("unknown dtype");
}

} // namespace mlir::qnt
