#!/usr/bin/env python3
"""Runs the ONNX backend node tests (Debian's libonnx-testdata) through
quant-import -> qnt-cpu-pipeline -> quant-run and compares each output with
the stored reference at the ONNX backend tolerances (rtol 1e-3, atol 1e-7).

A test case is a directory with model.onnx and test_data_set_*/{input,output}_*.pb.
Only cases whose every node op type is claimed (--claimed) run; a case listed
in --skips (`test_name: reason`) is reported as skipped with its reason. The
exit status is 1 when a claimed case fails, so the suite gates CI.
"""

import argparse
import concurrent.futures
import glob
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

RTOL = 1e-3
ATOL = 1e-7


def read_list(path, with_reason=False):
    entries = {}
    for line in open(path):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if with_reason:
            name, _, reason = line.partition(":")
            entries[name.strip()] = reason.strip()
        else:
            entries[line] = ""
    return entries


def case_ops(model_path):
    model = onnx.load(model_path)
    return [node.op_type for node in model.graph.node], model


def report_op(name, ops):
    """The op a case is reported under: the case's op whose lower-case name
    starts the test name (test_constant_pad is a Pad case), else the first
    node's op type."""
    stem = name[len("test_"):].replace("_", "")
    for op in sorted(set(ops), key=len, reverse=True):
        if stem.startswith(op.lower()):
            return op
    return ops[0]


def load_tensor(path):
    tensor = onnx.TensorProto()
    with open(path, "rb") as f:
        tensor.ParseFromString(f.read())
    return numpy_helper.to_array(tensor)


def run_case(case_dir, tools, work):
    """Returns (status, detail): status is 'pass' or 'fail'."""
    name = os.path.basename(case_dir)
    mlir = os.path.join(work, name + ".mlir")
    proc = subprocess.run([tools.quant_import, os.path.join(case_dir, "model.onnx"), "-o", mlir],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return "fail", "import: " + (proc.stderr.strip().splitlines() or ["exit %d" % proc.returncode])[-1]
    for data_set in sorted(glob.glob(os.path.join(case_dir, "test_data_set_*"))):
        inputs = sorted(glob.glob(os.path.join(data_set, "input_*.pb")),
                        key=lambda p: int(re.search(r"(\d+)\.pb$", p).group(1)))
        outputs = sorted(glob.glob(os.path.join(data_set, "output_*.pb")),
                         key=lambda p: int(re.search(r"(\d+)\.pb$", p).group(1)))
        args = [tools.quant_run, mlir]
        for i, path in enumerate(inputs):
            npy = os.path.join(work, "%s.in%d.npy" % (name, i))
            # np.ascontiguousarray would make a scalar 1-D.
            np.save(npy, np.asarray(load_tensor(path), order="C"))
            args.append("--input=" + npy)
        result_files = []
        for i in range(len(outputs)):
            npy = os.path.join(work, "%s.out%d.npy" % (name, i))
            result_files.append(npy)
            args.append("--output=" + npy)
        proc = subprocess.run(args, capture_output=True, text=True)
        if proc.returncode != 0:
            return "fail", "run: " + (proc.stderr.strip().splitlines() or ["exit %d" % proc.returncode])[-1]
        for i, (ref_path, got_path) in enumerate(zip(outputs, result_files)):
            expected = load_tensor(ref_path)
            got = np.load(got_path)
            if got.shape != expected.shape:
                return "fail", "output %d: shape %s, expected %s" % (i, got.shape, expected.shape)
            if expected.dtype.kind in "biu":
                if not np.array_equal(got, expected):
                    return "fail", "output %d: integer values differ" % i
                continue
            try:
                np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL)
            except AssertionError as err:
                lines = [l for l in str(err).splitlines() if "Max" in l]
                return "fail", "output %d: %s" % (i, "; ".join(l.strip() for l in lines))
    return "pass", ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quant-import", required=True)
    parser.add_argument("--quant-run", required=True)
    parser.add_argument("--data-dir", default="/usr/share/libonnx-testdata/data/node")
    parser.add_argument("--claimed", required=True, help="file: one claimed ONNX op type a line")
    parser.add_argument("--skips", help="file: `test_name: reason` a line")
    parser.add_argument("--report", help="write a markdown table (docs/onnx-conformance.md)")
    parser.add_argument("--filter", default="", help="regex on test names")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", help="directory for intermediate files")
    tools = parser.parse_args()

    claimed = set(read_list(tools.claimed))
    skips = read_list(tools.skips, with_reason=True) if tools.skips else {}
    if not os.path.isdir(tools.data_dir):
        print("error: no ONNX node tests at %s (install libonnx-testdata)" % tools.data_dir)
        return 1

    cases = []
    for case_dir in sorted(glob.glob(os.path.join(tools.data_dir, "test_*"))):
        name = os.path.basename(case_dir)
        if tools.filter and not re.search(tools.filter, name):
            continue
        model_path = os.path.join(case_dir, "model.onnx")
        if not os.path.exists(model_path):
            continue
        ops, _ = case_ops(model_path)
        if ops and all(op in claimed for op in ops):
            cases.append((name, case_dir, report_op(name, ops)))

    work = tools.work or tempfile.mkdtemp(prefix="onnx-conformance-")
    os.makedirs(work, exist_ok=True)
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=tools.jobs) as pool:
        futures = {}
        for name, case_dir, op in cases:
            if name in skips:
                results[name] = (op, "skip", skips[name])
            else:
                futures[pool.submit(run_case, case_dir, tools, work)] = (name, op)
        for future in concurrent.futures.as_completed(futures):
            name, op = futures[future]
            status, detail = future.result()
            results[name] = (op, status, detail)

    per_op = {}
    for name in sorted(results):
        op, status, detail = results[name]
        per_op.setdefault(op, []).append((name, status, detail))
        if status != "pass":
            print("%-4s %s: %s" % (status.upper(), name, detail))

    passed = sum(s == "pass" for _, s, _ in results.values())
    failed = sum(s == "fail" for _, s, _ in results.values())
    skipped = sum(s == "skip" for _, s, _ in results.values())
    for op in sorted(per_op):
        entries = per_op[op]
        print("op %-20s %d/%d passed%s" % (
            op, sum(s == "pass" for _, s, _ in entries), len(entries),
            "" if all(s != "skip" for _, s, _ in entries) else
            " (%d skipped)" % sum(s == "skip" for _, s, _ in entries)))
    print("conformance: %d cases, %d passed, %d failed, %d skipped"
          % (len(results), passed, failed, skipped))

    if tools.report:
        with open(tools.report, "w") as out:
            out.write("# ONNX backend node tests\n\n")
            out.write("Generated by `scripts/onnx_conformance.py` (the lit test\n"
                      "`test/Conformance/onnx-node-tests.test` runs it in CI) from Debian's\n"
                      "libonnx-testdata 1.12: every node test whose ops are all claimed by\n"
                      "`quant-import` goes through quant-import -> qnt-cpu-pipeline ->\n"
                      "quant-run and is compared with the stored outputs at rtol %g,\n"
                      "atol %g (integer outputs exactly).\n\n" % (RTOL, ATOL))
            out.write("**%d cases: %d passed, %d failed, %d skipped.**\n\n" % (len(results), passed, failed, skipped))
            out.write("| op | passed / run | skipped |\n|---|---|---|\n")
            for op in sorted(per_op):
                entries = per_op[op]
                run = [e for e in entries if e[1] != "skip"]
                out.write("| %s | %d / %d | %d |\n" % (
                    op, sum(s == "pass" for _, s, _ in run), len(run),
                    len(entries) - len(run)))
            untested = [op for op in sorted(per_op)
                        if all(s == "skip" for _, s, _ in per_op[op])]
            if untested:
                out.write("\nNo case of %s runs: all of their node tests use a "
                          "feature listed below; test/Import covers what is "
                          "supported.\n" % ", ".join(untested))
            skipped_entries = sorted((n, d) for n, (o, s, d) in results.items() if s == "skip")
            if skipped_entries:
                out.write("\n## Skipped cases and why\n\n")
                for name, reason in skipped_entries:
                    out.write("- `%s`: %s\n" % (name, reason))
            failed_entries = sorted((n, d) for n, (o, s, d) in results.items() if s == "fail")
            if failed_entries:
                out.write("\n## Failing cases\n\n")
                for name, reason in failed_entries:
                    out.write("- `%s`: %s\n" % (name, reason))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
