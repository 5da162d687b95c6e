"""Reference for score histograms: np.histogram over a fixed or automatic range.

Inputs: scores.npy float32 [H, W], labels.npy uint8 [H, W], params.json {"bins": N,
"range": [lo, hi] or null}. Outputs (float64): edges.out.npy, counts.out.npy (in-range pixels),
inlier.out.npy, anomaly.out.npy, outside.out.npy ([below, above]).
"""
import json
import sys
from pathlib import Path

import numpy as np

folder = Path(sys.argv[1])
params = json.loads((folder / "params.json").read_text())
scores = np.load(folder / "scores.npy").astype(np.float64).ravel()
labels = np.load(folder / "labels.npy").ravel()
value_range = params["range"]
counts, edges = np.histogram(scores, bins=params["bins"], range=value_range)
inlier, _ = np.histogram(scores[labels == 0], bins=edges)
anomaly, _ = np.histogram(scores[labels == 1], bins=edges)
below = (scores < edges[0]).sum()
above = (scores > edges[-1]).sum()
np.save(folder / "edges.out.npy", edges)
for name, values in [("counts", counts), ("inlier", inlier), ("anomaly", anomaly)]:
    np.save(folder / f"{name}.out.npy", values.astype(np.float64))
np.save(folder / "outside.out.npy", np.array([below, above], dtype=np.float64))
