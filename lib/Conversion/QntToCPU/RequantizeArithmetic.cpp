//===- RequantizeArithmetic.cpp - qnt.requantize's fixed-point math -------===//
//
// y = (x * m + round) >> s in i64. With an input zero point,
// |x| < 2^32 and m < 2^31, so |p| < 2^63 but p + round could overflow: p is
// split as p = q * 2^s + r, 0 <= r < 2^s, (p + round) >> s =
// q + ((r + round) >> s), and r + round < 2^62 + 2^61 + 2^30 cannot.
//
//===----------------------------------------------------------------------===//

#include "RequantizeArithmetic.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::qnt;

RequantizeConstants RequantizeConstants::get(RequantizeOp op) {
  RequantizeConstants c;
  c.doubleRound = op.getRounding() == RequantRounding::DoubleRound;
  for (auto [multiplier, shift] :
       llvm::zip_equal(op.getMultiplier(), op.getShift())) {
    c.multipliers.push_back(multiplier);
    c.shifts.push_back(shift);
    c.masks.push_back((int64_t(1) << shift) - 1);
    int64_t round = int64_t(1) << (shift - 1);
    int64_t extra = c.doubleRound && shift > 31 ? int64_t(1) << 30 : 0;
    c.roundUp.push_back(round + extra);
    c.roundDown.push_back(round - extra);
  }
  c.inputZp = int32_t(op.getInputZp());
  c.outputZp = int32_t(op.getOutputZp());
  c.clampMin = op.getClampMinOrDefault();
  c.clampMax = op.getClampMaxOrDefault();
  return c;
}

SmallVector<ArrayRef<int64_t>> RequantizeConstants::channelColumns() const {
  SmallVector<ArrayRef<int64_t>> columns = {multipliers, shifts, masks,
                                            roundUp};
  if (doubleRound)
    columns.push_back(roundDown);
  return columns;
}

/// An i64 constant of `type` (i64 or a vector of i64).
static Value wideConstant(OpBuilder &b, Location loc, Type type,
                          int64_t value) {
  IntegerAttr element = b.getI64IntegerAttr(value);
  if (auto vector = dyn_cast<VectorType>(type))
    return arith::ConstantOp::create(b, loc,
                                     DenseElementsAttr::get(vector, element));
  return arith::ConstantOp::create(b, loc, element);
}

Value mlir::qnt::buildRequantize(OpBuilder &b, Location loc, Value acc,
                                 ValueRange channel,
                                 const RequantizeConstants &c,
                                 Type resultElement) {
  Type i64 = b.getI64Type();
  Type wide = i64, result = resultElement;
  if (auto vector = dyn_cast<VectorType>(acc.getType())) {
    wide = vector.clone(i64);
    result = vector.clone(resultElement);
  }
  auto constant = [&](int64_t value) {
    return wideConstant(b, loc, wide, value);
  };
  Value x = arith::ExtSIOp::create(b, loc, wide, acc);
  if (c.inputZp != 0)
    x = arith::SubIOp::create(b, loc, x, constant(c.inputZp));
  // The multiplier is a non-negative i32: a product of two sign-extended
  // i32 values (one instruction, vpmuldq, on vectors).
  Value multiplier = channel[0];
  if (getElementTypeOrSelf(multiplier.getType()) != i64)
    multiplier = arith::ExtSIOp::create(b, loc, wide, multiplier);
  Value product = arith::MulIOp::create(b, loc, x, multiplier);
  Value round = channel[3];
  if (c.doubleRound) {
    Value nonNegative = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::sge, x, constant(0));
    round = arith::SelectOp::create(b, loc, nonNegative, channel[3],
                                    channel[4]);
  }
  Value y;
  if (c.inputZp == 0) {
    // |x| <= 2^31 keeps |p| + round below 2^63.
    y = arith::ShRSIOp::create(
        b, loc, arith::AddIOp::create(b, loc, product, round), channel[1]);
  } else {
    Value quotient = arith::ShRSIOp::create(b, loc, product, channel[1]);
    Value remainder = arith::AndIOp::create(b, loc, product, channel[2]);
    Value rounded = arith::ShRSIOp::create(
        b, loc, arith::AddIOp::create(b, loc, remainder, round), channel[1]);
    y = arith::AddIOp::create(b, loc, quotient, rounded);
  }
  if (c.outputZp != 0)
    y = arith::AddIOp::create(b, loc, y, constant(c.outputZp));
  y = arith::MaxSIOp::create(b, loc, y, constant(c.clampMin));
  y = arith::MinSIOp::create(b, loc, y, constant(c.clampMax));
  if (resultElement.getIntOrFloatBitWidth() == 64)
    return y;
  return arith::TruncIOp::create(b, loc, result, y);
}
