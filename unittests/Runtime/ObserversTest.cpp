//===- ObserversTest.cpp - calibration collector against references -------===//

#include "quant-mlir/InitAll.h"
#include "quant-mlir/Runtime/Observers.h"

#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>

using namespace mlir;
using namespace mlir::qnt;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
const float kNaN = std::nanf("");

/// Observes contiguous `values` as a rank-1 tensor.
void observeFlat(ObserverCollector &collector, int64_t index,
                 llvm::ArrayRef<float> values) {
  int64_t size = values.size();
  int64_t stride = 1;
  collector.observe(index, values.data(), size, stride);
}

/// The documented bin of `value`, written out case by case.
int64_t referenceBin(float value, double min, double max, int64_t bins) {
  if (value <= min)
    return 0;
  if (value >= max)
    return bins - 1;
  auto bin = static_cast<int64_t>(
      std::floor((double(value) - min) * double(bins) / (max - min)));
  return bin < bins ? bin : bins - 1;
}

/// Runs both passes over `batches` for one histogram probe.
ObserverStats collectHistogram(llvm::ArrayRef<std::vector<float>> batches,
                               int64_t bins) {
  ObserverCollector collector({{"x", /*histogram=*/true, bins}});
  for (const std::vector<float> &batch : batches)
    observeFlat(collector, 0, batch);
  collector.startHistogramPass();
  for (const std::vector<float> &batch : batches)
    observeFlat(collector, 0, batch);
  return collector.getStats().front();
}

/// Min and max skip NaNs but count them; infinities are values.
TEST(ObserverCollectorTest, MinMaxCountsNaN) {
  ObserverCollector collector({{"a", false, 1}, {"b", false, 1}});
  observeFlat(collector, 0, {1.5f, kNaN, -2.0f});
  observeFlat(collector, 0, {kNaN, 0.25f});
  observeFlat(collector, 1, {kInf, 3.0f});
  EXPECT_FALSE(collector.needsHistogramPass());
  const ObserverStats &a = collector.getStats()[0];
  EXPECT_EQ(a.count, 5);
  EXPECT_EQ(a.nanCount, 2);
  EXPECT_EQ(a.min, -2.0f);
  EXPECT_EQ(a.max, 1.5f);
  EXPECT_FALSE(a.histogram);
  const ObserverStats &b = collector.getStats()[1];
  EXPECT_EQ(b.max, kInf);
  EXPECT_EQ(b.finiteMax, 3.0f);

  llvm::json::Object json = collector.toJSON();
  const llvm::json::Object *entry = json.getObject("a");
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->getInteger("nan_count"), 2);
  EXPECT_EQ(entry->getNumber("min"), -2.0);
  EXPECT_FALSE(entry->get("histogram"));
  EXPECT_EQ(json.getObject("b")->getString("max"), "inf");
}

/// A probe that saw only NaNs has no range: null min and max.
TEST(ObserverCollectorTest, OnlyNaN) {
  ObserverCollector collector({{"x", true, 4}});
  observeFlat(collector, 0, {kNaN, kNaN});
  collector.startHistogramPass();
  observeFlat(collector, 0, {kNaN, kNaN});
  llvm::json::Object json = collector.toJSON();
  const llvm::json::Object *entry = json.getObject("x");
  EXPECT_EQ(entry->getInteger("count"), 2);
  EXPECT_EQ(entry->get("min")->kind(), llvm::json::Value::Null);
  const ObserverStats &stats = collector.getStats().front();
  EXPECT_EQ(stats.histogram->counts, std::vector<int64_t>(4, 0));
}

/// The range ends: min in bin 0, max in the last bin, not one past it.
TEST(ObserverCollectorTest, HistogramEdges) {
  ObserverStats stats = collectHistogram({{0.0f, 8.0f, 1.0f, 0.999f, 7.0f}},
                                         /*bins=*/8);
  ASSERT_TRUE(stats.histogram);
  EXPECT_EQ(stats.histogram->min, 0.0);
  EXPECT_EQ(stats.histogram->max, 8.0);
  EXPECT_EQ(stats.histogram->counts,
            (std::vector<int64_t>{2, 1, 0, 0, 0, 0, 0, 2}));
}

/// All values equal: an empty range, everything in bin 0.
TEST(ObserverCollectorTest, HistogramAllEqual) {
  ObserverStats stats = collectHistogram({{2.5f, 2.5f}, {2.5f}}, 5);
  EXPECT_EQ(stats.histogram->min, 2.5);
  EXPECT_EQ(stats.histogram->max, 2.5);
  EXPECT_EQ(stats.histogram->counts, (std::vector<int64_t>{3, 0, 0, 0, 0}));
}

/// One bin holds every non-NaN value, infinities included.
TEST(ObserverCollectorTest, HistogramOneBin) {
  ObserverStats stats =
      collectHistogram({{-1.0f, kNaN, 4.0f}, {kInf, -kInf, 0.0f}}, 1);
  EXPECT_EQ(stats.histogram->min, -1.0);
  EXPECT_EQ(stats.histogram->max, 4.0);
  EXPECT_EQ(stats.histogram->counts, (std::vector<int64_t>{5}));
}

/// Random data in several batches against the scalar reference; bin counts
/// sum to the non-NaN count.
TEST(ObserverCollectorTest, HistogramMatchesReference) {
  std::mt19937 rng(42);
  std::normal_distribution<float> normal(0.5f, 3.0f);
  for (int64_t bins : {1, 2, 7, 64, 2048}) {
    std::vector<std::vector<float>> batches(3);
    for (std::vector<float> &batch : batches)
      for (int i = 0; i < 1000; ++i)
        batch.push_back(i % 97 == 0 ? kNaN : normal(rng));
    ObserverStats stats = collectHistogram(batches, bins);

    float min = kInf, max = -kInf;
    int64_t nanCount = 0;
    for (const std::vector<float> &batch : batches)
      for (float value : batch) {
        if (std::isnan(value)) {
          ++nanCount;
          continue;
        }
        min = std::min(min, value);
        max = std::max(max, value);
      }
    std::vector<int64_t> expected(bins, 0);
    for (const std::vector<float> &batch : batches)
      for (float value : batch)
        if (!std::isnan(value))
          ++expected[referenceBin(value, min, max, bins)];

    EXPECT_EQ(stats.count, 3000);
    EXPECT_EQ(stats.nanCount, nanCount);
    EXPECT_EQ(stats.min, min);
    EXPECT_EQ(stats.max, max);
    EXPECT_EQ(stats.histogram->counts, expected) << bins << " bins";
    int64_t total = 0;
    for (int64_t count : stats.histogram->counts)
      total += count;
    EXPECT_EQ(total, 3000 - nanCount);
  }
}

/// A strided view (a transposed 3x4 matrix) is read element by element,
/// through the C entry point and only while a collector is registered.
TEST(ObserverCollectorTest, StridedThroughEntryPoint) {
  std::vector<float> matrix(12);
  for (int i = 0; i < 12; ++i)
    matrix[i] = float(i);
  StridedMemRefType<float, 2> view{matrix.data(), matrix.data(), 1, {2, 3},
                                   {1, 4}};
  ::UnrankedMemRefType<float> unranked{2, &view};

  ObserverCollector collector({{"t", true, 3}});
  _mlir_ciface_qnt_observe_f32(&unranked, 0);
  setActiveCollector(&collector);
  _mlir_ciface_qnt_observe_f32(&unranked, 0);
  collector.startHistogramPass();
  _mlir_ciface_qnt_observe_f32(&unranked, 0);
  setActiveCollector(nullptr);
  _mlir_ciface_qnt_observe_f32(&unranked, 0);

  // Element (i, j) of the view is matrix[1 + i + 4 * j]: 1, 5, 9, 2, 6, 10.
  const ObserverStats &stats = collector.getStats().front();
  EXPECT_EQ(stats.count, 6);
  EXPECT_EQ(stats.min, 1.0f);
  EXPECT_EQ(stats.max, 10.0f);
  EXPECT_EQ(stats.histogram->counts, (std::vector<int64_t>{2, 2, 2}));
}

/// An index outside the table is an error, reported once.
TEST(ObserverCollectorTest, BadIndex) {
  ObserverCollector collector({{"x", false, 1}});
  observeFlat(collector, 3, {1.0f});
  observeFlat(collector, -1, {1.0f});
  llvm::Error error = collector.takeError();
  ASSERT_TRUE(static_cast<bool>(error));
  EXPECT_EQ(llvm::toString(std::move(error)),
            "a probe called with index 3, but qnt.observers lists 1");
  EXPECT_FALSE(static_cast<bool>(collector.takeError()));
}

class ObserverModuleTest : public ::testing::Test {
protected:
  ObserverModuleTest() {
    DialectRegistry registry;
    registerAllDialects(registry);
    registerQntDialects(registry);
    context.appendDialectRegistry(registry);
  }

  MLIRContext context;
};

TEST_F(ObserverModuleTest, ReadsTable) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(
      R"mlir(module attributes {qnt.observers = [
        {bins = 2048 : i64, id = "in", kind = "minmax"},
        {bins = 16 : i64, id = "act", kind = "histogram"}]} {})mlir",
      &context);
  ASSERT_TRUE(module);
  llvm::Expected<std::vector<ObserverSpec>> table =
      readObserverTable(*module);
  ASSERT_TRUE(static_cast<bool>(table)) << llvm::toString(table.takeError());
  ASSERT_EQ(table->size(), 2u);
  EXPECT_EQ((*table)[1].id, "act");
  EXPECT_TRUE((*table)[1].histogram);
  EXPECT_EQ((*table)[1].bins, 16);
  EXPECT_FALSE((*table)[0].histogram);

  OwningOpRef<ModuleOp> bad = parseSourceString<ModuleOp>(
      R"mlir(module attributes {qnt.observers = [{id = "x", kind = "mean", bins = 1}]} {})mlir",
      &context);
  llvm::Expected<std::vector<ObserverSpec>> badTable = readObserverTable(*bad);
  ASSERT_FALSE(static_cast<bool>(badTable));
  EXPECT_EQ(llvm::toString(badTable.takeError()),
            "qnt.observers entry #0 is not {id, kind = minmax|histogram, "
            "bins >= 1}");
}

/// Per-channel ranges on each op's output-channel axis, keyed by the probe
/// on the op's result; unobserved ops and non-constant weights are skipped.
TEST_F(ObserverModuleTest, WeightStats) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(R"mlir(
func.func @model(%x: tensor<1x1x1x2xf32>, %a: tensor<1x2x2xf32>, %b: tensor<1x2x3xf32>)
    -> (tensor<1x1x1x2xf32>, tensor<1x1x1x4xf32>, tensor<1x2x3xf32>, tensor<1x2x3xf32>) {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[[1.0, -2.0]]], [[[0x7FC00000, 0x7FC00000]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %bias = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %conv = tosa.conv2d %x, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %c = qnt.observe %conv "conv" : tensor<1x1x1x2xf32>
  %dw = "tosa.const"() {values = dense<[[[[1.0, 2.0], [-3.0, 4.0]]]]> : tensor<1x1x2x2xf32>} : () -> tensor<1x1x2x2xf32>
  %bias4 = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %depthwise = tosa.depthwise_conv2d %x, %dw, %bias4, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<1x1x2x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x4xf32>
  %d = qnt.observe %depthwise "dw" : tensor<1x1x1x4xf32>
  %m = "tosa.const"() {values = dense<[[[1.0, -1.0, 5.0], [2.0, 0.5, -6.0]]]> : tensor<1x2x3xf32>} : () -> tensor<1x2x3xf32>
  %matmul = tosa.matmul %a, %m, %zp, %zp : (tensor<1x2x2xf32>, tensor<1x2x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x3xf32>
  %mm = qnt.observe %matmul "fc" : tensor<1x2x3xf32>
  %unobserved = tosa.matmul %a, %m, %zp, %zp : (tensor<1x2x2xf32>, tensor<1x2x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x3xf32>
  %dynamic = tosa.matmul %a, %b, %zp, %zp : (tensor<1x2x2xf32>, tensor<1x2x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x3xf32>
  %o = qnt.observe %dynamic "attention" : tensor<1x2x3xf32>
  return %c, %d, %mm, %o : tensor<1x1x1x2xf32>, tensor<1x1x1x4xf32>, tensor<1x2x3xf32>, tensor<1x2x3xf32>
}
)mlir",
                                                             &context);
  ASSERT_TRUE(module);
  llvm::json::Object weights = collectWeightStats(*module);
  EXPECT_EQ(weights.size(), 3u);
  EXPECT_FALSE(weights.get("attention"));

  auto numbers = [](const llvm::json::Value *array) {
    std::vector<std::optional<double>> values;
    for (const llvm::json::Value &value : *array->getAsArray())
      values.push_back(value.getAsNumber());
    return values;
  };
  using Numbers = std::vector<std::optional<double>>;

  const llvm::json::Object *conv = weights.getObject("conv");
  ASSERT_TRUE(conv);
  EXPECT_EQ(conv->getString("layout"), "OHWI");
  EXPECT_EQ(conv->getInteger("axis"), 0);
  EXPECT_EQ(conv->getInteger("nan_count"), 2);
  EXPECT_EQ(conv->getObject("per_tensor")->getNumber("min"), -2.0);
  // Channel 1 is all NaN: no range.
  EXPECT_EQ(numbers(conv->getObject("per_channel")->get("min")),
            (Numbers{-2.0, std::nullopt}));

  const llvm::json::Object *depthwise = weights.getObject("dw");
  ASSERT_TRUE(depthwise);
  EXPECT_EQ(depthwise->getString("layout"), "HWCM");
  EXPECT_EQ(numbers(depthwise->getObject("per_channel")->get("max")),
            (Numbers{1.0, 2.0, -3.0, 4.0}));

  const llvm::json::Object *fc = weights.getObject("fc");
  ASSERT_TRUE(fc);
  EXPECT_EQ(fc->getInteger("axis"), 2);
  EXPECT_EQ(numbers(fc->getObject("per_channel")->get("min")),
            (Numbers{1.0, -1.0, -6.0}));
  EXPECT_EQ(numbers(fc->getObject("per_channel")->get("max")),
            (Numbers{2.0, 0.5, 5.0}));
  EXPECT_EQ(fc->getObject("per_tensor")->getNumber("max"), 5.0);
}

} // namespace
