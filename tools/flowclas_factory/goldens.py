"""Golden outputs for the TypeScript parity tests, and the tiny random-weight fixture bundles.

A golden folder holds:
  image.png                       the input (RGB8)
  backbone_input.npy              float32 [1, 3, H', W'] normalised, resized/padded backbone input
  backbone_output.npy             float32 raw backbone output (tokens [1, T+h*w, C] or map [1, C, h, w])
  features.npy                    float32 [1, C, h, w]
  likelihood.npy                  float32 [1, 1, h, w] flow output
  score.npy                       float32 [H, W] anomaly score
  iou_predictions.npy             float32 [numPrompts, 3] decoder IoU predictions for every grid prompt, grid order
  masks.json                      automatic masks in processing (NMS keep) order:
                                  {"segmentation": {"size": [H, W], "counts": [...]}, "predicted_iou",
                                   "stability_score", "bbox": [x0, y0, x1, y1] (inclusive)}
  refined.npy                     float32 [H, W] score after mask smoothing (manifest bins)
  segmenter_summary.json          summaries of the large tensors (see `summary`): encoder input `image`, encoder
                                  outputs, and the decoder outputs of the first prompt batch
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from . import export as ex
from . import models, reference as ref

SUMMARY_POINTS = 256


def summary_indices(numel: int, k: int = SUMMARY_POINTS) -> np.ndarray:
    """Fixed flat (row-major) indices: floor(i * (numel - 1) / (k - 1)), i = 0..k-1."""
    return (np.arange(k, dtype=np.int64) * (numel - 1)) // (k - 1)


def summary(t) -> dict:
    a = np.asarray(t.detach().numpy() if isinstance(t, torch.Tensor) else t, np.float32)
    flat = a.reshape(-1)
    idx = summary_indices(flat.size)
    return {"shape": list(a.shape), "mean": float(flat.astype(np.float64).mean()),
            "std": float(flat.astype(np.float64).std()), "indices": idx.tolist(),
            "values": [float(v) for v in flat[idx]]}


def write_golden(out_dir, img: np.ndarray, manifest: dict, backbone, flow, encoder, decoder):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    Image.fromarray(img).save(out / "image.png")
    r = ref.run_anomaly(img, backbone, flow, manifest)
    for k in ("backbone_input", "backbone_output", "features", "likelihood"):
        np.save(out / f"{k}.npy", r[k].detach().numpy().astype(np.float32))
    np.save(out / "score.npy", r["score"].numpy().astype(np.float32))
    result = {"score": r["score"].numpy()}
    if "segmenter" in manifest:
        seg = manifest["segmenter"]
        a = ref.run_amg(img, encoder, decoder, seg, return_all_iou=True)
        np.save(out / "iou_predictions.npy", a["iou_predictions"].astype(np.float32))
        masks_json = [{"segmentation": ref.rle_encode(m["mask"]), "predicted_iou": m["predicted_iou"],
                       "stability_score": m["stability_score"], "bbox": m["bbox"]} for m in a["masks"]]
        (out / "masks.json").write_text(json.dumps(masks_json))
        refined = ref.smooth_reference(r["score"].numpy(), [m["mask"] for m in a["masks"]], manifest["smoothing"]["bins"])
        np.save(out / "refined.npy", refined.astype(np.float32))
        # summaries of the large, contract-fixed tensors
        enc = a["encoder"]
        h, w = img.shape[:2]
        bs = seg["amg"]["pointsPerBatch"] if seg["decoder"]["batchedPrompts"] else 1
        pts = ref.amg_grid(seg["amg"]["pointsPerSide"], h, w)[:bs]
        with torch.no_grad():
            mk, iou = decoder(enc["image_embed"], enc["high_res_feats_0"], enc["high_res_feats_1"],
                              torch.from_numpy(pts)[:, None], torch.ones(len(pts), 1),
                              torch.zeros(len(pts), 1, 256, 256), torch.zeros(1))
        summ = {"indexRule": "floor(i * (numel - 1) / 255), i = 0..255, row-major flat index",
                "encoder": {k: summary(v) for k, v in enc.items()},
                "decoderFirstBatch": {"point_coords": pts[:, None].tolist(), "masks": summary(mk),
                                      "iou_predictions": iou.numpy().tolist()}}
        (out / "segmenter_summary.json").write_text(json.dumps(summ))
        result.update({"masks": a["masks"], "refined": refined})
    return result


# ---------------------------------------------------------------------------- fixture bundles

FIXTURE_SIZE = (73, 45)  # (W, H): odd sizes so padding and resizing are exercised

VARIANTS = {
    # name: (backbone kwargs, resize policy, batched decoder, points per batch)
    "tokens-cls": (dict(registers=0, layout="tokens"), {"mode": "pad", "maxSide": 56}, True, 4),
    "tokens-reg4": (dict(registers=4, layout="tokens"), {"mode": "pad"}, True, 4),
    "map": (dict(registers=0, layout="map"), {"mode": "stretch", "size": [42, 56]}, True, 4),
    "decoder-batched": (dict(registers=0, layout="tokens"), {"mode": "pad"}, True, 5),
    "decoder-single": (dict(registers=0, layout="tokens"), {"mode": "pad"}, False, 1),
}


def random_models(seed: int, registers: int, layout: str, channels=32):
    """Random-weight models whose outputs are not degenerate (the flow is not the identity, the
    decoder gives a mix of confident and unconfident, sharp and soft masks)."""
    torch.manual_seed(seed)
    bb = models.ViTBackbone(dim=channels, depth=2, heads=2, registers=registers, layout=layout).eval()
    fl = models.FlowCLAS(channels, 2, seed=seed)
    with torch.no_grad():
        for sn in fl.subnets:
            sn.out.weight.normal_(0, 0.05)
        fl.act_loc.normal_(0, 0.1)
        fl.act_logscale.normal_(0, 0.1)
        fl.mu.normal_(0, 0.2)
        fl.log_sigma.normal_(0, 0.1)
        fl.ln_weight.uniform_(0.8, 1.2)
        fl.ln_bias.normal_(0, 0.1)
    fl.initialised.fill_(1)
    fl.eval()
    enc = models.SamEncoder().eval()
    dec = models.SamDecoder(seed=seed).eval()
    with torch.no_grad():
        for hp in dec.hyper:
            hp[-1].weight.mul_(4.0)
            hp[-1].bias[32] = 3.0  # mask offset: positive near the point
            hp[-1].bias[33] = 2.0  # locality
            hp[-1].bias[34] = -1.0  # weak colour term
        dec.iou_head[-1].bias.copy_(torch.tensor([2.5, 1.2, 0.5]))
    return bb, fl, enc, dec


def fixture_image(seed: int) -> np.ndarray:
    from .world import render_scene
    w, h = FIXTURE_SIZE
    big = render_scene(seed, (w * 4, h * 4), anomalies="test", n_objects=2)["image"]
    return np.asarray(Image.fromarray(big).resize((w, h), Image.BOX))


def build_fixture_bundle(variant: str, out_root, seed: int = 7) -> dict:
    bkw, resize, batched, ppb = VARIANTS[variant]
    out = Path(out_root) / variant
    out.mkdir(parents=True, exist_ok=True)
    bb, fl, enc, dec = random_models(seed, **bkw)
    ex.export_backbone(bb, out / "backbone.onnx")
    ex.export_flow(fl, out / "flow.onnx")
    ex.export_encoder(enc, out / "sam2_encoder.onnx")
    ex.export_decoder(dec, out / "sam2_decoder.onnx", batched=batched)
    seg = ex.segmenter_entry(batched=batched, points_per_side=4, points_per_batch=ppb)
    # random decoders give soft masks: a lower stability threshold lets about half of them through
    seg["amg"]["stabilityScoreThresh"] = 0.6
    man = ex.manifest(
        name=f"fixture-{variant}",
        description=f"Tiny random-weight test bundle ({variant}); outputs are meaningless",
        domain="none (random weights, for tests only)",
        license_text="MIT",
        backbone=ex.backbone_entry(bb, resize=resize), flow=ex.flow_entry(fl), segmenter=seg,
        bundle_dir=out, bins=20)
    ex.write_json(out / "manifest.json", man)
    write_golden(out / "golden", fixture_image(seed), man, bb, fl, enc, dec)
    return man


def build_all_fixtures(out_root, seed: int = 7):
    return {v: build_fixture_bundle(v, out_root, seed + i) for i, v in enumerate(VARIANTS)}
