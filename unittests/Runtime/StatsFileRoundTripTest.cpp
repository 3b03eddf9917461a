//===- StatsFileRoundTripTest.cpp - the stats reader reads the writer -----===//
//
// The calibration runtime writes the stats file and QntAnalysis reads it:
// everything the collector and collectWeightStats record must come back
// exactly, printed as quant-run prints it.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/Analysis/Calibration.h"
#include "quant-mlir/InitAll.h"
#include "quant-mlir/Runtime/Observers.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FormatVariadic.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>

using namespace mlir;
using namespace mlir::qnt;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
const float kNaN = std::nanf("");

void observeFlat(ObserverCollector &collector, int64_t index,
                 llvm::ArrayRef<float> values) {
  int64_t size = values.size(), stride = 1;
  collector.observe(index, values.data(), size, stride);
}

TEST(StatsFileRoundTripTest, ReaderReadsWhatTheRuntimeWrites) {
  ObserverCollector collector({{"hist", true, 16},
                               {"minmax", false, 2048},
                               {"nan", true, 4},
                               {"wild", true, 8},
                               {"unreached", true, 4}});
  std::mt19937_64 rng(7);
  std::normal_distribution<float> normal(0.5f, 3.0f);
  std::vector<std::vector<float>> batches(3, std::vector<float>(1000));
  for (std::vector<float> &batch : batches)
    for (float &value : batch)
      value = normal(rng);
  batches[1][10] = kNaN;
  std::vector<float> wild = {-kInf, 1.0f, 2.5f, kNaN, 4.0f};
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1)
      collector.startHistogramPass();
    for (const std::vector<float> &batch : batches) {
      observeFlat(collector, 0, batch);
      observeFlat(collector, 1, batch);
    }
    observeFlat(collector, 2, {kNaN});
    observeFlat(collector, 3, wild);
  }
  ASSERT_FALSE(static_cast<bool>(collector.takeError()));

  MLIRContext context;
  DialectRegistry registry;
  registerAllDialects(registry);
  registerQntDialects(registry);
  context.appendDialectRegistry(registry);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(R"mlir(
func.func @model(%x: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[[0.1, -2.0]]], [[[0x7FC00000, 0x7FC00000]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %bias = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %conv = tosa.conv2d %x, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %c = qnt.observe %conv "conv" : tensor<1x1x1x2xf32>
  return %c : tensor<1x1x1x2xf32>
}
)mlir",
                                                             &context);
  ASSERT_TRUE(module);

  // The file as quant-run writes it (its metadata aside).
  llvm::json::Object root{{"version", 1},
                          {"activations", collector.toJSON()},
                          {"weights", collectWeightStats(*module)}};
  std::string text = llvm::formatv("{0:2}", llvm::json::Value(std::move(root)));
  llvm::Expected<CalibrationStats> stats =
      CalibrationStats::parse(text, "stats.json");
  ASSERT_TRUE(static_cast<bool>(stats)) << llvm::toString(stats.takeError());

  ASSERT_EQ(stats->activations.size(), collector.getSpecs().size());
  for (auto [spec, written] :
       llvm::zip(collector.getSpecs(), collector.getStats())) {
    SCOPED_TRACE(spec.id);
    ASSERT_TRUE(stats->activations.contains(spec.id));
    const ActivationStats &read = stats->activations.lookup(spec.id);
    EXPECT_EQ(read.count, static_cast<uint64_t>(written.count));
    EXPECT_EQ(read.nanCount, static_cast<uint64_t>(written.nanCount));
    if (written.count > written.nanCount) {
      EXPECT_EQ(read.min, static_cast<double>(written.min));
      EXPECT_EQ(read.max, static_cast<double>(written.max));
    } else {
      EXPECT_FALSE(read.min.has_value());
      EXPECT_FALSE(read.max.has_value());
    }
    ASSERT_EQ(read.histogram.has_value(), written.histogram.has_value());
    if (!written.histogram)
      continue;
    EXPECT_EQ(read.histogram->min, written.histogram->min);
    EXPECT_EQ(read.histogram->max, written.histogram->max);
    EXPECT_EQ(read.histogram->counts,
              std::vector<uint64_t>(written.histogram->counts.begin(),
                                    written.histogram->counts.end()));
  }

  // An infinite bound reads back as one; minmax then uses the finite range.
  const ActivationStats &wildRead = stats->activations.lookup("wild");
  EXPECT_EQ(wildRead.min, -std::numeric_limits<double>::infinity());
  llvm::Expected<qnt::Range> range =
      selectActivationRange(wildRead, RangeOptions());
  ASSERT_TRUE(static_cast<bool>(range)) << llvm::toString(range.takeError());
  EXPECT_EQ(range->min, 1.0);
  EXPECT_EQ(range->max, 4.0);

  ASSERT_EQ(stats->weights.size(), 1u);
  const WeightStats &conv = stats->weights.lookup("conv");
  EXPECT_EQ(conv.op, "tosa.conv2d");
  EXPECT_EQ(conv.layout, "OHWI");
  EXPECT_EQ(conv.axis, 0);
  EXPECT_EQ(conv.shape, (std::vector<int64_t>{2, 1, 1, 2}));
  EXPECT_EQ(conv.nanCount, 2u);
  EXPECT_EQ(conv.min, -2.0);
  EXPECT_EQ(conv.max, static_cast<double>(0.1f));
  ASSERT_EQ(conv.channelMax.size(), 2u);
  EXPECT_EQ(conv.channelMax[0], static_cast<double>(0.1f));
  EXPECT_FALSE(conv.channelMin[1].has_value());
}

} // namespace
