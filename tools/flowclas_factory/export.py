"""ONNX export (opset 17), manifest writing, and an optional onnxruntime-node cross-check."""
from __future__ import annotations

import copy
import hashlib
import json
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

import numpy as np
import onnx
import torch

from . import defaults
from .models import set_export_mode

OPSET = 17
REPO = Path(__file__).resolve().parents[2]


def _export(model, args, path, input_names, output_names, dynamic_axes):
    model = set_export_mode(copy.deepcopy(model).eval(), True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, args, str(path), input_names=input_names, output_names=output_names,
                          dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=True)
    m = onnx.load(str(path))
    onnx.checker.check_model(m)
    return m


def export_backbone(model, path, sample_hw=(42, 56), input_name="pixel_values", output_name="last_hidden_state"):
    x = torch.zeros(1, 3, *sample_hw)
    out_axes = {2: "h", 3: "w"} if model.layout == "map" else {1: "tokens"}
    return _export(model, (x,), path, [input_name], [output_name],
                   {input_name: {2: "H", 3: "W"}, output_name: out_axes})


def export_flow(model, path, sample_hw=(3, 4)):
    x = torch.zeros(1, model.C, *sample_hw)
    return _export(model, (x,), path, ["features"], ["likelihood"],
                   {"features": {2: "h", 3: "w"}, "likelihood": {2: "h", 3: "w"}})


ENC_OUT = ["high_res_feats_0", "high_res_feats_1", "image_embed"]
DEC_IN = ["image_embed", "high_res_feats_0", "high_res_feats_1", "point_coords", "point_labels",
          "mask_input", "has_mask_input"]
DEC_OUT = ["masks", "iou_predictions"]


def export_encoder(model, path):
    return _export(model, (torch.zeros(1, 3, 1024, 1024),), path, ["image"], ENC_OUT, None)


def decoder_dummy(n=2, p=1):
    return (torch.zeros(1, 256, 64, 64), torch.zeros(1, 32, 256, 256), torch.zeros(1, 64, 128, 128),
            torch.full((n, p, 2), 500.0), torch.ones(n, p), torch.zeros(n, 1, 256, 256), torch.zeros(1))


def export_decoder(model, path, batched=True):
    if batched:
        axes = {"point_coords": {0: "N", 1: "P"}, "point_labels": {0: "N", 1: "P"}, "mask_input": {0: "N"},
                "masks": {0: "N"}, "iou_predictions": {0: "N"}}
        args = decoder_dummy(2, 1)
    else:  # N fixed to 1, the number of points per prompt still dynamic
        axes = {"point_coords": {1: "P"}, "point_labels": {1: "P"}}
        args = decoder_dummy(1, 1)
    return _export(model, args, path, DEC_IN, DEC_OUT, axes)


# ---------------------------------------------------------------------------- manifest

def sha256_file(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def referenced_files(model_entries) -> list[str]:
    """Every file the model entries name: each precision's .onnx and its external-data files."""
    files = []
    for entry in model_entries:
        for weights in [entry, *entry.get("variants", {}).values()]:
            files += [weights["file"], *weights.get("externalData", [])]
    return list(dict.fromkeys(files))


def manifest(name, description, domain, license_text, backbone: dict, flow: dict, segmenter: dict | None,
             bundle_dir, bins=defaults.SMOOTHING_BINS, display=None) -> dict:
    m = {
        "format": "flowclas-bundle/1",
        "name": name,
        "description": description,
        "domain": domain,
        "license": license_text,
        "backbone": backbone,
        "flow": flow,
    }
    if segmenter is not None:
        m["segmenter"] = segmenter
    m["smoothing"] = {"bins": bins}
    m["display"] = display or dict(defaults.DISPLAY)
    entries = [backbone, flow] + ([segmenter["encoder"], segmenter["decoder"]] if segmenter else [])
    files = referenced_files(entries)
    m["files"] = {f: {"bytes": Path(bundle_dir, f).stat().st_size, "sha256": sha256_file(Path(bundle_dir, f))}
                  for f in files}
    return m


def backbone_entry(model, file="backbone.onnx", resize=None, mean=None, std=None):
    e = {"file": file, "input": "pixel_values", "output": "last_hidden_state", "layout": model.layout}
    if model.layout == "tokens":
        e["prefixTokens"] = model.prefix_tokens
    e.update({"patchSize": defaults.PATCH_SIZE, "channels": model.dim, "resize": resize or {"mode": "pad"},
              "mean": list(mean or defaults.IMAGENET_MEAN), "std": list(std or defaults.IMAGENET_STD)})
    return e


def flow_entry(model, file="flow.onnx"):
    return {"file": file, "input": "features", "output": "likelihood", "channels": model.C,
            "outputKind": "likelihood", "steps": model.steps,
            "parameters": int(sum(p.numel() for p in model.parameters()))}


def segmenter_entry(batched=True, points_per_side=defaults.AMG["pointsPerSide"],
                    points_per_batch=defaults.AMG["pointsPerBatch"], enc_file="sam2_encoder.onnx",
                    dec_file="sam2_decoder.onnx"):
    return {
        "kind": "sam2",
        "imageSize": defaults.SAM2_IMAGE_SIZE,
        "mean": list(defaults.IMAGENET_MEAN),
        "std": list(defaults.IMAGENET_STD),
        "encoder": {"file": enc_file, "input": "image",
                    "outputs": {"highResFeats0": "high_res_feats_0", "highResFeats1": "high_res_feats_1",
                                "imageEmbed": "image_embed"}},
        "decoder": {"file": dec_file, "batchedPrompts": bool(batched),
                    "inputs": {"imageEmbed": "image_embed", "highResFeats0": "high_res_feats_0",
                               "highResFeats1": "high_res_feats_1", "pointCoords": "point_coords",
                               "pointLabels": "point_labels", "maskInput": "mask_input",
                               "hasMaskInput": "has_mask_input"},
                    "outputs": {"masks": "masks", "iouPredictions": "iou_predictions"}},
        "amg": {**defaults.AMG, "pointsPerSide": points_per_side,
                "pointsPerBatch": points_per_batch if batched else 1},
    }


def write_json(path, obj):
    Path(path).write_text(json.dumps(obj, indent=2) + "\n")


# ---------------------------------------------------------------------------- onnxruntime-node check

def ort_available() -> bool:
    if shutil.which("node") is None:
        return False
    return (REPO / "node_modules" / "onnxruntime-node").is_dir()


def run_ort(model_path, inputs: dict):
    """Run an ONNX file with onnxruntime-node (when installed); returns {output: ndarray} or None."""
    if not ort_available():
        return None
    with tempfile.TemporaryDirectory() as td:
        spec = {"model": str(Path(model_path).resolve()), "inputs": {}, "outDir": str(Path(td, "out"))}
        for k, v in inputs.items():
            p = Path(td, f"{k}.npy")
            np.save(p, np.ascontiguousarray(v))
            spec["inputs"][k] = str(p)
        Path(td, "spec.json").write_text(json.dumps(spec))
        subprocess.run(["node", str(REPO / "tools" / "node" / "ort_run.mjs"), str(Path(td, "spec.json"))],
                       cwd=str(REPO), check=True, capture_output=True)
        out = {}
        for p in Path(td, "out").glob("*.npy"):
            out[p.stem] = np.load(p)
        return out
