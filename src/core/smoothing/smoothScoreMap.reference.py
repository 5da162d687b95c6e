"""Independent reference for mask-based smoothing (pipeline.md section 5), written the
straightforward way: per-mask boolean indexing and np.histogram.

Inputs: scores.npy float32 [H, W], masks.npy uint8 [K, H, W] (processing order), params.json
{"bins": N}. Output: refined.out.npy float32 [H, W].
"""
import json
import sys
from pathlib import Path

import numpy as np


# The factory's plain numpy implementation, independent of the TypeScript one.
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tools"))
from flowclas_factory.smoothing_np import smooth_straightforward as smooth  # noqa: E402


def main():
    folder = Path(sys.argv[1])
    params = json.loads((folder / "params.json").read_text())
    scores = np.load(folder / "scores.npy")
    masks = np.load(folder / "masks.npy")
    np.save(folder / "refined.out.npy", smooth(scores, masks, params["bins"]))


main()
