//===- Pipelines.h - qnt pass pipelines -------------------------*- C++ -*-===//

#ifndef QUANTMLIR_PIPELINES_PIPELINES_H
#define QUANTMLIR_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::qnt {

/// The CPU that qnt-cpu-pipeline compiles for.
enum class CPUTarget {
  /// Whatever LLVM detects on the compiling machine.
  Host,
  /// AVX-512 (16 f32 lanes).
  SapphireRapids,
  /// AVX2 + FMA (8 f32 lanes).
  X86_64_V3,
  /// No CPU-specific features (4 f32 lanes).
  Generic,
};

/// Options of qnt-cpu-pipeline.
struct CPUPipelineOptions : PassPipelineOptions<CPUPipelineOptions> {
  Option<CPUTarget> target{
      *this, "target",
      llvm::cl::desc("CPU to compile for: its vector width drives tiling, "
                     "and its name and features go on every llvm.func"),
      llvm::cl::init(CPUTarget::Host),
      llvm::cl::values(
          clEnumValN(CPUTarget::Host, "host", "the compiling machine's CPU"),
          clEnumValN(CPUTarget::SapphireRapids, "sapphirerapids",
                     "Intel Sapphire Rapids (AVX-512)"),
          clEnumValN(CPUTarget::X86_64_V3, "x86-64-v3", "x86-64 with AVX2"),
          clEnumValN(CPUTarget::Generic, "generic", "no CPU features"))};
  Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("tile and vectorize linalg ops (qnt-tile-and-vectorize); "
                     "false gives plain scalar loops"),
      llvm::cl::init(true)};
};

/// func + TOSA (+ linalg, + leftover qnt.batch_norm, + calibration probes,
/// which become runtime calls) on tensors down to the LLVM dialect: TOSA to
/// linalg, qnt-tile-and-vectorize, one-shot bufferization with
/// identity-layout function boundaries, what is left of linalg to loops,
/// vector.contract to FMAs, and the LLVM conversions; every llvm.func gets
/// the target's `target_cpu` and `target_features`. The output runs under
/// mlir-runner / the ExecutionEngine and translates with quant-translate
/// --mlir-to-llvmir.
void addCPUPasses(OpPassManager &pm, const CPUPipelineOptions &options);

/// addCPUPasses with the default options (target=host, vectorized).
void addCPUPasses(OpPassManager &pm);

/// Options of qnt-bnn-pipeline.
struct BNNPipelineOptions : PassPipelineOptions<BNNPipelineOptions> {
  Option<std::string> report{
      *this, "report",
      llvm::cl::desc("write qnt-binarize's per-layer report to this file "
                     "('-': stdout)"),
      llvm::cl::init("")};
  Option<bool> binarizeFirstLast{
      *this, "binarize-first-last",
      llvm::cl::desc("also binarize the first and the last conv/matmul"),
      llvm::cl::init(false)};
  Option<std::string> stats{
      *this, "stats",
      llvm::cl::desc("statistics file from quant-run --calibrate, taken on "
                     "this pipeline's output without stats: the layers that "
                     "stay multi-bit become int8 (qnt-quantize, symmetric, "
                     "per-channel); without it they stay float")};
};

/// Binary layers of a float model to XNOR-popcount ops: qnt-binarize first,
/// so that a batch norm after a binary layer becomes its epilogue or its
/// thresholds (qnt-fold-batchnorm would scale the +-alpha weights instead),
/// then qnt-fold-batchnorm for the batch norms of the layers left float,
/// then canonicalize and CSE. With `stats`, qnt-quantize then makes the
/// layers that stay multi-bit int8, and canonicalize and CSE run again: a
/// layer whose output only feeds a sign (the first) keeps its i32
/// accumulator, and the sign is taken from it after an integer max pool.
/// Without `stats`, those layers stay float.
void addBNNPasses(OpPassManager &pm, const BNNPipelineOptions &options);


/// Options of qnt-ptq-pipeline: those of qnt-quantize.
struct PTQPipelineOptions : PassPipelineOptions<PTQPipelineOptions> {
  Option<std::string> stats{
      *this, "stats",
      llvm::cl::desc("statistics file from quant-run --calibrate")};
  Option<std::string> scheme{*this, "scheme",
                             llvm::cl::desc("symmetric or asymmetric"),
                             llvm::cl::init("symmetric")};
  Option<std::string> granularity{
      *this, "granularity",
      llvm::cl::desc("weight scales per-tensor or per-channel"),
      llvm::cl::init("per-channel")};
  Option<unsigned> weightBits{*this, "weight-bits",
                              llvm::cl::desc("weight bit-width, 2 to 8"),
                              llvm::cl::init(8)};
  Option<unsigned> activationBits{
      *this, "activation-bits",
      llvm::cl::desc("activation bit-width, 2 to 8"), llvm::cl::init(8)};
  Option<std::string> activationRange{
      *this, "activation-range",
      llvm::cl::desc("minmax, percentile, mse or entropy"),
      llvm::cl::init("minmax")};
  Option<std::string> weightRange{
      *this, "weight-range",
      llvm::cl::desc("minmax, percentile, mse or entropy"),
      llvm::cl::init("minmax")};
  Option<double> percentile{
      *this, "percentile",
      llvm::cl::desc("percentile kept by the percentile range method"),
      llvm::cl::init(99.99)};
  Option<std::string> rounding{
      *this, "rounding",
      llvm::cl::desc("requantization rounding: single-round or double-round"),
      llvm::cl::init("single-round")};
  Option<bool> narrowRange{
      *this, "narrow-range",
      llvm::cl::desc("weights use [-(2^(b-1) - 1), 2^(b-1) - 1]"),
      llvm::cl::init(false)};
  Option<bool> firstLast8Bit{
      *this, "first-last-8bit",
      llvm::cl::desc("the first and last layer keep 8 bits"),
      llvm::cl::init(true)};
};

/// Post-training quantization: qnt-fold-batchnorm, canonicalize,
/// qnt-quantize with `options`, then canonicalize and cse.
void addPTQPasses(OpPassManager &pm, const PTQPipelineOptions &options);

/// Registers qnt-cpu-pipeline, qnt-bnn-pipeline and qnt-ptq-pipeline.
void registerQntPipelines();

} // namespace mlir::qnt

#endif // QUANTMLIR_PIPELINES_PIPELINES_H
