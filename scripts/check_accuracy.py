#!/usr/bin/env python3
"""Checks a quant-run dataset run against the example model's recorded
PyTorch figures: top-1 accuracy within --points percentage points, and
optionally the logits of the first samples (--logits, an .npy that quant-run
wrote with --output) against the stored PyTorch logits within --atol, or
the argmax of every sample's logits against stored PyTorch predictions
(--predictions) with a least share that agrees (--agreement).

Reads quant-run's output on stdin; prints one line per check; exits 1 when a
check fails.
"""

import argparse
import json
import re
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", required=True, help="the model's metadata (test_accuracy)")
    parser.add_argument("--key", default="test_accuracy", help="the accuracy's key in --json")
    parser.add_argument("--points", type=float, default=0.1)
    parser.add_argument("--logits", help="quant-run --output of the first samples")
    parser.add_argument("--reference", help="PyTorch logits (.npy) of the same samples")
    parser.add_argument("--atol", type=float, default=1e-4)
    parser.add_argument("--predictions", help="PyTorch's argmax per sample (.npy), for --logits")
    parser.add_argument("--agreement", type=float, default=1.0,
                        help="least share of samples whose argmax equals --predictions")
    args = parser.parse_args()

    ok = True
    expected = json.load(open(args.json))[args.key]
    match = re.search(r"accuracy: ([0-9.]+) \((\d+)/(\d+)\)", sys.stdin.read())
    if not match:
        print("no accuracy line in quant-run's output")
        return 1
    got = float(match.group(1))
    diff = abs(got - expected) * 100
    within = diff <= args.points + 1e-9
    ok &= within
    print("accuracy %.4f vs PyTorch %.4f: %.2f points apart, %s %.2f"
          % (got, expected, diff, "within" if within else "NOT within", args.points))

    if args.logits and args.predictions:
        import numpy as np
        got = np.load(args.logits).reshape(-1, 10).argmax(1)
        ref = np.load(args.predictions)
        if len(got) != len(ref):
            print("%d logits rows for %d predictions" % (len(got), len(ref)))
            return 1
        agree = int(np.sum(got == ref))
        share = agree / len(ref)
        ok &= share >= args.agreement
        print("argmax agrees with PyTorch on %d/%d (%.2f%%), %s %.2f%%"
              % (agree, len(ref), 100 * share,
                 "at least" if share >= args.agreement else "NOT at least", 100 * args.agreement))
    elif args.logits:
        import numpy as np
        got = np.load(args.logits).reshape(-1, 10)
        ref = np.load(args.reference)
        n = min(len(got), len(ref))
        max_diff = float(np.max(np.abs(got[:n] - ref[:n])))
        agree = int(np.sum(got[:n].argmax(1) == ref[:n].argmax(1)))
        within = max_diff <= args.atol
        ok &= within and agree == n
        print("logits of %d samples: max abs diff %.2e (%s %.0e), argmax agrees on %d/%d"
              % (n, max_diff, "within" if within else "NOT within", args.atol, agree, n))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
