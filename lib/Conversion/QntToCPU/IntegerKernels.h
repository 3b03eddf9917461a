//===- IntegerKernels.h - packed, vectorized qnt.matmul/conv2d --*- C++ -*-===//
//
// The register-tiled integer kernels of qnt-lower-to-cpu (IntegerKernels.cpp);
// QntToCPU.cpp adds them in front of its scalar reference patterns.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTMLIR_LIB_CONVERSION_QNTTOCPU_INTEGERKERNELS_H
#define QUANTMLIR_LIB_CONVERSION_QNTTOCPU_INTEGERKERNELS_H

#include "quant-mlir/Transforms/Passes.h"

namespace mlir {
class RewritePatternSet;
class TypeConverter;
namespace qnt {

/// Patterns that lower qnt.matmul (constant rhs) and qnt.conv2d (constant
/// filter, one group) to a zero-point-decomposed, packed, register-tiled
/// contraction for `isa`; they fail (so the scalar patterns run) on other
/// operands and for IntegerKernelIsa::Scalar.
void populateIntegerKernelPatterns(const TypeConverter &converter,
                                   RewritePatternSet &patterns,
                                   IntegerKernelIsa isa);

} // namespace qnt
} // namespace mlir

#endif // QUANTMLIR_LIB_CONVERSION_QNTTOCPU_INTEGERKERNELS_H
