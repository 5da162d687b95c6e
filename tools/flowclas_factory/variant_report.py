"""Each weight variant of a bundle's backbone + flow in onnxruntime-node on one image: load time, time
per run, peak RSS, and the max-abs difference of its score map from the fp32 one.

  variant-report --bundle DIR --image PNG [--max-side N] [--runs 3] [--json OUT]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from . import reference as ref
from .export import REPO

VARIANTS = ("fp32", "fp16", "int8")


def run_variant(bundle, variant, x: np.ndarray, runs=3, threads=2) -> tuple[np.ndarray, dict]:
    with tempfile.TemporaryDirectory() as td:
        np.save(Path(td, "x.npy"), np.ascontiguousarray(x, np.float32))
        spec = {"bundle": str(Path(bundle).resolve()), "variant": variant, "input": str(Path(td, "x.npy")),
                "runs": runs, "outDir": str(Path(td, "out")), "threads": threads}
        Path(td, "spec.json").write_text(json.dumps(spec))
        p = subprocess.run(["node", str(REPO / "tools" / "node" / "run_bundle_variant.mjs"), str(Path(td, "spec.json"))],
                           cwd=str(REPO), capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"{variant}: onnxruntime-node failed: {p.stderr.strip()[-2000:]}")
        return np.load(Path(td, "out", "likelihood.npy")), json.loads(Path(td, "out", "meta.json").read_text())


def report(bundle, image, max_side=None, runs=3, threads=2, variants=VARIANTS) -> dict:
    bundle = Path(bundle)
    manifest = json.loads((bundle / "manifest.json").read_text())
    bb = dict(manifest["backbone"])
    if max_side:
        bb["resize"] = {"mode": "pad", "maxSide": int(max_side)}
    img = np.asarray(Image.open(image).convert("RGB"))
    x, geo = ref.backbone_input(img, bb)
    rows, base = {}, None
    for v in variants:
        if v != "fp32" and v not in manifest["backbone"].get("variants", {}):
            continue
        q, meta = run_variant(bundle, v, x.numpy(), runs, threads)
        s = ref.score_map(torch.from_numpy(q), geo, bb["patchSize"], manifest["flow"]["outputKind"]).numpy()
        if base is None:
            base = s
        rows[v] = {
            "loadMs": meta["loadMs"], "backboneMs": float(np.median(meta["runMs"]["backbone"])),
            "flowMs": float(np.median(meta["runMs"]["flow"])), "peakRssMB": meta["peakRssMB"],
            "scoreMaxAbsDiff": float(np.abs(s - base).max()), "scoreRange": [float(s.min()), float(s.max())],
        }
    return {"bundle": str(bundle), "image": str(image), "input": list(x.shape), "variants": rows}


def main(argv=None):
    ap = argparse.ArgumentParser(prog="variant_report")
    ap.add_argument("--bundle", type=Path, required=True)
    ap.add_argument("--image", type=Path, required=True)
    ap.add_argument("--max-side", type=int, default=None)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args(argv)
    r = report(a.bundle, a.image, a.max_side, a.runs, a.threads)
    print(f"{r['bundle']}: input {r['input']}")
    print(f"{'variant':<8} {'load ms':>10} {'backbone ms':>12} {'flow ms':>9} {'peak RSS MB':>12} {'max |ds| vs fp32':>17}")
    for v, row in r["variants"].items():
        load = sum(row["loadMs"].values())
        print(f"{v:<8} {load:>10.0f} {row['backboneMs']:>12.0f} {row['flowMs']:>9.0f} {row['peakRssMB']:>12.0f} "
              f"{row['scoreMaxAbsDiff']:>17.2e}")
    if a.json:
        a.json.write_text(json.dumps(r, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
