//===- QntOps.h - qnt operations --------------------------------*- C++ -*-===//

#ifndef QNT_IR_QNTOPS_H
#define QNT_IR_QNTOPS_H

#include "qnt/IR/QntDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "qnt/IR/QntOps.h.inc"

#endif // QNT_IR_QNTOPS_H
