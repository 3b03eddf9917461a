//===- OnnxImporter.cpp - ONNX model to func + TOSA + qnt -----------------===//
//
// libonnx parses the model, checks it and infers shapes; this file walks the
// topologically sorted graph once and builds `func.func @model`.
//
// Every ONNX value becomes a `Tensor` that may hold up to three forms: a host
// copy (initializers, Constant nodes and anything computed only from them,
// folded here in double precision), the MLIR value in ONNX layout, and, for
// rank-4 activations, the MLIR value in NHWC layout (the ONNX tensor
// permuted by [0, 2, 3, 1]). Conv, pooling and batch norm want NHWC; ops
// that only see elements (activations, add/mul, pad, concat, quantize) keep
// whichever layout their input has; everything whose meaning depends on the
// element order (Flatten, Reshape, Softmax, MatMul, graph outputs) asks for
// the ONNX layout. A form is created at its first use and cached, so each
// activation is transposed at most once each way and an FC layer after
// NHWC convolutions flattens in ONNX's NCHW order, keeping its weights as
// exported.
//
// Only this library is built with exceptions: libonnx reports errors by
// throwing, and `loadModel` turns each exception into a diagnostic.
//
//===----------------------------------------------------------------------===//

#include "quant-mlir/Import/OnnxImporter.h"

#include "qnt/IR/QntDialect.h"
#include "qnt/IR/QntOps.h"
#include "qnt/Utils/Numerics.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/Verifier.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/defs/tensor_proto_util.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <functional>
#include <numeric>

using namespace mlir;
using namespace mlir::qnt;

using DataType = onnx::TensorProto::DataType;

static constexpr int64_t kMinOpset = 11;
static constexpr int64_t kMaxOpset = 17;

/// Permutation from ONNX NCHW to NHWC, and back.
static constexpr int64_t kToNhwc[] = {0, 2, 3, 1};
static constexpr int64_t kToNchw[] = {0, 3, 1, 2};

//===----------------------------------------------------------------------===//
// Host tensors
//===----------------------------------------------------------------------===//

namespace {
/// A tensor known at import time. Values are doubles: exact for f32 and for
/// integers up to 2^53, which covers shapes, indices and quantized data.
struct HostTensor {
  int32_t dtype = onnx::TensorProto::FLOAT;
  SmallVector<int64_t> shape;
  std::vector<double> data;
};

/// An ONNX value: its logical shape and element type, and the forms in
/// which it exists so far (see the file comment).
/// A DequantizeLinear of constant integers: the integers (ONNX layout) and
/// their !quant.uniform type. Conv, Gemm and MatMul re-lay them out at import,
/// so quantized weights reach TOSA as qnt.dequantize(qnt.constant) in the
/// TOSA layout, where qnt-quantize takes their scales.
struct QuantizedHost {
  HostTensor ints;
  quant::QuantizedType type;
};

struct Tensor {
  SmallVector<int64_t> shape;
  int32_t dtype = onnx::TensorProto::FLOAT;
  std::optional<HostTensor> host;
  /// Set (with no MLIR form yet) for the float output of a DequantizeLinear
  /// of constant integers; its forms are made at first use.
  std::optional<QuantizedHost> quantHost;
  Value onnx;
  Value nhwc;
  bool hasNhwc() const { return static_cast<bool>(nhwc); }
};
} // namespace

static int64_t numElements(ArrayRef<int64_t> shape) {
  return std::accumulate(shape.begin(), shape.end(), int64_t{1},
                         std::multiplies<int64_t>());
}

/// Element types a run-time tensor may have: TOSA has no f64, so DOUBLE
/// exists only in constants, which fold or are cast at import.
static bool isRuntimeType(int32_t dtype) {
  switch (dtype) {
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::BOOL:
    return true;
  default:
    return false;
  }
}

static bool isFloatType(int32_t dtype) {
  return dtype == onnx::TensorProto::FLOAT ||
         dtype == onnx::TensorProto::DOUBLE ||
         dtype == onnx::TensorProto::FLOAT16;
}

static SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

static HostTensor hostTranspose(const HostTensor &t, ArrayRef<int64_t> perm) {
  HostTensor r;
  r.dtype = t.dtype;
  for (int64_t p : perm)
    r.shape.push_back(t.shape[p]);
  r.data.resize(t.data.size());
  SmallVector<int64_t> inStrides = stridesOf(t.shape);
  SmallVector<int64_t> index(perm.size(), 0);
  for (size_t flat = 0; flat < r.data.size(); ++flat) {
    int64_t src = 0;
    for (size_t d = 0; d < perm.size(); ++d)
      src += index[d] * inStrides[perm[d]];
    r.data[flat] = t.data[src];
    for (int64_t d = static_cast<int64_t>(perm.size()) - 1; d >= 0; --d) {
      if (++index[d] < r.shape[d])
        break;
      index[d] = 0;
    }
  }
  return r;
}

static HostTensor hostReshape(HostTensor t, ArrayRef<int64_t> shape) {
  t.shape.assign(shape.begin(), shape.end());
  return t;
}

/// Numpy broadcasting of two shapes; nullopt when they are incompatible.
static std::optional<SmallVector<int64_t>>
broadcastShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return std::nullopt;
    out[i] = da == 1 ? db : da;
  }
  return out;
}

/// Index into `t` (broadcast to `outShape`) of the element at `index`.
static int64_t broadcastIndex(const HostTensor &t, ArrayRef<int64_t> outShape,
                              ArrayRef<int64_t> index,
                              ArrayRef<int64_t> strides) {
  size_t lead = outShape.size() - t.shape.size();
  int64_t flat = 0;
  for (size_t d = 0; d < t.shape.size(); ++d)
    if (t.shape[d] != 1)
      flat += index[lead + d] * strides[d];
  return flat;
}

static HostTensor hostBinary(const HostTensor &a, const HostTensor &b,
                             ArrayRef<int64_t> outShape,
                             function_ref<double(double, double)> fn) {
  HostTensor r;
  r.dtype = a.dtype;
  r.shape.assign(outShape.begin(), outShape.end());
  r.data.resize(numElements(outShape));
  SmallVector<int64_t> sa = stridesOf(a.shape), sb = stridesOf(b.shape);
  SmallVector<int64_t> index(outShape.size(), 0);
  for (size_t flat = 0; flat < r.data.size(); ++flat) {
    r.data[flat] = fn(a.data[broadcastIndex(a, outShape, index, sa)],
                      b.data[broadcastIndex(b, outShape, index, sb)]);
    for (int64_t d = static_cast<int64_t>(outShape.size()) - 1; d >= 0; --d) {
      if (++index[d] < outShape[d])
        break;
      index[d] = 0;
    }
  }
  return r;
}

/// Reduces `t` over `axes` (sorted, non-negative) keeping them as size 1.
static HostTensor hostReduce(const HostTensor &t, ArrayRef<int64_t> axes,
                             bool mean) {
  HostTensor r;
  r.dtype = t.dtype;
  r.shape = t.shape;
  for (int64_t a : axes)
    r.shape[a] = 1;
  r.data.assign(numElements(r.shape), mean ? 0.0 : -INFINITY);
  SmallVector<int64_t> outStrides = stridesOf(r.shape);
  SmallVector<int64_t> index(t.shape.size(), 0);
  for (double v : t.data) {
    int64_t dst = 0;
    for (size_t d = 0; d < t.shape.size(); ++d)
      if (r.shape[d] != 1)
        dst += index[d] * outStrides[d];
    r.data[dst] = mean ? r.data[dst] + v : std::max(r.data[dst], v);
    for (int64_t d = static_cast<int64_t>(t.shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < t.shape[d])
        break;
      index[d] = 0;
    }
  }
  if (mean) {
    double count = static_cast<double>(t.data.size()) / r.data.size();
    for (double &v : r.data)
      v /= count;
  }
  return r;
}

/// Elements [start, start + size) of `t` along `axis`.
static HostTensor hostSlice(const HostTensor &t, int64_t axis, int64_t start,
                            int64_t size) {
  HostTensor r;
  r.dtype = t.dtype;
  r.shape = t.shape;
  r.shape[axis] = size;
  int64_t outer = numElements(ArrayRef<int64_t>(t.shape).take_front(axis));
  int64_t inner = numElements(ArrayRef<int64_t>(t.shape).drop_front(axis + 1));
  for (int64_t o = 0; o < outer; ++o) {
    auto begin = t.data.begin() + (o * t.shape[axis] + start) * inner;
    r.data.insert(r.data.end(), begin, begin + size * inner);
  }
  return r;
}

/// The per-axis type `type` with its quantized dimension moved to `axis`
/// and, when `count` > 0, only channels [start, start + count).
static quant::QuantizedType withAxis(quant::QuantizedType type, int64_t axis,
                                     int64_t start = 0, int64_t count = 0) {
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type);
  if (!perAxis)
    return type;
  ArrayRef<double> scales = perAxis.getScales();
  ArrayRef<int64_t> zps = perAxis.getZeroPoints();
  if (count > 0) {
    scales = scales.slice(start, count);
    zps = zps.slice(start, count);
  }
  return quant::UniformQuantizedPerAxisType::get(
      perAxis.getFlags(), perAxis.getStorageType(), perAxis.getExpressedType(),
      scales, zps, axis, perAxis.getStorageTypeMin(),
      perAxis.getStorageTypeMax());
}

static int64_t quantizedAxis(quant::QuantizedType type) {
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type);
  return perAxis ? perAxis.getQuantizedDimension() : -1;
}

static QuantizedHost quantTranspose(const QuantizedHost &q,
                                    ArrayRef<int64_t> perm) {
  int64_t axis = quantizedAxis(q.type);
  int64_t newAxis = axis < 0 ? axis : llvm::find(perm, axis) - perm.begin();
  return {hostTranspose(q.ints, perm), withAxis(q.type, newAxis)};
}

/// `q` reshaped; nullopt when the reshape splits or merges the quantized
/// axis (its scales would no longer lie along one axis).
static std::optional<QuantizedHost> quantReshape(const QuantizedHost &q,
                                                 ArrayRef<int64_t> shape) {
  int64_t axis = quantizedAxis(q.type);
  if (axis < 0)
    return QuantizedHost{hostReshape(q.ints, shape), q.type};
  ArrayRef<int64_t> old = q.ints.shape;
  int64_t outer = numElements(old.take_front(axis));
  for (size_t d = 0; d < shape.size(); ++d)
    if (shape[d] == old[axis] &&
        numElements(shape.take_front(d)) == outer)
      return QuantizedHost{hostReshape(q.ints, shape),
                           withAxis(q.type, d)};
  return std::nullopt;
}

/// Channels [start, start + size) of `q` along axis 0.
static QuantizedHost quantSlice(const QuantizedHost &q, int64_t start,
                                int64_t size) {
  bool alongAxis = quantizedAxis(q.type) == 0;
  return {hostSlice(q.ints, 0, start, size),
          alongAxis ? withAxis(q.type, 0, start, size) : q.type};
}

static HostTensor hostConcat(ArrayRef<const HostTensor *> parts,
                             int64_t axis) {
  HostTensor r;
  r.dtype = parts.front()->dtype;
  r.shape = parts.front()->shape;
  r.shape[axis] = 0;
  for (const HostTensor *p : parts)
    r.shape[axis] += p->shape[axis];
  int64_t outer = numElements(ArrayRef<int64_t>(r.shape).take_front(axis));
  for (int64_t o = 0; o < outer; ++o) {
    for (const HostTensor *p : parts) {
      int64_t chunk =
          numElements(ArrayRef<int64_t>(p->shape).drop_front(axis));
      auto begin = p->data.begin() + o * chunk;
      r.data.insert(r.data.end(), begin, begin + chunk);
    }
  }
  return r;
}

/// ONNX Cast semantics for the values the importer folds: float to integer
/// truncates toward zero, anything to bool is "not zero".
static HostTensor hostCast(HostTensor t, int32_t to) {
  if (to == onnx::TensorProto::BOOL) {
    for (double &v : t.data)
      v = v != 0.0;
  } else if (!isFloatType(to) && isFloatType(t.dtype)) {
    for (double &v : t.data)
      v = std::trunc(v);
  } else if (to == onnx::TensorProto::FLOAT) {
    for (double &v : t.data)
      v = static_cast<float>(v);
  }
  t.dtype = to;
  return t;
}

template <typename T>
static void appendRaw(const std::string &raw, std::vector<double> &out) {
  size_t count = raw.size() / sizeof(T);
  for (size_t i = 0; i < count; ++i) {
    T v;
    std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));
    out.push_back(static_cast<double>(v));
  }
}

template <typename T>
static void appendParsed(const onnx::TensorProto &proto,
                         std::vector<double> &out) {
  for (T v : onnx::ParseData<T>(&proto))
    out.push_back(static_cast<double>(v));
}

/// Reads the values of a TensorProto (raw_data or the typed fields); fails
/// with a message for external data and element types it does not read.
static LogicalResult readTensorProto(const onnx::TensorProto &proto,
                                     HostTensor &out, std::string &error) {
  out.dtype = proto.data_type();
  out.shape.assign(proto.dims().begin(), proto.dims().end());
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    error = "external tensor data is not supported";
    return failure();
  }
  const std::string &raw = proto.raw_data();
  bool hasRaw = proto.has_raw_data();
  // onnx::ParseData throws on malformed data; errors leave as messages.
  try {
    switch (proto.data_type()) {
    case onnx::TensorProto::FLOAT:
      appendParsed<float>(proto, out.data);
      break;
    case onnx::TensorProto::DOUBLE:
      appendParsed<double>(proto, out.data);
      break;
    case onnx::TensorProto::INT64:
      appendParsed<int64_t>(proto, out.data);
      break;
    case onnx::TensorProto::INT32:
      appendParsed<int32_t>(proto, out.data);
      break;
    // ParseData has no 8-bit instantiations: raw_data or int32_data.
    case onnx::TensorProto::INT8:
      if (hasRaw)
        appendRaw<int8_t>(raw, out.data);
      else
        out.data.assign(proto.int32_data().begin(), proto.int32_data().end());
      break;
    case onnx::TensorProto::UINT8:
    case onnx::TensorProto::BOOL:
      if (hasRaw)
        appendRaw<uint8_t>(raw, out.data);
      else
        out.data.assign(proto.int32_data().begin(), proto.int32_data().end());
      break;
    default:
      error = "element type " +
              onnx::TensorProto::DataType_Name(
                  static_cast<DataType>(proto.data_type())) +
              " is not supported";
      return failure();
    }
  } catch (const std::exception &e) {
    error = e.what();
    return failure();
  }
  if (static_cast<int64_t>(out.data.size()) != numElements(out.shape)) {
    error = "holds " + std::to_string(out.data.size()) +
            " values for its shape of " +
            std::to_string(numElements(out.shape)) + " elements";
    return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// The importer
//===----------------------------------------------------------------------===//

namespace {
class Importer {
public:
  Importer(MLIRContext *context, StringRef name,
           const OnnxImportOptions &options)
      : context(context), name(name.str()), options(options),
        b(UnknownLoc::get(context), context) {}

  OwningOpRef<ModuleOp> run(StringRef bytes);

private:
  using Handler = LogicalResult (Importer::*)();

  LogicalResult loadModel(StringRef bytes);
  LogicalResult fixInputShapes();
  LogicalResult importGraph(ModuleOp module);
  LogicalResult importNode(const onnx::NodeProto &n);
  static const llvm::StringMap<Handler> &handlers();

  // Diagnostics.
  InFlightDiagnostic nodeError();
  InFlightDiagnostic attrError(StringRef attr);

  // Node access.
  bool hasInput(int i) const {
    return i < node->input_size() && !node->input(i).empty();
  }
  Tensor &input(int i) { return values.find(node->input(i))->second; }
  FailureOr<const HostTensor *> hostInput(int i, StringRef what);
  void define(int i, Tensor t) { values[node->output(i)] = std::move(t); }
  void defineHost(int i, HostTensor h);
  void defineValue(int i, Value v, bool nhwc, ArrayRef<int64_t> shape,
                   int32_t dtype);
  const onnx::AttributeProto *attr(StringRef attrName) const;
  int64_t intAttr(StringRef attrName, int64_t dflt) const;
  float floatAttr(StringRef attrName, float dflt) const;
  std::string stringAttr(StringRef attrName, StringRef dflt) const;
  SmallVector<int64_t> intsAttr(StringRef attrName,
                                ArrayRef<int64_t> dflt = {}) const;
  FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank);
  FailureOr<SmallVector<int64_t>> axesFromAttrOrInput(int inputIndex,
                                                      int64_t rank,
                                                      bool &present);
  LogicalResult requireFloat(const Tensor &t);
  std::optional<SmallVector<int64_t>> staticOutputShape(int i) const;

  // Types, constants and layouts.
  Type elementType(int32_t dtype);
  RankedTensorType tensorType(ArrayRef<int64_t> shape, int32_t dtype) {
    return RankedTensorType::get(shape, elementType(dtype));
  }
  Value materialize(const HostTensor &h);
  Value materializeQuantized(const QuantizedHost &q);
  Value floatConst(ArrayRef<int64_t> shape, ArrayRef<float> data);
  Value onnxValue(Tensor &t);
  Value nhwcValue(Tensor &t);
  Value layoutValue(Tensor &t, bool nhwc) {
    return nhwc ? nhwcValue(t) : onnxValue(t);
  }
  /// True when `t` is an activation best kept in NHWC.
  static bool prefersNhwc(const Tensor &t) {
    return t.shape.size() == 4 && !t.host && t.hasNhwc();
  }
  Value reshape(Value v, ArrayRef<int64_t> shape);
  Value transpose(Value v, ArrayRef<int64_t> perm);
  Value slice(Value v, ArrayRef<int64_t> start, ArrayRef<int64_t> size);
  Value mul(Value a, Value c);
  Value padWith(Value v, ArrayRef<int64_t> lo, ArrayRef<int64_t> hi,
                float value);
  Value alignedOperand(Tensor &t, int64_t rank, bool nhwc);

  // Handlers, one per ONNX op (or family).
  LogicalResult importConstant();
  LogicalResult importIdentity();
  LogicalResult importUnary();
  LogicalResult importBinary();
  LogicalResult importConv();
  LogicalResult importGemm();
  LogicalResult importMatMul();
  LogicalResult importBatchNorm();
  LogicalResult importPool();
  LogicalResult importGlobalAveragePool();
  LogicalResult importFlatten();
  LogicalResult importReshape();
  LogicalResult importSqueeze();
  LogicalResult importUnsqueeze();
  LogicalResult importTranspose();
  LogicalResult importConcat();
  LogicalResult importSoftmax();
  LogicalResult importPad();
  LogicalResult importCast();
  LogicalResult importShape();
  LogicalResult importGather();
  LogicalResult importConstantOfShape();
  LogicalResult importReduce();
  LogicalResult importQuantizeLinear();
  LogicalResult importDequantizeLinear();
  LogicalResult importQLinearConv();
  LogicalResult importQLinearMatMul();
  struct QLinearOperands;
  FailureOr<QLinearOperands> readQLinearOperands(ArrayRef<const char *> names);
  LogicalResult importConvInteger();
  LogicalResult importMatMulInteger();

  // Shared pieces of the handlers.
  struct ConvGeometry {
    int64_t groups;
    SmallVector<int64_t> stride, dilation, pad; // pad: TOSA top, bottom,
                                                // left, right
    SmallVector<int64_t> outShape;              // NHWC
    int64_t crop[2] = {0, 0}; // trailing input rows/columns no window reads
    int64_t ceilPad[2] = {0, 0}; // end padding added for ceil_mode = 1
  };
  Value cropInput(Value in, const ConvGeometry &g);
  LogicalResult defineReshaped(Tensor &x, ArrayRef<int64_t> shape);
  std::optional<LogicalResult> reshapeForRuntimeAxes();
  FailureOr<ConvGeometry> convGeometry(const Tensor &x,
                                       ArrayRef<int64_t> kernel,
                                       int64_t outChannels, bool hasGroups,
                                       bool hasDilations);
  LogicalResult unaryHostOrEmit(function_ref<double(double)> hostFn,
                                function_ref<Value(Value, Type)> emit);
  FailureOr<Type> quantizedType(const HostTensor &scale,
                                const HostTensor *zeroPoint, int64_t axis,
                                int32_t storage);
  Value storageValue(Tensor &t, bool nhwc);
  Value quantizedValue(Tensor &t, bool nhwc, Type quantType);
  FailureOr<Value> integerConv(Tensor &x, const HostTensor &w,
                               const HostTensor *bias, int32_t xZp,
                               int32_t wZp, SmallVector<int64_t> &outShape);
  FailureOr<Value> integerMatmul(Tensor &a, const HostTensor &bMat,
                                 const HostTensor *bias, int32_t aZp,
                                 int32_t bZp);
  FailureOr<int32_t> uniformZeroPoint(int inputIndex);
  LogicalResult requantize(Value acc, double inScale,
                           const HostTensor &wScale, double outScale,
                           const HostTensor *outZp, int64_t channelAxis,
                           ArrayRef<int64_t> logicalShape, bool nhwc);

  MLIRContext *context;
  std::string name;
  OnnxImportOptions options;
  ImplicitLocOpBuilder b;
  onnx::ModelProto model;
  int64_t opset = 0;
  llvm::StringMap<Tensor> values;
  /// Fully static shapes of values that shape inference or the model's
  /// declarations give (value_info and graph outputs).
  llvm::StringMap<SmallVector<int64_t>> staticShapes;
  const onnx::NodeProto *node = nullptr;
};
} // namespace

//===----------------------------------------------------------------------===//
// Loading: libonnx parse, checker, shape inference
//===----------------------------------------------------------------------===//

LogicalResult Importer::loadModel(StringRef bytes) {
  Location loc = b.getLoc();
  if (bytes.size() > static_cast<size_t>(INT_MAX) ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return emitError(loc) << "'" << name << "' is not an ONNX model "
                          << "(protobuf parse failed)";
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception &e) {
    return emitError(loc) << "'" << name
                          << "' is not a valid ONNX model: " << e.what();
  } catch (...) {
    return emitError(loc) << "'" << name
                          << "' is not a valid ONNX model (unknown error)";
  }
  for (const onnx::OperatorSetIdProto &id : model.opset_import())
    if (id.domain().empty() || id.domain() == "ai.onnx")
      opset = id.version();
  if (opset < kMinOpset || opset > kMaxOpset)
    return emitError(loc) << "'" << name << "' uses opset " << opset
                          << "; quant-import supports opsets " << kMinOpset
                          << " to " << kMaxOpset;
  if (failed(fixInputShapes()))
    return failure();
  try {
    onnx::ShapeInferenceOptions inference(/*check_type_val=*/true,
                                          /*strict_mode_val=*/1,
                                          /*data_prop_val=*/true);
    onnx::shape_inference::InferShapes(
        model, onnx::OpSchemaRegistry::Instance(), inference);
  } catch (const std::exception &e) {
    return emitError(loc) << "'" << name
                          << "': ONNX shape inference failed: " << e.what();
  } catch (...) {
    return emitError(loc) << "'" << name
                          << "': ONNX shape inference failed (unknown error)";
  }
  auto record = [&](const onnx::ValueInfoProto &info) {
    if (!info.type().has_tensor_type() ||
        !info.type().tensor_type().has_shape())
      return;
    SmallVector<int64_t> shape;
    for (const auto &dim : info.type().tensor_type().shape().dim()) {
      if (!dim.has_dim_value())
        return;
      shape.push_back(dim.dim_value());
    }
    staticShapes[info.name()] = std::move(shape);
  };
  llvm::for_each(model.graph().value_info(), record);
  llvm::for_each(model.graph().output(), record);
  return success();
}

/// Gives every graph input a static shape before shape inference: a symbolic
/// first dimension takes --batch; any other unknown dimension is an error.
LogicalResult Importer::fixInputShapes() {
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &t : model.graph().initializer())
    initializers.insert(t.name());
  for (onnx::ValueInfoProto &in : *model.mutable_graph()->mutable_input()) {
    if (initializers.contains(in.name()))
      continue;
    if (!in.type().has_tensor_type() ||
        !in.type().tensor_type().has_shape())
      return emitError(b.getLoc())
             << "graph input '" << in.name() << "' has no tensor shape";
    auto *dims = in.mutable_type()
                     ->mutable_tensor_type()
                     ->mutable_shape()
                     ->mutable_dim();
    for (int d = 0; d < dims->size(); ++d) {
      onnx::TensorShapeProto_Dimension &dim = (*dims)[d];
      if (dim.has_dim_value() && dim.dim_value() > 0)
        continue;
      std::string symbol =
          dim.has_dim_param() ? "'" + dim.dim_param() + "'" : "unknown";
      if (d == 0 && options.batchSize) {
        dim.set_dim_value(*options.batchSize);
        continue;
      }
      InFlightDiagnostic diag = emitError(b.getLoc())
                                << "graph input '" << in.name()
                                << "' has a dynamic dimension " << d << " ("
                                << symbol << ") that cannot be resolved";
      if (d == 0)
        diag << "; give the batch size with --batch=N";
      return diag;
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Diagnostics and node access
//===----------------------------------------------------------------------===//

static std::string nodeLabel(const onnx::NodeProto &n) {
  if (!n.name().empty())
    return n.name();
  return n.output_size() ? "<" + n.output(0) + ">" : "<unnamed>";
}

InFlightDiagnostic Importer::nodeError() {
  return emitError(b.getLoc()) << "node '" << nodeLabel(*node) << "' ("
                               << node->op_type() << ", opset " << opset
                               << "): ";
}

InFlightDiagnostic Importer::attrError(StringRef attrName) {
  return nodeError() << "unsupported attribute '" << attrName << "': ";
}

FailureOr<const HostTensor *> Importer::hostInput(int i, StringRef what) {
  Tensor &t = input(i);
  if (!t.host)
    return nodeError() << what << " (input '" << node->input(i)
                       << "') must be a constant";
  return &*t.host;
}

void Importer::defineHost(int i, HostTensor h) {
  Tensor t;
  t.shape = h.shape;
  t.dtype = h.dtype;
  t.host = std::move(h);
  define(i, std::move(t));
}

void Importer::defineValue(int i, Value v, bool nhwc, ArrayRef<int64_t> shape,
                           int32_t dtype) {
  Tensor t;
  t.shape.assign(shape.begin(), shape.end());
  t.dtype = dtype;
  (nhwc ? t.nhwc : t.onnx) = v;
  define(i, std::move(t));
}

const onnx::AttributeProto *Importer::attr(StringRef attrName) const {
  for (const onnx::AttributeProto &a : node->attribute())
    if (a.name() == attrName)
      return &a;
  return nullptr;
}

int64_t Importer::intAttr(StringRef attrName, int64_t dflt) const {
  const onnx::AttributeProto *a = attr(attrName);
  return a ? a->i() : dflt;
}

float Importer::floatAttr(StringRef attrName, float dflt) const {
  const onnx::AttributeProto *a = attr(attrName);
  return a ? a->f() : dflt;
}

std::string Importer::stringAttr(StringRef attrName, StringRef dflt) const {
  const onnx::AttributeProto *a = attr(attrName);
  return a ? a->s() : dflt.str();
}

SmallVector<int64_t> Importer::intsAttr(StringRef attrName,
                                        ArrayRef<int64_t> dflt) const {
  const onnx::AttributeProto *a = attr(attrName);
  if (!a)
    return SmallVector<int64_t>(dflt);
  return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

FailureOr<int64_t> Importer::normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1))
    return nodeError() << "axis " << axis << " is out of range for rank "
                       << rank;
  return axis < 0 ? axis + rank : axis;
}

/// Axes given as the attribute `axes` (older opsets) or as input
/// `inputIndex` (newer ones), normalized and sorted. `present` tells
/// whether either was given.
FailureOr<SmallVector<int64_t>>
Importer::axesFromAttrOrInput(int inputIndex, int64_t rank, bool &present) {
  SmallVector<int64_t> raw;
  present = true;
  if (attr("axes")) {
    raw = intsAttr("axes");
  } else if (hasInput(inputIndex)) {
    FailureOr<const HostTensor *> h = hostInput(inputIndex, "axes");
    if (failed(h))
      return failure();
    for (double v : (*h)->data)
      raw.push_back(static_cast<int64_t>(v));
  } else {
    present = false;
  }
  SmallVector<int64_t> axes;
  for (int64_t a : raw) {
    FailureOr<int64_t> n = normalizeAxis(a, rank);
    if (failed(n))
      return failure();
    axes.push_back(*n);
  }
  llvm::sort(axes);
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  return axes;
}

LogicalResult Importer::requireFloat(const Tensor &t) {
  if (t.dtype == onnx::TensorProto::FLOAT)
    return success();
  return nodeError() << "element type "
                     << onnx::TensorProto::DataType_Name(
                            static_cast<DataType>(t.dtype))
                     << " is not supported (only FLOAT)";
}

/// The static shape of output `i` of the node from shape inference or the
/// model's declarations, when every dimension is known.
std::optional<SmallVector<int64_t>> Importer::staticOutputShape(int i) const {
  auto it = staticShapes.find(node->output(i));
  if (it == staticShapes.end())
    return std::nullopt;
  return it->second;
}

//===----------------------------------------------------------------------===//
// Types, constants and layouts
//===----------------------------------------------------------------------===//

Type Importer::elementType(int32_t dtype) {
  switch (dtype) {
  case onnx::TensorProto::FLOAT:
    return b.getF32Type();
  case onnx::TensorProto::DOUBLE:
    return b.getF64Type();
  case onnx::TensorProto::INT8:
    return b.getIntegerType(8);
  case onnx::TensorProto::UINT8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case onnx::TensorProto::INT32:
    return b.getI32Type();
  case onnx::TensorProto::INT64:
    return b.getI64Type();
  case onnx::TensorProto::BOOL:
    return b.getI1Type();
  default:
    return {};
  }
}

Value Importer::materialize(const HostTensor &h) {
  RankedTensorType type = tensorType(h.shape, h.dtype);
  DenseElementsAttr attr;
  if (isa<FloatType>(type.getElementType())) {
    SmallVector<APFloat> vals;
    for (double v : h.data) {
      APFloat f(v);
      bool lost;
      f.convert(cast<FloatType>(type.getElementType()).getFloatSemantics(),
                APFloat::rmNearestTiesToEven, &lost);
      vals.push_back(f);
    }
    attr = DenseElementsAttr::get(type, vals);
  } else {
    unsigned width = type.getElementTypeBitWidth();
    SmallVector<APInt> vals;
    for (double v : h.data)
      vals.push_back(APInt(width, static_cast<int64_t>(v), /*isSigned=*/true,
                           /*implicitTrunc=*/true));
    attr = DenseElementsAttr::get(type, vals);
  }
  return tosa::ConstOp::create(b, type, attr);
}

/// qnt.dequantize(qnt.constant) of `q`.
Value Importer::materializeQuantized(const QuantizedHost &q) {
  auto storageType =
      RankedTensorType::get(q.ints.shape, q.type.getStorageType());
  SmallVector<APInt> vals;
  for (double v : q.ints.data)
    vals.push_back(APInt(storageType.getElementTypeBitWidth(),
                         static_cast<int64_t>(v), /*isSigned=*/true,
                         /*implicitTrunc=*/true));
  Value c = ConstantOp::create(b, RankedTensorType::get(q.ints.shape, q.type),
                               DenseElementsAttr::get(storageType, vals));
  return DequantizeOp::create(b, storageType.clone(b.getF32Type()), c);
}

Value Importer::floatConst(ArrayRef<int64_t> shape, ArrayRef<float> data) {
  auto type = RankedTensorType::get(shape, b.getF32Type());
  return tosa::ConstOp::create(b, type, DenseElementsAttr::get(type, data));
}

Value Importer::onnxValue(Tensor &t) {
  if (t.onnx)
    return t.onnx;
  if (t.host)
    return t.onnx = materialize(*t.host);
  if (t.quantHost)
    return t.onnx = materializeQuantized(*t.quantHost);
  return t.onnx = transpose(t.nhwc, kToNchw);
}

Value Importer::nhwcValue(Tensor &t) {
  if (t.nhwc)
    return t.nhwc;
  if (t.host)
    return t.nhwc = materialize(hostTranspose(*t.host, kToNhwc));
  if (t.quantHost)
    return t.nhwc =
               materializeQuantized(quantTranspose(*t.quantHost, kToNhwc));
  return t.nhwc = transpose(t.onnx, kToNhwc);
}

Value Importer::reshape(Value v, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getShape() == shape)
    return v;
  auto shapeType = RankedTensorType::get({static_cast<int64_t>(shape.size())},
                                         b.getIndexType());
  Value shapeValue = tosa::ConstShapeOp::create(
      b, tosa::shapeType::get(context, shape.size()),
      DenseIntElementsAttr::get(shapeType, shape));
  return tosa::ReshapeOp::create(b, type.clone(shape), v, shapeValue);
}

Value Importer::transpose(Value v, ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape;
  SmallVector<int32_t> perms;
  for (int64_t p : perm) {
    shape.push_back(type.getDimSize(p));
    perms.push_back(static_cast<int32_t>(p));
  }
  return tosa::TransposeOp::create(b, type.clone(shape), v, perms);
}

Value Importer::slice(Value v, ArrayRef<int64_t> start,
                      ArrayRef<int64_t> size) {
  auto type = cast<RankedTensorType>(v.getType());
  auto shapeOf = [&](ArrayRef<int64_t> vals) -> Value {
    auto attrType = RankedTensorType::get(
        {static_cast<int64_t>(vals.size())}, b.getIndexType());
    return tosa::ConstShapeOp::create(
        b, tosa::shapeType::get(context, vals.size()),
        DenseIntElementsAttr::get(attrType, vals));
  };
  return tosa::SliceOp::create(b, type.clone(size), v, shapeOf(start),
                               shapeOf(size));
}

/// `v` padded with `value`, `lo[d]` / `hi[d]` elements before / after each
/// dimension. Built from concats of constant blocks: tosa.pad's padding
/// operand of a 4-D tensor is a !tosa.shape<8>, which TOSA validation
/// rejects as exceeding MAX_RANK.
Value Importer::padWith(Value v, ArrayRef<int64_t> lo, ArrayRef<int64_t> hi,
                        float value) {
  for (size_t d = 0; d < lo.size(); ++d) {
    if (lo[d] == 0 && hi[d] == 0)
      continue;
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<Value> parts;
    auto block = [&](int64_t size) {
      SmallVector<int64_t> shape(type.getShape());
      shape[d] = size;
      auto blockType = type.clone(shape);
      return tosa::ConstOp::create(
          b, blockType,
          DenseElementsAttr::get(blockType, b.getF32FloatAttr(value)));
    };
    if (lo[d])
      parts.push_back(block(lo[d]));
    parts.push_back(v);
    if (hi[d])
      parts.push_back(block(hi[d]));
    SmallVector<int64_t> shape(type.getShape());
    shape[d] += lo[d] + hi[d];
    v = tosa::ConcatOp::create(b, type.clone(shape), parts, d);
  }
  return v;
}

/// a * c with TOSA's broadcasting (equal ranks) and a zero shift.
Value Importer::mul(Value a, Value c) {
  auto ta = cast<RankedTensorType>(a.getType());
  auto tc = cast<RankedTensorType>(c.getType());
  SmallVector<int64_t> shape =
      *broadcastShapes(ta.getShape(), tc.getShape());
  auto shiftType = RankedTensorType::get({1}, b.getI8Type());
  Value shift = tosa::ConstOp::create(
      b, shiftType, DenseElementsAttr::get(shiftType, b.getI8IntegerAttr(0)));
  return tosa::MulOp::create(b, ta.clone(shape), a, c, shift);
}

/// `t` as an operand of an element-wise op of rank `rank`: leading unit
/// dimensions added (TOSA wants equal ranks), in NHWC when `nhwc`.
Value Importer::alignedOperand(Tensor &t, int64_t rank, bool nhwc) {
  SmallVector<int64_t> aligned(rank - t.shape.size(), 1);
  aligned.append(t.shape.begin(), t.shape.end());
  if (t.host) {
    HostTensor h = hostReshape(*t.host, aligned);
    return materialize(nhwc ? hostTranspose(h, kToNhwc) : h);
  }
  if (nhwc && t.shape.size() == 4)
    return nhwcValue(t);
  Value v = reshape(onnxValue(t), aligned);
  return nhwc ? transpose(v, kToNhwc) : v;
}

//===----------------------------------------------------------------------===//
// The graph
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp> Importer::run(StringRef bytes) {
  b.setLoc(NameLoc::get(b.getStringAttr(name)));
  if (failed(loadModel(bytes)))
    return nullptr;
  OwningOpRef<ModuleOp> module = ModuleOp::create(b.getLoc());
  if (failed(importGraph(*module)))
    return nullptr;
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

LogicalResult Importer::importGraph(ModuleOp module) {
  const onnx::GraphProto &graph = model.graph();
  for (const onnx::TensorProto &init : graph.initializer()) {
    HostTensor h;
    std::string error;
    if (failed(readTensorProto(init, h, error)))
      return emitError(b.getLoc())
             << "initializer '" << init.name() << "': " << error;
    Tensor t;
    t.shape = h.shape;
    t.dtype = h.dtype;
    t.host = std::move(h);
    values[init.name()] = std::move(t);
  }

  SmallVector<Type> argTypes;
  SmallVector<const onnx::ValueInfoProto *> args;
  for (const onnx::ValueInfoProto &in : graph.input()) {
    if (values.contains(in.name()))
      continue;
    const onnx::TypeProto_Tensor &tt = in.type().tensor_type();
    SmallVector<int64_t> shape;
    for (const auto &dim : tt.shape().dim())
      shape.push_back(dim.dim_value());
    Type elem = elementType(tt.elem_type());
    if (!isRuntimeType(tt.elem_type()))
      return emitError(b.getLoc())
             << "graph input '" << in.name() << "' has element type "
             << onnx::TensorProto::DataType_Name(
                    static_cast<DataType>(tt.elem_type()))
             << ", which is not supported";
    argTypes.push_back(RankedTensorType::get(shape, elem));
    args.push_back(&in);
  }

  b.setInsertionPointToEnd(module.getBody());
  auto func = func::FuncOp::create(b, "model",
                                   b.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  b.setInsertionPointToEnd(body);
  for (auto [arg, info] : llvm::zip(body->getArguments(), args)) {
    Tensor t;
    t.shape.assign(cast<RankedTensorType>(arg.getType()).getShape().begin(),
                   cast<RankedTensorType>(arg.getType()).getShape().end());
    t.dtype = info->type().tensor_type().elem_type();
    t.onnx = arg;
    values[info->name()] = std::move(t);
  }

  for (const onnx::NodeProto &n : graph.node())
    if (failed(importNode(n)))
      return failure();

  b.setLoc(NameLoc::get(b.getStringAttr(name)));
  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &out : graph.output()) {
    Tensor &t = values.find(out.name())->second;
    if (!isRuntimeType(t.dtype))
      return emitError(b.getLoc())
             << "graph output '" << out.name() << "' has element type "
             << onnx::TensorProto::DataType_Name(
                    static_cast<DataType>(t.dtype))
             << ", which is not supported";
    results.push_back(onnxValue(t));
  }
  func::ReturnOp::create(b, results);
  func.setFunctionType(
      b.getFunctionType(argTypes, ValueRange(results).getTypes()));
  return success();
}

LogicalResult Importer::importNode(const onnx::NodeProto &n) {
  node = &n;
  b.setLoc(NameLoc::get(b.getStringAttr(nodeLabel(n))));
  const llvm::StringMap<Handler> &table = handlers();
  auto it = table.find(n.op_type());
  bool standardDomain = n.domain().empty() || n.domain() == "ai.onnx";
  if (!standardDomain || it == table.end())
    return emitError(b.getLoc())
           << "node '" << nodeLabel(n) << "': unsupported op '"
           << (standardDomain ? "" : n.domain() + ".") << n.op_type()
           << "' (opset " << opset << ")";
  for (int i = 0; i < n.input_size(); ++i) {
    if (n.input(i).empty())
      continue;
    auto in = values.find(n.input(i));
    if (in == values.end())
      return nodeError() << "input '" << n.input(i) << "' is not defined";
    if (!in->second.host && !isRuntimeType(in->second.dtype))
      return nodeError() << "input '" << n.input(i) << "' has element type "
                         << onnx::TensorProto::DataType_Name(
                                static_cast<DataType>(in->second.dtype))
                         << ", which is not supported";
  }
  return (this->*(it->second))();
}

const llvm::StringMap<Importer::Handler> &Importer::handlers() {
  static const llvm::StringMap<Handler> table = {
      {"Constant", &Importer::importConstant},
      {"Identity", &Importer::importIdentity},
      {"Relu", &Importer::importUnary},
      {"LeakyRelu", &Importer::importUnary},
      {"Clip", &Importer::importUnary},
      {"Sigmoid", &Importer::importUnary},
      {"Tanh", &Importer::importUnary},
      {"Abs", &Importer::importUnary},
      {"Neg", &Importer::importUnary},
      {"Sqrt", &Importer::importUnary},
      {"Sign", &Importer::importUnary},
      {"Add", &Importer::importBinary},
      {"Sub", &Importer::importBinary},
      {"Mul", &Importer::importBinary},
      {"Div", &Importer::importBinary},
      {"Conv", &Importer::importConv},
      {"Gemm", &Importer::importGemm},
      {"MatMul", &Importer::importMatMul},
      {"BatchNormalization", &Importer::importBatchNorm},
      {"MaxPool", &Importer::importPool},
      {"AveragePool", &Importer::importPool},
      {"GlobalAveragePool", &Importer::importGlobalAveragePool},
      {"Flatten", &Importer::importFlatten},
      {"Reshape", &Importer::importReshape},
      {"Squeeze", &Importer::importSqueeze},
      {"Unsqueeze", &Importer::importUnsqueeze},
      {"Transpose", &Importer::importTranspose},
      {"Concat", &Importer::importConcat},
      {"Softmax", &Importer::importSoftmax},
      {"Pad", &Importer::importPad},
      {"Cast", &Importer::importCast},
      {"Shape", &Importer::importShape},
      {"Gather", &Importer::importGather},
      {"ConstantOfShape", &Importer::importConstantOfShape},
      {"ReduceMean", &Importer::importReduce},
      {"ReduceMax", &Importer::importReduce},
      {"QuantizeLinear", &Importer::importQuantizeLinear},
      {"DequantizeLinear", &Importer::importDequantizeLinear},
      {"QLinearConv", &Importer::importQLinearConv},
      {"QLinearMatMul", &Importer::importQLinearMatMul},
      {"ConvInteger", &Importer::importConvInteger},
      {"MatMulInteger", &Importer::importMatMulInteger},
  };
  return table;
}

//===----------------------------------------------------------------------===//
// Constants and aliases
//===----------------------------------------------------------------------===//

LogicalResult Importer::importConstant() {
  HostTensor h;
  if (const onnx::AttributeProto *a = attr("value")) {
    std::string error;
    if (failed(readTensorProto(a->t(), h, error)))
      return attrError("value") << error;
  } else if (const onnx::AttributeProto *a = attr("value_float")) {
    h.data = {a->f()};
  } else if (const onnx::AttributeProto *a = attr("value_floats")) {
    h.shape = {a->floats_size()};
    h.data.assign(a->floats().begin(), a->floats().end());
  } else if (const onnx::AttributeProto *a = attr("value_int")) {
    h.dtype = onnx::TensorProto::INT64;
    h.data = {static_cast<double>(a->i())};
  } else if (const onnx::AttributeProto *a = attr("value_ints")) {
    h.dtype = onnx::TensorProto::INT64;
    h.shape = {a->ints_size()};
    h.data.assign(a->ints().begin(), a->ints().end());
  } else {
    StringRef which = node->attribute_size() ? StringRef(node->attribute(0).name())
                                             : StringRef("value");
    return attrError(which) << "only tensor, float and int constants are "
                               "supported";
  }
  defineHost(0, std::move(h));
  return success();
}

LogicalResult Importer::importIdentity() {
  define(0, input(0));
  return success();
}

//===----------------------------------------------------------------------===//
// Element-wise ops
//===----------------------------------------------------------------------===//

/// Folds a host input with `hostFn`, else emits `emit(value, resultType)` in
/// the input's layout.
LogicalResult
Importer::unaryHostOrEmit(function_ref<double(double)> hostFn,
                          function_ref<Value(Value, Type)> emit) {
  Tensor &x = input(0);
  if (x.host) {
    HostTensor h = *x.host;
    for (double &v : h.data)
      v = hostFn(v);
    if (h.dtype == onnx::TensorProto::FLOAT)
      for (double &v : h.data)
        v = static_cast<float>(v);
    defineHost(0, std::move(h));
    return success();
  }
  if (failed(requireFloat(x)))
    return failure();
  bool nhwc = prefersNhwc(x);
  Value v = layoutValue(x, nhwc);
  defineValue(0, emit(v, v.getType()), nhwc, x.shape, x.dtype);
  return success();
}

LogicalResult Importer::importUnary() {
  StringRef op = node->op_type();
  auto zerosLike = [&](Type type) {
    auto t = cast<RankedTensorType>(type);
    SmallVector<int64_t> ones(t.getRank(), 1);
    return floatConst(ones, {0.0f});
  };
  auto boolType = [&](Type type) {
    return cast<RankedTensorType>(type).clone(b.getI1Type());
  };
  auto scalar = [&](Type type, float v) {
    SmallVector<int64_t> ones(cast<RankedTensorType>(type).getRank(), 1);
    return floatConst(ones, {v});
  };

  if (op == "Relu")
    return unaryHostOrEmit(
        [](double v) { return v > 0 ? v : 0.0; },
        [&](Value x, Type t) -> Value {
          return tosa::ClampOp::create(b, t, x, b.getF32FloatAttr(0.0f),
                                       b.getF32FloatAttr(FLT_MAX));
        });
  if (op == "LeakyRelu") {
    float alpha = floatAttr("alpha", 0.01f);
    return unaryHostOrEmit(
        [&](double v) { return v > 0 ? v : alpha * v; },
        [&](Value x, Type t) -> Value {
          Value positive =
              tosa::GreaterOp::create(b, boolType(t), x, zerosLike(t));
          Value scaled = mul(x, scalar(t, alpha));
          return tosa::SelectOp::create(b, t, positive, x, scaled);
        });
  }
  if (op == "Clip") {
    float lo = -FLT_MAX, hi = FLT_MAX;
    bool runtimeBound = false;
    for (auto [index, bound] : {std::pair<int, float *>{1, &lo}, {2, &hi}}) {
      if (!hasInput(index))
        continue;
      if (input(index).host)
        *bound = static_cast<float>(input(index).host->data.front());
      else
        runtimeBound = true;
    }
    if (!runtimeBound)
      return unaryHostOrEmit(
          [&](double v) {
            return std::min<double>(std::max<double>(v, lo), hi);
          },
          [&](Value x, Type t) -> Value {
            return tosa::ClampOp::create(b, t, x, b.getF32FloatAttr(lo),
                                         b.getF32FloatAttr(hi));
          });
    // Run-time bounds (graph inputs): max(x, min) then min(., max), in this
    // order so that min > max yields max as ONNX specifies.
    Tensor &x = input(0);
    if (failed(requireFloat(x)) ||
        (hasInput(1) && failed(requireFloat(input(1)))) ||
        (hasInput(2) && failed(requireFloat(input(2)))))
      return failure();
    int64_t rank = x.shape.size();
    bool nhwc = prefersNhwc(x);
    Value v = layoutValue(x, nhwc);
    Type t = v.getType();
    if (hasInput(1))
      v = tosa::MaximumOp::create(b, t, v,
                                  alignedOperand(input(1), rank, nhwc));
    if (hasInput(2))
      v = tosa::MinimumOp::create(b, t, v,
                                  alignedOperand(input(2), rank, nhwc));
    defineValue(0, v, nhwc, x.shape, x.dtype);
    return success();
  }
  if (op == "Sigmoid")
    return unaryHostOrEmit(
        [](double v) { return 1.0 / (1.0 + std::exp(-v)); },
        [&](Value x, Type t) -> Value {
          return tosa::SigmoidOp::create(b, t, x);
        });
  if (op == "Tanh")
    return unaryHostOrEmit(
        [](double v) { return std::tanh(v); },
        [&](Value x, Type t) -> Value { return tosa::TanhOp::create(b, t, x); });
  if (op == "Abs")
    return unaryHostOrEmit(
        [](double v) { return std::fabs(v); },
        [&](Value x, Type t) -> Value { return tosa::AbsOp::create(b, t, x); });
  if (op == "Neg")
    return unaryHostOrEmit(
        [](double v) { return -v; },
        [&](Value x, Type t) -> Value {
          Value zp = floatConst({1}, {0.0f});
          return tosa::NegateOp::create(b, t, x, zp, zp);
        });
  if (op == "Sqrt")
    return unaryHostOrEmit(
        [](double v) { return std::sqrt(v); },
        // reciprocal(rsqrt(x)): 0 -> inf -> 0, negative -> NaN, as sqrt.
        [&](Value x, Type t) -> Value {
          Value r = tosa::RsqrtOp::create(b, t, x);
          return tosa::ReciprocalOp::create(b, t, r);
        });
  // Sign: ONNX maps 0 to 0.
  return unaryHostOrEmit(
      [](double v) { return v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0); },
      [&](Value x, Type t) -> Value {
        Value zero = zerosLike(t);
        Value positive = tosa::GreaterOp::create(b, boolType(t), x, zero);
        Value negative = tosa::GreaterOp::create(b, boolType(t), zero, x);
        Value negOrZero =
            tosa::SelectOp::create(b, t, negative, scalar(t, -1.0f), zero);
        return tosa::SelectOp::create(b, t, positive, scalar(t, 1.0f),
                                      negOrZero);
      });
}

LogicalResult Importer::importBinary() {
  StringRef op = node->op_type();
  Tensor &lhs = input(0), &rhs = input(1);
  std::optional<SmallVector<int64_t>> shape =
      broadcastShapes(lhs.shape, rhs.shape);
  if (!shape)
    return nodeError() << "operand shapes do not broadcast";
  bool isInt = !isFloatType(lhs.dtype);
  if (lhs.host && rhs.host) {
    std::function<double(double, double)> fn;
    if (op == "Add")
      fn = [](double x, double y) { return x + y; };
    else if (op == "Sub")
      fn = [](double x, double y) { return x - y; };
    else if (op == "Mul")
      fn = [](double x, double y) { return x * y; };
    else if (isInt)
      fn = [](double x, double y) { return y == 0 ? 0.0 : std::trunc(x / y); };
    else
      fn = [](double x, double y) { return x / y; };
    HostTensor h = hostBinary(*lhs.host, *rhs.host, *shape, fn);
    if (h.dtype == onnx::TensorProto::FLOAT)
      for (double &v : h.data)
        v = static_cast<float>(v);
    defineHost(0, std::move(h));
    return success();
  }
  if (failed(requireFloat(lhs)) || failed(requireFloat(rhs)))
    return failure();

  int64_t rank = shape->size();
  bool nhwc = rank == 4 && (prefersNhwc(lhs) || prefersNhwc(rhs));
  Value a = alignedOperand(lhs, rank, nhwc);
  Value c;
  // x / c becomes x * (1 / c), the reciprocal folded when c is constant.
  if (op == "Div" && rhs.host) {
    HostTensor inv = *rhs.host;
    for (double &v : inv.data)
      v = static_cast<float>(1.0 / v);
    Tensor t;
    t.shape = inv.shape;
    t.dtype = inv.dtype;
    t.host = std::move(inv);
    c = alignedOperand(t, rank, nhwc);
  } else {
    c = alignedOperand(rhs, rank, nhwc);
  }
  SmallVector<int64_t> outShape(*shape);
  if (nhwc)
    outShape = {outShape[0], outShape[2], outShape[3], outShape[1]};
  auto type = RankedTensorType::get(outShape, b.getF32Type());
  Value result;
  if (op == "Add") {
    result = tosa::AddOp::create(b, type, a, c);
  } else if (op == "Sub") {
    result = tosa::SubOp::create(b, type, a, c);
  } else if (op == "Mul") {
    result = mul(a, c);
  } else {
    if (!rhs.host)
      c = tosa::ReciprocalOp::create(b, c.getType(), c);
    result = mul(a, c);
  }
  defineValue(0, result, nhwc, *shape, lhs.dtype);
  return success();
}

//===----------------------------------------------------------------------===//
// Convolution, matrix products, batch norm
//===----------------------------------------------------------------------===//

/// Pads (TOSA order), strides, dilations and the NHWC output shape of a 2-D
/// convolution or pooling of `x` with `kernel` [KH, KW].
FailureOr<Importer::ConvGeometry>
Importer::convGeometry(const Tensor &x, ArrayRef<int64_t> kernel,
                       int64_t outChannels, bool hasGroups,
                       bool hasDilations) {
  if (x.shape.size() != 4)
    return nodeError() << "only 2-D (4-D NCHW input) is supported, got rank "
                       << x.shape.size();
  ConvGeometry g;
  g.groups = hasGroups ? intAttr("group", 1) : 1;
  g.stride = intsAttr("strides", {1, 1});
  g.dilation = intsAttr("dilations", {1, 1});
  if (!hasDilations && llvm::any_of(g.dilation, [](int64_t d) { return d != 1; }))
    return attrError("dilations") << "only 1 is supported";
  SmallVector<int64_t> pads = intsAttr("pads", {0, 0, 0, 0});
  if (g.stride.size() != 2 || g.dilation.size() != 2 || pads.size() != 4)
    return nodeError() << "strides, dilations and pads must be 2-D";
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return attrError("pads") << "negative pads are not supported";
  int64_t in[2] = {x.shape[2], x.shape[3]};
  std::string autoPad = stringAttr("auto_pad", "NOTSET");
  if (autoPad == "VALID") {
    pads = {0, 0, 0, 0};
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int d = 0; d < 2; ++d) {
      int64_t out = (in[d] + g.stride[d] - 1) / g.stride[d];
      int64_t extent = (kernel[d] - 1) * g.dilation[d] + 1;
      int64_t total =
          std::max<int64_t>((out - 1) * g.stride[d] + extent - in[d], 0);
      int64_t small = total / 2, large = total - small;
      pads[d] = autoPad == "SAME_UPPER" ? small : large;
      pads[d + 2] = autoPad == "SAME_UPPER" ? large : small;
    }
  } else if (autoPad != "NOTSET") {
    return attrError("auto_pad") << "'" << autoPad << "'";
  }
  // Pooling's ceil_mode (absent, so 0, on convolutions).
  bool ceilMode = intAttr("ceil_mode", 0);
  int64_t out[2];
  for (int d = 0; d < 2; ++d) {
    int64_t span = in[d] + pads[d] + pads[d + 2] -
                   (kernel[d] - 1) * g.dilation[d] - 1;
    if (span < 0)
      return nodeError() << "the kernel is larger than the padded input";
    out[d] = span / g.stride[d] + 1;
    int64_t unused = span % g.stride[d];
    // ceil_mode adds a last, partial window; TOSA pads it further, so
    // neither max nor average sees the extra elements. ONNX 1.12's shape
    // inference keeps a window that starts in the end padding, ONNX Runtime
    // and PyTorch drop it: that case is an error.
    if (ceilMode && unused) {
      if (out[d] * g.stride[d] >= in[d] + pads[d])
        return attrError("ceil_mode")
               << "1 adds a last window that starts in the end padding";
      g.ceilPad[d] = g.stride[d] - unused;
      pads[d + 2] += g.ceilPad[d];
      ++out[d];
      continue;
    }
    // TOSA wants the span divisible by the stride: the trailing rows that
    // no window reaches are dropped, from the end padding first.
    int64_t fromPad = std::min(unused, pads[d + 2]);
    pads[d + 2] -= fromPad;
    g.crop[d] = unused - fromPad;
  }
  g.pad = {pads[0], pads[2], pads[1], pads[3]};
  g.outShape = {x.shape[0], out[0], out[1], outChannels};
  return g;
}

Value Importer::cropInput(Value in, const ConvGeometry &g) {
  if (g.crop[0] == 0 && g.crop[1] == 0)
    return in;
  auto type = cast<RankedTensorType>(in.getType());
  return slice(in, {0, 0, 0, 0},
               {type.getDimSize(0), type.getDimSize(1) - g.crop[0],
                type.getDimSize(2) - g.crop[1], type.getDimSize(3)});
}

LogicalResult Importer::importConv() {
  Tensor &x = input(0), &w = input(1);
  if (failed(requireFloat(x)) || failed(requireFloat(w)))
    return failure();
  if (w.shape.size() != 4)
    return nodeError() << "only 2-D convolutions are supported";
  int64_t outC = w.shape[0], inCg = w.shape[1];
  FailureOr<ConvGeometry> g = convGeometry(x, {w.shape[2], w.shape[3]}, outC,
                                           /*hasGroups=*/true,
                                           /*hasDilations=*/true);
  if (failed(g))
    return failure();
  int64_t inC = x.shape[1];
  if (g->groups <= 0 || inC % g->groups || outC % g->groups ||
      inC / g->groups != inCg)
    return attrError("group") << g->groups << " does not divide the "
                              << inC << " input and " << outC
                              << " output channels";

  Value in = cropInput(nhwcValue(x), *g);
  HostTensor zeros{onnx::TensorProto::FLOAT, {outC},
                   std::vector<double>(outC, 0.0)};
  Tensor zeroBias;
  zeroBias.shape = {outC};
  zeroBias.host = zeros;
  Tensor &bias = hasInput(2) ? input(2) : zeroBias;
  auto accType = TypeAttr::get(b.getF32Type());
  auto outType = RankedTensorType::get(g->outShape, b.getF32Type());

  // Depthwise: ONNX [C*M, 1, KH, KW] -> TOSA HWCM [KH, KW, C, M].
  if (g->groups == inC && inCg == 1 && g->groups > 1) {
    SmallVector<int64_t> hwcm = {w.shape[2], w.shape[3], inC, outC / inC};
    Value weight;
    std::optional<QuantizedHost> quantized;
    if (w.quantHost)
      quantized =
          quantReshape(quantTranspose(*w.quantHost, {2, 3, 1, 0}), hwcm);
    if (w.host)
      weight = materialize(
          hostReshape(hostTranspose(*w.host, {2, 3, 1, 0}), hwcm));
    else if (quantized)
      weight = materializeQuantized(*quantized);
    else
      weight = reshape(transpose(onnxValue(w), {2, 3, 1, 0}), hwcm);
    Value out = tosa::DepthwiseConv2DOp::create(
        b, outType, in, weight, onnxValue(bias),
        b.getDenseI64ArrayAttr(g->pad), b.getDenseI64ArrayAttr(g->stride),
        b.getDenseI64ArrayAttr(g->dilation), accType);
    defineValue(0, out, /*nhwc=*/true,
                {g->outShape[0], outC, g->outShape[1], g->outShape[2]},
                x.dtype);
    return success();
  }

  // Other groups: one conv per group on a channel slice, then concat.
  int64_t outCg = outC / g->groups;
  SmallVector<Value> parts;
  for (int64_t grp = 0; grp < g->groups; ++grp) {
    Value part = in;
    Value weight, groupBias;
    if (g->groups > 1)
      part = slice(in, {0, 0, 0, grp * inCg},
                   {x.shape[0], x.shape[2] - g->crop[0],
                    x.shape[3] - g->crop[1], inCg});
    if (w.host) {
      HostTensor wg = g->groups > 1
                          ? hostSlice(*w.host, 0, grp * outCg, outCg)
                          : *w.host;
      weight = materialize(hostTranspose(wg, kToNhwc));
    } else if (w.quantHost) {
      QuantizedHost wg = g->groups > 1
                             ? quantSlice(*w.quantHost, grp * outCg, outCg)
                             : *w.quantHost;
      weight = materializeQuantized(quantTranspose(wg, kToNhwc));
    } else {
      Value wv = onnxValue(w);
      if (g->groups > 1)
        wv = slice(wv, {grp * outCg, 0, 0, 0},
                   {outCg, inCg, w.shape[2], w.shape[3]});
      weight = transpose(wv, kToNhwc);
    }
    if (g->groups == 1)
      groupBias = onnxValue(bias);
    else if (bias.host)
      groupBias = materialize(hostSlice(*bias.host, 0, grp * outCg, outCg));
    else
      groupBias = slice(onnxValue(bias), {grp * outCg}, {outCg});
    SmallVector<int64_t> partShape(g->outShape);
    partShape[3] = outCg;
    parts.push_back(tosa::Conv2DOp::create(
        b, RankedTensorType::get(partShape, b.getF32Type()), part, weight,
        groupBias, b.getDenseI64ArrayAttr(g->pad),
        b.getDenseI64ArrayAttr(g->stride), b.getDenseI64ArrayAttr(g->dilation),
        accType));
  }
  Value out = parts.size() == 1
                  ? parts.front()
                  : tosa::ConcatOp::create(b, outType, parts, 3).getResult();
  defineValue(0, out, /*nhwc=*/true,
              {g->outShape[0], outC, g->outShape[1], g->outShape[2]}, x.dtype);
  return success();
}

LogicalResult Importer::importGemm() {
  Tensor &a = input(0), &bt = input(1);
  if (failed(requireFloat(a)) || failed(requireFloat(bt)))
    return failure();
  if (a.shape.size() != 2 || bt.shape.size() != 2)
    return nodeError() << "A and B must be 2-D";
  float alpha = floatAttr("alpha", 1.0f), beta = floatAttr("beta", 1.0f);
  bool transA = intAttr("transA", 0), transB = intAttr("transB", 0);

  Value av = onnxValue(a);
  if (transA)
    av = transpose(av, {1, 0});
  int64_t m = transA ? a.shape[1] : a.shape[0];
  int64_t k = transA ? a.shape[0] : a.shape[1];
  int64_t n = transB ? bt.shape[0] : bt.shape[1];

  // B as [K, N], alpha folded into it when it is constant.
  Value bv;
  if (bt.host) {
    HostTensor h = transB ? hostTranspose(*bt.host, {1, 0}) : *bt.host;
    for (double &v : h.data)
      v = static_cast<float>(v * alpha);
    bv = materialize(hostReshape(h, {1, k, n}));
  } else if (bt.quantHost && alpha == 1.0f) {
    QuantizedHost q =
        transB ? quantTranspose(*bt.quantHost, {1, 0}) : *bt.quantHost;
    bv = materializeQuantized(*quantReshape(q, {1, k, n}));
  } else {
    bv = onnxValue(bt);
    if (transB)
      bv = transpose(bv, {1, 0});
  }
  auto f32 = b.getF32Type();
  Value zp = floatConst({1}, {0.0f});
  Value out = tosa::MatMulOp::create(
      b, RankedTensorType::get({1, m, n}, f32), reshape(av, {1, m, k}),
      reshape(bv, {1, k, n}), zp, zp);
  out = reshape(out, {m, n});
  if (!bt.host && alpha != 1.0f)
    out = mul(out, floatConst({1, 1}, {alpha}));
  if (hasInput(2) && beta != 0.0f) {
    Tensor &c = input(2);
    Value cv;
    if (c.host) {
      HostTensor h = *c.host;
      for (double &v : h.data)
        v = static_cast<float>(v * beta);
      SmallVector<int64_t> aligned(2 - h.shape.size(), 1);
      aligned.append(h.shape.begin(), h.shape.end());
      cv = materialize(hostReshape(h, aligned));
    } else {
      cv = alignedOperand(c, 2, /*nhwc=*/false);
      if (beta != 1.0f)
        cv = mul(cv, floatConst({1, 1}, {beta}));
    }
    out = tosa::AddOp::create(b, out.getType(), out, cv);
  }
  defineValue(0, out, /*nhwc=*/false, {m, n}, a.dtype);
  return success();
}

LogicalResult Importer::importMatMul() {
  Tensor &a = input(0), &c = input(1);
  if (failed(requireFloat(a)) || failed(requireFloat(c)))
    return failure();
  int64_t ra = a.shape.size(), rc = c.shape.size();
  if (ra < 2 || rc < 2)
    return nodeError() << "1-D operands are not supported";
  int64_t m = a.shape[ra - 2], k = a.shape[ra - 1], n = c.shape[rc - 1];
  ArrayRef<int64_t> batchA = ArrayRef<int64_t>(a.shape).drop_back(2);
  ArrayRef<int64_t> batchC = ArrayRef<int64_t>(c.shape).drop_back(2);
  SmallVector<int64_t> outShape(batchA);
  Value av, cv;
  int64_t batch;
  if (rc == 2) {
    // [..., M, K] x [K, N]: the leading dimensions fold into M.
    batch = 1;
    int64_t rows = numElements(batchA) * m;
    av = reshape(onnxValue(a), {1, rows, k});
    if (c.host)
      cv = materialize(hostReshape(*c.host, {1, k, n}));
    else if (c.quantHost)
      cv = materializeQuantized(*quantReshape(*c.quantHost, {1, k, n}));
    else
      cv = reshape(onnxValue(c), {1, k, n});
    m = rows;
  } else if (batchA == batchC) {
    batch = numElements(batchA);
    av = reshape(onnxValue(a), {batch, m, k});
    cv = reshape(onnxValue(c), {batch, k, n});
  } else {
    return nodeError() << "broadcasting batch dimensions is not supported";
  }
  Value zp = floatConst({1}, {0.0f});
  Value out = tosa::MatMulOp::create(
      b, RankedTensorType::get({batch, m, n}, b.getF32Type()), av, cv, zp, zp);
  outShape.push_back(a.shape[ra - 2]);
  outShape.push_back(n);
  defineValue(0, reshape(out, outShape), /*nhwc=*/false, outShape, a.dtype);
  return success();
}

LogicalResult Importer::importBatchNorm() {
  Tensor &x = input(0);
  if (failed(requireFloat(x)))
    return failure();
  if (intAttr("training_mode", 0) != 0)
    return attrError("training_mode") << "only inference (0) is supported";
  for (int i = 1; i < node->output_size(); ++i)
    if (!node->output(i).empty())
      return nodeError() << "the training outputs (running mean/var) are "
                            "not supported";
  int64_t rank = x.shape.size();
  if (rank < 2 || rank > 4)
    return nodeError() << "input rank " << rank << " is not supported (2 to 4)";
  bool nhwc = rank == 4;
  Value in = layoutValue(x, nhwc);
  SmallVector<Value> params;
  for (int i = 1; i <= 4; ++i)
    params.push_back(onnxValue(input(i)));
  double epsilon = floatAttr("epsilon", 1e-5f);
  Value out = BatchNormOp::create(b, in.getType(), in, params[0], params[1],
                                  params[2], params[3],
                                  b.getI64IntegerAttr(nhwc ? 3 : 1),
                                  b.getF64FloatAttr(epsilon));
  defineValue(0, out, nhwc, x.shape, x.dtype);
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

LogicalResult Importer::importPool() {
  Tensor &x = input(0);
  if (failed(requireFloat(x)))
    return failure();
  bool isMax = node->op_type() == "MaxPool";
  if (isMax && node->output_size() > 1 && !node->output(1).empty())
    return nodeError() << "the Indices output is not supported";
  if (intAttr("storage_order", 0) != 0)
    return attrError("storage_order") << "only 0 (row major) is supported";
  SmallVector<int64_t> kernel = intsAttr("kernel_shape");
  if (kernel.size() != 2)
    return nodeError() << "only 2-D pooling is supported";
  FailureOr<ConvGeometry> g =
      convGeometry(x, kernel, x.shape.size() == 4 ? x.shape[1] : 0,
                   /*hasGroups=*/false, /*hasDilations=*/false);
  if (failed(g))
    return failure();
  Value in = cropInput(nhwcValue(x), *g);
  auto outType = RankedTensorType::get(g->outShape, b.getF32Type());
  Value out;
  if (isMax) {
    out = tosa::MaxPool2dOp::create(b, outType, in,
                                    b.getDenseI64ArrayAttr(kernel),
                                    b.getDenseI64ArrayAttr(g->stride),
                                    b.getDenseI64ArrayAttr(g->pad));
  } else {
    SmallVector<int64_t> pad = g->pad;
    // TOSA divides by the number of unpadded elements (ONNX's default);
    // count_include_pad pads with explicit zeros first. The ceil_mode
    // padding stays TOSA padding: it never counts.
    if (intAttr("count_include_pad", 0) &&
        llvm::any_of(pad, [](int64_t p) { return p != 0; })) {
      in = padWith(in, {0, pad[0], pad[2], 0},
                   {0, pad[1] - g->ceilPad[0], pad[3] - g->ceilPad[1], 0},
                   0.0f);
      pad = {0, g->ceilPad[0], 0, g->ceilPad[1]};
    }
    Value zp = floatConst({1}, {0.0f});
    out = tosa::AvgPool2dOp::create(
        b, outType, in, zp, zp, b.getDenseI64ArrayAttr(kernel),
        b.getDenseI64ArrayAttr(g->stride), b.getDenseI64ArrayAttr(pad),
        TypeAttr::get(b.getF32Type()));
  }
  defineValue(0, out, /*nhwc=*/true,
              {g->outShape[0], g->outShape[3], g->outShape[1], g->outShape[2]},
              x.dtype);
  return success();
}

LogicalResult Importer::importGlobalAveragePool() {
  Tensor &x = input(0);
  if (failed(requireFloat(x)))
    return failure();
  if (x.shape.size() != 4)
    return nodeError() << "only 4-D inputs are supported";
  int64_t n = x.shape[0], c = x.shape[1];
  Value zp = floatConst({1}, {0.0f});
  Value out = tosa::AvgPool2dOp::create(
      b, RankedTensorType::get({n, 1, 1, c}, b.getF32Type()), nhwcValue(x), zp,
      zp, b.getDenseI64ArrayAttr({x.shape[2], x.shape[3]}),
      b.getDenseI64ArrayAttr({1, 1}), b.getDenseI64ArrayAttr({0, 0, 0, 0}),
      TypeAttr::get(b.getF32Type()));
  defineValue(0, out, /*nhwc=*/true, {n, c, 1, 1}, x.dtype);
  return success();
}

//===----------------------------------------------------------------------===//
// Shapes and data movement
//===----------------------------------------------------------------------===//

LogicalResult Importer::importFlatten() {
  Tensor &x = input(0);
  int64_t rank = x.shape.size();
  FailureOr<int64_t> axis = intAttr("axis", 1) == rank
                                ? FailureOr<int64_t>(rank)
                                : normalizeAxis(intAttr("axis", 1), rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape = {
      numElements(ArrayRef<int64_t>(x.shape).take_front(*axis)),
      numElements(ArrayRef<int64_t>(x.shape).drop_front(*axis))};
  return defineReshaped(x, shape);
}

/// Defines output 0 as `x` reshaped to `shape` (row-major order, so in the
/// ONNX layout).
LogicalResult Importer::defineReshaped(Tensor &x, ArrayRef<int64_t> shape) {
  if (numElements(shape) != numElements(x.shape))
    return nodeError() << "the output shape has " << numElements(shape)
                       << " elements, the input " << numElements(x.shape);
  if (x.host) {
    defineHost(0, hostReshape(*x.host, shape));
    return success();
  }
  defineValue(0, reshape(onnxValue(x), shape), /*nhwc=*/false, shape, x.dtype);
  return success();
}

LogicalResult Importer::importReshape() {
  Tensor &x = input(0);
  // A run-time target shape only needs its result: a row-major reshape to
  // the output's static shape from the model.
  if (!input(1).host) {
    if (std::optional<SmallVector<int64_t>> shape = staticOutputShape(0))
      return defineReshaped(x, *shape);
    return nodeError() << "the target shape (input '" << node->input(1)
                       << "') is dynamic and cannot be resolved at import "
                          "time";
  }
  const HostTensor *spec = &*input(1).host;
  bool allowZero = intAttr("allowzero", 0);
  SmallVector<int64_t> shape;
  int64_t inferred = -1, known = 1;
  for (auto [i, v] : llvm::enumerate(spec->data)) {
    int64_t d = static_cast<int64_t>(v);
    if (d == 0 && !allowZero)
      d = x.shape[i];
    if (d == -1) {
      if (inferred >= 0)
        return nodeError() << "the target shape has more than one -1";
      inferred = i;
    } else {
      known *= d;
    }
    shape.push_back(d);
  }
  int64_t total = numElements(x.shape);
  if (inferred >= 0) {
    if (known == 0 || total % known)
      return nodeError() << "cannot infer the -1 dimension";
    shape[inferred] = total / known;
  }
  return defineReshaped(x, shape);
}

/// Squeeze and Unsqueeze with run-time axes (opset 13+ input) are a
/// reshape to the output's static shape from the model; nullopt when it has
/// none or the axes are constant.
std::optional<LogicalResult> Importer::reshapeForRuntimeAxes() {
  if (attr("axes") || !hasInput(1) || input(1).host)
    return std::nullopt;
  if (std::optional<SmallVector<int64_t>> shape = staticOutputShape(0))
    return defineReshaped(input(0), *shape);
  return std::nullopt;
}

LogicalResult Importer::importSqueeze() {
  if (std::optional<LogicalResult> done = reshapeForRuntimeAxes())
    return *done;
  Tensor &x = input(0);
  bool present;
  FailureOr<SmallVector<int64_t>> axes =
      axesFromAttrOrInput(1, x.shape.size(), present);
  if (failed(axes))
    return failure();
  SmallVector<int64_t> shape;
  for (auto [i, d] : llvm::enumerate(x.shape)) {
    bool listed = llvm::is_contained(*axes, static_cast<int64_t>(i));
    if (listed && d != 1)
      return nodeError() << "cannot squeeze dimension " << i << " of size "
                         << d;
    if (listed || (!present && d == 1))
      continue;
    shape.push_back(d);
  }
  return defineReshaped(x, shape);
}

LogicalResult Importer::importUnsqueeze() {
  if (std::optional<LogicalResult> done = reshapeForRuntimeAxes())
    return *done;
  Tensor &x = input(0);
  int64_t outRank = x.shape.size();
  {
    // The number of axes gives the output rank that negative axes refer to.
    SmallVector<int64_t> raw = intsAttr("axes");
    if (!attr("axes") && hasInput(1) && input(1).host)
      outRank += input(1).host->data.size();
    else
      outRank += raw.size();
  }
  bool present;
  FailureOr<SmallVector<int64_t>> axes = axesFromAttrOrInput(1, outRank, present);
  if (failed(axes))
    return failure();
  SmallVector<int64_t> shape;
  auto it = x.shape.begin();
  for (int64_t i = 0; i < outRank; ++i)
    shape.push_back(llvm::is_contained(*axes, i) ? 1 : *it++);
  return defineReshaped(x, shape);
}

LogicalResult Importer::importTranspose() {
  Tensor &x = input(0);
  int64_t rank = x.shape.size();
  SmallVector<int64_t> perm = intsAttr("perm");
  if (perm.empty())
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(x.shape[p]);
  if (x.host) {
    defineHost(0, hostTranspose(*x.host, perm));
    return success();
  }
  Value out;
  if (prefersNhwc(x) && !x.onnx) {
    // Composes with the NHWC permutation instead of undoing it first.
    SmallVector<int64_t> composed;
    for (int64_t p : perm)
      composed.push_back(llvm::find(kToNhwc, p) - std::begin(kToNhwc));
    bool identity = llvm::equal(composed, llvm::seq<int64_t>(0, rank));
    out = identity ? x.nhwc : transpose(x.nhwc, composed);
  } else {
    out = transpose(onnxValue(x), perm);
  }
  defineValue(0, out, /*nhwc=*/false, shape, x.dtype);
  return success();
}

LogicalResult Importer::importConcat() {
  int64_t rank = input(0).shape.size();
  FailureOr<int64_t> axis = normalizeAxis(intAttr("axis", 0), rank);
  if (failed(axis))
    return failure();
  bool allHost = true, nhwc = false;
  SmallVector<int64_t> shape = input(0).shape;
  shape[*axis] = 0;
  for (int i = 0; i < node->input_size(); ++i) {
    Tensor &t = input(i);
    allHost &= t.host.has_value();
    nhwc |= prefersNhwc(t);
    shape[*axis] += t.shape[*axis];
  }
  if (allHost) {
    SmallVector<const HostTensor *> parts;
    for (int i = 0; i < node->input_size(); ++i)
      parts.push_back(&*input(i).host);
    defineHost(0, hostConcat(parts, *axis));
    return success();
  }
  SmallVector<Value> parts;
  for (int i = 0; i < node->input_size(); ++i)
    parts.push_back(layoutValue(input(i), nhwc));
  int64_t tosaAxis =
      nhwc ? llvm::find(kToNhwc, *axis) - std::begin(kToNhwc) : *axis;
  SmallVector<int64_t> tosaShape = shape;
  if (nhwc)
    tosaShape = {shape[0], shape[2], shape[3], shape[1]};
  auto type = cast<RankedTensorType>(parts.front().getType()).clone(tosaShape);
  Value out = tosa::ConcatOp::create(b, type, parts, tosaAxis);
  defineValue(0, out, nhwc, shape, input(0).dtype);
  return success();
}

LogicalResult Importer::importSoftmax() {
  Tensor &x = input(0);
  if (failed(requireFloat(x)))
    return failure();
  int64_t rank = x.shape.size();
  // Before opset 13 the input is coerced to 2-D at `axis` (default 1).
  bool coerce = opset < 13;
  FailureOr<int64_t> axis = normalizeAxis(intAttr("axis", coerce ? 1 : -1),
                                          rank);
  if (failed(axis))
    return failure();
  Value v = onnxValue(x);
  int64_t reduceAxis = *axis;
  if (coerce && *axis != rank - 1) {
    v = reshape(v, {numElements(ArrayRef<int64_t>(x.shape).take_front(*axis)),
                    numElements(ArrayRef<int64_t>(x.shape).drop_front(*axis))});
    reduceAxis = 1;
  }
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> reduced(type.getShape());
  reduced[reduceAxis] = 1;
  auto reducedType = type.clone(reduced);
  // exp(x - max) / sum(exp(x - max)), the max subtracted for range.
  Value max = tosa::ReduceMaxOp::create(b, reducedType, v,
                                        static_cast<uint32_t>(reduceAxis));
  Value e = tosa::ExpOp::create(b, type,
                                tosa::SubOp::create(b, type, v, max));
  Value sum = tosa::ReduceSumOp::create(b, reducedType, e,
                                        static_cast<uint32_t>(reduceAxis));
  Value out = mul(e, tosa::ReciprocalOp::create(b, reducedType, sum));
  defineValue(0, reshape(out, x.shape), /*nhwc=*/false, x.shape, x.dtype);
  return success();
}

LogicalResult Importer::importPad() {
  Tensor &x = input(0);
  std::string mode = stringAttr("mode", "constant");
  if (mode != "constant")
    return attrError("mode") << "'" << mode << "' (only 'constant')";
  FailureOr<const HostTensor *> padsHost = hostInput(1, "pads");
  if (failed(padsHost))
    return failure();
  int64_t rank = x.shape.size();
  if (static_cast<int64_t>((*padsHost)->data.size()) != 2 * rank)
    return nodeError() << "pads must have 2 * rank values";
  float value = 0.0f;
  if (hasInput(2)) {
    FailureOr<const HostTensor *> v = hostInput(2, "constant_value");
    if (failed(v))
      return failure();
    value = static_cast<float>((*v)->data.front());
  }
  if (failed(requireFloat(x)))
    return failure();
  SmallVector<int64_t> pads;
  for (double p : (*padsHost)->data) {
    if (p < 0)
      return nodeError() << "negative pads are not supported";
    pads.push_back(static_cast<int64_t>(p));
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d)
    shape.push_back(x.shape[d] + pads[d] + pads[d + rank]);
  bool nhwc = prefersNhwc(x);
  SmallVector<int64_t> lo, hi;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t src = nhwc ? kToNhwc[d] : d;
    lo.push_back(pads[src]);
    hi.push_back(pads[src + rank]);
  }
  Value out = padWith(layoutValue(x, nhwc), lo, hi, value);
  defineValue(0, out, nhwc, shape, x.dtype);
  return success();
}

LogicalResult Importer::importCast() {
  Tensor &x = input(0);
  int32_t to = static_cast<int32_t>(intAttr("to", onnx::TensorProto::FLOAT));
  if (x.host) {
    defineHost(0, hostCast(*x.host, to));
    return success();
  }
  if (to == x.dtype) {
    define(0, x);
    return success();
  }
  Type toType = elementType(to);
  // tosa.cast rounds float to int to nearest, ONNX truncates.
  if (!isRuntimeType(to) || (isFloatType(x.dtype) && !isFloatType(to)))
    return attrError("to") << "casting "
                           << onnx::TensorProto::DataType_Name(
                                  static_cast<DataType>(x.dtype))
                           << " to "
                           << onnx::TensorProto::DataType_Name(
                                  static_cast<DataType>(to))
                           << " at run time is not supported";
  bool nhwc = prefersNhwc(x);
  Value v = layoutValue(x, nhwc);
  Value out = tosa::CastOp::create(
      b, cast<RankedTensorType>(v.getType()).clone(toType), v);
  defineValue(0, out, nhwc, x.shape, to);
  return success();
}

LogicalResult Importer::importShape() {
  Tensor &x = input(0);
  int64_t rank = x.shape.size();
  int64_t start = intAttr("start", 0), end = intAttr("end", rank);
  start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
  end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
  HostTensor h;
  h.dtype = onnx::TensorProto::INT64;
  for (int64_t d = start; d < end; ++d)
    h.data.push_back(static_cast<double>(x.shape[d]));
  h.shape = {static_cast<int64_t>(h.data.size())};
  defineHost(0, std::move(h));
  return success();
}

LogicalResult Importer::importGather() {
  Tensor &data = input(0);
  FailureOr<const HostTensor *> indices = hostInput(1, "indices");
  if (failed(indices))
    return failure();
  int64_t rank = data.shape.size();
  FailureOr<int64_t> axis = normalizeAxis(intAttr("axis", 0), rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> picks;
  for (double v : (*indices)->data) {
    int64_t i = static_cast<int64_t>(v);
    if (i < -data.shape[*axis] || i >= data.shape[*axis])
      return nodeError() << "index " << i << " is out of range";
    picks.push_back(i < 0 ? i + data.shape[*axis] : i);
  }
  SmallVector<int64_t> shape(ArrayRef<int64_t>(data.shape).take_front(*axis));
  shape.append((*indices)->shape.begin(), (*indices)->shape.end());
  shape.append(data.shape.begin() + *axis + 1, data.shape.end());
  SmallVector<int64_t> gathered(data.shape);
  gathered[*axis] = picks.size();
  // Constant indices: one slice per index, concatenated along the axis.
  if (data.host) {
    SmallVector<HostTensor> parts;
    for (int64_t i : picks)
      parts.push_back(hostSlice(*data.host, *axis, i, 1));
    SmallVector<const HostTensor *> ptrs;
    for (HostTensor &p : parts)
      ptrs.push_back(&p);
    HostTensor r = ptrs.empty() ? HostTensor{data.dtype, gathered, {}}
                                : hostConcat(ptrs, *axis);
    defineHost(0, hostReshape(std::move(r), shape));
    return success();
  }
  if (picks.empty())
    return nodeError() << "an empty gather is not supported";
  Value v = onnxValue(data);
  SmallVector<Value> parts;
  for (int64_t i : picks) {
    SmallVector<int64_t> start(rank, 0), size(data.shape);
    start[*axis] = i;
    size[*axis] = 1;
    parts.push_back(slice(v, start, size));
  }
  Value out =
      parts.size() == 1
          ? parts.front()
          : tosa::ConcatOp::create(
                b, cast<RankedTensorType>(v.getType()).clone(gathered), parts,
                *axis)
                .getResult();
  defineValue(0, reshape(out, shape), /*nhwc=*/false, shape, data.dtype);
  return success();
}

LogicalResult Importer::importConstantOfShape() {
  if (!input(0).host)
    return nodeError() << "the shape (input '" << node->input(0)
                       << "') is dynamic and cannot be resolved at import "
                          "time";
  FailureOr<const HostTensor *> shapeHost = &*input(0).host;
  HostTensor h;
  for (double d : (*shapeHost)->data)
    h.shape.push_back(static_cast<int64_t>(d));
  double fill = 0.0;
  if (const onnx::AttributeProto *a = attr("value")) {
    HostTensor v;
    std::string error;
    if (failed(readTensorProto(a->t(), v, error)))
      return attrError("value") << error;
    if (v.data.size() != 1)
      return attrError("value") << "must hold one element";
    h.dtype = v.dtype;
    fill = v.data.front();
  }
  h.data.assign(numElements(h.shape), fill);
  defineHost(0, std::move(h));
  return success();
}

LogicalResult Importer::importReduce() {
  Tensor &x = input(0);
  bool isMean = node->op_type() == "ReduceMean";
  int64_t rank = x.shape.size();
  bool present;
  FailureOr<SmallVector<int64_t>> axes = axesFromAttrOrInput(1, rank, present);
  if (failed(axes))
    return failure();
  if (!present || axes->empty()) {
    if (intAttr("noop_with_empty_axes", 0)) {
      define(0, x);
      return success();
    }
    axes->clear();
    for (int64_t d = 0; d < rank; ++d)
      axes->push_back(d);
  }
  bool keepDims = intAttr("keepdims", 1);
  SmallVector<int64_t> kept(x.shape), dropped;
  for (int64_t a : *axes)
    kept[a] = 1;
  for (auto [d, size] : llvm::enumerate(x.shape))
    if (!llvm::is_contained(*axes, static_cast<int64_t>(d)))
      dropped.push_back(size);
  ArrayRef<int64_t> outShape = keepDims ? ArrayRef<int64_t>(kept) : dropped;
  if (x.host) {
    defineHost(0, hostReshape(hostReduce(*x.host, *axes, isMean), outShape));
    return success();
  }
  if (failed(requireFloat(x)))
    return failure();
  bool nhwc = prefersNhwc(x);
  Value v = layoutValue(x, nhwc);
  int64_t count = 1;
  for (int64_t a : *axes) {
    int64_t tosaAxis =
        nhwc ? llvm::find(kToNhwc, a) - std::begin(kToNhwc) : a;
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> reduced(type.getShape());
    reduced[tosaAxis] = 1;
    count *= type.getDimSize(tosaAxis);
    if (isMean)
      v = tosa::ReduceSumOp::create(b, type.clone(reduced), v,
                                    static_cast<uint32_t>(tosaAxis));
    else
      v = tosa::ReduceMaxOp::create(b, type.clone(reduced), v,
                                    static_cast<uint32_t>(tosaAxis));
  }
  if (isMean) {
    SmallVector<int64_t> ones(rank, 1);
    v = mul(v, floatConst(ones, {1.0f / static_cast<float>(count)}));
  }
  Tensor reducedTensor;
  reducedTensor.shape = kept;
  reducedTensor.dtype = x.dtype;
  (nhwc ? reducedTensor.nhwc : reducedTensor.onnx) = v;
  if (keepDims) {
    define(0, std::move(reducedTensor));
    return success();
  }
  defineValue(0, reshape(onnxValue(reducedTensor), dropped), /*nhwc=*/false,
              dropped, x.dtype);
  return success();
}

//===----------------------------------------------------------------------===//
// Quantized ops
//===----------------------------------------------------------------------===//

/// The !quant.uniform type of ONNX (scale, zero point, axis) with `storage`
/// (INT8, UINT8 or INT32) elements: per-tensor for one scale, per-axis on
/// `axis` otherwise.
FailureOr<Type> Importer::quantizedType(const HostTensor &scale,
                                        const HostTensor *zeroPoint,
                                        int64_t axis, int32_t storage) {
  bool isSigned = storage != onnx::TensorProto::UINT8;
  unsigned width = storage == onnx::TensorProto::INT32 ? 32 : 8;
  IntRange range = storageRange(width, isSigned);
  Type storageType = b.getIntegerType(width);
  unsigned flags = isSigned ? quant::QuantizationFlags::Signed : 0;
  SmallVector<double> scales(scale.data.begin(), scale.data.end());
  SmallVector<int64_t> zps;
  for (size_t i = 0; i < scales.size(); ++i)
    zps.push_back(zeroPoint ? static_cast<int64_t>(
                                  zeroPoint->data[zeroPoint->data.size() == 1
                                                      ? 0
                                                      : i])
                            : 0);
  for (double s : scales)
    if (!(s > 0) || !std::isfinite(s))
      return nodeError() << "scale " << s << " is not a positive number";
  if (scales.size() == 1)
    return Type(quant::UniformQuantizedType::get(
        flags, storageType, b.getF32Type(), scales[0], zps[0], range.min,
        range.max));
  return Type(quant::UniformQuantizedPerAxisType::get(
      flags, storageType, b.getF32Type(), scales, zps, axis, range.min,
      range.max));
}

/// `t` as its storage integers (i8, ui8 or i32) in the given layout.
Value Importer::storageValue(Tensor &t, bool nhwc) {
  Value v = layoutValue(t, nhwc);
  auto type = cast<RankedTensorType>(v.getType());
  auto qtype = dyn_cast<quant::QuantizedType>(type.getElementType());
  if (!qtype)
    return v;
  Value storage = quant::StorageCastOp::create(
      b, type.clone(qtype.getStorageType()), v);
  if (qtype.isSigned())
    return storage;
  // quant.scast yields signless storage; qnt compute ops read ui8 unsigned.
  return tensor::BitcastOp::create(
      b, type.clone(elementType(onnx::TensorProto::UINT8)), storage);
}

/// `t` viewed as `quantType` in the given layout.
Value Importer::quantizedValue(Tensor &t, bool nhwc, Type quantType) {
  Value v = layoutValue(t, nhwc);
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getElementType() == quantType)
    return v;
  Value storage = storageValue(t, nhwc);
  auto storageType = cast<RankedTensorType>(storage.getType());
  if (storageType.getElementType().isUnsignedInteger())
    storage = tensor::BitcastOp::create(
        b, storageType.clone(b.getIntegerType(8)), storage);
  return quant::StorageCastOp::create(b, type.clone(quantType), storage);
}

LogicalResult Importer::importQuantizeLinear() {
  Tensor &x = input(0);
  if (failed(requireFloat(x)))
    return failure();
  FailureOr<const HostTensor *> scale = hostInput(1, "y_scale");
  if (failed(scale))
    return failure();
  const HostTensor *zp = nullptr;
  if (hasInput(2)) {
    FailureOr<const HostTensor *> z = hostInput(2, "y_zero_point");
    if (failed(z))
      return failure();
    zp = *z;
  }
  int32_t storage = zp ? zp->dtype : onnx::TensorProto::UINT8;
  if (storage != onnx::TensorProto::UINT8 && storage != onnx::TensorProto::INT8)
    return nodeError() << "only INT8 and UINT8 outputs are supported";
  int64_t rank = x.shape.size();
  FailureOr<int64_t> axis = normalizeAxis(intAttr("axis", 1), rank);
  if (failed(axis))
    return failure();
  bool nhwc = prefersNhwc(x);
  int64_t tosaAxis =
      nhwc ? llvm::find(kToNhwc, *axis) - std::begin(kToNhwc) : *axis;
  FailureOr<Type> qtype = quantizedType(**scale, zp, tosaAxis, storage);
  if (failed(qtype))
    return failure();
  Value v = layoutValue(x, nhwc);
  Value out = QuantizeOp::create(
      b, cast<RankedTensorType>(v.getType()).clone(*qtype), v);
  defineValue(0, out, nhwc, x.shape, storage);
  return success();
}

LogicalResult Importer::importDequantizeLinear() {
  Tensor &x = input(0);
  FailureOr<const HostTensor *> scale = hostInput(1, "x_scale");
  if (failed(scale))
    return failure();
  const HostTensor *zp = nullptr;
  if (hasInput(2)) {
    FailureOr<const HostTensor *> z = hostInput(2, "x_zero_point");
    if (failed(z))
      return failure();
    zp = *z;
  }
  if (x.dtype != onnx::TensorProto::UINT8 &&
      x.dtype != onnx::TensorProto::INT8 && x.dtype != onnx::TensorProto::INT32)
    return nodeError() << "only INT8, UINT8 and INT32 inputs are supported";
  int64_t rank = x.shape.size();
  FailureOr<int64_t> axis = normalizeAxis(intAttr("axis", 1), rank);
  if (failed(axis))
    return failure();
  bool nhwc = prefersNhwc(x);
  int64_t tosaAxis =
      nhwc ? llvm::find(kToNhwc, *axis) - std::begin(kToNhwc) : *axis;
  FailureOr<Type> qtype = quantizedType(**scale, zp, tosaAxis, x.dtype);
  if (failed(qtype))
    return failure();
  if (x.host) {
    // Constant integers become qnt.dequantize(qnt.constant) at first use, in
    // the layout the user wants (OHWI for a conv filter).
    Tensor t;
    t.shape = x.shape;
    t.quantHost = QuantizedHost{*x.host, cast<quant::QuantizedType>(*qtype)};
    define(0, std::move(t));
    return success();
  }
  Value q = quantizedValue(x, nhwc, *qtype);
  Value out = DequantizeOp::create(
      b, cast<RankedTensorType>(q.getType()).clone(b.getF32Type()), q);
  defineValue(0, out, nhwc, x.shape, onnx::TensorProto::FLOAT);
  return success();
}

/// The single zero point of input `inputIndex` (0 when absent); per-channel
/// zero points that differ are not supported by qnt.conv2d / qnt.matmul.
FailureOr<int32_t> Importer::uniformZeroPoint(int inputIndex) {
  if (!hasInput(inputIndex))
    return 0;
  FailureOr<const HostTensor *> zp = hostInput(inputIndex, "the zero point");
  if (failed(zp))
    return failure();
  const std::vector<double> &d = (*zp)->data;
  if (llvm::any_of(d, [&](double v) { return v != d.front(); }))
    return nodeError() << "per-channel zero points that differ (input '"
                       << node->input(inputIndex) << "') are not supported";
  return static_cast<int32_t>(d.front());
}

/// qnt.conv2d of `x` (NHWC storage) with the constant ONNX filter `w`
/// (transposed to OHWI here), i32 result in NHWC.
FailureOr<Value> Importer::integerConv(Tensor &x, const HostTensor &w,
                                       const HostTensor *bias, int32_t xZp,
                                       int32_t wZp,
                                       SmallVector<int64_t> &outShape) {
  if (w.shape.size() != 4)
    return nodeError() << "only 2-D convolutions are supported";
  FailureOr<ConvGeometry> g =
      convGeometry(x, {w.shape[2], w.shape[3]}, w.shape[0],
                   /*hasGroups=*/true, /*hasDilations=*/true);
  if (failed(g))
    return failure();
  int64_t inC = x.shape[1];
  if (g->groups <= 0 || inC % g->groups || w.shape[0] % g->groups ||
      inC / g->groups != w.shape[1])
    return attrError("group") << g->groups << " does not match the channels";
  Value filter = materialize(hostTranspose(w, kToNhwc));
  Value biasValue = bias ? materialize(*bias) : Value();
  outShape = g->outShape;
  return Conv2DOp::create(
             b, RankedTensorType::get(g->outShape, b.getI32Type()),
             cropInput(storageValue(x, /*nhwc=*/true), *g), filter, biasValue,
             b.getI32IntegerAttr(xZp), b.getI32IntegerAttr(wZp),
             b.getDenseI64ArrayAttr(g->stride), b.getDenseI64ArrayAttr(g->pad),
             b.getDenseI64ArrayAttr(g->dilation),
             b.getI64IntegerAttr(g->groups))
      .getResult();
}

/// qnt.matmul of the 2-D `a` with the constant [K, N] matrix `bMat`
/// (transposed to the [N, K] layout of qnt.matmul here).
FailureOr<Value> Importer::integerMatmul(Tensor &a, const HostTensor &bMat,
                                         const HostTensor *bias, int32_t aZp,
                                         int32_t bZp) {
  if (a.shape.size() != 2 || bMat.shape.size() != 2)
    return nodeError() << "only 2-D operands are supported";
  Value rhs = materialize(hostTranspose(bMat, {1, 0}));
  Value biasValue = bias ? materialize(*bias) : Value();
  return MatmulOp::create(
             b, RankedTensorType::get({a.shape[0], bMat.shape[1]},
                                      b.getI32Type()),
             storageValue(a, /*nhwc=*/false), rhs, biasValue,
             b.getI32IntegerAttr(aZp), b.getI32IntegerAttr(bZp))
      .getResult();
}

/// Requantizes the i32 accumulator `acc` to the output type of ONNX's
/// (y_scale, y_zero_point): per-channel multiplier/shift for
/// inScale * wScale[c] / outScale along `channelAxis`.
LogicalResult Importer::requantize(Value acc, double inScale,
                                   const HostTensor &wScale, double outScale,
                                   const HostTensor *outZp,
                                   int64_t channelAxis,
                                   ArrayRef<int64_t> logicalShape, bool nhwc) {
  SmallVector<int32_t> multipliers, shifts;
  for (double ws : wScale.data) {
    double scale = inScale * ws / outScale;
    std::optional<ScaleMultiplier> m = computeMultiplierAndShift(scale);
    if (!m)
      return nodeError() << "the requantization scale " << scale
                         << " is out of range";
    multipliers.push_back(m->multiplier);
    shifts.push_back(m->shift);
  }
  int32_t dtype = outZp ? outZp->dtype : onnx::TensorProto::UINT8;
  if (dtype != onnx::TensorProto::UINT8 && dtype != onnx::TensorProto::INT8)
    return nodeError() << "only INT8 and UINT8 outputs are supported";
  int32_t zp = outZp ? static_cast<int32_t>(outZp->data.front()) : 0;
  IntegerAttr axis =
      multipliers.size() > 1 ? b.getI64IntegerAttr(channelAxis) : nullptr;
  Value out = RequantizeOp::create(
      b, cast<RankedTensorType>(acc.getType()).clone(elementType(dtype)), acc,
      b.getDenseI32ArrayAttr(multipliers), b.getDenseI32ArrayAttr(shifts),
      axis, b.getI32IntegerAttr(0), b.getI32IntegerAttr(zp), nullptr, nullptr);
  defineValue(0, out, nhwc, logicalShape, dtype);
  return success();
}

/// Scalar of a host input that must hold exactly one value.
static LogicalResult singleValue(const HostTensor *h, double &out) {
  if (h->data.size() != 1)
    return failure();
  out = h->data.front();
  return success();
}

/// What QLinearConv and QLinearMatMul share: constant inputs 1.. (input
/// scale and zero point, weights, their scale and zero point, output scale
/// and zero point[, bias]), the two scalar scales and the uniform zero points.
struct Importer::QLinearOperands {
  SmallVector<const HostTensor *> hosts;
  double inScale, outScale;
  int32_t inZp, weightZp;
};

FailureOr<Importer::QLinearOperands>
Importer::readQLinearOperands(ArrayRef<const char *> names) {
  QLinearOperands ops;
  ops.hosts.assign(names.size(), nullptr);
  for (size_t i = 1; i < names.size(); ++i) {
    if (!hasInput(i))
      continue;
    FailureOr<const HostTensor *> h = hostInput(i, names[i]);
    if (failed(h))
      return failure();
    ops.hosts[i] = *h;
  }
  for (int i : {1, 2, 3, 4, 5, 6, 7})
    if (!ops.hosts[i])
      return nodeError() << "input '" << names[i] << "' is required";
  if (failed(singleValue(ops.hosts[1], ops.inScale)) ||
      failed(singleValue(ops.hosts[6], ops.outScale)))
    return nodeError() << names[1] << " and " << names[6]
                       << " must be scalars";
  FailureOr<int32_t> inZp = uniformZeroPoint(2), weightZp = uniformZeroPoint(5);
  if (failed(inZp) || failed(weightZp))
    return failure();
  ops.inZp = *inZp;
  ops.weightZp = *weightZp;
  return ops;
}

LogicalResult Importer::importQLinearConv() {
  FailureOr<QLinearOperands> ops = readQLinearOperands(
      {"x", "x_scale", "x_zero_point", "w", "w_scale", "w_zero_point",
       "y_scale", "y_zero_point", "B"});
  if (failed(ops))
    return failure();
  SmallVector<int64_t> outShape;
  FailureOr<Value> acc = integerConv(input(0), *ops->hosts[3], ops->hosts[8],
                                     ops->inZp, ops->weightZp, outShape);
  if (failed(acc))
    return failure();
  return requantize(*acc, ops->inScale, *ops->hosts[4], ops->outScale,
                    ops->hosts[7], /*axis=*/3,
                    {outShape[0], outShape[3], outShape[1], outShape[2]},
                    /*nhwc=*/true);
}

LogicalResult Importer::importQLinearMatMul() {
  FailureOr<QLinearOperands> ops = readQLinearOperands(
      {"a", "a_scale", "a_zero_point", "b", "b_scale", "b_zero_point",
       "y_scale", "y_zero_point"});
  if (failed(ops))
    return failure();
  Tensor &a = input(0);
  FailureOr<Value> acc = integerMatmul(a, *ops->hosts[3], nullptr, ops->inZp,
                                       ops->weightZp);
  if (failed(acc))
    return failure();
  return requantize(*acc, ops->inScale, *ops->hosts[4], ops->outScale,
                    ops->hosts[7], /*axis=*/1,
                    {a.shape[0], ops->hosts[3]->shape[1]}, /*nhwc=*/false);
}

LogicalResult Importer::importConvInteger() {
  FailureOr<const HostTensor *> w = hostInput(1, "w");
  if (failed(w))
    return failure();
  FailureOr<int32_t> xZp = uniformZeroPoint(2), wZp = uniformZeroPoint(3);
  if (failed(xZp) || failed(wZp))
    return failure();
  Tensor &x = input(0);
  SmallVector<int64_t> outShape;
  FailureOr<Value> acc = integerConv(x, **w, nullptr, *xZp, *wZp, outShape);
  if (failed(acc))
    return failure();
  defineValue(0, *acc, /*nhwc=*/true,
              {outShape[0], outShape[3], outShape[1], outShape[2]},
              onnx::TensorProto::INT32);
  return success();
}

LogicalResult Importer::importMatMulInteger() {
  FailureOr<const HostTensor *> bMat = hostInput(1, "B");
  if (failed(bMat))
    return failure();
  FailureOr<int32_t> aZp = uniformZeroPoint(2), bZp = uniformZeroPoint(3);
  if (failed(aZp) || failed(bZp))
    return failure();
  Tensor &a = input(0);
  FailureOr<Value> acc = integerMatmul(a, **bMat, nullptr, *aZp, *bZp);
  if (failed(acc))
    return failure();
  defineValue(0, *acc, /*nhwc=*/false, {a.shape[0], (*bMat)->shape[1]},
              onnx::TensorProto::INT32);
  return success();
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

void mlir::qnt::registerOnnxImportDialects(DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, func::FuncDialect, QntDialect,
                  quant::QuantDialect, tensor::TensorDialect,
                  tosa::TosaDialect>();
}

OwningOpRef<ModuleOp>
mlir::qnt::importOnnxModel(StringRef bytes, StringRef name,
                           MLIRContext *context,
                           const OnnxImportOptions &options) {
  DialectRegistry registry;
  registerOnnxImportDialects(registry);
  context->appendDialectRegistry(registry);
  context->loadAllAvailableDialects();
  return Importer(context, name, options).run(bytes);
}
