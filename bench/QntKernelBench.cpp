//===- QntKernelBench.cpp - our generated kernels -------------------------===//
//
// One small module per shape: a func.func @kernel taking the activations as
// its argument, with the weights as a constant (random, fixed seed), so the
// compiler may pack them at compile time just as oneDNN's weights are
// reordered ahead of time:
//   gemm_i8   qnt.matmul   i8 [M, K] x i8 [N, K] -> i32 [M, N]
//   conv_i8   qnt.conv2d   i8 NHWC x i8 OHWI -> i32 NHWC
//   gemm_bin  qnt.bmatmul  packed i32 [M, K/32] x [N, K/32] -> i32 dots
//   conv_bin  qnt.bconv2d  packed i32 NHWC x OHWI words -> i32 dots
// Zero points are 0 and there is no bias or epilogue: the core contraction
// only. Each module is compiled once, in process, by JitRunner (the
// qnt-cpu-pipeline for the host CPU, LLVM -O3) the first time its benchmark
// runs. A timed call is the compiled function alone, as `quant-run --bench`
// times it (but in thread CPU time, see Bench.h): it includes what the
// compiled code allocates (its result buffer and any temporaries, e.g.
// im2col or packed copies) but not the runner's argument checks, the copy
// of the result out of the returned buffer, or freeing it. A module that
// does not compile (an op without a lowering yet)
// makes its benchmark skip with the first diagnostic.
//
//===----------------------------------------------------------------------===//

#include "Bench.h"

#include "qnt/IR/QntDialect.h"
#include "quant-mlir/Runtime/JitRunner.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>
#include <map>
#include <memory>

namespace mlir::qnt::bench {

namespace {

/// A compiled kernel and the arguments it is called with.
struct CompiledKernel {
  std::unique_ptr<JitRunner> runner;
  std::vector<Tensor> arguments;
  double compileSeconds = 0;
  /// Why compilation failed; empty when `runner` is set.
  std::string error;
};

/// The text of one kernel module and its argument.
struct KernelSource {
  std::string module;
  Tensor argument;
};

} // namespace

static MLIRContext &getContext() {
  static MLIRContext *context = [] {
    DialectRegistry registry;
    registerAllDialects(registry);
    registerAllExtensions(registry);
    registry.insert<QntDialect>();
    auto *created = new MLIRContext(registry);
    // Compilation stays on the benchmark's thread.
    created->disableMultithreading();
    created->loadAllAvailableDialects();
    return created;
  }();
  return *context;
}

/// `dense<"0x...">` of raw little-endian bytes.
static std::string getHexAttr(const char *data, size_t bytes) {
  static const char digits[] = "0123456789ABCDEF";
  std::string text = "dense<\"0x";
  text.reserve(bytes * 2 + 12);
  for (size_t i = 0; i < bytes; ++i) {
    auto byte = static_cast<unsigned char>(data[i]);
    text += digits[byte >> 4];
    text += digits[byte & 15];
  }
  return text + "\">";
}

static std::string getTensorType(std::initializer_list<int64_t> shape,
                                 llvm::StringRef element) {
  std::string text = "tensor<";
  for (int64_t size : shape)
    text += std::to_string(size) + "x";
  return text + element.str() + ">";
}

static Tensor getRandomTensor(DType dtype, llvm::ArrayRef<int64_t> shape,
                              uint32_t seed) {
  Tensor tensor(dtype, shape);
  std::vector<int8_t> bytes = getRandomBytes(tensor.getNumBytes(), seed);
  std::memcpy(tensor.getData(), bytes.data(), bytes.size());
  return tensor;
}

/// Random packed bits: [..., ceil(bits / 32)] words whose tail past `bits`
/// is 0, as DESIGN.md's packing convention requires.
static Tensor getRandomPackedTensor(llvm::ArrayRef<int64_t> shape,
                                    int64_t bits, uint32_t seed) {
  Tensor tensor = getRandomTensor(DType::I32, shape, seed);
  int64_t words = shape.back();
  uint32_t tailMask =
      bits % 32 == 0 ? ~0u : (uint32_t(1) << (bits % 32)) - 1;
  auto *data = tensor.getDataAs<uint32_t>();
  for (int64_t i = words - 1; i < tensor.getNumElements(); i += words)
    data[i] &= tailMask;
  return tensor;
}

static std::string getFunction(const std::string &argumentType,
                               const std::string &weightType,
                               const std::string &weights,
                               const std::string &resultType,
                               const std::string &op,
                               const std::string &attributes) {
  return llvm::formatv(
      "func.func @kernel(%activations: {0}) -> {3} {{\n"
      "  %weights = arith.constant {2} : {1}\n"
      "  %out = {4} %activations, %weights {5} : ({0}, {1}) -> {3}\n"
      "  return %out : {3}\n"
      "}\n",
      argumentType, weightType, weights, resultType, op, attributes);
}

static KernelSource getGemmI8Source(const GemmShape &shape) {
  Tensor weights = getRandomTensor(DType::I8, {shape.n, shape.k}, 2);
  return {getFunction(getTensorType({shape.m, shape.k}, "i8"),
                      getTensorType({shape.n, shape.k}, "i8"),
                      getHexAttr(weights.getData(), weights.getNumBytes()),
                      getTensorType({shape.m, shape.n}, "i32"), "qnt.matmul",
                      ""),
          getRandomTensor(DType::I8, {shape.m, shape.k}, 1)};
}

static KernelSource getGemmBinarySource(const GemmShape &shape) {
  int64_t words = (shape.k + 31) / 32;
  Tensor weights = getRandomPackedTensor({shape.n, words}, shape.k, 2);
  return {getFunction(getTensorType({shape.m, words}, "i32"),
                      getTensorType({shape.n, words}, "i32"),
                      getHexAttr(weights.getData(), weights.getNumBytes()),
                      getTensorType({shape.m, shape.n}, "i32"), "qnt.bmatmul",
                      "{k = " + std::to_string(shape.k) + "}"),
          getRandomPackedTensor({shape.m, words}, shape.k, 1)};
}

static std::string getPadAttr(const ConvShape &shape) {
  std::string pad = std::to_string(shape.pad);
  return "pad = array<i64: " + pad + ", " + pad + ", " + pad + ", " + pad +
         ">";
}

static KernelSource getConvI8Source(const ConvShape &shape) {
  Tensor weights = getRandomTensor(
      DType::I8, {shape.filters, shape.kernel, shape.kernel, shape.channels},
      2);
  return {
      getFunction(
          getTensorType({shape.batch, shape.height, shape.width,
                         shape.channels},
                        "i8"),
          getTensorType(
              {shape.filters, shape.kernel, shape.kernel, shape.channels},
              "i8"),
          getHexAttr(weights.getData(), weights.getNumBytes()),
          getTensorType({shape.batch, shape.getOutHeight(),
                         shape.getOutWidth(), shape.filters},
                        "i32"),
          "qnt.conv2d", "{" + getPadAttr(shape) + "}"),
      getRandomTensor(DType::I8,
                      {shape.batch, shape.height, shape.width, shape.channels},
                      1)};
}

static KernelSource getConvBinarySource(const ConvShape &shape) {
  int64_t words = (shape.channels + 31) / 32;
  Tensor weights = getRandomPackedTensor(
      {shape.filters, shape.kernel, shape.kernel, words}, shape.channels, 2);
  return {
      getFunction(
          getTensorType({shape.batch, shape.height, shape.width, words},
                        "i32"),
          getTensorType({shape.filters, shape.kernel, shape.kernel, words},
                        "i32"),
          getHexAttr(weights.getData(), weights.getNumBytes()),
          getTensorType({shape.batch, shape.getOutHeight(),
                         shape.getOutWidth(), shape.filters},
                        "i32"),
          "qnt.bconv2d",
          "{channels = " + std::to_string(shape.channels) + ", " +
              getPadAttr(shape) + "}"),
      getRandomPackedTensor({shape.batch, shape.height, shape.width, words},
                            shape.channels, 1)};
}

static std::unique_ptr<CompiledKernel> compile(KernelSource source) {
  auto kernel = std::make_unique<CompiledKernel>();
  MLIRContext &context = getContext();
  // Keeps the first error for the skip message; the rest is noise.
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diagnostic) {
    if (diagnostic.getSeverity() == DiagnosticSeverity::Error &&
        kernel->error.empty())
      kernel->error = diagnostic.str();
    return success();
  });
  auto start = std::chrono::steady_clock::now();
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(source.module, &context);
  if (!module) {
    kernel->error = "parse: " + kernel->error;
    return kernel;
  }
  JitOptions options;
  options.entry = "kernel";
  llvm::Expected<std::unique_ptr<JitRunner>> runner =
      JitRunner::create(*module, options);
  if (!runner) {
    std::string message = llvm::toString(runner.takeError());
    kernel->error = kernel->error.empty() ? message
                                          : message + ": " + kernel->error;
    return kernel;
  }
  kernel->compileSeconds = std::chrono::duration<double>(
                               std::chrono::steady_clock::now() - start)
                               .count();
  kernel->runner = std::move(*runner);
  kernel->arguments.push_back(std::move(source.argument));
  return kernel;
}

/// Compiled kernels by family and shape. Never destroyed at exit: an
/// ExecutionEngine's destructor runs the JIT, which by then may be torn
/// down; releaseQntKernels() frees them while everything is alive.
static std::map<std::string, std::unique_ptr<CompiledKernel>> &getCache() {
  static auto *cache =
      new std::map<std::string, std::unique_ptr<CompiledKernel>>();
  return *cache;
}

void releaseQntKernels() { getCache().clear(); }

/// Compiles on first use (the benchmark function runs once per repetition)
/// and times calls of the compiled kernel.
template <typename MakeSource>
static void runKernel(::benchmark::State &state, const std::string &key,
                      MakeSource makeSource) {
  std::unique_ptr<CompiledKernel> &kernel = getCache()[key];
  if (!kernel)
    kernel = compile(makeSource());
  if (!kernel->runner) {
    state.SkipWithError(("does not compile: " + kernel->error).c_str());
    return;
  }
  // One untimed call, as for the baselines.
  if (llvm::Expected<RunResult> result =
          kernel->runner->run(kernel->arguments);
      !result) {
    state.SkipWithError(llvm::toString(result.takeError()).c_str());
    return;
  }
  CallTimer timer;
  for (auto _ : state) {
    llvm::Expected<RunResult> result = kernel->runner->run(kernel->arguments);
    if (!result) {
      state.SkipWithError(llvm::toString(result.takeError()).c_str());
      break;
    }
    timer.record(state, result->cpuSeconds, result->seconds);
  }
  timer.finish(state);
  state.counters["compile_s"] = kernel->compileSeconds;
}

void registerQntBenchmarks() {
  for (const GemmShape &shape : getGemmShapes()) {
    std::string key = "gemm_i8/" + shape.name;
    registerBenchmark("gemm_i8", "qnt", shape.name, shape.getMacs(),
                      [shape, key](::benchmark::State &state) {
                        runKernel(state, key,
                                  [&] { return getGemmI8Source(shape); });
                      });
    key = "gemm_bin/" + shape.name;
    registerBenchmark("gemm_bin", "qnt", shape.name, shape.getMacs(),
                      [shape, key](::benchmark::State &state) {
                        runKernel(state, key,
                                  [&] { return getGemmBinarySource(shape); });
                      });
  }
  for (const ConvShape &shape : getConvShapes()) {
    std::string key = "conv_i8/" + shape.name;
    registerBenchmark("conv_i8", "qnt", shape.name, shape.getMacs(),
                      [shape, key](::benchmark::State &state) {
                        runKernel(state, key,
                                  [&] { return getConvI8Source(shape); });
                      });
    if (!shape.binary)
      continue;
    key = "conv_bin/" + shape.name;
    registerBenchmark("conv_bin", "qnt", shape.name, shape.getMacs(),
                      [shape, key](::benchmark::State &state) {
                        runKernel(state, key,
                                  [&] { return getConvBinarySource(shape); });
                      });
  }
}

} // namespace mlir::qnt::bench
