#!/usr/bin/python3
"""Compares the example BNN's compiled logits with its PyTorch reference.

usage: bnn_agreement.py LOGITS.npy REFERENCE_PREDICTIONS.npy REFERENCE_LOGITS_FIRST100.npy
                        [--min-agree N]
Prints how many argmaxes agree and the largest logit difference over the
first 100 samples; with --min-agree, exits 1 when fewer than N agree.
"""
import argparse
import sys

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("logits")
parser.add_argument("predictions")
parser.add_argument("first")
parser.add_argument("--min-agree", type=int, default=0)
args = parser.parse_args()

logits = np.load(args.logits)
predictions = np.load(args.predictions)
first = np.load(args.first)
agree = int((logits.argmax(axis=1) == predictions).sum())
print("argmax agrees on %d/%d samples" % (agree, len(predictions)))
print("first %d logits: max abs diff %.3g" % (
    len(first), float(np.abs(logits[:len(first)] - first).max())))
if agree < args.min_agree:
    print("fewer than %d agree" % args.min_agree)
    sys.exit(1)
