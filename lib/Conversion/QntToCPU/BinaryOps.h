//===- BinaryOps.h - binary qnt ops to CPU code ---------------*- C++ -*-===//
//
// The lowering of qnt.binarize/unpack/bmatmul/bconv2d/bmaxpool2d
// (BinaryOps.cpp); QntToCPU.cpp adds these patterns to qnt-lower-to-cpu.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTMLIR_LIB_CONVERSION_QNTTOCPU_BINARYOPS_H
#define QUANTMLIR_LIB_CONVERSION_QNTTOCPU_BINARYOPS_H

#include "quant-mlir/Transforms/Passes.h"

namespace mlir {
class Operation;
class RewritePatternSet;
class TypeConverter;
namespace qnt {

/// Patterns lowering the binary qnt ops on static shapes. For `isa` other
/// than Scalar, bmatmul/bconv2d become register-blocked XOR-popcount loops
/// on vectors of i32 lanes as wide as the ISA's registers (512 bits for
/// avx512-vnni, 256 for avx2, 128 for generic) and binarize packs 32
/// compares at a time; LLVM selects vpopcntd where the target has
/// AVX512-VPOPCNTDQ and expands ctpop (vpshufb) elsewhere. With Scalar every
/// op becomes the reference (linalg.generic on i32 words, math.ctpop).
void populateQntBinaryToCPUPatterns(const TypeConverter &converter,
                                    RewritePatternSet &patterns,
                                    IntegerKernelIsa isa);

/// Whether `op` is one of the binary ops these patterns lower.
bool isBinaryComputeOp(Operation *op);

} // namespace qnt
} // namespace mlir

#endif // QUANTMLIR_LIB_CONVERSION_QNTTOCPU_BINARYOPS_H
