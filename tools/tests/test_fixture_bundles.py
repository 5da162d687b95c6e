"""Committed fixture bundles: manifest shape, file hashes, contracts, and goldens vs onnxruntime-node."""
import json
from pathlib import Path

import numpy as np
import onnx
import pytest

from flowclas_factory import export as ex
from flowclas_factory import goldens
from flowclas_factory import reference as ref

from bundle_checks import check_segmenter_golden

REPO = Path(__file__).resolve().parents[2]
BUNDLES = REPO / "fixtures" / "bundles"
VARIANTS = sorted(goldens.VARIANTS)


@pytest.mark.parametrize("variant", VARIANTS)
def test_manifest_and_files(variant):
    d = BUNDLES / variant
    m = json.loads((d / "manifest.json").read_text())
    assert m["format"] == "flowclas-bundle/1"
    named = {m["backbone"]["file"], m["flow"]["file"], m["segmenter"]["encoder"]["file"],
             m["segmenter"]["decoder"]["file"]}
    assert named == set(m["files"])
    for f, info in m["files"].items():
        assert (d / f).stat().st_size == info["bytes"]
        assert ex.sha256_file(d / f) == info["sha256"]
        onnx.checker.check_model(onnx.load(str(d / f)))
    g = d / "golden"
    for f in ["image.png", "backbone_input.npy", "backbone_output.npy", "features.npy", "likelihood.npy",
              "score.npy", "iou_predictions.npy", "masks.json", "refined.npy", "segmenter_summary.json"]:
        assert (g / f).exists(), f
    n = m["segmenter"]["amg"]["pointsPerSide"] ** 2
    assert np.load(g / "iou_predictions.npy").shape == (n, 3)
    masks = json.loads((g / "masks.json").read_text())
    assert len(masks) > 0
    score = np.load(g / "score.npy")
    for mk in masks:
        assert mk["segmentation"]["size"] == list(score.shape)
        assert sum(mk["segmentation"]["counts"]) == score.size


def _io_names(path):
    mdl = onnx.load(str(path))
    inits = {i.name for i in mdl.graph.initializer}
    return [i.name for i in mdl.graph.input if i.name not in inits], [o.name for o in mdl.graph.output]


@pytest.mark.parametrize("variant", VARIANTS)
def test_contract_names(variant):
    d = BUNDLES / variant
    m = json.loads((d / "manifest.json").read_text())
    assert _io_names(d / "backbone.onnx") == (["pixel_values"], ["last_hidden_state"])
    assert _io_names(d / "flow.onnx") == (["features"], ["likelihood"])
    assert _io_names(d / "sam2_encoder.onnx") == (["image"], ex.ENC_OUT)
    assert _io_names(d / "sam2_decoder.onnx") == (ex.DEC_IN, ex.DEC_OUT)
    dec = onnx.load(str(d / "sam2_decoder.onnx"))
    n_dim = dec.graph.input[3].type.tensor_type.shape.dim[0]
    if m["segmenter"]["decoder"]["batchedPrompts"]:
        assert n_dim.dim_param
    else:
        assert n_dim.dim_value == 1


@pytest.mark.skipif(not ex.ort_available(), reason="onnxruntime-node is not installed")
@pytest.mark.parametrize("variant", VARIANTS)
def test_goldens_match_onnxruntime(variant):
    d = BUNDLES / variant
    g = d / "golden"
    m = json.loads((d / "manifest.json").read_text())
    x = np.load(g / "backbone_input.npy")
    out = ex.run_ort(d / "backbone.onnx", {"pixel_values": x})["last_hidden_state"]
    np.testing.assert_allclose(out, np.load(g / "backbone_output.npy"), atol=1e-4, rtol=1e-4)
    q = ex.run_ort(d / "flow.onnx", {"features": np.load(g / "features.npy")})["likelihood"]
    np.testing.assert_allclose(q, np.load(g / "likelihood.npy"), atol=1e-5, rtol=1e-4)
    # the reference's score map from the onnxruntime likelihood
    import torch
    from PIL import Image
    img = np.asarray(Image.open(g / "image.png").convert("RGB"))
    _, geo = ref.backbone_input(img, m["backbone"])
    s = ref.score_map(torch.from_numpy(q), geo, 14, "likelihood").numpy()
    np.testing.assert_allclose(s, np.load(g / "score.npy"), atol=1e-5)


@pytest.mark.skipif(not ex.ort_available(), reason="onnxruntime-node is not installed")
@pytest.mark.parametrize("variant", ["decoder-batched", "decoder-single"])
def test_segmenter_goldens_match_onnxruntime(variant):
    d = BUNDLES / variant
    g = d / "golden"
    m = json.loads((d / "manifest.json").read_text())
    iou, golden_first_batch = check_segmenter_golden(d, g, m["segmenter"], input_atol=1e-5, encoder_atol=1e-4,
                                                     masks_atol=2e-3, iou_atol=1e-5)
    np.testing.assert_allclose(iou, golden_first_batch, atol=1e-5)
