//===- PeakBench.cpp - register-resident instruction loops ----------------===//
//
// The machine's limits for each kind of kernel, measured rather than taken
// from a data sheet: loops whose operands never leave registers, with
// enough independent accumulators to cover each instruction's latency, so
// that only the issue rate of the arithmetic bounds them.
//   peak/xor_popcount  vpxorq + vpopcntq + vpaddq per 512 bits (AVX-512
//                      VPOPCNTDQ): the binary GEMM's inner step, counted in
//                      binary MACs (one per bit)
//   peak/vpdpbusd      the int8 dot product (AVX512-VNNI): 64 MACs each
//   peak/fma_f32       vfmadd231ps zmm: 16 MACs each
// The multiply loops carry their accumulators from step to step; the
// popcount loop's XOR and popcount are not, so an empty asm statement marks
// their operands as changed on every step to keep the compiler from
// hoisting them.
//
//===----------------------------------------------------------------------===//

#include "Bench.h"

#include <immintrin.h>

namespace mlir::qnt::bench {

/// Steps of the inner loop per timed call: long enough to dwarf the clock
/// reads, short enough for many repetitions.
static constexpr int64_t kSteps = 1 << 16;
/// Independent accumulator chains (latency x throughput, with a margin).
static constexpr int kChains = 16;
/// Distinct operands per side, kept in registers beside the accumulators.
static constexpr int kOperands = 4;

#if QUANTMLIR_BENCH_HAVE_AVX512_EXTENSIONS

/// Hides the values from the optimizer without emitting an instruction.
#define OPAQUE(x) asm volatile("" : "+v"(x))

__attribute__((target("avx512f,avx512vpopcntdq"), noinline)) static int64_t
runXorPopcount(int64_t steps) {
  // Chain i XORs lhs[i % 4] with rhs[i / 4]: 16 distinct pairs from 8
  // registers, so the accumulators fit beside them.
  __m512i acc[kChains], lhs[kOperands], rhs[kOperands];
  for (int i = 0; i < kChains; ++i)
    acc[i] = _mm512_setzero_si512();
  for (int i = 0; i < kOperands; ++i) {
    lhs[i] = _mm512_set1_epi64(i * 0x0101010101010101LL);
    rhs[i] = _mm512_set1_epi64(0x5555555555555555LL >> i);
  }
  for (int64_t step = 0; step < steps; ++step) {
#pragma clang loop unroll(full)
    for (int i = 0; i < kOperands; ++i)
      OPAQUE(lhs[i]);
#pragma clang loop unroll(full)
    for (int i = 0; i < kChains; ++i)
      acc[i] = _mm512_add_epi64(
          acc[i], _mm512_popcnt_epi64(_mm512_xor_si512(
                      lhs[i % kOperands], rhs[i / kOperands])));
  }
  __m512i sum = acc[0];
  for (int i = 1; i < kChains; ++i)
    sum = _mm512_add_epi64(sum, acc[i]);
  return _mm512_reduce_add_epi64(sum);
}

__attribute__((target("avx512f,avx512bw,avx512vnni"), noinline)) static int64_t
runVpdpbusd(int64_t steps) {
  __m512i acc[kChains], rhs[kOperands];
  __m512i lhs = _mm512_set1_epi8(3);
  for (int i = 0; i < kChains; ++i)
    acc[i] = _mm512_setzero_si512();
  for (int i = 0; i < kOperands; ++i)
    rhs[i] = _mm512_set1_epi8(static_cast<char>(i - 2));
  for (int64_t step = 0; step < steps; ++step)
    for (int i = 0; i < kChains; ++i)
      acc[i] = _mm512_dpbusd_epi32(acc[i], lhs, rhs[i % kOperands]);
  __m512i sum = acc[0];
  for (int i = 1; i < kChains; ++i)
    sum = _mm512_add_epi32(sum, acc[i]);
  return _mm512_reduce_add_epi32(sum);
}

__attribute__((target("avx512f"), noinline)) static int64_t
runFma(int64_t steps) {
  __m512 acc[kChains], rhs[kOperands];
  __m512 lhs = _mm512_set1_ps(1.0f);
  for (int i = 0; i < kChains; ++i)
    acc[i] = _mm512_setzero_ps();
  for (int i = 0; i < kOperands; ++i)
    rhs[i] = _mm512_set1_ps(1e-9f * i);
  for (int64_t step = 0; step < steps; ++step)
    for (int i = 0; i < kChains; ++i)
      acc[i] = _mm512_fmadd_ps(lhs, rhs[i % kOperands], acc[i]);
  __m512 sum = acc[0];
  for (int i = 1; i < kChains; ++i)
    sum = _mm512_add_ps(sum, acc[i]);
  return static_cast<int64_t>(_mm512_reduce_add_ps(sum));
}

#undef OPAQUE

static void registerPeak(const char *name, bool supported,
                         int64_t (*loop)(int64_t), double macsPerStep) {
  registerBenchmark(
      "peak", name, "reg", macsPerStep * kSteps,
      [=](::benchmark::State &state) {
        if (!supported) {
          state.SkipWithError("the CPU lacks the instructions of this loop");
          return;
        }
        timeCalls(state,
                  [&] { ::benchmark::DoNotOptimize(loop(kSteps)); });
      });
}

void registerPeakBenchmarks() {
  __builtin_cpu_init();
  registerPeak("xor_popcount", __builtin_cpu_supports("avx512vpopcntdq"),
               runXorPopcount, 512 * kChains);
  registerPeak("vpdpbusd", __builtin_cpu_supports("avx512vnni"), runVpdpbusd,
               64 * kChains);
  registerPeak("fma_f32", __builtin_cpu_supports("avx512f"), runFma, 16 * kChains);
}

#else

void registerPeakBenchmarks() {
  registerBenchmark("peak", "xor_popcount", "reg", 0,
                    [](::benchmark::State &state) {
                      state.SkipWithError(
                          "built without AVX-512 VPOPCNTDQ/VNNI support in the "
                          "compiler");
                    });
}

#endif

} // namespace mlir::qnt::bench
