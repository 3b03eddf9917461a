//===- Passes.h - qnt graph passes ------------------------------*- C++ -*-===//

#ifndef QUANTMLIR_TRANSFORMS_PASSES_H
#define QUANTMLIR_TRANSFORMS_PASSES_H

#include "qnt/IR/QntDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
class TypeConverter;
namespace qnt {

/// Which kernels qnt-lower-to-cpu emits for qnt.matmul and qnt.conv2d.
enum class IntegerKernelIsa {
  /// The scalar reference: one linalg.generic per op.
  Scalar,
  /// Portable vector code (i32 multiply-add).
  Generic,
  /// vpmaddwd on sign-extended 16-bit words.
  Avx2,
  /// vpdpbusd (u8 x s8 -> i32).
  Avx512Vnni,
};

#define GEN_PASS_DECL
#include "quant-mlir/Transforms/Passes.h.inc"

/// An activation that qnt-insert-observers probes, and its probe id.
struct ObservedValue {
  Value value;
  std::string id;
};

/// The activations of `module` that qnt-insert-observers probes, in program
/// order, with the ids it gives them (unique within the module, avoiding the
/// ids of probes already there). qnt-quantize reads statistics by these ids.
std::vector<ObservedValue> getObservedValues(ModuleOp module);

/// Whether only the sign of `value` is used: every use is a qnt.binarize, or
/// an op that keeps the order of its input (max pool, reshape, transpose)
/// whose own uses are. Such a value needs no scale (qnt-insert-observers
/// gives it no probe): a layer that computes it in integers keeps its i32
/// accumulator, whose sign is exact.
bool feedsOnlySigns(Value value);

/// Patterns that fold batch norms (qnt.batch_norm and decomposed TOSA
/// forms) into the producing conv/matmul.
void populateFoldBatchnormPatterns(RewritePatternSet &patterns);

/// Patterns that rewrite qnt.batch_norm into TOSA element-wise ops.
void populateDecomposeBatchnormPatterns(RewritePatternSet &patterns);

/// Patterns that lower the integer qnt ops to linalg/arith/math and retype
/// data movement ops from quantized/unsigned to signless storage types.
void populateQntToCPUConversionPatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "quant-mlir/Transforms/Passes.h.inc"

} // namespace qnt
} // namespace mlir

#endif // QUANTMLIR_TRANSFORMS_PASSES_H
