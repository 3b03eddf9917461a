#!/usr/bin/env python3
"""Tables of medians and ratios from quant-bench's JSON output.

  bench/bench_table.py run.json [capped.json ...]

Benchmarks are named <family>/<implementation>/<shape> and carry a `macs`
counter (logical multiply-accumulates per call; one per bit for binary
kernels). For each family the table gives the median time per call, the rate
(int8: GOP/s = 2 MACs/s; f32: GFLOP/s; binary: G binary MACs/s), and the
ratio of our kernels (implementation `qnt`) against every baseline measured
for the same shape: baseline time / our time, so above 1x means ours is
faster. Register-resident limits (family `peak`) turn rates into a fraction
of the machine's limit. Several files (e.g. a run with oneDNN's ISA capped)
are merged. Markdown on stdout.
"""

import argparse
import json
import statistics
import sys

UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}

# family -> (rate unit, ops per MAC, the peak loop it is compared with)
FAMILIES = {
    "gemm_i8": ("GOP/s", 2, "vpdpbusd"),
    "conv_i8": ("GOP/s", 2, "vpdpbusd"),
    "gemm_f32": ("GFLOP/s", 2, "fma_f32"),
    "conv_f32": ("GFLOP/s", 2, "fma_f32"),
    "gemm_bin": ("G bin-MAC/s", 1, "xor_popcount"),
    "conv_bin": ("G bin-MAC/s", 1, "xor_popcount"),
}
PEAK_UNITS = {"xor_popcount": ("G bin-MAC/s", 1), "vpdpbusd": ("GOP/s", 2),
              "fma_f32": ("GFLOP/s", 2)}
# Cross-family baselines on the same logical shape (binary vs float/int8).
CROSS = {"gemm_bin": ["gemm_f32", "gemm_i8"], "conv_bin": ["conv_f32", "conv_i8"]}
OURS = "qnt"


def load(paths):
    """{(family, impl, shape): {"seconds", "macs", "label"}}, errors, context."""
    results, errors, context = {}, {}, {}
    for path in paths:
        with open(path) as f:
            data = json.load(f)
        # Files from different runs (e.g. a capped one) may disagree: keep
        # every value.
        for key, value in data.get("context", {}).items():
            values = context.setdefault(key, [])
            if str(value) not in values:
                values.append(str(value))
        samples = {}
        for entry in data.get("benchmarks", []):
            name = entry.get("run_name", entry["name"])
            for suffix in ("/manual_time", "/real_time"):
                if name.endswith(suffix):
                    name = name[: -len(suffix)]
            parts = name.split("/")
            if len(parts) != 3:
                continue
            key = tuple(parts)
            if entry.get("error_occurred"):
                errors[key] = entry.get("error_message", "error")
                continue
            seconds = entry["real_time"] * UNIT_SECONDS[entry.get("time_unit", "ns")]
            record = {"seconds": seconds, "macs": entry.get("macs", 0.0),
                      "label": entry.get("label", "")}
            if entry.get("run_type") == "aggregate":
                if entry.get("aggregate_name") == "median":
                    results[key] = record
            else:
                samples.setdefault(key, []).append(record)
        # Without aggregates (a single repetition, or every run reported),
        # the median of the runs.
        for key, records in samples.items():
            if key not in results:
                seconds = statistics.median(r["seconds"] for r in records)
                results[key] = dict(records[0], seconds=seconds)
    return results, errors, context


def rate(record, ops_per_mac):
    return ops_per_mac * record["macs"] / record["seconds"] / 1e9


def fmt_time(seconds):
    if seconds >= 1e-3:
        return "%.2f ms" % (seconds * 1e3)
    return "%.1f us" % (seconds * 1e6)


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def shapes_in_order(results, family):
    seen = []
    for (fam, _, shape) in results:
        if fam == family and shape not in seen:
            seen.append(shape)
    return seen


def family_table(results, errors, family):
    unit, ops_per_mac, peak_name = FAMILIES[family]
    impls = sorted({impl for (fam, impl, _) in list(results) + list(errors) if fam == family},
                   key=lambda impl: (impl != OURS, impl))
    peak = results.get(("peak", peak_name, "reg"))
    cross = [(fam, impl) for fam in CROSS.get(family, [])
             for impl in sorted({i for (f, i, _) in results if f == fam and i != OURS})]
    header = ["shape", "MMACs"] + ["%s %s" % (impl, unit) for impl in impls]
    if OURS in impls:
        header += ["qnt vs %s" % impl for impl in impls if impl != OURS]
        header += ["qnt vs %s/%s" % pair for pair in cross]
    if peak:
        header += ["%s %% of %s" % (impl, peak_name) for impl in impls]
    rows = []
    shapes = shapes_in_order(results, family) + [
        s for (f, _, s) in errors if f == family and s not in shapes_in_order(results, family)]
    for shape in dict.fromkeys(shapes):
        records = {impl: results.get((family, impl, shape)) for impl in impls}
        macs = next((r["macs"] for r in records.values() if r), None)
        row = [shape, "%.1f" % (macs / 1e6) if macs else "-"]
        for impl in impls:
            r = records[impl]
            row.append("%.1f (%s)" % (rate(r, ops_per_mac), fmt_time(r["seconds"])) if r
                       else ("skipped" if (family, impl, shape) in errors else "-"))
        ours = records.get(OURS)
        if OURS in impls:
            others = [records[impl] for impl in impls if impl != OURS]
            others += [results.get((fam, impl, shape)) for fam, impl in cross]
            for other in others:
                row.append("%.2fx" % (other["seconds"] / ours["seconds"])
                           if ours and other else "-")
        if peak:
            peak_rate = rate(peak, PEAK_UNITS[peak_name][1]) / PEAK_UNITS[peak_name][1]
            for impl in impls:
                r = records[impl]
                row.append("%.0f%%" % (100 * r["macs"] / r["seconds"] / 1e9 / peak_rate)
                           if r else "-")
        rows.append(row)
    return table(header, rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("json", nargs="+", help="quant-bench --benchmark_out files")
    args = parser.parse_args()
    results, errors, context = load(args.json)
    if not results and not errors:
        sys.exit("bench_table: no quant-bench results in %s" % ", ".join(args.json))

    info = ["%s: %s" % (k, ", ".join(context[k])) for k in
            ("date", "commit", "num_cpus", "mhz_per_cpu", "dnnl_effective_isa")
            if k in context]
    print("Context: " + "; ".join(info) + "\n")

    peaks = [(impl, r) for (fam, impl, _), r in results.items() if fam == "peak"]
    if peaks:
        print("### Register-resident limits\n")
        print(table(["loop", "rate", "time per call"],
                    [[impl, "%.1f %s" % (rate(r, PEAK_UNITS[impl][1]), PEAK_UNITS[impl][0]),
                      fmt_time(r["seconds"])] for impl, r in sorted(peaks)]))
        print()
    for family in FAMILIES:
        if any(fam == family for (fam, _, _) in list(results) + list(errors)):
            print("### %s\n" % family)
            print(family_table(results, errors, family))
            print()
    labels = sorted({"%s/%s: %s" % (f, i, r["label"]) for (f, i, s), r in results.items()
                     if r["label"] and i != OURS})
    if labels:
        print("Implementations:\n")
        for label in dict.fromkeys(labels):
            print("- " + label)
        print()
    if errors:
        print("Skipped:\n")
        for (family, impl, shape), message in sorted(errors.items()):
            print("- %s/%s/%s: %s" % (family, impl, shape, message.strip().splitlines()[0][:200]))


if __name__ == "__main__":
    main()
