//===- IdxReader.cpp - IDX dataset files ----------------------------------===//

#include "quant-mlir/Runtime/IdxReader.h"
#include "quant-mlir/Runtime/TensorIO.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"

#include <algorithm>
#include <cstring>

namespace mlir::qnt {

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Copies big-endian elements of `width` bytes into host order.
static void copyFromBigEndian(const char *src, char *dst, size_t count,
                              size_t width) {
  std::memcpy(dst, src, count * width);
  if (width == 1 || llvm::sys::IsBigEndianHost)
    return;
  for (size_t i = 0; i < count; ++i)
    std::reverse(dst + i * width, dst + (i + 1) * width);
}

llvm::Expected<Tensor> parseIdx(llvm::StringRef bytes, llvm::StringRef name) {
  if (bytes.size() < 4 || bytes[0] != 0 || bytes[1] != 0)
    return makeError("'" + name + "' is not an IDX file (bad magic)");
  std::optional<DType> dtype;
  switch (static_cast<uint8_t>(bytes[2])) {
  case 0x08:
    dtype = DType::U8;
    break;
  case 0x09:
    dtype = DType::I8;
    break;
  case 0x0C:
    dtype = DType::I32;
    break;
  case 0x0D:
    dtype = DType::F32;
    break;
  case 0x0E:
    dtype = DType::F64;
    break;
  default:
    return makeError("'" + name + "': unsupported IDX element type 0x" +
                     llvm::utohexstr(static_cast<uint8_t>(bytes[2])));
  }
  unsigned rank = static_cast<uint8_t>(bytes[3]);
  size_t dataStart = 4 + 4 * rank;
  if (bytes.size() < dataStart)
    return makeError("'" + name + "': truncated IDX header");
  TensorSpec spec;
  spec.dtype = *dtype;
  for (unsigned i = 0; i < rank; ++i)
    spec.shape.push_back(
        llvm::support::endian::read32be(bytes.data() + 4 + 4 * i));

  Tensor tensor(std::move(spec));
  if (bytes.size() - dataStart != tensor.getNumBytes())
    return makeError("'" + name + "': IDX data has " +
                     llvm::Twine(bytes.size() - dataStart) +
                     " bytes, its header (" + tensor.getSpec().str() +
                     ") needs " + llvm::Twine(tensor.getNumBytes()));
  copyFromBigEndian(bytes.data() + dataStart, tensor.getData(),
                    tensor.getNumElements(), getDTypeSize(*dtype));
  return tensor;
}

llvm::Expected<Tensor> readIdxFile(llvm::StringRef path) {
  llvm::Expected<std::string> bytes = readMaybeGzippedFile(path);
  if (!bytes)
    return bytes.takeError();
  return parseIdx(*bytes, path);
}

} // namespace mlir::qnt
