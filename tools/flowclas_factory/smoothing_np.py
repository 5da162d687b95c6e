"""Straightforward numpy-only mask smoothing (pipeline.md §5, paper Algorithm 1).

Deliberately plain: per mask, boolean indexing and np.histogram. It serves as an
independent check of the vectorised reference and as a baseline the TypeScript benchmark
can time:  python3 -m flowclas_factory.smoothing_np score.npy masks.npy bins out.npy
(masks.npy: bool [K, H, W] in processing order).
"""
from __future__ import annotations

import sys

import numpy as np


def smooth_straightforward(score: np.ndarray, masks, bins: int = 20) -> np.ndarray:
    s = np.array(score, dtype=np.float32, copy=True)
    for m in masks:
        m = np.asarray(m, bool)
        if not m.any():
            continue
        v = s[m].astype(np.float64)
        counts, edges = np.histogram(v, bins=bins)
        k = int(np.argmax(counts))
        lo, hi = edges[k], edges[k + 1]
        sel = (v >= lo) & (v < hi)
        if not sel.any():
            continue
        mean = v[sel].mean()
        v_new = np.where((v < lo) | (v > hi), mean, v)
        s[m] = v_new.astype(np.float32)
    return s


def main(argv):
    score = np.load(argv[0])
    masks = np.load(argv[1])
    bins = int(argv[2])
    np.save(argv[3], smooth_straightforward(score, masks, bins))


if __name__ == "__main__":
    main(sys.argv[1:])
