#!/usr/bin/python3
"""Compares the example BNN's compiled logits with its PyTorch reference.

usage: bnn_agreement.py LOGITS.npy REFERENCE_PREDICTIONS.npy REFERENCE_LOGITS_FIRST100.npy
Prints how many argmaxes agree and the largest logit difference over the
first 100 samples.
"""
import sys

import numpy as np

logits = np.load(sys.argv[1])
predictions = np.load(sys.argv[2])
first = np.load(sys.argv[3])
agree = int((logits.argmax(axis=1) == predictions).sum())
print("argmax agrees on %d/%d samples" % (agree, len(predictions)))
print("first %d logits: max abs diff %.3g" % (
    len(first), float(np.abs(logits[:len(first)] - first).max())))
