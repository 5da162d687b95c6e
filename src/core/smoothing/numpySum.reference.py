"""Reference for numpy's summation order: np.sum and np.mean of each prefix values[:n].

Inputs: values.npy float64, params.json {"lengths": [...]}. Outputs: sums.out.npy and
means.out.npy, float64; version.out.npy, numpy's [major, minor].
"""
import json
import sys
from pathlib import Path

import numpy as np

folder = Path(sys.argv[1])
lengths = json.loads((folder / "params.json").read_text())["lengths"]
values = np.load(folder / "values.npy")
np.save(folder / "sums.out.npy", np.array([values[:n].sum() for n in lengths]))
np.save(folder / "means.out.npy", np.array([values[:n].mean() for n in lengths]))
np.save(folder / "version.out.npy", np.array([int(part) for part in np.__version__.split(".")[:2]], dtype=np.float64))
