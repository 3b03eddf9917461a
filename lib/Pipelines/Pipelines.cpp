//===- Pipelines.cpp - qnt pass pipelines ---------------------------------===//
//
// Each pipeline is a list of qnt and upstream passes, so
// --mlir-print-ir-after-all shows every step.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/Pipelines/Pipelines.h"
#include "quant-mlir/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/X86TargetParser.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::qnt;

namespace {

/// A CPU name and its LLVM feature list ("+avx512f", "-amx-tile", ...).
struct ResolvedTarget {
  std::string cpu;
  SmallVector<std::string> features;
  /// f32 lanes of the widest vector register the features allow.
  int64_t vectorWidth;
};

/// Sets `target_cpu` and `target_features` on every llvm.func, so that the
/// translated LLVM IR (and the JIT) compiles for the chosen CPU. Not a
/// registered flag: it only makes sense at the end of qnt-cpu-pipeline.
struct SetTargetAttributesPass
    : PassWrapper<SetTargetAttributesPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(SetTargetAttributesPass)

  explicit SetTargetAttributesPass(ResolvedTarget target)
      : target(std::move(target)) {}

  StringRef getArgument() const override { return "qnt-set-target-attributes"; }
  StringRef getDescription() const override {
    return "Set target_cpu and target_features on every llvm.func";
  }

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    auto cpu = StringAttr::get(context, target.cpu);
    SmallVector<StringRef> featureRefs(target.features.begin(),
                                       target.features.end());
    auto features = LLVM::TargetFeaturesAttr::get(context, featureRefs);
    getOperation().walk([&](LLVM::LLVMFuncOp func) {
      func.setTargetCpuAttr(cpu);
      if (!featureRefs.empty())
        func.setTargetFeaturesAttr(features);
    });
  }

  ResolvedTarget target;
};

} // namespace

/// Widest f32 vector that the feature list enables.
static int64_t vectorWidthFor(ArrayRef<std::string> features) {
  if (llvm::is_contained(features, "+avx512f"))
    return 16;
  if (llvm::is_contained(features, "+avx2"))
    return 8;
  return 4;
}

/// Features of a named x86 CPU, as LLVM's target parser lists them.
static SmallVector<std::string> featuresOfCPU(StringRef cpu) {
  SmallVector<StringRef> names;
  llvm::X86::getFeaturesForCPU(cpu, names, /*NeedPlus=*/true);
  SmallVector<std::string> features(names.begin(), names.end());
  llvm::sort(features);
  return features;
}

/// The integer kernels that the feature list can run.
static IntegerKernelIsa integerKernelIsaFor(ArrayRef<std::string> features) {
  if (llvm::is_contained(features, "+avx512vnni") &&
      llvm::is_contained(features, "+avx512bw"))
    return IntegerKernelIsa::Avx512Vnni;
  if (llvm::is_contained(features, "+avx2"))
    return IntegerKernelIsa::Avx2;
  return IntegerKernelIsa::Generic;
}

static ResolvedTarget resolveTarget(CPUTarget target) {
  ResolvedTarget resolved;
  switch (target) {
  case CPUTarget::Host: {
    resolved.cpu = llvm::sys::getHostCPUName().str();
    // Disabled features are listed too: the detected CPU name may imply
    // some that this machine (or its hypervisor) turns off.
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      resolved.features.push_back((feature.second ? "+" : "-") +
                                  feature.first().str());
    llvm::sort(resolved.features);
    break;
  }
  case CPUTarget::SapphireRapids:
    resolved.cpu = "sapphirerapids";
    resolved.features = featuresOfCPU(resolved.cpu);
    break;
  case CPUTarget::X86_64_V3:
    resolved.cpu = "x86-64-v3";
    resolved.features = featuresOfCPU(resolved.cpu);
    break;
  case CPUTarget::Generic:
    resolved.cpu = "generic";
    break;
  }
  resolved.vectorWidth = vectorWidthFor(resolved.features);
  return resolved;
}

void mlir::qnt::addCPUPasses(OpPassManager &pm,
                             const CPUPipelineOptions &options) {
  ResolvedTarget target = resolveTarget(options.target);

  pm.addPass(createQntLowerObserversPass());
  pm.addNestedPass<func::FuncOp>(createQntDecomposeBatchnormPass());
  QntLowerToCPUPassOptions lowering;
  lowering.kernelIsa = options.vectorize
                           ? integerKernelIsaFor(target.features)
                           : IntegerKernelIsa::Scalar;
  pm.addPass(createQntLowerToCPUPass(lowering));
  // Nests its passes on func.func itself.
  tosa::addTosaToLinalgPasses(pm, TosaToLinalgOptions());
  pm.addNestedPass<func::FuncOp>(createTosaToArithPass());
  pm.addNestedPass<func::FuncOp>(createTosaToTensorPass());

  if (options.vectorize) {
    QntTileAndVectorizePassOptions tiling;
    tiling.vectorWidth = target.vectorWidth;
    pm.addNestedPass<func::FuncOp>(createQntTileAndVectorizePass(tiling));
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
  }

  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  if (options.vectorize) {
    // A register tile written back into its own buffer bufferizes to a copy
    // between two equal subviews: CSE makes them one value and the copy
    // folds away.
    pm.addPass(createCSEPass());
    pm.addPass(createCanonicalizerPass());
  }
  // Frees the temporaries: otherwise every call leaks them and pays page
  // faults on fresh memory (most of the time of a batch-64 convolution).
  bufferization::buildBufferDeallocationPipeline(pm);
  // The clones it inserts (e.g. to return a constant) become alloc + copy.
  pm.addPass(createConvertBufferizationToMemRefPass());

  // Depthwise convolutions, pooling and other reductions stay scalar.
  pm.nest<func::FuncOp>().addPass(createConvertLinalgToLoopsPass());
  if (options.vectorize) {
    OpPassManager &func = pm.nest<func::FuncOp>();
    func.addPass(vector::createLowerVectorMultiReductionPass());
    // Unrolls n-D transfers into 1-D loads and stores of vector registers.
    func.addPass(createConvertVectorToSCFPass(
        VectorTransferToSCFOptions().enableFullUnroll()));
  }
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  if (options.vectorize) {
    // vector.contract -> outer products -> vector.fma on the accumulator
    // rows: a broadcast of A times a row of B per k step.
    ConvertVectorToLLVMPassOptions toLLVM;
    toLLVM.vectorContractLowering = vector::VectorContractLowering::OuterProduct;
    pm.addPass(createConvertVectorToLLVMPass(toLLVM));
  }
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(std::make_unique<SetTargetAttributesPass>(std::move(target)));
}

void mlir::qnt::addCPUPasses(OpPassManager &pm) {
  addCPUPasses(pm, CPUPipelineOptions());
}

void mlir::qnt::addBNNPasses(OpPassManager &pm,
                             const BNNPipelineOptions &options) {
  QntBinarizePassOptions binarize;
  binarize.report = options.report;
  binarize.binarizeFirstLast = options.binarizeFirstLast;
  pm.addPass(createQntBinarizePass(binarize));
  pm.addPass(createQntFoldBatchnormPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (options.stats.empty())
    return;
  // The statistics are taken on the IR built so far, so the probe ids and
  // the folded weights are the ones qnt-quantize sees.
  QntQuantizePassOptions quantize;
  quantize.stats = options.stats;
  pm.addPass(createQntQuantizePass(quantize));
  // A layer whose output only feeds a sign keeps its i32 accumulator (it has
  // no probe, so no output scale); canonicalize then binarizes and max-pools
  // the integers instead of their dequantized floats.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void mlir::qnt::addPTQPasses(OpPassManager &pm,
                             const PTQPipelineOptions &options) {
  pm.addNestedPass<func::FuncOp>(createQntFoldBatchnormPass());
  // No canonicalize before qnt-quantize: it would fold the dequantized
  // constants of QDQ weights into float weights and lose their scales.
  QntQuantizePassOptions quantize;
  quantize.stats = options.stats;
  quantize.scheme = options.scheme;
  quantize.granularity = options.granularity;
  quantize.weightBits = options.weightBits;
  quantize.activationBits = options.activationBits;
  quantize.activationRange = options.activationRange;
  quantize.weightRange = options.weightRange;
  quantize.percentile = options.percentile;
  quantize.rounding = options.rounding;
  quantize.narrowRange = options.narrowRange;
  quantize.firstLast8Bit = options.firstLast8Bit;
  pm.addPass(createQntQuantizePass(quantize));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void mlir::qnt::registerQntPipelines() {
  PassPipelineRegistration<CPUPipelineOptions>(
      "qnt-cpu-pipeline",
      "Lower func + TOSA/linalg on tensors (and leftover qnt.batch_norm, the "
      "integer qnt ops) to "
      "the LLVM dialect for the CPU: convolutions via im2col, contractions "
      "and element-wise ops tiled and vectorized for the target's vector "
      "width (target=host|sapphirerapids|x86-64-v3|generic, vectorize=false "
      "for scalar loops), target_cpu/target_features on every llvm.func",
      [](OpPassManager &pm, const CPUPipelineOptions &options) {
        addCPUPasses(pm, options);
      });
  PassPipelineRegistration<BNNPipelineOptions>(
      "qnt-bnn-pipeline",
      "Binarize sign-fed layers with +-alpha weights (and layers whose "
      "qnt.config says 1 bit) into XNOR-popcount ops with BN in their "
      "epilogues or thresholds (qnt-binarize), fold the remaining batch norms "
      "(qnt-fold-batchnorm), canonicalize and CSE; with stats=<file> "
      "(quant-run --calibrate on this pipeline's output without it), "
      "quantize the layers that stay multi-bit to int8 (qnt-quantize), "
      "canonicalize and CSE",
      [](OpPassManager &pm, const BNNPipelineOptions &options) {
        addBNNPasses(pm, options);
      });
  PassPipelineRegistration<PTQPipelineOptions>(
      "qnt-ptq-pipeline",
      "Post-training quantization of a float func + TOSA model: "
      "qnt-fold-batchnorm, qnt-quantize (same options), canonicalize, cse",
      [](OpPassManager &pm, const PTQPipelineOptions &options) {
        addPTQPasses(pm, options);
      });
}
