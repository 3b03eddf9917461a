//===- QuantParamsTest.cpp - scale and zero point against a reference ----===//

#include "quant-mlir/Analysis/Calibration.h"

#include "gtest/gtest.h"

#include <cfenv>
#include <cmath>
#include <limits>
#include <random>

using namespace mlir::qnt;

namespace {

constexpr double kFloatMax = std::numeric_limits<float>::max();

/// The documented formulas, written independently: pow for the storage
/// range, the FPU's round-to-nearest-even (std::nearbyint) for the zero
/// point.
QuantParams reference(double lo, double hi, unsigned bits, bool symmetric,
                      bool narrow) {
  QuantParams params;
  params.qmax = static_cast<int64_t>(std::pow(2.0, bits - 1)) - 1;
  params.qmin = narrow ? -params.qmax : -params.qmax - 1;
  double scale = symmetric
                     ? std::max(std::fabs(lo), std::fabs(hi)) / params.qmax
                     : (std::max(hi, 0.0) - std::min(lo, 0.0)) /
                           double(params.qmax - params.qmin);
  if (scale == 0)
    return {1, 0, params.qmin, params.qmax};
  params.scale = static_cast<float>(scale);
  if (params.scale < std::numeric_limits<float>::min())
    params.scale = std::numeric_limits<float>::min();
  if (!symmetric) {
    double zp = std::nearbyint(params.qmin - std::min(lo, 0.0) / params.scale);
    params.zeroPoint = static_cast<int64_t>(
        std::min<double>(std::max<double>(zp, params.qmin), params.qmax));
  }
  return params;
}

/// A random range of varied magnitude and sign pattern.
std::pair<double, double> randomRange(std::mt19937_64 &rng) {
  std::uniform_int_distribution<int> pattern(0, 5);
  std::uniform_real_distribution<double> exponent(-12, 12);
  std::uniform_real_distribution<double> unit(0, 1);
  double a = unit(rng) * std::pow(10.0, exponent(rng));
  double b = unit(rng) * std::pow(10.0, exponent(rng));
  switch (pattern(rng)) {
  case 0:
    return {-a, b};
  case 1:
    return {std::min(a, b), std::max(a, b)}; // all positive
  case 2:
    return {-std::max(a, b), -std::min(a, b)}; // all negative
  case 3:
    return {0, b};
  case 4:
    return {-a, 0};
  default:
    return {-a, a};
  }
}

TEST(QuantParamsTest, StorageRange) {
  EXPECT_EQ(storageRange(8, false), (std::pair<int64_t, int64_t>(-128, 127)));
  EXPECT_EQ(storageRange(8, true), (std::pair<int64_t, int64_t>(-127, 127)));
  EXPECT_EQ(storageRange(4, false), (std::pair<int64_t, int64_t>(-8, 7)));
  EXPECT_EQ(storageRange(2, true), (std::pair<int64_t, int64_t>(-1, 1)));
}

TEST(QuantParamsTest, KnownValues) {
  QuantParams unit = computeQuantParams({0, 255}, 8, false, false);
  EXPECT_EQ(unit.scale, 1.0);
  EXPECT_EQ(unit.zeroPoint, -128);
  EXPECT_EQ(unit.qmin, -128);
  EXPECT_EQ(unit.qmax, 127);

  QuantParams sym = computeQuantParams({-2.54, 1}, 8, true, true);
  EXPECT_EQ(sym.scale, double(0.02f));
  EXPECT_EQ(sym.zeroPoint, 0);
  EXPECT_EQ(sym.qmin, -127);

  // qmin - min / scale = x.5 exactly: ties go to even.
  EXPECT_EQ(computeQuantParams({-0.5, 254.5}, 8, false, false).zeroPoint, -128);
  EXPECT_EQ(computeQuantParams({-1.5, 253.5}, 8, false, false).zeroPoint, -126);
  EXPECT_EQ(computeQuantParams({-2.5, 252.5}, 8, false, false).zeroPoint, -126);

  // All negative: widened to include 0, which lands on qmax.
  QuantParams negative = computeQuantParams({-30, -10}, 4, false, false);
  EXPECT_EQ(negative.scale, 2.0);
  EXPECT_EQ(negative.zeroPoint, 7);
}

TEST(QuantParamsTest, DegenerateAndNonFinite) {
  for (bool symmetric : {false, true}) {
    QuantParams zero = computeQuantParams({0, 0}, 8, symmetric, false);
    EXPECT_EQ(zero.scale, 1.0);
    EXPECT_EQ(zero.zeroPoint, 0);

    QuantParams tiny = computeQuantParams({0, 1e-45}, 8, symmetric, false);
    EXPECT_EQ(tiny.scale, double(std::numeric_limits<float>::min()));

    const double inf = std::numeric_limits<double>::infinity();
    for (Range range : {Range{-inf, inf}, Range{std::nan(""), 3},
                        Range{1, -1}, Range{-kFloatMax, kFloatMax}}) {
      for (unsigned bits = 2; bits <= 8; ++bits) {
        QuantParams params = computeQuantParams(range, bits, symmetric, false);
        EXPECT_TRUE(std::isfinite(params.scale) && params.scale > 0);
        EXPECT_TRUE(std::isfinite(float(params.scale)));
        EXPECT_GE(params.zeroPoint, params.qmin);
        EXPECT_LE(params.zeroPoint, params.qmax);
      }
    }
  }
}

TEST(QuantParamsTest, MatchesReferenceOnRandomRanges) {
  std::mt19937_64 rng(20261122);
  int checked = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    auto [lo, hi] = randomRange(rng);
    for (unsigned bits = 2; bits <= 8; ++bits) {
      for (bool symmetric : {false, true}) {
        for (bool narrow : {false, true}) {
          QuantParams got = computeQuantParams({lo, hi}, bits, symmetric,
                                               narrow);
          QuantParams want = reference(lo, hi, bits, symmetric, narrow);
          SCOPED_TRACE(testing::Message()
                       << "range [" << lo << ", " << hi << "] bits " << bits
                       << " symmetric " << symmetric << " narrow " << narrow);
          ASSERT_EQ(got.scale, want.scale);
          ASSERT_EQ(got.zeroPoint, want.zeroPoint);
          ASSERT_EQ(got.qmin, want.qmin);
          ASSERT_EQ(got.qmax, want.qmax);
          ASSERT_TRUE(got.scale > 0 && std::isfinite(got.scale));
          ASSERT_EQ(double(float(got.scale)), got.scale);
          ASSERT_GE(got.zeroPoint, got.qmin);
          ASSERT_LE(got.zeroPoint, got.qmax);
          if (symmetric)
            ASSERT_EQ(got.zeroPoint, 0);
          // The grid covers the range up to half a step (plus the f32
          // rounding of the scale), and 0.0 is a grid point: zp.
          double s = got.scale;
          double slack = s / 2 + 1e-6 * std::max(std::fabs(lo), std::fabs(hi));
          double gridLo = s * double(got.qmin - got.zeroPoint);
          double gridHi = s * double(got.qmax - got.zeroPoint);
          ASSERT_LE(gridLo, std::min(lo, 0.0) + slack);
          ASSERT_GE(gridHi, std::max(hi, 0.0) - slack);
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 3000 * 7 * 4);
}

} // namespace
