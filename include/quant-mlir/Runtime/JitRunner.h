//===- JitRunner.h - JIT execution of an entry function ---------*- C++ -*-===//
//
// Compiles a module with mlir::ExecutionEngine for the host CPU and calls its
// entry function through the C interface (`_mlir_ciface_<entry>`), passing
// memref descriptors built at run time for each tensor argument and result.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTMLIR_RUNTIME_JITRUNNER_H
#define QUANTMLIR_RUNTIME_JITRUNNER_H

#include "quant-mlir/Runtime/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace mlir::qnt {

struct JitOptions {
  /// Name of the entry func.func.
  std::string entry = "model";
  /// LLVM optimization level (0-3) for the IR optimizer and code generation.
  unsigned optLevel = 3;
  /// Options of qnt-cpu-pipeline for the lowering ("target=x86-64-v3",
  /// "vectorize=false"); empty for its defaults.
  std::string cpuPipeline;
  /// Extra C functions the compiled code may call, by symbol name (e.g. a
  /// calibration runtime); they take precedence over the process's symbols.
  llvm::StringMap<void *> symbols;
};

/// The outcome of one call of the entry function.
struct RunResult {
  llvm::SmallVector<Tensor> results;
  /// Wall time of the call alone (no argument checks, no result copies).
  double seconds = 0;
  /// CPU time of the calling thread over the same call: on a loaded machine,
  /// close to what the call takes with a core to itself.
  double cpuSeconds = 0;
};

/// A JIT-compiled entry function taking and returning ranked tensors of
/// static shape (f32, f64, i8, ui8, i32, i64 elements).
class JitRunner {
public:
  /// Lowers `module` with addCPUPasses (marking the entry with
  /// llvm.emit_c_interface and its arguments read-only for bufferization)
  /// and JIT-compiles it. The context must have every dialect the pipeline
  /// uses registered; pipeline diagnostics go to the context's handler.
  /// Modules already in the LLVM dialect are rejected: their entry's tensor
  /// types are gone.
  static llvm::Expected<std::unique_ptr<JitRunner>>
  create(ModuleOp module, const JitOptions &options);
  ~JitRunner();

  llvm::StringRef getEntry() const { return entry; }
  llvm::ArrayRef<TensorSpec> getInputs() const { return inputs; }
  llvm::ArrayRef<TensorSpec> getResults() const { return results; }

  /// Calls the entry with `arguments`, whose types must match getInputs().
  /// Memory the compiled code allocates during the call (results and the
  /// buffers the pipeline does not free) is released before returning.
  llvm::Expected<RunResult> run(llvm::ArrayRef<Tensor> arguments);

private:
  JitRunner() = default;

  std::string entry;
  llvm::SmallVector<TensorSpec> inputs;
  llvm::SmallVector<TensorSpec> results;
  std::unique_ptr<ExecutionEngine> engine;
  void (*packedEntry)(void **) = nullptr;
};

} // namespace mlir::qnt

#endif // QUANTMLIR_RUNTIME_JITRUNNER_H
