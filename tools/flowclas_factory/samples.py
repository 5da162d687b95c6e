"""The bundled samples: picked from rendered candidates so that together they show the method's range.

Every candidate is a held-out test scene (unseen anomaly families) scored by the shipped models; the picks
are the clearest hits, the smallest object that is still found, the scene where mask smoothing helps most,
the one where it hurts most, and the plainest miss, with typical scenes filling the rest. The first pick is
a landscape clear hit: the app analyses the first sample on its own when it opens."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# a "found" object: its image's raw AUPRC is at least this (a small object is only worth showing if found)
FOUND_AUPRC = 0.3


@dataclass(frozen=True)
class Candidate:
    index: int
    kind: str  # landscape | square | portrait
    raw_auprc: float
    smoothed_auprc: float
    anomaly_pixels: int


@dataclass(frozen=True)
class Pick:
    index: int
    kind: str
    role: str


ROLES = {
    "clear hit": "a clear hit: the raw map already singles the object out",
    "small object": "a small, far object, a patch or two of the backbone's grid",
    "smoothing helps": "mask smoothing helps most here: the masks fill in the object",
    "smoothing hurts": "mask smoothing hurts most here: a mask spreads the score beyond the object",
    "miss": "a miss: the object's features look like the road's",
    "typical": "a typical scene",
}


def choose_samples(candidates: list[Candidate], count: int) -> list[Pick]:
    """`count` distinct candidates with their roles, in the order they should be shown."""
    if len(candidates) < count:
        raise ValueError(f"{len(candidates)} candidates for {count} samples")
    with_anomaly = [c for c in candidates if c.anomaly_pixels > 0]
    usable = with_anomaly if len(with_anomaly) >= count else list(candidates)
    taken: set[int] = set()
    picks: list[Pick] = []

    def take(c: Candidate | None, role: str):
        if c is not None and c.index not in taken and len(picks) < count:
            taken.add(c.index)
            picks.append(Pick(c.index, c.kind, role))

    def best(key, among=None):
        pool = [c for c in (among if among is not None else usable) if c.index not in taken]
        return max(pool, key=key) if pool else None

    gain = lambda c: c.smoothed_auprc - c.raw_auprc  # noqa: E731
    take(best(lambda c: c.raw_auprc, [c for c in usable if c.kind == "landscape"]) or best(lambda c: c.raw_auprc),
         "clear hit")
    take(best(lambda c: -c.anomaly_pixels, [c for c in usable if c.raw_auprc >= FOUND_AUPRC]), "small object")
    helps, hurts = best(gain), best(lambda c: -gain(c))
    take(helps if helps is not None and gain(helps) > 0 else None, "smoothing helps")
    take(hurts if hurts is not None and gain(hurts) < 0 else None, "smoothing hurts")
    take(best(lambda c: c.raw_auprc), "clear hit")
    take(best(lambda c: -c.raw_auprc), "miss")
    take(best(lambda c: c.raw_auprc), "clear hit")
    # the rest: the scenes closest to the median raw AUPRC of all candidates
    median = float(np.median([c.raw_auprc for c in usable]))
    while len(picks) < count:
        take(best(lambda c: -abs(c.raw_auprc - median)), "typical")
    return picks
