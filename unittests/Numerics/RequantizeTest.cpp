//===- RequantizeTest.cpp - multiplier/shift and TOSA apply_scale ---------===//
//
// computeMultiplierAndShift, applyScale and requantizeValue against
// independent references: a normalisation loop for the multiplier, exact
// __int128 rational rounding for SINGLE_ROUND, and TFLite/gemmlowp
// MultiplyByQuantizedMultiplier (written here from its definition) for
// DOUBLE_ROUND.
//
//===----------------------------------------------------------------------===//

#include "qnt/Utils/Numerics.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <random>

using namespace mlir::qnt;

namespace {

using i128 = __int128;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

//===----------------------------------------------------------------------===//
// References
//===----------------------------------------------------------------------===//

/// The unconstrained 32-bit TOSA scale: m = round(scale * 2^s) (ties away,
/// as std::round) with m in [2^30, 2^31]; a round-up to 2^31 is halved.
/// Finds s by exact power-of-two steps rather than frexp.
struct RefScale {
  int64_t multiplier;
  int shift;
};
RefScale refMultiplierShift(double scale) {
  int s = 0;
  while (std::ldexp(scale, s) < 0x1p30)
    ++s;
  while (std::ldexp(scale, s) >= 0x1p31)
    --s;
  double m = std::round(std::ldexp(scale, s));
  if (m == 0x1p31) {
    m = 0x1p30;
    --s;
  }
  return {int64_t(m), s};
}

/// floor(p / 2^s) from C++'s truncating division.
i128 floorDivPow2(i128 p, int s) {
  i128 d = i128(1) << s;
  i128 q = p / d;
  if (p % d < 0)
    --q;
  return q;
}

/// SINGLE_ROUND: value * m / 2^s rounded half up (towards +inf), exactly.
int64_t refSingleRound(int64_t value, int64_t m, int s) {
  i128 p = i128(value) * m;
  i128 d = i128(1) << s;
  i128 q = floorDivPow2(p, s);
  i128 rem = p - q * d; // in [0, d)
  if (2 * rem >= d)
    ++q;
  return int64_t(q);
}

// gemmlowp / TFLite fixed-point primitives, from their definitions.

/// gemmlowp SaturatingRoundingDoublingHighMul.
int32_t srdhm(int32_t a, int32_t b) {
  bool overflow = a == b && a == std::numeric_limits<int32_t>::min();
  int64_t ab = int64_t(a) * int64_t(b);
  int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  int32_t high = int32_t((ab + nudge) / (int64_t(1) << 31)); // truncating
  return overflow ? std::numeric_limits<int32_t>::max() : high;
}

/// gemmlowp RoundingDivideByPOT: ties away from zero.
int32_t roundingDivideByPOT(int32_t x, int exponent) {
  int32_t mask = int32_t((int64_t(1) << exponent) - 1);
  int32_t remainder = x & mask;
  int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/// TFLite MultiplyByQuantizedMultiplier; `tfliteShift` is a left shift
/// (TFLite's convention), i.e. 31 - tosa_shift. Returns nullopt where TFLite
/// would overflow int32 in x * (1 << left_shift).
std::optional<int32_t> tfliteMultiply(int32_t x, int32_t multiplier,
                                      int tfliteShift) {
  int leftShift = std::max(tfliteShift, 0);
  int rightShift = std::max(-tfliteShift, 0);
  int64_t shifted = int64_t(x) * (int64_t(1) << leftShift);
  if (shifted < std::numeric_limits<int32_t>::min() ||
      shifted > std::numeric_limits<int32_t>::max())
    return std::nullopt;
  return roundingDivideByPOT(srdhm(int32_t(shifted), multiplier), rightShift);
}

/// The same two-stage rounding in __int128 for values beyond int32: round
/// half up to a multiple of 2^-31 (the high mul), then half away from zero.
int64_t refDoubleRoundWide(int64_t value, int64_t m, int s) {
  i128 high = floorDivPow2(i128(value) * m + (i128(1) << 30), 31);
  int k = s - 31;
  if (k == 0)
    return int64_t(high);
  i128 mag = high < 0 ? -high : high;
  i128 q = floorDivPow2(mag + (i128(1) << (k - 1)), k);
  return int64_t(high < 0 ? -q : q);
}

/// Full reference for applyScale.
int64_t refApplyScale(int64_t value, int64_t m, int s, bool doubleRound) {
  return doubleRound && s > 31 ? refDoubleRoundWide(value, m, s)
                               : refSingleRound(value, m, s);
}

//===----------------------------------------------------------------------===//
// Random generators
//===----------------------------------------------------------------------===//

/// An int32 biased towards extremes, small values and powers of two.
int32_t randomI32(std::mt19937_64 &rng) {
  switch (rng() % 8) {
  case 0:
    return rng() % 2 ? std::numeric_limits<int32_t>::min()
                     : std::numeric_limits<int32_t>::max();
  case 1:
    return int32_t(int64_t(rng() % 2001) - 1000);
  case 2: {
    int32_t p = int32_t(int64_t(1) << (rng() % 31));
    return rng() % 2 ? p : -p;
  }
  case 3: { // odd multiple of a power of two: ties in both stages
    int64_t v = int64_t(rng() % 4096) * 2 + 1;
    v <<= rng() % 20;
    v = std::min<int64_t>(v, std::numeric_limits<int32_t>::max());
    return int32_t(rng() % 2 ? v : -v);
  }
  default:
    return int32_t(uint32_t(rng()));
  }
}

/// A multiplier in [lo, 2^31), often with many trailing zero bits so that
/// value * m hits rounding ties.
int32_t randomMultiplier(std::mt19937_64 &rng, int64_t lo) {
  int64_t span = (int64_t(1) << 31) - lo;
  int64_t m = lo + int64_t(rng() % uint64_t(span));
  if (rng() % 2)
    m &= ~((int64_t(1) << (rng() % 31)) - 1);
  return int32_t(std::max(m, lo));
}

//===----------------------------------------------------------------------===//
// computeMultiplierAndShift
//===----------------------------------------------------------------------===//

/// What ours must return given the reference: shifts above 62 follow tosa,
/// which truncates the multiplier (m >> min(31, s - 62)) to make the shift
/// 62, so scales below about 2^-62 get multiplier 0.
std::optional<ScaleMultiplier> expectedScale(double scale) {
  RefScale ref = refMultiplierShift(scale);
  if (ref.shift < 2)
    return std::nullopt;
  if (ref.shift <= 62)
    return ScaleMultiplier{int32_t(ref.multiplier), ref.shift};
  return ScaleMultiplier{
      int32_t(ref.multiplier >> std::min(31, ref.shift - 62)), 62};
}

void expectScale(double scale, std::optional<ScaleMultiplier> got,
                 std::optional<ScaleMultiplier> want) {
  ASSERT_EQ(got.has_value(), want.has_value())
      << "scale = " << std::hexfloat << scale;
  if (!want)
    return;
  EXPECT_EQ(got->multiplier, want->multiplier)
      << "scale = " << std::hexfloat << scale;
  EXPECT_EQ(got->shift, want->shift) << "scale = " << std::hexfloat << scale;
}

TEST(RequantizeTest, MultiplierShiftExamples) {
  auto check = [](double scale, int32_t m, int32_t s) {
    std::optional<ScaleMultiplier> got = computeMultiplierAndShift(scale);
    ASSERT_TRUE(got) << scale;
    EXPECT_EQ(got->multiplier, m) << scale;
    EXPECT_EQ(got->shift, s) << scale;
  };
  check(0.5, 1 << 30, 31);
  check(0.75, 3 << 29, 31);
  check(1.0, 1 << 30, 30);
  check(0x1p28, 1 << 30, 2);
  check(0x1p29 - 0.25, INT32_MAX, 2);  // (2^29 - 1/4) * 4 = 2^31 - 1
  check(0x1.ffffffffp-1, 1 << 30, 30); // rounds up to 2^31: halved
  check(0x1p-31, 1 << 30, 61);
  check(0x1p-32, 1 << 30, 62);
  // Below 2^-32 tosa keeps shift 62 and truncates the multiplier.
  check(0x1p-33, 1 << 29, 62);
  check(0x1.8p-33, 3 << 28, 62);
  check(0x1p-62, 1, 62);
  check(0x1.e666666666666p-62, 1, 62); // truncated; rounding would give 2
  check(0x1p-63, 0, 62);
  check(0x1p-100, 0, 62);
  check(std::numeric_limits<double>::min(), 0, 62);
  check(std::numeric_limits<double>::denorm_min(), 0, 62);
}

TEST(RequantizeTest, MultiplierShiftInvalid) {
  for (double scale : {0.0, -0.0, -1.0, -0x1p-40, kInf, -kInf, kNaN, 0x1p29,
                       0x1p29 - 0.125, // rounds up to shift 1
                       0x1p30, 1e300, std::numeric_limits<double>::max()})
    EXPECT_FALSE(computeMultiplierAndShift(scale).has_value())
        << std::hexfloat << scale;
}

TEST(RequantizeTest, MultiplierShiftRandom) {
  std::mt19937_64 rng(0x5eed0101);
  std::uniform_real_distribution<double> logScale(-40.0, 28.0);
  constexpr int kCases = 1000000;
  int failures = 0, shiftAbove62 = 0;
  for (int i = 0; i < kCases && failures < 10; ++i) {
    double scale;
    if (rng() % 10 == 0) {
      // An exact tie m + 1/2 at the multiplier's precision.
      int64_t m = (int64_t(1) << 30) + int64_t(rng() % (uint64_t(1) << 30));
      scale = std::ldexp(double(m) + 0.5, -int(rng() % 70) + 2);
    } else {
      scale = std::exp2(logScale(rng));
    }
    std::optional<ScaleMultiplier> got = computeMultiplierAndShift(scale);
    std::optional<ScaleMultiplier> want = expectedScale(scale);
    bool same = got.has_value() == want.has_value() &&
                (!got || (got->multiplier == want->multiplier &&
                          got->shift == want->shift));
    if (!same) {
      ++failures;
      expectScale(scale, got, want);
      continue;
    }
    if (!got)
      continue;
    long double approx = std::ldexp((long double)got->multiplier, -got->shift);
    long double err = std::fabs(approx - (long double)scale);
    if (refMultiplierShift(scale).shift <= 62) {
      EXPECT_GE(got->multiplier, 1 << 30);
      // Half an ulp of a multiplier >= 2^30.
      EXPECT_LE(err, (long double)scale * 0x1p-31L) << std::hexfloat << scale;
    } else {
      ++shiftAbove62;
      // Truncation loses less than one unit of 2^-62.
      EXPECT_LT(err, 0x1p-62L) << std::hexfloat << scale;
    }
  }
  // Log-uniform over [2^-40, 2^28): about 8/68 of the cases have s > 62.
  EXPECT_GT(shiftAbove62, kCases / 20);
}

//===----------------------------------------------------------------------===//
// applyScale
//===----------------------------------------------------------------------===//

TEST(RequantizeTest, ApplyScaleExamples) {
  // 0.25 = 2^30 * 2^-32: single round is half up, double round half away.
  EXPECT_EQ(applyScale(6, 1 << 30, 32, false), 2); // 1.5
  EXPECT_EQ(applyScale(6, 1 << 30, 32, true), 2);
  EXPECT_EQ(applyScale(-6, 1 << 30, 32, false), -1); // -1.5
  EXPECT_EQ(applyScale(-6, 1 << 30, 32, true), -2);
  EXPECT_EQ(applyScale(-2, 1 << 30, 32, false), 0); // -0.5
  EXPECT_EQ(applyScale(-2, 1 << 30, 32, true), -1);
  // Shift 31: DOUBLE_ROUND only applies above 31.
  EXPECT_EQ(applyScale(-3, 1 << 30, 31, true), -1); // -1.5
  EXPECT_EQ(applyScale(INT32_MAX, INT32_MAX, 62, false), 1);
  EXPECT_EQ(applyScale(INT32_MIN, INT32_MAX, 62, true), -1);
  EXPECT_EQ(applyScale(INT32_MIN, INT32_MAX, 2, false),
            -(int64_t(1) << 60) + (int64_t(1) << 29)); // exact
  EXPECT_EQ(applyScale(12345, 0, 40, true), 0);
  EXPECT_EQ(applyScale(-12345, 0, 40, true), 0);
}

TEST(RequantizeTest, ApplyScaleSingleRoundRandom) {
  std::mt19937_64 rng(0x5eed0102);
  constexpr int kCases = 1500000;
  int failures = 0;
  for (int i = 0; i < kCases && failures < 10; ++i) {
    int32_t value = randomI32(rng);
    int32_t m = randomMultiplier(rng, rng() % 4 ? 0 : (int64_t(1) << 30));
    int32_t s = 2 + int32_t(rng() % 61);
    int64_t got = applyScale(value, m, s, /*doubleRound=*/false);
    int64_t want = refSingleRound(value, m, s);
    if (got != want) {
      ++failures;
      ADD_FAILURE() << "applyScale(" << value << ", " << m << ", " << s
                    << ", single) = " << got << ", expected " << want;
    }
    // Below shift 32 the double-round flag changes nothing.
    if (s <= 31)
      EXPECT_EQ(applyScale(value, m, s, /*doubleRound=*/true), want);
  }
}

// DOUBLE_ROUND against TFLite/gemmlowp MultiplyByQuantizedMultiplier with
// TFLite shift = 31 - tosa shift. For tosa shifts in [31, 62] TFLite's left
// shift is 0 and the right shift s - 31 <= 31, so every int32 input is in
// TFLite's domain.
//
// Finding: they agree on every case. srdhm(x, m) equals
// floor((x*m + 2^30) / 2^31) for both signs (its negative nudge 1 - 2^30 with
// truncating division is a floor), and TOSA's -2^30 for negative values
// floors the same quantity one step lower, which RoundingDivideByPOT's
// ties-away threshold compensates exactly.
TEST(RequantizeTest, ApplyScaleDoubleRoundMatchesTFLite) {
  std::mt19937_64 rng(0x5eed0103);
  constexpr int kCases = 1500000;
  int mismatches = 0;
  for (int i = 0; i < kCases; ++i) {
    int32_t value = randomI32(rng);
    int32_t m = randomMultiplier(rng, int64_t(1) << 30);
    int32_t s = 31 + int32_t(rng() % 32);
    int64_t got = applyScale(value, m, s, /*doubleRound=*/true);
    std::optional<int32_t> want = tfliteMultiply(value, m, 31 - s);
    ASSERT_TRUE(want);
    if (got != *want && ++mismatches <= 10)
      ADD_FAILURE() << "applyScale(" << value << ", " << m << ", " << s
                    << ", double) = " << got << ", TFLite " << *want;
  }
  EXPECT_EQ(mismatches, 0);
}

// Random products almost never land within one unit of a first-stage tie
// (p = x * m = 2^30 mod 2^31), where the two formulas' different negative
// nudges (-2^30 here, 1 - 2^30 with truncating division in TFLite) matter.
// Multipliers just above 2^30 with small values sweep those residues.
TEST(RequantizeTest, ApplyScaleDoubleRoundMatchesTFLiteNearTies) {
  const int32_t multipliers[] = {1 << 30,       (1 << 30) + 1, (1 << 30) + 2,
                                 (1 << 30) + 3, (3 << 29) - 1, 3 << 29,
                                 (3 << 29) + 1, INT32_MAX};
  int mismatches = 0;
  for (int32_t m : multipliers)
    for (int32_t s = 31; s <= 62; ++s)
      for (int32_t value = -4096; value <= 4096; ++value) {
        int64_t got = applyScale(value, m, s, /*doubleRound=*/true);
        int32_t want = *tfliteMultiply(value, m, 31 - s);
        if (got != want && ++mismatches <= 10)
          ADD_FAILURE() << "applyScale(" << value << ", " << m << ", " << s
                        << ", double) = " << got << ", TFLite " << want;
      }
  EXPECT_EQ(mismatches, 0);
}

// DOUBLE_ROUND is not the exact rounding: both stages can round up.
TEST(RequantizeTest, DoubleRoundDiffersFromExactRounding) {
  // 2^30 / 2^32 = 0.25: 0.5 at 2^-31 rounds to 1, then 1/2 rounds to 1.
  EXPECT_EQ(applyScale(1, 1 << 30, 32, /*doubleRound=*/true), 1);
  EXPECT_EQ(applyScale(1, 1 << 30, 32, /*doubleRound=*/false), 0);
  EXPECT_EQ(*tfliteMultiply(1, 1 << 30, -1), 1);
  // -(2^30 + 1) / 2^32 ~ -0.25 becomes -1 the same way.
  EXPECT_EQ(applyScale(-1, (1 << 30) + 1, 32, /*doubleRound=*/true), -1);
  EXPECT_EQ(applyScale(-1, (1 << 30) + 1, 32, /*doubleRound=*/false), 0);
  EXPECT_EQ(*tfliteMultiply(-1, (1 << 30) + 1, -1), -1);
}

// Multipliers below 2^30 (tosa's truncated tiny scales, hand-written ones)
// and tosa shifts below 31 (TFLite left shifts, where TOSA does not double
// round): still TFLite wherever TFLite's x << left_shift fits in int32.
TEST(RequantizeTest, ApplyScaleDoubleRoundMatchesTFLiteEverywhere) {
  std::mt19937_64 rng(0x5eed0104);
  constexpr int kCases = 1000000;
  int mismatches = 0, compared = 0;
  for (int i = 0; i < kCases; ++i) {
    int32_t s = 2 + int32_t(rng() % 61);
    int32_t value = randomI32(rng);
    if (s < 31 && rng() % 2)
      value >>= 31 - s; // keep value << (31 - s) inside int32
    int32_t m = randomMultiplier(rng, 0);
    std::optional<int32_t> want = tfliteMultiply(value, m, 31 - s);
    if (!want)
      continue;
    ++compared;
    int64_t got = applyScale(value, m, s, /*doubleRound=*/true);
    if (got != *want && ++mismatches <= 10)
      ADD_FAILURE() << "applyScale(" << value << ", " << m << ", " << s
                    << ", double) = " << got << ", TFLite " << *want;
  }
  EXPECT_EQ(mismatches, 0);
  EXPECT_GT(compared, kCases / 2);
}

// requantizeValue's x = v - input_zp reaches |x| < 2^32; x * m plus the
// rounding term then exceeds int64 for shifts near 62.
TEST(RequantizeTest, ApplyScaleWideValues) {
  const int64_t big = (int64_t(1) << 32) - 1;
  EXPECT_EQ(applyScale(big, INT32_MAX, 62, false),
            refSingleRound(big, INT32_MAX, 62));
  EXPECT_EQ(applyScale(big, INT32_MAX, 62, true),
            refDoubleRoundWide(big, INT32_MAX, 62));
  EXPECT_EQ(applyScale(-big, INT32_MAX, 62, false),
            refSingleRound(-big, INT32_MAX, 62));
  EXPECT_EQ(applyScale(-big, INT32_MAX, 62, true),
            refDoubleRoundWide(-big, INT32_MAX, 62));

  std::mt19937_64 rng(0x5eed0105);
  constexpr int kCases = 500000;
  int failures = 0;
  for (int i = 0; i < kCases && failures < 10; ++i) {
    int64_t value = int64_t(rng() % (2 * uint64_t(big) + 1)) - big;
    if (rng() % 4 == 0)
      value = rng() % 2 ? big : -big;
    int32_t m = randomMultiplier(rng, 0);
    int32_t s = 2 + int32_t(rng() % 61);
    bool doubleRound = rng() % 2;
    int64_t got = applyScale(value, m, s, doubleRound);
    int64_t want = refApplyScale(value, m, s, doubleRound);
    if (got != want) {
      ++failures;
      ADD_FAILURE() << "applyScale(" << value << ", " << m << ", " << s << ", "
                    << doubleRound << ") = " << got << ", expected " << want;
    }
  }
}

//===----------------------------------------------------------------------===//
// requantizeValue
//===----------------------------------------------------------------------===//

TEST(RequantizeTest, RequantizeExamples) {
  const IntRange i8 = storageRange(8, true), u8 = storageRange(8, false);
  const ScaleMultiplier half{1 << 30, 31}, quarter{1 << 30, 32};
  EXPECT_EQ(requantizeValue(100, 0, half, false, 0, i8), 50);
  EXPECT_EQ(requantizeValue(100, 0, half, false, -3, i8), 47);
  EXPECT_EQ(requantizeValue(100, 10, half, false, -3, i8), 42);
  EXPECT_EQ(requantizeValue(1000, 0, half, false, 0, i8), 127);
  EXPECT_EQ(requantizeValue(-1000, 0, half, false, 0, i8), -128);
  EXPECT_EQ(requantizeValue(-1000, 0, half, false, 128, u8), 0);
  EXPECT_EQ(requantizeValue(10, 13, half, false, 0, i8), -1); // -1.5
  EXPECT_EQ(requantizeValue(10, 16, quarter, false, 0, i8), -1);
  EXPECT_EQ(requantizeValue(10, 16, quarter, true, 0, i8), -2);
  // A fused ReLU6-like clamp inside the type range.
  EXPECT_EQ(requantizeValue(100, 0, half, false, 0, {0, 6}), 6);
  EXPECT_EQ(requantizeValue(-100, 0, half, false, 0, {0, 6}), 0);
  // Extreme zero points: x = v - input_zp spans (-2^32, 2^32).
  const IntRange i32 = storageRange(32, true);
  EXPECT_EQ(
      requantizeValue(INT32_MAX, INT32_MIN, {INT32_MAX, 62}, false, 0, i32), 2);
  EXPECT_EQ(
      requantizeValue(INT32_MIN, INT32_MAX, {INT32_MAX, 62}, true, 0, i32), -2);
}

TEST(RequantizeTest, RequantizeRandom) {
  std::mt19937_64 rng(0x5eed0106);
  struct Storage {
    unsigned bits;
    bool isSigned, narrow;
  };
  const Storage outputs[] = {{8, true, false},   {8, true, true},
                             {8, false, false},  {4, true, false},
                             {4, false, false},  {16, true, false},
                             {16, false, false}, {32, true, false}};
  std::uniform_real_distribution<double> logScale(-24.0, 6.0);
  constexpr int kCases = 1000000;
  int failures = 0;
  for (int i = 0; i < kCases && failures < 10; ++i) {
    const Storage &out = outputs[rng() % std::size(outputs)];
    IntRange type = storageRange(out.bits, out.isSigned, out.narrow);
    auto inType = [&](IntRange r) {
      return r.min + int64_t(rng() % uint64_t(r.max - r.min + 1));
    };
    int32_t outputZp = rng() % 2 ? 0 : int32_t(inType(type));
    // Clamp: the type range, a random sub-range, or a ReLU from the zero
    // point.
    IntRange clamp = type;
    switch (rng() % 3) {
    case 0: {
      int64_t a = inType(type), b = inType(type);
      clamp = {std::min(a, b), std::max(a, b)};
      break;
    }
    case 1:
      clamp = {outputZp, type.max};
      break;
    default:
      break;
    }
    int32_t inputZp;
    switch (rng() % 4) {
    case 0:
      inputZp = 0;
      break;
    case 1:
      inputZp = int32_t(inType(storageRange(8, true)));
      break;
    case 2:
      inputZp = int32_t(inType(storageRange(16, false)));
      break;
    default:
      inputZp = randomI32(rng);
      break;
    }
    ScaleMultiplier scale;
    if (rng() % 2) {
      scale = *computeMultiplierAndShift(std::exp2(logScale(rng)));
    } else {
      scale = {randomMultiplier(rng, 0), 2 + int32_t(rng() % 61)};
    }
    bool doubleRound = rng() % 2;
    int64_t value = randomI32(rng);
    if (rng() % 2) // a small accumulator: most outputs inside the range
      value = int64_t(inputZp) + int64_t(rng() % 4001) - 2000;
    value = std::clamp<int64_t>(value, INT32_MIN, INT32_MAX);

    int64_t x = value - inputZp;
    int64_t y = refApplyScale(x, scale.multiplier, scale.shift, doubleRound);
    int64_t want = std::clamp<int64_t>(y + outputZp, clamp.min, clamp.max);
    int64_t got =
        requantizeValue(value, inputZp, scale, doubleRound, outputZp, clamp);
    if (got != want) {
      ++failures;
      ADD_FAILURE() << "requantizeValue(" << value << ", zp " << inputZp
                    << ", {" << scale.multiplier << ", " << scale.shift << "}, "
                    << doubleRound << ", zp " << outputZp << ", [" << clamp.min
                    << ", " << clamp.max << "]) = " << got << ", expected "
                    << want;
    }
  }
}

} // namespace
