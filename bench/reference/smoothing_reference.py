"""Timed numpy reference for bench/smoothing.ts: mask smoothing (pipeline.md section 5) written
the straightforward way, per-mask boolean indexing and np.histogram, as the FlowCLAS reference
code does it.

Usage: smoothing_reference.py FOLDER. FOLDER holds scores.npy float32 [H, W]; mask_pixels.npy
uint32 (all masks' row-major pixel indices, concatenated); mask_offsets.npy uint32 [K + 1];
params.json {"bins": N}. Building the boolean masks is setup; then, for every line "run" on stdin,
it smooths a fresh copy of the scores and prints the seconds the smoothing loop took, so the
caller can interleave its own runs with ours. On "done" it writes refined.npy and exits.
"""
import json
import sys
import time
from pathlib import Path

import numpy as np


# The factory's plain numpy implementation is the reference (tools/ needs only numpy for it).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from flowclas_factory.smoothing_np import smooth_straightforward  # noqa: E402


def main():
    folder = Path(sys.argv[1])
    bins = json.loads((folder / "params.json").read_text())["bins"]
    scores = np.load(folder / "scores.npy")
    pixels = np.load(folder / "mask_pixels.npy")
    offsets = np.load(folder / "mask_offsets.npy")
    masks = np.zeros((len(offsets) - 1, scores.size), dtype=bool)
    for k in range(len(offsets) - 1):
        masks[k, pixels[offsets[k] : offsets[k + 1]]] = True
    masks = masks.reshape((-1,) + scores.shape)
    print("ready", flush=True)

    refined = scores.copy()
    for command in sys.stdin:
        if command.strip() != "run":
            break
        started = time.perf_counter()
        # Includes one copy of the scores (about 1 ms of 2 M floats) inside the reference.
        refined = smooth_straightforward(scores, masks, bins)
        print(time.perf_counter() - started, flush=True)
    np.save(folder / "refined.npy", refined)


main()
