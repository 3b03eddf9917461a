//===- RequantizeArithmetic.h - qnt.requantize's fixed-point math -*- C++ -*-===//
//
// The integer arithmetic of qnt.requantize, built once for the scalar
// reference lowering (QntToCPU.cpp, per element) and for the integer
// kernels' epilogues (IntegerKernels.cpp, on accumulator vectors), so that
// both give the same bits.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTMLIR_LIB_CONVERSION_QNTTOCPU_REQUANTIZEARITHMETIC_H
#define QUANTMLIR_LIB_CONVERSION_QNTTOCPU_REQUANTIZEARITHMETIC_H

#include "qnt/IR/QntOps.h"

#include "mlir/IR/Builders.h"

namespace mlir::qnt {

/// The constants of one qnt.requantize: per channel (or one for the whole
/// tensor) multiplier, shift, the mask 2^shift - 1 and the rounding terms
/// added for non-negative and negative inputs (equal unless DOUBLE_ROUND).
struct RequantizeConstants {
  SmallVector<int64_t> multipliers, shifts, masks, roundUp, roundDown;
  int64_t inputZp, outputZp, clampMin, clampMax;
  bool doubleRound;

  static RequantizeConstants get(RequantizeOp op);

  /// The per-channel columns that buildRequantize reads, in its order.
  SmallVector<ArrayRef<int64_t>> channelColumns() const;
};

/// requantize(acc) for an i32 scalar or vector `acc`, with `channel` holding
/// the channelColumns() values for its element(s) in i64 (scalars, or
/// vectors of acc's shape); the result has `resultElement`'s width.
Value buildRequantize(OpBuilder &b, Location loc, Value acc,
                      ValueRange channel, const RequantizeConstants &c,
                      Type resultElement);

} // namespace mlir::qnt

#endif // QUANTMLIR_LIB_CONVERSION_QNTTOCPU_REQUANTIZEARITHMETIC_H
