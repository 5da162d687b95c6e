"""Writes fixtures/external-data/: the tokens-cls fixture's backbone and flow as a bundle whose
files use ONNX external data (split into chunks) and carry fp16 and int8 weight variants.

    /usr/bin/python3 tools/external_data_fixture.py

- backbone.onnx: fp32, every weight in backbone.onnx.data.0 / backbone.onnx.data.1 (two chunks);
- backbone.fp16.onnx: fp16 weights, cast to float32 inside the graph, in backbone.fp16.onnx.data;
- flow.onnx: fp32, weights inline;
- flow.int8.onnx: weight-only int8 (per-tensor scale, DequantizeLinear inside the graph).
Inputs and outputs stay float32 in every variant. The fp32 models compute exactly what the
tokens-cls fixture computes, so its golden score map is this bundle's too.

It also writes, under fixtures/models/, vector-sum.onnx, a model that plays no role in a bundle
(two vectors in, their sum out), for the tests of what `bundle init` does with a file it cannot
place, and external-constants.onnx, whose external data holds a Constant node's value
(constant.data) and a tensor inside an If branch (branch.data): c = a * (flag ? 3 : 1) + [0, 1].
"""

import copy
import hashlib
import json
import os
import shutil

import numpy as np
import onnx
from onnx import helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "fixtures", "bundles", "tokens-cls")
OUT = os.path.join(ROOT, "fixtures", "external-data")


FLOATS = (onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16)


def is_weight(tensor):
    return tensor.data_type in FLOATS and len(tensor.dims) >= 1


def write_external(model, folder, model_name, chunk_count):
    """Moves every float initializer into `chunk_count` files beside the model, about equal in size."""
    tensors = [t for t in model.graph.initializer if is_weight(t)]
    total = sum(len(t.raw_data) or numpy_helper.to_array(t).nbytes for t in tensors)
    chunks = [bytearray() for _ in range(chunk_count)]
    written = 0
    for tensor in tensors:
        data = numpy_helper.to_array(tensor).tobytes()
        index = min(chunk_count - 1, written * chunk_count // max(total, 1))
        location = f"{model_name}.data" if chunk_count == 1 else f"{model_name}.data.{index}"
        chunk = chunks[index]
        offset = len(chunk)
        chunk.extend(data)
        written += len(data)
        tensor.ClearField("raw_data")
        del tensor.float_data[:]
        tensor.data_location = onnx.TensorProto.EXTERNAL
        del tensor.external_data[:]
        for key, value in (("location", location), ("offset", str(offset)), ("length", str(len(data)))):
            entry = tensor.external_data.add()
            entry.key = key
            entry.value = value
    for index, chunk in enumerate(chunks):
        name = f"{model_name}.data" if chunk_count == 1 else f"{model_name}.data.{index}"
        with open(os.path.join(folder, name), "wb") as f:
            f.write(chunk)
    onnx.save(model, os.path.join(folder, model_name))


def replace_weights(model, convert):
    """Replaces each float weight W by convert(name, W) -> (initializers, nodes) producing W."""
    graph = model.graph
    kept, nodes = [], []
    for tensor in graph.initializer:
        if tensor.data_type == onnx.TensorProto.FLOAT and len(tensor.dims) >= 2:
            extra, produce = convert(tensor.name, numpy_helper.to_array(tensor))
            kept.extend(extra)
            nodes.extend(produce)
        else:
            kept.append(tensor)
    del graph.initializer[:]
    graph.initializer.extend(kept)
    # The producing nodes run first; the rest of the graph reads the weights by their old names.
    rest = list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes + rest)
    return model


def to_fp16(name, weights):
    half = numpy_helper.from_array(weights.astype(np.float16), f"{name}__fp16")
    return [half], [helper.make_node("Cast", [half.name], [name], to=onnx.TensorProto.FLOAT)]


def to_int8(name, weights):
    scale = float(np.abs(weights).max()) / 127 or 1.0
    quantised = np.clip(np.round(weights / scale), -127, 127).astype(np.int8)
    q = numpy_helper.from_array(quantised, f"{name}__int8")
    s = numpy_helper.from_array(np.array(scale, dtype=np.float32), f"{name}__scale")
    return [q, s], [helper.make_node("DequantizeLinear", [q.name, s.name], [name])]


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    backbone = onnx.load(os.path.join(SOURCE, "backbone.onnx"))
    flow = onnx.load(os.path.join(SOURCE, "flow.onnx"))

    write_external(copy.deepcopy(backbone), OUT, "backbone.onnx", 2)
    write_external(replace_weights(copy.deepcopy(backbone), to_fp16), OUT, "backbone.fp16.onnx", 1)
    onnx.save(flow, os.path.join(OUT, "flow.onnx"))
    onnx.save(replace_weights(copy.deepcopy(flow), to_int8), os.path.join(OUT, "flow.int8.onnx"))
    for name in os.listdir(OUT):
        if name.endswith(".onnx"):
            onnx.checker.check_model(os.path.join(OUT, name))

    with open(os.path.join(SOURCE, "manifest.json")) as f:
        manifest = json.load(f)
    del manifest["segmenter"]
    manifest["name"] = "fixture-external-data"
    manifest["description"] = (
        "Tiny random-weight test bundle (tokens-cls models with external data, fp16 and int8 variants)"
    )
    manifest["backbone"]["externalData"] = ["backbone.onnx.data.0", "backbone.onnx.data.1"]
    manifest["backbone"]["variants"] = {
        "fp16": {"file": "backbone.fp16.onnx", "externalData": ["backbone.fp16.onnx.data"]}
    }
    manifest["flow"]["variants"] = {"int8": {"file": "flow.int8.onnx"}}
    manifest["files"] = {
        name: {"bytes": os.path.getsize(os.path.join(OUT, name)), "sha256": sha256(os.path.join(OUT, name))}
        for name in sorted(os.listdir(OUT))
    }
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print("wrote", OUT, sorted(os.listdir(OUT)))

    vector = [helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, [2]) for name in "abc"]
    graph = helper.make_graph([helper.make_node("Add", ["a", "b"], ["c"])], "sum", vector[:2], vector[2:])
    unrelated = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    unrelated.ir_version = 8
    onnx.checker.check_model(unrelated)
    os.makedirs(os.path.join(ROOT, "fixtures", "models"), exist_ok=True)
    onnx.save(unrelated, os.path.join(ROOT, "fixtures", "models", "vector-sum.onnx"))

    # External data may also hold a Constant node's value, and tensors inside an If's branches.
    models = os.path.join(ROOT, "fixtures", "models")
    offset = numpy_helper.from_array(np.arange(2, dtype=np.float32), "offset")
    scale = numpy_helper.from_array(np.full(2, 3, dtype=np.float32), "scale")
    for tensor, location in ((offset, "constant.data"), (scale, "branch.data")):
        data = numpy_helper.to_array(tensor).tobytes()
        with open(os.path.join(models, location), "wb") as f:
            f.write(data)
        tensor.ClearField("raw_data")
        tensor.data_location = onnx.TensorProto.EXTERNAL
        for key, value in (("location", location), ("offset", "0"), ("length", str(len(data)))):
            entry = tensor.external_data.add()
            entry.key = key
            entry.value = value
    branch_out = helper.make_tensor_value_info("branch", onnx.TensorProto.FLOAT, [2])
    then_graph = helper.make_graph(
        [helper.make_node("Constant", [], ["branch"], value=scale)], "then", [], [branch_out]
    )
    else_graph = helper.make_graph(
        [helper.make_node("Constant", [], ["branch"], value_float=1.0)], "else", [], [branch_out]
    )
    nodes = [
        helper.make_node("Constant", [], ["offset"], value=offset),
        helper.make_node("If", ["flag"], ["factor"], then_branch=then_graph, else_branch=else_graph),
        helper.make_node("Mul", ["a", "factor"], ["scaled"]),
        helper.make_node("Add", ["scaled", "offset"], ["c"]),
    ]
    flag = helper.make_tensor_value_info("flag", onnx.TensorProto.BOOL, [])
    graph = helper.make_graph(nodes, "constants", [vector[0], flag], [vector[2]])
    constants = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    constants.ir_version = 8
    onnx.save(constants, os.path.join(models, "external-constants.onnx"))


if __name__ == "__main__":
    main()
