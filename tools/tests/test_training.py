"""Training loops of the long build: the schedule, the masks, and that every stage resumes exactly."""
import numpy as np
import pytest
import torch

from flowclas_factory import train, world
from flowclas_factory.models import FlowCLAS, MimHead, SamDecoder, SamEncoder, ViTBackbone, hog_targets, patchify


class _Interrupt(Exception):
    pass


class _StopAfter(train.StageCheckpoint):
    """Saves at every step and stops the run (as a killed process would) right after saving step `at`."""

    def __init__(self, path, at):
        super().__init__(path, "sig", every_s=0.0, log=lambda *_: None)
        self.at = at

    def save(self, state):
        super().save(state)
        if state["step"] == self.at:
            raise _Interrupt()


def _same_state(a, b):
    assert a.keys() == b.keys()
    for k in a:
        assert torch.equal(a[k], b[k]), k


def test_wsd_schedule_warms_up_holds_and_decays():
    lr = [train.wsd_lr(s, 100, 1.0, warmup=10, decay_frac=0.2) for s in range(100)]
    assert lr[0] == pytest.approx(0.1) and lr[9] == pytest.approx(1.0)
    assert all(v == 1.0 for v in lr[10:80])
    assert lr[80] == pytest.approx(1.0) and lr[90] == pytest.approx(0.5) and lr[99] == pytest.approx(0.05)


def test_block_mask_covers_the_ratio_in_blocks():
    rng = np.random.default_rng(0)
    m = train.block_mask(rng, 16, 32, 0.4)
    assert 0.4 <= m.mean() < 0.6
    # blocks, not scattered cells: most masked cells have a masked 4-neighbour
    nb = np.zeros_like(m)
    nb[1:] |= m[:-1]
    nb[:-1] |= m[1:]
    nb[:, 1:] |= m[:, :-1]
    nb[:, :-1] |= m[:, 1:]
    assert (nb & m).sum() > 0.9 * m.sum()


def test_patchify_matches_the_patch_grid():
    x = torch.arange(2 * 3 * 28 * 42, dtype=torch.float32).reshape(2, 3, 28, 42)
    p = patchify(x)
    assert p.shape == (2, 6, 3 * 14 * 14)
    # patch k = row k // 3, column k % 3; its first values are channel 0's first row of the patch
    assert torch.equal(p[1, 4, :14], x[1, 0, 14, 14:28])
    assert torch.equal(p[0, 2, 14 * 14:14 * 14 + 14], x[0, 1, 0, 28:42])


def test_hog_targets_bin_edges_by_orientation():
    """A vertical edge (gradient along x) fills orientation bin 0, a horizontal one bin 4 of 9 (pi/2), and
    only in the cells the edge crosses; flat cells stay empty."""
    v = torch.zeros(1, 3, 28, 28)
    v[..., 14:] = 1.0
    h = hog_targets(v).reshape(1, 4, 3, 2, 2, 9)  # [b, patch, channel, cell y, cell x, bin]
    assert h.shape == (1, 4, 3, 2, 2, 9)
    assert torch.allclose(h[0, 0, :, :, 1, 0], torch.ones(3, 2), atol=1e-3)  # right cells of the left patch
    assert h[0, 0, :, :, 0].abs().max() == 0 and h[0, 0, ..., 1:].abs().max() == 0
    hz = hog_targets(v.transpose(2, 3)).reshape(1, 4, 3, 2, 2, 9)
    assert torch.allclose(hz[0, 0, :, 1, :, 4], torch.ones(3, 2), atol=1e-3)  # bottom cells of the top patch


def test_masked_embedding_replaces_only_masked_cells():
    head = MimHead(8, 3)
    f = torch.randn(1, 8, 2, 3)
    mask = torch.tensor([[[True, False, False], [False, False, True]]])
    g = head.masked_embedding(mask)(f)
    assert torch.equal(g[0, :, 0, 1], f[0, :, 0, 1])
    assert torch.equal(g[0, :, 0, 0], head.mask_token[0, :, 0, 0].detach())
    assert torch.equal(g[0, :, 1, 2], head.mask_token[0, :, 0, 0].detach())


def test_pretraining_batch_is_a_function_of_seed_and_step():
    x1, y1 = train.pretraining_batch(5, 7, 2, 0.5)
    x2, y2 = train.pretraining_batch(5, 7, 2, 0.5)
    x3, _ = train.pretraining_batch(5, 8, 2, 0.5)
    assert torch.equal(x1, x2) and torch.equal(y1, y2)
    assert x1.shape[2:] != x3.shape[2:] or not torch.equal(x1, x3)


def test_backbone_pretraining_resumes_exactly(tmp_path):
    def run(ckpt):
        torch.manual_seed(0)
        m = ViTBackbone(dim=16, depth=1, heads=2)
        diags = []

        def diagnose(model, step):
            diags.append(step)
            return {"value": float(step)}
        try:
            r = train.train_backbone_ssl(m, 3, 1, 1e-3, 11, hog_weight=1.0, ckpt=ckpt, diagnose=diagnose, diag_every=2,
                                         log=lambda *_: None)
        except _Interrupt:
            return None
        return m, r

    m_full, r_full = run(None)
    assert [d["step"] for d in r_full["diagnostics"]] == [0, 2, 3]
    path = tmp_path / "bb.progress.pt"
    assert run(_StopAfter(path, 2)) is None
    m_res, r_res = run(train.StageCheckpoint(path, "sig", every_s=0.0, log=lambda *_: None))
    _same_state(m_full.state_dict(), m_res.state_dict())
    assert [d["step"] for d in r_res["diagnostics"]] == [0, 2, 3]


def _flow_data(n=4):
    g = torch.Generator().manual_seed(3)
    out = []
    for i in range(n):
        lab = np.zeros((4, 6), np.uint8)
        lab[1:3, 2:4] = 1
        out.append({"feats_mixed": torch.randn(1, 8, 4, 6, generator=g), "lab_mixed": lab,
                    "feats_view2": torch.randn(1, 8, 4, 6, generator=g), "lab_view2": lab.copy()})
    return out


def test_flow_training_resumes_exactly(tmp_path):
    data = _flow_data()

    def run(ckpt):
        torch.manual_seed(1)  # the flow's convolutions and the projection are drawn from the global generator
        f = FlowCLAS(8, 2, seed=1)
        try:
            train.train_flow(f, data, 4, 2, 1e-3, 6, True, alpha=10.0, ckpt=ckpt, log=lambda *_: None)
        except _Interrupt:
            return None
        return f

    full = run(None)
    path = tmp_path / "flow.progress.pt"
    assert run(_StopAfter(path, 2)) is None
    resumed = run(train.StageCheckpoint(path, "sig", every_s=0.0, log=lambda *_: None))
    _same_state(full.state_dict(), resumed.state_dict())


def test_segmenter_training_resumes_exactly(tmp_path):
    s = world.render_scene(3, (224, 112), "none")
    items = [(train.seg_input256(s["image"]), train.inst256(s["instances"]))] * 2

    def run(ckpt):
        torch.manual_seed(2)
        e, d = SamEncoder(), SamDecoder(seed=2)
        try:
            train.train_segmenter(e, d, items, 3, 1, 2, 1e-3, 8, ckpt=ckpt, log=lambda *_: None)
        except _Interrupt:
            return None
        return e, d

    e_full, d_full = run(None)
    path = tmp_path / "seg.progress.pt"
    assert run(_StopAfter(path, 1)) is None
    e_res, d_res = run(train.StageCheckpoint(path, "sig", every_s=0.0, log=lambda *_: None))
    _same_state(e_full.state_dict(), e_res.state_dict())
    _same_state(d_full.state_dict(), d_res.state_dict())


def test_checkpoint_with_another_configuration_is_ignored(tmp_path):
    path = tmp_path / "x.progress.pt"
    train.StageCheckpoint(path, "a", log=lambda *_: None).save({"step": 5})
    assert train.StageCheckpoint(path, "a", log=lambda *_: None).load()["step"] == 5
    assert train.StageCheckpoint(path, "b", log=lambda *_: None).load() is None


def test_progress_section_reports_stages_and_diagnostics_and_replaces_itself(tmp_path):
    import json
    from flowclas_factory import build
    work = tmp_path / "work"
    (work / "checkpoints").mkdir(parents=True)
    train.StageCheckpoint(work / "checkpoints" / "backbone.progress.pt", "s", log=lambda *_: None).save(
        {"step": 750, "seconds": 1234.0})
    run, other = build.run_tag("s"), build.run_tag("another configuration")
    rows = [{"step": -1, "run": run, "gaussian_auprc": 0.42, "gaussian_fpr95": 0.51, "gaussian_auroc": 0.89},
            {"step": 0, "run": run, "gaussian_auprc": 0.2, "gaussian_fpr95": 0.97, "gaussian_auroc": 0.79},
            {"step": 250, "run": other, "objective": "other objective", "gaussian_auprc": 0.9,
             "gaussian_fpr95": 0.01, "gaussian_auroc": 0.99},
            {"step": 500, "run": run, "gaussian_auprc": 0.3, "gaussian_fpr95": 0.6, "gaussian_auroc": 0.85},
            {"step": 500, "run": run, "gaussian_auprc": 0.35, "gaussian_fpr95": 0.55, "gaussian_auroc": 0.86}]
    (work / "backbone-diagnostics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = tmp_path / "report.md"
    report.write_text("# Model factory report\n\nbody\n")
    cfg = {**build.FULL, "bb_objective": "mim"}  # a build that trains its backbone
    build.write_progress(work, report, cfg)
    build.write_progress(work, report, cfg)
    text = report.read_text()
    assert text.startswith("# Model factory report\n\nbody\n\n") and text.count(build.PROGRESS_BEGIN) == 1
    assert f"| backbone | in progress | 750 of {cfg['bb_steps']:,} | 1234 | 1.6 |" in text
    assert "| flow-nll | not started |" in text
    assert "| committed demo backbone (segmentation-trained) | | 42.0 | 51.0 | 89.0 |" in text
    # a build that keeps the committed backbone has no backbone stage to report
    assert "| backbone | in progress" not in build.render_progress(work, {**cfg, "bb_objective": "committed"})
    # a repeated step (a resumed run measured it again) appears once, with the last measurement
    label = build.objective_label(cfg)
    assert f"| {label} | 500 | 35.0 | 55.0 | 86.0 |" in text and "| 500 | 30.0 |" not in text
    # another configuration's measurements follow the current one's, under their own objective
    assert text.index(f"| {label} | 500 |") < text.index("| other objective | 250 | 90.0 | 1.0 | 99.0 |")


def test_build_only_segmenter_trains_that_stage_alone(tmp_path):
    from flowclas_factory import build
    assert build.build(tmp_path / "out", smoke=True, work=tmp_path / "work", only="segmenter") is None
    ck = tmp_path / "work" / "checkpoints"
    assert (ck / "segmenter.pt").exists() and not (ck / "backbone.pt").exists()
    assert not (tmp_path / "out").exists()  # nothing exported
