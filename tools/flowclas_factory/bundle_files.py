"""The model entries of a bundle manifest and the files they name (graph, external data, variants),
with the `files` table (bytes + SHA-256) rebuilt from what is on disk."""
from __future__ import annotations

import json
from pathlib import Path

from .export import sha256_file

MODEL_PATHS = (("backbone",), ("flow",), ("segmenter", "encoder"), ("segmenter", "decoder"))


def model_entries(manifest: dict):
    """(dotted path, entry) for every model the manifest names."""
    for path in MODEL_PATHS:
        node = manifest
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict) and "file" in node:
            yield ".".join(path), node


def entry_files(entry: dict) -> list[str]:
    """Every file one model entry names: its graph, external data, and each variant's."""
    files = [entry["file"], *entry.get("externalData", [])]
    for variant in entry.get("variants", {}).values():
        files += [variant["file"], *variant.get("externalData", [])]
    return files


def refresh_files(manifest: dict, bundle_dir) -> dict:
    """Set manifest["files"] to every referenced file with its size and SHA-256 (in naming order)."""
    names = []
    for _, entry in model_entries(manifest):
        names += [f for f in entry_files(entry) if f not in names]
    manifest["files"] = {f: {"bytes": Path(bundle_dir, f).stat().st_size, "sha256": sha256_file(Path(bundle_dir, f))}
                         for f in names}
    return manifest


def read_manifest(bundle_dir):
    p = Path(bundle_dir, "manifest.json")
    return json.loads(p.read_text()) if p.is_file() else None
