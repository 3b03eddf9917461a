//===- Observers.h - calibration statistics runtime -------------*- C++ -*-===//
//
// Compiled code with lowered `qnt.observe` probes calls
// `_mlir_ciface_qnt_observe_f32(tensor, index)`; that function forwards to
// the one registered ObserverCollector, which gathers per-probe statistics
// (count, min, max, NaNs, histograms) described by the module's
// `qnt.observers` table. Weight statistics come straight from the IR.
//
// A histogram needs its range before its first value, so histogram
// calibration runs the data twice: pass 1 gathers min/max, pass 2 fills
// equal-width bins over the final [min, max] of each probe.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTMLIR_RUNTIME_OBSERVERS_H
#define QUANTMLIR_RUNTIME_OBSERVERS_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

template <typename T>
struct UnrankedMemRefType;

namespace mlir::qnt {

/// One entry of the `qnt.observers` table: the probe with that index.
struct ObserverSpec {
  std::string id;
  /// Whether the probe wants a histogram (kind "histogram") besides min/max.
  bool histogram = false;
  int64_t bins = 0;
};

/// Reads the `qnt.observers` table that qnt-lower-observers attaches to the
/// module (an empty list when the module has none).
llvm::Expected<std::vector<ObserverSpec>> readObserverTable(ModuleOp module);

/// Equal-width bins over [min, max]: value x goes to bin
/// floor((x - min) * bins / (max - min)), computed in double and clamped to
/// [0, bins - 1], so x == max lands in the last bin; when min == max every
/// value lands in bin 0. -inf and +inf land in the first and last bin.
struct ObserverHistogram {
  double min = 0;
  double max = 0;
  std::vector<int64_t> counts;

  /// The bin of a non-NaN `value`.
  int64_t getBin(float value) const;
};

/// What one probe has seen.
struct ObserverStats {
  /// Values seen in pass 1, NaNs included.
  int64_t count = 0;
  int64_t nanCount = 0;
  /// Over the non-NaN values (infinities included); +inf / -inf when none.
  float min = std::numeric_limits<float>::infinity();
  float max = -std::numeric_limits<float>::infinity();
  /// Over the finite values: the histogram's range.
  float finiteMin = std::numeric_limits<float>::infinity();
  float finiteMax = -std::numeric_limits<float>::infinity();
  /// Present for histogram probes once pass 2 has started.
  std::optional<ObserverHistogram> histogram;
};

/// Gathers the statistics of the probes of one module over a calibration
/// run. Not thread-safe: the compiled code calls it one probe at a time.
class ObserverCollector {
public:
  explicit ObserverCollector(std::vector<ObserverSpec> specs);

  llvm::ArrayRef<ObserverSpec> getSpecs() const { return specs; }
  llvm::ArrayRef<ObserverStats> getStats() const { return stats; }

  /// Whether some probe wants a histogram, and so a second pass.
  bool needsHistogramPass() const;
  /// Ends pass 1: each histogram probe's range becomes the finite [min, max]
  /// it has seen, and later observe() calls only fill the bins.
  void startHistogramPass();
  bool inHistogramPass() const { return histogramPass; }

  /// Gathers the values of a strided tensor for probe `index`.
  void observe(int64_t index, const float *data, llvm::ArrayRef<int64_t> sizes,
               llvm::ArrayRef<int64_t> strides);
  /// The first error observe() met (an index outside the table), cleared.
  llvm::Error takeError();

  /// The "activations" object of the stats file: one entry per probe id.
  llvm::json::Object toJSON() const;

private:
  void add(ObserverStats &probe, float value);

  std::vector<ObserverSpec> specs;
  std::vector<ObserverStats> stats;
  bool histogramPass = false;
  std::string error;
};

/// Makes `collector` (or none, for null) the one the observe entry point
/// forwards to; without one, probes are ignored.
void setActiveCollector(ObserverCollector *collector);

/// The C symbol compiled probes call, for JitOptions::symbols.
inline constexpr llvm::StringLiteral kObserveSymbol =
    "_mlir_ciface_qnt_observe_f32";

/// The "weights" object of the stats file: min/max per output channel and
/// per tensor of the constant weights of every tosa.conv2d,
/// tosa.depthwise_conv2d and tosa.matmul whose result is observed, keyed by
/// that result's probe id. Weights that are not constants are skipped.
llvm::json::Object collectWeightStats(ModuleOp module);

} // namespace mlir::qnt

/// The function compiled probes call (declared with llvm.emit_c_interface).
extern "C" void
_mlir_ciface_qnt_observe_f32(UnrankedMemRefType<float> *tensor, int64_t index);

#endif // QUANTMLIR_RUNTIME_OBSERVERS_H
