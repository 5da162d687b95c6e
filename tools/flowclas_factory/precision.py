"""Weight variants of any ONNX model: fp16 and int8, written beside the fp32 file.

  variants DIR [--fp16] [--int8] [--int8-matmul dynamic|weight-only] [--external-data] [--chunk-mb N]

fp16 (`<model>.fp16.onnx`): every float tensor of the graph in float16 - initializers, Constant and
ConstantOfShape values, Cast-to-float - with the graph's float inputs and outputs kept float32 (a Cast
at each edge). Nodes that only compute Resize scales from shapes stay float32 (Resize takes float32
scales, and DINOv2's (h + 0.1)/M needs float32's precision).

int8 (`<model>.int8.onnx`): MatMul and Gemm with constant weights become DynamicQuantizeLinear +
MatMulInteger (int8 weights with per-output-channel scales, uint8 activations with a per-tensor scale
computed at run time: integer compute on onnxruntime's CPU/WASM), or with `--int8-matmul weight-only`
DequantizeLinear + MatMul (int8 storage, float compute). Conv weights are stored int8 per output
channel and dequantised in the graph. Small weights (< 16384 values) stay float32.

The fp32 file stays the base `file` of a manifest entry; when DIR has a manifest.json, every model
entry (backbone, flow, segmenter.encoder, segmenter.decoder) whose file got variants gains
`"variants": {"fp16": {"file", "externalData"?}, "int8": {...}}` and `files` is rebuilt.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from . import external_data
from .bundle_files import model_entries, read_manifest, refresh_files
from .export import write_json

FLOAT, FLOAT16 = TensorProto.FLOAT, TensorProto.FLOAT16
# inputs that must stay float32 (and whose producers compute from shapes only)
FLOAT32_ONLY_INPUTS = {"Resize": (1, 2), "Upsample": (1,)}
SHAPE_SOURCES = {"Shape", "Size"}
MIN_QUANTISED_VALUES = 16384
KINDS = ("fp16", "int8")


def variant_path(path, kind) -> Path:
    path = Path(path)
    return path.with_name(path.name[: -len(".onnx")] + f".{kind}.onnx")


def is_variant_file(path) -> bool:
    return any(Path(path).name.endswith(f".{k}.onnx") for k in KINDS)


def _key(node) -> tuple:
    """A node's identity: its outputs (protobuf hands out a new wrapper object on every access)."""
    return tuple(node.output)


def _consumers(g):
    uses = {}
    for node in g.node:
        for name in node.input:
            uses.setdefault(name, []).append(node)
    return uses


def _float32_cone(g) -> set:
    """keys of the nodes whose outputs reach a float32-only input (Resize scales), stopping at Shape."""
    producer = {out: node for node in g.node for out in node.output}
    keep, stack = set(), []
    for node in g.node:
        for i in FLOAT32_ONLY_INPUTS.get(node.op_type, ()):
            if i < len(node.input) and node.input[i]:
                stack.append(node.input[i])
    while stack:
        node = producer.get(stack.pop())
        if node is None or _key(node) in keep or node.op_type in SHAPE_SOURCES:
            continue
        keep.add(_key(node))
        stack.extend(node.input)
    return keep


def _to_fp16_tensor(t: TensorProto) -> TensorProto:
    arr = numpy_helper.to_array(t).astype(np.float16)
    return numpy_helper.from_array(arr, t.name)


def to_fp16(model: onnx.ModelProto) -> onnx.ModelProto:
    g = model.graph
    keep = _float32_cone(g)
    uses = _consumers(g)
    # initializers
    new_inits = []
    for t in g.initializer:
        if t.data_type != FLOAT:
            new_inits.append(t)
            continue
        users = uses.get(t.name, [])
        kept_users = [n for n in users if _key(n) in keep]
        if len(kept_users) == len(users) and users:
            new_inits.append(t)
            continue
        if kept_users:  # used on both sides: a float32 copy for the shape computations
            copy32 = TensorProto()
            copy32.CopyFrom(t)
            copy32.name = t.name + "__fp32"
            new_inits.append(copy32)
            for n in kept_users:
                for i, name in enumerate(n.input):
                    if name == t.name:
                        n.input[i] = copy32.name
        new_inits.append(_to_fp16_tensor(t))
    del g.initializer[:]
    g.initializer.extend(new_inits)
    # nodes
    for node in g.node:
        if _key(node) in keep:
            continue
        for a in node.attribute:
            if node.op_type in ("Constant", "ConstantOfShape") and a.name == "value" and a.t.data_type == FLOAT:
                a.t.CopyFrom(_to_fp16_tensor(a.t))
            elif node.op_type == "Cast" and a.name == "to" and a.i == FLOAT:
                a.i = FLOAT16
    # graph inputs: float32 outside, float16 inside
    edge_nodes = []
    for inp in g.input:
        if inp.type.tensor_type.elem_type != FLOAT:
            continue
        inner = inp.name + "__fp16"
        for n in uses.get(inp.name, []):
            if _key(n) in keep:
                continue
            for i, name in enumerate(n.input):
                if name == inp.name:
                    n.input[i] = inner
        edge_nodes.append(helper.make_node("Cast", [inp.name], [inner], to=FLOAT16, name=inner + "_cast"))
    # graph outputs: computed in float16, cast back to float32 under their own names
    tail_nodes = []
    for out in g.output:
        if out.type.tensor_type.elem_type != FLOAT:
            continue
        inner = out.name + "__fp16"
        for n in g.node:
            for i, name in enumerate(n.output):
                if name == out.name:
                    n.output[i] = inner
            for i, name in enumerate(n.input):
                if name == out.name:
                    n.input[i] = inner
        tail_nodes.append(helper.make_node("Cast", [inner], [out.name], to=FLOAT, name=out.name + "_cast"))
    nodes = edge_nodes + list(g.node) + tail_nodes
    del g.node[:]
    g.node.extend(nodes)
    del g.value_info[:]
    return model


def _constant_values(g) -> set:
    """Names of the values computed from initializers and Constant nodes alone (nodes are in topological order)."""
    constant = {t.name for t in g.initializer}
    for node in g.node:
        if all(not name or name in constant for name in node.input):
            constant.update(node.output)
    return constant


def _quantise_columns(w: np.ndarray, axis: int):
    """Symmetric int8 with one scale per slice along `axis`: (q int8, scale float32)."""
    red = tuple(i for i in range(w.ndim) if i != axis)
    scale = np.abs(w).max(axis=red) / 127.0
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
    shape = [1] * w.ndim
    shape[axis] = -1
    q = np.clip(np.rint(w / scale.reshape(shape)), -127, 127).astype(np.int8)
    return q, scale


def to_int8(model: onnx.ModelProto, matmul="dynamic", min_values=MIN_QUANTISED_VALUES) -> tuple[onnx.ModelProto, dict]:
    """Returns (model, counts of quantised nodes by op)."""
    g = model.graph
    inits = {t.name: t for t in g.initializer}
    out_nodes, new_inits = [], []
    dq_cache = {}  # activation name -> (q, scale, zero point) of its DynamicQuantizeLinear
    constant = _constant_values(g)
    counts = {}

    # torch shares a reused weight through Identity nodes: follow them to the initializer
    alias = {n.output[0]: n.input[0] for n in g.node if n.op_type == "Identity" and n.input[0] in inits}
    quantised = {}  # (weight name, axis) -> names of its int8 copy and scales, made once

    def weight(name):
        t = inits.get(alias.get(name, name))
        if t is None or t.data_type != FLOAT:
            return None
        return numpy_helper.to_array(t)

    def int8_weight(source, w, axis, tag):
        key = (source, axis)
        if key not in quantised:
            wq, ws = _quantise_columns(w, axis)
            new_inits.extend([numpy_helper.from_array(wq, tag + "_wq"), numpy_helper.from_array(ws, tag + "_ws")])
            quantised[key] = (tag + "_wq", tag + "_ws")
        return quantised[key]

    def matmul_int8(node, a, w_kn, out, tag, source):
        wq, ws = int8_weight(source, w_kn, 1, tag)
        if matmul == "weight-only":
            out_nodes.append(helper.make_node("DequantizeLinear", [wq, ws], [tag + "_w"], axis=1))
            out_nodes.append(helper.make_node("MatMul", [a, tag + "_w"], [out], name=tag))
            return
        if a not in dq_cache:
            base = a.replace(":", "_") + "__dq"
            dq_cache[a] = (base + "_q", base + "_s", base + "_zp")
            out_nodes.append(helper.make_node("DynamicQuantizeLinear", [a], list(dq_cache[a]), name=base))
        aq, a_s, azp = dq_cache[a]
        out_nodes.append(helper.make_node("MatMulInteger", [aq, wq, azp], [tag + "_i32"], name=tag))
        out_nodes.append(helper.make_node("Cast", [tag + "_i32"], [tag + "_f"], to=FLOAT))
        out_nodes.append(helper.make_node("Mul", [a_s, ws], [tag + "_scale"]))
        out_nodes.append(helper.make_node("Mul", [tag + "_f", tag + "_scale"], [out]))

    for k, node in enumerate(g.node):
        tag = f"q8_{k}"
        if node.input and node.input[0] in constant:
            pass  # a computation on constants only: onnxruntime folds it when the session is created
        elif node.op_type == "MatMul":
            w = weight(node.input[1])
            if w is not None and w.ndim == 2 and w.size >= min_values:
                matmul_int8(node, node.input[0], w, node.output[0], tag, alias.get(node.input[1], node.input[1]))
                counts["MatMul"] = counts.get("MatMul", 0) + 1
                continue
        elif node.op_type == "Gemm":
            attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            w = weight(node.input[1])
            if (w is not None and w.size >= min_values and attrs.get("alpha", 1.0) == 1.0
                    and attrs.get("beta", 1.0) == 1.0 and not attrs.get("transA", 0)):
                w_kn = w.T if attrs.get("transB", 0) else w
                has_bias = len(node.input) > 2 and node.input[2]
                matmul_int8(node, node.input[0], np.ascontiguousarray(w_kn),
                            tag + "_mm" if has_bias else node.output[0], tag,
                            (alias.get(node.input[1], node.input[1]), "T" if attrs.get("transB", 0) else ""))
                if has_bias:
                    out_nodes.append(helper.make_node("Add", [tag + "_mm", node.input[2]], [node.output[0]]))
                counts["Gemm"] = counts.get("Gemm", 0) + 1
                continue
        elif node.op_type == "Conv":
            w_name = node.input[1]
            w = weight(w_name)
            if w is not None and w.size >= min_values:
                wq, ws = int8_weight(alias.get(w_name, w_name), w, 0, tag)
                out_nodes.append(helper.make_node("DequantizeLinear", [wq, ws], [tag + "_w"], axis=0))
                node.input[1] = tag + "_w"
                counts["Conv"] = counts.get("Conv", 0) + 1
        out_nodes.append(node)
    outputs = {o.name for o in g.output}
    consumed = {name for n in out_nodes for name in n.input} | outputs
    # Identity aliases whose every consumer now reads an int8 copy go, and so do weights nobody reads
    live = [n for n in out_nodes if not (n.op_type == "Identity" and n.output[0] not in consumed)]
    used = {name for n in live for name in n.input} | outputs
    kept = [t for t in g.initializer if t.name in used] + [t for t in new_inits if t.name in used]
    del g.node[:]
    g.node.extend(live)
    del g.initializer[:]
    g.initializer.extend(kept)
    del g.value_info[:]
    return model, counts


def write_variant(src, kind, external=None, chunk_mb=external_data.DEFAULT_CHUNK_MB, int8_matmul="dynamic"):
    """src.onnx -> src.<kind>.onnx; returns (path, external data names, counts)."""
    src = Path(src)
    model = onnx.load(str(src))  # with its external data
    counts = {}
    if kind == "fp16":
        model = to_fp16(model)
    else:
        model, counts = to_int8(model, int8_matmul)
    dst = variant_path(src, kind)
    if external is None and external_data.external_files(src):
        external = True  # a chunked base gets chunked variants (the same host limits apply)
    names = external_data.save(model, dst, external, chunk_mb)
    onnx.checker.check_model(str(dst))
    return dst, names, counts


def write_variants(bundle_dir, kinds=KINDS, external=None, chunk_mb=external_data.DEFAULT_CHUNK_MB,
                   int8_matmul="dynamic", log=print) -> dict:
    """Variants of every base ONNX file in the folder; the manifest (if any) gains them. {file: {kind: ...}}"""
    bundle_dir = Path(bundle_dir)
    done = {}
    for src in sorted(bundle_dir.glob("*.onnx")):
        if is_variant_file(src):
            continue
        for kind in kinds:
            t0 = time.time()
            dst, names, counts = write_variant(src, kind, external, chunk_mb, int8_matmul)
            done.setdefault(src.name, {})[kind] = {"file": dst.name, **({"externalData": names} if names else {})}
            what = ", ".join(f"{n} {op}" for op, n in counts.items())
            log(f"  {dst.name:<28} {external_data.total_bytes(dst):>14,d} bytes  (fp32 {external_data.total_bytes(src):,d})"
                f"  {time.time() - t0:.1f} s{'  quantised: ' + what if what else ''}")
    manifest = read_manifest(bundle_dir)
    if manifest is not None:
        for _, entry in model_entries(manifest):
            if entry["file"] in done:
                entry.setdefault("variants", {}).update(done[entry["file"]])
        refresh_files(manifest, bundle_dir)
        write_json(bundle_dir / "manifest.json", manifest)
        log(f"  manifest.json: variants listed, files table rebuilt ({len(manifest['files'])} files)")
    return done


def main(argv):
    ap = argparse.ArgumentParser(prog="factory variants", description="fp16 / int8 variants of a bundle's models")
    ap.add_argument("dir", type=Path)
    ap.add_argument("--fp16", action="store_true")
    ap.add_argument("--int8", action="store_true")
    ap.add_argument("--int8-matmul", choices=("dynamic", "weight-only"), default="dynamic")
    ap.add_argument("--external-data", action="store_true", help="external data even for small variants")
    ap.add_argument("--chunk-mb", type=float, default=external_data.DEFAULT_CHUNK_MB)
    a = ap.parse_args(argv)
    kinds = tuple(k for k in KINDS if getattr(a, k)) or KINDS
    print(f"variants of {a.dir}: {', '.join(kinds)}")
    write_variants(a.dir, kinds, True if a.external_data else None, a.chunk_mb, a.int8_matmul)
    return 0
