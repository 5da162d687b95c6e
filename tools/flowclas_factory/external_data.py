"""Saving ONNX models with their weights in external data files split into chunks.

One protobuf cannot exceed 2 GB and static hosts often cap a file at 100 MB, so large models are
written as `<model>.onnx` (the graph) + `<model>.onnx.data.0`, `.1`, ... (the weights). Every
tensor lies whole in one chunk; the tensor's `location` is the chunk's file name (same folder).
"""
from __future__ import annotations

from pathlib import Path

import onnx
from onnx import numpy_helper

DEFAULT_CHUNK_MB = 100
EXTERNAL_ABOVE_BYTES = 1 << 30  # models larger than 1 GB always get external data
MIN_EXTERNAL_TENSOR_BYTES = 1024  # smaller tensors stay inside the graph
ALIGN = 4096  # large tensors start on a page boundary, so onnxruntime can map them


def tensor_bytes(t: onnx.TensorProto) -> bytes:
    return t.raw_data if t.HasField("raw_data") else numpy_helper.to_array(t).tobytes()


def constants_to_initializers(model: onnx.ModelProto, min_bytes=MIN_EXTERNAL_TENSOR_BYTES):
    """Large `Constant` nodes of the main graph become initializers (only those can be external)."""
    g = model.graph
    keep = []
    for node in g.node:
        if node.op_type == "Constant" and len(node.attribute) == 1 and node.attribute[0].name == "value":
            t = node.attribute[0].t
            if len(tensor_bytes(t)) >= min_bytes:
                init = onnx.TensorProto()
                init.CopyFrom(t)
                init.name = node.output[0]
                g.initializer.append(init)
                continue
        keep.append(node)
    if len(keep) != len(g.node):
        del g.node[:]
        g.node.extend(keep)


def model_weight_bytes(model: onnx.ModelProto) -> int:
    return sum(len(tensor_bytes(t)) for t in model.graph.initializer)


def remove_stale_chunks(path: Path):
    for old in path.parent.glob(path.name + ".data*"):
        old.unlink()


def save(model: onnx.ModelProto, path, external: bool | None = None, chunk_mb: float = DEFAULT_CHUNK_MB) -> list[str]:
    """Write `model` to `path`; returns the external data file names (empty when inline).

    external None: external data when the weights exceed 1 GB. The model's tensors must hold
    their data (load with onnx.load(..., load_external_data=True))."""
    path = Path(path)
    remove_stale_chunks(path)
    if external is None:
        external = model_weight_bytes(model) > EXTERNAL_ABOVE_BYTES
    if not external:
        path.write_bytes(model.SerializeToString())
        return []
    constants_to_initializers(model)
    limit = int(chunk_mb * (1 << 20))
    names, handle, filled = [], None, 0
    try:
        for t in model.graph.initializer:
            data = tensor_bytes(t)
            if len(data) < MIN_EXTERNAL_TENSOR_BYTES:
                continue
            pad = (-filled) % ALIGN if len(data) >= ALIGN else 0
            if handle is None or (filled > 0 and filled + pad + len(data) > limit):
                if handle is not None:
                    handle.close()
                names.append(f"{path.name}.data.{len(names)}")
                handle = open(path.parent / names[-1], "wb")
                filled, pad = 0, 0
            if pad:
                handle.write(b"\0" * pad)
                filled += pad
            handle.write(data)
            t.ClearField("raw_data")
            for field in ("float_data", "int32_data", "int64_data", "double_data", "uint64_data", "string_data"):
                t.ClearField(field)
            del t.external_data[:]
            t.data_location = onnx.TensorProto.EXTERNAL
            for k, v in (("location", names[-1]), ("offset", str(filled)), ("length", str(len(data)))):
                entry = t.external_data.add()
                entry.key, entry.value = k, v
            filled += len(data)
    finally:
        if handle is not None:
            handle.close()
    path.write_bytes(model.SerializeToString())
    return names


def external_files(path) -> list[str]:
    """The external data files a saved model refers to, in chunk order."""
    m = onnx.load(str(path), load_external_data=False)
    seen = []
    for t in m.graph.initializer:
        if t.data_location == onnx.TensorProto.EXTERNAL:
            loc = next(e.value for e in t.external_data if e.key == "location")
            if loc not in seen:
                seen.append(loc)
    return seen


def total_bytes(path) -> int:
    path = Path(path)
    return path.stat().st_size + sum((path.parent / f).stat().st_size for f in external_files(path))
