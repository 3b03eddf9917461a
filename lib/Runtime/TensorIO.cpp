//===- TensorIO.cpp - .npy and raw tensor files ---------------------------===//
//
// The .npy header is a Python dict literal, e.g.
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// after a magic string, a version and a little-endian header length.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/Runtime/TensorIO.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>
#include <zlib.h>

namespace mlir::qnt {

static constexpr llvm::StringLiteral kNpyMagic = "\x93NUMPY";

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Inflates a gzip stream, including several concatenated members as gzip(1)
/// writes them.
static llvm::Expected<std::string> gunzip(llvm::StringRef bytes,
                                          llvm::StringRef name) {
  z_stream stream;
  std::memset(&stream, 0, sizeof(stream));
  // 16 + MAX_WBITS selects the gzip wrapper instead of raw zlib.
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK)
    return makeError("'" + name + "': cannot initialize zlib");
  stream.next_in =
      reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data()));
  stream.avail_in = bytes.size();
  std::string out;
  char chunk[1 << 16];
  int status = Z_OK;
  while (true) {
    stream.next_out = reinterpret_cast<Bytef *>(chunk);
    stream.avail_out = sizeof(chunk);
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk, sizeof(chunk) - stream.avail_out);
    if (status == Z_STREAM_END && stream.avail_in > 0) {
      inflateReset(&stream);
      continue;
    }
    if (status != Z_OK)
      break;
  }
  inflateEnd(&stream);
  if (status != Z_STREAM_END)
    return makeError("'" + name + "': corrupt or truncated gzip data");
  return out;
}

llvm::Expected<std::string> readMaybeGzippedFile(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return makeError("cannot open '" + path +
                     "': " + buffer.getError().message());
  llvm::StringRef bytes = (*buffer)->getBuffer();
  if (bytes.starts_with("\x1f\x8b"))
    return gunzip(bytes, path);
  return bytes.str();
}

/// Maps a .npy `descr` such as '<f4' to a dtype.
static llvm::Expected<DType> parseDescr(llvm::StringRef descr,
                                        llvm::StringRef name) {
  char order = descr.empty() ? '\0' : descr.front();
  llvm::StringRef code = descr;
  if (order == '<' || order == '>' || order == '|' || order == '=')
    code = descr.drop_front();
  std::optional<DType> dtype = llvm::StringSwitch<std::optional<DType>>(code)
                                   .Case("f4", DType::F32)
                                   .Case("f8", DType::F64)
                                   .Case("i1", DType::I8)
                                   .Case("u1", DType::U8)
                                   .Case("i4", DType::I32)
                                   .Case("i8", DType::I64)
                                   .Default(std::nullopt);
  if (!dtype)
    return makeError("'" + name + "': unsupported .npy dtype '" + descr +
                     "' (supported: float32, float64, int8, uint8, int32, "
                     "int64)");
  bool bigEndian = order == '>';
  if (getDTypeSize(*dtype) > 1 && bigEndian != llvm::sys::IsBigEndianHost)
    return makeError("'" + name + "': .npy data of dtype '" + descr +
                     "' is not in host byte order");
  return *dtype;
}

/// Returns the text after `'key':` in a .npy header dict, with leading
/// spaces dropped.
static std::optional<llvm::StringRef> findValue(llvm::StringRef header,
                                                llvm::StringRef key) {
  std::string quoted = ("'" + key + "'").str();
  size_t pos = header.find(quoted);
  if (pos == llvm::StringRef::npos)
    return std::nullopt;
  llvm::StringRef rest = header.drop_front(pos + quoted.size()).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  return rest.ltrim();
}

llvm::Expected<Tensor> parseNpy(llvm::StringRef bytes, llvm::StringRef name) {
  if (!bytes.starts_with(kNpyMagic) || bytes.size() < 10)
    return makeError("'" + name + "' is not a .npy file (bad magic)");
  unsigned major = static_cast<uint8_t>(bytes[6]);
  size_t headerStart;
  uint64_t headerLength;
  if (major == 1) {
    headerStart = 10;
    headerLength = llvm::support::endian::read16le(bytes.data() + 8);
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return makeError("'" + name + "': truncated .npy header");
    headerStart = 12;
    headerLength = llvm::support::endian::read32le(bytes.data() + 8);
  } else {
    return makeError("'" + name + "': unsupported .npy version " +
                     llvm::Twine(major));
  }
  if (bytes.size() < headerStart + headerLength)
    return makeError("'" + name + "': truncated .npy header");
  llvm::StringRef header = bytes.substr(headerStart, headerLength);

  std::optional<llvm::StringRef> descrText = findValue(header, "descr");
  std::optional<llvm::StringRef> fortranText =
      findValue(header, "fortran_order");
  std::optional<llvm::StringRef> shapeText = findValue(header, "shape");
  if (!descrText || !fortranText || !shapeText ||
      !descrText->consume_front("'"))
    return makeError("'" + name + "': malformed .npy header: " + header);
  llvm::Expected<DType> dtype =
      parseDescr(descrText->take_until([](char c) { return c == '\''; }),
                 name);
  if (!dtype)
    return dtype.takeError();
  if (fortranText->starts_with("True"))
    return makeError("'" + name +
                     "': Fortran-order arrays are not supported (save "
                     "np.ascontiguousarray(x) instead)");
  if (!fortranText->starts_with("False"))
    return makeError("'" + name + "': malformed .npy header: " + header);

  TensorSpec spec;
  spec.dtype = *dtype;
  llvm::StringRef dims = *shapeText;
  if (!dims.consume_front("("))
    return makeError("'" + name + "': malformed .npy shape: " + header);
  dims = dims.take_until([](char c) { return c == ')'; });
  while (!(dims = dims.ltrim(" ,")).empty()) {
    uint64_t dim;
    if (dims.consumeInteger(10, dim))
      return makeError("'" + name + "': malformed .npy shape: " + header);
    spec.shape.push_back(static_cast<int64_t>(dim));
  }

  Tensor tensor(std::move(spec));
  llvm::StringRef data = bytes.drop_front(headerStart + headerLength);
  if (data.size() != tensor.getNumBytes())
    return makeError("'" + name + "': .npy data has " +
                     llvm::Twine(data.size()) + " bytes, its header (" +
                     tensor.getSpec().str() + ") needs " +
                     llvm::Twine(tensor.getNumBytes()));
  std::memcpy(tensor.getData(), data.data(), data.size());
  return tensor;
}

llvm::Expected<Tensor> readNpyFile(llvm::StringRef path) {
  llvm::Expected<std::string> bytes = readMaybeGzippedFile(path);
  if (!bytes)
    return bytes.takeError();
  return parseNpy(*bytes, path);
}

std::string serializeNpy(const Tensor &tensor) {
  static constexpr llvm::StringLiteral descrs[] = {"<f4", "<f8", "|i1",
                                                   "|u1", "<i4", "<i8"};
  std::string dict;
  llvm::raw_string_ostream os(dict);
  os << "{'descr': '" << descrs[static_cast<int>(tensor.getDType())]
     << "', 'fortran_order': False, 'shape': (";
  llvm::interleave(tensor.getShape(), os, ", ");
  // A one-element Python tuple needs its trailing comma.
  if (tensor.getShape().size() == 1)
    os << ",";
  os << "), }";
  // Pads with spaces and a final newline so that the data starts at a
  // multiple of 64 bytes, as NumPy does.
  size_t total = (10 + dict.size() + 1 + 63) / 64 * 64;
  dict.append(total - 10 - dict.size() - 1, ' ');
  dict += '\n';

  std::string out = kNpyMagic.str();
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>(dict.size() >> 8);
  out += dict;
  out.append(tensor.getData(), tensor.getNumBytes());
  return out;
}

llvm::Error writeNpyFile(llvm::StringRef path, const Tensor &tensor) {
  std::error_code error;
  llvm::raw_fd_ostream os(path, error, llvm::sys::fs::OF_None);
  if (error)
    return makeError("cannot write '" + path + "': " + error.message());
  os << serializeNpy(tensor);
  os.close();
  if (os.has_error())
    return makeError("cannot write '" + path + "': " + os.error().message());
  return llvm::Error::success();
}

llvm::Expected<Tensor> readRawFile(llvm::StringRef path,
                                   const TensorSpec &spec) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return makeError("cannot open '" + path +
                     "': " + buffer.getError().message());
  Tensor tensor(spec);
  size_t size = (*buffer)->getBufferSize();
  if (size != tensor.getNumBytes())
    return makeError("'" + path + "' has " + llvm::Twine(size) +
                     " bytes, but " + spec.str() + " needs " +
                     llvm::Twine(tensor.getNumBytes()));
  std::memcpy(tensor.getData(), (*buffer)->getBufferStart(), size);
  return tensor;
}

} // namespace mlir::qnt
