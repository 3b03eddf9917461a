//===- Dataset.h - preprocessing, batching and scoring ----------*- C++ -*-===//
//
// Turns a dataset of N samples (e.g. IDX images [N, H, W]) into batches of an
// entry function's input type, and gathers the batched results back into
// one tensor per result with the padding dropped.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTMLIR_RUNTIME_DATASET_H
#define QUANTMLIR_RUNTIME_DATASET_H

#include "quant-mlir/Runtime/Tensor.h"

#include "llvm/Support/Error.h"

namespace mlir::qnt {

/// The layout an entry function's image input expects. Dataset samples are
/// channels-last ([H, W] or [H, W, C], as IDX stores them).
enum class Layout {
  /// NCHW when the input's sample shape is [C, H, W] with C > 1 and not also
  /// [H, W, C]; otherwise the samples are copied in order (NHWC or any
  /// shape with the same number of elements, e.g. [1, H, W] or [H * W]).
  Auto,
  NCHW,
  NHWC,
};

/// Per-element preprocessing into a float input: (x * scale - mean[c]) /
/// stddev[c], where mean and stddev hold no value (0 and 1), one value, or
/// one value per channel c.
struct Preprocessing {
  double scale = 1.0;
  llvm::SmallVector<double> mean;
  llvm::SmallVector<double> stddev;
  Layout layout = Layout::Auto;

  bool isIdentity() const {
    return scale == 1.0 && mean.empty() && stddev.empty();
  }
};

/// Cuts the first `numSamples` samples of a dataset into batches of an input
/// type whose dimension 0 is the batch size; the last batch is padded with
/// zeros.
class BatchMaker {
public:
  /// Checks that samples fit `input` under `options`. `samples` must outlive
  /// the BatchMaker. Integer inputs take the values unchanged, so they allow
  /// no scale/mean/stddev and need every value to be representable.
  static llvm::Expected<BatchMaker> create(const Tensor &samples,
                                           int64_t numSamples,
                                           TensorSpec input,
                                           Preprocessing options);

  int64_t getBatchSize() const { return input.shape.front(); }
  int64_t getNumSamples() const { return numSamples; }
  int64_t getNumBatches() const {
    return (numSamples + getBatchSize() - 1) / getBatchSize();
  }
  const TensorSpec &getInputSpec() const { return input; }

  /// Makes batch `index`; returns it and how many of its samples are real.
  std::pair<Tensor, int64_t> makeBatch(int64_t index) const;

private:
  BatchMaker(const Tensor &samples, int64_t numSamples, TensorSpec input,
             Preprocessing options, int64_t channels, bool toChannelsFirst)
      : samples(&samples), numSamples(numSamples), input(std::move(input)),
        options(std::move(options)), channels(channels),
        toChannelsFirst(toChannelsFirst) {}

  const Tensor *samples;
  int64_t numSamples;
  TensorSpec input;
  Preprocessing options;
  /// Channels of a sample (its innermost dimension, or 1).
  int64_t channels;
  /// Whether [H, W, C] samples are transposed into [C, H, W].
  bool toChannelsFirst;
};

/// The axis of a batched result shape that indexes samples: the first one of
/// size `batchSize` with only 1s before it ([4, 10] -> 0; [1, 4, 10], as a
/// TOSA matmul returns it, -> 1).
std::optional<unsigned> findBatchAxis(llvm::ArrayRef<int64_t> shape,
                                      int64_t batchSize);

/// Concatenates the per-sample parts of one result over all batches into a
/// tensor [numSamples, <dims after the batch axis>].
class ResultGatherer {
public:
  static llvm::Expected<ResultGatherer>
  create(const TensorSpec &result, int64_t batchSize, int64_t numSamples);

  /// Appends the first `count` samples of `batch` (of the result's type).
  void append(const Tensor &batch, int64_t count);
  const Tensor &getTensor() const { return gathered; }
  Tensor takeTensor() { return std::move(gathered); }

private:
  ResultGatherer(Tensor gathered, int64_t sampleBytes)
      : gathered(std::move(gathered)), sampleBytes(sampleBytes) {}

  Tensor gathered;
  int64_t sampleBytes;
  int64_t filled = 0;
};

/// Index of the largest of `count` elements of `tensor` from flat `offset`
/// (the first on ties).
int64_t argmax(const Tensor &tensor, int64_t offset, int64_t count);

/// Counts the samples of `scores` ([N, ...]) whose argmax over their
/// elements equals their label in `labels` ([N] integers).
llvm::Expected<int64_t> countTop1(const Tensor &scores, const Tensor &labels);

} // namespace mlir::qnt

#endif // QUANTMLIR_RUNTIME_DATASET_H
