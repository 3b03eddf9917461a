// Folding batch norms must not change what the model computes: the same
// random CNN (all BN forms, odd spatial size) runs before and after
// qnt-fold-batchnorm through qnt-cpu-pipeline and mlir-runner, and the
// logits agree within 1e-5 relative.
//
// RUN: %python %quant_src_root/examples/bn_folding/make_model.py --seed 7 --batch 3 --size 7 --channels 2 > %t.mlir
// RUN: quant-opt %t.mlir --qnt-fold-batchnorm | FileCheck %s --check-prefix=FOLDED
// RUN: quant-opt %t.mlir --qnt-cpu-pipeline | mlir-runner -e main -entry-point-result=void -shared-libs=%runner_libs > %t.reference
// RUN: quant-opt %t.mlir --qnt-fold-batchnorm --qnt-cpu-pipeline | mlir-runner -e main -entry-point-result=void -shared-libs=%runner_libs > %t.folded
// RUN: %python %quant_src_root/scripts/compare_outputs.py --bits %t.reference %t.folded | FileCheck %s
//
// The comparison can fail: another model's logits differ.
// RUN: %python %quant_src_root/examples/bn_folding/make_model.py --seed 8 --batch 3 --size 7 --channels 2 | quant-opt --qnt-cpu-pipeline | mlir-runner -e main -entry-point-result=void -shared-libs=%runner_libs > %t.other
// RUN: not %python %quant_src_root/scripts/compare_outputs.py --bits %t.reference %t.other | FileCheck %s --check-prefix=DIFFER

// FOLDED-LABEL: func.func @model
//   FOLDED-NOT:   qnt.batch_norm
//   FOLDED-NOT:   tosa.rsqrt
//   FOLDED-NOT:   tosa.sub
//       FOLDED:   tosa.matmul
//  FOLDED-NEXT:   tosa.add
//   FOLDED-NOT:   tosa.mul
//       FOLDED:   return

// CHECK: tensor 0 1x3x10: 30 values, max abs diff {{.*}}, max rel diff {{.*}}: within rtol 1e-05
// CHECK: outputs agree

// DIFFER: NOT within
// DIFFER: outputs DIFFER
