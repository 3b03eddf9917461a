//===- InsertObservers.cpp - calibration probes on activations ------------===//
//
// Calibration needs the range of every activation that quantization will
// give a scale: function inputs and the results of ops that compute new
// values. Ops that only move data keep their input's scale, so their results
// need no probe of their own.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/Transforms/Passes.h"

#include "qnt/IR/QntOps.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::qnt {
#define GEN_PASS_DEF_QNTINSERTOBSERVERSPASS
#include "quant-mlir/Transforms/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;

bool mlir::qnt::feedsOnlySigns(Value value) {
  return !value.use_empty() &&
         llvm::all_of(value.getUsers(), [](Operation *user) {
           if (isa<BinarizeOp>(user))
             return true;
           return isa<tosa::MaxPool2dOp, tosa::ReshapeOp, tosa::TransposeOp>(
                      user) &&
                  feedsOnlySigns(user->getResult(0));
         });
}

/// Whether `value` is a float activation that quantization gives a scale.
static bool needsObserver(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !isa<FloatType>(type.getElementType()) ||
      feedsOnlySigns(value))
    return false;
  if (llvm::any_of(value.getUsers(), [](Operation *user) {
        return isa<ObserveOp>(user);
      }))
    return false;
  Operation *def = value.getDefiningOp();
  if (!def)
    return isa<func::FuncOp>(value.getParentBlock()->getParentOp());
  // An unpacked +-1 activation feeds a layer that stays multi-bit.
  if (isa<BatchNormOp, UnpackOp>(def))
    return true;
  if (!isa<tosa::TosaDialect>(def->getDialect()) ||
      isa<tosa::ConstOp, tosa::ReshapeOp, tosa::TransposeOp, tosa::SliceOp,
          tosa::IdentityOp, tosa::MaxPool2dOp>(def))
    return false;
  // Values computed from constants only are constants themselves.
  return !llvm::all_of(def->getOperands(), [](Value operand) {
    return matchPattern(operand, m_Constant());
  });
}

/// The location's name, if any (NameLoc, possibly inside a FusedLoc).
static std::string locationName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::string name = locationName(inner); !name.empty())
        return name;
  return "";
}

std::vector<ObservedValue> mlir::qnt::getObservedValues(ModuleOp module) {
  llvm::StringSet<> usedIds;
  module.walk([&](ObserveOp op) { usedIds.insert(op.getId()); });
  auto uniqueId = [&](std::string id) {
    std::string candidate = id;
    for (int n = 1; !usedIds.insert(candidate).second; ++n)
      candidate = id + "#" + std::to_string(n);
    return candidate;
  };

  std::vector<ObservedValue> observed;
  module.walk([&](func::FuncOp func) {
    if (func.isExternal())
      return;
    std::string prefix = func.getSymName().str();
    for (BlockArgument arg : func.getArguments())
      if (needsObserver(arg))
        observed.push_back(
            {arg, uniqueId(prefix + ".arg" + std::to_string(arg.getArgNumber()))});
    llvm::StringMap<int> opCounts;
    func.walk([&](Operation *op) {
      for (Value result : op->getResults()) {
        if (!needsObserver(result))
          continue;
        std::string id = locationName(op->getLoc());
        if (id.empty())
          id = prefix + "." + op->getName().getStringRef().str() + "." +
               std::to_string(opCounts[op->getName().getStringRef()]++);
        observed.push_back({result, uniqueId(id)});
      }
    });
  });
  return observed;
}

namespace {

struct QntInsertObserversPass
    : qnt::impl::QntInsertObserversPassBase<QntInsertObserversPass> {
  using QntInsertObserversPassBase::QntInsertObserversPassBase;

  void runOnOperation() override {
    std::optional<ObserveKind> observeKind = symbolizeObserveKind(kind);
    if (!observeKind) {
      getOperation().emitError("qnt-insert-observers: unknown kind '")
          << kind << "' (expected minmax or histogram)";
      return signalPassFailure();
    }
    if (bins < 1) {
      getOperation().emitError("qnt-insert-observers: bins must be positive");
      return signalPassFailure();
    }

    OpBuilder builder(&getContext());
    // Argument probes open the function body, in argument order.
    DenseMap<Block *, Operation *> lastArgumentProbe;
    for (const ObservedValue &observed : getObservedValues(getOperation())) {
      Value value = observed.value;
      Location loc = value.getLoc();
      auto arg = dyn_cast<BlockArgument>(value);
      if (arg) {
        Operation *last = lastArgumentProbe.lookup(arg.getOwner());
        if (last)
          builder.setInsertionPointAfter(last);
        else
          builder.setInsertionPointToStart(arg.getOwner());
        loc = arg.getOwner()->getParentOp()->getLoc();
      } else {
        builder.setInsertionPointAfter(value.getDefiningOp());
      }
      auto probe = ObserveOp::create(builder, loc, value.getType(), value,
                                     observed.id, *observeKind, bins);
      value.replaceAllUsesExcept(probe.getOutput(), probe);
      if (arg)
        lastArgumentProbe[arg.getOwner()] = probe;
    }
  }
};

} // namespace
