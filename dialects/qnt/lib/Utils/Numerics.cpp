//===- Numerics.cpp - shared quantization arithmetic ----------------------===//

#include "qnt/Utils/Numerics.h"

#include "mlir/Dialect/Tosa/Utils/QuantUtils.h"
#include "llvm/ADT/bit.h"

#include <cassert>
#include <cmath>
#include <limits>

namespace mlir::qnt {

IntRange storageRange(unsigned bits, bool isSigned, bool narrow) {
  assert(bits >= 1 && bits <= 63 && "unsupported storage width");
  if (!isSigned)
    return {0, (int64_t(1) << bits) - 1};
  int64_t max = (int64_t(1) << (bits - 1)) - 1;
  return {narrow ? -max : -max - 1, max};
}

int64_t roundToInt(double x, RoundingMode mode) {
  if (std::isnan(x))
    return 0;
  // 2^63 is the first double past the int64 range.
  constexpr double kLimit = 9223372036854775808.0;
  if (x >= kLimit)
    return std::numeric_limits<int64_t>::max();
  if (x < -kLimit)
    return std::numeric_limits<int64_t>::min();
  double floor = std::floor(x);
  if (floor == x) // integral, including every |x| >= 2^52
    return static_cast<int64_t>(x);
  // Compare with the midpoint (exact below 2^52) rather than computing
  // x - floor, which is inexact for x in (-0.5, 0): -0.49999999999999994
  // would look like a tie.
  double mid = floor + 0.5;
  double rounded;
  if (x > mid) {
    rounded = floor + 1;
  } else if (x < mid) {
    rounded = floor;
  } else if (mode == RoundingMode::HalfAway) {
    rounded = x < 0 ? floor : floor + 1;
  } else {
    rounded = std::fmod(floor, 2.0) == 0 ? floor : floor + 1;
  }
  if (rounded >= kLimit)
    return std::numeric_limits<int64_t>::max();
  return static_cast<int64_t>(rounded);
}

int64_t quantizeValue(double x, double scale, int64_t zeroPoint, IntRange range,
                      RoundingMode mode) {
  int64_t q = zeroPoint;
  if (!std::isnan(x)) {
    double scaled = x / scale;
    // Saturate before adding the zero point so the sum cannot overflow.
    if (scaled >= double(range.max - zeroPoint) + 1)
      return range.max;
    if (scaled <= double(range.min - zeroPoint) - 1)
      return range.min;
    q = roundToInt(scaled, mode) + zeroPoint;
  }
  return std::min(std::max(q, range.min), range.max);
}

double dequantizeValue(int64_t q, double scale, int64_t zeroPoint) {
  return scale * static_cast<double>(q - zeroPoint);
}

std::optional<ScaleMultiplier> computeMultiplierAndShift(double scale) {
  if (!(scale > 0) || !std::isfinite(scale))
    return std::nullopt;
  // tosa's helper asserts on shifts below 2 (scale >= 2^29); reject early.
  if (scale >= std::ldexp(1.0, 29))
    return std::nullopt;
  int32_t multiplier = 0, shift = 0;
  if (!tosa::computeMultiplierAndShift(scale, multiplier, shift,
                                       /*scaleWidth=*/32))
    return std::nullopt;
  if (shift < 2 || shift > 62 || multiplier < 0)
    return std::nullopt;
  return ScaleMultiplier{multiplier, shift};
}

int64_t applyScale(int64_t value, int32_t multiplier, int32_t shift,
                   bool doubleRound) {
  assert(multiplier >= 0 && shift >= 2 && shift <= 62 && "invalid scale");
  assert(value > -(int64_t(1) << 32) && value < (int64_t(1) << 32) &&
         "value out of range");
  int64_t round = int64_t(1) << (shift - 1);
  if (doubleRound && shift > 31)
    round += value >= 0 ? (int64_t(1) << 30) : -(int64_t(1) << 30);
  // |value| < 2^32 and multiplier < 2^31 keep the product within int64, but
  // adding `round` may not (value - input_zp reaches 2^32 - 1). Split the
  // product as q * 2^shift + r with 0 <= r < 2^shift and round r alone:
  // (q * 2^shift + r + round) >> shift == q + ((r + round) >> shift).
  int64_t product = value * int64_t(multiplier);
  int64_t quotient = product >> shift; // arithmetic shift: floor division
  int64_t remainder = product & ((int64_t(1) << shift) - 1);
  return quotient + ((remainder + round) >> shift);
}

int64_t requantizeValue(int64_t value, int32_t inputZp, ScaleMultiplier scale,
                        bool doubleRound, int32_t outputZp, IntRange clamp) {
  int64_t scaled = applyScale(value - inputZp, scale.multiplier, scale.shift,
                              doubleRound) +
                   outputZp;
  return std::min(std::max(scaled, clamp.min), clamp.max);
}

void packSignBits(llvm::ArrayRef<double> values,
                  llvm::MutableArrayRef<uint32_t> words) {
  assert(words.size() == size_t(packedWords(values.size())) &&
         "word count must be ceil(K / 32)");
  std::fill(words.begin(), words.end(), 0u);
  for (auto [k, v] : llvm::enumerate(values))
    words[k / 32] |= signBit(v) << (k % 32);
}

int64_t binaryDot(llvm::ArrayRef<uint32_t> a, llvm::ArrayRef<uint32_t> b,
                  int64_t k) {
  assert(a.size() == b.size() && int64_t(a.size()) == packedWords(k));
  int64_t mismatches = 0;
  for (auto [x, y] : llvm::zip_equal(a, b))
    mismatches += llvm::popcount(x ^ y);
  return k - 2 * mismatches;
}

} // namespace mlir::qnt
