"""Reference pipeline: each step against an independent, slower formulation or hand-computed cases."""
import numpy as np
import pytest
import torch

from flowclas_factory import reference as ref
from flowclas_factory.smoothing_np import smooth_straightforward


# ---------------------------------------------------------------- resize / pad / layout

def _linear_up_1d(v, out):
    n = len(v)
    res = np.empty(out)
    for i in range(out):
        src = min(max((i + 0.5) * n / out - 0.5, 0.0), n - 1)
        i0 = int(np.floor(src))
        i1 = min(i0 + 1, n - 1)
        f = src - i0
        res[i] = v[i0] * (1 - f) + v[i1] * f
    return res


def _area_down_1d(v, out):
    n = len(v)
    return np.array([v[int(np.floor(i * n / out)):int(np.ceil((i + 1) * n / out))].mean() for i in range(out)])


@pytest.mark.parametrize("n,out", [(5, 14), (3, 42), (73, 56), (45, 35), (256, 224), (256, 336), (7, 7)])
def test_resize_axis_matches_definition(n, out):
    v = np.random.default_rng(n * 100 + out).normal(size=n)
    got = ref.resize_axis(torch.tensor(v, dtype=torch.float64), out, 0).numpy()
    want = v if out == n else (_linear_up_1d(v, out) if out > n else _area_down_1d(v, out))
    np.testing.assert_allclose(got, want, atol=1e-12)


def test_resize2d_rows_then_columns():
    x = torch.rand(3, 45, 73, dtype=torch.float64)
    got = ref.resize2d(x, (35, 56))
    want = ref.resize_axis(ref.resize_axis(x, 35, 1), 56, 2)
    assert torch.equal(got, want)


def test_max_side_rounding():
    assert ref.max_side_size(45, 73, 56) == (35, 56)  # 34.52 -> 35
    assert ref.max_side_size(73, 45, 56) == (56, 35)
    assert ref.max_side_size(224, 448, 448) == (224, 448)
    assert ref.max_side_size(10, 20, None) == (10, 20)
    assert ref.max_side_size(5, 200, 100) == (3, 100)  # 2.5 rounds half up


def test_pad_split():
    assert ref.pad_split(45) == (5, 6)  # 56 - 45 = 11 -> 5 before, 6 after
    assert ref.pad_split(73) == (5, 6)  # 84 - 73 = 11
    assert ref.pad_split(42) == (0, 0)


def test_backbone_input_padding_and_normalisation():
    img = np.full((45, 73, 3), 255, np.uint8)
    cfg = {"patchSize": 14, "resize": {"mode": "pad"}, "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.25, 0.5]}
    x, geo = ref.backbone_input(img, cfg)
    assert x.shape == (1, 3, 56, 84) and geo["pad"] == (5, 6, 5, 6) and geo["grid"] == (4, 6)
    assert float(x[0, 1, 0, 0]) == pytest.approx(-2.0)  # padding is black: (0 - 0.5) / 0.25
    assert float(x[0, 1, 5, 5]) == pytest.approx(2.0)  # white pixel


def test_tokens_to_map_row_major():
    h, w, c, T = 3, 4, 5, 2
    out = torch.zeros(1, T + h * w, c)
    for k in range(h * w):
        out[0, T + k] = k
    m = ref.to_feature_map(out, "tokens", T, (h, w))
    assert m.shape == (1, c, h, w)
    assert float(m[0, 0, 1, 2]) == 1 * w + 2


def test_score_map_upsamples_in_likelihood_domain_and_crops():
    q = torch.rand(1, 1, 4, 6)
    geo = {"H": 45, "W": 73, "pad": (5, 6, 5, 6), "resized": (45, 73)}
    s = ref.score_map(q, geo, 14, "likelihood")
    up = ref.resize2d(q[0, 0], (56, 84))
    np.testing.assert_allclose(s.numpy(), (1 - up)[5:50, 5:78].numpy(), atol=1e-7)
    s2 = ref.score_map(q, geo, 14, "log-likelihood")
    np.testing.assert_allclose(s2.numpy(), (-up)[5:50, 5:78].numpy(), atol=1e-7)


# ---------------------------------------------------------------- AMG helpers

def test_amg_grid_order_and_frame():
    pts = ref.amg_grid(2, 100, 50)  # H=100, W=50
    np.testing.assert_allclose(pts, [[256, 256], [768, 256], [256, 768], [768, 768]])
    pts = ref.amg_grid(4, 45, 73)
    assert pts[1, 0] > pts[0, 0] and pts[1, 1] == pts[0, 1]  # x fastest
    np.testing.assert_allclose(pts[0], [0.125 * 73 * 1024 / 73, 0.125 * 45 * 1024 / 45], rtol=1e-6)


def test_rle_roundtrip_and_zero_start():
    rng = np.random.default_rng(0)
    for _ in range(20):
        m = rng.random((7, 5)) > 0.5
        r = ref.rle_encode(m)
        assert sum(r["counts"]) == 35 and r["size"] == [7, 5]
        assert np.array_equal(ref.rle_decode(r), m)
    m = np.zeros((3, 2), bool)
    m[0, 0] = True
    assert ref.rle_encode(m)["counts"] == [0, 1, 5]
    m = np.zeros((3, 2), bool)
    m[0, 1] = True  # column-major: index 3
    assert ref.rle_encode(m)["counts"] == [3, 1, 2]


def test_mask_box_inclusive():
    m = np.zeros((10, 10), bool)
    m[2:5, 3:4] = True
    assert ref.mask_to_box(m) == [3, 2, 3, 4]


def test_box_nms_order_and_suppression():
    boxes = np.array([[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 30, 30], [0, 0, 10, 10]])
    scores = np.array([0.9, 0.95, 0.5, 0.95])
    assert ref.box_nms(boxes, scores, 0.7) == [1, 2]  # 1 and 3 tie: candidate order; 3, 0 suppressed by 1
    # zero-area boxes never suppress each other
    assert ref.box_nms(np.array([[5, 5, 5, 9], [5, 5, 5, 9]]), np.array([0.9, 0.8]), 0.7) == [0, 1]


def test_stability_scores():
    lg = torch.tensor([[[2.0, 0.5], [-0.5, -2.0]]])
    assert float(ref.stability_scores(lg, 0.0, 1.0)[0]) == pytest.approx(1 / 3)
    assert torch.isnan(ref.stability_scores(torch.full((1, 2, 2), -5.0), 0.0, 1.0)[0])


# ---------------------------------------------------------------- smoothing

def test_smoothing_implementations_agree():
    rng = np.random.default_rng(1)
    for trial in range(30):
        h, w = rng.integers(5, 40, 2)
        s = rng.normal(size=(h, w)).astype(np.float32)
        if trial % 3 == 0:
            s = np.round(s, 1).astype(np.float32)  # many ties
        masks = [rng.random((h, w)) > rng.uniform(0.2, 0.9) for _ in range(rng.integers(0, 6))]
        bins = int(rng.integers(1, 25))
        a = ref.smooth_reference(s, masks, bins)
        b = smooth_straightforward(s, masks, bins)
        np.testing.assert_array_equal(a, b)


def test_smoothing_edge_cases():
    s = np.arange(12, dtype=np.float32).reshape(3, 4)
    empty = np.zeros((3, 4), bool)
    assert np.array_equal(ref.smooth_reference(s, [empty]), s)
    const = np.full((3, 4), 2.5, np.float32)
    assert np.array_equal(ref.smooth_reference(const, [np.ones((3, 4), bool)]), const)
    one = np.zeros((3, 4), bool)
    one[1, 1] = True
    assert np.array_equal(ref.smooth_reference(s, [one]), s)


def test_smoothing_hand_case():
    # values 0,0,0,1,10 with 2 bins over [0, 10]: bin 0 = [0, 5) holds 4 values, mean 0.25; 10 > 5 -> 0.25
    s = np.array([[0, 0, 0, 1, 10]], np.float32)
    out = ref.smooth_reference(s, [np.ones_like(s, bool)], bins=2)
    np.testing.assert_array_equal(out, np.array([[0, 0, 0, 1, 0.25]], np.float32))
    # the mode is the last bin: its maximum is excluded from the mean (as the reference)
    s = np.array([[0, 9, 10, 10]], np.float32)
    out = ref.smooth_reference(s, [np.ones_like(s, bool)], bins=2)  # bin 1 = [5, 10]: 9,10,10 ; mean over [5,10) = 9
    np.testing.assert_array_equal(out, np.array([[9, 9, 10, 10]], np.float32))


def test_smoothing_order_matters_and_unmasked_untouched():
    s = np.array([[0, 0, 0, 5, 100]], np.float32)
    m1 = np.array([[1, 1, 1, 1, 0]], bool)
    m2 = np.array([[0, 0, 0, 1, 1]], bool)
    a = ref.smooth_reference(s, [m1, m2], bins=2)
    b = ref.smooth_reference(s, [m2, m1], bins=2)
    assert not np.array_equal(a, b)
    assert ref.smooth_reference(s, [m1], bins=2)[0, 4] == 100


# ---------------------------------------------------------------- metrics

def _brute_force(scores, labels):
    keep = labels != 255
    s, y = scores[keep].astype(np.float64), labels[keep] == 1
    ts = np.unique(s)[::-1]
    tp = np.array([(y & (s >= t)).sum() for t in ts], float)
    fp = np.array([(~y & (s >= t)).sum() for t in ts], float)
    return tp, fp, float(y.sum()), float((~y).sum())


def test_curve_counts_match_brute_force():
    rng = np.random.default_rng(3)
    s = np.round(rng.random(500), 2)
    y = (rng.random(500) < 0.2).astype(np.uint8)
    y[rng.random(500) < 0.05] = 255
    _, tp, fp, P, N = ref.curve_counts(s, y)
    btp, bfp, bP, bN = _brute_force(s, y)
    np.testing.assert_array_equal(tp, btp)
    np.testing.assert_array_equal(fp, bfp)
    assert (P, N) == (bP, bN)


def test_metrics_hand_case():
    m = ref.pixel_metrics(np.array([0.9, 0.8, 0.7, 0.6]), np.array([1, 0, 1, 0]))
    assert m["auprc"] == pytest.approx(0.375 + (1 + 2 / 3) / 2 * 0.5)
    assert m["fpr95"] == pytest.approx(0.5)
    assert m["auroc"] == pytest.approx(0.75)


def test_metrics_perfect_and_ignore():
    m = ref.pixel_metrics([np.array([0.9, 0.1]), np.array([0.8, 0.5])], [np.array([1, 0]), np.array([1, 255])])
    assert m["auprc"] == pytest.approx(1.0) and m["fpr95"] == 0.0 and m["auroc"] == pytest.approx(1.0)
    assert m["positives"] == 2 and m["negatives"] == 1
