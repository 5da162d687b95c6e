"""The bundle format's defaults as the factory writes them into manifests.

The same values are declared in src/core/defaults.ts (the app's and the CLI's source); a
TypeScript test (src/core/defaults.test.ts) prints this module as JSON and compares.
"""
from __future__ import annotations

import json

AMG = {
    "pointsPerSide": 32,
    "pointsPerBatch": 64,
    "predIouThresh": 0.8,
    "stabilityScoreThresh": 0.95,
    "stabilityScoreOffset": 1.0,
    "maskThreshold": 0.0,
    "boxNmsThresh": 0.7,
    "multimask": True,
}
SMOOTHING_BINS = 20
DISPLAY = {"colormap": "inferno", "scoreRange": [0, 1]}
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]
PATCH_SIZE = 14
SAM2_IMAGE_SIZE = 1024
BACKBONE_LAYOUTS = ["tokens", "map"]
FLOW_OUTPUT_KINDS = ["likelihood", "log-likelihood"]
WEIGHT_PRECISIONS = ["fp32", "fp16", "int8"]
EXTERNAL_DATA_CHUNK_BYTES = 100 * 1024 * 1024


def as_json() -> str:
    return json.dumps({
        "amg": AMG, "smoothingBins": SMOOTHING_BINS, "display": DISPLAY,
        "mean": IMAGENET_MEAN, "std": IMAGENET_STD, "patchSize": PATCH_SIZE,
        "sam2ImageSize": SAM2_IMAGE_SIZE, "backboneLayouts": BACKBONE_LAYOUTS,
        "flowOutputKinds": FLOW_OUTPUT_KINDS, "weightPrecisions": WEIGHT_PRECISIONS,
        "externalDataChunkBytes": EXTERNAL_DATA_CHUNK_BYTES,
    })


if __name__ == "__main__":
    print(as_json())
