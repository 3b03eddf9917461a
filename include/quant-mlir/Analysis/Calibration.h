//===- Calibration.h - stats file, range selection, quant params -*- C++ -*-===//
//
// Post-training quantization in three steps, each usable alone:
//   1. CalibrationStats reads the version-1 stats file that
//      `quant-run --calibrate` writes (docs/calibration.md).
//   2. selectActivationRange / selectTensorRange choose a clipping range:
//      the observed min/max, a percentile, the range of least expected
//      squared quantization error (MSE), or TensorRT-style KL-divergence
//      (entropy) calibration. Activations use their histogram; weights use
//      their actual values, known at compile time.
//   3. computeQuantParams turns a range into a scale and zero point.
// "Range selection" in docs/calibration.md states the exact semantics.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTMLIR_ANALYSIS_CALIBRATION_H
#define QUANTMLIR_ANALYSIS_CALIBRATION_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir::qnt {

/// Equal-width bins over [min, max] (the finite values of a probe); see
/// docs/calibration.md for which bin a value falls in.
struct Histogram {
  double min = 0, max = 0;
  std::vector<uint64_t> counts;
};

/// One `activations.<id>` entry of the stats file.
struct ActivationStats {
  uint64_t count = 0, nanCount = 0;
  /// Over the non-NaN values; may be infinite; absent when there were none.
  std::optional<double> min, max;
  std::optional<Histogram> histogram;
};

/// One `weights.<id>` entry of the stats file.
struct WeightStats {
  std::string op, layout;
  int64_t axis = 0;
  std::vector<int64_t> shape;
  std::optional<double> min, max;
  /// Per output channel; a channel of NaNs only has no bounds.
  std::vector<std::optional<double>> channelMin, channelMax;
  uint64_t nanCount = 0;
};

struct CalibrationStats {
  llvm::StringMap<ActivationStats> activations;
  llvm::StringMap<WeightStats> weights;
  /// The module and entry that ran, and how many samples were used.
  std::string model, entry;
  uint64_t samples = 0;

  /// Parses a version-1 stats file; errors name the file and the offending
  /// field.
  static llvm::Expected<CalibrationStats> parse(llvm::StringRef json,
                                                llvm::StringRef fileName);
  static llvm::Expected<CalibrationStats> readFile(llvm::StringRef path);
};

enum class RangeMethod { MinMax, Percentile, MSE, Entropy };

/// "minmax", "percentile", "mse", "entropy"; std::nullopt otherwise.
std::optional<RangeMethod> parseRangeMethod(llvm::StringRef name);
llvm::StringRef stringifyRangeMethod(RangeMethod method);

struct RangeOptions {
  RangeMethod method = RangeMethod::MinMax;
  /// Percentile: the range from the (100 - p)-th to the p-th percentile.
  double percentile = 99.99;
  /// MSE and Entropy search against this quantization grid (Entropy uses
  /// min/max beyond 8 bits).
  unsigned bits = 8;
  bool symmetric = false;
  /// The grid MSE searches: narrow storage (qmin = -qmax), as
  /// computeQuantParams.
  bool narrowRange = false;
};

/// An error unless 2 <= bits <= 16 and 50 <= percentile <= 100.
llvm::Error checkRangeOptions(const RangeOptions &options);

struct Range {
  double min = 0, max = 0;
};

/// Activation range from its statistics (MSE/Entropy/Percentile need a
/// histogram: error otherwise). A probe that saw no finite value gives an
/// error; so does MinMax over an infinite bound without a histogram (with
/// one, the histogram's finite range is used).
llvm::Expected<Range> selectActivationRange(const ActivationStats &stats,
                                            const RangeOptions &options);

/// Weight range from the actual values (compile time). NaNs are ignored,
/// infinities are clipped away; no finite value gives [0, 0].
Range selectTensorRange(llvm::ArrayRef<float> values,
                        const RangeOptions &options);

/// Per-channel ranges of a row-major tensor of `shape`: channel c holds the
/// elements whose index along `axis` is c. (For HWCM depthwise weights pass
/// the shape [KH, KW, C * M] and axis 2.) Empty if shape/axis do not match
/// `values`.
std::vector<Range> selectChannelRanges(llvm::ArrayRef<float> values,
                                       llvm::ArrayRef<int64_t> shape,
                                       int64_t axis,
                                       const RangeOptions &options);

struct QuantParams {
  double scale = 1;
  int64_t zeroPoint = 0;
  int64_t qmin = 0, qmax = 0;
};

/// The storage interval of `bits`-bit signed integers: [-2^(b-1), 2^(b-1)-1],
/// or [-(2^(b-1)-1), 2^(b-1)-1] when `narrowRange`.
std::pair<int64_t, int64_t> storageRange(unsigned bits, bool narrowRange);

/// scale/zero point for a range, signed storage (storageRange).
///   symmetric: zero point 0, scale = max(|min|, |max|) / qmax.
///   asymmetric: the range is widened to include 0, scale =
///     (max - min) / (qmax - qmin), zero point = qmin - min / scale rounded
///     half to even and clamped to [qmin, qmax], so 0.0 is exact.
/// The scale is rounded to f32 first (what !quant.uniform stores) and the
/// zero point is computed from that rounded scale. A degenerate range
/// (max == min == 0) gives scale 1 and zero point 0; a positive scale below
/// the smallest normal f32 is raised to it, so the scale is never 0, NaN or
/// inf. NaN bounds count as 0 and infinite bounds as +-FLT_MAX. `bits` must
/// be in [2, 16] (clamped into it).
QuantParams computeQuantParams(Range range, unsigned bits, bool symmetric,
                               bool narrowRange);

} // namespace mlir::qnt

#endif // QUANTMLIR_ANALYSIS_CALIBRATION_H
