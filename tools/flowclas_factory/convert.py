"""Converters from the published checkpoints to bundle folders.

  convert dinov2   --checkpoint F.pth --out DIR [--final-norm] [--max-side N] [--registers auto|N]
  convert flowclas --checkpoint CKPT --dinov2 F.pth --reins R.pth --out DIR [--max-side N]
                   [--sam2-encoder E.onnx --sam2-decoder D.onnx]

Both print what they read (variant, channels, blocks, heads, registers, parameters) and what they
wrote (files, bytes). Models larger than 1 GB (or all, with --external-data) are written with
external data in chunks of at most --chunk-mb MB.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import onnx
import torch

from . import external_data
from .bundle_files import refresh_files
from .dinov2 import load_dinov2
from .export import DEC_IN, DEC_OUT, ENC_OUT, OPSET, segmenter_entry, write_json
from .flowclas_flow import load_flow
from .models import set_export_mode
from .reins import load_reins, reins_state_dict
from .state_dicts import CheckpointError, load_state_dict, parameter_count

MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
EXPORT_HW = (28, 42)  # traced at 2 x 3 patches; every axis that depends on the image is dynamic


def export_model(model, args, path, input_names, output_names, dynamic_axes, external=None,
                 chunk_mb=external_data.DEFAULT_CHUNK_MB) -> list[str]:
    """torch -> ONNX (opset 17) at `path`; returns the external data files written beside it.

    The export goes through a scratch folder: torch writes one file per tensor there when the
    model exceeds protobuf's 2 GB, and `external_data.save` re-chunks it."""
    path = Path(path)
    set_export_mode(model, True)
    with tempfile.TemporaryDirectory(dir=path.parent) as td, torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tmp = Path(td, "model.onnx")
        torch.onnx.export(model, args, str(tmp), input_names=input_names, output_names=output_names,
                          dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=True)
        proto = onnx.load(str(tmp))
    names = external_data.save(proto, path, external, chunk_mb)
    del proto
    onnx.checker.check_model(str(path))
    return names


def export_backbone(model, path, external=None, chunk_mb=external_data.DEFAULT_CHUNK_MB):
    out_axes = {2: "h", 3: "w"} if model.layout == "map" else {1: "tokens"}
    return export_model(model, (torch.zeros(1, 3, *EXPORT_HW),), path, ["pixel_values"], ["last_hidden_state"],
                        {"pixel_values": {2: "H", 3: "W"}, "last_hidden_state": out_axes}, external, chunk_mb)


def export_flow(flow, path, external=None, chunk_mb=external_data.DEFAULT_CHUNK_MB):
    return export_model(flow, (torch.zeros(1, flow.C, 2, 3),), path, ["features"], ["likelihood"],
                        {"features": {2: "h", 3: "w"}, "likelihood": {2: "h", 3: "w"}}, external, chunk_mb)


def backbone_entry(model, external: list, max_side=None) -> dict:
    e = {"file": "backbone.onnx", "input": "pixel_values", "output": "last_hidden_state", "layout": model.layout}
    if model.layout == "tokens":
        e["prefixTokens"] = model.prefix_tokens
    resize = {"mode": "pad"}
    if max_side:
        resize["maxSide"] = int(max_side)
    e.update({"patchSize": model.spec.patch, "channels": model.dim, "resize": resize, "mean": MEAN, "std": STD})
    if external:
        e["externalData"] = external
    return e


def flow_entry(flow, external: list) -> dict:
    e = {"file": "flow.onnx", "input": "features", "output": "likelihood", "channels": flow.C,
         "outputKind": "likelihood", "steps": flow.steps,
         "parameters": int(sum(p.numel() for p in flow.parameters()))}
    if external:
        e["externalData"] = external
    return e


def describe_written(out: Path, files: list[str]):
    total = 0
    for f in files:
        n = (out / f).stat().st_size
        total += n
        print(f"  {f:<32} {n:>14,d} bytes")
    print(f"  {'total':<32} {total:>14,d} bytes")


def describe_dinov2(model, sd, name="DINOv2"):
    s = model.spec
    print(f"read {name}: {s.variant}, C = {s.dim}, {s.depth} blocks, {s.heads} heads, {s.registers} registers, "
          f"FFN {s.ffn} ({s.hidden}), position grid {s.grid}x{s.grid}, {parameter_count(sd):,d} parameters")


def convert_dinov2(checkpoint, out, final_norm=False, max_side=None, registers="auto", external=None,
                   chunk_mb=external_data.DEFAULT_CHUNK_MB):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    sd = load_state_dict(checkpoint)
    model = load_dinov2(sd, layout="tokens", final_norm=final_norm)
    if registers != "auto" and int(registers) != model.spec.registers:
        raise CheckpointError(f"DINOv2 checkpoint: --registers {registers} given, but key 'register_tokens' "
                              f"holds {model.spec.registers}")
    describe_dinov2(model, sd)
    del sd
    names = export_backbone(model, out / "backbone.onnx", external, chunk_mb)
    print(f"wrote {out} in {time.time() - t0:.1f} s (tokens layout [1, {model.prefix_tokens} + h*w, {model.dim}], "
          f"final norm {'on' if final_norm else 'off'}):")
    describe_written(out, ["backbone.onnx", *names])
    entry = backbone_entry(model, names, max_side)
    print(f"next: `flowclas bundle init {out}` writes the manifest once a flow model is in the folder "
          f"(backbone: prefixTokens {entry['prefixTokens']}, channels {entry['channels']}"
          f"{', maxSide ' + str(max_side) if max_side else ''})")
    return model, names


def flowclas_backbone(dinov2_sd: dict, reins_sd: dict):
    """DINOv2 + LoRA-Reins as FlowCLAS uses it: the last block's patch tokens after its Reins update,
    no final norm, map layout."""
    reins = load_reins(reins_state_dict(reins_sd))
    model = load_dinov2(dinov2_sd, layout="map", final_norm=False, reins=reins)
    s = model.spec
    if reins.layers != s.depth or reins.dim != s.dim:
        raise CheckpointError(f"Reins checkpoint: key 'learnable_tokens_b' has shape "
                              f"{list(reins.learnable_tokens_b.shape)}, which does not fit the DINOv2 checkpoint "
                              f"({s.depth} blocks, C = {s.dim})")
    return model


def add_sam2_pair(encoder, decoder, out: Path) -> dict:
    """Copy a SAM 2 encoder/decoder pair (e.g. samexporter's `*.encoder.onnx`, `*.decoder.onnx`, with any
    external data beside them) into the bundle as sam2_encoder.onnx / sam2_decoder.onnx and return the
    manifest's segmenter entry. The tensor names must be the contract's; a decoder whose point_coords has
    a fixed first dimension of 1 takes one prompt per run (batchedPrompts false)."""
    entry = segmenter_entry(batched=True)
    for src, key, inputs, outputs in ((encoder, "encoder", ["image"], ENC_OUT), (decoder, "decoder", DEC_IN, DEC_OUT)):
        src = Path(src)
        graph = onnx.load(str(src), load_external_data=False).graph
        init = {t.name for t in graph.initializer}
        names_in = [i.name for i in graph.input if i.name not in init]
        names_out = [o.name for o in graph.output]
        missing = [n for n in inputs if n not in names_in] + [n for n in outputs if n not in names_out]
        if missing:
            raise CheckpointError(f"SAM 2 {key} {src.name}: no tensor named {', '.join(repr(n) for n in missing)} "
                                  f"(inputs {names_in}, outputs {names_out}); the contract follows samexporter's names")
        dst = out / entry[key]["file"]
        shutil.copyfile(src, dst)
        chunks = external_data.external_files(src)
        if chunks:  # keep the file names the graph refers to
            for f in chunks:
                shutil.copyfile(src.parent / f, out / f)
            entry[key]["externalData"] = chunks
        if key == "decoder":
            dim0 = next(i for i in graph.input if i.name == "point_coords").type.tensor_type.shape.dim[0]
            entry["decoder"]["batchedPrompts"] = not dim0.HasField("dim_value") or dim0.dim_value != 1
            if not entry["decoder"]["batchedPrompts"]:
                entry["amg"]["pointsPerBatch"] = 1
    return entry


def write_bundle_manifest(out: Path, backbone: dict, flow: dict, name: str, description: str, domain: str,
                          license_text: str, segmenter: dict | None = None) -> dict:
    m = {"format": "flowclas-bundle/1", "name": name, "description": description, "domain": domain,
         "license": license_text, "backbone": backbone, "flow": flow}
    if segmenter is not None:
        m["segmenter"] = segmenter
    m["smoothing"] = {"bins": 20}
    m["display"] = {"colormap": "inferno", "scoreRange": [0, 1]}
    refresh_files(m, out)
    write_json(out / "manifest.json", m)
    return m


def convert_flowclas(checkpoint, dinov2, reins, out, max_side=None, external=None,
                     chunk_mb=external_data.DEFAULT_CHUNK_MB, name="flowclas", sam2=None,
                     domain="road scenes (the domain the FlowCLAS checkpoint was trained on)",
                     license_text="See the licences of the DINOv2, Rein and FlowCLAS checkpoints this bundle was "
                                  "converted from."):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    flow_sd = load_state_dict(checkpoint)
    flow, ignored = load_flow(flow_sd)
    del flow_sd
    dsd, rsd = load_state_dict(dinov2), load_state_dict(reins)
    backbone = flowclas_backbone(dsd, rsd)
    if backbone.dim != flow.C:
        raise CheckpointError(f"FlowCLAS flow checkpoint: key 'norms.0.weight' has {flow.C} channels, the backbone "
                              f"gives {backbone.dim}")
    describe_dinov2(backbone, dsd)
    r = backbone.reins
    print(f"read Reins: {r.layers} layers, {r.learnable_tokens_a.shape[1]} tokens, rank {r.learnable_tokens_a.shape[2]}, "
          f"{parameter_count(rsd):,d} parameters")
    width = flow.flow_blocks[0].module_list[2].subnet.conv2.out_channels
    print(f"read flow: C = {flow.C}, {flow.steps} steps, subnet width {width}, "
          f"{sum(p.numel() for p in flow.parameters()):,d} parameters"
          + (f"; ignored {len(ignored)} training-only keys ({ignored[0]}, ...)" if ignored else ""))
    del dsd, rsd
    b_names = export_backbone(backbone, out / "backbone.onnx", external, chunk_mb)
    del backbone.blocks  # free the backbone's weights before the flow export
    f_names = export_flow(flow, out / "flow.onnx", external, chunk_mb)
    segmenter = add_sam2_pair(*sam2, out) if sam2 else None
    m = write_bundle_manifest(
        out, backbone_entry(backbone, b_names, max_side), flow_entry(flow, f_names), name,
        f"FlowCLAS: {backbone.spec.variant} + LoRA-Reins (block {backbone.spec.depth - 1}, no final norm) and a "
        f"{flow.steps}-step flow (C = {flow.C})" + (", SAM 2 segmenter" if sam2 else ""), domain, license_text,
        segmenter)
    print(f"wrote {out} in {time.time() - t0:.1f} s:")
    describe_written(out, [*m["files"], "manifest.json"])
    return m


def main(argv):
    ap = argparse.ArgumentParser(prog="factory convert", description="checkpoints -> ONNX bundle folder")
    sub = ap.add_subparsers(dest="what", required=True)
    d = sub.add_parser("dinov2", help="an official DINOv2 checkpoint -> backbone.onnx (tokens layout)")
    d.add_argument("--checkpoint", type=Path, required=True)
    d.add_argument("--final-norm", action="store_true", help="apply DINOv2's final LayerNorm (its x_norm output)")
    d.add_argument("--registers", default="auto", help="auto (read from register_tokens) or the expected count")
    f = sub.add_parser("flowclas", help="FlowCLAS flow + DINOv2 + Reins checkpoints -> backbone, flow, manifest")
    f.add_argument("--checkpoint", type=Path, required=True, help="the FlowCLAS (Lightning) checkpoint")
    f.add_argument("--dinov2", type=Path, required=True, help="dinov2_vitl14_pretrain.pth")
    f.add_argument("--reins", type=Path, required=True, help="the Rein checkpoint (keys backbone.reins.*)")
    f.add_argument("--name", default="flowclas")
    f.add_argument("--domain", default="road scenes (the domain the FlowCLAS checkpoint was trained on)")
    f.add_argument("--sam2-encoder", type=Path, default=None, help="a SAM 2 image encoder ONNX (samexporter)")
    f.add_argument("--sam2-decoder", type=Path, default=None, help="its decoder ONNX")
    for p in (d, f):
        p.add_argument("--out", type=Path, required=True)
        p.add_argument("--max-side", type=int, default=None, help="the manifest's resize.maxSide")
        p.add_argument("--external-data", action="store_true", help="external data even below 1 GB")
        p.add_argument("--chunk-mb", type=float, default=external_data.DEFAULT_CHUNK_MB,
                       help="largest external data file (MB)")
    a = ap.parse_args(argv)
    if a.what == "flowclas" and (a.sam2_encoder is None) != (a.sam2_decoder is None):
        ap.error("--sam2-encoder and --sam2-decoder go together")
    external = True if a.external_data else None
    try:
        if a.what == "dinov2":
            convert_dinov2(a.checkpoint, a.out, a.final_norm, a.max_side, a.registers, external, a.chunk_mb)
        else:
            sam2 = (a.sam2_encoder, a.sam2_decoder) if a.sam2_encoder else None
            convert_flowclas(a.checkpoint, a.dinov2, a.reins, a.out, a.max_side, external, a.chunk_mb, a.name,
                             sam2, a.domain)
    except CheckpointError as e:
        print(f"convert: {e}", file=sys.stderr)
        return 2
    return 0
