//===- CalibrationStatsTest.cpp - the stats file reader -------------------===//

#include "quant-mlir/Analysis/Calibration.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cmath>
#include <string>

using namespace mlir::qnt;

namespace {

/// The example of docs/calibration.md with its histogram written out (16
/// bins summing to count - nan_count = 192), plus a probe that was never
/// reached and one that saw infinities.
constexpr const char *kDocumentedFile = R"json({
  "activations": {
    "conv1": {
      "count": 192,
      "histogram": {
        "bins": 16,
        "counts": [2, 4, 6, 15, 20, 25, 30, 30, 20, 15, 10, 5, 4, 3, 2, 1],
        "max": 11.625,
        "min": -10.375
      },
      "kind": "histogram",
      "max": 11.625,
      "min": -10.375,
      "nan_count": 0
    },
    "unreached": {"count": 0, "kind": "minmax", "max": null, "min": null,
                  "nan_count": 0},
    "wild": {"count": 5, "kind": "minmax", "max": "inf", "min": "-inf",
             "nan_count": 2}
  },
  "dataset": {
    "batch_size": 2,
    "path": "samples.npy",
    "preprocessing": {"layout": "auto", "mean": [], "scale": 1, "std": []},
    "samples": 6
  },
  "entry": "model",
  "model": "model.mlir",
  "observers": {"bins": 16, "kind": "histogram", "passes": 2},
  "version": 1,
  "weights": {
    "conv1": {
      "axis": 0,
      "layout": "OHWI",
      "nan_count": 0,
      "op": "tosa.conv2d",
      "per_channel": {"max": [2, 1.5], "min": [-2, -2]},
      "per_tensor": {"max": 2, "min": -2},
      "shape": [2, 3, 3, 1]
    },
    "nans": {
      "axis": 2,
      "layout": "NKC",
      "nan_count": 3,
      "op": "tosa.matmul",
      "per_channel": {"max": [null, 4], "min": [null, "-inf"]},
      "per_tensor": {"max": 4, "min": "-inf"},
      "shape": [1, 3, 2]
    }
  }
})json";

std::string parseError(llvm::StringRef json) {
  llvm::Expected<CalibrationStats> stats =
      CalibrationStats::parse(json, "stats.json");
  if (stats)
    return "<parsed>";
  return llvm::toString(stats.takeError());
}

/// The documented file with `from` replaced by `to` (which must occur).
std::string edited(llvm::StringRef from, llvm::StringRef to) {
  std::string text = kDocumentedFile;
  size_t at = text.find(from.str());
  EXPECT_NE(at, std::string::npos) << from.str();
  if (at != std::string::npos)
    text.replace(at, from.size(), to.str());
  return text;
}

TEST(CalibrationStatsTest, ParsesDocumentedFile) {
  llvm::Expected<CalibrationStats> stats =
      CalibrationStats::parse(kDocumentedFile, "stats.json");
  ASSERT_TRUE(static_cast<bool>(stats)) << llvm::toString(stats.takeError());
  EXPECT_EQ(stats->model, "model.mlir");
  EXPECT_EQ(stats->entry, "model");
  EXPECT_EQ(stats->samples, 6u);
  ASSERT_EQ(stats->activations.size(), 3u);

  const ActivationStats &conv = stats->activations.lookup("conv1");
  EXPECT_EQ(conv.count, 192u);
  EXPECT_EQ(conv.nanCount, 0u);
  EXPECT_EQ(conv.min, -10.375);
  EXPECT_EQ(conv.max, 11.625);
  ASSERT_TRUE(conv.histogram.has_value());
  EXPECT_EQ(conv.histogram->min, -10.375);
  EXPECT_EQ(conv.histogram->max, 11.625);
  ASSERT_EQ(conv.histogram->counts.size(), 16u);
  EXPECT_EQ(conv.histogram->counts[0], 2u);
  EXPECT_EQ(conv.histogram->counts[15], 1u);

  const ActivationStats &unreached = stats->activations.lookup("unreached");
  EXPECT_EQ(unreached.count, 0u);
  EXPECT_FALSE(unreached.min.has_value());
  EXPECT_FALSE(unreached.max.has_value());
  EXPECT_FALSE(unreached.histogram.has_value());

  const ActivationStats &wild = stats->activations.lookup("wild");
  EXPECT_EQ(wild.nanCount, 2u);
  ASSERT_TRUE(wild.min && wild.max);
  EXPECT_TRUE(std::isinf(*wild.min) && *wild.min < 0);
  EXPECT_TRUE(std::isinf(*wild.max) && *wild.max > 0);

  ASSERT_EQ(stats->weights.size(), 2u);
  const WeightStats &weight = stats->weights.lookup("conv1");
  EXPECT_EQ(weight.op, "tosa.conv2d");
  EXPECT_EQ(weight.layout, "OHWI");
  EXPECT_EQ(weight.axis, 0);
  EXPECT_EQ(weight.shape, (std::vector<int64_t>{2, 3, 3, 1}));
  EXPECT_EQ(weight.min, -2.0);
  EXPECT_EQ(weight.max, 2.0);
  ASSERT_EQ(weight.channelMin.size(), 2u);
  EXPECT_EQ(weight.channelMin[1], -2.0);
  EXPECT_EQ(weight.channelMax[1], 1.5);

  const WeightStats &nans = stats->weights.lookup("nans");
  EXPECT_EQ(nans.nanCount, 3u);
  EXPECT_FALSE(nans.channelMin[0].has_value());
  EXPECT_FALSE(nans.channelMax[0].has_value());
  ASSERT_TRUE(nans.channelMin[1].has_value());
  EXPECT_TRUE(std::isinf(*nans.channelMin[1]));
}

TEST(CalibrationStatsTest, MetadataIsOptional) {
  llvm::Expected<CalibrationStats> stats = CalibrationStats::parse(
      R"({"version": 1, "activations": {}, "weights": {}})", "min.json");
  ASSERT_TRUE(static_cast<bool>(stats)) << llvm::toString(stats.takeError());
  EXPECT_TRUE(stats->activations.empty());
  EXPECT_EQ(stats->samples, 0u);
}

TEST(CalibrationStatsTest, BadJSON) {
  std::string message = parseError("{\"version\": 1,");
  EXPECT_EQ(message.rfind("stats.json: (file): invalid JSON: ", 0), 0u)
      << message;
  EXPECT_EQ(parseError("[1, 2]"), "stats.json: (file): expected a JSON object");
}

TEST(CalibrationStatsTest, Version) {
  EXPECT_EQ(parseError(edited("\"version\": 1", "\"version\": 2")),
            "stats.json: version: unsupported version 2 (this reader knows "
            "version 1)");
  EXPECT_EQ(parseError(edited("\"version\": 1", "\"version\": \"1\"")),
            "stats.json: version: expected an integer");
  EXPECT_EQ(parseError(edited("\"version\": 1,", "")),
            "stats.json: version: missing");
}

TEST(CalibrationStatsTest, MissingFields) {
  EXPECT_EQ(parseError(R"({"version": 1, "weights": {}})"),
            "stats.json: activations: missing");
  EXPECT_EQ(parseError(R"({"version": 1, "activations": {}})"),
            "stats.json: weights: missing");
  EXPECT_EQ(parseError(edited("\"count\": 192,", "")),
            "stats.json: activations.conv1.count: missing");
  EXPECT_EQ(parseError(edited("\"max\": 11.625,\n        \"min\"", "\"min\"")),
            "stats.json: activations.conv1.histogram.max: missing");
  EXPECT_EQ(parseError(edited("\"per_channel\": {\"max\": [2, 1.5], \"min\": "
                              "[-2, -2]},",
                              "")),
            "stats.json: weights.conv1.per_channel: missing");
  EXPECT_EQ(parseError(edited("\"op\": \"tosa.conv2d\",", "")),
            "stats.json: weights.conv1.op: missing");
}

TEST(CalibrationStatsTest, WrongTypesAndValues) {
  EXPECT_EQ(parseError(edited("\"count\": 192", "\"count\": -1")),
            "stats.json: activations.conv1.count: expected a non-negative "
            "integer");
  EXPECT_EQ(parseError(edited("\"nan_count\": 0\n    },\n    \"unreached\"",
                              "\"nan_count\": 500\n    },\n    \"unreached\"")),
            "stats.json: activations.conv1.nan_count: greater than count");
  EXPECT_EQ(parseError(edited("\"min\": \"-inf\",\n             \"nan_count\"",
                              "\"min\": \"nan\",\n             \"nan_count\"")),
            "stats.json: activations.wild.min: expected a number, \"inf\", "
            "\"-inf\" or null");
  EXPECT_EQ(parseError(edited("\"max\": null", "\"max\": 3")),
            "stats.json: activations.unreached: min and max must both be null "
            "or both be set");
  EXPECT_EQ(
      parseError(edited("\"max\": 11.625,\n      \"min\": -10.375",
                        "\"max\": -11.625,\n      \"min\": -10.375")),
      "stats.json: activations.conv1: min is greater than max");
  EXPECT_EQ(parseError(edited("\"bins\": 16", "\"bins\": 15")),
            "stats.json: activations.conv1.histogram.counts: has 16 entries, "
            "but bins is 15");
  EXPECT_EQ(parseError(edited("[2, 4, 6,", "[3, 4, 6,")),
            "stats.json: activations.conv1.histogram.counts: sum to 193, but "
            "count - nan_count is 192");
  EXPECT_EQ(parseError(edited("[2, 4, 6,", "[2, 4.5, 6,")),
            "stats.json: activations.conv1.histogram.counts[1]: expected a "
            "non-negative integer");
  EXPECT_EQ(parseError(edited("\"axis\": 0", "\"axis\": 4")),
            "stats.json: weights.conv1.axis: not a dimension of shape");
  EXPECT_EQ(parseError(edited("\"shape\": [2, 3, 3, 1]", "\"shape\": [2, -3]")),
            "stats.json: weights.conv1.shape[1]: negative dimension");
  EXPECT_EQ(parseError(edited("\"max\": [2, 1.5]", "\"max\": [2]")),
            "stats.json: weights.conv1.per_channel: min and max have different "
            "lengths");
  EXPECT_EQ(parseError(edited("\"max\": [2, 1.5]", "\"max\": [2, -3]")),
            "stats.json: weights.conv1.per_channel[1]: min is greater than "
            "max");
  EXPECT_EQ(parseError(R"({"version": 1, "activations": [], "weights": {}})"),
            "stats.json: activations: expected an object");
  EXPECT_EQ(parseError(edited("\"op\": \"tosa.conv2d\"", "\"op\": 7")),
            "stats.json: weights.conv1.op: expected a string");
}

TEST(CalibrationStatsTest, ReadFile) {
  llvm::SmallString<128> path;
  ASSERT_FALSE(
      llvm::sys::fs::createTemporaryFile("calibration", "json", path));
  {
    std::error_code error;
    llvm::raw_fd_ostream os(path, error);
    ASSERT_FALSE(error);
    os << kDocumentedFile;
  }
  llvm::Expected<CalibrationStats> stats = CalibrationStats::readFile(path);
  ASSERT_TRUE(static_cast<bool>(stats)) << llvm::toString(stats.takeError());
  EXPECT_EQ(stats->activations.size(), 3u);
  llvm::sys::fs::remove(path);

  llvm::Expected<CalibrationStats> missing =
      CalibrationStats::readFile(path);
  ASSERT_FALSE(static_cast<bool>(missing));
  std::string message = llvm::toString(missing.takeError());
  EXPECT_EQ(message.rfind(path.str().str() + ": cannot read the stats file", 0),
            0u)
      << message;
}

} // namespace
