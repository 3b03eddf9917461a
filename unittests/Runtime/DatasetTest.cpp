//===- DatasetTest.cpp - preprocessing, batching and scoring --------------===//

#include "quant-mlir/Runtime/Dataset.h"

#include "gtest/gtest.h"

using namespace mlir::qnt;

namespace {

/// Samples whose values are their flat index.
Tensor makeSamples(DType dtype, llvm::ArrayRef<int64_t> shape) {
  Tensor tensor(dtype, shape);
  for (int64_t i = 0; i < tensor.getNumElements(); ++i)
    tensor.setFromDouble(i, i);
  return tensor;
}

template <typename T>
std::string errorOf(llvm::Expected<T> value) {
  if (value)
    return "";
  return llvm::toString(value.takeError());
}

/// (x * scale - mean) / std on a one-channel image into [N, 1, H, W].
TEST(BatchMakerTest, ScalesAndNormalizes) {
  Tensor samples = makeSamples(DType::U8, {2, 2, 2});
  Preprocessing options;
  options.scale = 0.5;
  options.mean = {1.0};
  options.stddev = {2.0};
  llvm::Expected<BatchMaker> maker =
      BatchMaker::create(samples, 2, {DType::F32, {2, 1, 2, 2}}, options);
  ASSERT_TRUE(static_cast<bool>(maker)) << errorOf(std::move(maker));
  auto [batch, count] = maker->makeBatch(0);
  EXPECT_EQ(count, 2);
  for (int64_t i = 0; i < 8; ++i)
    EXPECT_FLOAT_EQ(batch.getDataAs<float>()[i], (i * 0.5 - 1.0) / 2.0);
}

/// Channels-last samples go to an NCHW input transposed, per-channel
/// statistics following the channel; to an NHWC input unchanged.
TEST(BatchMakerTest, TransposesToNCHWWithPerChannelStats) {
  Tensor samples = makeSamples(DType::F32, {1, 2, 2, 3});
  Preprocessing options;
  options.mean = {0.0, 100.0, 200.0};
  llvm::Expected<BatchMaker> nchw =
      BatchMaker::create(samples, 1, {DType::F32, {1, 3, 2, 2}}, options);
  ASSERT_TRUE(static_cast<bool>(nchw)) << errorOf(std::move(nchw));
  Tensor batch = nchw->makeBatch(0).first;
  // Element (c, h, w) is sample value (h * 2 + w) * 3 + c minus mean[c].
  for (int64_t c = 0; c < 3; ++c)
    for (int64_t p = 0; p < 4; ++p)
      EXPECT_EQ(batch.getDataAs<float>()[c * 4 + p],
                p * 3 + c - options.mean[c]);

  options.layout = Layout::NHWC;
  llvm::Expected<BatchMaker> nhwc =
      BatchMaker::create(samples, 1, {DType::F32, {1, 2, 2, 3}}, options);
  ASSERT_TRUE(static_cast<bool>(nhwc)) << errorOf(std::move(nhwc));
  Tensor same = nhwc->makeBatch(0).first;
  for (int64_t i = 0; i < 12; ++i)
    EXPECT_EQ(same.getDataAs<float>()[i], i - options.mean[i % 3]);
}

TEST(BatchMakerTest, RejectsShapesThatDoNotFit) {
  Tensor samples = makeSamples(DType::U8, {4, 2, 2, 3});
  Preprocessing nchw;
  nchw.layout = Layout::NCHW;
  EXPECT_NE(errorOf(BatchMaker::create(samples, 4, {DType::F32, {2, 2, 2, 3}},
                                       nchw))
                .find("do not fit the entry's input 2x2x2x3xf32 as NCHW"),
            std::string::npos);
  EXPECT_NE(errorOf(BatchMaker::create(samples, 4, {DType::F32, {2, 5}}, {}))
                .find("dataset samples of shape 2x2x3"),
            std::string::npos);
  Preprocessing twoMeans;
  twoMeans.mean = {1.0, 2.0};
  EXPECT_NE(errorOf(BatchMaker::create(samples, 4, {DType::F32, {2, 12}},
                                       twoMeans))
                .find("--mean has 2 values; the samples have 3 channels"),
            std::string::npos);
}

/// Integer inputs take values unchanged and only when they fit.
TEST(BatchMakerTest, IntegerInputsNeedRepresentableValues) {
  Tensor samples = makeSamples(DType::U8, {2, 100});
  Preprocessing scaled;
  scaled.scale = 2.0;
  EXPECT_NE(errorOf(BatchMaker::create(samples, 2, {DType::I8, {1, 100}},
                                       scaled))
                .find("need a float input"),
            std::string::npos);
  EXPECT_NE(errorOf(BatchMaker::create(samples, 2, {DType::I8, {1, 100}}, {}))
                .find("dataset value 128"),
            std::string::npos);
  llvm::Expected<BatchMaker> fits =
      BatchMaker::create(samples, 1, {DType::I8, {1, 100}}, {});
  ASSERT_TRUE(static_cast<bool>(fits)) << errorOf(std::move(fits));
  EXPECT_EQ(fits->makeBatch(0).first.getDataAs<int8_t>()[99], 99);
}

/// Five samples in batches of two: three batches, the last one padded.
TEST(BatchMakerTest, PadsTheLastBatch) {
  Tensor samples = makeSamples(DType::F32, {5, 3});
  llvm::Expected<BatchMaker> maker =
      BatchMaker::create(samples, 5, {DType::F32, {2, 3}}, {});
  ASSERT_TRUE(static_cast<bool>(maker)) << errorOf(std::move(maker));
  EXPECT_EQ(maker->getNumBatches(), 3);
  auto [last, count] = maker->makeBatch(2);
  EXPECT_EQ(count, 1);
  EXPECT_EQ(last.getDataAs<float>()[2], 14.0f);
  EXPECT_EQ(last.getDataAs<float>()[3], 0.0f);

  // A limit below the dataset size cuts it.
  llvm::Expected<BatchMaker> limited =
      BatchMaker::create(samples, 4, {DType::F32, {2, 3}}, {});
  ASSERT_TRUE(static_cast<bool>(limited));
  EXPECT_EQ(limited->getNumBatches(), 2);
  EXPECT_NE(errorOf(BatchMaker::create(samples, 6, {DType::F32, {2, 3}}, {}))
                .find("cannot take 6 samples"),
            std::string::npos);
}

TEST(ResultTest, FindsTheBatchAxis) {
  EXPECT_EQ(findBatchAxis({4, 10}, 4), 0u);
  EXPECT_EQ(findBatchAxis({1, 4, 10}, 4), 1u);
  EXPECT_EQ(findBatchAxis({1, 10}, 1), 0u);
  EXPECT_FALSE(findBatchAxis({2, 4, 10}, 4).has_value());
  EXPECT_FALSE(findBatchAxis({10, 4}, 4).has_value());
}

/// Gathering [1, 2, 3] batch results for three samples drops the padding.
TEST(ResultTest, GathersWithoutPadding) {
  llvm::Expected<ResultGatherer> gatherer =
      ResultGatherer::create({DType::F32, {1, 2, 3}}, 2, 3);
  ASSERT_TRUE(static_cast<bool>(gatherer)) << errorOf(std::move(gatherer));
  gatherer->append(makeSamples(DType::F32, {1, 2, 3}), 2);
  gatherer->append(makeSamples(DType::F32, {1, 2, 3}), 1);
  const Tensor &all = gatherer->getTensor();
  EXPECT_EQ(all.getSpec().str(), "3x3xf32");
  EXPECT_EQ(all.getDataAs<float>()[5], 5.0f);
  EXPECT_EQ(all.getDataAs<float>()[8], 2.0f);
  EXPECT_NE(errorOf(ResultGatherer::create({DType::F32, {10, 2}}, 2, 3))
                .find("cannot find the batch axis"),
            std::string::npos);
}

TEST(ResultTest, CountsTop1) {
  Tensor scores(DType::F32, {3, 2});
  float values[] = {0.1f, 0.9f, 0.7f, 0.2f, 0.5f, 0.5f};
  std::memcpy(scores.getData(), values, sizeof(values));
  Tensor labels(DType::U8, {3});
  uint8_t classes[] = {1, 1, 0};
  std::memcpy(labels.getData(), classes, sizeof(classes));
  // Sample 2 ties; the first maximum wins.
  llvm::Expected<int64_t> correct = countTop1(scores, labels);
  ASSERT_TRUE(static_cast<bool>(correct));
  EXPECT_EQ(*correct, 2);
  EXPECT_NE(errorOf(countTop1(scores, Tensor(DType::U8, {2})))
                .find("2 labels for 3 samples"),
            std::string::npos);
}

} // namespace
