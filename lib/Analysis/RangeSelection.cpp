//===- RangeSelection.cpp - clipping ranges and quantization params -------===//
//
// Chooses the range a tensor is quantized over, from a histogram
// (activations: quant-run's calibration statistics) or from the values
// themselves (weights: constants at compile time), and turns a range into a
// scale and zero point. The methods and the error models behind MSE and
// entropy calibration are described in docs/calibration.md, "Range
// selection".
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/Analysis/Calibration.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

using namespace mlir::qnt;

namespace {
/// Counts over `counts.size()` equal-width bins of [lo, hi]; the values of a
/// bin are taken to be spread uniformly over it. When lo == hi every value
/// is that one point.
struct Distribution {
  double lo = 0, hi = 0;
  std::vector<double> counts;

  size_t size() const { return counts.size(); }
  double width() const { return (hi - lo) / counts.size(); }
  bool isPoint() const { return !(lo < hi); }
};
} // namespace

/// Fine bins for weights, and for the folded histograms of entropy
/// calibration (TensorRT uses 2048 too).
static constexpr size_t kFineBins = 2048;

//===----------------------------------------------------------------------===//
// Quantization parameters
//===----------------------------------------------------------------------===//

static unsigned clampBits(unsigned bits) {
  return std::clamp(bits, 2u, 16u);
}

std::pair<int64_t, int64_t> mlir::qnt::storageRange(unsigned bits,
                                                    bool narrowRange) {
  int64_t qmax = (int64_t(1) << (clampBits(bits) - 1)) - 1;
  return {narrowRange ? -qmax : -qmax - 1, qmax};
}

/// Round half to even, independent of the floating-point environment.
static double roundHalfEven(double x) {
  double floor = std::floor(x);
  double diff = x - floor;
  if (diff < 0.5)
    return floor;
  if (diff > 0.5)
    return floor + 1;
  return std::fmod(floor, 2.0) == 0 ? floor : floor + 1;
}

/// NaN -> 0, +-inf -> +-FLT_MAX.
static double sanitizeBound(double value) {
  constexpr double largest = std::numeric_limits<float>::max();
  if (std::isnan(value))
    return 0;
  return std::clamp(value, -largest, largest);
}

QuantParams mlir::qnt::computeQuantParams(Range range, unsigned bits,
                                          bool symmetric, bool narrowRange) {
  QuantParams params;
  std::tie(params.qmin, params.qmax) = storageRange(bits, narrowRange);
  double lo = sanitizeBound(range.min), hi = sanitizeBound(range.max);
  if (lo > hi)
    std::swap(lo, hi);

  double scale;
  if (symmetric) {
    scale = std::max(std::abs(lo), std::abs(hi)) / params.qmax;
  } else {
    lo = std::min(lo, 0.0);
    hi = std::max(hi, 0.0);
    scale = (hi - lo) / double(params.qmax - params.qmin);
  }
  if (scale == 0) {
    params.scale = 1;
    params.zeroPoint = 0;
    return params;
  }
  // What !quant.uniform stores; the zero point must match that scale.
  float stored = static_cast<float>(scale);
  params.scale = std::max(stored, std::numeric_limits<float>::min());
  if (!symmetric) {
    double zeroPoint = roundHalfEven(double(params.qmin) - lo / params.scale);
    params.zeroPoint = static_cast<int64_t>(
        std::clamp(zeroPoint, double(params.qmin), double(params.qmax)));
  }
  return params;
}

//===----------------------------------------------------------------------===//
// Options
//===----------------------------------------------------------------------===//

std::optional<RangeMethod> mlir::qnt::parseRangeMethod(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<RangeMethod>>(name)
      .Case("minmax", RangeMethod::MinMax)
      .Case("percentile", RangeMethod::Percentile)
      .Case("mse", RangeMethod::MSE)
      .Case("entropy", RangeMethod::Entropy)
      .Default(std::nullopt);
}

llvm::StringRef mlir::qnt::stringifyRangeMethod(RangeMethod method) {
  switch (method) {
  case RangeMethod::MinMax:
    return "minmax";
  case RangeMethod::Percentile:
    return "percentile";
  case RangeMethod::MSE:
    return "mse";
  case RangeMethod::Entropy:
    return "entropy";
  }
  llvm_unreachable("unknown range method");
}

llvm::Error mlir::qnt::checkRangeOptions(const RangeOptions &options) {
  if (options.bits < 2 || options.bits > 16)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "bits must be in [2, 16], got " +
                                       llvm::Twine(options.bits));
  if (!(options.percentile >= 50 && options.percentile <= 100))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "percentile must be in [50, 100], got %g",
                                   options.percentile);
  return llvm::Error::success();
}

/// Invalid options made valid, for the entry points that cannot fail.
static RangeOptions clampOptions(RangeOptions options) {
  options.bits = clampBits(options.bits);
  options.percentile = std::isnan(options.percentile)
                           ? 100
                           : std::clamp(options.percentile, 50.0, 100.0);
  return options;
}

//===----------------------------------------------------------------------===//
// Percentile
//===----------------------------------------------------------------------===//

/// The value below which a fraction `q` of the mass lies, interpolating
/// linearly inside a bin.
static double quantile(const Distribution &dist, double q) {
  if (dist.isPoint())
    return dist.lo;
  double total = std::accumulate(dist.counts.begin(), dist.counts.end(), 0.0);
  double target = q * total;
  double cumulative = 0;
  for (auto [index, count] : llvm::enumerate(dist.counts)) {
    if (count > 0 && cumulative + count >= target) {
      double fraction = std::clamp((target - cumulative) / count, 0.0, 1.0);
      return dist.lo + (index + fraction) * dist.width();
    }
    cumulative += count;
  }
  return dist.hi;
}

static Range percentileRange(const Distribution &dist, double percentile) {
  return {quantile(dist, 1 - percentile / 100), quantile(dist, percentile / 100)};
}

/// NumPy's default (linear) percentile of sorted values.
static double sortedQuantile(llvm::ArrayRef<float> sorted, double q) {
  double position = q * (sorted.size() - 1);
  size_t below = static_cast<size_t>(std::floor(position));
  size_t above = std::min(below + 1, sorted.size() - 1);
  double fraction = position - below;
  return sorted[below] + fraction * (double(sorted[above]) - sorted[below]);
}

//===----------------------------------------------------------------------===//
// MSE
//===----------------------------------------------------------------------===//

namespace {
/// Expected squared error of quantizing a distribution to the grid of a
/// given scale, clipped to [a, b]: (x - a)^2 below a, (x - b)^2 above b,
/// and the rounding noise scale^2 / 12 inside. Values are spread uniformly
/// over their bin, and prefix sums make a whole range of bins O(1).
class SquaredErrorModel {
public:
  explicit SquaredErrorModel(const Distribution &dist)
      : dist(dist), width(dist.width()) {
    size_t bins = dist.size();
    count.assign(bins + 1, 0);
    first.assign(bins + 1, 0);
    second.assign(bins + 1, 0);
    // Coordinates relative to dist.lo keep the sums well conditioned.
    for (size_t i = 0; i < bins; ++i) {
      double n = dist.counts[i], center = (i + 0.5) * width;
      count[i + 1] = count[i] + n;
      first[i + 1] = first[i] + n * center;
      second[i + 1] = second[i] + n * center * center;
    }
  }

  double error(double a, double b, double scale) const {
    double low = a - dist.lo, high = b - dist.lo;
    double noise = scale * scale / 12, spread = width * width / 12;
    size_t last = dist.size() - 1;
    size_t lowBin = binOf(low), highBin = binOf(high);
    if (lowBin == highBin)
      return below(0, lowBin, low, spread) + binError(lowBin, low, high, noise) +
             above(highBin + 1, last + 1, high, spread);
    return below(0, lowBin, low, spread) + binError(lowBin, low, high, noise) +
           (count[highBin] - count[lowBin + 1]) * noise +
           binError(highBin, low, high, noise) +
           above(highBin + 1, last + 1, high, spread);
  }

private:
  size_t binOf(double offset) const {
    double bin = std::floor(offset / width);
    return static_cast<size_t>(
        std::clamp(bin, 0.0, static_cast<double>(dist.size() - 1)));
  }

  /// Bins [begin, end), all below the clip point `low`.
  double below(size_t begin, size_t end, double low, double spread) const {
    double n = count[end] - count[begin];
    double s1 = first[end] - first[begin], s2 = second[end] - second[begin];
    return low * low * n - 2 * low * s1 + s2 + spread * n;
  }

  /// Bins [begin, end), all above the clip point `high`.
  double above(size_t begin, size_t end, double high, double spread) const {
    double n = count[end] - count[begin];
    double s1 = first[end] - first[begin], s2 = second[end] - second[begin];
    return s2 - 2 * high * s1 + high * high * n + spread * n;
  }

  /// One bin, integrated exactly over its uniform density.
  double binError(size_t bin, double low, double high, double noise) const {
    double n = dist.counts[bin];
    if (n == 0)
      return 0;
    double l = bin * width, r = l + width;
    auto cube = [](double x) { return x * x * x; };
    double integral = 0;
    if (l < low)
      integral += (cube(low - l) - cube(low - std::min(r, low))) / 3;
    if (r > high)
      integral += (cube(r - high) - cube(std::max(l, high) - high)) / 3;
    integral += std::max(0.0, std::min(r, high) - std::max(l, low)) * noise;
    return n * integral / width;
  }

  const Distribution &dist;
  double width;
  /// Prefix sums over bins: count, count * center, count * center^2.
  std::vector<double> count, first, second;
};
} // namespace

/// The error of quantizing `dist` with the parameters of `candidate`.
static double candidateError(const SquaredErrorModel &model, Range candidate,
                             const RangeOptions &options) {
  QuantParams params = computeQuantParams(candidate, options.bits,
                                          options.symmetric,
                                          options.narrowRange);
  return model.error(params.scale * (params.qmin - params.zeroPoint),
                     params.scale * (params.qmax - params.zeroPoint),
                     params.scale);
}

static Range mseRange(const Distribution &dist, const RangeOptions &options) {
  if (dist.isPoint())
    return {dist.lo, dist.hi};
  SquaredErrorModel model(dist);
  constexpr int64_t steps = kFineBins;

  if (options.symmetric) {
    double amax = std::max(std::abs(dist.lo), std::abs(dist.hi));
    Range best{-amax, amax};
    double bestError = candidateError(model, best, options);
    for (int64_t k = 1; k < steps; ++k) {
      double threshold = amax * k / steps;
      Range candidate{-threshold, threshold};
      double error = candidateError(model, candidate, options);
      if (error < bestError) {
        bestError = error;
        best = candidate;
      }
    }
    return best;
  }

  // Asymmetric: the lower bound moves from lo towards 0 and the upper from
  // hi towards 0, over `steps` fractions each (a bound already on 0's side
  // stays: the grid holds 0 anyway). A coarse 2-D grid, then a fine one
  // around its best point.
  bool moveLow = dist.lo < 0, moveHigh = dist.hi > 0;
  auto lowAt = [&](int64_t j) {
    return moveLow ? dist.lo * (1 - double(j) / steps) : dist.lo;
  };
  auto highAt = [&](int64_t k) {
    return moveHigh ? dist.hi * (double(k) / steps) : dist.hi;
  };
  // Both bounds on 0 is no range; lowAt(steps) and highAt(0) are 0.
  auto valid = [&](int64_t j, int64_t k) {
    return !(moveLow && j == steps && (!moveHigh || k == 0)) &&
           !(moveHigh && k == 0 && !moveLow);
  };
  int64_t bestJ = 0, bestK = steps;
  double bestError =
      candidateError(model, {lowAt(bestJ), highAt(bestK)}, options);
  auto search = [&](int64_t jBegin, int64_t jEnd, int64_t kBegin,
                    int64_t kEnd, int64_t stride) {
    for (int64_t j = jBegin; j <= jEnd; j += stride) {
      for (int64_t k = kBegin; k <= kEnd; k += stride) {
        if (!valid(j, k))
          continue;
        double error = candidateError(model, {lowAt(j), highAt(k)}, options);
        if (error < bestError) {
          bestError = error;
          bestJ = j;
          bestK = k;
        }
      }
    }
  };
  constexpr int64_t coarse = 16;
  search(0, moveLow ? steps : 0, moveHigh ? 0 : steps, steps, coarse);
  int64_t centerJ = bestJ, centerK = bestK;
  search(moveLow ? std::max<int64_t>(0, centerJ - coarse) : 0,
         moveLow ? std::min(steps, centerJ + coarse) : 0,
         moveHigh ? std::max<int64_t>(0, centerK - coarse) : steps,
         moveHigh ? std::min(steps, centerK + coarse) : steps, 1);
  return {lowAt(bestJ), highAt(bestK)};
}

//===----------------------------------------------------------------------===//
// Entropy (KL divergence)
//===----------------------------------------------------------------------===//

/// Adds `mass`, spread uniformly over [l, r] (a point when l == r), to the
/// bins of `target` (equal width `width` from `targetLo`); mass outside the
/// bins goes to the end bins.
static void spread(std::vector<double> &target, double targetLo, double width,
                   double l, double r, double mass) {
  int64_t last = target.size() - 1;
  auto binOf = [&](double x) {
    return static_cast<int64_t>(std::clamp(
        std::floor((x - targetLo) / width), 0.0, static_cast<double>(last)));
  };
  if (!(l < r)) {
    target[binOf(l)] += mass;
    return;
  }
  int64_t begin = binOf(l), end = binOf(r);
  for (int64_t bin = begin; bin <= end; ++bin) {
    double binLo = bin == 0 ? -std::numeric_limits<double>::infinity()
                            : targetLo + bin * width;
    double binHi = bin == last ? std::numeric_limits<double>::infinity()
                               : targetLo + (bin + 1) * width;
    double overlap = std::min(r, binHi) - std::max(l, binLo);
    if (overlap > 0)
      target[bin] += mass * overlap / (r - l);
  }
}

/// The values of `dist` with the given signs, as |x|, rebinned to kFineBins
/// bins over [0, their largest |x|].
static Distribution foldAbsolute(const Distribution &dist, bool negative,
                                 bool positive) {
  Distribution folded;
  folded.lo = 0;
  folded.hi = std::max(negative ? -std::min(dist.lo, 0.0) : 0.0,
                       positive ? std::max(dist.hi, 0.0) : 0.0);
  folded.counts.assign(kFineBins, 0);
  double width = folded.hi / kFineBins;
  double sourceWidth = dist.width();
  for (auto [index, count] : llvm::enumerate(dist.counts)) {
    if (count == 0)
      continue;
    double l = dist.lo + index * sourceWidth, r = l + sourceWidth;
    // The part of the bin below 0, mirrored, and the part above it.
    if (negative && l < 0)
      spread(folded.counts, 0, width, -std::min(r, 0.0), -l,
             count * (std::min(r, 0.0) - l) / (r - l));
    if (positive && r > 0)
      spread(folded.counts, 0, width, std::max(l, 0.0), r,
             count * (r - std::max(l, 0.0)) / (r - l));
  }
  return folded;
}

namespace {
/// TensorRT's calibration objective: KL(P || Q), where P is the histogram
/// clipped to the bins [begin, end) with the clipped mass added to its end
/// bins, and Q is the clipped histogram merged into `levels` groups of
/// bins, each group's mass spread over its bins where P is not zero.
/// The groups are of equal width (boundaries at level * n / levels), as in
/// NVIDIA's pytorch-quantization, rather than n / levels bins each plus the
/// remainder in the last group (MXNet): that remainder lets one level span
/// hundreds of bins, and a threshold then wins by making it swallow a tail.
class KLObjective {
public:
  KLObjective(const std::vector<double> &counts, unsigned levels)
      : counts(counts), levels(levels), prefix(counts.size() + 1, 0) {
    for (size_t i = 0; i < counts.size(); ++i)
      prefix[i + 1] = prefix[i] + counts[i];
    p.resize(counts.size());
    q.resize(counts.size());
  }

  /// +inf when [begin, end) has fewer than `levels` bins or Q has no mass.
  double divergence(size_t begin, size_t end) {
    size_t n = end - begin;
    if (end <= begin || n < levels)
      return std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < n; ++i)
      p[i] = counts[begin + i];
    p[0] += prefix[begin];
    p[n - 1] += prefix.back() - prefix[end];

    for (size_t level = 0; level < levels; ++level) {
      size_t groupBegin = level * n / levels;
      size_t groupEnd = (level + 1) * n / levels;
      double mass = prefix[begin + groupEnd] - prefix[begin + groupBegin];
      size_t nonZero = 0;
      for (size_t i = groupBegin; i < groupEnd; ++i)
        nonZero += p[i] > 0;
      for (size_t i = groupBegin; i < groupEnd; ++i)
        q[i] = p[i] > 0 && nonZero ? mass / nonZero : 0;
    }

    double pTotal = prefix.back();
    double qTotal = prefix[end] - prefix[begin];
    if (!(pTotal > 0) || !(qTotal > 0))
      return std::numeric_limits<double>::infinity();
    // Q is 0 where P is not only when a group has no mass but an end bin
    // got clipped mass: 1e-4 of a count stands in, as TensorRT's smoothing.
    constexpr double smoothing = 1e-4;
    double kl = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!(p[i] > 0))
        continue;
      double pi = p[i] / pTotal, qi = std::max(q[i], smoothing) / qTotal;
      kl += pi * std::log(pi / qi);
    }
    return kl;
  }

private:
  const std::vector<double> &counts;
  unsigned levels;
  std::vector<double> prefix, p, q;
};
} // namespace

/// TensorRT's threshold search on a distribution of |x| over [0, max]: the
/// end of the kept bins [0, end), end >= levels, of least KL divergence.
static double entropyThreshold(Distribution folded, unsigned levels) {
  if (!(folded.hi > 0))
    return 0;
  // The zeros of a ReLU pile up in bin 0; kept, they dominate the divergence
  // and the search shrinks the range until that bin is a level of its own.
  // NVIDIA's pytorch-quantization counts it as its neighbour, so do we.
  folded.counts[0] = folded.counts[1];
  KLObjective objective(folded.counts, levels);
  size_t bestEnd = kFineBins;
  double bestKL = objective.divergence(0, kFineBins);
  for (size_t end = levels; end < kFineBins; ++end) {
    double kl = objective.divergence(0, end);
    if (kl < bestKL) {
      bestKL = kl;
      bestEnd = end;
    }
  }
  return bestEnd * folded.width();
}

static Range entropyRange(const Distribution &dist,
                          const RangeOptions &options) {
  // Beyond 8 bits 2048 bins cannot resolve the levels, and clipping barely
  // matters.
  if (dist.isPoint() || options.bits > 8)
    return {dist.lo, dist.hi};
  unsigned half = 1u << (options.bits - 1);
  if (options.symmetric) {
    double threshold = entropyThreshold(foldAbsolute(dist, true, true), half);
    return {-threshold, threshold};
  }
  // Asymmetric: each sign on its own, with the levels it gets: all of them
  // when the values have one sign, half each otherwise. (A joint search of
  // both bounds lets a bound settle on a lone outlier, whose bin makes the
  // clipped mass look likely.)
  if (dist.lo >= 0)
    return {0, entropyThreshold(foldAbsolute(dist, false, true), 2 * half)};
  if (dist.hi <= 0)
    return {-entropyThreshold(foldAbsolute(dist, true, false), 2 * half), 0};
  return {-entropyThreshold(foldAbsolute(dist, true, false), half),
          entropyThreshold(foldAbsolute(dist, false, true), half)};
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

static Range selectFromDistribution(const Distribution &dist,
                                    const RangeOptions &options) {
  switch (options.method) {
  case RangeMethod::MinMax:
    return {dist.lo, dist.hi};
  case RangeMethod::Percentile:
    return percentileRange(dist, options.percentile);
  case RangeMethod::MSE:
    return mseRange(dist, options);
  case RangeMethod::Entropy:
    return entropyRange(dist, options);
  }
  llvm_unreachable("unknown range method");
}

llvm::Expected<Range>
mlir::qnt::selectActivationRange(const ActivationStats &stats,
                                 const RangeOptions &options) {
  if (llvm::Error error = checkRangeOptions(options))
    return std::move(error);
  auto fail = [](const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
  };
  if (!stats.min || !stats.max)
    return fail("no value was observed (count " + llvm::Twine(stats.count) +
                ", nan_count " + llvm::Twine(stats.nanCount) + ")");
  if (options.method == RangeMethod::MinMax && std::isfinite(*stats.min) &&
      std::isfinite(*stats.max))
    return Range{*stats.min, *stats.max};
  if (!stats.histogram) {
    if (options.method == RangeMethod::MinMax)
      return fail("an infinite value was observed and there is no histogram "
                  "to give the finite range");
    return fail("range method '" + stringifyRangeMethod(options.method) +
                "' needs a histogram (calibrate with "
                "--calibrate-kind=histogram)");
  }
  const Histogram &histogram = *stats.histogram;
  if (histogram.counts.empty() || !std::isfinite(histogram.min) ||
      !std::isfinite(histogram.max) || histogram.min > histogram.max)
    return fail("malformed histogram");
  Distribution dist{histogram.min, histogram.max,
                    std::vector<double>(histogram.counts.begin(),
                                        histogram.counts.end())};
  return selectFromDistribution(dist, options);
}

Range mlir::qnt::selectTensorRange(llvm::ArrayRef<float> values,
                                   const RangeOptions &rawOptions) {
  RangeOptions options = clampOptions(rawOptions);
  std::vector<float> finite;
  finite.reserve(values.size());
  for (float value : values)
    if (std::isfinite(value))
      finite.push_back(value);
  if (finite.empty())
    return {0, 0};
  auto [minIt, maxIt] = std::minmax_element(finite.begin(), finite.end());
  double lo = *minIt, hi = *maxIt;
  switch (options.method) {
  case RangeMethod::MinMax:
    return {lo, hi};
  case RangeMethod::Percentile: {
    llvm::sort(finite);
    return {sortedQuantile(finite, 1 - options.percentile / 100),
            sortedQuantile(finite, options.percentile / 100)};
  }
  case RangeMethod::MSE:
  case RangeMethod::Entropy:
    break;
  }
  // The binning of quant-run's histograms (docs/calibration.md).
  Distribution dist{lo, hi, std::vector<double>(kFineBins, 0)};
  for (float value : finite) {
    double bin = lo < hi ? std::floor((value - lo) * kFineBins / (hi - lo))
                         : 0.0;
    dist.counts[static_cast<size_t>(
        std::clamp(bin, 0.0, double(kFineBins - 1)))] += 1;
  }
  return selectFromDistribution(dist, options);
}

std::vector<Range> mlir::qnt::selectChannelRanges(
    llvm::ArrayRef<float> values, llvm::ArrayRef<int64_t> shape, int64_t axis,
    const RangeOptions &options) {
  if (axis < 0 || axis >= static_cast<int64_t>(shape.size()) ||
      llvm::any_of(shape, [](int64_t dim) { return dim < 0; }))
    return {};
  int64_t elements = 1;
  for (int64_t dim : shape)
    elements *= dim;
  if (elements != static_cast<int64_t>(values.size()))
    return {};
  int64_t channels = shape[axis];
  int64_t inner = 1;
  for (int64_t dim : shape.drop_front(axis + 1))
    inner *= dim;
  std::vector<std::vector<float>> perChannel(channels);
  for (auto [index, value] : llvm::enumerate(values))
    perChannel[(index / inner) % channels].push_back(value);
  std::vector<Range> ranges;
  ranges.reserve(channels);
  for (const std::vector<float> &channel : perChannel)
    ranges.push_back(selectTensorRange(channel, options));
  return ranges;
}
