//===- Passes.td - qnt graph passes ------------------------*- tablegen -*-===//

#ifndef QUANTMLIR_TRANSFORMS_PASSES_TD
#define QUANTMLIR_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QntFoldBatchnormPass : Pass<"qnt-fold-batchnorm"> {
  let summary = "Fold inference batch norm into the preceding conv/matmul";
  let description = [{
    Folds a per-channel affine batch norm into the weights and bias of the
    producing layer, in double precision at compile time:

    ```
    s[c] = gamma[c] / sqrt(var[c] + eps)
    W'[c, ...] = W[c, ...] * s[c]         (scaled along the output channel)
    b'[c] = (b[c] - mean[c]) * s[c] + beta[c]
    ```

    Batch norms it folds:
    * `qnt.batch_norm` on the channel axis of the producer's result;
    * the decomposed forms front ends emit: a chain of TOSA `sub`, `mul`
      and `add` whose other operand is a per-channel constant (`[C]`,
      `[1, C]` or `[1, 1, 1, C]`), where the constant may itself be a TOSA
      expression of constants (`rsqrt`, `reciprocal`, `add`, `sub`, `mul`).

    Producers: `tosa.conv2d`, `tosa.depthwise_conv2d`, `tosa.matmul`
    (weights as a constant `b` operand `[1, K, N]`), `linalg.matmul`
    (weights `[K, N]`, accumulator from `linalg.fill`),
    `linalg.conv_2d_nhwc_hwcf` (filter `[KH, KW, C, F]`, accumulator from
    `linalg.fill`). Weights and bias must be constants.

    Left unchanged, with a remark on the batch norm that says why: the
    producer's result has other users; a parameter or weight is not
    constant; a non-affine op (such as a ReLU) sits between producer and
    batch norm; the batch norm's axis is not the producer's channel axis;
    the element type is not f32.

    A fold rewrites the weights only when the producer has no other user, so
    a shared weight constant is duplicated rather than changed in place.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tosa::TosaDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def QntBinarizePass : Pass<"qnt-binarize", "::mlir::ModuleOp"> {
  let summary = "Rewrite conv/matmul on +-1 operands to XNOR-popcount ops";
  let description = [{
    Turns binary layers into `qnt.binarize` + `qnt.bconv2d` / `qnt.bmatmul`
    with the weights bit-packed at compile time. A `tosa.conv2d` or
    `tosa.matmul` (weights `[1, K, N]`) is binary when

    * its input is a sign: the ONNX `Sign` as `quant-import` lowers it,
      `select(x > 0, 1, select(0 > x, -1, 0))`, or
      `select(x >= 0, 1, -1)`, also seen through reshapes and transposes
      (a flatten); and its constant weights are `+-alpha[o]` per
      output channel within `alpha-tolerance` (XNOR-Net `alpha * sign(W)`
      as exported and constant-folded); or
    * its `qnt.config` says `weight_bits = 1, activation_bits = 1`: then
      `alpha[o] = mean |W[o]|` and the input is binarized whatever it is.

    The first and the last conv/matmul of a function stay float unless
    `binarize-first-last` is set or their `qnt.config` asks for 1 bit.

    Epilogue. `alpha[o]` and the layer's bias become the float epilogue
    (`multiplier`, `bias`); the per-channel affine ops that follow
    (`qnt.batch_norm` on the channel axis, `tosa.add`/`sub`/`mul` by a
    per-channel constant) compose into it in double precision, and a
    `tosa.clamp` (ReLU) after them becomes the epilogue clamp. The weights
    are never rescaled by a batch norm.

    Thresholds. When the chain ends in a sign (possibly through a
    `tosa.slice` crop and a `tosa.max_pool2d`), the result is bit-packed:
    `+1` exactly when the float value would be `>= 0`, i.e.
    `dot >= thresholds[o]`. A channel whose value decreases in `dot`
    (gamma < 0, or a negative alpha times scale) has its weight bits flipped;
    a channel whose sign does not depend on `dot` (gamma = 0, or a clamp
    that decides alone) gets a threshold every dot passes (`-K - 1`) or none
    does (`K + 1`). Conv -> ReLU -> BN -> sign fuses this way. The max pool
    runs on the words (`qnt.bmaxpool2d`): `sign` is non-decreasing, so it
    commutes with the max once the batch norm has been applied. The sign's
    users read `qnt.unpack` of the words; a following binary layer takes
    the words directly, so activations stay packed between binary layers.
    A flatten (NCHW transpose + reshape) of packed activations with whole
    words per pixel feeds a `qnt.bmatmul` by reshaping the words and
    permuting the weight rows at compile time.

    Padding. A convolution padding its sign input pads with 0, so the
    result has `pad_value = zero`; a `tosa.pad` of the sign with +1 before
    an unpadded convolution becomes the native `pad_value = plus_one`.

    Not rewritten, with a remark on the op saying why: a layer fed by a sign
    whose weights are not `+-alpha` per channel, or not constant; a sign of
    a value clamped at 0 (ReLU -> sign: ONNX gives 0 there, which +-1 cannot
    represent); a batch norm after a max pool (with gamma < 0 the max would
    become a min: the layer keeps a float epilogue and the pool, batch norm
    and sign stay float). A sign treats an exact 0 as +1 (ONNX `Sign(0)` is
    0), the binary convention of the dialect.

    `report=<file>` (or `report=-` for stdout) writes one line per
    conv/matmul: binarized (op, K, words, pad value, alpha, epilogue with the
    number of flipped and constant channels) or kept float and why.
  }];
  let options = [
    Option<"report", "report", "std::string", /*default=*/"\"\"",
           "write the per-layer binarization report to this file ('-': stdout)">,
    Option<"binarizeFirstLast", "binarize-first-last", "bool",
           /*default=*/"false",
           "also binarize the first and the last conv/matmul of a function">,
    Option<"alphaTolerance", "alpha-tolerance", "double", /*default=*/"1e-4",
           "relative spread of |w| within an output channel still taken as "
           "+-alpha">,
  ];
  let dependentDialects = ["::mlir::qnt::QntDialect",
                           "::mlir::tosa::TosaDialect"];
}

def QntDecomposeBatchnormPass : Pass<"qnt-decompose-batchnorm"> {
  let summary = "Rewrite qnt.batch_norm into TOSA element-wise ops";
  let description = [{
    Rewrites each `qnt.batch_norm` (that folding left) into
    `x * s + t` with `s = gamma / sqrt(var + eps)` and
    `t = beta - mean * s` computed at compile time when the parameters are
    constant, or as TOSA ops (`add`, `rsqrt`, `mul`, `sub`) otherwise. The
    per-channel operands are reshaped to broadcast along `axis`. The result
    lowers with the upstream TOSA pipeline.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tosa::TosaDialect"];
}

def QntInsertObserversPass : Pass<"qnt-insert-observers", "::mlir::ModuleOp"> {
  let summary = "Insert calibration probes on every activation to be quantized";
  let description = [{
    Puts a `qnt.observe` after every float activation that quantization will
    need a range for: each `func.func` tensor argument, and each result of a
    TOSA compute or element-wise op, of `qnt.batch_norm` and of a float
    `qnt.unpack` (the +-1 input of a layer after binary ones). A value of
    which only the sign is used (its uses are `qnt.binarize`, possibly
    through `tosa.max_pool2d`, `tosa.reshape` or `tosa.transpose`) needs no
    scale and gets no probe: `qnt-quantize` then keeps the `i32`
    accumulator of the layer computing it, whose sign is exact. Ops that keep
    their input's scale (`tosa.reshape`, `tosa.transpose`, `tosa.slice`,
    `tosa.identity`, `tosa.max_pool2d`) and values computed from constants
    only are not observed. The other uses of the value then read the probe's
    result, so probes stay in program order.

    A probe's id is the value's name when its location is a name (the ONNX
    importer names values after ONNX tensors), else
    `<function>.<op>.<n>`; ids are unique within the module. A value already
    observed is left alone, so the pass can run twice.
  }];
  let options = [
    Option<"kind", "kind", "std::string", /*default=*/"\"histogram\"",
           "statistics to gather: minmax or histogram">,
    Option<"bins", "bins", "int64_t", /*default=*/"2048",
           "histogram bins">
  ];
  let dependentDialects = ["::mlir::qnt::QntDialect"];
}

def QntLowerObserversPass : Pass<"qnt-lower-observers", "::mlir::ModuleOp"> {
  let summary = "Lower qnt.observe to calls into the calibration runtime";
  let description = [{
    Replaces each `qnt.observe %x "id"` on a `tensor<...xf32>` by

    ```
    %u = tensor.cast %x : tensor<...xf32> to tensor<*xf32>
    func.call @qnt_observe_f32(%u, %index) : (tensor<*xf32>, i64) -> ()
    ```

    and uses `%x` in place of the probe's result. `@qnt_observe_f32` is
    declared with `llvm.emit_c_interface` (and its argument as read-only for
    bufferization), so the compiled code calls the C
    function `_mlir_ciface_qnt_observe_f32(UnrankedMemRefType<float> *, int64_t)`
    that the runtime provides. The module attribute `qnt.observers` lists the
    Option<"kind", "kind", "std::string", /*default=*/"\"histogram\"",
    Probes with the same id share an index. A probe on another element type
    is an error.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

def QntQuantizePass : Pass<"qnt-quantize", "::mlir::ModuleOp"> {
  let summary = "Rewrite float conv/matmul layers into integer qnt ops from calibration statistics or QDQ scales";
  let description = [{
    Post-training quantization of the float layers of every function, from
    the statistics file that `quant-run --calibrate` writes (`stats=`) and
    each layer's `qnt.config` attribute. Statistics are looked up by the
    probe ids `qnt-insert-observers` gives the same IR, so calibrate the
    model as this pass sees it (after `qnt-fold-batchnorm`).

    **Layers.** A `tosa.conv2d`, `tosa.depthwise_conv2d` or `tosa.matmul`
    on `f32` with constant weights (and bias) becomes

    ```
    %q   = qnt.quantize %x          // the input, with its scale s_x, zero point z_x
    %w   = qnt.constant ...         // weights, per tensor or per output channel (s_w[c])
    %acc = qnt.conv2d / qnt.matmul %q, %w, %bias   // i32, zero points explicit
    %y   = qnt.requantize %acc      // to the output's scale s_y and zero point z_y
    %f   = qnt.dequantize %y        // only where a float op reads the result
    ```

    (with `quant.scast` between `!quant.uniform` tensors and the storage
    integers the integer ops take). Weights are quantized at compile time:
    `tosa.conv2d` keeps OHWI, a depthwise HWCM filter becomes
    `[C * M, KH, KW, 1]` with `groups = C`, and matmul weights `[1, K, N]`
    become `[N, K]`. The bias is `round_half_even(b[c] / (s_x * s_w[c]))` in
    `i32` with zero point 0; it includes a following `tosa.add` of a
    constant that broadcasts along the channel (the fully connected pattern
    `matmul -> reshape -> add`). The requantization multiplier and shift of
    channel `c` are `computeMultiplierAndShift(s_x * s_w[c] / s_y)`;
    `rounding=` picks TOSA SINGLE_ROUND (default) or DOUBLE_ROUND. A
    following `tosa.clamp` (ReLU, ReLU6, Clip) becomes the requantize clamp
    `[quantize(min), quantize(max)]` within the storage range, and the
    clamp's statistics give `s_y`.

    **Scales.** An input or output scale comes, in this order, from a
    `qnt.dequantize` the input already is (the output of a quantized layer,
    or an ONNX QDQ pair) or a `qnt.quantize` that is the output's only user;
    else from the statistics, through the range method of
    `activation-range` (`minmax`, `percentile`, `mse`, `entropy`; see
    docs/calibration.md) and the scheme. Weights use `weight-range` over
    their values. `symmetric` gives zero point 0; `asymmetric` gives
    activations a zero point, and weights one only per tensor (the integer
    ops take one filter zero point, so per-channel weights stay
    symmetric). `narrow-range` drops the most negative weight level. All
    storage types are signed, `weight-bits` / `activation-bits` wide (2 to
    8); the first and last layer of a function keep 8 bits unless
    `first-last-8bit=false` (a `qnt.config` always wins).

    **QDQ models** (ONNX QuantizeLinear/DequantizeLinear around float ops,
    as PyTorch exports them and `quant-import` imports them) need no
    statistics: weights that are `qnt.dequantize(qnt.constant)` are used
    as they are (per tensor, or per channel along the output-channel axis
    with one zero point; the bit-width is the narrowest that holds the
    type's storage range, so `i8<-8:7>` is stored `i4`), a bias may be a
    dequantized (reshaped) constant, and the input and output scales come
    from the dequantize and quantize around the layer; options and
    statistics do not override them. Unsigned types are held signed:
    `q - 2^(b-1)` with the zero point moved alike, which is exact, so a `u8`
    quantize that only feeds dequantizes becomes the equal `i8` one.

    **Propagation.** `tosa.max_pool2d`, `tosa.reshape`, `tosa.transpose`,
    `tosa.slice` and `tosa.identity` of a quantized value run on its storage
    integers and keep its scale, so a conv -> relu -> maxpool -> conv chain
    stays integer; so does a `tosa.clamp` whose bounds are on the grid or
    beyond it (a ReLU exported apart from its layer). A quantize of a
    dequantize of the same type goes as soon as it is reached. Where a
    layer needs another width or scale than its input has, a
    `qnt.requantize` rescales it (through `i32`).

    **Cleanup.** `qnt.quantize(qnt.dequantize(q))` with the same type
    becomes `q`; with another per-tensor type, a `qnt.requantize` of the
    storage integers (TOSA rounding, which can differ from the float round
    trip on exact ties). Unused quantizers and casts are erased.

    **Left float, with a remark naming the op and why:** layers whose
    weights or bias are not constant, that are not `f32` or not statically
    shaped, batched matmuls, 1-bit layers (`qnt-binarize` takes them),
    layers whose input has no statistics, and layers whose bias or
    accumulator would overflow `i32`. A layer whose output has no statistics
    computes in integers and dequantizes its `i32` accumulator (scale
    `s_x * s_w[c]`); a clamp after it stays float. QDQ weights that cannot
    be used as they are (per axis along a non-output axis, per-channel zero
    points that differ, storage wider than 8 bits) leave the layer float
    rather than being requantized. Every float op that reads a quantized
    value gets a `qnt.dequantize` in front and a remark.

    **Errors:** an unreadable or malformed statistics file, an unknown
    option value, and a `qnt.config` whose per-channel `axis` is not the
    weights' output-channel axis (0 for OHWI, 2 for HWCM, 2 for matmul
    `[1, K, N]`). A warning when the file's range of a layer's weights is
    not the range of the weights the layer has: the statistics were taken
    on other IR (such as before batch norms were folded), so the same ids
    name other activations.
  }];
  let options = [
    Option<"stats", "stats", "std::string", /*default=*/"\"\"",
           "statistics file from quant-run --calibrate (empty: none, so only "
           "scales already in the IR are used)">,
    Option<"scheme", "scheme", "std::string", /*default=*/"\"symmetric\"",
           "symmetric (zero point 0) or asymmetric (affine)">,
    Option<"granularity", "granularity", "std::string",
           /*default=*/"\"per-channel\"",
           "weight scales per-tensor or per-channel (output channel)">,
    Option<"weightBits", "weight-bits", "unsigned", /*default=*/"8",
           "weight bit-width, 2 to 8">,
    Option<"activationBits", "activation-bits", "unsigned", /*default=*/"8",
           "activation bit-width, 2 to 8">,
    Option<"activationRange", "activation-range", "std::string",
           /*default=*/"\"minmax\"",
           "activation range: minmax, percentile, mse or entropy">,
    Option<"weightRange", "weight-range", "std::string",
           /*default=*/"\"minmax\"",
           "weight range: minmax, percentile, mse or entropy">,
    Option<"percentile", "percentile", "double", /*default=*/"99.99",
           "percentile kept by the percentile range method, in (50, 100]">,
    Option<"rounding", "rounding", "std::string",
           /*default=*/"\"single-round\"",
           "requantization rounding: single-round or double-round">,
    Option<"narrowRange", "narrow-range", "bool", /*default=*/"false",
           "weights use [-(2^(b-1) - 1), 2^(b-1) - 1]">,
    Option<"firstLast8Bit", "first-last-8bit", "bool", /*default=*/"true",
           "the first and last layer of each function keep 8-bit weights "
           "and activations">
  ];
  let dependentDialects = ["::mlir::qnt::QntDialect",
                           "::mlir::quant::QuantDialect",
                           "::mlir::tosa::TosaDialect"];
}

def QntTileAndVectorizePass : Pass<"qnt-tile-and-vectorize"> {
  let summary = "Tile linalg ops on tensors into register blocks and vectorize them";
  let description = [{
    Runs on linalg on tensors, before bufferization, and rewrites

    - `linalg.conv_2d_nhwc_fhwc` into `linalg.conv_2d_nhwc_hwcf` (the
      filter transpose folds when the filter is constant), and
      `linalg.conv_2d_nhwc_hwcf` into an im2col `linalg.generic` plus a
      matmul-like `linalg.generic` (upstream `rewriteInIm2Col`);
    - every contraction (`linalg.matmul`, `linalg.batch_matmul`, the im2col
      GEMM, and other generics with batch/m/n/k dimensions) into `scf.for`
      loops over `1 x 8 x vector-width x 1` tiles (batch, m, n, k) whose body
      is a `vector.contract` on a `vector<8 x vector-width>` accumulator; the
      accumulator tile is hoisted out of the k loop, so it stays in
      registers;
    - every all-parallel linalg op (element-wise `linalg.generic`,
      `linalg.fill`, `linalg.transpose`) into loops over
      `1 x .. x 1 x vector-width` tiles whose body works on
      `vector<vector-width>` (`tensor.extract` in the body becomes a
      contiguous load or a `vector.gather`).

    The tile loops are peeled, so every tile has a static shape: full tiles,
    and one smaller remainder tile where the tile size does not divide a
    dimension. Left as they are (they become scalar loops later): ops with
    dynamic shapes (their tiles would need masks), ops the vectorizer does
    not support, reductions other than contractions, the im2col copy (its
    input map is not a projected permutation), and depthwise convolutions
    and pooling, whose windowed iteration spaces the vectorizer only takes
    after decomposing them to 1-D, which this pass does not do.

    The output is meant for `qnt-cpu-pipeline`, which lowers `vector.contract`
    to FMAs after bufferization.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes per vector register: 16 for AVX-512, 8 for AVX2, "
           "4 for a generic target">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::vector::VectorDialect"];
}

def QntLowerToCPUPass : Pass<"qnt-lower-to-cpu", "::mlir::ModuleOp"> {
  let summary = "Lower the integer qnt ops to linalg/arith/math on plain integer tensors";
  let description = [{
    The scalar reference lowering of the quantized qnt ops, on tensors
    before bufferization:

    - `qnt.constant` becomes an `arith.constant` of its storage integers;
    - `qnt.quantize` becomes an element-wise `linalg.generic` computing
      `x / s` in `f64`, `math.roundeven` (`half_even`) or `math.round`
      (`half_away`), NaN to 0, the clamp to `[storage_min - z,
      storage_max - z]` in float, then `+ z` in `i64`;
    - `qnt.dequantize` becomes `s * (q - z)` in `f64`, truncated once to the
      result type;
    - `qnt.requantize` becomes TOSA `apply_scale` in `i64`: the product
      `x * multiplier` is split into `q * 2^shift + r` and only `r` is
      rounded, so no intermediate overflows, then `+ output_zp` and the
      clamp;
    - `qnt.conv2d` and `qnt.matmul` become one `linalg.generic` each that
      sign- or zero-extends both operands to `i32`, subtracts the zero
      points and accumulates in `i32` into the (broadcast) bias; padding is
      a `tensor.pad` with `input_zp`, and groups index the input channel
      as `(o floordiv (O / groups)) * (C / groups) + ci`.

    Per-axis scales, zero points, multipliers and shifts are constant 1-D
    tensors read along the axis. Everywhere in the module, quantized element
    types become their storage types and unsigned (`ui8`) integers become
    signless ones of the same width: function signatures, `tosa` ops that
    move such tensors, and `tosa.const` values are retyped, and
    `quant.scast` and `tensor.bitcast` between equal storage types vanish.
    Signedness survives in the lowered arithmetic (`extui` or `extsi`).

    An op this pass cannot lower gets an error: `qnt.conv2d` and
    `qnt.matmul` of dynamic shape, and any other op on quantized or unsigned
    types that does more than move elements (`tosa.cast` of `ui8`, ops with
    regions), whose meaning the retyping would change.

    With `isa` other than `scalar`, `qnt.matmul` with a constant `rhs` and
    `qnt.conv2d` with a constant filter and one group (im2col) become a
    plain integer contraction plus zero-point corrections:
    `sum (a - za)(w - zw) = D - cw * rowsum(u) - ca * colsum(v) + K ca cw`
    with `u = a + sa`, `v = w + sw` shifted into the instruction's operand
    ranges; the column terms are folded at compile time. The weights are
    packed at compile time into panels of `NR` columns and `kG`-byte
    groups, activations shifted (and padded along K) at run time, and `D` is
    computed in `MR x NR` register tiles (`scf.for` + `vector`):
    `avx512-vnni` uses `vpdpbusd` (8 x 48, `sa = 128` for signed
    activations), `avx2` sign-extends to words for `vpmaddwd` (6 x 16), and
    `generic` multiplies `i32` lanes (4 x 8). Weights of 3-4 bits are
    stored two to a byte and 2-bit weights four to a byte, as unsigned
    fields that the kernel unpacks with a shift and a mask. A convolution
    whose weights need no row sums (`cw = 0`) and whose input is 8-bit
    takes an implicit im2col: the input is shifted once into a padded copy,
    whose channels are padded to `kG` (or, where that takes fewer steps,
    each filter row's taps folded into the channels), and the kernel reads
    each step of a pixel's row of A from it through a constant table of
    offsets; other convolutions write the im2col matrix. A `qnt.requantize`
    that is a product's only user (per tensor or along the channels, 8 to
    32-bit storage, vectors of at least 128 bits) is applied in the
    kernel's epilogue. Other ops keep the scalar lowering.

    The binary ops (DESIGN §4 bit conventions) lower on static shapes.
    With `isa=scalar`, `qnt.binarize` pads `K` to whole words with `+1` and
    ORs `(x < 0) << b` per word, `qnt.unpack` selects `-1`/`+1` per bit,
    `qnt.bmatmul`/`qnt.bconv2d` accumulate `bits(word) - 2 * ctpop(a ^ w)`
    over the words (the input padded with 0 words, i.e. `+1`), and
    `qnt.bmaxpool2d` ANDs the window's words with all-ones padding. Any
    other `isa` gives `qnt.bmatmul`/`qnt.bconv2d` XOR-popcount kernels with
    the output channels in `i32` lanes of the ISA's register width (16, 8,
    4): the rhs/filter is repacked to `[O / L, depth words, L]` (at compile
    time when it is a constant), each lhs
    word (a direct-convolution input word for `bconv2d`) is broadcast and
    XORed with `NR` vectors of channels for `MR` rows (6 x 4 vectors with
    AVX-512, 2 x 2 otherwise), `math.ctpop` (`vpopcntd` with
    AVX512-VPOPCNTDQ) accumulates in registers over the whole depth; below
    512 bits, where no vector popcount is assumed, byte counts (`vpshufb`)
    are summed in `i8` lanes over up to 31 words, then in the two 16-bit
    halves of each `i32` lane over the innermost depth loop where it is
    under 4096 words (else per 31 words), then added per `i32` lane. The
    epilogue runs on the accumulators: `K - 2 * acc`, the float multiplier/bias/clamp, or the
    threshold compare whose masks are concatenated into packed output
    words. `qnt.binarize` then compares 32 elements at a time and bitcasts
    the `i1` mask to the word. `pad_value = zero` subtracts, at the edges,
    the padded taps' `sum_c filter[o, i, j, c]` (computed from the filter at
    run time, per output position).
  }];
  let options = [
    Option<"kernelIsa", "isa", "::mlir::qnt::IntegerKernelIsa",
           /*default=*/"::mlir::qnt::IntegerKernelIsa::Scalar",
           "Kernels for qnt.matmul (constant rhs) and qnt.conv2d (constant "
           "filter, one group)",
           [{::llvm::cl::values(
             clEnumValN(::mlir::qnt::IntegerKernelIsa::Scalar, "scalar",
                        "the scalar reference linalg.generic"),
             clEnumValN(::mlir::qnt::IntegerKernelIsa::Generic, "generic",
                        "packed, register-tiled portable vector code"),
             clEnumValN(::mlir::qnt::IntegerKernelIsa::Avx2, "avx2",
                        "packed, register-tiled vpmaddwd"),
             clEnumValN(::mlir::qnt::IntegerKernelIsa::Avx512Vnni,
                        "avx512-vnni", "packed, register-tiled vpdpbusd"))}]>
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::vector::VectorDialect"];
}

#endif // QUANTMLIR_TRANSFORMS_PASSES_TD
