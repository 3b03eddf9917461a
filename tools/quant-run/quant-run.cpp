//===- quant-run.cpp - JIT-run a model on tensors or a dataset ------------===//
//
// Compiles a func + TOSA module for the host CPU, runs its entry function on
// .npy / raw inputs or over a whole IDX dataset, and prints results, top-1
// accuracy or latency. Every failure is a message and exit code 1.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/InitAll.h"
#include "quant-mlir/Runtime/Dataset.h"
#include "quant-mlir/Runtime/IdxReader.h"
#include "quant-mlir/Runtime/JitRunner.h"
#include "quant-mlir/Runtime/TensorIO.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
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

static cl::opt<std::string> modulePath(cl::Positional, cl::Required,
                                       cl::desc("<model.mlir>"),
                                       cl::cat(generalCat));
static cl::opt<std::string>
    entryName("entry", cl::desc("Entry function (default: model)"),
              cl::init("model"), cl::value_desc("name"), cl::cat(generalCat));
static cl::opt<unsigned>
    optLevel("O", cl::desc("LLVM optimization level 0-3 (default: 3)"),
             cl::Prefix, cl::init(3), cl::cat(generalCat));

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

static llvm::Error runDataset(JitRunner &runner) {
  if (runner.getInputs().size() != 1)
    return makeError("--dataset feeds an entry with one argument; @" +
                     runner.getEntry() + " takes " +
                     llvm::Twine(runner.getInputs().size()));
  llvm::Expected<Tensor> samples = readSamples(datasetPath);
  if (!samples)
    return samples.takeError();
  int64_t available = samples->getShape().empty() ? 0
                                                  : samples->getShape()[0];
  int64_t numSamples = limit > 0 ? std::min<int64_t>(limit, available)
                                 : available;
  Preprocessing preprocessing;
  preprocessing.scale = scale;
  preprocessing.mean.assign(mean.begin(), mean.end());
  preprocessing.stddev.assign(stddev.begin(), stddev.end());
  preprocessing.layout = layout;
  llvm::Expected<BatchMaker> batches =
      BatchMaker::create(*samples, numSamples, runner.getInputs().front(),
                         std::move(preprocessing));
  if (!batches)
    return makeError("'" + datasetPath +
                     "': " + llvm::toString(batches.takeError()));

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

  bool showProgress = progress == cl::BOU_TRUE ||
                      (progress == cl::BOU_UNSET &&
                       llvm::sys::Process::StandardErrIsDisplayed());
  ProgressBar bar(batches->getNumBatches(), showProgress);
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

  JitOptions options;
  options.entry = entryName;
  options.optLevel = optLevel;
  llvm::Expected<std::unique_ptr<JitRunner>> runner =
      JitRunner::create(*module, options);
  if (!runner)
    return runner.takeError();
  if (outputPaths.size() > (*runner)->getResults().size())
    return makeError(llvm::Twine(outputPaths.size()) +
                     " --output files for the " +
                     llvm::Twine((*runner)->getResults().size()) +
                     " result(s) of @" + entryName);
  return datasetPath.empty() ? runOnInputs(**runner)
                             : runDataset(**runner);
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions({&generalCat, &inputCat, &datasetCat, &outputCat,
                            &benchCat});
  cl::ParseCommandLineOptions(
      argc, argv,
      "quant-run: JIT-compile a func + TOSA module for the host CPU and run "
      "its entry function\n\n"
      "  quant-run model.mlir --input=x.npy [--output=y.npy]\n"
      "  quant-run model.mlir --dataset=images.idx3-ubyte.gz "
      "--labels=labels.idx1-ubyte.gz --scale=0.00392156862745098\n"
      "  quant-run model.mlir --bench [--input=x.npy] [--runs=100]\n");

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
