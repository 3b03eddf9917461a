//===- QntDialect.cpp - qnt dialect registration --------------------------===//

#include "qnt/IR/QntDialect.h"
#include "qnt/IR/QntOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::qnt;

#include "qnt/IR/QntDialect.cpp.inc"
#include "qnt/IR/QntEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "qnt/IR/QntAttrs.cpp.inc"

void QntDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "qnt/IR/QntOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "qnt/IR/QntAttrs.cpp.inc"
      >();
}

Operation *QntDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                           Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (!elements || !tensorType)
    return nullptr;
  // Quantized results are materialized from their storage integers.
  if (isa<quant::QuantizedType>(tensorType.getElementType()))
    return ConstantOp::create(builder, loc, tensorType, elements);
  if (elements.getType() == type)
    return arith::ConstantOp::create(builder, loc, type,
                                     cast<TypedAttr>(value));
  return nullptr;
}

LogicalResult
LayerConfigAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                        unsigned weightBits, unsigned activationBits,
                        Scheme scheme, Granularity granularity, int64_t axis,
                        RoundingMode rounding) {
  auto validBits = [](unsigned bits) { return bits >= 1 && bits <= 8; };
  if (!validBits(weightBits))
    return emitError() << "weight_bits must be in [1, 8], got " << weightBits;
  if (!validBits(activationBits))
    return emitError() << "activation_bits must be in [1, 8], got "
                       << activationBits;
  if (axis < 0)
    return emitError() << "axis must be non-negative, got " << axis;
  return success();
}
