//===- Numerics.h - shared quantization arithmetic --------------*- C++ -*-===//
//
// The one place that defines the bit-exact arithmetic of the qnt dialect:
// float -> int rounding and saturation, fixed-point requantization (TOSA
// apply_scale), and binary sign/packing. Folders, passes, kernels' scalar
// references and unit tests all call these.
//
//===----------------------------------------------------------------------===//

#ifndef QNT_UTILS_NUMERICS_H
#define QNT_UTILS_NUMERICS_H

#include "qnt/IR/QntDialect.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <optional>

namespace mlir::qnt {

/// Closed integer range of a storage type.
struct IntRange {
  int64_t min;
  int64_t max;
};

/// Range of a `bits`-wide integer; `narrow` drops the most negative value of
/// a signed range (symmetric i8<-127:127>).
IntRange storageRange(unsigned bits, bool isSigned, bool narrow = false);

/// Rounds to the nearest integer: ties to even (HalfEven) or away from zero
/// (HalfAway). The result saturates to the int64 range; NaN gives 0.
int64_t roundToInt(double x, RoundingMode mode);

/// q = clamp(round(x / scale) + zeroPoint, range). NaN gives the zero point
/// (clamped).
int64_t quantizeValue(double x, double scale, int64_t zeroPoint, IntRange range,
                      RoundingMode mode);

/// x = scale * (q - zeroPoint), in double.
double dequantizeValue(int64_t q, double scale, int64_t zeroPoint);

/// A TOSA 32-bit scale: value * multiplier >> shift.
struct ScaleMultiplier {
  int32_t multiplier;
  int32_t shift;
};

/// Multiplier in [2^30, 2^31) and shift in [2, 62] representing `scale`, as
/// tosa::computeMultiplierAndShift computes them (scaleWidth 32). Returns
/// nullopt for a non-positive, non-finite, or too large scale (shift < 2,
/// i.e. scale >= 2^29 - 2^-3). Below 2^-32 the shift would exceed 62; tosa
/// then keeps shift 62 and truncates the multiplier (m >> min(31, s - 62)),
/// so it drops below 2^30 and is 0 for scales below 2^-62.
std::optional<ScaleMultiplier> computeMultiplierAndShift(double scale);

/// TOSA apply_scale_32 in 64-bit arithmetic (no i32 saturation of the
/// result), exact for |value| < 2^32. Requires multiplier >= 0 and
/// 2 <= shift <= 62.
int64_t applyScale(int64_t value, int32_t multiplier, int32_t shift,
                   bool doubleRound);

/// The full qnt.requantize of one element.
int64_t requantizeValue(int64_t value, int32_t inputZp, ScaleMultiplier scale,
                        bool doubleRound, int32_t outputZp, IntRange clamp);

/// The binary bit of a value: 1 for -1 (x < 0), 0 for +1 (x >= 0, NaN).
inline uint32_t signBit(double x) { return x < 0 ? 1u : 0u; }

/// Number of 32-bit words holding `k` packed bits.
inline int64_t packedWords(int64_t k) { return (k + 31) / 32; }

/// Packs the sign bits of `values` (one row of length K) into
/// ceil(K/32) words, little-endian bit order, tail bits 0.
void packSignBits(llvm::ArrayRef<double> values,
                  llvm::MutableArrayRef<uint32_t> words);

/// Reads packed bit `k` of a row of words.
inline uint32_t packedBit(llvm::ArrayRef<uint32_t> words, int64_t k) {
  return (words[k / 32] >> (k % 32)) & 1u;
}

/// dot of two packed +-1 rows of true length k: k - 2 * popcount(a ^ b).
int64_t binaryDot(llvm::ArrayRef<uint32_t> a, llvm::ArrayRef<uint32_t> b,
                  int64_t k);

} // namespace mlir::qnt

#endif // QNT_UTILS_NUMERICS_H
