//===- TensorIOTest.cpp - .npy and raw files ------------------------------===//

#include "TestFiles.h"
#include "quant-mlir/Runtime/TensorIO.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace mlir::qnt;
using mlir::qnt::test::TempFile;

namespace {

/// A tensor whose every element is its index times 3, minus 5.
Tensor makeRamp(DType dtype, llvm::ArrayRef<int64_t> shape) {
  Tensor tensor(dtype, shape);
  for (int64_t i = 0; i < tensor.getNumElements(); ++i)
    tensor.setFromDouble(i, dtype == DType::U8 ? i * 3 : i * 3 - 5.0);
  return tensor;
}

std::string npyHeader(llvm::StringRef dict, char major = 1) {
  std::string bytes = "\x93NUMPY";
  bytes += major;
  bytes += '\0';
  std::string padded = dict.str() + "\n";
  bytes += static_cast<char>(padded.size() & 0xff);
  bytes += static_cast<char>(padded.size() >> 8);
  if (major != 1)
    bytes += std::string(2, '\0');
  return bytes + padded;
}

std::string errorOf(llvm::Expected<Tensor> tensor) {
  if (tensor)
    return "";
  return llvm::toString(tensor.takeError());
}

/// Every dtype survives serialize + parse, for a scalar, a vector and a
/// matrix, and the data starts 64-byte aligned as NumPy writes it.
TEST(NpyTest, RoundTripEveryDTypeAndRank) {
  for (DType dtype : {DType::F32, DType::F64, DType::I8, DType::U8,
                      DType::I32, DType::I64}) {
    for (llvm::SmallVector<int64_t> shape :
         {llvm::SmallVector<int64_t>{}, {5}, {2, 3}}) {
      Tensor tensor = makeRamp(dtype, shape);
      std::string bytes = serializeNpy(tensor);
      EXPECT_EQ((bytes.size() - tensor.getNumBytes()) % 64, 0u);
      llvm::Expected<Tensor> parsed = parseNpy(bytes, "t.npy");
      ASSERT_TRUE(static_cast<bool>(parsed)) << errorOf(std::move(parsed));
      EXPECT_EQ(parsed->getSpec(), tensor.getSpec());
      EXPECT_EQ(0, std::memcmp(parsed->getData(), tensor.getData(),
                               tensor.getNumBytes()));
    }
  }
}

/// The header NumPy itself writes for a (2, 3) float32 array parses; so does
/// a version 2.0 header.
TEST(NpyTest, ParsesNumpyHeaders) {
  float values[6] = {1, 2, 3, 4, 5, 6};
  std::string data(reinterpret_cast<const char *>(values), sizeof(values));
  for (char major : {1, 2}) {
    std::string bytes =
        npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                  major) +
        data;
    llvm::Expected<Tensor> parsed = parseNpy(bytes, "t.npy");
    ASSERT_TRUE(static_cast<bool>(parsed)) << errorOf(std::move(parsed));
    EXPECT_EQ(parsed->getSpec().str(), "2x3xf32");
    EXPECT_EQ(parsed->getDataAs<float>()[5], 6.0f);
  }
}

TEST(NpyTest, RejectsFortranOrder) {
  std::string bytes =
      npyHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }") +
      std::string(8, '\0');
  EXPECT_NE(errorOf(parseNpy(bytes, "f.npy")).find("Fortran-order"),
            std::string::npos);
}

TEST(NpyTest, RejectsUnsupportedDTypes) {
  for (llvm::StringRef descr : {"<c8", "|b1", "<f2", "<U3"}) {
    std::string bytes = npyHeader(("{'descr': '" + descr +
                                   "', 'fortran_order': False, 'shape': (1,), }")
                                      .str()) +
                        std::string(16, '\0');
    EXPECT_NE(errorOf(parseNpy(bytes, "d.npy")).find("unsupported .npy dtype"),
              std::string::npos)
        << descr.str();
  }
}

TEST(NpyTest, RejectsForeignByteOrder) {
  std::string bytes =
      npyHeader("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }") +
      std::string(4, '\0');
  EXPECT_NE(errorOf(parseNpy(bytes, "b.npy")).find("byte order"),
            std::string::npos);
}

TEST(NpyTest, RejectsWrongDataSizeAndBadMagic) {
  std::string header =
      npyHeader("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }");
  EXPECT_NE(errorOf(parseNpy(header + std::string(8, '\0'), "s.npy"))
                .find("needs 12"),
            std::string::npos);
  EXPECT_NE(errorOf(parseNpy("PK\x03\x04 not npy", "z.npy")).find("bad magic"),
            std::string::npos);
}

/// Files: written, read back, and also read gzipped.
TEST(NpyTest, FileRoundTripPlainAndGzipped) {
  Tensor tensor = makeRamp(DType::F32, {3, 4});
  TempFile plain(".npy");
  ASSERT_FALSE(static_cast<bool>(writeNpyFile(plain.getPath(), tensor)));
  llvm::Expected<Tensor> read = readNpyFile(plain.getPath());
  ASSERT_TRUE(static_cast<bool>(read)) << errorOf(std::move(read));
  EXPECT_EQ(read->getSpec(), tensor.getSpec());

  TempFile gzipped(".npy.gz");
  gzipped.writeGzipped(serializeNpy(tensor));
  llvm::Expected<Tensor> unzipped = readNpyFile(gzipped.getPath());
  ASSERT_TRUE(static_cast<bool>(unzipped)) << errorOf(std::move(unzipped));
  EXPECT_EQ(0, std::memcmp(unzipped->getData(), tensor.getData(),
                           tensor.getNumBytes()));
}

TEST(NpyTest, MissingFileNamesThePath) {
  EXPECT_NE(errorOf(readNpyFile("/nonexistent/x.npy"))
                .find("cannot open '/nonexistent/x.npy'"),
            std::string::npos);
}

TEST(RawTest, ReadsExactSizeOnly) {
  Tensor tensor = makeRamp(DType::I32, {2, 2});
  TempFile file(".bin");
  file.write(llvm::StringRef(tensor.getData(), tensor.getNumBytes()));
  llvm::Expected<Tensor> read = readRawFile(file.getPath(), tensor.getSpec());
  ASSERT_TRUE(static_cast<bool>(read)) << errorOf(std::move(read));
  EXPECT_EQ(read->getDataAs<int32_t>()[3], 4);
  EXPECT_NE(errorOf(readRawFile(file.getPath(), {DType::I32, {5}}))
                .find("has 16 bytes, but 5xi32 needs 20"),
            std::string::npos);
}

TEST(TensorSpecTest, ParsesAndPrints) {
  std::optional<TensorSpec> spec = parseTensorSpec("4x8x8x3xf32");
  ASSERT_TRUE(spec.has_value());
  EXPECT_EQ(spec->str(), "4x8x8x3xf32");
  EXPECT_EQ(spec->getNumElements(), 768);
  EXPECT_EQ(parseTensorSpec("ui8")->str(), "ui8");
  EXPECT_FALSE(parseTensorSpec("4x8").has_value());
  EXPECT_FALSE(parseTensorSpec("4x-1xf32").has_value());
}

} // namespace
