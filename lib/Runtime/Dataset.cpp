//===- Dataset.cpp - preprocessing, batching and scoring ------------------===//

#include "quant-mlir/Runtime/Dataset.h"

#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace mlir::qnt {

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static std::string shapeStr(llvm::ArrayRef<int64_t> shape) {
  std::string text;
  for (int64_t dim : shape)
    text += (text.empty() ? "" : "x") + std::to_string(dim);
  return text.empty() ? "scalar" : text;
}

static std::string formatValue(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

static int64_t product(llvm::ArrayRef<int64_t> dims) {
  int64_t count = 1;
  for (int64_t dim : dims)
    count *= dim;
  return count;
}

/// Range of values an integer dtype holds.
static std::pair<double, double> getIntRange(DType dtype) {
  switch (dtype) {
  case DType::I8:
    return {-128.0, 127.0};
  case DType::U8:
    return {0.0, 255.0};
  case DType::I32:
    return {-2147483648.0, 2147483647.0};
  default:
    return {-9223372036854775808.0, 9223372036854775807.0};
  }
}

llvm::Expected<BatchMaker> BatchMaker::create(const Tensor &samples,
                                              int64_t numSamples,
                                              TensorSpec input,
                                              Preprocessing options) {
  llvm::ArrayRef<int64_t> dataShape = samples.getShape();
  if (dataShape.empty() || dataShape.front() == 0)
    return makeError("the dataset holds no samples");
  if (numSamples <= 0 || numSamples > dataShape.front())
    return makeError("cannot take " + llvm::Twine(numSamples) +
                     " samples of a dataset of " +
                     llvm::Twine(dataShape.front()));
  if (input.shape.empty() || input.shape.front() <= 0)
    return makeError("the entry's input " + input.str() +
                     " has no batch dimension");

  llvm::ArrayRef<int64_t> sampleDims = dataShape.drop_front();
  llvm::ArrayRef<int64_t> inputDims = llvm::ArrayRef(input.shape).drop_front();
  bool isImage = sampleDims.size() == 2 || sampleDims.size() == 3;
  int64_t channels = sampleDims.size() == 3 ? sampleDims[2] : 1;
  bool isCHW = false, isHWC = false;
  if (isImage) {
    llvm::SmallVector<int64_t> chw = {channels, sampleDims[0], sampleDims[1]};
    llvm::SmallVector<int64_t> hwc = {sampleDims[0], sampleDims[1], channels};
    isCHW = llvm::equal(inputDims, chw);
    isHWC = llvm::equal(inputDims, hwc);
  }
  std::string mismatch = "dataset samples of shape " + shapeStr(sampleDims) +
                         " do not fit the entry's input " + input.str();

  bool toChannelsFirst = false;
  switch (options.layout) {
  case Layout::NCHW:
    if (!isCHW)
      return makeError(mismatch + " as NCHW");
    toChannelsFirst = channels > 1;
    break;
  case Layout::NHWC:
    if (!isHWC)
      return makeError(mismatch + " as NHWC");
    break;
  case Layout::Auto:
    toChannelsFirst = isCHW && !isHWC && channels > 1;
    if (!toChannelsFirst && product(sampleDims) != product(inputDims))
      return makeError(mismatch);
    break;
  }

  for (auto [name, values] : {std::make_pair("mean", &options.mean),
                              std::make_pair("std", &options.stddev)}) {
    if (values->size() > 1 && static_cast<int64_t>(values->size()) != channels)
      return makeError("--" + llvm::Twine(name) + " has " +
                       llvm::Twine(values->size()) +
                       " values; the samples have " + llvm::Twine(channels) +
                       " channels");
  }
  if (llvm::is_contained(options.stddev, 0.0))
    return makeError("--std must not be 0");

  if (!isFloatDType(input.dtype)) {
    if (!options.isIdentity())
      return makeError("scale, mean and std need a float input; the entry's "
                       "input is " +
                       input.str());
    auto [lo, hi] = getIntRange(input.dtype);
    int64_t count = numSamples * product(sampleDims);
    for (int64_t i = 0; i < count; ++i) {
      double value = samples.getAsDouble(i);
      if (value < lo || value > hi || std::trunc(value) != value)
        return makeError("dataset value " + llvm::Twine(formatValue(value)) +
                         " is not representable in the entry's input " +
                         input.str());
    }
  }
  return BatchMaker(samples, numSamples, std::move(input), std::move(options),
                    channels, toChannelsFirst);
}

std::pair<Tensor, int64_t> BatchMaker::makeBatch(int64_t index) const {
  Tensor batch(input);
  int64_t batchSize = getBatchSize();
  int64_t first = index * batchSize;
  int64_t count = std::min(batchSize, numSamples - first);
  int64_t sampleSize = product(samples->getShape().drop_front());
  int64_t pixels = sampleSize / channels;
  bool isFloat = isFloatDType(input.dtype);
  auto channelValue = [&](llvm::ArrayRef<double> values, int64_t channel,
                          double fallback) {
    if (values.empty())
      return fallback;
    return values.size() == 1 ? values.front() : values[channel];
  };
  for (int64_t sample = 0; sample < count; ++sample) {
    int64_t src = (first + sample) * sampleSize;
    int64_t dst = sample * sampleSize;
    for (int64_t element = 0; element < sampleSize; ++element) {
      int64_t channel = element % channels;
      double value = samples->getAsDouble(src + element);
      if (isFloat)
        value = (value * options.scale -
                 channelValue(options.mean, channel, 0.0)) /
                channelValue(options.stddev, channel, 1.0);
      int64_t to = toChannelsFirst ? channel * pixels + element / channels
                                   : element;
      batch.setFromDouble(dst + to, value);
    }
  }
  return {std::move(batch), count};
}

std::optional<unsigned> findBatchAxis(llvm::ArrayRef<int64_t> shape,
                                      int64_t batchSize) {
  for (auto [axis, dim] : llvm::enumerate(shape)) {
    if (dim == batchSize)
      return axis;
    if (dim != 1)
      return std::nullopt;
  }
  return std::nullopt;
}

llvm::Expected<ResultGatherer> ResultGatherer::create(const TensorSpec &result,
                                                      int64_t batchSize,
                                                      int64_t numSamples) {
  std::optional<unsigned> axis = findBatchAxis(result.shape, batchSize);
  if (!axis)
    return makeError("cannot find the batch axis (size " +
                     llvm::Twine(batchSize) + " after only 1s) in result " +
                     result.str());
  TensorSpec gathered{result.dtype, {numSamples}};
  llvm::append_range(gathered.shape,
                     llvm::ArrayRef(result.shape).drop_front(*axis + 1));
  int64_t sampleBytes =
      product(llvm::ArrayRef(gathered.shape).drop_front()) *
      getDTypeSize(result.dtype);
  return ResultGatherer(Tensor(std::move(gathered)), sampleBytes);
}

void ResultGatherer::append(const Tensor &batch, int64_t count) {
  std::memcpy(gathered.getData() + filled * sampleBytes, batch.getData(),
              count * sampleBytes);
  filled += count;
}

int64_t argmax(const Tensor &tensor, int64_t offset, int64_t count) {
  int64_t best = 0;
  double bestValue = -std::numeric_limits<double>::infinity();
  for (int64_t i = 0; i < count; ++i) {
    double value = tensor.getAsDouble(offset + i);
    if (value > bestValue) {
      best = i;
      bestValue = value;
    }
  }
  return best;
}

llvm::Expected<int64_t> countTop1(const Tensor &scores, const Tensor &labels) {
  if (scores.getShape().empty())
    return makeError("scores need a sample dimension");
  int64_t numSamples = scores.getShape().front();
  if (labels.getNumElements() != numSamples)
    return makeError("there are " + llvm::Twine(labels.getNumElements()) +
                     " labels for " + llvm::Twine(numSamples) + " samples");
  if (isFloatDType(labels.getDType()))
    return makeError("labels must be integers, not " +
                     getDTypeName(labels.getDType()));
  int64_t perSample = numSamples ? scores.getNumElements() / numSamples : 0;
  int64_t correct = 0;
  for (int64_t i = 0; i < numSamples; ++i)
    if (argmax(scores, i * perSample, perSample) ==
        static_cast<int64_t>(labels.getAsDouble(i)))
      ++correct;
  return correct;
}

} // namespace mlir::qnt
