//===- QntDialect.h - qnt dialect -------------------------------*- C++ -*-===//

#ifndef QNT_IR_QNTDIALECT_H
#define QNT_IR_QNTDIALECT_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"

#include "qnt/IR/QntDialect.h.inc"
#include "qnt/IR/QntEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "qnt/IR/QntAttrs.h.inc"

#endif // QNT_IR_QNTDIALECT_H
