"""The committed demo bundle, samples and demo goldens."""
import json
from pathlib import Path

import numpy as np
import onnx
import pytest
from PIL import Image

from flowclas_factory import export as ex
from flowclas_factory import reference as ref

from test_fixture_bundles import _check_summary

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "public" / "models" / "demo"
GOLDEN = REPO / "fixtures" / "demo-golden"


def test_demo_manifest_files_and_size():
    m = json.loads((DEMO / "manifest.json").read_text())
    assert m["format"] == "flowclas-bundle/1" and m["name"] == "demo"
    total = 0
    for f, info in m["files"].items():
        assert (DEMO / f).stat().st_size == info["bytes"] and ex.sha256_file(DEMO / f) == info["sha256"]
        onnx.checker.check_model(onnx.load(str(DEMO / f)))
        total += info["bytes"]
    assert total < 40e6


def test_samples():
    gts = sorted((REPO / "public" / "samples").glob("*_gt.png"))
    assert len(gts) >= 8
    sizes = set()
    for gt in gts:
        img = Image.open(str(gt).replace("_gt.png", ".png"))
        g = np.asarray(Image.open(gt))
        assert img.mode == "RGB" and g.shape == (img.size[1], img.size[0])
        assert set(np.unique(g)) <= {0, 1, 255} and (g == 1).any()
        sizes.add(img.size[0] / img.size[1])
    assert len(sizes) >= 2


@pytest.mark.skipif(not ex.ort_available(), reason="onnxruntime-node is not installed")
@pytest.mark.parametrize("sample", sorted(p.name for p in GOLDEN.iterdir()) if GOLDEN.exists() else [])
def test_demo_goldens_match_onnxruntime(sample):
    m = json.loads((DEMO / "manifest.json").read_text())
    g = GOLDEN / sample
    o = ex.run_ort(DEMO / "backbone.onnx", {"pixel_values": np.load(g / "backbone_input.npy")})
    np.testing.assert_allclose(o["last_hidden_state"], np.load(g / "backbone_output.npy"), atol=1e-3, rtol=1e-3)
    q = ex.run_ort(DEMO / "flow.onnx", {"features": np.load(g / "features.npy")})["likelihood"]
    np.testing.assert_allclose(q, np.load(g / "likelihood.npy"), atol=1e-4, rtol=1e-3)
    summ = json.loads((g / "segmenter_summary.json").read_text())
    img = np.asarray(Image.open(g / "image.png").convert("RGB"))
    x = ref.segmenter_input(img, m["segmenter"]).numpy()
    enc = ex.run_ort(DEMO / "sam2_encoder.onnx", {"image": x})
    for k in ex.ENC_OUT:
        _check_summary(enc[k], summ["encoder"][k], 1e-3)
    first = summ["decoderFirstBatch"]
    pts = np.array(first["point_coords"], np.float32)
    n = len(pts)
    dec = ex.run_ort(DEMO / "sam2_decoder.onnx", {
        "image_embed": enc["image_embed"], "high_res_feats_0": enc["high_res_feats_0"],
        "high_res_feats_1": enc["high_res_feats_1"], "point_coords": pts,
        "point_labels": np.ones((n, 1), np.float32), "mask_input": np.zeros((n, 1, 256, 256), np.float32),
        "has_mask_input": np.zeros(1, np.float32)})
    _check_summary(dec["masks"], first["masks"], 5e-2)
    np.testing.assert_allclose(dec["iou_predictions"], np.load(g / "iou_predictions.npy")[:n], atol=1e-4)
