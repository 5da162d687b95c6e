"""A random-weight bundle with the real architectures and sizes, to measure loading, memory and speed.

  realsize --out DIR [--max-side 448] [--chunk-mb 100] [--keep-checkpoints]

- backbone: DINOv2-L/14 + LoRA-Reins through the converter (random checkpoints with the published key
  names and shapes are written first, then `convert flowclas` reads them), map layout, C = 1024;
- flow: the FlowCLAS flow with L = 16 steps at C = 1024;
- segmenter: the demo's SAM 2-contract encoder and decoder, widened to about SAM 2.1 tiny's size
  (a 33 M-parameter encoder at about 80 GMAC per 1024 x 1024 image, a 4 M-parameter decoder);
every model in fp32 with external data (chunks of at most --chunk-mb MB), plus fp16 and int8
variants, and a complete manifest. Generated on demand, never committed.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path

import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import external_data
from . import random_checkpoints as rc
from .bundle_files import refresh_files
from .convert import convert_flowclas
from .export import export_decoder, export_encoder, segmenter_entry, write_json
from .models import DWBlock, SamDecoder, SamEncoder
from .precision import write_variants

DECODER_WIDTH = 384  # 4.1 M parameters (SAM 2.1 tiny's decoder: about 4 M)


class HalfResolutionStage(nn.Module):
    """Residual stage at half the map's resolution: avg-pool 2 -> 1x1 to `wide` -> blocks -> 1x1 back -> x2."""

    def __init__(self, ch, wide, blocks):
        super().__init__()
        self.into = nn.Conv2d(ch, wide, 1)
        self.blocks = nn.Sequential(*[DWBlock(wide, (1, 2, 4)[i % 3]) for i in range(blocks)])
        self.back = nn.Conv2d(wide, ch, 1)

    def forward(self, x):
        y = self.back(self.blocks(F.relu(self.into(F.avg_pool2d(x, 2)))))
        return x + F.interpolate(y, scale_factor=2.0, mode="nearest")


class RealSizeSamEncoder(SamEncoder):
    """The demo encoder (same I/O contract, same stem) with a SAM 2.1 tiny-sized trunk at 64 x 64 and 32 x 32."""

    def __init__(self, width=1024, blocks64=14, wide=1536, blocks32=6):
        super().__init__(width=width)
        dil = (1, 2, 4, 8)
        half = blocks64 // 2
        self.blocks = nn.Sequential(*[DWBlock(width, dil[i % 4]) for i in range(half)],
                                    HalfResolutionStage(width, wide, blocks32),
                                    *[DWBlock(width, dil[i % 4]) for i in range(blocks64 - half)])


def encoder_macs(model: nn.Module) -> int:
    """Multiply-accumulates of the convolutions for one 1024 x 1024 image (hooks on a real forward)."""
    total = 0

    def hook(m, inp, out):
        nonlocal total
        total += out.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]

    hs = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        model(torch.zeros(1, 3, 1024, 1024))
    for h in hs:
        h.remove()
    return total


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_checkpoints(work: Path, seed=0):
    t0 = time.time()
    torch.save(rc.dinov2_state_dict(rc.dinov2_spec("L"), seed), work / "dinov2_vitl14_pretrain.pth")
    torch.save({"state_dict": rc.reins_state_dict(seed=seed + 1)}, work / "rein.pth")
    torch.save({"state_dict": rc.flow_state_dict(1024, 16, seed=seed + 2), "epoch": 0}, work / "flowclas.ckpt")
    print(f"random checkpoints (published key names and shapes) in {time.time() - t0:.0f} s:")
    for p in sorted(work.iterdir()):
        print(f"  {p.name:<32} {p.stat().st_size:>14,d} bytes")


def export_segmenter(out: Path, chunk_mb: float) -> dict:
    torch.manual_seed(0)
    enc, dec = RealSizeSamEncoder().eval(), SamDecoder(d=DECODER_WIDTH).eval()
    n_enc, n_dec = (sum(p.numel() for p in m.parameters()) for m in (enc, dec))
    print(f"segmenter: encoder {n_enc / 1e6:.1f} M parameters, {encoder_macs(enc) / 1e9:.0f} GMAC per image; "
          f"decoder {n_dec / 1e6:.1f} M parameters")
    entry = segmenter_entry(batched=True)
    for model, key, export in ((enc, "encoder", export_encoder), (dec, "decoder", export_decoder)):
        path = out / entry[key]["file"]
        export(model, path)  # inline first (both are far below 2 GB), then re-saved with chunked external data
        names = external_data.save(onnx.load(str(path)), path, True, chunk_mb)
        entry[key]["externalData"] = names
    return entry


def build_realsize(out, max_side=448, chunk_mb=external_data.DEFAULT_CHUNK_MB, keep_checkpoints=False):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    t_all = time.time()
    work = Path(tempfile.mkdtemp(prefix="realsize-", dir=out.parent))
    try:
        write_checkpoints(work)
        t0 = time.time()
        convert_flowclas(work / "flowclas.ckpt", work / "dinov2_vitl14_pretrain.pth", work / "rein.pth", out,
                         max_side=max_side, external=True, chunk_mb=chunk_mb, name="realsize",
                         domain="none: random weights with the real architectures and sizes (for load, memory and "
                                "speed measurements only)",
                         license_text="MIT; random weights generated by the FlowCLAS Web model factory")
        t_convert = time.time() - t0
    finally:
        if keep_checkpoints:
            print(f"checkpoints kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    t0 = time.time()
    segmenter = export_segmenter(out, chunk_mb)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["description"] = ("Random weights, real sizes: DINOv2-L/14 + LoRA-Reins backbone, 16-step FlowCLAS flow "
                               "(C = 1024), SAM 2.1 tiny-sized segmenter")
    manifest = {k: manifest[k] for k in ("format", "name", "description", "domain", "license", "backbone", "flow")} | {
        "segmenter": segmenter, "smoothing": manifest["smoothing"], "display": manifest["display"]}
    refresh_files(manifest, out)
    write_json(out / "manifest.json", manifest)
    t_seg = time.time() - t0
    t0 = time.time()
    print("variants:")
    write_variants(out, chunk_mb=chunk_mb)
    t_var = time.time() - t0
    manifest = json.loads((out / "manifest.json").read_text())
    print(f"wrote {out} in {time.time() - t_all:.0f} s (convert {t_convert:.0f} s, segmenter {t_seg:.0f} s, "
          f"variants {t_var:.0f} s); peak RSS {peak_rss_mb():.0f} MB")
    sizes = {"fp32": 0, "fp16": 0, "int8": 0}
    for f, meta in manifest["files"].items():
        kind = "fp16" if ".fp16.onnx" in f else "int8" if ".int8.onnx" in f else "fp32"
        sizes[kind] += meta["bytes"]
    for kind, n in sizes.items():
        print(f"  {kind}: {n:>14,d} bytes ({n / 2 ** 20:,.0f} MiB) over all four models")
    print(f"  largest file: {max(m['bytes'] for m in manifest['files'].values()):,d} bytes; "
          f"{len(manifest['files'])} files")
    return manifest


def main(argv):
    ap = argparse.ArgumentParser(prog="factory realsize", description="random-weight bundle at the real sizes")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--max-side", type=int, default=448)
    ap.add_argument("--chunk-mb", type=float, default=external_data.DEFAULT_CHUNK_MB)
    ap.add_argument("--keep-checkpoints", action="store_true", help="keep the random checkpoints (for converter runs)")
    a = ap.parse_args(argv)
    build_realsize(a.out, a.max_side, a.chunk_mb, a.keep_checkpoints)
    return 0
