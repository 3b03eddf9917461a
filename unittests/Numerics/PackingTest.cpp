//===- PackingTest.cpp - binary sign bits, packing and popcount dot -------===//
//
// Binary convention: +1 <-> bit 0, -1 <-> bit 1, sign(x) = x < 0 ? -1 : +1
// (so 0, -0.0 and NaN are +1); element k goes to word k / 32, bit k % 32;
// tail bits are 0; dot = K - 2 * popcount(a ^ b).
//
//===----------------------------------------------------------------------===//

#include "qnt/Utils/Numerics.h"

#include "llvm/ADT/SmallVector.h"
#include "gtest/gtest.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

using namespace mlir::qnt;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

/// Reference +-1 value of an element, phrased without `x < 0`: only a value
/// that is strictly below zero and compares (so not NaN) is -1.
int refSign(double x) {
  if (std::isnan(x) || x == 0.0)
    return +1;
  return std::signbit(x) ? -1 : +1;
}

llvm::SmallVector<uint32_t> pack(llvm::ArrayRef<double> values) {
  llvm::SmallVector<uint32_t> words(packedWords(values.size()), 0xdeadbeefu);
  packSignBits(values, words);
  return words;
}

/// Values with plenty of signed zeros, NaNs, infinities and subnormals; one
/// draw per value keeps the large cases fast.
double randomValue(std::mt19937_64 &rng) {
  uint64_t r = rng();
  bool negative = r & 16;
  switch (r & 15) {
  case 0:
    return negative ? -0.0 : 0.0;
  case 1:
    return negative ? -kNaN : kNaN;
  case 2:
    return negative ? -kInf : kInf;
  case 3:
    return negative ? -5e-324 : 5e-324;
  default:
    return std::ldexp(double(int64_t(r >> 11) - (int64_t(1) << 52)), -52);
  }
}

TEST(PackingTest, SignBit) {
  EXPECT_EQ(signBit(1.0), 0u);
  EXPECT_EQ(signBit(-1.0), 1u);
  EXPECT_EQ(signBit(0.0), 0u);
  EXPECT_EQ(signBit(-0.0), 0u); // sign(-0.0) = +1, not the IEEE sign bit
  EXPECT_EQ(signBit(kNaN), 0u);
  EXPECT_EQ(signBit(-kNaN), 0u);
  EXPECT_EQ(signBit(kInf), 0u);
  EXPECT_EQ(signBit(-kInf), 1u);
  EXPECT_EQ(signBit(5e-324), 0u);
  EXPECT_EQ(signBit(-5e-324), 1u);
}

TEST(PackingTest, PackedWords) {
  EXPECT_EQ(packedWords(1), 1);
  EXPECT_EQ(packedWords(31), 1);
  EXPECT_EQ(packedWords(32), 1);
  EXPECT_EQ(packedWords(33), 2);
  EXPECT_EQ(packedWords(64), 2);
  EXPECT_EQ(packedWords(70), 3);
  EXPECT_EQ(packedWords(100), 4);
}

TEST(PackingTest, BitOrder) {
  // A single -1 at position k sets exactly bit k % 32 of word k / 32.
  for (int64_t k = 0; k < 100; ++k) {
    llvm::SmallVector<double> values(100, 1.0);
    values[k] = -1.0;
    llvm::SmallVector<uint32_t> words = pack(values);
    ASSERT_EQ(words.size(), 4u);
    for (int64_t w = 0; w < 4; ++w)
      EXPECT_EQ(words[w], w == k / 32 ? uint32_t(1) << (k % 32) : 0u)
          << "k = " << k << ", word " << w;
  }
  // Little-endian within a word: element 0 is the least significant bit.
  llvm::SmallVector<uint32_t> words =
      pack({-1.0, 1.0, -1.0, -1.0, 0.0, -0.0, kNaN, -kInf});
  EXPECT_EQ(words[0], 0b10001101u);
}

TEST(PackingTest, TailBitsAreZero) {
  for (int64_t k : {1, 31, 32, 33, 70, 100}) {
    llvm::SmallVector<double> values(k, -1.0);
    llvm::SmallVector<uint32_t> words = pack(values);
    ASSERT_EQ(int64_t(words.size()), (k + 31) / 32);
    for (int64_t w = 0; w + 1 < int64_t(words.size()); ++w)
      EXPECT_EQ(words[w], 0xffffffffu) << "k = " << k;
    uint32_t lastBits = uint32_t(k - 32 * (int64_t(words.size()) - 1));
    uint32_t lastMask =
        lastBits == 32 ? 0xffffffffu : (uint32_t(1) << lastBits) - 1;
    EXPECT_EQ(words.back(), lastMask) << "k = " << k;
    // All +1 (including zeros and NaN) clears every bit, whatever the
    // buffer held before.
    llvm::SmallVector<double> plus(k, 0.0);
    for (int64_t i = 0; i < k; i += 3)
      plus[i] = i % 2 ? kNaN : -0.0;
    for (uint32_t word : pack(plus))
      EXPECT_EQ(word, 0u) << "k = " << k;
  }
}

TEST(PackingTest, PackedBitRoundTripRandom) {
  std::mt19937_64 rng(0x5eed0201);
  constexpr int kRows = 10000;
  for (int row = 0; row < kRows; ++row) {
    int64_t k = 1 + int64_t(rng() % 300);
    llvm::SmallVector<double> values(k);
    for (double &v : values)
      v = randomValue(rng);
    llvm::SmallVector<uint32_t> words = pack(values);
    ASSERT_EQ(int64_t(words.size()), packedWords(k));
    for (int64_t i = 0; i < k; ++i)
      ASSERT_EQ(packedBit(words, i), refSign(values[i]) < 0 ? 1u : 0u)
          << "k = " << k << ", element " << i << " = " << values[i];
    // Tail bits stay zero.
    for (int64_t i = k; i < 32 * int64_t(words.size()); ++i)
      ASSERT_EQ(packedBit(words, i), 0u) << "k = " << k << ", tail bit " << i;
  }
}

TEST(PackingTest, BinaryDotRandom) {
  std::mt19937_64 rng(0x5eed0202);
  constexpr int kCases = 30000;
  int failures = 0;
  for (int i = 0; i < kCases && failures < 10; ++i) {
    int64_t k = 1 + int64_t(rng() % 300);
    llvm::SmallVector<double> a(k), b(k);
    // Mostly random signs, sometimes nearly all equal or all opposite so
    // the extremes +-K occur.
    int bias = int(rng() % 4);
    for (int64_t j = 0; j < k; ++j) {
      a[j] = randomValue(rng);
      b[j] = randomValue(rng);
      if (bias == 1 && rng() % 64)
        b[j] = a[j];
      if (bias == 2 && rng() % 64)
        b[j] = refSign(a[j]) > 0 ? -1.0 : 1.0;
    }
    int64_t want = 0;
    for (int64_t j = 0; j < k; ++j)
      want += refSign(a[j]) * refSign(b[j]);
    int64_t got = binaryDot(pack(a), pack(b), k);
    if (got != want) {
      ++failures;
      ADD_FAILURE() << "k = " << k << ": binaryDot " << got << ", +-1 dot "
                    << want;
    }
  }
  // The extremes.
  llvm::SmallVector<double> ones(70, 1.0), minus(70, -1.0);
  EXPECT_EQ(binaryDot(pack(ones), pack(ones), 70), 70);
  EXPECT_EQ(binaryDot(pack(ones), pack(minus), 70), -70);
  EXPECT_EQ(binaryDot(pack(minus), pack(minus), 70), 70);
}

} // namespace
