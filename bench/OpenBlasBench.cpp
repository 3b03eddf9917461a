//===- OpenBlasBench.cpp - OpenBLAS sgemm baseline ------------------------===//
//
// cblas_sgemm (Debian libopenblas, pthread build) on the GEMM shapes,
// row-major, B not transposed, single thread.
//
//===----------------------------------------------------------------------===//

#include "Bench.h"

#include <cblas.h>

namespace mlir::qnt::bench {

void registerOpenBlasBenchmarks() {
  openblas_set_num_threads(1);
  for (const GemmShape &shape : getGemmShapes())
    registerBenchmark(
        "gemm_f32", "openblas", shape.name, shape.getMacs(),
        [shape](::benchmark::State &state) {
          std::vector<float> lhs = getRandomFloats(shape.m * shape.k, 1);
          std::vector<float> rhs = getRandomFloats(shape.k * shape.n, 2);
          std::vector<float> out(shape.m * shape.n);
          timeCalls(state, [&] {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, shape.m,
                        shape.n, shape.k, 1.0f, lhs.data(), shape.k,
                        rhs.data(), shape.n, 0.0f, out.data(), shape.n);
          });
          state.SetLabel(openblas_get_config());
        });
}

} // namespace mlir::qnt::bench
