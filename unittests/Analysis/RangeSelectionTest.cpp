//===- RangeSelectionTest.cpp - clipping ranges on known distributions ----===//
//
// Each method on synthetic data with a known answer, and MSE checked
// against the quantization error actually measured on the samples.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/Analysis/Calibration.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <random>

using namespace mlir::qnt;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
const float kNaN = std::nanf("");

/// What quant-run records for `values` (docs/calibration.md), with `bins`
/// histogram bins.
ActivationStats statsOf(const std::vector<float> &values, int64_t bins) {
  ActivationStats stats;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  double finiteLo = lo, finiteHi = hi;
  for (float value : values) {
    ++stats.count;
    if (std::isnan(value)) {
      ++stats.nanCount;
      continue;
    }
    lo = std::min<double>(lo, value);
    hi = std::max<double>(hi, value);
    if (std::isfinite(value)) {
      finiteLo = std::min<double>(finiteLo, value);
      finiteHi = std::max<double>(finiteHi, value);
    }
  }
  if (stats.count == stats.nanCount)
    return stats;
  stats.min = lo;
  stats.max = hi;
  Histogram histogram;
  histogram.min = finiteLo <= finiteHi ? finiteLo : 0;
  histogram.max = finiteLo <= finiteHi ? finiteHi : 0;
  histogram.counts.assign(bins, 0);
  for (float value : values) {
    if (std::isnan(value))
      continue;
    int64_t bin;
    if (value <= histogram.min)
      bin = 0;
    else if (value >= histogram.max)
      bin = bins - 1;
    else
      bin = std::min<int64_t>(
          bins - 1, static_cast<int64_t>(std::floor(
                        (double(value) - histogram.min) * bins /
                        (histogram.max - histogram.min))));
    ++histogram.counts[bin];
  }
  stats.histogram = std::move(histogram);
  return stats;
}

/// Sum of squared errors of quantizing and dequantizing `values` with the
/// parameters of `range` (round half to even, saturate).
double quantizationError(const std::vector<float> &values, Range range,
                         unsigned bits, bool symmetric) {
  QuantParams params = computeQuantParams(range, bits, symmetric, false);
  double error = 0;
  for (float value : values) {
    double q = std::nearbyint(value / params.scale) + params.zeroPoint;
    q = std::min<double>(std::max<double>(q, params.qmin), params.qmax);
    double back = (q - params.zeroPoint) * params.scale;
    error += (back - value) * (back - value);
  }
  return error;
}

std::vector<float> gaussian(size_t n, uint64_t seed, double sigma = 1) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0, sigma);
  std::vector<float> values(n);
  for (float &value : values)
    value = normal(rng);
  return values;
}

std::vector<float> uniform(size_t n, uint64_t seed, float lo, float hi) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> values(n);
  for (float &value : values)
    value = dist(rng);
  return values;
}

/// N(0, 1) and a few far outliers on both sides: min -30, max 40.
std::vector<float> gaussianWithOutliers(size_t n, uint64_t seed) {
  std::vector<float> values = gaussian(n, seed);
  for (int i = 0; i < 10; ++i) {
    values.push_back(40.0f - i);
    values.push_back(-30.0f + i);
  }
  return values;
}

/// Laplace(0, 1): heavier tails than a Gaussian.
std::vector<float> laplace(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<float> exponential(1);
  std::bernoulli_distribution sign(0.5);
  std::vector<float> values(n);
  for (float &value : values)
    value = sign(rng) ? exponential(rng) : -exponential(rng);
  return values;
}

/// ReLU of N(0, 1) plus a few outliers: one-sided, a spike at 0.
std::vector<float> reluWithOutliers(size_t n, uint64_t seed) {
  std::vector<float> values = gaussian(n, seed);
  for (float &value : values)
    value = std::max(value, 0.0f);
  for (int i = 0; i < 5; ++i)
    values.push_back(50.0f - i);
  return values;
}

RangeOptions optionsFor(RangeMethod method, bool symmetric = false,
                        unsigned bits = 8) {
  RangeOptions options;
  options.method = method;
  options.symmetric = symmetric;
  options.bits = bits;
  return options;
}

Range activationRange(const ActivationStats &stats,
                      const RangeOptions &options) {
  llvm::Expected<Range> range = selectActivationRange(stats, options);
  EXPECT_TRUE(static_cast<bool>(range)) << llvm::toString(range.takeError());
  return range ? *range : Range{};
}

std::string activationError(const ActivationStats &stats,
                            const RangeOptions &options) {
  llvm::Expected<Range> range = selectActivationRange(stats, options);
  if (range)
    return "<no error>";
  return llvm::toString(range.takeError());
}

const RangeMethod kMethods[] = {RangeMethod::MinMax, RangeMethod::Percentile,
                                RangeMethod::MSE, RangeMethod::Entropy};

TEST(RangeSelectionTest, MethodNames) {
  for (RangeMethod method : kMethods)
    EXPECT_EQ(parseRangeMethod(stringifyRangeMethod(method)), method);
  EXPECT_EQ(parseRangeMethod("kl"), std::nullopt);
  EXPECT_EQ(parseRangeMethod("MinMax"), std::nullopt);
}

TEST(RangeSelectionTest, CheckOptions) {
  EXPECT_FALSE(static_cast<bool>(checkRangeOptions(RangeOptions())));
  RangeOptions options;
  options.bits = 1;
  EXPECT_EQ(llvm::toString(checkRangeOptions(options)),
            "bits must be in [2, 16], got 1");
  options.bits = 8;
  options.percentile = 49;
  EXPECT_EQ(llvm::toString(checkRangeOptions(options)),
            "percentile must be in [50, 100], got 49");
  options.method = RangeMethod::Percentile;
  EXPECT_EQ(activationError(statsOf({1, 2}, 4), options),
            "percentile must be in [50, 100], got 49");
}

TEST(RangeSelectionTest, MinMaxAndErrors) {
  ActivationStats stats = statsOf({-1.5f, 2, 0.25f, kNaN}, 8);
  Range range = activationRange(stats, optionsFor(RangeMethod::MinMax));
  EXPECT_EQ(range.min, -1.5);
  EXPECT_EQ(range.max, 2.0);

  // An infinity: the histogram's finite range, or an error without one.
  ActivationStats wild = statsOf({-1, 3, kInf}, 8);
  range = activationRange(wild, optionsFor(RangeMethod::MinMax));
  EXPECT_EQ(range.min, -1.0);
  EXPECT_EQ(range.max, 3.0);
  wild.histogram.reset();
  EXPECT_EQ(activationError(wild, optionsFor(RangeMethod::MinMax)),
            "an infinite value was observed and there is no histogram to "
            "give the finite range");

  ActivationStats minmaxOnly = stats;
  minmaxOnly.histogram.reset();
  for (RangeMethod method :
       {RangeMethod::Percentile, RangeMethod::MSE, RangeMethod::Entropy})
    EXPECT_EQ(activationError(minmaxOnly, optionsFor(method)),
              "range method '" + stringifyRangeMethod(method).str() +
                  "' needs a histogram (calibrate with "
                  "--calibrate-kind=histogram)");

  for (RangeMethod method : kMethods) {
    EXPECT_EQ(activationError(statsOf({}, 8), optionsFor(method)),
              "no value was observed (count 0, nan_count 0)");
    EXPECT_EQ(activationError(statsOf({kNaN}, 8), optionsFor(method)),
              "no value was observed (count 1, nan_count 1)");
  }
}

TEST(RangeSelectionTest, PercentileInterpolatesInsideBins) {
  // 10 values in each of 10 bins over [0, 10].
  ActivationStats stats;
  stats.count = 100;
  stats.min = 0;
  stats.max = 10;
  stats.histogram = Histogram{0, 10, std::vector<uint64_t>(10, 10)};
  RangeOptions options = optionsFor(RangeMethod::Percentile);
  for (auto [percentile, lo, hi] :
       {std::tuple{90.0, 1.0, 9.0}, {95.0, 0.5, 9.5}, {100.0, 0.0, 10.0},
        {50.0, 5.0, 5.0}}) {
    options.percentile = percentile;
    Range range = activationRange(stats, options);
    EXPECT_NEAR(range.min, lo, 1e-12) << percentile;
    EXPECT_NEAR(range.max, hi, 1e-12) << percentile;
  }
}

TEST(RangeSelectionTest, PercentileOfWeightsIsNumPys) {
  std::vector<float> values;
  for (int i = 100; i >= 0; --i)
    values.push_back(i);
  RangeOptions options = optionsFor(RangeMethod::Percentile);
  options.percentile = 90;
  Range range = selectTensorRange(values, options);
  EXPECT_DOUBLE_EQ(range.min, 10);
  EXPECT_DOUBLE_EQ(range.max, 90);
  options.percentile = 99.5;
  range = selectTensorRange(values, options);
  EXPECT_NEAR(range.min, 0.5, 1e-9);
  EXPECT_NEAR(range.max, 99.5, 1e-9);
}

TEST(RangeSelectionTest, UniformKeepsNearlyItsRange) {
  std::vector<float> values = uniform(200000, 1, -1, 3);
  ActivationStats stats = statsOf(values, 2048);
  for (bool symmetric : {false, true}) {
    for (RangeMethod method : kMethods) {
      SCOPED_TRACE(stringifyRangeMethod(method).str() +
                   (symmetric ? " symmetric" : " asymmetric"));
      Range range = activationRange(stats, optionsFor(method, symmetric));
      double amax = std::max(std::abs(range.min), std::abs(range.max));
      EXPECT_NEAR(amax, 3.0, 0.06);
      if (!symmetric)
        EXPECT_NEAR(range.min, -1.0, 0.06);
    }
  }
}

/// N(0, 1) with 0.01% outliers at 21..40 sigma. Percentile and entropy
/// clip them, which buys resolution where the data is; so does MSE at 4
/// bits. (At 8 bits MSE rightly keeps part of them: their clipping error
/// outweighs the rounding noise they cost.)
TEST(RangeSelectionTest, OutliersAreClipped) {
  std::vector<float> values = gaussianWithOutliers(200000, 2);
  std::vector<float> bulk(values.begin(), values.begin() + 200000);
  ActivationStats stats = statsOf(values, 2048);
  Range minmax = activationRange(stats, optionsFor(RangeMethod::MinMax));
  EXPECT_EQ(minmax.min, -30.0);
  EXPECT_EQ(minmax.max, 40.0);
  auto expectClipped = [](Range range) {
    EXPECT_GT(range.max, 2.0);
    EXPECT_LT(range.max, 8.0);
    EXPECT_LT(range.min, -2.0);
    EXPECT_GT(range.min, -8.0);
  };
  for (bool symmetric : {false, true}) {
    for (RangeMethod method : {RangeMethod::Percentile, RangeMethod::Entropy}) {
      SCOPED_TRACE(stringifyRangeMethod(method).str() +
                   (symmetric ? " symmetric" : " asymmetric"));
      Range range = activationRange(stats, optionsFor(method, symmetric));
      expectClipped(range);
      EXPECT_LT(quantizationError(bulk, range, 8, symmetric),
                0.1 * quantizationError(bulk, minmax, 8, symmetric));
    }
    SCOPED_TRACE(symmetric ? "mse symmetric" : "mse asymmetric");
    Range range =
        activationRange(stats, optionsFor(RangeMethod::MSE, symmetric, 4));
    expectClipped(range);
    EXPECT_LT(quantizationError(values, range, 4, symmetric),
              0.2 * quantizationError(values, minmax, 4, symmetric));
    range = activationRange(stats, optionsFor(RangeMethod::MSE, symmetric, 8));
    EXPECT_LT(quantizationError(values, range, 8, symmetric),
              quantizationError(values, minmax, 8, symmetric));
  }

  // The same from the weight path (values at compile time).
  values = gaussianWithOutliers(200000, 3);
  for (auto [method, bits] : {std::pair{RangeMethod::Percentile, 8u},
                              {RangeMethod::Entropy, 8u},
                              {RangeMethod::MSE, 4u}}) {
    SCOPED_TRACE(stringifyRangeMethod(method).str() + " weights");
    expectClipped(selectTensorRange(values, optionsFor(method, false, bits)));
  }
}

TEST(RangeSelectionTest, OneSidedActivationKeepsZero) {
  std::vector<float> values = reluWithOutliers(100000, 4);
  ActivationStats stats = statsOf(values, 2048);
  for (auto [method, bits] :
       {std::pair{RangeMethod::MSE, 4u}, {RangeMethod::Entropy, 8u}}) {
    SCOPED_TRACE(stringifyRangeMethod(method).str());
    Range range = activationRange(stats, optionsFor(method, false, bits));
    EXPECT_EQ(range.min, 0.0);
    EXPECT_GT(range.max, 2.0);
    EXPECT_LT(range.max, 8.0);
  }
  // All negative: the mirror image.
  for (float &value : values)
    value = -value;
  stats = statsOf(values, 2048);
  for (auto [method, bits] :
       {std::pair{RangeMethod::MSE, 4u}, {RangeMethod::Entropy, 8u}}) {
    SCOPED_TRACE(stringifyRangeMethod(method).str());
    Range range = activationRange(stats, optionsFor(method, false, bits));
    EXPECT_EQ(range.max, 0.0);
    EXPECT_LT(range.min, -2.0);
    EXPECT_GT(range.min, -8.0);
  }
}

/// A ReLU output is mostly exact zeros. They must not drive entropy
/// calibration: kept in the divergence, they make it shrink the range until
/// their bin is a level of its own, far inside the data.
TEST(RangeSelectionTest, EntropyIgnoresReluZeros) {
  std::mt19937_64 rng(12);
  std::exponential_distribution<float> exponential(1);
  std::vector<float> values(200000, 0.0f);
  for (size_t i = 0; i < values.size(); i += 5)
    values[i] = exponential(rng);
  ActivationStats stats = statsOf(values, 2048);
  RangeOptions percentile = optionsFor(RangeMethod::Percentile);
  percentile.percentile = 99.9;
  Range reference = activationRange(stats, percentile);
  for (bool symmetric : {false, true}) {
    Range range =
        activationRange(stats, optionsFor(RangeMethod::Entropy, symmetric));
    EXPECT_GT(range.max, 0.5 * reference.max) << symmetric;
    EXPECT_LE(range.max, *stats.max) << symmetric;
  }
}

/// MSE's range, measured on the samples, is never worse than min/max.
TEST(RangeSelectionTest, MseNoWorseThanMinMax) {
  std::vector<std::vector<float>> cases = {
      gaussianWithOutliers(50000, 5), uniform(50000, 6, -1, 3),
      laplace(50000, 7), reluWithOutliers(50000, 8), gaussian(50000, 9, 3)};
  for (auto [index, values] : llvm::enumerate(cases)) {
    ActivationStats stats = statsOf(values, 2048);
    for (unsigned bits : {3u, 4u, 8u}) {
      for (bool symmetric : {false, true}) {
        SCOPED_TRACE(testing::Message() << "case " << index << " bits " << bits
                                        << " symmetric " << symmetric);
        Range minmax =
            activationRange(stats, optionsFor(RangeMethod::MinMax, symmetric));
        Range mse = activationRange(
            stats, optionsFor(RangeMethod::MSE, symmetric, bits));
        EXPECT_LE(quantizationError(values, mse, bits, symmetric),
                  1.01 * quantizationError(values, minmax, bits, symmetric));
      }
    }
  }
}

/// MSE against a brute-force search of the measured error over a grid of
/// ranges: within a few percent of the best of them.
TEST(RangeSelectionTest, MseNearBruteForceOptimum) {
  for (auto [index, values] :
       llvm::enumerate(std::vector<std::vector<float>>{
           laplace(20000, 10), gaussianWithOutliers(20000, 11)})) {
    ActivationStats stats = statsOf(values, 2048);
    for (unsigned bits : {4u, 8u}) {
      SCOPED_TRACE(testing::Message() << "case " << index << " bits " << bits);
      double lo = *stats.min, hi = *stats.max;

      Range mse =
          activationRange(stats, optionsFor(RangeMethod::MSE, true, bits));
      double best = std::numeric_limits<double>::infinity();
      double amax = std::max(-lo, hi);
      for (int k = 1; k <= 200; ++k) {
        double threshold = amax * k / 200;
        best = std::min(best, quantizationError(values, {-threshold, threshold},
                                                bits, true));
      }
      EXPECT_LE(quantizationError(values, mse, bits, true), 1.05 * best);

      mse = activationRange(stats, optionsFor(RangeMethod::MSE, false, bits));
      best = std::numeric_limits<double>::infinity();
      for (int j = 0; j < 40; ++j)
        for (int k = 1; k <= 40; ++k)
          best = std::min(best,
                          quantizationError(values,
                                            {lo * (1 - j / 40.0), hi * k / 40.0},
                                            bits, false));
      EXPECT_LE(quantizationError(values, mse, bits, false), 1.05 * best);
    }
  }
}

TEST(RangeSelectionTest, SingleValue) {
  std::vector<float> values(10, 2.5f);
  for (RangeMethod method : kMethods) {
    for (bool symmetric : {false, true}) {
      Range range =
          activationRange(statsOf(values, 16), optionsFor(method, symmetric));
      EXPECT_EQ(range.min, 2.5);
      EXPECT_EQ(range.max, 2.5);
      range = selectTensorRange(values, optionsFor(method, symmetric));
      EXPECT_EQ(range.min, 2.5);
      EXPECT_EQ(range.max, 2.5);
    }
  }
}

TEST(RangeSelectionTest, TensorRangeSkipsNonFinite) {
  Range range = selectTensorRange({kNaN, -2, kInf, 5, -kInf},
                                  optionsFor(RangeMethod::MinMax));
  EXPECT_EQ(range.min, -2.0);
  EXPECT_EQ(range.max, 5.0);
  for (RangeMethod method : kMethods) {
    range = selectTensorRange({kNaN, kInf}, optionsFor(method));
    EXPECT_EQ(range.min, 0.0);
    EXPECT_EQ(range.max, 0.0);
    range = selectTensorRange({}, optionsFor(method));
    EXPECT_EQ(range.min, 0.0);
    EXPECT_EQ(range.max, 0.0);
  }
}

TEST(RangeSelectionTest, ChannelRanges) {
  // [2, 3]: rows are channels along axis 0, columns along axis 1.
  std::vector<float> values = {1, -2, 3, 4, 5, -6};
  RangeOptions options = optionsFor(RangeMethod::MinMax);
  std::vector<Range> rows = selectChannelRanges(values, {2, 3}, 0, options);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].min, -2.0);
  EXPECT_EQ(rows[0].max, 3.0);
  EXPECT_EQ(rows[1].min, -6.0);
  EXPECT_EQ(rows[1].max, 5.0);
  std::vector<Range> columns = selectChannelRanges(values, {2, 3}, 1, options);
  ASSERT_EQ(columns.size(), 3u);
  EXPECT_EQ(columns[0].min, 1.0);
  EXPECT_EQ(columns[0].max, 4.0);
  EXPECT_EQ(columns[2].min, -6.0);
  EXPECT_EQ(columns[2].max, 3.0);
  // HWCM depthwise weights [1, 1, 2, 3] as [1, 1, 6]: six output channels.
  std::vector<Range> depthwise =
      selectChannelRanges(values, {1, 1, 6}, 2, options);
  ASSERT_EQ(depthwise.size(), 6u);
  EXPECT_EQ(depthwise[5].min, -6.0);

  EXPECT_TRUE(selectChannelRanges(values, {2, 2}, 0, options).empty());
  EXPECT_TRUE(selectChannelRanges(values, {2, 3}, 2, options).empty());
  EXPECT_TRUE(selectChannelRanges(values, {2, 3}, -1, options).empty());
  EXPECT_TRUE(selectChannelRanges(values, {-2, -3}, 0, options).empty());
}

} // namespace
