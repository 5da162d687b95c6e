"""Per-stage timing of the PyTorch reference pipeline, for `npm run bench`.

Loads the trained PyTorch models from a build's checkpoint folder (`factory build --work DIR`
keeps them in DIR/checkpoints), runs the reference pipeline (pipeline.md §1-6) on one image and
prints the median milliseconds per stage as one JSON line, with the TypeScript stage names.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from . import reference as ref


def _load(checkpoints: Path, name: str):
    obj = torch.load(checkpoints / f"{name}.pt")
    return obj[0] if isinstance(obj, tuple) else obj


def _timed(timings: dict, stage: str, work):
    started = time.perf_counter()
    result = work()
    timings[stage] = timings.get(stage, 0.0) + (time.perf_counter() - started) * 1000
    return result


def run_once(image_path: Path, manifest: dict, backbone, flow, encoder, decoder) -> dict:
    timings: dict = {}
    img = _timed(timings, "decode", lambda: np.asarray(Image.open(image_path).convert("RGB")))
    bb = manifest["backbone"]
    x, geo = _timed(timings, "backbone-input", lambda: ref.backbone_input(img, bb))
    with torch.no_grad():
        out = _timed(timings, "backbone", lambda: backbone(x))
        feats = ref.to_feature_map(out, bb["layout"], bb.get("prefixTokens", 0), geo["grid"])
        q = _timed(timings, "flow", lambda: flow(feats))
    score = _timed(timings, "score-map",
                   lambda: ref.score_map(q, geo, bb["patchSize"], manifest["flow"]["outputKind"]))
    seg = manifest["segmenter"]
    started = time.perf_counter()
    amg = ref.run_amg(img, encoder, decoder, seg)
    # run_amg does encoder, decoder and post-processing together; reported as one stage.
    timings["segmenter (all)"] = (time.perf_counter() - started) * 1000
    masks = [m["mask"] for m in amg["masks"]]
    _timed(timings, "smoothing",
           lambda: ref.smooth_reference(score.numpy(), masks, manifest["smoothing"]["bins"]))
    return timings


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="factory bench-pipeline")
    ap.add_argument("--bundle", type=Path, required=True)
    ap.add_argument("--image", type=Path, required=True)
    ap.add_argument("--checkpoints", type=Path, required=True)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    manifest = json.loads((a.bundle / "manifest.json").read_text())
    backbone = _load(a.checkpoints, "backbone").eval()
    flow = _load(a.checkpoints, "flow-nll-infonce").eval()
    encoder, decoder = _load(a.checkpoints, "segmenter")
    encoder.eval()
    decoder.eval()
    runs = [run_once(a.image, manifest, backbone, flow, encoder, decoder) for _ in range(a.repeats + 1)][1:]
    medians = {stage: float(np.median([run[stage] for run in runs])) for stage in runs[0]}
    print(json.dumps(medians))
    return 0
