//===- TestFiles.h - temporary files for runtime tests ----------*- C++ -*-===//

#ifndef QUANTMLIR_UNITTESTS_RUNTIME_TESTFILES_H
#define QUANTMLIR_UNITTESTS_RUNTIME_TESTFILES_H

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <zlib.h>

namespace mlir::qnt::test {

/// A temporary file removed when the object dies.
class TempFile {
public:
  explicit TempFile(llvm::StringRef suffix) {
    llvm::sys::fs::createTemporaryFile("quant-run-test", suffix, path);
  }
  ~TempFile() { llvm::sys::fs::remove(path); }
  std::string getPath() const { return path.str().str(); }

  void write(llvm::StringRef bytes) const {
    std::error_code error;
    llvm::raw_fd_ostream os(path, error);
    os << bytes;
  }
  /// Writes `bytes` gzipped, as gzip(1) would.
  void writeGzipped(llvm::StringRef bytes) const {
    gzFile file = gzopen(getPath().c_str(), "wb");
    gzwrite(file, bytes.data(), bytes.size());
    gzclose(file);
  }

private:
  llvm::SmallString<128> path;
};

} // namespace mlir::qnt::test

#endif // QUANTMLIR_UNITTESTS_RUNTIME_TESTFILES_H
