"""Checks shared by the tests of the committed bundles, the fixture bundles and the smoke build."""
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from flowclas_factory import export as ex
from flowclas_factory import reference as ref


def check_summary(arr, summ, atol):
    """A tensor against its golden summary: shape, 256 sampled values and the mean."""
    assert list(arr.shape) == summ["shape"]
    flat = arr.reshape(-1)
    np.testing.assert_allclose(flat[np.array(summ["indices"])], np.array(summ["values"], np.float32), atol=atol, rtol=1e-4)
    assert float(flat.mean()) == pytest.approx(summ["mean"], abs=atol)


def check_segmenter_golden(bundle: Path, golden: Path, segmenter: dict, *, input_atol=None, encoder_atol, masks_atol,
                           iou_atol):
    """The SAM 2 encoder and the decoder's first prompt batch under onnxruntime against a golden folder.
    Returns the decoder's IoU predictions for extra checks."""
    summ = json.loads((golden / "segmenter_summary.json").read_text())
    img = np.asarray(Image.open(golden / "image.png").convert("RGB"))
    x = ref.segmenter_input(img, segmenter).numpy()
    if input_atol is not None:
        check_summary(x, summ["encoder"]["image"], input_atol)
    enc = ex.run_ort(bundle / segmenter["encoder"]["file"], {"image": x})
    for k in ex.ENC_OUT:
        check_summary(enc[k], summ["encoder"][k], encoder_atol)
    first = summ["decoderFirstBatch"]
    pts = np.array(first["point_coords"], np.float32)
    n = len(pts)
    dec = ex.run_ort(bundle / segmenter["decoder"]["file"], {
        "image_embed": enc["image_embed"], "high_res_feats_0": enc["high_res_feats_0"],
        "high_res_feats_1": enc["high_res_feats_1"], "point_coords": pts,
        "point_labels": np.ones((n, 1), np.float32), "mask_input": np.zeros((n, 1, 256, 256), np.float32),
        "has_mask_input": np.zeros(1, np.float32)})
    check_summary(dec["masks"], first["masks"], masks_atol)
    np.testing.assert_allclose(dec["iou_predictions"], np.load(golden / "iou_predictions.npy")[:n], atol=iou_atol)
    return dec["iou_predictions"], np.array(first["iou_predictions"], np.float32)


def check_samples(folder: Path, at_least: int) -> set:
    """Sample images with `<name>_gt.png` labels (0/1/255, same size); returns the set of image sizes."""
    gts = sorted(folder.glob("*_gt.png"))
    assert len(gts) >= at_least
    sizes = set()
    for gt in gts:
        img = Image.open(str(gt).replace("_gt.png", ".png"))
        g = np.asarray(Image.open(gt))
        assert img.mode == "RGB" and g.shape == (img.size[1], img.size[0])
        assert set(np.unique(g)) <= {0, 1, 255} and (g == 1).any()
        sizes.add(img.size)
    return sizes
