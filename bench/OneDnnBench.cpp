//===- OneDnnBench.cpp - oneDNN baselines ---------------------------------===//
//
// oneDNN (Debian libdnnl, v2.6) int8 matmul and convolution primitives
// (u8 x s8 -> s32, the vpdpbusd operand types), f32 convolution, and
// dnnl_sgemm. Weights are constant, as in our compiled kernels, so they are
// reordered once into the layout the primitive asks for (format `any`)
// outside the timed region; activations and results stay in our layouts
// (row-major, NHWC). A timed call is execute() plus stream::wait().
//
//===----------------------------------------------------------------------===//

#include "Bench.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <cstring>
#include <map>
#include <memory>
#include <unordered_map>

namespace mlir::qnt::bench {

using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

static const std::map<std::string, dnnl::cpu_isa> &getIsaNames() {
  static const std::map<std::string, dnnl::cpu_isa> names = {
      {"all", dnnl::cpu_isa::all},
      {"sse41", dnnl::cpu_isa::sse41},
      {"avx", dnnl::cpu_isa::avx},
      {"avx2", dnnl::cpu_isa::avx2},
      {"avx2_vnni", dnnl::cpu_isa::avx2_vnni},
      {"avx512_core", dnnl::cpu_isa::avx512_core},
      {"avx512_core_vnni", dnnl::cpu_isa::avx512_core_vnni},
      {"avx512_core_bf16", dnnl::cpu_isa::avx512_core_bf16},
      {"avx512_core_amx", dnnl::cpu_isa::avx512_core_amx},
  };
  return names;
}

std::string capOneDnnIsa(const std::string &isa) {
  auto it = getIsaNames().find(isa);
  if (it == getIsaNames().end())
    return "unknown oneDNN ISA '" + isa + "'";
  if (dnnl::set_max_cpu_isa(it->second) != dnnl::status::success)
    return "oneDNN refused the ISA cap '" + isa + "'";
  return "";
}

std::string getOneDnnEffectiveIsa() {
  dnnl::cpu_isa effective = dnnl::get_effective_cpu_isa();
  for (const auto &[name, isa] : getIsaNames())
    if (isa == effective && isa != dnnl::cpu_isa::all)
      return name;
  return "other (" + std::to_string(static_cast<int>(effective)) + ")";
}

static dnnl::engine &getEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

namespace {

/// A primitive with its memories, ready to execute.
struct Prepared {
  dnnl::primitive primitive;
  std::unordered_map<int, dnnl::memory> arguments;
  std::string implementation;
};

} // namespace

/// Reorders constant weights from `given` into the layout `wanted`.
static dnnl::memory reorderWeights(dnnl::memory given,
                                   const dnnl::memory::desc &wanted,
                                   dnnl::stream &stream) {
  if (given.get_desc() == wanted)
    return given;
  dnnl::memory reordered(wanted, getEngine());
  dnnl::reorder(given, reordered).execute(stream, given, reordered);
  stream.wait();
  return reordered;
}

static std::unique_ptr<Prepared> prepareMatmul(const GemmShape &shape) {
  dnnl::engine &engine = getEngine();
  dnnl::stream stream(engine);
  dnnl::memory::desc srcDesc({shape.m, shape.k}, dt::u8, tag::ab);
  dnnl::memory::desc anyWeights({shape.k, shape.n}, dt::s8, tag::any);
  dnnl::memory::desc dstDesc({shape.m, shape.n}, dt::s32, tag::ab);
  dnnl::matmul::primitive_desc pd(
      dnnl::matmul::desc(srcDesc, anyWeights, dstDesc), engine);

  auto prepared = std::make_unique<Prepared>();
  dnnl::memory src(srcDesc, engine);
  std::vector<int8_t> bytes = getRandomBytes(shape.m * shape.k, 1);
  std::memcpy(src.get_data_handle(), bytes.data(), bytes.size());
  // Our weights are [N, K] row-major: as a K x N matrix, tag ba.
  dnnl::memory weights({{shape.k, shape.n}, dt::s8, tag::ba}, engine);
  bytes = getRandomBytes(shape.n * shape.k, 2);
  std::memcpy(weights.get_data_handle(), bytes.data(), bytes.size());
  prepared->arguments = {
      {DNNL_ARG_SRC, src},
      {DNNL_ARG_WEIGHTS, reorderWeights(weights, pd.weights_desc(), stream)},
      {DNNL_ARG_DST, dnnl::memory(dstDesc, engine)}};
  prepared->primitive = dnnl::matmul(pd);
  prepared->implementation = pd.impl_info_str();
  return prepared;
}

static std::unique_ptr<Prepared> prepareConv(const ConvShape &shape,
                                             bool int8) {
  dnnl::engine &engine = getEngine();
  dnnl::stream stream(engine);
  dt srcType = int8 ? dt::u8 : dt::f32;
  dt weightType = int8 ? dt::s8 : dt::f32;
  dt dstType = int8 ? dt::s32 : dt::f32;
  dnnl::memory::dims srcDims = {shape.batch, shape.channels, shape.height,
                                shape.width};
  dnnl::memory::dims weightDims = {shape.filters, shape.channels, shape.kernel,
                                   shape.kernel};
  dnnl::memory::dims dstDims = {shape.batch, shape.filters,
                                shape.getOutHeight(), shape.getOutWidth()};
  dnnl::memory::desc srcDesc(srcDims, srcType, tag::nhwc);
  dnnl::memory::desc dstDesc(dstDims, dstType, tag::nhwc);
  dnnl::convolution_forward::primitive_desc pd(
      dnnl::convolution_forward::desc(
          dnnl::prop_kind::forward_inference,
          dnnl::algorithm::convolution_direct, srcDesc,
          dnnl::memory::desc(weightDims, weightType, tag::any), dstDesc,
          {1, 1}, {shape.pad, shape.pad}, {shape.pad, shape.pad}),
      engine);

  auto prepared = std::make_unique<Prepared>();
  dnnl::memory src(srcDesc, engine);
  dnnl::memory weights({weightDims, weightType, tag::ohwi}, engine);
  size_t srcCount = shape.batch * shape.height * shape.width * shape.channels;
  size_t weightCount =
      shape.filters * shape.kernel * shape.kernel * shape.channels;
  if (int8) {
    std::vector<int8_t> bytes = getRandomBytes(srcCount, 1);
    std::memcpy(src.get_data_handle(), bytes.data(), bytes.size());
    bytes = getRandomBytes(weightCount, 2);
    std::memcpy(weights.get_data_handle(), bytes.data(), bytes.size());
  } else {
    std::vector<float> values = getRandomFloats(srcCount, 1);
    std::memcpy(src.get_data_handle(), values.data(), values.size() * 4);
    values = getRandomFloats(weightCount, 2);
    std::memcpy(weights.get_data_handle(), values.data(), values.size() * 4);
  }
  prepared->arguments = {
      {DNNL_ARG_SRC, src},
      {DNNL_ARG_WEIGHTS, reorderWeights(weights, pd.weights_desc(), stream)},
      {DNNL_ARG_DST, dnnl::memory(dstDesc, engine)}};
  prepared->primitive = dnnl::convolution_forward(pd);
  prepared->implementation = pd.impl_info_str();
  return prepared;
}

/// Runs a prepared primitive; creation errors become a skipped benchmark.
template <typename Prepare>
static void runPrimitive(::benchmark::State &state, Prepare prepare) {
  std::unique_ptr<Prepared> prepared;
  try {
    prepared = prepare();
  } catch (const dnnl::error &error) {
    state.SkipWithError(("oneDNN: " + std::string(error.what())).c_str());
    return;
  }
  dnnl::stream stream(getEngine());
  timeCalls(state, [&] {
    prepared->primitive.execute(stream, prepared->arguments);
    stream.wait();
  });
  state.SetLabel(prepared->implementation + " isa:" + getOneDnnEffectiveIsa());
}

void registerOneDnnBenchmarks(const std::string &oneDnnName) {
  for (const GemmShape &shape : getGemmShapes()) {
    registerBenchmark("gemm_i8", oneDnnName, shape.name, shape.getMacs(),
                      [shape](::benchmark::State &state) {
                        runPrimitive(state, [&] { return prepareMatmul(shape); });
                      });
    // dnnl_sgemm dispatches by ISA too, so it is measured under each cap.
    registerBenchmark(
        "gemm_f32", oneDnnName, shape.name, shape.getMacs(),
        [shape](::benchmark::State &state) {
          std::vector<float> lhs = getRandomFloats(shape.m * shape.k, 1);
          std::vector<float> rhs = getRandomFloats(shape.k * shape.n, 2);
          std::vector<float> out(shape.m * shape.n);
          timeCalls(state, [&] {
            dnnl_sgemm('N', 'N', shape.m, shape.n, shape.k, 1.0f, lhs.data(),
                       shape.k, rhs.data(), shape.n, 0.0f, out.data(),
                       shape.n);
          });
          state.SetLabel("dnnl_sgemm isa:" + getOneDnnEffectiveIsa());
        });
  }
  for (const ConvShape &shape : getConvShapes()) {
    registerBenchmark("conv_i8", oneDnnName, shape.name, shape.getMacs(),
                      [shape](::benchmark::State &state) {
                        runPrimitive(state,
                                     [&] { return prepareConv(shape, true); });
                      });
    registerBenchmark("conv_f32", oneDnnName, shape.name, shape.getMacs(),
                      [shape](::benchmark::State &state) {
                        runPrimitive(state,
                                     [&] { return prepareConv(shape, false); });
                      });
  }
}

} // namespace mlir::qnt::bench
