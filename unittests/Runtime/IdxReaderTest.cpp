//===- IdxReaderTest.cpp - IDX dataset files ------------------------------===//

#include "TestFiles.h"
#include "quant-mlir/Runtime/IdxReader.h"

#include "gtest/gtest.h"

using namespace mlir::qnt;
using mlir::qnt::test::TempFile;

namespace {

/// An IDX header: magic, type code, rank, big-endian sizes.
std::string idxHeader(uint8_t type, llvm::ArrayRef<uint32_t> dims) {
  std::string bytes = {'\0', '\0', static_cast<char>(type),
                       static_cast<char>(dims.size())};
  for (uint32_t dim : dims)
    for (int shift = 24; shift >= 0; shift -= 8)
      bytes += static_cast<char>((dim >> shift) & 0xff);
  return bytes;
}

std::string errorOf(llvm::Expected<Tensor> tensor) {
  if (tensor)
    return "";
  return llvm::toString(tensor.takeError());
}

/// A gzipped u8 image file like Fashion-MNIST's, three 2x2 images.
TEST(IdxReaderTest, ReadsGzippedImages) {
  std::string bytes = idxHeader(0x08, {3, 2, 2});
  for (int i = 0; i < 12; ++i)
    bytes += static_cast<char>(i * 20);
  TempFile file(".idx3-ubyte.gz");
  file.writeGzipped(bytes);
  llvm::Expected<Tensor> images = readIdxFile(file.getPath());
  ASSERT_TRUE(static_cast<bool>(images)) << errorOf(std::move(images));
  EXPECT_EQ(images->getSpec().str(), "3x2x2xui8");
  EXPECT_EQ(images->getDataAs<uint8_t>()[11], 220);
}

/// Plain files work too, and wider types come out in host byte order.
TEST(IdxReaderTest, ReadsBigEndianIntegersAndFloats) {
  std::string ints = idxHeader(0x0C, {2}) + std::string("\x01\x02\x03\x04", 4) +
                     std::string("\xff\xff\xff\xfe", 4);
  TempFile file(".idx1");
  file.write(ints);
  llvm::Expected<Tensor> read = readIdxFile(file.getPath());
  ASSERT_TRUE(static_cast<bool>(read)) << errorOf(std::move(read));
  EXPECT_EQ(read->getDataAs<int32_t>()[0], 0x01020304);
  EXPECT_EQ(read->getDataAs<int32_t>()[1], -2);

  // 1.5f is 0x3FC00000.
  std::string floats = idxHeader(0x0D, {1}) + std::string("\x3f\xc0\x00\x00", 4);
  llvm::Expected<Tensor> parsed = parseIdx(floats, "f.idx");
  ASSERT_TRUE(static_cast<bool>(parsed)) << errorOf(std::move(parsed));
  EXPECT_EQ(parsed->getDataAs<float>()[0], 1.5f);
}

TEST(IdxReaderTest, RejectsMalformedFiles) {
  EXPECT_NE(errorOf(parseIdx("\x01\x02\x08\x01", "m.idx")).find("bad magic"),
            std::string::npos);
  EXPECT_NE(errorOf(parseIdx(idxHeader(0x0B, {1}) + "ab", "s.idx"))
                .find("unsupported IDX element type 0xB"),
            std::string::npos);
  EXPECT_NE(errorOf(parseIdx(idxHeader(0x08, {4}) + "abc", "t.idx"))
                .find("needs 4"),
            std::string::npos);
  EXPECT_NE(errorOf(parseIdx(std::string("\0\0\x08\x02\0\0", 6), "h.idx"))
                .find("truncated IDX header"),
            std::string::npos);
}

TEST(IdxReaderTest, RejectsCorruptGzipAndMissingFiles) {
  TempFile file(".gz");
  file.write(std::string("\x1f\x8b\x08\x00garbage", 11));
  EXPECT_NE(errorOf(readIdxFile(file.getPath())).find("corrupt or truncated"),
            std::string::npos);
  EXPECT_NE(errorOf(readIdxFile("/nonexistent/labels.gz")).find("cannot open"),
            std::string::npos);
}

} // namespace
