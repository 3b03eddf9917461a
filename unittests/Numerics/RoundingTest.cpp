//===- RoundingTest.cpp - float -> int rounding and saturation ------------===//
//
// roundToInt and quantizeValue against references built on the C library's
// own rounding (std::nearbyint under FE_TONEAREST, std::round) and on long
// double arithmetic for zero point and saturation.
//
//===----------------------------------------------------------------------===//

#include "qnt/Utils/Numerics.h"

#include "gtest/gtest.h"

#include <cfenv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <random>

using namespace mlir::qnt;

namespace {

constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

/// Saturating conversion of an already integral double (or NaN) to int64,
/// compared in long double so 2^63 itself is exact.
int64_t saturateToI64(double r) {
  if (std::isnan(r))
    return 0;
  long double lr = r;
  if (lr >= 9223372036854775808.0L)
    return kI64Max;
  if (lr <= -9223372036854775808.0L)
    return kI64Min;
  return static_cast<int64_t>(lr);
}

/// Reference half-to-even: the C library's current rounding mode.
int64_t refHalfEven(double x) {
  std::fesetround(FE_TONEAREST);
  return saturateToI64(std::nearbyint(x));
}

/// Reference half-away: std::round is specified as ties away from zero.
int64_t refHalfAway(double x) { return saturateToI64(std::round(x)); }

double bitsToDouble(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, sizeof(d));
  return d;
}

/// Random doubles biased towards the interesting cases: exact ties, values
/// next to ties, magnitudes around the int64 limit, and arbitrary bit
/// patterns (NaN, infinities, subnormals included).
double randomDouble(std::mt19937_64 &rng) {
  switch (rng() % 7) {
  case 0: { // exact tie k + 0.5 with |k| < 2^51
    int64_t k = int64_t(rng() >> 13) - (int64_t(1) << 50);
    return double(k) + 0.5;
  }
  case 1: { // one ulp either side of a tie
    int64_t k = int64_t(rng() % 2000001) - 1000000;
    double tie = double(k) + 0.5;
    return std::nextafter(tie, rng() % 2 ? kInf : -kInf);
  }
  case 2: { // around 2^63
    double base = std::ldexp(1.0, 63);
    double x = base + double(int64_t(rng() % 8193) - 4096) * 1024.0;
    return rng() % 2 ? x : -x;
  }
  case 6: { // within a few ulps of +-0.5, where x - floor(x) is inexact
    double x = 0.5 + double(int(rng() % 9) - 4) * 0x1p-54;
    return rng() % 2 ? x : -x;
  }
  case 3: // any bit pattern
    return bitsToDouble(rng());
  default: { // random mantissa, exponent in [-4, 66)
    std::uniform_real_distribution<double> mant(-1.0, 1.0);
    return std::ldexp(mant(rng), int(rng() % 70) - 4);
  }
  }
}

TEST(RoundingTest, HalfToEvenTies) {
  EXPECT_EQ(roundToInt(0.5, RoundingMode::HalfEven), 0);
  EXPECT_EQ(roundToInt(1.5, RoundingMode::HalfEven), 2);
  EXPECT_EQ(roundToInt(2.5, RoundingMode::HalfEven), 2);
  EXPECT_EQ(roundToInt(-0.5, RoundingMode::HalfEven), 0);
  EXPECT_EQ(roundToInt(-1.5, RoundingMode::HalfEven), -2);
  EXPECT_EQ(roundToInt(-2.5, RoundingMode::HalfEven), -2);
  // Largest ties a double can hold (ulp 0.5 below 2^52).
  EXPECT_EQ(roundToInt(2251799813685248.5, RoundingMode::HalfEven),
            2251799813685248);
  EXPECT_EQ(roundToInt(4503599627370495.5, RoundingMode::HalfEven),
            4503599627370496);
  EXPECT_EQ(roundToInt(-4503599627370495.5, RoundingMode::HalfEven),
            -4503599627370496);
}

TEST(RoundingTest, HalfAwayTies) {
  EXPECT_EQ(roundToInt(0.5, RoundingMode::HalfAway), 1);
  EXPECT_EQ(roundToInt(1.5, RoundingMode::HalfAway), 2);
  EXPECT_EQ(roundToInt(2.5, RoundingMode::HalfAway), 3);
  EXPECT_EQ(roundToInt(-0.5, RoundingMode::HalfAway), -1);
  EXPECT_EQ(roundToInt(-1.5, RoundingMode::HalfAway), -2);
  EXPECT_EQ(roundToInt(-2.5, RoundingMode::HalfAway), -3);
  EXPECT_EQ(roundToInt(2251799813685248.5, RoundingMode::HalfAway),
            2251799813685249);
  EXPECT_EQ(roundToInt(-2251799813685248.5, RoundingMode::HalfAway),
            -2251799813685249);
}

TEST(RoundingTest, NonTies) {
  // The largest double below 0.5 must not round up (the classic
  // floor(x + 0.5) bug), nor its neighbours below 1.5.
  const double belowHalf = std::nextafter(0.5, 0.0);
  const double belowOneAndHalf = std::nextafter(1.5, 0.0);
  for (RoundingMode mode : {RoundingMode::HalfEven, RoundingMode::HalfAway}) {
    EXPECT_EQ(roundToInt(belowHalf, mode), 0);
    EXPECT_EQ(roundToInt(-belowHalf, mode), 0);
    EXPECT_EQ(roundToInt(std::nextafter(0.5, 1.0), mode), 1);
    EXPECT_EQ(roundToInt(std::nextafter(-0.5, -1.0), mode), -1);
    EXPECT_EQ(roundToInt(belowOneAndHalf, mode), 1);
    EXPECT_EQ(roundToInt(-belowOneAndHalf, mode), -1);
    EXPECT_EQ(roundToInt(2.4999, mode), 2);
    EXPECT_EQ(roundToInt(-2.5001, mode), -3);
    EXPECT_EQ(roundToInt(0.0, mode), 0);
    EXPECT_EQ(roundToInt(-0.0, mode), 0);
    EXPECT_EQ(roundToInt(5e-324, mode), 0);
    EXPECT_EQ(roundToInt(-5e-324, mode), 0);
    EXPECT_EQ(roundToInt(1e15 + 0.25, mode), 1000000000000000);
  }
}

TEST(RoundingTest, SaturatesToInt64AndNaNIsZero) {
  const double two63 = std::ldexp(1.0, 63);
  const double belowTwo63 = std::nextafter(two63, 0.0); // 2^63 - 1024
  for (RoundingMode mode : {RoundingMode::HalfEven, RoundingMode::HalfAway}) {
    EXPECT_EQ(roundToInt(two63, mode), kI64Max);
    EXPECT_EQ(roundToInt(-two63, mode), kI64Min); // exactly representable
    EXPECT_EQ(roundToInt(belowTwo63, mode), int64_t(9223372036854774784));
    EXPECT_EQ(roundToInt(-belowTwo63, mode), -int64_t(9223372036854774784));
    EXPECT_EQ(roundToInt(std::nextafter(-two63, -kInf), mode), kI64Min);
    EXPECT_EQ(roundToInt(1e300, mode), kI64Max);
    EXPECT_EQ(roundToInt(-1e300, mode), kI64Min);
    EXPECT_EQ(roundToInt(kInf, mode), kI64Max);
    EXPECT_EQ(roundToInt(-kInf, mode), kI64Min);
    EXPECT_EQ(roundToInt(kNaN, mode), 0);
    EXPECT_EQ(roundToInt(-kNaN, mode), 0);
  }
}

TEST(RoundingTest, RandomAgainstLibm) {
  std::mt19937_64 rng(0x5eed0001);
  constexpr int kCases = 2000000;
  int failures = 0;
  for (int i = 0; i < kCases && failures < 10; ++i) {
    double x = randomDouble(rng);
    int64_t even = roundToInt(x, RoundingMode::HalfEven);
    int64_t away = roundToInt(x, RoundingMode::HalfAway);
    if (even != refHalfEven(x) || away != refHalfAway(x)) {
      ++failures;
      ADD_FAILURE() << "x = " << std::hexfloat << x << std::defaultfloat
                    << ": half-even " << even << " vs " << refHalfEven(x)
                    << ", half-away " << away << " vs " << refHalfAway(x);
    }
  }
}

//===----------------------------------------------------------------------===//
// storageRange / quantizeValue / dequantizeValue
//===----------------------------------------------------------------------===//

TEST(QuantizeTest, StorageRange) {
  auto expectRange = [](IntRange r, int64_t min, int64_t max) {
    EXPECT_EQ(r.min, min);
    EXPECT_EQ(r.max, max);
  };
  expectRange(storageRange(8, true), -128, 127);
  expectRange(storageRange(8, true, /*narrow=*/true), -127, 127);
  expectRange(storageRange(8, false), 0, 255);
  expectRange(storageRange(4, true), -8, 7);
  expectRange(storageRange(4, true, /*narrow=*/true), -7, 7);
  expectRange(storageRange(4, false), 0, 15);
  expectRange(storageRange(2, true), -2, 1);
  expectRange(storageRange(1, false), 0, 1);
  expectRange(storageRange(16, true), -32768, 32767);
  expectRange(storageRange(32, true), INT32_MIN, INT32_MAX);
  expectRange(storageRange(32, false), 0, int64_t(UINT32_MAX));
}

TEST(QuantizeTest, SaturationAndZeroPoints) {
  const IntRange i8 = storageRange(8, true), u8 = storageRange(8, false),
                 i4 = storageRange(4, true),
                 i8n = storageRange(8, true, /*narrow=*/true);
  const RoundingMode even = RoundingMode::HalfEven,
                     away = RoundingMode::HalfAway;
  EXPECT_EQ(quantizeValue(1000.0, 1.0, 0, i8, even), 127);
  EXPECT_EQ(quantizeValue(-1000.0, 1.0, 0, i8, even), -128);
  EXPECT_EQ(quantizeValue(127.4, 1.0, 0, i8, even), 127);
  EXPECT_EQ(quantizeValue(127.5, 1.0, 0, i8, even), 127); // 128 saturates
  EXPECT_EQ(quantizeValue(-128.5, 1.0, 0, i8, even), -128);
  EXPECT_EQ(quantizeValue(-1000.0, 1.0, 0, i8n, even), -127);
  EXPECT_EQ(quantizeValue(-127.6, 1.0, 0, i8n, even), -127);
  EXPECT_EQ(quantizeValue(-5.0, 1.0, 0, u8, even), 0);
  EXPECT_EQ(quantizeValue(300.0, 1.0, 0, u8, even), 255);
  EXPECT_EQ(quantizeValue(9.0, 1.0, 0, i4, even), 7);
  EXPECT_EQ(quantizeValue(-9.0, 1.0, 0, i4, even), -8);
  EXPECT_EQ(quantizeValue(3.5, 1.0, 0, i4, away), 4);
  EXPECT_EQ(quantizeValue(-3.5, 1.0, 0, i4, away), -4);
  // Zero points are added after rounding: round(0.5) + 1 = 1, not
  // round(1.5) = 2.
  EXPECT_EQ(quantizeValue(0.5, 1.0, 1, i8, even), 1);
  EXPECT_EQ(quantizeValue(1.0, 0.5, 10, i8, even), 12);
  EXPECT_EQ(quantizeValue(-1.25, 0.5, 10, i8, even), 8); // -2.5 -> -2
  EXPECT_EQ(quantizeValue(-1.25, 0.5, 10, i8, away), 7); // -2.5 -> -3
  EXPECT_EQ(quantizeValue(0.0, 0.1, 128, u8, even), 128);
  EXPECT_EQ(quantizeValue(-20.0, 0.1, 128, u8, even), 0);
  EXPECT_EQ(quantizeValue(20.0, 0.1, 128, u8, even), 255);
  // Infinities saturate; NaN gives the (clamped) zero point.
  EXPECT_EQ(quantizeValue(kInf, 0.1, 3, i8, even), 127);
  EXPECT_EQ(quantizeValue(-kInf, 0.1, 3, i8, even), -128);
  EXPECT_EQ(quantizeValue(kNaN, 0.1, 3, i8, even), 3);
  EXPECT_EQ(quantizeValue(kNaN, 0.1, 128, u8, even), 128);
  EXPECT_EQ(quantizeValue(kNaN, 0.1, 200, i8, even), 127);
  EXPECT_EQ(quantizeValue(kNaN, 0.1, -200, i8, even), -128);
  // Huge quotients must not overflow the zero point addition.
  EXPECT_EQ(quantizeValue(1e300, 1e-300, -128, i8, even), 127);
  EXPECT_EQ(quantizeValue(-1e300, 1e-300, 127, i8, even), -128);
  EXPECT_EQ(quantizeValue(1e300, 1.0, 0, storageRange(32, true), even),
            INT32_MAX);
}

TEST(QuantizeTest, Dequantize) {
  EXPECT_EQ(dequantizeValue(12, 0.5, 10), 1.0);
  EXPECT_EQ(dequantizeValue(-128, 0.25, -128), 0.0);
  EXPECT_EQ(dequantizeValue(0, 0.1, 128), 0.1 * -128.0);
  EXPECT_EQ(dequantizeValue(INT32_MIN, 1.0, INT32_MAX), -4294967295.0);
}

TEST(QuantizeTest, RandomAgainstLongDouble) {
  std::mt19937_64 rng(0x5eed0002);
  struct Storage {
    unsigned bits;
    bool isSigned, narrow;
  };
  const Storage storages[] = {{8, true, false},   {8, true, true},
                              {8, false, false},  {4, true, false},
                              {4, false, false},  {4, true, true},
                              {2, true, false},   {16, true, false},
                              {16, false, false}, {32, true, false}};
  constexpr int kCases = 1000000;
  int failures = 0;
  for (int i = 0; i < kCases && failures < 10; ++i) {
    const Storage &st = storages[rng() % std::size(storages)];
    IntRange range = storageRange(st.bits, st.isSigned, st.narrow);
    // Zero point anywhere in the range (or 0 half of the time).
    int64_t zp = 0;
    if (rng() % 2)
      zp = range.min + int64_t(rng() % uint64_t(range.max - range.min + 1));
    RoundingMode mode =
        rng() % 2 ? RoundingMode::HalfEven : RoundingMode::HalfAway;
    // Power-of-two scales make x / scale exact, so ties really occur.
    double scale;
    if (rng() % 2)
      scale = std::ldexp(1.0, int(rng() % 40) - 20);
    else
      scale = std::exp2(std::uniform_real_distribution<double>(-20, 4)(rng));
    double spread = double(range.max - range.min) * 1.5 + 4;
    double t = std::uniform_real_distribution<double>(-spread, spread)(rng);
    switch (rng() % 8) {
    case 0:
      t = std::trunc(t) + 0.5; // tie in units of the scale
      break;
    case 1:
      t = std::trunc(t); // exact grid point
      break;
    case 2:
      t = std::ldexp(t, int(rng() % 1000)); // far out of range
      break;
    case 3:
      t = std::ldexp(t, -int(rng() % 60)); // around zero
      break;
    default:
      break;
    }
    double x = t * scale;
    if (rng() % 1000 == 0)
      x = rng() % 2 ? kNaN : (rng() % 2 ? kInf : -kInf);

    // Reference: the quotient is the double x / scale (the documented
    // semantics); round with libm, then add the zero point and clamp in long
    // double, where neither can overflow.
    int64_t expected;
    double quotient = x / scale;
    long double q = std::isnan(x) ? (long double)zp
                                  : (mode == RoundingMode::HalfEven
                                         ? (long double)std::nearbyint(quotient)
                                         : (long double)std::round(quotient)) +
                                        zp;
    if (q <= range.min)
      expected = range.min;
    else if (q >= range.max)
      expected = range.max;
    else
      expected = (int64_t)q;

    int64_t got = quantizeValue(x, scale, zp, range, mode);
    if (got != expected) {
      ++failures;
      ADD_FAILURE() << "x = " << std::hexfloat << x << " scale = " << scale
                    << std::defaultfloat << " zp = " << zp << " range ["
                    << range.min << ", " << range.max << "]: got " << got
                    << ", expected " << expected;
    }
    // Unsaturated results are within half a step of the exact quotient.
    if (got > range.min && got < range.max && !std::isnan(x)) {
      // The double quotient may be off by 2^-53 relative, which can move
      // it onto a tie.
      long double exact = (long double)x / (long double)scale;
      EXPECT_LE(std::fabs(exact + zp - (long double)got),
                0.5L + std::fabs(exact) * 0x1p-52L)
          << "x = " << x << " scale = " << scale;
    }
  }
}

} // namespace
