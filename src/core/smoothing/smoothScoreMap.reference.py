"""Independent reference for mask-based smoothing (pipeline.md section 5), written the
straightforward way: per-mask boolean indexing and np.histogram.

Inputs: scores.npy float32 [H, W], masks.npy uint8 [K, H, W] (processing order), params.json
{"bins": N}. Output: refined.out.npy float32 [H, W].
"""
import json
import sys
from pathlib import Path

import numpy as np


def smooth(scores, masks, bins):
    scores = scores.copy()
    for mask in masks.astype(bool):
        if not mask.any():
            continue
        values = scores[mask].astype(np.float64)
        counts, edges = np.histogram(values, bins=bins)
        k = np.argmax(counts)
        lo, hi = edges[k], edges[k + 1]
        in_bin = values[(values >= lo) & (values < hi)]
        if in_bin.size == 0:
            continue
        values[(values < lo) | (values > hi)] = in_bin.mean()
        scores[mask] = values.astype(np.float32)
    return scores


def main():
    folder = Path(sys.argv[1])
    params = json.loads((folder / "params.json").read_text())
    scores = np.load(folder / "scores.npy")
    masks = np.load(folder / "masks.npy")
    np.save(folder / "refined.out.npy", smooth(scores, masks, params["bins"]))


main()
