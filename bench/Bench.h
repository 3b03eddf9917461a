//===- Bench.h - shapes and helpers shared by quant-bench -------*- C++ -*-===//
//
// Every benchmark is named <family>/<implementation>/<shape> (e.g.
// gemm_i8/qnt/sq1024, gemm_f32/openblas/fc1_b64) and carries the counter
// `macs`: logical multiply-accumulates of one call (binary ones count one
// per bit). bench/bench_table.py turns medians into GOP/s and ratios by
// matching shape names across families and implementations.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTMLIR_BENCH_BENCH_H
#define QUANTMLIR_BENCH_BENCH_H

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

namespace mlir::qnt::bench {

/// out[M, N] = lhs[M, K] . rhs[N, K]^T; K counts bits in binary GEMMs.
struct GemmShape {
  std::string name;
  int64_t m, n, k;
  double getMacs() const { return double(m) * n * k; }
};

/// NHWC input [batch, height, width, channels], OHWI filter
/// [filters, kernel, kernel, channels], stride 1, `pad` on every side.
struct ConvShape {
  std::string name;
  int64_t batch, height, width, channels, filters, kernel, pad;
  /// Whether the layer is a sensible binary layer (not a 1-channel input).
  bool binary;
  int64_t getOutHeight() const { return height + 2 * pad - kernel + 1; }
  int64_t getOutWidth() const { return width + 2 * pad - kernel + 1; }
  double getMacs() const {
    return double(batch) * getOutHeight() * getOutWidth() * filters * kernel *
           kernel * channels;
  }
};

/// Square GEMMs, then the example CNN's fully connected layers at batch 1
/// and 64 (examples/fashion_mnist: 1568 -> 300 -> 10).
inline std::vector<GemmShape> getGemmShapes() {
  std::vector<GemmShape> shapes;
  for (int64_t size : {256, 512, 1024, 2048})
    shapes.push_back({"sq" + std::to_string(size), size, size, size});
  for (int64_t batch : {1, 64}) {
    std::string suffix = "_b" + std::to_string(batch);
    shapes.push_back({"fc1" + suffix, batch, 300, 1568});
    shapes.push_back({"fc2" + suffix, batch, 10, 300});
  }
  return shapes;
}

/// The example CNN's convolutions at batch 1 and 64, and a wider 3x3 layer
/// whose depth (1152) is large enough for the kernels to reach their
/// steady state.
inline std::vector<ConvShape> getConvShapes() {
  std::vector<ConvShape> shapes;
  for (int64_t batch : {1, 64}) {
    std::string suffix = "_b" + std::to_string(batch);
    shapes.push_back({"conv1" + suffix, batch, 28, 28, 1, 16, 5, 2, false});
    shapes.push_back({"conv2" + suffix, batch, 28, 28, 16, 16, 3, 1, true});
    shapes.push_back({"conv3" + suffix, batch, 14, 14, 16, 32, 3, 1, true});
  }
  shapes.push_back({"wide_b1", 1, 14, 14, 128, 128, 3, 1, true});
  return shapes;
}

/// CPU time of the calling thread.
inline double getThreadCpuSeconds() {
  timespec now;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return double(now.tv_sec) + 1e-9 * double(now.tv_nsec);
}

/// Records one call: its thread CPU time is the iteration's time (the
/// machine is shared, and other jobs' time slices inflate wall time), its
/// wall time goes into the `wall_us` counter.
class CallTimer {
public:
  void record(::benchmark::State &state, double cpuSeconds,
              double wallSeconds) {
    state.SetIterationTime(cpuSeconds);
    wallTotal += wallSeconds;
  }
  void finish(::benchmark::State &state) {
    state.counters["wall_us"] = ::benchmark::Counter(
        wallTotal * 1e6, ::benchmark::Counter::kAvgIterations);
  }

private:
  double wallTotal = 0;
};

/// Times `call` once per iteration, after one untimed call that absorbs
/// first-call work (oneDNN's JIT, page faults of fresh buffers).
template <typename Call>
void timeCalls(::benchmark::State &state, Call &&call) {
  call();
  CallTimer timer;
  for (auto _ : state) {
    double cpuStart = getThreadCpuSeconds();
    auto start = std::chrono::steady_clock::now();
    call();
    auto stop = std::chrono::steady_clock::now();
    double cpuStop = getThreadCpuSeconds();
    timer.record(state, cpuStop - cpuStart,
                 std::chrono::duration<double>(stop - start).count());
  }
  timer.finish(state);
}

/// Registers `function` as <family>/<implementation>/<shape> with manual
/// (thread CPU) timing in microseconds and the `macs` counter set on each run.
template <typename Function>
::benchmark::internal::Benchmark *
registerBenchmark(const std::string &family, const std::string &implementation,
                  const std::string &shape, double macs, Function function) {
  return ::benchmark::RegisterBenchmark(
             (family + "/" + implementation + "/" + shape).c_str(),
             [macs, function](::benchmark::State &state) {
               function(state);
               state.counters["macs"] = macs;
             })
      ->UseManualTime()
      ->Unit(::benchmark::kMicrosecond);
}

/// Random bytes (a fixed seed per call site, so runs see the same data).
std::vector<int8_t> getRandomBytes(size_t count, uint32_t seed);
/// Random floats in [-1, 1).
std::vector<float> getRandomFloats(size_t count, uint32_t seed);

/// Caps oneDNN's ISA (a dnnl::cpu_isa name such as avx512_core_vnni); must
/// run before oneDNN creates its first primitive. Returns an error message,
/// empty on success.
std::string capOneDnnIsa(const std::string &isa);
/// The ISA oneDNN dispatches to, e.g. "avx512_core_vnni".
std::string getOneDnnEffectiveIsa();

/// Family registration; `oneDnnName` is "dnnl" or "dnnl_<cap>".
void registerOneDnnBenchmarks(const std::string &oneDnnName);
void registerOpenBlasBenchmarks();
void registerPeakBenchmarks();
void registerQntBenchmarks();
/// Frees the compiled kernels; call before leaving main.
void releaseQntKernels();

} // namespace mlir::qnt::bench

#endif // QUANTMLIR_BENCH_BENCH_H
