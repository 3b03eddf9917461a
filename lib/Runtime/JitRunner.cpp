//===- JitRunner.cpp - JIT execution of an entry function -----------------===//
//
// The C interface of `func.func @f(tensor<...>) -> tensor<...>` after
// bufferization with identity-layout boundaries is
//   void _mlir_ciface_f(Results *out, Descriptor *arg0, ...)
// where a rank-r descriptor is {allocated ptr, aligned ptr, offset,
// sizes[r], strides[r]}, all 8-byte fields, and `Results` is the single
// result's descriptor or a struct of all results' descriptors, so every
// descriptor here is a flat array of 64-bit words. The pipeline frees no
// buffer it returns and not all it uses, so the runner tracks the compiled
// code's malloc/free and frees what is left after each call.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/Runtime/JitRunner.h"
#include "quant-mlir/Pipelines/Pipelines.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace mlir::qnt {

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

//===----------------------------------------------------------------------===//
// Allocation tracking
//===----------------------------------------------------------------------===//

/// Live allocations of the compiled code during the current call; null
/// outside calls, so allocations made at initialization persist.
static thread_local llvm::DenseSet<void *> *liveAllocations = nullptr;

static void *track(void *pointer) {
  if (pointer && liveAllocations)
    liveAllocations->insert(pointer);
  return pointer;
}

static void *trackedMalloc(size_t size) { return track(std::malloc(size)); }

static void *trackedAlignedAlloc(size_t alignment, size_t size) {
  return track(std::aligned_alloc(alignment, size));
}

/// LLVM's optimizer may turn malloc + memset(0) into calloc.
static void *trackedCalloc(size_t count, size_t size) {
  return track(std::calloc(count, size));
}

static void trackedFree(void *pointer) {
  if (liveAllocations)
    liveAllocations->erase(pointer);
  std::free(pointer);
}

/// The compiled code allocates its temporaries (im2col matrices, i32
/// accumulators) on every call and frees them before returning. glibc
/// serves large blocks with mmap and gives freed heap tops back to the
/// kernel, so each call would fault the same megabytes in again: 4,000 page
/// faults per call made the batch-64 int8 CNN 79 ms instead of 2.5 ms, and
/// which of the two a run got depended on glibc's dynamic threshold. Keeping
/// freed memory in the heap makes every call after the first reuse it.
static void keepFreedMemoryInTheHeap() {
#if defined(__GLIBC__)
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, INT_MAX);
  });
#endif
}

//===----------------------------------------------------------------------===//
// Signature
//===----------------------------------------------------------------------===//

static std::optional<DType> getDType(Type type) {
  if (type.isF32())
    return DType::F32;
  if (type.isF64())
    return DType::F64;
  auto intType = dyn_cast<IntegerType>(type);
  if (!intType)
    return std::nullopt;
  if (intType.isUnsigned())
    return intType.getWidth() == 8 ? std::optional(DType::U8) : std::nullopt;
  switch (intType.getWidth()) {
  case 8:
    return DType::I8;
  case 32:
    return DType::I32;
  case 64:
    return DType::I64;
  default:
    return std::nullopt;
  }
}

/// The spec of a ranked tensor (or identity-layout memref) of static shape.
static llvm::Expected<TensorSpec> getSpec(Type type, const llvm::Twine &what,
                                          llvm::StringRef entry) {
  auto shaped = dyn_cast<ShapedType>(type);
  auto memref = dyn_cast<MemRefType>(type);
  std::optional<DType> dtype =
      shaped ? getDType(shaped.getElementType()) : std::nullopt;
  if (!shaped || !(isa<RankedTensorType>(type) ||
                   (memref && memref.getLayout().isIdentity())) ||
      !shaped.hasStaticShape() || !dtype) {
    std::string spelled;
    llvm::raw_string_ostream os(spelled);
    os << type;
    return makeError(what + " of @" + entry + " has type " + spelled +
                     "; quant-run takes ranked tensors of static shape with "
                     "f32, f64, i8, ui8, i32 or i64 elements");
  }
  return TensorSpec{*dtype, llvm::SmallVector<int64_t>(shaped.getShape())};
}

static bool isInLLVMDialect(ModuleOp module) {
  bool onlyLLVM = true;
  module.getBody()->walk([&](Operation *op) {
    if (!isa<LLVM::LLVMDialect>(op->getDialect()))
      onlyLLVM = false;
    return onlyLLVM ? WalkResult::advance() : WalkResult::interrupt();
  });
  return onlyLLVM;
}

/// Erases the module's symbols that `entry` does not reach, such as a
/// printing @main whose runtime functions the JIT would have to resolve.
static void eraseUnreachableSymbols(ModuleOp module, Operation *entry) {
  SymbolTable table(module);
  llvm::SmallPtrSet<Operation *, 16> live;
  llvm::SmallVector<Operation *> worklist = {entry};
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (!live.insert(op).second)
      continue;
    if (std::optional<SymbolTable::UseRange> uses =
            SymbolTable::getSymbolUses(op))
      for (const SymbolTable::SymbolUse &use : *uses)
        if (Operation *target =
                table.lookup(use.getSymbolRef().getRootReference()))
          worklist.push_back(target);
  }
  for (Operation &op : llvm::make_early_inc_range(*module.getBody()))
    if (isa<SymbolOpInterface>(op) && !live.contains(&op))
      op.erase();
}

//===----------------------------------------------------------------------===//
// JitRunner
//===----------------------------------------------------------------------===//

JitRunner::~JitRunner() = default;

llvm::Expected<std::unique_ptr<JitRunner>>
JitRunner::create(ModuleOp module, const JitOptions &options) {
  keepFreedMemoryInTheHeap();
  MLIRContext *context = module.getContext();
  auto func = module.lookupSymbol<func::FuncOp>(options.entry);
  if (!func || func.isExternal()) {
    if (isInLLVMDialect(module))
      return makeError("the module is already in the LLVM dialect, where the "
                       "tensor types of @" +
                       options.entry +
                       " are gone; run quant-run on the module before "
                       "lowering it");
    std::string available;
    for (auto candidate : module.getOps<func::FuncOp>())
      if (!candidate.isExternal())
        available += (available.empty() ? "; it defines @" : ", @") +
                     candidate.getName().str();
    return makeError("no function @" + options.entry + " in the module" +
                     available);
  }

  std::unique_ptr<JitRunner> runner(new JitRunner());
  runner->entry = options.entry;
  FunctionType type = func.getFunctionType();
  for (auto [index, input] : llvm::enumerate(type.getInputs())) {
    llvm::Expected<TensorSpec> spec =
        getSpec(input, "argument #" + llvm::Twine(index), options.entry);
    if (!spec)
      return spec.takeError();
    runner->inputs.push_back(std::move(*spec));
  }
  for (auto [index, result] : llvm::enumerate(type.getResults())) {
    llvm::Expected<TensorSpec> spec =
        getSpec(result, "result #" + llvm::Twine(index), options.entry);
    if (!spec)
      return spec.takeError();
    runner->results.push_back(std::move(*spec));
  }

  eraseUnreachableSymbols(module, func);
  func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                UnitAttr::get(context));
  // Read-only arguments keep bufferization from writing into the caller's
  // inputs, which repeated runs (--bench) reuse.
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
    if (isa<TensorType>(func.getArgument(i).getType()))
      func.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                      BoolAttr::get(context, false));
  std::unique_ptr<CPUPipelineOptions> pipelineOptions =
      CPUPipelineOptions::createFromString(options.cpuPipeline);
  if (!pipelineOptions)
    return makeError("invalid qnt-cpu-pipeline options '" +
                     options.cpuPipeline + "'");
  PassManager pm(context);
  addCPUPasses(pm, *pipelineOptions);
  if (failed(pm.run(module)))
    return makeError("lowering @" + options.entry +
                     " to the LLVM dialect failed");
  // Declarations keep their bufferization hints (e.g. the observer entry's
  // read-only tensor), which LLVM IR translation warns about.
  module.walk([&](LLVM::LLVMFuncOp llvmFunc) {
    for (unsigned i = 0, e = llvmFunc.getNumArguments(); i < e; ++i)
      llvmFunc.removeArgAttr(
          i, bufferization::BufferizationDialect::kBufferAccessAttrName);
  });

  registerBuiltinDialectTranslation(*context);
  registerLLVMDialectTranslation(*context);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::Expected<llvm::orc::JITTargetMachineBuilder> builder =
      llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  llvm::CodeGenOptLevel codeGenLevel =
      llvm::CodeGenOpt::getLevel(std::min(options.optLevel, 3u))
          .value_or(llvm::CodeGenOptLevel::Default);
  builder->setCodeGenOptLevel(codeGenLevel);
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      builder->createTargetMachine();
  if (!machine)
    return machine.takeError();

  // The transformer keeps a pointer to the machine, which the engine owns.
  std::function<llvm::Error(llvm::Module *)> transformer =
      makeOptimizingTransformer(options.optLevel, /*sizeLevel=*/0,
                                machine->get());
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = codeGenLevel;
  llvm::Expected<std::unique_ptr<ExecutionEngine>> engine =
      ExecutionEngine::create(module, engineOptions, std::move(*machine));
  if (!engine)
    return engine.takeError();
  runner->engine = std::move(*engine);

  llvm::StringMap<void *> symbols = options.symbols;
  symbols.try_emplace("malloc", reinterpret_cast<void *>(&trackedMalloc));
  symbols.try_emplace("aligned_alloc",
                      reinterpret_cast<void *>(&trackedAlignedAlloc));
  symbols.try_emplace("calloc", reinterpret_cast<void *>(&trackedCalloc));
  symbols.try_emplace("free", reinterpret_cast<void *>(&trackedFree));
  // memref.copy between non-contiguous views lowers to this call.
  symbols.try_emplace("memrefCopy", reinterpret_cast<void *>(&memrefCopy));
  runner->engine->registerSymbols([&](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap map;
    for (const auto &symbol : symbols)
      map[interner(symbol.getKey())] = {
          llvm::orc::ExecutorAddr::fromPtr(symbol.getValue()),
          llvm::JITSymbolFlags::Exported};
    return map;
  });
  runner->engine->initialize();

  llvm::Expected<void (*)(void **)> packed =
      runner->engine->lookupPacked("_mlir_ciface_" + options.entry);
  if (!packed)
    return packed.takeError();
  runner->packedEntry = *packed;
  return runner;
}

/// Copies a strided memref into a C-order tensor.
static void copyStrided(const char *base, llvm::ArrayRef<int64_t> sizes,
                        llvm::ArrayRef<int64_t> strides, size_t elementSize,
                        char *&out) {
  if (sizes.empty() || (sizes.size() == 1 && strides.front() == 1)) {
    size_t bytes = (sizes.empty() ? 1 : sizes.front()) * elementSize;
    std::memcpy(out, base, bytes);
    out += bytes;
    return;
  }
  for (int64_t i = 0; i < sizes.front(); ++i)
    copyStrided(base + i * strides.front() * elementSize, sizes.drop_front(),
                strides.drop_front(), elementSize, out);
}

llvm::Expected<RunResult> JitRunner::run(llvm::ArrayRef<Tensor> arguments) {
  if (arguments.size() != inputs.size())
    return makeError("@" + entry + " takes " + llvm::Twine(inputs.size()) +
                     " argument(s), " + llvm::Twine(arguments.size()) +
                     " given");
  for (auto [index, argument] : llvm::enumerate(arguments))
    if (argument.getSpec() != inputs[index])
      return makeError("argument #" + llvm::Twine(index) + " of @" + entry +
                       " is " + inputs[index].str() + ", but the data is " +
                       argument.getSpec().str());

  // One descriptor per argument; the compiled code only reads them.
  llvm::SmallVector<llvm::SmallVector<int64_t>> descriptors;
  for (const Tensor &argument : arguments) {
    llvm::ArrayRef<int64_t> shape = argument.getShape();
    const char *data = argument.getData();
    llvm::SmallVector<int64_t> descriptor = {
        static_cast<int64_t>(reinterpret_cast<intptr_t>(data)),
        static_cast<int64_t>(reinterpret_cast<intptr_t>(data)), 0};
    llvm::append_range(descriptor, shape);
    llvm::SmallVector<int64_t> strides(shape.size(), 1);
    for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
      strides[i] = strides[i + 1] * shape[i + 1];
    llvm::append_range(descriptor, strides);
    descriptors.push_back(std::move(descriptor));
  }
  size_t resultWords = 0;
  for (const TensorSpec &result : results)
    resultWords += 3 + 2 * result.shape.size();
  llvm::SmallVector<int64_t> resultStorage(resultWords, 0);

  // invokePacked-style arguments: the address of each ciface parameter.
  int64_t *resultPointer = resultStorage.data();
  llvm::SmallVector<int64_t *> descriptorPointers;
  for (auto &descriptor : descriptors)
    descriptorPointers.push_back(descriptor.data());
  llvm::SmallVector<void *> packedArgs;
  if (!results.empty())
    packedArgs.push_back(&resultPointer);
  for (int64_t *&pointer : descriptorPointers)
    packedArgs.push_back(&pointer);

  llvm::DenseSet<void *> allocations;
  liveAllocations = &allocations;
  timespec cpuStart, cpuStop;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpuStart);
  auto start = std::chrono::steady_clock::now();
  packedEntry(packedArgs.data());
  auto stop = std::chrono::steady_clock::now();
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpuStop);
  liveAllocations = nullptr;

  RunResult outcome;
  outcome.seconds = std::chrono::duration<double>(stop - start).count();
  outcome.cpuSeconds = double(cpuStop.tv_sec - cpuStart.tv_sec) +
                       1e-9 * double(cpuStop.tv_nsec - cpuStart.tv_nsec);
  const int64_t *word = resultStorage.data();
  for (const TensorSpec &spec : results) {
    size_t rank = spec.shape.size();
    const char *aligned = reinterpret_cast<const char *>(word[1]);
    int64_t offset = word[2];
    // Sizes are static: the descriptor's own sizes equal spec.shape.
    llvm::ArrayRef<int64_t> strides(word + 3 + rank, rank);
    Tensor tensor(spec);
    char *out = tensor.getData();
    size_t elementSize = getDTypeSize(spec.dtype);
    copyStrided(aligned + offset * elementSize, spec.shape, strides,
                elementSize, out);
    outcome.results.push_back(std::move(tensor));
    word += 3 + 2 * rank;
  }
  for (void *pointer : allocations)
    std::free(pointer);
  return outcome;
}

} // namespace mlir::qnt
