"""Reading checkpoints and checking them key by key against a model's expected keys and shapes.

A checkpoint that does not fit is reported with the names of the keys that are missing, extra or
misshaped, so a user can tell a wrong file from a wrong variant."""
from __future__ import annotations

from pathlib import Path

import torch


class CheckpointError(ValueError):
    """A checkpoint that does not fit the model it is meant for; the message names the keys."""


def load_state_dict(path) -> dict:
    """A flat {name: tensor} dict from a .pth/.ckpt file: plain state dicts, Lightning checkpoints
    (`state_dict`) and `{"model": ...}` wrappers are accepted."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: no such file")
    obj = torch.load(str(path), map_location="cpu")
    for wrapper in ("state_dict", "model"):
        if isinstance(obj, dict) and wrapper in obj and isinstance(obj[wrapper], dict):
            obj = obj[wrapper]
            break
    if not isinstance(obj, dict) or not all(isinstance(k, str) for k in obj):
        raise CheckpointError(f"{path}: not a state dict (expected a mapping of parameter names to tensors)")
    return {k: v for k, v in obj.items() if torch.is_tensor(v)}


def strip_prefix(sd: dict, prefix: str) -> dict:
    """Keys that start with `prefix`, without it; other keys are kept unchanged."""
    return {(k[len(prefix):] if k.startswith(prefix) else k): v for k, v in sd.items()}


def require(sd: dict, key: str, what: str, ndim: int | None = None) -> torch.Tensor:
    """The tensor under `key`, or a CheckpointError naming the key and the checkpoint kind."""
    if key not in sd:
        raise CheckpointError(f"{what} checkpoint: missing key '{key}'")
    t = sd[key]
    if ndim is not None and t.dim() != ndim:
        raise CheckpointError(f"{what} checkpoint: key '{key}' has shape {list(t.shape)}, expected {ndim} dimensions")
    return t


def check_keys(sd: dict, expected: dict, what: str, max_listed: int = 8):
    """Compare a state dict with {key: shape}; raise a CheckpointError listing every problem."""
    missing = [k for k in expected if k not in sd]
    extra = [k for k in sd if k not in expected]
    misshaped = [(k, list(sd[k].shape), list(expected[k])) for k in expected
                 if k in sd and tuple(sd[k].shape) != tuple(expected[k])]
    problems = []

    def listed(keys):
        more = f" and {len(keys) - max_listed} more" if len(keys) > max_listed else ""
        return ", ".join(f"'{k}'" for k in keys[:max_listed]) + more

    if missing:
        problems.append(f"missing key{'s' if len(missing) > 1 else ''} {listed(missing)}")
    if extra:
        problems.append(f"unexpected key{'s' if len(extra) > 1 else ''} {listed(extra)}")
    for k, got, want in misshaped[:max_listed]:
        problems.append(f"key '{k}' has shape {got}, expected {want}")
    if len(misshaped) > max_listed:
        problems.append(f"{len(misshaped) - max_listed} more misshaped keys")
    if problems:
        raise CheckpointError(f"{what} checkpoint does not fit: " + "; ".join(problems))


def expected_shapes(module: torch.nn.Module) -> dict:
    return {k: tuple(v.shape) for k, v in module.state_dict().items()}


def parameter_count(sd: dict) -> int:
    return int(sum(v.numel() for v in sd.values() if v.is_floating_point()))
