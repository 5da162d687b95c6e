"""The road world: determinism, label consistency, disjoint anomaly families."""
import numpy as np

from flowclas_factory import world


def test_scene_is_deterministic():
    a = world.render_scene(123, (224, 112))
    b = world.render_scene(123, (224, 112))
    for k in ("image", "labels", "instances", "anomaly"):
        assert np.array_equal(a[k], b[k]), k
    c = world.render_scene(124, (224, 112))
    assert not np.array_equal(a["image"], c["image"])


def test_scene_outputs_consistent():
    s = world.render_scene(5, (336, 336), anomalies="test", n_objects=2)
    assert s["image"].shape == (336, 336, 3) and s["image"].dtype == np.uint8
    assert set(np.unique(s["anomaly"])) <= {0, 1, 255}
    assert (s["anomaly"] == 1).any()
    assert np.array_equal(s["anomaly"] == 1, s["labels"] == world.ANOMALY_CLASS)
    assert (s["instances"] > 0).all()
    ok = s["labels"] != world.ANOMALY_CLASS
    assert s["labels"][ok].max() < world.NUM_CLASSES


def test_clean_scene_has_no_anomaly():
    s = world.render_scene(9, (224, 336), anomalies="none")
    assert not (s["anomaly"] != 0).any()


def test_families_disjoint():
    assert not set(world.TEST_FAMILIES) & set(world.OE_FAMILIES)


def test_oe_pair():
    p = world.render_oe_pair(3, (224, 112))
    assert p["family"] in world.OE_FAMILIES
    for v in ("mixed", "view2"):
        assert p[v]["pasted"].any()
        assert (p[v]["labels"][p[v]["pasted"]] == world.ANOMALY_CLASS).all()


def test_testset_writer(tmp_path):
    from PIL import Image
    names = world.write_testset(7, 3, tmp_path)
    assert len(names) == 3
    for i, n in enumerate(names):
        img = Image.open(tmp_path / f"{n}.png")
        gt = np.asarray(Image.open(tmp_path / f"{n}_gt.png"))
        assert img.mode == "RGB" and img.size == world.test_size_for(i)
        assert gt.ndim == 2 and set(np.unique(gt)) <= {0, 1, 255}
