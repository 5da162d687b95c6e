"""Reference for equal-width binning: np.histogram(values, bins=N) counts for each case.

Inputs: values.npy float32 (all cases concatenated), offsets.npy uint32 [cases + 1],
params.json {"bins": [N per case]}. Output: counts.out.npy float64 (all cases concatenated).
Values are widened to float64 first, as the smoothing reference does.
"""
import json
import sys
from pathlib import Path

import numpy as np

folder = Path(sys.argv[1])
bins = json.loads((folder / "params.json").read_text())["bins"]
values = np.load(folder / "values.npy").astype(np.float64)
offsets = np.load(folder / "offsets.npy")
counts = [
    np.histogram(values[offsets[i] : offsets[i + 1]], bins=n)[0] for i, n in enumerate(bins)
]
np.save(folder / "counts.out.npy", np.concatenate(counts).astype(np.float64))
