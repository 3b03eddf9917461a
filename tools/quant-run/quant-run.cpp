//===- quant-run.cpp - JIT-run a model on tensors or a dataset ------------===//
//
// Compiles a func + TOSA module for the host CPU, runs its entry function on
// .npy / raw inputs or over a whole IDX dataset, and prints results, top-1
// accuracy or latency, or calibrates: instruments the module with
// qnt-insert-observers and writes the activation and weight statistics as
// JSON (docs/calibration.md). Every failure is a message and exit code 1.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/InitAll.h"
#include "quant-mlir/Runtime/Dataset.h"
#include "quant-mlir/Runtime/IdxReader.h"
#include "quant-mlir/Runtime/JitRunner.h"
#include "quant-mlir/Runtime/Observers.h"
#include "quant-mlir/Runtime/TensorIO.h"
#include "quant-mlir/Transforms/Passes.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

#include <charconv>
#include <chrono>
#include <cstring>

using namespace mlir;
using namespace mlir::qnt;
namespace cl = llvm::cl;

static cl::OptionCategory generalCat("General");
static cl::OptionCategory inputCat("Inputs (one per entry argument, in order)");
static cl::OptionCategory datasetCat(
    "Dataset (feeds the entry's only argument, whose dimension 0 is the "
    "batch size; the last batch is padded and the padding ignored)");
static cl::OptionCategory outputCat("Outputs");
static cl::OptionCategory benchCat("Benchmark");
static cl::OptionCategory calibrationCat(
    "Calibration (observes every activation over --dataset; see "
    "docs/calibration.md)");

static cl::opt<std::string> modulePath(cl::Positional, cl::Required,
                                       cl::desc("<model.mlir>"),
                                       cl::cat(generalCat));
static cl::opt<std::string>
    entryName("entry", cl::desc("Entry function (default: model)"),
              cl::init("model"), cl::value_desc("name"), cl::cat(generalCat));
static cl::opt<unsigned>
    optLevel("O", cl::desc("LLVM optimization level 0-3 (default: 3)"),
             cl::Prefix, cl::init(3), cl::cat(generalCat));

static cl::opt<std::string> cpuPipeline(
    "cpu-pipeline",
    cl::desc("Options of the qnt-cpu-pipeline that compiles the module, "
             "e.g. 'target=x86-64-v3' or 'vectorize=false' (default: its "
             "defaults, target=host)"),
    cl::value_desc("options"), cl::cat(generalCat));

static cl::list<std::string> inputPaths(
    "input",
    cl::desc("An argument's data: a .npy (or .npy.gz) file, or a raw C-order "
             "host-endian file, either as 'file' (taking the argument's "
             "type) or as 'file:2x3xf32' (stated, checked against it)"),
    cl::value_desc("file[:type]"), cl::cat(inputCat));

static cl::opt<std::string> datasetPath(
    "dataset",
    cl::desc("Samples [N, ...]: an IDX file (gzipped or not) or a .npy file"),
    cl::value_desc("file"), cl::cat(datasetCat));
static cl::opt<std::string> labelsPath(
    "labels",
    cl::desc("Integer labels [N] (IDX or .npy): prints the top-1 accuracy "
             "of result #0 (argmax over each sample's values)"),
    cl::value_desc("file"), cl::cat(datasetCat));
static cl::opt<int64_t> limit("limit",
                              cl::desc("Use only the first n samples"),
                              cl::init(0), cl::value_desc("n"),
                              cl::cat(datasetCat));
static cl::opt<double>
    scale("scale",
          cl::desc("Multiply every value, e.g. 0.00392156862745098 (1/255)"),
          cl::init(1.0), cl::value_desc("f"), cl::cat(datasetCat));
static cl::list<double>
    mean("mean",
         cl::desc("Subtract after scaling: one value or one per channel"),
         cl::CommaSeparated, cl::value_desc("m[,m...]"), cl::cat(datasetCat));
static cl::list<double>
    stddev("std", cl::desc("Then divide: one value or one per channel"),
           cl::CommaSeparated, cl::value_desc("s[,s...]"),
           cl::cat(datasetCat));
static cl::opt<Layout> layout(
    "layout",
    cl::desc("How the entry wants the channels-last samples (default: auto)"),
    cl::values(clEnumValN(Layout::Auto, "auto",
                          "NCHW if the input's sample shape is [C, H, W] "
                          "with C > 1, else the samples in order"),
               clEnumValN(Layout::NCHW, "nchw", "transpose to [C, H, W]"),
               clEnumValN(Layout::NHWC, "nhwc", "keep [H, W, C]")),
    cl::init(Layout::Auto), cl::cat(datasetCat));
static cl::opt<cl::boolOrDefault> progress(
    "progress",
    cl::desc("Progress bar on stderr (default: when stderr is a terminal)"),
    cl::cat(datasetCat));

static cl::list<std::string> outputPaths(
    "output",
    cl::desc("Write result #i to the i-th .npy file (dataset runs: all "
             "samples as [N, ...], padding dropped)"),
    cl::value_desc("file.npy"), cl::cat(outputCat));
static cl::opt<cl::boolOrDefault> printResults(
    "print-results",
    cl::desc("Print the results on stdout (default: unless --output, --bench "
             "or --dataset is given)"),
    cl::cat(outputCat));

static cl::opt<bool>
    bench("bench",
          cl::desc("Time the entry on the inputs (or the first dataset "
                   "batch, or generated data): median and p90 latency"),
          cl::cat(benchCat));
static cl::opt<unsigned> warmup("warmup",
                                cl::desc("Untimed runs first (default: 3)"),
                                cl::init(3), cl::cat(benchCat));
static cl::opt<unsigned> runs("runs",
                              cl::desc("Timed runs (default: 20)"),
                              cl::init(20), cl::cat(benchCat));

static cl::opt<int64_t> calibrate(
    "calibrate",
    cl::desc("Gather statistics over the first n samples of --dataset (0: "
             "all); only full batches are used"),
    cl::value_desc("n"), cl::cat(calibrationCat));
static cl::opt<std::string>
    statsOut("stats-out",
             cl::desc("Where --calibrate writes its JSON statistics"),
             cl::value_desc("file.json"), cl::cat(calibrationCat));
static cl::opt<std::string> calibrateKind(
    "calibrate-kind",
    cl::desc("Statistics per activation: minmax (one pass over the data) or "
             "histogram (default; min/max, then a second pass for the bins)"),
    cl::init("histogram"), cl::value_desc("minmax|histogram"),
    cl::cat(calibrationCat));
static cl::opt<int64_t>
    calibrateBins("calibrate-bins",
                  cl::desc("Histogram bins per activation (default: 2048)"),
                  cl::init(2048), cl::value_desc("n"),
                  cl::cat(calibrationCat));

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static bool isNpyPath(llvm::StringRef path) {
  return path.ends_with(".npy") || path.ends_with(".npy.gz");
}

/// Reads one --input for an argument of type `expected`.
static llvm::Expected<Tensor> readInput(llvm::StringRef text,
                                        const TensorSpec &expected,
                                        unsigned index) {
  auto mismatch = [&](llvm::StringRef path, const TensorSpec &actual) {
    return makeError("'" + path + "' holds " + actual.str() +
                     ", but argument #" + llvm::Twine(index) + " of @" +
                     entryName + " is " + expected.str());
  };
  if (isNpyPath(text)) {
    llvm::Expected<Tensor> tensor = readNpyFile(text);
    if (tensor && tensor->getSpec() != expected)
      return mismatch(text, tensor->getSpec());
    return tensor;
  }
  auto [path, typeText] = text.rsplit(':');
  std::optional<TensorSpec> stated = parseTensorSpec(typeText);
  if (!stated)
    path = text;
  else if (*stated != expected)
    return mismatch(path, *stated);
  return readRawFile(path, expected);
}

/// Reads a dataset or labels file: .npy by its name, IDX otherwise.
static llvm::Expected<Tensor> readSamples(llvm::StringRef path) {
  return isNpyPath(path) ? readNpyFile(path) : readIdxFile(path);
}

/// Deterministic data in [-1, 1) (floats) or [-8, 8) (integers) for
/// benchmarks without inputs.
static Tensor makeBenchInput(const TensorSpec &spec) {
  Tensor tensor(spec);
  uint32_t state = 12345;
  for (int64_t i = 0, e = tensor.getNumElements(); i < e; ++i) {
    state = state * 1664525u + 1013904223u;
    double unit = (state >> 8) / double(1 << 24);
    tensor.setFromDouble(i, isFloatDType(spec.dtype)
                                ? 2 * unit - 1
                                : std::floor(16 * unit) - 8);
  }
  return tensor;
}

//===----------------------------------------------------------------------===//
// Printing
//===----------------------------------------------------------------------===//

static void printValue(llvm::raw_ostream &os, const Tensor &tensor,
                       int64_t index) {
  char buffer[64];
  std::to_chars_result end;
  switch (tensor.getDType()) {
  case DType::F32:
    end = std::to_chars(buffer, buffer + sizeof(buffer),
                        tensor.getDataAs<float>()[index]);
    break;
  case DType::F64:
    end = std::to_chars(buffer, buffer + sizeof(buffer),
                        tensor.getDataAs<double>()[index]);
    break;
  case DType::I64:
    end = std::to_chars(buffer, buffer + sizeof(buffer),
                        tensor.getDataAs<int64_t>()[index]);
    break;
  default:
    end = std::to_chars(buffer, buffer + sizeof(buffer),
                        static_cast<int64_t>(tensor.getAsDouble(index)));
    break;
  }
  os << llvm::StringRef(buffer, end.ptr - buffer);
}

/// NumPy-like nesting: one innermost row per line.
static void printNested(llvm::raw_ostream &os, const Tensor &tensor,
                        unsigned dim, int64_t &index) {
  llvm::ArrayRef<int64_t> shape = tensor.getShape();
  if (dim == shape.size()) {
    printValue(os, tensor, index++);
    return;
  }
  os << '[';
  for (int64_t i = 0; i < shape[dim]; ++i) {
    if (i > 0) {
      os << ',';
      if (dim + 1 == shape.size())
        os << ' ';
      else
        os << std::string(shape.size() - dim - 1, '\n')
           << std::string(dim + 1, ' ');
    }
    printNested(os, tensor, dim + 1, index);
  }
  os << ']';
}

static void printTensor(llvm::raw_ostream &os, llvm::StringRef label,
                        const Tensor &tensor) {
  os << label << ": " << tensor.getSpec().str() << "\n";
  int64_t index = 0;
  printNested(os, tensor, 0, index);
  os << "\n";
}

/// Median and p90 (nearest rank) of `seconds`, in milliseconds.
static std::pair<double, double> getLatencies(std::vector<double> seconds) {
  llvm::sort(seconds);
  size_t n = seconds.size();
  double median = n % 2 ? seconds[n / 2]
                        : (seconds[n / 2 - 1] + seconds[n / 2]) / 2;
  size_t rank = (9 * n + 9) / 10;
  return {median * 1e3, seconds[std::max<size_t>(rank, 1) - 1] * 1e3};
}

/// A one-line bar on stderr, redrawn at most every 100 ms.
class ProgressBar {
public:
  ProgressBar(int64_t total, bool enabled) : total(total), enabled(enabled) {}

  void update(int64_t done) {
    if (!enabled)
      return;
    auto now = std::chrono::steady_clock::now();
    if (done != total && now - lastDraw < std::chrono::milliseconds(100))
      return;
    lastDraw = now;
    constexpr int64_t width = 30;
    int64_t filled = total ? done * width / total : width;
    llvm::errs() << "\r[" << std::string(filled, '#')
                 << std::string(width - filled, '.') << "] " << done << "/"
                 << total << " batches";
    if (done == total)
      llvm::errs() << "\n";
    llvm::errs().flush();
  }

private:
  int64_t total;
  bool enabled;
  std::chrono::steady_clock::time_point lastDraw;
};

//===----------------------------------------------------------------------===//
// Modes
//===----------------------------------------------------------------------===//

static llvm::Error writeOutputs(llvm::ArrayRef<Tensor> results) {
  for (auto [path, result] : llvm::zip(outputPaths, results))
    if (llvm::Error error = writeNpyFile(path, result))
      return error;
  return llvm::Error::success();
}

static void printAll(llvm::ArrayRef<Tensor> results) {
  for (auto [index, result] : llvm::enumerate(results))
    printTensor(llvm::outs(), "result #" + std::to_string(index), result);
}

static llvm::Error runBench(JitRunner &runner,
                            llvm::ArrayRef<Tensor> arguments) {
  if (runs == 0)
    return makeError("--runs must be at least 1");
  for (unsigned i = 0; i < warmup; ++i)
    if (llvm::Expected<RunResult> outcome = runner.run(arguments); !outcome)
      return outcome.takeError();
  std::vector<double> seconds;
  for (unsigned i = 0; i < runs; ++i) {
    llvm::Expected<RunResult> outcome = runner.run(arguments);
    if (!outcome)
      return outcome.takeError();
    seconds.push_back(outcome->seconds);
  }
  auto [median, p90] = getLatencies(seconds);
  llvm::ArrayRef<TensorSpec> inputs = runner.getInputs();
  int64_t batch = !inputs.empty() && !inputs.front().shape.empty()
                      ? inputs.front().shape.front()
                      : 1;
  llvm::outs() << "bench @" << runner.getEntry() << ": batch " << batch
               << ", " << runs.getValue() << " runs after " << warmup
               << " warm-up\n"
               << llvm::format("latency: median %.4f ms, p90 %.4f ms, "
                               "min %.4f ms\n",
                               median, p90,
                               *llvm::min_element(seconds) * 1e3)
               << llvm::format("throughput: %.1f samples/s at the median\n",
                               batch / median * 1e3);
  return llvm::Error::success();
}

static Preprocessing getPreprocessing() {
  Preprocessing preprocessing;
  preprocessing.scale = scale;
  preprocessing.mean.assign(mean.begin(), mean.end());
  preprocessing.stddev.assign(stddev.begin(), stddev.end());
  preprocessing.layout = layout;
  return preprocessing;
}

/// The --dataset samples and their batches for the entry's one argument.
struct Dataset {
  /// Boxed: the batch maker points at it.
  std::unique_ptr<Tensor> samples;
  std::optional<BatchMaker> batches;
};

/// Reads --dataset and cuts its first `sampleLimit` samples (0: all) into
/// batches.
static llvm::Expected<Dataset> loadDataset(JitRunner &runner,
                                           int64_t sampleLimit) {
  if (runner.getInputs().size() != 1)
    return makeError("--dataset feeds an entry with one argument; @" +
                     runner.getEntry() + " takes " +
                     llvm::Twine(runner.getInputs().size()));
  llvm::Expected<Tensor> samples = readSamples(datasetPath);
  if (!samples)
    return samples.takeError();
  Dataset dataset;
  dataset.samples = std::make_unique<Tensor>(std::move(*samples));
  llvm::ArrayRef<int64_t> shape = dataset.samples->getShape();
  int64_t available = shape.empty() ? 0 : shape.front();
  int64_t numSamples = sampleLimit > 0
                           ? std::min<int64_t>(sampleLimit, available)
                           : available;
  llvm::Expected<BatchMaker> batches =
      BatchMaker::create(*dataset.samples, numSamples,
                         runner.getInputs().front(), getPreprocessing());
  if (!batches)
    return makeError("'" + datasetPath +
                     "': " + llvm::toString(batches.takeError()));
  dataset.batches.emplace(std::move(*batches));
  return dataset;
}

static bool showProgress() {
  return progress == cl::BOU_TRUE ||
         (progress == cl::BOU_UNSET &&
          llvm::sys::Process::StandardErrIsDisplayed());
}

static llvm::Error runDataset(JitRunner &runner) {
  llvm::Expected<Dataset> dataset = loadDataset(runner, limit);
  if (!dataset)
    return dataset.takeError();
  BatchMaker *batches = &*dataset->batches;
  int64_t numSamples = batches->getNumSamples();

  std::optional<Tensor> labels;
  if (!labelsPath.empty()) {
    llvm::Expected<Tensor> read = readSamples(labelsPath);
    if (!read)
      return read.takeError();
    if (read->getNumElements() < numSamples)
      return makeError("'" + labelsPath + "' has " +
                       llvm::Twine(read->getNumElements()) + " labels for " +
                       llvm::Twine(numSamples) + " samples");
    labels.emplace(read->getDType(), llvm::ArrayRef<int64_t>{numSamples});
    std::memcpy(labels->getData(), read->getData(), labels->getNumBytes());
  }

  if (bench) {
    Tensor first = batches->makeBatch(0).first;
    return runBench(runner, first);
  }

  int64_t batchSize = batches->getBatchSize();
  llvm::SmallVector<ResultGatherer> gatherers;
  for (const TensorSpec &spec : runner.getResults()) {
    llvm::Expected<ResultGatherer> gatherer =
        ResultGatherer::create(spec, batchSize, numSamples);
    if (!gatherer)
      return gatherer.takeError();
    gatherers.push_back(std::move(*gatherer));
  }

  ProgressBar bar(batches->getNumBatches(), showProgress());
  std::vector<double> seconds;
  for (int64_t index = 0; index < batches->getNumBatches(); ++index) {
    auto [batch, count] = batches->makeBatch(index);
    llvm::Expected<RunResult> outcome = runner.run(batch);
    if (!outcome)
      return outcome.takeError();
    for (auto [gatherer, result] : llvm::zip(gatherers, outcome->results))
      gatherer.append(result, count);
    seconds.push_back(outcome->seconds);
    bar.update(index + 1);
  }

  auto [median, p90] = getLatencies(seconds);
  llvm::outs() << "samples: " << numSamples << " in "
               << batches->getNumBatches() << " batches of " << batchSize
               << "\n"
               << llvm::format("latency: median %.4f ms, p90 %.4f ms per "
                               "batch\n",
                               median, p90);
  llvm::SmallVector<Tensor> gathered;
  for (ResultGatherer &gatherer : gatherers)
    gathered.push_back(gatherer.takeTensor());
  if (labels) {
    if (gathered.empty())
      return makeError("@" + runner.getEntry() +
                       " returns nothing to score against --labels");
    llvm::Expected<int64_t> correct = countTop1(gathered.front(), *labels);
    if (!correct)
      return makeError("'" + labelsPath +
                       "': " + llvm::toString(correct.takeError()));
    llvm::outs() << llvm::format("accuracy: %.4f (%lld/%lld)\n",
                                 double(*correct) / numSamples,
                                 static_cast<long long>(*correct),
                                 static_cast<long long>(numSamples));
  }
  if (printResults == cl::BOU_TRUE)
    printAll(gathered);
  return writeOutputs(gathered);
}

static llvm::Error runOnInputs(JitRunner &runner) {
  llvm::ArrayRef<TensorSpec> inputs = runner.getInputs();
  llvm::SmallVector<Tensor> arguments;
  if (inputPaths.empty() && bench) {
    for (const TensorSpec &spec : inputs)
      arguments.push_back(makeBenchInput(spec));
  } else {
    if (inputPaths.size() != inputs.size())
      return makeError("@" + runner.getEntry() + " takes " +
                       llvm::Twine(inputs.size()) + " argument(s), but " +
                       llvm::Twine(inputPaths.size()) +
                       " --input given");
    for (auto [index, path] : llvm::enumerate(inputPaths)) {
      llvm::Expected<Tensor> tensor = readInput(path, inputs[index], index);
      if (!tensor)
        return tensor.takeError();
      arguments.push_back(std::move(*tensor));
    }
  }
  if (bench)
    return runBench(runner, arguments);

  llvm::Expected<RunResult> outcome = runner.run(arguments);
  if (!outcome)
    return outcome.takeError();
  bool print = printResults == cl::BOU_TRUE ||
               (printResults == cl::BOU_UNSET && outputPaths.empty());
  if (print)
    printAll(outcome->results);
  return writeOutputs(outcome->results);
}

static llvm::StringRef getLayoutName(Layout value) {
  switch (value) {
  case Layout::Auto:
    return "auto";
  case Layout::NCHW:
    return "nchw";
  case Layout::NHWC:
    return "nhwc";
  }
  llvm_unreachable("unknown layout");
}

/// Runs the full batches of the first --calibrate samples through the
/// instrumented entry (twice when histograms need their final range) and
/// writes the statistics to `output`. A partial last batch is left out:
/// its zero padding would enter the statistics of every activation.
static llvm::Error runCalibration(JitRunner &runner,
                                  ObserverCollector &collector,
                                  llvm::json::Object weights,
                                  llvm::ToolOutputFile &output) {
  llvm::Expected<Dataset> dataset = loadDataset(runner, calibrate);
  if (!dataset)
    return dataset.takeError();
  const BatchMaker &batches = *dataset->batches;
  int64_t batchSize = batches.getBatchSize();
  int64_t numBatches = batches.getNumSamples() / batchSize;
  if (numBatches == 0)
    return makeError("--calibrate needs at least one full batch of " +
                     llvm::Twine(batchSize) + " samples, but has " +
                     llvm::Twine(batches.getNumSamples()));
  int64_t used = numBatches * batchSize;
  if (used < batches.getNumSamples())
    llvm::errs() << "quant-run: note: calibrating on " << used << " of "
                 << batches.getNumSamples() << " samples (full batches of "
                 << batchSize << " only)\n";

  int passes = collector.needsHistogramPass() ? 2 : 1;
  ProgressBar bar(passes * numBatches, showProgress());
  for (int pass = 0; pass < passes; ++pass) {
    if (pass == 1)
      collector.startHistogramPass();
    for (int64_t index = 0; index < numBatches; ++index) {
      llvm::Expected<RunResult> outcome =
          runner.run(batches.makeBatch(index).first);
      if (!outcome)
        return outcome.takeError();
      if (llvm::Error error = collector.takeError())
        return error;
      bar.update(pass * numBatches + index + 1);
    }
  }

  size_t numWeights = weights.size();
  llvm::json::Object root{
      {"version", 1},
      {"model", modulePath.getValue()},
      {"entry", runner.getEntry().str()},
      {"dataset",
       llvm::json::Object{
           {"path", datasetPath.getValue()},
           {"samples", used},
           {"batch_size", batchSize},
           {"preprocessing",
            llvm::json::Object{
                {"scale", scale.getValue()},
                {"mean", llvm::json::Array(mean)},
                {"std", llvm::json::Array(stddev)},
                {"layout", getLayoutName(layout)}}}}},
      {"observers",
       llvm::json::Object{{"kind", calibrateKind.getValue()},
                          {"bins", calibrateBins.getValue()},
                          {"passes", passes}}},
      {"activations", collector.toJSON()},
      {"weights", std::move(weights)},
  };
  output.os() << llvm::formatv("{0:2}", llvm::json::Value(std::move(root)))
              << "\n";
  output.os().close();
  if (std::error_code error = output.os().error()) {
    output.os().clear_error();
    return makeError("cannot write '" + statsOut + "': " + error.message());
  }
  output.keep();
  llvm::outs() << "calibrated " << collector.getSpecs().size()
               << " activations and " << numWeights << " weights on "
               << used << " samples (batch " << batchSize << ", " << passes
               << " pass"
               << (passes == 1 ? "" : "es") << "): " << statsOut << "\n";
  return llvm::Error::success();
}

/// Checks the calibration options that need no module.
static llvm::Error checkCalibrationOptions() {
  if (statsOut.empty())
    return makeError("--calibrate needs --stats-out=<file.json>");
  if (datasetPath.empty())
    return makeError("--calibrate needs --dataset");
  if (calibrate < 0)
    return makeError("--calibrate takes a sample count >= 0 (0: all)");
  if (calibrateKind != "minmax" && calibrateKind != "histogram")
    return makeError("--calibrate-kind must be minmax or histogram, not '" +
                     calibrateKind + "'");
  if (calibrateBins < 1)
    return makeError("--calibrate-bins must be at least 1");
  if (!labelsPath.empty() || !outputPaths.empty() || bench ||
      limit.getNumOccurrences())
    return makeError("--calibrate excludes --labels, --output, --bench and "
                     "--limit (--calibrate=n takes the first n samples)");
  return llvm::Error::success();
}

/// Puts probes on the module's activations and lowers them to calls of the
/// observer entry point; returns the statistics of the weights, read while
/// the probes still name the ops they observe.
static llvm::Expected<llvm::json::Object> instrument(ModuleOp module) {
  PassManager insert(module.getContext());
  QntInsertObserversPassOptions observerOptions;
  observerOptions.kind = calibrateKind;
  observerOptions.bins = calibrateBins;
  insert.addPass(createQntInsertObserversPass(observerOptions));
  if (failed(insert.run(module)))
    return makeError("inserting the calibration probes failed");
  llvm::json::Object weights = collectWeightStats(module);
  PassManager lower(module.getContext());
  lower.addPass(createQntLowerObserversPass());
  if (failed(lower.run(module)))
    return makeError("lowering the calibration probes failed");
  return weights;
}

static llvm::Error runMain(MLIRContext &context) {
  std::string errorMessage;
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFileOrSTDIN(modulePath, /*IsText=*/true);
  if (!file)
    return makeError("cannot open '" + modulePath +
                     "': " + file.getError().message());
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(*file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr,
                                                           &context);
  if (!module)
    return makeError("cannot parse '" + modulePath + "'");

  if (!datasetPath.empty() && !inputPaths.empty())
    return makeError("--dataset and --input exclude each other");
  if (datasetPath.empty() && !labelsPath.empty())
    return makeError("--labels needs --dataset");
  bool calibrating = calibrate.getNumOccurrences() > 0;
  if (!calibrating && (!statsOut.empty() || calibrateKind.getNumOccurrences() ||
                       calibrateBins.getNumOccurrences()))
    return makeError("--stats-out, --calibrate-kind and --calibrate-bins "
                     "need --calibrate");

  // Opened first, so an unwritable path fails before any work; removed
  // again unless the statistics are complete.
  std::unique_ptr<llvm::ToolOutputFile> statsFile;
  std::optional<llvm::json::Object> weights;
  std::vector<ObserverSpec> observers;
  if (calibrating) {
    if (llvm::Error error = checkCalibrationOptions())
      return error;
    std::error_code error;
    statsFile = std::make_unique<llvm::ToolOutputFile>(
        statsOut, error, llvm::sys::fs::OF_Text);
    if (error)
      return makeError("cannot write '" + statsOut + "': " + error.message());
    llvm::Expected<llvm::json::Object> weightStats = instrument(*module);
    if (!weightStats)
      return weightStats.takeError();
    weights = std::move(*weightStats);
    llvm::Expected<std::vector<ObserverSpec>> table =
        readObserverTable(*module);
    if (!table)
      return table.takeError();
    observers = std::move(*table);
  }

  JitOptions options;
  options.entry = entryName;
  options.optLevel = optLevel;
  options.cpuPipeline = cpuPipeline;
  // Probes in a module run without --calibrate do nothing.
  options.symbols[kObserveSymbol] =
      reinterpret_cast<void *>(&_mlir_ciface_qnt_observe_f32);
  llvm::Expected<std::unique_ptr<JitRunner>> runner =
      JitRunner::create(*module, options);
  if (!runner)
    return runner.takeError();
  if (outputPaths.size() > (*runner)->getResults().size())
    return makeError(llvm::Twine(outputPaths.size()) +
                     " --output files for the " +
                     llvm::Twine((*runner)->getResults().size()) +
                     " result(s) of @" + entryName);
  if (calibrating) {
    ObserverCollector collector(std::move(observers));
    setActiveCollector(&collector);
    llvm::Error error =
        runCalibration(**runner, collector, std::move(*weights), *statsFile);
    setActiveCollector(nullptr);
    return error;
  }
  return datasetPath.empty() ? runOnInputs(**runner)
                             : runDataset(**runner);
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions({&generalCat, &inputCat, &datasetCat, &outputCat,
                            &benchCat, &calibrationCat});
  cl::ParseCommandLineOptions(
      argc, argv,
      "quant-run: JIT-compile a func + TOSA module for the host CPU and run "
      "its entry function\n\n"
      "  quant-run model.mlir --input=x.npy [--output=y.npy]\n"
      "  quant-run model.mlir --dataset=images.idx3-ubyte.gz "
      "--labels=labels.idx1-ubyte.gz --scale=0.00392156862745098\n"
      "  quant-run model.mlir --bench [--input=x.npy] [--runs=100]\n"
      "  quant-run model.mlir --dataset=images.idx3-ubyte.gz "
      "--calibrate=512 --stats-out=stats.json\n");

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerQntDialects(registry);
  MLIRContext context(registry);

  if (llvm::Error error = runMain(context)) {
    llvm::WithColor::error(llvm::errs(), "quant-run")
        << llvm::toString(std::move(error)) << "\n";
    return 1;
  }
  return 0;
}
