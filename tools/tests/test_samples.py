"""Sample picking: each role goes to the candidate that shows it best, no candidate twice."""
import pytest

from flowclas_factory.samples import Candidate, choose_samples


def cand(i, kind, raw, smoothed, pixels):
    return Candidate(i, kind, raw, smoothed, pixels)


CANDS = [
    cand(0, "landscape", 0.70, 0.72, 900),   # best landscape hit
    cand(1, "square", 0.95, 0.90, 2000),     # best hit overall (not landscape)
    cand(2, "portrait", 0.40, 0.41, 120),    # smallest found object
    cand(3, "landscape", 0.20, 0.60, 800),   # smoothing gains most
    cand(4, "square", 0.50, 0.10, 700),      # smoothing loses most
    cand(5, "portrait", 0.02, 0.03, 600),    # the miss
    cand(6, "landscape", 0.10, 0.11, 60),    # smaller, but not found
    cand(7, "square", 0.45, 0.46, 500),
    cand(8, "portrait", 0.0, 0.0, 0),        # no anomaly at all
    cand(9, "landscape", 0.30, 0.31, 400),
]


def test_roles_go_to_the_candidates_that_show_them():
    picks = choose_samples(CANDS, 8)
    roles = {p.role: [q.index for q in picks if q.role == p.role] for p in picks}
    assert picks[0].index == 0 and picks[0].kind == "landscape" and picks[0].role == "clear hit"
    assert roles["small object"] == [2]
    assert roles["smoothing helps"] == [3]
    assert roles["smoothing hurts"] == [4]
    assert roles["miss"] == [5]
    assert roles["clear hit"] == [0, 1, 7]
    assert len({p.index for p in picks}) == 8 and 8 not in {p.index for p in picks}
    assert all(p.kind == CANDS[p.index].kind for p in picks)


def test_no_smoothing_role_without_a_change_of_that_sign():
    flat = [cand(i, "landscape", 0.1 * i, 0.1 * i, 100 + i) for i in range(6)]
    assert {p.role for p in choose_samples(flat, 6)}.isdisjoint({"smoothing helps", "smoothing hurts"})


def test_too_few_candidates_is_an_error():
    with pytest.raises(ValueError):
        choose_samples(CANDS[:3], 4)


def _amg_res(raw, options):
    """A result of build.evaluate with one flow: raw metrics and smoothed metrics per AMG option."""
    return {"flows": {"nll+infonce": {"raw": raw}},
            "amg": [{"iou": i, "stability": s, "segmenter": {"mean_best_iou": i}, "smoothed": {"nll+infonce": m}}
                    for i, s, m in options]}


def test_the_amg_setting_shipped_is_the_one_where_smoothing_helps_most_without_raising_fpr95():
    from flowclas_factory.build import best_amg_option, choose_amg
    raw = {"auprc": 0.2, "fpr95": 0.4}
    res = _amg_res(raw, [(0.8, 0.95, {"auprc": 0.25, "fpr95": 0.5}),   # helps AUPRC but raises FPR95
                         (0.7, 0.9, {"auprc": 0.22, "fpr95": 0.4}),    # helps a little, FPR95 kept
                         (0.5, 0.8, {"auprc": 0.24, "fpr95": 0.39})])  # helps most among the good ones
    assert best_amg_option(res) == 2
    chosen = choose_amg(res, 2)
    assert chosen["amg_shipped"] == 2 and chosen["segmenter"]["mean_best_iou"] == 0.5
    assert chosen["flows"]["nll+infonce"]["smoothed"] == {"auprc": 0.24, "fpr95": 0.39}
    # none keeps FPR95: SAM 2's defaults (the first option)
    worse = _amg_res(raw, [(0.8, 0.95, {"auprc": 0.25, "fpr95": 0.5}), (0.5, 0.8, {"auprc": 0.3, "fpr95": 0.6})])
    assert best_amg_option(worse) == 0
