//===- Observers.cpp - calibration statistics runtime ---------------------===//
//
// The C entry point of lowered `qnt.observe` probes, the collector it
// forwards to, and the weight statistics read from the IR. Statistics are
// order-independent (counts, min, max, histograms over a fixed range), so
// the result does not depend on how the data was cut into batches.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/Runtime/Observers.h"

#include "qnt/IR/QntOps.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringMap.h"

#include <cmath>

namespace mlir::qnt {

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<std::vector<ObserverSpec>> readObserverTable(ModuleOp module) {
  std::vector<ObserverSpec> specs;
  Attribute table = module->getAttr("qnt.observers");
  if (!table)
    return specs;
  auto entries = dyn_cast<ArrayAttr>(table);
  if (!entries)
    return makeError("the module's qnt.observers is not an array");
  for (auto [index, entry] : llvm::enumerate(entries)) {
    auto dict = dyn_cast<DictionaryAttr>(entry);
    auto id = dict ? dict.getAs<StringAttr>("id") : nullptr;
    auto kind = dict ? dict.getAs<StringAttr>("kind") : nullptr;
    auto bins = dict ? dict.getAs<IntegerAttr>("bins") : nullptr;
    if (!id || !kind || !bins ||
        (kind.getValue() != "minmax" && kind.getValue() != "histogram") ||
        bins.getInt() < 1)
      return makeError("qnt.observers entry #" + llvm::Twine(index) +
                       " is not {id, kind = minmax|histogram, bins >= 1}");
    specs.push_back(
        {id.str(), kind.getValue() == "histogram", bins.getInt()});
  }
  return specs;
}

int64_t ObserverHistogram::getBin(float value) const {
  auto last = static_cast<int64_t>(counts.size()) - 1;
  if (!(value > min))
    return 0;
  if (!(value < max))
    return last;
  double bin = std::floor((double(value) - min) * double(counts.size()) /
                          (max - min));
  return std::min(static_cast<int64_t>(bin), last);
}

ObserverCollector::ObserverCollector(std::vector<ObserverSpec> specs)
    : specs(std::move(specs)) {
  stats.resize(this->specs.size());
}

bool ObserverCollector::needsHistogramPass() const {
  return llvm::any_of(specs,
                      [](const ObserverSpec &spec) { return spec.histogram; });
}

void ObserverCollector::startHistogramPass() {
  histogramPass = true;
  for (auto [spec, probe] : llvm::zip(specs, stats)) {
    if (!spec.histogram)
      continue;
    ObserverHistogram &histogram = probe.histogram.emplace();
    // No finite value seen: an empty range at 0 still holds the infinities.
    bool anyFinite = probe.finiteMin <= probe.finiteMax;
    histogram.min = anyFinite ? probe.finiteMin : 0;
    histogram.max = anyFinite ? probe.finiteMax : 0;
    histogram.counts.assign(spec.bins, 0);
  }
}

void ObserverCollector::add(ObserverStats &probe, float value) {
  if (histogramPass) {
    if (probe.histogram && !std::isnan(value))
      ++probe.histogram->counts[probe.histogram->getBin(value)];
    return;
  }
  ++probe.count;
  if (std::isnan(value)) {
    ++probe.nanCount;
    return;
  }
  probe.min = std::min(probe.min, value);
  probe.max = std::max(probe.max, value);
  if (std::isfinite(value)) {
    probe.finiteMin = std::min(probe.finiteMin, value);
    probe.finiteMax = std::max(probe.finiteMax, value);
  }
}

void ObserverCollector::observe(int64_t index, const float *data,
                                llvm::ArrayRef<int64_t> sizes,
                                llvm::ArrayRef<int64_t> strides) {
  if (index < 0 || index >= static_cast<int64_t>(specs.size())) {
    if (error.empty())
      error = "a probe called with index " + std::to_string(index) +
              ", but qnt.observers lists " + std::to_string(specs.size());
    return;
  }
  ObserverStats &probe = stats[index];
  if (histogramPass && !probe.histogram)
    return;
  if (llvm::is_contained(sizes, 0))
    return;
  // An odometer over the indices, innermost dimension in the inner loop.
  size_t rank = sizes.size();
  int64_t inner = rank ? sizes.back() : 1;
  int64_t innerStride = rank ? strides.back() : 0;
  llvm::SmallVector<int64_t> position(rank, 0);
  while (true) {
    int64_t offset = 0;
    for (size_t dim = 0; dim < rank; ++dim)
      offset += position[dim] * strides[dim];
    for (int64_t i = 0; i < inner; ++i)
      add(probe, data[offset + i * innerStride]);
    size_t dim = rank ? rank - 1 : 0;
    while (dim > 0 && ++position[dim - 1] == sizes[dim - 1])
      position[--dim] = 0;
    if (dim == 0)
      return;
  }
}

llvm::Error ObserverCollector::takeError() {
  if (error.empty())
    return llvm::Error::success();
  return makeError(std::exchange(error, ""));
}

/// A JSON number, or "inf" / "-inf", which JSON cannot spell as numbers.
static llvm::json::Value toJSONNumber(double value) {
  if (std::isinf(value))
    return value > 0 ? "inf" : "-inf";
  return value;
}

llvm::json::Object ObserverCollector::toJSON() const {
  llvm::json::Object activations;
  for (auto [spec, probe] : llvm::zip(specs, stats)) {
    bool anyValue = probe.count > probe.nanCount;
    llvm::json::Object entry{
        {"kind", spec.histogram ? "histogram" : "minmax"},
        {"count", probe.count},
        {"nan_count", probe.nanCount},
        {"min", anyValue ? toJSONNumber(probe.min) : nullptr},
        {"max", anyValue ? toJSONNumber(probe.max) : nullptr},
    };
    if (probe.histogram)
      entry["histogram"] = llvm::json::Object{
          {"bins", spec.bins},
          {"min", probe.histogram->min},
          {"max", probe.histogram->max},
          {"counts", llvm::json::Array(probe.histogram->counts)},
      };
    activations[std::string(spec.id)] = std::move(entry);
  }
  return activations;
}

//===----------------------------------------------------------------------===//
// The C entry point
//===----------------------------------------------------------------------===//

static ObserverCollector *activeCollector = nullptr;

void setActiveCollector(ObserverCollector *collector) {
  activeCollector = collector;
}

//===----------------------------------------------------------------------===//
// Weights
//===----------------------------------------------------------------------===//

namespace {
/// Where a weight's output channel is: the flat element i of the weight
/// belongs to channel (i / inner) % channels.
struct ChannelLayout {
  llvm::StringRef layout;
  int64_t axis;
  int64_t channels;
  int64_t inner;
};
} // namespace

/// The weight operand and its channel layout, for the ops with weights.
static std::optional<std::pair<Value, ChannelLayout>>
getWeight(Operation *op) {
  auto shapeOf = [](Value value) {
    auto type = dyn_cast<RankedTensorType>(value.getType());
    return type && type.hasStaticShape() ? type.getShape()
                                         : llvm::ArrayRef<int64_t>();
  };
  if (auto conv = dyn_cast<tosa::Conv2DOp>(op)) {
    llvm::ArrayRef<int64_t> shape = shapeOf(conv.getWeight());
    if (shape.size() != 4)
      return std::nullopt;
    return std::pair(conv.getWeight(),
                     ChannelLayout{"OHWI", 0, shape[0],
                                   shape[1] * shape[2] * shape[3]});
  }
  if (auto depthwise = dyn_cast<tosa::DepthwiseConv2DOp>(op)) {
    llvm::ArrayRef<int64_t> shape = shapeOf(depthwise.getWeight());
    if (shape.size() != 4)
      return std::nullopt;
    return std::pair(depthwise.getWeight(),
                     ChannelLayout{"HWCM", 2, shape[2] * shape[3], 1});
  }
  if (auto matmul = dyn_cast<tosa::MatMulOp>(op)) {
    llvm::ArrayRef<int64_t> shape = shapeOf(matmul.getB());
    if (shape.size() != 3)
      return std::nullopt;
    return std::pair(matmul.getB(), ChannelLayout{"NKC", 2, shape[2], 1});
  }
  return std::nullopt;
}

/// The id of the probe on `value`, if it is observed.
static std::optional<llvm::StringRef> getProbeId(Value value) {
  for (Operation *user : value.getUsers())
    if (auto probe = dyn_cast<ObserveOp>(user))
      return probe.getId();
  return std::nullopt;
}

llvm::json::Object collectWeightStats(ModuleOp module) {
  llvm::json::Object weights;
  module.walk([&](Operation *op) {
    std::optional<std::pair<Value, ChannelLayout>> weight = getWeight(op);
    if (!weight)
      return;
    std::optional<llvm::StringRef> id = getProbeId(op->getResult(0));
    DenseFPElementsAttr values;
    if (!id || !matchPattern(weight->first, m_Constant(&values)) ||
        !values.getElementType().isF32())
      return;
    const ChannelLayout &layout = weight->second;
    constexpr float inf = std::numeric_limits<float>::infinity();
    std::vector<float> channelMin(layout.channels, inf);
    std::vector<float> channelMax(layout.channels, -inf);
    int64_t nanCount = 0;
    for (auto [index, value] : llvm::enumerate(values.getValues<float>())) {
      if (std::isnan(value)) {
        ++nanCount;
        continue;
      }
      int64_t channel = (index / layout.inner) % layout.channels;
      channelMin[channel] = std::min(channelMin[channel], value);
      channelMax[channel] = std::max(channelMax[channel], value);
    }
    // A channel of NaNs only has no range: null, like such a tensor's.
    llvm::json::Array perChannelMin, perChannelMax;
    for (auto [low, high] : llvm::zip(channelMin, channelMax)) {
      perChannelMin.push_back(low <= high ? toJSONNumber(low) : nullptr);
      perChannelMax.push_back(low <= high ? toJSONNumber(high) : nullptr);
    }
    float tensorMin = *llvm::min_element(channelMin);
    float tensorMax = *llvm::max_element(channelMax);
    bool anyValue = tensorMin <= tensorMax;
    auto shape = cast<ShapedType>(values.getType()).getShape();
    weights[id->str()] = llvm::json::Object{
        {"op", op->getName().getStringRef().str()},
        {"layout", layout.layout.str()},
        {"axis", layout.axis},
        {"shape", llvm::json::Array(shape)},
        {"nan_count", nanCount},
        {"per_tensor",
         llvm::json::Object{
             {"min", anyValue ? toJSONNumber(tensorMin) : nullptr},
             {"max", anyValue ? toJSONNumber(tensorMax) : nullptr}}},
        {"per_channel",
         llvm::json::Object{
             {"min", std::move(perChannelMin)},
             {"max", std::move(perChannelMax)}}},
    };
  });
  return weights;
}

} // namespace mlir::qnt

extern "C" void _mlir_ciface_qnt_observe_f32(UnrankedMemRefType<float> *tensor,
                                             int64_t index) {
  if (!mlir::qnt::activeCollector)
    return;
  DynamicMemRefType<float> memref(*tensor);
  llvm::ArrayRef<int64_t> sizes(memref.sizes, memref.rank);
  llvm::ArrayRef<int64_t> strides(memref.strides, memref.rank);
  mlir::qnt::activeCollector->observe(index, memref.data + memref.offset,
                                      sizes, strides);
}
