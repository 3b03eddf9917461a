//===- BenchMain.cpp - quant-bench entry point ----------------------------===//
//
// quant-bench [--dnnl-max-isa=<isa>] [Google Benchmark flags]
//
// oneDNN reads its ISA cap once, before its first primitive, so a capped
// measurement is a separate process: with --dnnl-max-isa only the oneDNN
// benchmarks run, named dnnl_<isa> instead of dnnl (scripts/bench.sh runs
// the binary twice and merges the two JSON files).
//
//===----------------------------------------------------------------------===//

#include "Bench.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

namespace mlir::qnt::bench {

std::vector<int8_t> getRandomBytes(size_t count, uint32_t seed) {
  std::mt19937 generator(seed);
  std::uniform_int_distribution<int> distribution(-128, 127);
  std::vector<int8_t> bytes(count);
  for (int8_t &byte : bytes)
    byte = static_cast<int8_t>(distribution(generator));
  return bytes;
}

std::vector<float> getRandomFloats(size_t count, uint32_t seed) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<float> distribution(-1.0f, 1.0f);
  std::vector<float> values(count);
  for (float &value : values)
    value = distribution(generator);
  return values;
}

} // namespace mlir::qnt::bench

using namespace mlir::qnt::bench;

int main(int argc, char **argv) {
  static const char isaFlag[] = "--dnnl-max-isa=";
  std::string isaCap;
  std::vector<char *> arguments;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], isaFlag, sizeof(isaFlag) - 1) == 0)
      isaCap = argv[i] + sizeof(isaFlag) - 1;
    else
      arguments.push_back(argv[i]);
  }
  if (!isaCap.empty()) {
    std::string error = capOneDnnIsa(isaCap);
    if (!error.empty()) {
      std::fprintf(stderr, "quant-bench: %s\n", error.c_str());
      return 1;
    }
  }
  // The libraries read their thread counts from the environment when they
  // load; the figures are meant to be single-threaded.
  for (const char *variable : {"OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"}) {
    const char *value = std::getenv(variable);
    if (!value || std::strcmp(value, "1") != 0)
      std::fprintf(stderr, "quant-bench: warning: %s is not 1\n", variable);
  }

  registerOneDnnBenchmarks(isaCap.empty() ? "dnnl" : "dnnl_" + isaCap);
  if (isaCap.empty()) {
    registerPeakBenchmarks();
    registerOpenBlasBenchmarks();
    registerQntBenchmarks();
  }

  int count = static_cast<int>(arguments.size());
  ::benchmark::Initialize(&count, arguments.data());
  if (::benchmark::ReportUnrecognizedArguments(count, arguments.data()))
    return 1;
  ::benchmark::AddCustomContext("dnnl_max_isa",
                                isaCap.empty() ? "all" : isaCap);
  ::benchmark::AddCustomContext("dnnl_effective_isa", getOneDnnEffectiveIsa());
  ::benchmark::RunSpecifiedBenchmarks();
  ::benchmark::Shutdown();
  releaseQntKernels();
  return 0;
}
